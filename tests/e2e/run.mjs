// End-to-end tests of the served app, in this order (node:test runs a file's tests in order).
// Run by `cargo xtask test` with TAOSCOPE_URL and the devnet's addresses set, as
// `node --test --test-force-exit --test-reporter=spec --test-reporter=./tests/e2e/reporter.mjs …`;
// `--test-name-pattern` picks tests by name.

import "./shell.test.mjs";
import "./data.test.mjs";
import "./screens.test.mjs";
// Reads only: axe-core on every route and embed, light and dark.
import "./a11y.test.mjs";
// After the screens: its subnet-pruning test needs the devnet past the subnets' immunity.
import "./stake.test.mjs";
import "./history.test.mjs";
import "./embed.test.mjs";
import "./worker.test.mjs";
import "./peers.test.mjs";
import "./site.test.mjs";
// Reads only: validators side by side against their own pages and raw storage.
import "./compare.test.mjs";
// Reads only: the basket leaderboard against the runtime's own answer.
import "./baskets.test.mjs";
import "./trust.test.mjs";
// Reads only: exit values and the simulator against the runtime's sim_swap and the pool's curve.
import "./quotes.test.mjs";
// Stakes through a pool (admin add-stake): after the read-only tests that compare a busy coldkey.
import "./earnings.test.mjs";
// Near the end: it changes a subnet's tempo and emission switch (and puts them back).
import "./runtime-changes.test.mjs";
// After them: its admin stakes raise subnet 1's price (for good); it removes its rules.
import "./alerts.test.mjs";
// Last: it forces a GRANDPA change, after which nothing can start from genesis.
import "./finney.test.mjs";
