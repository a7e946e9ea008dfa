// Browser benchmarks for `cargo xtask bench`: numbers only, never pass/fail. Each section prints one
// `BENCH {json}` line that the xtask collects. Timings come from the app's own performance marks
// (`taoscope:finalized:N` when a block is finalized, `taoscope:shown:N` after a view applied the
// data read at block N), so they exclude the harness's polling.
//
// BENCH_PHASE=app (small devnet): cold and warm start against trusted RPC, refresh, long tasks,
// memory, bundle. BENCH_PHASE=whole-network (finney-scale devnet): every metagraph through a light
// client started from a checkpoint and through the node's RPC, and storage reads against runtime
// calls per view (`app/src/bench.rs` does the loading inside the page).

import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
import { launch } from "./browser.mjs";
import { rpc } from "./chain.mjs";

const baseUrl = process.env.TAOSCOPE_URL;
const distDir = process.env.DIST_DIR;
const runs = Number(process.env.BENCH_RUNS ?? 3);
const followSeconds = Number(process.env.BENCH_FOLLOW_SECONDS ?? 600);
const phase = process.env.BENCH_PHASE ?? "app";

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
  const context = await launch({ profile });
  await context.addInitScript(INIT);
  return context;
}

/** Milliseconds from navigation to the first view showing verified data. */
async function timeToData(page) {
  await page.waitForFunction(() => performance.getEntriesByType("mark").some((m) => m.name.startsWith("taoscope:shown:")), null, { timeout: 300_000, polling: 100 });
  return page.evaluate(() => performance.getEntriesByType("mark").find((m) => m.name.startsWith("taoscope:shown:")).startTime);
}

