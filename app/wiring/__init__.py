"""Composition root: the one place REST, GraphQL, jobs and the CLI get their services and stores from.

Import from `app.wiring` itself; the modules behind it follow its seams:
- `runtime`: the process-wide collaborators (`Runtime`) every builder takes;
- `content` and `people`: one builder per use-case family for one actor (boards and what is made on them; people
  and their standing); every store is built with the actor's tenant, which is how tenant scoping reaches every
  query;
- `services`: one unit of work's composition (`Services`, built per request by both APIs: a service added
  there is wired for REST and GraphQL at once) and the stores GraphQL's DataLoaders read through;
- `system`: work without an actor (the jobs and metrics adapters, provider webhooks).
"""

from app.wiring.content import (
    build_batch_runner,
    build_board_service,
    build_direct_upload_service,
    build_generation_runner,
    build_generation_service,
    build_like_service,
    build_saved_view_service,
    build_search_service,
    build_tag_service,
    build_upload_service,
    upload_accepts_bytes,
)
from app.wiring.people import (
    build_account_service,
    build_admin_service,
    build_api_key_service,
    build_auth_config,
    build_credit_service,
    build_member_service,
    build_outbox,
    build_tenant_admin_service,
    build_user_service,
    identity_changes,
)
from app.wiring.runtime import DEFAULT_UPLOAD_LIMITS, AfterCommit, Runtime
from app.wiring.services import ReadStores, Services, build_read_stores, build_services
from app.wiring.system import (
    LIVENESS_LOCK_CLASS,
    build_lifecycle,
    build_sweeper,
    build_webhook_service,
    generation_backlog,
    mark_failed,
    mark_sent,
    take_due_mail,
    take_expired_upload_keys,
)

__all__ = [
    "DEFAULT_UPLOAD_LIMITS",
    "LIVENESS_LOCK_CLASS",
    "AfterCommit",
    "ReadStores",
    "Runtime",
    "Services",
    "build_account_service",
    "build_admin_service",
    "build_api_key_service",
    "build_auth_config",
    "build_batch_runner",
    "build_board_service",
    "build_credit_service",
    "build_direct_upload_service",
    "build_generation_runner",
    "build_generation_service",
    "build_lifecycle",
    "build_like_service",
    "build_member_service",
    "build_outbox",
    "build_read_stores",
    "build_saved_view_service",
    "build_search_service",
    "build_services",
    "build_sweeper",
    "build_tag_service",
    "build_tenant_admin_service",
    "build_upload_service",
    "build_user_service",
    "build_webhook_service",
    "generation_backlog",
    "identity_changes",
    "mark_failed",
    "mark_sent",
    "take_due_mail",
    "take_expired_upload_keys",
    "upload_accepts_bytes",
]
