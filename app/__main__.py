"""`python -m app`: the Litestar CLI (run, database …, workers …) plus `up` (the embedded default).

Litestar's CLI loads the app before any command; `up` must not need it (it starts what the app needs),
so `up` is dispatched first.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    from app.cli import tenants, up
    from app.cli_admin import admin, seed
    from app.cli_instance import list_tenants  # noqa: F401  (registers the tenant commands on `admin`)
    from app.generators.commands import generators

    own = {"up": up, "tenants": tenants, "admin": admin, "seed": seed, "generators": generators}
    if sys.argv[1:2] and sys.argv[1] in own:
        command = own[sys.argv[1]]
        command.main(args=sys.argv[2:], prog_name=f"python -m app {sys.argv[1]}")  # exits
    os.environ.setdefault("LITESTAR_APP", "app.server:create_app")
    if len(sys.argv) == 1 or "--help" in sys.argv:
        # Help lists the plugins' command groups, which needs an app object; building one connects to
        # nothing, so placeholder URLs let `python -m app --help` work with no servers running.
        os.environ.setdefault("ATELIER_DATABASE_URL", "postgresql+asyncpg://help@127.0.0.1:9/help")
        os.environ.setdefault("ATELIER_REDIS_URL", "redis://127.0.0.1:9/0")
    from litestar.cli.main import litestar_group

    litestar_group.add_command(up)  # type: ignore[arg-type]
    litestar_group.add_command(tenants)  # type: ignore[arg-type]
    litestar_group.add_command(admin)  # type: ignore[arg-type]
    litestar_group.add_command(seed)  # type: ignore[arg-type]
    litestar_group.add_command(generators)  # type: ignore[arg-type]
    try:
        litestar_group.main(prog_name="python -m app")
    except RuntimeError as error:  # no servers to attach to: say what to do instead of a traceback
        sys.stderr.write(f"error: {error}\n")
        raise SystemExit(2) from error


if __name__ == "__main__":
    main()
