"""Cross-site safety (issue 14, class 8): state-changing requests need JSON (415 otherwise) or a multipart
upload, and a cross-site Origin is refused (403) unless listed in ATELIER_CORS_ORIGINS; same-origin always
passes. Through REST and GraphQL."""

from __future__ import annotations

from typing import Any

import httpx

from app.platform.cross_site import CrossSiteGuard

EVIL = {"Origin": "https://evil.example"}


async def test_form_encodings_are_refused_with_415(client: httpx.AsyncClient) -> None:
    text = await client.post(
        "/api/v1/boards", content=b'{"title": "x"}', headers={"content-type": "text/plain"}
    )
    assert (text.status_code, text.json()["code"]) == (415, "UNSUPPORTED_MEDIA_TYPE")
    form = await client.post(
        "/graphql",
        content=b"query=mutation{deleteBoard}",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert form.status_code == 415
    assert (await client.get("/api/v1/boards")).status_code == 200  # reads are not state-changing


async def test_cross_site_origins_are_refused(client: httpx.AsyncClient) -> None:
    rest = await client.post("/api/v1/boards", json={"title": "x"}, headers=EVIL)
    assert (rest.status_code, rest.json()["code"]) == (403, "CROSS_SITE_REQUEST")
    mutation = {"query": 'mutation { createBoard(input: {title: "x"}) { id } }'}
    assert (await client.post("/graphql", json=mutation, headers=EVIL)).status_code == 403
    upload = await client.post(
        "/api/v1/uploads/artifact", data={"board_id": "x", "artifact_type": "text"},
        files={"file": ("a.txt", b"hi", "text/plain")}, headers=EVIL,
    )  # fmt: skip
    assert upload.status_code == 403
    assert (await client.get("/api/v1/boards", headers=EVIL)).status_code == 200
    same = await client.post("/api/v1/boards", json={"title": "x"}, headers={"Origin": "http://atelier.test"})
    assert same.status_code == 201


async def test_listed_origins_pass() -> None:
    seen: list[str] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen.append(scope["path"])
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    guard = CrossSiteGuard(app, allowed_origins=["http://localhost:5173"])
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=guard), base_url="http://api.test"
    ) as http:
        ok = await http.post("/x", json={}, headers={"Origin": "http://localhost:5173"})
        refused = await http.post("/x", json={}, headers={"Origin": "http://localhost:5174"})
        signed_put = await http.put(
            "/api/v1/files/k", content=b"\x89PNG", headers={"content-type": "image/png", **EVIL}
        )
    assert (ok.status_code, refused.status_code, signed_put.status_code) == (204, 403, 204)
    assert seen == ["/x", "/api/v1/files/k"]
