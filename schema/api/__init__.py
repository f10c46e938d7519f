"""Pydantic API contracts: codegen emits msgspec Structs (REST + domain DTOs) and Strawberry types from them.

`CONTRACTS` lists, in emission order, every model codegen reads; `ENUMS` the enums it emits.
"""

from schema.api.boards import Board, BoardCreate, BoardList, BoardListQuery, BoardUpdate, UpdateBoardInput
from schema.api.common import (
    ArtifactType,
    BoardQueryRole,
    BoardRole,
    GenerationStatus,
    PageInfo,
    Problem,
    SortOrder,
)
from schema.api.direct_uploads import DirectUpload, DirectUploadCreate
from schema.api.generations import (
    AdditionalFile,
    CostEstimate,
    Generation,
    GenerationCreate,
    GenerationFeed,
    GenerationList,
    GenerationProgress,
    GeneratorInfo,
    LikeStatus,
    Lineage,
    LineageEdge,
    ProgressArtifact,
    WebhookReceipt,
)
from schema.api.members import (
    AddBoardMemberInput,
    BoardInvitation,
    BoardInvitationCreate,
    BoardMember,
    BoardMemberCreate,
    BoardMemberUpdate,
    InviteBoardMemberInput,
)
from schema.api.tags import Tag, TagCreate, TagList, TagUpdate, UpdateTagInput
from schema.api.uploads import UploadFromUrl
from schema.api.users import (
    ApiKey,
    ApiKeyCreate,
    ApiKeyCreated,
    AuthConfig,
    AuthSession,
    CreditBalance,
    CreditEntry,
    LogInInput,
    LogOutInput,
    PasswordChangeInput,
    RefreshInput,
    SignUpInput,
    Tenant,
    TenantUpdate,
    User,
    UserList,
)

ENUMS = [ArtifactType, GenerationStatus, BoardRole, BoardQueryRole, SortOrder]
CONTRACTS = [
    PageInfo,
    Problem,
    Board,
    BoardCreate,
    BoardUpdate,
    UpdateBoardInput,
    BoardList,
    BoardListQuery,
    User,
    UserList,
    Tenant,
    TenantUpdate,
    SignUpInput,
    LogInInput,
    RefreshInput,
    LogOutInput,
    PasswordChangeInput,
    AuthSession,
    AuthConfig,
    ApiKeyCreate,
    ApiKey,
    ApiKeyCreated,
    BoardMember,
    BoardMemberCreate,
    AddBoardMemberInput,
    BoardMemberUpdate,
    BoardInvitationCreate,
    InviteBoardMemberInput,
    BoardInvitation,
    Tag,
    TagCreate,
    TagUpdate,
    UpdateTagInput,
    TagList,
    AdditionalFile,
    Generation,
    GenerationList,
    LikeStatus,
    GenerationFeed,
    GenerationCreate,
    GeneratorInfo,
    CostEstimate,
    ProgressArtifact,
    GenerationProgress,
    LineageEdge,
    Lineage,
    CreditBalance,
    CreditEntry,
    WebhookReceipt,
    DirectUploadCreate,
    DirectUpload,
    UploadFromUrl,
]

__all__ = ["CONTRACTS", "ENUMS"]
