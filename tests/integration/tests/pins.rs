//! Held blocks stay readable after they leave the window of recent finalized blocks the client
//! keeps pinned (16 finalizations, 32 s on the devnet); unheld ones are unpinned, and so is a held
//! one once its hold is dropped.

use devnet_runner::Devnet;
use light_client::ChainError;
use light_client::client::{LightClient, QueryError};
use light_client::platform;
use light_client::rpc::RpcError;
use taoscope_integration_tests::{finalized_at_least, within};

/// True when a read failed because the server no longer has the block pinned: it refuses the
/// operation with a JSON-RPC error (not a timeout, nor an empty answer).
fn refused_as_unpinned<T>(result: &Result<T, QueryError>) -> bool {
    matches!(
        result,
        Err(QueryError::Chain(ChainError::Rpc(RpcError::Server { method, .. }))) if method.starts_with("chainHead_v1_")
    )
}

#[test]
fn a_held_block_stays_readable_until_released() {
    let devnet = Devnet::shared().expect("devnet starts");
    let spec = devnet.chain_spec().expect("chain spec");
    platform::block_on(async {
        let client = LightClient::start(&spec, "").expect("light client starts");
        let mut blocks = client.finalized_blocks();
        let held = finalized_at_least(&mut blocks, 3, 180).await;
        let hold = client.hold(&held);
        let unheld = finalized_at_least(&mut blocks, held.number + 1, 60).await;
        finalized_at_least(&mut blocks, unheld.number + 20, 120).await;

        let subnets = within(60, "subnets() on the held block", client.subnets(&held))
            .await
            .expect("a held block is still pinned");
        assert_eq!(subnets.block_hash, held.hash);
        let old = within(60, "subnets() on an old block", client.subnets(&unheld)).await;
        assert!(
            refused_as_unpinned(&old),
            "a block out of the window and not held is unpinned, yet subnets() gave {old:?}"
        );

        drop(hold);
        platform::sleep(std::time::Duration::from_secs(2)).await;
        let released = within(60, "subnets() after release", client.subnets(&held)).await;
        assert!(
            refused_as_unpinned(&released),
            "releasing the last hold unpins the block, yet subnets() gave {released:?}"
        );
    });
}
