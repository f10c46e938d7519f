/** A generation's tags: chips that remove, and a field that adds (creating the tag when it is new). */
import { type FormEvent, useState } from "react";
import { useGenerationTags, useTags } from "../../../src";
import { ErrorText } from "../common/Dialog";

export function TagEditor(props: { generationId: string; canEdit: boolean }) {
  const { tags, add, remove } = useGenerationTags(props.generationId);
  const all = useTags({ limit: 200 });
  const [name, setName] = useState("");
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const wanted = name.trim();
    if (!wanted) return;
    const existing = all.tags.find((t) => t.name.toLowerCase() === wanted.toLowerCase());
    const tag = existing ?? (await all.create.mutateAsync({ name: wanted }).catch(() => null));
    if (tag) await add.mutateAsync(tag.id).then(() => setName(""), () => undefined);
  };
  return (
    <div className="tags">
      <ul className="chips" aria-label="Tags">
        {tags.length === 0 && <li className="muted small">No tags</li>}
        {tags.map((t) => (
          <li key={t.id} className="chip">
            {t.name}
            {props.canEdit && (
              <button type="button" className="link" aria-label={`Remove tag ${t.name}`} onClick={() => remove.mutate(t.id)}>×</button>
            )}
          </li>
        ))}
      </ul>
      {props.canEdit && (
        <form className="row" onSubmit={submit} aria-label="Add a tag">
          <input aria-label="New tag" list="known-tags" maxLength={100} value={name} onChange={(e) => setName(e.target.value)} placeholder="Add a tag" />
          <datalist id="known-tags">
            {all.tags.map((t) => <option key={t.id} value={t.name} />)}
          </datalist>
          <button type="submit" className="secondary small" disabled={add.isPending}>Add tag</button>
        </form>
      )}
      <ErrorText error={add.error ?? remove.error ?? all.create.error} />
    </div>
  );
}
