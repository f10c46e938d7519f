/** A board's whole gallery, page by page (200 a page, the API's maximum), kept live by the board's one stream. */
import { type InfiniteData, useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo } from "react";
import { unwrap } from "../client";
import { isTerminal, type ProgressEvent } from "../progress";
import { keys, useAtelier } from "./context";
import type { Generation } from "./generations";

type Page = { items: Generation[]; page: { total: number; limit: number; offset: number } };

/** Pages flattened, newest first, each generation once (offsets shift while new ones arrive). */
export function mergePages(pages: { items: Generation[] }[]): Generation[] {
  const seen = new Set<string>();
  const out: Generation[] = [];
  for (const page of pages) {
    for (const g of page.items) {
      if (seen.has(g.id)) continue;
      seen.add(g.id);
      out.push(g);
    }
  }
  return out;
}

/** One progress event applied to the pages: the matching generation's status, progress, phase and message. */
export function applyProgress(data: InfiniteData<Page>, event: ProgressEvent): InfiniteData<Page> {
  return {
    ...data,
    pages: data.pages.map((page) => ({
      ...page,
      items: page.items.map((g) =>
        g.id === event.job_id
          ? { ...g, status: event.status, progress: event.progress, phase: event.phase, message: event.message }
          : g,
      ),
    })),
  };
}

export function useBoardGallery(boardId: string | null | undefined, pageSize = 200) {
  const client = useAtelier();
  const queries = useQueryClient();
  const key = useMemo(() => [...keys.boardGenerations(boardId ?? ""), "pages", pageSize], [boardId, pageSize]);
  const query = useInfiniteQuery({
    queryKey: key,
    enabled: Boolean(boardId),
    initialPageParam: 0,
    queryFn: ({ pageParam }) =>
      unwrap(
        client.rest.GET("/api/v1/generations", { params: { query: { boardId: boardId!, limit: pageSize, offset: pageParam } } }),
      ),
    getNextPageParam: (last) => {
      const next = last.page.offset + last.page.limit;
      return next < last.page.total ? next : undefined;
    },
  });
  useEffect(() => {
    if (!boardId) return;
    return client.sse(`/api/sse/boards/${boardId}/generations`, {
      onMessage: (message) => {
        const event = JSON.parse(message.data) as ProgressEvent;
        const current = queries.getQueryData<InfiniteData<Page>>(key);
        const known = current?.pages.some((page) => page.items.some((g) => g.id === event.job_id));
        if (!current || !known || isTerminal(event.status)) {
          void queries.invalidateQueries({ queryKey: keys.boardGenerations(boardId) });
          return;
        }
        queries.setQueryData(key, applyProgress(current, event));
      },
    });
  }, [client, queries, boardId, key]);
  const generations = useMemo(() => mergePages(query.data?.pages ?? []), [query.data]);
  const total = query.data?.pages[0]?.page.total ?? 0;
  return { ...query, generations, total };
}
