/** One gallery card: the medium, the prompt excerpt, generator and time; live progress; failure with retry. */
import { type Generation, isTerminal, useCancelGeneration, useRegenerate } from "../../../src";
import { excerpt, promptOf, timeAgo } from "../common/format";

interface Props {
  generation: Generation;
  onOpen: () => void;
  canEdit: boolean;
  likes?: number;
  /** How many variations this card stands for (a batch); above 1 it opens into them. */
  stack?: number;
  /** How many of the stack's variations still run. */
  stackRunning?: number;
  onOpenStack?: () => void;
}

export function GenerationCard(props: Props) {
  const g = props.generation;
  const prompt = promptOf(g.inputParams) || g.generatorName;
  const stack = props.stack ?? 1;
  return (
    <article className={`card ${g.status}${stack > 1 ? " stacked" : ""}`} data-status={g.status} aria-label={`${excerpt(prompt, 60)} (${g.status})`}>
      {stack > 1 && (
        <button type="button" className="stack-badge small" onClick={props.onOpenStack}>
          {stack} variations{props.stackRunning ? ` · ${props.stackRunning} running` : ""}
        </button>
      )}
      <button type="button" className="media" onClick={props.onOpen}>
        <span className="sr-only">Open {excerpt(prompt, 60)}: </span>
        <Preview generation={g} />
      </button>
      <div className="meta">
        <p className="prompt" title={prompt}>{excerpt(prompt, 90)}</p>
        <p className="muted small">
          <span>{g.generatorName}</span> · <time dateTime={g.createdAt}>{timeAgo(g.createdAt)}</time>
          {g.batchIndex != null && stack === 1 && <span> · variation {g.batchIndex + 1}</span>}
          {props.likes ? <span aria-label={`${props.likes} likes`}> · ♥ {props.likes}</span> : null}
        </p>
      </div>
      {props.canEdit && <CardActions generation={g} />}
    </article>
  );
}

function Preview({ generation: g }: { generation: Generation }) {
  if (g.status === "completed") {
    const src = g.thumbnailUrl ?? (g.artifactType === "image" ? g.storageUrl : null);
    if (src) return <img src={src} alt="" loading="lazy" decoding="async" />;
    return <span className="type-icon">{g.artifactType}</span>;
  }
  if (g.status === "failed" || g.status === "cancelled") {
    return (
      <span className="state">
        <strong>{g.status === "failed" ? "Failed" : "Cancelled"}</strong>
        {g.errorMessage && <span className="small">{excerpt(g.errorMessage, 120)}</span>}
      </span>
    );
  }
  return (
    <span className="state live" role="status">
      <strong>{phaseLabel(g)}</strong>
      <progress max={1} value={g.progress} aria-label="Progress" />
      <span className="small">{Math.round(g.progress * 100)}%{g.message && g.message !== g.phase ? ` · ${g.message}` : ""}</span>
    </span>
  );
}

function phaseLabel(g: Generation): string {
  const phase = g.phase ?? (g.status === "pending" ? "queued" : "processing");
  return phase.charAt(0).toUpperCase() + phase.slice(1);
}

function CardActions({ generation: g }: { generation: Generation }) {
  const cancel = useCancelGeneration();
  const retry = useRegenerate();
  if (!isTerminal(g.status)) {
    return (
      <button type="button" className="card-action secondary small" onClick={() => cancel.mutate(g.id)} disabled={cancel.isPending}>
        Cancel
      </button>
    );
  }
  if (g.status === "failed" || g.status === "cancelled") {
    return (
      <button type="button" className="card-action small" onClick={() => retry.mutate(g.id)} disabled={retry.isPending}>
        Retry
      </button>
    );
  }
  return null;
}
