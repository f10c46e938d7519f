// The flow's steps, each as a person does it: by visible labels and roles, never by internal ids.

export async function signUp(page, user, beforeSubmit) {
  await page.getByRole("tab", { name: "I am new here" }).click();
  await page.getByLabel("Display name").fill(user.name);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  if (beforeSubmit) await beforeSubmit();
  await page.getByRole("button", { name: "Sign up" }).click();
}

export async function logOut(page) {
  await page.getByRole("button", { name: "Log out" }).click();
  await page.getByRole("button", { name: "Log in" }).waitFor();
}

export async function logOutAndIn(page, user, beforeSubmit, alreadyOut) {
  if (!alreadyOut) {
    await page.getByRole("heading", { name: "Your boards" }).waitFor();
    await logOut(page);
  }
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await beforeSubmit();
  await page.getByRole("button", { name: "Log in" }).click();
}

export async function createBoard(page, title, description) {
  await page.getByRole("button", { name: "New board" }).click();
  await page.getByLabel("Board title").fill(title);
  await page.getByLabel("Description").fill(description);
  await page.getByRole("button", { name: "Create board" }).click();
  await page.getByRole("heading", { name: title, level: 1 }).waitFor();
}

export async function generate(page, generator, fields, variations = 1) {
  const form = page.getByRole("form", { name: "Generator form" });
  await form.getByLabel("Generator").selectOption(generator);
  for (const [label, value] of Object.entries(fields)) {
    const field = form.getByLabel(label, { exact: false }).first();
    if ((await field.evaluate((el) => el.tagName)) === "SELECT") await field.selectOption(value);
    else await field.fill(value);
  }
  await form.getByLabel("Variations").fill(String(variations));
  await form.getByRole("button", { name: "Generate" }).click();
}

/** A slow atelier-test run: its card shows the phase and message while it runs (read twice, live). */
export async function watchProgress(page) {
  await generate(page, "atelier-test", { "Duration Seconds": "5", Steps: "5", Fail: "never" });
  const card = page.locator('article[data-status="processing"]').first();
  await card.locator("progress").waitFor({ timeout: 30_000 });
  await page.waitForFunction(() => {
    const bar = document.querySelector('article[data-status="processing"] progress');
    return bar && Number(bar.value) > 0;
  }, null, { timeout: 30_000 });
  const seen = (await card.locator(".state").innerText()).replace(/\s+/g, " ");
  return { seen };
}

export async function failAndRetry(page) {
  await generate(page, "atelier-test", { "Duration Seconds": "0.1", Fail: "permanent" });
  const failed = page.locator('article[data-status="failed"]').first();
  await failed.waitFor({ timeout: 30_000 });
  await failed.getByRole("button", { name: "Retry" }).waitFor();
}

export async function openDetail(page) {
  const card = page.locator('article[data-status="completed"]').filter({ has: page.locator("img") }).first();
  await card.getByRole("button", { name: /^Open / }).click();
  const dialog = page.getByRole("dialog");
  await dialog.waitFor();
  await dialog.locator(".stage img").evaluate((img) => img.decode());
}

export async function keyboard(page) {
  const first = await page.evaluate(() => location.hash);
  await page.keyboard.press("ArrowRight");
  await page.waitForFunction((h) => location.hash !== h, first);
  await page.keyboard.press("ArrowLeft");
  await page.waitForFunction((h) => location.hash === h, first);
  await page.keyboard.press("Escape");
  await page.getByRole("dialog").waitFor({ state: "hidden" });
  await openDetail(page);
}

export async function likeAndTag(page, tag) {
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: "Like" }).click();
  await dialog.locator('button[aria-pressed="true"]', { hasText: "Like" }).waitFor();
  await dialog.getByText("1 likes").waitFor();
  await dialog.getByLabel("New tag").fill(tag);
  await dialog.getByRole("button", { name: "Add tag" }).click();
  await dialog.getByRole("list", { name: "Tags" }).getByText(tag).waitFor();
}

