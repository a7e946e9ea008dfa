// What a staker and a miner decide on, checked against the node's own storage at the block the page
// read: a validator's last-epoch APY, a coldkey's positions, and who is immune or next to be pruned.
// Every expected figure is computed here from raw storage (keys built and values decoded in this
// file and chain.mjs), never by the app's code.

import { execFileSync } from "node:child_process";
import { assert, exportJson, openPage, screenshotDir, test, verifiedBlock as verified } from "./harness.mjs";
import { Scale, epochSpacing, poolPrice, keysUnder, rpc, ss58, storage, subtensorKey, u16Key } from "./chain.mjs";

const hex = (bytes) => Buffer.from(bytes).toString("hex");
const u64At = async (key, hash) => {
  const bytes = await storage(key, hash);
  return bytes === null ? 0n : new Scale(bytes).u64();
};
const u16At = async (key, hash, missing) => {
  const bytes = await storage(key, hash);
  return bytes === null ? missing : new Scale(bytes).u16();
};

/** A `SafeFloat { mantissa: u128, exponent: i64 }` as [mantissa, exponent] BigInts. */
function safeFloat(bytes) {
  const mantissa = bytes.readBigUInt64LE(0) + (bytes.readBigUInt64LE(8) << 64n);
  return [mantissa, bytes.readBigInt64LE(16)];
}

/** floor(total × share ÷ pool) with both share counts as mantissa × 10^exponent, exactly. */
function shareValue(total, [m1, e1], [m2, e2]) {
  if (m2 === 0n) return 0n;
  const shift = e1 - e2;
  return shift >= 0n ? (total * m1 * 10n ** shift) / m2 : (total * m1) / (m2 * 10n ** -shift);
}

/** Finney's last-epoch APY from its two items, compounded once per epoch at the chain's epoch
 * spacing (`epochSpacing`: the runtime's next epoch start less `LastEpochBlock`). */
function apy(dividends, lastEpoch, spacing) {
  if (lastEpoch <= dividends || spacing === null) return null;
  const y = Number(dividends) / Number(lastEpoch - dividends);
  return (1 + y) ** ((365 * 7200) / spacing.blocks) - 1;
}

/** Full-page screenshots at 1280 and 375 px, light and dark. */
async function screenshots(page, name) {
  for (const [width, scheme] of [[1280, "light"], [1280, "dark"], [375, "light"], [375, "dark"]]) {
    await page.setViewportSize({ width, height: 900 });
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: `${screenshotDir}/${name}-${width}-${scheme}.png`, fullPage: true });
  }
}

const close = (a, b) => (a === null || b === null ? a === b : Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)));

