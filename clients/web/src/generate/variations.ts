/** "Generate N variations": N requests with the same inputs, each with its own seed when the generator has one. */

export function variationInputs(
  inputs: Record<string, unknown>,
  count: number,
  hasSeed: boolean,
  random: () => number = Math.random,
): Record<string, unknown>[] {
  const n = Math.max(1, Math.min(8, Math.floor(count)));
  if (n === 1 || !hasSeed) return Array.from({ length: n }, () => ({ ...inputs }));
  const base = typeof inputs.seed === "number" ? inputs.seed : Math.floor(random() * 1_000_000_000);
  return Array.from({ length: n }, (_, i) => ({ ...inputs, seed: (base + i) % 2_147_483_647 }));
}

export interface BatchInputs {
  boardId: string;
  generatorName: string;
  inputParams: Record<string, unknown>;
}

/**
 * The batch request for N > 1 variations (null for one): distinct seeds when the generator takes a seed, else
 * N copies. The idempotency key makes a retried submit create the batch once.
 */
export function batchRequest(
  request: BatchInputs,
  count: number,
  hasSeed: boolean,
  random: () => number = Math.random,
  key: () => string = () => globalThis.crypto.randomUUID(),
): (BatchInputs & { count?: number; seeds?: number[]; idempotencyKey: string }) | null {
  const variations = variationInputs(request.inputParams, count, hasSeed, random);
  if (variations.length < 2) return null;
  const { seed: _seed, ...inputParams } = request.inputParams;
  if (hasSeed) {
    return { ...request, inputParams, seeds: variations.map((v) => v.seed as number), idempotencyKey: key() };
  }
  return { ...request, count: variations.length, idempotencyKey: key() };
}
