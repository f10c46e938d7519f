/** Saved views of a generation search: save the current words and filters by name, list, apply, delete. */
import { type FormEvent, useState } from "react";
import { type SavedView, type SearchQuery, useSavedViews } from "../../../src";
import { ErrorText } from "../common/Dialog";

/** `boardId`: the board the search is limited to; its view can be shared with the board's readers. */
export function SavedViews(props: { query: SearchQuery; boardId: string; onApply: (view: SavedView) => void }) {
  const saved = useSavedViews();
  const [name, setName] = useState("");
  const [share, setShare] = useState(false);
  const save = (event: FormEvent) => {
    event.preventDefault();
    const { limit: _limit, cursor: _cursor, ...query } = props.query;
    const boardId = share && props.boardId ? props.boardId : null;
    if (name.trim()) saved.create.mutate({ name: name.trim(), query, boardId }, { onSuccess: () => setName("") });
  };
  return (
    <section className="panel stack saved-views" aria-label="Saved views">
      <h2>Saved views</h2>
      {saved.views.length === 0 && !saved.isLoading && <p className="muted small">None yet: search, filter, then save.</p>}
      <ul className="result-list" aria-label="Your saved views">
        {saved.views.map((view) => (
          <li key={view.id} className="row between">
            <button type="button" className="secondary small grow view-apply" onClick={() => props.onApply(view)}>
              {view.name}
            </button>
            {view.boardId && <span className="badge" title="Shared with a board's readers">Shared</span>}
            <button
              type="button"
              className="link"
              aria-label={`Delete view ${view.name}`}
              onClick={() => saved.remove.mutate(view.id)}
              disabled={saved.remove.isPending}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <form className="stack" onSubmit={save} aria-label="Save this search">
        <div className="row">
          <label className="grow">
            View name
            <input value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />
          </label>
          <button type="submit" disabled={!name.trim() || saved.create.isPending}>Save view</button>
        </div>
        {props.boardId && (
          <label className="check">
            <input type="checkbox" checked={share} onChange={(e) => setShare(e.target.checked)} />
            Share with this board's readers
          </label>
        )}
      </form>
      <ErrorText error={saved.error ?? saved.create.error ?? saved.remove.error} />
    </section>
  );
}
