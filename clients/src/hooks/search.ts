/** Finding generations: search pages (keyset cursor), facets for filter chips, saved views, batches. */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { unwrap } from "../client";
import type { components, operations } from "../generated/openapi";
import { keys, useAtelier } from "./context";

export type SearchQuery = components["schemas"]["GenerationSearchQuery"];
export type SearchHit = components["schemas"]["GenerationSearchHit"];
export type GenerationFacets = components["schemas"]["GenerationFacets"];
export type FacetCount = components["schemas"]["FacetCount"];
export type SavedView = components["schemas"]["SavedView"];
export type GenerationBatch = components["schemas"]["GenerationBatch"];
export type GenerationBatchCreate = components["schemas"]["GenerationBatchCreate"];
type SearchParams = NonNullable<operations["SearchGenerations"]["parameters"]["query"]>;

export const searchKeys = {
  search: (query: SearchQuery) => ["search", "generations", query] as const,
  facets: (query: SearchQuery) => ["search", "facets", query] as const,
  views: (boardId?: string) => ["search", "views", boardId ?? "all"] as const,
  batch: (batchId: string) => ["batch", batchId] as const,
};

/** The query as query-string parameters: unset and empty filters left out. */
function params(query: SearchQuery, cursor: string | null): SearchParams {
  const entries = Object.entries({ ...query, cursor }).filter(
    ([, value]) => value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0),
  );
  return Object.fromEntries(entries) as SearchParams;
}

/** Search results page by page (the cursor keeps pages exact while new generations arrive). */
export function useSearchGenerations(query: SearchQuery, options: { enabled?: boolean } = {}) {
  const client = useAtelier();
  const { cursor: _ignored, ...stable } = query;
  const result = useInfiniteQuery({
    queryKey: searchKeys.search(stable),
    enabled: options.enabled ?? true,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      unwrap(client.rest.GET("/api/v1/generations/search", { params: { query: params(stable, pageParam) } })),
    getNextPageParam: (last) => last.nextCursor ?? null,
  });
  return { ...result, hits: result.data?.pages.flatMap((page) => page.items) ?? [] };
}

/** Counts per generator, artifact type, tag, day and week for the same query (`complete` false = sampled). */
export function useGenerationFacets(query: SearchQuery, options: { enabled?: boolean } = {}) {
  const client = useAtelier();
  const { cursor: _ignored, ...body } = query;
  return useQuery({
    queryKey: searchKeys.facets(body),
    enabled: options.enabled ?? true,
    queryFn: () => unwrap(client.rest.POST("/api/v1/generations/facets", { body })),
  });
}

/** Saved views (yours and those shared on boards you read), with create and remove. */
export function useSavedViews(boardId?: string) {
  const client = useAtelier();
  const queries = useQueryClient();
  const list = useQuery({
    queryKey: searchKeys.views(boardId),
    queryFn: () =>
      unwrap(client.rest.GET("/api/v1/saved-views", { params: { query: boardId ? { boardId } : {} } })),
  });
  const refresh = () => queries.invalidateQueries({ queryKey: ["search", "views"] });
  const create = useMutation({
    mutationFn: (body: components["schemas"]["SavedViewCreate"]) =>
      unwrap(client.rest.POST("/api/v1/saved-views", { body })),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: async (viewId: string) => {
      const { response } = await client.rest.DELETE("/api/v1/saved-views/{view_id}", {
        params: { path: { view_id: viewId } },
      });
      if (!response.ok) throw new Error(`delete saved view: HTTP ${response.status}`);
    },
    onSuccess: refresh,
  });
  return { ...list, views: list.data ?? [], create, remove };
}

/** Run N variations (count, seeds or a sweep) as one batch; retries with the same idempotencyKey are safe. */
export function useCreateBatch() {
  const client = useAtelier();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (body: GenerationBatchCreate) => unwrap(client.rest.POST("/api/v1/generation-batches", { body })),
    onSuccess: (batch) => {
      queries.setQueryData(searchKeys.batch(batch.batchId), batch);
      void queries.invalidateQueries({ queryKey: ["search"] });
      const boardId = batch.items[0]?.boardId;
      if (boardId) {
        void queries.invalidateQueries({ queryKey: keys.boardGenerations(boardId) });
        void queries.invalidateQueries({ queryKey: keys.board(boardId) });
      }
    },
  });
}

/** One batch's generations in order, with cancel and regenerate for the whole batch. */
export function useGenerationBatch(batchId: string | null | undefined) {
  const client = useAtelier();
  const queries = useQueryClient();
  const path = { batch_id: batchId ?? "" };
  /** The batch as the server answered, and the board's gallery refreshed (states changed or a new batch came). */
  const settled = (next: GenerationBatch) => {
    queries.setQueryData(searchKeys.batch(next.batchId), next);
    const boardId = next.items[0]?.boardId;
    if (!boardId) return;
    void queries.invalidateQueries({ queryKey: keys.boardGenerations(boardId) });
    void queries.invalidateQueries({ queryKey: keys.board(boardId) });
  };
  const batch = useQuery({
    queryKey: searchKeys.batch(batchId ?? ""),
    enabled: Boolean(batchId),
    queryFn: () => unwrap(client.rest.GET("/api/v1/generation-batches/{batch_id}", { params: { path } })),
  });
  const cancel = useMutation({
    mutationFn: () => unwrap(client.rest.POST("/api/v1/generation-batches/{batch_id}/cancel", { params: { path } })),
    onSuccess: (next) => settled(next),
  });
  const regenerate = useMutation({
    mutationFn: () =>
      unwrap(client.rest.POST("/api/v1/generation-batches/{batch_id}/regenerate", { params: { path } })),
    onSuccess: (next) => settled(next),
  });
  return { ...batch, batch: batch.data ?? null, cancel, regenerate };
}
