"""Tenant administration use cases (credits, users, the audit log)."""

from app.domain.admin.ports import AdminStore
from app.domain.admin.service import AdminService

__all__ = ["AdminService", "AdminStore"]
