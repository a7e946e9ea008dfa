//! The chains a deployment offers, as data: a small manifest served beside the app
//! (`/chain-specs/index.json`) naming each chain's spec, optional checkpoint, address format, RPC
//! bootstrap nodes and whether a start from genesis can finalize. The app fetches only the files a
//! manifest lists. Parsing and the start decision are pure and tested natively.

use serde::{Deserialize, Serialize};

/// Where the manifest is served.
pub const MANIFEST_PATH: &str = "/chain-specs/index.json";

/// One chain a deployment offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChainEntry {
    /// Short id used in URLs (`?chain=finney`) and saved settings.
    pub id: String,
    /// Name shown in the chain picker.
    pub label: String,
    /// Path of the chain spec, served beside the app; or, instead, the chain's `facts`.
    #[serde(default)]
    pub spec: Option<String>,
    /// The chain's facts, from which the app builds its chain spec (with the genesis state root
    /// given here, or read from a bootstrap node and accepted only if it hashes to the genesis).
    #[serde(default)]
    pub facts: Option<Facts>,
    /// Path of a checkpoint (a smoldot database) to start from when the browser has no saved
    /// state, if the deployment ships one.
    #[serde(default)]
    pub checkpoint: Option<String>,
    /// SS58 address prefix.
    #[serde(default = "default_ss58")]
    pub ss58: u16,
    /// RPC nodes that may help a first start (trusted once, see README "Using finney").
    #[serde(default)]
    pub rpc_bootstrap: Vec<String>,
    /// False for chains whose history a light client cannot finalize from genesis (finney: its
    /// GRANDPA set id jumped at a forced authority change): such a chain never starts from genesis.
    #[serde(default = "default_true")]
    pub genesis_can_finalize: bool,
    /// Blocks between two points of the history the app records (a default when absent: about
    /// five minutes of finney's blocks).
    #[serde(default)]
    pub history_every_blocks: Option<u32>,
}

/// A chain's facts as a manifest gives them (see `chain_spec::ChainFacts`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Facts {
    /// Human name.
    pub name: String,
    /// The chain spec's id.
    pub id: String,
    /// libp2p protocol id.
    pub protocol_id: String,
    /// Token symbol.
    pub token_symbol: String,
    /// Token decimals.
    pub token_decimals: u8,
    /// SS58 prefix.
    pub ss58_format: u16,
    /// Boot node multiaddrs.
    pub boot_nodes: Vec<String>,
    /// The genesis block hash (`0x` hex): what every spec and bootstrap node is checked against.
    pub genesis_hash: String,
    /// The genesis state root, when the site knows it (then no node is asked for it).
    #[serde(default)]
    pub genesis_state_root: Option<String>,
}

impl Facts {
    /// Runs `f` with these facts in the chain-spec builder's form.
    pub fn with_chain_facts<R>(&self, f: impl FnOnce(&crate::chain_spec::ChainFacts<'_>) -> R) -> R {
        let boot_nodes: Vec<&str> = self.boot_nodes.iter().map(String::as_str).collect();
        f(&crate::chain_spec::ChainFacts {
            name: &self.name,
            id: &self.id,
            protocol_id: &self.protocol_id,
            token_symbol: &self.token_symbol,
            token_decimals: self.token_decimals,
            ss58_format: self.ss58_format,
            boot_nodes: &boot_nodes,
            genesis_hash: &self.genesis_hash,
        })
    }
}

fn default_ss58() -> u16 {
    42
}

fn default_true() -> bool {
    true
}

/// The manifest: the chains, and which one a visitor gets by default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The id of the chain shown when the URL and the settings name none.
    pub default: String,
    /// Every chain, in picker order.
    pub chains: Vec<ChainEntry>,
}

