"""The generated TypeScript (clients/src/generated) is what `make codegen` renders now, an operation that the
schema does not have fails the build, and a server change shows up as drift."""

from __future__ import annotations

import json
import subprocess

import pytest

from codegen import exports
from codegen.typescript import CLIENTS, FILES, SCRIPT, _generator_schemas
from tests.integration.clients.node import require_node_tools

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
    """What `python -m codegen --check` compares, from this process's fresh exports."""
    result = _gen(payload)
    assert result.returncode == 0, result.stderr
    for path, text in json.loads(result.stdout).items():
        assert (CLIENTS / path).read_text() == text, f"clients/{path} is stale: run `make codegen`"
    assert set(json.loads(result.stdout)) == set(FILES.values())


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
