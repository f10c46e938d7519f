"""REST: /api/v1/generators (what can run, with input schemas and cost estimates)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from msgspec import Struct

from app.contracts import CostEstimate, GeneratorGroup, GeneratorInfo
from app.wiring import Services


class EstimateRequest(Struct, rename="camel", forbid_unknown_fields=True):
    input_params: dict[str, Any]


class GeneratorController(Controller):
    path = "/api/v1/generators"
    tags = ["Generators"]

    @get(operation_id="ListGenerators", summary="Enabled generators with their input JSON Schemas")
    async def list_generators(
        self,
        services: NamedDependency[Services],
        artifact_type: Annotated[str | None, QueryParameter(name="artifactType", max_length=20)] = None,
    ) -> list[GeneratorInfo]:
        return services.runner.generators(artifact_type)

    @get(
        "/groups",
        operation_id="ListGeneratorGroups",
        summary="Enabled generators grouped by artifact type, then provider, with prices and inputs",
    )
    async def list_generator_groups(
        self,
        services: NamedDependency[Services],
        artifact_type: Annotated[str | None, QueryParameter(name="artifactType", max_length=20)] = None,
    ) -> list[GeneratorGroup]:
        return services.runner.generator_groups(artifact_type)

    @post(
        "/{name:str}/estimate",
        operation_id="EstimateGenerationCost",
        summary="Cost before running",
        status_code=200,
    )
    async def estimate(
        self, services: NamedDependency[Services], name: FromPath[str], data: JSONBody[EstimateRequest]
    ) -> CostEstimate:
        return services.runner.estimate(name, data.input_params)
