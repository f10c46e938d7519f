"""The generators list in both APIs, driven by the catalog: grouped by artifact type then provider, with the
display name, model, task, price and input schema of every entry; REST and GraphQL agree."""

from __future__ import annotations

from typing import Any

import httpx

from app.generators.catalog import builtin_entries
from app.generators.catalog.pricing import describe

GROUPS = """query($t: String) { generatorGroups(artifactType: $t) {
  artifactType provider generators { name displayName provider model task artifactType inputSchema
    price { per amount summary } } } }"""


async def _graphql(http: httpx.AsyncClient, query: str, **variables: Any) -> Any:
    body = (await http.post("/graphql", json={"query": query, "variables": variables})).json()
    assert "errors" not in body, body
    return body["data"]


async def test_groups_follow_type_then_provider_and_carry_prices(polling: httpx.AsyncClient) -> None:
    groups = (await polling.get("/api/v1/generators/groups")).json()
    keys = [(g["artifactType"], g["provider"]) for g in groups]
    assert keys == sorted(set(keys)), keys  # each (type, provider) once, in order
    listed = {g["name"]: g for group in groups for g in group["generators"]}
    for entry in builtin_entries():
        shown = listed[entry.name]
        assert (shown["provider"], shown["model"], shown["artifactType"]) == (
            entry.provider, entry.model, entry.artifact_type,
        )  # fmt: skip
        assert shown["displayName"] == entry.display_name and shown["task"] == entry.task
        assert shown["price"] == {"per": entry.price.per, "amount": float(entry.price.amount),
                                  "summary": describe(entry.price)}  # fmt: skip
        assert set(shown["inputSchema"]["properties"]) == set(entry.input["properties"])
    assert listed["local-image"]["price"] is None and listed["local-image"]["provider"] == "local"
    flat = [g["name"] for g in (await polling.get("/api/v1/generators")).json()]
    assert flat == [g["name"] for group in groups for g in group["generators"]]


async def test_graphql_groups_equal_rest_groups(polling: httpx.AsyncClient) -> None:
    rest = (await polling.get("/api/v1/generators/groups", params={"artifactType": "video"})).json()
    data = await _graphql(polling, GROUPS, t="VIDEO")
    assert [(g["artifactType"], g["provider"]) for g in data["generatorGroups"]] == [
        ("VIDEO", g["provider"]) for g in rest
    ]
    assert [[x["name"] for x in g["generators"]] for g in data["generatorGroups"]] == [
        [x["name"] for x in g["generators"]] for g in rest
    ]
    veo = next(x for g in data["generatorGroups"] for x in g["generators"] if x["name"] == "fal-veo3")
    assert veo["price"]["per"] == "second" and "generate_audio" in veo["price"]["summary"]


async def test_without_keys_only_local_groups_are_listed(client: httpx.AsyncClient) -> None:
    groups = (await client.get("/api/v1/generators/groups")).json()
    assert groups and {g["provider"] for g in groups} == {"local"}
