"""`python -m bench.sse_clients '<json>'`: real-HTTP SSE clients of one generation stream (one client process).

A separate process from the API (so the API's CPU is its own); `bench.generations.sse_latency` starts
several of them for large counts (CLIENTS_PER_PROCESS streams each, so the clients are not what is
measured) and publishes the events itself. Each client process raises its open-files limit, opens its share
of GET /api/sse/generations/{id}/progress streams over their own TCP connections (HTTP/1.1, chunked), waits
for every snapshot, prints `ready`, then reads `events` progress events, each carrying its wall-clock
publish time, and records receive time − publish time. Prints one JSON line: latencies in microseconds.

The client is as cheap as a reader can be, so that its CPU does not delay what it measures: one asyncio
Protocol per connection on uvloop (when installed), no task per stream, and per received chunk only a
search for the `"sent":` field of each event (the publish time; chunk framing is ignored: SSE frames never
contain the marker otherwise).
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time
from typing import Any
from urllib.parse import urlsplit

CONNECT_PARALLEL = 50
READ_TIMEOUT_S = 60.0
MARKER = b'"sent": '


class Reader(asyncio.Protocol):
    """One SSE connection: the response head, then the publish time of every event as it arrives."""

    def __init__(self, events: int, latencies: list[int], done: asyncio.Future[None]) -> None:
        self.events, self.latencies, self.done = events, latencies, done
        self.head = asyncio.get_running_loop().create_future()
        self.snapshot = asyncio.get_running_loop().create_future()
        self.received = 0
        self.measuring = False
        self._buffer = b""

    def data_received(self, data: bytes) -> None:
        now = time.time()
        buffer = self._buffer + data if self._buffer else data
        if not self.head.done():
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                self._buffer = buffer
                return
            self.head.set_result(buffer[:end])
            buffer = buffer[end + 4 :]
        if not self.snapshot.done():
            if b"\ndata: " not in buffer and not buffer.startswith(b"data: "):
                self._buffer = buffer
                return
            self.snapshot.set_result(None)  # the first frame: this stream is subscribed
            buffer = b""
        self._buffer = b""
        if self.measuring:
            self._count(buffer, now)

    def _count(self, buffer: bytes, now: float) -> None:
        start = buffer.find(MARKER)
        while start >= 0:
            end = start + len(MARKER)
            stop = end
            while stop < len(buffer) and buffer[stop] in b"0123456789.":
                stop += 1
            if stop == len(buffer):  # the number may continue in the next chunk
                self._buffer = buffer[start:]
                return
            self.latencies.append(int((now - float(buffer[end:stop])) * 1_000_000))
            self.received += 1
            if self.received == self.events and not self.done.done():
                self.done.set_result(None)
            start = buffer.find(MARKER, stop)
        self._buffer = buffer[1 - len(MARKER) :]  # a marker split across two reads (too short to hold one)

    def connection_lost(self, exc: Exception | None) -> None:
        for future in (self.head, self.snapshot):
            if not future.done():
                future.set_exception(EOFError("stream closed"))


async def open_stream(url: str, token: str, events: int, latencies: list[int]) -> tuple[Any, Reader]:
    parts = urlsplit(url)
    loop = asyncio.get_running_loop()
    done: asyncio.Future[None] = loop.create_future()
    transport, reader = await loop.create_connection(
        lambda: Reader(events, latencies, done), parts.hostname or "127.0.0.1", parts.port or 80
    )
    request = (
        f"GET {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nAccept: text/event-stream\r\n"
        f"Authorization: Bearer {token}\r\n\r\n"
    )
    transport.write(request.encode())
    head = await reader.head
    if b" 200 " not in head.split(b"\r\n", 1)[0]:
        raise RuntimeError(head.decode(errors="replace"))
    await reader.snapshot
    return transport, reader


def raise_fd_limit() -> int:
    """Open files up to the hard limit: one socket per stream."""
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


async def main(spec: dict[str, Any]) -> dict[str, Any]:
    url = f"{spec['base_url']}/api/sse/generations/{spec['generation_id']}/progress"
    gate = asyncio.Semaphore(CONNECT_PARALLEL)
    latencies: list[int] = []

    async def connect() -> tuple[Any, Reader]:
        async with gate:
            return await open_stream(url, spec["token"], spec["events"], latencies)

    started = time.monotonic()
    streams = await asyncio.gather(*(connect() for _ in range(spec["subscribers"])))
    connect_s = time.monotonic() - started
    for _, reader in streams:
        reader.measuring = True
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    waiting = [reader.done for _, reader in streams]
    await asyncio.wait(waiting, timeout=spec["events"] / spec["rate"] + READ_TIMEOUT_S)
    for transport, _ in streams:
        transport.close()
    return {"connect_s": connect_s, "latencies_us": latencies}


def _run(spec: dict[str, Any]) -> dict[str, Any]:
    try:
        import uvloop
    except ImportError:
        return asyncio.run(main(spec))
    return uvloop.run(main(spec))


if __name__ == "__main__":
    raise_fd_limit()
    sys.stdout.write(json.dumps(_run(json.loads(sys.argv[1]))) + "\n")
