"""Reading a provider's result by the paths a catalog entry declares: `images[].url`, `video.url`, `$`.

`$` is the result itself; `name[]` walks every item of a list; a value that ends as a list is flattened and
an object with a `url` gives that url. Paths are checked by `generators validate`, read here, and written by
the test fakes (tests/fakes/shapes.py) so every entry can run end to end without the provider."""

from __future__ import annotations

import re
from typing import Any

SEGMENT = re.compile(r"^(\$|[A-Za-z_][A-Za-z0-9_]*(\[\])?)$")


def segments(path: str) -> list[str]:
    parts = path.split(".")
    if not parts or not all(SEGMENT.match(p) for p in parts) or "$" in parts[1:]:
        raise ValueError(f"bad output path {path!r}: use names, `name[]` and a leading `$`")
    return parts


def read(result: Any, path: str) -> list[Any]:
    """Every value the path reaches (lists at the end are flattened)."""
    values = [result]
    for part in segments(path):
        if part == "$":
            continue
        name, walk = part.removesuffix("[]"), part.endswith("[]")
        found = [v.get(name) for v in values if isinstance(v, dict)]
        values = [item for v in found if isinstance(v, list) for item in v] if walk else found
    flat: list[Any] = []
    for value in values:
        flat.extend(value if isinstance(value, list) else [value])
    return [v for v in flat if v is not None]


def urls(result: Any, paths: list[str]) -> list[str]:
    found: list[str] = []
    for path in paths:
        for value in read(result, path):
            url = value.get("url") if isinstance(value, dict) else value
            if isinstance(url, str) and url.startswith(("http://", "https://", "data:")):
                found.append(url)
    return found


def text(result: Any, path: str) -> str | None:
    """Generated text: a string, or a list of tokens joined (Replicate's language models stream tokens)."""
    values = read(result, path)
    if not values or not all(isinstance(v, str) for v in values):
        return None
    return "".join(values)


def metadata(result: Any, paths: dict[str, str]) -> dict[str, Any]:
    """Scalar metadata (seed, timings) copied from the result."""
    found: dict[str, Any] = {}
    for key, path in paths.items():
        values = read(result, path)
        if len(values) == 1 and isinstance(values[0], str | int | float | bool):
            found[key] = values[0]
    return found
