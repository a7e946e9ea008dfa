//! Bytes received over the network, counted where our own code receives them: smoldot's peer
//! WebSockets in the page, and trusted-RPC text sockets on either platform. They tell a user how
//! much the light client downloads, and let `cargo xtask bench` compare it with the data itself.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::model::NetworkTraffic;

static FROM_PEERS: AtomicU64 = AtomicU64::new(0);
static FROM_RPC_NODES: AtomicU64 = AtomicU64::new(0);

/// Counts bytes received from a chain peer (a libp2p stream of the light client).
#[cfg_attr(
    not(target_arch = "wasm32"),
    allow(dead_code, reason = "natively smoldot's own platform receives from peers")
)]
pub(crate) fn count_from_peer(bytes: usize) {
    FROM_PEERS.fetch_add(bytes as u64, Ordering::Relaxed);
}

/// Counts bytes received from a trusted JSON-RPC node (the text of its messages).
pub(crate) fn count_from_rpc_node(bytes: usize) {
    FROM_RPC_NODES.fetch_add(bytes as u64, Ordering::Relaxed);
}

/// Everything received so far by every client in this page (or process). Natively the peer
/// streams belong to smoldot's default platform, which does not count them: `from_peers` is `None`.
pub fn traffic() -> NetworkTraffic {
    NetworkTraffic {
        from_peers: cfg!(target_arch = "wasm32").then(|| FROM_PEERS.load(Ordering::Relaxed)),
        from_rpc_nodes: FROM_RPC_NODES.load(Ordering::Relaxed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_accumulate_and_natively_peers_are_unknown() {
        let before = traffic();
        count_from_rpc_node(120);
        count_from_rpc_node(7);
        count_from_peer(5);
        let after = traffic();
        assert!(after.from_rpc_nodes >= before.from_rpc_nodes + 127);
        assert_eq!(after.from_peers, None);
    }
}
