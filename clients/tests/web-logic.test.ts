// The web app's pure logic: grid windowing, gallery filters, routes, formatting, lineage columns, variations.
import { describe, expect, it } from "vitest";
import type { Generation, GenerationSocial } from "../src";
import { excerpt, promptOf, timeAgo } from "../web/src/common/format";
import { hrefOf, parseLocation, parseRoute, type Route } from "../web/src/common/router";
import { columnsOf } from "../web/src/detail/lineage";
import { applyFilters, NO_FILTERS, stackBatches } from "../web/src/gallery/filters";
import { gridLayout, visibleRows } from "../web/src/gallery/windowing";
import { variationInputs } from "../web/src/generate/variations";

const OPTIONS = { minCard: 200, gap: 12, meta: 58 };

describe("grid windowing", () => {
  it("fits as many columns as the width allows, at least one", () => {
    expect(gridLayout(1440, OPTIONS).columns).toBe(6);
    expect(gridLayout(375, OPTIONS).columns).toBe(1);
    expect(gridLayout(0, OPTIONS).columns).toBe(1);
    const { columns, cardWidth } = gridLayout(1000, OPTIONS);
    expect(cardWidth * columns + OPTIONS.gap * (columns - 1)).toBeCloseTo(1000);
  });

  it("renders only the rows on screen plus the overscan, whatever the list's length", () => {
    const rows = visibleRows({ offset: 50_000, viewport: 900, rowHeight: 300, rowCount: 1000, overscan: 2 });
    expect(rows).toEqual({ first: 164, last: 172 }); // 166..169 on screen
    expect(visibleRows({ offset: -400, viewport: 900, rowHeight: 300, rowCount: 1000, overscan: 2 })).toEqual({ first: 0, last: 4 });
    expect(visibleRows({ offset: 10e6, viewport: 900, rowHeight: 300, rowCount: 10, overscan: 2 })).toEqual({ first: 10, last: 10 });
    expect(visibleRows({ offset: 0, viewport: 900, rowHeight: 300, rowCount: 0, overscan: 2 })).toEqual({ first: 0, last: 0 });
  });
});

function gen(id: string, patch: Partial<Generation> = {}): Generation {
  return {
    id, tenantId: "t", boardId: "b", userId: "u", generatorName: "local-image", artifactType: "image",
    storageUrl: null, thumbnailUrl: null, additionalFiles: [], inputParams: { prompt: id }, outputMetadata: {},
    externalJobId: null, status: "completed", progress: 1, phase: null, message: null, errorMessage: null,
    startedAt: null, completedAt: null, createdAt: `2026-01-0${id.length}T00:00:00Z`, updatedAt: "2026-01-01T00:00:00Z",
    ...patch,
  } as Generation;
}

describe("gallery filters and sort", () => {
  const items = [gen("a"), gen("bb", { artifactType: "audio" }), gen("ccc", { status: "failed" }), gen("dddd", { status: "processing" })];
  const social = new Map<string, GenerationSocial>([
    ["a", { likeCount: 5, tags: [{ id: "t1", name: "sea", slug: "sea" }] }],
    ["bb", { likeCount: 9, tags: [] }],
  ]);
  const ids = (list: Generation[]) => list.map((g) => g.id);

  it("keeps newest first by default and filters by type, status (active = pending or processing) and tag", () => {
    expect(ids(applyFilters(items, NO_FILTERS))).toEqual(["dddd", "ccc", "bb", "a"]);
    expect(ids(applyFilters(items, { ...NO_FILTERS, artifactType: "audio" }))).toEqual(["bb"]);
    expect(ids(applyFilters(items, { ...NO_FILTERS, status: "active" }))).toEqual(["dddd"]);
    expect(ids(applyFilters(items, { ...NO_FILTERS, status: "failed" }))).toEqual(["ccc"]);
    expect(ids(applyFilters(items, { ...NO_FILTERS, tag: "t1" }, social))).toEqual(["a"]);
  });

  it("sorts oldest first or by likes (ties newest first), without changing the input", () => {
    expect(ids(applyFilters(items, { ...NO_FILTERS, sort: "oldest" }))).toEqual(["a", "bb", "ccc", "dddd"]);
    expect(ids(applyFilters(items, { ...NO_FILTERS, sort: "liked" }, social))).toEqual(["bb", "a", "dddd", "ccc"]);
    expect(ids(items)).toEqual(["a", "bb", "ccc", "dddd"]);
  });
});

