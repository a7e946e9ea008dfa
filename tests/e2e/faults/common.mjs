// What the fault rows share: a rewrite of the served chain spec, and the check that a page shows
// nothing as verified for a while.

import { assert } from "../harness.mjs";

/** An `appOrigin` rewrite applying `edit(spec)` to the served devnet chain spec. */
export const specRewrite = (edit) => ({
  "/chain-specs/devnet.json": (text) => {
    const spec = JSON.parse(text);
    edit(spec);
    return JSON.stringify(spec);
  },
});

/** Watches `page` for `ms`: no verified provenance may appear, and the page must not crash.
 * Returns what the sync badge says at the end. */
export async function neverVerifiedFor(page, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const verified = await page.locator(".provenance.verified, .embed-provenance.verified").count();
    assert(verified === 0, "a page without a peer of this chain shows data as verified");
    await page.waitForTimeout(1_000);
  }
  return (await page.locator(".sync-status").textContent()).trim();
}
