// Browser benchmarks for `cargo xtask bench`: numbers only, never pass/fail. Each section prints one
// `BENCH {json}` line that the xtask collects. Timings come from the app's own performance marks
// (`taoscope:finalized:N` when a block is finalized, `taoscope:shown:N` after a view applied the
// data read at block N), so they exclude the harness's polling.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
import { chromium } from "playwright-core";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";

const baseUrl = process.env.TAOSCOPE_URL;
const distDir = process.env.DIST_DIR;
const runs = Number(process.env.BENCH_RUNS ?? 3);
const followSeconds = Number(process.env.BENCH_FOLLOW_SECONDS ?? 60);
const FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

const report = (section, data) => console.log(`BENCH ${JSON.stringify({ section, ...data })}`);
const stats = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0
    ? { n: 0 }
    : { n: sorted.length, median: sorted[Math.floor(sorted.length / 2)], min: sorted[0], max: sorted[sorted.length - 1] };
};

/** Records long tasks and the wasm memory from the first script on. */
const INIT = () => {
  window.__longtasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__longtasks.push([entry.startTime, entry.duration]);
  }).observe({ type: "longtask", buffered: true });
  addEventListener("TrunkApplicationStarted", (event) => { window.__wasmMemory = event.detail?.wasm?.memory; });
};

async function browser(profile) {
  const context = await chromium.launchPersistentContext(profile ?? mkdtempSync(join(tmpdir(), "taoscope-bench-")), {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 900 },
  });
  await context.addInitScript(INIT);
  return context;
}

/** Milliseconds from navigation to the first view showing verified data. */
async function timeToData(page) {
  await page.waitForFunction(() => performance.getEntriesByType("mark").some((m) => m.name.startsWith("taoscope:shown:")), null, { timeout: 300_000, polling: 100 });
  return page.evaluate(() => performance.getEntriesByType("mark").find((m) => m.name.startsWith("taoscope:shown:")).startTime);
}

// 1 and 2: cold start (fresh profile each run) and warm start (same profile, saved state present).
const cold = [];
const warm = [];
let followProfile;
for (let run = 0; run < runs; run += 1) {
  const profile = mkdtempSync(join(tmpdir(), "taoscope-bench-"));
  const context = await browser(profile);
  const page = await context.newPage();
  await page.goto(`${baseUrl}/subnets`);
  cold.push(await timeToData(page));
  // The app saves its state 8 s after start, then every 30 s.
  await page.waitForTimeout(10_000);
  await page.close();
  const again = await context.newPage();
  await again.goto(`${baseUrl}/subnets`);
  warm.push(await timeToData(again));
  await again.close();
  await context.close();
  followProfile = profile;
}
report("cold_start", { transport: "light client", unit: "ms", ...stats(cold), rpc: "not measured: no trusted-RPC transport yet" });
report("warm_start", { transport: "light client", unit: "ms", ...stats(warm), rpc: "not measured: no trusted-RPC transport yet" });

// 4, 5 and 7: follow the chain on /subnets; refresh latency, long tasks, memory.
{
  const context = await browser(followProfile);
  const page = await context.newPage();
  await page.goto(`${baseUrl}/subnets`);
  const firstData = await timeToData(page);
  await page.waitForTimeout(followSeconds * 1000);
  const result = await page.evaluate((firstData) => {
    const marks = performance.getEntriesByType("mark");
    const at = (prefix) => new Map(marks.filter((m) => m.name.startsWith(prefix)).map((m) => [m.name.slice(prefix.length), m.startTime]));
    const finalized = at("taoscope:finalized:");
    const shown = at("taoscope:shown:");
    const refresh = [];
    for (const [block, time] of shown) if (finalized.has(block) && time > firstData) refresh.push(time - finalized.get(block));
    const tasks = window.__longtasks;
    return {
      refresh,
      syncTasks: tasks.filter(([start]) => start <= firstData).map(([, d]) => d),
      followTasks: tasks.filter(([start]) => start > firstData).map(([, d]) => d),
      jsHeap: performance.memory?.usedJSHeapSize ?? null,
      wasmMemory: window.__wasmMemory?.buffer?.byteLength ?? null,
    };
  }, firstData);
  report("refresh", { unit: "ms", blocks: result.refresh.length, ...stats(result.refresh) });
  report("long_tasks", {
    cold_sync: { count: result.syncTasks.length, ...stats(result.syncTasks) },
    following: { seconds: followSeconds, count: result.followTasks.length, ...stats(result.followTasks) },
  });
  report("memory", { after_seconds: followSeconds, js_heap_bytes: result.jsHeap, wasm_memory_bytes: result.wasmMemory });
  await context.close();
}

// 6: bundle sizes.
{
  const files = readdirSync(distDir).filter((f) => /\.(wasm|js|css)$/.test(f));
  const sizes = {};
  for (const kind of ["wasm", "js", "css"]) {
    const bytes = Buffer.concat(files.filter((f) => f.endsWith(`.${kind}`)).map((f) => readFileSync(join(distDir, f))));
    sizes[kind] = {
      raw: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
  }
  sizes.wasm_and_js_brotli = sizes.wasm.brotli + sizes.js.brotli;
  sizes.files = files.map((f) => [f, statSync(join(distDir, f)).size]);
  report("bundle", sizes);
}
