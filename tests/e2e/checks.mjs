// Checks several tests share: what a page shows, held against the node's own storage.

import { readFileSync } from "node:fs";
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