/** Sections 1, 2, 4, 5, 7 on the small devnet. */
async function appSections() {
  // 1 and 2: cold start (fresh profile each run) and warm start (same profile, saved state present),
  // for the light client and, alternated with it on the same devnet node, the trusted-RPC transport.
  const rpcEndpoint = `ws://127.0.0.1:${process.env.DEVNET_RPC_PORT}`;
  const cold = [];
  const warm = [];
  const rpcCold = [];
  const rpcWarm = [];
  let followProfile;
  async function coldThenWarm(query, coldTimes, warmTimes) {
    const profile = mkdtempSync(join(tmpdir(), "taoscope-bench-"));
    const context = await browser(profile);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/subnets${query}`);
    coldTimes.push(await timeToData(page));
    // The app saves its state 8 s after start, then every 30 s.
    await page.waitForTimeout(10_000);
    await page.close();
    const again = await context.newPage();
    await again.goto(`${baseUrl}/subnets${query}`);
    warmTimes.push(await timeToData(again));
    await again.close();
    await context.close();
    return profile;
  }
  for (let run = 0; run < runs; run += 1) {
    followProfile = await coldThenWarm("", cold, warm);
    await coldThenWarm(`?rpc=${encodeURIComponent(rpcEndpoint)}`, rpcCold, rpcWarm);
  }
  const ratio = (a, b) => (a.n && b.n ? Number((a.median / b.median).toFixed(2)) : null);
  const [lcCold, lcWarm, trustedCold, trustedWarm] = [stats(cold), stats(warm), stats(rpcCold), stats(rpcWarm)];
  report("cold_start", { unit: "ms", light_client: lcCold, rpc: trustedCold, ratio_lc_over_rpc: ratio(lcCold, trustedCold) });
  report("warm_start", { unit: "ms", light_client: lcWarm, rpc: trustedWarm, ratio_lc_over_rpc: ratio(lcWarm, trustedWarm) });

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
}

/** What twiggy names the items of a wasm module that are not function bodies. */
const notCode = /^(custom section |"[^"]*" subsection|data segment |data\[|wasm magic bytes$|type\[|import |export |elem\[|table\[|memory\[|global\[|start$)|section headers$/;

/** The functions of the wasm module twiggy listed in `WASM_ITEMS` (`twiggy top --format json`):
 * [{ name, size }], named by the module's name section (`code[N]` when unnamed). */
function functionSizes() {
  const items = JSON.parse(readFileSync(process.env.WASM_ITEMS, "utf8"));
  return items.filter(({ name }) => !notCode.test(name)).map(({ name, shallow_size: size }) => ({ name, size }));
}

/** Section 6: bundle sizes, and the share of the wasm code that is smoldot (by function name). */
function bundleSection() {
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
  // The shipped wasm carries no names; the same release build with names kept
  // (`--profile wasm-names`, before wasm-bindgen), listed by twiggy, tells which crate each
  // function belongs to.
  const functions = functionSizes();
  const code = functions.reduce((sum, f) => sum + f.size, 0);
  const named = functions.filter((f) => !/^code\[\d+\]$/.test(f.name)).length;
  const share = (pattern) => {
    const bytes = functions.filter((f) => pattern.test(f.name)).reduce((sum, f) => sum + f.size, 0);
    return { code_bytes: bytes, share_of_code: Number((bytes / code).toFixed(3)) };
  };
  sizes.wasm_code = {
    code_bytes: code,
    functions: functions.length,
    named_functions: named,
    // Generic code instantiated for a crate's types counts for that crate when its name shows it.
    smoldot: share(/smoldot/),
    leptos: share(/leptos|reactive_graph|tachys/),
    scale_and_metadata: share(/scale_value|scale_info|scale_decode|parity_scale_codec|frame_metadata/),
    plotters: share(/plotters/),
  };
  report("bundle", sizes);
}

/**
 * Section 3 on the finney-scale devnet. The page gets a chain spec like finney's (the genesis
 * state root instead of its 40 MB of storage) and a checkpoint, as the finney deployment will.
 */
async function wholeNetworkSection() {
  const raw = JSON.parse(readFileSync(process.env.RAW_SPEC, "utf8"));
  const genesis = await rpc("chain_getBlockHash", [0]);
  const { stateRoot } = await rpc("chain_getHeader", [genesis]);
  const light = { ...raw, genesis: { stateRootHash: stateRoot } };
  writeFileSync(join(distDir, "chain-specs", "finney-scale.json"), JSON.stringify(light));
  const context = await browser();
  const page = await context.newPage();
  page.on("console", (message) => { if (message.type() === "error") console.log(`page: ${message.text()}`); });
  await page.goto(`${baseUrl}/bench`);
  await page.waitForFunction(() => window.wasmBindings?.bench_whole_network, null, { timeout: 120_000 });
  const result = await page.evaluate(
    ({ rpcUrl }) => window.wasmBindings.bench_whole_network("/chain-specs/finney-scale.json", "/chain-specs/finney-scale.checkpoint.json", rpcUrl, 1),
    { rpcUrl: `ws://127.0.0.1:${process.env.DEVNET_RPC_PORT}` },
  );
  const tasks = await page.evaluate(() => window.__longtasks.map(([, d]) => d));
  await context.close();
  const lc = result.light_client;
  report("whole_network", {
    preset: "finney-scale",
    light_client_sync_from_checkpoint_ms: result.light_client_sync_ms,
    light_client: lc,
    light_client_storage_reads: result.light_client_storage_reads,
    rpc: result.rpc,
    ratio_time_lc_over_rpc: Number((lc.ms / result.rpc.ms).toFixed(2)),
    ratio_bytes_from_peers_over_value_bytes: Number((lc.bytes_received / lc.value_bytes).toFixed(2)),
    ratio_rpc_bytes_over_value_bytes: Number((result.rpc.bytes_received / result.rpc.value_bytes).toFixed(2)),
    long_tasks: { count: tasks.length, ...stats(tasks) },
  });
  const summarize = (m) => ({ ms: stats(m.ms), bytes_received: stats(m.bytes_received), data_bytes: m.data_bytes });
  const views = {};
  for (const [view, strategies] of Object.entries(result.strategies)) {
    views[view] = Object.fromEntries(Object.entries(strategies).map(([name, m]) => [name, typeof m === "object" ? summarize(m) : m]));
  }
  report("strategy_storage_vs_runtime_calls", views);
}

if (phase === "app") {
  await appSections();
  bundleSection();
} else if (phase === "whole-network") {
  await wholeNetworkSection();
} else {
  throw new Error(`unknown BENCH_PHASE ${phase}`);
}
