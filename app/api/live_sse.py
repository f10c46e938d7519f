"""An SSE response the pub/sub hub writes to directly: per live event, one write per stream and nothing else.

A plain `Stream` costs every stream, per event: a wake-up of its task, a keep-alive timer set and cancelled,
and a chain of async generators before the frame reaches the ASGI `send`. At 10,000 streams that was about
21 µs per delivery (210 ms of CPU per event). Here the stream registers a `direct` hook on its Subscriber:
while the stream waits with nothing queued, the hub's fan-out loop calls the hook, which passes the shared
frame (encoded once per event) to this stream's ASGI `send` right there. A `send` completes without
suspending unless the client stopped reading (the server's write buffer is full): only then is the rest of
that write finished in a task of its own, and until it is done this stream's later events queue as before.

Everything else (the first frame, keep-alives, gaps and re-reads, the terminal event, the end of the
response) stays on the stream's own loop, `slow`: the async iterator of frames the controller builds. When
that loop finds several events queued (its client was behind), it writes their frames in one `send`.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import inspect
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterable
from typing import Any

from litestar.connection import Request
from litestar.response import Stream
from litestar.response.base import ASGIResponse
from litestar.response.streaming import ASGIStreamingResponse
from litestar.types import HTTPResponseBodyEvent, Receive, Send

from app.platform.logging import get_logger
from app.platform.pubsub import Message, Subscriber

log = get_logger("atelier.sse")
SSE = "text/event-stream"
HEADERS = {"Cache-Control": "no-store", "X-Accel-Buffering": "no", "Connection": "keep-alive"}
END: HTTPResponseBodyEvent = {"type": "http.response.body", "body": b"", "more_body": False}
BATCH = 64  # frames at most per write when a stream catches up (the subscriber's queue holds 64)
Fast = Callable[[Message], bytes | None]  # the frame to write now, b"" = nothing to send, None = not here


class LiveWriter:
    """One stream's writes: its own loop's (`run`) and the hub's direct ones (`offer`), never at once."""

    def __init__(
        self, subscriber: Subscriber, slow: AsyncIterator[bytes], fast: Fast, *, keepalive: bytes
    ) -> None:
        self.subscriber = subscriber
        self.slow = slow
        self.fast = fast
        self.keepalive = keepalive
        self.writes = 0
        self._send: Send | None = None
        self._context: contextvars.Context | None = None
        self._inflight: asyncio.Task[Any] | None = None
        # Frames the stream's loop holds to write together. While any are held, a live event must queue
        # behind them (the loop may be waiting for its next item with them unwritten: a queued repeat it
        # skipped), or the hub's direct write would overtake them.
        self._held: list[bytes] = []

    async def run(self, send: Send) -> None:
        """The stream's own loop: the slow path's frames, then the end of the response."""
        self._send, self._context = send, contextvars.copy_context()
        self.subscriber.direct = self.offer
        try:
            seen, batch = -1, self._held
            async for body in self.slow:
                if body is self.keepalive and (self.writes != seen or batch):
                    seen = self.writes  # the hub wrote since the last keep-alive: the connection is not idle
                    continue
                batch.append(body)
                if self.subscriber.pending() and len(batch) < BATCH:
                    continue  # behind: the frames already queued go out in one write
                await self.write(b"".join(batch) if len(batch) > 1 else body)
                seen = self.writes
                batch.clear()
            if batch:
                await self.write(b"".join(batch))
            await self.write_done()
            await send(END)
        finally:
            self.subscriber.direct = None
            if self._inflight is not None:
                self._inflight.cancel()
            await self.subscriber.close()

    async def write(self, body: bytes) -> None:
        await self.write_done()
        assert self._send is not None
        await self._send({"type": "http.response.body", "body": body, "more_body": True})
        self.writes += 1

    async def write_done(self) -> None:
        """Wait for a direct write that had to wait for the client (raises what it raised)."""
        inflight, self._inflight = self._inflight, None
        if inflight is not None:
            await inflight

    def offer(self, message: Message) -> bool:
        """The Subscriber's `direct` hook, called in the hub's fan-out loop: True when handled here."""
        if self._held:
            return False  # frames of the stream's own loop are not written yet: this one goes after them
        inflight = self._inflight
        if inflight is not None and not (inflight.done() and _succeeded(inflight)):
            return False  # the previous write still waits for the client (or failed): queue this one
        body = self.fast(message)
        if body is None:
            return False
        if body:
            self._inflight = None
            self._write_now(body)
        return True

    def _write_now(self, body: bytes) -> None:
        assert self._send is not None and self._context is not None
        write: Any = self._send({"type": "http.response.body", "body": body, "more_body": True})
        if inspect.iscoroutine(write):
            try:
                pending = self._context.run(write.send, None)
            except StopIteration:
                self.writes += 1
                return
            write = _Resumed(write, pending)  # the client is behind: the rest waits in a task of its own
        # (a server whose send returns some other awaitable gets every direct write finished in a task)
        task = asyncio.get_running_loop().create_task(_finish(write, self), context=self._context)
        self._inflight = task
        task.add_done_callback(_retrieve)


