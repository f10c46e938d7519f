"""Every catalog entry end to end: REST create → worker → the provider's fake (answering from the entry's own
output rule) → stored artifact; referenced inputs arrive as data URIs and are recorded as lineage with their
roles; the estimate the API gives is the entry's price rule applied to the validated inputs.

The entries of one provider and artifact type run concurrently (the worker takes 10 at a time), so the 70-odd
runs take seconds, not minutes; a failure names the entries that failed and why."""

from __future__ import annotations

import asyncio
from itertools import groupby
from typing import Any

import httpx
import pytest

from app.generators.catalog import CatalogEntry, builtin_entries
from app.generators.catalog.pricing import estimate
from app.generators.providers import adapter_for
from app.generators.refs import artifact_fields
from tests.integration.providers.conftest import wait_for

ARTIFACT = "x-atelier-artifact"
LOCAL = {
    "image": ("local-image", {"prompt": "a source image", "shapes": 3}),
    "video": ("local-video", {"prompt": "a source clip", "duration_seconds": 0.5, "fps": 4}),
    "audio": ("local-audio", {"prompt": "a source tune", "duration_seconds": 0.5}),
}
OPENAI_PATHS = {"images": "/v1/images/generations", "videos": "/v1/videos", "chat": "/v1/chat/completions",
                "speech": "/v1/audio/speech"}  # fmt: skip
WITHIN_S = 90  # generous: the machine may be loaded, and a group queues behind the worker's 10 slots


def _group(entry: CatalogEntry) -> str:
    return f"{entry.provider}-{entry.artifact_type}"


GROUPS = {
    key: list(entries)
    for key, entries in groupby(sorted(builtin_entries(), key=lambda e: (_group(e), e.name)), key=_group)
}


async def _upstream(http: httpx.AsyncClient, board_id: str, artifact_type: str) -> str:
    name, params = LOCAL[artifact_type]
    created = await http.post(
        "/api/v1/generations", json={"boardId": board_id, "generatorName": name, "inputParams": params}
    )
    assert created.status_code == 201, created.text
    done = await wait_for(http, created.json()["id"], {"completed", "failed"}, within_s=WITHIN_S)
    assert done["status"] == "completed", done
    return str(done["id"])


def _references(entry: CatalogEntry) -> dict[str, tuple[bool, str, str]]:
    """field -> (is a list, lineage role, artifact type it takes)."""
    found = {}
    for field, (is_list, role) in artifact_fields(adapter_for(entry).Input.model_json_schema()).items():
        node = entry.input["properties"][field]
        found[field] = (is_list, role, str(node.get(ARTIFACT) or node["items"][ARTIFACT]))
    return found


def _sent(fakes: dict[str, Any], entry: CatalogEntry) -> dict[str, Any]:
    """The body the provider received for this entry's run. Under heavy load the sweeper may re-queue a run
    whose lease lapsed (the lifecycle's business, not the catalog's), so a second identical job can appear."""
    if entry.provider == "fal":
        bodies = [r["input"] for r in fakes["fal"].requests.values() if r["model"] == entry.model]
    elif entry.provider == "replicate":
        bodies = [p["input"] for p in fakes["replicate"].predictions.values() if p["model"] == entry.model]
    else:
        path = OPENAI_PATHS[entry.api_name]
        calls = [c.json() for c in fakes["openai"].calls if c.method == "POST" and c.path == path]
        bodies = [body for body in calls if body.get("model") == entry.model]
    assert bodies and all(body == bodies[0] for body in bodies), bodies
    return bodies[0]  # type: ignore[no-any-return]


async def _run(
    http: httpx.AsyncClient,
    fakes: dict[str, Any],
    entry: CatalogEntry,
    board_id: str,
    upstream: dict[str, str],
) -> None:
    refs = _references(entry)
    params = dict(entry.example)
    for field, (is_list, _, kind) in refs.items():
        params[field] = [upstream[kind]] * int(entry.input["properties"][field].get("minItems", 1)) if is_list \
            else upstream[kind]  # fmt: skip
    validated = adapter_for(entry).Input.model_validate(params).model_dump(mode="json")

    quoted = await http.post(f"/api/v1/generators/{entry.name}/estimate", json={"inputParams": params})
    assert quoted.status_code == 200, quoted.text
    assert quoted.json()["estimatedCost"] == pytest.approx(float(estimate(entry.price, validated)))

    created = await http.post(
        "/api/v1/generations", json={"boardId": board_id, "generatorName": entry.name, "inputParams": params}
    )
    assert created.status_code == 201, created.text
    done = await wait_for(http, created.json()["id"], {"completed", "failed"}, within_s=WITHIN_S)
    assert (done["status"], done["artifactType"]) == ("completed", entry.artifact_type), done

    stored = await http.get(done["storageUrl"])
    assert stored.headers["content-type"].startswith(entry.output.content_type.split("/")[0] + "/")
    sent = _sent(fakes, entry)
    for field in refs:
        values = sent[field] if isinstance(sent[field], list) else [sent[field]]
        assert all(v.startswith("data:") for v in values), (field, str(sent[field])[:80])
    assert {k: sent[k] for k in entry.fixed} == entry.fixed
    lineage = (await http.get(f"/api/v1/generations/{done['id']}/lineage")).json()
    edges = {(e["inputGenerationId"], e["role"]) for e in lineage["edges"] if e["depth"] == 1}
    assert edges == {(upstream[kind], role) for _, role, kind in refs.values()}


@pytest.mark.parametrize("group", sorted(GROUPS))
async def test_every_entry_runs_end_to_end(
    polling: httpx.AsyncClient, fakes: dict[str, Any], group: str
) -> None:
    entries = GROUPS[group]
    for fake in fakes.values():
        fake.reset()
    board = (await polling.post("/api/v1/boards", json={"title": group})).json()
    kinds = sorted({kind for e in entries for _, _, kind in _references(e).values()})
    ids = await asyncio.gather(*(_upstream(polling, board["id"], kind) for kind in kinds))
    upstream = dict(zip(kinds, ids, strict=True))
    results = await asyncio.gather(
        *(_run(polling, fakes, e, board["id"], upstream) for e in entries), return_exceptions=True
    )
    failed = {e.name: repr(r)[:600] for e, r in zip(entries, results, strict=True) if r is not None}
    assert not failed, failed
