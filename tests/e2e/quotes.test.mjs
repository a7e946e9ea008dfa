// Exit values and the stake/unstake simulator: what a position would return if unstaked now, and
// what an amount would buy or fetch, each equal to the runtime's own `sim_swap_*` answer at the
// block the page read and to the pool's curve computed here from raw storage (`poolSwap` in
// chain.mjs), never by the app's code. Also: a refused swap, and the trusted-RPC label.

import { assert, exportJson, openPage, screenshotDir, test, verifiedBlock as verified } from "./harness.mjs";
import { keysUnder, poolSwap, rpc, simSwap, ss58, subtensorKey } from "./chain.mjs";
import { countingProxy } from "./servers.mjs";

const FIELDS = ["taoAmount", "alphaAmount", "taoFee", "alphaFee", "taoSlippage", "alphaSlippage"];
const same = (a, b) => FIELDS.every((field) => a[field] === b[field]);
const shown = (answer) => FIELDS.map((field) => `${field} ${answer[field]}`).join(", ");

/** The runtime's answer and the independent one agree, and are returned. */
async function bothAnswers(netuid, side, amount, hash) {
  const runtime = await simSwap(netuid, side, amount, hash);
  const computed = await poolSwap(netuid, side, amount, hash);
  assert(same(runtime, computed), `${side} ${amount} on ${netuid}: runtime {${shown(runtime)}} vs curve {${shown(computed)}}`);
  return runtime;
}

/** Full-page screenshots at 1280 and 375 px, light and dark. */
async function screenshots(page, name) {
  for (const [width, scheme] of [[1280, "light"], [1280, "dark"], [375, "light"], [375, "dark"]]) {
    await page.setViewportSize({ width, height: 900 });
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: `${screenshotDir}/${name}-${width}-${scheme}.png`, fullPage: true });
  }
}

/** Sends the simulator's form and returns its figures with the block it states they are from. */
async function simulate(page, { netuid, side, amount }) {
  const form = page.getByRole("form", { name: "Simulate a stake or an unstake" });
  if (netuid !== undefined && (await form.getByLabel("Subnet").count()) > 0) await form.getByLabel("Subnet").selectOption(String(netuid));
  await form.getByLabel("Direction").selectOption(side);
  await form.getByLabel(/^Amount/).fill(amount);
  await form.getByRole("button", { name: "Quote" }).click();
  const section = page.locator("section.simulator");
  await section.locator(".quote, .quote-refused").first().waitFor({ timeout: 120_000 });
  await section.locator(".provenance").waitFor({ timeout: 120_000 });
  // Figures and the block in one read, so a new block between them cannot mix two quotes.
  return page.evaluate(() => {
    const root = document.querySelector("section.simulator");
    const figures = Object.fromEntries([...root.querySelectorAll("[data-figure]")].map((el) => [el.dataset.figure, BigInt(el.dataset.units).toString()]));
    const line = root.querySelector(".provenance");
    const netuid = Number(root.querySelector("[data-netuid]").dataset.netuid);
    return { figures, netuid, hash: line.getAttribute("title"), label: line.textContent, refused: root.querySelector(".quote-refused")?.textContent ?? null };
  });
}

/** A coldkey with positions on several subnets, read from the node. */
async function busiestColdkey(head) {
  const count = new Map();
  for (const key of await keysUnder(subtensorKey("AlphaV2"), head)) count.set(key.slice(194, 258), (count.get(key.slice(194, 258)) ?? 0) + 1);
  return [...count.entries()].sort((a, b) => b[1] - a[1])[0][0];
}

test("every position's exit value, fee and slippage equal the runtime's sim_swap and the pool's curve; the total sums them", async (context) => {
  const head = await rpc("chain_getFinalizedHead", []);
  const coldkey = await busiestColdkey(head);
  const page = await openPage(context, `/account/${ss58(Buffer.from(coldkey, "hex"))}`);
  await verified(page);
  await page.getByRole("table", { name: "Stake positions" }).waitFor();
  await page.locator(".exit-total").waitFor({ timeout: 120_000 });
  const { file } = await exportJson(page);
  const hash = file.block_hash;
  assert(file.rows.length >= 2, `positions: ${file.rows.length}`);
  let total = 0n;
  for (const row of file.rows) {
    const runtime = await bothAnswers(row.netuid, "unstake", row.alpha, hash);
    assert(BigInt(row.exit_value_rao) === runtime.taoAmount, `exit of ${row.hotkey}/${row.netuid}: page ${row.exit_value_rao} vs runtime ${runtime.taoAmount}`);
    assert(BigInt(row.exit_fee_alpha) === runtime.alphaFee, `fee of ${row.netuid}: page ${row.exit_fee_alpha} vs ${runtime.alphaFee}`);
    assert(BigInt(row.exit_slippage_rao) === runtime.taoSlippage, `slippage of ${row.netuid}: page ${row.exit_slippage_rao} vs ${runtime.taoSlippage}`);
    // Spot value = what comes out plus the slippage, but for the runtime's price being whole rao
    // per α (the page's is the formula's exact value): at most one rao per α, plus rounding.
    const gap = Math.abs(row.value_rao - Number(runtime.taoAmount + runtime.taoSlippage));
    assert(gap <= 2 + row.alpha / 1e9, `spot ${row.value_rao} vs exit + slippage ${runtime.taoAmount + runtime.taoSlippage} on ${row.netuid}`);
    total += runtime.taoAmount;
  }
  // The card shows the sum; it is read in the same block as the export (both from one snapshot).
  const card = await page.locator(".exit-total").getAttribute("data-rao");
  const block = await page.locator(".provenance").first().getAttribute("title");
  if (block === hash) assert(BigInt(card) === total, `total card ${card} vs Σ ${total}`);
  await screenshots(page, "account-exit");
  assert(page.errors.length === 0, `page errors: ${page.errors}`);
  await page.close();
});

