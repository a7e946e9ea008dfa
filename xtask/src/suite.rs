//! The `serve`, `devnet`, `test` and `checkpoint` commands: build the app, serve it and run the
//! local chain until SIGINT or SIGTERM, and run every tier of the suite, ending with each tier's
//! wall time and one count line.

use std::time::Duration;

use crate::cli::{CheckpointOptions, DevnetOptions, ServeOptions, TestOptions};
use crate::shell::{announce, command, run, run_capturing, run_quietly};
use crate::signals::{self, StopSignals};
use crate::tally::{Tally, browser_test_outcomes, fault_matrix_lines, junit_outcomes};
use crate::{bootstrap, dist, loader, paths, static_server};

/// Builds the app with Trunk into `dist/`, its loader sealed (`loader`).
pub fn build_app() -> Result<(), String> {
    announce("Fetching crates (offline builds follow)", "");
    run("cargo fetch", command("cargo").arg("fetch"))?;
    announce(
        "Building the app with Trunk (release wasm)",
        "first time ≈ 3–6 min, then seconds",
    );
    run("trunk build", command("trunk").args(["build", "--release"]))?;
    loader::seal(&paths::repo_root().join("dist"))
}

/// Where the app loads its chain spec from, inside `dist/` (see `app/src/chain.rs`).
fn served_chain_spec() -> std::path::PathBuf {
    paths::repo_root().join("dist").join("chain-specs").join("devnet.json")
}

/// Installs what the node build needs and builds the devnet node if its sources changed (a no-op
/// when it is cached).
pub fn devnet_node() -> Result<(), String> {
    bootstrap::devnet_build_tools()?;
    devnet_runner::node_binary()
        .map(drop)
        .map_err(|error| error.to_string())
}

/// Starts the devnet (building the node first if `devnet_node` did not) and writes its chain spec
/// where the built app loads it (the chain manifest, `public/chain-specs/index.json`, names it).
pub fn start_devnet_for_app(preset: devnet_runner::Preset, nodes: u8) -> Result<devnet_runner::Devnet, String> {
    let spec = served_chain_spec();
    let folder = spec.parent().expect("has a parent");
    std::fs::create_dir_all(folder).map_err(|error| format!("creating {}: {error}", folder.display()))?;
    announce(
        &format!("Starting the devnet ({preset} preset, {nodes} node(s))"),
        "≈ 30 s",
    );
    devnet_runner::Devnet::start(&devnet_runner::Options {
        preset,
        nodes,
        rpc_port: None,
        chain_spec_out: Some(spec),
    })
    .map_err(|error| error.to_string())
}

/// `cargo xtask serve`: build, start the devnet, then serve `dist/` until SIGINT or SIGTERM,
/// which stop the devnet too.
pub fn serve(options: &ServeOptions) -> Result<(), String> {
    bootstrap::app_build_tools()?;
    let listener = std::net::TcpListener::bind(("127.0.0.1", options.port)).map_err(|error| {
        format!(
            "port {} is not free ({error}); choose another with --port",
            options.port
        )
    })?;
    if options.chain != "devnet" {
        return serve_without_devnet(options, listener);
    }
    build_app()?;
    devnet_node()?;
    let stop = StopSignals::listen()?;
    let devnet = match start_devnet_for_app(options.preset, options.nodes) {
        Ok(devnet) => devnet,
        Err(error) => return stop.stopped_while_starting(error),
    };
    println!("devnet: rpc {}  p2p {}", devnet.ws_url(0), devnet.multiaddr(0));
    let dist = paths::repo_root().join("dist");
    std::thread::spawn(move || static_server::serve(listener, dist));
    println!(
        "Taoscope is served at http://127.0.0.1:{}/ (Ctrl-C stops it and the devnet)",
        options.port
    );
    let signal = stop.wait_forever();
    println!("{signal}: stopping the devnet");
    drop(devnet);
    Ok(())
}

