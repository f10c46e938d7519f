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
