// First contact, as with finney: a chain the manifest gives only as facts (no spec file, no
// genesis storage, no checkpoint) that cannot be synced from genesis. The page reads the genesis
// state root and a checkpoint from the chain's two RPC bootstrap nodes (they must agree), shows
// verified data equal to the node's own storage, says whom it trusted once, and after a reload
// starts from its saved state without any RPC connection. A bootstrap node of another chain, or
// one that disagrees about the finalized block, stops the start with a message naming it.

import { readFileSync } from "node:fs";
import { assert, baseUrl, launch, screenshotDir, test } from "./harness.mjs";
import { Scale, rpc, storage, subtensorKey, u16Key } from "./chain.mjs";
import { appOrigin, countingProxy, fakeNode } from "./servers.mjs";

/** The devnet as the manifest of a finney-like deployment lists it: facts and bootstrap nodes. */
async function factsManifest(bootstrapUrls) {
  const spec = await (await fetch(`${baseUrl}/chain-specs/devnet.json`)).json();
  const genesis = await rpc("chain_getBlockHash", [0]);
  return JSON.stringify({
    default: "devnet",
    chains: [{
      id: "devnet",
      label: "Devnet (first contact)",
      facts: {
        name: spec.name,
        id: spec.id,
        protocol_id: spec.protocolId,
        token_symbol: spec.properties.tokenSymbol,
        token_decimals: spec.properties.tokenDecimals,
        ss58_format: spec.properties.ss58Format,
        boot_nodes: spec.bootNodes,
        genesis_hash: genesis,
      },
      rpc_bootstrap: bootstrapUrls,
      genesis_can_finalize: false,
    }],
  });
}

/** The app on a fresh origin whose manifest lists the devnet by its facts. */
async function firstContactSite(bootstrapUrls) {
  const manifest = await factsManifest(bootstrapUrls);
  return appOrigin({ rewrite: { "/chain-specs/index.json": () => manifest } });
}

test("first contact: facts and two agreeing RPC bootstrap nodes, then a warm start with no RPC at all", async () => {
  const [first, second] = [await countingProxy(), await countingProxy()];
  const site = await firstContactSite([first.url, second.url]);
  const context = await launch({ acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  await page.goto(`${site.url}/subnets`);
  const line = page.locator(".provenance.verified");
  await line.waitFor({ timeout: 180_000 });
  const text = await line.textContent();
  assert(/since checkpoint #[\d,]+ from 127\.0\.0\.1, 127\.0\.0\.1 \(trusted once\)/.test(text), `provenance says ${text}`);
  assert(first.connections > 0 && second.connections > 0, `both bootstrap nodes asked (${first.connections}, ${second.connections})`);
  // Verified data equal to the node's storage at the export's block.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.locator(".table-toolbar .export").getByRole("button", { name: "JSON" }).click(),
  ]);
  const file = JSON.parse(readFileSync(await download.path(), "utf8"));
  assert(file.verified === true && file.rows.length === 5, `export: verified ${file.verified}, ${file.rows.length} rows`);
  for (const row of file.rows) {
    const bytes = await storage(subtensorKey("SubnetTAO", u16Key(row.netuid)), file.block_hash);
    if (bytes === null) continue;
    assert(String(row.tao_in_rao) === String(new Scale(bytes).u64()), `subnet ${row.netuid} pool`);
  }
  await page.screenshot({ path: `${screenshotDir}/first-contact-subnets-1280-light.png`, fullPage: true });
  // The state is saved within seconds of the first finality; then a reload needs no RPC node.
  await page.waitForTimeout(12_000);
  const before = first.connections + second.connections;
  await page.reload();
  await page.locator(".provenance.verified").waitFor({ timeout: 120_000 });
  await page.goto(`${site.url}/settings`);
  const started = page.locator("dt", { hasText: "Started from" }).locator("xpath=following-sibling::dd[1]");
  await started.waitFor();
  const startedText = await started.textContent();
  assert(startedText.includes("saved") && startedText.includes("trusted once"), `settings say ${startedText}`);
  const after = first.connections + second.connections;
  assert(after === before, `the warm start opened ${after - before} RPC connection(s)`);
  assert(errors.length === 0, `page errors: ${errors}`);
  await context.close();
  site.server.close();
  first.server.close();
  second.server.close();
});

test("first contact is refused, naming the node, when a bootstrap node serves another chain or disagrees", async () => {
  const genesis = await rpc("chain_getBlockHash", [0]);
  const otherChain = await fakeNode((method, params) =>
    method === "chain_getBlockHash" && params[0] === 0 ? `0x${"11".repeat(32)}` : undefined);
  const disagreeing = await fakeNode((method, params) =>
    method === "chain_getBlockHash" ? (params[0] === 0 ? genesis : `0x${"22".repeat(32)}`) : undefined);
  const good = await countingProxy();
  const context = await launch();
  for (const [nodes, says] of [
    [[otherChain.url], `${otherChain.url} serves another chain`],
    [[good.url, disagreeing.url], `${disagreeing.url} says 0x${"22".repeat(32)}`],
  ]) {
    const site = await firstContactSite(nodes);
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (error) => errors.push(String(error)));
    await page.goto(`${site.url}/subnets`);
    await page.getByText(says).first().waitFor({ timeout: 60_000 });
    assert((await page.locator(".provenance").count()) === 0, "no data is shown");
    if (nodes.length === 2) await page.screenshot({ path: `${screenshotDir}/first-contact-refused-1280-light.png` });
    assert(errors.length === 0, `page errors: ${errors}`);
    await page.close();
    site.server.close();
  }
  await context.close();
  otherChain.server.close();
  disagreeing.server.close();
  good.server.close();
});
