// Verified data in the page: the in-browser light client syncs the devnet, and the tables on screen
// (read through their JSON export, which carries the block it was read at, and through the cells
// people see) equal the node's own RPC read of that same finalized block.

import { readFileSync } from "node:fs";
import { assert, exportJson, openPage, screenshotDir, test, verifiedBlock } from "./harness.mjs";
import { Scale, poolPrice, rpc, ss58, storage, subtensorKey, twox64Concat, u16Key } from "./chain.mjs";

// An absent key reads as the item's declared default (not always 0: MaxAllowedUids defaults to
// 256), which only the metadata knows: absent values are returned as null and not compared.
const u64Of = async (item, netuid, hash) => {
  const bytes = await storage(subtensorKey(item, u16Key(netuid)), hash);
  return bytes === null ? null : new Scale(bytes).u64();
};
const u16Of = async (item, netuid, hash) => {
  const bytes = await storage(subtensorKey(item, u16Key(netuid)), hash);
  return bytes === null ? null : new Scale(bytes).u16();
};

test("overview shows verified network figures", async (context) => {
  const page = await openPage(context, "/");
  const hash = await verifiedBlock(page);
  assert(/^0x[0-9a-f]{64}$/.test(hash), `block hash ${hash}`);
  const subnets = page.locator(".stat", { hasText: "Subnets" }).locator(".stat-value");
  assert((await subnets.textContent()) === "5", `subnet count ${await subnets.textContent()}`);
  const runtime = page.locator(".stat", { hasText: "Runtime version" }).locator(".stat-value");
  const version = await rpc("state_getRuntimeVersion", [hash]);
  assert((await runtime.textContent()) === String(version.specVersion), "runtime version");
  await page.locator(".chart svg").first().waitFor({ timeout: 60_000 });
  assert(page.errors.length === 0, `page errors: ${page.errors}`);
  await page.close();
});

