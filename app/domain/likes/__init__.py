"""Likes on generations and the public feed."""

from app.domain.likes.service import CURSOR_PATTERN, FeedCursor, LikeService, LikeStore

__all__ = ["CURSOR_PATTERN", "FeedCursor", "LikeService", "LikeStore"]
