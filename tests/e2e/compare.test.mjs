// Validators side by side (`/compare?v=A,B`): every figure read at one block, equal to each
// validator's own page at that block and to the raw storage the APY formula reads; the link
// round-trips (a reload and the canonical link show the same columns); the comparison is reached
// from the validators list's ticked rows and from the shortlist. Only reads.

import { assert, baseUrl, exportJson, openPage, screenshotDir, test, verifiedBlock as verified } from "./harness.mjs";
import { Scale, epochSpacing, keysUnder, rpc, ss58, storage, subtensorKey, u16Key } from "./chain.mjs";

const u64At = async (key, hash) => {
  const bytes = await storage(key, hash);
  return bytes === null ? 0n : new Scale(bytes).u64();
};

/** Finney's last-epoch APY from its two items at the chain's epoch spacing (as stake.test.mjs). */
function apy(dividends, lastEpoch, spacing) {
  if (lastEpoch <= dividends || spacing === null) return null;
  const y = Number(dividends) / Number(lastEpoch - dividends);
  return (1 + y) ** ((365 * 7200) / spacing.blocks) - 1;
}

const close = (a, b) => (a === null || b === null ? a === b : Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)));

/** Full-page screenshots at 1280 and 375 px, light and dark. */
async function screenshots(page, name) {
  for (const [width, scheme] of [[1280, "light"], [1280, "dark"], [375, "light"], [375, "dark"]]) {
    await page.setViewportSize({ width, height: 900 });
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: `${screenshotDir}/${name}-${width}-${scheme}.png`, fullPage: true });
  }
}

/** The compared hotkeys, in column order, from the table's header links. */
const columns = (page) =>
  page
    .getByRole("table", { name: "Validators compared" })
    .locator("thead th a.name-cell")
    .evaluateAll((links) => links.map((a) => decodeURIComponent(a.getAttribute("href").split("/").pop())));

/** The compare export's figure for `hotkey` (and `netuid`, null for validator-wide ones). */
const figure = (file, hotkey, name, netuid = null) => file.rows.find((r) => r.hotkey === hotkey && r.figure === name && r.netuid === netuid)?.value;

/** Two delegates, as SS58 and as the raw key hex. */
async function twoDelegates() {
  const head = await rpc("chain_getFinalizedHead", []);
  const keys = (await keysUnder(subtensorKey("Delegates"), head)).map((k) => k.slice(-64));
  assert(keys.length >= 2, `two delegates on the devnet: ${keys.length}`);
  return keys.slice(0, 2).map((raw) => ({ raw, address: ss58(Buffer.from(raw, "hex")) }));
}

