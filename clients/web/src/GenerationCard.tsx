import { type Generation, isTerminal, useCancelGeneration, useRegenerate } from "../../src";

/** One generation; its status and progress arrive live through useBoardGenerations' board stream. */
export function GenerationCard({ generation }: { generation: Generation }) {
  const { status, progress, storageUrl: url } = generation;
  const cancel = useCancelGeneration();
  const regenerate = useRegenerate();
  return (
    <article className={`card ${status}`} data-status={status} aria-label={`Generation ${generation.generatorName}`}>
      <div className="media">
        {url && status === "completed" ? <Media generation={generation} url={url} /> : <span>{generation.phase ?? status}</span>}
      </div>
      <progress max={1} value={progress} aria-label="Progress" />
      <div className="meta">
        <strong>{generation.generatorName}</strong> <span className="status">{status}</span>
        {generation.message && generation.message !== status && <span className="muted"> · {generation.message}</span>}
        {generation.errorMessage && <p className="error">{generation.errorMessage}</p>}
      </div>
      <div className="actions">
        {!isTerminal(status) && <button onClick={() => cancel.mutate(generation.id)}>Cancel</button>}
        {isTerminal(status) && <button onClick={() => regenerate.mutate(generation.id)}>Regenerate</button>}
      </div>
    </article>
  );
}

function Media({ generation, url }: { generation: Generation; url: string }) {
  const type = generation.artifactType;
  if (type === "image") return <img src={url} alt="generated image" />;
  if (type === "audio") return <audio src={url} controls aria-label="generated audio" />;
  if (type === "video") return <video src={url} poster={generation.thumbnailUrl ?? undefined} controls aria-label="generated video" />;
  return (
    <a href={url} target="_blank" rel="noreferrer">
      Open {type}
    </a>
  );
}
