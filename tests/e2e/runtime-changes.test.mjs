// What the page shows when the chain does what finney's runtime now allows or its sources bring
// next: a pool priced by a curve the balancer formula does not describe (the devnet's subnet 4 is
// a superellipse), an owner's new tempo, and a subnet's emission turned off by policy. Each is
// checked against the runtime's own answer or raw storage at the page's block. The devnet's
// admin changes are undone at the end of each test.

import { execFileSync } from "node:child_process";
import { assert, exportJson, openPage, screenshotDir, test, verifiedBlock } from "./harness.mjs";
import { Scale, epochSpacing, keysUnder, poolPrice, rpc, ss58, storage, subtensorKey, u16Key } from "./chain.mjs";

/** A root-only change through the devnet node's `admin` subcommand. */
const admin = (...args) =>
  execFileSync(process.env.DEVNET_NODE_BIN, ["admin", "--rpc-port", process.env.DEVNET_RPC_PORT, ...args], { stdio: "pipe" });

/** Waits until `check(finalized head hash)` holds, polling every second for at most `seconds`. */
async function untilFinalized(what, check, seconds = 90) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    if (await check(await rpc("chain_getFinalizedHead", []))) return;
    assert(Date.now() < deadline, `${what} within ${seconds} s`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** Exports the page's first table until `accept(file)` holds (the page re-renders at each
 * finalized block), for at most `seconds`. */
