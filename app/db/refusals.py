"""Which database errors are the caller's input and not a fault: SQLSTATE class 22 (data exception: NUL in
text, a number out of range) and class 23 (integrity: a unique key the domain could not pre-check, a race).
Both adapters map them through this one function (REST: 400/409 problems, GraphQL: codes)."""

from __future__ import annotations

from typing import Literal

from sqlalchemy.exc import DBAPIError

Refusal = Literal["invalid", "conflict"]
MESSAGES: dict[Refusal, str] = {
    "invalid": "a value is out of range or holds characters that cannot be stored (such as NUL)",
    "conflict": "the change conflicts with existing data",
}


def refusal(error: BaseException | None) -> Refusal | None:
    if not isinstance(error, DBAPIError):
        return None
    state = str(getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None) or "")
    if state.startswith("22"):
        return "invalid"
    if state.startswith("23"):
        return "conflict"
    return None
