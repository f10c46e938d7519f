/** Generation search as state: the filters a person picks, the API query they make, saved views read back. */
import type { SearchQuery } from "../../../src";

export type SearchSortOrder = NonNullable<SearchQuery["sort"]>;
export const SORTS: { value: SearchSortOrder; label: string }[] = [
  { value: "relevance", label: "best match" },
  { value: "newest", label: "newest first" },
  { value: "oldest", label: "oldest first" },
  { value: "most_liked", label: "most liked" },
];

export interface SearchFilters {
  artifactTypes: string[];
  generatorNames: string[];
  tags: string[];
  likedByMe: boolean;
  /** A UTC day (YYYY-MM-DD, as the day facet counts them) or "" for any time. */
  day: string;
  sort: SearchSortOrder;
}

export const NO_SEARCH_FILTERS: SearchFilters = { artifactTypes: [], generatorNames: [], tags: [], likedByMe: false, day: "", sort: "relevance" };

export type FacetKey = "artifactTypes" | "generatorNames" | "tags";

/** The filters with `value` added to or taken out of one facet. */
export function toggle(filters: SearchFilters, key: FacetKey, value: string): SearchFilters {
  const list = filters[key];
  return { ...filters, [key]: list.includes(value) ? list.filter((v) => v !== value) : [...list, value] };
}

export function activeCount(filters: SearchFilters): number {
  return filters.artifactTypes.length + filters.generatorNames.length + filters.tags.length + (filters.likedByMe ? 1 : 0) + (filters.day ? 1 : 0);
}

/** What the API is asked: words and filters, empty ones left out (so a saved view holds only what was chosen). */
export function searchQuery(q: string, filters: SearchFilters, limit = 24, board = ""): SearchQuery {
  const query: SearchQuery = { sort: filters.sort, limit };
  if (board) query.boardIds = [board];
  if (q.trim()) query.q = q.trim();
  if (filters.artifactTypes.length) query.artifactTypes = filters.artifactTypes as SearchQuery["artifactTypes"];
  if (filters.generatorNames.length) query.generatorNames = filters.generatorNames;
  if (filters.tags.length) query.tags = filters.tags;
  if (filters.likedByMe) query.likedByMe = true;
  if (filters.day) Object.assign(query, dayRange(filters.day));
  return query;
}

/** The UTC day as the half-open range the API filters on (createdAfter inclusive, createdBefore exclusive). */
export function dayRange(day: string): { createdAfter: string; createdBefore: string } {
  const start = new Date(`${day}T00:00:00Z`);
  const end = new Date(start.getTime() + 86_400_000);
  return { createdAfter: start.toISOString(), createdBefore: end.toISOString() };
}

/** The day a saved range stands for, when it is exactly one UTC day; else "". */
function dayOf(after: unknown, before: unknown): string {
  if (typeof after !== "string" || typeof before !== "string") return "";
  const day = after.slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(after))) return "";
  const range = dayRange(day);
  return Date.parse(after) === Date.parse(range.createdAfter) && Date.parse(before) === Date.parse(range.createdBefore) ? day : "";
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];

/** A saved view's stored query read back as words and filters; anything it does not know is ignored. */
export function fromSavedQuery(query: Record<string, unknown>): { q: string; board: string; filters: SearchFilters } {
  const sort = SORTS.some((s) => s.value === query.sort) ? (query.sort as SearchSortOrder) : "relevance";
  return {
    q: typeof query.q === "string" ? query.q : "",
    board: strings(query.boardIds)[0] ?? "",
    filters: {
      artifactTypes: strings(query.artifactTypes),
      generatorNames: strings(query.generatorNames),
      tags: strings(query.tags),
      likedByMe: query.likedByMe === true,
      day: dayOf(query.createdAfter, query.createdBefore),
      sort,
    },
  };
}

/** A snippet cut into plain and matched parts by its highlight ranges (out-of-range or overlapping ones skipped). */
export function markSnippet(snippet: string, highlights: { start: number; end: number }[]): { text: string; hit: boolean }[] {
  const parts: { text: string; hit: boolean }[] = [];
  let at = 0;
  for (const { start, end } of [...highlights].sort((a, b) => a.start - b.start)) {
    if (start < at || end <= start || end > snippet.length) continue;
    if (start > at) parts.push({ text: snippet.slice(at, start), hit: false });
    parts.push({ text: snippet.slice(start, end), hit: true });
    at = end;
  }
  if (at < snippet.length) parts.push({ text: snippet.slice(at), hit: false });
  return parts;
}