/// `cargo xtask serve --chain NAME` for a chain other than the devnet: the static site for it,
/// served over http on loopback (a page there may dial ws boot nodes, as finney's are), no devnet.
fn serve_without_devnet(options: &ServeOptions, listener: std::net::TcpListener) -> Result<(), String> {
    if options.preset != devnet_runner::Preset::Small || options.nodes != 1 {
        return Err(format!(
            "--preset and --nodes are for the devnet; --chain {} starts none",
            options.chain
        ));
    }
    let site_dir = paths::repo_root()
        .join("target")
        .join(format!("serve-{}", options.chain));
    let site = dist::build_site(&site_dir, &options.chain, None)?;
    let stop = StopSignals::listen()?;
    std::thread::spawn(move || static_server::serve(listener, site_dir));
    println!(
        "Taoscope is served at http://127.0.0.1:{}/ on {} (chains: {}); Ctrl-C stops it",
        options.port,
        options.chain,
        site.chains.join(", ")
    );
    let signal = stop.wait_forever();
    println!("{signal}: stopping");
    Ok(())
}

/// `cargo xtask devnet`: start the local chain, print its endpoints, keep it running until SIGINT
/// or SIGTERM, then stop the nodes.
pub fn devnet(options: &DevnetOptions) -> Result<(), String> {
    devnet_node()?;
    let spec = paths::repo_root().join("target").join("devnet").join("chain-spec.json");
    std::fs::create_dir_all(spec.parent().expect("has a parent"))
        .map_err(|error| format!("creating {}: {error}", spec.display()))?;
    announce(
        &format!(
            "Starting the devnet ({} preset, {} node(s))",
            options.preset, options.nodes
        ),
        "first start ≈ 30 s",
    );
    let stop = StopSignals::listen()?;
    let started = devnet_runner::Devnet::start(&devnet_runner::Options {
        preset: options.preset,
        nodes: options.nodes,
        rpc_port: options.rpc_port,
        chain_spec_out: Some(spec.clone()),
    });
    let devnet = match started {
        Ok(devnet) => devnet,
        Err(error) => return stop.stopped_while_starting(error.to_string()),
    };
    for index in 0..usize::from(options.nodes) {
        let pid = devnet.pid(index).map(|pid| pid.to_string()).unwrap_or_default();
        println!(
            "node {index}: rpc {}  p2p {}  pid {pid}",
            devnet.ws_url(index),
            devnet.multiaddr(index)
        );
    }
    println!("chain spec: {}", spec.display());
    println!("logs: {}", devnet.run_dir().display());
    println!("Finality advances; Ctrl-C (or SIGTERM) stops everything.");
    let signal = loop {
        if let Some(signal) = stop.wait(Duration::from_secs(30)) {
            break signal;
        }
        match devnet.finalized_number() {
            Ok(number) => println!("finalized #{number}"),
            Err(error) => println!("node 0 does not answer: {error}"),
        }
    };
    println!("{signal}: stopping the devnet");
    drop(devnet);
    Ok(())
}

