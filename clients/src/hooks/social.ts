/** Lineage, tags, likes and the public feed. */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { unwrap } from "../client";
import { GenerationLineageDocument } from "../generated/graphql";
import type { components } from "../generated/openapi";
import { keys, useAtelier } from "./context";

export type Tag = components["schemas"]["Tag"];
export type LikeStatus = components["schemas"]["LikeStatus"];

/** The generation with its ancestry and descendants as trees (GraphQL, 3 levels each way). */
export function useLineage(id: string | null | undefined, maxDepth = 25) {
  const client = useAtelier();
  return useQuery({
    queryKey: [...keys.lineage(id ?? ""), "tree", maxDepth],
    enabled: Boolean(id),
    queryFn: async () => (await client.graphql(GenerationLineageDocument, { id: id!, maxDepth })).generation,
  });
}

/** The full lineage as edges (REST), to any depth up to maxDepth. */
export function useLineageEdges(id: string | null | undefined, direction: "ancestry" | "descendants" = "ancestry") {
  const client = useAtelier();
  return useQuery({
    queryKey: [...keys.lineage(id ?? ""), "edges", direction],
    enabled: Boolean(id),
    queryFn: () =>
      unwrap(
        client.rest.GET("/api/v1/generations/{generation_id}/lineage", {
          params: { path: { generation_id: id! }, query: { direction } },
        }),
      ),
  });
}

export function useTags(params: { limit?: number; offset?: number } = {}) {
  const client = useAtelier();
  const queries = useQueryClient();
  const list = useQuery({
    queryKey: [...keys.tags, params],
    queryFn: () => unwrap(client.rest.GET("/api/v1/tags", { params: { query: params } })),
  });
  const create = useMutation({
    mutationFn: (body: components["schemas"]["TagCreate"]) => unwrap(client.rest.POST("/api/v1/tags", { body })),
    onSuccess: () => queries.invalidateQueries({ queryKey: keys.tags }),
  });
  return { ...list, tags: list.data?.items ?? [], create };
}

export function useGenerationTags(generationId: string) {
  const client = useAtelier();
  const queries = useQueryClient();
  const path = { generation_id: generationId };
  const list = useQuery({
    queryKey: keys.generationTags(generationId),
    queryFn: () => unwrap(client.rest.GET("/api/v1/generations/{generation_id}/tags", { params: { path } })),
  });
  const refresh = () => queries.invalidateQueries({ queryKey: keys.generationTags(generationId) });
  const add = useMutation({
    mutationFn: (tagId: string) =>
      unwrap(client.rest.POST("/api/v1/generations/{generation_id}/tags", { params: { path }, body: { tagId } })),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: async (tagId: string) => {
      const { response } = await client.rest.DELETE("/api/v1/generations/{generation_id}/tags/{tag_id}", {
        params: { path: { ...path, tag_id: tagId } },
      });
      if (!response.ok) throw new Error(`remove tag: HTTP ${response.status}`);
    },
    onSuccess: refresh,
  });
  return { ...list, tags: list.data ?? [], add, remove };
}

/** Like status with like/unlike, applied optimistically and corrected by the server's answer. */
export function useLike(generationId: string) {
  const client = useAtelier();
  const queries = useQueryClient();
  const path = { generation_id: generationId };
  const status = useQuery({
    queryKey: keys.likes(generationId),
    queryFn: () => unwrap(client.rest.GET("/api/v1/generations/{generation_id}/likes", { params: { path } })),
  });
  const toggle = useMutation({
    mutationFn: (like: boolean) =>
      unwrap(
        like
          ? client.rest.POST("/api/v1/generations/{generation_id}/likes", { params: { path } })
          : client.rest.DELETE("/api/v1/generations/{generation_id}/likes", { params: { path } }),
      ),
    onMutate: (like) => {
      const previous = queries.getQueryData<LikeStatus>(keys.likes(generationId));
      if (previous) {
        queries.setQueryData<LikeStatus>(keys.likes(generationId), {
          ...previous,
          likedByMe: like,
          likeCount: previous.likeCount + (like === previous.likedByMe ? 0 : like ? 1 : -1),
        });
      }
      return { previous };
    },
    onError: (_error, _like, context) => queries.setQueryData(keys.likes(generationId), context?.previous),
    onSuccess: (next) => queries.setQueryData(keys.likes(generationId), next),
  });
  return { ...status, status: status.data ?? null, toggle };
}

/** Completed generations of public boards, newest first, page by page (keyset cursor). */
export function useFeed(pageSize = 20) {
  const client = useAtelier();
  const query = useInfiniteQuery({
    queryKey: [...keys.feed, pageSize],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      unwrap(
        client.rest.GET("/api/v1/generations/feed", {
          params: { query: pageParam ? { limit: pageSize, cursor: pageParam } : { limit: pageSize } },
        }),
      ),
    getNextPageParam: (last) => last.nextCursor ?? null,
  });
  return { ...query, items: query.data?.pages.flatMap((page) => page.items) ?? [] };
}
