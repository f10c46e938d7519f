/** showModal where the browser has it (jsdom has not: there the dialog just opens). */
function showModal(dialog: HTMLDialogElement): void {
  if (typeof dialog.showModal === "function") dialog.showModal();
  else dialog.setAttribute("open", "");
}

function closeDialog(dialog: HTMLDialogElement): void {
  if (typeof dialog.close === "function") dialog.close();
  else dialog.removeAttribute("open");
}

/** A modal on the native <dialog> (focus trap, Esc and the top layer come from the browser). */
import { type ReactNode, useEffect, useRef } from "react";

export function Dialog(props: { label: string; open: boolean; onClose: () => void; className?: string; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) showModal(dialog);
    if (!props.open && dialog.open) closeDialog(dialog);
  }, [props.open]);
  return (
    <dialog
      ref={ref}
      aria-label={props.label}
      className={`dialog ${props.className ?? ""}`}
      onClose={props.onClose}
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
    >
      {props.open && props.children}
    </dialog>
  );
}

/** A destructive action behind a second, explicit confirmation. */
export function ConfirmButton(props: { label: string; question: string; confirm: string; onConfirm: () => void; disabled?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  return (
    <>
      <button type="button" className="danger" disabled={props.disabled} onClick={() => ref.current && showModal(ref.current)}>
        {props.label}
      </button>
      <dialog ref={ref} className="dialog confirm" aria-label={props.label}>
        <p>{props.question}</p>
        <div className="row end">
          <button type="button" className="secondary" onClick={() => ref.current && closeDialog(ref.current)}>Cancel</button>
          <button
            type="button"
            className="danger"
            onClick={() => {
              if (ref.current) closeDialog(ref.current);
              props.onConfirm();
            }}
          >
            {props.confirm}
          </button>
        </div>
      </dialog>
    </>
  );
}

export function ErrorText(props: { error: unknown }) {
  if (!props.error) return null;
  const message = props.error instanceof Error ? props.error.message : String(props.error);
  return <p className="error" role="alert">{message}</p>;
}
