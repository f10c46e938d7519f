"""Real PostgreSQL and Valkey servers from pip wheels, started on 127.0.0.1 for tests, codegen and dev.

They are the default only when no ATELIER_DATABASE_URL / ATELIER_REDIS_URL is configured; production
points at any PostgreSQL and Redis/Valkey by URL instead.
"""

from __future__ import annotations

from app.embedded._ports import EmbeddedServerError, free_port, wait_for_port
from app.embedded._postgres import EmbeddedPostgres
from app.embedded._valkey import EmbeddedValkey

__all__ = ["EmbeddedPostgres", "EmbeddedServerError", "EmbeddedValkey", "free_port", "wait_for_port"]
