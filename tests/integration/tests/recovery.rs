//! Fault row 2: the light client survives its only peer being SIGKILLed mid-session: it reports
//! "no peers", then recovers and continues with new finalized blocks when the node is restarted,
//! without being restarted itself, and finality never goes backwards.

use devnet_runner::{Devnet, Options};
use futures::StreamExt;
use light_client::client::LightClient;
use light_client::model::SyncStatus;
use light_client::platform;
use std::time::Instant;

use taoscope_integration_tests::{fault_row_passed, within};

#[test]
#[ignore = "a fault row, run by the fault tier of `cargo xtask test`"]
fn row_02_reports_no_peers_then_recovers_when_the_node_returns() {
    let mut devnet = Devnet::start(&Options::default()).expect("devnet starts");
    let spec = devnet.chain_spec().expect("chain spec");
    let client = LightClient::start(&spec, "").expect("light client starts");
    let mut statuses = client.sync_status();
    let mut blocks = client.finalized_blocks();
    let before = platform::block_on(within(180, "a first finalized block", async {
        blocks.next().await.expect("blocks")
    }));

    devnet.kill_node(0);
    let killed = Instant::now();
    platform::block_on(within(180, "the no-peers state", async {
        while let Some(status) = statuses.next().await {
            if status == SyncStatus::NoPeers {
                return;
            }
        }
        panic!("status stream ended");
    }));

    let no_peers_after = killed.elapsed();
    devnet.restart_node(0).expect("node restarts");
    let restarted = Instant::now();
    let mut latest = before.number;
    let after = platform::block_on(within(240, "finality after the restart", async {
        loop {
            let block = blocks.next().await.expect("blocks");
            assert!(
                block.number > latest,
                "finalized went from #{latest} to #{}",
                block.number
            );
            latest = block.number;
            if block.number > before.number + 2 {
                break block;
            }
        }
    }));
    let recovered = restarted.elapsed();
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
    fault_row_passed(
        2,
        "the only node SIGKILLed mid-session, then restarted",
        &format!(
            "\"no peers\" {:.1} s after the kill; finalized #{} {:.1} s after the restart",
            no_peers_after.as_secs_f64(),
            after.number,
            recovered.as_secs_f64()
        ),
    );
}
