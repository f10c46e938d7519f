"""Seed the benchmark data set in seconds: rows are built in Python and loaded with asyncpg's binary COPY.

50 users; 200 boards (4 per user) with 3 members each (every user is a member of 12 boards, so myBoards
returns 16); 50 completed generations per board (10,000) whose input params are 1-2 KB of realistic JSON.
Everything is deterministic (a fixed RNG seed), so two runs measure the same data.
"""

from __future__ import annotations

import json
import random
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

USERS = 50
BOARDS = 200
MEMBERS_PER_BOARD = 3
GENERATIONS_PER_BOARD = 50
ROLES = ("viewer", "editor", "admin")
TOKEN_TTL_SECONDS = 86_400  # the server's maximum (Settings.access_token_ttl_seconds): outlives any run

GENERATORS = (
    ("flux-1.1-pro", "black-forest-labs/flux-1.1-pro", "image"),
    ("sdxl", "stability-ai/sdxl:7762fd07cf82c948538e41f63f77d685e02b063e37e496e96eefd46c929f9bdc", "image"),
    ("ideogram-v3", "ideogram-ai/ideogram-v3-turbo", "image"),
    ("kling-v2", "kwaivgi/kling-v2.1", "video"),
    ("musicgen", "meta/musicgen:671ac645ce5e552cc63a54a2bbff63fcf798043055d2dac5fc9e36a837eedcfb", "audio"),
)
WORDS = (
    (
        "a cinematic portrait of an astronaut drifting through a neon lit greenhouse on a rainy night, "
        "volumetric light, shallow depth of field, 35mm film grain, ultra detailed skin texture, soft rim "
        "lighting, muted teal and amber palette, reflections on wet glass, overgrown ferns, bioluminescent "
        "orchids, condensation, bokeh, moody atmosphere, award winning photograph, hasselblad, kodak portra, "
        "intricate embroidery, brutalist architecture, golden hour, watercolor wash, isometric diorama, "
        "matte painting, studio ghibli inspired, highly coherent composition, rule of thirds, dramatic sky"
    )
    .replace(",", "")
    .split()
)
NEGATIVE = "blurry lowres jpeg artifacts watermark text signature deformed hands extra fingers oversaturated"


@dataclass(frozen=True)
class SeededUser:
    id: uuid.UUID
    email: str
    token: str


@dataclass(frozen=True)
class Seeded:
    """What the rows need from the data set (see bench.rows.Context)."""

    tenant_id: uuid.UUID
    users: list[SeededUser]
    boards_by_owner: dict[uuid.UUID, list[uuid.UUID]]  # in creation order
    generations_by_board: dict[uuid.UUID, list[uuid.UUID]]
    generator_name: str
    sample_input_params: dict[str, Any]
    generations: int
    members: int
    seconds: float
    mean_input_params_bytes: float


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _prompt(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def input_params(rng: random.Random, model: str, artifact: str, board_id: uuid.UUID) -> dict[str, Any]:
    """Input params shaped like a real Replicate/fal request: 1-2 KB of JSON."""
    params: dict[str, Any] = {
        "prompt": _prompt(rng, rng.randint(60, 150)),
        "negative_prompt": NEGATIVE,
        "model": model,
        "seed": rng.randint(0, 2**31),
        "num_outputs": 1,
        "output_format": "webp",
        "output_quality": 90,
        "disable_safety_checker": False,
    }
    if artifact == "image":
        params |= {
            "width": rng.choice((768, 1024, 1344)),
            "height": rng.choice((768, 1024, 1344)),
            "aspect_ratio": rng.choice(("1:1", "16:9", "3:2", "4:5")),
            "num_inference_steps": rng.choice((25, 30, 40, 50)),
            "guidance_scale": rng.choice((3.5, 5.0, 7.5)),
            "scheduler": rng.choice(("DPM++ 2M Karras", "K_EULER_ANCESTRAL", "DDIM")),
            "prompt_strength": 0.8,
            "refine": "expert_ensemble_refiner",
            "high_noise_frac": 0.8,
            "loras": [
                {
                    "name": f"style-{rng.randint(1, 400)}",
                    "scale": round(rng.uniform(0.4, 1.0), 2),
                    "url": f"https://huggingface.co/atelier-loras/style-{rng.randint(1, 400)}/resolve/main/lora.safetensors",
                }
                for _ in range(rng.randint(0, 2))
            ],
        }
        if rng.random() < 0.3:
            params["image"] = f"atelier://boards/{board_id}/generations/{_uuid(rng)}"
    elif artifact == "video":
        params |= {"duration": rng.choice((5, 10)), "aspect_ratio": "16:9", "cfg_scale": 0.5, "fps": 24}
        params["start_image"] = f"atelier://boards/{board_id}/generations/{_uuid(rng)}"
    else:
        params |= {"duration": rng.choice((8, 15, 30)), "model_version": "stereo-large", "top_k": 250}
    return params


def _output_metadata(rng: random.Random, artifact: str, params: dict[str, Any]) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "seed": params["seed"],
        "predict_time": round(rng.uniform(1.5, 40.0), 3),
        "provider": "replicate",
        "prediction_id": f"{rng.getrandbits(100):x}",
    }
    if artifact == "image":
        meta |= {"width": params["width"], "height": params["height"], "content_type": "image/webp"}
    elif artifact == "video":
        meta |= {"width": 1280, "height": 720, "duration": params["duration"], "content_type": "video/mp4"}
    else:
        meta |= {"duration": params["duration"], "sample_rate": 32000, "content_type": "audio/wav"}
    return meta


