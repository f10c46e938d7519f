"""Outbound HTTP that user input can point somewhere: fetches that never reach private networks (SSRF)."""

from app.net.fetcher import PinnedTransport, SafeFetcher
from app.net.guard import AddressGuard, is_public, parse_allowlist, resolve_host

__all__ = ["AddressGuard", "PinnedTransport", "SafeFetcher", "is_public", "parse_allowlist", "resolve_host"]