describe("batches", () => {
  it("stack into one card per batch, the first in order on top; others stay as they are", () => {
    const list = [gen("a", { batchId: "B" } as never), gen("b"), gen("c", { batchId: "B" } as never), gen("d", { batchId: "C" } as never)];
    expect(stackBatches(list).map((i) => [i.generation.id, i.stack])).toEqual([["a", 2], ["b", 1], ["d", 1]]);
    const running = [gen("a", { batchId: "B" } as never), gen("c", { batchId: "B", status: "processing" } as never), gen("e", { batchId: "B", status: "pending" } as never)];
    expect(stackBatches(running).map((i) => [i.generation.id, i.stack, i.running])).toEqual([["a", 3, 2]]); // the top one is done, two still run
    expect(applyFilters(list, { ...NO_FILTERS, batch: "B", sort: "oldest" }).map((g) => g.id)).toEqual(["a", "c"]);
  });
});

describe("routes", () => {
  const routes: Route[] = [
    { name: "boards" },
    { name: "board", boardId: "b1", generationId: null },
    { name: "board", boardId: "b1", generationId: "g9" },
    { name: "feed" },
    { name: "explore" },
    { name: "account" },
    { name: "search", q: "light & sea / 100%" },
    { name: "search", q: "", board: "b1" },
  ];
  it.each(routes)("$name survives a round trip through the URL", (route) => {
    expect(parseRoute(hrefOf(route))).toEqual(route);
  });
  it("reads a mailed link's token from its path, and the hash everywhere else", () => {
    expect(parseLocation({ pathname: "/verify-email", search: "?token=abc_-1", hash: "" })).toEqual({ name: "link", kind: "verify", token: "abc_-1" });
    expect(parseLocation({ pathname: "/reset-password/", search: "?token=t", hash: "" })).toMatchObject({ kind: "reset", token: "t" });
    expect(parseLocation({ pathname: "/invitations/accept", search: "", hash: "" })).toMatchObject({ kind: "invitation", token: "" });
    expect(parseLocation({ pathname: "/", search: "?token=x", hash: "#/feed" })).toEqual({ name: "feed" });
  });
  it("sends anything unknown to the boards list", () => {
    expect(parseRoute("#/nope/x")).toEqual({ name: "boards" });
    expect(parseRoute("")).toEqual({ name: "boards" });
  });
});

describe("formatting", () => {
  it("takes the prompt, or the first text input, and cuts at a word", () => {
    expect(promptOf({ prompt: "a lighthouse" })).toBe("a lighthouse");
    expect(promptOf({ duration: 3, text: "ok" })).toBe("ok");
    expect(promptOf(null)).toBe("");
    expect(promptOf({ source: "file", original_filename: "photo.png", user_description: null })).toBe("photo.png");
    expect(promptOf({ source: "url", original_filename: "x.png", user_description: "my cat" })).toBe("my cat");
    expect(excerpt("the quick brown fox jumps over", 20)).toBe("the quick brown fox…");
    expect(excerpt("short", 20)).toBe("short");
  });
  it("says how long ago", () => {
    const now = Date.parse("2026-01-02T00:00:00Z");
    expect(timeAgo("2026-01-01T23:59:30Z", now)).toBe("just now");
    expect(timeAgo("2026-01-01T23:57:00Z", now)).toBe("3 minutes ago");
    expect(timeAgo("2026-01-01T00:00:00Z", now)).toBe("yesterday");
  });
});

describe("lineage columns", () => {
  const node = (id: string, depth: number, role: string | null, parents: unknown[] = []) => ({
    depth, role, parents,
    generation: { id, boardId: "b", generatorName: "g", artifactType: "IMAGE", thumbnailUrl: null, storageUrl: null, inputParams: {} },
  });
  it("flattens a tree by depth, each generation once, with every link towards the centre", () => {
    const shared = node("p2", 2, "init_image");
    const root = node("me", 0, null, [node("p1", 1, "init_image", [shared]), node("q1", 1, "mask", [node("p2", 2, "init_image")])]);
    const columns = columnsOf(root as never, "parents");
    expect(columns.map((c) => c.map((n) => n.id))).toEqual([["p1", "q1"], ["p2"]]);
    expect(columns[1]![0]!.linksTo).toEqual(["p1", "q1"]);
    expect(columns[0]![1]!.role).toBe("mask");
    expect(columnsOf(null, "children")).toEqual([]);
  });
});

describe("variations", () => {
  it("gives each variation its own seed when the generator takes one", () => {
    expect(variationInputs({ prompt: "x", seed: 7 }, 3, true)).toEqual([
      { prompt: "x", seed: 7 }, { prompt: "x", seed: 8 }, { prompt: "x", seed: 9 },
    ]);
    expect(variationInputs({ prompt: "x" }, 2, true, () => 0.5).map((v) => v.seed)).toEqual([500_000_000, 500_000_001]);
    expect(variationInputs({ prompt: "x" }, 2, false)).toEqual([{ prompt: "x" }, { prompt: "x" }]);
    expect(variationInputs({}, 50, false)).toHaveLength(8); // capped
    expect(variationInputs({}, 0, false)).toHaveLength(1);
  });
});