test("a validator's APY on each subnet equals the formula computed from raw storage", async (context) => {
  const head = await rpc("chain_getFinalizedHead", []);
  const delegates = await keysUnder(subtensorKey("Delegates"), head);
  const hotkey = delegates[0].slice(-64);
  const page = await openPage(context, `/validators/${ss58(Buffer.from(hotkey, "hex"))}`);
  await verified(page);
  await page.getByRole("table", { name: "Per-subnet figures" }).waitFor();
  // Wait until an epoch has paid this validator somewhere (tempo 10: every 20 s).
  await page.waitForFunction(() => [...document.querySelectorAll("table td")].some((td) => /\d+\.\d\d %|> 10,000 %/.test(td.textContent)), null, { timeout: 120_000 });
  const { file } = await exportJson(page);
  const hash = file.block_hash;
  const lastEpochKeys = await keysUnder(subtensorKey("TotalHotkeyAlphaLastEpoch"), hash);
  let paid = 0;
  for (const row of file.rows) {
    const dividendKeys = await keysUnder(subtensorKey("AlphaDividendsPerSubnet", u16Key(row.netuid)), hash);
    const dividendKey = dividendKeys.find((k) => k.endsWith(hotkey));
    const dividends = dividendKey ? await u64At(dividendKey, hash) : 0n;
    const lastEpochKey = lastEpochKeys.find((k) => k.endsWith(hotkey + u16Key(row.netuid)));
    const lastEpoch = lastEpochKey ? await u64At(lastEpochKey, hash) : 0n;
    const spacing = await epochSpacing(row.netuid, hash);
    const expected = apy(dividends, lastEpoch, spacing);
    assert(close(row.apy, expected), `subnet ${row.netuid}: page APY ${row.apy} vs ${expected} (D ${dividends}, T ${lastEpoch}, epochs ${spacing?.blocks} blocks apart)`);
    assert(String(row.dividends_alpha) === String(dividends), `subnet ${row.netuid} dividends ${row.dividends_alpha} vs ${dividends}`);
    if (expected > 0) paid += 1;
  }
  assert(paid > 0, "an epoch paid this validator");
  const method = await page.locator("details.method").textContent();
  assert(method.includes("TotalHotkeyAlphaLastEpoch") && method.includes("(1 + y)^(365 × 7,200 ÷ S) − 1") && method.includes("S = next epoch start − LastEpochBlock"), "the page states the formula");
  // Nominators load on demand and are every coldkey with shares under the hotkey.
  await page.getByRole("button", { name: "Load nominators" }).click();
  await page.getByRole("table", { name: "Nominators" }).waitFor({ timeout: 120_000 });
  const { file: nominators } = await exportJson(page, 0, page.locator('section[aria-labelledby="nominators-title"]'));
  const shareKeys = await keysUnder(`${subtensorKey("AlphaV2")}`, nominators.block_hash);
  const coldkeys = new Set(shareKeys.filter((k) => k.slice(98, 162) === hotkey).map((k) => k.slice(194, 258)));
  assert(coldkeys.size > 1, `several coldkeys stake to the delegate: ${coldkeys.size}`);
  const listed = new Set(nominators.rows.map((r) => r.coldkey));
  for (const coldkey of coldkeys) assert(listed.has(ss58(Buffer.from(coldkey, "hex"))), `nominator ${coldkey} listed`);
  await screenshots(page, "validator-yield");
  assert(page.errors.length === 0, `page errors: ${page.errors}`);
  await page.close();
});

test("a coldkey's positions equal the share pools read from storage at the same block", async (context) => {
  const head = await rpc("chain_getFinalizedHead", []);
  const shareKeys = await keysUnder(subtensorKey("AlphaV2"), head);
  // The coldkey with the most positions: a nominator on several delegates and subnets.
  const count = new Map();
  for (const k of shareKeys) count.set(k.slice(194, 258), (count.get(k.slice(194, 258)) ?? 0) + 1);
  const [coldkey] = [...count.entries()].sort((a, b) => b[1] - a[1])[0];
  const address = ss58(Buffer.from(coldkey, "hex"));
  const page = await openPage(context, `/account/${address}`);
  await verified(page);
  await page.getByRole("table", { name: "Stake positions" }).waitFor();
  const { file } = await exportJson(page);
  const hash = file.block_hash;
  const poolKeys = await keysUnder(subtensorKey("TotalHotkeySharesV2"), hash);
  const alphaKeys = await keysUnder(subtensorKey("TotalHotkeyAlpha"), hash);
  const expected = [];
  for (const key of (await keysUnder(subtensorKey("AlphaV2"), hash)).filter((k) => k.slice(194, 258) === coldkey)) {
    const hotkey = key.slice(98, 162);
    const netuid = key.slice(258, 262);
    const share = safeFloat(await storage(key, hash));
    const poolKey = poolKeys.find((k) => k.endsWith(hotkey + netuid));
    const pool = poolKey ? safeFloat(await storage(poolKey, hash)) : [0n, 0n];
    const alphaKey = alphaKeys.find((k) => k.endsWith(hotkey + netuid));
    const total = alphaKey ? await u64At(alphaKey, hash) : 0n;
    const alpha = shareValue(total, share, pool);
    if (alpha > 0n) expected.push({ hotkey: ss58(Buffer.from(hotkey, "hex")), netuid: Buffer.from(netuid, "hex").readUInt16LE(0), alpha });
  }
  assert(expected.length >= 2 && file.rows.length === expected.length, `positions: page ${file.rows.length} vs storage ${expected.length}`);
  for (const want of expected) {
    const row = file.rows.find((r) => r.hotkey === want.hotkey && r.netuid === want.netuid);
    assert(row, `position ${want.hotkey} on ${want.netuid} listed`);
    const diff = BigInt(row.alpha) - want.alpha;
    assert(diff >= -1n && diff <= 1n, `${want.hotkey}/${want.netuid}: page ${row.alpha} α units vs ${want.alpha}`);
    const { price } = await poolPrice(want.netuid, hash);
    assert(Math.abs(row.value_rao - Number(want.alpha) * price) <= 1 + 1e-9 * row.value_rao, `value of ${want.netuid}: ${row.value_rao} vs ${Number(want.alpha) * price}`);
  }
  await page.locator(".stat-value").first().waitFor();
  await screenshots(page, "account");
  assert(page.errors.length === 0, `page errors: ${page.errors}`);
  await page.close();
});

