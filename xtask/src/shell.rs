//! Running external commands: announced steps with timings, and a PATH that includes our tools.

use std::ffi::OsString;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::paths;

/// A command prepared with the project's environment: tools first on PATH, the shared target dir,
/// no tool allowed to look for updates online, and none of the variables `cargo run` gave the
/// xtask (they would make build scripts rerun in every fresh clone).
pub fn command(program: &str) -> Command {
    let mut command = Command::new(program);
    devnet_runner::without_cargo_run_variables(&mut command)
        .env("PATH", path_with_tools())
        .env("CARGO_TARGET_DIR", paths::shared_target_dir())
        .env("TRUNK_SKIP_VERSION_CHECK", "true")
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        .current_dir(paths::repo_root());
    command
}

/// PATH with the xtask's tools folder in front.
pub fn path_with_tools() -> OsString {
    let mut dirs = vec![paths::tools_dir().join("bin")];
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).expect("PATH entries contain no separator")
}

/// Prints a step header: what is happening and roughly how long it takes.
pub fn announce(what: &str, estimate: &str) {
    if estimate.is_empty() {
        println!("==> {what}");
    } else {
        println!("==> {what} ({estimate})");
    }
}

/// Runs a command with inherited output; Err names the command when it fails or cannot start.
pub fn run(what: &str, command: &mut Command) -> Result<(), String> {
    let started = Instant::now();
    let status = command
        .status()
        .map_err(|error| format!("{what}: could not start {:?}: {error}", command.get_program()))?;
    report(what, started);
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}

/// Runs a command, echoing its stdout line by line and returning it, so callers can count results.
pub fn run_capturing(what: &str, command: &mut Command) -> Result<(bool, Vec<String>), String> {
    let started = Instant::now();
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|error| format!("{what}: could not start {:?}: {error}", command.get_program()))?;
    let mut lines = Vec::new();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let line = line.map_err(|error| format!("{what}: reading output: {error}"))?;
            println!("{line}");
            lines.push(line);
        }
    }
    let status = child
        .wait()
        .map_err(|error| format!("{what}: waiting for the process: {error}"))?;
    report(what, started);
    Ok((status.success(), lines))
}

/// Runs a command with its stdout captured, not echoed (for a command running beside another
/// whose output is being echoed); the caller prints the lines when it is done.
pub fn run_quietly(what: &str, command: &mut Command) -> Result<(bool, Vec<String>), String> {
    let started = Instant::now();
    let output = command
        .stderr(Stdio::inherit())
        .output()
        .map_err(|error| format!("{what}: could not start {:?}: {error}", command.get_program()))?;
    report(what, started);
    let lines = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    Ok((output.status.success(), lines))
}

/// Whether a program can be found on the tools-first PATH.
pub fn is_on_path(program: &str) -> bool {
    std::env::split_paths(&path_with_tools()).any(|dir| dir.join(program).is_file())
}

/// Runs a command and returns its trimmed stdout if it succeeds.
pub fn output_of(command: &mut Command) -> Option<String> {
    let output = command.stderr(Stdio::null()).output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
}

fn report(what: &str, started: Instant) {
    println!("    {what}: {:.0} s", started.elapsed().as_secs_f64());
}
