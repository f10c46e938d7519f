/** Search: generations (facets, sort, saved views) first, then boards you may read and people (where allowed). */
import { useMemo, useState } from "react";
import { type SavedView, useBoard, useSearchBoards, useSearchUsers } from "../../../src";
import { ErrorText } from "../common/Dialog";
import { displayName, timeAgo } from "../common/format";
import { hrefOf, navigate } from "../common/router";
import { GenerationFilters, GenerationResults } from "./GenerationSearch";
import { SavedViews } from "./SavedViews";
import { activeCount, fromSavedQuery, NO_SEARCH_FILTERS, type SearchFilters, searchQuery } from "./searchState";

/** `board`: search within that board only ("" for everything you may see). */
export function SearchPage(props: { q: string; board: string }) {
  const [filters, setFilters] = useState<SearchFilters>(NO_SEARCH_FILTERS);
  // Folded on phones so results come first; a button unfolds them.
  const [open, setOpen] = useState(() => globalThis.matchMedia?.("(min-width: 900px)").matches ?? true);
  const query = useMemo(() => searchQuery(props.q, filters, 24, props.board), [props.q, filters, props.board]);
  const apply = (view: SavedView) => {
    const saved = fromSavedQuery(view.query);
    setFilters(saved.filters);
    if (saved.q !== props.q || saved.board !== props.board) {
      navigate({ name: "search", q: saved.q, ...(saved.board ? { board: saved.board } : {}) });
    }
  };
  return (
    <main className="page" id="main">
      <h1>Search{props.q && <>: “{props.q}”</>}</h1>
      {props.board && <BoardScope boardId={props.board} q={props.q} />}
      <div className="row between wrap">
        <p className="muted small">
          {props.q
            ? "Generations whose prompt or inputs hold these words"
            : `All the generations ${props.board ? "of this board" : "you may see"}; type words in the search box above to narrow them`}
          {activeCount(filters) > 0 && ` · ${activeCount(filters)} filters`}
        </p>
        {activeCount(filters) > 0 && (
          <button type="button" className="secondary small" onClick={() => setFilters({ ...NO_SEARCH_FILTERS, sort: filters.sort })}>
            Clear filters
          </button>
        )}
      </div>
      <div className="search-layout">
        <aside className="stack" aria-label="Filters and saved views">
          <button type="button" className="secondary small fold" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
            {open ? "Hide filters" : `Filters and saved views${activeCount(filters) ? ` (${activeCount(filters)} on)` : ""}`}
          </button>
          <div className="stack" hidden={!open}>
            <GenerationFilters query={query} filters={filters} onFilters={setFilters} />
            <SavedViews query={query} boardId={props.board} onApply={apply} />
          </div>
        </aside>
        <div className="stack">
          <GenerationResults query={query} />
          {props.q && <OtherResults q={props.q} />}
        </div>
      </div>
    </main>
  );
}

/** The board a search is limited to, with a way out to everything. */
function BoardScope(props: { boardId: string; q: string }) {
  const { board } = useBoard(props.boardId);
  return (
    <p className="chip scope">
      In board{" "}
      <a href={hrefOf({ name: "board", boardId: props.boardId, generationId: null })}>{board?.title ?? "…"}</a>
      <a className="small" href={hrefOf({ name: "search", q: props.q })}>Search everywhere</a>
    </p>
  );
}

function OtherResults(props: { q: string }) {
  const boards = useSearchBoards(props.q, { limit: 50 });
  const users = useSearchUsers(props.q);
  const boardItems = boards.data?.items ?? [];
  return (
    <div className="search-results">
      <section aria-label="Boards found">
        <h2>Boards <span className="muted small">({boardItems.length})</span></h2>
        {boards.isLoading && <p className="muted">Searching…</p>}
        <ErrorText error={boards.error} />
        {!boards.isLoading && boardItems.length === 0 && <p className="muted">No board matches.</p>}
        <ul className="result-list">
          {boardItems.map((b) => (
            <li key={b.id}>
              <a href={hrefOf({ name: "board", boardId: b.id, generationId: null })}>{b.title}</a>
              {b.isPublic && <span className="badge">Public</span>}
              <span className="muted small"> · updated {timeAgo(b.updatedAt)}</span>
              {b.description && <p className="muted small">{b.description}</p>}
            </li>
          ))}
        </ul>
      </section>
      <section aria-label="People found">
        <h2>People <span className="muted small">({users.users.length})</span></h2>
        {users.isLoading && <p className="muted">Searching…</p>}
        {users.isError ? <p className="muted">People search is not available to you.</p> : null}
        {!users.isLoading && !users.isError && users.users.length === 0 && <p className="muted">Nobody matches.</p>}
        <ul className="result-list">
          {users.users.map((u) => (
            <li key={u.id}>
              <strong>{displayName(u)}</strong>
              {u.email && u.displayName && <span className="muted small"> · {u.email}</span>}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
