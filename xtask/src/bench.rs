//! `cargo xtask bench`: measures and prints, never passes or fails on a number (the machine is
//! shared and noisy). Sections: cold and warm start (light client against trusted RPC), refresh
//! after finality, long tasks, memory, steady-state bytes, one embed against four and one tab
//! against two on the site's one chain worker, and the page's and the worker's bundle sizes on the
//! small devnet; the whole network and storage reads against runtime calls on the finney-scale
//! devnet (the browser side of both is `tests/e2e/bench.mjs`); native decoding throughput
//! (`light-client/benches`). Results go to `target/bench/latest.json` with the commit and machine.

use crate::shell::{announce, command, output_of, run, run_capturing};
use crate::suite::{build_app, start_devnet_for_app};
use crate::{bootstrap, paths, static_server};

mod summary;
use devnet_runner::Preset;

/// The devnet the app sections run on.
const APP_PRESET: Preset = Preset::Small;
/// Its nodes, each a boot peer of the spec: smoldot decides between warp sync and following after
/// GRANDPA neighbor packets from two peers, and a chain spec listing one node kept a warm start
/// waiting for a second packet from it (finney's spec lists several).
const APP_NODES: u8 = 2;
/// The `BENCH_ONLY` values that run the small-devnet phase of `tests/e2e/bench.mjs` (its
/// `BENCH_PHASE`): all of it, or one of its sections alone.
const APP_PHASES: [&str; 3] = ["app", "steady", "sharing"];
/// The wasm bundles Trunk builds: the page's and the chain service's worker.
const WASM_PACKAGES: [&str; 2] = ["taoscope-app", "taoscope-worker"];
/// The devnet the whole-network section runs on (finney's size).
const WHOLE_NETWORK_PRESET: Preset = Preset::FinneyScale;

/// The `BENCH {json}` lines of a run's output.
pub fn bench_lines(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .filter_map(|line| line.strip_prefix("BENCH "))
        .map(str::to_string)
        .collect()
}

fn machine() -> String {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let kernel = output_of(command("uname").arg("-sr")).unwrap_or_default();
    format!(
        "{{\"cores\":{cores},\"kernel\":\"{}\"}}",
        kernel.trim().replace('"', "'")
    )
}

/// Runs every section and writes `target/bench/latest.json`.
pub fn bench() -> Result<(), String> {
    bootstrap::app_build_tools()?;
    bootstrap::browser_test_tools()?;
    build_app()?;
    let mut sections = Vec::new();
    // `BENCH_ONLY=whole-network` runs the finney-scale phase alone (it is the slowest to set up),
    // `BENCH_ONLY=app` the small-devnet phase alone, `BENCH_ONLY=steady` or `BENCH_ONLY=sharing`
    // one section of it alone (steady-state bytes; one embed against four, one tab against two).
    // `BENCH_ONLY=whole-network-peers` the finney-scale phase against three nodes alone.
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    let app_phase = APP_PHASES.contains(&only.as_str());
    if only.is_empty() || app_phase {
        sections.extend(app_sections(if only.is_empty() { "app" } else { &only })?);
    }
    if !app_phase {
        build_bench_page()?;
        let port = static_server::spawn(bench_dist(), 0)?;
        if only != "whole-network-peers" {
            sections.extend(whole_network(port)?);
        }
        sections.extend(whole_network_peers(port)?);
    }
    print!("{}", summary::side_by_side(&sections));
    let commit = output_of(command("git").args(["rev-parse", "--short", "HEAD"])).unwrap_or_default();
    let json = format!(
        "{{\"commit\":\"{}\",\"presets\":{{\"app\":\"{APP_PRESET}\",\"whole_network\":\"{WHOLE_NETWORK_PRESET}\"}},\"machine\":{},\"sections\":[\n{}\n]}}\n",
        commit.trim(),
        machine(),
        sections.join(",\n")
    );
    let out = paths::repo_root().join("target").join("bench");
    std::fs::create_dir_all(&out).map_err(|error| format!("creating {}: {error}", out.display()))?;
    let file = out.join("latest.json");
    std::fs::write(&file, json).map_err(|error| format!("writing {}: {error}", file.display()))?;
    println!("\nresults: {}", file.display());
    Ok(())
}

/// Where the benchmark build of the app goes: the release app plus the `bench` feature's in-page
/// half and its empty `/bench` page, kept out of the `dist/` users get.
fn bench_dist() -> std::path::PathBuf {
    paths::repo_root().join("target").join("bench").join("dist")
}

fn build_bench_page() -> Result<(), String> {
    announce(
        "Building the benchmark page (the app with its `bench` feature)",
        "≈ 1–3 min",
    );
    let dist = bench_dist();
    run(
        "trunk build (bench)",
        command("trunk")
            .args(["build", "--release", "--features", "bench", "--dist"])
            .arg(&dist),
    )
}

