// Alerts in the browser: a rule on a devnet subnet's price fires exactly once when an admin
// stake moves the price past it (the entry names the block and the figures, checked against raw
// storage at those blocks), not again without a new crossing, not again after a reload, and as a
// system notification once Chromium grants the permission; read through a trusted RPC node the
// page says "Unverified · host" and the same crossing fires nothing. The stakes stay on the devnet
// (they only raise a pool's price); the rules and firings are removed at the end. axe-core checks
// the page with a rule and a firing, and the open form on a subnet's page, light and dark.

import { execFileSync } from "node:child_process";
import { assert, baseUrl, screenshotDir, test, verifiedBlock } from "./harness.mjs";
import { Scale, keysUnder, poolPrice, rpc, simSwap, ss58, storage, subtensorKey, u16Key } from "./chain.mjs";
import { axeViolations, report } from "./checks.mjs";
import { countingProxy } from "./servers.mjs";

const NETUID = 1;
const PERCENT = 5;

/** A root-only change through the devnet node's `admin` subcommand. */
const admin = (...args) =>
  execFileSync(process.env.DEVNET_NODE_BIN, ["admin", "--rpc-port", process.env.DEVNET_RPC_PORT, ...args], { stdio: "pipe" });

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Stakes a tenth of the pool's TAO into subnet `NETUID` for a staker the chain already has: the
 * price rises by about a fifth, well past `PERCENT`. Returns the block it was finalized at or
 * before (the first finalized block whose pool holds it). */
async function stakeIntoPool() {
  const head = await rpc("chain_getFinalizedHead", []);
  const taoKey = subtensorKey("SubnetTAO", u16Key(NETUID));
  const taoBefore = new Scale(await storage(taoKey, head)).u64();
  const keys = await keysUnder(subtensorKey("AlphaV2"), head);
  const key = keys.find((k) => k.endsWith(u16Key(NETUID))) ?? keys[0];
  const hotkey = key.slice(98, 162);
  const coldkey = key.slice(194, 258);
  const amount = taoBefore / 10n;
  admin("add-stake", "--netuid", String(NETUID), "--hotkey", `0x${hotkey}`, "--coldkey", `0x${coldkey}`, "--tao", String(amount));
  // The pool keeps the stake less the swap's fee (well under a tenth of it).
  const staked = async (hash) => new Scale(await storage(taoKey, hash)).u64() >= taoBefore + (amount * 9n) / 10n;
  const deadline = Date.now() + 90_000;
  let hash = await rpc("chain_getFinalizedHead", []);
  while (!(await staked(hash))) {
    assert(Date.now() < deadline, "the stake finalized within 90 s");
    await sleep(1000);
    hash = await rpc("chain_getFinalizedHead", []);
  }
  // Back to the first block that holds it.
  let number = Number(BigInt((await rpc("chain_getHeader", [hash])).number));
  while (await staked(await rpc("chain_getBlockHash", [number - 1]))) number -= 1;
  return number;
}

/** The pool's price at block `number`, from raw storage. */
async function priceAt(number) {
  return (await poolPrice(NETUID, await rpc("chain_getBlockHash", [number]))).price;
}

/** Opens `path` in a page whose `window.Notification` records each notification it constructs
 * (and each permission request) before the app loads. */
async function openRecorded(context, path) {
  const page = await context.newPage();
  page.errors = [];
  page.on("pageerror", (error) => page.errors.push(String(error)));
  await page.addInitScript(() => {
    window.__notifications = [];
    window.__permissionRequests = 0;
    if (!("Notification" in window)) return;
    const Original = window.Notification;
    class Recorded extends Original {
      constructor(title, options) {
        super(title, options);
        window.__notifications.push({ title, body: options?.body ?? "" });
      }
      static requestPermission(...args) {
        window.__permissionRequests += 1;
        return Original.requestPermission(...args);
      }
    }
    window.Notification = Recorded;
  });
  await page.goto(baseUrl + path);
  return page;
}

/** Adds the price rule on the /alerts page's form. */
async function addPriceRule(page) {
  const form = page.getByRole("form", { name: "Add an alert" });
  await form.getByRole("combobox", { name: /^Alert when/ }).selectOption("price");
  await form.getByRole("combobox", { name: /^Subnet/ }).selectOption(String(NETUID));
  await form.getByRole("textbox", { name: /^Move, %/ }).fill(String(PERCENT));
  await form.getByRole("button", { name: "Add alert" }).click();
  await page.locator(".form-result", { hasText: `Added: SN${NETUID}: price moves more than` }).waitFor();
}