/// Why a manifest is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ManifestError {
    /// Not the manifest's JSON shape.
    #[error("the chain manifest does not parse: {0}")]
    Malformed(String),
    /// No chain is listed.
    #[error("the chain manifest lists no chain")]
    Empty,
    /// Two entries share an id.
    #[error("the chain manifest lists {0:?} twice")]
    DuplicateId(String),
    /// An id that would not survive a URL or a storage key.
    #[error("chain id {0:?} must be 1–32 characters of a–z, 0–9 and -")]
    BadId(String),
    /// A file path that is not a path on this site.
    #[error("chain {id:?}: {path:?} is not a path on this site (it must start with / and stay on it)")]
    BadPath {
        /// The chain.
        id: String,
        /// The path.
        path: String,
    },
    /// A chain names both or neither of a spec file and facts.
    #[error("chain {0:?} must name either a spec file or its facts, not both or neither")]
    SpecOrFacts(String),
    /// The default names no listed chain.
    #[error("the chain manifest's default {0:?} is not one of its chains")]
    UnknownDefault(String),
}

fn good_id(id: &str) -> bool {
    (1..=32).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn good_path(path: &str) -> bool {
    path.starts_with('/') && !path.starts_with("//") && !path.contains("..") && !path.contains(['\\', ':', '?', '#'])
}

impl Manifest {
    /// Parses and checks a manifest.
    pub fn parse(text: &str) -> Result<Manifest, ManifestError> {
        let manifest: Manifest =
            serde_json::from_str(text).map_err(|error| ManifestError::Malformed(error.to_string()))?;
        if manifest.chains.is_empty() {
            return Err(ManifestError::Empty);
        }
        for (index, chain) in manifest.chains.iter().enumerate() {
            if !good_id(&chain.id) {
                return Err(ManifestError::BadId(chain.id.clone()));
            }
            if manifest.chains[..index].iter().any(|other| other.id == chain.id) {
                return Err(ManifestError::DuplicateId(chain.id.clone()));
            }
            if chain.spec.is_some() == chain.facts.is_some() {
                return Err(ManifestError::SpecOrFacts(chain.id.clone()));
            }
            for path in chain.spec.iter().chain(&chain.checkpoint) {
                if !good_path(path) {
                    return Err(ManifestError::BadPath {
                        id: chain.id.clone(),
                        path: path.clone(),
                    });
                }
            }
        }
        if manifest.chain(&manifest.default).is_none() {
            return Err(ManifestError::UnknownDefault(manifest.default.clone()));
        }
        Ok(manifest)
    }

    /// The chain with id `id`.
    pub fn chain(&self, id: &str) -> Option<&ChainEntry> {
        self.chains.iter().find(|chain| chain.id == id)
    }

    /// The chain a visitor gets: the URL's `?chain=` if listed, else the one they chose before,
    /// else the default. Also a notice when the URL names a chain this deployment lacks.
    pub fn choose(&self, from_url: Option<&str>, saved: Option<&str>) -> (&ChainEntry, Option<String>) {
        let default = || {
            saved
                .and_then(|id| self.chain(id))
                .or_else(|| self.chain(&self.default))
                .unwrap_or(&self.chains[0])
        };
        match from_url.map(str::trim).filter(|id| !id.is_empty()) {
            None => (default(), None),
            Some(id) => match self.chain(id) {
                Some(chain) => (chain, None),
                None => {
                    let chosen = default();
                    let known: Vec<&str> = self.chains.iter().map(|c| c.id.as_str()).collect();
                    let notice = format!(
                        "Ignored chain={id:?}: this site offers {}. Showing {}.",
                        known.join(", "),
                        chosen.label
                    );
                    (chosen, Some(notice))
                }
            },
        }
    }
}

/// What a light client starts from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum StartPoint {
    /// The state this browser saved last time.
    Saved,
    /// The checkpoint the deployment serves.
    Checkpoint,
    /// A checkpoint read from the chain's RPC bootstrap nodes, trusted once.
    RpcBootstrap,
    /// Genesis (only for chains that can finalize from it).
    Genesis,
}

/// Seconds without any peer of this chain after which a start says so instead of "connecting".
pub const SILENT_START_SECONDS: f64 = 30.0;

