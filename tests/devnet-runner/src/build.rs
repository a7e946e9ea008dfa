//! Building the devnet node once per set of inputs: the binary is cached outside the clone under a
//! key hashed from every source file of `devnet/` and the compiler version, so a second run (or a
//! fresh clone of the same sources) does not rebuild.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use crate::RunnerError;

/// The cache outside the clone: `$TAOSCOPE_CACHE`, else `$XDG_CACHE_HOME/taoscope`, else
/// `~/.cache/taoscope`. Built nodes, tools and heavy builds live here so a fresh clone reuses them
/// (the xtask's tools and shared target directory too: this is the one definition).
pub fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("TAOSCOPE_CACHE") {
        return PathBuf::from(dir);
    }
    if let Some(dir) = std::env::var_os("XDG_CACHE_HOME") {
        return PathBuf::from(dir).join("taoscope");
    }
    PathBuf::from(std::env::var_os("HOME").unwrap_or_else(|| ".".into()))
        .join(".cache")
        .join("taoscope")
}

/// The `devnet/` folder of this repository.
pub fn devnet_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../devnet")
}

/// FNV-1a, 64 bits: stable across runs and Rust versions (unlike std's hasher).
fn fnv1a(hash: &mut u64, bytes: &[u8]) {
    for byte in bytes {
        *hash ^= u64::from(*byte);
        *hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
}

fn source_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "target") {
                source_files(&path, out)?;
            }
        } else if path
            .extension()
            .is_some_and(|e| e == "rs" || e == "toml" || e == "lock")
        {
            out.push(path);
        }
    }
    Ok(())
}

/// Hash of the devnet's inputs: every .rs/.toml/.lock file under `devnet/` and `rustc -V`.
pub fn inputs_key() -> Result<String, RunnerError> {
    let root = devnet_dir();
    let mut files = Vec::new();
    source_files(&root, &mut files).map_err(|e| RunnerError::Io(root.display().to_string(), e))?;
    files.sort();
    let mut hash = 0xcbf2_9ce4_8422_2325u64;
    for file in &files {
        let relative = file.strip_prefix(&root).unwrap_or(file);
        fnv1a(&mut hash, relative.to_string_lossy().as_bytes());
        let contents = std::fs::read(file).map_err(|e| RunnerError::Io(file.display().to_string(), e))?;
        fnv1a(&mut hash, &contents);
    }
    let rustc = Command::new("rustc")
        .arg("-V")
        .output()
        .map(|o| o.stdout)
        .unwrap_or_default();
    fnv1a(&mut hash, &rustc);
    Ok(format!("{hash:016x}"))
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

/// Removes from `command` the variables `cargo run` gives the program it runs (`CARGO_MANIFEST_DIR`,
/// `CARGO_PKG_*`, …), which `cargo xtask` passes on to every build it starts. Build scripts that
/// compile C (`cc`, `ring`) ask to rerun when `CARGO_MANIFEST_DIR` or `CARGO_PKG_NAME` changes,
/// and their value is the clone's xtask folder: every fresh clone reran them and rebuilt all that
/// depends on them (the devnet node's libp2p stack, ≈ 10 min), with the sources unchanged.
pub fn without_cargo_run_variables(command: &mut Command) -> &mut Command {
    for (name, _) in std::env::vars_os() {
        let Some(name) = name.to_str() else { continue };
        if is_cargo_run_variable(name) {
            command.env_remove(name);
        }
    }
    command
}

fn is_cargo_run_variable(name: &str) -> bool {
    name.starts_with("CARGO_PKG_")
        || name.starts_with("CARGO_MANIFEST_")
        || ["CARGO_CRATE_NAME", "CARGO_BIN_NAME", "CARGO_PRIMARY_PACKAGE"].contains(&name)
}

/// The devnet node binary for the current sources, built on first use (≈ 15–25 min on 2 cores).
pub fn node_binary() -> Result<PathBuf, RunnerError> {
    static BUILD: Mutex<()> = Mutex::new(());
    let _guard = BUILD.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let key = inputs_key()?;
    let cached = cache_dir().join("devnet").join(&key).join("taoscope-devnet-node");
    if cached.is_file() {
        return Ok(cached);
    }
    if !on_path("protoc") {
        return Err(RunnerError::MissingTool {
            tool: "protoc",
            install: "apt-get install -y protobuf-compiler",
        });
    }
    eprintln!("==> Building the devnet node (inputs {key}; first time ≈ 15–25 min on 2 cores, then cached)");
    let target = cache_dir().join("devnet-target");
    let started = std::time::Instant::now();
    let status = without_cargo_run_variables(&mut Command::new("cargo"))
        .args(["build", "--locked", "-p", "taoscope-devnet-node", "--manifest-path"])
        .arg(devnet_dir().join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .env("OPENSSL_NO_VENDOR", "1")
        // The target folder is outside the workspace: tell the wasm builder where the lock is.
        .env("WASM_BUILD_WORKSPACE_HINT", devnet_dir())
        .status()
        .map_err(|e| RunnerError::Io("running cargo".into(), e))?;
    if !status.success() {
        return Err(RunnerError::Build(format!("cargo build exited with {status}")));
    }
    eprintln!("==> Built the devnet node in {} s", started.elapsed().as_secs());
    let built = target.join("debug").join("taoscope-devnet-node");
    let folder = cached.parent().expect("cached binary has a folder");
    std::fs::create_dir_all(folder).map_err(|e| RunnerError::Io(folder.display().to_string(), e))?;
    let partial = folder.join("taoscope-devnet-node.partial");
    std::fs::copy(&built, &partial).map_err(|e| RunnerError::Io(built.display().to_string(), e))?;
    std::fs::rename(&partial, &cached).map_err(|e| RunnerError::Io(cached.display().to_string(), e))?;
    Ok(cached)
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_the_variables_cargo_run_sets_are_removed() {
        for name in [
            "CARGO_MANIFEST_DIR",
            "CARGO_MANIFEST_PATH",
            "CARGO_PKG_NAME",
            "CARGO_PKG_VERSION_MAJOR",
            "CARGO_CRATE_NAME",
            "CARGO_BIN_NAME",
        ] {
            assert!(super::is_cargo_run_variable(name), "{name}");
        }
        for name in ["CARGO_TARGET_DIR", "CARGO_HOME", "CARGO", "PATH", "RUSTFLAGS"] {
            assert!(!super::is_cargo_run_variable(name), "{name}");
        }
    }

    use super::*;

    #[test]
    fn fnv_matches_its_reference_values() {
        let mut hash = 0xcbf2_9ce4_8422_2325u64;
        fnv1a(&mut hash, b"a");
        assert_eq!(hash, 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn the_inputs_key_is_stable() {
        assert_eq!(inputs_key().unwrap(), inputs_key().unwrap());
    }
}
