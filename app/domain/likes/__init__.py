"""Likes on generations and the public feed."""

from app.domain.likes.service import FeedCursor, LikeService, LikeStore

__all__ = ["FeedCursor", "LikeService", "LikeStore"]
