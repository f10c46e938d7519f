import { type FormEvent, useState } from "react";
import { useUploadArtifact } from "../../src";

const TYPES = ["image", "video", "audio", "text"] as const;

export function UploadPanel(props: { boardId: string }) {
  const upload = useUploadArtifact();
  const [file, setFile] = useState<File | null>(null);
  const [type, setType] = useState<(typeof TYPES)[number]>("image");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (file) upload.mutate({ boardId: props.boardId, artifactType: type, file });
  };
  return (
    <form className="panel" onSubmit={submit} aria-label="Upload a file">
      <h3>Upload</h3>
      <input type="file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      <select value={type} onChange={(e) => setType(e.target.value as (typeof TYPES)[number])} aria-label="Artifact type">
        {TYPES.map((t) => (
          <option key={t}>{t}</option>
        ))}
      </select>
      <button type="submit" disabled={!file || upload.isPending}>Upload</button>
      {upload.progress && upload.isPending && <progress max={1} value={upload.progress.fraction} />}
      {upload.isSuccess && <p className="muted">Uploaded.</p>}
      {upload.error && <p className="error">{upload.error.message}</p>}
    </form>
  );
}
