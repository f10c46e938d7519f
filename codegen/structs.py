"""schema/api → app/contracts/_generated.py: msgspec Structs by datamodel-code-generator (STYLE §3.7, §4.2).

dcg reads the normalised schema as OpenAPI ``components/schemas`` (a bare JSON Schema with only ``$defs``
would add a ``Model: TypeAlias = Any`` root). What we decide before dcg sees it:

* wire names: each Struct gets ``rename="camel"`` (dcg's per-class ``base_class_kwargs``), so attributes stay
  snake_case and JSON keys are camelCase, which msgspec and Litestar's OpenAPI both read from the Struct;
* unknown fields: ``forbid_unknown_fields=True`` on inputs and patches, never on views (schema evolution);
* defaults: dcg types every optional field ``X | UnsetType`` (STYLE D5). Views and inputs instead list
  their defaulted fields as required with ``apply_default_values_for_required_fields``, so they read
  ``x: X = default``; patches drop their defaults, so a field left out is ``UNSET`` and null stays ``None``.
"""

from __future__ import annotations

import copy
import json
from collections import defaultdict
from collections.abc import Sequence
from enum import Enum
from pathlib import Path
from typing import Any

from datamodel_code_generator import generate
from datamodel_code_generator.enums import DataModelType, InputFileType
from datamodel_code_generator.format import PythonVersion
from pydantic import BaseModel

from codegen._format import GENERATED_HEADER, ruff_format
from codegen.json_schema import REF_PREFIX, SchemaError, build_schema, load_sources, ref_name, rest_skipped

OUTPUT = Path("app/contracts/_generated.py")
_COMPONENTS = "#/components/schemas/"
_HEADER = (
    GENERATED_HEADER + "# Source: schema/api (Pydantic contracts) via codegen/structs.py (datamodel-codegen)."
)
_DOCSTRING = (
    '"""msgspec Structs of the REST contracts in schema/api: JSON keys camelCase, attributes snake_case."""\n'
)
_OPTIONS: dict[str, Any] = {
    "input_file_type": InputFileType.OpenAPI,
    "output_model_type": DataModelType.MsgspecStruct,
    "preset": "standard-py311-20261027",
    "target_python_version": PythonVersion.PY_311,
    "use_standard_primitive_types": True,  # D1: uuid stays UUID
    "output_datetime_class": "datetime",  # D1: date-time stays datetime
    "use_msgspec_tagged_unions": True,  # D2
    "use_schema_description": True,
    "use_single_line_docstring": True,
    "capitalise_enum_members": True,  # ArtifactType.IMAGE, as in schema/api
    "apply_default_values_for_required_fields": True,
    "keyword_only": True,  # keeps schema field order: no "defaults last" reshuffle
    "allow_remote_refs": False,  # STYLE §4.6
    "disable_timestamp": True,
}


def render_structs(
    contracts: Sequence[type[BaseModel]] | None = None,
    enums: Sequence[type[Enum]] | None = None,
    filename: str = str(OUTPUT),
) -> str:
    """Full text of the Structs module for `contracts`/`enums` (default: schema.api); deterministic."""
    defs = _rest_defs(build_schema(*load_sources(contracts, enums))["$defs"])
    document = {"openapi": "3.1.0", "info": {"title": "contracts", "version": "0"}, "paths": {}}
    document["components"] = {"schemas": _to_components(defs)}
    options = _struct_options(defs)
    code = generate(json.dumps(document), custom_file_header=_HEADER, extra_template_data=options, **_OPTIONS)
    if not isinstance(code, str):
        raise TypeError(f"datamodel-code-generator returned {type(code).__name__}, expected one module")
    head, _, body = code.partition("\n\n")
    return ruff_format(f"{head}\n{_DOCSTRING}\n{body}", filename)


def write_outputs(root: Path) -> list[Path]:
    """Write the Structs module under `root` (the repository root) and return the written path."""
    path = root / OUTPUT
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_structs(filename=str(OUTPUT)), encoding="utf-8")
    return [path]


def _rest_defs(defs: dict[str, Any]) -> dict[str, Any]:
    """Drop GraphQL-only models and apply the default policy, on a copy (GraphQL reads the original)."""
    kept = {name: copy.deepcopy(node) for name, node in defs.items() if not rest_skipped(node)}
    for name, node in kept.items():
        _check_refs(name, node, kept)
        if node.get("type") == "object":
            _apply_default_policy(node)
    return kept


def _check_refs(name: str, node: Any, kept: dict[str, Any]) -> None:
    if isinstance(node, dict):
        target = ref_name(node)
        if target is not None and target not in kept:
            raise SchemaError(f"{name} refers to {target}, which is GraphQL-only (x-rest skip)")
        for value in node.values():
            _check_refs(name, value, kept)
    elif isinstance(node, list):
        for value in node:
            _check_refs(name, value, kept)


def _apply_default_policy(node: dict[str, Any]) -> None:
    """Patch: optional fields lose their default (→ UNSET); else defaulted fields turn required + default."""
    properties: dict[str, Any] = node.get("properties", {})
    required: list[str] = node.setdefault("required", [])
    for prop_name, prop in properties.items():
        if prop_name in required:
            continue
        if node["x-kind"] == "patch":
            prop.pop("default", None)
        elif "default" in prop:
            required.append(prop_name)


def _struct_options(defs: dict[str, Any]) -> defaultdict[str, dict[str, Any]]:
    """Per-class msgspec options: camelCase on the wire everywhere, unknown fields refused on inputs only."""
    options: defaultdict[str, dict[str, Any]] = defaultdict(dict)
    for name, node in defs.items():
        if node.get("type") != "object":
            continue
        kwargs: dict[str, Any] = {"rename": "camel"}
        if node["x-kind"] != "view":
            kwargs["forbid_unknown_fields"] = True
        options[name] = {"base_class_kwargs": kwargs}
    return options


def _to_components(node: Any) -> Any:
    """Rewrite ``#/$defs/X`` refs to ``#/components/schemas/X`` for dcg's OpenAPI reader."""
    if isinstance(node, dict):
        return {
            key: (value.replace(REF_PREFIX, _COMPONENTS, 1) if key == "$ref" else _to_components(value))
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_to_components(value) for value in node]
    return node
