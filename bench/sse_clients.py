"""`python -m bench.sse_clients '<json>'`: real-HTTP SSE clients of one generation stream (one client process).

A separate process from the API (so the API's CPU is its own); `bench.generations.sse_latency` starts
several of them for large counts (about 2,000 streams each, so the clients are not what is measured) and
publishes the events itself. Each client process raises its open-files limit, opens its share of
GET /api/sse/generations/{id}/progress streams over their own TCP connections (HTTP/1.1, chunked), waits
for every snapshot, prints `ready`, then reads `events` progress events, each carrying its wall-clock
publish time, and records receive time − publish time. Prints one JSON line: latencies in microseconds.
The client is a minimal asyncio HTTP reader (no HTTP library), so thousands of streams cost it little.
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


def raise_fd_limit() -> int:
    """Open files up to the hard limit: one socket per stream."""
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


async def _client(stream: Stream, events: int, latencies: list[int]) -> int:
    received = 0
    while received < events:
        data = await stream.next_data()
        if "sent" in data:
            latencies.append(int((time.time() - data["sent"]) * 1_000_000))
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
    latencies: list[int] = []
    clients = [asyncio.create_task(_client(s, spec["events"], latencies)) for s in streams]
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    _, late = await asyncio.wait(clients, timeout=spec["events"] / spec["rate"] + READ_TIMEOUT_S)
    for task in late:
        task.cancel()
    for stream in streams:
        stream.close()
    return {"connect_s": connect_s, "latencies_us": latencies}


if __name__ == "__main__":
    raise_fd_limit()
    result = asyncio.run(main(json.loads(sys.argv[1])))
    sys.stdout.write(json.dumps(result) + "\n")
