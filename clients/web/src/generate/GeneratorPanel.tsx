/** The generator form: pick a generator, fill its inputs (media picked, never typed), run N variations. */
import { type FormEvent, useEffect, useMemo, useState } from "react";
import {
  defaultInputs,
  type Generation,
  inputSchemaOf,
  useCreateBatch,
  useCreateGeneration,
  useEstimateCost,
  useGeneratorGroups,
} from "../../../src";
import { ErrorText } from "../common/Dialog";
import { GeneratorPicker } from "./GeneratorPicker";
import { MediaInput } from "./MediaInput";
import { SchemaForm } from "./SchemaForm";
import { batchRequest } from "./variations";

function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** Settings recalled from a generation ("Use these settings"); `at` makes a second recall of the same one count. */
export interface Recall {
  generatorName: string;
  inputParams: Record<string, unknown>;
  at: number;
}

export function GeneratorPanel(props: { boardId: string; recall: Recall | null; gallery: Generation[] }) {
  const { groups, generators, isLoading } = useGeneratorGroups();
  const [name, setName] = useState("");
  const [values, setValues] = useState<Record<string, unknown>>({});
  const [count, setCount] = useState(1);
  const [notice, setNotice] = useState<string | null>(null);
  // Folded on phones so the gallery is in view; "Use these settings" unfolds it.
  const [open, setOpen] = useState(() => globalThis.matchMedia?.("(min-width: 900px)").matches ?? true);
  const chosen = generators.find((g) => g.name === name) ?? generators.find((g) => g.artifactType === "image") ?? generators[0];
  const schema = useMemo(() => (chosen ? inputSchemaOf(chosen) : null), [chosen]);
  const create = useCreateGeneration();
  const createBatch = useCreateBatch();
  const pending = create.isPending || createBatch.isPending;
  const inputs = useMemo(() => ({ ...(schema ? defaultInputs(schema) : {}), ...values }), [schema, values]);
  const settled = useDebounced(inputs, 500);
  const complete = (schema?.required ?? []).every((field) => settled[field] !== undefined && settled[field] !== "");
  const estimate = useEstimateCost(chosen?.name, settled, { enabled: complete });

  useEffect(() => {
    if (!props.recall) return;
    const { generatorName, inputParams } = props.recall;
    if (!generators.some((g) => g.name === generatorName)) {
      setNotice(`${generatorName} is not available on this server any more.`);
      return;
    }
    setName(generatorName);
    setValues({ ...inputParams });
    setOpen(true);
    setNotice(`Settings of a ${generatorName} generation loaded: change what you like and generate.`);
  }, [props.recall, generators]);

  if (isLoading) return <aside className="panel"><p className="muted">Loading generators…</p></aside>;
  if (!chosen || !schema) return <aside className="panel"><p className="muted">No generators are enabled.</p></aside>;

  const pick = (next: string) => {
    setName(next);
    setNotice(null);
    const generator = generators.find((g) => g.name === next);
    setValues(generator ? defaultInputs(inputSchemaOf(generator)) : {});
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const request = { boardId: props.boardId, generatorName: chosen.name, inputParams: inputs };
    const batch = batchRequest(request, count, "seed" in (schema.properties ?? {}));
    // One variation is a plain generation; more are one batch, stacked as one card in the gallery.
    if (batch) await createBatch.mutateAsync(batch).catch(() => undefined);
    else await create.mutateAsync(request).catch(() => undefined);
  };
  return (
    <aside className="panel generator" aria-label="Generate">
      <div className="row between">
        <h2>Generate</h2>
        <button type="button" className="secondary small fold" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
          {open ? "Hide form" : "Show form"}
        </button>
      </div>
      <form className="stack" onSubmit={submit} aria-label="Generator form" hidden={!open}>
        <GeneratorPicker groups={groups} value={chosen.name} onChange={pick} />
        <p className="muted small">{chosen.description}</p>
        {notice && <p className="notice small" role="status">{notice}</p>}
        <SchemaForm
          schema={schema}
          values={values}
          onChange={setValues}
          renderRef={(field) => <MediaInput {...field} boardId={props.boardId} gallery={props.gallery} />}
        />
        <div className="row">
          <label className="grow">
            Variations
            <input type="number" min={1} max={8} value={count} onChange={(e) => setCount(Number(e.target.value) || 1)} />
          </label>
          <button type="submit" className="grow" disabled={pending}>Generate</button>
        </div>
        {estimate.data && estimate.data.estimatedCost > 0 && (
          <p className="muted small">About {(estimate.data.estimatedCost * count).toFixed(2)} credits</p>
        )}
        <ErrorText error={create.error ?? createBatch.error} />
      </form>
    </aside>
  );
}
