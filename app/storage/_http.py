"""Shared plumbing of the HTTP-API backends (GCS, Supabase): one httpx client, errors mapped to the port's."""

from __future__ import annotations

from typing import Any

import httpx

from app.storage.port import ObjectMissing, StorageError


class HttpBackend:
    name = "http"

    def __init__(self, base_url: str, headers: dict[str, str], *, timeout_s: float = 30.0) -> None:
        self._http = httpx.AsyncClient(base_url=base_url.rstrip("/"), headers=headers, timeout=timeout_s)

    async def request(
        self, method: str, url: str, *, missing_ok: bool = False, **kwargs: Any
    ) -> httpx.Response:
        """One call; 404 → ObjectMissing (or the response when missing_ok), other failures → StorageError."""
        try:
            response = await self._http.request(method, url, **kwargs)
        except httpx.HTTPError as error:
            raise StorageError(f"{self.name} {method}: {type(error).__name__}: {error}") from error
        if response.status_code == 404 or (response.status_code == 400 and _says_not_found(method, response)):
            if missing_ok:
                return response
            raise ObjectMissing(url)
        if response.status_code >= 400:
            raise StorageError(f"{self.name} {method} {url}: HTTP {response.status_code}")
        return response

    async def aclose(self) -> None:
        await self._http.aclose()


def _says_not_found(method: str, response: httpx.Response) -> bool:
    """Supabase answers misses with 400 and a JSON body naming 404 (a HEAD has no body to say so)."""
    if method == "HEAD":
        return True
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and str(body.get("statusCode", "")) == "404"
