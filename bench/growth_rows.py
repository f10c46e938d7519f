"""Rows for the parts that grow with use (issue 18, data growth): the feed, board and people search,
lineage at depth 25, tags, recent generations, a deep page of myBoards. Compare them at BENCH_SCALE=1 and
100 (`BENCH_ROWS=growth`); `bench.plans` prints each row's statement plans and flags Seq Scans."""

from __future__ import annotations

from bench.growth import DEPTH
from bench.rows import Row

SELECTED_LEVELS = 8  # the server refuses documents deeper than 12 fields (generation > ancestry > parents …)


def _nested(field: str, link: str, depth: int) -> str:
    """`field(maxDepth) { depth generation { id } link { … } }`, SELECTED_LEVELS levels of the tree selected
    (GraphQL has no recursion and the server caps document depth; the REST row reads all 25 levels)."""
    inner = "depth generation { id generatorName }"
    for _ in range(SELECTED_LEVELS):
        inner = f"depth generation {{ id generatorName }} {link} {{ {inner} }}"
    return f"{field}(maxDepth: {depth}) {{ {inner} }}"


GROWTH_ROWS: tuple[Row, ...] = (
    Row(
        "growth: GraphQL feed(first: 20)",
        query="query Feed { feed(first: 20) { items { id boardId createdAt storageUrl } nextCursor } }",
    ),
    Row("growth: REST GET /generations/feed", path="/api/v1/generations/feed?limit=20"),
    Row(
        "growth: GraphQL searchBoards",
        query='query SB { searchBoards(query: "portrait", limit: 20) { id title } }',
        note="a word in ~5 % of grown board titles and descriptions",
    ),
    Row(
        "growth: GraphQL searchUsers",
        query='query SU { searchUsers(query: "lovelace", limit: 20) { id displayName } }',
        note="a surname in 5 % of users",
    ),
    Row(
        "growth: GraphQL ancestry (maxDepth 25)",
        query=f"query A($id: UUID!) {{ generation(id: $id) {{ {_nested('ancestry', 'parents', DEPTH)} }} }}",
        variables={"id": "{leaf_generation_id}"},
    ),
    Row(
        "growth: GraphQL descendants (maxDepth 25)",
        query=f"query D($id: UUID!) {{ generation(id: $id) {{ {_nested('descendants', 'children', DEPTH)} }} }}",
        variables={"id": "{generation_id}"},
    ),
    Row(
        "growth: REST GET /generations/{id}/lineage",
        path="/api/v1/generations/{leaf_generation_id}/lineage?direction=ancestry&maxDepth=25",
    ),
    Row(
        "growth: REST GET /generations/{id}/lineage (descendants)",
        path="/api/v1/generations/{generation_id}/lineage?direction=descendants&maxDepth=25",
    ),
    Row("growth: GraphQL tags(limit: 100)", query="query T { tags(limit: 100) { id name slug } }"),
    Row(
        "growth: GraphQL recentGenerations(limit: 50)",
        query="query R { recentGenerations(limit: 50) { id status artifactType createdAt } }",
    ),
    Row(
        "growth: GraphQL publicBoards(limit: 20)",
        query="query P { publicBoards(limit: 20) { id title generationCount } }",
    ),
    Row(
        "growth: GraphQL myBoards(offset: 200)",
        query="query MB { myBoards(limit: 20, offset: 200) { id title } }",
        note="an offset page: grows with the offset",
    ),
)
