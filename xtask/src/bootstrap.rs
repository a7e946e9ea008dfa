//! Installs what the commands need, idempotently: the wasm target, trunk, wasm-bindgen-cli (the exact
//! version in Cargo.lock), cargo-deny, cargo-nextest, twiggy, Chromium, nginx, the browser-test npm packages and the bittensor SDK's
//! virtual environment. Nothing here downloads a binary from outside the package registries.

use std::path::Path;

use crate::paths;
use crate::shell::{self, announce, command, output_of, run};

/// Trunk's version: 0.22 needs a newer rustc than the 1.95 this project pins.
const TRUNK_VERSION: &str = "0.21.14";

/// cargo-deny's version (the supply-chain check, `deny.toml`).
const CARGO_DENY_VERSION: &str = "0.20.2";

/// cargo-nextest's version, installed only where no `cargo nextest` is found (the suite's test
/// runner: its JUnit report names each test's outcome).
const CARGO_NEXTEST_VERSION: &str = "0.9.143";

/// twiggy's version (the benchmark's split of the wasm by crate).
const TWIGGY_VERSION: &str = "0.8.0";

/// Everything `serve` needs to build the app.
pub fn app_build_tools() -> Result<(), String> {
    wasm_target()?;
    trunk()?;
    wasm_bindgen_cli()?;
    Ok(())
}