test("overview's TAO per block is the subnets' injection plus chain buy, not the stale BlockEmission", async (context) => {
  const page = await openPage(context, "/");
  await verifiedBlock(page);
  const stat = page.locator(".stat", { hasText: "TAO emission per block" });
  const [title, value, note] = [await stat.getAttribute("title"), await stat.locator(".stat-value").textContent(), await stat.locator(".stat-note").textContent()];
  const block = Number(/read at finalized #([\d,]+)/.exec(title)[1].replaceAll(",", ""));
  const hash = await rpc("chain_getBlockHash", [block]);
  const sum = async (item) => {
    let total = 0n;
    for (const n of [0, 1, 2, 3, 4, 5]) total += (await u64Of(item, n, hash)) ?? 0n;
    return Number(total) / 1e9;
  };
  const [injected, chainBuy] = [await sum("SubnetTaoInEmission"), await sum("SubnetExcessTao")];
  const tao = (text) => Number(text.replace(/[^0-9.]/g, ""));
  assert(Math.abs(tao(value) - (injected + chainBuy)) < 1e-6, `shown ${value} at #${block}, storage ${injected} + ${chainBuy}`);
  const [shownInjected, shownChainBuy] = note.split("+").map(tao);
  assert(Math.abs(shownInjected - injected) < 1e-6 && Math.abs(shownChainBuy - chainBuy) < 1e-6, `split shown "${note}", storage ${injected} + ${chainBuy}`);
  // BlockEmission is never written on the devnet (nor on finney): it reads as its 1 TAO default.
  assert((await storage(subtensorKey("BlockEmission"), hash)) === null, "BlockEmission is not written");
  assert(Math.abs(tao(value) - 1) > 0.1, `the page shows ${value}, the stale BlockEmission's 1 τ`);
  await page.close();
});

test("subnets table equals the node's read of the same block", async (context) => {
  const page = await openPage(context, "/subnets");
  await verifiedBlock(page);
  const { file, name } = await exportJson(page);
  assert(name === `taoscope-subnets-block-${file.block_number}.json`, `file name ${name}`);
  assert(file.verified === true, "export says verified");
  const header = await rpc("chain_getHeader", [file.block_hash]);
  assert(parseInt(header.number, 16) === file.block_number, "export's block number matches its hash");
  assert(file.rows.length === 6, `rows: ${file.rows.length}`);
  const hash = file.block_hash;
  let compared = 0;
  const superellipsePools = [];
  for (const row of file.rows) {
    const n = row.netuid;
    const expect = async (field, value) => {
      if (value === null) return;
      compared += 1;
      assert(String(row[field]) === String(value), `subnet ${n} ${field}: page ${row[field]} vs node ${value}`);
    };
    await expect("tao_in_rao", await u64Of("SubnetTAO", n, hash));
    await expect("alpha_in", await u64Of("SubnetAlphaIn", n, hash));
    await expect("alpha_out", await u64Of("SubnetAlphaOut", n, hash));
    await expect("registration_cost_rao", await u64Of("Burn", n, hash));
    await expect("registered_at", await u64Of("NetworkRegisteredAt", n, hash));
    const [taoIn, excess] = [await u64Of("SubnetTaoInEmission", n, hash), await u64Of("SubnetExcessTao", n, hash)];
    await expect("tao_emission_per_block_rao", taoIn === null && excess === null ? null : (taoIn ?? 0n) + (excess ?? 0n));
    await expect("tempo", await u16Of("Tempo", n, hash));
    await expect("uids", await u16Of("SubnetworkN", n, hash));
    await expect("max_uids", await u16Of("MaxAllowedUids", n, hash));
    const owner = await storage(subtensorKey("SubnetOwner", u16Key(n)), hash);
    await expect("owner_coldkey", owner === null ? null : ss58(owner));
    // The pool's price, computed here from raw storage by its own curve, and the runtime's own
    // answer. A superellipse pool's price is the runtime's (rao per α, rounded down).
    const { price, q, curve, balancerFormula } = await poolPrice(n, hash);
    if (curve === "superellipse") {
      superellipsePools.push(n);
      assert(Math.abs(row.price_tao_per_alpha * 1e9 - price * 1e9) <= 1, `subnet ${n} price: page ${row.price_tao_per_alpha} vs the superellipse curve's ${price}`);
      assert(Math.abs(balancerFormula - price) > price * 0.1, `subnet ${n}: the balancer formula (${balancerFormula}) would misprice this pool (${price}), so the page did not use it`);
    } else {
      assert(Math.abs(row.price_tao_per_alpha - price) <= price * 1e-12, `subnet ${n} price: page ${row.price_tao_per_alpha} vs (1-q)/q·TAO/α ${price} (q ${q})`);
    }
    assert(Math.abs(row.pool_quote_weight - q) < 1e-12, `subnet ${n} q: page ${row.pool_quote_weight} vs ${q}`);
    if (row.lifecycle !== "not_reportable") {
      const answer = await rpc("state_call", ["SwapRuntimeApi_current_alpha_price", `0x${u16Key(n)}`, hash]);
      const raoPerAlpha = Number(new Scale(Buffer.from(answer.slice(2), "hex")).u64());
      assert(Math.abs(row.price_tao_per_alpha * 1e9 - raoPerAlpha) <= 1, `subnet ${n}: page ${row.price_tao_per_alpha} vs current_alpha_price ${raoPerAlpha} rao`);
    }
  }
  const byNetuid = Object.fromEntries(file.rows.map((r) => [r.netuid, r]));
  assert(Math.abs(byNetuid[1].pool_quote_weight - 0.5) > 0.01, `subnet 1's pool is not 50/50 (q ${byNetuid[1].pool_quote_weight}): a ratio price would differ`);
  assert(byNetuid[3].consensus === "Null" && byNetuid[5].lifecycle === "not_reportable" && byNetuid[2].mechanisms === 2, "consensus, lifecycle, mechanisms");
  assert(superellipsePools.join() === "4", `superellipse pools: [${superellipsePools}], the devnet has one, subnet 4`);
  // The devnet's genesis stores all 10 of these values for each of the four non-root subnets.
  assert(compared >= 4 * 10, `only ${compared} values compared`);
  // The cells people read come from the same rows as the export (tempo and uids do not change
  // while the test runs): check one row as shown.
  const cells = await page.getByRole("table", { name: "Subnets" }).locator("tbody tr").nth(1).locator("td").allTextContents();
  const one = file.rows.find((r) => r.netuid === 1);
  assert(cells[0] === "1" && cells[9] === String(one.tempo), `tempo cell ${cells[9]}`);
  assert(cells[8] === `${one.uids}/${one.max_uids}`, `uids cell ${cells[8]}`);
  const nameCell = async (netuid) => (await page.getByRole("table", { name: "Subnets" }).locator("tbody tr").nth(netuid).locator("td").nth(1).textContent());
  assert((await nameCell(3)).includes("Null consensus"), `subnet 3 is labelled: ${await nameCell(3)}`);
  assert((await nameCell(5)).includes("not reportable"), `subnet 5 is listed and labelled: ${await nameCell(5)}`);
  assert((await nameCell(2)).includes("2 mechanisms"), `subnet 2: ${await nameCell(2)}`);
  await page.screenshot({ path: `${screenshotDir}/subnets-data-1280-light.png`, fullPage: true });
  await page.close();
});

test("subnet 1's metagraph equals the node's read of the same block", async (context) => {
  const page = await openPage(context, "/subnets/1");
  await verifiedBlock(page);
  await page.getByRole("table", { name: "Neurons" }).waitFor();
  const { file, name } = await exportJson(page);
  assert(name === `taoscope-metagraph-1-block-${file.block_number}.json`, `file name ${name}`);
  const hash = file.block_hash;
  const vector = async (item, read) => new Scale(await storage(subtensorKey(item, u16Key(1)), hash)).vec(read);
  const u16s = (item) => vector(item, (s) => s.u16());
  const [incentive, dividends, trust, consensus] = await Promise.all(
    ["Incentive", "Dividends", "ValidatorTrust", "Consensus"].map(u16s),
  );
  const emission = await vector("Emission", (s) => s.u64());
  const lastUpdate = await vector("LastUpdate", (s) => s.u64());
  const active = await vector("Active", (s) => s.u8() === 1);
  const permit = await vector("ValidatorPermit", (s) => s.u8() === 1);
  const count = await u16Of("SubnetworkN", 1, hash);
  assert(file.rows.length === count, `rows ${file.rows.length} vs SubnetworkN ${count}`);
  for (const row of file.rows) {
    const uid = row.uid;
    const expect = (field, value) => assert(String(row[field]) === String(value), `uid ${uid} ${field}: page ${row[field]} vs node ${value}`);
    expect("incentive", incentive[uid] / 65535);
    expect("dividends", dividends[uid] / 65535);
    expect("validator_trust", trust[uid] / 65535);
    expect("consensus", consensus[uid] / 65535);
    expect("emission_alpha", emission[uid]);
    expect("last_update", lastUpdate[uid]);
    expect("active", active[uid]);
    expect("validator_permit", permit[uid]);
    const hotkey = await storage(subtensorKey("Keys", u16Key(1), u16Key(uid)), hash);
    expect("hotkey", ss58(hotkey));
    expect("registered_at", new Scale(await storage(subtensorKey("BlockAtRegistration", u16Key(1), u16Key(uid)), hash)).u64());
  }
  assert(file.rows.some((r) => r.incentive > 0), "the epoch paid incentive");
  await page.close();
});

test("validators list has every delegate with its take", async (context) => {
  const page = await openPage(context, "/validators");
  await verifiedBlock(page);
  await page.getByRole("table", { name: "Validators" }).waitFor();
  const { file } = await exportJson(page);
  const prefix = subtensorKey("Delegates");
  const keys = await rpc("state_getKeysPaged", [prefix, 1000, null, file.block_hash]);
  assert(keys.length > 0 && file.rows.length === keys.length, `rows ${file.rows.length} vs delegates ${keys.length}`);
  for (const key of keys) {
    const hotkey = ss58(Buffer.from(key.slice(-64), "hex"));
    const row = file.rows.find((r) => r.hotkey === hotkey);
    assert(row, `delegate ${hotkey} listed`);
    const take = new Scale(await storage(key, file.block_hash)).u16();
    assert(row.take === take / 65535, `take of ${hotkey}: ${row.take} vs ${take / 65535}`);
  }
  // Mean validator trust: over the permitted subnets, leaving out those in Null consensus
  // (SubnetEpochConsensus = 1), whose zeros are the mode's; computed here from raw storage.
  const seatsOf = new Map();
  for (const n of [1, 2, 3, 4]) {
    const mode = await storage(subtensorKey("SubnetEpochConsensus", u16Key(n)), file.block_hash);
    const trust = new Scale(await storage(subtensorKey("ValidatorTrust", u16Key(n)), file.block_hash)).vec((s) => s.u16());
    for (const key of await rpc("state_getKeysPaged", [subtensorKey("Uids", u16Key(n)), 1000, null, file.block_hash])) {
      const uid = new Scale(await storage(key, file.block_hash)).u16();
      const hotkey = ss58(Buffer.from(key.slice(-64), "hex"));
      seatsOf.set(`${hotkey}/${n}`, { null: mode !== null && mode[0] === 1, trust: trust[uid] / 65535 });
    }
  }
  let nullSeats = 0;
  for (const row of file.rows) {
    const seats = row.subnets_with_permit.split(" ").filter(Boolean).map((n) => seatsOf.get(`${row.hotkey}/${n}`));
    nullSeats += seats.filter((s) => s.null).length;
    const counted = seats.filter((s) => !s.null).map((s) => s.trust);
    const mean = counted.length === 0 ? null : counted.reduce((a, b) => a + b, 0) / counted.length;
    assert(mean === null ? row.mean_validator_trust === null : Math.abs(row.mean_validator_trust - mean) < 1e-12, `${row.hotkey}: mean v. trust ${row.mean_validator_trust} vs ${mean}`);
  }
  assert(nullSeats === 1, `one permit on the Null-consensus subnet: ${nullSeats}`);
  // Filters live in the URL: a max take of 10 % keeps exactly the delegates at or under it.
  const expected = file.rows.filter((r) => r.take * 100 <= 10 + 1e-9).length;
  await page.goto(`${page.url().split("?")[0]}?max_take=10`);
  await page.getByRole("table", { name: "Validators" }).waitFor({ timeout: 120_000 });
  await page.waitForFunction(
    (n) => document.querySelector(".count")?.textContent.startsWith(`${n} of`),
    expected,
    { timeout: 60_000 },
  );
  // A validator's own page.
  const first = file.rows[0];
  await page.goto(`${page.url().split("/validators")[0]}/validators/${first.hotkey}`);
  await page.getByRole("heading", { level: 1 }).waitFor();
  await page.locator(".provenance.verified").first().waitFor({ timeout: 120_000 });
  const heading = await page.getByRole("heading", { level: 1 }).textContent();
  // The export's name is the name shown everywhere: the identity's, or the shortened hotkey.
  assert(heading === first.name, `validator page heading ${heading} vs ${first.name}`);
  assert(page.errors.length === 0, `page errors: ${page.errors}`);
  await page.close();
});

test("the page follows finality: the block and an epoch-updated value change on screen", async (context) => {
  const page = await openPage(context, "/subnets/1?tab=validators");
  await verifiedBlock(page);
  const table = page.getByRole("table", { name: "Neurons" });
  await table.waitFor();
  const provenance = page.locator(".provenance.verified").first();
  const firstBlock = await provenance.getAttribute("title");
  // "Updated": validators' LastUpdate moves to the epoch block every tempo (10 blocks).
  const headers = await table.locator("thead th").allTextContents();
  const column = headers.findIndex((h) => h.startsWith("Updated"));
  assert(column >= 0, `no Updated column in ${headers}`);
  const updated = () => table.locator("tbody tr").first().locator("td").nth(column).textContent();
  const before = await updated();
  await page.waitForFunction(
    (hash) => document.querySelector(".provenance.verified")?.getAttribute("title") !== hash,
    firstBlock,
    { timeout: 60_000 },
  );
  const started = Date.now();
  let after = before;
  while (after === before && Date.now() - started < 90_000) {
    await page.waitForTimeout(1_000);
    after = await updated();
  }
  assert(after !== before, `the Updated cell stayed at ${before} for 90 s`);
  assert(page.errors.length === 0, `page errors: ${page.errors}`);
  await page.close();
});

test("trusted RPC mode reads the same subnets through the node's endpoint, marked unverified", async (context) => {
  const endpoint = `ws://127.0.0.1:${process.env.DEVNET_RPC_PORT}`;
  const page = await openPage(context, `/subnets?rpc=${encodeURIComponent(endpoint)}`);
  const provenance = page.locator(".provenance:not(.verified)").first();
  await provenance.waitFor({ timeout: 60_000 });
  const text = await provenance.textContent();
  assert(text.includes("Unverified · 127.0.0.1"), `provenance says ${text}`);
  const badge = await page.locator(".sync-status").textContent();
  assert(badge.includes("Trusted RPC 127.0.0.1 · unverified"), `status says ${badge}`);
  const { file } = await exportJson(page);
  assert(file.verified === false, "export says unverified");
  let compared = 0;
  for (const row of file.rows) {
    for (const [field, item] of [["tao_in_rao", "SubnetTAO"], ["alpha_in", "SubnetAlphaIn"], ["registration_cost_rao", "Burn"]]) {
      const value = await u64Of(item, row.netuid, file.block_hash);
      if (value === null) continue;
      compared += 1;
      assert(String(row[field]) === String(value), `subnet ${row.netuid} ${field}: page ${row[field]} vs node ${value}`);
    }
  }
  assert(compared >= 4 * 3, `only ${compared} values compared`);
  await page.screenshot({ path: `${screenshotDir}/subnets-trusted-rpc-1280-light.png`, fullPage: true });
  await page.close();

  // An endpoint nobody listens on: a clear error naming it, not a blank page.
  const refused = await openPage(context, `/subnets?rpc=${encodeURIComponent("ws://127.0.0.1:9")}`);
  await refused.getByText("cannot reach the RPC endpoint ws://127.0.0.1:9").first().waitFor({ timeout: 30_000 });
  const status = await refused.locator(".sync-status").textContent();
  assert(status.includes("RPC connection failed"), `status says ${status}`);
  assert(refused.errors.length === 0, `page errors: ${refused.errors}`);
  await refused.screenshot({ path: `${screenshotDir}/subnets-rpc-unreachable-1280-light.png` });
  await refused.close();
});

test("a Null-consensus subnet says so, so its zeros do not read as poor trust", async (context) => {
  const page = await openPage(context, "/subnets/3");
  await verifiedBlock(page);
  const mode = await storage(subtensorKey("SubnetEpochConsensus", u16Key(3)), null);
  assert(mode !== null && mode[0] === 1, `SubnetEpochConsensus[3] is Null (1) on the node: ${mode?.toString("hex")}`);
  await page.locator(".subnet-badges .badge", { hasText: "Null consensus" }).waitFor({ timeout: 60_000 });
  const note = await page.locator(".null-consensus").textContent();
  assert(note.includes("not a sign of poor trust"), `note: ${note}`);
  // On finney the one permit goes to the top stake; the devnet's epoch does the same.
  await page.getByRole("table", { name: "Neurons" }).waitFor({ timeout: 120_000 });
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.locator(".table-toolbar .export").getByRole("button", { name: "JSON" }).click(),
  ]);
  const rows = JSON.parse(readFileSync(await download.path(), "utf8")).rows;
  assert(rows.filter((r) => r.validator_permit).length === 1, `one permit: ${rows.filter((r) => r.validator_permit).length}`);
  assert(rows.every((r) => r.consensus === 0 && r.validator_trust === 0), "consensus and trust are zero");
  await page.screenshot({ path: `${screenshotDir}/subnet-null-consensus-1280-light.png`, fullPage: true });
  await page.close();
});

