// Finney's situation, rebuilt offline: the devnet goes through a forced GRANDPA change (after it a
// light client from genesis never finalizes, as on finney), the manifest lists the chain by its
// facts only, the page is https, and the only boot node is the node's p2p WebSocket behind the
// checked-in wss gateway (deploy/nginx/wss-gateway.conf on Debian's nginx). With no checkpoint
// served the page bootstraps from two RPC nodes, then starts warm with none; with a checkpoint
// served (written by the same tool as finney's) it never talks to an RPC node at all; with one
// from before the change (as a months-old checkpoint is to finney) the page says so within a
// minute and, when the user asks, starts from a fresh one from the bootstrap node. A bootstrap
// node of another chain, or one that disagrees about the finalized block, stops the start with a
// message naming it.
//
// Last in the run: after the forced change, no other test could start from genesis.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchWithNetLog } from "./browser.mjs";
import { assert, baseUrl, launch, screenshotDir, test } from "./harness.mjs";
import { rpc } from "./chain.mjs";
import { subnetsExportMatchesStorage } from "./checks.mjs";
import { appOrigin, countingProxy, fakeNode, trustTestCertificate, wssGateway } from "./servers.mjs";

const finalizedNumber = async () => parseInt((await rpc("chain_getHeader", [await rpc("chain_getFinalizedHead", [])])).number, 16);

let forcedAt = null;
let oldCheckpoint = null;

/** A checkpoint of the node's latest finalized block, written by the tool that wrote finney's
 * (tools/checkpoint). */
function writeCheckpoint() {
  const file = join(mkdtempSync(join(tmpdir(), "taoscope-checkpoint-")), "devnet.checkpoint.json");
  execFileSync(process.env.TAOSCOPE_CHECKPOINT_TOOL, ["--rpc", `ws://127.0.0.1:${process.env.DEVNET_RPC_PORT}`, "--out", file], { stdio: "pipe" });
  return readFileSync(file, "utf8");
}

/** Schedules the forced change once and waits until the node finalizes in the new set. Returns
 * the finalized number when it was scheduled. */
