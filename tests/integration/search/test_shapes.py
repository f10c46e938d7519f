"""Search statements are built once per query shape and bound per request (app/db/stores/search/shape.py).
Here the cached, parameterised statements answer exactly what a plainly written query answers (literal
values, IN lists, jsonb_extract_path), on real rows, for random combinations of words, filters, metadata
conditions, sorts and match modes; the shared cache sees many plans of one shape with different values."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import random
import uuid
from typing import Any
from uuid import UUID

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, create_async_engine
from sqlalchemy.pool import NullPool

from app.contracts import SearchSort
from app.db.stores.search import SqlSearchStore
from app.db.stores.search.shape import shape_of
from app.db.stores.search.store import facets_of_shape, page_of_shape
from app.domain.actor import Actor
from app.domain.search import SearchService
from app.domain.search.query import INFIX_MIN, INSIDE, PREFIXES, WORDS, SearchPlan, parse_condition
from app.domain.search.service import plan_for, query_from
from tests.conftest import Servers

WORDS_USED = ("lantern", "harbor", "fox", "neon", "garden", "storm", "velvet", "copper")
FRAGMENTS = ("lant", "arbo", "eon", "fo", "ppe")
CONDITIONS = (
    "input.steps>=30", "input.steps<25", "input.steps=40", "input.cfg=7", "input.cfg!=7",
    "output.format=png", "output.format!=png", "input.sampler~ul", "input.nested.depth>1",
)  # fmt: skip


def _corpus(rng: random.Random) -> list[dict[str, Any]]:
    rows = []
    for n in range(36):
        inputs: dict[str, Any] = {
            "prompt": " ".join(rng.sample(WORDS_USED, rng.randint(1, 3))),
            "steps": rng.choice([20, 30, 40, "30"]),
            "cfg": rng.choice([7, "7", 5.5]),
            "sampler": rng.choice(["euler", "dpmpp", "uni_pc"]),
            "seed": rng.randint(0, 3),
        }
        if rng.random() < 0.3:
            inputs["nested"] = {"depth": rng.randint(0, 3)}
        if rng.random() < 0.3:
            inputs["width"] = rng.choice([640, 2048])
        output: dict[str, Any] = {"format": rng.choice(["png", "webp"])}
        if rng.random() < 0.7:
            output["width"] = rng.choice([512, 1024, 1536])
        rows.append({
            "a": rng.choice(["image", "video", "audio"]), "s": rng.choice(["completed", "failed"]),
            "i": json.dumps(inputs), "o": json.dumps(output), "age": 1000 - n * rng.choice([1, 2]),
            "likes": rng.randint(0, 2),
        })  # fmt: skip
    return rows


async def _seed(conn: AsyncConnection) -> tuple[UUID, UUID]:
    # A tenant of its own (rolled back with the example): only the corpus can match, whatever other tests left.
    made = text("INSERT INTO tenants (name, slug) VALUES ('Shapes', :s) RETURNING id")
    tenant = UUID(str((await conn.execute(made, {"s": f"shapes-{uuid.uuid4().hex[:12]}"})).scalar_one()))
    people = [
        UUID(str((await conn.execute(
            text("INSERT INTO users (tenant_id, auth_provider, auth_subject) VALUES (:t, 'shape', :s) RETURNING id"),
            {"t": tenant, "s": uuid.uuid4().hex},
        )).scalar_one()))
        for _ in range(3)
    ]  # fmt: skip
    board = (
        await conn.execute(
            text("INSERT INTO boards (tenant_id, owner_id, title) VALUES (:t, :o, 'shapes') RETURNING id"),
            {"t": tenant, "o": people[0]},
        )
    ).scalar_one()
    for row in _corpus(random.Random(19)):
        made = (
            await conn.execute(
                text(
                    "INSERT INTO generations (tenant_id, board_id, user_id, generator_name, artifact_type, status,"
                    " progress, completed_at, input_params, output_metadata, created_at) VALUES (:t, :b, :u,"
                    " 'local-image', CAST(:a AS artifact_type), CAST(:s AS generation_status), CASE WHEN :s ="
                    " 'completed' THEN 1 ELSE 0 END, now(), CAST(:i AS jsonb), CAST(:o AS jsonb),"
                    " now() - make_interval(secs => :age)) RETURNING id"
                ),
                {"t": tenant, "b": board, "u": people[0], **{k: row[k] for k in "asio"}, "age": row["age"]},
            )
        ).scalar_one()
        for liker in people[: row["likes"]]:
            await conn.execute(
                text("INSERT INTO likes (tenant_id, generation_id, user_id) VALUES (:t, :g, :u)"),
                {"t": tenant, "g": made, "u": liker},
            )
    return tenant, people[0]


def _number(column: str, key: list[str]) -> str:
    path = ", ".join(f"'{k}'" for k in key)
    return (
        f"CASE WHEN jsonb_typeof(jsonb_extract_path({column}, {path})) = 'number'"
        f" THEN jsonb_extract_path_text({column}, {path})::numeric END"
    )


def _plain_condition(expression: str, params: dict[str, Any]) -> str:
    """One `where` entry, written out by hand (the grammar's semantics, not the store's code)."""
    c = parse_condition(expression)
    column = "input_params" if c.scope == "input" else "output_metadata"
    path = ", ".join(f"'{k}'" for k in c.path)
    value = f"jsonb_extract_path({column}, {path})"
    n = len(params)
    if c.op in ("=", "!="):
        options = [c.value] + ([str(c.value)] if isinstance(c.value, int) else [])
        options += [int(c.value)] if isinstance(c.value, str) and c.value.isdigit() else []
        names = []
        for i, option in enumerate(options):
            params[f"c{n}_{i}"] = json.dumps(option)
            names.append(f"{value} = CAST(:c{n}_{i} AS jsonb)")
        equal = "(" + " OR ".join(names) + ")"
        return equal if c.op == "=" else f"({value} IS NOT NULL AND NOT {equal})"
    if c.op == "~":
        params[f"c{n}"] = f"%{c.value}%"
        return f"(jsonb_typeof({value}) = 'string' AND jsonb_extract_path_text({column}, {path}) ILIKE :c{n})"
    params[f"c{n}"] = c.value
    return f"({_number(column, list(c.path))} {c.op} :c{n})"


def _plain(plan: SearchPlan, tenant: UUID, viewer: UUID) -> tuple[str, dict[str, Any]]:
    q = plan.query
    params: dict[str, Any] = {"tenant": tenant}
    where = ["tenant_id = :tenant"]
    for i, term in enumerate(plan.terms):
        params[f"w{i}"] = term if plan.mode == WORDS else f"{term}:*"
        words = f"search_vector @@ to_tsquery('english', :w{i})"
        if plan.mode == INSIDE and len(term) >= INFIX_MIN:
            params[f"l{i}"] = f"%{term}%"
            words = f"({words} OR input_params ->> 'prompt' ILIKE :l{i})"
        where.append(words)
    for column, values in (("artifact_type", q.artifact_types), ("status", q.statuses)):
        if values:
            names = [f":{column}{i}" for i in range(len(values))]
            params.update({n[1:]: v.value for n, v in zip(names, values, strict=True)})
            where.append(f"{column}::text IN ({', '.join(names)})")
    for name, op in (("min_width", ">="), ("max_width", "<=")):
        if getattr(q, name) is not None:
            params[name] = getattr(q, name)
            dims = f"coalesce({_number('output_metadata', ['width'])}, {_number('input_params', ['width'])})"
            where.append(f"{dims} {op} :{name}")
    if q.seed is not None:
        params["seed"] = json.dumps({"seed": q.seed})
        where.append("(input_params @> CAST(:seed AS jsonb) OR output_metadata @> CAST(:seed AS jsonb))")
    if q.liked_by_me:
        params["viewer"] = viewer
        where.append(
            "EXISTS (SELECT 1 FROM likes WHERE generation_id = generations.id AND user_id = :viewer)"
        )
    where += [_plain_condition(c, params) for c in q.where]
    params["any"] = " | ".join(f"{t}:*" for t in plan.terms)
    order = {
        SearchSort.RELEVANCE: "ts_rank(search_vector, to_tsquery('english', :any)) DESC, created_at DESC, id DESC",
        SearchSort.NEWEST: "created_at DESC, id DESC",
        SearchSort.OLDEST: "created_at, id",
        SearchSort.MOST_LIKED: "(SELECT count(*) FROM likes WHERE generation_id = generations.id) DESC,"
        " created_at DESC, id DESC",
    }[plan.sort]
    sql = f"SELECT id FROM generations WHERE {' AND '.join(where)} ORDER BY {order}"  # noqa: S608 - fixed fragments; values bound
    return sql, params


def _widths_in_order(query: dict[str, Any]) -> bool:
    """min above max is a 400 (tested elsewhere), not a search."""
    return bool(query.get("minWidth", 0) <= query.get("maxWidth", 10**6))


queries: st.SearchStrategy[dict[str, Any]] = st.fixed_dictionaries(
    {},
    optional={
        "q": st.lists(st.sampled_from(WORDS_USED + FRAGMENTS), min_size=1, max_size=2).map(" ".join),
        "artifactTypes": st.lists(st.sampled_from(["image", "video", "audio"]), min_size=1, max_size=2),
        "statuses": st.lists(st.sampled_from(["completed", "failed"]), min_size=1, max_size=2),
        "minWidth": st.sampled_from([0, 600, 1024, 1500]),
        "maxWidth": st.sampled_from([600, 1024, 2048]),
        "seed": st.integers(0, 3),
        "likedByMe": st.booleans(),
        "where": st.lists(st.sampled_from(CONDITIONS), min_size=1, max_size=3),
        "sort": st.sampled_from(["relevance", "newest", "oldest", "most_liked"]),
    },
).filter(_widths_in_order)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=queries, mode=st.sampled_from([WORDS, PREFIXES, INSIDE]), page=st.integers(1, 9))
def test_cached_statements_answer_what_a_plain_query_answers(
    servers: Servers, query: dict[str, Any], mode: int, page: int
) -> None:
    async def run() -> None:
        engine = create_async_engine(servers.database_url, poolclass=NullPool)
        try:
            async with engine.connect() as conn:
                transaction = await conn.begin()
                try:
                    tenant, viewer = await _seed(conn)
                    actor = Actor(tenant_id=tenant, user_id=viewer)
                    plan = plan_for(query_from({**query, "limit": 100}), actor)
                    plan = dataclasses.replace(plan, mode=mode)
                    session = AsyncSession(bind=conn)
                    store = SqlSearchStore(session, tenant)
                    found = [row.generation.id for row in await store.search(plan, limit=100)]
                    sql, params = _plain(plan, tenant, viewer)
                    expected = [UUID(str(i)) for i in (await conn.execute(text(sql), params)).scalars()]
                    assert found == expected, (sql, params)
                    # Page by page (the keyset shapes) through the service: the same rows, once each, in order.
                    service, paged, cursor = SearchService(store, actor), [], None
                    everything = await service.search(query_from({**query, "limit": 100}))
                    whole = [hit.generation.id for hit in everything.items]
                    while True:
                        result = await service.search(query_from({**query, "limit": page, "cursor": cursor}))
                        paged += [hit.generation.id for hit in result.items]
                        if (cursor := result.next_cursor) is None:
                            break
                    assert paged == whole
                finally:
                    await transaction.rollback()
        finally:
            await engine.dispose()

    asyncio.run(run())


def test_one_statement_per_shape() -> None:
    """Plans that differ only in values share a statement object; a new filter makes a new one."""
    actor = Actor(tenant_id=uuid.uuid4(), user_id=uuid.uuid4())

    def shape_statement(**query: Any) -> Any:
        return page_of_shape(shape_of(plan_for(query_from(query), actor)))[0]

    first = shape_statement(q="red fox", artifactTypes=["image"], minWidth=1024)
    assert shape_statement(q="blue owl", artifactTypes=["video", "audio"], minWidth=10) is first
    assert shape_statement(q="red fox", artifactTypes=["image"], minWidth=1024, maxWidth=2000) is not first
    assert shape_statement(q="red fox owl", artifactTypes=["image"], minWidth=1024) is not first
    assert facets_of_shape.cache_info().maxsize == page_of_shape.cache_info().maxsize
