"""`python -m tools.private_names`: the app touches no private name of a third-party package.

Private names (`_x`, not dunders) are what a library may change in any release without notice: an upgrade
then breaks the app silently. The check reads every module under `app/` (its AST; nothing is imported) and
reports:

1. imports of a private module or name of a third-party package: `import saq._x`, `from litestar._x import y`,
   `from strawberry import _x`;
2. a private attribute reached from a third-party import: `strawberry._x`, `Worker._x`, `graphql.x._y`;
3. a private attribute of any other object, `obj._x` (`self._x` too: a subclass reaching into its
   library base class), unless `_x` is a name the app defines itself (a
   function, class, `self._x` attribute, parameter, `__slots__` entry or column label of its own), one of the
   documented public underscore names below, or an Enum "sunder" name (`_value_`, `_missing_`, …: the
   standard library's enum API). This is what catches `adapted._execute_mutex` on an object a library
   handed over, where the type is not known statically.

4. an undocumented internal that carries no underscore (`UNDOCUMENTED`: an extension key, a method whose
   result shape is not part of the library's API), as an attribute or a string constant.

The standard library is not a third-party package. Accesses a library leaves no public way around are
listed ONCE, in EXCEPTIONS below, each with its reason; an exception that no longer matches anything is
reported (so the list shrinks when the code does) but does not fail the check.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIRST_PARTY = {"app", "codegen", "schema", "tests", "tools", "bench", "migrations"}

# Underscore names that are documented public API of the libraries we use.
PUBLIC_UNDERSCORE = {
    # SQLAlchemy Row (https://docs.sqlalchemy.org/en/20/core/connections.html#sqlalchemy.engine.Row): the
    # underscore avoids clashes with column names.
    "_mapping", "_fields", "_asdict", "_t", "_tuple",
    # collections.namedtuple's documented methods (the same convention).
    "_replace", "_make", "_field_defaults",
}  # fmt: skip

# Internals of libraries that carry no underscore, so rule 3 cannot see them: an attribute or a string
# constant with one of these names is reported like a private name. (The GraphQL fast path used all three
# until issue 16 item 1; it now plans from the AST and Strawberry's public field definitions.)
UNDOCUMENTED = {"collect_subfields", "settle_in_background", "strawberry-definition"}

# (path relative to the repository, name) → why there is no public way. The single exception list.
EXCEPTIONS: dict[tuple[str, str], str] = {
    ("app/db/transactions.py", "_utils"): (
        "advanced-alchemy 1.12 keeps the request session under a scope key whose accessors "
        "(get_aa_scope_state, delete_aa_scope_state) live only in extensions.litestar._utils; its own "
        "autocommit before_send handlers use them, and the public provide_session would create a session "
        "where none was opened. Remove when AA exports them (or offers a commit hook)."
    ),
}


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    name: str
    why: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.name}: {self.why}"


_GETTERS = {"getattr", "setattr", "hasattr", "delattr"}


def _private_and_foreign(name: str, own: set[str]) -> bool:
    return is_private(name) and name not in own


def is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__") and not _is_sunder(name)


def _is_sunder(name: str) -> bool:
    return len(name) > 2 and name[0] == "_" and name[-1] == "_" and name[1] != "_" and name[-2] != "_"


def is_third_party(module: str) -> bool:
    top = module.split(".", 1)[0]
    return bool(top) and top not in FIRST_PARTY and top not in sys.stdlib_module_names


def own_names(trees: list[ast.Module]) -> set[str]:
    """Every underscore name the app defines itself."""
    names: set[str] = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and _is_self(node.value):
                names.add(node.attr)  # self._x = … (setting another object's _x defines nothing)
            elif isinstance(node, ast.alias):
                names.add(node.asname or node.name.split(".")[0])
            elif isinstance(node, ast.keyword) and node.arg:
                names.add(node.arg)
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "label"
            ):
                names.update(_strings(node.args))  # a column label of our own: row._total
            elif isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "__slots__" for t in node.targets
            ):
                names.update(_strings([node.value]))
    return {name for name in names if name.startswith("_")}


def _strings(nodes: list[ast.expr]) -> set[str]:
    return {
        n.value
        for node in nodes
        for n in ast.walk(node)
        if isinstance(n, ast.Constant) and isinstance(n.value, str)
    }


_SOURCES: dict[str, frozenset[str]] = {}


def library_names(module: str) -> frozenset[str]:
    """Every underscore identifier in a third-party package's source (read, never imported)."""
    top = module.split(".", 1)[0]
    if top not in _SOURCES:
        names: set[str] = set()
        spec = importlib.util.find_spec(top)
        roots = list(spec.submodule_search_locations or []) if spec else []
        files = [p for r in roots for p in Path(r).rglob("*.py")]
        if spec and spec.origin and not roots:
            files.append(Path(spec.origin))
        for file in files:
            names.update(re.findall(r"\b_[A-Za-z0-9]\w*", file.read_text(errors="replace")))
        _SOURCES[top] = frozenset(names)
    return _SOURCES[top]