/// What building the devnet node needs: protoc, OpenSSL headers, the runtime's wasm target and
/// the standard library's source.
pub fn devnet_build_tools() -> Result<(), String> {
    let mut missing = Vec::new();
    if !shell::is_on_path("protoc") {
        missing.push("protobuf-compiler");
    }
    if !Path::new("/usr/include/openssl/ssl.h").is_file() {
        missing.push("libssl-dev");
    }
    if !shell::is_on_path("pkg-config") {
        missing.push("pkg-config");
    }
    if missing.is_empty() {
        println!("    protoc, OpenSSL headers, pkg-config: already installed");
    } else {
        apt_install(&missing, "A devnet build tool", "≈ 1 min")?;
    }
    let targets = output_of(command("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if !targets.lines().any(|line| line == "wasm32v1-none") {
        announce("Adding the wasm32v1-none target (the devnet runtime)", "≈ 30 s");
        run(
            "rustup target add",
            command("rustup").args(["target", "add", "wasm32v1-none"]),
        )?;
    }
    let components = output_of(command("rustup").args(["component", "list", "--installed"])).unwrap_or_default();
    if !components.lines().any(|line| line.starts_with("rust-src")) {
        announce("Adding rust-src (the devnet runtime)", "≈ 30 s");
        run(
            "rustup component add",
            command("rustup").args(["component", "add", "rust-src"]),
        )?;
    }
    Ok(())
}

/// cargo-deny, for the suite's supply-chain check.
pub fn supply_chain_tools() -> Result<(), String> {
    cargo_tool(
        "cargo-deny",
        "cargo-deny",
        CARGO_DENY_VERSION,
        true,
        "first time only, ≈ 5–10 min on 2 cores",
    )
}

/// cargo-nextest, the runner of the suite's Rust tests: any 0.9 already on PATH (the machine's own),
/// else the pinned version in the tools folder.
pub fn test_runner() -> Result<(), String> {
    if let Some(reported) = output_of(command("cargo").args(["nextest", "--version"]))
        && reported.starts_with("cargo-nextest 0.9.")
    {
        println!("    {}: already installed", reported.lines().next().unwrap_or_default());
        return Ok(());
    }
    cargo_tool(
        "cargo-nextest",
        "cargo-nextest",
        CARGO_NEXTEST_VERSION,
        true,
        "first time only, ≈ 5–10 min on 2 cores",
    )
}

/// twiggy, which lists every item of a wasm module with its size (the benchmark's bundle section).
pub fn size_profiler() -> Result<(), String> {
    cargo_tool(
        "twiggy",
        "twiggy",
        TWIGGY_VERSION,
        true,
        "first time only, ≈ 3–5 min on 2 cores",
    )
}

/// Everything the browser tests need on top of the build tools.
pub fn browser_test_tools() -> Result<(), String> {
    chromium()?;
    nginx()?;
    node()?;
    npm_packages(&paths::repo_root().join("tests").join("e2e"))
}

fn wasm_target() -> Result<(), String> {
    let installed = output_of(command("rustup").args(["target", "list", "--installed"]))
        .ok_or("rustup is needed to add the wasm32 target: install Rust with rustup (https://rustup.rs)")?;
    if installed.lines().any(|line| line == "wasm32-unknown-unknown") {
        println!("    wasm32-unknown-unknown target: already installed");
        return Ok(());
    }
    announce("Adding the wasm32-unknown-unknown target", "≈ 30 s");
    run(
        "rustup target add",
        command("rustup").args(["target", "add", "wasm32-unknown-unknown"]),
    )
}

fn trunk() -> Result<(), String> {
    cargo_tool(
        "trunk",
        "trunk",
        TRUNK_VERSION,
        true,
        "first time only, ≈ 5–10 min on 2 cores",
    )
}

fn wasm_bindgen_cli() -> Result<(), String> {
    let version = locked_version("wasm-bindgen")?;
    // Its own lock pins a crate version the registry lacks, so it installs only without --locked.
    cargo_tool(
        "wasm-bindgen",
        "wasm-bindgen-cli",
        &version,
        false,
        "first time only, ≈ 3–5 min on 2 cores",
    )
}

/// The release profile the tools are compiled with: optimised enough for a build tool, without LTO
/// or a single codegen unit.
const LIGHT_TOOL_PROFILE: [(&str, &str); 4] = [
    ("CARGO_PROFILE_RELEASE_LTO", "off"),
    ("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16"),
    ("CARGO_PROFILE_RELEASE_OPT_LEVEL", "1"),
    ("CARGO_PROFILE_RELEASE_DEBUG", "0"),
];

/// Installs `krate@version` into the tools folder unless `binary --version` already reports it.
fn cargo_tool(binary: &str, krate: &str, version: &str, locked: bool, estimate: &str) -> Result<(), String> {
    let installed = paths::tools_dir().join("bin").join(binary);
    if let Some(reported) = output_of(command(installed.to_str().unwrap_or(binary)).arg("--version"))
        && reported.split_whitespace().any(|word| word == version)
    {
        println!("    {krate} {version}: already installed");
        return Ok(());
    }
    announce(&format!("Installing {krate} {version}"), estimate);
    let mut install = command("cargo");
    install
        .args(["install", "--root"])
        .arg(paths::tools_dir())
        .args([krate, "--version", version])
        .env_remove("CARGO_TARGET_DIR");
    // Build tools need no link-time optimisation: a fast-to-compile release profile took most of
    // the cold machine's tool installs (trunk alone was 932 s with the crates' own profiles).
    for (setting, value) in LIGHT_TOOL_PROFILE {
        install.env(setting, value);
    }
    if locked {
        install.arg("--locked");
    }
    run(&format!("cargo install {krate}"), &mut install).map_err(|error| {
        format!(
            "{error}\n  to install it by hand: cargo install --root {} {krate} --version {version}{}",
            paths::tools_dir().display(),
            if locked { " --locked" } else { "" }
        )
    })
}

/// The version of `package` recorded in the workspace's Cargo.lock.
pub fn locked_version(package: &str) -> Result<String, String> {
    let lock_path = paths::repo_root().join("Cargo.lock");
    let lock =
        std::fs::read_to_string(&lock_path).map_err(|error| format!("reading {}: {error}", lock_path.display()))?;
    version_in_lock(&lock, package)
        .ok_or_else(|| format!("{package} is not in Cargo.lock; run `cargo generate-lockfile`"))
}

fn version_in_lock(lock: &str, package: &str) -> Option<String> {
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == format!("name = \"{package}\"") {
            let version = lines.next()?.strip_prefix("version = \"")?.strip_suffix('"')?;
            return Some(version.to_string());
        }
    }
    None
}

fn is_root() -> bool {
    output_of(command("id").arg("-u")).as_deref() == Some("0")
}

