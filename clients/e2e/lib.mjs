// Shared by the browser tests: Debian's chromium through playwright-core (no browser download), problem
// capture (page errors, console errors, HTTP >= 400), axe-core checks and one screenshot per screen.
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
export const AXE = require.resolve("axe-core/axe.min.js");

export const FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
]; // playwright gives it a new empty profile (--user-data-dir) of its own

export async function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: FLAGS });
}

/** Records what a person would call a broken page; `allow` lists URL parts whose 4xx a step expects. */
export function watch(page, problems, allow = []) {
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    const where = m.location()?.url ?? "";
    if (allow.some((part) => where.includes(part) || m.text().includes(part))) return;
    problems.push(`console: ${m.text()} (${where})`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400 && !allow.some((part) => r.url().includes(part))) problems.push(`HTTP ${r.status()} ${r.url()}`);
  });
}

/** axe-core on the page as it is now; serious or critical violations are problems. */
export async function axe(page, screen, problems) {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () => {
    const run = await window.axe.run(document, { resultTypes: ["violations"] });
    return run.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
  });
  const bad = result.filter((v) => v.impact === "serious" || v.impact === "critical");
  for (const v of bad) problems.push(`axe (${screen}): ${v.impact} ${v.id}: ${v.help} at ${v.nodes.join(", ")}`);
  return result.length;
}

export function screens(dir) {
  mkdirSync(dir, { recursive: true });
  const taken = [];
  return {
    taken,
    async shoot(page, name, description, options = {}) {
      const path = join(dir, `${String(taken.length + 1).padStart(2, "0")}-${name}.png`);
      await page.screenshot({ path, fullPage: options.fullPage ?? false });
      taken.push({ path, description });
      return path;
    },
  };
}