test("a malformed address and an address with no stake each get a clear message", async (context) => {
  const page = await openPage(context, "/account/5NotAnAddress0OIl");
  const heading = await page.getByRole("heading", { level: 1 }).textContent();
  assert(heading === "Not an address", `heading ${heading}`);
  const message = await page.locator(".empty-state[role=alert]").textContent();
  assert(message.includes('"5NotAnAddress0OIl" is not an SS58 address'), `message: ${message}`);
  // The form says the same without leaving the page.
  await page.getByLabel("Coldkey (SS58)").fill("5Fxyz");
  await page.getByRole("button", { name: "Show stake" }).click();
  await page.locator("p.notice[role=alert]").waitFor();
  // A valid address nobody uses.
  const nobody = ss58(Buffer.alloc(32, 0x42));
  await page.getByLabel("Coldkey (SS58)").fill(nobody);
  await page.getByRole("button", { name: "Show stake" }).click();
  await page.waitForURL(`**/account/${nobody}`);
  await verified(page);
  const empty = page.locator(".empty-state", { hasText: "No stake found for this coldkey" });
  await empty.waitFor({ timeout: 120_000 });
  assert((await empty.textContent()).includes("at finalized block #"), "names the block");
  assert(page.errors.length === 0, `page errors: ${page.errors}`);
  await page.close();
});