async function forceGrandpaChange() {
  if (forcedAt !== null) return forcedAt;
  forcedAt = await finalizedNumber();
  // A checkpoint from before the change: what a site's months-old checkpoint is to finney.
  oldCheckpoint = writeCheckpoint();
  execFileSync(process.env.DEVNET_NODE_BIN, [
    "admin", "--rpc-port", process.env.DEVNET_RPC_PORT, "force-grandpa-change", "--authorities", "alice", "--delay", "3",
  ], { stdio: "pipe" });
  const deadline = Date.now() + 180_000;
  while ((await rpc("grandpa_roundState", [])).setId < 1 || (await finalizedNumber()) < forcedAt + 8) {
    assert(Date.now() < deadline, "no finality in GRANDPA set 1 within 180 s of the forced change");
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
  console.log(`     forced GRANDPA change scheduled at #${forcedAt}; the node now finalizes in set 1`);
  return forcedAt;
}

/** The devnet's boot node (from its spec), and the same peer behind a new wss gateway. */
async function gatewayedBootNode() {
  const spec = await (await fetch(`${baseUrl}/chain-specs/devnet.json`)).json();
  const [, port, peerId] = spec.bootNodes[0].match(/^\/ip4\/127\.0\.0\.1\/tcp\/(\d+)\/ws\/p2p\/(\w+)$/);
  const gateway = await wssGateway(Number(port));
  return { spec, gateway, address: `/dns/localhost/tcp/${gateway.port}/wss/p2p/${peerId}` };
}

/** The manifest of a finney-like deployment: facts, the gatewayed boot node, and either RPC
 * bootstrap nodes or a served checkpoint with the genesis state root among the facts (a public
 * fact like the genesis hash, which the app checks it against). */
async function factsManifest(spec, bootNode, { rpcBootstrap = [], checkpoint } = {}) {
  const genesis = await rpc("chain_getBlockHash", [0]);
  const stateRoot = checkpoint ? { genesis_state_root: (await rpc("chain_getHeader", [genesis])).stateRoot } : {};
  return JSON.stringify({
    default: "devnet",
    chains: [{
      id: "devnet",
      label: "Devnet (finney-like)",
      facts: {
        name: spec.name,
        id: spec.id,
        protocol_id: spec.protocolId,
        token_symbol: spec.properties.tokenSymbol,
        token_decimals: spec.properties.tokenDecimals,
        ss58_format: spec.properties.ss58Format,
        boot_nodes: [bootNode],
        genesis_hash: genesis,
        ...stateRoot,
      },
      ...(checkpoint ? { checkpoint } : {}),
      rpc_bootstrap: rpcBootstrap,
      genesis_can_finalize: false,
    }],
  });
}

/** The settings' "Started from" line, once the light client has started. */
async function startedFrom(page, siteUrl) {
  await page.goto(`${siteUrl}/settings`);
  const line = page.locator("dt", { hasText: "Started from" }).locator("xpath=following-sibling::dd[1]");
  await line.filter({ hasText: /saved|verified/ }).waitFor({ timeout: 120_000 });
  return line.textContent();
}

/** A fresh browser (trusting the tests' self-signed certificate) with one page, the page's
 * errors, and `sockets()`: once the browser has closed, the WebSocket URLs it opened (smoldot's
 * peers and any RPC node, from the chain worker). */
async function browse() {
  const { context, webSocketUrls } = await launchWithNetLog({ extraArgs: trustTestCertificate(), acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  return { context, page, errors, sockets: webSocketUrls };
}

test("finney-like first contact: forced GRANDPA change, facts only, https, wss gateway, RPC bootstrap, then a warm start with no RPC", async () => {
  const forced = await forceGrandpaChange();
  const { spec, gateway, address } = await gatewayedBootNode();
  const [first, second] = [await countingProxy(), await countingProxy()];
  const manifest = await factsManifest(spec, address, { rpcBootstrap: [first.url, second.url] });
  const site = await appOrigin({ https: true, rewrite: { "/chain-specs/index.json": () => manifest } });
  const { context, page, errors, sockets } = await browse();
  await page.goto(`${site.url}/subnets`);
  const line = page.locator(".provenance.verified");
  await line.waitFor({ timeout: 180_000 });
  const text = await line.textContent();
  const checkpoint = Number((text.match(/since checkpoint #([\d,]+) from 127\.0\.0\.1, 127\.0\.0\.1 \(trusted once\)/) ?? [, "0"])[1].replaceAll(",", ""));
  assert(checkpoint > forced, `provenance says ${text}: a checkpoint after the forced change (#${forced}) was expected`);
  await subnetsExportMatchesStorage(page);
  await page.screenshot({ path: `${screenshotDir}/finney-like-https-gateway-subnets-1280-light.png`, fullPage: true });

  // The state is saved within seconds of the first finality; then a reload needs no RPC node.
  await page.waitForTimeout(12_000);
  const before = first.connections + second.connections;
  await page.reload();
  await page.locator(".provenance.verified").waitFor({ timeout: 120_000 });
  const startedText = await startedFrom(page, site.url);
  assert(startedText.includes("saved") && startedText.includes("trusted once"), `settings say ${startedText}`);
  const after = first.connections + second.connections;
  assert(after === before, `the warm start opened ${after - before} RPC connection(s)`);
  assert(errors.length === 0, `page errors: ${errors}`);
  await context.close();
  const peers = sockets().filter((url) => !url.startsWith(first.url) && !url.startsWith(second.url));
  assert(peers.length > 0 && peers.every((url) => url.startsWith(`wss://localhost:${gateway.port}`)), `peers dialled: ${peers}`);
  // nginx logs a WebSocket when it closes: the peer connection was upgraded by the gateway.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  assert(/"GET \/ HTTP\/1\.1" 101 /.test(readFileSync(join(gateway.dir, "access.log"), "utf8")), "the gateway upgraded the peer connection");
  site.server.close();
  first.server.close();
  second.server.close();
  await gateway.stop();
});

test("finney-like with a served checkpoint: verified data through the wss gateway and no RPC node at all", async () => {
  const forced = await forceGrandpaChange();
  const { spec, gateway, address } = await gatewayedBootNode();
  const checkpoint = writeCheckpoint();
  const manifest = await factsManifest(spec, address, { checkpoint: "/chain-specs/devnet.checkpoint.json" });
  const site = await appOrigin({
    https: true,
    rewrite: { "/chain-specs/index.json": () => manifest, "/chain-specs/devnet.checkpoint.json": () => checkpoint },
  });
  const { context, page, errors, sockets } = await browse();
  await page.goto(`${site.url}/subnets`);
  await page.locator(".provenance.verified").waitFor({ timeout: 180_000 });
  await subnetsExportMatchesStorage(page);
  const startedText = await startedFrom(page, site.url);
  assert(startedText.includes("the checkpoint this site serves (/chain-specs/devnet.checkpoint.json)"), `settings say ${startedText}`);
  await page.screenshot({ path: `${screenshotDir}/finney-like-served-checkpoint-settings-1280-light.png`, fullPage: true });
  console.log(`     served checkpoint written after the forced change at #${forced}`);
  assert(errors.length === 0, `page errors: ${errors}`);
  await context.close();
  const opened = sockets();
  assert(opened.length > 0 && opened.every((url) => url.startsWith(`wss://localhost:${gateway.port}`)), `sockets opened: ${opened}`);
  site.server.close();
  await gateway.stop();
});

test("a served checkpoint from before the forced change: the page says it is too old, then starts from a fresh one", async () => {
  const forced = await forceGrandpaChange();
  const spec = await (await fetch(`${baseUrl}/chain-specs/devnet.json`)).json();
  const bootstrapNode = await countingProxy();
  const manifest = await factsManifest(spec, spec.bootNodes[0], { checkpoint: "/chain-specs/devnet.checkpoint.json", rpcBootstrap: [bootstrapNode.url] });
  const site = await appOrigin({
    rewrite: { "/chain-specs/index.json": () => manifest, "/chain-specs/devnet.checkpoint.json": () => oldCheckpoint },
  });
  const { context, page, errors } = await browse();
  const opened = Date.now();
  await page.goto(`${site.url}/subnets`);
  const banner = page.locator(".stale-start");
  await banner.waitFor({ timeout: 150_000 });
  const says = await banner.textContent();
  console.log(`     "too old" said ${((Date.now() - opened) / 1000).toFixed(0)} s after opening the page`);
  assert(says.includes("Nothing has been finalized past the checkpoint this site serves"), `banner says ${says}`);
  assert(bootstrapNode.connections === 0, "no bootstrap node is asked for a checkpoint before the user chooses");
  await page.screenshot({ path: `${screenshotDir}/finney-like-stale-checkpoint-1280-light.png`, fullPage: true });
  await banner.getByRole("button", { name: "Start from a fresh checkpoint from 127.0.0.1 (trusted once)" }).click();

  const line = page.locator(".provenance.verified", { hasText: "(trusted once)" });
  await line.waitFor({ timeout: 180_000 });
  const text = await line.textContent();
  const fresh = Number((text.match(/since checkpoint #([\d,]+) from 127\.0\.0\.1 \(trusted once\)/) ?? [, "0"])[1].replaceAll(",", ""));
  assert(fresh > forced, `provenance says ${text}: a checkpoint after the forced change (#${forced}) was expected`);
  assert((await page.locator(".stale-start").count()) === 0, "the banner is gone");
  await subnetsExportMatchesStorage(page);
  assert(errors.length === 0, `page errors: ${errors}`);
  await context.close();
  site.server.close();
  bootstrapNode.server.close();
});

test("first contact is refused, naming the node, when a bootstrap node serves another chain or disagrees", async () => {
  const genesis = await rpc("chain_getBlockHash", [0]);
  const otherChain = await fakeNode((method, params) =>
    method === "chain_getBlockHash" && params[0] === 0 ? `0x${"11".repeat(32)}` : undefined);
  const disagreeing = await fakeNode((method, params) =>
    method === "chain_getBlockHash" ? (params[0] === 0 ? genesis : `0x${"22".repeat(32)}`) : undefined);
  const good = await countingProxy();
  const spec = await (await fetch(`${baseUrl}/chain-specs/devnet.json`)).json();
  const context = await launch();
  for (const [nodes, says] of [
    [[otherChain.url], `${otherChain.url} serves another chain`],
    [[good.url, disagreeing.url], `${disagreeing.url} says 0x${"22".repeat(32)}`],
  ]) {
    const manifest = await factsManifest(spec, spec.bootNodes[0], { rpcBootstrap: nodes });
    const site = await appOrigin({ rewrite: { "/chain-specs/index.json": () => manifest } });
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
