"""Tags: tenant-wide labels on generations."""

from app.domain.tags.service import TagService, TagStore, slugify

__all__ = ["TagService", "TagStore", "slugify"]
