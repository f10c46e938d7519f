"""Board use cases."""

from app.domain.boards.ports import BoardStore
from app.domain.boards.service import BoardService

__all__ = ["BoardService", "BoardStore"]
