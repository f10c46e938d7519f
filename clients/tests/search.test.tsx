// Search, batch and catalog hooks against the real server: grouped generators, a batch of variations reaching the
// board's gallery as one stack, generation search with facets, and saved views saved, listed and removed.
import { act, render, renderHook, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import {
  useBoardGallery,
  useCreateBatch,
  useCreateBoard,
  useGenerationFacets,
  useGeneratorGroups,
  useSavedViews,
  useSearchGenerations,
} from "../src";
import { Details } from "../web/src/detail/Details";
import { makeClient, SERVER, unique, wrapperFor } from "./support";

describe.skipIf(!SERVER)("search and batch hooks against the real server", () => {
  const client = makeClient();
  const wrapper = wrapperFor(client);

  it("groups generators by artifact type, then provider, each list the catalog's", async () => {
    const { result } = renderHook(() => useGeneratorGroups(), { wrapper });
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    const keys = result.current.groups.map((g) => `${g.artifactType}/${g.provider}`);
    expect(new Set(keys).size).toBe(keys.length); // one group per pair
    expect(result.current.groups.every((g) => g.generators.every((x) => x.artifactType === g.artifactType && x.provider === g.provider))).toBe(true);
    expect(result.current.generators.map((g) => g.name)).toContain("local-image");
    const types = result.current.groups.map((g) => g.artifactType);
    expect(types.indexOf("image")).toBeLessThan(types.indexOf("text")); // image first, as the picker shows it
    const again = result.current.generators;
    await act(async () => {}); // a re-render keeps the same list (the form's effects depend on it)
    expect(result.current.generators).toBe(again);
  });

  it("a batch of variations lands in the gallery with one batch id; search, facets and saved views find it", async () => {
    const word = `kite${Date.now().toString(36)}`;
    const board = renderHook(() => useCreateBoard(), { wrapper });
    let boardId = "";
    await act(async () => {
      boardId = (await board.result.current.mutateAsync({ title: unique("Batch board"), isPublic: false })).id;
    });
    const gallery = renderHook(() => useBoardGallery(boardId), { wrapper });
    await waitFor(() => expect(gallery.result.current.isSuccess).toBe(true));
    const batch = renderHook(() => useCreateBatch(), { wrapper });
    let batchId = "";
    await act(async () => {
      const created = await batch.result.current.mutateAsync({
        boardId, generatorName: "local-text", inputParams: { prompt: `a ${word} over the sea` }, count: 2, idempotencyKey: unique("key"),
      });
      batchId = created.batchId;
      expect(created.items).toHaveLength(2);
    });
    await waitFor(() => expect(gallery.result.current.generations.map((g) => g.batchId)).toEqual([batchId, batchId]));
    expect(gallery.result.current.generations.map((g) => g.batchIndex).sort()).toEqual([0, 1]);
    const second = gallery.result.current.generations.find((g) => g.batchIndex === 1)!;
    render(<Details generation={second} />, { wrapper }); // the detail view says which variation of how many
    await screen.findByText("2 of 2 (one batch)");

    const query = { q: word, boardIds: [boardId], artifactTypes: ["text" as const] };
    const search = renderHook(() => useSearchGenerations(query), { wrapper });
    await waitFor(() => expect(search.result.current.hits).toHaveLength(2));
    expect(search.result.current.hits[0]!.highlights.length).toBeGreaterThan(0);
    const facets = renderHook(() => useGenerationFacets(query), { wrapper });
    await waitFor(() => expect(facets.result.current.data?.total).toBe(2));
    expect(facets.result.current.data?.generators).toEqual([expect.objectContaining({ value: "local-text", count: 2 })]);

    const views = renderHook(() => useSavedViews(), { wrapper });
    const name = unique("Kites");
    await act(async () => {
      await views.result.current.create.mutateAsync({ name, query });
    });
    await waitFor(() => expect(views.result.current.views.map((v) => v.name)).toContain(name));
    const saved = views.result.current.views.find((v) => v.name === name)!;
    expect(saved.query).toMatchObject({ q: word, artifactTypes: ["text"] });
    await act(async () => {
      await views.result.current.remove.mutateAsync(saved.id);
    });
    await waitFor(() => expect(views.result.current.views.map((v) => v.name)).not.toContain(name));
  });
});
