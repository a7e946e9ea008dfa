// Fault rows about a chain that stops moving, or a page that stops looking: every node paused
// (a partition) and resumed, finality stalled with two of three authorities stopped, and the tab
// frozen for minutes (its script paused). Data stays on screen with its age said, finalized never goes backwards,
// and the page catches up once the chain (or the tab) moves again.

import { readFileSync } from "node:fs";
import { assert, launch, openPage, row, screenshotDir } from "../harness.mjs";
import { rpc } from "../chain.mjs";
import { appOrigin } from "../servers.mjs";
import { finalizedPast, finalizedShown } from "./common.mjs";

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** Records, every 500 ms, the finalized number the sync badge names. */
function recordFinalized(page) {
  const seen = [];
  const timer = setInterval(() => {
    finalizedShown(page, ".sync-status").then((shown) => shown && seen.push(shown), () => {});
  }, 500);
  return { seen, stop: () => clearInterval(timer) };
}

/** Stops `recorder` and asserts the finalized numbers it saw never went down; returns them. */
function assertNeverBackwards(recorder) {
  recorder.stop();
  const { seen } = recorder;
  for (let i = 1; i < seen.length; i += 1) {
    assert(seen[i] >= seen[i - 1], `finalized went back from #${seen[i - 1]} to #${seen[i]}`);
  }
  return seen;
}

/** Waits until `selector`'s `data-freshness` is "fresh" (or, with `fresh` false, is not);
 * returns the milliseconds waited. */
async function freshness(page, selector, fresh, timeout) {
  const started = Date.now();
  await page.waitForFunction(
    ([selector, fresh]) => {
      const state = document.querySelector(selector)?.getAttribute("data-freshness");
      return state && (state === "fresh") === fresh;
    },
    [selector, fresh],
    { timeout, polling: 500 },
  );
  return Date.now() - started;
}

