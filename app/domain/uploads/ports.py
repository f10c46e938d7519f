"""What the upload use cases need from the database, storage, the network and an image library."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol
from uuid import UUID

from app.contracts import Generation
from app.domain.generations.ports import GenerationAccess
from app.domain.policy import BoardRelation


@dataclass(frozen=True, slots=True)
class UploadLimits:
    """Operator settings every upload is checked against."""

    max_bytes: int
    max_image_pixels: int
    max_image_side: int


@dataclass(frozen=True, slots=True)
class Fetched:
    """A downloaded body and the URL it finally came from (after redirects)."""

    data: bytes
    final_url: str


@dataclass(frozen=True, slots=True)
class ImageFacts:
    width: int
    height: int
    format: str  # the MIME type the decoder recognised, e.g. image/png
    thumbnail: bytes | None = None  # a small JPEG, None when this image cannot be shrunk


class UploadStore(GenerationAccess, Protocol):
    async def relation(self, board_id: UUID, user_id: UUID | None) -> BoardRelation | None: ...

    async def insert_upload(self, values: dict[str, Any], parent_id: UUID | None) -> Generation:
        """A completed generation (source = upload), with a `parent` lineage edge when parent_id is set."""
        ...


class ArtifactStorage(Protocol):
    def key_for(
        self, tenant_id: UUID, board_id: UUID, generation_id: UUID, extension: str, suffix: str
    ) -> str: ...

    async def put(self, key: str, data: bytes, *, content_type: str, artifact_type: str) -> str:
        """Store the bytes; returns the reference to keep (storage may route them to another backend)."""
        ...

    async def delete(self, ref: str) -> None: ...


class UrlFetcher(Protocol):
    async def fetch(self, url: str, *, max_bytes: int) -> Fetched:
        """GET the URL within the limits; raises UrlNotAllowed, FetchFailed or TooLarge."""
        ...


class ImageInspector(Protocol):
    async def inspect(self, data: bytes, limits: UploadLimits) -> ImageFacts:
        """Dimensions and thumbnail of a fully decoded image; raises TooLarge (pixels) or UnsupportedContent
        (corrupt)."""
        ...


class UploadEvents(Protocol):
    def completed_after_commit(self, generation: Generation) -> None:
        """Tell the board's live streams about the new generation, once it is committed."""
        ...
