// What the fault rows share: a rewrite of the served chain spec, the check that a page shows
// nothing as verified for a while, and the finalized block number a page says it shows.

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

/** The finalized block number ("finalized #1,234") that the first element matching `selector`
 * names, or 0 when it names none. */
export const finalizedShown = (page, selector) =>
  page.evaluate((selector) => {
    const match = document.querySelector(selector)?.textContent.match(/finalized #([\d,]+)/);
    return match ? Number(match[1].replaceAll(",", "")) : 0;
  }, selector);

/** Waits until `selector` names a finalized block past `past` and returns its number; `explain()`
 * (awaited) says why it did not within `timeout` ms. */
export async function finalizedPast(page, selector, past, timeout, explain = async () => "") {
  const until = Date.now() + timeout;
  for (;;) {
    const shown = await finalizedShown(page, selector);
    if (shown > past) return shown;
    if (Date.now() > until) {
      throw new Error(`${selector} still names finalized #${shown} after ${timeout / 1000} s, not past #${past}${await explain()}`);
    }
    await page.waitForTimeout(250);
  }
}
