//! The local chain for commands and tests: builds the devnet node once per set of inputs (cached
//! outside the clone), starts 1–3 nodes on free ports with fixed node keys and a `/ws` p2p address,
//! writes the chain spec with bootnodes, waits for finality, and kills the nodes on drop.

mod build;
mod rpc;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub use build::{cache_dir, devnet_dir, node_binary, without_cargo_run_variables};
pub use rpc::rpc_call;

/// What can go wrong while building or running the devnet.
#[derive(Debug, thiserror::Error)]
pub enum RunnerError {
    /// A tool the node build needs is not installed.
    #[error("{tool} is missing; install it with: {install}")]
    MissingTool {
        /// The missing program.
        tool: &'static str,
        /// The command that installs it.
        install: &'static str,
    },
    /// Building the node failed (cargo's output says why).
    #[error("building the devnet node failed: {0}")]
    Build(String),
    /// A file or process operation failed.
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
    /// A requested port is taken.
    #[error("port {0} is already in use; choose another or leave it out to pick a free one")]
    PortInUse(u16),
    /// A node did not come up or the chain did not finalize in time.
    #[error("devnet: {0}")]
    Timeout(String),
    /// A node process ended by itself while the devnet started (it crashed, or got a signal
    /// meant for its whole process group, such as a terminal's Ctrl-C).
    #[error("devnet: node {index} exited ({status}) while starting; log: {log}")]
    NodeExited {
        /// Which node.
        index: usize,
        /// How it ended.
        status: String,
        /// Its log file.
        log: String,
    },
    /// A JSON-RPC call failed.
    #[error("JSON-RPC {method}: {message}")]
    Rpc {
        /// The method called.
        method: String,
        /// What went wrong.
        message: String,
    },
}

pub use taoscope_devnet_presets::Preset;

/// How to start the devnet.
#[derive(Debug, Clone)]
pub struct Options {
    /// Genesis preset.
    pub preset: Preset,
    /// Number of nodes, each an authority (1 to 3).
    pub nodes: u8,
    /// RPC port of the first node; a free one when `None`.
    pub rpc_port: Option<u16>,
    /// Where the chain spec (with bootnodes) is written; a file in the run folder when `None`.
    pub chain_spec_out: Option<PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            preset: Preset::Small,
            nodes: 1,
            rpc_port: None,
            chain_spec_out: None,
        }
    }
}

const AUTHORITY_FLAGS: [&str; 3] = ["--alice", "--bob", "--charlie"];

/// One running node.
struct Node {
    child: Option<Child>,
    index: usize,
    rpc_port: u16,
    p2p_port: u16,
    peer_id: String,
    log: PathBuf,
}

impl Node {
    /// An error if the node's process has ended although nobody killed it.
    fn check_running(&mut self) -> Result<(), RunnerError> {
        let Some(child) = self.child.as_mut() else {
            return Ok(());
        };
        match child.try_wait() {
            Ok(Some(status)) => {
                self.child = None;
                Err(RunnerError::NodeExited {
                    index: self.index,
                    status: status.to_string(),
                    log: self.log.display().to_string(),
                })
            }
            Ok(None) => Ok(()),
            Err(error) => Err(RunnerError::Io(format!("checking node {}", self.index), error)),
        }
    }
}

/// A running devnet; dropping one this process started kills every node and removes its run
/// folder, dropping a shared one (see [`Devnet::shared`]) leaves it to its owner.
pub struct Devnet {
    nodes: Vec<Node>,
    binary: PathBuf,
    run_dir: PathBuf,
    chain_spec: PathBuf,
    preset: Preset,
    owned: bool,
}

/// The environment variable through which `cargo xtask test` hands one running devnet to every
/// test that only reads the chain; its value is [`Devnet::share`]'s description.
pub const SHARED_DEVNET_VAR: &str = "TAOSCOPE_SHARED_DEVNET";

fn free_port() -> Result<u16, RunnerError> {
    let listener = TcpListener::bind(("127.0.0.1", 0)).map_err(|e| RunnerError::Io("finding a free port".into(), e))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| RunnerError::Io("finding a free port".into(), e))
}

fn check_port_free(port: u16) -> Result<u16, RunnerError> {
    TcpListener::bind(("127.0.0.1", port))
        .map(|_| port)
        .map_err(|_| RunnerError::PortInUse(port))
}