/// `cargo xtask test`: the whole suite.
pub fn test(options: &TestOptions) -> Result<(), String> {
    // A CI time-out or Ctrl-C ends the tiers' devnet nodes and browsers too, not the xtask alone.
    signals::end_the_suite_on_stop()?;
    let mut tally = Tally::default();
    tally.timed("tools", |_| {
        bootstrap::app_build_tools()?;
        bootstrap::supply_chain_tools()?;
        bootstrap::test_runner()?;
        if !options.skip_browser {
            bootstrap::browser_test_tools()?;
        }
        Ok::<(), String>(())
    })?;

    announce("Checking formatting", "");
    tally.command_tier("fmt", "cargo fmt", command("cargo").args(["fmt", "--all", "--check"]));

    announce("Clippy, native", "first time ≈ 2–4 min");
    tally.command_tier(
        "clippy native",
        "clippy (native)",
        command("cargo").args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]),
    );

    announce("Clippy, wasm32", "first time ≈ 2–4 min");
    tally.command_tier(
        "clippy wasm32",
        "clippy (wasm32)",
        // With the benchmarks' in-page half (`bench`), which no other tier compiles, and every
        // target: the browser tests and the unit tests as the page would build them.
        command("cargo").args([
            "clippy",
            "--target",
            "wasm32-unknown-unknown",
            "--all-targets",
            "-p",
            "taoscope-app",
            "-p",
            "taoscope-light-client",
            "-p",
            "taoscope-worker",
            "--features",
            "taoscope-app/bench",
            "--",
            "-D",
            "warnings",
        ]),
    );

    announce(
        "Supply chain: licenses, banned dependencies (the app's boundary), sources",
        "seconds; advisories need GitHub, unreachable here",
    );
    tally.timed("supply chain", |tally| {
        // cargo-deny reads every crate of every target, offline: on a cold machine the wasm-only
        // ones are not downloaded yet.
        let checked = run("cargo fetch", command("cargo").arg("fetch")).and_then(|()| {
            run(
                "supply chain",
                command("cargo").args(["deny", "--offline", "check", "licenses", "bans", "sources"]),
            )
        });
        tally.check("cargo deny", checked);
    });

    announce(
        "Real bytes: the light client's readers on finney answers recorded by others (no devnet)",
        "first time ≈ 3–6 min (builds the workspace's tests), then seconds",
    );
    tally.timed("real bytes", |tally| {
        // The whole workspace's tests are built here, with the features the cargo test tier
        // unifies, so that tier builds nothing again; only this binary runs.
        let mut nextest = nextest(&["--workspace", "--filterset", REAL_BYTES]);
        nextest_tier(tally, "real bytes", &paths::repo_root(), &mut nextest);
    });

    announce(
        "Building the devnet node if its sources changed",
        "first time ≈ 15–25 min, then cached",
    );
    tally.timed("devnet node build", |tally| {
        if let Err(error) = devnet_node() {
            tally.check("devnet node build", Err(error));
        }
    });

    announce(
        "The devnet pallet's unit tests (epoch, pools, mechanisms)",
        "first time ≈ 2–3 min, then seconds",
    );
    tally.timed("devnet unit tests", |tally| {
        // The devnet is its own workspace with its own target directory (and nextest settings);
        // its pallet's tests need no runtime wasm.
        let mut nextest = nextest(&["--locked", "-p", "pallet-subtensor", "--manifest-path"]);
        nextest
            .arg(devnet_runner::devnet_dir().join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", devnet_runner::cache_dir().join("devnet-target"))
            .env("SKIP_WASM_BUILD", "1");
        nextest_tier(tally, "devnet unit tests", &devnet_runner::devnet_dir(), &mut nextest);
    });

    // One devnet for every test that only reads the chain (`Devnet::shared`); tests that kill
    // nodes, upgrade the runtime or force a GRANDPA change start their own.
    announce("Starting one devnet for the tests that only read", "≈ 75 s");
    let shared = tally.timed("shared devnet start", |tally| {
        devnet_runner::Devnet::start(&devnet_runner::Options::default())
            .map_err(|error| tally.check("shared devnet", Err(format!("{error} (each test starts its own)"))))
            .ok()
    });

    announce("Unit and integration tests", "first time ≈ 2–4 min");
    tally.timed("cargo test", |tally| {
        // The real-bytes tests ran in their own tier.
        let mut nextest = nextest(&["--workspace", "--filterset", &format!("not ({REAL_BYTES})")]);
        if let Some(devnet) = &shared {
            nextest.env(devnet_runner::SHARED_DEVNET_VAR, devnet.share());
        }
        nextest_tier(tally, "cargo test", &paths::repo_root(), &mut nextest);
    });

    announce(
        "The bittensor SDK's typed reads against the devnet, compared with the light client's",
        "first time ≈ 1–2 min (installs the SDK), then ≈ 15 s",
    );
    tally.timed("bittensor SDK", |tally| sdk_tests(tally, shared.as_ref()));
    drop(shared);

    if options.skip_browser {
        println!("    browser tests skipped (--skip-browser)");
        tally.skipped.extend([
            "app build",
            "devnet start",
            "static site",
            "wasm platform tests",
            "browser tests",
        ]);
    } else {
        browser_tests(&mut tally);
    }

    for line in tally.report() {
        println!("{line}");
    }
    if tally.failed == 0 {
        Ok(())
    } else {
        Err(format!("{} check(s) failed", tally.failed))
    }
}

