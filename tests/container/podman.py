"""Podman on this machine kind (../shared/INFRA.md "Containers"): tools from Debian, a base image built with
mmdebstrap (no registry is reachable), builds with chroot isolation, runs with runc and no default ulimits.

Every step that depends on the machine returns a reason to skip instead of failing: only a real failure of
the app inside a container that did start may fail the test. The base tarball is cached under
~/.cache/atelier-container, and podman keeps the image layers, so a second run only rebuilds what changed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

CACHE = Path(os.environ.get("ATELIER_CONTAINER_CACHE", Path.home() / ".cache" / "atelier-container"))
BASE_IMAGE = "localhost/atelier-debian-base:bookworm"
TOOLS = ("podman", "runc", "mmdebstrap")
CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")


class Skip(Exception):
    """The machine cannot run the container test (the message says why)."""


def _run(
    args: list[str], *, timeout: float, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout, env=env, check=False)


def containers_conf() -> Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    conf = CACHE / "containers.conf"
    conf.write_text("[containers]\ndefault_ulimits = []\n")
    return conf


def podman_env() -> dict[str, str]:
    return {**os.environ, "CONTAINERS_CONF": str(containers_conf())}


def ensure_tools() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if not missing:
        return
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        raise Skip(f"{', '.join(missing)} missing and not installable here (needs root and apt-get)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    update = _run(["apt-get", "update", "-qq"], timeout=300, env=env)
    install = _run(["apt-get", "install", "-y", "-qq", *TOOLS], timeout=600, env=env)
    if update.returncode or install.returncode or any(shutil.which(tool) is None for tool in TOOLS):
        raise Skip(f"apt-get could not install {' '.join(TOOLS)}: {install.stderr[-500:]}")


def ensure_base() -> str:
    """The Debian bookworm base (python3 3.11 + venv), built once and cached."""
    env = podman_env()
    if _run(["podman", "image", "exists", BASE_IMAGE], timeout=60, env=env).returncode == 0:
        return BASE_IMAGE
    tarball = CACHE / "debian-bookworm-python.tar"
    if not tarball.exists():
        partial = tarball.with_name(
            "partial-" + tarball.name
        )  # mmdebstrap picks the format by the .tar suffix
        built = _run(
            ["mmdebstrap", "--variant=minbase", "--include=python3,python3-venv,ca-certificates",
             "bookworm", str(partial)],
            timeout=900,
        )  # fmt: skip
        if built.returncode:
            raise Skip(f"mmdebstrap could not build the base: {built.stderr[-500:]}")
        partial.rename(tarball)
    imported = _run(["podman", "import", str(tarball), BASE_IMAGE], timeout=300, env=env)
    if imported.returncode:
        raise Skip(f"podman could not import the base: {imported.stderr[-500:]}")
    return BASE_IMAGE


def build(context: Path, tag: str) -> None:
    """podman build of the Containerfile on the cached base (the host's CA bundle is mounted for pip)."""
    args = ["podman", "build", "--isolation", "chroot", "--network", "host", "-f", "Containerfile", "-t", tag,
            "--build-arg", f"BASE={ensure_base()}"]  # fmt: skip
    if CA_BUNDLE.exists():
        args += ["-v", f"{CA_BUNDLE}:{CA_BUNDLE}:ro"]
    built = _run([*args, str(context)], timeout=1200, env=podman_env())
    if built.returncode:
        raise Skip(f"the image could not be built here: {built.stderr[-1500:]}")


def run_detached(image: str, name: str, env: dict[str, str], args: list[str], volume: str) -> None:
    command = ["podman", "--runtime", "runc", "run", "-d", "--name", name, "--network", "host",
               "-v", volume]  # fmt: skip
    for key, value in env.items():
        command += ["-e", f"{key}={value}"]
    started = _run([*command, image, *args], timeout=120, env=podman_env())
    if started.returncode:
        raise Skip(f"podman could not start a container here: {started.stderr[-800:]}")


def logs(name: str) -> str:
    found = _run(["podman", "logs", name], timeout=60, env=podman_env())
    return (found.stdout + found.stderr)[-4000:]


def remove(name: str) -> None:
    _run(["podman", "--runtime", "runc", "rm", "-f", "-t", "5", name], timeout=120, env=podman_env())
