"""The served OpenAPI document, made to say exactly what the server does (third-party tools trust it).

Litestar builds the document from the handlers; `refine_openapi` then states what it cannot infer: 204s
without a body, request bodies that refuse unknown fields, the configured security schemes, the types the
file endpoint serves, and the links that chain create → read → update → delete. It runs once per app, at
start-up and before `codegen` exports the document, so the served and the committed copies agree.
"""

from __future__ import annotations

from litestar import Litestar

from app.api.openapi.constraints import mirror_query_contracts, restore_constraints, type_saved_view_queries
from app.api.openapi.document import (
    close_request_bodies,
    declare_limits,
    declare_security,
    drop_no_content_bodies,
    request_structs,
)
from app.api.openapi.links import add_links
from app.api.openapi.responses import document_readiness, document_streams, type_file_responses
from app.api.openapi.statuses import declare_statuses

_REFINED = "openapi_refined"


def refine_openapi(app: Litestar) -> None:
    """Refine the app's OpenAPI document in place (idempotent; a no-op when OpenAPI is off)."""
    if app.openapi_config is None or app.state.get(_REFINED):
        return
    document = app.openapi_schema
    drop_no_content_bodies(document)
    declare_statuses(document)
    structs = request_structs(app)
    close_request_bodies(document, structs)
    restore_constraints(document, structs)
    mirror_query_contracts(document)
    type_saved_view_queries(document)
    settings = app.state.settings
    declare_security(document, settings.auth)
    declare_limits(document, settings.storage.upload_max_bytes)
    type_file_responses(document)
    document_streams(document)
    document_readiness(document)
    add_links(document)
    app.state[_REFINED] = True
