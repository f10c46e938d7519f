import { useBoard, useBoardGenerations, useDeleteBoard } from "../../src";
import { GenerationCard } from "./GenerationCard";
import { GeneratorPanel } from "./GeneratorPanel";
import { UploadPanel } from "./UploadPanel";

export function BoardView(props: { boardId: string; onDeleted: () => void }) {
  const { board, permissions, isLoading, error } = useBoard(props.boardId);
  const { generations } = useBoardGenerations(props.boardId);
  const remove = useDeleteBoard();
  if (isLoading) return <p>Loading board…</p>;
  if (error) return <p className="error">{error.message}</p>;
  if (!board) return <p className="error">Board not found.</p>;
  return (
    <section aria-label={`Board ${board.title}`}>
      <header className="board-header">
        <h2>{board.title}</h2>
        <span className="muted">
          {permissions?.role} · {board.members.length + 1} people · {generations.length} generations
        </span>
        {permissions?.canDelete && (
          <button className="danger" onClick={() => remove.mutate(board.id, { onSuccess: props.onDeleted })}>
            Delete board
          </button>
        )}
      </header>
      {permissions?.canGenerate && (
        <div className="panels">
          <GeneratorPanel boardId={board.id} />
          <UploadPanel boardId={board.id} />
        </div>
      )}
      <div className="grid" aria-label="Generations">
        {generations.map((generation) => (
          <GenerationCard key={generation.id} generation={generation} />
        ))}
      </div>
    </section>
  );
}
