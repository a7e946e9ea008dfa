// On-chain strings are untrusted: a subnet identity set to HTML and a javascript: URL must render
// as inert text, and no dialog may fire.

import { execFileSync } from "node:child_process";
import { assert, openPage, screenshotDir, test } from "./harness.mjs";

const HOSTILE_NAME = "<img src=x onerror=alert(1)>";
const HOSTILE_URL = "javascript:alert(1)";

function admin(...args) {
  execFileSync(process.env.DEVNET_NODE_BIN, ["admin", "--rpc-port", process.env.DEVNET_RPC_PORT, ...args], {
    stdio: "pipe",
  });
}

test("hostile subnet identity renders as inert text", async (context) => {
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
});
