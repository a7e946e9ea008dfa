// Browser benchmarks for `cargo xtask bench`: numbers only, never pass/fail. Each section prints one
// `BENCH {json}` line that the xtask collects. Timings come from the app's own performance marks
// (`taoscope:finalized:N` when a block is finalized, `taoscope:shown:N` after a view applied the
// data read at block N), so they exclude the harness's polling.
//
// BENCH_PHASE=app (small devnet): cold and warm start against trusted RPC, refresh, long tasks
// (the page's main thread and the chain worker apart), memory (pages and worker, through CDP),
// steady-state bytes (alone: BENCH_PHASE=steady), one embed against four and one tab against two
// (alone: BENCH_PHASE=sharing), bundle (the page's and the worker's). Since the light client runs
// in the site's shared worker, the page sees none of its peer traffic: sockets and bytes are
// counted in the worker, through CDP attached to its target as soon as it exists.
// BENCH_PHASE=whole-network (finney-scale devnet; whole-network-peers: the same against every node
// of a 3-node devnet, BOOT_NODES): every metagraph through a light client started from a
// checkpoint and through the node's RPC, and storage reads against runtime calls per view
// (`app/src/bench.rs` does the loading inside the page, with a light client of its own).

import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
import { launch, launchPartitioned } from "./browser.mjs";
import { busyStretches } from "./busy.mjs";
import { rpc } from "./chain.mjs";
import { hostPage } from "./servers.mjs";

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

/** Records the main thread's long tasks from the first script on. */
const INIT = () => {
  window.__longtasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__longtasks.push([entry.startTime, entry.duration]);
  }).observe({ type: "longtask", buffered: true });
};

async function browser(profile, start = launch) {
  const context = await start({ profile });
  await context.addInitScript(INIT);
  return context;
}

/** Milliseconds from navigation to the first view showing verified data. */
async function timeToData(page) {
  await page.waitForFunction(() => performance.getEntriesByType("mark").some((m) => m.name.startsWith("taoscope:shown:")), null, { timeout: 300_000, polling: 100 });
  return page.evaluate(() => performance.getEntriesByType("mark").find((m) => m.name.startsWith("taoscope:shown:")).startTime);
}

/** The start's phases, ms from navigation: the app's marks for the chain facts the worker sends
 * (it read the manifest and the spec), the client started (genesis check, smoldot's `add_chain`,
 * the saved state read; or the RPC connection), the first finalized block and the first view
 * shown; and the numbers of those two blocks (a warm start's first finalized block is its saved
 * one). */
async function startPhases(page) {
  return page.evaluate(() => {
    const mark = (prefix) => performance.getEntriesByType("mark").find((m) => m.name.startsWith(prefix));
    const first = (prefix) => mark(prefix)?.startTime ?? null;
    const block = (prefix) => (mark(prefix) ? Number(mark(prefix).name.slice(prefix.length)) : null);
    return {
      chain_facts: first("taoscope:start:spec"),
      client_started: first("taoscope:start:client"),
      first_finalized: first("taoscope:finalized:"),
      first_shown: first("taoscope:shown:"),
      blocks: { first_finalized: block("taoscope:finalized:"), first_shown: block("taoscope:shown:") },
    };
  });
}

/** The page's main-thread long tasks (ms) that started before `until` ms from navigation;
 * `withStart`: as [start, ms] pairs. */
const mainThreadTasks = (frame, until = Infinity, withStart = false) =>
  frame.evaluate(({ until, withStart }) => window.__longtasks
    .filter(([start]) => start <= until)
    .map(([start, d]) => (withStart ? [Math.round(start), Math.round(d)] : d)), { until, withStart });

/** Medians of each phase over runs, and the time each phase adds to the one before. */
function phaseStats(runs) {
  const names = ["chain_facts", "client_started", "first_finalized", "first_shown"];
  const median = (name) => stats(runs.map((r) => r[name]).filter((v) => v !== null)).median ?? null;
  const at = Object.fromEntries(names.map((name) => [name, median(name) === null ? null : Math.round(median(name))]));
  const added = {};
  names.forEach((name, i) => {
    const before = i === 0 ? 0 : at[names[i - 1]];
    added[name] = at[name] === null || before === null ? null : at[name] - before;
  });
  // How many blocks the first view shown is past the first finalized block, each run.
  const blocksLater = runs.map((r) => (r.blocks.first_shown === null || r.blocks.first_finalized === null ? null : r.blocks.first_shown - r.blocks.first_finalized));
  return { at_ms: at, added_ms: added, first_shown_blocks_after_first_finalized: blocksLater };
}

