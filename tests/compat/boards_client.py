"""The operations a Boards web client sends, one document each, written from PRODUCT.md §2 (the Boards API
this server must serve unchanged) with the fragments such a client spreads. Only Boards fields appear here:
an Atelier addition in a document would hide a missing Boards one."""

from __future__ import annotations

USER = "fragment UserFields on User { id tenantId authProvider authSubject email displayName avatarUrl createdAt updatedAt }"
BOARD = (
    "fragment BoardFields on Board { id tenantId ownerId title description isPublic settings metadata"
    " createdAt updatedAt generationCount owner { ...UserFields } }"
)
MEMBER = (
    "fragment MemberFields on BoardMember { id boardId userId role invitedBy joinedAt"
    " user { ...UserFields } inviter { ...UserFields } }"
)
GENERATION = (
    "fragment GenerationFields on Generation { id tenantId boardId userId generatorName artifactType"
    " storageUrl thumbnailUrl additionalFiles { url type metadata } inputParams outputMetadata externalJobId"
    " status progress errorMessage startedAt completedAt createdAt updatedAt"
    " inputArtifacts { generationId role artifactType } }"
)
TAG = "fragment TagFields on Tag { id tenantId name slug description metadata createdAt updatedAt }"
FRAGMENTS = {"UserFields": USER, "BoardFields": BOARD, "MemberFields": MEMBER, "GenerationFields": GENERATION}
FRAGMENTS["TagFields"] = TAG

_BOARD_DETAIL = (
    "...BoardFields members { ...MemberFields } generations(limit: 50, offset: 0) { ...GenerationFields }"
)
_LINEAGE = (
    "ancestry(maxDepth: 25) { depth role generation { id } parents { depth role generation { id } } }"
    " descendants(maxDepth: 25) { depth role generation { id } children { depth generation { id } } }"
)

