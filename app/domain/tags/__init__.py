"""Tags: tenant-wide labels on generations."""

from app.domain.tags.ports import TagStore
from app.domain.tags.service import TagService, slugify

__all__ = ["TagService", "TagStore", "slugify"]
