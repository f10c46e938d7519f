"""The generated TypeScript (clients/src/generated) is what `make codegen` renders now, an operation that the
schema does not have fails the build, and a server change shows up as drift."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from codegen import exports
from codegen.__main__ import ROOT
from codegen.typescript import CLIENTS, FILES, SCRIPT, _generator_schemas
from tests.integration.clients.node import npm_tool, require_node_tools

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def payload() -> dict[str, object]:
    require_node_tools()
    return {
        "openapi": exports.render_openapi(),
        "sdl": exports.render_sdl(),
        "generators": _generator_schemas(),
    }


def _gen(payload: dict[str, object]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["node", str(SCRIPT)],
        cwd=CLIENTS,
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        check=False,
    )


def test_committed_typescript_is_fresh(payload: dict[str, object]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "codegen", "--check", *FILES],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_operation_the_schema_lacks_fails_the_build(payload: dict[str, object]) -> None:
    sdl = str(payload["sdl"])
    field = '  """How many generations the board has."""\n  generationCount: Int!\n'
    assert field in sdl
    result = _gen({**payload, "sdl": sdl.replace(field, "")})
    assert result.returncode != 0
    assert 'Cannot query field "generationCount" on type "Board"' in result.stderr


def test_a_server_change_is_drift(payload: dict[str, object]) -> None:
    openapi = json.loads(str(payload["openapi"]))
    openapi["components"]["schemas"]["Board"]["properties"]["coverUrl"] = {"type": "string"}
    result = _gen({**payload, "openapi": json.dumps(openapi)})
    assert result.returncode == 0, result.stderr
    rendered = json.loads(result.stdout)["src/generated/openapi.d.ts"]
    assert "coverUrl?: string;" in rendered
    assert rendered != (CLIENTS / "src/generated/openapi.d.ts").read_text()


def test_generator_inputs_are_typed_per_generator(payload: dict[str, object]) -> None:
    text = (CLIENTS / "src/generated/generators.ts").read_text()
    assert '"local-image": LocalImageInput;' in text
    assert "  prompt: string;" in text  # required: no `?`
    assert 'size?: "square" | "landscape" | "portrait" | "small";' in text


def test_typed_inputs_reject_a_wrong_field(
    payload: dict[str, object], tmp_path_factory: pytest.TempPathFactory
) -> None:
    probe = CLIENTS / "tests" / "_probe_wrong_input.ts"
    probe.write_text(
        'import { generationRequest } from "../src";\n'
        'generationRequest({ boardId: "b", generatorName: "local-image", inputParams: { prompt: 1 } });\n'
    )
    try:
        result = npm_tool("tsc", "--noEmit", "-p", "tsconfig.json")
    finally:
        probe.unlink()
    assert result.returncode != 0
    assert "_probe_wrong_input.ts(2," in result.stdout  # prompt: a number where a string is due
    assert "TS2322" in result.stdout