test("a new neuron shows 'immune until #N' and the uid the chain would prune next is marked", async (context) => {
  const netuid = 4;
  const before = await u16At(subtensorKey("SubnetworkN", u16Key(netuid)), await rpc("chain_getFinalizedHead", []), 0);
  execFileSync(process.env.DEVNET_NODE_BIN, ["admin", "--rpc-port", process.env.DEVNET_RPC_PORT, "register-neuron", "--netuid", String(netuid), "--seed", `immunity-check-${Date.now()}`, "--stake", "0"], { stdio: "pipe" });
  const page = await openPage(context, `/subnets/${netuid}?sort=prune`);
  await verified(page);
  await page.getByRole("table", { name: "Neurons" }).waitFor();
  // Wait for a finalized block that includes the registration: one more uid.
  await page.waitForFunction((n) => document.querySelector(".count")?.textContent.startsWith(`${n} of`), before + 1, { timeout: 120_000 });
  const { file } = await exportJson(page);
  const hash = file.block_hash;
  const n = await u16At(subtensorKey("SubnetworkN", u16Key(netuid)), hash, 0);
  const immunity = await u16At(subtensorKey("ImmunityPeriod", u16Key(netuid)), hash, 4096);
  const floor = await u16At(subtensorKey("MinNonImmuneUids", u16Key(netuid)), hash, 10);
  const owner = await storage(subtensorKey("SubnetOwnerHotkey", u16Key(netuid)), hash);
  const emission = new Scale(await storage(subtensorKey("Emission", u16Key(netuid)), hash)).vec((s) => s.u64());
  const block = file.block_number;
  const candidates = [];
  for (let uid = 0; uid < n; uid += 1) {
    const registered = Number(await u64At(subtensorKey("BlockAtRegistration", u16Key(netuid), u16Key(uid)), hash));
    const hotkey = await storage(subtensorKey("Keys", u16Key(netuid), u16Key(uid)), hash);
    if (owner !== null && hex(hotkey) === hex(owner)) continue;
    candidates.push({ uid, emission: emission[uid] ?? 0n, registered, immune: block - registered < immunity });
  }
  const order = (a, b) => (a.emission < b.emission ? -1 : a.emission > b.emission ? 1 : a.registered - b.registered || a.uid - b.uid);
  const free = candidates.filter((c) => !c.immune).sort(order);
  const pool = free.length > floor ? free : candidates.filter((c) => c.immune).sort(order);
  const next = pool[0]?.uid;
  const newest = candidates.reduce((a, b) => (b.registered > a.registered ? b : a));
  assert(newest.immune, `the new uid ${newest.uid} (registered #${newest.registered}) is immune at #${block}`);
  const newRow = file.rows.find((r) => r.uid === newest.uid);
  assert(newRow.immune_until === newest.registered + immunity - 1, `immune until ${newRow.immune_until} vs ${newest.registered + immunity - 1}`);
  const cell = page.getByRole("row").filter({ hasText: `#${(newest.registered + immunity - 1).toLocaleString("en-US")}` });
  assert((await cell.count()) >= 1, "'Immune until' shows the block");
  const marked = file.rows.filter((r) => r.next_to_prune);
  assert(marked.length === 1 && marked[0].uid === next, `marked ${marked.map((r) => r.uid)} vs the rule's ${next}`);
  for (const c of free) {
    const row = file.rows.find((r) => r.uid === c.uid);
    assert(row.prune_rank === free.indexOf(c) + 1, `uid ${c.uid}: rank ${row.prune_rank} vs ${free.indexOf(c) + 1}`);
  }
  assert((await page.locator(".prune-next").count()) === 1, "one ▼ next marker on screen");
  const note = await page.locator(".pruning-note").textContent();
  assert(note.includes(`would replace uid ${next} (▼)`), `the note names the uid: ${note}`);
  await page.screenshot({ path: `${screenshotDir}/subnet-pruning-1280-light.png`, fullPage: false });
  assert(page.errors.length === 0, `page errors: ${page.errors}`);
  await page.close();
});

