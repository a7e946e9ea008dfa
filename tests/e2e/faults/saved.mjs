// Fault rows about what this browser keeps: a tampered and a foreign saved light-client state in
// the chain service's IndexedDB (refused by name on the page, which starts without it and keeps
// the watchlist), and the site's storage full (a star the chain worker cannot save says why; the
// data keeps coming; room again lets it save).

import { assert, baseUrl, launch, row, screenshotDir } from "../harness.mjs";
import { appOrigin } from "../servers.mjs";

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** A fresh browser on a fresh origin, its console warnings collected. */
async function freshPage() {
  const app = await appOrigin();
  const context = await launch();
  const page = await context.newPage();
  page.errors = [];
  page.warnings = [];
  page.on("pageerror", (error) => page.errors.push(String(error)));
  page.on("console", (message) => {
    if (message.type() === "warning") page.warnings.push(message.text());
  });
  const close = async () => {
    await context.close();
    app.server.close();
  };
  return { app, page, close };
}

/** Opens this origin's saved state (the chain service's IndexedDB store `kv`) in the page and
 * runs `action` ("find": the saved light-client state's key and text; "put": write `arg`). */
const savedStateIn = (page, action, arg) => page.evaluate(async ([action, arg]) => {
  const db = await new Promise((resolve, reject) => {
    const opened = indexedDB.open("taoscope");
    opened.onsuccess = () => resolve(opened.result);
    opened.onerror = () => reject(opened.error);
  });
  const store = db.transaction("kv", "readwrite").objectStore("kv");
  const settle = (request) => new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  let result = null;
  if (action === "find") {
    const key = (await settle(store.getAllKeys())).find((k) => k.startsWith("db."));
    result = key ? { key, text: await settle(store.get(key)) } : null;
  } else {
    await settle(store.put(arg.text, arg.key));
  }
  db.close();
  return result;
}, [action, arg]);

/** The key and text of the light-client state the chain service saved, once it has saved one. */
async function savedState(page) {
  for (let tries = 0; tries < 120; tries += 1) {
    const found = await savedStateIn(page, "find");
    if (found) return found;
    await page.waitForTimeout(1_000);
  }
  throw new Error("the chain service saved no state in 120 s");
}

row(7, "a tampered and a foreign saved light-client state", async () => {
  const { app, page, close } = await freshPage();
  await page.goto(`${app.url}/subnets/1`);
  await page.locator(".provenance.verified").first().waitFor({ timeout: 180_000 });
  await page.getByRole("button", { name: "Watch subnet 1" }).click();
  // The star shows once the worker has saved it; closing the page earlier may end the worker first.
  await page.getByRole("button", { name: "Stop watching subnet 1" }).waitFor({ timeout: 10_000 });
  const { key, text } = await savedState(page);
  const saved = JSON.parse(text);
  // Another chain's state in this chain's slot: the finney checkpoint the site serves.
  const finney = await (await fetch(`${baseUrl}/chain-specs/finney.checkpoint.json`)).text();
  const context = page.context();
  await page.close();
  const figures = [];
  let shown = null;
  for (const [kind, bad] of [
    ["tampered", text.slice(0, Math.floor(text.length / 2))],
    ["foreign (finney's)", JSON.stringify({ ...saved, database: finney, spec_digest: null })],
  ]) {
    // Written from a page of the origin that runs no app (so no worker saves over it meanwhile).
    const writer = await context.newPage();
    await writer.goto(`${app.url}/chain-specs/index.json`);
    await savedStateIn(writer, "put", { key, text: bad });
    await writer.close();
    shown = await context.newPage();
    shown.errors = [];
    shown.on("pageerror", (error) => shown.errors.push(String(error)));
    const reloaded = Date.now();
    await shown.goto(`${app.url}/subnets/1`);
    await shown.locator(".provenance.verified").first().waitFor({ timeout: 180_000 });
    const notice = shown.locator(".saved-state-notice", { hasText: "starting without the saved state" });
    await notice.waitFor({ timeout: 10_000 });
    const why = (await notice.textContent()).replace(/^.*starting without the saved state: /, "").slice(0, 90);
    figures.push(`${kind} refused ("${why}"), verified ${seconds(Date.now() - reloaded)} after reload`);
    const star = shown.getByRole("button", { name: "Stop watching subnet 1" });
    assert(await star.isVisible(), `${kind}: the watchlist lost subnet 1`);
    assert(shown.errors.length === 0, `page errors: ${shown.errors}`);
    if (kind === "tampered") await shown.close();
  }
  await shown.screenshot({ path: `${screenshotDir}/fault-saved-state-refused-1280-light.png` });
  await close();
  return `${figures.join("; ")}; the watchlist kept`;
});

row(13, "the site's storage full", async () => {
  const { app, page, close } = await freshPage();
  await page.goto(`${app.url}/subnets/1`);
  await page.locator(".provenance.verified").first().waitFor({ timeout: 180_000 });
  // Once the worker has saved the light-client state, a quota below what the site keeps: every
  // write of the chain worker is refused.
  await savedState(page);
  const cdp = await page.context().newCDPSession(page);
  const origin = new URL(app.url).origin;
  const { usage } = await cdp.send("Storage.getUsageAndQuota", { origin });
  await cdp.send("Storage.overrideQuotaForOrigin", { origin, quotaSize: 1024 });
  // The browser lets small writes through until it re-reads the quota (a larger write makes it):
  // the worker's next history point is refused, and the page says so.
  await page.locator(".history-status.paused", { hasText: "storage for this site is full" }).waitFor({ timeout: 60_000 });
  const before = await page.locator(".provenance.verified").first().getAttribute("title");
  await page.getByRole("button", { name: "Watch subnet 1" }).click();
  const refusal = page.getByRole("alert").filter({ hasText: "Not saved" });
  await refusal.waitFor({ timeout: 10_000 });
  const said = await refusal.textContent();
  assert(/storage for this site is full/.test(said), `the refusal says ${said}`);
  assert(await page.getByRole("button", { name: "Watch subnet 1" }).isVisible(), "the star claims it was saved");
  // The data keeps coming while storage is full.
  await page.waitForFunction(
    (before) => document.querySelector(".provenance.verified")?.getAttribute("title") !== before,
    before,
    { timeout: 120_000, polling: 1_000 },
  );
  assert(await refusal.isVisible(), "the refusal left the screen when the data refreshed");
  await page.screenshot({ path: `${screenshotDir}/fault-storage-full-1280-light.png` });
  await cdp.send("Storage.overrideQuotaForOrigin", { origin });
  await page.getByRole("button", { name: "Watch subnet 1" }).click();
  await page.getByRole("button", { name: "Stop watching subnet 1" }).waitFor({ timeout: 10_000 });
  assert(page.errors.length === 0, `page errors: ${page.errors}`);
  await close();
  return `a 1 KB quota under ${(usage / 1e6).toFixed(1)} MB used: the star said "${said.trim()}", data kept refreshing, saved once freed`;
});
