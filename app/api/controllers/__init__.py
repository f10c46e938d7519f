"""REST controllers, one module per context."""

from app.api.controllers.accounts import (
    ApiKeyController,
    AuthController,
    CreditController,
    EmailFlowController,
)
from app.api.controllers.admin import AdminController
from app.api.controllers.boards import BoardController
from app.api.controllers.direct_uploads import DirectUploadController
from app.api.controllers.events import EventController
from app.api.controllers.files import FileController
from app.api.controllers.generations import GenerationController
from app.api.controllers.generators import GeneratorController
from app.api.controllers.instance import InstanceTenantController
from app.api.controllers.members import InvitationController, MemberController
from app.api.controllers.search import BatchController, SavedViewController, SearchController
from app.api.controllers.system import SystemController
from app.api.controllers.tags import TagController
from app.api.controllers.users import TenantController, UserController
from app.api.controllers.web import WebController
from app.api.controllers.webhooks import WebhookController

__all__ = [
    "AdminController",
    "ApiKeyController",
    "AuthController",
    "BatchController",
    "BoardController",
    "CreditController",
    "DirectUploadController",
    "EmailFlowController",
    "EventController",
    "FileController",
    "GenerationController",
    "GeneratorController",
    "InstanceTenantController",
    "InvitationController",
    "MemberController",
    "SavedViewController",
    "SearchController",
    "SystemController",
    "TagController",
    "TenantController",
    "UserController",
    "WebController",
    "WebhookController",
]
