import { type FormEvent, useMemo, useState } from "react";
import { defaultInputs, inputSchemaOf, useCreateGeneration, useGenerators } from "../../src";
import { SchemaForm } from "./SchemaForm";

export function GeneratorPanel(props: { boardId: string }) {
  const { generators, isLoading } = useGenerators();
  const [name, setName] = useState<string>("");
  const chosen = generators.find((g) => g.name === name) ?? generators[0];
  const schema = useMemo(() => (chosen ? inputSchemaOf(chosen) : null), [chosen]);
  const [values, setValues] = useState<Record<string, unknown>>({});
  const create = useCreateGeneration();

  if (isLoading) return <p>Loading generators…</p>;
  if (!chosen || !schema) return <p className="muted">No generators are enabled.</p>;

  // The API lists generators ordered by artifact type, then provider: one option group per pair.
  const groups = new Map<string, typeof generators>();
  for (const g of generators) {
    const key = `${g.artifactType} · ${g.provider ?? "local"}`;
    groups.set(key, [...(groups.get(key) ?? []), g]);
  }
  const pick = (next: string) => {
    setName(next);
    const generator = generators.find((g) => g.name === next);
    setValues(generator ? defaultInputs(inputSchemaOf(generator)) : {});
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ boardId: props.boardId, generatorName: chosen.name, inputParams: { ...defaultInputs(schema), ...values } });
  };

  return (
    <form className="panel" onSubmit={submit} aria-label="Run a generator">
      <h3>Generate</h3>
      <label>
        Generator
        <select value={chosen.name} onChange={(e) => pick(e.target.value)} aria-label="Generator">
          {[...groups].map(([label, members]) => (
            <optgroup key={label} label={label}>
              {members.map((g) => (
                <option key={g.name} value={g.name}>
                  {g.displayName || g.name}
                  {g.price ? ` · ${g.price.amount} / ${g.price.per}` : ""}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </label>
      <p className="muted">{chosen.description}</p>
      {chosen.price && <p className="muted">Price: {chosen.price.summary}</p>}
      <SchemaForm schema={schema} values={values} onChange={setValues} />
      <button type="submit" disabled={create.isPending}>Run {chosen.name}</button>
      {create.error && <p className="error">{create.error.message}</p>}
    </form>
  );
}
