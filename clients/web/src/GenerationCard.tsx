import { type Generation, isTerminal, useCancelGeneration, useGenerationProgress, useRegenerate } from "../../src";

export function GenerationCard({ generation }: { generation: Generation }) {
  const live = useGenerationProgress(generation.id, { enabled: !isTerminal(generation.status) });
  const status = isTerminal(generation.status) ? generation.status : (live.status ?? generation.status);
  const progress = isTerminal(generation.status) ? generation.progress : Math.max(live.progress, generation.progress);
  const url = generation.storageUrl ?? live.event?.artifacts[0]?.url ?? null;
  const cancel = useCancelGeneration();
  const regenerate = useRegenerate();
  return (
    <article className={`card ${status}`} data-status={status} aria-label={`Generation ${generation.generatorName}`}>
      <div className="media">{url && status === "completed" ? <Media type={generation.artifactType} url={url} /> : <span>{status}</span>}</div>
      <progress max={1} value={progress} aria-label="Progress" />
      <div className="meta">
        <strong>{generation.generatorName}</strong> <span className="status">{status}</span>
        {live.event?.message && live.event.message !== status && <span className="muted"> · {live.event.message}</span>}
        {generation.errorMessage && <p className="error">{generation.errorMessage}</p>}
      </div>
      <div className="actions">
        {!isTerminal(status) && <button onClick={() => cancel.mutate(generation.id)}>Cancel</button>}
        {isTerminal(status) && <button onClick={() => regenerate.mutate(generation.id)}>Regenerate</button>}
      </div>
    </article>
  );
}

function Media({ type, url }: { type: Generation["artifactType"]; url: string }) {
  if (type === "image") return <img src={url} alt="generated image" />;
  if (type === "audio") return <audio src={url} controls />;
  if (type === "video") return <video src={url} controls />;
  return (
    <a href={url} target="_blank" rel="noreferrer">
      Open {type}
    </a>
  );
}
