// The basket leaderboard (`/baskets`): every row equal to the runtime's own
// `BetaBasketRuntimeApi_get_all_validator_baskets` answer at the page's block, decoded here from
// its SCALE bytes (finney's 475 layout), both as the table shows it and as it exports it; the
// order follows the headers and round-trips through the URL; each validator's basket widget
// links here. Only reads. (A runtime without the call: fault row 8, `faults/upgrade.mjs`.)

import { assert, exportJson, openPage, screenshotDir, test, verifiedBlock } from "./harness.mjs";
import { Scale, rpc, ss58 } from "./chain.mjs";

/** The runtime's answer at `hash`, decoded independently: `Vec<BasketSummary { hotkey, nav_tao,
 * spot_nav_tao, shares, deposited_tao, redeemed_tao: u64, weights: Vec<(u16, u16)>, holdings:
 * Vec<{ netuid: u16, alpha, spot_tao, realizable_tao: u64 }> }>`, the whole answer consumed. */
async function runtimeBaskets(hash) {
  const answer = await rpc("state_call", ["BetaBasketRuntimeApi_get_all_validator_baskets", "0x", hash]);
  const scale = new Scale(Buffer.from(answer.slice(2), "hex"));
  const baskets = scale.vec((s) => ({
    hotkey: ss58(s.account()),
    nav: s.u64(),
    spotNav: s.u64(),
    shares: s.u64(),
    deposited: s.u64(),
    redeemed: s.u64(),
    weights: s.vec((w) => [w.u16(), w.u16()]),
    holdings: s.vec((h) => ({ netuid: h.u16(), alpha: h.u64(), spot: h.u64(), realizable: h.u64() })),
  }));
  assert(scale.at === scale.bytes.length, `${scale.bytes.length - scale.at} bytes of the answer left over`);
  return baskets;
}

/** The SDK's derivations, in exact rationals turned to floats at the end. */
const lifetimeReturn = (b) => (b.deposited === 0n ? null : Number(b.nav + b.redeemed) / Number(b.deposited));
const betaPrice = (b) => (b.shares === 0n ? null : Number(b.nav) / Number(b.shares));
const close = (a, b) => (a === null || b === null ? a === b : Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)));

/** Whether `shown` ("1,234.57 τ", "1.200 ×") states `exact` to the places it shows. */
function showsFigure(shown, exact) {
  if (exact === null) return shown.trim() === "—";
  const number = shown.replace(/[^\d.]/g, "");
  const places = number.includes(".") ? number.split(".")[1].length : 0;
  return Math.abs(Number(number) - exact) <= 0.5 * 10 ** -places + 1e-9 * Math.abs(exact);
}

/** The table's header labels and every row's cells, and the block the provenance line names, read
 * in one go so the figures and the block cannot come from two renders. */
const snapshot = (page) =>
  page.evaluate(() => {
    const table = document.querySelector('table[aria-label="Root baskets"]');
    const labels = [...table.querySelectorAll("thead th")].map((th) => th.textContent.replace(/[▲▼]/g, "").trim());
    const rows = [...table.querySelectorAll("tbody tr")].map((tr) => {
      const cells = [...tr.querySelectorAll("td")].map((td) => td.textContent);
      const href = tr.querySelector("a.name-cell")?.getAttribute("href") ?? "";
      return { hotkey: decodeURIComponent(href.split("/").pop()), cells };
    });
    return { hash: document.querySelector(".provenance.verified")?.getAttribute("title"), labels, rows };
  });

/** A column's figure per row, by header label. */
const column = (shot, label) => {
  const index = shot.labels.indexOf(label);
  assert(index >= 0, `no column ${label}: ${shot.labels}`);
  return shot.rows.map((row) => row.cells[index]);
};

/** Full-page screenshots at 1280 and 375 px, light and dark, with no sideways scrolling. */
async function screenshots(page, name) {
  for (const [width, scheme] of [[1280, "light"], [1280, "dark"], [375, "light"], [375, "dark"]]) {
    await page.setViewportSize({ width, height: 900 });
    await page.emulateMedia({ colorScheme: scheme });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert(overflow <= 0, `${name} scrolls sideways by ${overflow}px at ${width}px ${scheme}`);
    await page.screenshot({ path: `${screenshotDir}/${name}-${width}-${scheme}.png`, fullPage: true });
    if (width < 600) {
      // On a phone the figures scroll sideways under the validator column, which stays in view.
      const wrap = page.locator(".table-wrap").first();
      await wrap.evaluate((element) => element.scrollTo({ left: element.scrollWidth }));
      const cell = await wrap.locator("tbody a.name-cell").first().boundingBox();
      const box = await wrap.boundingBox();
      assert(cell && cell.x >= box.x && cell.x < box.x + 40, `the validator column scrolled out of view: ${JSON.stringify(cell)}`);
      await page.screenshot({ path: `${screenshotDir}/${name}-${width}-${scheme}-scrolled.png`, fullPage: true });
      await wrap.evaluate((element) => element.scrollTo({ left: 0 }));
    }
  }
}