/// True when the light client has run `elapsed` seconds with nothing finalized and no peer of this
/// chain (the boot nodes are down, unreachable from here, or serve another genesis): smoldot says
/// "connecting" for ever in that case, so the page says what it means.
pub fn silent_start(status: &crate::model::SyncStatus, has_finalized: bool, elapsed: f64) -> bool {
    let no_peer = matches!(
        status,
        crate::model::SyncStatus::Connecting
            | crate::model::SyncStatus::NoPeers
            | crate::model::SyncStatus::Syncing { peers: 0, .. }
    );
    no_peer && !has_finalized && elapsed > SILENT_START_SECONDS
}

/// How long a start from a saved state or a served checkpoint may go without finalizing any block
/// past the one it started at before the page says the start point may be too old for the peers
/// (finney finalizes every 12–24 s; a warp sync from a months-old checkpoint takes seconds).
pub const START_POINT_PROGRESS_SECONDS: f64 = 60.0;

/// True when a client that started from a saved state or a checkpoint has, `elapsed_seconds`
/// after starting and with peers connected, still finalized nothing past the first block it
/// reported (`first`; `None` when none yet): its start point is probably too old for the peers
/// (pruned, or before a forced GRANDPA change), and a fresh one is needed. Without peers nothing
/// is said here: the status already says there are none.
pub fn start_point_seems_stale(
    start: &StartPoint,
    peers: u32,
    first: Option<u64>,
    latest: Option<u64>,
    elapsed_seconds: f64,
) -> bool {
    matches!(start, StartPoint::Saved | StartPoint::Checkpoint)
        && peers > 0
        && elapsed_seconds >= START_POINT_PROGRESS_SECONDS
        && latest <= first
}

/// Why a chain cannot start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StartRefusal {
    /// The chain cannot finalize from genesis and nothing else is there to start from.
    #[error(
        "{label} cannot be synced from its genesis block (a light client would never finalize past its forced GRANDPA change), and no checkpoint is available: {why}"
    )]
    NeedsCheckpoint {
        /// The chain's label.
        label: String,
        /// What happened to the checkpoint.
        why: String,
    },
}

