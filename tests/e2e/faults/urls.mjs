// Fault row 11, malformed URL parameters: negative, 2^64, NUL, unknown keys and very long values
// each fall back with a short notice naming the parameter, and the page still renders its data.

import { assert, openPage, row } from "../harness.mjs";

// Malformed view state, table-driven: each falls back with a notice naming the parameter, short
// even for a 10,000-character value, and the page still renders its data.
const MALFORMED = [
  ["/subnets?page=-1", "Ignored page=", "Subnets"],
  ["/subnets?page=18446744073709551616", "Ignored page=", "Subnets"],
  [`/subnets?sort=${"x".repeat(10_000)}`, "(10000 characters)", "Subnets"],
  ["/subnets/1?mechanism=%00", String.raw`Ignored mechanism="\0"`, "Neurons"],
  ["/validators?min_stake=-5", "Ignored min_stake=", "Validators"],
  ["/validators?subnet=70000", "Ignored subnet=", "Validators"],
  ["/shortlist?by=%00evil", String.raw`Ignored "\0evil" in by=`, null],
  // Pages that take no parameter of their own name each one too.
  ["/?utm_source=%00x", String.raw`Ignored "utm_source"="\0x"`, null],
  ["/watchlist?range=30d", String.raw`Ignored "range"="30d"`, null],
  ["/settings?theme=dark", String.raw`Ignored "theme"="dark"`, null],
];

row(11, "malformed URL parameters", async (context) => {
  for (const [path, named, table] of MALFORMED) {
    const page = await openPage(context, path);
    const notice = page.locator(".notice", { hasText: named }).first();
    await notice.waitFor({ timeout: 60_000 });
    const text = await notice.textContent();
    assert(text.length < 400, `${path.slice(0, 60)}: notice of ${text.length} characters`);
    assert(!text.includes("\u0000"), `${path}: a raw NUL in the notice`);
    if (table) await page.getByRole("table", { name: table }).locator("tbody tr").first().waitFor({ timeout: 180_000 });
    assert(page.errors.length === 0, `${path.slice(0, 60)}: page errors ${page.errors}`);
    await page.close();
  }
  return `${MALFORMED.length} URLs: each fell back with a short notice naming the parameter; pages rendered`;
});
