"""Reading users: me, user(id), search, and the caller's tenant."""

from app.domain.users.service import UserService, UserStore

__all__ = ["UserService", "UserStore"]