test("baskets: the leaderboard equals the runtime's get_all_validator_baskets answer at the page's block", async (context) => {
  const page = await openPage(context, "/baskets");
  await verifiedBlock(page);
  await page.getByRole("table", { name: "Root baskets" }).locator("a.name-cell").first().waitFor({ timeout: 120_000 });

  // What the table shows, against the runtime's answer at the block its provenance line names.
  const shot = await snapshot(page);
  const atShown = await runtimeBaskets(shot.hash);
  assert(atShown.length > 0, "the devnet seeds root baskets");
  assert(shot.rows.length === atShown.length, `${shot.rows.length} rows, the runtime lists ${atShown.length}`);
  const figures = {
    NAV: (b) => Number(b.nav) / 1e9,
    "Spot NAV": (b) => Number(b.spotNav) / 1e9,
    "Lifetime return": lifetimeReturn,
    "β price": betaPrice,
    "β supply": (b) => Number(b.shares) / 1e9,
    "Paid in": (b) => Number(b.deposited) / 1e9,
    "Paid out": (b) => Number(b.redeemed) / 1e9,
    Holdings: (b) => b.holdings.length,
  };
  for (const [label, exact] of Object.entries(figures)) {
    const shown = column(shot, label);
    shot.rows.forEach((row, at) => {
      const basket = atShown.find((b) => b.hotkey === row.hotkey);
      assert(basket, `row ${row.hotkey} is not in the runtime's answer`);
      assert(showsFigure(shown[at], exact(basket)), `${row.hotkey} ${label}: shows ${shown[at]}, the runtime ${exact(basket)}`);
    });
  }
  // Largest first by NAV, the default order.
  const navs = shot.rows.map((row) => atShown.find((b) => b.hotkey === row.hotkey).nav);
  assert(navs.every((nav, at) => at === 0 || navs[at - 1] >= nav), `NAV order: ${navs}`);

  // The export, exact: raw integers and the derived figures, against the answer at its block.
  const { file, name } = await exportJson(page);
  assert(file.verified && name.includes("root-baskets"), `export ${name} verified ${file.verified}`);
  const atExport = await runtimeBaskets(file.block_hash);
  assert(file.rows.length === atExport.length, `${file.rows.length} exported, the runtime lists ${atExport.length}`);
  for (const basket of atExport) {
    const row = file.rows.find((r) => r.hotkey === basket.hotkey);
    assert(row, `${basket.hotkey} is not exported`);
    for (const [field, value] of [["nav_rao", basket.nav], ["spot_nav_rao", basket.spotNav], ["shares", basket.shares], ["deposited_rao", basket.deposited], ["redeemed_rao", basket.redeemed]]) {
      assert(BigInt(row[field]) === value, `${basket.hotkey} ${field}: exported ${row[field]}, the runtime ${value}`);
    }
    assert(row.holdings === basket.holdings.length, `${basket.hotkey} holdings ${row.holdings} vs ${basket.holdings.length}`);
    assert(close(row.lifetime_return, lifetimeReturn(basket)), `${basket.hotkey} lifetime return ${row.lifetime_return} vs ${lifetimeReturn(basket)}`);
    assert(close(row.beta_price, betaPrice(basket)), `${basket.hotkey} β price ${row.beta_price} vs ${betaPrice(basket)}`);
  }

  // The names come from the validators list, read beside the leaderboard: shown once it is in.
  await page
    .waitForFunction(() => [...document.querySelectorAll("a.name-cell")].some((a) => !a.textContent.includes("…")), null, { timeout: 60_000 })
    .catch(() => console.log("no validator name shown within 60 s: screenshots with shortened hotkeys"));
  await screenshots(page, "baskets-leaderboard");
  assert(page.errors.length === 0, `page errors: ${page.errors}`);
  await page.close();
});

test("baskets: the headers sort the rows, and the order round-trips through the URL", async (context) => {
  const page = await openPage(context, "/baskets");
  await verifiedBlock(page);
  const table = page.getByRole("table", { name: "Root baskets" });
  await table.locator("a.name-cell").first().waitFor({ timeout: 120_000 });
  const header = table.locator("thead th").filter({ hasText: "Lifetime return" });
  // Rows without a return (nothing paid in: "—") stay last in either order; the rest are compared.
  const returns = async () =>
    column(await snapshot(page), "Lifetime return")
      .filter((text) => text.trim() !== "—")
      .map((text) => Number(text.replace(/[^\d.]/g, "")));
  const ordered = (values, descending) => values.every((v, at) => at === 0 || (descending ? values[at - 1] >= v : values[at - 1] <= v));

  await header.getByRole("button").click();
  await page.waitForURL(/sort=-return/);
  assert((await header.getAttribute("aria-sort")) === "descending", "largest return first on the first click");
  assert(ordered(await returns(), true), `descending: ${await returns()}`);
  await header.getByRole("button").click();
  await page.waitForURL(/sort=return(&|$)/);
  assert((await header.getAttribute("aria-sort")) === "ascending", "then smallest first");
  assert(ordered(await returns(), false), `ascending: ${await returns()}`);

  // A reload of the link shows the same order.
  await page.reload();
  await verifiedBlock(page);
  await table.locator("a.name-cell").first().waitFor({ timeout: 120_000 });
  assert((await table.locator("thead th").filter({ hasText: "Lifetime return" }).getAttribute("aria-sort")) === "ascending", "the order survives a reload");
  assert(ordered(await returns(), false), `after the reload: ${await returns()}`);

  // Names link to the validator's page, whose basket widget links back here.
  const first = table.locator("a.name-cell").first();
  const hotkey = decodeURIComponent((await first.getAttribute("href")).split("/").pop());
  await first.click();
  await page.waitForURL(`**/validators/${hotkey}`);
  const back = page.getByRole("link", { name: "Every validator's basket side by side" });
  await back.waitFor({ timeout: 120_000 });
  await back.click();
  await page.getByRole("heading", { level: 1, name: "Root baskets" }).waitFor();
  assert(page.errors.length === 0, `page errors: ${page.errors}`);
  await page.close();
});