/// `tests/integration/tests/sdk.rs` (ignored by plain `cargo test`, which lacks the SDK) with the
/// SDK's virtual environment, on the shared devnet.
fn sdk_tests(tally: &mut Tally, devnet: Option<&devnet_runner::Devnet>) {
    let python = match bootstrap::sdk_python() {
        Ok(python) => python,
        Err(error) => return tally.check("bittensor SDK install", Err(error)),
    };
    let mut sdk_test = nextest(&[
        "-p",
        "taoscope-integration-tests",
        "--test",
        "sdk",
        "--run-ignored",
        "only",
    ]);
    sdk_test.env("TAOSCOPE_SDK_PYTHON", python);
    if let Some(devnet) = devnet {
        sdk_test.env(devnet_runner::SHARED_DEVNET_VAR, devnet.share());
    }
    nextest_tier(tally, "bittensor SDK", &paths::repo_root(), &mut sdk_test);
}

/// The "real bytes" tier's test binary as a nextest filterset, which the cargo test tier leaves
/// out: `tests/integration/tests/finney_real.rs`, the light client's readers over real finney
/// answers recorded by others (`../shared/chain/finney-real/`).
const REAL_BYTES: &str = "package(taoscope-integration-tests) & binary(finney_real)";

/// `cargo nextest run` under the `suite` profile (`.config/nextest.toml`) with `args`.
fn nextest(args: &[&str]) -> std::process::Command {
    let mut nextest = command("cargo");
    nextest.args(["nextest", "run", "--profile", "suite"]).args(args);
    nextest
}

/// Runs a [`nextest`] command and adds each test's outcome from the JUnit report it writes in the
/// store of `workspace` (the `.config/nextest.toml` there); a report that is missing or
/// unreadable is a failure of its own.
fn nextest_tier(tally: &mut Tally, runner: &str, workspace: &std::path::Path, nextest: &mut std::process::Command) {
    let report = workspace.join("target").join("nextest").join("suite").join("junit.xml");
    let _ = std::fs::remove_file(&report);
    let success = match nextest.status() {
        Ok(status) => status.success(),
        Err(error) => return tally.check(runner, Err(format!("could not start cargo nextest: {error}"))),
    };
    let outcomes = std::fs::read_to_string(&report)
        .map_err(|error| format!("no JUnit report at {} ({error})", report.display()))
        .and_then(|xml| junit_outcomes(&xml));
    match outcomes {
        Ok(outcomes) => tally.add_outcomes(runner, success, &outcomes),
        Err(error) => tally.check(runner, Err(error)),
    }
}

/// The light client's browser platform, compiled to wasm32 and run in headless Chromium by
/// wasm-bindgen-test-runner against the running devnet (its addresses are build-time env vars).
fn wasm_platform_tests(tally: &mut Tally, devnet: &devnet_runner::Devnet) {
    announce(
        "light-client platform tests in headless Chromium (wasm-bindgen-test)",
        "first time ≈ 2–3 min",
    );
    let address = devnet.multiaddr(0);
    let p2p_port = address.split('/').nth(4).unwrap_or_default().to_string();
    let result = run_capturing(
        "wasm platform tests",
        command("cargo")
            .args([
                "test",
                "--target",
                "wasm32-unknown-unknown",
                "-p",
                "taoscope-light-client",
                "--test",
                "browser",
            ])
            .env("CHROMEDRIVER", "/usr/bin/chromedriver")
            .env("TAOSCOPE_DEVNET_RPC", devnet.ws_url(0))
            .env("TAOSCOPE_DEVNET_P2P_PORT", p2p_port),
    );
    match result {
        Ok((success, lines)) => tally.add_libtest_summary("wasm platform tests", success, &lines),
        Err(error) => tally.check("wasm platform tests", Err(error)),
    }
}

/// The checkpoint tool as `cargo build -p taoscope-checkpoint` leaves it.
fn checkpoint_tool() -> std::path::PathBuf {
    paths::shared_target_dir().join("debug").join("taoscope-checkpoint")
}

/// `cargo xtask checkpoint`: runs `tools/checkpoint` (kept out of the xtask so the xtask builds
/// without smoldot).
pub fn checkpoint(options: &CheckpointOptions) -> Result<(), String> {
    let mut command = command("cargo");
    command
        .args(["run", "--quiet", "-p", "taoscope-checkpoint", "--"])
        .args(["--rpc", &options.rpc, "--out", &options.out]);
    if let Some(file) = &options.finney_spec {
        command.args(["--finney-spec", file]);
    }
    run("checkpoint", &mut command)
}

