/** Generation search: facet filters (type, generator, tag, liked), sort, ranked results with highlighted snippets. */
import type { FacetCount, SearchHit, SearchQuery } from "../../../src";
import { useGenerationFacets, useSearchGenerations } from "../../../src";
import { ErrorText } from "../common/Dialog";
import { excerpt, promptOf, timeAgo } from "../common/format";
import { hrefOf } from "../common/router";
import { type FacetKey, markSnippet, type SearchFilters, SORTS, toggle } from "./searchState";

interface Props {
  query: SearchQuery;
  filters: SearchFilters;
  onFilters: (next: SearchFilters) => void;
}

export function GenerationFilters(props: Props) {
  const facets = useGenerationFacets(props.query);
  const data = facets.data;
  const set = (patch: Partial<SearchFilters>) => props.onFilters({ ...props.filters, ...patch });
  return (
    <div className="stack search-filters" role="group" aria-label="Search filters">
      <label>
        Sort
        <select value={props.filters.sort} onChange={(e) => set({ sort: e.target.value as SearchFilters["sort"] })}>
          {SORTS.map((s) => <option key={s.value} value={s.value}>{s.label}</option>)}
        </select>
      </label>
      <label className="check">
        <input type="checkbox" checked={props.filters.likedByMe} onChange={(e) => set({ likedByMe: e.target.checked })} />
        Only ones I liked
      </label>
      <label>
        Day
        <select value={props.filters.day} onChange={(e) => set({ day: e.target.value })}>
          <option value="">any day</option>
          {dayOptions(data?.days, props.filters.day).map((d) => (
            <option key={d.value} value={d.value}>{d.value} ({d.count})</option>
          ))}
        </select>
      </label>
      <Facet legend="Type" facetKey="artifactTypes" counts={data?.artifactTypes} {...props} />
      <Facet legend="Generator" facetKey="generatorNames" counts={data?.generators} {...props} />
      <Facet legend="Tag" facetKey="tags" counts={data?.tags} {...props} />
      {data && !data.complete && <p className="muted small">Counts are estimated from a sample.</p>}
    </div>
  );
}

/** The days the facet counted (newest first), with the chosen one kept when the narrower query counts none. */
function dayOptions(days: FacetCount[] | undefined, chosen: string): FacetCount[] {
  const list = days ?? [];
  return chosen && !list.some((d) => d.value === chosen) ? [{ value: chosen, label: null, count: 0 }, ...list] : list;
}

/** One facet as checkboxes with counts; chosen values stay listed even when the narrower query counts none. */
function Facet(props: Props & { legend: string; facetKey: FacetKey; counts: FacetCount[] | undefined }) {
  const chosen = props.filters[props.facetKey];
  const counts = props.counts ?? [];
  const missing = chosen.filter((v) => !counts.some((c) => c.value === v)).map((value) => ({ value, label: null, count: 0 }));
  const rows = [...counts, ...missing];
  if (rows.length === 0) return null;
  return (
    <fieldset className="facet">
      <legend>{props.legend}</legend>
      {rows.slice(0, 12).map((c) => (
        <label key={c.value} className="check">
          <input
            type="checkbox"
            checked={chosen.includes(c.value)}
            onChange={() => props.onFilters(toggle(props.filters, props.facetKey, c.value))}
          />
          <span className="grow">{c.label || c.value}</span>
          <span className="muted small"> {c.count}</span>
        </label>
      ))}
    </fieldset>
  );
}

export function GenerationResults(props: { query: SearchQuery }) {
  const search = useSearchGenerations(props.query);
  return (
    <section aria-label="Generations found" className="stack">
      <h2>Generations <span className="muted small">({search.hits.length}{search.hasNextPage ? "+" : ""})</span></h2>
      {search.isLoading && <p className="muted">Searching…</p>}
      <ErrorText error={search.error} />
      {!search.isLoading && !search.error && search.hits.length === 0 && <p className="muted">No generation matches.</p>}
      <ul className="feed-grid" aria-label="Generation results">
        {search.hits.map((hit) => <li key={hit.generation.id}><HitTile hit={hit} /></li>)}
      </ul>
      {search.hasNextPage && (
        <button type="button" className="secondary" onClick={() => search.fetchNextPage()} disabled={search.isFetchingNextPage}>
          More results
        </button>
      )}
    </section>
  );
}

function HitTile({ hit }: { hit: SearchHit }) {
  const g = hit.generation;
  const src = g.thumbnailUrl ?? (g.artifactType === "image" && g.status === "completed" ? g.storageUrl : null);
  const prompt = promptOf(g.inputParams) || g.generatorName;
  return (
    <a className="feed-tile" href={hrefOf({ name: "board", boardId: g.boardId, generationId: g.id })}>
      <div className="media">{src ? <img src={src} alt="" loading="lazy" /> : <span className="type-icon">{g.artifactType}</span>}</div>
      <span className="prompt">
        {hit.snippet
          ? markSnippet(hit.snippet, hit.highlights).map((part, i) => (part.hit ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>))
          : excerpt(prompt, 70)}
      </span>
      <span className="muted small">{g.generatorName} · {g.status} · {timeAgo(g.createdAt)}</span>
    </a>
  );
}
