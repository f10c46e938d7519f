"""S3 and S3-compatible services (MinIO, R2, …) through aiobotocore; presigned GET/PUT for direct transfer.

Presigning is pure computation, so it uses a plain botocore client (no network, no await): signed URLs
are made on the read path of every generation list.
"""

from __future__ import annotations

import asyncio
import time
from contextlib import AsyncExitStack
from typing import Any

import botocore.session
from aiobotocore.config import AioConfig
from aiobotocore.session import AioSession, get_session
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from app.storage.port import ObjectInfo, ObjectMissing, StorageError, UploadTarget

MISSING = {"404", "NoSuchKey", "NotFound"}
URL_CACHE_SIZE = 4096
_SESSIONS: dict[str, Any] = {}


def _session(kind: str) -> Any:
    """One botocore and one aiobotocore session per process: each loads the S3 service model (≈1 s) once."""
    if kind not in _SESSIONS:
        _SESSIONS[kind] = get_session() if kind == "aio" else botocore.session.get_session()
    return _SESSIONS[kind]


class S3Storage:
    name = "s3"

    def __init__(
        self,
        *,
        bucket: str,
        region: str = "us-east-1",
        endpoint_url: str | None = None,
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
        prefix: str = "",
        path_style: bool = False,
    ) -> None:
        self.bucket = bucket
        self._prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        style = {"addressing_style": "path" if path_style else "auto"}
        self._kwargs: dict[str, Any] = {
            "region_name": region,
            "endpoint_url": endpoint_url,
            "aws_access_key_id": access_key_id,
            "aws_secret_access_key": secret_access_key,
        }
        self._aio_config = AioConfig(signature_version="s3v4", s3=style, retries={"max_attempts": 3})
        self._presigner = _session("sync").create_client(
            "s3", config=Config(signature_version="s3v4", s3=style), **self._kwargs
        )
        self._urls: dict[tuple[str, str, str, int], tuple[float, str]] = {}
        self._stack: AsyncExitStack | None = None
        self._client: Any = None
        self._lock = asyncio.Lock()

    def _key(self, key: str) -> str:
        return self._prefix + key

    async def _s3(self) -> Any:
        if self._client is None:
            async with self._lock:
                if self._client is None:
                    stack = AsyncExitStack()
                    aio: AioSession = _session("aio")
                    creator = aio.create_client("s3", config=self._aio_config, **self._kwargs)
                    self._client = await stack.enter_async_context(creator)
                    self._stack = stack
        return self._client

    async def put(self, key: str, data: bytes, *, content_type: str | None = None) -> None:
        extra = {"ContentType": content_type} if content_type else {}
        await self._call("put_object", Bucket=self.bucket, Key=self._key(key), Body=data, **extra)

    async def get(self, key: str) -> bytes:
        response = await self._call("get_object", Bucket=self.bucket, Key=self._key(key))
        async with response["Body"] as body:
            data: bytes = await body.read()
        return data

    async def stat(self, key: str) -> ObjectInfo | None:
        try:
            head = await self._call("head_object", Bucket=self.bucket, Key=self._key(key))
        except ObjectMissing:
            return None
        return ObjectInfo(size=int(head["ContentLength"]), content_type=head.get("ContentType"))

    async def exists(self, key: str) -> bool:
        return await self.stat(key) is not None

    async def delete(self, key: str) -> None:
        await self._call("delete_object", Bucket=self.bucket, Key=self._key(key))

    async def _call(self, operation: str, **params: Any) -> Any:
        client = await self._s3()
        try:
            return await getattr(client, operation)(**params)
        except ClientError as error:
            code = str(error.response.get("Error", {}).get("Code", ""))
            if code in MISSING:
                raise ObjectMissing(params.get("Key", "")) from None
            raise StorageError(f"s3 {operation}: {code or error}") from error
        except BotoCoreError as error:
            raise StorageError(f"s3 {operation}: {error}") from error

    def signed_get(self, key: str, *, ttl_s: int, content_type: str, disposition: str) -> str | None:
        """Valid for at least ttl_s: signed for a sixth longer and reused for that sixth (lists of many
        generations then sign little, and browsers can cache the same URL)."""
        step = max(1, ttl_s // 6)
        cache_key = (key, content_type, disposition, ttl_s)
        now = time.monotonic()
        cached = self._urls.get(cache_key)
        if cached is not None and now < cached[0]:
            return cached[1]
        if len(self._urls) >= URL_CACHE_SIZE:
            self._urls.clear()
        url = self._presign_get(key, ttl_s=ttl_s + step, content_type=content_type, disposition=disposition)
        self._urls[cache_key] = (now + step, url)
        return url

    def _presign_get(self, key: str, *, ttl_s: int, content_type: str, disposition: str) -> str:
        params = {
            "Bucket": self.bucket,
            "Key": self._key(key),
            "ResponseContentType": content_type,
            "ResponseContentDisposition": disposition,
        }
        url: str = self._presigner.generate_presigned_url("get_object", Params=params, ExpiresIn=ttl_s)
        return url

    def signed_put(self, key: str, *, content_type: str, size: int, ttl_s: int) -> UploadTarget | None:
        """Content type and exact length are signed: S3 refuses a different type or size. So is
        `If-None-Match: *` (S3 conditional writes): the URL creates the object once, and any later PUT (after
        confirm, while the URL has not expired) gets 412 instead of replacing what is served; a client that
        drops the header fails the signature check."""
        params = {
            "Bucket": self.bucket,
            "Key": self._key(key),
            "ContentType": content_type,
            "ContentLength": size,
            "IfNoneMatch": "*",
        }
        url = self._presigner.generate_presigned_url("put_object", Params=params, ExpiresIn=ttl_s)
        headers = {"Content-Type": content_type, "If-None-Match": "*"}
        return UploadTarget(url=url, method="PUT", headers=headers)

    async def ensure_bucket(self) -> None:
        """Create the bucket if missing (development and tests; production buckets are provisioned)."""
        client = await self._s3()
        try:
            await client.head_bucket(Bucket=self.bucket)
        except ClientError:
            await client.create_bucket(Bucket=self.bucket)

    async def aclose(self) -> None:
        if self._stack is not None:
            await self._stack.aclose()
        self._stack, self._client = None, None
