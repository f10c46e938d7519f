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
    async def list_members(self, board_id: str) -> list[dict[str, Any]]: ...
    async def add_member(self, board_id: str, user_id: str, role: str) -> None: ...
    async def set_member_role(self, board_id: str, user_id: str, role: str) -> None: ...
    async def remove_member(self, board_id: str, user_id: str) -> None: ...
    async def invite(self, board_id: str, email: str, role: str) -> dict[str, Any]: ...
    async def list_invitations(self, board_id: str) -> list[dict[str, Any]]: ...
    async def me(self) -> dict[str, Any] | None: ...
    def as_(self, headers: dict[str, str]) -> Driver: ...


class RestDriver:
    name = "rest"

    def __init__(self, http: httpx.AsyncClient, headers: dict[str, str] | None = None) -> None:
        self.http = http
        self.headers = headers or {}

    def as_(self, headers: dict[str, str]) -> RestDriver:
        """The same API, as another caller."""
        return RestDriver(self.http, headers)

    @staticmethod
    def _ok(response: httpx.Response) -> Any:
        if response.status_code >= 400:
            assert response.headers["content-type"].startswith("application/problem+json"), response.text
            body = response.json()
            raise ApiError(body["code"], body["detail"], response.status_code)
        return None if response.status_code == 204 else response.json()

    async def create_board(self, **fields: Any) -> dict[str, Any]:
        return self._ok(await self.http.post("/api/v1/boards", json=fields, headers=self.headers))  # type: ignore[no-any-return]

    async def get_board(self, board_id: str) -> dict[str, Any] | None:
        try:
            return self._ok(await self.http.get(f"/api/v1/boards/{board_id}", headers=self.headers))  # type: ignore[no-any-return]
        except ApiError as error:
            if error.code == "NOT_FOUND":
                return None
            raise

    async def list_boards(self, **params: Any) -> list[dict[str, Any]]:
        query = {k: (v.lower() if isinstance(v, str) else v) for k, v in params.items()}
        return self._ok(await self.http.get("/api/v1/boards", params=query, headers=self.headers))["items"]  # type: ignore[no-any-return]

    async def update_board(self, board_id: str, **fields: Any) -> dict[str, Any]:
        return self._ok(
            await self.http.patch(f"/api/v1/boards/{board_id}", json=fields, headers=self.headers)
        )  # type: ignore[no-any-return]

    async def delete_board(self, board_id: str) -> bool:
        self._ok(await self.http.delete(f"/api/v1/boards/{board_id}", headers=self.headers))
        return True

    async def list_members(self, board_id: str) -> list[dict[str, Any]]:
        response = await self.http.get(f"/api/v1/boards/{board_id}/members", headers=self.headers)
        return self._ok(response)  # type: ignore[no-any-return]

    async def add_member(self, board_id: str, user_id: str, role: str) -> None:
        body = {"userId": user_id, "role": role.lower()}
        self._ok(await self.http.post(f"/api/v1/boards/{board_id}/members", json=body, headers=self.headers))

    async def set_member_role(self, board_id: str, user_id: str, role: str) -> None:
        url = f"/api/v1/boards/{board_id}/members/{user_id}"
        self._ok(await self.http.patch(url, json={"role": role.lower()}, headers=self.headers))

    async def remove_member(self, board_id: str, user_id: str) -> None:
        url = f"/api/v1/boards/{board_id}/members/{user_id}"
        self._ok(await self.http.delete(url, headers=self.headers))

    async def invite(self, board_id: str, email: str, role: str) -> dict[str, Any]:
        body = {"email": email, "role": role.lower()}
        url = f"/api/v1/boards/{board_id}/invitations"
        return self._ok(await self.http.post(url, json=body, headers=self.headers))  # type: ignore[no-any-return]

    async def list_invitations(self, board_id: str) -> list[dict[str, Any]]:
        url = f"/api/v1/boards/{board_id}/invitations"
        return self._ok(await self.http.get(url, headers=self.headers))  # type: ignore[no-any-return]

    async def me(self) -> dict[str, Any] | None:
        try:
            return self._ok(await self.http.get("/api/v1/users/me", headers=self.headers))  # type: ignore[no-any-return]
        except ApiError as error:
            if error.code == "UNAUTHENTICATED":
                return None
            raise


class GraphQLDriver:
    name = "graphql"

    def __init__(self, http: httpx.AsyncClient, headers: dict[str, str] | None = None) -> None:
        self.http = http
        self.headers = headers or {}

    def as_(self, headers: dict[str, str]) -> GraphQLDriver:
        return GraphQLDriver(self.http, headers)

    async def execute(self, query: str, **variables: Any) -> dict[str, Any]:
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables}, headers=self.headers
        )
        if response.status_code != 200:  # authentication and rate limits answer at the HTTP level
            body = response.json()
            raise ApiError(body["code"], body["detail"], response.status_code)
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

    async def list_members(self, board_id: str) -> list[dict[str, Any]]:
        query = (
            "query($id: UUID!) { board(id: $id) { members { id boardId userId role invitedBy joinedAt } } }"
        )
        board = (await self.execute(query, id=board_id))["board"]
        if board is None:
            raise ApiError("NOT_FOUND", "board not found")
        return board["members"]  # type: ignore[no-any-return]

    async def add_member(self, board_id: str, user_id: str, role: str) -> None:
        query = "mutation($input: AddBoardMemberInput!) { addBoardMember(input: $input) { id } }"
        await self.execute(query, input={"boardId": board_id, "userId": user_id, "role": role.upper()})

    async def set_member_role(self, board_id: str, user_id: str, role: str) -> None:
        query = (
            "mutation($b: UUID!, $u: UUID!, $r: BoardRole!) {"
            " updateBoardMemberRole(boardId: $b, userId: $u, role: $r) { id } }"
        )
        await self.execute(query, b=board_id, u=user_id, r=role.upper())

    async def remove_member(self, board_id: str, user_id: str) -> None:
        query = "mutation($b: UUID!, $u: UUID!) { removeBoardMember(boardId: $b, userId: $u) { id } }"
        await self.execute(query, b=board_id, u=user_id)

    async def invite(self, board_id: str, email: str, role: str) -> dict[str, Any]:
        query = (
            "mutation($input: InviteBoardMemberInput!) {"
            " inviteBoardMember(input: $input) { id boardId email role status } }"
        )
        variables = {"boardId": board_id, "email": email, "role": role.upper()}
        return (await self.execute(query, input=variables))["inviteBoardMember"]  # type: ignore[no-any-return]

    async def list_invitations(self, board_id: str) -> list[dict[str, Any]]:
        query = "query($b: UUID!) { boardInvitations(boardId: $b) { id email role status } }"
        return (await self.execute(query, b=board_id))["boardInvitations"]  # type: ignore[no-any-return]

    async def me(self) -> dict[str, Any] | None:
        query = "{ me { id tenantId email displayName authProvider } }"
        return (await self.execute(query))["me"]  # type: ignore[no-any-return]
