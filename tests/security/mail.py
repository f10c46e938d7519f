"""A real SMTP server on loopback (aiosmtpd) and a way to run the outbox drain job as a worker would."""

from __future__ import annotations

import re
import socket
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from email import message_from_bytes
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller
from pydantic import SecretStr

from app.jobs.config import worker_hooks
from app.jobs.mail import drain_mail_outbox, sweep_mail_outbox
from app.settings import Settings

TOKEN = re.compile(r"[?&]token=([A-Za-z0-9_-]+)")


class Inbox:
    """What the SMTP server received."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if str(m["To"]).lower() == address.lower()]

    def token(self, address: str, path: str) -> str:
        """The token of the newest mail to `address` whose link goes to `path`."""
        for message in reversed(self.to(address)):
            body = str(message.get_payload(decode=True), "utf-8")
            if f"/{path}?" in body:
                found = TOKEN.search(body)
                assert found is not None
                return found.group(1)
        raise AssertionError(f"no {path} mail to {address}: {[m['Subject'] for m in self.messages]}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def smtp_server() -> Iterator[tuple[Inbox, str]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, f"smtp://127.0.0.1:{port}"
    finally:
        controller.stop()


@asynccontextmanager
async def mail_worker(settings: Settings, smtp_url: str | None) -> AsyncIterator[Any]:
    """A worker context as `workers run` builds it; call the returned function to drain the outbox."""
    configured = settings.model_copy(update={"smtp_url": SecretStr(smtp_url) if smtp_url else None})
    startup, shutdown = worker_hooks(configured)
    ctx: dict[str, Any] = {}
    await startup(ctx)

    async def drain() -> int:
        return await drain_mail_outbox(ctx)

    async def sweep() -> int:
        return await sweep_mail_outbox(ctx)

    drain.sweep = sweep  # type: ignore[attr-defined]
    try:
        yield drain
    finally:
        await shutdown(ctx)
