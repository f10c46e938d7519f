"""Reading users: me, user(id), search, and the caller's tenant."""

from app.domain.users.ports import UserStore
from app.domain.users.service import UserService

__all__ = ["UserService", "UserStore"]
