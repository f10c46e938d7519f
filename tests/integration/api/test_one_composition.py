"""REST composes its services the way GraphQL does: one provider gives every handler the request's
`app.wiring.Services` (the class GraphQL's context builds), so a service added there is wired for both APIs."""

from __future__ import annotations

import typing
from typing import Any

from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.routes import HTTPRoute

from app.graphql.context import GraphQLContext
from app.wiring import Services

# What a handler may be given besides the services: advanced-alchemy's session and engine, litestar-saq's
# queues, and what Strawberry's view gives its own handlers.
INFRASTRUCTURE = {"db_session", "db_engine", "task_queues", "context", "root_value", "response"}


def _handlers(app: Litestar) -> list[HTTPRouteHandler]:
    routes = [route for route in app.routes if isinstance(route, HTTPRoute)]
    return [handler for route in routes for handler in route.route_handlers]


def test_every_rest_handler_gets_its_services_from_the_one_provider(app: Litestar) -> None:
    wanted: dict[str, set[str]] = {}
    for handler in _handlers(app):
        params = set(handler.parsed_fn_signature.parameters)
        for name in params & set(handler.resolve_dependencies()):
            wanted.setdefault(name, set()).add(handler.handler_name)
    assert set(wanted) - INFRASTRUCTURE == {"services"}, wanted
    assert len(wanted["services"]) > 50  # nearly every handler reaches the domain this way

    provider = app.dependencies["services"].dependency
    assert typing.get_type_hints(provider)["return"] is Services


def test_graphql_builds_the_same_composition() -> None:
    hints: dict[str, Any] = typing.get_type_hints(GraphQLContext.services.func)
    assert hints["return"] is Services
