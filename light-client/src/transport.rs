//! Transports behind the one JSON-RPC client: the embedded smoldot light client (verified), or a
//! node's own JSON-RPC WebSocket endpoint (trusted, unverified).

use std::num::NonZero;

use futures::channel::mpsc;
use futures::{FutureExt, StreamExt};

use crate::model::SyncStatus;
use crate::platform;
use crate::rpc::Transport;

/// Why the light client could not start on a chain.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum StartError {
    /// smoldot rejected the chain spec (malformed JSON, missing fields, bad genesis…).
    #[error("the chain spec was rejected: {0}")]
    BadChainSpec(String),
    /// The saved database (or checkpoint) passed at start cannot be read.
    #[error("the saved light-client state is unreadable: {0}")]
    CorruptDatabase(String),
    /// The saved database (or checkpoint) belongs to another chain than the chain spec.
    #[error(
        "the saved light-client state belongs to another chain: its genesis is {found}, the chain spec's is {expected}"
    )]
    DatabaseOfAnotherChain {
        /// Genesis hash from the chain spec.
        expected: String,
        /// Genesis hash in the database.
        found: String,
    },
    /// The trusted RPC endpoint's URL is not usable.
    #[error(transparent)]
    BadEndpoint(#[from] platform::RpcUrlError),
    /// The trusted RPC endpoint could not be reached.
    #[error("cannot reach the RPC endpoint {url}: {reason}")]
    Unreachable {
        /// The endpoint.
        url: String,
        /// What failed (connection refused, TLS needed, upgrade refused…).
        reason: String,
    },
    /// The trusted RPC endpoint serves another chain than the chain spec describes.
    #[error("the RPC endpoint {url} serves another chain: its genesis is {found}, the chain spec's is {expected}")]
    WrongChain {
        /// The endpoint.
        url: String,
        /// Genesis hash from the chain spec.
        expected: String,
        /// Genesis hash the endpoint reported.
        found: String,
    },
    /// The trusted RPC endpoint did not answer the genesis-hash question properly.
    #[error("the RPC endpoint {url} did not report its genesis hash: {reason}")]
    NoGenesis {
        /// The endpoint.
        url: String,
        /// The error or unexpected answer.
        reason: String,
    },
}

/// Opens a JSON-RPC WebSocket to a node's endpoint (`ws://` or `wss://`). Nothing read through it
/// is verified; the caller checks the genesis hash before trusting it with anything.
pub async fn connect_rpc(url: &str) -> Result<Transport, StartError> {
    let endpoint = platform::RpcUrl::parse(url)?;
    let (outgoing, incoming) =
        platform::open_text_socket(&endpoint)
            .await
            .map_err(|reason| StartError::Unreachable {
                url: url.to_string(),
                reason,
            })?;
    Ok(Transport { outgoing, incoming })
}

/// A running smoldot client following one chain.
pub struct SmoldotChain {
    /// JSON-RPC requests out, responses and notifications in.
    pub transport: Transport,
    /// What the client is doing, updated on every change (latest value wins).
    pub status: mpsc::UnboundedReceiver<SyncStatus>,
}

/// Starts smoldot on `chain_spec` (JSON text), optionally from a saved finalized `database`.
pub fn start_smoldot(chain_spec: &str, database: &str) -> Result<SmoldotChain, StartError> {
    use smoldot_light::lifecycle_service::{Health, Phase, StallReason};

    let mut client = smoldot_light::Client::new(platform::new_platform());
    let added = client
        .add_chain(smoldot_light::AddChainConfig {
            user_data: (),
            specification: chain_spec,
            database_content: database,
            potential_relay_chains: std::iter::empty(),
            json_rpc: smoldot_light::AddChainConfigJsonRpc::Enabled {
                max_pending_requests: NonZero::new(1024).expect("non-zero"),
                max_subscriptions: 1024,
            },
            statement_protocol_config: None,
        })
        .map_err(|error| StartError::BadChainSpec(error.to_string()))?;
    let chain_id = added.chain_id;
    let mut responses = added.json_rpc_responses.expect("JSON-RPC is enabled for this chain");
    let mut lifecycle = client.lifecycle_state(chain_id);

    let (status_tx, status) = mpsc::unbounded();
    platform::spawn(async move {
        while let Some(state) = lifecycle.next().await {
            let status = match (state.phase, state.health, state.num_peers) {
                (
                    _,
                    Health::Stalled {
                        reason: StallReason::NoPeers,
                    },
                    _,
                ) => SyncStatus::NoPeers,
                (Phase::Connecting, _, 0) => SyncStatus::Connecting,
                (Phase::Connecting, _, peers) => SyncStatus::Syncing {
                    peers,
                    at: 0,
                    target: 0,
                },
                (Phase::Syncing { at, target }, _, peers) => SyncStatus::Syncing { peers, at, target },
                (Phase::Ready, _, peers) => SyncStatus::Ready { peers },
            };
            if status_tx.unbounded_send(status).is_err() {
                break;
            }
        }
    });

    let (outgoing, mut requests) = mpsc::unbounded::<String>();
    let (incoming_tx, incoming) = mpsc::unbounded::<String>();
    platform::spawn(async move {
        loop {
            futures::select! {
                request = requests.next() => match request {
                    // The client (and the chain) stop when every handle is gone.
                    None => break,
                    Some(request) => {
                        let id = serde_json::from_str::<serde_json::Value>(&request)
                            .map(|value| value["id"].clone())
                            .unwrap_or_default();
                        if client.json_rpc_request(request, chain_id).is_err() {
                            // Answer for the light client, so the caller gets an error, not silence.
                            let refusal = serde_json::json!({
                                "jsonrpc": "2.0",
                                "id": id,
                                "error": { "code": -32000, "message": "the light client's request queue is full" },
                            });
                            let _ = incoming_tx.unbounded_send(refusal.to_string());
                        }
                    }
                },
                response = responses.next().fuse() => match response {
                    None => break,
                    Some(response) => {
                        if incoming_tx.unbounded_send(response).is_err() {
                            break;
                        }
                    }
                },
            }
        }
    });
    Ok(SmoldotChain {
        transport: Transport { outgoing, incoming },
        status,
    })
}
