/** The gallery's filters and sort, as a pure function of the list (what the toolbar shows is what this keeps). */
import type { Generation, GenerationSocial } from "../../../src";

export type StatusFilter = "all" | "active" | "completed" | "failed" | "cancelled";
export type SortOrder = "newest" | "oldest" | "liked";

export interface GalleryFilters {
  artifactType: "all" | Generation["artifactType"];
  status: StatusFilter;
  tag: string; // a tag id, or "" for any
  sort: SortOrder;
  batch: string; // a batch id: only its variations, unstacked; "" for all, batches stacked
}

export const NO_FILTERS: GalleryFilters = { artifactType: "all", status: "all", tag: "", sort: "newest", batch: "" };

/** The batch a generation came from (one request for N variations), or null. */
export function batchOf(g: Generation): string | null {
  return g.batchId ?? null;
}

const ACTIVE = new Set(["pending", "processing"]);

export interface GalleryItem {
  generation: Generation;
  /** How many variations its batch holds (this one shown on top), or 1. */
  stack: number;
  /** How many of them are still queued or running (the stack says so, as the top card may be done). */
  running: number;
}

/** One card per batch (its first in the current order on top); generations outside batches as they are. */
export function stackBatches(items: Generation[]): GalleryItem[] {
  const out: GalleryItem[] = [];
  const index = new Map<string, GalleryItem>();
  for (const generation of items) {
    const batch = batchOf(generation);
    const known = batch ? index.get(batch) : undefined;
    const running = ACTIVE.has(generation.status) ? 1 : 0;
    if (known) {
      known.stack += 1;
      known.running += running;
      continue;
    }
    const item = { generation, stack: 1, running };
    if (batch) index.set(batch, item);
    out.push(item);
  }
  return out;
}


export function applyFilters(
  items: Generation[],
  filters: GalleryFilters,
  social: Map<string, GenerationSocial> = new Map(),
): Generation[] {
  const kept = items.filter((g) => {
    if (filters.batch && batchOf(g) !== filters.batch) return false;
    if (filters.artifactType !== "all" && g.artifactType !== filters.artifactType) return false;
    if (filters.status === "active" ? !ACTIVE.has(g.status) : filters.status !== "all" && g.status !== filters.status) return false;
    if (filters.tag && !social.get(g.id)?.tags.some((t) => t.id === filters.tag)) return false;
    return true;
  });
  const time = (g: Generation) => Date.parse(g.createdAt);
  const likes = (g: Generation) => social.get(g.id)?.likeCount ?? 0;
  if (filters.sort === "oldest") return kept.sort((a, b) => time(a) - time(b));
  if (filters.sort === "liked") return kept.sort((a, b) => likes(b) - likes(a) || time(b) - time(a));
  return kept.sort((a, b) => time(b) - time(a));
}
