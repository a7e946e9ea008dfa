//! Stopping the long-running commands cleanly. SIGINT and SIGTERM are caught (with `signal-hook`)
//! instead of ending the process at once: `serve` and `devnet` drop their `Devnet`, which kills
//! the nodes, and return; `test` ends every process it started (test runners, their devnet nodes,
//! browsers, servers) and exits. Uncaught, a signal sent to the xtask alone (by a supervisor,
//! `kill`, or CI ending a job) left the nodes running.

use std::process::Command;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;
use signal_hook::low_level::signal_name;

/// SIGINT and SIGTERM, caught from the moment `listen` returns until the process ends.
pub struct StopSignals {
    received: mpsc::Receiver<i32>,
}

impl StopSignals {
    /// Starts catching SIGINT and SIGTERM. Call it once the slow, interruptible part (building) is
    /// done and just before starting what must be stopped: from here on neither ends the process,
    /// and one that comes while the devnet starts is acted on when the start ends (≈ 30 s).
    pub fn listen() -> Result<Self, String> {
        let mut signals =
            Signals::new([SIGINT, SIGTERM]).map_err(|error| format!("catching SIGINT and SIGTERM: {error}"))?;
        let (sender, received) = mpsc::channel();
        std::thread::spawn(move || {
            for signal in signals.forever() {
                if sender.send(signal).is_err() {
                    break;
                }
            }
        });
        Ok(Self { received })
    }

    /// Waits at most `timeout` for a signal and returns its name if one came (or had come since
    /// the last call).
    pub fn wait(&self, timeout: Duration) -> Option<&'static str> {
        match self.received.recv_timeout(timeout) {
            Ok(signal) => Some(signal_name(signal).unwrap_or("a signal")),
            Err(RecvTimeoutError::Timeout) => None,
            // The catching thread never ends while the process runs; if it did, nothing could
            // arrive any more, so this is a plain wait.
            Err(RecvTimeoutError::Disconnected) => {
                std::thread::sleep(timeout);
                None
            }
        }
    }

    /// What a failed devnet start means: nothing more than the stop asked for if a signal came
    /// meanwhile (a terminal's Ctrl-C reaches the nodes too, and the runner then fails at once on
    /// their exit), else the error.
    pub fn stopped_while_starting(&self, error: String) -> Result<(), String> {
        match self.wait(Duration::ZERO) {
            Some(signal) => {
                println!("{signal}: stopped while the devnet started");
                Ok(())
            }
            None => Err(error),
        }
    }

    /// Waits until a signal comes and returns its name.
    pub fn wait_forever(&self) -> &'static str {
        loop {
            if let Some(name) = self.wait(Duration::from_secs(3600)) {
                return name;
            }
        }
    }
}

/// For `test`, whose nodes are started by its tiers and their test processes, not held by the
/// xtask: from now on SIGINT or SIGTERM ends every process the xtask started, then the xtask,
/// with the shell's status for that signal.
pub fn end_the_suite_on_stop() -> Result<(), String> {
    let mut signals =
        Signals::new([SIGINT, SIGTERM]).map_err(|error| format!("catching SIGINT and SIGTERM: {error}"))?;
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            let name = signal_name(signal).unwrap_or("a signal");
            println!("{name}: stopping every process the suite started");
            end_descendants(std::process::id(), Duration::from_secs(5));
            std::process::exit(128 + signal);
        }
    });
    Ok(())
}

/// Sends SIGTERM to every process descended from `root` (not `root` itself), and SIGKILL to those
/// still there after `grace`. The tree is read from `/proc` first, since a process whose parent
/// ends is adopted by init and could no longer be found.
pub fn end_descendants(root: u32, grace: Duration) {
    let descendants = descendants_of(root, &process_parents());
    if descendants.is_empty() {
        return;
    }
    send("-TERM", &descendants);
    let deadline = Instant::now() + grace;
    loop {
        let left: Vec<u32> = descendants.iter().copied().filter(|pid| is_running(*pid)).collect();
        if left.is_empty() {
            return;
        }
        if Instant::now() >= deadline {
            send("-KILL", &left);
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Every running process with its parent, from `/proc/<pid>/stat`.
fn process_parents() -> Vec<(u32, u32)> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            Some((pid, parent_in_stat(&stat)?))
        })
        .collect()
}

/// The parent's pid in a `/proc/<pid>/stat` line: the second field after the command name, which
/// is in parentheses and may itself hold spaces and parentheses.
fn parent_in_stat(stat: &str) -> Option<u32> {
    let after_name = &stat[stat.rfind(')')? + 1..];
    after_name.split_whitespace().nth(1)?.parse().ok()
}

/// The pids descended from `root` in a parent table, children before grandchildren.
fn descendants_of(root: u32, parents: &[(u32, u32)]) -> Vec<u32> {
    let mut found = Vec::new();
    let mut frontier = vec![root];
    while let Some(parent) = frontier.pop() {
        for &(pid, of) in parents {
            if of == parent && !found.contains(&pid) {
                found.push(pid);
                frontier.push(pid);
            }
        }
    }
    found
}

/// Whether `pid` runs (a zombie has ended: only its parent's wait is missing).
fn is_running(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rfind(')')
            .and_then(|end| stat[end + 1..].split_whitespace().next())
            .is_some_and(|state| state != "Z")
    })
}

fn send(signal: &str, pids: &[u32]) {
    let _ = Command::new("kill")
        .arg(signal)
        .args(pids.iter().map(u32::to_string))
        .stderr(std::process::Stdio::null())
        .status();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_parent_even_when_the_name_has_parentheses() {
        assert_eq!(parent_in_stat("42 (a) b) S 7 42 42 0 -1"), Some(7));
        assert_eq!(parent_in_stat("42 (node) R 1 42"), Some(1));
        assert_eq!(parent_in_stat("garbage"), None);
    }

    #[test]
    fn finds_children_and_grandchildren_only() {
        let parents = [(2, 1), (3, 2), (4, 3), (5, 1), (6, 99)];
        let mut found = descendants_of(2, &parents);
        found.sort_unstable();
        assert_eq!(found, vec![3, 4]);
        assert!(descendants_of(4, &parents).is_empty());
    }

    #[test]
    fn ends_a_real_process_tree() {
        let mut shell = Command::new("sh")
            .args(["-c", "sleep 300 & sleep 300 & wait"])
            .spawn()
            .expect("sh starts");
        let root = shell.id();
        let deadline = Instant::now() + Duration::from_secs(10);
        let sleepers = loop {
            let found = descendants_of(root, &process_parents());
            if found.len() == 2 || Instant::now() > deadline {
                break found;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        assert_eq!(sleepers.len(), 2, "the shell's two sleeps started");
        end_descendants(root, Duration::from_secs(5));
        assert!(sleepers.iter().all(|pid| !is_running(*pid)), "every sleep ended");
        shell.wait().expect("the shell ends once its children have");
    }
}
