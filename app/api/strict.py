"""Request hooks that keep the server exactly as strict as its OpenAPI document.

* JSON bodies are decoded strictly: Litestar converts bodies leniently (`0` becomes `false`, `"1"` becomes
  `1`), which accepts what the document's types refuse. A body that only the lenient path accepts is a 400.
* OPTIONS answers list every method of the path in `Allow` (Litestar's automatic handler can miss methods
  registered after it was created).
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Litestar, Request
from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.exceptions import ValidationException
from litestar.routes import HTTPRoute
from litestar.types import Message, Scope

_METHODS_STATE = "allow_by_path"


async def strict_json_body(request: Request[Any, Any, Any]) -> None:
    """Validate a JSON body against the handler's `data` Struct with msgspec's strict rules first."""
    data = request.route_handler.parsed_fn_signature.parameters.get("data")
    if data is None or request.content_type[0] != "application/json":
        return
    target = data.annotation
    if not (isinstance(target, type) and issubclass(target, msgspec.Struct)):
        return
    try:
        document = msgspec.json.decode(await request.body())
    except msgspec.DecodeError as error:
        raise ValidationException(f"the body is not JSON: {error}") from None
    msgspec.convert(_integral(document), type=target, strict=True)  # ValidationError → 400


def _integral(value: Any) -> Any:
    """JSON Schema's integers include 1.0; strict msgspec takes only 1 (floats still take ints)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**63:
        return int(value)
    if isinstance(value, list):
        return [_integral(item) for item in value]
    if isinstance(value, dict):
        return {key: _integral(item) for key, item in value.items()}
    return value


def _allow_by_path(app: Litestar) -> dict[str, str]:
    methods: dict[str, set[str]] = {}
    for route in app.routes:
        if isinstance(route, HTTPRoute):
            methods.setdefault(route.path, set()).update(route.methods)
    return {path: ", ".join(sorted(found)) for path, found in methods.items()}


async def complete_allow_header(message: Message, scope: Scope) -> None:
    """before_send: the OPTIONS response's Allow header lists every method of the route."""
    if message["type"] != "http.response.start":  # first: every chunk of a live stream passes here
        return
    if scope["type"] != ScopeType.HTTP or scope.get("method") != "OPTIONS":
        return
    app = scope["app"]
    table: dict[str, str] = app.state.get(_METHODS_STATE) or _allow_by_path(app)
    app.state[_METHODS_STATE] = table
    for path in scope["route_handler"].paths:
        if path in table:
            MutableScopeHeaders.from_message(message)["Allow"] = table[path]
            return
