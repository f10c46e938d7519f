"""Generation use cases (read side here; running generators arrives with the jobs)."""

from app.domain.generations.ports import GenerationAccess, GenerationStore
from app.domain.generations.service import GenerationService

__all__ = ["GenerationAccess", "GenerationService", "GenerationStore"]
