// The web app's generation search state, batch requests and the grouped generator picker (no server needed).
import { fireEvent, render, screen, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { GeneratorGroup, GeneratorInfo } from "../src";
import {
  activeCount,
  fromSavedQuery,
  markSnippet,
  NO_SEARCH_FILTERS,
  searchQuery,
  toggle,
} from "../web/src/discover/searchState";
import { groupLabel, groupsMatching, ordered, priceLabel } from "../web/src/generate/catalog";
import { GeneratorPicker } from "../web/src/generate/GeneratorPicker";
import { batchRequest } from "../web/src/generate/variations";

describe("generation search state", () => {
  it("asks only for what was chosen: words trimmed, empty facets left out", () => {
    expect(searchQuery("  ", NO_SEARCH_FILTERS)).toEqual({ sort: "relevance", limit: 24 });
    let filters = toggle(NO_SEARCH_FILTERS, "artifactTypes", "image");
    filters = toggle(filters, "tags", "sunset");
    filters = toggle(filters, "tags", "dusk");
    filters = { ...filters, likedByMe: true, sort: "newest" };
    expect(searchQuery(" lighthouse ", filters, 10)).toEqual({
      q: "lighthouse", artifactTypes: ["image"], tags: ["sunset", "dusk"], likedByMe: true, sort: "newest", limit: 10,
    });
    expect(activeCount(filters)).toBe(4);
    expect(toggle(filters, "tags", "sunset").tags).toEqual(["dusk"]); // a second toggle takes it out
    expect(NO_SEARCH_FILTERS.tags).toEqual([]); // never mutated
  });

  it("reads a saved view back, ignoring what it does not know", () => {
    const saved = searchQuery("boat", toggle({ ...NO_SEARCH_FILTERS, sort: "most_liked" }, "generatorNames", "local-image"));
    expect(fromSavedQuery(saved)).toEqual({
      q: "boat", board: "", filters: { ...NO_SEARCH_FILTERS, generatorNames: ["local-image"], sort: "most_liked" },
    });
    expect(fromSavedQuery({ sort: "sideways", tags: ["a", 3], likedByMe: "yes", where: ["input.x=1"] })).toEqual({
      q: "", board: "", filters: { ...NO_SEARCH_FILTERS, tags: ["a"] },
    });
    const inBoard = searchQuery("", NO_SEARCH_FILTERS, 24, "b1"); // a search within one board keeps its board
    expect(inBoard.boardIds).toEqual(["b1"]);
    expect(fromSavedQuery(inBoard).board).toBe("b1");
  });

  it("turns a day into one UTC day's half-open range, and reads only such a range back as a day", () => {
    const query = searchQuery("", { ...NO_SEARCH_FILTERS, day: "2026-02-28" });
    expect(query).toMatchObject({ createdAfter: "2026-02-28T00:00:00.000Z", createdBefore: "2026-03-01T00:00:00.000Z" });
    expect(activeCount({ ...NO_SEARCH_FILTERS, day: "2026-02-28" })).toBe(1);
    expect(fromSavedQuery(query).filters.day).toBe("2026-02-28");
    expect(fromSavedQuery({ createdAfter: "2026-02-28T00:00:00Z", createdBefore: "2026-03-07T00:00:00Z" }).filters.day).toBe("");
    expect(fromSavedQuery({ createdAfter: "yesterday", createdBefore: "today" }).filters.day).toBe("");
  });

  it("cuts a snippet at its highlights, skipping ranges that overlap or fall outside", () => {
    expect(markSnippet("a lighthouse at dusk", [{ start: 16, end: 20 }, { start: 2, end: 12 }])).toEqual([
      { text: "a ", hit: false }, { text: "lighthouse", hit: true }, { text: " at ", hit: false }, { text: "dusk", hit: true },
    ]);
    expect(markSnippet("abc", [{ start: 1, end: 9 }, { start: 2, end: 2 }])).toEqual([{ text: "abc", hit: false }]);
    expect(markSnippet("abcd", [{ start: 0, end: 2 }, { start: 1, end: 3 }])).toEqual([
      { text: "ab", hit: true }, { text: "cd", hit: false },
    ]);
  });
});

describe("batch requests", () => {
  const request = { boardId: "b", generatorName: "local-image", inputParams: { prompt: "x", seed: 41 } };

  it("are null for one variation (a plain generation is made)", () => {
    expect(batchRequest(request, 1, true)).toBeNull();
  });

  it("carry distinct seeds when the generator takes one, else a count; always an idempotency key", () => {
    expect(batchRequest(request, 3, true, Math.random, () => "k1")).toEqual({
      boardId: "b", generatorName: "local-image", inputParams: { prompt: "x" }, seeds: [41, 42, 43], idempotencyKey: "k1",
    });
    const copies = batchRequest({ ...request, inputParams: { prompt: "x" } }, 20, false, Math.random, () => "k2");
    expect(copies).toEqual({ boardId: "b", generatorName: "local-image", inputParams: { prompt: "x" }, count: 8, idempotencyKey: "k2" });
  });
});

function info(name: string, artifactType: GeneratorInfo["artifactType"], provider: string, patch: Partial<GeneratorInfo> = {}): GeneratorInfo {
  return { name, artifactType, provider, description: `${name} model`, inputSchema: {}, displayName: "", price: null, ...patch } as GeneratorInfo;
}

const GROUPS: GeneratorGroup[] = [
  { artifactType: "image", provider: "local", generators: [info("local-image", "image", "local")] },
  {
    artifactType: "image", provider: "fal",
    generators: [
      info("fal-flux-schnell", "image", "fal", { displayName: "FLUX.1 [schnell]", task: "text-to-image", price: { per: "megapixel", amount: 0.003, summary: "0.003 per megapixel" } }),
      info("fal-recraft-v3", "image", "fal", { displayName: "Recraft V3", task: "text-to-image" }),
      info("fal-clarity-upscaler", "image", "fal", { displayName: "Clarity Upscaler", task: "upscale" }),
    ],
  },
  { artifactType: "video", provider: "fal", generators: [info("fal-kling-video", "video", "fal", { displayName: "Kling 2.1", task: "image-to-video" })] },
  { artifactType: "video", provider: "replicate", generators: [info("replicate-wan", "video", "replicate", { displayName: "Wan 2.1" })] },
  { artifactType: "audio", provider: "openai", generators: [info("openai-tts", "audio", "openai", { displayName: "OpenAI TTS", task: "text-to-speech" })] },
  { artifactType: "text", provider: "local", generators: [info("local-text", "text", "local")] },
];

describe("generator catalog", () => {
  it("labels groups by type and provider and prices in words", () => {
    expect(groupLabel(GROUPS[1]!)).toBe("Image · fal");
    expect(groupLabel(GROUPS[4]!)).toBe("Audio · OpenAI");
    expect(groupLabel(GROUPS[0]!)).toBe("Image · Built-in");
    expect(priceLabel(GROUPS[1]!.generators[0]!)).toBe("0.003 credits per megapixel");
    expect(priceLabel(GROUPS[0]!.generators[0]!)).toBe("free");
  });

  it("orders groups image, video, audio, text, keeping the server's provider order within a type", () => {
    const server = [GROUPS[4]!, GROUPS[1]!, GROUPS[0]!, GROUPS[5]!, GROUPS[3]!, GROUPS[2]!]; // alphabetical by type
    expect(ordered(server).map(groupLabel)).toEqual([
      "Image · fal", "Image · Built-in", "Video · Replicate", "Video · fal", "Audio · OpenAI", "Text · Built-in",
    ]);
  });

  it("filters by every word over name, title, task and provider, keeping the chosen one and dropping empty groups", () => {
    const names = (groups: GeneratorGroup[]) => groups.map((g) => [g.artifactType, g.provider, g.generators.map((x) => x.name)]);
    expect(names(groupsMatching(GROUPS, "fal video"))).toEqual([["video", "fal", ["fal-kling-video"]]]);
    expect(names(groupsMatching(GROUPS, "UPSCALE", "local-text"))).toEqual([
      ["image", "fal", ["fal-clarity-upscaler"]], ["text", "local", ["local-text"]],
    ]);
    expect(groupsMatching(GROUPS, "  ")).toBe(GROUPS);
    expect(groupsMatching(GROUPS, "nothing-like-this")).toEqual([]);
  });
});

describe("generator picker", () => {
  it("shows one option group per type and provider, with titles and prices, and a filter box", () => {
    const onChange = vi.fn();
    const { container } = render(<GeneratorPicker groups={GROUPS} value="local-image" onChange={onChange} />);
    const select = screen.getByLabelText("Generator") as HTMLSelectElement;
    expect([...container.querySelectorAll("optgroup")].map((g) => g.label)).toEqual([
      "Image · Built-in", "Image · fal", "Video · fal", "Video · Replicate", "Audio · OpenAI", "Text · Built-in",
    ]);
    expect(within(select).getByRole("option", { name: "FLUX.1 [schnell] (0.003 credits per megapixel)" })).toBeTruthy();
    expect(screen.getByText(/8 models · Built-in/)).toBeTruthy();

    fireEvent.change(screen.getByLabelText("Filter models"), { target: { value: "kling" } });
    expect([...select.options].map((o) => o.value)).toEqual(["local-image", "fal-kling-video"]); // the chosen one stays
    expect(screen.getByText(/2 of 8 models match/)).toBeTruthy();
    fireEvent.change(select, { target: { value: "fal-kling-video" } });
    expect(onChange).toHaveBeenCalledWith("fal-kling-video");
  });

  it("has no filter box for a handful of generators", () => {
    render(<GeneratorPicker groups={GROUPS.slice(0, 1)} value="local-image" onChange={() => {}} />);
    expect(screen.queryByLabelText("Filter models")).toBeNull();
  });
});
