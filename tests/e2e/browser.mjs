// The one way the browser tests and benchmarks start Debian's headless Chromium: playwright-core
// (which never downloads a browser), the flags this machine needs, a fresh profile unless one is
// given; `launchPartitioned` the same with third-party storage partitioning on, as users have it.

import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Starts Chromium on `profile` (a fresh one by default) with `extraArgs` after this machine's
 * flags and playwright context `options`; `close()` ends it. */
export async function launch({ profile, extraArgs = [], ...options } = {}) {
  return chromium.launchPersistentContext(profile ?? mkdtempSync(join(tmpdir(), "taoscope-chromium-")), {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [...CHROMIUM_FLAGS, ...extraArgs],
    viewport: { width: 1280, height: 900 },
    ...options,
  });
}

/** `launch` with Chromium's network log on. `webSocketUrls()`, once the browser has closed, lists
 * the WebSocket URLs its pages and workers opened (the chain worker's peers are not the page's,
 * so Playwright's page events do not see them). */
export async function launchWithNetLog(options = {}) {
  const file = join(mkdtempSync(join(tmpdir(), "taoscope-netlog-")), "netlog.json");
  const context = await launch({ ...options, extraArgs: [...(options.extraArgs ?? []), `--log-net-log=${file}`] });
  const webSocketUrls = () => {
    const urls = JSON.parse(readFileSync(file, "utf8")).events.map((event) => event.params?.url ?? "");
    return [...new Set(urls.filter((url) => /^wss?:\/\//.test(url)))];
  };
  return { context, webSocketUrls };
}

// Playwright turns off Chromium's third-party storage partitioning, which every Chromium since
// 115 ships on and which is what lets frames of a site share a worker under another top-level
// site. Embeds on another site run Chromium as users have it: Playwright's feature list (1.65.1,
// pinned in package-lock.json) without that one entry.
const PLAYWRIGHT_DISABLED_FEATURES = [
  "AvoidUnnecessaryBeforeUnloadCheckSync", "DestroyProfileOnBrowserClose", "HttpsUpgrades",
  "HttpsFirstBalancedModeAutoEnable", "LensOverlay", "MediaRouter", "PaintHolding",
  "ThirdPartyStoragePartitioning", "AvoidCorsURLLoaderRestartOnRedirect", "TcpPortRandomizationWin",
  "OptimizationHints", "NetworkTimeServiceQuerying", "AimEnabled", "PreconnectToSearch",
  "msForceBrowserSignIn", "msEdgeUpdateLaunchServicesPreferredVersion",
];

/** `launch` with third-party storage partitioning on (Chromium's default, which Playwright
 * turns off). */
export const launchPartitioned = (options = {}) => launch({
  ignoreDefaultArgs: [`--disable-features=${PLAYWRIGHT_DISABLED_FEATURES.join(",")}`],
  extraArgs: [`--disable-features=${PLAYWRIGHT_DISABLED_FEATURES.filter((f) => f !== "ThirdPartyStoragePartitioning").join(",")}`],
  ...options,
});
