// One light client per browser: every page and embed of a site reads through the chain service's
// shared worker. Counted at a proxy in front of the devnet node's p2p port (the chain spec's boot
// nodes are rewritten to it): four embeds on another site cost what one does, a second tab makes
// no new peer connection, a trusted-RPC page never reaches an embed's data, a terminated worker is
// survived, and the saved state lives in IndexedDB.

import { launchPartitioned } from "./browser.mjs";
import { assert, launch, screenshotDir, test } from "./harness.mjs";
import { rpc } from "./chain.mjs";
import { appOrigin, countingProxy, hostPage } from "./servers.mjs";

/** The sealed chain worker's script (named after its hash by `cargo xtask`). */
const sealedWorker = /\/chain-worker-[0-9a-f]{16}\.js$/;

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** The chain service's shared workers in `context`'s browser (CDP targets). */
async function chainWorkers(context) {
  const cdp = await context.browser().newBrowserCDPSession();
  const { targetInfos } = await cdp.send("Target.getTargets");
  return { cdp, workers: targetInfos.filter((t) => t.type === "shared_worker" && sealedWorker.test(t.url)) };
}

/** The app on a fresh origin (so a fresh worker and empty storage) whose chain spec dials the
 * devnet's p2p ports only through counting proxies. */
async function proxiedSite() {
  const proxies = [];
  const rewriteSpec = async (text) => {
    const spec = JSON.parse(text);
    const bootNodes = [];
    for (const address of spec.bootNodes) {
      const port = Number(address.match(/\/tcp\/(\d+)\//)[1]);
      const proxy = await countingProxy(port);
      proxies.push(proxy);
      bootNodes.push(address.replace(`/tcp/${port}/`, `/tcp/${new URL(proxy.url).port}/`));
    }
    spec.bootNodes = bootNodes;
    return JSON.stringify(spec);
  };
  const app = await appOrigin({ rewrite: { "/chain-specs/devnet.json": rewriteSpec } });
  const counts = () => ({
    sockets: proxies.reduce((sum, proxy) => sum + proxy.connections, 0),
    bytes: proxies.reduce((sum, proxy) => sum + proxy.bytesDown, 0),
  });
  const close = () => {
    app.server.close();
    for (const proxy of proxies) proxy.server.close();
  };
  return { app, counts, close };
}

const verifiedBlockIn = async (frame) => {
  const text = await frame.locator(".embed-provenance", { hasText: "verified · #" }).first().textContent();
  return Number(text.match(/#([\d,]+)/)[1].replaceAll(",", ""));
};

/** A host page on another site (`localhost`, the app being on 127.0.0.1) framing `paths`; the
 * sockets and bytes of the site's light client from navigation to `windowMs` later. */
async function framedOnAnotherSite(paths, windowMs) {
  const site = await proxiedSite();
  const host = await hostPage(() => paths
    .map((path, i) => `<iframe id="w${i}" src="${site.app.url}${path}" width="480" height="320" style="border:0"></iframe>`)
    .join("\n"));
  const hostUrl = host.origin.replace("127.0.0.1", "localhost");
  const context = await launchPartitioned();
  const page = await context.newPage();
  const started = Date.now();
  await page.goto(`${hostUrl}/`);
  const frames = paths.map((_, i) => page.frameLocator(`#w${i}`));
  for (const frame of frames) {
    await frame.locator(".embed-provenance", { hasText: "verified · #" }).first().waitFor({ timeout: 180_000 });
  }
  const verifiedAfter = Date.now() - started;
  const atVerified = site.counts();
  await page.waitForTimeout(5_000);
  const settled = site.counts();
  // Every frame shows the same block once the next one has reached them all.
  let blocks = [];
  for (let tries = 0; tries < 60; tries += 1) {
    blocks = await Promise.all(frames.map(verifiedBlockIn));
    if (blocks.every((block) => block === blocks[0])) break;
    await page.waitForTimeout(500);
  }
  await page.waitForTimeout(Math.max(0, windowMs - (Date.now() - started)));
  const counted = site.counts();
  await page.screenshot({ path: `${screenshotDir}/worker-${paths.length}-embeds-1280-light.png` });
  await context.close();
  host.server.close();
  site.close();
  return { ...counted, atVerified, settled, blocks, verifiedAfter };
}

test("four embeds on another site share one light client: the sockets and bytes of one", async () => {
  const window = 40_000;
  // The one embed is the heaviest of the four (a metagraph); the other three add their own reads
  // (the subnets list, a subnet) to the same light client's sync.
  const one = await framedOnAnotherSite(["/embed/subnets/1/incentive?theme=light"], window);
  const four = await framedOnAnotherSite([
    "/embed/subnets/1/incentive?theme=light",
    "/embed/subnets/emissions?theme=light",
    "/embed/card/subnet/1?theme=light",
    "/embed/subnets/price-emission?theme=light",
  ], window);
  assert(four.blocks.every((block) => block === four.blocks[0]), `the frames show different blocks: ${four.blocks}`);
  assert(four.sockets === one.sockets, `four embeds opened ${four.sockets} peer sockets, one embed ${one.sockets}`);
  // What one light client costs, whoever reads through it: the start (runtime, sync to the
  // finalized block) and the first reads, counted when every frame shows verified data. After
  // that each widget refreshes its own reads at each new block, which is not a second client:
  // those windows are reported, not bounded (a block more or less in them swings the ratio).
  const ratio = four.atVerified.bytes / one.atVerified.bytes;
  assert(ratio <= 1.25, `up to verified, four embeds received ${four.atVerified.bytes} bytes, ${ratio.toFixed(2)}× one embed's ${one.atVerified.bytes}`);
  const mb = (bytes) => `${(bytes / 1e6).toFixed(2)} MB`;
  const times = (a, b) => `${(a / b).toFixed(2)}×`;
  return `to verified: one embed ${one.sockets} socket(s), ${mb(one.atVerified.bytes)}; four ${four.sockets} socket(s), ${mb(four.atVerified.bytes)} (${ratio.toFixed(2)}×), all verified after ${seconds(four.verifiedAfter)} (one: ${seconds(one.verifiedAfter)}) at block #${four.blocks[0]}; where each widget's own refreshes add up, to verified + 5 s: ${mb(one.settled.bytes)} against ${mb(four.settled.bytes)} (${times(four.settled.bytes, one.settled.bytes)}), over ${seconds(window)}: ${mb(one.bytes)} against ${mb(four.bytes)} (${times(four.bytes, one.bytes)})`;
});

test("a second tab opened after the first has synced shows verified data without a new peer connection", async () => {
  const site = await proxiedSite();
  const context = await launch();
  const first = await context.newPage();
  await first.goto(`${site.app.url}/subnets/1`);
  await first.locator(".provenance.verified").first().waitFor({ timeout: 180_000 });
  await first.waitForTimeout(3_000);
  const before = site.counts();
  const second = await context.newPage();
  const opened = Date.now();
  await second.goto(`${site.app.url}/subnets`);
  await second.locator(".provenance.verified").first().waitFor({ timeout: 60_000 });
  const verifiedAfter = Date.now() - opened;
  const after = site.counts();
  await second.screenshot({ path: `${screenshotDir}/worker-second-tab-1280-light.png` });
  await context.close();
  site.close();
  assert(after.sockets === before.sockets, `the second tab opened ${after.sockets - before.sockets} new peer socket(s)`);
  return `first tab: ${before.sockets} peer socket(s); the second tab verified after ${seconds(verifiedAfter)} with ${after.sockets - before.sockets} new`;
});

test("a trusted-RPC page and an embed at once: the page is unverified, the embed verified and never fed by the RPC node", async () => {
  const site = await proxiedSite();
  const rpc = await countingProxy();
  const context = await launch();
  const page = await context.newPage();
  await page.goto(`${site.app.url}/subnets/1?rpc=${encodeURIComponent(rpc.url)}`);
  await page.locator(".provenance", { hasText: "Unverified · 127.0.0.1" }).first().waitFor({ timeout: 180_000 });
  const rpcSockets = rpc.connections;
  const peerSocketsBefore = site.counts().sockets;
  const embed = await context.newPage();
  await embed.goto(`${site.app.url}/embed/subnets/1/incentive?theme=light`);
  await embed.locator(".embed-provenance", { hasText: "verified · #" }).first().waitFor({ timeout: 180_000 });
  assert(await page.locator(".provenance", { hasText: "Unverified · 127.0.0.1" }).first().isVisible(), "the RPC page lost its label");
  const embedText = await embed.locator(".embed-provenance").first().textContent();
  assert(!/unverified/i.test(embedText), `the embed says ${embedText}`);
  assert(rpc.connections === rpcSockets, `the embed opened ${rpc.connections - rpcSockets} connection(s) to the RPC node`);
  const peerSockets = site.counts().sockets - peerSocketsBefore;
  assert(peerSockets >= 1, "the embed's light client dialed no peer");
  await embed.screenshot({ path: `${screenshotDir}/worker-embed-beside-rpc-page-1280-light.png` });
  await context.close();
  rpc.server.close();
  site.close();
  return `RPC node: ${rpcSockets} connection (the page's own), none from the embed; the embed's light client: ${peerSockets} peer socket(s), "${embedText.trim()}"`;
});

test("the worker is terminated under a page and an embed: both keep their data, say so, and recover", async () => {
  const site = await proxiedSite();
  const context = await launch();
  const page = await context.newPage();
  await page.goto(`${site.app.url}/subnets/1`);
  await page.locator(".provenance.verified").first().waitFor({ timeout: 180_000 });
  const embed = await context.newPage();
  await embed.goto(`${site.app.url}/embed/subnets/1/incentive?theme=light`);
  await embed.locator(".embed-provenance", { hasText: "verified · #" }).first().waitFor({ timeout: 120_000 });
  const blockBefore = await verifiedBlockIn(embed);
  const { cdp, workers } = await chainWorkers(context);
  assert(workers.length === 1, `${workers.length} chain workers for one site`);
  const killed = Date.now();
  await cdp.send("Target.closeTarget", { targetId: workers[0].targetId });
  await page.locator(".service-restarted").waitFor({ timeout: 20_000 });
  await embed.locator(".service-restarted").waitFor({ timeout: 20_000 });
  assert(await page.locator("table tbody tr").first().isVisible(), "the page lost its data");
  assert(await embed.locator(".chart svg").first().isVisible(), "the embed lost its chart");
  await page.screenshot({ path: `${screenshotDir}/worker-restarted-1280-light.png` });
  await page.locator(".service-restarted", { hasText: "reconnected" }).waitFor({ timeout: 90_000 });
  const recovered = Date.now() - killed;
  await embed.waitForFunction(
    (before) => {
      const text = document.querySelector(".embed-provenance")?.textContent ?? "";
      const block = Number((text.match(/#([\d,]+)/) ?? [])[1]?.replaceAll(",", ""));
      return /verified/.test(text) && block > before;
    },
    blockBefore,
    { timeout: 90_000, polling: 500 },
  );
  const { workers: fresh } = await chainWorkers(context);
  assert(fresh.length === 1 && fresh[0].targetId !== workers[0].targetId, "no fresh worker");
  await context.close();
  site.close();
  return `terminated; both said so and kept their data; a fresh worker served new verified blocks after ${seconds(recovered)}`;
});

test("the saved state lives in IndexedDB: a reload starts warm from it; a full quota pauses saving and says so", async () => {
  const site = await proxiedSite();
  const context = await launch();
  let page = await context.newPage();
  await page.goto(`${site.app.url}/subnets/1`);
  await page.locator(".provenance.verified").first().waitFor({ timeout: 180_000 });
  // The state the worker saved, once both its record and the chain's pointer to it are written.
  let key = null;
  let codeKey = null;
  for (let tries = 0; !key; tries += 1) {
    assert(tries < 120, "the chain service saved no state in 120 s");
    await page.waitForTimeout(1_000);
    const keys = await page.evaluate(async () => {
      const db = await new Promise((resolve, reject) => {
        const request = indexedDB.open("taoscope");
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const keys = await new Promise((resolve) => {
        const request = db.transaction("kv").objectStore("kv").getAllKeys();
        request.onsuccess = () => resolve(request.result);
      });
      db.close();
      return keys;
    });
    if (keys.some((k) => k.startsWith("genesis."))) key = keys.find((k) => k.startsWith("db."));
    codeKey = keys.find((k) => k.startsWith("code."));
  }
  // The runtime code is saved apart, under the hash the node gives for `:code`.
  const codeHash = await rpc("state_getStorageHash", ["0x3a636f6465"]);
  assert(codeKey === `code.${key.slice("db.".length)}.${codeHash}`, `the runtime code is saved as ${codeKey}, not under ${codeHash}`);
  await page.close();
  // The worker ends with its last page; a browser may keep it a moment longer, so make sure.
  const { cdp, workers } = await chainWorkers(context);
  for (const worker of workers) await cdp.send("Target.closeTarget", { targetId: worker.targetId }).catch(() => {});
  for (let tries = 0; (await chainWorkers(context)).workers.length > 0; tries += 1) {
    assert(tries < 100, "the chain worker outlived its pages by 10 s");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  page = await context.newPage();
  await page.goto(`${site.app.url}/settings`);
  try {
    await page.getByText("the state this browser saved").waitFor({ timeout: 60_000 });
  } catch (error) {
    await page.screenshot({ path: `${screenshotDir}/worker-warm-start-failed.png`, fullPage: true });
    throw error;
  }
  // A quota too small for the state: saving pauses, says so, and the data keeps coming.
  const pageCdp = await context.newCDPSession(page);
  await pageCdp.send("Storage.overrideQuotaForOrigin", { origin: site.app.url, quotaSize: 1024 });
  await page.goto(`${site.app.url}/subnets/1`);
  await page.locator(".saved-state-notice", { hasText: "paused" }).waitFor({ timeout: 90_000 });
  const said = await page.locator(".saved-state-notice").textContent();
  await page.locator(".provenance.verified").first().waitFor({ timeout: 60_000 });
  await page.screenshot({ path: `${screenshotDir}/worker-saving-paused-1280-light.png` });
  await context.close();
  site.close();
  return `saved under ${key}, its runtime code under ${codeKey}; a reload started from "the state this browser saved"; with a 1 KB quota: "${said.trim()}"`;
});

test("where SharedWorker does not exist (Chrome on Android), each page runs the same worker as a dedicated one", async () => {
  const site = await proxiedSite();
  const context = await launch();
  await context.addInitScript(() => { delete window.SharedWorker; });
  const page = await context.newPage();
  const dedicated = [];
  page.on("worker", (worker) => dedicated.push(worker.url()));
  const opened = Date.now();
  await page.goto(`${site.app.url}/subnets/1`);
  await page.locator(".provenance.verified").first().waitFor({ timeout: 180_000 });
  const verifiedAfter = Date.now() - opened;
  const { workers: shared } = await chainWorkers(context);
  await page.screenshot({ path: `${screenshotDir}/worker-dedicated-1280-light.png` });
  await context.close();
  site.close();
  assert(shared.length === 0, `${shared.length} shared worker(s) though the page has no SharedWorker`);
  assert(dedicated.some((url) => sealedWorker.test(url)), `dedicated workers: ${dedicated}`);
  return `no SharedWorker: the page ran ${dedicated.find((url) => sealedWorker.test(url))} as a dedicated worker, verified after ${seconds(verifiedAfter)}`;
});
