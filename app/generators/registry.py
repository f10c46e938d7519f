"""The registry: built-in generators, entry-point plugins, and the YAML file that enables/renames/configures."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any
from uuid import UUID

import yaml
from pydantic import ValidationError

from app.domain.errors import Invalid, NotFound
from app.generators.base import Generator
from app.generators.catalog import CatalogEntry, load
from app.generators.catalog.pricing import describe as describe_price
from app.generators.providers import (
    CatalogGenerator,
    ProviderConfig,
    ProviderGenerator,
    builtin_catalog,
    catalog_classes,
)
from app.generators.refs import artifact_fields, references
from app.platform.logging import get_logger

ENTRY_POINT_GROUP = "atelier.generators"
log = get_logger("atelier.generators")


@dataclass(frozen=True)
class Registered:
    name: str
    generator: Generator


class GeneratorRegistry:
    """Implements the domain's GeneratorCatalog port."""

    def __init__(self) -> None:
        self._by_name: dict[str, Generator] = {}
        self._hidden: set[str] = set()  # runnable (old generations regenerate) but not listed
        self._reference_fields: dict[
            str, dict[str, tuple[bool, str]]
        ] = {}  # per generator: read from its schema once

    def register(self, generator: Generator, *, name: str | None = None, hidden: bool = False) -> None:
        key = name or generator.name
        if key in self._by_name:
            raise ValueError(f"generator {key!r} is registered twice")
        self._by_name[key] = generator
        if hidden:
            self._hidden.add(key)

    def get(self, name: str) -> Generator:
        try:
            return self._by_name[name]
        except KeyError:
            raise NotFound(f"unknown generator {name!r}") from None

    def names(self) -> list[str]:
        return sorted(self._by_name)

    def describe(self, artifact_type: str | None = None) -> list[dict[str, Any]]:
        """Every listed generator (hidden ones are left out), grouped: by artifact type, then provider
        ("local" for those that need no key), then name."""
        wanted = artifact_type.lower() if artifact_type else None
        found = [
            _description(name, g)
            for name, g in self._by_name.items()
            if (wanted is None or g.artifact_type == wanted) and name not in self._hidden
        ]
        return sorted(found, key=lambda d: (d["artifact_type"], d["provider"], d["name"]))

    def artifact_type(self, name: str) -> str:
        return self.get(name).artifact_type

    def references(self, name: str, params: dict[str, Any]) -> list[tuple[str, UUID, int]]:
        """(role = field name, generation id, position) for each input that points at a generation."""
        fields = self._reference_fields.get(name)
        if fields is None:
            fields = self._reference_fields[name] = artifact_fields(self.get(name).input_schema())
        return references(params, fields)

    def validate(
        self, name: str, artifact_type: str | None, params: dict[str, Any]
    ) -> tuple[dict[str, Any], Decimal]:
        """Inputs checked against the generator's model (defaults filled in) and the estimated cost."""
        generator = self.get(name)
        if artifact_type is not None and artifact_type.lower() != generator.artifact_type:
            raise Invalid(
                f"generator {name!r} makes {generator.artifact_type}, not {artifact_type.lower()}",
                details={"field": "artifactType"},
            )
        try:
            inputs = generator.Input.model_validate(params)
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "inputParams"
            raise Invalid(
                f"inputParams.{where}: {first['msg']}", details={"field": f"inputParams.{where}"}
            ) from None
        return inputs.model_dump(mode="json"), generator.estimate_cost(inputs)


def _description(name: str, generator: Generator) -> dict[str, Any]:
    described: dict[str, Any] = {
        "name": name, "description": generator.description, "artifact_type": generator.artifact_type,
        "input_schema": generator.input_schema(), "provider": "local", "model": None,
        "display_name": name, "task": None, "price": None,
    }  # fmt: skip
    if isinstance(generator, ProviderGenerator):
        described |= {"provider": generator.provider, "model": generator.model_id}
    if isinstance(generator, CatalogGenerator):
        entry, override = generator.entry, generator.settings.price
        rule = (
            entry.price
            if override is None
            else entry.price.model_copy(update={"amount": override, "by": None, "surcharges": {}})
        )
        described |= {
            "display_name": entry.display_name, "task": entry.task,
            "price": {"per": rule.per, "amount": float(rule.amount), "summary": describe_price(rule)},
        }  # fmt: skip
    return described


def _builtin() -> list[type[Generator]]:
    from app.generators.builtin import BUILTIN

    classes: list[type[Generator]] = list(BUILTIN)
    classes.extend(builtin_catalog())
    return classes


def _from_entry_points() -> list[type[Generator]]:
    """Plugins: a Generator class, a catalog file or folder (str or Path), or a list of catalog entries."""
    classes: list[type[Generator]] = []
    for point in entry_points(group=ENTRY_POINT_GROUP):
        loaded = point.load()
        if isinstance(loaded, type) and issubclass(loaded, Generator):
            classes.append(loaded)
        elif isinstance(loaded, str | Path):
            classes.extend(catalog_classes(load([Path(loaded)])))
        elif isinstance(loaded, list | tuple):
            inline = [e.model_dump() if isinstance(e, CatalogEntry) else e for e in loaded]
            classes.extend(catalog_classes(load([], inline)))
        else:
            raise TypeError(f"entry point {point.name!r}: a Generator class, a catalog path or entries")
    return classes


def _from_config(config_path: Path, loaded: dict[str, Any]) -> list[type[Generator]]:
    """Catalogs the generators config adds: `catalogs: [files or folders, relative to it]`, `entries: [...]`."""
    paths = [config_path.parent / str(p) for p in loaded.get("catalogs") or []]
    return list(catalog_classes(load(paths, loaded.get("entries") or [])))


def load_registry(
    config_path: Path | None = None, providers: ProviderConfig | None = None
) -> GeneratorRegistry:
    """Every known generator class, filtered and configured by the YAML file when one is given.

    YAML shape: `generators: {<name>: {enabled: bool, name: <new name>, price: <per unit>, hidden: bool,
    options: {...}}}` (generators not listed stay enabled with default options), `catalogs: [paths]` and
    `entries: [catalog entries]`. Provider generators get their keys and URLs from `providers` (settings)
    under the YAML options; one that cannot run (no key) is left out with a log line.
    """
    config: dict[str, Any] = {}
    extra: list[type[Generator]] = []
    if config_path is not None:
        loaded = yaml.safe_load(config_path.read_text()) or {}
        config = loaded.get("generators", {}) or {}
        extra = _from_config(config_path, loaded)
    registry = GeneratorRegistry()
    skipped: dict[str, str] = {}
    for cls in [*_builtin(), *_from_entry_points(), *extra]:
        entry = config.get(cls.name, {}) or {}
        if entry.get("enabled", True) is False:
            continue
        options = dict(entry.get("options") or {})
        if entry.get("price") is not None:
            options["price"] = entry["price"]
        if issubclass(cls, ProviderGenerator):
            webhooks = bool(options.pop("webhooks", True))
            options = {
                **(providers or ProviderConfig()).options_for(cls.provider, webhooks=webhooks),
                **options,
            }
        generator = cls(options)
        reason = generator.unavailable_reason()
        if reason is not None:
            skipped[cls.name] = reason
            continue
        registry.register(generator, name=entry.get("name"), hidden=bool(entry.get("hidden", False)))
    if skipped:  # one line per missing setting, not one per model (the catalog has dozens)
        reasons: dict[str, int] = {}
        for reason in skipped.values():
            reasons[reason] = reasons.get(reason, 0) + 1
        log.info("generators not registered", generators_per_reason=reasons)
    return registry
