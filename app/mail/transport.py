"""Where the outbox's mail goes: an SMTP server (`ATELIER_SMTP_URL`), or, by default, one `.eml` file per
message under `<data dir>/outbox` with its links logged, so a developer can follow a verification link
without a mail server."""

from __future__ import annotations

import re
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

import aiosmtplib

from app.platform.logging import get_logger

log = get_logger("atelier.mail")
_LINK = re.compile(r"https?://\S+")


class MailTransport(Protocol):
    async def deliver(self, message: EmailMessage) -> None: ...


def compose(*, sender: str, to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2].strip(">") or "localhost")
    message.set_content(body)
    return message


class SmtpTransport:
    """smtp://[user:password@]host[:port][?starttls=true]; smtps:// for implicit TLS (port 465)."""

    def __init__(self, url: str, *, timeout_s: float = 30.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("ATELIER_SMTP_URL must look like smtp://user:password@host:587?starttls=true")
        query = parse_qs(parts.query)
        self._tls = parts.scheme == "smtps"
        self._starttls = query.get("starttls", ["false"])[0].lower() in ("1", "true", "yes")
        self._host, self._port = parts.hostname, parts.port or (465 if self._tls else 25)
        self._user = unquote(parts.username) if parts.username else None
        self._password = unquote(parts.password) if parts.password else None
        self._timeout_s = timeout_s

    async def deliver(self, message: EmailMessage) -> None:
        await aiosmtplib.send(
            message,
            hostname=self._host,
            port=self._port,
            username=self._user,
            password=self._password,
            use_tls=self._tls,
            start_tls=self._starttls if not self._tls else False,
            timeout=self._timeout_s,
        )


class FileTransport:
    """The embedded default: each message becomes `<dir>/<message id>.eml`, and its links are logged."""

    def __init__(self, directory: Path) -> None:
        self._directory = directory

    async def deliver(self, message: EmailMessage) -> None:
        self._directory.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9._-]", "_", str(message["Message-ID"]).strip("<>"))
        path = self._directory / f"{name}.eml"
        path.write_bytes(bytes(message))
        body = message.get_body(("plain",))
        links = _LINK.findall(body.get_content()) if body is not None else []
        log.info("mail written to the file outbox", to=message["To"], subject=message["Subject"],
                 path=str(path), links=links)  # fmt: skip


def build_transport(smtp_url: str | None, outbox_dir: Path) -> MailTransport:
    return SmtpTransport(smtp_url) if smtp_url else FileTransport(outbox_dir)