/** Waits until the page's rule has a reading at block `after` or later. */
async function readAfter(page, after, seconds = 120) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const last = Number(await page.locator(".rule-item").first().getAttribute("data-last-block"));
    if (last >= after) return last;
    assert(Date.now() < deadline, `a reading at #${after} or later within ${seconds} s (last #${last})`);
    await sleep(1000);
  }
}

const finalizedNumber = async () => Number(BigInt((await rpc("chain_getHeader", [await rpc("chain_getFinalizedHead", [])])).number));

/** Removes every rule and firing through the page. */
async function clearAll(page) {
  while ((await page.locator(".rule-item").count()) > 0) {
    await page.locator(".rule-item").first().getByRole("button", { name: /^Remove alert/ }).click();
  }
  const clear = page.getByRole("button", { name: "Clear the list" });
  if (await clear.count()) await clear.click();
  await page.getByText("Nothing has fired yet.").waitFor();
}

test("alerts: a price rule fires once when a stake crosses it, with the block and figures; no re-fire, not after a reload; a system notification", async (context) => {
  await context.grantPermissions(["notifications"], { origin: new URL(baseUrl).origin });
  const page = await openRecorded(context, "/alerts");
  await verifiedBlock(page);
  await page.locator(".alerts-status.on").waitFor({ timeout: 120_000 });
  assert((await page.evaluate(() => Notification.permission)) === "granted", "Chromium granted notifications");
  assert(await page.getByText("alerts run only while a Taoscope tab is open").isVisible(), "the page says alerts need an open tab");
  await clearAll(page);
  await addPriceRule(page);
  const rule = page.locator(".rule-item");
  await rule.waitFor();
  const setAt = await finalizedNumber();
  await readAfter(page, setAt + 2);
  assert((await page.locator(".firing-item").count()) === 0, "nothing fired before the stake");

  const landed = await stakeIntoPool();
  const firing = page.locator(".firing-item");
  await firing.first().waitFor({ timeout: 120_000 });
  const block = Number(await firing.getAttribute("data-block"));
  const beforeBlock = Number(await firing.getAttribute("data-before-block"));
  const after = Number(await firing.getAttribute("data-after"));
  const before = Number(await firing.getAttribute("data-before"));
  assert(beforeBlock < landed && landed <= block, `fired at #${block}, last reading #${beforeBlock}, stake finalized by #${landed}`);
  const [storageAfter, storageBefore] = [await priceAt(block), await priceAt(beforeBlock)];
  assert(Math.abs(after - storageAfter) <= 1e-9 * storageAfter, `after ${after} vs storage ${storageAfter} at #${block}`);
  assert(Math.abs(before - storageBefore) <= 1e-9 * storageBefore, `before ${before} vs storage ${storageBefore} at #${beforeBlock}`);
  const text = await firing.textContent();
  assert(text.includes(`#${block.toLocaleString("en-US")}`), `the entry names block #${block}: ${text}`);
  assert(text.includes(`± ${PERCENT}.00 %`) && text.includes(after.toFixed(6)) && text.includes(before.toFixed(6)), `the entry's figures: ${text}`);
  assert((await rule.getAttribute("data-crossed")) === "true", "the rule is crossed");

  // A system notification, constructed once, for this crossing.
  const notifications = await page.evaluate(() => window.__notifications);
  assert(notifications.length === 1, `notifications: ${JSON.stringify(notifications)}`);
  assert(notifications[0].title === "Taoscope alert" && notifications[0].body.includes(`SN${NETUID}: price moves`)
    && notifications[0].body.includes(`#${block.toLocaleString("en-US")}`), `notification: ${JSON.stringify(notifications[0])}`);
  assert((await page.evaluate(() => window.__permissionRequests)) === 0, "no permission asked once granted");

  for (const [width, scheme] of [[1280, "light"], [1280, "dark"], [375, "light"], [375, "dark"]]) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `${screenshotDir}/alerts-fired-${width}-${scheme}.png`, fullPage: true });
    if (width === 1280) {
      const violations = await axeViolations(page);
      assert(violations.length === 0, `axe on /alerts with a rule and a firing, ${scheme}:\n${report(violations)}`);
    }
  }
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize({ width: 1280, height: 900 });

  // The price stays past the threshold: later blocks do not fire it again.
  await readAfter(page, block + 3);
  assert((await firing.count()) === 1, `fired ${await firing.count()} times without a new crossing`);

  // A reload reads the saved crossing: no new firing, no new notification, the entry kept.
  await page.reload();
  await verifiedBlock(page);
  await page.locator(".alerts-status.on").waitFor({ timeout: 120_000 });
  await readAfter(page, (await finalizedNumber()) + 2);
  assert((await firing.count()) === 1 && Number(await firing.getAttribute("data-block")) === block, "after a reload: the one entry");
  assert((await page.evaluate(() => window.__notifications.length)) === 0, "no notification after the reload");
  assert(page.errors.length === 0, `page errors: ${page.errors}`);
  await clearAll(page);
  await page.close();
});

