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
    async def search_boards(self, query: str) -> list[dict[str, Any]]: ...
    async def public_boards(self) -> list[dict[str, Any]]: ...
    async def create_tag(self, **fields: Any) -> dict[str, Any]: ...
    async def tag_by_slug(self, slug: str) -> dict[str, Any] | None: ...
    async def update_tag(self, tag_id: str, **fields: Any) -> dict[str, Any]: ...
    async def delete_tag(self, tag_id: str) -> bool: ...
    async def list_tags(self) -> list[dict[str, Any]]: ...
    async def tag_generation(self, generation_id: str, tag_id: str) -> None: ...
    async def untag_generation(self, generation_id: str, tag_id: str) -> None: ...
    async def get_generation(self, generation_id: str) -> dict[str, Any] | None: ...
    async def recent_generations(self, **filters: Any) -> list[dict[str, Any]]: ...
    async def delete_generation(self, generation_id: str) -> None: ...
    async def create_generation(self, **fields: Any) -> dict[str, Any]: ...
    async def cancel_generation(self, generation_id: str) -> dict[str, Any]: ...
    async def like_generation(self, generation_id: str) -> dict[str, Any]: ...
    async def upload_artifact(self, **fields: Any) -> dict[str, Any]: ...


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

    async def _none_if_missing(self, response: httpx.Response) -> Any:
        try:
            return self._ok(response)
        except ApiError as error:
            if error.code == "NOT_FOUND":
                return None
            raise

    async def search_boards(self, query: str) -> list[dict[str, Any]]:
        response = await self.http.get("/api/v1/boards/search", params={"q": query}, headers=self.headers)
        return self._ok(response)["items"]  # type: ignore[no-any-return]

    async def public_boards(self) -> list[dict[str, Any]]:
        return self._ok(await self.http.get("/api/v1/boards/public", headers=self.headers))["items"]  # type: ignore[no-any-return]

    async def create_tag(self, **fields: Any) -> dict[str, Any]:
        return self._ok(await self.http.post("/api/v1/tags", json=fields, headers=self.headers))  # type: ignore[no-any-return]

    async def tag_by_slug(self, slug: str) -> dict[str, Any] | None:
        return await self._none_if_missing(
            await self.http.get(f"/api/v1/tags/by-slug/{slug}", headers=self.headers)
        )  # type: ignore[no-any-return]

    async def update_tag(self, tag_id: str, **fields: Any) -> dict[str, Any]:
        return self._ok(await self.http.patch(f"/api/v1/tags/{tag_id}", json=fields, headers=self.headers))  # type: ignore[no-any-return]

    async def delete_tag(self, tag_id: str) -> bool:
        self._ok(await self.http.delete(f"/api/v1/tags/{tag_id}", headers=self.headers))
        return True

    async def list_tags(self) -> list[dict[str, Any]]:
        return self._ok(await self.http.get("/api/v1/tags", headers=self.headers))["items"]  # type: ignore[no-any-return]

    async def tag_generation(self, generation_id: str, tag_id: str) -> None:
        url = f"/api/v1/generations/{generation_id}/tags"
        self._ok(await self.http.post(url, json={"tagId": tag_id}, headers=self.headers))

    async def untag_generation(self, generation_id: str, tag_id: str) -> None:
        url = f"/api/v1/generations/{generation_id}/tags/{tag_id}"
        self._ok(await self.http.delete(url, headers=self.headers))

    async def get_generation(self, generation_id: str) -> dict[str, Any] | None:
        found = await self._none_if_missing(
            await self.http.get(f"/api/v1/generations/{generation_id}", headers=self.headers)
        )
        if found is not None:
            tags = await self.http.get(f"/api/v1/generations/{generation_id}/tags", headers=self.headers)
            found["tags"] = self._ok(tags)
        return found  # type: ignore[no-any-return]

    async def recent_generations(self, **filters: Any) -> list[dict[str, Any]]:
        params = {k: (v.lower() if isinstance(v, str) and k != "boardId" else v) for k, v in filters.items()}
        return self._ok(await self.http.get("/api/v1/generations", params=params, headers=self.headers))[
            "items"
        ]  # type: ignore[no-any-return]

    async def delete_generation(self, generation_id: str) -> None:
        self._ok(await self.http.delete(f"/api/v1/generations/{generation_id}", headers=self.headers))

    async def create_generation(self, **fields: Any) -> dict[str, Any]:
        return self._ok(await self.http.post("/api/v1/generations", json=fields, headers=self.headers))  # type: ignore[no-any-return]

    async def cancel_generation(self, generation_id: str) -> dict[str, Any]:
        url = f"/api/v1/generations/{generation_id}/cancel"
        return self._ok(await self.http.post(url, headers=self.headers))  # type: ignore[no-any-return]

    async def like_generation(self, generation_id: str) -> dict[str, Any]:
        url = f"/api/v1/generations/{generation_id}/likes"
        return self._ok(await self.http.post(url, headers=self.headers))  # type: ignore[no-any-return]

    async def upload_artifact(self, **fields: Any) -> dict[str, Any]:
        return self._ok(await self.http.post("/api/v1/uploads/url", json=fields, headers=self.headers))  # type: ignore[no-any-return]


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

    async def search_boards(self, query: str) -> list[dict[str, Any]]:
        q = "query($q: String!) { searchBoards(query: $q) { id title isPublic } }"
        return (await self.execute(q, q=query))["searchBoards"]  # type: ignore[no-any-return]

    async def public_boards(self) -> list[dict[str, Any]]:
        return (await self.execute("{ publicBoards { id title isPublic } }"))["publicBoards"]  # type: ignore[no-any-return]

    async def create_tag(self, **fields: Any) -> dict[str, Any]:
        q = "mutation($i: CreateTagInput!) { createTag(input: $i) { id name slug description metadata } }"
        return (await self.execute(q, i=fields))["createTag"]  # type: ignore[no-any-return]

    async def tag_by_slug(self, slug: str) -> dict[str, Any] | None:
        q = "query($s: String!) { tagBySlug(slug: $s) { id name slug description metadata } }"
        return (await self.execute(q, s=slug))["tagBySlug"]  # type: ignore[no-any-return]

    async def update_tag(self, tag_id: str, **fields: Any) -> dict[str, Any]:
        q = "mutation($i: UpdateTagInput!) { updateTag(input: $i) { id name slug description metadata } }"
        return (await self.execute(q, i={"id": tag_id, **fields}))["updateTag"]  # type: ignore[no-any-return]

    async def delete_tag(self, tag_id: str) -> bool:
        return (await self.execute("mutation($id: UUID!) { deleteTag(id: $id) }", id=tag_id))["deleteTag"]  # type: ignore[no-any-return]

    async def list_tags(self) -> list[dict[str, Any]]:
        return (await self.execute("{ tags { id name slug } }"))["tags"]  # type: ignore[no-any-return]

    async def tag_generation(self, generation_id: str, tag_id: str) -> None:
        q = "mutation($g: UUID!, $t: UUID!) { addTagToGeneration(generationId: $g, tagId: $t) { id } }"
        await self.execute(q, g=generation_id, t=tag_id)

    async def untag_generation(self, generation_id: str, tag_id: str) -> None:
        q = "mutation($g: UUID!, $t: UUID!) { removeTagFromGeneration(generationId: $g, tagId: $t) }"
        await self.execute(q, g=generation_id, t=tag_id)

    async def get_generation(self, generation_id: str) -> dict[str, Any] | None:
        q = "query($id: UUID!) { generation(id: $id) { id boardId status progress tags { id slug } } }"
        return (await self.execute(q, id=generation_id))["generation"]  # type: ignore[no-any-return]

    async def recent_generations(self, **filters: Any) -> list[dict[str, Any]]:
        enums = {"status", "artifactType"}
        variables = {k: (v.upper() if k in enums else v) for k, v in filters.items()}
        declared = {
            "boardId": "UUID",
            "status": "GenerationStatus",
            "artifactType": "ArtifactType",
            "limit": "Int",
        }
        params = ", ".join(f"${k}: {declared[k]}" for k in variables)
        args = ", ".join(f"{k}: ${k}" for k in variables)
        head = f"query({params})" if params else "query"
        call = f"recentGenerations({args})" if args else "recentGenerations"
        q = f"{head} {{ {call} {{ id boardId status artifactType }} }}"
        return (await self.execute(q, **variables))["recentGenerations"]  # type: ignore[no-any-return]

    async def delete_generation(self, generation_id: str) -> None:
        await self.execute("mutation($id: UUID!) { deleteGeneration(id: $id) }", id=generation_id)

    async def create_generation(self, **fields: Any) -> dict[str, Any]:
        q = "mutation($i: CreateGenerationInput!) { createGeneration(input: $i) { id status } }"
        variables = {
            **fields,
            **({"artifactType": fields["artifactType"].upper()} if "artifactType" in fields else {}),
        }
        return (await self.execute(q, i=variables))["createGeneration"]  # type: ignore[no-any-return]

    async def cancel_generation(self, generation_id: str) -> dict[str, Any]:
        q = "mutation($id: UUID!) { cancelGeneration(id: $id) { id status } }"
        return (await self.execute(q, id=generation_id))["cancelGeneration"]  # type: ignore[no-any-return]

    async def like_generation(self, generation_id: str) -> dict[str, Any]:
        q = "mutation($id: UUID!) { likeGeneration(id: $id) { likeCount likedByMe } }"
        return (await self.execute(q, id=generation_id))["likeGeneration"]  # type: ignore[no-any-return]

    async def upload_artifact(self, **fields: Any) -> dict[str, Any]:
        q = "mutation($i: UploadArtifactInput!) { uploadArtifact(input: $i) { id status } }"
        variables = {**fields, "artifactType": fields["artifactType"].upper()}
        return (await self.execute(q, i=variables))["uploadArtifact"]  # type: ignore[no-any-return]
