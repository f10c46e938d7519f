"""Rows for the parts that grow with use (issue 18, data growth): the feed, board and people search,
lineage at depth 25, tags, recent generations, a deep page of myBoards. Compare them at BENCH_SCALE=1 and
100 (`BENCH_ROWS=growth`); `bench.plans` prints each row's statement plans and flags Seq Scans.
Lineage is read through REST at its full depth (25): GraphQL documents nested that deep are refused by the
server's depth and complexity limits (QUERY_TOO_COMPLEX), as they should be."""

from __future__ import annotations

from bench.rows import Row

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