test("alerts: the add-rule form behind a subnet's and a validator's Alert… button, light and dark, desktop and phone", async (context) => {
  const page = await openRecorded(context, `/subnets/${NETUID}`);
  await verifiedBlock(page);
  await page.getByRole("button", { name: `Alert on subnet ${NETUID}` }).click();
  const form = page.getByRole("form", { name: "Add an alert" });
  await form.waitFor();
  const kinds = await form.getByRole("combobox", { name: /^Alert when/ }).locator("option").allTextContents();
  assert(kinds.length === 3 && kinds.every((kind) => /^(Price|Subnet)/.test(kind)), `a subnet's kinds: ${kinds}`);
  for (const [width, scheme] of [[1280, "light"], [1280, "dark"], [375, "light"], [375, "dark"]]) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width, height: 900 });
    await form.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${screenshotDir}/alerts-add-subnet-${width}-${scheme}.png` });
    if (width === 1280) {
      const violations = await axeViolations(page);
      assert(violations.length === 0, `axe on the open form, ${scheme}:\n${report(violations)}`);
    }
  }
  // A validator's page offers its own two kinds, from the row above its title.
  const [delegate] = await keysUnder(subtensorKey("Delegates"), await rpc("chain_getFinalizedHead", []));
  await page.goto(`${baseUrl}/validators/${ss58(Buffer.from(delegate.slice(-64), "hex"))}`);
  await verifiedBlock(page);
  await page.getByRole("button", { name: /^Alert on validator / }).click();
  const validatorKinds = await page.getByRole("combobox", { name: /^Alert when/ }).locator("option").allTextContents();
  assert(validatorKinds.length === 2 && validatorKinds.every((kind) => kind.startsWith("Validator")), `a validator's kinds: ${validatorKinds}`);
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: `${screenshotDir}/alerts-add-validator-1280-light.png` });
  assert(page.errors.length === 0, `page errors: ${page.errors}`);
  await page.close();
});

/** A `SafeFloat { mantissa: u128, exponent: i64 }` as [mantissa, exponent] BigInts. */
function safeFloat(bytes) {
  if (bytes === null) return [0n, 0n];
  return [bytes.readBigUInt64LE(0) + (bytes.readBigUInt64LE(8) << 64n), bytes.readBigInt64LE(16)];
}

/** `coldkey`'s α on `hotkey` at `netuid` at block `hash`, from raw storage, rounded down. */
async function positionAlpha(hotkeyHex, coldkeyHex, netuid, hash) {
  const netuidHex = u16Key(netuid);
  const find = async (item, tail) => (await keysUnder(subtensorKey(item), hash)).find((k) => k.endsWith(tail));
  const shareKey = (await keysUnder(subtensorKey("AlphaV2"), hash)).find((k) => k.slice(98, 162) === hotkeyHex && k.slice(194, 258) === coldkeyHex && k.slice(258, 262) === netuidHex);
  const share = safeFloat(await storage(shareKey, hash));
  const pool = safeFloat(await storage(await find("TotalHotkeySharesV2", hotkeyHex + netuidHex), hash));
  const total = new Scale(await storage(await find("TotalHotkeyAlpha", hotkeyHex + netuidHex), hash)).u64();
  const [[m1, e1], [m2, e2]] = [share, pool];
  const shift = e1 - e2;
  return shift >= 0n ? (total * m1 * 10n ** shift) / m2 : (total * m1) / (m2 * 10n ** -shift);
}

