/** The web page: boards on the left, the open board on the right. Uses only the hooks of @atelier/client. */
import { type FormEvent, useState } from "react";
import { useBoards, useCreateBoard } from "../../src";
import { BoardView } from "./BoardView";

export function App() {
  const [openId, setOpenId] = useState<string | null>(null);
  const boards = useBoards({ limit: 100 });
  const create = useCreateBoard();
  const [title, setTitle] = useState("");

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!title.trim()) return;
    const board = await create.mutateAsync({ title: title.trim() });
    setTitle("");
    setOpenId(board.id);
  };

  return (
    <div className="layout">
      <aside>
        <h1>Atelier</h1>
        <form onSubmit={submit} aria-label="Create board">
          <input placeholder="New board title" value={title} onChange={(e) => setTitle(e.target.value)} />
          <button type="submit" disabled={create.isPending}>Create board</button>
        </form>
        {create.error && <p className="error">{create.error.message}</p>}
        {boards.isLoading && <p>Loading boards…</p>}
        {boards.error && <p className="error">{boards.error.message}</p>}
        <ul className="boards" aria-label="Boards">
          {boards.data?.items.map((board) => (
            <li key={board.id}>
              <button className={board.id === openId ? "active" : ""} onClick={() => setOpenId(board.id)}>
                {board.title}
              </button>
            </li>
          ))}
        </ul>
        {boards.data && boards.data.items.length === 0 && <p className="muted">No boards yet: create one.</p>}
      </aside>
      <main>
        {openId ? (
          <BoardView key={openId} boardId={openId} onDeleted={() => setOpenId(null)} />
        ) : (
          <p className="muted">Open or create a board to run generators.</p>
        )}
      </main>
    </div>
  );
}
