"""One convention for ports: inside a domain context (a package under app/domain), store and service
Protocols live in its ports.py, nowhere else (shared top-level modules such as app/domain/files.py are not
contexts)."""

from __future__ import annotations

import ast
from pathlib import Path

DOMAIN = Path(__file__).resolve().parents[3] / "app" / "domain"


def _protocols(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    return [
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
        and any((isinstance(b, ast.Name) and b.id == "Protocol") for b in node.bases)
    ]


def test_protocols_of_a_context_live_in_its_ports_module() -> None:
    misplaced = {
        str(path.relative_to(DOMAIN)): names
        for path in DOMAIN.glob("*/*.py")
        if path.name != "ports.py" and (names := _protocols(path))
    }
    assert misplaced == {}


def test_the_check_sees_the_contexts() -> None:
    assert _protocols(DOMAIN / "generations" / "ports.py")
    assert len(list(DOMAIN.glob("*/ports.py"))) >= 10
