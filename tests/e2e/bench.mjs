// Browser benchmarks for `cargo xtask bench`: numbers only, never pass/fail. Each section prints one
// `BENCH {json}` line that the xtask collects. Timings come from the app's own performance marks
// (`taoscope:finalized:N` when a block is finalized, `taoscope:shown:N` after a view applied the
// data read at block N), so they exclude the harness's polling.
//
// BENCH_PHASE=app (small devnet): cold and warm start against trusted RPC, refresh, long tasks,
// memory, steady-state bytes (alone: BENCH_PHASE=steady), bundle. BENCH_PHASE=whole-network (finney-scale devnet; whole-network-peers: the same
// against every node of a 3-node devnet, BOOT_NODES): every metagraph through a light
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
    : {
      n: sorted.length,
      median: sorted[Math.floor(sorted.length / 2)],
      p95: sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)],
      min: sorted[0],
      max: sorted[sorted.length - 1],
    };
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

/** The start's phases, ms from navigation: the app's marks for the chain manifest and spec
 * fetched, the client started (genesis check, smoldot's `add_chain`, the saved state read; or the
 * RPC connection), the first finalized block and the first view shown. */
async function startPhases(page) {
  return page.evaluate(() => {
    const first = (prefix) => performance.getEntriesByType("mark").find((m) => m.name.startsWith(prefix))?.startTime ?? null;
    return {
      manifest: first("taoscope:start:manifest"),
      spec: first("taoscope:start:spec"),
      client_started: first("taoscope:start:client"),
      first_finalized: first("taoscope:finalized:"),
      first_shown: first("taoscope:shown:"),
    };
  });
}