fn browser_tests(tally: &mut Tally) {
    if let Err(error) = tally.timed("app build", |_| build_app()) {
        tally.check("app build", Err(error));
        return;
    }
    let started = tally.timed("devnet start", |tally| {
        let devnet = devnet_node().and_then(|()| start_devnet_for_app(devnet_runner::Preset::Small, 1));
        let devnet = devnet.map_err(|error| tally.check("devnet for the browser tests", Err(error)));
        let port = static_server::spawn(paths::repo_root().join("dist"), 0);
        let port = port.map_err(|error| tally.check("static server", Err(error)));
        Some((devnet.ok()?, port.ok()?))
    });
    let Some((devnet, port)) = started else { return };
    // The site `cargo xtask dist --chain devnet` makes, which a browser test serves with nginx,
    // and the checkpoint tool a finney-like test writes its served checkpoint with.
    tally.timed("static site", |tally| {
        let site = dist::build_site(&dist::test_site_dir(), "devnet", Some(&served_chain_spec()));
        tally.check("static site (xtask dist)", site.map(drop));
        let tool = run(
            "cargo build taoscope-checkpoint",
            command("cargo").args(["build", "--quiet", "-p", "taoscope-checkpoint"]),
        );
        tally.check("checkpoint tool build", tool);
    });
    tally.timed("wasm platform tests", |tally| wasm_platform_tests(tally, &devnet));
    // Before the browser tests: their last one forces a GRANDPA change, after which no fresh page
    // (each fault row opens fresh ones) can start from genesis.
    tally.timed("fault matrix", |tally| fault_matrix(tally, &devnet, port));
    tally.timed("browser tests", |tally| e2e_tests(tally, &devnet, port));
}

/// The environment the browser runners need: the served app, the devnet, where screenshots go.
fn browser_runner(args: &[&str], devnet: &devnet_runner::Devnet, port: u16) -> std::process::Command {
    let mut runner = command("node");
    runner
        .args(args)
        .env("TAOSCOPE_URL", format!("http://127.0.0.1:{port}"))
        .env("DEVNET_RPC_PORT", devnet.rpc_port(0).to_string())
        .env("DEVNET_NODE_BIN", devnet.binary())
        .env(
            "DEVNET_NODE_PID",
            devnet.pid(0).map(|pid| pid.to_string()).unwrap_or_default(),
        )
        .env("SCREENSHOT_DIR", paths::screenshot_dir())
        .env("TAOSCOPE_SITE_DIR", dist::test_site_dir());
    runner
}