// The chain service's shared worker, through CDP. Its long tasks: the Long Tasks API exists only
// in windows, so a 10 ms timer injected into the worker as soon as it exists records each gap of
// its event loop; a gap over 60 ms is a task of over ≈ 50 ms (the timer's own 10 ms aside).
const WORKER_PROBE = `(() => {
  if (self.__gaps) return;
  self.__gaps = [];
  let last = performance.now();
  setInterval(() => {
    const now = performance.now();
    if (now - last > 60) self.__gaps.push([performance.timeOrigin + last, now - last - 10]);
    last = now;
  }, 10);
})()`;

/** CDP targets of `context`'s browser: `types` (e.g. "page", "iframe", "shared_worker"). */
async function targets(cdp, types) {
  const { targetInfos } = await cdp.send("Target.getTargets");
  return targetInfos.filter((t) => types.includes(t.type) && !t.url.startsWith("about:") && !t.url.startsWith("chrome"));
}
const isChainWorker = (t) => t.type === "shared_worker" && /\/chain-worker-[0-9a-f]{16}\.js$/.test(t.url);

/** A CDP session on `targetId` through the browser session `cdp` (non-flat, so it works for
 * shared workers and out-of-process frames alike): `send(method, params)`; `onEvent(message)`
 * gets the target's events. */
async function attach(cdp, targetId, onEvent = () => {}) {
  const { sessionId } = await cdp.send("Target.attachToTarget", { targetId, flatten: false });
  let next = 0;
  const pending = new Map();
  cdp.on("Target.receivedMessageFromTarget", (event) => {
    if (event.sessionId !== sessionId) return;
    const message = JSON.parse(event.message);
    if (message.method) onEvent(message);
    const waiting = pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id);
    if (message.error) waiting.reject(new Error(`${message.error.message}`));
    else waiting.resolve(message.result);
  });
  const send = (method, params = {}) => new Promise((resolve, reject) => {
    next += 1;
    pending.set(next, { resolve, reject });
    cdp.send("Target.sendMessageToTarget", { sessionId, message: JSON.stringify({ id: next, method, params }) }).catch(reject);
  });
  return { send, detach: () => cdp.send("Target.detachFromTarget", { sessionId }).catch(() => {}) };
}

/** The JS heap of a target's isolate (which frames of one renderer process share), the isolate's
 * id, and the bytes of every wasm memory of the target's own realm. */
async function memoryOf(session) {
  const { usedSize } = await session.send("Runtime.getHeapUsage");
  const { id: isolate } = await session.send("Runtime.getIsolateId");
  const { result: prototype } = await session.send("Runtime.evaluate", { expression: "WebAssembly.Memory.prototype" });
  const { objects } = await session.send("Runtime.queryObjects", { prototypeObjectId: prototype.objectId });
  const { result } = await session.send("Runtime.callFunctionOn", {
    objectId: objects.objectId,
    functionDeclaration: "function () { return this.reduce((sum, memory) => sum + memory.buffer.byteLength, 0); }",
    returnByValue: true,
  });
  return { isolate, js_heap_bytes: usedSize, wasm_memory_bytes: result.value };
}

/** The memory of every page, out-of-process frame and chain worker of `context`'s browser, by
 * kind, with their sum; a JS heap is counted once per isolate (same-site frames share one). */
async function rendererMemory(context) {
  const cdp = await context.browser().newBrowserCDPSession();
  const all = await targets(cdp, ["page", "iframe", "shared_worker"]);
  const byKind = { page: [], iframe: [], worker: [] };
  const isolates = new Set();
  for (const target of all) {
    if (target.type === "shared_worker" && !isChainWorker(target)) continue;
    const session = await attach(cdp, target.targetId);
    const { isolate, js_heap_bytes: heap, wasm_memory_bytes } = await memoryOf(session);
    byKind[target.type === "shared_worker" ? "worker" : target.type].push({ js_heap_bytes: isolates.has(isolate) ? 0 : heap, wasm_memory_bytes });
    isolates.add(isolate);
    await session.detach();
  }
  await cdp.detach();
  const sum = (list) => list.reduce((total, m) => ({
    js_heap_bytes: total.js_heap_bytes + m.js_heap_bytes,
    wasm_memory_bytes: total.wasm_memory_bytes + m.wasm_memory_bytes,
  }), { js_heap_bytes: 0, wasm_memory_bytes: 0 });
  const kinds = Object.fromEntries(Object.entries(byKind).map(([kind, list]) => [kind, { targets: list.length, ...sum(list) }]));
  const total = sum(Object.values(kinds));
  return { ...kinds, total: { ...total, bytes: total.js_heap_bytes + total.wasm_memory_bytes, isolates: isolates.size } };
}

