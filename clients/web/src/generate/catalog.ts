/** The generator catalog for people: group labels, prices in words, and the picker's filter. */
import type { GeneratorGroup, GeneratorInfo } from "../../../src";

const PROVIDERS: Record<string, string> = { local: "Built-in", fal: "fal", replicate: "Replicate", openai: "OpenAI" };
const PER: Record<string, string> = {
  run: "run", output: "output", second: "second", megapixel: "megapixel", "1k_characters": "1k characters",
};

const TYPE_ORDER = ["image", "video", "audio", "text"];

/** Image, video, audio, text (what people make most first); the server's provider order kept within a type. */
export function ordered(groups: GeneratorGroup[]): GeneratorGroup[] {
  const rank = (g: GeneratorGroup) => {
    const at = TYPE_ORDER.indexOf(g.artifactType);
    return at < 0 ? TYPE_ORDER.length : at; // unknown types last
  };
  return [...groups].sort((a, b) => rank(a) - rank(b));
}

export function providerLabel(provider: string): string {
  return PROVIDERS[provider] ?? provider;
}

export function groupLabel(group: Pick<GeneratorGroup, "artifactType" | "provider">): string {
  const type = group.artifactType.charAt(0).toUpperCase() + group.artifactType.slice(1);
  return `${type} · ${providerLabel(group.provider)}`;
}

/** "0.003 credits per megapixel", or "free" for generators without a price. */
export function priceLabel(generator: GeneratorInfo): string {
  const price = generator.price;
  if (!price || price.amount === 0) return "free";
  return `${price.amount} credits per ${PER[price.per] ?? price.per}`;
}

export function titleOf(generator: GeneratorInfo): string {
  return generator.displayName || generator.name;
}

/**
 * The groups with only the generators whose name, title, task, provider or description hold every word of
 * `text`; empty groups dropped. `keep` (the chosen generator) stays listed, so the select never loses its value.
 */
export function groupsMatching(groups: GeneratorGroup[], text: string, keep?: string): GeneratorGroup[] {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return groups;
  const matches = (g: GeneratorInfo) => {
    const hay = [g.name, g.displayName, g.task, g.provider, providerLabel(g.provider ?? "local"), g.artifactType, g.description]
      .filter(Boolean)
      .join(" ")
      .toLowerCase();
    return g.name === keep || words.every((word) => hay.includes(word));
  };
  return groups
    .map((group) => ({ ...group, generators: group.generators.filter(matches) }))
    .filter((group) => group.generators.length > 0);
}
