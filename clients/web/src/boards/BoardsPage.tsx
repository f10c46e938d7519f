/** Your boards as cards (cover, counts, last activity) and "New board". */
import { type FormEvent, useState } from "react";
import { type BoardOverview, lastActivity, useBoardOverviews, useCreateBoard } from "../../../src";
import { ErrorText } from "../common/Dialog";
import { displayName, plural, timeAgo } from "../common/format";
import { hrefOf, navigate } from "../common/router";

export function BoardsPage() {
  const { boards, isLoading, error } = useBoardOverviews();
  const [creating, setCreating] = useState(false);
  return (
    <main className="page" id="main">
      <div className="page-head">
        <h1>Your boards</h1>
        <button type="button" onClick={() => setCreating((c) => !c)} aria-expanded={creating}>New board</button>
      </div>
      {creating && <NewBoardForm onDone={() => setCreating(false)} />}
      {isLoading && <p className="muted">Loading boards…</p>}
      <ErrorText error={error} />
      {!isLoading && boards.length === 0 && (
        <p className="empty">No boards yet. A board holds what you generate; create one to start.</p>
      )}
      <BoardGrid boards={boards} label="Your boards" />
    </main>
  );
}

function NewBoardForm(props: { onDone: () => void }) {
  const create = useCreateBoard();
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!title.trim()) return;
    const board = await create.mutateAsync({ title: title.trim(), description: description.trim() || null });
    props.onDone();
    navigate({ name: "board", boardId: board.id, generationId: null });
  };
  return (
    <form className="panel stack new-board" onSubmit={submit} aria-label="Create board">
      <label>
        Board title
        <input required maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} autoFocus />
      </label>
      <label>
        Description
        <textarea rows={2} maxLength={2000} value={description} onChange={(e) => setDescription(e.target.value)} />
      </label>
      <div className="row">
        <button type="submit" disabled={create.isPending}>Create board</button>
        <button type="button" className="secondary" onClick={props.onDone}>Cancel</button>
      </div>
      <ErrorText error={create.error} />
    </form>
  );
}

export function BoardGrid(props: { boards: BoardOverview[]; label: string }) {
  return (
    <ul className="board-grid" aria-label={props.label}>
      {props.boards.map((board) => (
        <li key={board.id}>
          <BoardCard board={board} />
        </li>
      ))}
    </ul>
  );
}

function BoardCard({ board }: { board: BoardOverview }) {
  const cover = board.generations[0];
  const coverUrl = cover?.thumbnailUrl ?? (cover?.artifactType.toLowerCase() === "image" ? cover.storageUrl : null);
  const people = board.members.length + 1;
  return (
    <a className="board-card" href={hrefOf({ name: "board", boardId: board.id, generationId: null })}>
      <div className="cover">
        {coverUrl ? <img src={coverUrl} alt="" loading="lazy" /> : <span aria-hidden="true">{board.title.slice(0, 1).toUpperCase()}</span>}
      </div>
      <div className="board-card-body">
        <strong className="title">{board.title}</strong>
        {board.description && <span className="desc">{board.description}</span>}
        <span className="muted small">
          {plural(board.generationCount, "item", "items")} · {plural(people, "person", "people")} ·{" "}
          {timeAgo(lastActivity(board))}
        </span>
        <span className="muted small">
          by {displayName(board.owner)}
          {board.isPublic && <span className="badge">Public</span>}
        </span>
      </div>
    </a>
  );
}
