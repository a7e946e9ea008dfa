// Embeds on other sites: a host page on a second local origin frames two widgets that render
// verified devnet data; the full app refuses to be framed; a forged theme message from a third
// origin changes nothing while the host's own switches the theme; SVG downloads carry the block;
// bad URL options give an in-frame message.

import { readFileSync } from "node:fs";
import { assert, baseUrl, openPage, screenshotDir, test } from "./harness.mjs";
import { hostPage } from "./servers.mjs";

/** The app's origin (host pages get their own ports, so their own origins). */
const hostOrigin = () => new URL(baseUrl).origin;

test("embeds on another origin render verified data; the full app refuses framing", async (context) => {
  // The host page's own origin is needed in the embed URLs, so serve a placeholder first.
  const host = await hostPage("");
  const origin = host.origin;
  const app = hostOrigin();
  const emissions = `${app}/embed/subnets/emissions?theme=light&size=480x240&top=3&origin=${encodeURIComponent(origin)}`;
  const incentive = `${app}/embed/subnets/1/incentive?theme=light&size=480x220&accent=b45309&origin=${encodeURIComponent(origin)}`;
  const card = `${app}/embed/card/subnet/1?theme=dark&origin=${encodeURIComponent(origin)}`;
  const heights = [];
  host.server.removeAllListeners("request");
  host.server.on("request", (_, response) => {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end(`<!doctype html><title>Host</title>
      <h1>A blog about subnets</h1>
      <iframe id="emissions" src="${emissions}" title="Emissions" width="496" height="350" style="border:0"></iframe>
      <iframe id="incentive" src="${incentive}" title="Incentive" width="496" height="330" style="border:0"></iframe>
      <iframe id="card" src="${card}" title="Subnet 1" width="496" height="260" style="border:0"></iframe>
      <iframe id="full" src="${app}/subnets" title="Full app" width="496" height="200"></iframe>
      <script>
        window.heights = [];
        addEventListener("message", (event) => { if (event.data && event.data.type === "taoscope:height") window.heights.push([event.origin, event.data.height]); });
      </script>`);
  });
  const page = await openPage(context, "/");
  await page.goto(`${origin}/`);
  const emissionsFrame = page.frameLocator("#emissions");
  const incentiveFrame = page.frameLocator("#incentive");
  const cardFrame = page.frameLocator("#card");
  await emissionsFrame.locator(".embed-provenance", { hasText: "verified · #" }).waitFor({ timeout: 180_000 });
  await emissionsFrame.locator(".chart svg").waitFor({ timeout: 60_000 });
  await incentiveFrame.locator(".embed-provenance", { hasText: "verified · #" }).waitFor({ timeout: 180_000 });
  const incentiveSvg = await incentiveFrame.locator(".chart svg").innerHTML();
  assert(/#b45309/i.test(incentiveSvg), "the accent colour from the URL is used");
  await cardFrame.locator(".embed-provenance", { hasText: "verified · #" }).waitFor({ timeout: 180_000 });
  await cardFrame.locator(".stat-value").first().waitFor();
  const bars = await emissionsFrame.locator(".chart svg").innerHTML();
  assert(bars.includes("SN") && bars.includes("Rest"), "top 3 subnets and the rest");
  const cardTheme = await cardFrame.locator("html").getAttribute("data-theme");
  assert(cardTheme === "dark", `card theme ${cardTheme}`);
  const box = await page.locator("#emissions").boundingBox();
  assert(Math.round(box.width) === 496, `frame width ${box.width}`);
  // The full app must not render inside the frame.
  const full = await (await page.$("#full")).contentFrame();
  await page.waitForTimeout(3_000);
  const rendered = await full.locator("nav[aria-label=Main]").count().catch(() => 0);
  assert(rendered === 0, `the full app rendered inside a frame (${full.url()})`);
  // Heights arrive from the app's origin, and only because the host named its origin.
  await page.waitForFunction(() => window.heights.length >= 3, null, { timeout: 30_000 });
  const posted = await page.evaluate(() => window.heights);
  assert(posted.every(([from, height]) => from === app && height > 0), `heights ${JSON.stringify(posted)}`);
  await page.screenshot({ path: `${screenshotDir}/embed-host-1280-light.png`, fullPage: true });
  assert(page.errors.length === 0, `page errors: ${page.errors}`);
  await page.close();
  host.server.close();
});

test("only the host's origin may switch an embed's theme", async (context) => {
  const app = hostOrigin();
  const intruder = await hostPage("");
  const host = await hostPage("");
  const src = `${app}/embed/card/subnet/1?theme=light&origin=${encodeURIComponent(host.origin)}`;
  const frameHtml = `<!doctype html><iframe id="w" src="${src}" title="Card" width="500" height="300"></iframe>`;
  for (const site of [intruder, host]) {
    site.server.removeAllListeners("request");
    site.server.on("request", (_, response) => {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      response.end(frameHtml);
    });
  }
  const page = await openPage(context, "/");
  // The intruder frames the same widget (which names the real host) and posts a theme message.
  await page.goto(`${intruder.origin}/`);
  const frame = page.frameLocator("#w");
  await frame.locator(".embed-provenance").waitFor({ timeout: 120_000 });
  await page.evaluate(() => document.querySelector("#w").contentWindow.postMessage({ type: "taoscope:theme", theme: "dark" }, "*"));
  await page.waitForTimeout(1_000);
  assert((await frame.locator("html").getAttribute("data-theme")) === "light", "a third origin switched the theme");
  // The named host posts the same message: it applies.
  await page.goto(`${host.origin}/`);
  await frame.locator(".embed-provenance").waitFor({ timeout: 120_000 });
  await page.evaluate(() => document.querySelector("#w").contentWindow.postMessage({ type: "taoscope:theme", theme: "dark" }, "*"));
  let theme = "light";
  for (let i = 0; i < 20 && theme !== "dark"; i += 1) {
    await page.waitForTimeout(250);
    theme = await frame.locator("html").getAttribute("data-theme");
  }
  assert(theme === "dark", `the host's theme message was ignored (${theme})`);
  await page.close();
  intruder.server.close();
  host.server.close();
});

test("embed SVG downloads carry the block; bad options give an in-frame message", async (context) => {
  const page = await openPage(context, "/embed/subnets/1/incentive?theme=light");
  await page.locator(".embed-provenance", { hasText: "verified · #" }).waitFor({ timeout: 180_000 });
  const shown = (await page.locator(".embed-provenance").textContent()).match(/#([\d,]+)/)[1].replaceAll(",", "");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: /as SVG/ }).click(),
  ]);
  const svg = readFileSync(await download.path(), "utf8");
  const stamped = svg.match(/finalized #([\d,]+)/);
  assert(stamped, "the SVG names its block");
  // The SVG names the block its values were read at; the footer the newest block that confirmed
  // them. A metagraph changes once per epoch (every 11 blocks here), so they may differ by that.
  const read = Number(stamped[1].replaceAll(",", ""));
  assert(read <= Number(shown) && Number(shown) - read <= 15, `SVG block ${stamped[1]} vs shown ${shown}`);
  for (const [path, says] of [
    ["/embed/subnets/emissions?metric=price", "Unknown metric"],
    ["/embed/subnets/abc/incentive", "is not a subnet id"],
    ["/embed/card/subnet/1?accent=red;x", "Invalid accent"],
    ["/embed/nothing/here", "Unknown embed"],
  ]) {
    await page.goto(baseUrl + path);
    const message = page.locator(".embed-message");
    await message.waitFor({ timeout: 30_000 });
    assert((await message.textContent()).includes(says), `${path}: ${await message.textContent()}`);
  }
  await page.screenshot({ path: `${screenshotDir}/embed-bad-option.png` });
  assert(page.errors.length === 0, `page errors: ${page.errors}`);
  await page.close();
});
