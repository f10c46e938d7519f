"""A fake of Supabase Storage's REST API: upload (x-upsert), authenticated download and HEAD, bulk delete."""

from __future__ import annotations

from urllib.parse import unquote

from tests.fakes._asgi import FakeApp, Reply, Request

PREFIX = "/storage/v1/object/"
AUTHENTICATED = PREFIX + "authenticated/"


class FakeSupabase(FakeApp):
    def __init__(self, service_key: str = "supabase-service-key") -> None:
        super().__init__()
        self.service_key = service_key
        self.objects: dict[tuple[str, str], tuple[bytes, str]] = {}

    async def handle(self, request: Request) -> Reply:
        authorized = request.headers.get("authorization") == f"Bearer {self.service_key}"
        if not authorized or request.headers.get("apikey") != self.service_key:
            return _error(403, "Unauthorized")
        if request.raw_path.startswith(AUTHENTICATED) and request.method in {"GET", "HEAD"}:
            return self._read(request)
        if not request.raw_path.startswith(PREFIX):
            return _error(404, "not found")
        return self._write(request)

    def _read(self, request: Request) -> Reply:
        bucket, _, name = request.raw_path[len(AUTHENTICATED) :].partition("/")
        stored = self.objects.get((unquote(bucket), unquote(name)))
        if stored is None:
            return _error(404, "Object not found", status=400)  # Supabase's way of saying 404
        return Reply(200, stored[0], {"content-type": stored[1]})

    def _write(self, request: Request) -> Reply:
        bucket, _, name = request.raw_path[len(PREFIX) :].partition("/")
        bucket, name = unquote(bucket), unquote(name)
        if request.method == "POST" and name:
            if (bucket, name) in self.objects and request.headers.get("x-upsert") != "true":
                return _error(409, "The resource already exists", status=400)
            content_type = request.headers.get("content-type", "application/octet-stream")
            self.objects[bucket, name] = (request.body, content_type)
            return Reply.of_json({"Key": f"{bucket}/{name}"})
        if request.method == "DELETE" and not name:
            removed = [
                p for p in request.json()["prefixes"] if self.objects.pop((bucket, p), None) is not None
            ]
            return Reply.of_json([{"name": p, "bucket_id": bucket} for p in removed])
        return _error(405, "Method not allowed")


def _error(code: int, message: str, *, status: int | None = None) -> Reply:
    return Reply.of_json({"statusCode": str(code), "error": message, "message": message}, status or code)
