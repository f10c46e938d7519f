/** Inputs, output metadata, cost and timing of one generation, as definition lists. */
import { type Generation, useEstimateCost, useGenerationBatch, useGenerators } from "../../../src";
import { duration, timeAgo } from "../common/format";

function show(value: unknown): string {
  if (value === null || value === undefined) return "—";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

function Pairs(props: { label: string; data: Record<string, unknown> }) {
  const entries = Object.entries(props.data);
  if (entries.length === 0) return null;
  return (
    <>
      <h3>{props.label}</h3>
      <dl className="pairs">
        {entries.map(([key, value]) => (
          <div key={key}>
            <dt>{key}</dt>
            <dd>{show(value)}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}

export function Details({ generation: g }: { generation: Generation }) {
  const { generators } = useGenerators();
  const known = generators.some((x) => x.name === g.generatorName); // uploads and retired generators: no price
  const batch = useGenerationBatch(g.batchId);
  const cost = useEstimateCost(g.generatorName, g.inputParams as Record<string, unknown>, { enabled: known });
  const timing: Record<string, unknown> = {
    generator: g.generatorName,
    status: g.status,
    created: `${new Date(g.createdAt).toLocaleString()} (${timeAgo(g.createdAt)})`,
  };
  if (g.batchIndex != null) {
    const size = batch.batch?.items.length;
    timing.variation = size ? `${g.batchIndex + 1} of ${size} (one batch)` : `${g.batchIndex + 1}`;
  }
  if (g.startedAt) timing.queued = duration(g.createdAt, g.startedAt);
  if (g.completedAt) timing.ran = duration(g.startedAt ?? g.createdAt, g.completedAt);
  timing.cost = cost.data ? `${cost.data.estimatedCost} credits` : known && !cost.isError ? "…" : "—";
  return (
    <>
      <Pairs label="Run" data={timing} />
      <Pairs label="Inputs" data={(g.inputParams ?? {}) as Record<string, unknown>} />
      <Pairs label="Output" data={(g.outputMetadata ?? {}) as Record<string, unknown>} />
    </>
  );
}
