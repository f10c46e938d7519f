"""Media helpers shared by the worker and uploads: image checks and thumbnails (Pillow)."""

from app.media.images import PillowImages, inspect_image, thumbnail_jpeg

__all__ = ["PillowImages", "inspect_image", "thumbnail_jpeg"]
