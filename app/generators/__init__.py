"""Generators: plugins that turn validated inputs into artifacts (the product's reason to exist).

A generator declares a name, an artifact type, a description and a Pydantic input model (whose JSON Schema
clients render as a form), implements `generate(inputs, context)` and `estimate_cost(inputs)`, and is
registered in a GeneratorRegistry: built-ins, entry points (group `atelier.generators`), YAML config.
"""

from app.generators.base import Artifact, Generator, GeneratorContext, GeneratorResult, PermanentError
from app.generators.loading import load_registry
from app.generators.registry import GeneratorRegistry

__all__ = [
    "Artifact",
    "Generator",
    "GeneratorContext",
    "GeneratorRegistry",
    "GeneratorResult",
    "PermanentError",
    "load_registry",
]
