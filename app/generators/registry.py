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
from app.generators.providers import PROVIDER_GENERATORS, ProviderConfig, ProviderGenerator
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
        self._reference_fields: dict[str, dict[str, bool]] = {}  # per generator: read from its schema once

    def register(self, generator: Generator, *, name: str | None = None) -> None:
        key = name or generator.name
        if key in self._by_name:
            raise ValueError(f"generator {key!r} is registered twice")
        self._by_name[key] = generator

    def get(self, name: str) -> Generator:
        try:
            return self._by_name[name]
        except KeyError:
            raise NotFound(f"unknown generator {name!r}") from None

    def names(self) -> list[str]:
        return sorted(self._by_name)

    def describe(self, artifact_type: str | None = None) -> list[dict[str, Any]]:
        """name, description, artifactType and inputSchema of every enabled generator (sorted by name)."""
        wanted = artifact_type.lower() if artifact_type else None
        return [
            {
                "name": name,
                "description": g.description,
                "artifact_type": g.artifact_type,
                "input_schema": g.input_schema(),
            }
            for name, g in sorted(self._by_name.items())
            if wanted is None or g.artifact_type == wanted
        ]

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


def _builtin() -> list[type[Generator]]:
    from app.generators.builtin import BUILTIN

    classes: list[type[Generator]] = list(BUILTIN)
    classes.extend(PROVIDER_GENERATORS)
    return classes


def _from_entry_points() -> list[type[Generator]]:
    return [ep.load() for ep in entry_points(group=ENTRY_POINT_GROUP)]


def load_registry(
    config_path: Path | None = None, providers: ProviderConfig | None = None
) -> GeneratorRegistry:
    """Every known generator class, filtered and configured by the YAML file when one is given.

    YAML shape: `generators: {<name>: {enabled: bool, name: <new name>, options: {...}}}`; generators not
    listed stay enabled with default options. Provider generators get their keys and URLs from `providers`
    (settings) under the YAML options; one that cannot run (no key) is left out with a log line.
    """
    config: dict[str, Any] = {}
    if config_path is not None:
        loaded = yaml.safe_load(config_path.read_text()) or {}
        config = loaded.get("generators", {}) or {}
    registry = GeneratorRegistry()
    skipped: dict[str, str] = {}
    for cls in [*_builtin(), *_from_entry_points()]:
        entry = config.get(cls.name, {}) or {}
        if entry.get("enabled", True) is False:
            continue
        options = dict(entry.get("options") or {})
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
        registry.register(generator, name=entry.get("name"))
    if skipped:
        log.info("generators not registered", reasons=skipped)
    return registry