test("the simulator on a subnet's page quotes stakes and unstakes as the runtime and the curve do, on balancer and superellipse pools", async (context) => {
  // Subnet 4 has a superellipse curve; 3 a balancer pool with unequal weights; 2 equal weights.
  for (const netuid of [4, 3, 2]) {
    const page = await openPage(context, `/subnets/${netuid}`);
    await verified(page);
    for (const [side, amount, units] of [["stake", "250", 250_000_000_000n], ["unstake", "1234.5", 1_234_500_000_000n]]) {
      const quote = await simulate(page, { side, amount });
      assert(quote.label.includes("Verified by light client"), `subnet ${netuid}: ${quote.label}`);
      assert(BigInt(quote.figures.in) === units, `amount in ${quote.figures.in}`);
      const runtime = await bothAnswers(netuid, side, units, quote.hash);
      const [out, fee, slippage] = side === "stake" ? [runtime.alphaAmount, runtime.taoFee, runtime.alphaSlippage] : [runtime.taoAmount, runtime.alphaFee, runtime.taoSlippage];
      assert(BigInt(quote.figures.out) === out && BigInt(quote.figures.fee) === fee && BigInt(quote.figures.slippage) === slippage,
        `subnet ${netuid} ${side}: page ${JSON.stringify(quote.figures)} vs runtime out ${out}, fee ${fee}, slippage ${slippage}`);
    }
    if (netuid === 4) await screenshots(page, "simulator-subnet");
    assert(page.errors.length === 0, `page errors: ${page.errors}`);
    await page.close();
  }
});

test("the simulator on a validator's page quotes the subnet picked; an amount the pool cannot pay is refused, not quoted", async (context) => {
  const head = await rpc("chain_getFinalizedHead", []);
  const [delegate] = await keysUnder(subtensorKey("Delegates"), head);
  const page = await openPage(context, `/validators/${ss58(Buffer.from(delegate.slice(-64), "hex"))}`);
  await verified(page);
  await page.getByRole("form", { name: "Simulate a stake or an unstake" }).waitFor({ timeout: 120_000 });
  const options = await page.getByLabel("Subnet").locator("option").allTextContents().catch(() => []);
  const netuid = options.length > 1 ? Number(options.at(-1).replace(/\D/g, "")) : undefined;
  const quote = await simulate(page, { netuid, side: "unstake", amount: "75" });
  assert(netuid === undefined || quote.netuid === netuid, `quoted subnet ${quote.netuid}, picked ${netuid}`);
  const runtime = await bothAnswers(quote.netuid, "unstake", 75_000_000_000n, quote.hash);
  assert(BigInt(quote.figures.out) === runtime.taoAmount, `validator page: ${quote.figures.out} vs ${runtime.taoAmount}`);
  // 10^8 τ is past a thousand times any devnet pool's TAO: the runtime answers zeros.
  const refused = await simulate(page, { netuid, side: "stake", amount: "100000000" });
  assert(refused.refused?.includes("would refuse"), `refused: ${JSON.stringify(refused)}`);
  const answer = await simSwap(refused.netuid, "stake", 100_000_000n * 1_000_000_000n, refused.hash);
  assert(FIELDS.every((field) => answer[field] === 0n), `the runtime refuses too: ${shown(answer)}`);
  await screenshots(page, "simulator-validator");
  // Bad input is named, never sent.
  await page.getByLabel(/^Amount/).fill("1e9");
  await page.getByRole("button", { name: "Quote" }).click();
  assert((await page.locator("section.simulator p.notice[role=alert]").textContent()).includes("not an amount"), "a bad amount is named");
  assert(page.errors.length === 0, `page errors: ${page.errors}`);
  await page.close();
});

test("read through a trusted RPC node, the simulator's quote and the exit values say Unverified · host, and earnings are not recorded", async (context) => {
  const proxy = await countingProxy();
  const rpcParam = `rpc=${encodeURIComponent(proxy.url)}`;
  const page = await openPage(context, `/subnets/2?${rpcParam}`);
  const quote = await simulate(page, { side: "stake", amount: "5" });
  assert(quote.label.includes("Unverified · 127.0.0.1"), `quote label: ${quote.label}`);
  await page.close();
  const coldkey = await busiestColdkey(await rpc("chain_getFinalizedHead", []));
  const account = await openPage(context, `/account/${ss58(Buffer.from(coldkey, "hex"))}?${rpcParam}`);
  await account.locator(".exit-total").waitFor({ timeout: 120_000 });
  const line = await account.locator(".provenance").first().textContent();
  assert(line.includes("Unverified · 127.0.0.1"), `account: ${line}`);
  assert((await account.locator(".provenance.verified").count()) === 0, "no verified mark");
  const earnings = await account.locator("section.earnings .hint").textContent();
  assert(earnings.includes("trusted RPC node"), `earnings on a trusted-RPC page: ${earnings}`);
  await account.close();
  proxy.server.close();
});
