"""clients/src/generated/*.ts: the TypeScript client's types, rendered by the npm tools in clients/.

openapi-typescript (REST), graphql-codegen (operations validated against the SDL) and
json-schema-to-typescript (generator inputs) run in one node process (clients/codegen/gen.mjs). It gets
the freshly rendered OpenAPI/SDL text on stdin, so `--check` compares against what this run would write.
"""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from codegen import exports

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = ROOT / "clients"
SCRIPT = CLIENTS / "codegen" / "gen.mjs"
FILES = {
    "ts-rest": "src/generated/openapi.d.ts",
    "ts-graphql": "src/generated/graphql.ts",
    "ts-generators": "src/generated/generators.ts",
}


class NodeToolsMissing(RuntimeError):
    """node or clients/node_modules is absent: `make clients-install` (any make target that needs it) fixes it."""


def _generator_schemas() -> list[dict[str, object]]:
    """Built-in generators and the shipped catalog only: entry-point plugins and the generators config vary
    by machine, the committed output must not."""
    from app.generators.base import Generator
    from app.generators.builtin import BUILTIN
    from app.generators.providers import builtin_catalog

    classes: list[type[Generator]] = list(BUILTIN)
    classes.extend(builtin_catalog())
    return [{"name": cls.name, "inputSchema": cls({}).input_schema()} for cls in classes]


@functools.cache
def render_all() -> dict[str, str]:
    node = shutil.which("node")
    if node is None or not (CLIENTS / "node_modules" / "openapi-typescript").is_dir():
        raise NodeToolsMissing(
            "TypeScript codegen needs node and clients/node_modules: run `make clients-install`"
        )
    payload = {
        "openapi": exports.render_openapi(),
        "sdl": exports.render_sdl(),
        "generators": _generator_schemas(),
    }
    result = subprocess.run(
        [node, str(SCRIPT)],
        cwd=CLIENTS,
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"clients/codegen/gen.mjs failed:\n{result.stderr}")
    if result.stderr:
        print(result.stderr, end="")
    rendered: dict[str, str] = json.loads(result.stdout)
    return rendered


def renderer(target: str) -> Callable[[], str]:
    def render() -> str:
        return render_all()[FILES[target]]

    return render


def targets() -> dict[str, tuple[Path, Callable[[], str]]]:
    return {name: (CLIENTS / rel, renderer(name)) for name, rel in FILES.items()}
