// What the page says about where its numbers come from. Read through a trusted RPC node (a link's
// `?rpc=`), every route, export and chart download says "Unverified · host" and never "verified";
// an embed ignores `?rpc=` and saved endpoints and always runs its own light client (its traffic
// never reaches the RPC URL). (A node that stops answering is fault row 3, `faults/stalls.mjs`.)

import { readFileSync } from "node:fs";
import { assert, baseUrl, openPage, screenshotDir, test } from "./harness.mjs";
import { rpc, ss58, subtensorKey } from "./chain.mjs";
import { countingProxy, hostPage } from "./servers.mjs";

/** The first two delegates' hotkeys, read from the node. */
async function twoDelegates() {
  const keys = await rpc("state_getKeysPaged", [subtensorKey("Delegates"), 2, null, null]);
  return keys.map((key) => ss58(Buffer.from(key.slice(-64), "hex")));
}

const visibleText = (page) => page.evaluate(() => document.body.innerText);

test("trusted RPC from a link: every route, its export and its SVG say Unverified · host", async (context) => {
  const proxy = await countingProxy();
  const rpcParam = `rpc=${encodeURIComponent(proxy.url)}`;
  const [hotkey, second] = await twoDelegates();
  const routes = [
    ["/", true],
    ["/subnets", true],
    ["/subnets/1", true],
    ["/validators", true],
    [`/validators/${hotkey}`, true],
    [`/account/${hotkey}`, true],
    ["/shortlist", true],
    [`/compare?v=${hotkey},${second}`, true],
    ["/baskets", true],
    ["/watchlist", false],
    ["/settings", false],
  ];
  for (const [route, data] of routes) {
    const page = await openPage(context, `${route}${route.includes("?") ? "&" : "?"}${rpcParam}`);
    const banner = page.locator(".rpc-banner");
    await banner.waitFor({ timeout: 60_000 });
    assert((await banner.textContent()).includes("Unverified · 127.0.0.1"), `${route}: banner ${await banner.textContent()}`);
    if (data) {
      const line = page.locator(".provenance").first();
      await line.waitFor({ timeout: 120_000 });
      const text = await line.textContent();
      assert(text.includes("Unverified · 127.0.0.1"), `${route}: provenance says ${text}`);
      assert((await page.locator(".provenance.verified, .embed-provenance.verified").count()) === 0, `${route}: a verified mark`);
    }
    const body = await visibleText(page);
    assert(!/verified by light client/i.test(body), `${route} claims verification:\n${body.slice(0, 400)}`);
    if (route === "/subnets") {
      await page.locator(".chart svg").first().waitFor({ timeout: 60_000 });
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: /as SVG/ }).first().click(),
      ]);
      const svg = readFileSync(await download.path(), "utf8");
      assert(/UNVERIFIED · from trusted RPC node 127\.0\.0\.1/.test(svg), "the SVG stamp says unverified");
      assert(!/verified by light client/i.test(svg), "the SVG claims verification");
      assert(download.suggestedFilename().endsWith("-unverified.svg"), `file ${download.suggestedFilename()}`);
      const [csv] = await Promise.all([
        page.waitForEvent("download"),
        page.locator(".table-toolbar .export").getByRole("button", { name: "CSV" }).click(),
      ]);
      const rows = readFileSync(await csv.path(), "utf8").trim().split("\n");
      assert(rows[0].startsWith("block_number,block_hash,source,"), `CSV header ${rows[0]}`);
      assert(rows.slice(1).every((row) => row.split(",")[2] === "trusted RPC node 127.0.0.1"), "every CSV row names its source");
      await page.screenshot({ path: `${screenshotDir}/trust-unverified-subnets-1280-light.png`, fullPage: true });
    }
    assert(page.errors.length === 0, `${route}: page errors ${page.errors}`);
    await page.close();
  }
  // The pages' own trusted clients live in the shared chain service, one per page while it is open.
  assert(proxy.connections >= 1, `the pages read through the RPC node (${proxy.connections} connections)`);
  proxy.server.close();
});

test("an embed ignores ?rpc= and saved endpoints: its own light client, no connection to that node", async (context) => {
  const proxy = await countingProxy();
  const app = new URL(baseUrl).origin;
  let embedUrl = "";
  const host = await hostPage(() => `<!doctype html><title>Host</title>
    <iframe id="widget" src="${embedUrl}" width="520" height="380" style="border:0"></iframe>`);
  embedUrl = `${app}/embed/subnets/emissions?theme=light&size=480x240&rpc=${encodeURIComponent(proxy.url)}&origin=${encodeURIComponent(host.origin)}`;
  // Every page of this test is an embed, so any connection to the proxy is an embed's. (A full
  // page such as /settings may rightly use the endpoint saved below, even one saved after it
  // loaded: two clean runs counted one connection when the first page was /settings.)
  const page = await openPage(context, "/embed/subnets/emissions");
  // A trusted endpoint saved in this origin's settings must not reach embeds either.
  const spec = await (await fetch(`${baseUrl}/chain-specs/devnet.json`)).json();
  await page.evaluate(([id, url]) => localStorage.setItem(`taoscope.rpc.${id}`, url), [spec.id, proxy.url]);
  const sockets = [];
  page.on("websocket", (socket) => sockets.push(socket.url()));
  await page.goto(`${host.origin}/`);
  const frame = page.frameLocator("#widget");
  const footer = frame.locator(".embed-provenance.verified", { hasText: "verified · #" });
  await footer.waitFor({ timeout: 180_000 });
  await frame.locator(".chart svg").waitFor({ timeout: 60_000 });
  await page.screenshot({ path: `${screenshotDir}/trust-embed-ignores-rpc-1280-light.png` });
  // Every kind of embed, opened on the app's own origin too (where the saved endpoint applies to
  // full pages), with ?rpc= in its URL.
  const [hotkey] = await twoDelegates();
  const direct = await openPage(context, `/embed/subnets/emissions?rpc=${encodeURIComponent(proxy.url)}`);
  for (const widget of [
    "subnets/emissions", "subnets/price-emission", "subnets/1/incentive", "subnets/1/vtrust",
    "subnets/1/stake-dividends", "subnets/1/emission-split", `validators/${hotkey}`, "card/subnet/1",
  ]) {
    await direct.goto(`${baseUrl}/embed/${widget}?rpc=${encodeURIComponent(proxy.url)}`);
    await direct.locator(".embed-provenance.verified", { hasText: "verified · #" }).waitFor({ timeout: 180_000 });
    const text = await visibleText(direct);
    assert(!text.includes("Unverified"), `${widget} says ${text}`);
  }
  assert(proxy.connections === 0, `an embed connected to the RPC URL ${proxy.connections} time(s)`);
  assert(!sockets.some((url) => url.startsWith(proxy.url)), `sockets ${sockets}`);
  await page.evaluate(() => localStorage.clear()).catch(() => {});
  await direct.evaluate(() => localStorage.clear());
  assert(page.errors.length === 0 && direct.errors.length === 0, `page errors ${page.errors} ${direct.errors}`);
  await direct.close();
  await page.close();
  host.server.close();
  proxy.server.close();
});