/// The fault matrix (README "Reliability"). The burst row first, on the running devnet, while a
/// three-authority devnet starts for the finality-stall and runtime-upgrade rows; then the browser
/// rows (`tests/e2e/faults/run.mjs`) with the other native rows beside them (they start what they
/// need and touch neither devnet; their output is printed when they end). Native rows are the
/// `#[ignore]`d `row_*` tests. One line per row in the report.
fn fault_matrix(tally: &mut Tally, devnet: &devnet_runner::Devnet, port: u16) {
    announce(
        "The fault matrix: the burst row, then the browser rows beside the other native rows",
        "≈ 10 min",
    );
    let native_rows = |tests: &[&str]| {
        let mut native = command("cargo");
        native.args(["test", "-p", "taoscope-integration-tests"]);
        for test in tests {
            native.args(["--test", test]);
        }
        native.args(["--", "--ignored", "--nocapture", "--test-threads=1", "row_"]);
        native
    };
    let spec = paths::repo_root()
        .join("target")
        .join("fault-devnet")
        .join("chain-spec.json");
    let authorities = std::thread::spawn(move || {
        if let Some(folder) = spec.parent() {
            std::fs::create_dir_all(folder).map_err(|error| format!("creating {}: {error}", folder.display()))?;
        }
        devnet_runner::Devnet::start(&devnet_runner::Options {
            nodes: 3,
            chain_spec_out: Some(spec),
            ..devnet_runner::Options::default()
        })
        .map_err(|error| error.to_string())
    });
    let mut rows = Vec::new();
    let mut burst = native_rows(&["burst"]);
    burst.env(devnet_runner::SHARED_DEVNET_VAR, devnet.share());
    match run_capturing("fault matrix, burst row", &mut burst) {
        Ok((success, output)) => {
            rows.extend(tally.add_fault_rows("fault matrix (burst row)", success, &output));
        }
        Err(error) => tally.check("fault matrix (burst row)", Err(error)),
    }
    let authorities = authorities
        .join()
        .unwrap_or_else(|_| Err("the thread starting it panicked".into()));
    let beside = std::thread::spawn(move || {
        run_quietly(
            "fault matrix, native rows",
            &mut native_rows(&["recovery", "faulty_rpc"]),
        )
    });
    match authorities {
        Ok(authorities) => {
            let pids: Vec<String> = (0..3)
                .map(|index| authorities.pid(index).map(|pid| pid.to_string()).unwrap_or_default())
                .collect();
            let mut browser = browser_runner(
                &[
                    "--test",
                    "--test-force-exit",
                    "--test-reporter=spec",
                    "--test-reporter-destination=stdout",
                    "tests/e2e/faults/run.mjs",
                ],
                devnet,
                port,
            );
            browser
                .env("FAULT_DEVNET_SPEC", authorities.chain_spec_path())
                .env("FAULT_DEVNET_RPC_PORT", authorities.rpc_port(0).to_string())
                .env("FAULT_DEVNET_PIDS", pids.join(","));
            match run_capturing("fault matrix, browser rows", &mut browser) {
                Ok((success, output)) => {
                    rows.extend(tally.add_fault_rows("fault matrix (browser rows)", success, &output));
                }
                Err(error) => tally.check("fault matrix (browser rows)", Err(error)),
            }
        }
        Err(error) => tally.check("three-authority devnet for the fault matrix", Err(error)),
    }
    let beside = beside
        .join()
        .unwrap_or_else(|_| Err("the thread running them panicked".into()));
    match beside {
        Ok((success, output)) => {
            println!("    the native rows that ran beside the browser rows printed:");
            for line in &output {
                println!("{line}");
            }
            rows.extend(tally.add_fault_rows("fault matrix (native rows)", success, &output));
        }
        Err(error) => tally.check("fault matrix (native rows)", Err(error)),
    }
    rows.sort_by_key(|row| row.number);
    tally.check_every_fault_row_reported(&rows);
    tally.fault_rows = rows;
    for line in fault_matrix_lines(&tally.fault_rows) {
        println!("{line}");
    }
}

/// The end-to-end tests in headless Chromium against the served app and the running devnet.
fn e2e_tests(tally: &mut Tally, devnet: &devnet_runner::Devnet, port: u16) {
    announce("Browser tests in headless Chromium", "≈ 8 min");
    let results = paths::browser_results_file();
    let _ = std::fs::remove_file(&results);
    let destination = format!("--test-reporter-destination={}", results.display());
    // node:test, with the spec reporter on the console and `reporter.mjs`'s JSON lines in
    // `results`; `--test-force-exit` because tests leave servers and sockets open.
    let mut runner = browser_runner(
        &[
            "--test",
            "--test-force-exit",
            "--test-reporter=spec",
            "--test-reporter-destination=stdout",
            "--test-reporter=./tests/e2e/reporter.mjs",
            &destination,
            "tests/e2e/run.mjs",
        ],
        devnet,
        port,
    );
    runner.env("TAOSCOPE_CHECKPOINT_TOOL", checkpoint_tool());
    match run_capturing("browser tests", &mut runner) {
        Ok((success, _)) => {
            let written = std::fs::read_to_string(&results).unwrap_or_default();
            match browser_test_outcomes(&written) {
                Ok(outcomes) => tally.add_outcomes("browser tests", success, &outcomes),
                Err(error) => tally.check("browser tests", Err(error)),
            }
        }
        Err(error) => tally.check("browser tests", Err(error)),
    }
    println!("    screenshots: {}", paths::screenshot_dir().display());
}