export async function remix(page, prompt) {
  await page.getByRole("dialog").getByRole("button", { name: "Use these settings" }).click();
  await page.getByRole("dialog").waitFor({ state: "hidden" });
  const form = page.getByRole("form", { name: "Generator form" });
  await form.getByRole("status").filter({ hasText: "Settings of a local-image generation loaded" }).waitFor();
  await dropFile(page, form.getByTestId("drop-init_image"));
  await form.getByRole("button", { name: /^Remove / }).click(); // the upload landed and was picked; pick another
  await form.getByRole("button", { name: "Choose from board" }).click();
  await page.getByRole("dialog", { name: "Choose Init Image" }).getByRole("button", { name: /^Use / }).first().click();
  await form.getByRole("button", { name: /^Remove / }).waitFor();
  await form.getByLabel("Prompt").fill(prompt);
  await form.getByLabel("Variations").fill("1");
}

export async function submitAndOpenNewest(page) {
  const before = await page.locator('article[data-status="completed"]').count();
  await page.getByRole("form", { name: "Generator form" }).getByRole("button", { name: "Generate" }).click();
  await page.waitForFunction((n) => document.querySelectorAll('article[data-status="completed"]').length > n, before, { timeout: 60_000 });
  await openDetail(page); // newest first: the remix
}

export async function followLineage(page) {
  const dialog = page.getByRole("dialog");
  const hash = await page.evaluate(() => location.hash);
  await dialog.getByRole("group", { name: "Lineage graph" }).getByRole("button", { name: /^Open init_image/ }).click();
  await page.waitForFunction((h) => location.hash !== h, hash);
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "hidden" });
}

export async function makePublic(page) {
  await page.getByRole("button", { name: "Board settings" }).click();
  const dialog = page.getByRole("dialog", { name: "Board settings" });
  await dialog.getByLabel(/^Public/).check();
  await dialog.getByRole("button", { name: "Save" }).click();
  await dialog.waitFor({ state: "hidden" });
  await page.locator(".board-head .badge", { hasText: "Public" }).waitFor();
}

export async function invite(page, email, shoot) {
  await page.getByRole("button", { name: "Members" }).click();
  const dialog = page.getByRole("dialog", { name: "Members" });
  await dialog.getByLabel("Email").fill(email);
  await dialog.getByRole("button", { name: "Invite" }).click();
  await dialog.getByRole("list", { name: "Pending invitations" }).getByText(email).waitFor();
  await shoot();
  await dialog.getByRole("button", { name: "Close" }).click();
}

export async function changePassword(page, current, next, shoot) {
  await page.getByRole("link", { name: "Ann" }).click();
  await page.getByLabel("Current password").fill(current);
  await page.getByLabel("New password").fill(next);
  await page.getByRole("button", { name: "Change password" }).click();
  await page.getByRole("status").filter({ hasText: "Password changed" }).waitFor();
  await shoot();
}

/** Drops a PNG (the board's first image, re-encoded by the browser) on a drop zone, as a person dragging a file. */
export async function dropFile(page, zone) {
  const before = await page.locator('article[data-status="completed"]').count();
  await zone.evaluate(async (element) => {
    const source = document.querySelector('article[data-status="completed"] img');
    const canvas = document.createElement("canvas");
    canvas.width = 64;
    canvas.height = 64;
    canvas.getContext("2d").drawImage(source, 0, 0, 64, 64);
    const blob = await new Promise((done) => canvas.toBlob(done, "image/png"));
    const transfer = new DataTransfer();
    transfer.items.add(new File([blob], "dropped.png", { type: "image/png" }));
    element.dispatchEvent(new DragEvent("dragover", { dataTransfer: transfer, bubbles: true, cancelable: true }));
    element.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
  });
  await page.waitForFunction((n) => document.querySelectorAll('article[data-status="completed"]').length > n, before);
}

