// History built in the browser by the chain worker: points recorded across epochs, each equal to
// the chain's raw storage at its block; kept across a reload; "since your last visit" equal to the
// difference of two snapshots read from storage; one point per due block however many tabs are
// open, recorded with no subnets list on screen; a history kept by pages before the worker did
// handed over; history paused, and the page still working, when the browser's storage is full.
// Each test has a fresh browser profile of its own.

import { readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assert, baseUrl, launch, screenshotDir, test } from "./harness.mjs";
import { epochSpacing, poolPrice, keysUnder, rpc, Scale, ss58, storage, subtensorKey, u16Key } from "./chain.mjs";

const blockHash = (number) => rpc("chain_getBlockHash", [number]);

async function open(context, path) {
  const page = await context.newPage();
  page.errors = [];
  page.on("pageerror", (error) => page.errors.push(String(error)));
  await page.goto(baseUrl + path);
  return page;
}

/** Waits until the page's history line says it records. */
async function recording(page) {
  await page.locator(".history-status", { hasText: "History: recording" }).first().waitFor({ timeout: 180_000 });
}

/** The history file the watchlist page exports. */
async function exportedHistory(page) {
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Export JSON" }).click(),
  ]);
  return JSON.parse(readFileSync(await download.path(), "utf8"));
}

