import { act, renderHook, waitFor } from "@testing-library/react";
import { beforeAll, describe, expect, it } from "vitest";
import {
  generationRequest,
  openSse,
  PROGRESS_EVENT_KEYS,
  progressStateKey,
  type ProgressEvent,
  unwrap,
  useBoardGenerations,
  useCancelGeneration,
  useCreateGeneration,
  useDeleteGeneration,
  useGeneration,
  useGenerationProgress,
  useRegenerate,
} from "../src";
import { makeClient, unique, wrapperFor } from "./support";

const client = makeClient();
const wrapper = wrapperFor(client);
let boardId = "";

beforeAll(async () => {
  boardId = (await unwrap(client.rest.POST("/api/v1/boards", { body: { title: unique("Generations"), isPublic: true } }))).id;
});

async function create(inputParams: Record<string, unknown>, generatorName = "atelier-test") {
  return unwrap(client.rest.POST("/api/v1/generations", { body: { boardId, generatorName, inputParams } }));
}

describe("generation hooks against the real server", () => {
  it("creates a typed local-image generation and follows it live to the image", async () => {
    const createHook = renderHook(() => useCreateGeneration(), { wrapper });
    let id = "";
    await act(async () => {
      const request = generationRequest({ boardId, generatorName: "local-image", inputParams: { prompt: "a red fox", size: "small" } });
      id = (await createHook.result.current.mutateAsync(request)).id;
    });
    const live = renderHook(() => useGenerationProgress(id), { wrapper });
    await waitFor(() => expect(live.result.current.status).toBe("completed"), { timeout: 60_000 });
    const event = live.result.current.event!;
    expect(Object.keys(event).sort()).toEqual([...PROGRESS_EVENT_KEYS].sort()); // no key the server does not send
    expect(event.job_id).toBe(id);
    expect(event.progress).toBe(1);
    expect(event.artifacts[0]?.type).toBe("image");

    const generation = renderHook(() => useGeneration(id), { wrapper });
    await waitFor(() => expect(generation.result.current.data?.status).toBe("completed"));
    const file = await fetch(client.url(generation.result.current.data!.storageUrl!));
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("image/png");
    expect(Array.from(new Uint8Array(await file.arrayBuffer()).slice(1, 4))).toEqual([80, 78, 71]); // "PNG"
  });

  it("reconnects a dropped stream and resumes after the last event (no repeats, nothing lost)", async () => {
    const { id } = await create({ duration_seconds: 1.5, steps: 5 });
    let connections = 0;
    const seen: ProgressEvent[] = [];
    const sentIds: (string | null)[] = [];
    await new Promise<void>((resolve, reject) => {
      let done = false;
      openSse(client.url(`/api/sse/generations/${id}/progress`), {
        retryMs: 50,
        // Every connection is cut after its first event: only resuming gets the generation to its end.
        fetch: async (request) => {
          connections += 1;
          sentIds.push(request.headers.get("last-event-id"));
          const response = await client.fetch(request);
          const reader = response.body!.getReader();
          const body = new ReadableStream<Uint8Array>({
            async pull(controller) {
              const { value, done: end } = await reader.read();
              if (end) return controller.close();
              controller.enqueue(value);
              if (new TextDecoder().decode(value).includes("data:")) {
                await reader.cancel();
                controller.error(new Error("connection dropped (test)"));
              }
            },
          });
          return new Response(body, { status: response.status, headers: response.headers });
        },
        isDone: () => done,
        dedupeKey: (message) => progressStateKey(message.data),
        onMessage: (message) => {
          const event = JSON.parse(message.data) as ProgressEvent;
          seen.push(event);
          if (["completed", "failed", "cancelled"].includes(event.status)) {
            done = true;
            resolve();
          }
        },
        onError: (error, attempt) => attempt > 20 && reject(error),
      });
    });
    expect(connections).toBeGreaterThan(1);
    expect(sentIds[0]).toBeNull();
    expect(sentIds.slice(1).every((value) => value !== null)).toBe(true);
    // A replay would repeat the state just seen (events and snapshots both describe the committed row): the
    // server skips its snapshot when Last-Event-ID names that state, and the client drops the rest.
    const state = (e: ProgressEvent) => JSON.stringify([e.status, e.progress, e.phase, e.message]);
    const replays = seen.filter((e, i) => i > 0 && state(e) === state(seen[i - 1]!));
    expect(replays, JSON.stringify(seen.map(state))).toEqual([]);
    expect(seen.at(-1)?.status).toBe("completed");
    const progress = seen.map((e) => e.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it("cancels, regenerates and deletes", async () => {
    const { id } = await create({ duration_seconds: 20, steps: 20 });
    const cancel = renderHook(() => useCancelGeneration(), { wrapper });
    await act(async () => {
      expect((await cancel.result.current.mutateAsync(id)).status).toBe("cancelled");
    });
    const live = renderHook(() => useGenerationProgress(id), { wrapper });
    await waitFor(() => expect(live.result.current.status).toBe("cancelled"));

    const regenerate = renderHook(() => useRegenerate(), { wrapper });
    let copy = "";
    await act(async () => {
      const again = await regenerate.result.current.mutateAsync(id);
      expect(again.id).not.toBe(id);
      expect(again.inputParams).toMatchObject({ duration_seconds: 20, steps: 20 });
      copy = again.id;
    });
    await unwrap(client.rest.POST("/api/v1/generations/{generation_id}/cancel", { params: { path: { generation_id: copy } } }));

    const remove = renderHook(() => useDeleteGeneration(), { wrapper });
    await act(async () => {
      await remove.result.current.mutateAsync({ id, boardId });
    });
    const gone = await client.rest.GET("/api/v1/generations/{generation_id}", { params: { path: { generation_id: id } } });
    expect(gone.response.status).toBe(404);
  });

  it("keeps the board's list live from the board stream", async () => {
    const list = renderHook(() => useBoardGenerations(boardId), { wrapper });
    await waitFor(() => expect(list.result.current.isSuccess).toBe(true));
    const before = list.result.current.generations.length;
    const { id } = await create({ duration_seconds: 0.3, steps: 3 }); // created outside the hooks
    await waitFor(() => expect(list.result.current.generations.map((g) => g.id)).toContain(id), { timeout: 60_000 });
    await waitFor(
      () => expect(list.result.current.generations.find((g) => g.id === id)?.status).toBe("completed"),
      { timeout: 60_000 },
    );
    expect(list.result.current.generations.length).toBe(before + 1);
  });
});