/** Watches `context`'s browser for chain workers and, as soon as one exists (before it has loaded
 * its wasm, so before it dials a peer), injects the gap probe and counts its WebSockets.
 * `gaps(from, until)` gives its tasks over ≈ 50 ms (ms) that started between those epoch times;
 * `traffic()` the sockets the workers opened and the bytes of the WebSocket messages their peers
 * sent (payloads, from the workers' CDP Network events: every peer the client dials, boot node or
 * discovered); `stop()` ends the watch. */
async function watchWorker(context) {
  const cdp = await context.browser().newBrowserCDPSession();
  const sessions = [];
  const probed = new Set();
  const counted = { sockets: 0, bytes: 0 };
  const count = ({ method, params }) => {
    if (method === "Network.webSocketCreated") counted.sockets += 1;
    if (method === "Network.webSocketFrameReceived") {
      const { opcode, payloadData } = params.response;
      counted.bytes += opcode === 1 ? Buffer.byteLength(payloadData) : Buffer.from(payloadData, "base64").length;
    }
  };
  const probe = async (info) => {
    if (!isChainWorker(info) || probed.has(info.targetId)) return;
    probed.add(info.targetId);
    const session = await attach(cdp, info.targetId, count);
    sessions.push(session);
    await session.send("Network.enable");
    await session.send("Runtime.evaluate", { expression: WORKER_PROBE });
  };
  cdp.on("Target.targetCreated", ({ targetInfo }) => { probe(targetInfo).catch(() => {}); });
  cdp.on("Target.targetInfoChanged", ({ targetInfo }) => { probe(targetInfo).catch(() => {}); });
  await cdp.send("Target.setDiscoverTargets", { discover: true });
  for (const info of await targets(cdp, ["shared_worker"])) await probe(info).catch(() => {});
  const gaps = async (from = 0, until = Infinity) => {
    const all = [];
    for (const session of sessions) {
      const { result } = await session.send("Runtime.evaluate", { expression: "self.__gaps ?? []", returnByValue: true }).catch(() => ({ result: { value: [] } }));
      all.push(...result.value.filter(([start]) => start >= from && start <= until).map(([, d]) => Math.round(d)));
    }
    return all;
  };
  return { gaps, traffic: () => ({ ...counted, workers: probed.size }), stop: () => cdp.detach().catch(() => {}) };
}

/** Ends every chain worker of `context`'s browser (a warm start must start a fresh one, as a
 * visit after the last tab closed does), and waits until none is left. */
