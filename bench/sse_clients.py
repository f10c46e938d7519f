"""`python -m bench.sse_clients '<json>'`: N real-HTTP SSE clients of one generation stream, and a publisher.

A separate process from the API (so the API's CPU is its own). Every client opens
GET /api/sse/generations/{id}/progress over its own TCP connection (HTTP/1.1, chunked), waits for the
snapshot, then the publisher sends `events` progress events to Redis at `rate` per second, each carrying
its wall-clock publish time; every client records receive time − publish time. Prints one JSON object.
The client is a minimal asyncio HTTP reader (no HTTP library), so 1,000 streams cost the client little.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import Any
from urllib.parse import urlsplit

from redis.asyncio import Redis

from app.platform.pubsub import CLIENT_NAME
from bench.generations import cpu_seconds

CONNECT_PARALLEL = 50


class Stream:
    """One SSE connection: yields the JSON of each `data:` line."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self._buffer = b""

    @classmethod
    async def open(cls, url: str, token: str) -> Stream:
        parts = urlsplit(url)
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        request = (
            f"GET {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nAccept: text/event-stream\r\n"
            f"Authorization: Bearer {token}\r\n\r\n"
        )
        writer.write(request.encode())
        head = await reader.readuntil(b"\r\n\r\n")
        if b" 200 " not in head.split(b"\r\n", 1)[0]:
            raise RuntimeError(head.decode(errors="replace"))
        return cls(reader, writer)

    async def next_data(self) -> dict[str, Any]:
        while True:
            line_end = self._buffer.find(b"\n")
            if line_end >= 0:
                line, self._buffer = self._buffer[:line_end], self._buffer[line_end + 1 :]
                if line.startswith(b"data: "):
                    return json.loads(line[6:])  # type: ignore[no-any-return]
                continue
            size = int((await self.reader.readuntil(b"\r\n")).strip(), 16)  # chunked transfer encoding
            if size == 0:
                raise EOFError("stream closed")
            self._buffer += (await self.reader.readexactly(size + 2))[:-2]

    def close(self) -> None:
        self.writer.close()


async def _client(stream: Stream, events: int, latencies: list[float]) -> int:
    received = 0
    while received < events:
        data = await stream.next_data()
        if "sent" in data:
            latencies.append(time.time() - data["sent"])
            received += 1
    return received


async def main(spec: dict[str, Any]) -> dict[str, Any]:
    url = f"{spec['base_url']}/api/sse/generations/{spec['generation_id']}/progress"
    gate = asyncio.Semaphore(CONNECT_PARALLEL)

    async def connect() -> Stream:
        async with gate:
            stream = await Stream.open(url, spec["token"])
            await stream.next_data()  # the snapshot: this client is subscribed
            return stream

    started = time.monotonic()
    streams = await asyncio.gather(*(connect() for _ in range(spec["subscribers"])))
    connect_s = time.monotonic() - started
    redis = Redis.from_url(spec["redis_url"])
    hubs = sum(1 for c in await redis.client_list() if c.get("name") == CLIENT_NAME)
    latencies: list[float] = []
    api_cpu = cpu_seconds(spec["api_pid"])
    clients = [asyncio.create_task(_client(s, spec["events"], latencies)) for s in streams]
    channel, base = f"atelier:generation:{spec['generation_id']}", spec["event"]
    for n in range(spec["events"]):
        event = {**base, "progress": round((n + 1) / (spec["events"] + 1), 4), "sent": time.time()}
        await redis.publish(channel, json.dumps(event))
        await asyncio.sleep(1 / spec["rate"])
    _, late = await asyncio.wait(clients, timeout=30)
    api_cpu = cpu_seconds(spec["api_pid"]) - api_cpu
    for task in late:
        task.cancel()
    for stream in streams:
        stream.close()
    await redis.aclose()
    return {
        "connect_s": connect_s,
        "hub_connections": hubs,
        "api_cpu_ms": api_cpu * 1000 / max(1, len(latencies)) * 1000,
        "latencies": latencies,
        "expected": spec["events"] * spec["subscribers"],
    }


if __name__ == "__main__":
    result = asyncio.run(main(json.loads(sys.argv[1])))
    sys.stdout.write(json.dumps(result))
