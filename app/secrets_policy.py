"""What counts as a real secret in production: at least 32 bytes, not a run or repetition of characters,
not a placeholder copied from documentation. A heuristic, not an entropy proof: it refuses the secrets
people actually paste (`xxxx…`, `abcd…`, `changeme…`) and leaves random ones alone."""

from __future__ import annotations

import math
from collections import Counter
from itertools import pairwise

MIN_BYTES = 32
MIN_BITS = 128.0
PLACEHOLDERS = ("changeme", "change-me", "secret", "example", "password", "your-", "replace", "test-secret")


def estimated_bits(secret: str) -> float:
    """Length x the Shannon entropy of its characters: 32 random URL-safe characters give ~160 bits."""
    counts = Counter(secret)
    total = len(secret)
    return total * -sum(n / total * math.log2(n / total) for n in counts.values()) if total else 0.0


def _sequential_share(secret: str) -> float:
    """The share of neighbouring characters that repeat or step by one (aaaa, abcd, 1234, dcba)."""
    if len(secret) < 2:
        return 1.0
    steps = sum(abs(ord(b) - ord(a)) <= 1 for a, b in pairwise(secret))
    return steps / (len(secret) - 1)


def weakness(secret: str) -> str | None:
    """Why this secret is too weak for production, or None."""
    if len(secret.encode()) < MIN_BYTES:
        return f"shorter than {MIN_BYTES} bytes"
    lowered = secret.lower()
    if any(word in lowered for word in PLACEHOLDERS):
        return "a placeholder from documentation or tests"
    if _sequential_share(secret) > 0.5:
        return "mostly repeated or sequential characters"
    if estimated_bits(secret) < MIN_BITS:
        return "too few distinct characters (generate one: python -c 'import secrets; print(secrets.token_urlsafe(48))')"
    return None
