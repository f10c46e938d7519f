"""REST controllers, one module per context."""

from app.api.controllers.accounts import ApiKeyController, AuthController
from app.api.controllers.boards import BoardController
from app.api.controllers.members import MemberController
from app.api.controllers.system import SystemController
from app.api.controllers.users import TenantController, UserController

__all__ = [
    "ApiKeyController",
    "AuthController",
    "BoardController",
    "MemberController",
    "SystemController",
    "TenantController",
    "UserController",
]
