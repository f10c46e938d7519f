/** Board overviews (cover, counts, last activity), public boards, user search, invitations, tags per generation. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { unwrap } from "../client";
import { problemToError } from "../errors";
import {
  BoardGenerationTagsDocument,
  BoardOverviewsDocument,
  type BoardOverviewFieldsFragment,
  PublicBoardOverviewsDocument,
} from "../generated/graphql";
import type { components } from "../generated/openapi";
import { keys, useAtelier } from "./context";

export type BoardOverview = BoardOverviewFieldsFragment;
export type User = components["schemas"]["User"];
export type BoardInvitation = components["schemas"]["BoardInvitation"];
export type BoardInvitationCreate = components["schemas"]["BoardInvitationCreate"];

/** When anything last happened on a board: its own update or its newest generation, whichever is later. */
export function lastActivity(board: Pick<BoardOverview, "updatedAt" | "generations">): string {
  const newest = board.generations[0]?.createdAt;
  return newest && newest > board.updatedAt ? newest : board.updatedAt;
}

/** The caller's boards with a cover, generation count and last activity (GraphQL, one request). */
export function useBoardOverviews(limit = 100) {
  const client = useAtelier();
  const query = useQuery({
    queryKey: [...keys.boardOverviews, limit],
    queryFn: async () => (await client.graphql(BoardOverviewsDocument, { limit })).myBoards,
  });
  return { ...query, boards: query.data ?? [] };
}

/** Public boards of the tenant, newest activity first. */
export function usePublicBoards(limit = 50) {
  const client = useAtelier();
  const query = useQuery({
    queryKey: [...keys.publicBoards, limit],
    queryFn: async () => (await client.graphql(PublicBoardOverviewsDocument, { limit })).publicBoards,
  });
  return { ...query, boards: query.data ?? [] };
}

/** Users whose name or e-mail contains the text (the server decides who may be listed). */
export function useSearchUsers(q: string, limit = 20) {
  const client = useAtelier();
  const query = useQuery({
    queryKey: [...keys.userSearch(q), limit],
    enabled: q.trim().length > 0,
    queryFn: () => unwrap(client.rest.GET("/api/v1/users", { params: { query: { q, limit } } })),
  });
  return { ...query, users: query.data?.items ?? [] };
}

/** A board's pending invitations by e-mail: list, invite (a user who signs up later joins), revoke. */
export function useBoardInvitations(boardId: string, options: { enabled?: boolean } = {}) {
  const client = useAtelier();
  const queries = useQueryClient();
  const path = { board_id: boardId };
  const list = useQuery({
    queryKey: keys.invitations(boardId),
    enabled: options.enabled !== false,
    queryFn: () => unwrap(client.rest.GET("/api/v1/boards/{board_id}/invitations", { params: { path } })),
  });
  const refresh = () => queries.invalidateQueries({ queryKey: keys.board(boardId) });
  const invite = useMutation({
    mutationFn: (body: BoardInvitationCreate) =>
      unwrap(client.rest.POST("/api/v1/boards/{board_id}/invitations", { params: { path }, body })),
    onSuccess: refresh,
  });
  const revoke = useMutation({
    mutationFn: async (invitationId: string) => {
      const { response, error } = await client.rest.DELETE("/api/v1/boards/{board_id}/invitations/{invitation_id}", {
        params: { path: { ...path, invitation_id: invitationId } },
      });
      if (!response.ok) throw problemToError(error, response.status);
    },
    onSuccess: refresh,
  });
  return { ...list, invitations: list.data ?? [], invite, revoke };
}

export interface GenerationSocial {
  likeCount: number;
  tags: { id: string; name: string; slug: string }[];
}

/** Tags and like counts of a board's generations by id (for the gallery's tag filter and badges). */
export function useBoardGenerationTags(boardId: string | null | undefined, limit = 200) {
  const client = useAtelier();
  const query = useQuery({
    queryKey: [...keys.boardGenerationTags(boardId ?? ""), limit],
    enabled: Boolean(boardId),
    queryFn: async () => {
      const data = await client.graphql(BoardGenerationTagsDocument, { id: boardId!, limit });
      const map = new Map<string, GenerationSocial>();
      for (const g of data.board?.generations ?? []) map.set(g.id, { likeCount: g.likeCount, tags: g.tags });
      return map;
    },
  });
  return { ...query, byId: query.data ?? new Map<string, GenerationSocial>() };
}
