"""Tenant administration use cases (credits, users, the audit log)."""

from app.domain.admin.service import AdminService, AdminStore, UserChanges

__all__ = ["AdminService", "AdminStore", "UserChanges"]
