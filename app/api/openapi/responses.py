"""Responses Litestar cannot infer: the file endpoint's media types and 206, the progress stream's 204."""

from __future__ import annotations

from litestar.openapi.spec import (
    OpenAPI,
    OpenAPIHeader,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Schema,
)

from app.api.served_types import all_served_types

FILE_PATH = "/api/v1/files/{key}"


def _content() -> dict[str, OpenAPIMediaType]:
    return {
        media_type: OpenAPIMediaType(schema=Schema(content_media_type=media_type))
        for media_type in all_served_types()
    }


def _header(description: str) -> OpenAPIHeader:
    return OpenAPIHeader(description=description, schema=Schema(type=OpenAPIType.STRING))


def type_file_responses(document: OpenAPI) -> None:
    item = (document.paths or {}).get(FILE_PATH)
    if item is None or item.get is None or item.get.responses is None:
        return
    responses = item.get.responses
    responses["200"] = OpenAPIResponse(
        description="The whole file, typed by its stored format.",
        headers={"Accept-Ranges": _header("Always `bytes`.")},
        content=_content(),
    )
    responses["206"] = OpenAPIResponse(
        description="The requested byte range (one `bytes=a-b`, `a-` or `-n` range).",
        headers={"Content-Range": _header("`bytes a-b/size`.")},
        content=_content(),
    )
    item.get.responses = dict(sorted(responses.items()))


STREAM_PATH = "/api/sse/generations/{generation_id}/progress"


def document_streams(document: OpenAPI) -> None:
    """The progress stream's 204: a reconnect that already holds the terminal event gets no stream."""
    item = (document.paths or {}).get(STREAM_PATH)
    if item is None or item.get is None or item.get.responses is None:
        return
    item.get.responses["204"] = OpenAPIResponse(
        description="Last-Event-ID is the terminal event's id: nothing follows (an EventSource stops)."
    )
    item.get.responses = dict(sorted(item.get.responses.items()))


def document_readiness(document: OpenAPI) -> None:
    """/ready answers 503 with the same body when a dependency is down."""
    item = (document.paths or {}).get("/ready")
    if item is None or item.get is None or item.get.responses is None:
        return
    ok = item.get.responses.get("200")
    if isinstance(ok, OpenAPIResponse):
        item.get.responses["503"] = OpenAPIResponse(
            description="PostgreSQL, Redis or storage does not answer.", content=ok.content
        )
