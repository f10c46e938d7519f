"""Likes on generations and the public feed."""

from app.domain.likes.ports import CURSOR_PATTERN, FeedCursor, LikeStore
from app.domain.likes.service import LikeService

__all__ = ["CURSOR_PATTERN", "FeedCursor", "LikeService", "LikeStore"]
