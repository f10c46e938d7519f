"""The permission matrix: every board, member and generation operation (tagging, liking and uploading) × every
kind of caller × private/public board, through REST and GraphQL. The expectations live in ONE table below;
a change of policy is a change there. (Tag create/update/delete are tenant-wide, not per board: see
tests/contract/test_tags_and_generations.py and the tenant-admin rule in app/domain/tags.)
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import httpx
import pytest
from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncEngine

from app.net import AddressGuard
from tests.conftest import OTHER_TENANT, seed_generations, sign_up
from tests.contract.drivers import ApiError, Driver, GraphQLDriver, RestDriver
from tests.integration.uploads.conftest import Origin

OK, NF, FB, UA = "ok", "NOT_FOUND", "FORBIDDEN", "UNAUTHENTICATED"
ACTORS = ("anonymous", "stranger", "viewer", "editor", "admin", "owner", "other_tenant")

#                         anonymous stranger viewer editor admin owner other_tenant
MATRIX: dict[tuple[str, str], tuple[str, ...]] = {
    ("get_board", "private"):        (NF, NF, OK, OK, OK, OK, NF),
    ("get_board", "public"):         (OK, OK, OK, OK, OK, OK, NF),
    ("update_board", "private"):     (NF, NF, FB, FB, OK, OK, NF),
    ("update_board", "public"):      (UA, FB, FB, FB, OK, OK, NF),
    ("delete_board", "private"):     (NF, NF, FB, FB, FB, OK, NF),
    ("delete_board", "public"):      (UA, FB, FB, FB, FB, OK, NF),
    ("list_members", "private"):     (NF, NF, OK, OK, OK, OK, NF),
    ("list_members", "public"):      (OK, OK, OK, OK, OK, OK, NF),
    ("add_member", "private"):       (NF, NF, FB, FB, OK, OK, NF),
    ("add_member", "public"):        (UA, FB, FB, FB, OK, OK, NF),
    ("set_member_role", "private"):  (NF, NF, FB, FB, OK, OK, NF),
    ("set_member_role", "public"):   (UA, FB, FB, FB, OK, OK, NF),
    ("remove_member", "private"):    (NF, NF, FB, FB, OK, OK, NF),
    ("remove_member", "public"):     (UA, FB, FB, FB, OK, OK, NF),
    ("invite", "private"):           (NF, NF, FB, FB, OK, OK, NF),
    ("invite", "public"):            (UA, FB, FB, FB, OK, OK, NF),
    ("list_invitations", "private"): (NF, NF, FB, FB, OK, OK, NF),
    ("list_invitations", "public"):  (UA, FB, FB, FB, OK, OK, NF),
    ("get_generation", "private"):   (NF, NF, OK, OK, OK, OK, NF),
    ("get_generation", "public"):    (OK, OK, OK, OK, OK, OK, NF),
    ("create_generation", "private"): (NF, NF, FB, OK, OK, OK, NF),
    ("create_generation", "public"):  (UA, FB, FB, OK, OK, OK, NF),
    ("cancel_generation", "private"): (NF, NF, FB, FB, OK, OK, NF),
    ("cancel_generation", "public"):  (UA, FB, FB, FB, OK, OK, NF),
    ("delete_generation", "private"): (NF, NF, FB, FB, OK, OK, NF),
    ("delete_generation", "public"):  (UA, FB, FB, FB, OK, OK, NF),
    ("tag_generation", "private"):   (NF, NF, FB, OK, OK, OK, NF),
    ("tag_generation", "public"):    (UA, FB, FB, OK, OK, OK, NF),
    ("like_generation", "private"):  (UA, NF, OK, OK, OK, OK, NF),
    ("like_generation", "public"):   (UA, OK, OK, OK, OK, OK, NF),
    ("upload_artifact", "private"):  (NF, NF, FB, OK, OK, OK, NF),
    ("upload_artifact", "public"):   (UA, FB, FB, OK, OK, OK, NF),
}  # fmt: skip

Operation = Callable[[Driver, str, dict[str, Any]], Awaitable[Any]]


async def _get(api: Driver, board: str, people: dict[str, Any]) -> Any:
    found = await api.get_board(board)
    if found is None:
        raise ApiError(NF, "board not found")
    return found


async def _get_generation(api: Driver, board: str, people: dict[str, Any]) -> Any:
    found = await api.get_generation(people["generations"][board])
    if found is None:
        raise ApiError(NF, "generation not found")
    return found


def _generation(people: dict[str, Any], board: str) -> str:
    return str(people["generations"][board])


OPERATIONS: dict[str, Operation] = {
    "get_board": _get,
    "update_board": lambda api, board, people: api.update_board(board, title="renamed"),
    "delete_board": lambda api, board, people: api.delete_board(board),
    "list_members": lambda api, board, people: api.list_members(board),
    "add_member": lambda api, board, people: api.add_member(board, people["stranger"]["id"], "viewer"),
    "set_member_role": lambda api, board, people: api.set_member_role(
        board, people["bystander"]["id"], "editor"
    ),
    "remove_member": lambda api, board, people: api.remove_member(board, people["bystander"]["id"]),
    "invite": lambda api, board, people: api.invite(
        board, f"new-{uuid.uuid4().hex[:6]}@example.com", "viewer"
    ),
    "list_invitations": lambda api, board, people: api.list_invitations(board),
    "get_generation": _get_generation,
    "create_generation": lambda api, board, people: api.create_generation(
        boardId=board, generatorName="local-text", inputParams={"prompt": "matrix"}
    ),
    "cancel_generation": lambda api, board, people: api.cancel_generation(_generation(people, board)),
    "delete_generation": lambda api, board, people: api.delete_generation(_generation(people, board)),
    "tag_generation": lambda api, board, people: api.tag_generation(
        _generation(people, board), people["tag"]
    ),
    "like_generation": lambda api, board, people: api.like_generation(_generation(people, board)),
    "upload_artifact": lambda api, board, people: api.upload_artifact(
        boardId=board, artifactType="text", fileUrl=people["upload_url"]
    ),
}


@pytest.fixture(scope="module")
async def matrix_http(local_app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=local_app), base_url="http://atelier.test"
    ) as http:
        yield http


@pytest.fixture(scope="module")
def upload_url(local_app: Litestar) -> Iterator[str]:
    """A file on the test's own origin server, which this app may fetch (as ATELIER_UPLOAD_FETCH_ALLOW would
    allow; the app fixture is shared, so the guard is swapped for this module and put back)."""
    origin = Origin()
    origin.thread.start()
    origin.files["matrix.txt"] = (b"uploaded by the matrix\n", "text/plain")
    fetcher = local_app.state.runtime.fetcher
    strict, fetcher.guard = fetcher.guard, AddressGuard([f"127.0.0.1:{origin.port}"])
    yield origin.url("/files/matrix.txt")
    fetcher.guard = strict
    origin.server.shutdown()
    origin.server.server_close()


@pytest.fixture(scope="module")
async def people(
    matrix_http: httpx.AsyncClient, engine: AsyncEngine, other_tenant: str, upload_url: str
) -> dict[str, Any]:
    """One account per kind of caller, signed up once for the module (argon2 is slow on purpose)."""
    run = uuid.uuid4().hex[:8]
    cast = {
        name: await sign_up(matrix_http, f"{name}-{run}@example.com") for name in (*ACTORS[1:6], "bystander")
    }
    cast["other_tenant"] = await sign_up(matrix_http, f"owner-{run}@example.com", tenant=OTHER_TENANT)
    cast["anonymous"] = {"id": None, "headers": {}}
    tag = await matrix_http.post(
        "/api/v1/tags", json={"name": f"matrix {run}"}, headers=cast["owner"]["headers"]
    )
    cast["tag"] = tag.json()["id"]
    cast["generations"] = {}
    cast["engine"] = engine
    cast["upload_url"] = upload_url
    return cast


@pytest.fixture(params=[RestDriver, GraphQLDriver], ids=["rest", "graphql"])
def driver(request: pytest.FixtureRequest, matrix_http: httpx.AsyncClient) -> Driver:
    return request.param(matrix_http)  # type: ignore[no-any-return]


async def _board_with_members(driver: Driver, people: dict[str, Any], visibility: str) -> str:
    owner = RestDriver(driver.http).as_(people["owner"]["headers"])  # type: ignore[attr-defined]
    board = await owner.create_board(title=f"matrix {visibility}", isPublic=visibility == "public")
    for role in ("viewer", "editor", "admin"):
        await owner.add_member(board["id"], people[role]["id"], role)
    await owner.add_member(board["id"], people["bystander"]["id"], "viewer")
    [generation] = await seed_generations(people["engine"], board["id"], people["owner"]["id"], 1)
    people["generations"][board["id"]] = generation
    return str(board["id"])


def _cases() -> list[Any]:
    return [
        pytest.param(op, visibility, actor, MATRIX[(op, visibility)][i], id=f"{op}-{visibility}-{actor}")
        for (op, visibility) in MATRIX
        for i, actor in enumerate(ACTORS)
    ]


@pytest.mark.parametrize(("operation", "visibility", "actor", "expected"), _cases())
async def test_permission_matrix(
    driver: Driver, people: dict[str, Any], operation: str, visibility: str, actor: str, expected: str
) -> None:
    board = await _board_with_members(driver, people, visibility)
    api = driver.as_(people[actor]["headers"])
    try:
        await OPERATIONS[operation](api, board, people)
        outcome = OK
    except ApiError as error:
        outcome = error.code
    assert outcome == expected, f"{driver.name}: {actor} {operation} on a {visibility} board"


def test_the_matrix_covers_every_operation_and_both_visibilities() -> None:
    assert {op for op, _ in MATRIX} == set(OPERATIONS)
    assert all((op, v) in MATRIX for op in OPERATIONS for v in ("private", "public"))
