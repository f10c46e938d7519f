// The whole flow a person goes through, in headless Chromium against a local-accounts server with a worker:
// sign up → (verify, when the server advertises it) → log out / log in → create board → generate 2 variations (one
// batch, stacked as one card, opened) →
// watch live progress → a failure with Retry → open the detail → ←/→/Esc → like, tag → "Use these settings" with
// an image picked from the board → lineage → make public, invite a second user → change password → the second
// user signs up and sees the board → feed → explore → search (generations by keyboard: facet, saved view
// saved, applied, deleted; boards; people) → the same screens at 375 px. One screenshot per
// screen, axe-core on each (no serious/critical violation), no console errors. Prints one JSON line.
// Env: ATELIER_URL (required), E2E_DIR (screenshots; default e2e-output/flow), E2E_OUTBOX (verification mails).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { axe, launch, screens, watch } from "./lib.mjs";
import * as steps from "./steps.mjs";

const url = process.env.ATELIER_URL;
if (!url) throw new Error("set ATELIER_URL to a running Atelier server (ATELIER_AUTH=local, with a worker)");
const shots = screens(resolve(process.env.E2E_DIR ?? "e2e-output/flow"));
const config = await (await fetch(`${url}/api/v1/auth/config`)).json();
if (!config.localAccounts) throw new Error(`the flow needs local accounts; the server says ${JSON.stringify(config)}`);

/** Quoted-printable soft breaks and escapes undone (a long link may be wrapped in an .eml file). */
const unfold = (text) => text.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));

/**
 * The verification link mailed to `address`, read from the server's file outbox (E2E_OUTBOX), or null when the
 * server mails none: waits `wait` ms for it (mail goes out from a job, after the sign-up commits).
 */
async function mailedLink(address, wait) {
  const dir = process.env.E2E_OUTBOX;
  const deadline = Date.now() + wait;
  while (dir) {
    const files = existsSync(dir) ? readdirSync(dir).map((f) => join(dir, f)) : [];
    for (const file of files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)) {
      const text = unfold(readFileSync(file, "utf8"));
      const link = text.includes(address) ? text.match(/https?:\/\/\S+\/verify-email\?token=[\w-]+/) : null;
      if (link) return link[0];
    }
    if (Date.now() > deadline) return null;
    await new Promise((done) => setTimeout(done, 250));
  }
  return null;
}

/** Follows a verification link as the person would (the page posts its token), then back to the app. */
async function verifyByMail(page, address, check) {
  const outbox = process.env.E2E_OUTBOX;
  const wait = config.emailVerification || (outbox && existsSync(outbox)) ? 20_000 : outbox ? 5_000 : 0;
  const link = await mailedLink(address, wait);
  if (!link) return false;
  await page.goto(link.replace(/^https?:\/\/[^/]+/, url));
  await page.getByRole("heading", { name: "Your e-mail address is verified" }).waitFor();
  if (check) await check();
  await page.getByRole("link", { name: "Continue to Atelier" }).click();
  return true;
}

