"""The registry of enabled generators (what the domain's GeneratorCatalog port sees); app.generators.loading
fills it from the built-ins, the catalog, entry points and the generators config."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from pydantic import ValidationError

from app.domain.errors import Invalid, NotFound
from app.generators.base import Generator
from app.generators.catalog.pricing import describe as describe_price
from app.generators.providers import CatalogGenerator, ProviderGenerator
from app.generators.refs import accepted_types, artifact_fields, references


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

    def accepts(self, name: str, role: str) -> str | None:
        """The artifact type a reference role takes, when its schema says (catalog entries always do)."""
        return accepted_types(self.get(name).input_schema()).get(role)

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
