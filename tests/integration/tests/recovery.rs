//! The light client survives its only peer going away: it reports "no peers", then recovers and
//! continues with new finalized blocks when the node comes back, without being restarted.

use devnet_runner::{Devnet, Options};
use futures::StreamExt;
use light_client::client::LightClient;
use light_client::model::SyncStatus;
use light_client::platform;
use taoscope_integration_tests::within;

#[test]
fn reports_no_peers_then_recovers_when_the_node_returns() {
    let mut devnet = Devnet::start(&Options::default()).expect("devnet starts");
    let spec = devnet.chain_spec().expect("chain spec");
    let client = LightClient::start(&spec, "").expect("light client starts");
    let mut statuses = client.sync_status();
    let mut blocks = client.finalized_blocks();
    let before = platform::block_on(within(180, "a first finalized block", async {
        blocks.next().await.expect("blocks")
    }));

    devnet.kill_node(0);
    platform::block_on(within(180, "the no-peers state", async {
        while let Some(status) = statuses.next().await {
            if status == SyncStatus::NoPeers {
                return;
            }
        }
        panic!("status stream ended");
    }));

    devnet.restart_node(0).expect("node restarts");
    let after = platform::block_on(within(240, "finality after the restart", async {
        loop {
            let block = blocks.next().await.expect("blocks");
            if block.number > before.number + 2 {
                break block;
            }
        }
    }));
    assert!(after.number > before.number);
    let status = platform::block_on(within(60, "a ready status", async {
        loop {
            match statuses.next().await.expect("statuses") {
                ready @ SyncStatus::Ready { .. } => break ready,
                _ => continue,
            }
        }
    }));
    assert!(
        matches!(status, SyncStatus::Ready { peers } if peers >= 1),
        "{status:?}"
    );
}
