"""Answers for any catalog entry, built from its declared output rule: the provider fakes call these, so every
entry can run end to end without the provider (and a wrong path in an entry fails its test)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.generators.catalog import CatalogEntry, builtin_entries
from app.generators.catalog.outputs import segments
from tests.fakes._server import FAKE_TEXT

EXTENSIONS = {
    "image/png": "png", "image/jpeg": "jpg", "image/webp": "webp", "video/mp4": "mp4", "audio/mpeg": "mp3",
    "audio/wav": "wav", "audio/flac": "flac", "text/plain": "txt",
}  # fmt: skip
SEED = 42
FORMATS = {"png": "png", "jpeg": "jpg", "jpg": "jpg", "webp": "webp"}


def index(provider: str, extra: list[CatalogEntry] | None = None) -> dict[str, CatalogEntry]:
    """model id -> entry, for one provider (the shipped catalog plus any a test adds)."""
    return {e.model: e for e in [*builtin_entries(), *(extra or [])] if e.provider == provider}


def _place(parts: list[str], values: list[Any]) -> Any:
    """The structure a path describes, holding `values` (one per list item where the path walks a list)."""
    if parts and parts[0] == "$":
        parts = parts[1:]
    if not parts:
        return values[0] if len(values) == 1 else values
    head, rest = parts[0], parts[1:]
    if head.endswith("[]"):
        return {head[:-2]: [_place(rest, [value]) for value in values]}
    return {head: _place(rest, values)}


def _merge(into: Any, more: Any) -> Any:
    if isinstance(into, dict) and isinstance(more, dict):
        return {**into, **{k: _merge(into[k], v) if k in into else v for k, v in more.items()}}
    return more


def outputs_count(entry: CatalogEntry, inputs: dict[str, Any]) -> int:
    field = entry.price.count
    value = inputs.get(field) if field else None
    return int(value) if isinstance(value, int) else 1


def result_for(entry: CatalogEntry, inputs: dict[str, Any], file_url: Callable[[str], str]) -> Any:
    """The provider's result for a finished job of `entry` (file_url(extension) names one served file)."""
    rule = entry.output
    result: Any = {}
    if rule.text is not None:
        parts = segments(rule.text)
        tokens = FAKE_TEXT.split(" ")
        words = [w + " " for w in tokens[:-1]] + tokens[-1:]
        result = _place(parts, words) if parts == ["$"] else _place(parts, [FAKE_TEXT])
    ext = EXTENSIONS.get(rule.content_type, "bin")
    chosen = str(inputs.get("output_format") or inputs.get("format") or "")
    if rule.content_type.startswith("image/") and chosen in FORMATS:  # the model honours the asked format
        ext = FORMATS[chosen]
    urls = [file_url(ext) for _ in range(outputs_count(entry, inputs))]
    for path in rule.urls:
        result = _merge(result, _place(segments(path), urls))
    for path in rule.metadata.values():
        result = _merge(result, _place(segments(path), [SEED]))
    return result


def missing_required(entry: CatalogEntry, inputs: dict[str, Any]) -> list[str]:
    return [name for name in entry.input.get("required", []) if name not in inputs]
