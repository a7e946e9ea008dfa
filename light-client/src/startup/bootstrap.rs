//! A first start with no usable checkpoint: a fresh checkpoint read from the chain's RPC bootstrap
//! nodes, trusted once. Every node must serve the chain's known genesis hash; when several are
//! listed, they must agree on the finalized block's hash at the height the checkpoint is taken,
//! or the start is refused naming them. The genesis state root comes along, for a chain spec
//! built from the chain's facts (`chain_spec::from_facts` accepts it only if it hashes to that
//! genesis, so no node can substitute it). From then on the light client verifies every block.

use serde_json::{Value, json};

use crate::chain::to_hex;
use crate::checkpoint::{self, CheckpointError, FinalizedState};
use crate::rpc::RpcClient;
use crate::transport;

/// What a bootstrap gives: a checkpoint to start from, the genesis state root, and whom it trusted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bootstrapped {
    /// The genesis block's state root (`0x` hex), as the nodes gave it.
    pub genesis_state_root: String,
    /// The checkpoint: a smoldot database at `block_number`.
    pub database: String,
    /// The checkpoint's finalized block.
    pub block_number: u64,
    /// Its hash (`0x` hex).
    pub block_hash: String,
    /// The nodes that vouched for it (their URLs).
    pub trusted: Vec<String>,
}

/// Why a bootstrap was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BootstrapError {
    /// The chain lists no RPC bootstrap node.
    #[error("no RPC bootstrap node is listed for this chain")]
    NoNodes,
    /// A node could not be used.
    #[error("the RPC bootstrap node {url} could not be used: {reason}")]
    Node {
        /// The node.
        url: String,
        /// Why.
        reason: String,
    },
    /// A node serves another chain.
    #[error("the RPC bootstrap node {url} serves another chain (genesis {found}, expected {expected})")]
    WrongChain {
        /// The node.
        url: String,
        /// The chain's known genesis hash.
        expected: String,
        /// What the node said.
        found: String,
    },
    /// Two nodes disagree about a finalized block.
    #[error(
        "the RPC bootstrap nodes disagree about finalized block #{number}: {first} says {first_hash}, {second} says {second_hash}"
    )]
    Disagree {
        /// The height compared.
        number: u64,
        /// The node the checkpoint would come from.
        first: String,
        /// Its hash there.
        first_hash: String,
        /// The node that disagrees.
        second: String,
        /// Its hash there.
        second_hash: String,
    },
}

fn node_error(url: &str, error: impl std::fmt::Display) -> BootstrapError {
    BootstrapError::Node {
        url: url.to_string(),
        reason: error.to_string(),
    }
}

/// A string answer of `method` from the node at `url`.
async fn text_answer(rpc: &RpcClient, url: &str, method: &str, params: Value) -> Result<String, BootstrapError> {
    let answer = rpc
        .request(method, params)
        .await
        .map_err(|error| node_error(url, error))?;
    answer
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| node_error(url, format!("{method} answered {answer}")))
}

/// The block number of a SCALE-encoded header (after the 32-byte parent hash, compact-encoded).
fn header_number(header: &[u8]) -> Option<u64> {
    use codec::Decode;
    let mut rest = header.get(32..)?;
    codec::Compact::<u64>::decode(&mut rest).ok().map(|c| c.0)
}

/// The genesis state root of the chain whose genesis is `genesis_hash`, from the first of `urls`
/// that answers (for a chain spec from facts; `chain_spec::from_facts` then checks that it hashes
/// to that genesis, so the node is not trusted for it).
pub async fn genesis_state_root(genesis_hash: &str, urls: &[String]) -> Result<String, BootstrapError> {
    let mut last = BootstrapError::NoNodes;
    for url in urls {
        let attempt = async {
            let transport = transport::connect_rpc(url)
                .await
                .map_err(|error| node_error(url, error))?;
            let rpc = RpcClient::new(transport);
            let header = rpc
                .request("chain_getHeader", json!([genesis_hash]))
                .await
                .map_err(|error| node_error(url, error))?;
            header["stateRoot"]
                .as_str()
                .map(str::to_string)
                .ok_or_else(|| node_error(url, format!("its genesis header has no state root: {header}")))
        };
        match attempt.await {
            Ok(root) => return Ok(root),
            Err(error) => last = error,
        }
    }
    Err(last)
}

/// Reads a checkpoint of the chain whose genesis is `genesis_hash` from `urls` (see the module doc).
pub async fn from_rpc_nodes(genesis_hash: &str, urls: &[String]) -> Result<Bootstrapped, BootstrapError> {
    let (first, others) = urls.split_first().ok_or(BootstrapError::NoNodes)?;
    let mut clients = Vec::new();
    for url in urls {
        let transport = transport::connect_rpc(url)
            .await
            .map_err(|error| node_error(url, error))?;
        let rpc = RpcClient::new(transport);
        let genesis = text_answer(&rpc, url, "chain_getBlockHash", json!([0])).await?;
        if !genesis.eq_ignore_ascii_case(genesis_hash) {
            return Err(BootstrapError::WrongChain {
                url: url.clone(),
                expected: genesis_hash.to_string(),
                found: genesis,
            });
        }
        clients.push((url, rpc));
    }
    let state: FinalizedState = checkpoint::read_finalized_state(first)
        .await
        .map_err(|error| match error {
            CheckpointError::Connect(error) => node_error(first, error),
            other => node_error(first, other),
        })?;
    let block_hash = to_hex(&sp_crypto_hashing::blake2_256(&state.header));
    let block_number =
        header_number(&state.header).ok_or_else(|| node_error(first, "its finalized header does not decode"))?;
    for (url, rpc) in clients.iter().filter(|(url, _)| others.contains(url)) {
        let theirs = text_answer(rpc, url, "chain_getBlockHash", json!([block_number])).await?;
        if !theirs.eq_ignore_ascii_case(&block_hash) {
            return Err(BootstrapError::Disagree {
                number: block_number,
                first: first.clone(),
                first_hash: block_hash,
                second: (*url).clone(),
                second_hash: theirs,
            });
        }
    }
    let database = checkpoint::encode(&state).map_err(|error| node_error(first, error))?;
    Ok(Bootstrapped {
        genesis_state_root: state.genesis_state_root,
        database,
        block_number,
        block_hash,
        trusted: urls.to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use codec::{Compact, Encode};

    use super::*;

    #[test]
    fn a_headers_number_follows_its_parent_hash() {
        let mut header = vec![7u8; 32];
        header.extend(Compact(8_867_448u64).encode());
        header.extend([0u8; 64]);
        assert_eq!(header_number(&header), Some(8_867_448));
        assert_eq!(header_number(&header[..31]), None);
    }

    #[test]
    fn errors_name_the_nodes() {
        let error = BootstrapError::Disagree {
            number: 9,
            first: "ws://a".into(),
            first_hash: "0x01".into(),
            second: "ws://b".into(),
            second_hash: "0x02".into(),
        };
        let text = error.to_string();
        assert!(
            text.contains("ws://a") && text.contains("ws://b") && text.contains("#9"),
            "{text}"
        );
        let wrong = BootstrapError::WrongChain {
            url: "ws://c".into(),
            expected: "0xaa".into(),
            found: "0xbb".into(),
        }
        .to_string();
        assert!(wrong.contains("ws://c") && wrong.contains("another chain"), "{wrong}");
    }
}
