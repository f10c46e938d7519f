import { act, renderHook, waitFor } from "@testing-library/react";
import { beforeAll, describe, expect, it } from "vitest";
import { type Generation, unwrap, useFeed, useGenerationTags, useLike, useLineage, useLineageEdges, useTags } from "../src";
import { makeClient, unique, wrapperFor } from "./support";

const client = makeClient();
const wrapper = wrapperFor(client);
let boardId = "";

async function completed(generatorName: string, inputParams: Record<string, unknown>): Promise<Generation> {
  const { id } = await unwrap(client.rest.POST("/api/v1/generations", { body: { boardId, generatorName, inputParams } }));
  for (let i = 0; i < 600; i++) { // up to 60 s on a busy machine
    const generation = await unwrap(client.rest.GET("/api/v1/generations/{generation_id}", { params: { path: { generation_id: id } } }));
    if (generation.status === "completed") return generation;
    if (generation.status === "failed") throw new Error(generation.errorMessage ?? "failed");
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("generation did not complete");
}

beforeAll(async () => {
  boardId = (await unwrap(client.rest.POST("/api/v1/boards", { body: { title: unique("Social"), isPublic: true } }))).id;
});

describe("lineage, tags, likes and feed hooks against the real server", () => {
  it("lineage: a painted-over image has its source as parent (GraphQL tree and REST edges)", async () => {
    const source = await completed("local-image", { prompt: "sea", size: "small" });
    const derived = await completed("local-image", { prompt: "sea at night", size: "small", init_image: source.id });
    const tree = renderHook(() => useLineage(derived.id), { wrapper });
    await waitFor(() => expect(tree.result.current.isSuccess).toBe(true));
    const generation = tree.result.current.data!;
    expect(generation.inputArtifacts).toEqual([{ generationId: source.id, role: "init_image", artifactType: "IMAGE" }]);
    expect(generation.ancestry.parents.map((p) => [p.generation.id, p.role, p.depth])).toEqual([[source.id, "init_image", 1]]);
    const down = renderHook(() => useLineage(source.id), { wrapper });
    await waitFor(() => expect(down.result.current.data?.descendants.children.map((c) => c.generation.id)).toEqual([derived.id]));
    const edges = renderHook(() => useLineageEdges(derived.id), { wrapper });
    await waitFor(() => expect(edges.result.current.data?.edges).toHaveLength(1));
    expect(edges.result.current.data!.edges[0]).toMatchObject({ generationId: derived.id, inputGenerationId: source.id });
  });

  it("tags: create, attach, list, detach", async () => {
    const generation = await completed("local-text", { prompt: "a haiku" });
    const tags = renderHook(() => useTags({ limit: 200 }), { wrapper });
    const name = unique("tag").replace(/[^a-z0-9-]+/gi, "-").toLowerCase();
    let tagId = "";
    await act(async () => {
      tagId = (await tags.result.current.create.mutateAsync({ name })).id;
    });
    await waitFor(() => expect(tags.result.current.tags.map((t) => t.id)).toContain(tagId));
    const onGeneration = renderHook(() => useGenerationTags(generation.id), { wrapper });
    await act(async () => {
      await onGeneration.result.current.add.mutateAsync(tagId);
    });
    await waitFor(() => expect(onGeneration.result.current.tags.map((t) => t.id)).toEqual([tagId]));
    await act(async () => {
      await onGeneration.result.current.remove.mutateAsync(tagId);
    });
    await waitFor(() => expect(onGeneration.result.current.tags).toEqual([]));
  });

  it("likes toggle (server count wins) and the public feed pages", async () => {
    const generation = await completed("local-text", { prompt: "feed me" });
    const like = renderHook(() => useLike(generation.id), { wrapper });
    await waitFor(() => expect(like.result.current.status).toMatchObject({ likeCount: 0, likedByMe: false }));
    await act(async () => {
      await like.result.current.toggle.mutateAsync(true);
    });
    expect(like.result.current.status).toMatchObject({ likeCount: 1, likedByMe: true });
    await act(async () => {
      await like.result.current.toggle.mutateAsync(false);
    });
    expect(like.result.current.status).toMatchObject({ likeCount: 0, likedByMe: false });

    const feed = renderHook(() => useFeed(1), { wrapper });
    await waitFor(() => expect(feed.result.current.items).toHaveLength(1));
    expect(feed.result.current.items[0]!.id).toBe(generation.id); // newest completed public generation first
    expect(feed.result.current.hasNextPage).toBe(true);
    await act(async () => {
      await feed.result.current.fetchNextPage();
    });
    await waitFor(() => expect(feed.result.current.items).toHaveLength(2));
    expect(new Set(feed.result.current.items.map((g) => g.id)).size).toBe(2);
  });
});
