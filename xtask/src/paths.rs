//! Where things live: the repository, and the cache outside it that survives fresh clones (its root
//! is the devnet runner's `cache_dir`, so the xtask and the runner never disagree about it).

use std::path::PathBuf;

/// The repository root (the workspace that contains `xtask/`).
pub fn repo_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .expect("xtask lives one folder below the repository root")
        .to_path_buf()
}

/// Root of `cargo install --root` for the tools the xtask installs (binaries in `bin/`).
pub fn tools_dir() -> PathBuf {
    devnet_runner::cache_dir().join("tools")
}

/// Cargo target directory shared by every clone: cargo's fingerprints key each artifact by its
/// inputs, so a fresh clone rebuilds only the workspace's own crates.
pub fn shared_target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| devnet_runner::cache_dir().join("target"))
}

/// Where browser tests write their screenshots (inside the clone, ignored by git).
pub fn screenshot_dir() -> PathBuf {
    repo_root().join("target").join("screenshots")
}

/// Where the browser tests' reporter writes their results, one JSON line per test (inside the
/// clone, ignored by git).
pub fn browser_results_file() -> PathBuf {
    repo_root().join("target").join("browser-test-results.jsonl")
}
