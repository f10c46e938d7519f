"""Supabase Storage through its REST API (httpx) with the service-role key; files are served through the
app's signed URLs, so a private bucket never needs a public URL."""

from __future__ import annotations

from urllib.parse import quote

from app.storage._http import HttpBackend
from app.storage.port import ObjectInfo, ObjectMissing, UploadTarget


class SupabaseStorage(HttpBackend):
    name = "supabase"

    def __init__(self, *, url: str, service_key: str, bucket: str) -> None:
        headers = {"Authorization": f"Bearer {service_key}", "apikey": service_key}
        super().__init__(url.rstrip("/") + "/storage/v1", headers)
        self.bucket = bucket

    def _path(self, key: str) -> str:
        return f"{quote(self.bucket, safe='')}/{quote(key)}"

    async def put(self, key: str, data: bytes, *, content_type: str | None = None) -> None:
        headers = {"Content-Type": content_type or "application/octet-stream", "x-upsert": "true"}
        await self.request("POST", f"/object/{self._path(key)}", content=data, headers=headers)

    async def get(self, key: str) -> bytes:
        return (await self.request("GET", f"/object/authenticated/{self._path(key)}")).content

    async def stat(self, key: str) -> ObjectInfo | None:
        try:
            response = await self.request("HEAD", f"/object/authenticated/{self._path(key)}")
        except ObjectMissing:
            return None
        return ObjectInfo(
            size=int(response.headers["content-length"]), content_type=response.headers.get("content-type")
        )

    async def exists(self, key: str) -> bool:
        return await self.stat(key) is not None

    async def delete(self, key: str) -> None:
        await self.request(
            "DELETE", f"/object/{quote(self.bucket, safe='')}", json={"prefixes": [key]}, missing_ok=True
        )

    def signed_get(self, key: str, *, ttl_s: int, content_type: str, disposition: str) -> str | None:
        return None

    def signed_put(self, key: str, *, content_type: str, size: int, ttl_s: int) -> UploadTarget | None:
        return None