async function endWorkers(context) {
  const cdp = await context.browser().newBrowserCDPSession();
  for (let tries = 0; tries < 100; tries += 1) {
    const workers = (await targets(cdp, ["shared_worker"])).filter(isChainWorker);
    if (workers.length === 0) break;
    for (const worker of workers) await cdp.send("Target.closeTarget", { targetId: worker.targetId }).catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await cdp.detach();
}

/** The keys of the worker's saved state in IndexedDB, read from `page` (same origin). */
const savedStateKeys = (page) => page.evaluate(async () => {
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open("taoscope");
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  if (!db.objectStoreNames.contains("kv")) return [];
  const keys = await new Promise((resolve) => {
    const request = db.transaction("kv").objectStore("kv").getAllKeys();
    request.onsuccess = () => resolve(request.result);
  });
  db.close();
  return keys;
});

/** Sections 1, 2, 4, 5, 7 on the small devnet. */
async function appSections() {
  // 1 and 2: cold start (fresh profile each run) and warm start (same profile, the worker ended,
  // its saved state in IndexedDB), for the light client and, alternated with it on the same
  // devnet node, the trusted-RPC transport. The page's main-thread long tasks and the worker's
  // until the first view shows, each start.
  const rpcEndpoint = `ws://127.0.0.1:${process.env.DEVNET_RPC_PORT}`;
  const times = { light_client_cold: [], light_client_warm: [], rpc_cold: [], rpc_warm: [] };
  const phases = { light_client_cold: [], light_client_warm: [], rpc_cold: [], rpc_warm: [] };
  const mainTasks = { light_client_cold: [], light_client_warm: [] };
  const workerTasks = { light_client_cold: [], light_client_warm: [] };
  const mainBusy = { light_client_cold: [], light_client_warm: [] };
  const savedBeforeWarm = [];
  let followProfile;
  async function start(context, query, name) {
    const watch = await watchWorker(context);
    const page = await context.newPage();
    // Where the page's long tasks come from: CDP's sampling profiler on its main thread.
    const profiler = mainBusy[name] ? await context.newCDPSession(page) : null;
    if (profiler) {
      await profiler.send("Profiler.enable");
      await profiler.send("Profiler.setSamplingInterval", { interval: 1000 });
      await profiler.send("Profiler.start");
    }
    await page.goto(`${baseUrl}/subnets${query}`);
    const shown = await timeToData(page);
    times[name].push(shown);
    phases[name].push(await startPhases(page));
    if (profiler) {
      mainBusy[name].push(...busyStretches((await profiler.send("Profiler.stop")).profile));
      await profiler.detach();
    }
    if (mainTasks[name]) {
      mainTasks[name].push(...await mainThreadTasks(page, shown, true));
      const shownAt = await page.evaluate((shown) => performance.timeOrigin + shown, shown);
      workerTasks[name].push(...await watch.gaps(0, shownAt));
    }
    await watch.stop();
    return page;
  }
  async function coldThenWarm(query, kind) {
    const profile = mkdtempSync(join(tmpdir(), "taoscope-bench-"));
    const context = await browser(profile);
    const page = await start(context, query, `${kind}_cold`);
    // The worker saves its state 8 s after start, then every 30 s.
    await page.waitForTimeout(10_000);
    if (kind === "light_client") savedBeforeWarm.push((await savedStateKeys(page)).some((key) => key.startsWith("db.")));
    await page.close();
    await endWorkers(context);
    const again = await start(context, query, `${kind}_warm`);
    await again.close();
    await context.close();
    return profile;
  }
  for (let run = 0; run < runs; run += 1) {
    followProfile = await coldThenWarm("", "light_client");
    await coldThenWarm(`?rpc=${encodeURIComponent(rpcEndpoint)}`, "rpc");
  }
  const ratio = (a, b) => (a.n && b.n ? Number((a.median / b.median).toFixed(2)) : null);
  const s = Object.fromEntries(Object.entries(times).map(([name, values]) => [name, stats(values)]));
  report("cold_start", { unit: "ms", light_client: s.light_client_cold, rpc: s.rpc_cold, ratio_lc_over_rpc: ratio(s.light_client_cold, s.rpc_cold) });
  report("warm_start", {
    unit: "ms",
    light_client: s.light_client_warm,
    rpc: s.rpc_warm,
    ratio_lc_over_rpc: ratio(s.light_client_warm, s.rpc_warm),
    // Runs whose worker had saved its database to IndexedDB before the warm start.
    saved_state_present: `${savedBeforeWarm.filter(Boolean).length}/${savedBeforeWarm.length}`,
  });
  report("start_phases", Object.fromEntries(Object.entries(phases).map(([name, runs]) => [name, phaseStats(runs)])));
  const over50 = (tasks) => ({ count: tasks.length, ...stats(tasks) });
  // Each task with its start (ms from navigation), to set beside the start's phases.
  const withStarts = (tasks) => ({ ...over50(tasks.map(([, d]) => d)), tasks });
  const loading = {
    // #32 and #34's target: none on the page's main thread while a cold or warm start loads.
    main_thread_cold_start: { runs, ...withStarts(mainTasks.light_client_cold) },
    main_thread_warm_start: { runs, ...withStarts(mainTasks.light_client_warm) },
    // What the main thread did in its busy stretches over 50 ms (consecutive non-idle samples of
    // CDP's sampling profiler, from before navigation to the first view): each stretch's start
    // (ms from the profiler's start), length and sample shares by kind.
    main_thread_busy_cold_start: mainBusy.light_client_cold,
    main_thread_busy_warm_start: mainBusy.light_client_warm,
    // Verification runs in the chain worker; its tasks stall no page, but delay the data.
    worker_cold_start: { runs, measured_by: "event-loop gaps of a 10 ms timer in the worker", ...over50(workerTasks.light_client_cold) },
    worker_warm_start: { runs, measured_by: "event-loop gaps of a 10 ms timer in the worker", ...over50(workerTasks.light_client_warm) },
  };

  // 4, 5 and 7: follow the chain on /subnets (warm, from the last light-client profile);
  // refresh latency, long tasks, memory of the page and of the worker.
  {
    const context = await browser(followProfile);
    const watch = await watchWorker(context);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/subnets`);
    const firstData = await timeToData(page);
    const firstDataAt = await page.evaluate((firstData) => performance.timeOrigin + firstData, firstData);
    await page.waitForTimeout(followSeconds * 1000);
    const result = await page.evaluate((firstData) => {
      const marks = performance.getEntriesByType("mark");
      const at = (prefix) => new Map(marks.filter((m) => m.name.startsWith(prefix)).map((m) => [m.name.slice(prefix.length), m.startTime]));
      const finalized = at("taoscope:finalized:");
      const shown = at("taoscope:shown:");
      const refresh = [];
      for (const [block, time] of shown) if (finalized.has(block) && time > firstData) refresh.push(time - finalized.get(block));
      return { refresh, followTasks: window.__longtasks.filter(([start]) => start > firstData).map(([, d]) => d) };
    }, firstData);
    const workerFollowing = await watch.gaps(firstDataAt);
    await watch.stop();
    const memory = await rendererMemory(context);
    report("refresh", { unit: "ms", blocks: result.refresh.length, ...stats(result.refresh) });
    report("long_tasks", {
      ...loading,
      main_thread_following: { seconds: followSeconds, ...over50(result.followTasks) },
      worker_following: { seconds: followSeconds, ...over50(workerFollowing) },
    });
    report("memory", {
      after_seconds: followSeconds,
      page: memory.page,
      worker: memory.worker,
      total_bytes: memory.total.bytes,
    });
    await context.close();
  }
}

/** What twiggy names the items of a wasm module that are not function bodies. */
const notCode = /^(custom section |"[^"]*" subsection|data segment |data\[|wasm magic bytes$|type\[|import |export |elem\[|table\[|memory\[|global\[|start$)|section headers$/;

/** The functions of a wasm module twiggy listed (`twiggy top --format json` in `file`):
 * [{ name, size }], named by the module's name section (`code[N]` when unnamed). */
function functionSizes(file) {
  const items = JSON.parse(readFileSync(file, "utf8"));
  return items.filter(({ name }) => !notCode.test(name)).map(({ name, shallow_size: size }) => ({ name, size }));
}

/** The share of a module's code each crate group has (by function name), from twiggy's list. */
function codeShares(file) {
  const functions = functionSizes(file);
  const code = functions.reduce((sum, f) => sum + f.size, 0);
  const share = (pattern) => {
    const bytes = functions.filter((f) => pattern.test(f.name)).reduce((sum, f) => sum + f.size, 0);
    return { code_bytes: bytes, share_of_code: Number((bytes / code).toFixed(3)) };
  };
  return {
    code_bytes: code,
    functions: functions.length,
    named_functions: functions.filter((f) => !/^code\[\d+\]$/.test(f.name)).length,
    // Generic code instantiated for a crate's types counts for that crate when its name shows it.
    smoldot: share(/smoldot/),
    leptos: share(/leptos|reactive_graph|tachys/),
    scale_and_metadata: share(/scale_value|scale_info|scale_decode|parity_scale_codec|frame_metadata/),
    plotters: share(/plotters/),
  };
}

const BUNDLE_TARGET_BROTLI = 1_200_000;

/** Section 6: bundle sizes, the page's and the chain worker's apart, and the share of each wasm's
 * code that is smoldot (by function name). The page's files are what a page pays before its first
 * view; the worker's are loaded once per site while a page or embed of it is open (a second tab
 * or embed pays the page's alone). */
function bundleSection() {
  const files = readdirSync(distDir).filter((f) => /\.(wasm|js|css|html)$/.test(f));
  const isWorker = (f) => f.startsWith("chain-worker-") || f.startsWith("taoscope-worker");
  const sizeOf = (names) => {
    const bytes = Buffer.concat(names.map((f) => readFileSync(join(distDir, f))));
    return {
      raw: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
  };
  // Each file compressed on its own, as a server sends it.
  const perFile = Object.fromEntries(files.map((f) => [f, sizeOf([f])]));
  const total = (names) => names.reduce((sum, f) => ({
    raw: sum.raw + perFile[f].raw, gzip: sum.gzip + perFile[f].gzip, brotli: sum.brotli + perFile[f].brotli,
  }), { raw: 0, gzip: 0, brotli: 0 });
  const page = files.filter((f) => !isWorker(f));
  const worker = files.filter(isWorker);
  const wasmAndJs = (names) => names.filter((f) => /\.(wasm|js)$/.test(f));
  const pageWasmJs = total(wasmAndJs(page));
  const workerWasmJs = total(wasmAndJs(worker));
  const both = pageWasmJs.brotli + workerWasmJs.brotli;
  report("bundle", {
    files: perFile,
    page: { files: page, ...total(page), wasm_and_js: pageWasmJs },
    worker: { files: worker, ...total(worker), wasm_and_js: workerWasmJs },
    wasm_and_js_brotli: { page: pageWasmJs.brotli, worker: workerWasmJs.brotli, sum: both },
    target_brotli: BUNDLE_TARGET_BROTLI,
    target_met: { page_alone: pageWasmJs.brotli <= BUNDLE_TARGET_BROTLI, page_and_worker: both <= BUNDLE_TARGET_BROTLI },
    // The shipped wasm carries no names; the same release builds with names kept
    // (`--profile wasm-names`, before wasm-bindgen), listed by twiggy, tell which crate each
    // function belongs to.
    wasm_code: { page: codeShares(process.env.WASM_ITEMS), worker: codeShares(process.env.WASM_ITEMS_WORKER) },
  });
}

/**
 * Steady-state bytes: what the chain worker keeps receiving from its peers while one page is open
 * and shows verified data, a metagraph page and an embed, each from a fresh profile: the
 * WebSocket messages its peers sent (counted in the worker) over BENCH_STEADY_SECONDS (after a
 * 20 s settling), per minute.
 */
async function steadySection() {
  const seconds = Number(process.env.BENCH_STEADY_SECONDS ?? 60);
  const views = { metagraph_page: "/subnets/1", embed: "/embed/subnets/emissions" };
  const result = {};
  for (const [name, route] of Object.entries(views)) {
    const context = await browser();
    const watch = await watchWorker(context);
    const page = await context.newPage();
    await page.goto(`${baseUrl}${route}`);
    await page.locator(".provenance.verified, .embed-provenance.verified").first().waitFor({ timeout: 300_000 });
    await page.waitForTimeout(20_000);
    const shownBefore = await page.evaluate(() => performance.getEntriesByType("mark").filter((m) => m.name.startsWith("taoscope:shown:")).length);
    const before = watch.traffic();
    await page.waitForTimeout(seconds * 1000);
    const after = watch.traffic();
    const shownAfter = await page.evaluate(() => performance.getEntriesByType("mark").filter((m) => m.name.startsWith("taoscope:shown:")).length);
    const bytes = after.bytes - before.bytes;
    result[name] = {
      route, seconds, measured_in: "the chain worker",
      bytes, bytes_per_minute: Math.round((bytes * 60) / seconds), peer_sockets: after.sockets, views_shown: shownAfter - shownBefore,
    };
    await watch.stop();
    await context.close();
  }
  report("steady_state_bytes", result);
}

/** Each frame's (or page's) time to verified, from `started` (ms since epoch). */
async function verifiedAfter(locators, started) {
  for (const locator of locators) await locator.first().waitFor({ timeout: 300_000 });
  return Date.now() - started;
}

/** A host page on another site (`localhost`, the app being on 127.0.0.1) framing `paths`, in a
 * browser with storage partitioning on: the site's peer sockets and bytes from navigation to
 * `windowMs` later, time until every frame shows verified data, the memory of the host page, its
 * frames and the worker, and the main-thread long tasks of each frame until then. */
async function embedsOnAnotherSite(paths, windowMs) {
  const host = await hostPage(() => paths
    .map((path, i) => `<iframe id="w${i}" src="${baseUrl}${path}" width="480" height="320" style="border:0"></iframe>`)
    .join("\n"));
  const context = await browser(undefined, launchPartitioned);
  const watch = await watchWorker(context);
  const page = await context.newPage();
  const started = Date.now();
  await page.goto(`${host.origin.replace("127.0.0.1", "localhost")}/`);
  const frames = paths.map((_, i) => page.frameLocator(`#w${i}`));
  const verified = await verifiedAfter(frames.map((frame) => frame.locator(".embed-provenance", { hasText: "verified · #" })), started);
  const tasks = [];
  for (const frame of page.frames().filter((f) => f !== page.mainFrame())) tasks.push(...await mainThreadTasks(frame));
  await page.waitForTimeout(Math.max(0, windowMs - (Date.now() - started)));
  const counted = watch.traffic();
  await watch.stop();
  const memory = await rendererMemory(context);
  await context.close();
  host.server.close();
  return {
    embeds: paths.length, window_s: windowMs / 1000, chain_workers: counted.workers, peer_sockets: counted.sockets, bytes_from_peers: counted.bytes,
    all_verified_after_ms: verified, memory, main_thread_long_tasks_until_verified: { count: tasks.length, ...stats(tasks) },
  };
}

/** One dashboard tab, or two (the second opened once the first shows verified data), on a fresh
 * profile: peer sockets and bytes over `windowMs` from the first navigation, each tab's
 * time to verified, the memory of the tabs and the worker. */
async function dashboardTabs(count, windowMs) {
  const context = await browser();
  const watch = await watchWorker(context);
  const routes = ["/subnets", "/subnets/1"].slice(0, count);
  const started = Date.now();
  const verified = [];
  const tasks = [];
  let socketsBeforeSecond = null;
  for (const route of routes) {
    if (verified.length === 1) socketsBeforeSecond = watch.traffic().sockets;
    const page = await context.newPage();
    const opened = Date.now();
    await page.goto(`${baseUrl}${route}`);
    verified.push(await verifiedAfter([page.locator(".provenance.verified")], opened));
    tasks.push(...await mainThreadTasks(page));
  }
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, windowMs - (Date.now() - started))));
  const counted = watch.traffic();
  await watch.stop();
  const memory = await rendererMemory(context);
  await context.close();
  return {
    tabs: count, routes, window_s: windowMs / 1000, chain_workers: counted.workers, peer_sockets: counted.sockets, bytes_from_peers: counted.bytes,
    ...(socketsBeforeSecond === null ? {} : { new_peer_sockets_for_second_tab: counted.sockets - socketsBeforeSecond }),
    verified_after_ms: verified, memory, main_thread_long_tasks_until_verified: { count: tasks.length, ...stats(tasks) },
  };
}