def build(tenant_id: uuid.UUID, secret: str) -> tuple[Seeded, dict[str, list[tuple[Any, ...]]]]:
    """The rows of every table (COPY records) and the Seeded summary with tokens."""
    from app.auth.tokens import LocalTokenIssuer

    rng = random.Random(20_240_601)  # noqa: S311 - a fixed seed for reproducible data, not security
    issuer = LocalTokenIssuer(secret, access_ttl_seconds=TOKEN_TTL_SECONDS)
    now = datetime.now(UTC).replace(microsecond=0)
    start = now - timedelta(days=60)

    users: list[SeededUser] = []
    user_rows: list[tuple[Any, ...]] = []
    for i in range(USERS):
        user_id, email = _uuid(rng), f"user{i:02d}@bench.atelier.test"
        token, _ = issuer.issue_access(user_id, tenant_id, is_admin=False, email=email)
        users.append(SeededUser(user_id, email, token))
        created = start + timedelta(minutes=i)
        user_rows.append(
            (user_id, tenant_id, "local", email, email, f"Bench User {i:02d}",
             f"https://avatars.atelier.test/{user_id}.png", created, created)
        )  # fmt: skip

    board_rows: list[tuple[Any, ...]] = []
    member_rows: list[tuple[Any, ...]] = []
    generation_rows: list[tuple[Any, ...]] = []
    boards_by_owner: dict[uuid.UUID, list[uuid.UUID]] = {u.id: [] for u in users}
    generations_by_board: dict[uuid.UUID, list[uuid.UUID]] = {}
    params_bytes = 0
    sample: dict[str, Any] = {}
    for b in range(BOARDS):
        owner = users[b % USERS]
        board_id, created = _uuid(rng), start + timedelta(hours=1 + b)
        boards_by_owner[owner.id].append(board_id)
        board_rows.append(
            (board_id, tenant_id, owner.id, f"Board {b:03d}: {_prompt(rng, 3)}", _prompt(rng, 20),
             b % 5 == 0, json.dumps({"layout": "grid", "columns": 4}),
             json.dumps({"client": "bench", "color": rng.choice(("teal", "amber", "rose"))}), created, created)
        )  # fmt: skip
        members = [users[(b + k) % USERS] for k in range(1, MEMBERS_PER_BOARD + 1)]
        for k, member in enumerate(members):
            member_rows.append(
                (_uuid(rng), tenant_id, board_id, member.id, ROLES[k % len(ROLES)], owner.id,
                 created, created, created)
            )  # fmt: skip
        authors = [owner, *(m for k, m in enumerate(members) if ROLES[k % len(ROLES)] != "viewer")]
        generations_by_board[board_id] = []
        for g in range(GENERATIONS_PER_BOARD):
            name, model, artifact = GENERATORS[rng.randrange(len(GENERATORS))]
            generation_id = _uuid(rng)
            params = input_params(rng, model, artifact, board_id)
            encoded = json.dumps(params)
            params_bytes += len(encoded)
            if not sample and artifact == "image":
                sample = params
            begun = created + timedelta(minutes=10 + g * 7)
            done = begun + timedelta(seconds=rng.randint(3, 90))
            key = f"{tenant_id}/{board_id}/{generation_id}"
            extension = {"image": "webp", "video": "mp4", "audio": "wav"}[artifact]
            extra = (
                [{"url": f"https://cdn.atelier.test/{key}/poster.webp", "key": f"{key}/poster.webp",
                  "type": "image", "metadata": {"width": 1280, "height": 720}}]
                if artifact == "video" else []
            )  # fmt: skip
            generations_by_board[board_id].append(generation_id)
            generation_rows.append(
                (generation_id, tenant_id, board_id, authors[g % len(authors)].id, name, artifact,
                 "completed", 1.0, encoded, json.dumps(_output_metadata(rng, artifact, params)),
                 f"https://cdn.atelier.test/{key}/output.{extension}", f"{key}/output.{extension}",
                 f"https://cdn.atelier.test/{key}/thumb.webp", f"{key}/thumb.webp", json.dumps(extra),
                 f"{rng.getrandbits(100):x}", 1, begun, done, begun - timedelta(seconds=2), done)
            )  # fmt: skip
    seeded = Seeded(
        tenant_id=tenant_id,
        users=users,
        boards_by_owner=boards_by_owner,
        generations_by_board=generations_by_board,
        generator_name=GENERATORS[0][0],
        sample_input_params=sample,
        generations=len(generation_rows),
        members=len(member_rows),
        seconds=0.0,
        mean_input_params_bytes=params_bytes / max(len(generation_rows), 1),
    )
    return seeded, {"users": user_rows, "boards": board_rows, "board_members": member_rows,
                    "generations": generation_rows}  # fmt: skip