/// The fixed ed25519 node key of node `index` (so peer ids are stable from run to run).
fn node_key(index: usize) -> String {
    format!("{:064x}", index + 1)
}

impl Devnet {
    /// Builds the node if needed, starts the devnet and waits until finality advances.
    pub fn start(options: &Options) -> Result<Self, RunnerError> {
        let binary = node_binary()?;
        let nodes = options.nodes.clamp(1, 3);
        static RUNS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let run = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let run_dir = std::env::temp_dir().join(format!("taoscope-devnet-{}-{run}", std::process::id()));
        let _ = std::fs::remove_dir_all(&run_dir);
        std::fs::create_dir_all(&run_dir).map_err(|e| RunnerError::Io(run_dir.display().to_string(), e))?;
        let chain_spec = options
            .chain_spec_out
            .clone()
            .unwrap_or_else(|| run_dir.join("chain-spec.json"));
        let mut devnet = Devnet {
            nodes: Vec::new(),
            binary,
            run_dir,
            chain_spec,
            preset: options.preset,
            owned: true,
        };

        // Genesis spec without bootnodes for the first node; the final spec adds its address.
        let genesis_spec = devnet.run_dir.join("genesis-spec.json");
        devnet.write_chain_spec(nodes, &[], &genesis_spec)?;
        let first_rpc = match options.rpc_port {
            Some(port) => check_port_free(port)?,
            None => free_port()?,
        };
        devnet.spawn_node(0, first_rpc, free_port()?, &genesis_spec, &[])?;
        let bootnode = devnet.multiaddr(0);
        let spec_path = devnet.chain_spec.clone();
        devnet.write_chain_spec(nodes, std::slice::from_ref(&bootnode), &spec_path)?;
        for index in 1..usize::from(nodes) {
            devnet.spawn_node(
                index,
                free_port()?,
                free_port()?,
                &spec_path,
                std::slice::from_ref(&bootnode),
            )?;
        }
        devnet.wait_for_first_finality(Duration::from_secs(180))?;
        Ok(devnet)
    }

    /// The devnet named by [`SHARED_DEVNET_VAR`] when it is set (tests that only read share one
    /// chain instead of starting their own), else a fresh devnet of the default options, owned by
    /// the caller as with [`Devnet::start`].
    pub fn shared() -> Result<Self, RunnerError> {
        match std::env::var(SHARED_DEVNET_VAR) {
            Ok(description) => Self::attach(&description),
            Err(_) => Self::start(&Options::default()),
        }
    }

    /// A description of this devnet for [`SHARED_DEVNET_VAR`]: its binary, chain spec, preset and
    /// each node's ports, peer id and log.
    pub fn share(&self) -> String {
        let nodes: Vec<serde_json::Value> = self
            .nodes
            .iter()
            .map(|node| {
                serde_json::json!({
                    "rpc_port": node.rpc_port,
                    "p2p_port": node.p2p_port,
                    "peer_id": node.peer_id,
                    "log": node.log,
                })
            })
            .collect();
        serde_json::json!({
            "binary": self.binary,
            "run_dir": self.run_dir,
            "chain_spec": self.chain_spec,
            "preset": self.preset.name(),
            "nodes": nodes,
        })
        .to_string()
    }

    /// The running devnet a [`Devnet::share`] description names; dropping it leaves the nodes running.
    fn attach(description: &str) -> Result<Self, RunnerError> {
        let invalid = |what: &str| {
            RunnerError::Io(
                format!("{SHARED_DEVNET_VAR}: {what}"),
                std::io::Error::from(std::io::ErrorKind::InvalidData),
            )
        };
        let value: serde_json::Value = serde_json::from_str(description).map_err(|_| invalid("not JSON"))?;
        let path = |key: &str| {
            value[key]
                .as_str()
                .map(PathBuf::from)
                .ok_or_else(|| invalid(&format!("no {key}")))
        };
        let nodes = value["nodes"]
            .as_array()
            .ok_or_else(|| invalid("no nodes"))?
            .iter()
            .enumerate()
            .map(|(index, node)| {
                let port = |key: &str| {
                    node[key]
                        .as_u64()
                        .and_then(|port| u16::try_from(port).ok())
                        .ok_or_else(|| invalid(&format!("node {index} has no {key}")))
                };
                Ok(Node {
                    child: None,
                    index,
                    rpc_port: port("rpc_port")?,
                    p2p_port: port("p2p_port")?,
                    peer_id: node["peer_id"].as_str().unwrap_or_default().to_string(),
                    log: node["log"].as_str().map(PathBuf::from).unwrap_or_default(),
                })
            })
            .collect::<Result<Vec<_>, RunnerError>>()?;
        let preset = value["preset"]
            .as_str()
            .and_then(|name| name.parse().ok())
            .ok_or_else(|| invalid("no preset"))?;
        Ok(Devnet {
            nodes,
            binary: path("binary")?,
            run_dir: path("run_dir")?,
            chain_spec: path("chain_spec")?,
            preset,
            owned: false,
        })
    }

