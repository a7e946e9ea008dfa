// End-to-end tests of the served app. Run by `cargo xtask test` with TAOSCOPE_URL set.

import { run } from "./harness.mjs";
import "./shell.test.mjs";
import "./data.test.mjs";
import "./screens.test.mjs";
// After the screens: its subnet-pruning test needs the devnet past the subnets' immunity.
import "./stake.test.mjs";
import "./history.test.mjs";
import "./embed.test.mjs";
import "./peers.test.mjs";
import "./site.test.mjs";
import "./trust.test.mjs";
// Last: it forces a GRANDPA change, after which nothing can start from genesis.
import "./finney.test.mjs";

await run();
