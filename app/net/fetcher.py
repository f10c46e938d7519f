"""GET a user-supplied URL without letting it reach internal services.

Every request, first hop or redirect, goes through PinnedTransport: it resolves the host once, refuses a
non-public address, and connects to exactly that address (the Host header and TLS SNI keep the name), so a
DNS answer that changes between check and connect (rebinding) cannot redirect the connection. Redirects are
followed by hand, capped, and limited to http/https; the whole fetch has one deadline and a byte cap.
"""

from __future__ import annotations

import asyncio
import functools
import ssl

import certifi
import httpx

from app.domain.uploads import Fetched, FetchFailed, TooLarge, UrlNotAllowed
from app.net.guard import AddressGuard

SCHEMES = {"http": 80, "https": 443}
REDIRECTS = {301, 302, 303, 307, 308}
USER_AGENT = "Atelier-Uploader/1.0"


class PinnedTransport(httpx.AsyncBaseTransport):
    """An httpx transport that connects only to addresses the guard allows, pinned per request."""

    def __init__(
        self,
        guard: AddressGuard,
        inner: httpx.AsyncBaseTransport | None = None,
        *,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self._guard = guard
        self._inner = inner or httpx.AsyncHTTPTransport(
            verify=tls or default_tls(), retries=0, trust_env=False
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        check_url(url)
        ip = await self._guard.pick(url.host, url.port or SCHEMES[url.scheme])
        extensions = dict(request.extensions)
        if url.scheme == "https" and not _is_literal(url.host):
            extensions["sni_hostname"] = url.host  # TLS names (and verifies) the host, not the IP
        pinned = httpx.Request(
            request.method,
            url.copy_with(host=str(ip)),
            headers=request.headers,  # keeps Host: <name>
            stream=request.stream,
            extensions=extensions,
        )
        return await self._inner.handle_async_request(pinned)

    async def aclose(self) -> None:
        await self._inner.aclose()


@functools.cache
def default_tls() -> ssl.SSLContext:
    """Verifying TLS with certifi's roots, built once (loading the roots costs ~50 ms)."""
    return ssl.create_default_context(cafile=certifi.where())


def check_url(url: httpx.URL) -> None:
    """Only http(s), with a host, without credentials."""
    if url.scheme not in SCHEMES:
        raise UrlNotAllowed("only http and https URLs can be fetched", details={"field": "fileUrl"})
    if not url.host:
        raise UrlNotAllowed("the URL has no host", details={"field": "fileUrl"})
    if url.userinfo:
        raise UrlNotAllowed("URLs with credentials are not fetched", details={"field": "fileUrl"})


def _is_literal(host: str) -> bool:
    return host.replace(".", "").isdigit() or ":" in host


class SafeFetcher:
    """Implements app.domain.uploads.UrlFetcher."""

    def __init__(
        self,
        guard: AddressGuard,
        *,
        timeout_s: float = 30.0,
        max_redirects: int = 5,
    ) -> None:
        self.guard = guard
        self.timeout_s = timeout_s
        self.max_redirects = max_redirects

    async def fetch(self, url: str, *, max_bytes: int) -> Fetched:
        try:
            start = httpx.URL(url)
        except (httpx.InvalidURL, ValueError, TypeError):
            raise UrlNotAllowed("fileUrl is not a valid URL", details={"field": "fileUrl"}) from None
        check_url(start)
        transport = PinnedTransport(self.guard, tls=default_tls())  # a fresh pool per fetch: nothing shared
        timeout = httpx.Timeout(min(10.0, self.timeout_s), connect=min(5.0, self.timeout_s))
        try:
            async with (
                asyncio.timeout(self.timeout_s),
                httpx.AsyncClient(transport=transport, timeout=timeout, trust_env=False) as client,
            ):
                return await self._follow(client, start, max_bytes)
        except TimeoutError:
            raise FetchFailed(f"fetching the URL took longer than {self.timeout_s:g} s") from None
        except httpx.TimeoutException:
            raise FetchFailed("the URL's server did not answer in time") from None
        except (httpx.HTTPError, httpx.InvalidURL, OSError) as error:
            raise FetchFailed(f"could not fetch the URL ({type(error).__name__})") from None

    async def _follow(self, client: httpx.AsyncClient, url: httpx.URL, max_bytes: int) -> Fetched:
        headers = {"User-Agent": USER_AGENT, "Accept": "*/*", "Accept-Encoding": "identity"}
        for _ in range(self.max_redirects + 1):
            async with client.stream("GET", url, headers=headers) as response:
                if response.status_code in REDIRECTS:
                    location = response.headers.get("location")
                    if not location:
                        raise FetchFailed(f"the URL answered {response.status_code} without a Location")
                    url = url.join(location)
                    check_url(url)
                    continue
                if not 200 <= response.status_code < 300:
                    raise FetchFailed(f"the URL answered HTTP {response.status_code}")
                return Fetched(data=await _read_capped(response, max_bytes), final_url=str(url))
        raise UrlNotAllowed(f"more than {self.max_redirects} redirects", details={"field": "fileUrl"})


async def _read_capped(response: httpx.Response, max_bytes: int) -> bytes:
    """The body, refused as soon as it passes max_bytes (the declared length is checked first)."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise TooLarge(
            f"the file is {declared} bytes; the limit is {max_bytes}", details={"limit": max_bytes}
        )
    body = bytearray()
    async for chunk in response.aiter_bytes():
        body.extend(chunk)
        if len(body) > max_bytes:
            raise TooLarge(
                f"the file is larger than the limit of {max_bytes} bytes", details={"limit": max_bytes}
            )
    return bytes(body)
