// The one way the browser tests and benchmarks start Debian's headless Chromium: playwright-core
// (which never downloads a browser), the flags this machine needs, a fresh profile unless one is
// given; `launchPartitioned` the same with third-party storage partitioning on, as users have it.

import { mkdtempSync } from "node:fs";
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

/** Starts Chromium on `profile` (a fresh one by default) with playwright context `options`;
 * `close()` ends it. */
export async function launch({ profile, ...options } = {}) {
  return chromium.launchPersistentContext(profile ?? mkdtempSync(join(tmpdir(), "taoscope-chromium-")), {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 900 },
    ...options,
  });
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
  args: [
    ...CHROMIUM_FLAGS,
    `--disable-features=${PLAYWRIGHT_DISABLED_FEATURES.filter((f) => f !== "ThirdPartyStoragePartitioning").join(",")}`,
  ],
  ...options,
});
