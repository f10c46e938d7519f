"""Which client address a request comes from. `X-Forwarded-For` is believed only from the proxies named
in ATELIER_TRUSTED_PROXIES (addresses or networks; default none): otherwise any client, or a local
proxy's clients, could pick the address their rate limits and login throttling are counted against.
uvicorn's own proxy handling is off (app.cli); this middleware is the one place it happens."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from typing import Any

from litestar.types import ASGIApp, Receive, Scope, Send

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def networks(trusted: Sequence[str]) -> list[Network]:
    return [ipaddress.ip_network(entry.strip(), strict=False) for entry in trusted if entry.strip()]


def _is_trusted(address: str, trusted: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def real_client(peer: str, forwarded_for: str | None, trusted: Sequence[Network]) -> str:
    """The nearest address in the chain that is not a trusted proxy (right to left), else the peer."""
    if not trusted or not forwarded_for or not _is_trusted(peer, trusted):
        return peer
    for hop in reversed([part.strip() for part in forwarded_for.split(",")]):
        if not hop:
            break
        if not _is_trusted(hop, trusted):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer  # a garbled chain: keep the proxy's own address
    return peer


class TrustedProxies:
    """ASGI middleware: rewrites scope["client"] for requests that came through a trusted proxy."""

    def __init__(self, app: ASGIApp, trusted: Sequence[str]) -> None:
        self.app = app
        self.trusted = networks(trusted)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        peer = scope.get("client") if scope["type"] in ("http", "websocket") else None
        if self.trusted and peer:
            host, port = peer
            client = real_client(host, _header(scope, b"x-forwarded-for"), self.trusted)
            if client != host:
                scope["client"] = (client, port)
        await self.app(scope, receive, send)


def _header(scope: Any, name: bytes) -> str | None:
    values = [value.decode("latin-1") for key, value in scope.get("headers", ()) if key.lower() == name]
    return ", ".join(values) if values else None
