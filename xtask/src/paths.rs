//! Where things live: the repository, and the cache outside it that survives fresh clones.

use std::path::PathBuf;

/// The repository root (the workspace that contains `xtask/`).
pub fn repo_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .expect("xtask lives one folder below the repository root")
        .to_path_buf()
}

/// The cache outside the clone: `$TAOSCOPE_CACHE`, else `$XDG_CACHE_HOME/taoscope`, else
/// `~/.cache/taoscope`. Tools and heavy builds live here so a fresh clone reuses them.
pub fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("TAOSCOPE_CACHE") {
        return PathBuf::from(dir);
    }
    if let Some(dir) = std::env::var_os("XDG_CACHE_HOME") {
        return PathBuf::from(dir).join("taoscope");
    }
    let home = std::env::var_os("HOME").unwrap_or_else(|| ".".into());
    PathBuf::from(home).join(".cache").join("taoscope")
}

/// Root of `cargo install --root` for the tools the xtask installs (binaries in `bin/`).
pub fn tools_dir() -> PathBuf {
    cache_dir().join("tools")
}

/// Cargo target directory shared by every clone: cargo's fingerprints key each artifact by its
/// inputs, so a fresh clone rebuilds only the workspace's own crates.
pub fn shared_target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| cache_dir().join("target"))
}

/// Where browser tests write their screenshots (inside the clone, ignored by git).
pub fn screenshot_dir() -> PathBuf {
    repo_root().join("target").join("screenshots")
}
