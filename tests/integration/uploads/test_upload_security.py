"""The upload security suite: SSRF (direct, by redirect, by DNS name), oversize, spoofed types, image bombs and
path traversal are each refused with a clear 4xx (REST problem+json with a code; GraphQL extensions.code),
never a 500, and nothing is stored or recorded."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address, ip_address
from pathlib import Path

import httpx
import pytest
from litestar import Litestar

from app.settings import Settings
from tests.integration.uploads.conftest import (
    MAX_BYTES,
    Origin,
    graphql_upload,
    multipart,
    png,
    png_header,
    problem,
)


async def both_apis_refuse(
    http: httpx.AsyncClient, board: str, url: str, code: str, artifact: str = "image"
) -> None:
    """The URL is refused with `code` over REST and GraphQL, and no generation exists afterwards."""
    rest = await http.post(
        "/api/v1/uploads/url", json={"boardId": board, "artifactType": artifact, "fileUrl": url}
    )
    status = {"PAYLOAD_TOO_LARGE": 413, "UNSUPPORTED_MEDIA_TYPE": 415}.get(code, 422)
    problem(rest, status, code)
    result = await graphql_upload(http, boardId=board, artifactType=artifact.upper(), fileUrl=url)
    assert result["data"] is None
    assert [e["extensions"]["code"] for e in result["errors"]] == [code], result
    assert (await http.get("/api/v1/generations", params={"boardId": board})).json()["items"] == []


@pytest.mark.parametrize(
    "url",
    ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/x.png", "http://192.168.1.1/x.png",
     "http://172.16.5.5/x.png", "http://100.64.0.1/x.png", "http://0.0.0.0/x.png", "http://[fd00:ec2::254]/",
     "http://[::ffff:127.0.0.1]/x.png", "http://[fe80::1]/x.png", "http://224.0.0.1/x.png",
     "http://2130706433/x.png", "http://0x7f.1/x.png", "http://127.1/x.png"],  # other spellings of loopback
)  # fmt: skip
async def test_private_addresses_are_refused_directly(http: httpx.AsyncClient, board: str, url: str) -> None:
    await both_apis_refuse(http, board, url, "URL_NOT_ALLOWED")


async def test_loopback_is_refused_except_the_tests_own_origin(
    http: httpx.AsyncClient, board: str, origin: Origin, forbidden: Origin
) -> None:
    await both_apis_refuse(http, board, forbidden.url("/files/pic.png"), "URL_NOT_ALLOWED")
    await both_apis_refuse(http, board, origin.url("/files/pic.png", host="127.0.0.2"), "URL_NOT_ALLOWED")
    await both_apis_refuse(http, board, f"http://[::1]:{origin.port}/files/pic.png", "URL_NOT_ALLOWED")
    assert forbidden.hits == [] and origin.hits == []  # refused before connecting


@pytest.mark.parametrize(
    "target", ["forbidden", "http://169.254.169.254/latest/", "http://10.1.2.3/", "file:///etc/passwd"]
)
async def test_redirects_to_blocked_targets_are_refused(
    http: httpx.AsyncClient, board: str, origin: Origin, forbidden: Origin, target: str
) -> None:
    location = forbidden.url("/files/pic.png") if target == "forbidden" else target
    redirecting = origin.url("/redirect?" + httpx.QueryParams({"to": location}).__str__())
    await both_apis_refuse(http, board, redirecting, "URL_NOT_ALLOWED")
    assert forbidden.hits == []
    assert len(origin.hits) == 2  # the allowed first hop, once per API


async def test_too_many_redirects_are_refused(http: httpx.AsyncClient, board: str, origin: Origin) -> None:
    await both_apis_refuse(http, board, origin.url("/hops/4"), "URL_NOT_ALLOWED")  # the cap is 3


async def test_names_are_judged_by_what_they_resolve_to(
    http: httpx.AsyncClient,
    board: str,
    upload_app: Litestar,
    forbidden: Origin,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await both_apis_refuse(http, board, f"http://localhost:{forbidden.port}/files/pic.png", "URL_NOT_ALLOWED")
    answers = {"metadata.example": ["169.254.169.254"], "intranet.example": ["10.0.0.7"],
               "rebind.example": ["93.184.216.34", "127.0.0.1"], "v6.example": ["fd00:ec2::254"]}  # fmt: skip

    async def resolver(host: str, port: int) -> list[IPv4Address | IPv6Address]:
        return [ip_address(a) for a in answers[host]]

    monkeypatch.setattr(upload_app.state.runtime.fetcher.guard, "resolver", resolver)
    for name in answers:
        await both_apis_refuse(http, board, f"http://{name}/x.png", "URL_NOT_ALLOWED")
    assert forbidden.hits == []


@pytest.mark.parametrize(
    "url",
    ["ftp://example.com/x.png", "file:///etc/passwd", "gopher://x/", "http://u:p@example.com/x", "not a url"],
)
async def test_only_plain_http_urls_are_fetched(http: httpx.AsyncClient, board: str, url: str) -> None:
    await both_apis_refuse(http, board, url, "URL_NOT_ALLOWED")


async def test_oversize_is_refused(http: httpx.AsyncClient, board: str, origin: Origin) -> None:
    big = b"a" * (MAX_BYTES + 1)
    problem(
        await multipart(http, board, big, artifact_type="text", filename="big.txt"), 413, "PAYLOAD_TOO_LARGE"
    )
    way_over = b"a" * (MAX_BYTES + 2 * 1024 * 1024)  # past the request body limit itself
    problem(await multipart(http, board, way_over, artifact_type="text"), 413, "PAYLOAD_TOO_LARGE")
    origin.files["big.txt"] = (big, "text/plain")
    await both_apis_refuse(http, board, origin.url("/files/big.txt"), "PAYLOAD_TOO_LARGE", "text")
    await both_apis_refuse(
        http, board, origin.url(f"/stream?kb={MAX_BYTES // 1024 + 8}"), "PAYLOAD_TOO_LARGE", "text"
    )


async def test_spoofed_content_types_are_refused(http: httpx.AsyncClient, board: str, origin: Origin) -> None:
    script = b"#!/bin/sh\nrm -rf /\n"
    body = problem(await multipart(http, board, script, filename="cat.png"), 415, "UNSUPPORTED_MEDIA_TYPE")
    assert "text/plain, not image" in body["detail"]
    problem(await multipart(http, board, png(), artifact_type="video"), 415, "UNSUPPORTED_MEDIA_TYPE")
    elf = b"\x7fELF\x02\x01\x01\0" + bytes(range(256))
    problem(await multipart(http, board, elf, artifact_type="audio", filename="a.mp3", content_type="audio/mpeg"),
            415, "UNSUPPORTED_MEDIA_TYPE")  # fmt: skip
    origin.files["fake.png"] = (script, "image/png")
    await both_apis_refuse(http, board, origin.url("/files/fake.png"), "UNSUPPORTED_MEDIA_TYPE")
    problem(await multipart(http, board, png(), artifact_type="lora"), 415, "UNSUPPORTED_MEDIA_TYPE")


async def test_image_bombs_and_corrupt_images_are_refused(
    http: httpx.AsyncClient, board: str, origin: Origin
) -> None:
    header_bomb = png_header(100_000, 100_000)  # 10 gigapixels in 100 bytes
    assert len(header_bomb) < 200
    problem(await multipart(http, board, header_bomb), 413, "PAYLOAD_TOO_LARGE")
    real_bomb = png(3000, 3000, mode="1")  # 9 megapixels (limit 4) that compress to a few kB
    assert len(real_bomb) < 10_000
    problem(await multipart(http, board, real_bomb), 413, "PAYLOAD_TOO_LARGE")
    problem(await multipart(http, board, png(5000, 10, mode="1")), 413, "PAYLOAD_TOO_LARGE")  # side > 4096
    truncated = png(200, 200)[:-40]
    problem(await multipart(http, board, truncated), 415, "UNSUPPORTED_MEDIA_TYPE")
    origin.files["bomb.png"] = (header_bomb, "image/png")
    await both_apis_refuse(http, board, origin.url("/files/bomb.png"), "PAYLOAD_TOO_LARGE")


@pytest.mark.parametrize(
    "name", ["../../../../etc/passwd.png", "..\\..\\boot.ini.png", "/etc/cron.d/x.png", ".."]
)
async def test_path_traversal_in_filenames_is_refused(
    http: httpx.AsyncClient, board: str, origin: Origin, upload_settings: Settings, name: str
) -> None:
    before = _files(upload_settings.storage_dir)
    problem(await multipart(http, board, png(), filename=name), 422, "INVALID_FILENAME")
    result = await graphql_upload(
        http, boardId=board, artifactType="IMAGE", fileUrl=origin.url("/files/pic.png"), originalFilename=name
    )
    assert [e["extensions"]["code"] for e in result["errors"]] == ["INVALID_FILENAME"]
    assert origin.hits == []  # refused before fetching
    assert _files(upload_settings.storage_dir) == before


async def test_control_characters_are_stripped_from_kept_names(http: httpx.AsyncClient, board: str) -> None:
    response = await multipart(http, board, png(), filename="evil\u202egnp.exe\r\n<b>.png")
    assert response.status_code == 200, response.text
    assert response.json()["inputParams"]["original_filename"] == "evilgnp.exe___b_.png"


async def test_fetches_have_a_deadline(http: httpx.AsyncClient, board: str, origin: Origin) -> None:
    await both_apis_refuse(
        http, board, origin.url("/slow?s=3"), "URL_FETCH_FAILED", "text"
    )  # the deadline is 2 s


async def test_unreachable_urls_are_clear_errors(http: httpx.AsyncClient, board: str, origin: Origin) -> None:
    await both_apis_refuse(http, board, origin.url("/files/missing.png"), "URL_FETCH_FAILED")


async def test_uploads_need_edit_rights_before_anything_is_fetched(
    local_http: httpx.AsyncClient, origins: tuple[Origin, Origin]
) -> None:
    from tests.conftest import sign_up

    owner, viewer = (
        await sign_up(local_http, "owner@example.com"),
        await sign_up(local_http, "viewer@example.com"),
    )
    board = (await local_http.post("/api/v1/boards", json={"title": "B"}, headers=owner["headers"])).json()[
        "id"
    ]
    member = {"userId": viewer["id"], "role": "viewer"}
    await local_http.post(f"/api/v1/boards/{board}/members", json=member, headers=owner["headers"])
    origins[0].hits.clear()
    url = origins[0].url("/files/pic.png")
    rest = await local_http.post(
        "/api/v1/uploads/url",
        json={"boardId": board, "artifactType": "image", "fileUrl": url},
        headers=viewer["headers"],
    )
    problem(rest, 403, "FORBIDDEN")
    files = {"file": ("pic.png", png(), "image/png")}
    form = {"board_id": board, "artifact_type": "image"}
    problem(
        await local_http.post("/api/uploads/artifact", data=form, files=files, headers=viewer["headers"]),
        403,
        "FORBIDDEN",
    )
    anonymous = await local_http.post("/api/uploads/artifact", data=form, files=files)
    assert anonymous.status_code in (401, 404), anonymous.text
    assert origins[0].hits == []


async def test_malformed_forms_are_bad_requests(http: httpx.AsyncClient, board: str) -> None:
    problem(await multipart(http, "not-a-uuid", png()), 400, "BAD_USER_INPUT")  # format uuid, like any body
    problem(await multipart(http, board, png(), artifact_type="hologram"), 422, "BAD_USER_INPUT")
    fields_only = {"board_id": (None, board), "artifact_type": (None, "image")}  # multipart, no file part
    missing = await http.post("/api/uploads/artifact", files=fields_only)
    problem(missing, 400, "BAD_USER_INPUT")
    urlencoded = await http.post("/api/uploads/artifact", data={"board_id": board, "artifact_type": "image"})
    problem(urlencoded, 415, "UNSUPPORTED_MEDIA_TYPE")  # a form any web page could post (issue 14)
    parent = "00000000-0000-4000-8000-000000000000"
    body = problem(await multipart(http, board, png(), parent_generation_id=parent), 422, "BAD_USER_INPUT")
    assert body["field"] == "parentGenerationId"


async def test_a_nul_byte_in_a_raw_multipart_filename_is_refused(http: httpx.AsyncClient, board: str) -> None:
    """httpx percent-encodes NUL in filenames, so this body is written by hand."""
    boundary = "x7boundary"
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in {"board_id": board, "artifact_type": "image"}.items()
    )
    body += (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="ok.png\x00../../x"\r\n'
            f"Content-Type: image/png\r\n\r\n"
        ).encode()
        + png()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {"content-type": f"multipart/form-data; boundary={boundary}"}
    response = await http.post("/api/uploads/artifact", content=body, headers=headers)
    problem(response, 422, "INVALID_FILENAME")


def _files(root: Path) -> set[Path]:
    return set(root.rglob("*")) if root.exists() else set()


async def test_a_url_upload_without_a_url_is_a_bad_request(http: httpx.AsyncClient, board: str) -> None:
    result = await graphql_upload(
        http, boardId=board, artifactType="IMAGE"
    )  # fileUrl is optional in Boards' type
    assert [e["extensions"]["code"] for e in result["errors"]] == ["BAD_USER_INPUT"]
    body = problem(
        await http.post("/api/v1/uploads/url", json={"boardId": board, "artifactType": "image"}),
        422,
        "BAD_USER_INPUT",
    )
    assert body["field"] == "fileUrl"
