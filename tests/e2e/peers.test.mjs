// Peers a page may dial: the app served over https (a self-signed certificate made here, which
// this test's browser trusts) whose chain spec names only a plain-ws boot node on
// another host says at once that no peer can be reached and offers the honest choices, and the
// trusted-RPC choice then shows data labelled unverified.

import { assert, launch, screenshotDir, test } from "./harness.mjs";
import { appOrigin, trustTestCertificate } from "./servers.mjs";

test("an https page with only a ws boot node says no peer can be reached; the RPC choice shows unverified data", async () => {
  // The devnet's own boot node is on this machine (dialable from any page): name it as another
  // host instead. `.invalid` never resolves, and an https page never dials plain ws to it anyway.
  const app = await appOrigin({
    https: true,
    rewrite: {
      "/chain-specs/devnet.json": (text) => {
        const spec = JSON.parse(text);
        spec.bootNodes = spec.bootNodes.map((node) => node.replace(/^\/ip4\/127\.0\.0\.1\//, "/dns/peer.invalid/"));
        return JSON.stringify(spec);
      },
    },
  });
  const context = await launch({ extraArgs: trustTestCertificate() });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  const started = Date.now();
  await page.goto(`${app.url}/subnets`);
  const message = page.getByText("No peer can be reached from this page");
  await message.waitFor({ timeout: 10_000 });
  console.log(`     "no dialable peer" shown ${((Date.now() - started) / 1000).toFixed(1)} s after opening the page`);
  assert(await page.getByRole("link", { name: /wss peer or choose a trusted RPC node/ }).isVisible(), "the choices are offered");
  const badge = await page.locator(".sync-status").textContent();
  assert(badge.includes("No peer this page can reach"), `status says ${badge}`);
  await page.screenshot({ path: `${screenshotDir}/peers-none-dialable-https-1280-light.png`, fullPage: true });

  // The trusted-RPC choice (loopback ws is allowed from https pages).
  await page.goto(`${app.url}/subnets?rpc=${encodeURIComponent(`ws://127.0.0.1:${process.env.DEVNET_RPC_PORT}`)}`);
  const line = page.locator(".provenance").first();
  await line.waitFor({ timeout: 60_000 });
  const text = await line.textContent();
  assert(text.includes("Unverified · 127.0.0.1"), `provenance says ${text}`);
  assert((await page.getByRole("table", { name: "Subnets" }).locator("tbody tr").count()) === 6, "the subnets are shown");
  assert(errors.length === 0, `page errors: ${errors}`);
  await context.close();
  app.server.close();
});
