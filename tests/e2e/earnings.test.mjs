// Earnings net of trades: a watched coldkey's positions recorded in this browser, split into what
// the shares earned and what was staked, checked against an independent computation from raw
// `AlphaV2`, `TotalHotkeySharesV2` and `TotalHotkeyAlpha` at every recorded block, across a stake
// an admin action makes in the window (which must not count as earnings).

import { execFileSync } from "node:child_process";
import { assert, exportJson, openPage, screenshotDir, test, verifiedBlock as verified } from "./harness.mjs";
import { keysUnder, rpc, Scale, simSwap, ss58, storage, subtensorKey } from "./chain.mjs";

/** A `SafeFloat { mantissa: u128, exponent: i64 }` as a float. */
function safeFloat(bytes) {
  if (bytes === null) return 0;
  const scale = new Scale(bytes);
  const mantissa = scale.u128();
  const exponent = Number(bytes.readBigInt64LE(16));
  return Number(mantissa) * 10 ** exponent;
}

/** The coldkey's series as this browser saved it (the chain worker's IndexedDB, by genesis). */
async function savedSeries(page, coldkey) {
  return page.evaluate(async (coldkey) => {
    // Opening a database that does not exist yet would create it without the worker's store.
    if (!(await indexedDB.databases()).some((d) => d.name === "taoscope")) return null;
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
    const key = (await settle(store.getAllKeys())).find((k) => k.startsWith("history.") && !k.endsWith(".unreadable"));
    const text = key ? await settle(store.get(key)) : null;
    db.close();
    if (!text) return null;
    return JSON.parse(text).history.coldkeys?.find((s) => s.coldkey === coldkey) ?? null;
  }, coldkey);
}

