/** Boards: list, search, create; one board with members and what the caller may do; update, delete. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { unwrap } from "../client";
import { BoardDetailDocument, type BoardDetailQuery, MeDocument } from "../generated/graphql";
import type { components, operations } from "../generated/openapi";
import { keys, useAtelier } from "./context";

export type Board = components["schemas"]["Board"];
export type BoardCreate = components["schemas"]["BoardCreate"];
export type BoardUpdate = components["schemas"]["BoardUpdate"];
export type BoardRole = components["schemas"]["BoardRole"];
export type BoardListParams = NonNullable<operations["ListMyBoards"]["parameters"]["query"]>;
export type BoardDetail = NonNullable<BoardDetailQuery["board"]>;

export function useBoards(params: BoardListParams = {}) {
  const client = useAtelier();
  return useQuery({
    queryKey: keys.boardList(params),
    queryFn: () => unwrap(client.rest.GET("/api/v1/boards", { params: { query: params } })),
  });
}

export function useSearchBoards(q: string, params: { limit?: number; offset?: number } = {}) {
  const client = useAtelier();
  return useQuery({
    queryKey: [...keys.boardSearch(q), params],
    enabled: q.trim().length > 0,
    queryFn: () => unwrap(client.rest.GET("/api/v1/boards/search", { params: { query: { q, ...params } } })),
  });
}

export function useCreateBoard() {
  const client = useAtelier();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (body: BoardCreate) => unwrap(client.rest.POST("/api/v1/boards", { body })),
    onSuccess: () => queries.invalidateQueries({ queryKey: keys.boards }),
  });
}

export interface BoardPermissions {
  role: "owner" | BoardRole | "public";
  canView: boolean;
  canGenerate: boolean;
  canEdit: boolean;
  canManageMembers: boolean;
  canDelete: boolean;
}

/** What the caller may do, from ownership and membership (the server enforces the same rules). */
export function permissionsFor(board: Pick<BoardDetail, "ownerId" | "members">, meId: string | null): BoardPermissions {
  const member = board.members.find((m) => m.userId === meId);
  const role: BoardPermissions["role"] =
    meId !== null && board.ownerId === meId ? "owner" : member ? (member.role.toLowerCase() as BoardRole) : "public";
  const rank = { public: 0, viewer: 1, editor: 2, admin: 3, owner: 4 }[role];
  return {
    role,
    canView: true,
    canGenerate: rank >= 2,
    canEdit: rank >= 3,
    canManageMembers: rank >= 3,
    canDelete: rank >= 4,
  };
}

/** One board (GraphQL: owner, members, latest generations) with the caller's permissions. */
export function useBoard(id: string | null | undefined, generationLimit = 50) {
  const client = useAtelier();
  const query = useQuery({
    queryKey: keys.board(id ?? ""),
    enabled: Boolean(id),
    queryFn: async () => {
      const [detail, me] = await Promise.all([
        client.graphql(BoardDetailDocument, { id: id!, limit: generationLimit }),
        client.graphql(MeDocument, {}),
      ]);
      if (!detail.board) return null;
      return { board: detail.board, me: me.me, permissions: permissionsFor(detail.board, me.me?.id ?? null) };
    },
  });
  return { ...query, board: query.data?.board ?? null, permissions: query.data?.permissions ?? null };
}

export function useUpdateBoard(id: string) {
  const client = useAtelier();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (body: BoardUpdate) =>
      unwrap(client.rest.PATCH("/api/v1/boards/{board_id}", { params: { path: { board_id: id } }, body })),
    onSuccess: async () => {
      await queries.invalidateQueries({ queryKey: keys.board(id) });
      await queries.invalidateQueries({ queryKey: keys.boards });
    },
  });
}

export function useDeleteBoard() {
  const client = useAtelier();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => {
      const { response, error } = await client.rest.DELETE("/api/v1/boards/{board_id}", {
        params: { path: { board_id: id } },
      });
      if (!response.ok) throw Object.assign(new Error("delete failed"), { status: response.status, error });
      return id;
    },
    onSuccess: async (id) => {
      queries.removeQueries({ queryKey: keys.board(id) });
      await queries.invalidateQueries({ queryKey: keys.boards });
    },
  });
}

export function useBoardMembers(boardId: string) {
  const client = useAtelier();
  const queries = useQueryClient();
  const list = useQuery({
    queryKey: [...keys.board(boardId), "members"],
    queryFn: () =>
      unwrap(client.rest.GET("/api/v1/boards/{board_id}/members", { params: { path: { board_id: boardId } } })),
  });
  const refresh = () => queries.invalidateQueries({ queryKey: keys.board(boardId) });
  const add = useMutation({
    mutationFn: (body: components["schemas"]["BoardMemberCreate"]) =>
      unwrap(client.rest.POST("/api/v1/boards/{board_id}/members", { params: { path: { board_id: boardId } }, body })),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: async (userId: string) => {
      const { response } = await client.rest.DELETE("/api/v1/boards/{board_id}/members/{user_id}", {
        params: { path: { board_id: boardId, user_id: userId } },
      });
      if (!response.ok) throw new Error(`remove member: HTTP ${response.status}`);
    },
    onSuccess: refresh,
  });
  const setRole = useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: BoardRole }) =>
      unwrap(
        client.rest.PATCH("/api/v1/boards/{board_id}/members/{user_id}", {
          params: { path: { board_id: boardId, user_id: userId } },
          body: { role },
        }),
      ),
    onSuccess: refresh,
  });
  return { ...list, members: list.data ?? [], add, remove, setRole };
}
