// End-to-end: the page in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core; no browser
// download): create a board → run local-image → the image appears and loads; then local-audio and local-video
// play in the page's players. Saves a screenshot; prints one JSON line (ok, seconds, image size, durations).
// Env: ATELIER_URL (required), CHROMIUM (default /usr/bin/chromium), E2E_SCREENSHOT (default e2e-output/board.png).
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { chromium } from "playwright-core";

const url = process.env.ATELIER_URL;
if (!url) throw new Error("set ATELIER_URL to a running Atelier server");
const screenshot = resolve(process.env.E2E_SCREENSHOT ?? "e2e-output/board.png");
const FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
]; // playwright gives it a new empty profile (--user-data-dir) of its own

async function createBoard(page) {
  await page.goto(url);
  await page.getByRole("heading", { name: "Atelier" }).waitFor();
  const title = `E2E board ${Date.now()}`;
  await page.getByPlaceholder("New board title").fill(title);
  await page.getByRole("button", { name: "Create board" }).click();
  await page.getByRole("heading", { name: title }).waitFor();
  await page.getByRole("button", { name: title }).waitFor(); // listed on the left too
}

async function run(page, generator, prompt, inputs = {}) {
  await page.getByLabel("Generator", { exact: true }).selectOption(generator);
  await page.locator('input[name="prompt"]').fill(prompt);
  for (const [name, value] of Object.entries(inputs)) await page.locator(`input[name="${name}"]`).fill(value);
  await page.getByRole("button", { name: `Run ${generator}` }).click();
  return page.getByRole("article", { name: `Generation ${generator}` });
}

/** The image's natural size once the browser has decoded it. */
async function seeImage(card) {
  const image = card.locator('img[alt="generated image"]');
  await image.waitFor({ timeout: 60_000 });
  const status = await card.getAttribute("data-status");
  if (status !== "completed") throw new Error(`card status is ${status}, expected completed`);
  // Signed URLs change when the list refetches, so the element may be reloading: decode its current src.
  return image.evaluate(async (img) => (await img.decode(), [img.naturalWidth, img.naturalHeight]));
}

/** The media's duration once its player has loaded the served file's metadata. */
async function playerDuration(card, tag) {
  const player = card.locator(tag);
  await player.waitFor({ timeout: 60_000 });
  return player.evaluate(async (el) => {
    if (el.readyState < 1) {
      await new Promise((ok, fail) => {
        el.onloadedmetadata = ok;
        el.onerror = () => fail(new Error(`${el.tagName} failed to load: ${el.error?.message}`));
      });
    }
    return Math.round(el.duration * 10) / 10;
  });
}

const started = performance.now();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: FLAGS });
const problems = [];
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
  page.on("response", (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()} ${r.url()}`));
  page.setDefaultTimeout(20_000);

  await createBoard(page);
  const image = await seeImage(await run(page, "local-image", "a lighthouse at dusk"));
  const durations = {
    audio: await playerDuration(await run(page, "local-audio", "a tune of the sea", { duration_seconds: "1" }), "audio"),
    video: await playerDuration(await run(page, "local-video", "waves", { duration_seconds: "1", fps: "8" }), "video"),
  };

  mkdirSync(dirname(screenshot), { recursive: true });
  await page.screenshot({ path: screenshot, fullPage: true });
  if (problems.length) throw new Error(`the page reported errors:\n${problems.join("\n")}`);
  const seconds = Number(((performance.now() - started) / 1000).toFixed(1));
  console.log(JSON.stringify({ ok: true, seconds, image, durations, screenshot }));
} finally {
  await browser.close();
}
