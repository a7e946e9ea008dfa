// Fault rows about reaching the chain: no peer at start (the node appears later), a boot node
// whose peer id is wrong, and a chain spec of another chain against the devnet's node. Each page
// runs on a fresh origin (no saved state) with the spec rewritten; nothing may be shown as
// verified until a real peer of this chain serves it. The three run together (each waits).

import { generateKeyPairSync } from "node:crypto";
import { assert, launch, row, screenshotDir } from "../harness.mjs";
import { base58 } from "../chain.mjs";
import { appOrigin, countingProxy, freePort } from "../servers.mjs";
import { neverVerifiedFor, specRewrite } from "./common.mjs";

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** The devnet's boot node: `/ip4/127.0.0.1/tcp/PORT/ws/p2p/ID` split into its port and peer id. */
function bootNode(spec) {
  const [, port, peer] = spec.bootNodes[0].match(/\/tcp\/(\d+)\/ws\/p2p\/(\w+)$/);
  return { port: Number(port), peer };
}

/** A valid libp2p peer id nobody runs: a fresh ed25519 key in an identity multihash. */
function strangerPeerId() {
  const { publicKey } = generateKeyPairSync("ed25519");
  const raw = publicKey.export({ format: "der", type: "spki" }).subarray(-32);
  const protobuf = Buffer.concat([Buffer.from([0x08, 0x01, 0x12, 0x20]), raw]);
  return base58(Buffer.concat([Buffer.from([0x00, protobuf.length]), protobuf]));
}

async function openFresh(app, path) {
  const context = await launch();
  const page = await context.newPage();
  page.errors = [];
  page.on("pageerror", (error) => page.errors.push(String(error)));
  await page.goto(`${app.url}${path}`);
  return { context, page };
}

row(1, "no peer reachable at start, then the node appears", async () => {
  const late = await freePort();
  let nodePort;
  const app = await appOrigin({
    rewrite: specRewrite((spec) => {
      nodePort = bootNode(spec).port;
      spec.bootNodes = spec.bootNodes.map((node) => node.replace(`/tcp/${nodePort}/`, `/tcp/${late}/`));
    }),
  });
  const { context, page } = await openFresh(app, "/subnets");
  const badge = await neverVerifiedFor(page, 20_000);
  assert(/Connecting|No peer/.test(badge), `while no peer answers the badge says ${badge}`);
  await page.screenshot({ path: `${screenshotDir}/fault-no-peer-yet-1280-light.png` });
  // The node "appears": its p2p port is now reachable where the spec says.
  const proxy = await countingProxy(nodePort, late);
  const appeared = Date.now();
  await page.locator(".provenance.verified").first().waitFor({ timeout: 180_000 });
  const recovered = Date.now() - appeared;
  assert((await page.getByRole("table", { name: "Subnets" }).locator("tbody tr").count()) > 0, "the subnets are shown");
  assert(page.errors.length === 0, `page errors: ${page.errors}`);
  await context.close();
  proxy.server.close();
  app.server.close();
  return `verified data ${seconds(recovered)} after the node appeared`;
}, { together: "peers" });

row(5, "the boot node's peer id in the spec is wrong", async () => {
  // The peer id authenticates the transport only: smoldot keeps the connection under the id the
  // node proves, and every block and storage read is still checked against the spec's genesis and
  // finality proofs, so "verified" stays true. What must not happen is a hang or a crash.
  const app = await appOrigin({
    rewrite: specRewrite((spec) => {
      const { peer } = bootNode(spec);
      spec.bootNodes = spec.bootNodes.map((node) => node.replace(peer, strangerPeerId()));
    }),
  });
  const { context, page } = await openFresh(app, "/subnets");
  const opened = Date.now();
  await page.locator(".provenance.verified").first().waitFor({ timeout: 180_000 });
  const verified = Date.now() - opened;
  assert((await page.getByRole("table", { name: "Subnets" }).locator("tbody tr").count()) > 0, "the subnets are shown");
  await page.screenshot({ path: `${screenshotDir}/fault-wrong-peer-id-1280-light.png` });
  assert(page.errors.length === 0, `page errors: ${page.errors}`);
  await context.close();
  app.server.close();
  return `the node proved another id; data verified against genesis ${seconds(verified)} after opening`;
}, { together: "peers" });

row(6, "a chain spec of another chain against the node", async () => {
  const app = await appOrigin({
    rewrite: specRewrite((spec) => {
      // One more genesis storage entry: another genesis hash, same boot node, same id.
      spec.genesis.raw.top[`0x${"ab".repeat(32)}`] = "0x01";
    }),
  });
  const { context, page } = await openFresh(app, "/subnets");
  const badge = await neverVerifiedFor(page, 35_000);
  assert(/No peer answered in 30 s/.test(badge), `the badge says ${badge}`);
  const panel = await page.locator(".empty-state").textContent();
  assert(/serving another chain/.test(panel) && /trusted RPC node/.test(panel), `the page says ${panel}`);
  await page.screenshot({ path: `${screenshotDir}/fault-other-chain-spec-1280-light.png` });
  assert(page.errors.length === 0, `page errors: ${page.errors}`);
  await context.close();
  app.server.close();
  return `nothing verified in 35 s; the badge says "${badge}"`;
}, { together: "peers" });