test("alerts: a position's exit value rule, set on the account page, fires with the runtime's own unstake quote", async (context) => {
  await context.grantPermissions(["notifications"], { origin: new URL(baseUrl).origin });
  const head = await rpc("chain_getFinalizedHead", []);
  const count = new Map();
  for (const key of await keysUnder(subtensorKey("AlphaV2"), head)) count.set(key.slice(194, 258), (count.get(key.slice(194, 258)) ?? 0) + 1);
  const [coldkeyHex] = [...count.entries()].sort((a, b) => b[1] - a[1])[0];
  const coldkey = ss58(Buffer.from(coldkeyHex, "hex"));
  const page = await openRecorded(context, `/account/${coldkey}`);
  await verifiedBlock(page);
  await page.locator(".exit-total").waitFor({ timeout: 120_000 });
  await page.getByRole("button", { name: `Alert on coldkey ${coldkey}` }).click();
  const form = page.getByRole("form", { name: "Add an alert" });
  const positions = form.getByRole("combobox", { name: "Position" });
  await positions.locator("option").nth(1).waitFor({ state: "attached" });
  const choice = await positions.locator("option").nth(1).getAttribute("value");
  await positions.selectOption(choice);
  // A floor far above any devnet position: the first verified reading is a crossing.
  await form.getByRole("textbox", { name: /Exit value below/ }).fill("100000000");
  await form.getByRole("button", { name: "Add alert" }).click();
  await form.getByText("Added:").waitFor();
  await page.goto(`${baseUrl}/alerts`);
  const firing = page.locator(".firing-item", { hasText: "exit value falls below" });
  await firing.first().waitFor({ timeout: 180_000 });
  const block = Number(await firing.getAttribute("data-block"));
  const after = BigInt(await firing.getAttribute("data-after"));
  const [netuid, hotkey] = [Number(choice.split(" ")[0]), choice.split(" ")[1]];
  const hotkeyHex = (await keysUnder(subtensorKey("AlphaV2"), head)).map((k) => k.slice(98, 162)).find((h) => ss58(Buffer.from(h, "hex")) === hotkey);
  const hash = await rpc("chain_getBlockHash", [block]);
  const alpha = await positionAlpha(hotkeyHex, coldkeyHex, netuid, hash);
  const runtime = await simSwap(netuid, "unstake", alpha, hash);
  const gap = after > runtime.taoAmount ? after - runtime.taoAmount : runtime.taoAmount - after;
  // The page's α may round one unit from the exact share value: at most a rao or two apart.
  assert(gap <= 2n, `exit value in the firing ${after} vs the runtime's ${runtime.taoAmount} at #${block}`);
  assert((await firing.textContent()).includes(`#${block.toLocaleString("en-US")}`), "the entry names its block");
  assert(page.errors.length === 0, `page errors: ${page.errors}`);
  await clearAll(page);
  await page.close();
});

test("alerts read through a trusted RPC node: the page says Unverified · host and a crossing fires nothing", async (context) => {
  // The rule is set on verified data; then only an RPC-read page is open while the price crosses it.
  const verified = await openRecorded(context, "/alerts");
  await verifiedBlock(verified);
  await verified.locator(".alerts-status.on").waitFor({ timeout: 120_000 });
  await clearAll(verified);
  await addPriceRule(verified);
  await readAfter(verified, (await finalizedNumber()) + 1);
  await verified.close();

  const proxy = await countingProxy();
  const page = await openRecorded(context, `/alerts?rpc=${encodeURIComponent(proxy.url)}`);
  const status = page.locator(".alerts-status.paused");
  await status.waitFor({ timeout: 120_000 });
  await page.locator(".provenance", { hasText: "Unverified · 127.0.0.1" }).waitFor({ timeout: 120_000 });
  assert((await status.textContent()).includes("Unverified · 127.0.0.1"), `status: ${await status.textContent()}`);
  assert(await page.getByRole("button", { name: "Add alert" }).isDisabled(), "no rule can be added on unverified data");
  const landed = await stakeIntoPool();
  // The RPC page has read blocks past the stake (its provenance names one), and fired nothing.
  const deadline = Date.now() + 120_000;
  for (;;) {
    const hash = await page.locator(".provenance").first().getAttribute("title");
    const shown = Number(BigInt((await rpc("chain_getHeader", [hash])).number));
    if (shown >= landed + 2) break;
    assert(Date.now() < deadline, `the RPC page read past #${landed} within 120 s (shows #${shown})`);
    await sleep(1000);
  }
  assert((await page.locator(".firing-item").count()) === 0, "nothing fired on unverified data");
  assert((await page.locator(".rule-item").getAttribute("data-crossed")) === "false", "the rule was not evaluated");
  assert((await page.evaluate(() => window.__notifications.length)) === 0, "no notification from unverified data");
  await page.screenshot({ path: `${screenshotDir}/alerts-unverified-1280-light.png`, fullPage: true });
  assert(page.errors.length === 0, `page errors: ${page.errors}`);
  await page.close();
  proxy.server.close();

  // The same rule, on a verified page again, fires on the crossing the RPC page ignored.
  const back = await openRecorded(context, "/alerts");
  await verifiedBlock(back);
  await back.locator(".firing-item").first().waitFor({ timeout: 120_000 });
  assert(Number(await back.locator(".firing-item").getAttribute("data-block")) >= landed, "fired at a verified block past the stake");
  await clearAll(back);
  assert(back.errors.length === 0, `page errors: ${back.errors}`);
  await back.close();
});
