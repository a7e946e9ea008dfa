// The fault matrix's browser rows (README "Reliability"), run by `cargo xtask test` as its own
// tier with TAOSCOPE_URL and the devnet's addresses set; one line per row.

import { runRows } from "../harness.mjs";
import "./peers.mjs";
import "./saved.mjs";
import "./stalls.mjs";
import "./upgrade.mjs";
import "./hostile.mjs";
import "./urls.mjs";
import "./integrity.mjs";

await runRows();
