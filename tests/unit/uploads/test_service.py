"""UploadService against in-memory fakes of its ports (no IO): the order of checks and the clean-up."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

import pytest

from app.contracts import ArtifactType, Generation, UploadFromUrl
from app.domain.actor import Actor
from app.domain.errors import Forbidden, Invalid
from app.domain.policy import BoardRelation
from app.domain.uploads import Fetched, FileUpload, ImageFacts, TooLarge, UploadLimits, UploadService

TENANT, OWNER, VIEWER, BOARD = uuid4(), uuid4(), uuid4(), uuid4()
TEXT = b"hello\n"


class FakeStore:
    def __init__(self, *, fail_insert: bool = False) -> None:
        self.fail_insert = fail_insert
        self.inserted: list[dict[str, Any]] = []

    async def relation(self, board_id: UUID, user_id: UUID | None) -> BoardRelation | None:
        role = "viewer" if user_id == VIEWER else None
        return BoardRelation(board_id=BOARD, owner_id=OWNER, is_public=False, member_role=role)

    async def board_relation_of(self, generation_id: UUID, user_id: UUID | None) -> BoardRelation | None:
        return None  # no generation exists

    async def insert_upload(self, values: dict[str, Any], parent_id: UUID | None) -> Generation:
        if self.fail_insert:
            raise RuntimeError("database went away")
        self.inserted.append(values)
        return Generation(**{"tenant_id": TENANT, "status": "completed", **_generation_defaults(values)})


def _generation_defaults(values: dict[str, Any]) -> dict[str, Any]:
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    return {
        "id": values["id"], "board_id": values["board_id"], "user_id": values["user_id"],
        "generator_name": values["generator_name"], "artifact_type": values["artifact_type"],
        "storage_url": None, "thumbnail_url": None, "additional_files": [], "input_params": values["input_params"],
        "output_metadata": values["output_metadata"], "external_job_id": None, "progress": 1.0, "phase": None, "message": None,
        "error_message": None, "error_code": None, "started_at": now, "completed_at": now, "created_at": now, "updated_at": now,
    }  # fmt: skip


class FakeStorage:
    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def key_for(
        self, tenant_id: UUID, board_id: UUID, generation_id: UUID, extension: str, suffix: str
    ) -> str:
        return f"{tenant_id}/{board_id}/{generation_id}{suffix}.{extension}"

    async def put(self, key: str, data: bytes, *, content_type: str, artifact_type: str) -> str:
        self.files[f"local:{key}"] = data
        return f"local:{key}"

    async def delete(self, key: str) -> None:
        self.files.pop(key, None)


class FakeFetcher:
    def __init__(self) -> None:
        self.urls: list[str] = []

    async def fetch(self, url: str, *, max_bytes: int) -> Fetched:
        self.urls.append(url)
        return Fetched(data=TEXT, final_url=url)


class FakeImages:
    async def inspect(self, data: bytes, limits: UploadLimits) -> ImageFacts:
        return ImageFacts(width=1, height=1, format="image/png")


def service(user: UUID, store: FakeStore, storage: FakeStorage, fetcher: FakeFetcher) -> UploadService:
    limits = UploadLimits(max_bytes=1024, max_image_pixels=100, max_image_side=10)
    actor = Actor(tenant_id=TENANT, user_id=user)
    return UploadService(store, storage, fetcher=fetcher, images=FakeImages(), limits=limits, actor=actor)


def url_command(**changes: Any) -> UploadFromUrl:
    fields: dict[str, Any] = {
        "board_id": BOARD,
        "artifact_type": ArtifactType.TEXT,
        "file_url": "https://x.example/a?t=1",
    }
    return UploadFromUrl(**{**fields, **changes})


async def test_a_viewer_never_makes_the_server_fetch() -> None:
    fetcher = FakeFetcher()
    with pytest.raises(Forbidden):
        await service(VIEWER, FakeStore(), FakeStorage(), fetcher).from_url(url_command())
    assert fetcher.urls == []


async def test_input_errors_are_found_before_the_fetch() -> None:
    fetcher = FakeFetcher()
    uploads = service(OWNER, FakeStore(), FakeStorage(), fetcher)
    with pytest.raises(Invalid, match="parentGenerationId"):
        await uploads.from_url(url_command(parent_generation_id=uuid4()))
    with pytest.raises(Invalid, match="userDescription"):
        await uploads.from_url(url_command(user_description="x" * 5001))
    with pytest.raises(Invalid, match="path"):
        await uploads.from_url(url_command(original_filename="../x.txt"))
    assert fetcher.urls == []


async def test_stored_files_are_removed_when_the_row_cannot_be_written() -> None:
    storage = FakeStorage()
    uploads = service(OWNER, FakeStore(fail_insert=True), storage, FakeFetcher())
    with pytest.raises(RuntimeError):
        await uploads.from_file(FileUpload(board_id=BOARD, artifact_type=ArtifactType.TEXT, data=TEXT))
    assert storage.files == {}


async def test_an_upload_is_a_completed_generation_with_its_file_stored() -> None:
    store, storage = FakeStore(), FakeStorage()
    generation = await service(OWNER, store, storage, FakeFetcher()).from_url(url_command())
    assert generation.generator_name == "user-upload-text"
    [values] = store.inserted
    assert values["input_params"] == {
        "source": "url", "original_filename": "a", "url": "https://x.example/a", "user_description": None,
    }  # fmt: skip
    assert storage.files == {values["storage_key"]: TEXT}
    assert values["output_metadata"]["content_type"] == "text/plain"


async def test_size_is_checked_on_the_bytes() -> None:
    uploads = service(OWNER, FakeStore(), FakeStorage(), FakeFetcher())
    with pytest.raises(TooLarge):
        await uploads.from_file(FileUpload(board_id=BOARD, artifact_type=ArtifactType.TEXT, data=b"a" * 1025))
