// Fault row 8, a runtime upgrade while the dashboard is open, one that removes something a widget
// reads: the three-authority devnet upgrades to its built-in runtime without
// `BetaBasketRuntimeApi` (beside row 3, which pauses the other devnet; before row 4, which runs on
// the upgraded runtime). A validator's page then says root baskets are unsupported by this
// runtime, and the rest of the page goes on with verified blocks of the new runtime; the basket
// leaderboard, which listed the baskets before, then says it is unsupported and shows no table.

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { assert, launch, row, screenshotDir } from "../harness.mjs";
import { rpc, ss58, subtensorKey } from "../chain.mjs";
import { appOrigin } from "../servers.mjs";
import { finalizedPast } from "./common.mjs";

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

row(8, "a runtime upgrade that removes a runtime API a widget reads", async () => {
  const port = Number(process.env.FAULT_DEVNET_RPC_PORT);
  assert(port > 0, "FAULT_DEVNET_RPC_PORT names the three-authority devnet");
  const spec = readFileSync(process.env.FAULT_DEVNET_SPEC, "utf8");
  const version = async () => (await rpc("state_getRuntimeVersion", [], port)).specVersion;
  assert((await version()) === 100, "the devnet starts on its genesis runtime");
  const [key] = await rpc("state_getKeysPaged", [subtensorKey("Delegates"), 1, null, null], port);
  const hotkey = ss58(Buffer.from(key.slice(-64), "hex"));
  const app = await appOrigin({ rewrite: { "/chain-specs/devnet.json": () => spec } });
  const context = await launch();
  const page = await context.newPage();
  page.errors = [];
  page.on("pageerror", (error) => page.errors.push(String(error)));
  await page.goto(`${app.url}/validators/${hotkey}`);
  await page.locator(".provenance.verified").first().waitFor({ timeout: 180_000 });
  const unsupported = page.getByText("Root baskets are unsupported by this runtime");
  assert((await unsupported.count()) === 0, "the genesis runtime has the API, yet the page says it has not");
  // The basket leaderboard, through the header (the same light client), lists the baskets.
  const nav = page.getByRole("navigation", { name: "Main" });
  const board = page.getByRole("table", { name: "Root baskets" });
  await nav.getByRole("link", { name: "Baskets" }).click();
  await board.locator("a.name-cell").first().waitFor({ timeout: 180_000 });
  await page.goBack();
  await page.getByRole("table", { name: "Per-subnet figures" }).waitFor({ timeout: 60_000 });

  execFileSync(process.env.DEVNET_NODE_BIN, ["admin", "--rpc-port", String(port), "upgrade-runtime"], { stdio: "pipe" });
  const upgraded = Date.now();
  await unsupported.waitFor({ timeout: 180_000 });
  const said = Date.now() - upgraded;
  assert((await version()) === 101, "the node runs the upgraded runtime");
  // The rest keeps working: the validator's figures move on to blocks of the new runtime.
  const finalized = await rpc("chain_getHeader", [await rpc("chain_getFinalizedHead", [], port)], port);
  const after = Number.parseInt(finalized.number, 16);
  const block = await finalizedPast(page, ".provenance.verified", after, 120_000);
  await page.screenshot({ path: `${screenshotDir}/fault-runtime-upgrade-unsupported-1280-light.png`, fullPage: true });
  // The leaderboard on the new runtime says it is unsupported, and shows no table.
  await nav.getByRole("link", { name: "Baskets" }).click();
  await page.getByText("The basket leaderboard is unsupported by this runtime").waitFor({ timeout: 120_000 });
  assert((await board.count()) === 0, "the leaderboard shows a table on a runtime without the call");
  await page.screenshot({ path: `${screenshotDir}/fault-runtime-upgrade-baskets-1280-light.png`, fullPage: true });
  assert(page.errors.length === 0, `page errors: ${page.errors}`);
  await context.close();
  app.server.close();
  return `spec 100 → 101: "unsupported by this runtime" ${seconds(said)} after the upgrade, the basket leaderboard too; the page went on verified to #${block}`;
}, { together: "one devnet each" });
