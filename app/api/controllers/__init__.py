"""REST controllers, one module per context."""

from app.api.controllers.boards import BoardController
from app.api.controllers.system import SystemController

__all__ = ["BoardController", "SystemController"]
