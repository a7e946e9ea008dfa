// Verified data in the page: the in-browser light client syncs the devnet and the overview and
// subnets views show numbers that equal the node's own RPC read of the same finalized block.

import { assert, openPage, screenshotDir, test } from "./harness.mjs";

const rpcPort = process.env.DEVNET_RPC_PORT;

/** Calls the devnet node's JSON-RPC (the independent read the page is compared with). */
async function rpc(method, params) {
  const response = await fetch(`http://127.0.0.1:${rpcPort}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = await response.json();
  if (body.error) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}

/** Waits for the provenance line and returns the block hash it names (from its title). */
async function verifiedBlock(page) {
  const provenance = page.locator(".provenance.verified");
  await provenance.waitFor({ timeout: 180_000 });
  const text = await provenance.textContent();
  assert(text.includes("Verified by light client"), `provenance says ${text}`);
  return provenance.getAttribute("title");
}

test("overview shows verified network figures", async (context) => {
  const page = await openPage(context, "/");
  const hash = await verifiedBlock(page);
  assert(/^0x[0-9a-f]{64}$/.test(hash), `block hash ${hash}`);
  const subnets = page.locator(".stat", { hasText: "Subnets" }).locator(".stat-value");
  assert((await subnets.textContent()) === "5", `subnet count ${await subnets.textContent()}`);
  const runtime = page.locator(".stat", { hasText: "Runtime version" }).locator(".stat-value");
  const version = await rpc("state_getRuntimeVersion", [hash]);
  assert((await runtime.textContent()) === String(version.specVersion), "runtime version");
  assert(page.errors.length === 0, `page errors: ${page.errors}`);
  await page.screenshot({ path: `${screenshotDir}/overview-1280-light.png`, fullPage: true });
  await page.close();
});

test("subnets table equals the node's read of the same block", async (context) => {
  const page = await openPage(context, "/subnets");
  const hash = await verifiedBlock(page);
  const rows = page.getByRole("table", { name: "Subnets" }).locator("tbody tr");
  assert((await rows.count()) === 5, `rows: ${await rows.count()}`);
  // Tempo and UIDs of subnet 1, read by the node at the block the page shows.
  const prefix = "0x658faa385070e074c85bf6b568cf0555";
  // twox128("Tempo"), then netuid 1 as a little-endian u16 (Identity hasher).
  const tempoKey = `${prefix}7641384bb339f3758acddfd7053d3317${"0100"}`;
  const tempo = await rpc("state_getStorage", [tempoKey, hash]);
  const row = rows.nth(1);
  const cells = await row.locator("td").allTextContents();
  assert(cells[0] === "1", `first data row is netuid ${cells[0]}`);
  const tempoValue = parseInt(tempo.slice(4, 6) + tempo.slice(2, 4), 16);
  assert(cells[9] === String(tempoValue), `tempo cell ${cells[9]} vs node ${tempoValue}`);
  await page.screenshot({ path: `${screenshotDir}/subnets-1280-light.png`, fullPage: true });
  await page.close();
});
