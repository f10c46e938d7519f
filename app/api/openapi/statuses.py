"""Problem statuses the handlers' shapes do not reveal: query values the domain validates (422), ids in the
query (404/403), byte ranges (416), upload limits (413/415), credits (402). Added after the build, as copies
of the operation's own 400 problem response so every error keeps the Problem schema and media type."""

from __future__ import annotations

import dataclasses

from litestar.openapi.spec import OpenAPI, OpenAPIResponse, Operation

from app.api.openapi.document import operations

DESCRIPTIONS = {
    402: "Not enough credits for this generation (PAYMENT_REQUIRED).",
    403: "Signed in without the access this needs (FORBIDDEN).",
    404: "No such resource, or one you may not see (NOT_FOUND).",
    413: "The body is larger than the limit (PAYLOAD_TOO_LARGE).",
    415: "The bytes are not an accepted format, or not the declared type (UNSUPPORTED_MEDIA_TYPE).",
    416: "The range is outside the file (RANGE_NOT_SATISFIABLE); Content-Range says its size.",
    422: "A value the schema allows is invalid here (BAD_USER_INPUT; `field` names it).",
}
_UPLOADS = {413, 415, 403, 404, 422}
EXTRA: dict[str, set[int]] = {
    "GetFile": {416},
    "PutFile": {413, 415},
    "UploadArtifactFile": _UPLOADS,
    "UploadArtifactFileBoards": _UPLOADS,
    "UploadArtifactFromUrl": _UPLOADS,
    "CreateGeneration": {402},
    "Regenerate": {402},
    "CreateGenerationBatch": {402},
    "RegenerateGenerationBatch": {402},
    "CreateDirectUpload": {415},
}
ADMIN_PATHS = ("/api/v1/admin/", "/api/v1/instance/")  # tenant or instance admins only: others get 403


def _wanted(path: str, operation: Operation) -> set[int]:
    statuses = set(EXTRA.get(operation.operation_id or "", set()))
    if path.startswith(ADMIN_PATHS):
        statuses.add(403)
    query = [p for p in operation.parameters or [] if getattr(p, "param_in", None) == "query"]
    if query:
        statuses.add(422)
    if any(str(getattr(p, "name", "")).endswith("Id") for p in query):
        statuses |= {403, 404}
    return statuses


def declare_statuses(document: OpenAPI) -> None:
    for path, _, operation in operations(document):
        responses = operation.responses or {}
        template = responses.get("400")
        if not isinstance(template, OpenAPIResponse):
            continue
        for status in sorted(_wanted(path, operation)):
            if str(status) not in responses:
                responses[str(status)] = dataclasses.replace(template, description=DESCRIPTIONS[status])
        operation.responses = dict(sorted(responses.items()))
