"""`python -m codegen [--check] [targets…]`: regenerate everything derived from schema/.

--check renders into memory and compares with the committed files (exit 1 and a unified diff when stale),
so CI fails on drift without touching the work tree.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Callable
from pathlib import Path

from codegen import exports, gql_types, sql_models, structs, typescript

ROOT = Path(__file__).resolve().parent.parent

# Order matters: later targets import what earlier ones wrote (the app imports models, structs and types).
TARGETS: dict[str, tuple[Path, Callable[[], str]]] = {
    "models": (ROOT / "app/db/_generated/models.py", sql_models.render_models),
    "structs": (ROOT / "app/contracts/_generated.py", structs.render_structs),
    "gql": (ROOT / "app/graphql/_generated/types.py", gql_types.render_gql_types),
    "openapi": (exports.OPENAPI, exports.render_openapi),
    "sdl": (exports.SDL, exports.render_sdl),
    **typescript.targets(),  # after openapi/sdl: rendered from the same text
}


def run(names: list[str], *, check: bool) -> int:
    stale: list[str] = []
    for name in names:
        path, render = TARGETS[name]
        text = render()
        current = path.read_text() if path.exists() else ""
        if text == current:
            continue
        rel = str(path.relative_to(ROOT))
        if check:
            stale.append(rel)
            sys.stdout.writelines(
                difflib.unified_diff(
                    current.splitlines(True), text.splitlines(True), rel, f"{rel} (regenerated)"
                )
            )
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            print(f"wrote {rel}")
    if stale:
        print(f"\nstale generated files (run `make codegen`): {', '.join(stale)}", file=sys.stderr)
        return 1
    if check:
        print(f"generated files are up to date ({', '.join(names)})")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m codegen", description=__doc__)
    parser.add_argument(
        "--check", action="store_true", help="fail when committed files differ from fresh output"
    )
    parser.add_argument("targets", nargs="*", choices=[[], *TARGETS], help="default: all")
    args = parser.parse_args(argv)
    return run(args.targets or list(TARGETS), check=args.check)


if __name__ == "__main__":
    raise SystemExit(main())
