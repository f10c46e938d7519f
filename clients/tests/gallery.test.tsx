// useBoardGallery against the real server: every page of a board (each generation once) and live progress.
import { act, renderHook, waitFor } from "@testing-library/react";
import { beforeAll, describe, expect, it } from "vitest";
import { mergePages, unwrap, useBoardGallery, type Generation } from "../src";
import { makeClient, unique, wrapperFor } from "./support";

const client = makeClient();
const wrapper = wrapperFor(client);
let boardId = "";

beforeAll(async () => {
  boardId = (await unwrap(client.rest.POST("/api/v1/boards", { body: { title: unique("Gallery") } }))).id;
});

async function create(inputParams: Record<string, unknown>) {
  return unwrap(client.rest.POST("/api/v1/generations", { body: { boardId, generatorName: "atelier-test", inputParams } }));
}

describe("gallery pages", () => {
  it("merges pages newest first, each generation once when offsets shift", () => {
    const g = (id: string) => ({ id }) as Generation;
    expect(mergePages([{ items: [g("c"), g("b")] }, { items: [g("b"), g("a")] }]).map((x) => x.id)).toEqual(["c", "b", "a"]);
  });

  it("loads every page of a board and follows a running generation live", async () => {
    for (let i = 0; i < 5; i += 1) await create({ duration_seconds: 0, text: `quick ${i}` });
    const gallery = renderHook(() => useBoardGallery(boardId, 2), { wrapper });
    await waitFor(() => expect(gallery.result.current.generations).toHaveLength(2));
    expect(gallery.result.current.total).toBe(5);
    while (gallery.result.current.hasNextPage) {
      await act(async () => {
        await gallery.result.current.fetchNextPage();
      });
    }
    const ids = gallery.result.current.generations.map((g) => g.id);
    expect(new Set(ids).size).toBe(5);

    const slow = await create({ duration_seconds: 2, steps: 4 });
    await waitFor(() => expect(gallery.result.current.generations[0]?.id).toBe(slow.id), { timeout: 30_000 });
    await waitFor(() => expect(gallery.result.current.generations[0]?.status).toBe("completed"), { timeout: 60_000 });
    expect(gallery.result.current.generations).toHaveLength(6);
  });
});