COLUMNS = {
    "users": ("id", "tenant_id", "auth_provider", "auth_subject", "email", "display_name", "avatar_url",
              "created_at", "updated_at"),
    "boards": ("id", "tenant_id", "owner_id", "title", "description", "is_public", "settings", "metadata",
               "created_at", "updated_at"),
    "board_members": ("id", "tenant_id", "board_id", "user_id", "role", "invited_by", "joined_at",
                      "created_at", "updated_at"),
    "generations": ("id", "tenant_id", "board_id", "user_id", "generator_name", "artifact_type", "status",
                    "progress", "input_params", "output_metadata", "storage_url", "storage_key",
                    "thumbnail_url", "thumbnail_key", "additional_files", "external_job_id", "attempt",
                    "started_at", "completed_at", "created_at", "updated_at"),
}  # fmt: skip


async def seed(dsn: str, secret: str) -> Seeded:
    """Load the data set into the migrated database at dsn (libpq form) and ANALYZE it."""
    started = time.monotonic()
    conn = await asyncpg.connect(dsn)
    try:
        tenant_id = await conn.fetchval("SELECT id FROM tenants WHERE slug = 'default'")
        if tenant_id is None:
            raise RuntimeError("no 'default' tenant: are the migrations applied?")
        # users.email is citext, which asyncpg has no binary codec for; its wire format is text's (UTF-8).
        await conn.set_type_codec(
            "citext", schema="public", encoder=str.encode, decoder=bytes.decode, format="binary"
        )
        seeded, tables = build(tenant_id, secret)
        async with conn.transaction():
            for table, records in tables.items():
                await conn.copy_records_to_table(table, records=records, columns=COLUMNS[table])
        await conn.execute("ANALYZE")
    finally:
        await conn.close()
    return Seeded(**{**seeded.__dict__, "seconds": time.monotonic() - started})
