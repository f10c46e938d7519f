/** The detail view: full-size media, inputs, metadata, cost, timing, tags, like, download, delete, lineage. */
import { useEffect } from "react";
import { type Generation, useArtifactText, useDeleteGeneration, useGeneration, useLike } from "../../../src";
import { ConfirmButton, Dialog, ErrorText } from "../common/Dialog";
import { excerpt, promptOf } from "../common/format";
import { navigate } from "../common/router";
import { Lineage } from "./Lineage";
import { Details } from "./Details";
import { TagEditor } from "./TagEditor";

interface Props {
  generationId: string;
  list: Generation[];
  canEdit: boolean;
  onNavigate: (id: string | null) => void;
  onUseSettings?: (generation: Generation) => void;
}

export function Lightbox(props: Props) {
  const fetched = useGeneration(props.generationId);
  const generation = props.list.find((g) => g.id === props.generationId) ?? fetched.data ?? null;
  const index = props.list.findIndex((g) => g.id === props.generationId);
  const prev = index > 0 ? props.list[index - 1] : undefined;
  const next = index >= 0 ? props.list[index + 1] : undefined;
  const close = () => props.onNavigate(null);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
      if (event.key === "ArrowLeft" && prev) props.onNavigate(prev.id);
      if (event.key === "ArrowRight" && next) props.onNavigate(next.id);
    };
    globalThis.addEventListener("keydown", onKey);
    return () => globalThis.removeEventListener("keydown", onKey);
  }, [prev, next, props]);

  const title = generation ? excerpt(promptOf(generation.inputParams) || generation.generatorName, 80) : "Generation";
  return (
    <Dialog label={`Details: ${title}`} open onClose={close} className="lightbox">
      <div className="lightbox-bar">
        <button type="button" className="secondary small" onClick={() => prev && props.onNavigate(prev.id)} disabled={!prev} aria-label="Previous">←</button>
        <h2>{title}</h2>
        <button type="button" className="secondary small" onClick={() => next && props.onNavigate(next.id)} disabled={!next} aria-label="Next">→</button>
        <button type="button" className="secondary small" onClick={close} aria-label="Close">✕</button>
      </div>
      {!generation ? (
        fetched.isLoading ? <p className="muted">Loading…</p> : <ErrorText error={fetched.error ?? "This generation is gone."} />
      ) : (
        <div className="lightbox-body">
          <div className="stage"><FullMedia generation={generation} /></div>
          <div className="side">
            <Actions generation={generation} canEdit={props.canEdit} onUseSettings={props.onUseSettings} onDeleted={close} />
            <h3>Lineage</h3>
            <Lineage
              generationId={generation.id}
              onOpen={(node) =>
                node.boardId === generation.boardId ? props.onNavigate(node.id) : navigate({ name: "board", boardId: node.boardId, generationId: node.id })
              }
            />
            <h3>Tags</h3>
            <TagEditor generationId={generation.id} canEdit={props.canEdit} />
            <Details generation={generation} />
          </div>
        </div>
      )}
    </Dialog>
  );
}

function FullMedia({ generation: g }: { generation: Generation }) {
  const url = g.storageUrl;
  if (g.status !== "completed" || !url) {
    return (
      <div className="state">
        <strong>{g.status}</strong>
        {g.errorMessage && <p className="error">{g.errorMessage}</p>}
        {!["failed", "cancelled"].includes(g.status) && <progress max={1} value={g.progress} aria-label="Progress" />}
      </div>
    );
  }
  if (g.artifactType === "image") return <img src={url} alt={excerpt(promptOf(g.inputParams), 120) || "generated image"} />;
  if (g.artifactType === "audio") {
    return (
      <div className="audio-stage">
        {g.thumbnailUrl && <img src={g.thumbnailUrl} alt="waveform" />}
        <audio src={url} controls aria-label="Generated audio" />
      </div>
    );
  }
  if (g.artifactType === "video") return <video src={url} poster={g.thumbnailUrl ?? undefined} controls aria-label="Generated video" />;
  if (g.artifactType === "text") return <TextArtifact url={url} />;
  return <a href={url} target="_blank" rel="noreferrer">Open the {g.artifactType}</a>;
}

function TextArtifact(props: { url: string }) {
  const text = useArtifactText(props.url);
  if (text.error) return <ErrorText error={text.error} />;
  return <pre className="text-stage" tabIndex={0}>{text.data ?? "Loading…"}</pre>;
}

function Actions(props: { generation: Generation; canEdit: boolean; onUseSettings?: (g: Generation) => void; onDeleted: () => void }) {
  const g = props.generation;
  const like = useLike(g.id);
  const remove = useDeleteGeneration();
  const liked = like.status?.likedByMe ?? false;
  return (
    <div className="actions row wrap">
      <button type="button" className={liked ? "liked" : "secondary"} aria-pressed={liked} onClick={() => like.toggle.mutate(!liked)}>
        <span aria-hidden="true">♥</span>Like
      </button>
      <span className="muted small" aria-live="polite">{like.status?.likeCount ?? 0} likes</span>
      {props.onUseSettings && (
        <button type="button" onClick={() => props.onUseSettings!(g)}>Use these settings</button>
      )}
      {g.storageUrl && g.status === "completed" && (
        <a className="button secondary" href={g.storageUrl} download>Download</a>
      )}
      {props.canEdit && (
        <ConfirmButton
          label="Delete"
          question="Delete this generation and its file? This cannot be undone."
          confirm="Delete for good"
          onConfirm={() => remove.mutate(g, { onSuccess: props.onDeleted })}
        />
      )}
      <ErrorText error={like.toggle.error ?? remove.error} />
    </div>
  );
}