/// Native decoding and the wasm's items by crate (for the whole phase), then the browser sections
/// on the small devnet: all of them (`phase` "app") or one alone.
fn app_sections(phase: &str) -> Result<Vec<String>, String> {
    let mut sections = Vec::new();
    let mut items = Vec::new();
    if phase == "app" {
        sections.extend(native_decoding()?);
        items = wasm_items()?;
    }
    crate::suite::devnet_node()?;
    let devnet = start_devnet_for_app(APP_PRESET, APP_NODES)?;
    let port = static_server::spawn(paths::repo_root().join("dist"), 0)?;
    announce(
        "Browser benchmarks in headless Chromium (small preset)",
        "≈ 4 min plus BENCH_FOLLOW_SECONDS (600) of following",
    );
    let (ok, lines) = run_capturing(
        "browser benchmarks",
        command("node")
            .arg("tests/e2e/bench.mjs")
            .env("BENCH_PHASE", phase)
            .envs(items)
            .env("TAOSCOPE_URL", format!("http://127.0.0.1:{port}"))
            .env("DEVNET_RPC_PORT", devnet.rpc_port(0).to_string())
            .env("DIST_DIR", paths::repo_root().join("dist")),
    )?;
    drop(devnet);
    if !ok {
        return Err("the browser benchmarks did not finish".into());
    }
    sections.extend(bench_lines(&lines));
    Ok(sections)
}

/// The 256-uid metagraph decoded natively (`light-client/benches`).
fn native_decoding() -> Result<Vec<String>, String> {
    announce(
        "Native decoding (256-uid metagraph)",
        "first time ≈ 4 min: a release build",
    );
    let (ok, lines) = run_capturing(
        "decoding benchmark",
        command("cargo").args([
            "bench",
            "-p",
            "taoscope-light-client",
            "--features",
            "internals",
            "--bench",
            "metagraph_decode",
        ]),
    )?;
    if !ok {
        return Err("the decoding benchmark did not run".into());
    }
    Ok(bench_lines(&lines))
}

/// Every item (function, data segment, section) of the page's and the worker's release wasm with
/// its size, by twiggy, from a build that keeps function names: the environment variables that
/// name the lists for `bench.mjs` (`WASM_ITEMS`, `WASM_ITEMS_WORKER`).
fn wasm_items() -> Result<Vec<(&'static str, std::path::PathBuf)>, String> {
    announce(
        "The release wasm of the page and of the worker with function names (what smoldot weighs)",
        "≈ 5–10 min: a second LTO build of each",
    );
    let mut build = command("cargo");
    build.args(["build", "--profile", "wasm-names", "--target", "wasm32-unknown-unknown"]);
    for package in WASM_PACKAGES {
        build.args(["-p", package]);
    }
    run("named wasm build", &mut build)?;
    let named = paths::shared_target_dir()
        .join("wasm32-unknown-unknown")
        .join("wasm-names");
    bootstrap::size_profiler()?;
    let mut items = Vec::new();
    for (package, variable) in WASM_PACKAGES.into_iter().zip(["WASM_ITEMS", "WASM_ITEMS_WORKER"]) {
        let list = named.join(format!("{package}.twiggy.json"));
        run(
            "twiggy top",
            command("twiggy")
                .args(["top", "--format", "json", "-o"])
                .arg(&list)
                .arg(named.join(format!("{package}.wasm"))),
        )?;
        items.push((variable, list));
    }
    Ok(items)
}

/// Section 3 on the `finney-scale` devnet (128 subnets × 256 uids): the page loads every
/// metagraph through a light client started from a checkpoint (as on finney) and through the
/// node's RPC, and compares storage reads with runtime calls per view.
fn whole_network(port: u16) -> Result<Vec<String>, String> {
    let (devnet, raw_spec) = finney_scale_devnet(1)?;
    announce("Whole network in headless Chromium (finney-scale preset)", "≈ 5–15 min");
    let (ok, lines) = run_capturing(
        "whole-network benchmark",
        command("node")
            .arg("tests/e2e/bench.mjs")
            .env("BENCH_PHASE", "whole-network")
            .env("TAOSCOPE_URL", format!("http://127.0.0.1:{port}"))
            .env("DEVNET_RPC_PORT", devnet.rpc_port(0).to_string())
            .env("RAW_SPEC", &raw_spec)
            .env("DIST_DIR", bench_dist()),
    )?;
    if !ok {
        return Err("the whole-network benchmark did not finish".into());
    }
    let mut sections = bench_lines(&lines);
    sections.extend(byte_budget(&devnet)?);
    sections.extend(sdk_whole_network(&devnet)?);
    drop(devnet);
    Ok(sections)
}

