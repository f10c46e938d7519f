"""A fake of the Google Cloud Storage JSON API: media upload, metadata, download (alt=media), delete."""

from __future__ import annotations

from urllib.parse import unquote

from tests.fakes._asgi import FakeApp, Reply, Request

UPLOAD = "/upload/storage/v1/b/"
OBJECTS = "/storage/v1/b/"


class FakeGcs(FakeApp):
    def __init__(self, token: str = "gcs-test-token") -> None:
        super().__init__()
        self.token = token
        self.objects: dict[tuple[str, str], tuple[bytes, str]] = {}

    async def handle(self, request: Request) -> Reply:
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return _error(401, "Unauthorized")
        if request.raw_path.startswith(UPLOAD) and request.method == "POST":
            bucket = unquote(request.raw_path[len(UPLOAD) :].removesuffix("/o"))
            if request.query.get("uploadType") != "media" or not request.query.get("name"):
                return _error(400, "uploadType=media and name are required")
            name = request.query["name"]
            content_type = request.headers.get("content-type", "application/octet-stream")
            self.objects[bucket, name] = (request.body, content_type)
            return Reply.of_json(self._meta(bucket, name))
        if request.raw_path.startswith(OBJECTS) and "/o/" in request.raw_path:
            bucket_part, _, name_part = request.raw_path[len(OBJECTS) :].partition("/o/")
            return self._object(request, unquote(bucket_part), unquote(name_part))
        return _error(404, "Not Found")

    def _object(self, request: Request, bucket: str, name: str) -> Reply:
        stored = self.objects.get((bucket, name))
        if stored is None:
            return _error(404, f"No such object: {bucket}/{name}")
        if request.method == "DELETE":
            del self.objects[bucket, name]
            return Reply(204)
        if request.method != "GET":
            return _error(405, "Method Not Allowed")
        if request.query.get("alt") == "media":
            return Reply(200, stored[0], {"content-type": stored[1]})
        return Reply.of_json(self._meta(bucket, name))

    def _meta(self, bucket: str, name: str) -> dict[str, str]:
        data, content_type = self.objects[bucket, name]
        return {"kind": "storage#object", "bucket": bucket, "name": name, "size": str(len(data)),
                "contentType": content_type}  # fmt: skip


def _error(status: int, message: str) -> Reply:
    return Reply.of_json({"error": {"code": status, "message": message}}, status)
