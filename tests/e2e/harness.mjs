// A minimal test harness for the end-to-end tests: one browser (`browser.mjs`) for the run, named
// tests, screenshots kept, and one "N passed, M failed" line.

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

/** Runs the registered tests in order (only those whose name contains `E2E_FILTER`, when set)
 * and prints the count line; exits non-zero on failure. */
export async function run() {
  let passed = 0;
  let failed = 0;
  const context = await launch();
  const filter = process.env.E2E_FILTER ?? "";
  for (const { name, body } of tests.filter((t) => t.name.includes(filter))) {
    const started = Date.now();
    try {
      await body(context);
      passed += 1;
      console.log(`ok   ${name} (${Date.now() - started} ms)`);
    } catch (error) {
      failed += 1;
      console.log(`FAIL ${name}\n     ${String(error.stack ?? error).split("\n").join("\n     ")}`);
    }
  }
  await context.close();
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
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