/** The blocks (and whether imported) listed in a history chart's data table. */
async function chartBlocks(chart) {
  const rows = await chart.locator(".chart-data tbody tr td:first-child").allTextContents();
  return rows.map((text) => Number(text.replace(/[#,]/g, "").replace(" (imported)", "")));
}

const u64At = async (key, hash) => {
  const bytes = key ? await storage(key, hash) : null;
  return bytes === null ? 0n : new Scale(bytes).u64();
};

/** A double map's key under `prefix` whose tail is `tail` (hex), at `hash` (undefined if none). */
async function keyEndingWith(prefix, tail, hash) {
  return (await keysUnder(prefix, hash)).find((k) => k.endsWith(tail));
}

const close = (a, b) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b), 1e-12);

/** Checks the watchlist's "all this browser saw" yield of the starred validator `hotkey` against
 * an independent computation: each seat's (AlphaDividendsPerSubnet, TotalHotkeyAlphaLastEpoch) at
 * every recorded block, an epoch wherever the pair changed, y = D ÷ (T − D) compounded and
 * annualised on the epoch spacing (next epoch start − LastEpochBlock) over the epochs seen, seats weighted by TotalHotkeyAlpha × price at the
 * end. */
async function windowedYieldMatchesStorage(watch, hotkey, hotkeyHex) {
  const item = watch.locator(".watch-item[data-kind=validator]");
  const all = item.locator("table.windowed-yields tbody tr", { hasText: "All this browser saw" });
  // Six payouts seen over its subnets (tempo 10 blocks, a point every 5): the row names them.
  await watch.waitForFunction(() => {
    const row = [...document.querySelectorAll("table.windowed-yields tbody tr")].find((r) => r.textContent.includes("All this browser saw"));
    const covers = row?.querySelectorAll("td")[1]?.textContent ?? "";
    return Number(covers.split(" ")[0]) >= 6;
  }, null, { timeout: 180_000, polling: 1_000 });
  let shown;
  let points;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    shown = await all.evaluate((row) => ({ apy: row.dataset.apy, cells: [...row.querySelectorAll("td")].map((td) => td.textContent) }));
    points = (await exportedHistory(watch)).history.validators.find((s) => s.hotkey === hotkey).points;
    const last = Number(shown.cells[2].split("–")[1].replace(/[#,\s]/g, ""));
    if (points.at(-1).stamp.block === last) break;
  }
  const [first, last] = shown.cells[2].split("–").map((b) => Number(b.replace(/[#,\s]/g, "")));
  assert(points[0].stamp.block === first && points.at(-1).stamp.block === last, `blocks ${shown.cells[2]} vs ${points[0].stamp.block}–${points.at(-1).stamp.block}`);

  const hashes = await Promise.all(points.map((p) => blockHash(p.stamp.block)));
  const netuids = [...new Set(points.flatMap((p) => p.seats.map((s) => s.netuid)))];
  let [weighted, total, epochs] = [0, 0, 0];
  for (const netuid of netuids) {
    let [previous, growth, seen] = [null, 1, 0];
    for (const [index, hash] of hashes.entries()) {
      if (!points[index].seats.some((s) => s.netuid === netuid)) {
        previous = null;
        continue;
      }
      const dividends = await u64At(await keyEndingWith(subtensorKey("AlphaDividendsPerSubnet", u16Key(netuid)), hotkeyHex, hash), hash);
      const lastEpoch = await u64At(await keyEndingWith(subtensorKey("TotalHotkeyAlphaLastEpoch"), hotkeyHex + u16Key(netuid), hash), hash);
      const pair = `${dividends}/${lastEpoch}`;
      if (index > 0 && previous !== null && previous !== pair && lastEpoch > dividends) {
        growth *= 1 + Number(dividends) / Number(lastEpoch - dividends);
        seen += 1;
      }
      previous = pair;
    }
    epochs += seen;
    const end = hashes.at(-1);
    // Annualised on the seat's epoch spacing at the last point, as the page records it.
    const spacing = await epochSpacing(netuid, end);
    const alpha = await u64At(await keyEndingWith(subtensorKey("TotalHotkeyAlpha"), hotkeyHex + u16Key(netuid), end), end);
    const value = (Number(alpha) * (await poolPrice(netuid, end)).price) / 1e9;
    if (seen > 0 && value > 0 && spacing !== null) {
      weighted += value * (growth ** ((365 * 7200) / spacing.blocks / seen) - 1);
      total += value;
    }
  }
  const expected = weighted / total;
  const apy = shown.apy === "inf" ? Infinity : Number(shown.apy);
  assert(apy === expected || close(apy, expected), `windowed APY ${shown.apy} vs ${expected} from storage`);
  assert(shown.cells[1].startsWith(`${epochs} of ≈ `), `covers "${shown.cells[1]}", ${epochs} epochs seen in storage`);
}


test("history: each recorded point equals raw storage at its block, a validator's windowed yield equals its epochs' payouts, points survive a reload, and the next visit shows what changed", async () => {
  const context = await launch({ acceptDownloads: true });
  try {
    // A validator starred first: its points record on every page from now on.
    const head = await rpc("chain_getFinalizedHead", []);
    const validatorHex = (await keysUnder(subtensorKey("Delegates"), head))[0].slice(-64);
    const validatorHotkey = ss58(Buffer.from(validatorHex, "hex"));
    const validator = await open(context, `/validators/${validatorHotkey}`);
    await recording(validator);
    await validator.getByRole("button", { name: `Watch validator ${validatorHotkey}` }).click();
    await validator.locator(`button[aria-label="Stop watching validator ${validatorHotkey}"]`).waitFor();
    await validator.close();
    const subnet = await open(context, "/subnets/1?tab=miners");
    await recording(subnet);
    await subnet.getByRole("button", { name: "Watch subnet 1" }).click();
    // The first miner with incentive: its hotkey is starred from the neuron table.
    const table = subnet.getByRole("table", { name: "Neurons" });
    await table.locator("tbody tr").first().waitFor();
    const star = table.locator('button[aria-label^="Watch hotkey"]').first();
    const label = await star.getAttribute("aria-label");
    const hotkey = label.split(" ")[2];
    await star.click();
    await subnet.locator(`button[aria-label="Stop watching hotkey ${hotkey} on subnet 1"]`).waitFor();

    // Several epochs (tempo 10 blocks, a point every 5 blocks): wait for 5 recorded points.
    const watch = await open(context, "/watchlist");
    await recording(watch);
    const priceChart = watch.locator(".watch-item[data-kind=subnet] .chart", { hasText: "Price over time" });
    const started = Date.now();
    for (;;) {
      const count = await priceChart.locator(".chart-data tbody tr").count().catch(() => 0);
      if (count >= 5) break;
      assert(Date.now() - started < 150_000, `only ${count} points after ${Date.now() - started} ms`);
      await watch.waitForTimeout(2_000);
    }
    const file = await exportedHistory(watch);
    assert(file.format === "taoscope-history/1" && /^0x[0-9a-f]{64}$/.test(file.genesis), `file head ${file.format} ${file.genesis}`);
    const points = file.history.subnets;
    const onChart = await chartBlocks(priceChart);
    const recorded = points.filter((p) => p.subnets.some((s) => s.netuid === 1)).map((p) => p.stamp.block);
    // The chart may have drawn one more point than the file when a block arrived in between.
    assert(onChart.length >= 5 && onChart.every((b, i) => b === recorded[i]), `chart blocks ${onChart} vs file ${recorded}`);
    assert(new Set(recorded).size === recorded.length && recorded.every((b, i) => i === 0 || b - recorded[i - 1] >= 5),
      `one point per recorded block, 5 blocks apart: ${recorded}`);
    for (const point of points) {
      assert(point.stamp.imported === false, `block ${point.stamp.block} marked imported`);
      const hash = await blockHash(point.stamp.block);
      for (const figures of point.subnets.filter((s) => s.netuid === 1 || s.netuid === 2)) {
        const { price } = await poolPrice(figures.netuid, hash);
        assert(close(figures.price, price), `SN${figures.netuid} at #${point.stamp.block}: recorded ${figures.price}, storage ${price}`);
      }
    }
    // The starred hotkey's incentive, point by point, against Incentive[1] at each block.
    const series = file.history.hotkeys.find((s) => s.netuid === 1 && s.hotkey === hotkey);
    assert(series && series.points.length >= 2, `hotkey series ${JSON.stringify(series)?.slice(0, 200)}`);
    for (const point of series.points) {
      const hash = await blockHash(point.stamp.block);
      const incentive = new Scale(await storage(subtensorKey("Incentive", u16Key(1)), hash)).vec((s) => s.u16());
      assert(point.uid !== null && point.incentive === incentive[point.uid] / 65535,
        `hotkey incentive at #${point.stamp.block}: ${point.incentive} vs ${incentive[point.uid]}/65535`);
    }

    await windowedYieldMatchesStorage(watch, validatorHotkey, validatorHex);

    // Imported into another browser: the points are there, drawn as imported, never as verified
    // here; a file of another chain is refused with its reason.
    const path = join(tmpdir(), `taoscope-history-${Date.now()}.json`);
    writeFileSync(path, JSON.stringify(file));
    const other = await launch();
    try {
      const fresh = await open(other, "/watchlist");
      await recording(fresh);
      const foreign = join(tmpdir(), `taoscope-history-foreign-${Date.now()}.json`);
      writeFileSync(foreign, JSON.stringify({ ...file, genesis: `0x${"ab".repeat(32)}` }));
      await fresh.locator('input[type="file"]').setInputFiles(foreign);
      await fresh.locator(".error-text", { hasText: "Import refused: this history belongs to another chain" }).waitFor();
      await fresh.locator('input[type="file"]').setInputFiles(path);
      await fresh.locator(".notice", { hasText: "marked as imported" }).waitFor();
      await fresh.goto(`${baseUrl}/subnets/1`);
      const imported = fresh.locator("section.history .chart", { hasText: "Price over time" });
      await imported.waitFor({ timeout: 180_000 });
      const rows = await imported.locator(".chart-data tbody tr td:first-child").allTextContents();
      const importedRows = rows.filter((r) => r.endsWith("(imported)"));
      assert(importedRows.length === recorded.length, `${importedRows.length} imported rows of ${recorded.length}: ${rows}`);
      const stamp = await imported.locator(".chart-svg").innerHTML();
      assert(stamp.includes("points imported, not verified here"), "the SVG says which points were imported");
      assert(fresh.errors.length === 0, `page errors: ${fresh.errors}`);
    } finally {
      await other.close();
    }

    // The screenshots of the history charts and the watchlist.
    for (const [width, scheme] of [[1280, "light"], [1280, "dark"], [375, "light"], [375, "dark"]]) {
      await watch.emulateMedia({ colorScheme: scheme });
      await watch.setViewportSize({ width, height: 900 });
      await watch.waitForTimeout(500);
      await watch.screenshot({ path: `${screenshotDir}/history-watchlist-${width}-${scheme}.png`, fullPage: true });
    }

    // A reload keeps every earlier point.
    await watch.reload();
    await recording(watch);
    const after = await chartBlocks(priceChart);
    assert(recorded.every((b) => after.includes(b)), `after the reload the chart has ${after}, before ${recorded}`);
    await subnet.close();
    await watch.close();

    // The next visit, after the devnet advanced: what changed since the last point recorded.
    await new Promise((resolve) => setTimeout(resolve, 12_000));
    const overview = await open(context, "/");
    const range = overview.locator(".since-range");
    await range.waitFor({ timeout: 180_000 });
    const then = Number(await range.getAttribute("data-then-block"));
    const [download] = await Promise.all([
      overview.waitForEvent("download"),
      overview.locator(".since-last-visit .table-toolbar .export").getByRole("button", { name: "JSON" }).click(),
    ]);
    const changes = JSON.parse(readFileSync(await download.path(), "utf8"));
    assert(changes.verified === true, "the comparison is with verified data");
    // The export is stamped with the newest block that confirmed the rows it holds.
    const nowBlock = changes.block_number;
    const nowHash = changes.block_hash;
    assert(nowBlock >= then + 3, `now #${nowBlock} vs then #${then}: the devnet should have advanced`);
    const thenHash = await blockHash(then);
    assert(changes.rows.length >= 4, `${changes.rows.length} rows`);
    for (const row of changes.rows.filter((r) => r.netuid !== 0 && r.price_then !== null && r.price_then > 0)) {
      const before = (await poolPrice(row.netuid, thenHash)).price;
      const now = (await poolPrice(row.netuid, nowHash)).price;
      assert(close(row.price_then, before), `SN${row.netuid} then: ${row.price_then} shown, storage at #${then} ${before}`);
      assert(close(row.price_now, now), `SN${row.netuid} now: ${row.price_now} shown, storage at #${nowBlock} ${now}`);
      assert(close(row.price_change, now / before - 1), `SN${row.netuid} change ${row.price_change} vs ${now / before - 1}`);
    }
    await overview.screenshot({ path: `${screenshotDir}/history-since-last-visit-1280-light.png`, fullPage: true });
    assert(overview.errors.length === 0, `page errors: ${overview.errors}`);
    await overview.close();
  } finally {
    await context.close();
  }
});

test("history: with the browser's storage full the page keeps working and says history is paused", async () => {
  const context = await launch();
  try {
    const page = await open(context, "/");
    await recording(page);
    // A quota smaller than what the site already keeps: the chain worker's next save is refused.
    const cdp = await context.newCDPSession(page);
    const origin = new URL(baseUrl).origin;
    await cdp.send("Storage.overrideQuotaForOrigin", { origin, quotaSize: 1024 });
    const paused = page.locator(".history-status.paused", { hasText: "History paused: the browser's storage for this site is full" });
    await paused.waitFor({ timeout: 60_000 });
    await page.screenshot({ path: `${screenshotDir}/history-paused-1280-light.png`, fullPage: true });
    // Still following the chain: the finalized block moves on and a page change still renders.
    const provenance = page.locator(".provenance.verified").first();
    const before = await provenance.getAttribute("title");
    await page.waitForFunction(
      (hash) => document.querySelector(".provenance.verified")?.getAttribute("title") !== hash,
      before,
      { timeout: 60_000 },
    );
    await page.getByRole("link", { name: "Subnets", exact: true }).first().click();
    await page.getByRole("table", { name: "Subnets" }).locator("tbody tr").first().waitFor({ timeout: 60_000 });
    // Room again: the next due point is saved and recording resumes.
    await cdp.send("Storage.overrideQuotaForOrigin", { origin });
    await page.getByRole("link", { name: "Watchlist", exact: true }).click();
    await page.locator(".history-status", { hasText: "History: recording" }).waitFor({ timeout: 60_000 });
    assert(page.errors.length === 0, `page errors: ${page.errors}`);
  } finally {
    await context.close();
  }
});

/** The history the chain worker saved in this origin's IndexedDB (`taoscope`/`kv`), parsed, and
 * the keys the pages' localStorage still holds for history and watchlist. */
async function savedInBrowser(page) {
  return page.evaluate(async () => {
    const pageKeys = Object.keys(localStorage).filter((k) => k.startsWith("taoscope.history.") || k.startsWith("taoscope.watchlist."));
    // Opening a database that does not exist yet would create it without the worker's store.
    if (!(await indexedDB.databases()).some((d) => d.name === "taoscope")) return { history: null, watchlist: null, pageKeys };
    const db = await new Promise((resolve, reject) => {
      const request = indexedDB.open("taoscope");
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const settle = (request) => new Promise((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const store = db.transaction("kv").objectStore("kv");
    const keys = await settle(store.getAllKeys());
    const read = async (prefix) => {
      const key = keys.find((k) => k.startsWith(prefix) && !k.endsWith(".unreadable"));
      return key ? JSON.parse(await settle(store.get(key))) : null;
    };
    const history = await read("history.");
    const watchlist = await read("watchlist.");
    db.close();
    return { history, watchlist, pageKeys };
  });
}

test("history: the chain worker records it once for every tab, with no subnets list open, and takes over what pages kept before", async () => {
  const context = await launch();
  try {
    // What a page of the previous version kept in localStorage: an old point and a star.
    const genesis = await rpc("chain_getBlockHash", [0]);
    const old = { stamp: { block: 1, at_ms: 1, imported: false }, subnets: [{ netuid: 1, price: 1, emission_share: 0.5 }] };
    const seed = await context.newPage();
    await seed.goto(`${baseUrl}/chain-specs/index.json`);
    await seed.evaluate(([genesis, old]) => {
      localStorage.setItem(`taoscope.history.${genesis}`, JSON.stringify({ format: "taoscope-history/1", genesis, history: { subnets: [old], validators: [], hotkeys: [], coldkeys: [] } }));
      localStorage.setItem(`taoscope.watchlist.${genesis}`, JSON.stringify({ subnets: [2], validators: [], hotkeys: [], coldkeys: [] }));
    }, [genesis, old]);
    await seed.close();

    // Two tabs on a page that shows no subnets list.
    const tabs = [await open(context, "/settings"), await open(context, "/settings")];
    const started = Date.now();
    let saved;
    for (;;) {
      saved = await savedInBrowser(tabs[0]);
      const count = saved.history?.history.subnets.length ?? 0;
      if (count >= 5) break;
      assert(Date.now() - started < 240_000, `only ${count} points after ${Date.now() - started} ms`);
      await tabs[0].waitForTimeout(2_000);
    }
    for (const tab of tabs) {
      assert(await tab.getByRole("table", { name: "Subnets" }).count() === 0, "a subnets list is on the page");
    }
    const blocks = saved.history.history.subnets.map((p) => p.stamp.block);
    assert(blocks[0] === 1, `the handed-over point is kept first: ${blocks}`);
    const recorded = blocks.slice(1);
    assert(new Set(blocks).size === blocks.length && recorded.every((b, i) => i === 0 || b - recorded[i - 1] >= 5),
      `one point per due block, 5 blocks apart, with two tabs open: ${blocks}`);
    // Each recorded point equals storage at its block.
    for (const point of saved.history.history.subnets.slice(1)) {
      const hash = await blockHash(point.stamp.block);
      const figures = point.subnets.find((s) => s.netuid === 1);
      const { price } = await poolPrice(1, hash);
      assert(close(figures.price, price), `SN1 at #${point.stamp.block}: recorded ${figures.price}, storage ${price}`);
    }
    assert(saved.watchlist?.subnets.includes(2), `the handed-over star: ${JSON.stringify(saved.watchlist)}`);
    assert(saved.pageKeys.length === 0, `the pages' copies are forgotten once saved: ${saved.pageKeys}`);

    // A star in one tab reaches the other through the worker.
    await tabs[1].goto(`${baseUrl}/watchlist`);
    await recording(tabs[1]);
    await tabs[1].getByRole("button", { name: "Stop watching subnet 2" }).waitFor({ timeout: 30_000 });
    await tabs[0].goto(`${baseUrl}/subnets/1`);
    await recording(tabs[0]);
    await tabs[0].getByRole("button", { name: "Watch subnet 1" }).click();
    await tabs[1].getByRole("button", { name: "Stop watching subnet 1" }).waitFor({ timeout: 30_000 });
    await tabs[1].screenshot({ path: `${screenshotDir}/history-watchlist-two-tabs-1280-light.png`, fullPage: true });
    for (const tab of tabs) assert(tab.errors.length === 0, `page errors: ${tab.errors}`);
  } finally {
    await context.close();
  }
});