def base_class_names(origin: tuple[str, str | None], attributes: list[str]) -> frozenset[str]:
    """The underscore names of every third-party package in a library class's MRO (the class is imported).
    `origin` is (module, imported member or None for the module itself), `attributes` the rest of the path."""
    module, member = origin
    target: Any = importlib.import_module(module)
    for part in ([member] if member else []) + attributes:
        target = getattr(target, part, None)
    names: set[str] = set()
    for cls in getattr(target, "__mro__", ()):
        if is_third_party(cls.__module__):
            names |= library_names(cls.__module__)
    return frozenset(names)


def _is_self(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id in {"self", "cls"}


def _root(node: ast.expr) -> ast.expr:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node


def check_tree(tree: ast.Module, path: str, own: set[str]) -> Iterator[Finding]:
    third_party: dict[str, tuple[str, str | None]] = {}
    yield from _imports(tree, path, third_party)
    yield from _attributes(tree, path, own, third_party)


def _imports(
    tree: ast.Module, path: str, third_party: dict[str, tuple[str, str | None]]
) -> Iterator[Finding]:
    """Private imports; fills `third_party`: local names bound to third-party modules or their members →
    (module, member or None)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if not is_third_party(alias.name):
                    continue
                if alias.asname:
                    third_party[alias.asname] = (alias.name, None)
                else:
                    top = alias.name.split(".")[0]
                    third_party[top] = (top, None)
                private = [part for part in alias.name.split(".") if is_private(part)]
                if private:
                    yield Finding(path, node.lineno, private[0], f"imports private module {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if not is_third_party(node.module):
                continue
            private = [part for part in node.module.split(".") if is_private(part)]
            if private:
                yield Finding(path, node.lineno, private[0], f"imports from private module {node.module}")
            for alias in node.names:
                third_party[alias.asname or alias.name] = (node.module, alias.name)
                if is_private(alias.name):
                    yield Finding(path, node.lineno, alias.name, f"imports private name from {node.module}")


def _inherited(tree: ast.Module, third_party: dict[str, tuple[str, str | None]]) -> dict[int, frozenset[str]]:
    """Classes deriving from a library class: their `self._x` may be private state of a class in its MRO.
    Maps every node inside such a class to the underscore names of those libraries."""
    inherited: dict[int, frozenset[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            names: set[str] = set()
            for base in node.bases:
                root = _root(base)
                if isinstance(root, ast.Name) and root.id in third_party:
                    names |= base_class_names(third_party[root.id], ast.unparse(base).split(".")[1:])
            if names:
                for inner in ast.walk(node):
                    inherited.setdefault(id(inner), frozenset(names))
    return inherited


def _attributes(
    tree: ast.Module, path: str, own: set[str], third_party: dict[str, tuple[str, str | None]]
) -> Iterator[Finding]:
    inherited = _inherited(tree, third_party)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _GETTERS:
            name = node.args[1] if len(node.args) > 1 else None
            if (
                isinstance(name, ast.Constant)
                and isinstance(name.value, str)
                and _private_and_foreign(name.value, own)
            ):
                yield Finding(path, node.lineno, name.value, f"{node.func.id}() of a private name")
            continue
        if isinstance(node, ast.Constant) and node.value in UNDOCUMENTED:
            yield Finding(path, node.lineno, node.value, "an undocumented library internal (UNDOCUMENTED)")
            continue
        if isinstance(node, ast.Attribute) and node.attr in UNDOCUMENTED:
            yield Finding(path, node.lineno, node.attr, "an undocumented library internal (UNDOCUMENTED)")
            continue
        if not isinstance(node, ast.Attribute) or not is_private(node.attr):
            continue
        root = _root(node)
        if isinstance(root, ast.Name) and root.id in third_party:
            yield Finding(
                path, node.lineno, node.attr, f"private attribute of {root.id} (a third-party import)"
            )
        elif _is_self(node.value) and id(node) in inherited:
            if node.attr in inherited[id(node)]:
                yield Finding(path, node.lineno, node.attr, "private name of a third-party base class")
        elif node.attr not in own and node.attr not in PUBLIC_UNDERSCORE:
            yield Finding(path, node.lineno, node.attr, "private attribute the app does not define")


def check(root: Path = ROOT) -> tuple[list[Finding], list[str]]:
    """(findings not covered by EXCEPTIONS, exceptions that matched nothing)."""
    files = sorted((root / "app").rglob("*.py"))
    trees = [ast.parse(file.read_text(), str(file)) for file in files]
    own = own_names(trees)
    findings: list[Finding] = []
    used: set[tuple[str, str]] = set()
    for file, tree in zip(files, trees, strict=True):
        path = file.relative_to(root).as_posix()
        for finding in check_tree(tree, path, own):
            if (path, finding.name) in EXCEPTIONS:
                used.add((path, finding.name))
            else:
                findings.append(finding)
    stale = [f"{path}: {name}" for path, name in EXCEPTIONS if (path, name) not in used]
    return findings, stale


def main() -> int:
    findings, stale = check()
    for name in stale:
        sys.stderr.write(f"private-names: exception no longer needed (remove it from EXCEPTIONS): {name}\n")
    for finding in findings:
        sys.stderr.write(f"private-names: {finding}\n")
    if findings:
        sys.stderr.write(
            f"private-names: {len(findings)} private name(s) of third-party packages; use their public API, "
            "or document the unavoidable ones in tools/private_names.py EXCEPTIONS\n"
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