/** Waits until the saved series has `count` points, the last at or after `block`. */
async function pointsUntil(page, coldkey, count, block = 0) {
  const deadline = Date.now() + 300_000;
  for (;;) {
    const series = await savedSeries(page, coldkey);
    if (series && series.points.length >= count && series.points.at(-1).stamp.block >= block) return series;
    assert(Date.now() < deadline, `recorded points: ${series?.points.length ?? 0} of ${count} (after #${block})`);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}

/** Every position of `coldkeyHex` at `hash` from raw storage: shares, α per share. */
async function positionsAt(coldkeyHex, hash) {
  const out = new Map();
  const pools = await keysUnder(subtensorKey("TotalHotkeySharesV2"), hash);
  const totals = await keysUnder(subtensorKey("TotalHotkeyAlpha"), hash);
  for (const key of await keysUnder(subtensorKey("AlphaV2"), hash)) {
    if (key.slice(194, 258) !== coldkeyHex) continue;
    const hotkey = key.slice(98, 162);
    const netuid = key.slice(258, 262);
    const shares = safeFloat(await storage(key, hash));
    const poolKey = pools.find((k) => k.endsWith(hotkey + netuid));
    const alphaKey = totals.find((k) => k.endsWith(hotkey + netuid));
    const poolShares = safeFloat(poolKey ? await storage(poolKey, hash) : null);
    const total = alphaKey ? Number(new Scale(await storage(alphaKey, hash)).u64()) : 0;
    if (shares > 0 && poolShares > 0) out.set(`${ss58(Buffer.from(hotkey, "hex"))}/${Buffer.from(netuid, "hex").readUInt16LE(0)}`, { shares, perShare: total / poolShares });
  }
  return out;
}

/** Earned and moved α per position over the recorded blocks, from raw storage alone. */
async function independentSplit(coldkeyHex, blocks) {
  const states = [];
  for (const block of blocks) states.push(await positionsAt(coldkeyHex, await rpc("chain_getBlockHash", [block])));
  const split = new Map();
  for (let i = 1; i < states.length; i++) {
    for (const key of new Set([...states[i - 1].keys(), ...states[i].keys()])) {
      const [before, after] = [states[i - 1].get(key), states[i].get(key)];
      const [s0, s1] = [before?.shares ?? 0, after?.shares ?? 0];
      const v0 = (before ?? after).perShare;
      const v1 = (after ?? before).perShare;
      const earned = s0 * (v1 - v0);
      const entry = split.get(key) ?? { earned: 0, moved: 0 };
      entry.earned += earned;
      entry.moved += s1 * v1 - s0 * v0 - earned;
      split.set(key, entry);
    }
  }
  return split;
}

const near = (a, b) => Math.abs(a - b) <= 2 + 1e-9 * Math.max(Math.abs(a), Math.abs(b));

test("earnings net of trades equal raw storage at the recorded blocks; a stake moved in is not earnings", async (context) => {
  const head = await rpc("chain_getFinalizedHead", []);
  // The coldkey with the most positions, and one of its positions to stake more on.
  const count = new Map();
  const shareKeys = await keysUnder(subtensorKey("AlphaV2"), head);
  for (const key of shareKeys) count.set(key.slice(194, 258), (count.get(key.slice(194, 258)) ?? 0) + 1);
  const [coldkeyHex] = [...count.entries()].sort((a, b) => b[1] - a[1])[0];
  const coldkey = ss58(Buffer.from(coldkeyHex, "hex"));
  const target = shareKeys.find((key) => key.slice(194, 258) === coldkeyHex && key.slice(258, 262) !== "0000");
  const [hotkeyHex, netuid] = [target.slice(98, 162), Buffer.from(target.slice(258, 262), "hex").readUInt16LE(0)];

  const page = await openPage(context, `/account/${coldkey}`);
  await verified(page);
  await page.getByRole("table", { name: "Stake positions" }).waitFor();
  await page.getByRole("button", { name: `Watch coldkey ${coldkey}` }).click();
  await page.locator(".earnings .hint", { hasText: "Recording this coldkey's positions" }).waitFor({ timeout: 60_000 });
  await pointsUntil(page, coldkey, 1);

  // 40 τ staked through the pool onto one of its positions.
  const stakeTao = 40_000_000_000n;
  execFileSync(process.env.DEVNET_NODE_BIN, ["admin", "--rpc-port", process.env.DEVNET_RPC_PORT, "add-stake", "--netuid", String(netuid), "--hotkey", `0x${hotkeyHex}`, "--coldkey", `0x${coldkeyHex}`, "--tao", String(stakeTao)], { stdio: "pipe" });
  let moveBlock;
  const sharesBefore = safeFloat(await storage(target, head));
  for (const deadline = Date.now() + 120_000; ; ) {
    const hash = await rpc("chain_getFinalizedHead", []);
    if (safeFloat(await storage(target, hash)) > sharesBefore) {
      moveBlock = parseInt((await rpc("chain_getHeader", [hash])).number, 16);
      break;
    }
    assert(Date.now() < deadline, "the stake did not land");
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  // A point before the move, one after it, and one more of earnings after that.
  const series = await pointsUntil(page, coldkey, 3, moveBlock);
  const blocks = series.points.map((p) => p.stamp.block);
  assert(blocks[0] < moveBlock, `the window starts before the move (#${blocks[0]} vs #${moveBlock})`);

  // The page's table, read when it covers exactly the saved points.
  const summary = page.locator(".earnings [data-to-block]");
  await page.waitForFunction((last) => document.querySelector(".earnings [data-to-block]")?.dataset.toBlock === String(last), blocks.at(-1), { timeout: 120_000 }).catch(() => {});
  const shownTo = Number(await summary.getAttribute("data-to-block"));
  const { file } = await exportJson(page, 0, page.locator("section.earnings"));
  const covered = blocks.filter((b) => b <= shownTo);
  const expected = await independentSplit(coldkeyHex, covered);
  assert(file.rows.length === expected.size, `positions: page ${file.rows.length} vs storage ${expected.size}`);
  for (const row of file.rows) {
    const want = expected.get(`${row.hotkey}/${row.netuid}`);
    assert(want, `${row.hotkey}/${row.netuid} in storage`);
    assert(near(row.earned_alpha, want.earned), `earned on ${row.netuid}: page ${row.earned_alpha} vs storage ${want.earned}`);
    assert(near(row.moved_alpha, want.moved), `moved on ${row.netuid}: page ${row.moved_alpha} vs storage ${want.moved}`);
  }
  // The staked position's move is the α the stake bought (within the pool's movement over the
  // block it waited), and its earnings are a small fraction of it: the move is not earnings.
  const staked = file.rows.find((r) => r.hotkey === ss58(Buffer.from(hotkeyHex, "hex")) && r.netuid === netuid);
  const before = await rpc("chain_getBlockHash", [moveBlock - 1]);
  const { alphaAmount } = await simSwap(netuid, "stake", stakeTao, before);
  assert(Math.abs(staked.moved_alpha - Number(alphaAmount)) <= 0.01 * Number(alphaAmount), `moved ${staked.moved_alpha} vs bought ${alphaAmount}`);
  assert(staked.earned_alpha < 0.5 * staked.moved_alpha, `earned ${staked.earned_alpha} is not the move ${staked.moved_alpha}`);
  await page.locator("section.earnings").scrollIntoViewIfNeeded();
  for (const [width, scheme] of [[1280, "light"], [1280, "dark"], [375, "light"], [375, "dark"]]) {
    await page.setViewportSize({ width, height: 900 });
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: `${screenshotDir}/earnings-${width}-${scheme}.png`, fullPage: true });
  }
  assert(page.errors.length === 0, `page errors: ${page.errors}`);
  await page.close();
});
