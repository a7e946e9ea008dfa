// Checks several tests share: what a page shows, held against the node's own storage, and
// axe-core's WCAG 2.1 A/AA rules run in a page.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { assert } from "./harness.mjs";
import { Scale, storage, subtensorKey, u16Key } from "./chain.mjs";

/** Downloads the subnets table's JSON export from `page` (on /subnets) and checks that it is
 * verified, has every subnet, and that each pool equals `SubnetTAO` read from the node at the
 * export's block. Returns the export. */
export async function subnetsExportMatchesStorage(page, subnets = 6) {
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.locator(".table-toolbar .export").getByRole("button", { name: "JSON" }).click(),
  ]);
  const file = JSON.parse(readFileSync(await download.path(), "utf8"));
  assert(file.verified === true && file.rows.length === subnets, `export: verified ${file.verified}, ${file.rows.length} rows`);
  for (const row of file.rows) {
    const bytes = await storage(subtensorKey("SubnetTAO", u16Key(row.netuid)), file.block_hash);
    const onChain = bytes === null ? 0n : new Scale(bytes).u64();
    assert(String(row.tao_in_rao) === String(onChain), `subnet ${row.netuid}: pool ${row.tao_in_rao} shown, ${onChain} on chain`);
  }
  return file;
}

// axe's own bundle, evaluated in the page through the DevTools protocol: a script tag would be
// refused by the site's Content-Security-Policy (`script-src 'self'` and hashed scripts only).
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/** Runs axe on the page's document with the WCAG 2.0/2.1 A and AA rules; returns its violations. */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(
    (values) =>
      window.axe.run(document, { runOnly: { type: "tag", values }, resultTypes: ["violations"] }).then(({ violations }) =>
        violations.map(({ id, impact, help, nodes }) => ({
          id,
          impact,
          help,
          nodes: nodes.map(({ target, failureSummary }) => ({ target: target.join(" "), why: failureSummary })),
        })),
      ),
    WCAG_21_AA,
  );
}

/** One line per violation: id, impact, how many nodes, the first three targets and why the first fails. */
export function report(violations) {
  return violations
    .map(({ id, impact, help, nodes }) => {
      const targets = nodes.slice(0, 3).map(({ target }) => target).join(" | ");
      const why = (nodes[0]?.why ?? "").split("\n").slice(1).join(" ").trim();
      return `  ${id} (${impact}) ${help}: ${nodes.length} node(s): ${targets}${nodes.length > 3 ? " | …" : ""}\n    ${why}`;
    })
    .join("\n");
}
