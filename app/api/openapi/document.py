"""Whole-document refinements: empty 204s, closed request bodies, security schemes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeGuard

import msgspec
from litestar import Litestar
from litestar.openapi.spec import (
    Components,
    OpenAPI,
    OpenAPIType,
    Operation,
    Schema,
    SecurityScheme,
)

from app import contracts
from app.domain.direct_uploads.service import ACCEPTED_TYPES

METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
BEARER, API_KEY = "bearerToken", "apiKey"
UNSIGNED_PATHS = ("/api/v1/files/", "/api/v1/webhooks/")  # the URL's or the payload's signature is the auth
OPEN_PATHS = ("/health", "/ready")


def operations(document: OpenAPI) -> Iterator[tuple[str, str, Operation]]:
    """(path, method, operation) for every operation of the document."""
    for path, item in (document.paths or {}).items():
        for method in METHODS:
            operation = getattr(item, method, None)
            if isinstance(operation, Operation):
                yield path, method, operation


def drop_no_content_bodies(document: OpenAPI) -> None:
    """A 204 has no body (RFC 9110 §15.3.5); Litestar documents one of type null."""
    for _, _, operation in operations(document):
        response = (operation.responses or {}).get("204")
        if response is not None and hasattr(response, "content"):
            response.content = None


def request_structs(app: Litestar) -> dict[str, type[msgspec.Struct]]:
    """The Structs REST bodies decode into, by name (the shared contracts and controllers' own)."""
    found = {name: value for name in dir(contracts) if _is_struct(value := getattr(contracts, name))}
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            data = handler.parsed_fn_signature.parameters.get("data")
            if data is not None and _is_struct(data.annotation):
                found[data.annotation.__name__] = data.annotation
    return found


def close_request_bodies(document: OpenAPI, structs: dict[str, type[msgspec.Struct]]) -> None:
    """Bodies whose Struct refuses unknown fields say so (`additionalProperties: false`), so clients and
    fuzzers never send what the server answers 400 to."""
    schemas = document.components.schemas if document.components else {}
    for name, schema in schemas.items():
        struct = structs.get(name)
        if struct is not None and struct.__struct_config__.forbid_unknown_fields:
            schema.additional_properties = False
    _upload_rules(schemas.get("UploadFromUrl"), "artifactType", required_url=True)
    _upload_rules(schemas.get("UploadForm"), "artifact_type", required_url=False)


def _upload_rules(schema: Schema | None, type_field: str, *, required_url: bool) -> None:
    """Uploads take four artifact types (lora and model files get 415); the form also takes them in
    capitals (GraphQL's enum names). The URL body is also GraphQL's Boards input, where fileUrl is
    optional; REST's handler needs it."""
    if schema is None or schema.properties is None:
        return
    kinds = ["image", "video", "audio", "text"]
    schema.properties[type_field] = Schema(
        type=OpenAPIType.STRING,
        enum=kinds if required_url else [*kinds, *(kind.upper() for kind in kinds)],
        description="What the bytes are.",
    )
    if required_url:
        schema.required = sorted({*(schema.required or ()), "fileUrl"})
        schema.properties["fileUrl"] = Schema(type=OpenAPIType.STRING, min_length=1, max_length=2048)


def declare_limits(document: OpenAPI, upload_max_bytes: int) -> None:
    """Limits that are settings, as this server applies them (the committed export shows the defaults),
    and the direct upload's rule that a type other than image/video/audio/text needs its artifactType."""
    schemas = document.components.schemas if document.components else {}
    create = schemas.get("DirectUploadCreate")
    if create is None:
        return
    size = (create.properties or {}).get("sizeBytes")
    if isinstance(size, Schema):
        size.maximum = upload_max_bytes
    content_type = (create.properties or {}).get("contentType")
    if isinstance(content_type, Schema):
        content_type.enum = sorted(ACCEPTED_TYPES)
    create.any_of = [
        Schema(required=["artifactType"], properties={"artifactType": Schema(type=OpenAPIType.STRING)}),
        Schema(properties={"contentType": Schema(pattern="^(image|video|audio|text)/")}),
    ]


def _is_struct(value: object) -> TypeGuard[type[msgspec.Struct]]:
    return isinstance(value, type) and issubclass(value, msgspec.Struct)


def declare_security(document: OpenAPI, auth_mode: str) -> None:
    """The schemes of the configured mode. Anonymous calls stay allowed (`{}`): public boards are readable
    without signing in, and each operation answers 401 where it needs a caller. `none` has no schemes."""
    if auth_mode == "none":
        return
    document.components = document.components or Components()
    document.components.security_schemes = {
        BEARER: SecurityScheme(
            type="http",
            scheme="bearer",
            bearer_format="JWT",
            description="An access token (local accounts or the configured identity provider) or an API key.",
        ),
        API_KEY: SecurityScheme(
            type="apiKey", name="X-API-Key", security_scheme_in="header", description="An API key."
        ),
    }
    for path, _, operation in operations(document):
        if path.startswith(UNSIGNED_PATHS) or path in OPEN_PATHS:
            operation.security = []
        else:
            operation.security = [{BEARER: []}, {API_KEY: []}, {}]
