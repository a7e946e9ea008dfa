//! `cargo xtask devnet` stops its devnet when SIGTERM or SIGINT is sent to the xtask process alone
//! (not to its process group, as a terminal's Ctrl-C would): the xtask exits, the node's RPC port
//! stops answering, no process runs from the devnet's run folder, and the folder is gone.
//!
//! It needs the devnet node: `devnet_runner::node_binary` finds it in the cache or builds it
//! (≈ 15–25 min). In `cargo xtask test` the devnet build tier runs before `cargo test`.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

/// The two tests each start a devnet; one at a time is enough for 2 cores (under plain `cargo test`;
/// the suite's nextest runs them in its `own-devnet` group, `.config/nextest.toml`).
static ONE_DEVNET_AT_A_TIME: Mutex<()> = Mutex::new(());

/// How long the xtask may take to start a one-node devnet with a built node (it writes the chain
/// spec twice and waits for finality; ≈ 170 s was seen on 2 busy cores).
const START_TIMEOUT: Duration = Duration::from_secs(600);
/// How long the xtask may take to stop the node after the signal.
const STOP_TIMEOUT: Duration = Duration::from_secs(30);

/// A running `xtask devnet`: on drop (after a failed assertion too), it and any node it left are
/// killed and the run folder removed.
struct Running {
    xtask: Child,
    lines: Receiver<String>,
    output: Vec<String>,
    run_dir: Option<PathBuf>,
}

impl Running {
    fn start(rpc_port: u16) -> Self {
        let mut xtask = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(["devnet", "--rpc-port", &rpc_port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .expect("starting the xtask");
        let stdout = xtask.stdout.take().expect("stdout is piped");
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                println!("xtask: {line}");
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        Self {
            xtask,
            lines,
            output: Vec::new(),
            run_dir: None,
        }
    }

    /// Waits for the line that starts with `prefix` and returns the rest of it.
    fn wait_for_line(&mut self, prefix: &str, timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.output.push(line.clone());
                    if let Some(rest) = line.strip_prefix(prefix) {
                        return rest.to_string();
                    }
                }
                Err(error) => panic!(
                    "no line starting with {prefix:?} from the xtask within {} s ({error}); it printed:\n{}",
                    timeout.as_secs(),
                    self.output.join("\n")
                ),
            }
        }
    }

    fn send(&self, signal: &str) {
        let status = Command::new("kill")
            .args(["-s", signal, &self.xtask.id().to_string()])
            .status()
            .expect("running kill");
        assert!(status.success(), "kill -s {signal} failed");
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.xtask.kill();
        let _ = self.xtask.wait();
        if let Some(run_dir) = &self.run_dir {
            for pid in processes_using(run_dir) {
                let _ = Command::new("kill").args(["-s", "KILL", &pid.to_string()]).status();
            }
            let _ = std::fs::remove_dir_all(run_dir);
        }
    }
}

fn free_port() -> u16 {
    let listener = TcpListener::bind(("127.0.0.1", 0)).expect("binding a free port");
    listener.local_addr().expect("a local address").port()
}

/// Pids of the processes whose command line names `dir` (the nodes run with `--base-path` inside
/// their run folder).
fn processes_using(dir: &Path) -> Vec<u32> {
    let needle = dir.to_string_lossy().into_owned();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .is_ok_and(|cmdline| String::from_utf8_lossy(&cmdline).contains(&needle))
        })
        .collect()
}

fn answers(port: u16) -> bool {
    devnet_runner::rpc_call(port, "system_health", serde_json::json!([])).is_ok()
}

/// Starts `xtask devnet`, sends `signal` to the xtask alone and checks that it took the node down.
fn stops_on(signal: &str) {
    let _one = ONE_DEVNET_AT_A_TIME
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    // Built (or found in the cache) here, so the xtask's start below is bounded.
    devnet_runner::node_binary().expect("the devnet node (built on first use)");
    let rpc_port = free_port();
    let mut running = Running::start(rpc_port);
    let run_dir = PathBuf::from(running.wait_for_line("logs: ", START_TIMEOUT));
    running.run_dir = Some(run_dir.clone());
    assert!(answers(rpc_port), "the devnet's RPC port {rpc_port} does not answer");
    let nodes = processes_using(&run_dir);
    assert!(!nodes.is_empty(), "no node process runs from {}", run_dir.display());

    running.send(signal);
    let stopping = running.wait_for_line(&format!("SIG{signal}: "), STOP_TIMEOUT);
    assert_eq!(stopping, "stopping the devnet");
    let deadline = Instant::now() + STOP_TIMEOUT;
    let status = loop {
        if let Some(status) = running.xtask.try_wait().expect("waiting for the xtask") {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "the xtask did not exit within {} s of SIG{signal}",
            STOP_TIMEOUT.as_secs()
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(status.success(), "the xtask exited with {status} after SIG{signal}");
    while !processes_using(&run_dir).is_empty() || answers(rpc_port) {
        assert!(
            Instant::now() < deadline,
            "after SIG{signal} the node still runs: pids {:?}, port {rpc_port} answering: {}",
            processes_using(&run_dir),
            answers(rpc_port)
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    for pid in nodes {
        assert!(
            !Path::new(&format!("/proc/{pid}")).exists(),
            "node process {pid} outlived the xtask"
        );
    }
    assert!(!run_dir.exists(), "{} was not removed", run_dir.display());
}

#[test]
fn sigterm_to_the_xtask_stops_the_devnet() {
    stops_on("TERM");
}

#[test]
fn sigint_to_the_xtask_stops_the_devnet() {
    stops_on("INT");
}
