/** Small formatting helpers shared by cards, the lightbox and lists. */

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 31_536_000], ["month", 2_592_000], ["week", 604_800], ["day", 86_400], ["hour", 3_600], ["minute", 60],
];
const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

/** "3 minutes ago", "yesterday"; "just now" under a minute. */
export function timeAgo(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return "";
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return "just now";
}

/** The prompt (or first text input) of a generation, cut at a word boundary. */
export function promptOf(inputs: unknown): string {
  if (!inputs || typeof inputs !== "object") return "";
  const record = inputs as Record<string, unknown>;
  if (typeof record.original_filename === "string" && (record.source === "file" || record.source === "url")) {
    return (typeof record.user_description === "string" && record.user_description) || record.original_filename; // an upload
  }
  const value = record.prompt ?? record.text ?? Object.values(record).find((v) => typeof v === "string");
  return typeof value === "string" ? value : "";
}

export function excerpt(text: string, max = 80): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** Seconds between two timestamps, "1.2 s" / "2 min 5 s"; "" when either is missing. */
export function duration(from: string | null | undefined, to: string | null | undefined): string {
  if (!from || !to) return "";
  const seconds = Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000);
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

export function displayName(user: { displayName?: string | null; email?: string | null } | null | undefined): string {
  return user?.displayName || user?.email || "someone";
}

export function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}
