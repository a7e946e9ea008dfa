// The fault matrix's browser rows (README "Reliability"), run by `cargo xtask test` as its own
// tier with TAOSCOPE_URL and the devnet's addresses set, as
// `node --test --test-force-exit tests/e2e/faults/run.mjs`; one line per row, and
// `--test-name-pattern "row 7:"` picks rows.

import { testRows } from "../harness.mjs";
import "./peers.mjs";
import "./saved.mjs";
import "./stalls.mjs";
import "./upgrade.mjs";
import "./hostile.mjs";
import "./urls.mjs";
import "./integrity.mjs";

testRows();
