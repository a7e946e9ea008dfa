//! The typed values the app renders: plain serde structs, each read tagged with where it came from.

use serde::{Deserialize, Serialize};

/// A value read from the chain at one finalized block, with its provenance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot<T> {
    /// Number of the block the value was read at.
    pub block_number: u64,
    /// Hash of that block, `0x`-prefixed hex.
    pub block_hash: String,
    /// True when the light client verified the value against the block's state root; false when a
    /// trusted RPC node supplied it.
    pub verified: bool,
    /// The value itself.
    pub data: T,
}

/// What the light client is doing, as every view shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SyncStatus {
    /// No client has been started yet (for example while the chain spec loads).
    NotStarted,
    /// The client is starting and looking for peers.
    Connecting,
    /// Peers are connected and the client is catching up to the finalized block.
    Syncing {
        /// Connected peers.
        peers: u32,
    },
    /// The client is synced and follows new blocks.
    Ready {
        /// Connected peers.
        peers: u32,
    },
    /// Every peer is gone; values on screen are from the last block seen.
    NoPeers,
}
