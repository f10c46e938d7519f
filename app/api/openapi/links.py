"""OpenAPI links: what a created (or read) object leads to, so generated clients and stateful testers can
chain create → read → update → delete without guessing which field feeds which path parameter."""

from __future__ import annotations

from litestar.openapi.spec import Link, OpenAPI, OpenAPIResponse

from app.api.openapi.document import operations

_ID = "$response.body#/id"
_BOARD = {"board_id": "$response.body#/boardId"}
_BOARD_OPS = ("GetBoard", "UpdateBoard", "DeleteBoard", "ListBoardMembers", "ListBoardInvitations")
_GENERATION_OPS = (
    "GetGeneration",
    "CancelGeneration",
    "DeleteGeneration",
    "Regenerate",
    "GetGenerationLineage",
    "ListGenerationTags",
    "GetLikeStatus",
    "LikeGeneration",
    "UnlikeGeneration",
)
_TAG_OPS = ("GetTag", "UpdateTag", "DeleteTag")


def _each(targets: tuple[str, ...], parameter: str) -> dict[str, tuple[str, dict[str, str]]]:
    return {target: (target, {parameter: _ID}) for target in targets}


# (source operationId, success status) → {link name: (target operationId, parameters)}
LINKS: dict[tuple[str, str], dict[str, tuple[str, dict[str, str]]]] = {
    ("CreateBoard", "201"): _each(_BOARD_OPS, "board_id"),
    ("GetBoard", "200"): _each(("UpdateBoard", "DeleteBoard"), "board_id"),
    ("UpdateBoard", "200"): _each(("GetBoard", "DeleteBoard"), "board_id"),
    ("AddBoardMember", "201"): {
        op: (op, {**_BOARD, "user_id": "$response.body#/userId"})
        for op in ("UpdateBoardMemberRole", "RemoveBoardMember")
    },
    ("InviteBoardMember", "201"): {
        "RevokeBoardInvitation": ("RevokeBoardInvitation", {**_BOARD, "invitation_id": _ID})
    },
    ("CreateGeneration", "201"): _each(_GENERATION_OPS, "generation_id"),
    ("Regenerate", "201"): _each(("GetGeneration", "CancelGeneration", "DeleteGeneration"), "generation_id"),
    ("UploadArtifactFromUrl", "201"): _each(("GetGeneration", "DeleteGeneration"), "generation_id"),
    ("UploadArtifactFile", "201"): _each(("GetGeneration", "DeleteGeneration"), "generation_id"),
    ("GetGeneration", "200"): _each(("DeleteGeneration",), "generation_id"),
    ("CreateTag", "201"): _each(_TAG_OPS, "tag_id"),
    ("GetTag", "200"): _each(("UpdateTag", "DeleteTag"), "tag_id"),
    ("UpdateTag", "200"): _each(("GetTag", "DeleteTag"), "tag_id"),
    ("CreateDirectUpload", "201"): _each(("ConfirmDirectUpload",), "upload_id"),
    ("CreateGenerationBatch", "201"): {
        op: (op, {"batch_id": "$response.body#/batchId"})
        for op in ("GetGenerationBatch", "CancelGenerationBatch", "RegenerateGenerationBatch")
    },
    ("CreateSavedView", "201"): _each(("DeleteSavedView",), "view_id"),
    ("CreateApiKey", "201"): {"RevokeApiKey": ("RevokeApiKey", {"key_id": "$response.body#/apiKey/id"})},
}


def add_links(document: OpenAPI) -> None:
    known = {operation.operation_id for _, _, operation in operations(document)}
    for _, _, operation in operations(document):
        for (source, status), links in LINKS.items():
            if operation.operation_id != source:
                continue
            response = (operation.responses or {}).get(status)
            if not isinstance(response, OpenAPIResponse):
                continue
            response.links = {
                name: Link(operation_id=target, parameters=parameters)
                for name, (target, parameters) in links.items()
                if target in known
            }
