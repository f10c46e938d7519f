// End-to-end in `none` auth mode (make run's default): the page in headless Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core; no browser download): create a board → run local-image → open it: the image loads
// full size; then local-audio and local-video play in the detail view's players. Saves a screenshot; prints one
// JSON line (ok, seconds, image size, durations).
// Env: ATELIER_URL (required), CHROMIUM (default /usr/bin/chromium), E2E_SCREENSHOT (default e2e-output/board.png).
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { launch, watch } from "./lib.mjs";
import { createBoard, generate } from "./steps.mjs";

const url = process.env.ATELIER_URL;
if (!url) throw new Error("set ATELIER_URL to a running Atelier server");
const screenshot = resolve(process.env.E2E_SCREENSHOT ?? "e2e-output/board.png");

/** Runs a generator, waits for its card to complete, opens the detail view; returns the dialog. */
async function runAndOpen(page, generator, prompt, inputs = {}) {
  const done = page.locator('article[data-status="completed"]');
  const before = await done.count();
  await generate(page, generator, { Prompt: prompt, ...inputs });
  await page.waitForFunction((n) => document.querySelectorAll('article[data-status="completed"]').length > n, before, { timeout: 60_000 });
  await done.first().getByRole("button", { name: /^Open / }).click(); // newest first
  return page.getByRole("dialog");
}

async function close(page) {
  await page.keyboard.press("Escape");
  await page.getByRole("dialog").waitFor({ state: "hidden" });
}

/** The media's duration once its player has loaded the served file's metadata. */
async function playerDuration(dialog, tag) {
  const player = dialog.locator(tag);
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
const browser = await launch();
const problems = [];
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
  watch(page, problems);
  page.setDefaultTimeout(20_000);
  await page.goto(url);
  await page.getByRole("heading", { name: "Your boards" }).waitFor(); // none mode: no sign-in screen
  await createBoard(page, `E2E board ${Date.now()}`, "none mode");

  let dialog = await runAndOpen(page, "local-image", "a lighthouse at dusk");
  const image = await dialog.locator(".stage img").evaluate(async (img) => (await img.decode(), [img.naturalWidth, img.naturalHeight]));
  await close(page);
  dialog = await runAndOpen(page, "local-audio", "a tune of the sea", { "Duration Seconds": "1" });
  const audio = await playerDuration(dialog, "audio");
  await close(page);
  dialog = await runAndOpen(page, "local-video", "waves", { "Duration Seconds": "1", Fps: "8" });
  const video = await playerDuration(dialog, "video");

  mkdirSync(dirname(screenshot), { recursive: true });
  await page.screenshot({ path: screenshot });
  if (problems.length) throw new Error(`the page reported errors:\n${problems.join("\n")}`);
  const seconds = Number(((performance.now() - started) / 1000).toFixed(1));
  console.log(JSON.stringify({ ok: true, seconds, image, durations: { audio, video }, screenshot }));
} finally {
  await browser.close();
}
