// End-to-end: the page in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core; no browser
// download): create a board → run local-image → the image appears and loads; then local-audio and local-video
// play in the page's players. Saves a screenshot.
// Env: ATELIER_URL (required), CHROMIUM (default /usr/bin/chromium), E2E_SCREENSHOT (default e2e-output/board.png).
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { chromium } from "playwright-core";

const url = process.env.ATELIER_URL;
if (!url) throw new Error("set ATELIER_URL to a running Atelier server");
const screenshot = resolve(process.env.E2E_SCREENSHOT ?? "e2e-output/board.png");
const started = performance.now();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ], // playwright gives it a new empty profile (--user-data-dir) of its own
});
const problems = [];
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
  page.on("response", (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()} ${r.url()}`));
  page.setDefaultTimeout(20_000);

  await page.goto(url);
  await page.getByRole("heading", { name: "Atelier" }).waitFor();
  const title = `E2E board ${Date.now()}`;
  await page.getByPlaceholder("New board title").fill(title);
  await page.getByRole("button", { name: "Create board" }).click();
  await page.getByRole("heading", { name: title }).waitFor();
  await page.getByRole("button", { name: title }).waitFor(); // listed on the left too

  await page.getByLabel("Generator", { exact: true }).selectOption("local-image");
  await page.locator('input[name="prompt"]').fill("a lighthouse at dusk");
  await page.getByRole("button", { name: "Run local-image" }).click();

  const card = page.locator("article.card").first();
  await card.waitFor();
  const image = card.locator('img[alt="generated image"]');
  await image.waitFor({ timeout: 60_000 });
  await page.waitForFunction((img) => img.complete && img.naturalWidth > 0, await image.elementHandle());
  const status = await card.getAttribute("data-status");
  if (status !== "completed") throw new Error(`card status is ${status}, expected completed`);
  // Signed URLs change when the list refetches, so the element may be reloading: wait for its current src.
  const size = await card
    .locator('img[alt="generated image"]')
    .evaluate(async (img) => (await img.decode(), [img.naturalWidth, img.naturalHeight]));

  // Audio and video play in the page too: their players load the served WAV and MP4.
  const media = {};
  for (const [generator, tag, inputs] of [
    ["local-audio", "audio", { duration_seconds: "1" }],
    ["local-video", "video", { duration_seconds: "1", fps: "8" }],
  ]) {
    await page.getByLabel("Generator", { exact: true }).selectOption(generator);
    await page.locator('input[name="prompt"]').fill(`a ${tag} of the sea`);
    for (const [name, value] of Object.entries(inputs)) await page.locator(`input[name="${name}"]`).fill(value);
    await page.getByRole("button", { name: `Run ${generator}` }).click();
    const player = page.getByRole("article", { name: `Generation ${generator}` }).locator(tag);
    await player.waitFor({ timeout: 60_000 });
    media[tag] = await player.evaluate(async (el) => {
      if (el.readyState < 1) await new Promise((ok, fail) => { el.onloadedmetadata = ok; el.onerror = () => fail(new Error(`${el.tagName} failed to load: ${el.error?.message}`)); });
      return Math.round(el.duration * 10) / 10;
    });
  }

  mkdirSync(dirname(screenshot), { recursive: true });
  await page.screenshot({ path: screenshot, fullPage: true });
  if (problems.length) throw new Error(`the page reported errors:\n${problems.join("\n")}`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(JSON.stringify({ ok: true, seconds: Number(seconds), image: size, durations: media, screenshot }));
} finally {
  await browser.close();
}
