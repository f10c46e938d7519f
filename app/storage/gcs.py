"""Google Cloud Storage through its JSON API (httpx). Files are served through the app's signed URLs.

Authentication is a bearer access token (ATELIER_STORAGE__GCS__TOKEN, e.g. from workload identity or
`gcloud auth print-access-token`); the endpoint is configurable so tests run against a local fake.
"""

from __future__ import annotations

from urllib.parse import quote

from app.storage._http import HttpBackend
from app.storage.port import ObjectInfo, ObjectMissing, UploadTarget

DEFAULT_ENDPOINT = "https://storage.googleapis.com"


class GcsStorage(HttpBackend):
    name = "gcs"

    def __init__(self, *, bucket: str, token: str | None = None, endpoint: str = DEFAULT_ENDPOINT) -> None:
        super().__init__(endpoint, {"Authorization": f"Bearer {token}"} if token else {})
        self.bucket = bucket

    def _object(self, key: str) -> str:
        return f"/storage/v1/b/{quote(self.bucket, safe='')}/o/{quote(key, safe='')}"

    async def put(self, key: str, data: bytes, *, content_type: str | None = None) -> None:
        await self.request(
            "POST",
            f"/upload/storage/v1/b/{quote(self.bucket, safe='')}/o",
            params={"uploadType": "media", "name": key},
            content=data,
            headers={"Content-Type": content_type or "application/octet-stream"},
        )

    async def get(self, key: str) -> bytes:
        return (await self.request("GET", self._object(key), params={"alt": "media"})).content

    async def stat(self, key: str) -> ObjectInfo | None:
        try:
            meta = (await self.request("GET", self._object(key))).json()
        except ObjectMissing:
            return None
        return ObjectInfo(size=int(meta["size"]), content_type=meta.get("contentType"))

    async def exists(self, key: str) -> bool:
        return await self.stat(key) is not None

    async def delete(self, key: str) -> None:
        await self.request("DELETE", self._object(key), missing_ok=True)

    def signed_get(self, key: str, *, ttl_s: int, content_type: str, disposition: str) -> str | None:
        return None

    def signed_put(self, key: str, *, content_type: str, size: int, ttl_s: int) -> UploadTarget | None:
        return None
