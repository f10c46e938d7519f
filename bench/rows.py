"""What `make bench` measures: one Row per request shape, data only (add a Row to benchmark a new endpoint).

A Row is a GraphQL operation (query text + variables) or a REST request (method, path, optional JSON body).
Strings in `path`, `variables` and `body` are `str.format`-ed with the seeded Context below, e.g.
"/api/v1/boards/{board_id}"; the GraphQL query text itself is never formatted (ids travel as variables).

Before a row is loaded, one probe request decides whether it runs: 404/405 (REST) or a GraphQL validation
error (a field or operation the schema does not have yet) skips it with a note, so rows for endpoints that
are still being built can sit here and start measuring the day the endpoint lands.

CPU figures are milliseconds of API-process CPU per request; `reference` is what the pre-optimisation
code measured (a (low, high) range), `target` is the budget we want to be under.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

GRAPHQL_PATH = "/graphql"

# Every data field of a Generation (the Boards API names); used by the GraphQL rows below.
GENERATION_FIELDS = """
  id tenantId boardId userId generatorName artifactType status progress errorMessage
  storageUrl thumbnailUrl additionalFiles { url type metadata } inputParams outputMetadata
  externalJobId startedAt completedAt createdAt updatedAt
"""


@dataclass(frozen=True)
class Context:
    """Ids and credentials from the seed that rows refer to by name ({board_id}, {generation_id}, ...)."""

    token: str  # bearer token of the owner every row acts as
    user_id: str  # that owner
    board_id: str  # one of the owner's boards: 3 members, 50 completed generations (read rows)
    write_board_id: str  # another board of the same owner, for rows that create data (reads stay stable)
    generation_id: str  # a generation on board_id
    generator_name: str  # a generator name as seeded rows use it
    input_params: Mapping[str, Any]  # realistic input params (~1-2 KB of JSON) for create rows
    search_words: str = "cinematic portrait"  # two words of middling frequency (bench.scale.query_words)
    search_words_url: str = "cinematic+portrait"  # the same, for a query string
    leaf_generation_id: str = ""  # on board_id: the end of a lineage chain of 25 ancestors from generation_id

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass(frozen=True)
class Row:
    name: str
    method: str = "GET"
    path: str = GRAPHQL_PATH
    query: str | None = None  # set → a GraphQL row (POST path with {"query", "variables"})
    variables: Mapping[str, Any] = field(default_factory=dict)
    body: Any = None  # REST JSON body
    auth: bool = True  # send `Authorization: Bearer <token>`
    reference: tuple[float, float] | None = None  # CPU ms/request before the optimisation work
    target: float | None = None  # CPU ms/request budget
    note: str = ""
    mutates: bool = False  # creates data: runs after every read row (rows are sorted that way)
    explain: Mapping[str, Any] | None = (
        None  # a search query (camelCase): EXPLAIN its statement after the row
    )
    explain_facets: bool = False  # EXPLAIN the facets statement of that query instead

    @property
    def is_graphql(self) -> bool:
        return self.query is not None

    def render(self, ctx: Context) -> tuple[str, str, bytes | None]:
        """(method, path, body) for this row with the context filled in."""
        values = ctx.values()
        path = self.path.format_map(values)
        if self.query is not None:
            payload = {"query": self.query, "variables": fill(self.variables, values)}
            return "POST", path, _json(payload)
        body = None if self.body is None else _json(fill(self.body, values))
        return self.method, path, body


def fill(value: Any, values: Mapping[str, Any]) -> Any:
    """Format every string inside value; a string that is exactly "{name}" takes the value itself
    (so "{input_params}" becomes the dict, not its repr)."""
    if isinstance(value, str):
        if value.startswith("{") and value.endswith("}") and value[1:-1] in values:
            return values[value[1:-1]]
        return value.format_map(values)
    if isinstance(value, Mapping):
        return {key: fill(item, values) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [fill(item, values) for item in value]
    return value


def _json(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


ROWS: Sequence[Row] = (
    Row(
        "floor: GET /health",
        path="/health",
        auth=False,
        reference=(0.8, 0.8),
        note="constant handler, no auth, no DB: the framework's floor",
    ),
    # -- GraphQL ----------------------------------------------------------------------------------
    Row(
        "GraphQL myBoards(limit: 20)",
        query="""query MyBoards {
  myBoards(limit: 20) { id title owner { id displayName } generationCount }
}""",
        reference=(165, 195),
        target=15,
    ),
    Row(
        "GraphQL GetBoard (50 generations)",
        query=f"""query GetBoard($id: UUID!) {{
  board(id: $id) {{
    id title
    owner {{ id displayName }}
    members {{ role user {{ id displayName }} inviter {{ id }} }}
    generationCount
    generations(limit: 50) {{ {GENERATION_FIELDS} }}
  }}
}}""",
        variables={"id": "{board_id}"},
        reference=(45, 58),
        target=5,
    ),
    Row(
        "GraphQL generation(id)",
        query=f"""query GetGeneration($id: UUID!) {{
  generation(id: $id) {{ {GENERATION_FIELDS} board {{ id }} user {{ id }} }}
}}""",
        variables={"id": "{generation_id}"},
        reference=(12, 12),
        target=1.5,
    ),
    Row(
        "GraphQL createGeneration",
        query="""mutation CreateGeneration($input: CreateGenerationInput!) {
  createGeneration(input: $input) { id status }
}""",
        variables={
            "input": {
                "boardId": "{write_board_id}",
                "generatorName": "{generator_name}",
                "artifactType": "IMAGE",
                "inputParams": "{input_params}",
            }
        },
        reference=(20, 20),
        target=2,
        mutates=True,
    ),
    Row(
        "GraphQL searchGenerations (2 words + 2 filters)",
        query=f"""query Search($input: GenerationSearchInput!) {{
  searchGenerations(input: $input) {{ items {{ rank snippet generation {{ {GENERATION_FIELDS} }} }} nextCursor }}
}}""",
        variables={
            "input": {"q": "{search_words}", "artifactTypes": ["IMAGE"], "minWidth": 1024, "limit": 50}
        },
        target=8,
        note="server time target: p50 ≤ 30 ms at BENCH_SCALE=100",
    ),
    # -- REST -------------------------------------------------------------------------------------
    Row(
        "REST GET /generations/search (2 words + 2 filters)",
        path="/api/v1/generations/search?q={search_words_url}&artifactTypes=image&minWidth=1024&limit=50",
        target=8,
        note="p50 ≤ 30 ms at BENCH_SCALE=100",
        explain={"q": "{search_words}", "artifactTypes": ["image"], "minWidth": 1024, "limit": 50},
    ),
    Row(
        "REST GET /generations/search (newest, 1 filter, no words)",
        path="/api/v1/generations/search?artifactTypes=video&sort=newest&limit=50",
        target=8,
        explain={"artifactTypes": ["video"], "sort": "newest", "limit": 50},
    ),
    Row(
        "REST POST /generations/facets (2 words + 1 filter)",
        method="POST",
        path="/api/v1/generations/facets",
        body={"q": "{search_words}", "artifactTypes": ["image"]},
        target=8,
        note="p50 ≤ 100 ms at BENCH_SCALE=100 (time budget 150 ms, then a sample)",
        explain={"q": "{search_words}", "artifactTypes": ["image"]},
        explain_facets=True,
    ),
    Row("REST GET /boards?limit=20", path="/api/v1/boards?limit=20", target=15, note="REST: cheaper still"),
    Row("REST GET /boards/{id}", path="/api/v1/boards/{board_id}", target=5),
    Row("REST GET /boards/{id}/members", path="/api/v1/boards/{board_id}/members", target=5),
    Row("REST GET /generations/{id}", path="/api/v1/generations/{generation_id}", target=1.5),
    Row(
        "REST POST /generations",
        method="POST",
        path="/api/v1/generations",
        body={
            "boardId": "{write_board_id}",
            "generatorName": "{generator_name}",
            "artifactType": "image",
            "inputParams": "{input_params}",
        },
        target=2,
        mutates=True,
    ),
)
