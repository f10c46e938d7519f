"""`python -m app generators validate|list`: the catalog checked and printed without starting anything.

`validate` runs in `make check`: every entry of the shipped catalog, of installed plugins and of the
generators config (ATELIER_GENERATORS_CONFIG, or --config) must be valid: schema valid (JSON Schema 2020-12
and enforceable), references typed, prices present, outputs readable, examples valid, names unique, and every
overlay naming a generator that exists."""

from __future__ import annotations

import json
import os
from itertools import groupby
from pathlib import Path
from typing import Any

import click
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from app.generators.base import Generator
from app.generators.catalog import CatalogError
from app.generators.catalog.pricing import describe
from app.generators.loading import known_classes, read_config
from app.generators.providers import CatalogGenerator


def _config_path(given: str | None) -> Path | None:
    value = given or os.environ.get("ATELIER_GENERATORS_CONFIG")
    return Path(value) if value else None


def _collect(config: str | None) -> list[type[Generator]]:
    path = _config_path(config)
    settings = read_config(path)
    classes = known_classes(settings, path)
    names = {c.name for c in classes}
    unknown = sorted(set(settings.generators) - names)
    if unknown:
        raise CatalogError([f"the config configures unknown generator(s): {', '.join(unknown)}"])
    return classes


def schema_problems(classes: list[type[Generator]]) -> list[str]:
    """Catalog input schemas that are not valid JSON Schema (2020-12)."""
    problems = []
    for cls in classes:
        if issubclass(cls, CatalogGenerator):
            try:
                Draft202012Validator.check_schema(cls.entry.input)
            except SchemaError as error:
                problems.append(f"{cls.name}: input is not valid JSON Schema: {error.message}")
    return problems


@click.group("generators", help="The generator catalog: check it, print it.")
def generators() -> None:
    pass


@generators.command("validate", help=__doc__)
@click.option("--config", help="A generators YAML (default: ATELIER_GENERATORS_CONFIG).")
def validate(config: str | None) -> None:
    try:
        classes = _collect(config)
    except CatalogError as error:
        raise click.ClickException(str(error)) from None
    problems = schema_problems(classes)
    if problems:
        raise click.ClickException("invalid generator catalog:\n  " + "\n  ".join(problems))
    entries = [c.entry for c in classes if issubclass(c, CatalogGenerator)]
    verified = sum(1 for e in entries if not e.source.startswith("unverified"))
    click.echo(
        f"{len(classes)} generators valid ({len(entries)} catalog entries, {verified} with a retrieved source page)"
    )


def _row(cls: type[Generator]) -> dict[str, Any]:
    row: dict[str, Any] = {"name": cls.name, "artifact_type": cls.artifact_type, "provider": "local",
                           "model": None, "price": None, "inputs": [], "source": None}  # fmt: skip
    if issubclass(cls, CatalogGenerator):
        entry = cls.entry
        row |= {"provider": entry.provider, "model": entry.model, "price": describe(entry.price),
                "inputs": list(entry.input.get("required") or []), "source": entry.source}  # fmt: skip
    return row


@generators.command("list", help="Print every generator, grouped by artifact type and provider.")
@click.option("--config", help="A generators YAML (default: ATELIER_GENERATORS_CONFIG).")
@click.option("--json", "as_json", is_flag=True, help="One JSON array instead of a table.")
def list_generators(config: str | None, as_json: bool) -> None:
    try:
        rows = sorted(
            (_row(c) for c in _collect(config)), key=lambda r: (r["artifact_type"], r["provider"], r["name"])
        )
    except CatalogError as error:
        raise click.ClickException(str(error)) from None
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for (kind, provider), group in groupby(rows, key=lambda r: (r["artifact_type"], r["provider"])):
        click.echo(f"\n{kind} / {provider}")
        for row in group:
            needs = ", ".join(row["inputs"]) or "-"
            click.echo(f"  {row['name']:<44} {row['price'] or 'free':<44} needs: {needs}")
