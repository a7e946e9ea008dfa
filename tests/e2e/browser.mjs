// The one way the browser tests and benchmarks start Debian's headless Chromium: playwright-core
// (which never downloads a browser), the flags this machine needs, a fresh profile unless one is
// given.

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
