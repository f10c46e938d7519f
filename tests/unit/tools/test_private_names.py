"""tools/private_names.py flags private names of third-party packages, and only those."""

from __future__ import annotations

import ast
import textwrap

from tools.private_names import check, check_tree, own_names


def _names(source: str) -> list[str]:
    tree = ast.parse(textwrap.dedent(source))
    return [finding.name for finding in check_tree(tree, "app/x.py", own_names([tree]))]


def test_private_imports_of_third_party_packages_are_flagged() -> None:
    assert _names("import saq._internal") == ["_internal"]
    assert _names("from advanced_alchemy.extensions.litestar._utils import get_aa_scope_state") == ["_utils"]
    assert _names("from strawberry import _private") == ["_private"]
    assert _names("from collections import _chain\nimport app._x\nfrom app import _y") == []  # stdlib, ours


def test_private_attributes_are_flagged() -> None:
    source = """
        import sqlalchemy as sa
        from saq import Worker

        def run(adapted, worker):
            sa._hidden
            Worker._state
            adapted._execute_mutex
            worker._enable_heartbeat_manager = False
            getattr(adapted, "_connection", None)
    """
    assert sorted(_names(source)) == [
        "_connection", "_enable_heartbeat_manager", "_execute_mutex", "_hidden", "_state",
    ]  # fmt: skip


def test_a_subclass_reaching_into_its_library_base_is_flagged() -> None:
    source = """
        from graphql import ExecutionContext

        class Fast(ExecutionContext):
            def build(self):
                self._own = 1
                return self._relevant_sub_fields, self._own
    """
    assert _names(source) == ["_relevant_sub_fields"]


def test_the_apps_own_and_documented_public_underscore_names_pass() -> None:
    source = """
        class Store:
            __slots__ = ("_cache",)

            def __init__(self):
                self._cache = {}

            def _helper(self, other, row):
                other._cache, other._helper, row._mapping, row._fields, row._total
                select(x.label("_total"))
                return Colour._value2member_map_, self.__dict__
    """
    assert _names(source) == []


def test_the_app_has_no_private_name_outside_the_documented_exceptions() -> None:
    findings, _stale = check()
    assert findings == []


def test_undocumented_internals_without_an_underscore_are_flagged() -> None:
    source = """
        def plan(field, context):
            field.extensions.get("strawberry-definition")
            context.settle_in_background([])
            return "a strawberry-definition in prose", context.collect_fields
    """
    assert sorted(_names(source)) == ["settle_in_background", "strawberry-definition"]