const started = performance.now();
const stamp = Date.now().toString(36);
const ann = { name: "Ann", email: `ann-${stamp}@example.test`, password: "correct horse 42" };
const bob = { name: "Bob", email: `bob-${stamp}@example.test`, password: "battery staple 7" };
const title = `Lighthouses ${stamp}`;
const problems = [];
const summary = { verify: "skipped: the server mailed no verification link", axeViolations: 0 };
const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  watch(page, problems);
  page.setDefaultTimeout(20_000);
  const check = async (name, description, options) => {
    summary.axeViolations += await axe(page, name, problems);
    await shots.shoot(page, name, description, options);
  };

  await page.goto(url);
  await steps.signUp(page, ann, async () => check("sign-up", "Sign-up form (local accounts)"));
  await page.getByRole("heading", { name: "Your boards" }).waitFor();
  if (await verifyByMail(page, ann.email, () => check("verified", "The mailed verification link, opened: address verified"))) {
    summary.verify = "done: followed the link mailed to the outbox";
  }
  await steps.logOutAndIn(page, ann, async () => check("log-in", "Log-in form"));
  await page.getByRole("heading", { name: "Your boards" }).waitFor();
  await check("boards-empty", "A new user's boards page: empty state and New board");

  await steps.createBoard(page, title, "Studies of light on the coast");
  await steps.generate(page, "local-image", { Prompt: "a lighthouse at dusk, long exposure" }, 2);
  await steps.openBatch(
    page,
    2,
    async () => check("board-generated", "Board with the generator panel; two variations made as one batch, stacked as one card"),
    async () => check("batch-open", "The stack opened: the batch's two variations, with a chip back to all"),
  );

  summary.progress = await steps.watchProgress(page);
  await check("live-progress", "A running generation's card: phase, progress bar and message, live");
  await steps.failAndRetry(page);
  await check("failed-state", "A failed generation: the error and a Retry button");

  await steps.openDetail(page);
  await check("detail", "Detail lightbox: full-size image, like, tags, run/inputs/output, lineage");
  await steps.keyboard(page);
  await steps.likeAndTag(page, "sunset");
  await check("detail-liked-tagged", "Detail after Like and adding the tag 'sunset'");
  await steps.remix(page, "a lighthouse at dusk, remixed in teal");
  await check("remix-form", "'Use these settings' filled the form; the init image was picked from the board");
  await steps.submitAndOpenNewest(page);
  await page.getByRole("group", { name: "Lineage graph" }).waitFor();
  await check("lineage", "The remix's detail: its lineage graph shows the image it was made from");
  await steps.followLineage(page);

  await steps.makePublic(page);
  await steps.invite(page, bob.email, async () => check("members", "Members panel: owner, invite by e-mail, pending invitation"));
  await steps.changePassword(page, ann.password, "new correct horse 43", async () => check("account", "Account page: password changed"));

  await steps.logOut(page);
  await page.goto(url);
  await steps.signUp(page, bob, null);
  await page.getByRole("heading", { name: "Your boards" }).waitFor();
  await verifyByMail(page, bob.email, null); // where invitations wait for a verified address
  await page.getByRole("link", { name: new RegExp(title) }).waitFor();
  await check("invited-user-boards", "The invited user (Bob) sees the shared board with cover and counts");
  await page.getByRole("link", { name: new RegExp(title) }).click();
  await page.getByRole("heading", { name: title, level: 1 }).waitFor();
  await page.getByText(/editor ·/).waitFor();

  await page.getByRole("link", { name: "Feed" }).click();
  await page.getByRole("list", { name: "Feed" }).getByRole("link").first().waitFor();
  await check("feed", "Public feed: the public board's work, newest first");
  await page.getByRole("link", { name: "Explore" }).click();
  await page.getByRole("list", { name: "Public boards" }).getByRole("link", { name: new RegExp(title) }).waitFor();
  await check("explore", "Public boards");
  await page.getByRole("searchbox", { name: "Search" }).fill("Lighthouses");
  await page.getByRole("searchbox", { name: "Search" }).press("Enter");
  await page.getByRole("region", { name: "Boards found" }).getByRole("link", { name: title }).waitFor();
  await page.getByRole("region", { name: "People found" }).waitFor();
  await check("search", "Search: generations (facets, saved views), boards and people");
  await steps.searchGenerations(page, "lighthouse", "Lighthouse images", async () =>
    check("search-generations", "Generation search: highlighted matches, the image facet ticked, a saved view"));
  await steps.searchBoard(page, title, async () =>
    check("search-board", "'Search this board': the search limited to one board, a view shared with its readers"));

  await page.setViewportSize({ width: 375, height: 812 });
  await page.getByRole("link", { name: "Boards" }).click();
  await page.getByRole("link", { name: new RegExp(title) }).click();
  await page.locator('article[data-status="completed"]').first().waitFor();
  await check("mobile-board", "The board at 375 px: the panel above the gallery", { fullPage: true });
  await steps.openDetail(page);
  await check("mobile-detail", "The detail view at 375 px");
  await page.keyboard.press("Escape");
  await page.getByRole("link", { name: "Search", exact: true }).click();
  await page.getByRole("list", { name: "Generation results" }).getByRole("link").first().waitFor();
  await check("mobile-search", "Generation search at 375 px: results first, filters folded behind a button", { fullPage: true });
  await page.getByRole("button", { name: /^Filters and saved views/ }).click();
  await page.getByRole("group", { name: "Search filters" }).waitFor();
  await check("mobile-search-filters", "Generation search at 375 px with its filters unfolded");

  summary.seconds = Number(((performance.now() - started) / 1000).toFixed(1));
  if (problems.length) throw new Error(`the page reported problems:\n${problems.join("\n")}`);
  console.log(JSON.stringify({ ok: true, ...summary, screenshots: shots.taken }));
} catch (error) {
  const page = browser.contexts()[0]?.pages()[0];
  if (page) await shots.shoot(page, "failure", "Where the flow stopped", { fullPage: true }).catch(() => undefined);
  if (problems.length) console.error(problems.join("\n"));
  throw error;
} finally {
  await browser.close();
}
