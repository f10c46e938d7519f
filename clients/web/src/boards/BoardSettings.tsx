/** Rename, describe, make public; delete behind a confirmation (owners only). */
import { type FormEvent, useState } from "react";
import { type BoardDetail, useDeleteBoard, useUpdateBoard } from "../../../src";
import { ConfirmButton, ErrorText } from "../common/Dialog";
import { navigate } from "../common/router";

export function BoardSettings(props: { board: BoardDetail; canDelete: boolean; onClose: () => void }) {
  const { board } = props;
  const update = useUpdateBoard(board.id);
  const remove = useDeleteBoard();
  const [title, setTitle] = useState(board.title);
  const [description, setDescription] = useState(board.description ?? "");
  const [isPublic, setPublic] = useState(board.isPublic);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate(
      { title: title.trim(), description: description.trim() || null, isPublic },
      { onSuccess: props.onClose },
    );
  };
  return (
    <form className="stack" onSubmit={submit} aria-label="Edit board">
      <h2>Board settings</h2>
      <label>
        Board title
        <input required maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} />
      </label>
      <label>
        Description
        <textarea rows={3} maxLength={5000} value={description} onChange={(e) => setDescription(e.target.value)} />
      </label>
      <label className="check">
        <input type="checkbox" checked={isPublic} onChange={(e) => setPublic(e.target.checked)} />
        Public: everyone can see this board and its items appear in the feed
      </label>
      <div className="row between">
        <div className="row">
          <button type="submit" disabled={update.isPending}>Save</button>
          <button type="button" className="secondary" onClick={props.onClose}>Close</button>
        </div>
        {props.canDelete && (
          <ConfirmButton
            label="Delete board"
            question={`Delete "${board.title}" and everything on it? This cannot be undone.`}
            confirm="Delete for good"
            onConfirm={() => remove.mutate(board.id, { onSuccess: () => navigate({ name: "boards" }) })}
          />
        )}
      </div>
      <ErrorText error={update.error ?? remove.error} />
    </form>
  );
}
