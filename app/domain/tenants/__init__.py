"""Instance administration: tenants across the instance, and who may manage them."""

from app.domain.errors import TenantDisabled
from app.domain.tenants.policy import NOBODY, InstanceAdmins
from app.domain.tenants.ports import InstanceStore, TenantChanges
from app.domain.tenants.service import TenantAdminService

__all__ = [
    "NOBODY",
    "InstanceAdmins",
    "InstanceStore",
    "TenantAdminService",
    "TenantChanges",
    "TenantDisabled",
]
