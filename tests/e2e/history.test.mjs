// History built in the browser: points recorded across epochs, each equal to the chain's raw
// storage at its block; kept across a reload; "since your last visit" equal to the difference of
// two snapshots read from storage; history paused, and the page still working, when the
// browser's storage is full. Each test has a fresh browser profile of its own.

import { readFileSync } from "node:fs";
import { assert, baseUrl, launch, screenshotDir, test } from "./harness.mjs";
import { balancerPrice, rpc, Scale, storage, subtensorKey, u16Key } from "./chain.mjs";

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

const close = (a, b) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b), 1e-12);

test("history: each recorded point equals raw storage at its block, survives a reload, and the next visit shows what changed", async () => {
  const context = await launch({ acceptDownloads: true });
  try {
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

    // Several epochs (tempo 10 blocks, a point every 5 blocks): wait for 6 recorded points.
    const watch = await open(context, "/watchlist");
    await recording(watch);
    const priceChart = watch.locator(".watch-item[data-kind=subnet] .chart", { hasText: "Price over time" });
    const started = Date.now();
    for (;;) {
      const count = await priceChart.locator(".chart-data tbody tr").count().catch(() => 0);
      if (count >= 6) break;
      assert(Date.now() - started < 150_000, `only ${count} points after ${Date.now() - started} ms`);
      await watch.waitForTimeout(2_000);
    }
    const file = await exportedHistory(watch);
    assert(file.format === "taoscope-history/1" && /^0x[0-9a-f]{64}$/.test(file.genesis), `file head ${file.format} ${file.genesis}`);
    const points = file.history.subnets;
    const onChart = await chartBlocks(priceChart);
    const recorded = points.filter((p) => p.subnets.some((s) => s.netuid === 1)).map((p) => p.stamp.block);
    // The chart may have drawn one more point than the file when a block arrived in between.
    assert(onChart.length >= 6 && onChart.every((b, i) => b === recorded[i]), `chart blocks ${onChart} vs file ${recorded}`);
    assert(new Set(recorded).size === recorded.length && recorded.every((b, i) => i === 0 || b - recorded[i - 1] >= 5),
      `one point per recorded block, 5 blocks apart: ${recorded}`);
    for (const point of points) {
      assert(point.stamp.imported === false, `block ${point.stamp.block} marked imported`);
      const hash = await blockHash(point.stamp.block);
      for (const figures of point.subnets.filter((s) => s.netuid === 1 || s.netuid === 2)) {
        const { price } = await balancerPrice(figures.netuid, hash);
        assert(close(figures.price, price), `SN${figures.netuid} at #${point.stamp.block}: recorded ${figures.price}, storage ${price}`);
      }
    }
    // The starred hotkey's incentive, point by point, against Incentive[1] at each block.
    const series = file.history.hotkeys.find((s) => s.netuid === 1 && s.hotkey === hotkey);
    assert(series && series.points.length >= 3, `hotkey series ${JSON.stringify(series)?.slice(0, 200)}`);
    for (const point of series.points) {
      const hash = await blockHash(point.stamp.block);
      const incentive = new Scale(await storage(subtensorKey("Incentive", u16Key(1)), hash)).vec((s) => s.u16());
      assert(point.uid !== null && point.incentive === incentive[point.uid] / 65535,
        `hotkey incentive at #${point.stamp.block}: ${point.incentive} vs ${incentive[point.uid]}/65535`);
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
    await new Promise((resolve) => setTimeout(resolve, 20_000));
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
    assert(nowBlock >= then + 5, `now #${nowBlock} vs then #${then}: the devnet should have advanced`);
    const thenHash = await blockHash(then);
    assert(changes.rows.length >= 4, `${changes.rows.length} rows`);
    for (const row of changes.rows.filter((r) => r.netuid !== 0 && r.price_then !== null && r.price_then > 0)) {
      const before = (await balancerPrice(row.netuid, thenHash)).price;
      const now = (await balancerPrice(row.netuid, nowHash)).price;
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
    // Fill the origin's localStorage to the last character.
    const filled = await page.evaluate(() => {
      let total = 0;
      for (let size = 1 << 20, key = 0; size >= 1; ) {
        try {
          localStorage.setItem(`filler-${key++}`, "x".repeat(size));
          total += size;
        } catch {
          size >>= 1;
        }
      }
      return total;
    });
    assert(filled > 100_000, `filled ${filled} characters`);
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
    await page.evaluate(() => {
      for (const key of Object.keys(localStorage)) if (key.startsWith("filler-")) localStorage.removeItem(key);
    });
    await page.getByRole("link", { name: "Watchlist", exact: true }).click();
    await page.locator(".history-status", { hasText: "History: recording" }).waitFor({ timeout: 60_000 });
    assert(page.errors.length === 0, `page errors: ${page.errors}`);
  } finally {
    await context.close();
  }
});
