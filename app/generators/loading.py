"""Filling the registry: built-in generators, the shipped catalog, entry-point plugins, and the generators
config (ATELIER_GENERATORS_CONFIG) that adds catalogs and enables, renames, re-prices or hides any of them."""

from __future__ import annotations

from decimal import Decimal
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.generators.base import Generator
from app.generators.catalog import CatalogEntry, CatalogError, load
from app.generators.catalog.model import NAME_PATTERN
from app.generators.providers import ProviderConfig, ProviderGenerator, builtin_catalog, catalog_classes
from app.generators.registry import GeneratorRegistry
from app.platform.logging import get_logger

ENTRY_POINT_GROUP = "atelier.generators"
log = get_logger("atelier.generators")


class Overlay(BaseModel):
    """What the config may change about one generator (by its catalog or class name)."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    name: str | None = Field(default=None, pattern=NAME_PATTERN, description="Register it under this name")
    price: Decimal | None = Field(
        default=None, ge=0, description="Credits per priced unit, replacing the rule's"
    )
    hidden: bool = Field(default=False, description="Runnable (regenerate works) but not listed")
    options: dict[str, Any] = Field(default_factory=dict)


class GeneratorsConfig(BaseModel):
    """The generators YAML: `generators: {name: overlay}`, `catalogs: [paths]`, `entries: [entries]`."""

    model_config = ConfigDict(extra="forbid")

    generators: dict[str, Overlay] = Field(default_factory=dict)
    catalogs: list[str] = Field(default_factory=list, description="Catalog files or folders, relative to it")
    entries: list[dict[str, Any]] = Field(default_factory=list, description="Catalog entries written inline")


def read_config(path: Path | None) -> GeneratorsConfig:
    if path is None:
        return GeneratorsConfig()
    try:
        return GeneratorsConfig.model_validate(yaml.safe_load(path.read_text()) or {})
    except ValidationError as error:
        problems = [f"{path.name}: {'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()]
        raise CatalogError(problems) from None


def _builtin() -> list[type[Generator]]:
    from app.generators.builtin import BUILTIN

    classes: list[type[Generator]] = list(BUILTIN)
    classes.extend(builtin_catalog())
    return classes


def from_entry_points() -> list[type[Generator]]:
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


def known_classes(config: GeneratorsConfig, config_path: Path | None) -> list[type[Generator]]:
    """Every generator class before the overlays: built-ins, the catalog, plugins, the config's catalogs.
    Names must be unique across all of them (CatalogError otherwise)."""
    base = config_path.parent if config_path is not None else Path.cwd()
    extra = catalog_classes(load([base / p for p in config.catalogs], config.entries))
    classes = [*_builtin(), *from_entry_points(), *extra]
    seen: set[str] = set()
    duplicates = sorted({c.name for c in classes if c.name in seen or seen.add(c.name)})  # type: ignore[func-returns-value]
    if duplicates:
        raise CatalogError([f"generator name used twice: {name}" for name in duplicates])
    return classes


def _configured(cls: type[Generator], overlay: Overlay, providers: ProviderConfig) -> Generator:
    options = dict(overlay.options)
    if overlay.price is not None:
        options["price"] = overlay.price
    if issubclass(cls, ProviderGenerator):
        webhooks = bool(options.pop("webhooks", True))
        options = {**providers.options_for(cls.provider, webhooks=webhooks), **options}
    return cls(options)


def load_registry(
    config_path: Path | None = None, providers: ProviderConfig | None = None
) -> GeneratorRegistry:
    """Every known generator, filtered and configured by the generators config when one is given.

    Generators the config does not name stay enabled with default options. Provider generators get their keys
    and URLs from `providers` (settings) under the config's options; one that cannot run (no key) is left
    out, counted in one log line per missing setting.
    """
    config = read_config(config_path)
    registry = GeneratorRegistry()
    skipped: dict[str, int] = {}
    for cls in known_classes(config, config_path):
        overlay = config.generators.get(cls.name) or Overlay()
        if not overlay.enabled:
            continue
        generator = _configured(cls, overlay, providers or ProviderConfig())
        reason = generator.unavailable_reason()
        if reason is not None:
            skipped[reason] = skipped.get(reason, 0) + 1
            continue
        registry.register(generator, name=overlay.name, hidden=overlay.hidden)
    if skipped:
        log.info("generators not registered", generators_per_reason=skipped)
    return registry
