"""Every catalog entry end to end: REST create → worker → the provider's fake (answering from the entry's own
output rule) → stored artifact; referenced inputs arrive as data URIs and are recorded as lineage with their
roles; the estimate the API gives is the entry's price rule applied to the validated inputs."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from app.generators.catalog import CatalogEntry, builtin_entries
from app.generators.catalog.pricing import estimate
from app.generators.providers import adapter_for
from app.generators.refs import artifact_fields
from tests.integration.providers.conftest import wait_for

ENTRIES = builtin_entries()
ARTIFACT = "x-atelier-artifact"
LOCAL = {
    "image": ("local-image", {"prompt": "a source image", "shapes": 3}),
    "video": ("local-video", {"prompt": "a source clip", "duration_seconds": 0.5, "fps": 4, "size": "64x64"}),
    "audio": ("local-audio", {"prompt": "a source tune", "duration_seconds": 0.5}),
    "text": ("local-text", {"prompt": "a source text"}),
}
OPENAI_PATHS = {"images": "/v1/images/generations", "videos": "/v1/videos", "chat": "/v1/chat/completions",
                "speech": "/v1/audio/speech"}  # fmt: skip


async def _upstream(http: httpx.AsyncClient, board_id: str, artifact_type: str) -> str:
    name, params = LOCAL[artifact_type]
    created = await http.post(
        "/api/v1/generations", json={"boardId": board_id, "generatorName": name, "inputParams": params}
    )
    assert created.status_code == 201, created.text
    done = await wait_for(http, created.json()["id"], {"completed", "failed"}, within_s=20)
    assert done["status"] == "completed", done
    return str(done["id"])


async def _inputs(http: httpx.AsyncClient, board_id: str, entry: CatalogEntry) -> tuple[dict[str, Any], dict]:
    """The entry's example with every reference field pointing at a fresh upstream generation."""
    params = dict(entry.example)
    refs: dict[str, tuple[str, str]] = {}  # field -> (upstream id, role)
    schema = adapter_for(entry).Input.model_json_schema()
    for field, (is_list, role) in artifact_fields(schema).items():
        node = entry.input["properties"][field]
        kind = node.get(ARTIFACT) or node["items"][ARTIFACT]
        upstream = await _upstream(http, board_id, kind)
        params[field] = [upstream] * int(node.get("minItems", 1)) if is_list else upstream
        refs[field] = (upstream, role)
    return params, refs


def _sent(fakes: dict[str, Any], entry: CatalogEntry) -> dict[str, Any]:
    """The body the provider received for this entry's (only) run."""
    if entry.provider == "fal":
        [sent] = [r["input"] for r in fakes["fal"].requests.values() if r["model"] == entry.model]
        return sent  # type: ignore[no-any-return]
    if entry.provider == "replicate":
        [sent] = [p["input"] for p in fakes["replicate"].predictions.values() if p["model"] == entry.model]
        return sent  # type: ignore[no-any-return]
    [call] = [
        c for c in fakes["openai"].calls if c.method == "POST" and c.path == OPENAI_PATHS[entry.api_name]
    ]
    return call.json()  # type: ignore[no-any-return]


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.name for e in ENTRIES])
async def test_every_entry_runs_end_to_end(
    polling: httpx.AsyncClient, fakes: dict[str, Any], entry: CatalogEntry
) -> None:
    for fake in fakes.values():
        fake.reset()
    board = (await polling.post("/api/v1/boards", json={"title": entry.name})).json()
    params, refs = await _inputs(polling, board["id"], entry)
    validated = adapter_for(entry).Input.model_validate(params).model_dump(mode="json")

    quoted = await polling.post(f"/api/v1/generators/{entry.name}/estimate", json={"inputParams": params})
    assert quoted.status_code == 200, quoted.text
    assert quoted.json()["estimatedCost"] == pytest.approx(float(estimate(entry.price, validated)))

    created = await polling.post(
        "/api/v1/generations",
        json={"boardId": board["id"], "generatorName": entry.name, "inputParams": params},
    )
    assert created.status_code == 201, created.text
    done = await wait_for(polling, created.json()["id"], {"completed", "failed"}, within_s=20)
    assert (done["status"], done["artifactType"]) == ("completed", entry.artifact_type), done

    stored = await polling.get(done["storageUrl"])
    assert stored.headers["content-type"].startswith(entry.output.content_type.split("/")[0] + "/")
    sent = _sent(fakes, entry)
    for field in refs:
        values = sent[field] if isinstance(sent[field], list) else [sent[field]]
        assert all(v.startswith("data:") for v in values), (field, str(sent[field])[:80])
    for key, value in entry.fixed.items():
        assert sent[key] == value
    lineage = (await polling.get(f"/api/v1/generations/{done['id']}/lineage")).json()
    edges = {(e["inputGenerationId"], e["role"]) for e in lineage["edges"] if e["depth"] == 1}
    assert edges == {(upstream, role) for upstream, role in refs.values()}