    /// `wait_for_finalized(1, timeout)`, failing at once if a node exits meanwhile.
    fn wait_for_first_finality(&mut self, timeout: Duration) -> Result<(), RunnerError> {
        let started = Instant::now();
        loop {
            for node in &mut self.nodes {
                node.check_running()?;
            }
            match self.wait_for_finalized(1, Duration::from_secs(1)) {
                Ok(_) => return Ok(()),
                Err(_) if started.elapsed() < timeout => {}
                Err(_) => {
                    return Err(RunnerError::Timeout(format!(
                        "finality did not reach #1 within {} s; logs in {}",
                        timeout.as_secs(),
                        self.run_dir.display()
                    )));
                }
            }
        }
    }

    fn write_chain_spec(&self, authorities: u8, bootnodes: &[String], out: &Path) -> Result<(), RunnerError> {
        let mut command = Command::new(&self.binary);
        command
            .args([
                "chain-spec",
                "--preset",
                self.preset.name(),
                "--authorities",
                &authorities.to_string(),
            ])
            .arg("--out")
            .arg(out);
        for bootnode in bootnodes {
            command.args(["--bootnode", bootnode]);
        }
        let output = command
            .output()
            .map_err(|e| RunnerError::Io(format!("running {}", self.binary.display()), e))?;
        if !output.status.success() {
            return Err(RunnerError::Build(format!(
                "chain-spec failed: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            )));
        }
        Ok(())
    }

    fn spawn_node(
        &mut self,
        index: usize,
        rpc_port: u16,
        p2p_port: u16,
        spec: &Path,
        bootnodes: &[String],
    ) -> Result<(), RunnerError> {
        let log = self.run_dir.join(format!("node{index}.log"));
        let base = self.run_dir.join(format!("node{index}"));
        let mut node = Node {
            child: None,
            index,
            rpc_port,
            p2p_port,
            peer_id: String::new(),
            log,
        };
        let child = self.spawn_process(&node, spec, &base, bootnodes)?;
        node.child = Some(child);
        // Wait for RPC, then learn the peer id the fixed key gives.
        let started = Instant::now();
        let peer_id = loop {
            let failure = match node.check_running() {
                Err(error) => error,
                Ok(()) => match rpc_call(rpc_port, "system_localPeerId", serde_json::json!([])) {
                    Ok(value) => break value.as_str().unwrap_or_default().to_string(),
                    Err(_) if started.elapsed() < Duration::from_secs(120) => {
                        std::thread::sleep(Duration::from_millis(300));
                        continue;
                    }
                    Err(error) => RunnerError::Timeout(format!(
                        "node {index} did not answer RPC within 120 s ({error}); log: {}",
                        node.log.display()
                    )),
                },
            };
            // The node is not in `nodes` yet, so `Drop` would leave it running: stop it here.
            if let Some(mut child) = node.child.take() {
                let _ = child.kill();
                let _ = child.wait();
            }
            return Err(failure);
        };
        node.peer_id = peer_id;
        self.nodes.push(node);
        Ok(())
    }

    fn spawn_process(&self, node: &Node, spec: &Path, base: &Path, bootnodes: &[String]) -> Result<Child, RunnerError> {
        let log = std::fs::File::create(&node.log).map_err(|e| RunnerError::Io(node.log.display().to_string(), e))?;
        let log_err = log
            .try_clone()
            .map_err(|e| RunnerError::Io(node.log.display().to_string(), e))?;
        let mut command = Command::new(&self.binary);
        command
            .arg("--chain")
            .arg(spec)
            .arg("--base-path")
            .arg(base)
            .args([AUTHORITY_FLAGS[node.index], "--validator", "--force-authoring"])
            .args(["--node-key", &node_key(node.index)])
            .args(["--listen-addr", &format!("/ip4/127.0.0.1/tcp/{}/ws", node.p2p_port)])
            .args(["--rpc-port", &node.rpc_port.to_string()])
            .args(["--rpc-cors", "all", "--rpc-methods", "unsafe"])
            .args([
                "--network-backend",
                "libp2p",
                "--no-prometheus",
                "--no-telemetry",
                "--no-mdns",
            ])
            .args(["--allow-private-ip", "--discover-local"])
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log_err);
        for bootnode in bootnodes {
            command.args(["--bootnodes", bootnode]);
        }
        command
            .spawn()
            .map_err(|e| RunnerError::Io(format!("starting {}", self.binary.display()), e))
    }

    /// The `/ws` multiaddr (with peer id) of node `index`, as a light client dials it.
    pub fn multiaddr(&self, index: usize) -> String {
        let node = &self.nodes[index];
        format!("/ip4/127.0.0.1/tcp/{}/ws/p2p/{}", node.p2p_port, node.peer_id)
    }

    /// RPC port of node `index` (HTTP and WebSocket on the same port).
    pub fn rpc_port(&self, index: usize) -> u16 {
        self.nodes[index].rpc_port
    }

    /// The WebSocket JSON-RPC URL of node `index`.
    pub fn ws_url(&self, index: usize) -> String {
        format!("ws://127.0.0.1:{}", self.rpc_port(index))
    }

    /// Path of the chain spec with the bootnodes filled in.
    pub fn chain_spec_path(&self) -> &Path {
        &self.chain_spec
    }

    /// The chain spec's JSON text.
    pub fn chain_spec(&self) -> Result<String, RunnerError> {
        std::fs::read_to_string(&self.chain_spec).map_err(|e| RunnerError::Io(self.chain_spec.display().to_string(), e))
    }

    /// Calls a JSON-RPC method on node 0.
    pub fn rpc(&self, method: &str, params: serde_json::Value) -> Result<serde_json::Value, RunnerError> {
        rpc_call(self.rpc_port(0), method, params)
    }

    /// The latest finalized block number, read through node 0's RPC.
    pub fn finalized_number(&self) -> Result<u64, RunnerError> {
        let hash = self.rpc("chain_getFinalizedHead", serde_json::json!([]))?;
        let header = self.rpc("chain_getHeader", serde_json::json!([hash]))?;
        let number = header["number"].as_str().unwrap_or("0x0");
        u64::from_str_radix(number.trim_start_matches("0x"), 16).map_err(|e| RunnerError::Rpc {
            method: "chain_getHeader".into(),
            message: format!("bad block number {number}: {e}"),
        })
    }

    /// Waits until the finalized block number reaches `number`.
    pub fn wait_for_finalized(&self, number: u64, timeout: Duration) -> Result<u64, RunnerError> {
        let started = Instant::now();
        loop {
            if let Ok(finalized) = self.finalized_number()
                && finalized >= number
            {
                return Ok(finalized);
            }
            if started.elapsed() > timeout {
                return Err(RunnerError::Timeout(format!(
                    "finality did not reach #{number} within {} s; logs in {}",
                    timeout.as_secs(),
                    self.run_dir.display()
                )));
            }
            std::thread::sleep(Duration::from_millis(500));
        }
    }

    /// Kills node `index` (its database stays, so it can be restarted). A shared devnet's nodes
    /// are its owner's: a test that kills nodes starts its own devnet.
    pub fn kill_node(&mut self, index: usize) {
        assert!(
            self.owned,
            "kill_node on a shared devnet; use Devnet::start for a devnet of your own"
        );
        if let Some(mut child) = self.nodes[index].child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Restarts a killed node on the same ports with the same key and database.
    pub fn restart_node(&mut self, index: usize) -> Result<(), RunnerError> {
        assert!(
            self.owned,
            "restart_node on a shared devnet; use Devnet::start for a devnet of your own"
        );
        let bootnodes: Vec<String> = if index == 0 {
            Vec::new()
        } else {
            vec![self.multiaddr(0)]
        };
        let base = self.run_dir.join(format!("node{index}"));
        let spec = self.chain_spec.clone();
        let child = self.spawn_process(&self.nodes[index], &spec, &base, &bootnodes)?;
        self.nodes[index].child = Some(child);
        Ok(())
    }

    /// The process id of node `index`, while it runs (tests pause it with SIGSTOP to simulate a
    /// node that stops answering, and resume it with SIGCONT).
    pub fn pid(&self, index: usize) -> Option<u32> {
        self.nodes[index].child.as_ref().map(Child::id)
    }

    /// The node binary (its `admin` subcommand changes the running chain).
    pub fn binary(&self) -> &Path {
        &self.binary
    }

    /// Runs `admin --rpc-port <node 0> <args…>`: a sudo change signed by Alice, submitted to node 0.
    pub fn admin(&self, args: &[&str]) -> Result<(), RunnerError> {
        let output = Command::new(&self.binary)
            .args(["admin", "--rpc-port", &self.rpc_port(0).to_string()])
            .args(args)
            .output()
            .map_err(|e| RunnerError::Io(format!("running {}", self.binary.display()), e))?;
        if output.status.success() {
            Ok(())
        } else {
            Err(RunnerError::Rpc {
                method: format!("admin {}", args.join(" ")),
                message: String::from_utf8_lossy(&output.stderr).trim().to_string(),
            })
        }
    }

    /// Folder holding the nodes' logs and databases.
    pub fn run_dir(&self) -> &Path {
        &self.run_dir
    }
}

impl Drop for Devnet {
    fn drop(&mut self) {
        if !self.owned {
            return;
        }
        for index in 0..self.nodes.len() {
            self.kill_node(index);
        }
        let _ = std::fs::remove_dir_all(&self.run_dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_taken_port_is_reported() {
        let listener = TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let port = listener.local_addr().unwrap().port();
        assert!(matches!(check_port_free(port), Err(RunnerError::PortInUse(p)) if p == port));
    }

    /// A node that dies while starting (here a binary that exits at once) fails the start at
    /// once, instead of after the 120 s RPC wait.
    #[test]
    fn a_node_that_exits_fails_the_start_at_once() {
        let run_dir = std::env::temp_dir().join(format!("taoscope-devnet-test-{}", std::process::id()));
        std::fs::create_dir_all(&run_dir).unwrap();
        let mut devnet = Devnet {
            nodes: Vec::new(),
            binary: PathBuf::from("false"),
            run_dir: run_dir.clone(),
            chain_spec: run_dir.join("chain-spec.json"),
            preset: Preset::Small,
            owned: true,
        };
        let started = Instant::now();
        let result = devnet.spawn_node(
            0,
            free_port().unwrap(),
            free_port().unwrap(),
            &devnet.chain_spec.clone(),
            &[],
        );
        assert!(
            matches!(result, Err(RunnerError::NodeExited { index: 0, .. })),
            "{:?}",
            result.err()
        );
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "took {:?}",
            started.elapsed()
        );
        drop(devnet);
        assert!(!run_dir.exists());
    }

    /// A shared devnet's description names the same nodes and files, and dropping the attached
    /// handle leaves the owner's run folder alone.
    #[test]
    fn a_shared_devnet_attaches_to_the_same_nodes_and_is_not_torn_down_by_a_borrower() {
        let run_dir = std::env::temp_dir().join(format!("taoscope-devnet-share-{}", std::process::id()));
        std::fs::create_dir_all(&run_dir).unwrap();
        let owner = Devnet {
            nodes: vec![Node {
                child: None,
                index: 0,
                rpc_port: 40_001,
                p2p_port: 40_002,
                peer_id: "12D3KooWPeer".into(),
                log: run_dir.join("node0.log"),
            }],
            binary: PathBuf::from("/bin/node"),
            run_dir: run_dir.clone(),
            chain_spec: run_dir.join("chain-spec.json"),
            preset: Preset::FinneyScale,
            owned: true,
        };
        let borrowed = Devnet::attach(&owner.share()).expect("attaches");
        assert_eq!(borrowed.multiaddr(0), owner.multiaddr(0));
        assert_eq!(borrowed.rpc_port(0), 40_001);
        assert_eq!(borrowed.chain_spec_path(), owner.chain_spec_path());
        assert_eq!(borrowed.preset, Preset::FinneyScale);
        assert_eq!(borrowed.binary(), Path::new("/bin/node"));
        drop(borrowed);
        assert!(run_dir.exists(), "a borrower removed the owner's run folder");
        drop(owner);
        assert!(!run_dir.exists());
        assert!(matches!(Devnet::attach("{\"nodes\": 3}"), Err(RunnerError::Io(what, _)) if what.contains("no nodes")));
    }

    #[test]
    fn node_keys_are_fixed_and_distinct() {
        assert_eq!(node_key(0), format!("{}1", "0".repeat(63)));
        assert_ne!(node_key(1), node_key(2));
    }
}