row(3, "every node paused (SIGSTOP), then resumed", async (context) => {
  const pid = Number(process.env.DEVNET_NODE_PID);
  assert(pid > 0, "DEVNET_NODE_PID names the devnet node");
  const page = await openPage(context, "/subnets");
  await page.locator(".provenance.verified").waitFor({ timeout: 180_000 });
  const embed = await openPage(context, "/embed/card/subnet/1?theme=dark");
  await embed.locator(".embed-provenance.verified").waitFor({ timeout: 180_000 });
  const recorder = recordFinalized(page);
  const rows = await page.getByRole("table", { name: "Subnets" }).locator("tbody tr").count();
  process.kill(pid, "SIGSTOP");
  let staleMs;
  try {
    staleMs = await freshness(page, ".provenance", false, 180_000);
    await freshness(embed, ".embed-provenance", false, 60_000);
    const notice = await page.locator(".provenance .provenance-notice").textContent();
    assert(/Stale|No peers|Couldn't refresh/.test(notice), `the page says ${notice}`);
    const embedNotice = await embed.locator(".embed-provenance .provenance-notice").textContent();
    assert(/Stale|No peers|Couldn't refresh/.test(embedNotice), `the embed says ${embedNotice}`);
    const kept = await page.getByRole("table", { name: "Subnets" }).locator("tbody tr").count();
    assert(kept === rows, `the table kept its ${rows} rows (now ${kept})`);
    assert((await page.locator(".provenance.verified").count()) === 1, "the kept data lost its verified mark");
    await page.screenshot({ path: `${screenshotDir}/trust-stale-subnets-1280-light.png`, fullPage: true });
    await embed.screenshot({ path: `${screenshotDir}/trust-stale-embed-card-dark.png` });
  } finally {
    process.kill(pid, "SIGCONT");
  }
  const recoveredMs = await freshness(page, ".provenance", true, 180_000);
  await freshness(embed, ".embed-provenance", true, 120_000);
  const seen = assertNeverBackwards(recorder);
  assert(page.errors.length === 0 && embed.errors.length === 0, `page errors ${page.errors} ${embed.errors}`);
  await embed.close();
  await page.close();
  return `stale shown ${seconds(staleMs)} after the pause; fresh ${seconds(recoveredMs)} after resuming; finalized #${seen[0]}→#${seen.at(-1)}, never backwards`;
}, { together: "one devnet each" });

/** The wasm memory and JS heap of `page`, in MB. */
const memory = (page) =>
  page.evaluate(() => ({
    wasm: (window.taoscopeWasm?.memory.buffer.byteLength ?? 0) / 1e6,
    heap: (performance.memory?.usedJSHeapSize ?? 0) / 1e6,
  }));

row(4, "finality stalled: two of three authorities stopped", async () => {
  const spec = readFileSync(process.env.FAULT_DEVNET_SPEC, "utf8");
  const pids = process.env.FAULT_DEVNET_PIDS.split(",").map(Number);
  assert(pids.length === 3 && pids.every((pid) => pid > 0), `three node pids (${process.env.FAULT_DEVNET_PIDS})`);
  const app = await appOrigin({ rewrite: { "/chain-specs/devnet.json": () => spec } });
  const context = await launch();
  await context.addInitScript(() =>
    addEventListener("TrunkApplicationStarted", (event) => { window.taoscopeWasm = event.detail.wasm; }));
  const page = await context.newPage();
  page.errors = [];
  page.on("pageerror", (error) => page.errors.push(String(error)));
  await page.goto(`${app.url}/subnets`);
  await page.locator(".provenance.verified").waitFor({ timeout: 180_000 });
  const recorder = recordFinalized(page);
  const stopped = pids.slice(1);
  for (const pid of stopped) process.kill(pid, "SIGSTOP");
  const figures = [];
  try {
    const since = Date.now();
    const badge = page.locator(".sync-status", { hasText: "Finality stalled since #" });
    await badge.waitFor({ timeout: 180_000 });
    const said = (await badge.textContent()).trim();
    figures.push(`"${said}" ${seconds(Date.now() - since)} after the stop`);
    assert((await page.getByRole("table", { name: "Subnets" }).locator("tbody tr").count()) > 0, "the finalized data was dropped");
    assert((await page.locator(".provenance.verified").count()) === 1, "the finalized data lost its verified mark");
    await page.screenshot({ path: `${screenshotDir}/fault-finality-stalled-1280-light.png` });
    // Memory over two more minutes of stall, sampled every 20 s.
    const samples = [await memory(page)];
    for (let i = 0; i < 6; i += 1) {
      await page.waitForTimeout(20_000);
      samples.push(await memory(page));
    }
    const grew = samples.at(-1).wasm - samples[0].wasm;
    const lastMinute = samples.at(-1).wasm - samples.at(-4).wasm;
    figures.push(`wasm memory ${samples[0].wasm.toFixed(0)}→${samples.at(-1).wasm.toFixed(0)} MB over 2 min (JS heap ${samples[0].heap.toFixed(0)}→${samples.at(-1).heap.toFixed(0)} MB)`);
    assert(samples[0].wasm > 0, "the wasm memory could not be read");
    assert(lastMinute <= 16, `wasm memory still grew ${lastMinute.toFixed(1)} MB in the last minute of the stall (${grew.toFixed(1)} MB in all)`);
  } finally {
    for (const pid of stopped) process.kill(pid, "SIGCONT");
  }
  const resumed = Date.now();
  const stalledAt = Number(figures[0].match(/since #([\d,]+)/)[1].replaceAll(",", ""));
  const port = process.env.FAULT_DEVNET_RPC_PORT;
  const nodeFinalized = async () =>
    Number.parseInt((await rpc("chain_getHeader", [await rpc("chain_getFinalizedHead", [], port)], port)).number, 16);
  // First the chain: the voters back, finality moves on the node.
  while ((await nodeFinalized()) <= stalledAt) {
    assert(Date.now() - resumed < 240_000, `the devnet itself finalized nothing past #${stalledAt} in 240 s after resuming`);
    await page.waitForTimeout(500);
  }
  const nodeMoved = Date.now();
  // Then the page.
  await finalizedPast(page, ".sync-status", stalledAt, 120_000, async () =>
    ` though the node finalized past it ${seconds(Date.now() - nodeMoved)} ago (now #${await nodeFinalized()})`);
  figures.push(`the node finalized past #${stalledAt} ${seconds(nodeMoved - resumed)} after resuming, the page ${seconds(Date.now() - nodeMoved)} later`);
  assertNeverBackwards(recorder);
  assert(page.errors.length === 0, `page errors: ${page.errors}`);
  await context.close();
  app.server.close();
  return figures.join("; ");
}, { together: "waiting" });

row(12, "the tab frozen for two minutes (its script paused), then running again", async (context) => {
  const page = await openPage(context, "/subnets");
  await page.locator(".provenance.verified").waitFor({ timeout: 180_000 });
  const table = page.getByRole("table", { name: "Subnets" });
  const netuids = async () => (await table.locator("tbody tr td:nth-child(1)").allTextContents()).map((t) => t.trim());
  const before = await netuids();
  // A tick every second in the page: a frozen page runs none.
  await page.evaluate(() => {
    window.ticks = 0;
    setInterval(() => { window.ticks += 1; }, 1_000);
  });
  // CDP's lifecycle freeze (Page.setWebLifecycleState) applies to hidden pages only, and a
  // headless page is never hidden: the ticks showed it kept running. Pausing the page's script
  // in the debugger stops it the same way a frozen tab is stopped (no timers, no socket or wasm
  // callbacks; the network keeps queueing), and the ticks check that it did.
  const cdp = await context.newCDPSession(page);
  await cdp.send("Debugger.enable");
  const ticksBefore = await page.evaluate(() => window.ticks);
  await cdp.send("Debugger.pause");
  await new Promise((resolve) => setTimeout(resolve, 120_000));
  await cdp.send("Debugger.resume");
  await cdp.send("Debugger.disable");
  const shown = Date.now();
  const ticked = (await page.evaluate(() => window.ticks)) - ticksBefore;
  assert(ticked < 10, `the page ran ${ticked} one-second ticks in two minutes: it was not frozen`);
  const header = await rpc("chain_getHeader", [await rpc("chain_getFinalizedHead", [])]);
  const target = Number.parseInt(header.number, 16);
  await finalizedPast(page, ".provenance.verified", target - 1, 120_000);
  const caughtUp = Date.now() - shown;
  const after = await netuids();
  assert(new Set(after).size === after.length, `duplicated rows: ${after}`);
  assert(after.length === before.length, `${before.length} rows became ${after.length}`);
  assert(page.errors.length === 0, `page errors: ${page.errors}`);
  await page.close();
  return `frozen (${ticked} ticks in 120 s); caught up to the node's finalized #${target} ${seconds(caughtUp)} after being shown; ${after.length} rows, none twice`;
}, { together: "waiting" });
