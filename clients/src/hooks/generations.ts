/** Generations: create, one generation with live progress (SSE, reconnect + resume), cancel, regenerate, delete. */
import { type QueryClient, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { unwrap } from "../client";
import type { components } from "../generated/openapi";
import type { GeneratorInputs } from "../generated/generators";
import { isTerminal, type ProgressEvent, progressStateKey } from "../progress";
import { keys, useAtelier } from "./context";

export type Generation = components["schemas"]["Generation"];
export type GenerationCreate = components["schemas"]["GenerationCreate"];

/** A create request whose inputParams are typed for built-in generators (any object for others). */
export type TypedGenerationCreate<N extends string> = Omit<GenerationCreate, "generatorName" | "inputParams"> & {
  generatorName: N;
  inputParams: N extends keyof GeneratorInputs ? GeneratorInputs[N] : Record<string, unknown>;
};

/** Checks a built-in generator's inputs at compile time: `generationRequest({generatorName: "local-image", …})`. */
export function generationRequest<N extends string>(request: TypedGenerationCreate<N>): GenerationCreate {
  return request as GenerationCreate;
}

async function refreshGeneration(queries: QueryClient, generation: Pick<Generation, "id" | "boardId">) {
  await queries.invalidateQueries({ queryKey: keys.generation(generation.id) });
  await queries.invalidateQueries({ queryKey: keys.boardGenerations(generation.boardId) });
  await queries.invalidateQueries({ queryKey: keys.board(generation.boardId) });
}

export function useCreateGeneration() {
  const client = useAtelier();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (body: GenerationCreate) => unwrap(client.rest.POST("/api/v1/generations", { body })),
    onSuccess: (generation) => refreshGeneration(queries, generation),
  });
}

export function useGeneration(id: string | null | undefined) {
  const client = useAtelier();
  return useQuery({
    queryKey: keys.generation(id ?? ""),
    enabled: Boolean(id),
    queryFn: () =>
      unwrap(client.rest.GET("/api/v1/generations/{generation_id}", { params: { path: { generation_id: id! } } })),
  });
}

export interface LiveProgress {
  event: ProgressEvent | null;
  status: ProgressEvent["status"] | null;
  progress: number;
  connected: boolean;
  reconnects: number;
  error: unknown;
}

/**
 * Live progress of one generation over SSE. A dropped connection is reopened with Last-Event-ID (no event
 * repeated or lost); the stream stops at a terminal status, and the generation's queries are refreshed.
 */
export function useGenerationProgress(id: string | null | undefined, options: { enabled?: boolean } = {}) {
  const client = useAtelier();
  const queries = useQueryClient();
  const [state, setState] = useState<LiveProgress>({
    event: null, status: null, progress: 0, connected: false, reconnects: 0, error: null,
  });
  const enabled = Boolean(id) && options.enabled !== false;
  useEffect(() => {
    if (!enabled || !id) return;
    let done = false;
    setState({ event: null, status: null, progress: 0, connected: false, reconnects: 0, error: null });
    const stop = client.sse(`/api/sse/generations/${id}/progress`, {
      isDone: () => done,
      dedupeKey: (message) => progressStateKey(message.data),
      onOpen: () => setState((s) => ({ ...s, connected: true })),
      onError: (error) => setState((s) => ({ ...s, connected: false, reconnects: s.reconnects + 1, error })),
      onMessage: (message) => {
        const event = JSON.parse(message.data) as ProgressEvent;
        setState((s) => ({ ...s, event, status: event.status, progress: event.progress, error: null }));
        if (isTerminal(event.status)) {
          done = true;
          void refreshGeneration(queries, { id, boardId: event.board_id });
        }
      },
    });
    return () => {
      done = true;
      stop();
    };
  }, [client, queries, id, enabled]);
  return state;
}

/**
 * The board's generations (newest first), kept live by ONE stream for the whole board while mounted (a
 * stream per card would soon use up the browser's six connections per server).
 */
export function useBoardGenerations(boardId: string | null | undefined, params: { limit?: number } = {}) {
  const client = useAtelier();
  const queries = useQueryClient();
  const query = useQuery({
    queryKey: keys.boardGenerations(boardId ?? ""),
    enabled: Boolean(boardId),
    queryFn: () =>
      unwrap(client.rest.GET("/api/v1/generations", { params: { query: { boardId: boardId!, ...params } } })),
  });
  useEffect(() => {
    if (!boardId) return;
    return client.sse(`/api/sse/boards/${boardId}/generations`, {
      onMessage: (message) => {
        const event = JSON.parse(message.data) as ProgressEvent;
        const key = keys.boardGenerations(boardId);
        const current = queries.getQueryData<{ items: Generation[] }>(key);
        const known = current?.items.find((g) => g.id === event.job_id);
        if (!known || isTerminal(event.status)) {
          void queries.invalidateQueries({ queryKey: key });
          return;
        }
        queries.setQueryData(key, {
          ...current,
          items: current!.items.map((g) =>
            g.id === event.job_id
              ? { ...g, status: event.status, progress: event.progress, phase: event.phase, message: event.message }
              : g,
          ),
        });
      },
    });
  }, [client, queries, boardId]);
  return { ...query, generations: query.data?.items ?? [] };
}

function generationAction(path: "cancel" | "regenerate") {
  return function useAction() {
    const client = useAtelier();
    const queries = useQueryClient();
    return useMutation({
      mutationFn: (id: string) =>
        unwrap(
          path === "cancel"
            ? client.rest.POST("/api/v1/generations/{generation_id}/cancel", { params: { path: { generation_id: id } } })
            : client.rest.POST("/api/v1/generations/{generation_id}/regenerate", {
                params: { path: { generation_id: id } },
              }),
        ),
      onSuccess: (generation) => refreshGeneration(queries, generation),
    });
  };
}

export const useCancelGeneration = generationAction("cancel");
export const useRegenerate = generationAction("regenerate");

export function useDeleteGeneration() {
  const client = useAtelier();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: async (generation: Pick<Generation, "id" | "boardId">) => {
      const { response } = await client.rest.DELETE("/api/v1/generations/{generation_id}", {
        params: { path: { generation_id: generation.id } },
      });
      if (!response.ok) throw new Error(`delete generation: HTTP ${response.status}`);
      return generation;
    },
    onSuccess: async (generation) => {
      queries.removeQueries({ queryKey: keys.generation(generation.id) });
      await refreshGeneration(queries, generation);
    },
  });
}

/** The text of a text artifact (its signed URL needs no token), for showing it in place; capped at `maxChars`. */
export function useArtifactText(url: string | null | undefined, maxChars = 20_000) {
  return useQuery({
    queryKey: ["artifact-text", url ?? ""],
    enabled: Boolean(url),
    staleTime: Infinity,
    queryFn: async () => {
      const response = await fetch(url!);
      if (!response.ok) throw new Error(`the text could not be loaded (HTTP ${response.status})`);
      return (await response.text()).slice(0, maxChars);
    },
  });
}