def _succeeded(task: asyncio.Task[Any]) -> bool:
    return not task.cancelled() and task.exception() is None


def _retrieve(task: asyncio.Task[Any]) -> None:
    """Mark a failed direct write's error as seen (the stream's loop re-raises it at its next write)."""
    if not task.cancelled():
        task.exception()


async def _finish(write: Awaitable[Any], writer: LiveWriter) -> None:
    await write
    writer.writes += 1


class _Resumed:
    """Awaiting this continues a coroutine that was started outside any task and suspended on `pending`
    (what `yield from` does, PEP 380): values and exceptions the task sends in are passed on to it."""

    def __init__(self, coroutine: Any, pending: Any) -> None:
        self._coroutine, self._pending = coroutine, pending

    def __await__(self) -> Generator[Any, Any, Any]:
        coroutine, value = self._coroutine, self._pending
        while True:
            try:
                sent = yield value
            except GeneratorExit:
                coroutine.close()
                raise
            except BaseException as error:
                try:
                    value = coroutine.throw(error)
                except StopIteration as stop:
                    return stop.value
            else:
                try:
                    value = coroutine.send(sent)
                except StopIteration as stop:
                    return stop.value


class LiveResponse(ASGIStreamingResponse):
    """The ASGI side: the writer's loop in a task, ended when the client disconnects (as Stream does)."""

    def __init__(self, writer: LiveWriter, **kwargs: Any) -> None:
        super().__init__(iterator=(), **kwargs)
        self.writer = writer

    async def send_body(self, send: Send, receive: Receive) -> None:
        writer = asyncio.create_task(self.writer.run(send))
        listener = asyncio.create_task(_disconnected(receive))
        try:
            await asyncio.wait((writer, listener), return_when=asyncio.FIRST_COMPLETED)
        finally:
            writer.cancel()
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await writer  # its cleanup (the subscriber released) is done before the response ends


async def _disconnected(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


class LiveStream(Stream):
    """The Litestar response of a live SSE stream (see the module docstring)."""

    def __init__(self, writer: LiveWriter) -> None:
        super().__init__((), media_type=SSE, headers=HEADERS)
        self.writer = writer

    def to_asgi_response(
        self,
        app: Any,
        request: Request[Any, Any, Any],
        *,
        background: Any = None,
        cookies: Iterable[Any] | None = None,
        encoded_headers: Iterable[tuple[bytes, bytes]] | None = None,
        headers: dict[str, str] | None = None,
        is_head_response: bool = False,
        media_type: Any = None,
        status_code: int | None = None,
        type_encoders: Any = None,
    ) -> ASGIResponse:
        return LiveResponse(
            self.writer,
            background=self.background or background,
            content_length=0,
            cookies=self.cookies if cookies is None else [*self.cookies, *cookies],
            encoded_headers=encoded_headers,
            encoding=self.encoding,
            headers={**headers, **self.headers} if headers is not None else self.headers,
            is_head_response=is_head_response,
            media_type=SSE,
            status_code=self.status_code or status_code,
        )