/** Medians of each phase over runs, and the time each phase adds to the one before. */
function phaseStats(runs) {
  const names = ["manifest", "spec", "client_started", "first_finalized", "first_shown"];
  const median = (name) => stats(runs.map((r) => r[name]).filter((v) => v !== null)).median ?? null;
  const at = Object.fromEntries(names.map((name) => [name, median(name) === null ? null : Math.round(median(name))]));
  const added = {};
  names.forEach((name, i) => {
    const before = i === 0 ? 0 : at[names[i - 1]];
    added[name] = at[name] === null || before === null ? null : at[name] - before;
  });
  return { at_ms: at, added_ms: added };
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
  const phases = { light_client_cold: [], light_client_warm: [], rpc_cold: [], rpc_warm: [] };
  let followProfile;
  async function coldThenWarm(query, coldTimes, warmTimes, coldPhases, warmPhases) {
    const profile = mkdtempSync(join(tmpdir(), "taoscope-bench-"));
    const context = await browser(profile);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/subnets${query}`);
    coldTimes.push(await timeToData(page));
    coldPhases.push(await startPhases(page));
    // The app saves its state 8 s after start, then every 30 s.
    await page.waitForTimeout(10_000);
    await page.close();
    const again = await context.newPage();
    await again.goto(`${baseUrl}/subnets${query}`);
    warmTimes.push(await timeToData(again));
    warmPhases.push(await startPhases(again));
    await again.close();
    await context.close();
    return profile;
  }
  for (let run = 0; run < runs; run += 1) {
    followProfile = await coldThenWarm("", cold, warm, phases.light_client_cold, phases.light_client_warm);
    await coldThenWarm(`?rpc=${encodeURIComponent(rpcEndpoint)}`, rpcCold, rpcWarm, phases.rpc_cold, phases.rpc_warm);
  }
  const ratio = (a, b) => (a.n && b.n ? Number((a.median / b.median).toFixed(2)) : null);
  const [lcCold, lcWarm, trustedCold, trustedWarm] = [stats(cold), stats(warm), stats(rpcCold), stats(rpcWarm)];
  report("cold_start", { unit: "ms", light_client: lcCold, rpc: trustedCold, ratio_lc_over_rpc: ratio(lcCold, trustedCold) });
  report("warm_start", { unit: "ms", light_client: lcWarm, rpc: trustedWarm, ratio_lc_over_rpc: ratio(lcWarm, trustedWarm) });
  report("start_phases", Object.fromEntries(Object.entries(phases).map(([name, runs]) => [name, phaseStats(runs)])));

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
 * Steady-state bytes: what an open page keeps receiving once its view shows verified data, a
 * metagraph page and an embed, each from a fresh profile: the WebSocket frames the page's light
 * client receives from its peers over BENCH_STEADY_SECONDS (after a 20 s settling), per minute.
 */
async function steadySection() {
  const seconds = Number(process.env.BENCH_STEADY_SECONDS ?? 60);
  const views = { metagraph_page: "/subnets/1", embed: "/embed/subnets/emissions" };
  const result = {};
  for (const [name, route] of Object.entries(views)) {
    const context = await browser();
    const page = await context.newPage();
    let [counting, bytes, frames] = [false, 0, 0];
    page.on("websocket", (socket) => socket.on("framereceived", ({ payload }) => {
      if (counting) {
        bytes += typeof payload === "string" ? Buffer.byteLength(payload) : payload.length;
        frames += 1;
      }
    }));
    await page.goto(`${baseUrl}${route}`);
    await page.locator(".provenance.verified, .embed-provenance.verified").first().waitFor({ timeout: 300_000 });
    await page.waitForTimeout(20_000);
    const shownBefore = await page.evaluate(() => performance.getEntriesByType("mark").filter((m) => m.name.startsWith("taoscope:shown:")).length);
    counting = true;
    await page.waitForTimeout(seconds * 1000);
    counting = false;
    const shownAfter = await page.evaluate(() => performance.getEntriesByType("mark").filter((m) => m.name.startsWith("taoscope:shown:")).length);
    result[name] = { route, seconds, bytes, frames, bytes_per_minute: Math.round((bytes * 60) / seconds), views_shown: shownAfter - shownBefore };
    await context.close();
  }
  report("steady_state_bytes", result);
}

/**
 * Section 3 on the finney-scale devnet. The page gets a chain spec like finney's (the genesis
 * state root instead of its 40 MB of storage) and a checkpoint, as the finney deployment will.
 */
async function wholeNetworkSection(section) {
  const raw = JSON.parse(readFileSync(process.env.RAW_SPEC, "utf8"));
  const genesis = await rpc("chain_getBlockHash", [0]);
  const { stateRoot } = await rpc("chain_getHeader", [genesis]);
  const light = { ...raw, genesis: { stateRootHash: stateRoot } };
  // Every node of the devnet as a boot node, so the light client has them all as peers.
  if (process.env.BOOT_NODES) light.bootNodes = process.env.BOOT_NODES.split(",");
  const peers = Number(process.env.BENCH_PEERS ?? "1");
  const batchedInFlight = Number(process.env.BENCH_BATCHED_IN_FLIGHT ?? "8");
  writeFileSync(join(distDir, "chain-specs", "finney-scale.json"), JSON.stringify(light));
  const context = await browser();
  const page = await context.newPage();
  page.on("console", (message) => { if (message.type() === "error") console.log(`page: ${message.text()}`); });
  await page.goto(`${baseUrl}/bench`);
  await page.waitForFunction(() => window.wasmBindings?.bench_whole_network, null, { timeout: 120_000 });
  const concurrency = (process.env.BENCH_CONCURRENCY ?? "4,1,8,16").split(",").map(Number);
  const storageReadsToo = process.env.BENCH_WHOLE_NETWORK_STORAGE === "1";
  const result = await page.evaluate(
    ({ rpcUrl, concurrency, storageReadsToo, batchedInFlight, peers }) => window.wasmBindings.bench_whole_network(
      "/chain-specs/finney-scale.json", "/chain-specs/finney-scale.checkpoint.json", rpcUrl, 1, Uint32Array.from(concurrency),
      storageReadsToo, batchedInFlight, peers),
    { rpcUrl: `ws://127.0.0.1:${process.env.DEVNET_RPC_PORT}`, concurrency, storageReadsToo, batchedInFlight, peers },
  );
  const tasks = await page.evaluate(() => window.__longtasks.map(([, d]) => d));
  await context.close();
  // One load per concurrency (metagraphs in flight), in the order given; 4 first, as before.
  const load = (l) => ({
    parallel: l.parallel,
    ms: Math.round(l.ms),
    subnet_list_ms: Math.round(l.subnet_list_ms),
    first_metagraph_ms: Math.round(l.first_metagraph_ms),
    first_metagraph_share_of_total: Number((l.first_metagraph_ms / l.ms).toFixed(3)),
    subnets: l.subnets,
    neurons: l.neurons,
    bytes_received: l.bytes_received,
    value_bytes: l.value_bytes,
    bytes_over_value_bytes: Number((l.bytes_received / l.value_bytes).toFixed(2)),
    ...(l.requests === undefined ? {} : { rounds: l.rounds, requests: l.requests, max_in_flight: l.max_in_flight }),
  });
  const lc = result.light_client.map(load);
  const trusted = result.rpc.map(load);
  const fastest = (loads) => loads.reduce((best, l) => (l.ms < best.ms ? l : best));
  const [lcBest, rpcBest] = [fastest(lc), fastest(trusted)];
  const batched = result.light_client_batched.map(load);
  const [lcBatched, rpcBatched] = [fastest(batched), load(result.rpc_batched)];
  const sameInFlight = trusted.find((l) => l.parallel === lcBatched.parallel);
  report(section, {
    preset: "finney-scale",
    peers: result.peers,
    light_client_sync_from_checkpoint_ms: Math.round(result.light_client_sync_ms),
    light_client_batched: batched,
    light_client: lc,
    rpc_batched: [rpcBatched],
    rpc: trusted,
    ratio_time_batched_over_rpc_fastest: Number((lcBatched.ms / rpcBest.ms).toFixed(2)),
    // Against our RPC path with as many metagraphs in flight as the batched reader has requests.
    ratio_time_batched_over_rpc_same_in_flight: sameInFlight ? Number((lcBatched.ms / sameInFlight.ms).toFixed(2)) : null,
    light_client_storage_reads: result.light_client_storage_reads ? load(result.light_client_storage_reads) : "skipped (BENCH_WHOLE_NETWORK_STORAGE=1 runs it)",
    ratio_time_lc_over_rpc_same_concurrency: Number((lc[0].ms / trusted[0].ms).toFixed(2)),
    ratio_time_lc_over_rpc_each_fastest: Number((lcBest.ms / rpcBest.ms).toFixed(2)),
    fastest: { light_client_parallel: lcBest.parallel, rpc_parallel: rpcBest.parallel },
    // Main-thread time in tasks over 50 ms, against the whole run (every load and comparison).
    long_tasks: { count: tasks.length, total_ms: Math.round(tasks.reduce((sum, d) => sum + d, 0)), ...stats(tasks) },
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
  await steadySection();
  bundleSection();
} else if (phase === "steady") {
  await steadySection();
} else if (phase === "whole-network") {
  await wholeNetworkSection("whole_network");
} else if (phase === "whole-network-peers") {
  await wholeNetworkSection("whole_network_3_peers");
} else {
  throw new Error(`unknown BENCH_PHASE ${phase}`);
}
