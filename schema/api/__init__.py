"""Pydantic API contracts: codegen emits msgspec Structs (REST + domain DTOs) and Strawberry types from them.

`CONTRACTS` lists, in emission order, every model codegen reads; `ENUMS` the enums it emits.
"""

from schema.api.boards import Board, BoardCreate, BoardList, BoardListQuery, BoardUpdate, UpdateBoardInput
from schema.api.common import ArtifactType, BoardQueryRole, BoardRole, GenerationStatus, PageInfo, SortOrder

ENUMS = [ArtifactType, GenerationStatus, BoardRole, BoardQueryRole, SortOrder]
CONTRACTS = [PageInfo, Board, BoardCreate, BoardUpdate, UpdateBoardInput, BoardList, BoardListQuery]

__all__ = ["CONTRACTS", "ENUMS"]
