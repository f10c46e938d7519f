"""Direct-upload calls through either API (the same shapes back: camelCase JSON, ApiError on failure)."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from tests.contract.drivers import ApiError, Driver, GraphQLDriver, RestDriver

UPLOAD_FIELDS = "id boardId uploadUrl method headers expiresAt maxBytes"
GENERATION_FIELDS = (
    "id boardId status progress artifactType generatorName storageUrl inputParams outputMetadata"
)


def png_bytes(size: int = 32) -> bytes:
    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (size, size), (200, 30, 90)).save(out, format="PNG")
    return out.getvalue()


async def create_upload(api: Driver, **fields: Any) -> dict[str, Any]:
    if isinstance(api, GraphQLDriver):
        query = f"mutation($i: CreateDirectUploadInput!) {{ createDirectUpload(input: $i) {{ {UPLOAD_FIELDS} }} }}"
        variables = {k: (v.upper() if k == "artifactType" else v) for k, v in fields.items()}
        return (await api.execute(query, i=variables))["createDirectUpload"]  # type: ignore[no-any-return]
    assert isinstance(api, RestDriver)
    return RestDriver._ok(await api.http.post("/api/v1/direct-uploads", json=fields, headers=api.headers))  # type: ignore[no-any-return]


async def confirm_upload(api: Driver, upload_id: str) -> dict[str, Any]:
    if isinstance(api, GraphQLDriver):
        query = f"mutation($id: UUID!) {{ confirmDirectUpload(id: $id) {{ {GENERATION_FIELDS} }} }}"
        found = (await api.execute(query, id=upload_id))["confirmDirectUpload"]
        return {**found, "status": found["status"].lower(), "artifactType": found["artifactType"].lower()}
    assert isinstance(api, RestDriver)
    path = f"/api/v1/direct-uploads/{upload_id}/confirm"
    return RestDriver._ok(await api.http.post(path, headers=api.headers))  # type: ignore[no-any-return]


__all__ = ["ApiError", "confirm_upload", "create_upload", "png_bytes"]
