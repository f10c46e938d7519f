"""Sealed direct uploads (issue 14, class 4): the bytes are sniffed at confirm with the multipart rules
(415 on a mismatch), the upload URL takes no PUT once confirmed, and only the types the product accepts
(image, video, audio, plain text) can be uploaded. Through REST and GraphQL (the `api` driver)."""

from __future__ import annotations

import httpx
import pytest

from tests.contract.drivers import ApiError, Driver
from tests.integration.storage.uploads import confirm_upload, create_upload, png_bytes

HTML = b"<!doctype html><script>alert(document.cookie)</script>"


async def test_html_declared_as_png_is_refused_at_confirm(api: Driver, client: httpx.AsyncClient) -> None:
    board = await api.create_board(title="Sniffed")
    upload = await create_upload(
        api, boardId=board["id"], filename="cat.png", contentType="image/png", sizeBytes=len(HTML)
    )
    assert (await client.put(upload["uploadUrl"], content=HTML, headers=upload["headers"])).status_code == 200
    with pytest.raises(ApiError) as refused:
        await confirm_upload(api, upload["id"])
    assert refused.value.code == "UNSUPPORTED_MEDIA_TYPE"
    assert await api.recent_generations(boardId=board["id"]) == []


async def test_an_image_that_does_not_decode_is_refused_at_confirm(
    api: Driver, client: httpx.AsyncClient
) -> None:
    """A valid PNG signature and header on a corrupt body: sniffing passes, decoding (as multipart does) not."""
    board = await api.create_board(title="Decoded")
    good = png_bytes(64)
    corrupt = good[:48] + bytes(range(256)) * 2
    upload = await create_upload(
        api, boardId=board["id"], filename="x.png", contentType="image/png", sizeBytes=len(corrupt)
    )
    assert (
        await client.put(upload["uploadUrl"], content=corrupt, headers=upload["headers"])
    ).status_code == 200
    with pytest.raises(ApiError) as refused:
        await confirm_upload(api, upload["id"])
    assert refused.value.code == "UNSUPPORTED_MEDIA_TYPE"
    assert await api.recent_generations(boardId=board["id"]) == []
    fine = await create_upload(
        api, boardId=board["id"], filename="y.png", contentType="image/png", sizeBytes=len(good)
    )
    assert (await client.put(fine["uploadUrl"], content=good, headers=fine["headers"])).status_code == 200
    generation = await confirm_upload(api, fine["id"])
    assert (generation["outputMetadata"]["width"], generation["outputMetadata"]["height"]) == (64, 64)


async def test_a_confirmed_upload_url_takes_no_more_bytes(api: Driver, client: httpx.AsyncClient) -> None:
    board = await api.create_board(title="Sealed")
    data = png_bytes()
    upload = await create_upload(
        api, boardId=board["id"], filename="p.png", contentType="image/png", sizeBytes=len(data)
    )
    assert (await client.put(upload["uploadUrl"], content=data, headers=upload["headers"])).status_code == 200
    generation = await confirm_upload(api, upload["id"])
    replaced = await client.put(
        upload["uploadUrl"], content=data[:-8] + b"\x00" * 8, headers=upload["headers"]
    )
    assert (replaced.status_code, replaced.json()["code"]) == (409, "CONFLICT")
    assert (await client.get(generation["storageUrl"])).content == data


@pytest.mark.parametrize("content_type", ["text/html", "image/svg+xml", "application/octet-stream"])
async def test_only_accepted_types_get_an_upload_url(api: Driver, content_type: str) -> None:
    board = await api.create_board(title="Types")
    with pytest.raises(ApiError) as refused:
        await create_upload(
            api,
            boardId=board["id"],
            filename="page.html",
            contentType=content_type,
            sizeBytes=10,
            artifactType="text",
        )
    assert refused.value.code == "UNSUPPORTED_MEDIA_TYPE"


async def test_the_stored_name_comes_from_the_type_not_the_file_name(api: Driver) -> None:
    board = await api.create_board(title="Names")
    upload = await create_upload(
        api, boardId=board["id"], filename="page.html", contentType="text/plain", sizeBytes=5
    )
    assert f"/{upload['id']}.txt?" in upload["uploadUrl"]