test("compare: two validators at one block equal their own pages and raw storage; the link round-trips", async (context) => {
  const [a, b] = await twoDelegates();
  const path = `/compare?v=${a.address},${b.address}`;
  const page = await openPage(context, path);
  await verified(page);
  const table = page.getByRole("table", { name: "Validators compared" });
  await table.waitFor({ timeout: 120_000 });
  assert(JSON.stringify(await columns(page)) === JSON.stringify([a.address, b.address]), `columns ${await columns(page)}`);
  const same = await page.locator(".same-block").textContent();
  assert(/Same block: all 2 read at #[\d,]+/.test(same), `the toolbar names the one block: ${same}`);

  // Figures against raw storage at the export's block: take and each subnet's APY.
  const { file, name } = await exportJson(page);
  assert(file.verified && name.startsWith("taoscope-compare-block-"), `export ${name} verified ${file.verified}`);
  const hash = file.block_hash;
  const lastEpochKeys = await keysUnder(subtensorKey("TotalHotkeyAlphaLastEpoch"), hash);
  let checked = 0;
  for (const { raw, address } of [a, b]) {
    const takeKey = (await keysUnder(subtensorKey("Delegates"), hash)).find((k) => k.endsWith(raw));
    const take = new Scale(await storage(takeKey, hash)).u16() / 65535;
    assert(close(figure(file, address, "take"), take), `${address} take ${figure(file, address, "take")} vs storage ${take}`);
    const seats = file.rows.filter((r) => r.hotkey === address && r.figure === "apy" && r.netuid !== null);
    checked += seats.length;
    for (const seat of seats) {
      const dividendKey = (await keysUnder(subtensorKey("AlphaDividendsPerSubnet", u16Key(seat.netuid)), hash)).find((k) => k.endsWith(raw));
      const dividends = dividendKey ? await u64At(dividendKey, hash) : 0n;
      const lastEpochKey = lastEpochKeys.find((k) => k.endsWith(raw + u16Key(seat.netuid)));
      const lastEpoch = lastEpochKey ? await u64At(lastEpochKey, hash) : 0n;
      const spacing = await epochSpacing(seat.netuid, hash);
      const expected = apy(dividends, lastEpoch, spacing);
      assert(close(seat.value, expected), `${address} SN${seat.netuid}: APY ${seat.value} vs storage ${expected}`);
      assert(String(figure(file, address, "dividends_alpha", seat.netuid)) === String(dividends), `${address} SN${seat.netuid} dividends`);
    }
  }
  assert(checked > 0, "one of the two validates somewhere");

  // The same figures as each validator's own page, compared when both exports name one block.
  for (const { address } of [a, b]) {
    const own = await openPage(context, `/validators/${address}`);
    await verified(own);
    await own.getByRole("table", { name: "Per-subnet figures" }).waitFor({ timeout: 120_000 });
    let matched = null;
    for (let attempt = 0; attempt < 30 && matched === null; attempt += 1) {
      const [{ file: mine }, { file: theirs }] = [await exportJson(page), await exportJson(own)];
      if (mine.block_hash === theirs.block_hash) matched = { mine, theirs };
      else await new Promise((resolve) => setTimeout(resolve, 400));
    }
    assert(matched !== null, `${address}: the comparison and the validator's page never exported the same block`);
    const { mine, theirs } = matched;
    const permits = mine.rows.filter((r) => r.hotkey === address && r.figure === "validator_trust").length;
    assert(permits === theirs.rows.length, `${address}: ${permits} subnets compared vs ${theirs.rows.length} on its page`);
    for (const seat of theirs.rows) {
      for (const field of ["validator_trust", "apy", "dividends_alpha", "stake_last_epoch_alpha", "epoch_spacing_blocks"]) {
        const compared = figure(mine, address, field, seat.netuid);
        assert(String(compared) === String(seat[field]), `${address} SN${seat.netuid} ${field}: compare ${compared} vs own page ${seat[field]} at #${mine.block_number}`);
      }
    }
    assert(own.errors.length === 0, `validator page errors: ${own.errors}`);
    await own.close();
  }
  const method = await page.locator("details.method").textContent();
  assert(method.includes("TotalHotkeyAlphaLastEpoch") && method.includes("Delegates(hotkey) ÷ 65,535") && method.includes("same finalized block"), "the page states its method");
  // Differences are marked in words: the lower take says "best" when the takes differ.
  const takes = [figure(file, a.address, "take"), figure(file, b.address, "take")];
  const takeRow = table.getByRole("row").filter({ has: page.getByRole("rowheader", { name: /^Take/ }) });
  const marks = await takeRow.locator(".best-mark").count();
  assert(marks === (takes[0] === takes[1] ? 0 : 1), `take ${takes}: ${marks} "best" marks`);

  // The link round-trips: the canonical link is this URL, and a reload shows the same columns.
  const link = await page.locator(".compare-link .mono").getAttribute("title");
  assert(link === baseUrl + path, `canonical link ${link} vs ${baseUrl + path}`);
  await page.reload();
  await verified(page);
  await table.waitFor({ timeout: 120_000 });
  assert(JSON.stringify(await columns(page)) === JSON.stringify([a.address, b.address]), "same columns after a reload");
  await page.locator(".compare-table tbody tr").nth(4).waitFor();
  await screenshots(page, "compare");
  assert(page.errors.length === 0, `page errors: ${page.errors}`);
  await page.close();
});

test("compare: a messy list is named in notices and its canonical link keeps the valid hotkeys in order", async (context) => {
  const [a, b] = await twoDelegates();
  const page = await openPage(context, `/compare?v=${b.address},nope,${b.address},${a.address}&x=1`);
  const notice = await page.locator(".notice[role=status]").first().textContent({ timeout: 60_000 });
  assert(notice.includes('"nope"') && notice.includes("listed twice") && notice.includes('"x"'), `notice: ${notice}`);
  await verified(page);
  await page.getByRole("table", { name: "Validators compared" }).waitFor({ timeout: 120_000 });
  assert(JSON.stringify(await columns(page)) === JSON.stringify([b.address, a.address]), "the valid hotkeys, in the link's order");
  const link = await page.locator(".compare-link .mono").getAttribute("title");
  assert(link === `${baseUrl}/compare?v=${b.address},${a.address}`, `canonical link ${link}`);
  const one = await openPage(context, `/compare?v=${a.address}`);
  const empty = await one.locator(".empty-state").first().textContent({ timeout: 60_000 });
  assert(empty.includes("needs 2 to 4"), `one hotkey: ${empty}`);
  for (const p of [page, one]) {
    assert(p.errors.length === 0, `page errors: ${p.errors}`);
    await p.close();
  }
});

test("compare is reached from the validators list's ticked rows and from the shortlist", async (context) => {
  const page = await openPage(context, "/validators");
  await verified(page);
  const list = page.getByRole("table", { name: "Validators" });
  await list.waitFor({ timeout: 120_000 });
  assert(await page.getByRole("button", { name: "Compare selected" }).isDisabled(), "disabled with nothing ticked");
  const boxes = list.getByRole("checkbox");
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  await page.getByRole("link", { name: "Compare selected (2)" }).click();
  await page.waitForURL(/\/compare\?v=[^,]+,[^,]+$/);
  await page.getByRole("table", { name: "Validators compared" }).waitFor({ timeout: 120_000 });
  assert((await columns(page)).length === 2, "two columns from two ticked rows");
  await page.goto(`${baseUrl}/shortlist`);
  await verified(page);
  await page.getByRole("link", { name: /^Compare the top \d/ }).click();
  await page.waitForURL(/\/compare\?v=/);
  await page.getByRole("table", { name: "Validators compared" }).waitFor({ timeout: 120_000 });
  assert((await columns(page)).length >= 2, "the shortlist's top picks compared");
  assert(page.errors.length === 0, `page errors: ${page.errors}`);
  await page.close();
});
