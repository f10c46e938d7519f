"""Stored files outlive nothing: deleting a generation or a board asks for its files to be deleted too.

The deletion runs as a retried background job queued AFTER the unit of work commits, so a rolled-back
delete never loses files, and a storage outage only delays the cleanup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol
from uuid import UUID


class FileCleanup(Protocol):
    def delete_after_commit(self, locators: Sequence[str]) -> None:
        """Delete these stored objects once the current unit of work has committed."""
        ...


class FileKeys(Protocol):
    """Where the stored objects of generations and boards are recorded."""

    async def of_generation(self, generation_id: UUID) -> list[str]: ...

    async def of_board(self, board_id: UUID) -> list[str]: ...


class KeepFiles:
    """No cleanup (unit tests, or where no queue is configured)."""

    def delete_after_commit(self, locators: Sequence[str]) -> None:
        return None
