"""Generation use cases (read side here; running generators arrives with the jobs)."""

from app.domain.generations.ports import (
    GenerationAccess,
    GenerationStore,
    GenerationWriter,
    GeneratorCatalog,
    JobDispatcher,
)
from app.domain.generations.running import GenerationRunner
from app.domain.generations.service import GenerationService

__all__ = [
    "GenerationAccess",
    "GenerationRunner",
    "GenerationService",
    "GenerationStore",
    "GenerationWriter",
    "GeneratorCatalog",
    "JobDispatcher",
]
