/** Search over boards you may read and over people (where the server lets you list them). */
import { useSearchBoards, useSearchUsers } from "../../../src";
import { ErrorText } from "../common/Dialog";
import { displayName, timeAgo } from "../common/format";
import { hrefOf } from "../common/router";

export function SearchPage(props: { q: string }) {
  const boards = useSearchBoards(props.q, { limit: 50 });
  const users = useSearchUsers(props.q);
  const boardItems = boards.data?.items ?? [];
  return (
    <main className="page" id="main">
      <h1>Search{props.q && <>: “{props.q}”</>}</h1>
      {!props.q && <p className="muted">Type in the search box above to find boards and people.</p>}
      {props.q && (
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
      )}
    </main>
  );
}