# name → (operation document, its root field)
OPERATIONS: dict[str, tuple[str, str]] = {
    "GetMe": ("query GetMe { me { ...UserFields boards { id } memberBoards { id } } }", "me"),
    "GetUser": ("query GetUser($id: UUID!) { user(id: $id) { ...UserFields } }", "user"),
    "GetBoard": (f"query GetBoard($id: UUID!) {{ board(id: $id) {{ {_BOARD_DETAIL} }} }}", "board"),
    "GetMyBoards": (
        "query GetMyBoards($limit: Int, $offset: Int, $role: BoardQueryRole, $sort: SortOrder) {"
        " myBoards(limit: $limit, offset: $offset, role: $role, sort: $sort) { ...BoardFields } }",
        "myBoards",
    ),
    "GetPublicBoards": (
        "query GetPublicBoards($limit: Int, $offset: Int, $sort: SortOrder) {"
        " publicBoards(limit: $limit, offset: $offset, sort: $sort) { ...BoardFields } }",
        "publicBoards",
    ),
    "SearchBoards": (
        "query SearchBoards($query: String!, $limit: Int, $offset: Int) {"
        " searchBoards(query: $query, limit: $limit, offset: $offset) { ...BoardFields } }",
        "searchBoards",
    ),
    "GetGeneration": (
        "query GetGeneration($id: UUID!) { generation(id: $id) { ...GenerationFields"
        f" board {{ id title }} user {{ ...UserFields }} tags {{ ...TagFields }} {_LINEAGE} }} }}",
        "generation",
    ),
    "GetRecentGenerations": (
        "query GetRecentGenerations($boardId: UUID, $status: GenerationStatus, $artifactType: ArtifactType,"
        " $limit: Int, $offset: Int) { recentGenerations(boardId: $boardId, status: $status,"
        " artifactType: $artifactType, limit: $limit, offset: $offset) { ...GenerationFields } }",
        "recentGenerations",
    ),
    "GetGenerators": (
        "query GetGenerators($artifactType: String) { generators(artifactType: $artifactType) {"
        " name description artifactType inputSchema } }",
        "generators",
    ),
    "GetTags": (
        "query GetTags($limit: Int, $offset: Int) { tags(limit: $limit, offset: $offset) { ...TagFields } }",
        "tags",
    ),
    "GetTag": ("query GetTag($id: UUID!) { tag(id: $id) { ...TagFields } }", "tag"),
    "GetTagBySlug": (
        "query GetTagBySlug($slug: String!) { tagBySlug(slug: $slug) { ...TagFields } }",
        "tagBySlug",
    ),
    "CreateBoard": (
        "mutation CreateBoard($input: CreateBoardInput!) { createBoard(input: $input) { ...BoardFields } }",
        "createBoard",
    ),
    "UpdateBoard": (
        "mutation UpdateBoard($input: UpdateBoardInput!) { updateBoard(input: $input) { ...BoardFields } }",
        "updateBoard",
    ),
    "DeleteBoard": ("mutation DeleteBoard($id: UUID!) { deleteBoard(id: $id) }", "deleteBoard"),
    "AddBoardMember": (
        "mutation AddBoardMember($input: AddBoardMemberInput!) { addBoardMember(input: $input) {"
        " id members { ...MemberFields } } }",
        "addBoardMember",
    ),
    "RemoveBoardMember": (
        "mutation RemoveBoardMember($boardId: UUID!, $userId: UUID!) {"
        " removeBoardMember(boardId: $boardId, userId: $userId) { id members { ...MemberFields } } }",
        "removeBoardMember",
    ),
    "UpdateBoardMemberRole": (
        "mutation UpdateBoardMemberRole($boardId: UUID!, $userId: UUID!, $role: BoardRole!) {"
        " updateBoardMemberRole(boardId: $boardId, userId: $userId, role: $role) { id members { ...MemberFields } } }",
        "updateBoardMemberRole",
    ),
    "CreateGeneration": (
        "mutation CreateGeneration($input: CreateGenerationInput!) { createGeneration(input: $input) {"
        " ...GenerationFields } }",
        "createGeneration",
    ),
    "CancelGeneration": (
        "mutation CancelGeneration($id: UUID!) { cancelGeneration(id: $id) { ...GenerationFields } }",
        "cancelGeneration",
    ),
    "DeleteGeneration": (
        "mutation DeleteGeneration($id: UUID!) { deleteGeneration(id: $id) }",
        "deleteGeneration",
    ),
    "Regenerate": (
        "mutation Regenerate($id: UUID!) { regenerate(id: $id) { ...GenerationFields } }",
        "regenerate",
    ),
    "UploadArtifact": (
        "mutation UploadArtifact($input: UploadArtifactInput!) { uploadArtifact(input: $input) {"
        " ...GenerationFields } }",
        "uploadArtifact",
    ),
    "CreateTag": (
        "mutation CreateTag($input: CreateTagInput!) { createTag(input: $input) { ...TagFields } }",
        "createTag",
    ),
    "UpdateTag": (
        "mutation UpdateTag($input: UpdateTagInput!) { updateTag(input: $input) { ...TagFields } }",
        "updateTag",
    ),
    "DeleteTag": ("mutation DeleteTag($id: UUID!) { deleteTag(id: $id) }", "deleteTag"),
    "AddTagToGeneration": (
        "mutation AddTagToGeneration($generationId: UUID!, $tagId: UUID!) {"
        " addTagToGeneration(generationId: $generationId, tagId: $tagId) { ...TagFields } }",
        "addTagToGeneration",
    ),
    "RemoveTagFromGeneration": (
        "mutation RemoveTagFromGeneration($generationId: UUID!, $tagId: UUID!) {"
        " removeTagFromGeneration(generationId: $generationId, tagId: $tagId) }",
        "removeTagFromGeneration",
    ),
}

# Documents the Boards client sends that Boards' own schema does not serve (older names and argument styles);
# Atelier serves them as a superset.
SUPERSET: dict[str, tuple[str, str]] = {
    "ListGenerations": (
        "query ListGenerations($boardId: UUID, $limit: Int, $offset: Int) {"
        " generations(boardId: $boardId, limit: $limit, offset: $offset) { ...GenerationFields } }",
        "generations",
    ),
    "RetryGeneration": (
        "mutation RetryGeneration($id: UUID!) { retryGeneration(id: $id) { ...GenerationFields } }",
        "retryGeneration",
    ),
    "AddBoardMemberFlat": (
        "mutation AddBoardMemberFlat($boardId: UUID!, $userId: UUID!, $role: BoardRole!) {"
        " addBoardMember(boardId: $boardId, userId: $userId, role: $role) { id members { ...MemberFields } } }",
        "addBoardMember",
    ),
}
OPERATIONS |= SUPERSET


def document(name: str) -> str:
    """The operation with the fragments it spreads (and those they spread), as a client sends it."""
    text, _ = OPERATIONS[name]
    needed: list[str] = []
    pending = [text]
    while pending:
        current = pending.pop()
        for fragment, body in FRAGMENTS.items():
            if f"...{fragment}" in current and fragment not in needed:
                needed.append(fragment)
                pending.append(body)
    return "\n".join([text, *(FRAGMENTS[f] for f in needed)])
