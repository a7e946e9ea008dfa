// The static site `cargo xtask dist --chain devnet` writes, served by Debian's nginx with the
// snippet the site ships (not by any server of ours): verified data with no policy violation,
// deep links answered by the app, missing chain files a real 404, the app never framed and its
// embeds framable, and the `_headers` file for other hosts present.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { assert, launch, screenshotDir, test } from "./harness.mjs";
import { subnetsExportMatchesStorage } from "./checks.mjs";
import { hostPage, nginx } from "./servers.mjs";

const siteDir = process.env.TAOSCOPE_SITE_DIR;

/** The site behind nginx: `root` and the shipped snippet, nothing else. */
const serveSite = () => nginx((port) => `server {
  listen 127.0.0.1:${port};
  root ${siteDir};
  include ${join(siteDir, "nginx-taoscope.conf")};
}`);

test("the dist site on nginx: verified data, its headers, no CSP violation, framing only for embeds", async () => {
  assert(siteDir && existsSync(join(siteDir, "index.html")), `no site at ${siteDir} (TAOSCOPE_SITE_DIR)`);
  const headersFile = readFileSync(join(siteDir, "_headers"), "utf8");
  assert(headersFile.includes("Content-Security-Policy: default-src 'self'"), "_headers has the policy");
  assert(headersFile.includes("/embed/*\n  Content-Security-Policy: frame-ancestors *"), "_headers lets embeds be framed");
  const site = await serveSite();
  const url = `http://127.0.0.1:${site.port}`;

  // Headers, per path, as nginx sends them.
  const app = await fetch(`${url}/subnets/1`);
  const appPolicies = app.headers.get("content-security-policy") ?? "";
  assert(app.status === 200 && (await app.text()).includes("<script type=\"module\">"), "a deep link gets the app");
  assert(appPolicies.includes("'wasm-unsafe-eval'") && appPolicies.includes("frame-ancestors 'none'"), `app CSP: ${appPolicies}`);
  assert(app.headers.get("x-frame-options") === "DENY", "the app says DENY");
  const embed = await fetch(`${url}/embed/subnets/1/incentive`);
  const embedPolicies = embed.headers.get("content-security-policy") ?? "";
  assert(embedPolicies.includes("frame-ancestors *") && !embedPolicies.includes("frame-ancestors 'none'"), `embed CSP: ${embedPolicies}`);
  assert(embed.headers.get("x-frame-options") === null, "embeds carry no X-Frame-Options");
  assert((await fetch(`${url}/chain-specs/other.checkpoint.json`)).status === 404, "a missing chain file is a 404");
  assert((await fetch(`${url}/_headers`)).status === 404 && (await fetch(`${url}/nginx-taoscope.conf`)).status === 404, "the config files are not served");
  const wasm = readFileSync(join(siteDir, "index.html"), "utf8").match(/\/(taoscope-app-[0-9a-f]+_bg\.wasm)/)[1];
  const wasmResponse = await fetch(`${url}/${wasm}`);
  assert(wasmResponse.headers.get("content-type") === "application/wasm", "wasm is served as application/wasm");
  assert(/immutable/.test(wasmResponse.headers.get("cache-control") ?? ""), "hashed files are cached for good");

  const context = await launch({ acceptDownloads: true });
  await context.addInitScript(() => {
    window.violations = [];
    document.addEventListener("securitypolicyviolation", (event) => window.violations.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  await page.goto(`${url}/subnets`);
  await page.locator(".provenance.verified").waitFor({ timeout: 180_000 });
  await subnetsExportMatchesStorage(page);
  await page.screenshot({ path: `${screenshotDir}/dist-nginx-subnets-1280-light.png`, fullPage: true });
  // Every page kind, loaded in full (settings shows no chain data: its heading will do).
  for (const [path, loaded] of [["/subnets/1", ".provenance"], ["/validators", ".provenance"], ["/settings", "h1"], ["/", ".provenance"]]) {
    await page.goto(`${url}${path}`);
    await page.locator(loaded).first().waitFor({ timeout: 120_000 });
    const violations = await page.evaluate(() => window.violations);
    assert(violations.length === 0, `${path}: CSP violations ${violations}`);
  }

  // Framed from another origin: the embed renders, the app is refused by the browser.
  const host = await hostPage(`<!doctype html><title>Host</title>
    <iframe id="embed" src="${url}/embed/subnets/1/incentive?theme=light" width="480" height="300"></iframe>
    <iframe id="app" src="${url}/subnets" width="480" height="300"></iframe>`);
  await page.goto(host.origin);
  await page.frameLocator("#embed").locator(".embed-provenance", { hasText: "verified · #" }).waitFor({ timeout: 120_000 });
  await page.waitForTimeout(1_000);
  const appFrame = await (await page.$("#app")).contentFrame();
  const framedUrl = appFrame.url();
  assert(framedUrl.startsWith("chrome-error://"), `the browser showed the framed app (${framedUrl})`);
  await page.screenshot({ path: `${screenshotDir}/dist-nginx-framing-1280-light.png`, fullPage: true });
  assert(errors.length === 0, `page errors: ${errors}`);
  await context.close();
  host.server.close();
  await site.stop();
});
