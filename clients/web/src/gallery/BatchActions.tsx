/** A batch opened from its stack: cancel what still runs, or run the same variations again as a new batch. */
import { type Generation, isTerminal, useGenerationBatch } from "../../../src";
import { ErrorText } from "../common/Dialog";

export function BatchActions(props: { batchId: string; items: Generation[]; onNewBatch: (batchId: string) => void }) {
  const batch = useGenerationBatch(props.batchId);
  const running = props.items.some((g) => !isTerminal(g.status));
  const again = () => batch.regenerate.mutate(undefined, { onSuccess: (next) => props.onNewBatch(next.batchId) });
  return (
    <span className="row batch-actions">
      {running ? (
        <button type="button" className="secondary small" onClick={() => batch.cancel.mutate()} disabled={batch.cancel.isPending}>
          Cancel batch
        </button>
      ) : (
        <button type="button" className="secondary small" onClick={again} disabled={batch.regenerate.isPending}>
          Run batch again
        </button>
      )}
      <ErrorText error={batch.cancel.error ?? batch.regenerate.error} />
    </span>
  );
}