/// Where to start `chain` from, given whether a saved state exists and what became of the
/// served checkpoint (`Ok(true)` loaded, `Ok(false)` none listed or not served, `Err` failed to
/// load or refused). A chain that cannot finalize from genesis never silently starts there: it
/// takes a checkpoint from its RPC bootstrap nodes (trusted once), or is refused.
pub fn start_point(
    chain: &ChainEntry,
    saved: bool,
    checkpoint: Result<bool, String>,
) -> Result<StartPoint, StartRefusal> {
    if saved {
        return Ok(StartPoint::Saved);
    }
    match (checkpoint, chain.genesis_can_finalize) {
        (Ok(true), _) => Ok(StartPoint::Checkpoint),
        (Ok(false), true) | (Err(_), true) => Ok(StartPoint::Genesis),
        (_, false) if !chain.rpc_bootstrap.is_empty() => Ok(StartPoint::RpcBootstrap),
        (Ok(false), false) => Err(StartRefusal::NeedsCheckpoint {
            label: chain.label.clone(),
            why: match &chain.checkpoint {
                Some(path) => format!("{path} is not served here"),
                None => "this site ships none".to_string(),
            },
        }),
        (Err(why), false) => Err(StartRefusal::NeedsCheckpoint {
            label: chain.label.clone(),
            why,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_start_is_silent_after_thirty_seconds_without_a_peer_or_a_block() {
        for status in [
            crate::model::SyncStatus::Connecting,
            crate::model::SyncStatus::NoPeers,
            crate::model::SyncStatus::Syncing {
                peers: 0,
                at: 0,
                target: 0,
            },
        ] {
            assert!(silent_start(&status, false, 31.0), "{status:?}");
            assert!(!silent_start(&status, false, 29.0), "{status:?} before 30 s");
            assert!(!silent_start(&status, true, 31.0), "{status:?} with a finalized block");
        }
        let with_peer = crate::model::SyncStatus::Syncing {
            peers: 1,
            at: 0,
            target: 0,
        };
        assert!(!silent_start(&with_peer, false, 300.0));
    }

    const MANIFEST: &str = r#"{
        "default": "devnet",
        "chains": [
            { "id": "devnet", "label": "Local devnet", "spec": "/chain-specs/devnet.json" },
            { "id": "finney", "label": "Bittensor (finney)",
              "facts": { "name": "Bittensor", "id": "bittensor", "protocol_id": "bittensor",
                         "token_symbol": "TAO", "token_decimals": 9, "ss58_format": 42,
                         "boot_nodes": ["/dns/boot.example/tcp/30333/ws/p2p/12D3KooWA"],
                         "genesis_hash": "0x2f0555cc76fc2840a25a6ea3b9637146806f1f44b090c175ffde2a7e5ab36c03" },
              "checkpoint": "/chain-specs/finney.checkpoint.json", "ss58": 42,
              "rpc_bootstrap": ["wss://node.example:443"], "genesis_can_finalize": false }
        ]
    }"#;

    #[test]
    fn a_start_point_is_stale_only_after_a_minute_without_finality_past_it() {
        let minute = START_POINT_PROGRESS_SECONDS;
        for (start, peers, first, latest, elapsed, stale) in [
            (StartPoint::Checkpoint, 1, Some(100), Some(100), minute, true),
            (StartPoint::Checkpoint, 3, None, None, minute + 5.0, true),
            (StartPoint::Saved, 1, Some(100), Some(100), minute, true),
            (StartPoint::Checkpoint, 0, Some(100), Some(100), minute * 10.0, false),
            (StartPoint::Checkpoint, 1, Some(100), Some(101), minute * 10.0, false),
            (StartPoint::Checkpoint, 1, Some(100), Some(100), minute - 1.0, false),
            (StartPoint::RpcBootstrap, 1, Some(100), Some(100), minute * 10.0, false),
            (StartPoint::Genesis, 1, None, None, minute * 10.0, false),
        ] {
            assert_eq!(
                start_point_seems_stale(&start, peers, first, latest, elapsed),
                stale,
                "{start:?} {peers} {first:?} {latest:?} {elapsed}"
            );
        }
    }

    fn refused(from: &str, to: &str) -> ManifestError {
        assert!(MANIFEST.contains(from), "{from}");
        Manifest::parse(&MANIFEST.replacen(from, to, 1)).unwrap_err()
    }

    #[test]
    fn the_shipped_manifest_lists_finney_by_its_facts_and_checkpoint() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../public");
        let manifest =
            Manifest::parse(&std::fs::read_to_string(format!("{root}/chain-specs/index.json")).unwrap()).unwrap();
        let finney = manifest.chain("finney").expect("finney is offered");
        assert!(!finney.genesis_can_finalize, "finney cannot be synced from genesis");
        let checkpoint = finney.checkpoint.as_deref().expect("a shipped checkpoint");
        assert!(
            std::path::Path::new(&format!("{root}{checkpoint}")).is_file(),
            "{checkpoint} ships"
        );
        finney.facts.as_ref().expect("facts").with_chain_facts(|facts| {
            assert_eq!(
                facts,
                &crate::chain_spec::FINNEY,
                "the manifest's facts are the crate's"
            );
        });
        assert!(finney.rpc_bootstrap.iter().all(|url| url.starts_with("wss://")));
        assert_eq!(manifest.default, "devnet");
    }

    #[test]
    fn parses_with_defaults() {
        let manifest = Manifest::parse(MANIFEST).unwrap();
        let devnet = manifest.chain("devnet").unwrap();
        assert_eq!(
            (devnet.ss58, devnet.genesis_can_finalize, devnet.checkpoint.as_deref()),
            (42, true, None)
        );
        let finney = manifest.chain("finney").unwrap();
        assert!(!finney.genesis_can_finalize && finney.spec.is_none());
        assert_eq!(finney.rpc_bootstrap, ["wss://node.example:443"]);
        finney.facts.as_ref().unwrap().with_chain_facts(|facts| {
            assert_eq!(facts.genesis_hash, crate::chain_spec::FINNEY.genesis_hash);
            assert_eq!(facts.boot_nodes, ["/dns/boot.example/tcp/30333/ws/p2p/12D3KooWA"]);
        });
    }

    #[test]
    fn bad_manifests_name_their_problem() {
        assert!(matches!(Manifest::parse("{"), Err(ManifestError::Malformed(_))));
        assert_eq!(
            Manifest::parse(r#"{"default":"a","chains":[]}"#).unwrap_err(),
            ManifestError::Empty
        );
        assert_eq!(
            refused("\"finney\", \"label\"", "\"devnet\", \"label\""),
            ManifestError::DuplicateId("devnet".into())
        );
        assert_eq!(
            refused("\"finney\", \"label\"", "\"Fin ney\", \"label\""),
            ManifestError::BadId("Fin ney".into())
        );
        for bad in ["https://evil.example/spec.json", "/../etc/passwd", "//evil.example/x"] {
            assert!(
                matches!(refused("/chain-specs/devnet.json", bad), ManifestError::BadPath { .. }),
                "{bad}"
            );
        }
        assert!(matches!(
            refused("/chain-specs/finney.checkpoint.json", "/a/../../b"),
            ManifestError::BadPath { .. }
        ));
        assert_eq!(
            refused(
                "\"label\": \"Bittensor (finney)\",",
                "\"label\": \"Bittensor (finney)\", \"spec\": \"/x.json\","
            ),
            ManifestError::SpecOrFacts("finney".into())
        );
        assert_eq!(
            refused("\"default\": \"devnet\"", "\"default\": \"kusama\""),
            ManifestError::UnknownDefault("kusama".into())
        );
        assert!(matches!(
            refused("\"ss58\": 42", "\"ss58\": 42, \"extra\": 1"),
            ManifestError::Malformed(_)
        ));
    }

    #[test]
    fn the_url_then_the_saved_choice_then_the_default() {
        let manifest = Manifest::parse(MANIFEST).unwrap();
        assert_eq!(manifest.choose(None, None).0.id, "devnet");
        assert_eq!(manifest.choose(None, Some("finney")).0.id, "finney");
        assert_eq!(manifest.choose(Some("finney"), Some("devnet")).0.id, "finney");
        assert_eq!(manifest.choose(None, Some("gone")).0.id, "devnet");
        let (chosen, notice) = manifest.choose(Some("<script>"), None);
        assert_eq!(chosen.id, "devnet");
        let notice = notice.unwrap();
        assert!(
            notice.contains("devnet, finney") && notice.contains("Local devnet"),
            "{notice}"
        );
    }

    #[test]
    fn a_chain_that_cannot_finalize_from_genesis_never_starts_there() {
        let manifest = Manifest::parse(MANIFEST).unwrap();
        let (devnet, finney) = (manifest.chain("devnet").unwrap(), manifest.chain("finney").unwrap());
        assert_eq!(start_point(finney, true, Ok(false)), Ok(StartPoint::Saved));
        assert_eq!(start_point(finney, false, Ok(true)), Ok(StartPoint::Checkpoint));
        assert_eq!(
            start_point(finney, false, Ok(false)),
            Ok(StartPoint::RpcBootstrap),
            "its bootstrap nodes, trusted once"
        );
        let no_nodes = ChainEntry {
            rpc_bootstrap: Vec::new(),
            ..finney.clone()
        };
        let refused = start_point(&no_nodes, false, Ok(false)).unwrap_err().to_string();
        assert!(
            refused.contains("/chain-specs/finney.checkpoint.json is not served here"),
            "{refused}"
        );
        let failed = start_point(&no_nodes, false, Err("HTTP 500".into()))
            .unwrap_err()
            .to_string();
        assert!(
            failed.contains("HTTP 500") && failed.contains("Bittensor (finney)"),
            "{failed}"
        );
        assert_eq!(start_point(devnet, false, Ok(false)), Ok(StartPoint::Genesis));
        assert_eq!(
            start_point(devnet, false, Err("HTTP 500".into())),
            Ok(StartPoint::Genesis)
        );
    }
}