test("a two-mechanism subnet shows each mechanism's incentive, stored at netuid + k·4096, and the split", async (context) => {
  const page = await openPage(context, "/subnets/2");
  await verifiedBlock(page);
  const picker = page.getByRole("navigation", { name: "Incentive mechanisms" });
  await picker.waitFor({ timeout: 60_000 });
  const labels = await picker.getByRole("link").allTextContents();
  // MechanismEmissionSplit[2], read raw (Twox64Concat key): u16 parts of 65,535.
  const split = new Scale(await storage(subtensorKey("MechanismEmissionSplit", twox64Concat(u16Key(2))), null)).vec((s) => s.u16());
  const percent = (part) => `${((part / 65535) * 100).toFixed(2)} %`;
  assert(labels.length === 2 && labels[0].endsWith(percent(split[0])) && labels[1].endsWith(percent(split[1])), `picker ${labels} vs split ${split}`);
  const splitStat = await page.locator(".stat", { hasText: "Emission split" }).locator(".stat-value").textContent();
  assert(splitStat === `${percent(split[0])} / ${percent(split[1])}`, `split stat ${splitStat}`);
  const incentiveOf = async (mechanism) => {
    await page.getByRole("table", { name: "Neurons" }).waitFor({ timeout: 120_000 });
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.locator(".table-toolbar .export").getByRole("button", { name: "JSON" }).click(),
    ]);
    const file = JSON.parse(readFileSync(await download.path(), "utf8"));
    const stored = new Scale(await storage(subtensorKey("Incentive", u16Key(2 + 4096 * mechanism)), file.block_hash)).vec((s) => s.u16());
    for (const row of file.rows) {
      assert(row.incentive === stored[row.uid] / 65535, `mechanism ${mechanism} uid ${row.uid}: page ${row.incentive} vs Incentive[${2 + 4096 * mechanism}] ${stored[row.uid]}`);
    }
    assert(stored.some((v) => v > 0), `mechanism ${mechanism} paid incentive`);
    return { name: download.suggestedFilename(), stored };
  };
  const first = await incentiveOf(0);
  await picker.getByRole("link", { name: /^Mechanism 1/ }).click();
  await page.waitForURL(/\/subnets\/2\?mechanism=1/);
  await page.locator(".read-path", { hasText: "get_selective_mechagraph" }).waitFor({ timeout: 120_000 });
  const second = await incentiveOf(1);
  assert(second.name.includes("mechanism-1"), `export name ${second.name}`);
  assert(JSON.stringify(first.stored) !== JSON.stringify(second.stored), "the mechanisms' incentives differ");
  await page.screenshot({ path: `${screenshotDir}/subnet-mechanism-1-1280-light.png`, fullPage: true });
  await page.close();
});
