/** Public boards of the workspace. */
import { usePublicBoards } from "../../../src";
import { BoardGrid } from "../boards/BoardsPage";
import { ErrorText } from "../common/Dialog";

export function ExplorePage() {
  const { boards, isLoading, error } = usePublicBoards();
  return (
    <main className="page" id="main">
      <h1>Public boards</h1>
      {isLoading && <p className="muted">Loading…</p>}
      <ErrorText error={error} />
      {!isLoading && boards.length === 0 && <p className="empty">No public boards yet.</p>}
      <BoardGrid boards={boards} label="Public boards" />
    </main>
  );
}
