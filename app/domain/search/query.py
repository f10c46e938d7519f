"""The search language, parsed into typed values before any SQL exists: words, metadata conditions, cursors.

Nothing here builds SQL. The store turns these values into expressions with bound parameters only, so a
condition can never change the shape of a statement, whatever its text.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from uuid import UUID

import msgspec

from app.contracts import GenerationSearchQuery, SearchSort
from app.domain.errors import Invalid

MAX_TERMS = 8
MAX_TERM_CHARS = 64
MAX_PATH_DEPTH = 6
MAX_VALUE_CHARS = 200
INFIX_MIN = 3  # shorter fragments have no trigram to look up
# How terms match, widened one step at a time while a first page finds nothing: whole (stemmed) words, then
# prefixes of words, then (3+ characters, trigrams) anywhere inside the prompt. Each step reads far more
# of the indexes than the one before (bench/README.md, search rows at 1,000,000 generations).
WORDS, PREFIXES, INSIDE = 0, 1, 2
Op = Literal["=", "!=", "<", "<=", ">", ">=", "~"]
Scalar = str | int | float | bool | None

_WORD = re.compile(r"[^\W_]+")
_CONDITION = re.compile(
    r"^\s*(?P<scope>input|output)\.(?P<path>[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)\s*"
    r"(?P<op>!=|<=|>=|=|<|>|~)\s*(?P<value>.*?)\s*$",
    re.DOTALL,
)
_NUMBER = re.compile(r"^-?(?:0|[1-9][0-9]{0,17})(?:\.[0-9]{1,12})?(?:[eE][-+]?[0-9]{1,3})?$")


def terms_of(text: str | None) -> tuple[str, ...]:
    """The words to search for: letters and digits only (so a tsquery built from them is always valid),
    lowercased, at most MAX_TERMS of at most MAX_TERM_CHARS each, duplicates dropped."""
    if not text:
        return ()
    words = dict.fromkeys(w[:MAX_TERM_CHARS] for w in _WORD.findall(text.lower()))
    return tuple(words)[:MAX_TERMS]


@dataclass(frozen=True, slots=True)
class MetadataCondition:
    """`input.<path> <op> <value>` or `output.<path> <op> <value>`, checked: ranges need numbers, `~` text."""

    scope: Literal["input", "output"]
    path: tuple[str, ...]
    op: Op
    value: Scalar


def _bad(expression: str, why: str) -> Invalid:
    return Invalid(f"where {expression[:80]!r}: {why}", details={"field": "where"})


def _value(raw: str, expression: str) -> Scalar:
    if len(raw) > MAX_VALUE_CHARS:
        raise _bad(expression, f"values are at most {MAX_VALUE_CHARS} characters")
    if any(ord(c) < 32 for c in raw):
        raise _bad(expression, "control characters are not allowed")
    if raw.startswith('"'):
        try:
            decoded = json.loads(raw)
        except ValueError:
            raise _bad(expression, "a quoted value must be a JSON string") from None
        if not isinstance(decoded, str):
            raise _bad(expression, "a quoted value must be a JSON string")
        return decoded
    literals: dict[str, Scalar] = {"true": True, "false": False, "null": None}
    if raw in literals:
        return literals[raw]
    if _NUMBER.match(raw):
        number = float(raw)
        return int(raw) if re.fullmatch(r"-?[0-9]+", raw) else number
    if not raw:
        raise _bad(expression, "a value is missing")
    return raw


def parse_condition(expression: str) -> MetadataCondition:
    """One `where` entry; Invalid (400) for anything outside the grammar."""
    if len(expression) > 300:
        raise _bad(expression, "conditions are at most 300 characters")
    match = _CONDITION.match(expression)
    if match is None:
        raise _bad(expression, 'expected "input.<key> <op> <value>" or "output.<key> <op> <value>"')
    path = tuple(match["path"].split("."))
    if len(path) > MAX_PATH_DEPTH or any(len(p) > 64 for p in path):
        raise _bad(expression, f"keys are at most {MAX_PATH_DEPTH} levels of 64 characters")
    op: Op = match["op"]  # type: ignore[assignment]  # the pattern allows exactly the Op values
    value = _value(match["value"], expression)
    if op in ("<", "<=", ">", ">=") and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise _bad(expression, f"{op} compares numbers")
    if op == "~" and not isinstance(value, str):
        raise _bad(expression, "~ looks for text")
    scope: Literal["input", "output"] = "input" if match["scope"] == "input" else "output"
    return MetadataCondition(scope, path, op, value)


@dataclass(frozen=True, slots=True)
class SearchCursor:
    """Where the previous page ended, in the order it was sorted by (keyset: stable while rows arrive)."""

    sort: SearchSort
    fingerprint: str
    key: float | int | None  # rank (relevance) or like count (most liked)
    created_at: datetime
    generation_id: UUID
    mode: int = WORDS  # how the terms matched on the first page (WORDS, PREFIXES or INSIDE)

    def encode(self) -> str:
        raw = json.dumps(
            [
                self.sort.value,
                self.fingerprint,
                self.key,
                self.created_at.isoformat(),
                str(self.generation_id),
                self.mode,
            ]
        )
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> SearchCursor:
        try:
            raw = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
            sort, fingerprint, key, stamp, ident, mode = raw
            if not (key is None or (isinstance(key, int | float) and not isinstance(key, bool))):
                raise ValueError("key")
            if mode not in (WORDS, PREFIXES, INSIDE) or isinstance(mode, bool):
                raise ValueError("mode")
            when = datetime.fromisoformat(stamp)
            if when.tzinfo is None:
                raise ValueError("naive")
            return cls(SearchSort(sort), str(fingerprint), key, when, UUID(ident), mode)
        except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
            raise Invalid("not a search cursor", details={"field": "cursor"}) from None


def fingerprint(query: GenerationSearchQuery) -> str:
    """What a cursor is bound to: the query without its page fields (a cursor never jumps queries)."""
    stable = msgspec.structs.replace(query, cursor=None, limit=1)
    return hashlib.sha256(msgspec.json.encode(stable)).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class SearchPlan:
    """A checked query, ready for the store: who reads, what matches, in which order, from where."""

    query: GenerationSearchQuery
    viewer: UUID | None
    public_reads: bool
    terms: tuple[str, ...]
    conditions: tuple[MetadataCondition, ...]
    sort: SearchSort
    after: SearchCursor | None
    mode: int = WORDS  # how terms match (WORDS, PREFIXES, INSIDE)

    @property
    def can_widen(self) -> bool:
        """Whether the next, wider way of matching could find more."""
        if not self.terms or self.mode == INSIDE:
            return False
        return self.mode == WORDS or any(len(t) >= INFIX_MIN for t in self.terms)


def effective_sort(query: GenerationSearchQuery, terms: tuple[str, ...]) -> SearchSort:
    """Relevance needs words; without them the newest come first."""
    return SearchSort.NEWEST if query.sort is SearchSort.RELEVANCE and not terms else query.sort


def check_ranges(query: GenerationSearchQuery) -> None:
    pairs = (
        ("width", query.min_width, query.max_width),
        ("height", query.min_height, query.max_height),
    )
    for name, low, high in pairs:
        if low is not None and high is not None and low > high:
            raise Invalid(f"min_{name} is above max_{name}", details={"field": f"min{name.title()}"})
    if query.created_after and query.created_before and query.created_after > query.created_before:
        raise Invalid("createdAfter is after createdBefore", details={"field": "createdAfter"})
    for when, field in ((query.created_after, "createdAfter"), (query.created_before, "createdBefore")):
        if when is not None and when.tzinfo is None:
            raise Invalid(f"{field} needs a time zone (e.g. Z)", details={"field": field})
