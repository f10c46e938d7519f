"""The mail account flows send: a link with a single-use secret, and what the link is for.

Links point at the web app (`<base>/verify-email?token=…`, `/reset-password?token=…`,
`/invitations/accept?token=…`), which posts the token to the API. The secret is 256 random bits; only its
SHA-256 is stored, so a database leak reveals no usable link.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import quote

VERIFY = "verify"
RESET = "reset"
VERIFY_TTL = timedelta(days=2)
RESET_TTL = timedelta(hours=1)


def new_secret() -> str:
    return secrets.token_urlsafe(32)


@dataclass(frozen=True, slots=True)
class Letter:
    subject: str
    body: str


def link(base: str, path: str, token: str) -> str:
    return f"{base.rstrip('/')}/{path}?token={quote(token)}"


def verification(base: str, token: str) -> Letter:
    url = link(base, "verify-email", token)
    return Letter(
        "Confirm your e-mail address",
        f"Confirm that this is your address by opening this link within {VERIFY_TTL.days} days:\n\n{url}\n\n"
        "If you did not sign up, ignore this message.\n",
    )


def password_reset(base: str, token: str) -> Letter:
    url = link(base, "reset-password", token)
    return Letter(
        "Reset your password",
        f"Choose a new password by opening this link within the hour:\n\n{url}\n\n"
        "If you did not ask for this, ignore this message: your password stays as it is.\n",
    )


def invitation(base: str, token: str, *, role: str) -> Letter:
    url = link(base, "invitations/accept", token)
    return Letter(
        "You are invited to a board on Atelier",
        f"You were invited to join a board as {role}. Open this link within two weeks to join:\n\n{url}\n",
    )