async function exportUntil(page, what, accept, seconds = 120) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const { file } = await exportJson(page);
    if (accept(file)) return file;
    assert(Date.now() < deadline, `${what} within ${seconds} s (last export at #${file.block_number})`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

const u64At = async (key, hash) => {
  const bytes = await storage(key, hash);
  return bytes === null ? 0n : new Scale(bytes).u64();
};

test("a superellipse pool is priced by the runtime's answer, and each subnet names its method", async (context) => {
  const page = await openPage(context, "/subnets");
  await verifiedBlock(page);
  const { file } = await exportJson(page);
  for (const row of file.rows.filter((r) => r.lifecycle !== "not_reportable")) {
    const { curve, price } = await poolPrice(row.netuid, file.block_hash);
    const expected = curve === "superellipse" ? "runtime_answer" : "balancer_formula";
    assert(row.price_method === expected, `subnet ${row.netuid} (${curve}): method ${row.price_method}, expected ${expected}`);
    assert(Math.abs(row.price_tao_per_alpha * 1e9 - price * 1e9) <= 1, `subnet ${row.netuid}: page ${row.price_tao_per_alpha} vs storage ${price}`);
  }
  assert(file.rows.find((r) => r.netuid === 4)?.price_method === "runtime_answer", "subnet 4 (the curve) is priced by the runtime");
  await page.close();

  const subnet = await openPage(context, "/subnets/4");
  await verifiedBlock(subnet);
  const stat = subnet.locator(".stat.price-stat");
  await stat.waitFor();
  assert((await stat.getAttribute("data-price-method")) === "runtime_answer", "the price stat names the runtime's answer");
  const method = await subnet.locator("details.method dd.price-method").textContent();
  assert(method.includes("current_alpha_price_all") && method.includes("Swap.SwapSuperellipse"), `method says ${method}`);
  await subnet.screenshot({ path: `${screenshotDir}/subnet-superellipse-1280-light.png`, fullPage: true });
  assert(subnet.errors.length === 0, `page errors: ${subnet.errors}`);
  await subnet.close();
});

test("an owner's new tempo: yields annualise on the chain's new epoch spacing", async (context) => {
  const netuid = 4;
  const tempo = 17;
  const tempoAt = async (hash) => new Scale(await storage(subtensorKey("Tempo", u16Key(netuid)), hash)).u16();
  const head = await rpc("chain_getFinalizedHead", []);
  const before = await tempoAt(head);
  assert(before !== tempo, `subnet ${netuid}'s tempo starts at ${before}`);
  admin("set-tempo", "--netuid", String(netuid), "--tempo", String(tempo));
  try {
    await untilFinalized(`tempo ${tempo} finalized`, async (hash) => (await tempoAt(hash)) === tempo);
    const [delegate] = await keysUnder(subtensorKey("Delegates"), head);
    const hotkey = delegate.slice(-64);
    const page = await openPage(context, `/validators/${ss58(Buffer.from(hotkey, "hex"))}`);
    await verifiedBlock(page);
    await page.getByRole("table", { name: "Per-subnet figures" }).waitFor();
    const file = await exportUntil(page, `the page at the new tempo`, (f) => f.rows.find((r) => r.netuid === netuid)?.epoch_spacing_blocks === tempo);
    const row = file.rows.find((r) => r.netuid === netuid);
    // The runtime's own next epoch start, less the raw LastEpochBlock, at the export's block.
    const spacing = await epochSpacing(netuid, file.block_hash);
    assert(spacing.blocks === tempo, `the runtime schedules epochs ${spacing.blocks} blocks apart after the change, not ${tempo}`);
    assert(row.last_epoch_block === spacing.last && row.next_epoch_start === spacing.next, `page #${row.last_epoch_block} → #${row.next_epoch_start}, chain #${spacing.last} → #${spacing.next}`);
    // The last epoch's yield from raw storage, compounded 7,200 × 365 ÷ 17 times: not ÷ (tempo + 1).
    const dividendKeys = await keysUnder(subtensorKey("AlphaDividendsPerSubnet", u16Key(netuid)), file.block_hash);
    const dividendKey = dividendKeys.find((k) => k.endsWith(hotkey));
    const dividends = dividendKey ? await u64At(dividendKey, file.block_hash) : 0n;
    const lastEpochKeys = await keysUnder(subtensorKey("TotalHotkeyAlphaLastEpoch"), file.block_hash);
    const lastEpochKey = lastEpochKeys.find((k) => k.endsWith(hotkey + u16Key(netuid)));
    const lastEpoch = lastEpochKey ? await u64At(lastEpochKey, file.block_hash) : 0n;
    if (lastEpoch > dividends) {
      const y = Number(dividends) / Number(lastEpoch - dividends);
      const expected = (1 + y) ** ((365 * 7200) / spacing.blocks) - 1;
      const close = Math.abs(row.apy - expected) <= 1e-9 * Math.max(1, Math.abs(expected));
      assert(close, `subnet ${netuid} APY: page ${row.apy} vs ${expected} on ${spacing.blocks}-block epochs`);
    } else {
      assert(row.apy === null, `subnet ${netuid}: no epoch has paid, the page shows ${row.apy}`);
    }
    const method = await page.locator("details.method").textContent();
    assert(method.includes("S = next epoch start − LastEpochBlock"), "the page states the spacing it annualises on");
    await page.screenshot({ path: `${screenshotDir}/validator-new-tempo-1280-light.png`, fullPage: true });
    assert(page.errors.length === 0, `page errors: ${page.errors}`);
    await page.close();
  } finally {
    admin("set-tempo", "--netuid", String(netuid), "--tempo", String(before));
  }
});

test("a subnet whose emission is off by policy says so, from SubnetEmissionEnabled", async (context) => {
  const netuid = 3;
  const enabledAt = async (n, hash) => {
    const bytes = await storage(subtensorKey("SubnetEmissionEnabled", u16Key(n)), hash);
    return bytes === null ? true : bytes[0] === 1;
  };
  admin("set-emission-enabled", "--netuid", String(netuid), "--enabled", "false");
  try {
    await untilFinalized("emission off finalized", async (hash) => !(await enabledAt(netuid, hash)));
    const page = await openPage(context, "/subnets");
    await verifiedBlock(page);
    const file = await exportUntil(page, "the page with emission off", (f) => f.rows.find((r) => r.netuid === netuid)?.emission_enabled === false);
    for (const row of file.rows) {
      const stored = await enabledAt(row.netuid, file.block_hash);
      assert(row.emission_enabled === stored, `subnet ${row.netuid}: page ${row.emission_enabled}, SubnetEmissionEnabled ${stored}`);
    }
    // The chain's policy: nothing injected into the pool in a block whose emission ran with the
    // switch off (the block that turned it off ran its emission before the change).
    let number = file.block_number;
    while (await enabledAt(netuid, await rpc("chain_getBlockHash", [number - 1]))) number += 1;
    await untilFinalized(`block #${number}`, async (hash) => parseInt((await rpc("chain_getHeader", [hash])).number, 16) >= number);
    const injected = await u64At(subtensorKey("SubnetTaoInEmission", u16Key(netuid)), await rpc("chain_getBlockHash", [number]));
    assert(injected === 0n, `no TAO injected into the pool at #${number}: ${injected} rao`);
    const rowText = await page.getByRole("table", { name: "Subnets" }).locator("tbody tr").nth(netuid).textContent();
    assert(rowText.includes("emission off by policy"), `subnet ${netuid}'s row: ${rowText}`);
    const others = await page.locator(".badge.emission-off").count();
    assert(others === 1, `${others} subnets labelled, only subnet ${netuid} is off`);
    await page.close();
    const subnet = await openPage(context, `/subnets/${netuid}`);
    await verifiedBlock(subnet);
    const badge = subnet.locator(".badge.emission-off").first();
    await badge.waitFor({ timeout: 60_000 });
    assert((await badge.getAttribute("title")).includes("SubnetEmissionEnabled"), "the label names its chain item");
    await subnet.screenshot({ path: `${screenshotDir}/subnet-emission-off-1280-light.png`, fullPage: true });
    assert(subnet.errors.length === 0, `page errors: ${subnet.errors}`);
    await subnet.close();
  } finally {
    admin("set-emission-enabled", "--netuid", String(netuid), "--enabled", "true");
  }
});
