"""One behavioural suite, two transports (strawberry's tests/http/clients idea, STYLE §1.3).

Each driver speaks one API and returns the same camelCase JSON shapes; failures become ApiError with the
machine-readable code both APIs share (REST: problem body `code`; GraphQL: `extensions.code`).
"""

from __future__ import annotations

from typing import Any, Protocol

import httpx

BOARD_FIELDS = "id tenantId ownerId title description isPublic settings metadata createdAt updatedAt"


class ApiError(Exception):
    def __init__(self, code: str, message: str, status: int | None = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status


class Driver(Protocol):
    name: str

    async def create_board(self, **fields: Any) -> dict[str, Any]: ...
    async def get_board(self, board_id: str) -> dict[str, Any] | None: ...
    async def list_boards(self, **params: Any) -> list[dict[str, Any]]: ...
    async def update_board(self, board_id: str, **fields: Any) -> dict[str, Any]: ...
    async def delete_board(self, board_id: str) -> bool: ...


class RestDriver:
    name = "rest"

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    @staticmethod
    def _ok(response: httpx.Response) -> Any:
        if response.status_code >= 400:
            assert response.headers["content-type"].startswith("application/problem+json"), response.text
            body = response.json()
            raise ApiError(body["code"], body["detail"], response.status_code)
        return None if response.status_code == 204 else response.json()

    async def create_board(self, **fields: Any) -> dict[str, Any]:
        return self._ok(await self.http.post("/api/v1/boards", json=fields))  # type: ignore[no-any-return]

    async def get_board(self, board_id: str) -> dict[str, Any] | None:
        try:
            return self._ok(await self.http.get(f"/api/v1/boards/{board_id}"))  # type: ignore[no-any-return]
        except ApiError as error:
            if error.code == "NOT_FOUND":
                return None
            raise

    async def list_boards(self, **params: Any) -> list[dict[str, Any]]:
        query = {k: (v.lower() if isinstance(v, str) else v) for k, v in params.items()}
        return self._ok(await self.http.get("/api/v1/boards", params=query))["items"]  # type: ignore[no-any-return]

    async def update_board(self, board_id: str, **fields: Any) -> dict[str, Any]:
        return self._ok(await self.http.patch(f"/api/v1/boards/{board_id}", json=fields))  # type: ignore[no-any-return]

    async def delete_board(self, board_id: str) -> bool:
        self._ok(await self.http.delete(f"/api/v1/boards/{board_id}"))
        return True


class GraphQLDriver:
    name = "graphql"

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def execute(self, query: str, **variables: Any) -> dict[str, Any]:
        response = await self.http.post("/graphql", json={"query": query, "variables": variables})
        assert response.status_code == 200, response.text
        body = response.json()
        if body.get("errors"):
            error = body["errors"][0]
            raise ApiError(error.get("extensions", {}).get("code", "MISSING_CODE"), error["message"])
        return body["data"]  # type: ignore[no-any-return]

    async def create_board(self, **fields: Any) -> dict[str, Any]:
        query = f"mutation($input: CreateBoardInput!) {{ createBoard(input: $input) {{ {BOARD_FIELDS} }} }}"
        return (await self.execute(query, input=fields))["createBoard"]  # type: ignore[no-any-return]

    async def get_board(self, board_id: str) -> dict[str, Any] | None:
        query = f"query($id: UUID!) {{ board(id: $id) {{ {BOARD_FIELDS} }} }}"
        return (await self.execute(query, id=board_id))["board"]  # type: ignore[no-any-return]

    async def list_boards(self, **params: Any) -> list[dict[str, Any]]:
        query = (
            "query($limit: Int!, $offset: Int!, $role: BoardQueryRole!, $sort: SortOrder!) {"
            f" myBoards(limit: $limit, offset: $offset, role: $role, sort: $sort) {{ {BOARD_FIELDS} }} }}"
        )
        variables = {"limit": 50, "offset": 0, "role": "ANY", "sort": "UPDATED_DESC"}
        variables.update({k: (v.upper() if isinstance(v, str) else v) for k, v in params.items()})
        return (await self.execute(query, **variables))["myBoards"]  # type: ignore[no-any-return]

    async def update_board(self, board_id: str, **fields: Any) -> dict[str, Any]:
        query = f"mutation($input: UpdateBoardInput!) {{ updateBoard(input: $input) {{ {BOARD_FIELDS} }} }}"
        return (await self.execute(query, input={"id": board_id, **fields}))["updateBoard"]  # type: ignore[no-any-return]

    async def delete_board(self, board_id: str) -> bool:
        query = "mutation($id: UUID!) { deleteBoard(id: $id) }"
        return (await self.execute(query, id=board_id))["deleteBoard"]  # type: ignore[no-any-return]