/// Installs Debian packages when running as root; otherwise explains the exact command.
fn apt_install(packages: &[&str], why: &str, estimate: &str) -> Result<(), String> {
    let command_line = format!("apt-get install -y --no-install-recommends {}", packages.join(" "));
    if !is_root() {
        return Err(format!(
            "{why} is missing; install it with: sudo apt-get update && sudo {command_line}"
        ));
    }
    announce(&format!("Installing {} with apt-get", packages.join(", ")), estimate);
    run("apt-get update", command("apt-get").args(["update", "-qq"]))?;
    run(
        "apt-get install",
        command("apt-get")
            .args(["install", "-y", "--no-install-recommends"])
            .args(packages)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
    .map_err(|error| format!("{error}\n  to install it by hand: {command_line}"))
}

fn chromium() -> Result<(), String> {
    if Path::new("/usr/bin/chromium").is_file() && Path::new("/usr/bin/chromedriver").is_file() {
        println!("    chromium + chromedriver: already installed");
        return Ok(());
    }
    apt_install(
        &["chromium", "chromium-driver"],
        "Chromium (for the browser tests)",
        "≈ 1–2 min",
    )
}

/// Where Debian installs nginx (not on a non-root PATH).
pub const NGINX: &str = "/usr/sbin/nginx";

/// nginx: the browser tests serve the static site and the wss gateway with the configs users get.
fn nginx() -> Result<(), String> {
    if Path::new(NGINX).is_file() {
        println!("    nginx: already installed");
        return Ok(());
    }
    apt_install(
        &["nginx"],
        "nginx (serves the static site and the wss gateway in the browser tests)",
        "≈ 30 s",
    )
}

fn node() -> Result<(), String> {
    if shell::is_on_path("node") && shell::is_on_path("npm") {
        return Ok(());
    }
    apt_install(
        &["nodejs", "npm"],
        "Node.js (drives Chromium in the browser tests)",
        "≈ 1 min",
    )
}

/// `npm ci` in `dir` unless its node_modules already matches its package-lock.json.
/// The Python of a virtual environment (cached outside the clone) holding exactly the bittensor
/// SDK and dependencies `tests/sdk/requirements.txt` pins; rebuilt when that file changes.
pub fn sdk_python() -> Result<std::path::PathBuf, String> {
    let requirements_path = paths::repo_root().join("tests").join("sdk").join("requirements.txt");
    let requirements = std::fs::read(&requirements_path)
        .map_err(|error| format!("reading {}: {error}", requirements_path.display()))?;
    let venv = devnet_runner::cache_dir().join("sdk-venv");
    let python = venv.join("bin").join("python");
    let stamp = venv.join(".taoscope-requirements");
    if python.is_file() && std::fs::read(&stamp).ok().as_deref() == Some(requirements.as_slice()) {
        println!("    bittensor SDK in {}: already installed", venv.display());
        return Ok(python);
    }
    if output_of(command("python3").args(["-m", "venv", "--help"])).is_none() {
        apt_install(&["python3", "python3-venv"], "Python 3 with venv", "≈ 30 s")?;
    }
    announce(
        "Installing the bittensor SDK 11.3.0 into a virtual environment",
        "≈ 1 min",
    );
    let _ = std::fs::remove_dir_all(&venv);
    run("python3 -m venv", command("python3").arg("-m").arg("venv").arg(&venv))?;
    run(
        "pip install",
        command(&python.display().to_string())
            .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r"])
            .arg(&requirements_path),
    )?;
    std::fs::write(&stamp, requirements).map_err(|error| format!("writing {}: {error}", stamp.display()))?;
    Ok(python)
}

fn npm_packages(dir: &Path) -> Result<(), String> {
    let lock = std::fs::read(dir.join("package-lock.json"))
        .map_err(|error| format!("reading {}/package-lock.json: {error}", dir.display()))?;
    let stamp = dir.join("node_modules").join(".taoscope-lock");
    if std::fs::read(&stamp).ok().as_deref() == Some(lock.as_slice()) {
        println!("    npm packages in {}: already installed", dir.display());
        return Ok(());
    }
    announce(
        "Installing the browser-test npm packages (playwright-core, no browser download)",
        "≈ 10 s",
    );
    run(
        "npm ci",
        command("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(dir),
    )?;
    std::fs::write(&stamp, lock).map_err(|error| format!("writing {}: {error}", stamp.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_package_version_in_a_lock_file() {
        let lock = "[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\nsource = \"x\"\n\n\
                    [[package]]\nname = \"wasm-bindgen-futures\"\nversion = \"0.4.80\"\n";
        assert_eq!(version_in_lock(lock, "wasm-bindgen").as_deref(), Some("0.2.130"));
        assert_eq!(version_in_lock(lock, "wasm-bindgen-futures").as_deref(), Some("0.4.80"));
        assert_eq!(version_in_lock(lock, "leptos"), None);
    }
}