/// The finney-scale devnet of `nodes` nodes, its raw chain spec written beside the bench page and
/// its checkpoint into the page's chain specs (the `/bench` page runs no client of its own).
fn finney_scale_devnet(nodes: u8) -> Result<(devnet_runner::Devnet, std::path::PathBuf), String> {
    let dist_specs = bench_dist().join("chain-specs");
    std::fs::create_dir_all(&dist_specs).map_err(|error| format!("creating {}: {error}", dist_specs.display()))?;
    let raw_spec = paths::repo_root()
        .join("target")
        .join("bench")
        .join("finney-scale-spec.json");
    std::fs::create_dir_all(raw_spec.parent().expect("has a parent"))
        .map_err(|error| format!("creating {}: {error}", raw_spec.display()))?;
    announce(
        &format!("Starting the finney-scale devnet (128 subnets × 256 uids, {nodes} node(s))"),
        "≈ 3–5 min: a 40 MB genesis",
    );
    let devnet = devnet_runner::Devnet::start(&devnet_runner::Options {
        preset: WHOLE_NETWORK_PRESET,
        nodes,
        rpc_port: None,
        chain_spec_out: Some(raw_spec.clone()),
    })
    .map_err(|error| error.to_string())?;
    announce("Checkpoint of the finney-scale devnet", "");
    let checkpoint = dist_specs.join("finney-scale.checkpoint.json");
    crate::suite::checkpoint(&crate::cli::CheckpointOptions {
        rpc: devnet.ws_url(0),
        out: checkpoint.display().to_string(),
        finney_spec: None,
    })?;
    Ok((devnet, raw_spec))
}

/// The whole network again on a 3-node finney-scale devnet, every node a boot node of the light
/// client's spec: what spreading requests over peers buys, against our RPC path reading one node.
fn whole_network_peers(port: u16) -> Result<Vec<String>, String> {
    const PEERS: u8 = 3;
    let (devnet, raw_spec) = finney_scale_devnet(PEERS)?;
    let boot_nodes: Vec<String> = (0..usize::from(PEERS)).map(|index| devnet.multiaddr(index)).collect();
    announce("Whole network against three peers in headless Chromium", "≈ 3–6 min");
    let (ok, lines) = run_capturing(
        "whole-network benchmark, three peers",
        command("node")
            .arg("tests/e2e/bench.mjs")
            .env("BENCH_PHASE", "whole-network-peers")
            .env("BENCH_PEERS", PEERS.to_string())
            .env(
                "BENCH_CONCURRENCY",
                std::env::var("BENCH_PEERS_CONCURRENCY").unwrap_or_else(|_| "4,8".into()),
            )
            .env("BOOT_NODES", boot_nodes.join(","))
            .env("TAOSCOPE_URL", format!("http://127.0.0.1:{port}"))
            .env("DEVNET_RPC_PORT", devnet.rpc_port(0).to_string())
            .env("RAW_SPEC", &raw_spec)
            .env("DIST_DIR", bench_dist()),
    )?;
    drop(devnet);
    if !ok {
        return Err("the whole-network benchmark against three peers did not finish".into());
    }
    Ok(bench_lines(&lines))
}

/// The byte budget of the subnets and metagraph views on `devnet`: the proofs its node sends a
/// peer for what each view reads, split by what their bytes are (`tests/integration/benches`).
fn byte_budget(devnet: &devnet_runner::Devnet) -> Result<Vec<String>, String> {
    announce(
        "Byte budget of the subnets and metagraph views (the node's own proofs)",
        "≈ 1–2 min",
    );
    // It counts bytes, not time: the test profile's build, which the suite's tests share, will do.
    let (ok, lines) = run_capturing(
        "byte budget",
        command("cargo")
            .args([
                "bench",
                "--profile",
                "dev",
                "-p",
                "taoscope-integration-tests",
                "--bench",
                "byte_budget",
            ])
            .env("DEVNET_RPC_PORT", devnet.rpc_port(0).to_string()),
    )?;
    if !ok {
        return Err("the byte budget did not run".into());
    }
    Ok(bench_lines(&lines))
}

/// The bittensor SDK reading the whole network from the same node (`tests/sdk/bench.py`), one
/// read after the other and four at once.
fn sdk_whole_network(devnet: &devnet_runner::Devnet) -> Result<Vec<String>, String> {
    let python = bootstrap::sdk_python()?;
    let block = devnet.finalized_number().map_err(|error| error.to_string())?;
    announce("The bittensor SDK reading the whole network over RPC", "≈ 1–5 min");
    let (ok, lines) = run_capturing(
        "SDK whole network",
        command(&python.display().to_string())
            .arg(paths::repo_root().join("tests").join("sdk").join("bench.py"))
            .arg(devnet.rpc_port(0).to_string())
            .arg(block.to_string())
            .args(["1", "4"]),
    )?;
    if !ok {
        return Err("the SDK's whole-network read did not finish".into());
    }
    Ok(bench_lines(&lines))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_bench_lines_are_collected() {
        let lines = vec![
            "BENCH {\"section\":\"x\"}".to_string(),
            "Running benches/metagraph_decode.rs".to_string(),
            "  BENCH indented".to_string(),
        ];
        assert_eq!(bench_lines(&lines), vec!["{\"section\":\"x\"}".to_string()]);
    }
}
