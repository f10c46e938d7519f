/** An input that references earlier generations: pick from the board's gallery, or drop/upload a file. */
import { type DragEvent, useRef, useState } from "react";
import { type Generation, useUploadArtifact } from "../../../src";
import { Dialog, ErrorText } from "../common/Dialog";
import { excerpt, promptOf } from "../common/format";

type ArtifactType = Generation["artifactType"];

/** The medium a field wants, from its name (init_image, mask, audio_prompt, first_frame…); null: any. */
export function expectedType(name: string): ArtifactType | null {
  if (/image|mask|frame|photo|picture/i.test(name)) return "image";
  if (/audio|voice|sound|music/i.test(name)) return "audio";
  if (/video|clip/i.test(name)) return "video";
  return null;
}

export function typeOfFile(file: File): ArtifactType | null {
  const major = file.type.split("/")[0];
  return major === "image" || major === "audio" || major === "video" || major === "text" ? major : null;
}

interface Props {
  boardId: string;
  name: string;
  label: string;
  list: boolean;
  /** The medium the schema asks for; null: guessed from the field's name. */
  type?: string | null;
  value: unknown;
  set: (value: unknown) => void;
  gallery: Generation[];
}

export function MediaInput(props: Props) {
  const want = (props.type as ArtifactType | null | undefined) ?? expectedType(props.name);
  const ids = (Array.isArray(props.value) ? props.value : props.value ? [props.value] : []) as string[];
  const [picking, setPicking] = useState(false);
  const upload = useUploadArtifact();
  const fileRef = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const choose = (id: string) => props.set(props.list ? [...ids.filter((x) => x !== id), id] : id);
  const drop = (id: string) => props.set(props.list ? ids.filter((x) => x !== id) : undefined);
  const send = async (file: File | undefined) => {
    if (!file) return;
    const type = typeOfFile(file);
    if (!type || (want && type !== want)) {
      upload.reset();
      return;
    }
    const created = await upload.mutateAsync({ boardId: props.boardId, artifactType: type, file }).catch(() => null);
    if (created) choose(created.id);
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    void send(event.dataTransfer.files[0]);
  };
  const candidates = props.gallery.filter((g) => g.status === "completed" && (!want || g.artifactType === want));
  return (
    <fieldset className="media-input">
      <legend>{props.label}</legend>
      <div className="chosen">
        {ids.map((id) => (
          <Chosen key={id} generation={props.gallery.find((g) => g.id === id)} onRemove={() => drop(id)} />
        ))}
      </div>
      <div
        className={dragging ? "dropzone over" : "dropzone"}
        onDragOver={(e) => (e.preventDefault(), setDragging(true))}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid={`drop-${props.name}`}
      >
        <span className="small">Drop {want ? `an ${want}` : "a file"} here, or</span>
        <button type="button" className="secondary small" onClick={() => setPicking(true)}>Choose from board</button>
        <button type="button" className="secondary small" onClick={() => fileRef.current?.click()}>Upload</button>
        <input
          ref={fileRef}
          type="file"
          hidden
          aria-label={`Upload a file for ${props.label}`}
          accept={want ? `${want}/*` : undefined}
          onChange={(e) => void send(e.target.files?.[0])}
        />
      </div>
      {upload.isPending && <progress max={1} value={upload.progress?.fraction ?? 0} aria-label="Upload progress" />}
      <ErrorText error={upload.error} />
      <Dialog label={`Choose ${props.label}`} open={picking} onClose={() => setPicking(false)} className="wide">
        <h2>Choose {props.label.toLowerCase()}</h2>
        {candidates.length === 0 && <p className="muted">Nothing on this board fits yet: upload a file instead.</p>}
        <ul className="pick-grid">
          {candidates.map((g) => (
            <li key={g.id}>
              <button type="button" aria-label={`Use ${excerpt(promptOf(g.inputParams) || g.generatorName, 50)}`} onClick={() => (choose(g.id), setPicking(false))}>
                <Thumb generation={g} />
              </button>
            </li>
          ))}
        </ul>
        <div className="row end">
          <button type="button" className="secondary" onClick={() => setPicking(false)}>Close</button>
        </div>
      </Dialog>
    </fieldset>
  );
}

function Chosen(props: { generation: Generation | undefined; onRemove: () => void }) {
  const g = props.generation;
  const name = g ? excerpt(promptOf(g.inputParams) || g.generatorName, 40) : "an earlier item";
  return (
    <span className="chip">
      {g && <Thumb generation={g} />}
      <span className="small">{name}</span>
      <button type="button" className="link" aria-label={`Remove ${name}`} onClick={props.onRemove}>×</button>
    </span>
  );
}

function Thumb({ generation: g }: { generation: Generation }) {
  const src = g.thumbnailUrl ?? (g.artifactType === "image" ? g.storageUrl : null);
  return src ? <img src={src} alt="" /> : <span className="type-icon">{g.artifactType}</span>;
}
