"""Uploads: a user's own file (multipart) or a fetched URL becomes a COMPLETED generation on a board.

One service for REST and GraphQL. Order matters: permission first (a viewer never makes the server fetch
anything), then the bytes are checked for size, sniffed for their real type, decoded if they are an image,
and only then stored and recorded.
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from uuid import UUID, uuid4

from app.contracts import ArtifactType, Generation, UploadFromUrl
from app.domain.actor import Actor
from app.domain.errors import Invalid, NotFound
from app.domain.generations.naming import UPLOAD_GENERATOR_PREFIX
from app.domain.policy import Access, require, require_on_generation, require_user
from app.domain.uploads.errors import TooLarge, UnsupportedContent
from app.domain.uploads.filenames import FALLBACK, filename_from_url, sanitize_filename
from app.domain.uploads.ports import (
    ArtifactStorage,
    ImageInspector,
    UploadEvents,
    UploadLimits,
    UploadStore,
    UrlFetcher,
)
from app.domain.uploads.sniff import Sniffed, check_declared, sniff

MAX_DESCRIPTION = 5000
UPLOADABLE = {ArtifactType.IMAGE, ArtifactType.VIDEO, ArtifactType.AUDIO, ArtifactType.TEXT}


@dataclass(frozen=True, slots=True)
class FileUpload:
    """A multipart upload: the bytes and the form fields Boards clients send."""

    board_id: UUID
    artifact_type: ArtifactType
    data: bytes
    filename: str | None = None
    user_description: str | None = None
    parent_generation_id: UUID | None = None


def generator_name_for(artifact_type: ArtifactType) -> str:
    """Boards' reserved generator names for uploads (user-upload-image, …)."""
    return f"{UPLOAD_GENERATOR_PREFIX}{artifact_type.value}"


class UploadService:
    def __init__(
        self,
        store: UploadStore,
        storage: ArtifactStorage,
        *,
        fetcher: UrlFetcher,
        images: ImageInspector,
        limits: UploadLimits,
        actor: Actor,
        events: UploadEvents | None = None,
    ) -> None:
        self._events = events
        self._store = store
        self._storage = storage
        self._fetcher = fetcher
        self._images = images
        self._limits = limits
        self._actor = actor

    async def from_file(self, upload: FileUpload) -> Generation:
        await self._authorize(upload.board_id, upload.artifact_type, upload.parent_generation_id)
        _check_description(upload.user_description)
        name = sanitize_filename(upload.filename) if upload.filename else FALLBACK
        return await self._register(upload, {"source": "file", "original_filename": name})

    async def from_url(self, command: UploadFromUrl) -> Generation:
        """Everything that can be refused without the network is refused before the fetch."""
        if not command.file_url:  # optional in Boards' input type, required here
            raise Invalid(
                "fileUrl is required (files go to POST /api/uploads/artifact)", details={"field": "fileUrl"}
            )
        await self._authorize(command.board_id, command.artifact_type, command.parent_generation_id)
        _check_description(command.user_description)
        given = command.original_filename
        url = command.file_url
        name = sanitize_filename(given) if given else filename_from_url(url)
        fetched = await self._fetcher.fetch(url, max_bytes=self._limits.max_bytes)
        params = {"source": "url", "original_filename": name, "url": _shown_url(fetched.final_url)}
        upload = FileUpload(
            board_id=command.board_id,
            artifact_type=command.artifact_type,
            data=fetched.data,
            user_description=command.user_description,
            parent_generation_id=command.parent_generation_id,
        )
        return await self._register(upload, params)

    async def _authorize(self, board_id: UUID, artifact_type: ArtifactType, parent_id: UUID | None) -> None:
        """Uploading needs what creating a generation needs (CONTRIBUTE); a parent must be readable."""
        require(self._actor, await self._store.relation(board_id, self._actor.user_id), Access.CONTRIBUTE)
        require_user(self._actor)
        if artifact_type not in UPLOADABLE:
            raise UnsupportedContent(
                f"{artifact_type.value} artifacts cannot be uploaded (image, video, audio or text)",
                details={"field": "artifactType"},
            )
        if parent_id is not None:
            try:
                relation = await self._store.board_relation_of(parent_id, self._actor.user_id)
                require_on_generation(self._actor, relation, Access.READ)
            except NotFound:
                raise Invalid(
                    f"parentGenerationId: generation {parent_id} not found",
                    details={"field": "parentGenerationId"},
                ) from None

    async def _register(self, upload: FileUpload, params: dict[str, Any]) -> Generation:
        data = upload.data
        kind, metadata, thumbnail = await self._check(data, upload.artifact_type)
        generation_id = uuid4()
        keys = await self._store_files(upload.board_id, generation_id, kind, data, thumbnail)
        values = {
            "id": generation_id,
            "board_id": upload.board_id,
            "user_id": require_user(self._actor),
            "generator_name": generator_name_for(upload.artifact_type),
            "artifact_type": upload.artifact_type.value,
            "input_params": {**params, "user_description": upload.user_description},
            "output_metadata": metadata,
            "storage_key": keys[0],
            "thumbnail_key": keys[1] if len(keys) > 1 else None,
        }
        try:
            generation = await self._store.insert_upload(values, upload.parent_generation_id)
        except BaseException:
            await asyncio.gather(*(self._storage.delete(key) for key in keys), return_exceptions=True)
            raise
        if self._events is not None:
            self._events.completed_after_commit(generation)
        return generation

    async def _check(
        self, data: bytes, declared: ArtifactType
    ) -> tuple[Sniffed, dict[str, Any], bytes | None]:
        """Size, real type (sniffed), and for images a full decode within the pixel limits."""
        if len(data) > self._limits.max_bytes:
            raise TooLarge(
                f"the file is {len(data)} bytes; the limit is {self._limits.max_bytes}",
                details={"limit": self._limits.max_bytes},
            )
        if not data:
            raise UnsupportedContent("the file is empty")
        kind = check_declared(sniff(data), declared.value)
        digest = await asyncio.to_thread(lambda: hashlib.sha256(data).hexdigest())
        metadata: dict[str, Any] = {"content_type": kind.mime, "size_bytes": len(data), "sha256": digest}
        if kind.artifact_type != "image":
            return kind, metadata, None
        facts = await self._images.inspect(data, self._limits)
        if facts.format != kind.mime:
            raise UnsupportedContent(f"the image decodes as {facts.format}, not {kind.mime}")
        metadata.update(width=facts.width, height=facts.height)
        return kind, metadata, facts.thumbnail

    async def _store_files(
        self, board_id: UUID, generation_id: UUID, kind: Sniffed, data: bytes, thumbnail: bytes | None
    ) -> list[str]:
        """The references kept for the artifact (and its thumbnail), as storage answers them."""
        tenant = self._actor.tenant_id
        key = self._storage.key_for(tenant, board_id, generation_id, kind.extension, "")
        refs = [await self._storage.put(key, data, content_type=kind.mime, artifact_type=kind.artifact_type)]
        if thumbnail is not None:
            thumb = self._storage.key_for(tenant, board_id, generation_id, "jpg", "-thumb")
            refs.append(
                await self._storage.put(thumb, thumbnail, content_type="image/jpeg", artifact_type="image")
            )
        return refs


def _check_description(text: str | None) -> None:
    if text is not None and len(text) > MAX_DESCRIPTION:
        raise Invalid(
            f"userDescription: at most {MAX_DESCRIPTION} characters", details={"field": "userDescription"}
        )


def _shown_url(url: str) -> str:
    """The URL as recorded on the generation: no credentials, query or fragment (they may hold secrets)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    if parts.port is not None:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
