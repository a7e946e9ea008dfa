// What the end-to-end tests and the fault matrix's browser rows share: one browser (`browser.mjs`)
// for the run, pages that record their errors, screenshots kept. The tests are node:test tests
// (`run.mjs`, run with `node --test` and `reporter.mjs`); the fault rows are node:test tests too,
// numbered, run in batches that wait together, each printing its `row N | pass | …` line with its
// recovery figure (`faults/run.mjs`).

import { mkdirSync, readFileSync } from "node:fs";
import { after, before, describe, test as nodeTest } from "node:test";
import { launch } from "./browser.mjs";

export const baseUrl = process.env.TAOSCOPE_URL ?? "http://127.0.0.1:8080";
export const screenshotDir = process.env.SCREENSHOT_DIR ?? "screenshots";
mkdirSync(screenshotDir, { recursive: true });

export { launch };

/** Opens a page that records uncaught errors and dialogs, so tests can assert none happened. */
export async function openPage(context, path, options = {}) {
  const page = await context.newPage();
  page.errors = [];
  page.dialogs = [];
  page.on("pageerror", (error) => page.errors.push(String(error)));
  page.on("dialog", async (dialog) => {
    page.dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  if (options.colorScheme) await page.emulateMedia({ colorScheme: options.colorScheme });
  if (options.width) await page.setViewportSize({ width: options.width, height: options.height ?? 900 });
  await page.goto(baseUrl + path);
  return page;
}

export function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** The browser context every test and row of the run shares (set by the root `before` hook). */
let shared;

/** Registers, once and at the root, the hooks that launch the run's browser and close it. */
function shareOneBrowser() {
  if (shared !== undefined) return;
  shared = null;
  before(async () => {
    shared = await launch();
  });
  after(async () => {
    await shared?.close();
  });
}

/** Registers the end-to-end test `name`: node:test runs them in order, each `body(context)`
 * with the run's one browser context. */
export function test(name, body) {
  shareOneBrowser();
  nodeTest(name, () => body(shared));
}

const rows = [];
/** Registers row `number` of the fault matrix (README "Reliability"). `body(context)` returns the
 * row's figure (how long recovery took, what was kept), printed on the row's line. Rows with the
 * same `together` label run at the same time (rows that mostly wait). */
export function row(number, name, body, { together } = {}) {
  rows.push({ number, name, body, together });
}

const indented = (error) => String(error.stack ?? error).split("\n").join("\n     ");

/** Hands the registered fault rows to node:test in number order, a `together` group as one
 * suite at its first row's place whose rows run at the same time. Each row is the test
 * `row N: name` and prints `row N | pass | name | figure (T s)` or `row N | FAIL | name | error`
 * with the stack below, the lines `cargo xtask test` reads the matrix from. */
export function testRows() {
  shareOneBrowser();
  const batches = [];
  for (const entry of [...rows].sort((a, b) => a.number - b.number)) {
    const group = entry.together && batches.find((batch) => batch[0].together === entry.together);
    if (group) group.push(entry);
    else batches.push([entry]);
  }
  for (const batch of batches) {
    if (batch.length === 1) {
      rowTest(batch[0]);
    } else {
      const numbers = batch.map(({ number }) => number).join(", ");
      describe(`rows ${numbers}: ${batch[0].together}`, { concurrency: true }, () => batch.forEach(rowTest));
    }
  }
}

function rowTest({ number, name, body }) {
  test(`row ${number}: ${name}`, async (context) => {
    const started = Date.now();
    try {
      const figure = await body(context);
      console.log(`row ${number} | pass | ${name} | ${figure ?? ""} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    } catch (error) {
      console.log(`row ${number} | FAIL | ${name} | ${String(error.message ?? error).split("\n")[0]}\n     ${indented(error)}`);
      throw error;
    }
  });
}

/** Waits for the provenance line and returns the block hash it names (from its title). */
export async function verifiedBlock(page) {
  const provenance = page.locator(".provenance.verified").first();
  await provenance.waitFor({ timeout: 180_000 });
  const text = await provenance.textContent();
  assert(text.includes("Verified by light client"), `provenance says ${text}`);
  return provenance.getAttribute("title");
}

/** Clicks the JSON export of the `index`-th table toolbar in `within` (the whole page by
 * default) and parses the downloaded file. */
export async function exportJson(page, index = 0, within = page) {
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    within.locator(".table-toolbar .export").nth(index).getByRole("button", { name: "JSON" }).click(),
  ]);
  const file = JSON.parse(readFileSync(await download.path(), "utf8"));
  return { file, name: download.suggestedFilename() };
}
