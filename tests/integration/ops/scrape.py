"""Reading a Prometheus exposition in tests (prometheus_client's own parser)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families


def sample(text: str, name: str, **labels: str) -> float:
    """The value of the series `name` whose labels include `labels` (summed over the rest; 0 if absent)."""
    total = 0.0
    for family in text_string_to_metric_families(text):
        for found in family.samples:
            if found.name == name and all(found.labels.get(k) == v for k, v in labels.items()):
                total += found.value
    return total


def names(text: str) -> set[str]:
    return {found.name for family in text_string_to_metric_families(text) for found in family.samples}


async def finished(http: httpx.AsyncClient, generation_id: str, within_s: float = 30.0) -> dict[str, Any]:
    deadline = time.monotonic() + within_s
    while True:
        body: dict[str, Any] = (await http.get(f"/api/v1/generations/{generation_id}")).json()
        if body["status"] in {"completed", "failed", "cancelled"} or time.monotonic() > deadline:
            return body
        await asyncio.sleep(0.05)
