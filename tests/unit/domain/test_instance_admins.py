"""The instance-admin rule (app.domain.tenants.policy) as properties, and TenantAdminService's own rules
(over an in-memory store): who may act, audit homes, no disabling one's own tenant, input checks."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.contracts import InstanceTenant, TenantCreate, TenantRename
from app.domain.actor import Actor
from app.domain.errors import Conflict, Forbidden, Invalid, NotFound, Unauthenticated
from app.domain.tenants import InstanceAdmins, TenantAdminService

emails = st.one_of(
    st.none(), st.emails(), st.sampled_from(["Root@Example.com", " root@example.com ", "ROOT@EXAMPLE.COM"])
)


@settings(deadline=None)  # st.emails is slow on a loaded machine; this is a rule, not a timing
@given(
    email=emails,
    listed=st.lists(st.emails(), max_size=3),
    is_admin=st.booleans(),
    signed_in=st.booleans(),
    single=st.booleans(),
)
def test_an_instance_admin_is_a_signed_in_tenant_admin_listed_or_alone(
    email: str | None, listed: list[str], is_admin: bool, signed_in: bool, single: bool
) -> None:
    rule = InstanceAdmins.of([*listed, "root@example.com"], single_tenant=single)
    actor = Actor(uuid4(), uuid4() if signed_in else None, is_admin=is_admin, email=email)
    in_list = (email or "").strip().lower() in {e.strip().lower() for e in [*listed, "root@example.com"]}
    assert rule.allows(actor) == (signed_in and is_admin and (single or in_list))
    if rule.allows(actor):
        rule.require(actor)
    else:
        with pytest.raises(Unauthenticated if not signed_in else Forbidden):
            rule.require(actor)


class Store:
    def __init__(self) -> None:
        self.rows: dict[UUID, dict[str, Any]] = {}
        self.audit: list[tuple[UUID, str, str, UUID]] = []

    def _contract(self, tenant_id: UUID) -> InstanceTenant:
        row = self.rows[tenant_id]
        now = datetime.now(UTC)
        return InstanceTenant(id=tenant_id, name=row["name"], slug=row["slug"], created_at=now, updated_at=now,
                              disabled_at=row["disabled_at"], user_count=0, board_count=0)  # fmt: skip

    async def tenants(self, *, limit: int, offset: int) -> Sequence[InstanceTenant]:
        return [self._contract(i) for i in list(self.rows)[offset : offset + limit]]

    async def tenant(self, tenant_id: UUID) -> InstanceTenant | None:
        return self._contract(tenant_id) if tenant_id in self.rows else None

    async def slug_taken(self, slug: str) -> bool:
        return any(row["slug"] == slug for row in self.rows.values())

    async def create(self, *, slug: str, name: str) -> UUID:
        tenant_id = uuid4()
        self.rows[tenant_id] = {"slug": slug, "name": name, "disabled_at": None}
        return tenant_id

    async def rename(self, tenant_id: UUID, name: str) -> bool:
        if tenant_id not in self.rows:
            return False
        self.rows[tenant_id]["name"] = name
        return True

    async def set_disabled(self, tenant_id: UUID, *, disabled: bool) -> bool:
        if tenant_id not in self.rows:
            return False
        self.rows[tenant_id]["disabled_at"] = datetime.now(UTC) if disabled else None
        return True

    async def record(self, tenant_id: UUID, *, actor_user_id: UUID | None, actor_label: str, action: str,
                     target_id: UUID, details: dict[str, Any]) -> None:  # fmt: skip
        self.audit.append((tenant_id, actor_label, action, target_id))


class Changes:
    def __init__(self) -> None:
        self.tenants: list[UUID] = []

    def tenant_changed(self, tenant_id: UUID) -> None:
        self.tenants.append(tenant_id)


HOME = uuid4()
ROOT = Actor(HOME, uuid4(), is_admin=True, email="root@example.com")
RULE = InstanceAdmins.of(["root@example.com"], single_tenant=False)


async def test_changes_are_audited_in_the_tenant_and_at_home_and_announced() -> None:
    store, changes = Store(), Changes()
    service = TenantAdminService(store, ROOT, RULE, changes=changes)
    created = await service.create(TenantCreate(slug="acme", name="  Acme "))
    assert created.name == "Acme"
    await service.disable(created.id)
    await service.enable(created.id)
    assert [(home, action) for home, _, action, _ in store.audit] == [
        (created.id, "tenant.create"), (HOME, "tenant.create"),
        (created.id, "tenant.disable"), (HOME, "tenant.disable"),
        (created.id, "tenant.enable"), (HOME, "tenant.enable"),
    ]  # fmt: skip
    assert changes.tenants == [created.id, created.id]


async def test_the_operator_is_audited_once_as_cli_and_may_disable_any_tenant() -> None:
    store = Store()
    operator = TenantAdminService(
        store, Actor(HOME), InstanceAdmins.of([], single_tenant=False), operator=True
    )
    home = await store.create(slug="home", name="Home")
    await operator.disable(home)
    assert store.audit == [(home, "cli", "tenant.disable", home)]


async def test_refusals_change_nothing() -> None:
    store = Store()
    home = await store.create(slug="home", name="Home")
    service = TenantAdminService(store, Actor(home, ROOT.user_id, is_admin=True, email=ROOT.email), RULE)
    with pytest.raises(Conflict):
        await service.disable(home)
    with pytest.raises(Conflict):
        await service.create(TenantCreate(slug="home", name="Again"))
    for slug in ("Home", "-x", "x" * 64, "a\n"):
        with pytest.raises(Invalid):
            await service.create(TenantCreate(slug=slug, name="x"))
    with pytest.raises(Invalid):
        await service.rename(home, TenantRename(name=" \t "))
    with pytest.raises(NotFound):
        await service.enable(uuid4())
    boss = TenantAdminService(store, Actor(home, uuid4(), is_admin=True, email="boss@example.com"), RULE)
    with pytest.raises(Forbidden):
        await boss.tenants()
    assert store.audit == [] and store.rows[home]["disabled_at"] is None
