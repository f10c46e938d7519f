"""Presigned direct upload: reserve a key and hand out an upload URL (S3 presigned PUT, or the app's signed
PUT endpoint), the client PUTs the bytes straight to storage, then confirms → a completed generation.

The generation's id is the intent's id, so the object's key is laid out by tenant/board/generation from
the start and never moves.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

from app.contracts import ArtifactType, DirectUpload, DirectUploadCreate, Generation
from app.domain.actor import Actor
from app.domain.direct_uploads.ports import UploadIntent, UploadIntentStore, UploadStorage
from app.domain.errors import Conflict, Invalid, NotFound
from app.domain.policy import Access, require, require_user
from app.domain.uploads.errors import TooLarge, UnsupportedContent
from app.domain.uploads.ports import ImageFacts, ImageInspector, UploadLimits
from app.domain.uploads.sniff import check_declared, sniff_head

UPLOAD_GENERATOR = "upload"
_BY_MAJOR = {"image": "image", "video": "video", "audio": "audio", "text": "text"}
SNIFF_BYTES = 64 * 1024
# The types the product accepts (as multipart uploads do), and the extension stored objects get: never the
# client's file name, so nothing is stored (and later served) as .html or .svg.
ACCEPTED_TYPES = {
    "image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp",
    "video/mp4": "mp4", "video/webm": "webm",
    "audio/wav": "wav", "audio/x-wav": "wav", "audio/wave": "wav", "audio/mpeg": "mp3", "audio/ogg": "ogg",
    "audio/flac": "flac", "audio/x-flac": "flac", "audio/webm": "webm",
    "text/plain": "txt",
}  # fmt: skip


class DirectUploadService:
    def __init__(
        self, store: UploadIntentStore, storage: UploadStorage, actor: Actor, *, ttl_s: int, max_bytes: int,
        images: ImageInspector | None = None, limits: UploadLimits | None = None,
    ) -> None:  # fmt: skip
        self._store = store
        self._storage = storage
        self._actor = actor
        self._ttl_s = ttl_s
        self._max_bytes = max_bytes
        self._images = images
        self._limits = limits

    async def create(self, command: DirectUploadCreate) -> DirectUpload:
        user_id = require_user(self._actor)
        require(self._actor, await self._store.relation(command.board_id, user_id), Access.CONTRIBUTE)
        if command.size_bytes > self._max_bytes:
            raise Invalid(
                f"files over {self._max_bytes} bytes cannot be uploaded", details={"field": "sizeBytes"}
            )
        content_type = command.content_type.split(";", 1)[0].strip().lower()
        if content_type not in ACCEPTED_TYPES:
            raise UnsupportedContent(
                f"{command.content_type} files cannot be uploaded (images, video, audio and plain text can)",
                details={"field": "contentType"},
            )
        artifact_type = _artifact_type(command)
        intent_id = uuid4()
        key = self._storage.storage_key(
            self._actor.tenant_id, command.board_id, intent_id, ACCEPTED_TYPES[content_type]
        )
        locator = self._storage.locator(self._storage.choose(artifact_type, command.size_bytes), key)
        expires_at = datetime.now(UTC) + timedelta(seconds=self._ttl_s)
        target = self._storage.upload_target(
            locator, content_type=command.content_type, size=command.size_bytes,
            max_bytes=command.size_bytes, ttl_s=self._ttl_s,
        )  # fmt: skip
        await self._store.insert(
            {
                "id": intent_id, "board_id": command.board_id, "user_id": user_id, "storage_key": locator,
                "content_type": command.content_type, "max_bytes": command.size_bytes,
                "artifact_type": artifact_type, "original_filename": command.filename, "expires_at": expires_at,
            }
        )  # fmt: skip
        return DirectUpload(
            id=intent_id, board_id=command.board_id, upload_url=target.url, method=target.method,
            headers=dict(target.headers), expires_at=expires_at, max_bytes=command.size_bytes,
        )  # fmt: skip

    async def confirm(self, intent_id: UUID) -> Generation:
        """The uploaded object becomes a completed generation (idempotent: confirming twice is one generation)."""
        user_id = require_user(self._actor)
        intent = await self._store.get(intent_id)
        if intent is None or intent.user_id != user_id:
            raise NotFound("upload not found")
        require(self._actor, await self._store.relation(intent.board_id, user_id), Access.CONTRIBUTE)
        if intent.confirmed_at is not None:
            done = await self._store.generation(intent.generation_id) if intent.generation_id else None
            if done is None:
                raise Conflict("this upload was confirmed and its generation has since been deleted")
            return done
        stored = await self._storage.stat(intent.storage_key)
        if stored is None:
            raise Invalid("nothing was uploaded for this upload yet", details={"field": "id"})
        if stored.size > intent.max_bytes:
            await self._storage.delete(intent.storage_key)
            raise Invalid(f"the upload is larger than the declared {intent.max_bytes} bytes")
        facts = await self._check_bytes(intent, stored.size)
        dimensions = {} if facts is None else {"width": facts.width, "height": facts.height}
        values = _generation_values(intent, stored.size, dimensions)
        return await self._store.confirm(intent, size=stored.size, generation=values)

    async def _check_bytes(self, intent: UploadIntent, size: int) -> ImageFacts | None:
        """The bytes must be what was declared, by the rules multipart uploads follow: sniffed from the
        bytes, and an image fully decoded within the pixel limits (a valid header on a corrupt or oversized
        body is refused, as multipart refuses it). Refused bytes are deleted."""
        head = await self._storage.head(intent.storage_key, SNIFF_BYTES)
        try:
            kind = check_declared(sniff_head(head, truncated=size > len(head)), intent.artifact_type)
            if kind.artifact_type != "image" or self._images is None or self._limits is None:
                return None
            facts = await self._images.inspect(await self._storage.get(intent.storage_key), self._limits)
            if facts.format != kind.mime:
                raise UnsupportedContent(f"the image decodes as {facts.format}, not {kind.mime}")
            return facts
        except (UnsupportedContent, TooLarge):
            await self._storage.delete(intent.storage_key)
            raise


def _artifact_type(command: DirectUploadCreate) -> str:
    if command.artifact_type is not None:
        return command.artifact_type.value
    major = command.content_type.split("/")[0]
    if major not in _BY_MAJOR:
        raise Invalid(
            f"say which artifactType a {command.content_type} file is", details={"field": "artifactType"}
        )
    return ArtifactType(_BY_MAJOR[major]).value


def _generation_values(intent: UploadIntent, size: int, dimensions: dict[str, int]) -> dict[str, object]:
    return {
        "id": intent.id, "board_id": intent.board_id, "user_id": intent.user_id,
        "generator_name": UPLOAD_GENERATOR, "artifact_type": intent.artifact_type, "source": "upload",
        "status": "completed", "progress": 1, "phase": "finalizing", "storage_key": intent.storage_key,
        "input_params": {"original_filename": intent.original_filename, "content_type": intent.content_type},
        "output_metadata": {"size_bytes": size, "content_type": intent.content_type, **dimensions},
    }  # fmt: skip
