"""Reading catalogs: the built-in YAML files beside this module, third-party ones (entry points, the
generators config), each file `{defaults: {...}, entries: [...]}` with every entry validated."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any
from uuid import UUID

import yaml
from pydantic import ValidationError

from app.generators.catalog.inputs import ARTIFACT, CatalogInputError, input_model
from app.generators.catalog.model import CatalogEntry
from app.generators.catalog.outputs import segments

CATALOG_DIR = Path(__file__).resolve().parent
PLACEHOLDER = UUID(int=0)
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's safe loader when built in (faster)


class CatalogError(ValueError):
    """One or more entries are invalid; `problems` says which and why (one line each)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("invalid generator catalog:\n  " + "\n  ".join(problems))
        self.problems = problems


def catalog_files(where: Path) -> list[Path]:
    return sorted(where.glob("*.yaml")) if where.is_dir() else [where]


def class_name(entry: CatalogEntry) -> str:
    """The Python name of an entry's generator class (its input model is `<that>Input`)."""
    return "Catalog_" + "".join(c if c.isalnum() else "_" for c in entry.name)


def raw_entries(path: Path) -> list[tuple[str, dict[str, Any]]]:
    """(where, entry with the file's defaults under it) for every entry of a catalog file."""
    loaded = yaml.load(path.read_text(), Loader=LOADER) or {}  # noqa: S506  (a safe loader, C or Python)
    if not isinstance(loaded, dict) or not isinstance(loaded.get("entries"), list):
        raise CatalogError([f"{path.name}: a catalog file is a mapping with an `entries` list"])
    defaults = loaded.get("defaults") or {}
    return [(f"{path.name}[{i}]", {**defaults, **entry}) for i, entry in enumerate(loaded["entries"])]


def placeholders(entry: CatalogEntry) -> dict[str, Any]:
    """A generation id for every required reference (examples cannot name real generations)."""
    found: dict[str, Any] = {}
    for name in entry.input.get("required") or []:
        node = entry.input["properties"].get(name) or {}
        if ARTIFACT in node:
            found[name] = str(PLACEHOLDER)
        elif ARTIFACT in (node.get("items") or {}):
            found[name] = [str(PLACEHOLDER)] * int(node.get("minItems", 1))
    return found


def check_entry(entry: CatalogEntry) -> list[str]:
    """What validating the fields alone cannot see: the input schema is enforceable, the example and the
    defaults are valid, output paths parse, and the price reads inputs that exist."""
    problems: list[str] = []
    try:
        model = input_model(class_name(entry) + "Input", entry.input, title=entry.name)
        model.model_validate({**placeholders(entry), **entry.example})
    except (CatalogInputError, ValidationError) as error:
        problems.append(f"input/example: {error}")
    for path in [*entry.output.urls, *entry.output.metadata.values(), *filter(None, [entry.output.text])]:
        try:
            segments(path)
        except ValueError as error:
            problems.append(f"output: {error}")
    rule = entry.price
    properties = entry.input.get("properties", {})
    named = [rule.count, rule.seconds, rule.megapixels, rule.characters, *rule.surcharges]
    named += [rule.by.field] if rule.by else []
    problems += [f"price: reads {n!r}, which is not an input" for n in named if n and n not in properties]
    return problems


def parse(raw: list[tuple[str, dict[str, Any]]]) -> list[CatalogEntry]:
    """Validated entries, or a CatalogError naming every bad one (ids must be unique)."""
    entries: list[CatalogEntry] = []
    problems: list[str] = []
    seen: dict[str, str] = {}
    for where, data in raw:
        label = f"{where} {data.get('name', '?')}"
        try:
            entry = CatalogEntry.model_validate(data)
        except ValidationError as error:
            problems += [f"{label}: {'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()]
            continue
        problems += [f"{label}: {p}" for p in check_entry(entry)]
        if entry.name in seen:
            problems.append(f"{label}: the name is already used by {seen[entry.name]}")
        seen[entry.name] = where
        entries.append(entry)
    if problems:
        raise CatalogError(problems)
    return entries


def load(paths: list[Path], inline: list[dict[str, Any]] | None = None) -> list[CatalogEntry]:
    raw = [item for path in paths for file in catalog_files(path) for item in raw_entries(file)]
    raw += [(f"inline[{i}]", entry) for i, entry in enumerate(inline or [])]
    return parse(raw)


@functools.cache
def builtin_entries() -> tuple[CatalogEntry, ...]:
    """The catalog shipped with Atelier (read and checked once per process)."""
    return tuple(load([CATALOG_DIR]))
