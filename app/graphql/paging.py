"""Boards declares its page arguments nullable (`limit: Int = 50`) and treats null as the default; so do we,
so a Boards client that passes `null` (or an unset nullable variable) keeps working."""

DEFAULT_LIMIT = 50


def page_limit(limit: int | None, default: int = DEFAULT_LIMIT) -> int:
    return default if limit is None else limit
