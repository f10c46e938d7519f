"""Likes on generations and the public feed."""

from app.domain.likes.ports import FeedCursor, LikeStore
from app.domain.likes.service import LikeService

__all__ = ["FeedCursor", "LikeService", "LikeStore"]
