// Accessibility: axe-core (pinned in package.json, run in the page) finds no WCAG 2.1 A or AA
// violation on any route of the app or any embed, in light and in dark, once the page shows its
// verified data. Only reads: it changes nothing on the chain.

import { assert, openPage, test, verifiedBlock } from "./harness.mjs";
import { axeViolations, report } from "./checks.mjs";
import { keysUnder, rpc, ss58, subtensorKey } from "./chain.mjs";

/** Two delegates' hotkeys and the coldkey with the most stake positions, read from the node once. */
let accountsRead;
function accounts() {
  accountsRead ??= (async () => {
    const head = await rpc("chain_getFinalizedHead", []);
    const [delegate, second] = await keysUnder(subtensorKey("Delegates"), head);
    const count = new Map();
    for (const key of await keysUnder(subtensorKey("AlphaV2"), head)) {
      const coldkey = key.slice(194, 258);
      count.set(coldkey, (count.get(coldkey) ?? 0) + 1);
    }
    const [coldkey] = [...count.entries()].sort((a, b) => b[1] - a[1])[0];
    const hotkey = (key) => ss58(Buffer.from(key.slice(-64), "hex"));
    return { hotkey: hotkey(delegate), second: hotkey(second), coldkey: ss58(Buffer.from(coldkey, "hex")) };
  })();
  return accountsRead;
}

const table = (name) => (page) => page.getByRole("table", { name }).first().waitFor({ timeout: 120_000 });
const chart = (page) => page.locator(".chart svg").first().waitFor({ timeout: 120_000 });
const embed = (page) => page.locator(".embed-provenance.verified").first().waitFor({ timeout: 180_000 });

// Every route in app/src/lib.rs (and the not-found fallback), the subnet page's tabs and
// mechanism links, and every widget in app/src/embed/options.rs WIDGET_PATHS. `data`: wait for
// the verified provenance line; `ready`: what else the page shows once its data is in.
const ROUTES = [
  { path: "/", data: true, ready: chart },
  { path: "/subnets", data: true, ready: table("Subnets") },
  { path: "/subnets/1", data: true, ready: table("Neurons") },
  { path: "/subnets/1?tab=validators&sort=prune", data: true, ready: table("Neurons") },
  { path: "/subnets/2", data: true, ready: (page) => page.locator("nav.mechanisms").waitFor({ timeout: 120_000 }) },
  { path: "/validators", data: true, ready: table("Validators") },
  { path: ({ hotkey }) => `/validators/${hotkey}`, data: true, ready: table("Per-subnet figures") },
  { path: "/shortlist", data: true, ready: (page) => page.locator(".picks .pick").first().waitFor({ timeout: 120_000 }) },
  { path: ({ hotkey, second }) => `/compare?v=${hotkey},${second}`, data: true, ready: table("Validators compared") },
  { path: "/compare", data: false },
  { path: "/baskets", data: true, ready: table("Root baskets") },
  { path: "/account", data: false },
  { path: ({ coldkey }) => `/account/${coldkey}`, data: true, ready: table("Stake positions") },
  { path: "/watchlist", data: false },
  { path: "/alerts", data: true, ready: (page) => page.locator(".alerts-status.on").waitFor({ timeout: 120_000 }) },
  { path: "/settings", data: false },
  { path: "/no/such/page", data: false },
  { path: "/embed/subnets/emissions", ready: embed },
  { path: "/embed/subnets/1/incentive", ready: embed },
  { path: "/embed/subnets/1/vtrust", ready: embed },
  { path: "/embed/subnets/price-emission", ready: embed },
  { path: "/embed/subnets/1/stake-dividends", ready: embed },
  { path: "/embed/subnets/1/emission-split", ready: embed },
  { path: ({ hotkey }) => `/embed/validators/${hotkey}`, ready: embed },
  { path: "/embed/card/subnet/1", ready: embed },
];

for (const route of ROUTES) {
  const name = typeof route.path === "string" ? route.path : route.path({ hotkey: "HOTKEY", second: "HOTKEY2", coldkey: "COLDKEY" });
  test(`no WCAG 2.1 A/AA violation (axe-core) on ${name}, light and dark`, async (context) => {
    const path = typeof route.path === "string" ? route.path : route.path(await accounts());
    const failures = [];
    for (const colorScheme of ["light", "dark"]) {
      const page = await openPage(context, path, { colorScheme });
      await page.locator("h1, .embed").first().waitFor({ timeout: 60_000 });
      if (route.data) await verifiedBlock(page);
      await route.ready?.(page);
      const violations = await axeViolations(page);
      if (violations.length > 0) failures.push(`${colorScheme}:\n${report(violations)}`);
      assert(page.errors.length === 0, `${path} ${colorScheme}: page errors ${page.errors}`);
      await page.close();
    }
    assert(failures.length === 0, `axe-core finds WCAG 2.1 A/AA violations on ${path}\n${failures.join("\n")}`);
  });
}
