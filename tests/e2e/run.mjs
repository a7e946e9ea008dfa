// End-to-end tests of the served app. Run by `cargo xtask test` with TAOSCOPE_URL set.

import { run } from "./harness.mjs";
import "./shell.test.mjs";
import "./data.test.mjs";
import "./screens.test.mjs";
import "./hostile.test.mjs";
import "./embed.test.mjs";
import "./peers.test.mjs";
import "./bootstrap.test.mjs";
// Last: it pauses the devnet node.
import "./trust.test.mjs";

await run();
