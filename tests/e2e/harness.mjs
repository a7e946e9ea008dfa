// A minimal test harness for the end-to-end tests and the fault matrix's browser rows: one browser
// (`browser.mjs`) for the run, named tests or numbered rows, screenshots kept, and one
// "N passed, M failed" line.

import { mkdirSync, readFileSync } from "node:fs";
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

const tests = [];
export function test(name, body) {
  tests.push({ name, body });
}

const rows = [];
/** Registers row `number` of the fault matrix (README "Reliability"). `body(context)` returns the
 * row's figure (how long recovery took, what was kept), printed on the row's line. Rows with the
 * same `together` label run at the same time (rows that mostly wait). */
export function row(number, name, body, { together } = {}) {
  rows.push({ number, name, body, together });
}

/** Runs `batches` in order (the entries of a batch at the same time; only entries whose name
 * contains `E2E_FILTER`, when set) in one browser, printing `line(entry, outcome, ms)` for each
 * in batch order, then the count line under `label`; exits non-zero on failure. */
async function runAll(batches, label, line) {
  let passed = 0;
  let failed = 0;
  const context = await launch();
  const filter = process.env.E2E_FILTER ?? "";
  for (const batch of batches) {
    const outcomes = await Promise.all(batch.filter((e) => e.name.includes(filter)).map(async (entry) => {
      const started = Date.now();
      try {
        return [entry, { figure: await entry.body(context) }, Date.now() - started];
      } catch (error) {
        return [entry, { error }, Date.now() - started];
      }
    }));
    for (const [entry, outcome, ms] of outcomes) {
      if (outcome.error === undefined) passed += 1;
      else failed += 1;
      console.log(line(entry, outcome, ms));
    }
  }
  await context.close();
  console.log(`${label}: ${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

const indented = (error) => String(error.stack ?? error).split("\n").join("\n     ");

/** Runs the registered tests, one after another, and prints the count line. */
export const run = () =>
  runAll(tests.map((entry) => [entry]), "e2e", ({ name }, { error }, ms) =>
    error === undefined ? `ok   ${name} (${ms} ms)` : `FAIL ${name}\n     ${indented(error)}`);

/** Runs the registered fault rows in number order (a `together` group at its first row's
 * place), one line each: `row N | pass | name | figure` or `row N | FAIL | name | error`, the
 * stack below a failure. */
export function runRows() {
  const batches = [];
  for (const entry of [...rows].sort((a, b) => a.number - b.number)) {
    const group = entry.together && batches.find((batch) => batch[0].together === entry.together);
    if (group) group.push(entry);
    else batches.push([entry]);
  }
  return runAll(batches, "faults", ({ number, name }, { figure, error }, ms) =>
    error === undefined
      ? `row ${number} | pass | ${name} | ${figure ?? ""} (${(ms / 1000).toFixed(0)} s)`
      : `row ${number} | FAIL | ${name} | ${String(error.message ?? error).split("\n")[0]}\n     ${indented(error)}`);
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
