// Fault row 15, a tampered file: the static site (`cargo xtask dist`) behind nginx with the
// snippet it ships, with one byte changed in turn in the app's wasm, the app's JavaScript, the
// chain worker's script and the chain worker's wasm. The sealed loader checks the app's files'
// SHA-384, so the page must fail closed: a message saying so, and none of the app's code run. The
// page checks the sealed worker's script and the worker checks its wasm, so a tampered worker
// starts nothing: the page says why and shows no data. The untampered site, under its strict
// Content-Security-Policy, must report no violation in normal use.

import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assert, launch, row, screenshotDir } from "../harness.mjs";
import { nginx } from "../servers.mjs";

const siteDir = process.env.TAOSCOPE_SITE_DIR;

/** `dir` behind nginx with the site's own snippet. */
const serve = (dir) => nginx((port) => `server {
  listen 127.0.0.1:${port};
  root ${dir};
  include ${join(dir, "nginx-taoscope.conf")};
}`);

/** A copy of the site with one byte of `file` (a name in index.html matching `pattern`, or the
 * name itself) changed, well inside the file so that it still parses: only the integrity check
 * can catch it. */
function tamperedCopy(pattern) {
  const dir = mkdtempSync(join(tmpdir(), "taoscope-tampered-"));
  cpSync(siteDir, dir, { recursive: true });
  const file = typeof pattern === "string" ? pattern : readFileSync(join(dir, "index.html"), "utf8").match(pattern)[1];
  const bytes = readFileSync(join(dir, file));
  const at = Math.floor(bytes.length * 0.9);
  bytes[at] = bytes[at] === 0x20 ? 0x09 : 0x20;
  writeFileSync(join(dir, file), bytes);
  return { dir, file };
}

/** Opens `url` in a fresh browser collecting policy violations; returns the page and its close. */
async function openWatched(url) {
  const context = await launch();
  await context.addInitScript(() => {
    window.violations = [];
    document.addEventListener("securitypolicyviolation", (event) => window.violations.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
  const page = await context.newPage();
  await page.goto(url);
  return { page, close: () => context.close() };
}

row(15, "a tampered wasm or JavaScript byte (the app's or the chain worker's), and the strict CSP in normal use", async () => {
  assert(siteDir, "TAOSCOPE_SITE_DIR names the static site");
  const figures = [];
  for (const [kind, pattern] of [
    ["wasm", /'\/(taoscope-app-[0-9a-f]+_bg\.wasm)'/],
    ["JavaScript", /'\/(taoscope-app-[0-9a-f]+\.js)'/],
  ]) {
    const { dir, file } = tamperedCopy(pattern);
    const site = await serve(dir);
    const { page, close } = await openWatched(`http://127.0.0.1:${site.port}/subnets`);
    const opened = Date.now();
    const message = page.locator(".boot-error[role=alert]");
    await message.waitFor({ timeout: 30_000 });
    const said = await message.textContent();
    assert(/integrity check/.test(said) && /nothing from it was run/.test(said), `the page says ${said}`);
    assert((await page.evaluate(() => window.wasmBindings)) === undefined, `the tampered ${kind} ran`);
    assert((await page.locator("header, .provenance").count()) === 0, "the app rendered");
    await page.screenshot({ path: `${screenshotDir}/fault-tampered-${kind.toLowerCase()}-1280-light.png` });
    figures.push(`tampered ${kind} (${file}) refused in ${((Date.now() - opened) / 1000).toFixed(1)} s`);
    await close();
    await site.stop();
  }
  for (const [kind, pattern] of [
    ["worker script", /"\/(chain-worker-[0-9a-f]{16}\.js)"/],
    ["worker wasm", "taoscope-worker_bg.wasm"],
  ]) {
    const { dir, file } = tamperedCopy(pattern);
    const site = await serve(dir);
    const { page, close } = await openWatched(`http://127.0.0.1:${site.port}/subnets`);
    const opened = Date.now();
    const message = page.getByText(/failed its integrity check/).first();
    await message.waitFor({ timeout: 30_000 });
    const said = await message.textContent();
    const refusedAfter = Date.now() - opened;
    await page.waitForTimeout(3_000);
    assert((await page.locator(".provenance").count()) === 0, `data was shown beside a tampered ${kind}`);
    await page.screenshot({ path: `${screenshotDir}/fault-tampered-${kind.replace(" ", "-")}-1280-light.png` });
    figures.push(`tampered ${kind} (${file}) refused in ${(refusedAfter / 1000).toFixed(1)} s ("${said.trim().slice(0, 90)}…")`);
    await close();
    await site.stop();
  }
  const site = await serve(siteDir);
  const { page, close } = await openWatched(`http://127.0.0.1:${site.port}/subnets/1`);
  await page.locator(".provenance.verified").first().waitFor({ timeout: 180_000 });
  await page.getByRole("link", { name: "Validators" }).first().click();
  await page.locator(".provenance").first().waitFor({ timeout: 120_000 });
  const violations = await page.evaluate(() => window.violations);
  assert(violations.length === 0, `CSP violations in normal use: ${violations}`);
  await close();
  await site.stop();
  return `${figures.join("; ")}; no CSP violation on the intact site`;
});
