// Fault row 10, hostile on-chain strings: a subnet identity set to HTML, javascript:, data: and
// vbscript: URLs in any case, a symbol closing an attribute, text that reorders or hides itself
// and a 10 KB description must render as inert, visible text (exports keeping the exact bytes),
// with no dialog, no script and the layout intact.

import { execFileSync } from "node:child_process";
import { assert, exportJson, openPage, row, screenshotDir } from "../harness.mjs";

const HOSTILE_NAME = "<img src=x onerror=alert(1)>";
const HOSTILE_URL = "javascript:alert(1)";

function admin(...args) {
  execFileSync(process.env.DEVNET_NODE_BIN, ["admin", "--rpc-port", process.env.DEVNET_RPC_PORT, ...args], {
    stdio: "pipe",
  });
}

/** A subnet identity of HTML and a javascript: URL renders as inert text. */
async function htmlIdentity(context) {
  admin(
    "set-identity", "--netuid", "2", "--name", HOSTILE_NAME, "--url", HOSTILE_URL,
    "--github", "https://github.com/example/safe", "--description", "<script>alert(2)</script>",
  );
  const page = await openPage(context, "/subnets/2");
  // Wait until a finalized block includes the change (2 s blocks, finality a few blocks behind).
  const heading = page.getByRole("heading", { level: 1 });
  await page.waitForFunction(
    (name) => document.querySelector("h1")?.textContent.includes(name),
    HOSTILE_NAME,
    { timeout: 120_000 },
  );
  assert((await heading.textContent()).includes(HOSTILE_NAME), "name shown as text");
  assert((await page.locator("main img").count()) === 0, "no <img> element was created");
  assert((await page.locator("main script").count()) === 0, "no <script> element was created");
  assert((await page.locator('a[href^="javascript"]').count()) === 0, "no javascript: link");
  const unsafe = page.locator(".unsafe-url");
  assert((await unsafe.textContent()) === HOSTILE_URL, "javascript: URL shown as text");
  const safe = page.getByRole("link", { name: "https://github.com/example/safe" });
  assert((await safe.getAttribute("rel")) === "noopener noreferrer", "safe links carry rel");
  await page.waitForTimeout(500);
  assert(page.dialogs.length === 0, `dialogs fired: ${page.dialogs}`);
  assert(page.errors.length === 0, `page errors: ${page.errors}`);
  await page.screenshot({ path: `${screenshotDir}/subnet-hostile-1280-light.png`, fullPage: true });
  await page.close();
}

/** Text that reorders or hides itself is written out, a 10 KB description folds, and a hostile
 * symbol and URLs (javascript: in mixed case, data:, vbscript:) stay text. */
async function spoofingIdentity(context) {
  const spoof = "\u202Egnp.exe\u200d\u200dOmron";
  const written = "[U+202E]gnp.exe[U+200D][U+200D]Omron";
  const symbol = '"><svg onload=alert(3)>';
  const url = "JaVaScRiPt:alert(4)";
  const github = "data:text/html,<script>alert(5)</script>";
  const logo = "vbscript:msgbox(6)";
  admin(
    "set-identity", "--netuid", "2", "--name", spoof, "--url", url, "--github", github, "--logo-url", logo,
    "--description", "A long description. ".repeat(500),
  );
  admin("set-symbol", "--netuid", "2", "--symbol", symbol);
  const page = await openPage(context, "/subnets/2");
  await page.waitForFunction((text) => document.querySelector("h1")?.textContent.includes(text), written, { timeout: 120_000 });
  await page.waitForFunction((text) => document.querySelector("h1 .symbol")?.textContent === text, symbol, { timeout: 60_000 });
  assert((await page.locator("main svg[onload]").count()) === 0, "no element from the symbol");
  assert((await page.locator('a[href^="javascript" i], a[href^="data:" i], a[href^="vbscript:" i]').count()) === 0, "no javascript:, data: or vbscript: link, whatever the case");
  const shownAsText = await page.locator(".unsafe-url").allTextContents();
  for (const unsafe of [url, github, logo]) assert(shownAsText.includes(unsafe), `${unsafe} not shown as text: ${shownAsText}`);
  assert((await page.locator("main script, main img[src^='data:']").count()) === 0, "an element from a URL");
  const description = page.locator(".subnet-description");
  assert((await description.textContent()).length === 10_000, "the whole description is in the page");
  const folded = (await description.boundingBox()).height;
  assert(folded < 100, `folded to a few lines: ${folded}px`);
  await page.screenshot({ path: `${screenshotDir}/subnet-bidi-1280-light.png` });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert(overflow <= 0, `the page is ${overflow}px wider than the window`);
  await page.getByRole("button", { name: "Show the whole description (10000 characters)" }).click();
  const open = (await description.boundingBox()).height;
  assert(open > 3 * folded, `shown in full on demand: ${open}px`);
  // The list and its export: written out on screen, the exact bytes in the file.
  const list = await openPage(context, "/subnets");
  const cell = list.getByRole("table", { name: "Subnets" }).locator("tbody tr").nth(2).locator(".name-cell");
  await cell.waitFor({ timeout: 120_000 });
  await list.waitForFunction((text) => document.querySelectorAll("tbody tr")[2]?.textContent.includes(text), written, { timeout: 60_000 });
  const { file } = await exportJson(list);
  const row = file.rows.find((r) => r.netuid === 2);
  assert(row.name === spoof && row.symbol === symbol, `export keeps the exact text: ${JSON.stringify([row.name, row.symbol])}`);
  await list.screenshot({ path: `${screenshotDir}/subnets-bidi-375-light.png` });
  await page.waitForTimeout(500);
  assert(page.dialogs.length === 0 && list.dialogs.length === 0, `dialogs fired: ${page.dialogs} ${list.dialogs}`);
  assert(page.errors.length === 0 && list.errors.length === 0, `page errors: ${page.errors} ${list.errors}`);
  await page.close();
  await list.close();
}

row(10, "hostile on-chain strings", async (context) => {
  await htmlIdentity(context);
  await spoofingIdentity(context);
  return "HTML, javascript:/JaVaScRiPt:/data:/vbscript: URLs, a bidi spoof and a 10 KB description rendered as text; no dialog, no script";
});