/** N variations arrive as one batch: one stacked card ("N variations") that opens into them, then back to all. */
export async function openBatch(page, count, shootStacked, shootOpen) {
  const badge = page.getByRole("button", { name: `${count} variations` });
  await badge.waitFor({ timeout: 60_000 });
  await page.locator('article.stacked[data-status="completed"]').waitFor({ timeout: 60_000 });
  await shootStacked();
  await badge.click();
  await page.getByText("Variations of one batch").waitFor();
  await page.locator('article[data-status="completed"]').nth(count - 1).waitFor({ timeout: 60_000 });
  if ((await page.locator("article").count()) !== count) throw new Error("the opened batch shows more than its variations");
  await shootOpen();
  await page.getByRole("button", { name: "Run batch again" }).click(); // a new batch of the same variations
  // The board now counts twice the items, and only the new batch's variations are shown, all completed.
  await page.waitForFunction((n) => document.querySelector(".board-head").innerText.includes(`${2 * n} items`) &&
    document.querySelectorAll("article").length === n &&
    document.querySelectorAll('article[data-status="completed"]').length === n, count, { timeout: 60_000 });
  await page.getByRole("button", { name: "Show all generations" }).click();
  await page.getByRole("button", { name: `${count} variations` }).nth(1).waitFor(); // two stacks now
}

/**
 * Generation search by keyboard: words, a facet ticked with Space, a day chosen, the view saved with Enter,
 * filters cleared, the view applied again (facet and day come back), then deleted.
 */
export async function searchGenerations(page, words, viewName, shoot) {
  await page.getByRole("searchbox", { name: "Search" }).fill(words);
  await page.getByRole("searchbox", { name: "Search" }).press("Enter");
  const results = page.getByRole("list", { name: "Generation results" });
  await results.getByRole("link").first().waitFor();
  await results.locator("mark").first().waitFor(); // the matched words are highlighted
  const filters = page.getByRole("group", { name: "Search filters" });
  const image = filters.getByRole("checkbox", { name: /^image/ });
  await image.focus();
  await page.keyboard.press("Space");
  await page.waitForFunction(() => document.querySelectorAll('[aria-label="Generation results"] li').length > 0);
  const day = filters.getByLabel("Day");
  await day.locator("option").nth(1).waitFor({ state: "attached" });
  await day.selectOption({ index: 1 }); // today, the only day the facet counts
  await page.waitForFunction(() => document.querySelectorAll('[aria-label="Generation results"] li').length > 0);
  await page.getByLabel("View name").fill(viewName);
  await page.getByLabel("View name").press("Enter");
  const views = page.getByRole("list", { name: "Your saved views" });
  await views.getByRole("button", { name: viewName, exact: true }).waitFor();
  await shoot();
  await page.getByRole("button", { name: "Clear filters" }).click();
  if (await image.isChecked()) throw new Error("Clear filters left the type facet ticked");
  await views.getByRole("button", { name: viewName, exact: true }).focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelector('[aria-label="Search filters"] input[type="checkbox"]:checked') !== null);
  if (!(await image.isChecked())) throw new Error("applying the saved view did not tick its type facet");
  if (!(await day.inputValue())) throw new Error("applying the saved view did not choose its day");
  await views.getByRole("button", { name: `Delete view ${viewName}` }).click();
  await views.getByRole("button", { name: viewName, exact: true }).waitFor({ state: "detached" });
}

/** From a board, "Search this board": only its generations; a view saved there can be shared with its readers. */
export async function searchBoard(page, title, shoot) {
  await page.getByRole("link", { name: "Boards" }).click();
  await page.getByRole("link", { name: new RegExp(title) }).click();
  await page.getByRole("link", { name: "Search this board" }).click();
  await page.locator(".scope").getByRole("link", { name: title }).waitFor();
  await page.getByRole("list", { name: "Generation results" }).getByRole("link").first().waitFor();
  await page.getByLabel("View name").fill("This board");
  await page.getByLabel("Share with this board's readers").check();
  await page.getByRole("button", { name: "Save view" }).click();
  await page.getByRole("list", { name: "Your saved views" }).getByText("Shared").waitFor();
  await shoot();
}