/** #34: one light client per browser. One embed against four different ones on another site, one
 * dashboard tab against two: what the second and further clients of the worker cost. */
async function sharingSection() {
  const windowMs = Number(process.env.BENCH_SHARING_SECONDS ?? 40) * 1000;
  const one = await embedsOnAnotherSite(["/embed/subnets/emissions?theme=light"], windowMs);
  const four = await embedsOnAnotherSite([
    "/embed/subnets/emissions?theme=light",
    "/embed/subnets/1/incentive?theme=light",
    "/embed/card/subnet/1?theme=light",
    "/embed/subnets/price-emission?theme=light",
  ], windowMs);
  const oneTab = await dashboardTabs(1, windowMs);
  const twoTabs = await dashboardTabs(2, windowMs);
  const ratio = (a, b) => (b ? Number((a / b).toFixed(2)) : null);
  report("sharing", {
    embeds: {
      one, four,
      ratio_four_over_one: {
        peer_sockets: ratio(four.peer_sockets, one.peer_sockets),
        bytes_from_peers: ratio(four.bytes_from_peers, one.bytes_from_peers),
        memory: ratio(four.memory.total.bytes, one.memory.total.bytes),
        all_verified_after: ratio(four.all_verified_after_ms, one.all_verified_after_ms),
      },
    },
    tabs: {
      one: oneTab, two: twoTabs,
      ratio_two_over_one: {
        peer_sockets: ratio(twoTabs.peer_sockets, oneTab.peer_sockets),
        bytes_from_peers: ratio(twoTabs.bytes_from_peers, oneTab.bytes_from_peers),
        memory: ratio(twoTabs.memory.total.bytes, oneTab.memory.total.bytes),
      },
    },
  });
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
  await sharingSection();
  bundleSection();
} else if (phase === "steady") {
  await steadySection();
} else if (phase === "sharing") {
  await sharingSection();
} else if (phase === "whole-network") {
  await wholeNetworkSection("whole_network");
} else if (phase === "whole-network-peers") {
  await wholeNetworkSection("whole_network_3_peers");
} else {
  throw new Error(`unknown BENCH_PHASE ${phase}`);
}