test("the subnets list marks the subnet a new subnet would replace, by the chain's rule", async (context) => {
  // Subnets are immune for NetworkImmunityPeriod after registration (100 blocks on the devnet):
  // wait until the rule has a candidate.
  const period = async (hash) => {
    const bytes = await storage(subtensorKey("NetworkImmunityPeriod"), hash);
    return bytes === null ? 1_296_000 : Number(new Scale(bytes).u64());
  };
  for (let tries = 0; ; tries += 1) {
    const head = await rpc("chain_getFinalizedHead", []);
    const number = parseInt((await rpc("chain_getHeader", [head])).number, 16);
    if (number > (await period(head)) + 2) break;
    assert(tries < 150, `finality reached #${number} only`);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
  const page = await openPage(context, "/subnets");
  await verified(page);
  await page.getByRole("table", { name: "Subnets" }).waitFor();
  const { file } = await exportJson(page);
  const hash = file.block_hash;
  const immunity = await period(hash);
  const candidates = [];
  for (const key of await keysUnder(subtensorKey("NetworksAdded"), hash)) {
    const netuid = Buffer.from(key.slice(-4), "hex").readUInt16LE(0);
    const added = (await storage(key, hash))[0] === 1;
    if (!added || netuid === 0) continue;
    const registered = Number(await u64At(subtensorKey("NetworkRegisteredAt", u16Key(netuid)), hash));
    const bits = await storage(subtensorKey("SubnetMovingPrice", u16Key(netuid)), hash);
    const price = bits === null ? 0n : bits.readBigUInt64LE(0) + (bits.readBigInt64LE(8) << 64n);
    if (file.block_number >= registered + immunity) candidates.push({ netuid, registered, price });
  }
  candidates.sort((a, b) => (a.price < b.price ? -1 : a.price > b.price ? 1 : a.registered - b.registered || a.netuid - b.netuid));
  assert(candidates.length > 0, "some subnet is past its immunity");
  const marked = file.rows.filter((r) => r.next_to_prune).map((r) => r.netuid);
  assert(marked.length === 1 && marked[0] === candidates[0].netuid, `marked ${marked} vs the rule's ${candidates[0].netuid}`);
  const row = page.getByRole("row").filter({ hasText: "▼ next" });
  assert((await row.count()) === 1, "one ▼ next on screen");
  assert(page.errors.length === 0, `page errors: ${page.errors}`);
  await page.close();
});

test("the shortlist ranks by the chosen criterion and warns where a validator has no permit", async (context) => {
  const netuid = 1;
  const page = await openPage(context, `/shortlist?by=take&subnet=${netuid}`);
  const picks = page.getByRole("list", { name: "Shortlist" }).locator("li.pick");
  await picks.first().waitFor({ timeout: 180_000 });
  // The provenance line's title is the hash of the block the ranking was read at.
  const hash = await verified(page);
  const permits = new Scale(await storage(subtensorKey("ValidatorPermit", u16Key(netuid)), hash)).vec((s) => s.u8() === 1);
  const uidKeys = await keysUnder(subtensorKey("Uids", u16Key(netuid)), hash);
  const delegateKeys = await keysUnder(subtensorKey("Delegates"), hash);
  let previousTake = -1;
  for (let i = 0; i < (await picks.count()); i += 1) {
    const pick = picks.nth(i);
    const hotkey = (await pick.locator("a").first().getAttribute("href")).split("/").pop();
    const delegateKey = delegateKeys.find((k) => ss58(Buffer.from(k.slice(-64), "hex")) === hotkey);
    const take = new Scale(await storage(delegateKey, hash)).u16() / 65535;
    assert(take >= previousTake - 1e-12, `ranked by take: ${take} after ${previousTake}`);
    previousTake = take;
    const uidKey = uidKeys.find((k) => k.endsWith(delegateKey.slice(-64)));
    const permitted = uidKey !== undefined && permits[new Scale(await storage(uidKey, hash)).u16()];
    const warned = (await pick.textContent()).includes(`No permit on subnet ${netuid}`);
    assert(warned === !permitted, `${hotkey}: permit ${permitted}, warned ${warned}`);
  }
  // The link carries the choice: the same URL in a fresh page gives the same order.
  const first = await picks.first().locator("a").first().getAttribute("href");
  const again = await openPage(context, `/shortlist?by=take&subnet=${netuid}`);
  await again.getByRole("list", { name: "Shortlist" }).locator("li.pick").first().waitFor({ timeout: 120_000 });
  assert((await again.locator("li.pick a").first().getAttribute("href")) === first, "same first pick from the link");
  await again.close();
  await screenshots(page, "shortlist");
  assert(page.errors.length === 0, `page errors: ${page.errors}`);
  await page.close();
});

test("a validator's root basket shows the runtime's own figures, verified, with its return worked out", async (context) => {
  const head = await rpc("chain_getFinalizedHead", []);
  const summaryAt = async (hotkey, hash) => {
    const answer = await rpc("state_call", ["BetaBasketRuntimeApi_get_validator_basket_summary", `0x${hotkey}`, hash]);
    // Finney 475's BasketSummary: no Option (a hotkey without a basket gets all zeros), the NAVs
    // before the share count, then the root weights and the holdings.
    const s = new Scale(Buffer.from(answer.slice(2), "hex"));
    s.account();
    const [nav, spot, shares, deposited, redeemed] = [s.u64(), s.u64(), s.u64(), s.u64(), s.u64()];
    s.vec((w) => [w.u16(), w.u16()]);
    const holdings = s.vec((h) => ({ netuid: h.u16(), alpha: h.u64(), spot: h.u64(), realizable: h.u64() }));
    if (shares === 0n && nav === 0n && deposited === 0n && holdings.length === 0) return null;
    return { shares, nav, spot, deposited, redeemed, holdings };
  };
  let hotkey = null;
  for (const key of await keysUnder(subtensorKey("Delegates"), head)) {
    if (await summaryAt(key.slice(-64), head)) {
      hotkey = key.slice(-64);
      break;
    }
  }
  assert(hotkey, "a delegate with a basket");
  const page = await openPage(context, `/validators/${ss58(Buffer.from(hotkey, "hex"))}`);
  await page.getByRole("table", { name: "Basket holdings" }).waitFor({ timeout: 180_000 });
  const section = page.locator("section.root-basket");
  const toolbar = await section.locator(".table-toolbar").count();
  assert(toolbar === 1, "the basket has its table");
  const { file } = await exportJson(page, 0, section);
  const want = await summaryAt(hotkey, file.block_hash);
  assert(file.rows.length === want.holdings.length, `holdings ${file.rows.length} vs ${want.holdings.length}`);
  for (const h of want.holdings) {
    const row = file.rows.find((r) => r.netuid === h.netuid);
    assert(row && String(row.alpha) === String(h.alpha) && String(row.realizable_rao) === String(h.realizable), `holding on ${h.netuid}`);
  }
  // Prices move every block, so the figures on screen are compared at the block the section
  // names, read in the same instant as its text.
  const shown = await section.evaluate((el) => ({ text: el.textContent, hash: el.querySelector(".provenance").title }));
  const then = await summaryAt(hotkey, shown.hash);
  const lifetime = (Number(then.nav) + Number(then.redeemed)) / Number(then.deposited);
  assert(shown.text.includes(`${lifetime.toFixed(3)} ×`), `lifetime return ${lifetime.toFixed(3)} shown: ${shown.text}`);
  assert(shown.text.includes(`${(Number(then.nav) / Number(then.shares)).toFixed(4)} τ`), "β price shown");
  assert((await section.locator(".provenance.verified").count()) === 1, "verified over a call proof");
  await page.screenshot({ path: `${screenshotDir}/validator-basket-1280-light.png`, fullPage: true });
  assert(page.errors.length === 0, `page errors: ${page.errors}`);
  await page.close();
});

test("the validators list counts nominators on request and says what that read", async (context) => {
  const page = await openPage(context, "/validators");
  await verified(page);
  await page.getByRole("button", { name: "Count nominators" }).click();
  const cost = page.locator(".nominator-cost");
  await cost.waitFor({ timeout: 120_000 });
  console.log(`     ${await cost.textContent()}`);
  assert(/Nominators counted at #[\d,]+: [\d.,]+ [k]?B of AlphaV2 keys and shares read for \d+ validators/.test(await cost.textContent()), `cost line: ${await cost.textContent()}`);
  // The counts join the table's rows as soon as they arrive (the cost line shows the same data).
  await page.waitForTimeout(300);
  const { file } = await exportJson(page);
  const shares = await keysUnder(subtensorKey("AlphaV2"), file.block_hash);
  for (const row of file.rows) {
    const hotkey = (await keysUnder(subtensorKey("Delegates"), file.block_hash)).find((k) => ss58(Buffer.from(k.slice(-64), "hex")) === row.hotkey).slice(-64);
    const coldkeys = new Set();
    for (const key of shares.filter((k) => k.slice(98, 162) === hotkey)) {
      const [mantissa] = safeFloat(await storage(key, file.block_hash));
      if (mantissa > 0n) coldkeys.add(key.slice(194, 258));
    }
    assert(row.nominators === coldkeys.size, `${row.hotkey}: ${row.nominators} nominators vs ${coldkeys.size}`);
  }
  assert(page.errors.length === 0, `page errors: ${page.errors}`);
  await page.close();
});
