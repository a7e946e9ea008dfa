//! Held blocks stay readable after they leave the window of recent finalized blocks the client
//! keeps pinned (16 finalizations, 32 s on the devnet); unheld ones are unpinned, and so is a held
//! one once its hold is dropped.

use devnet_runner::Devnet;
use light_client::client::LightClient;
use light_client::platform;
use taoscope_integration_tests::{finalized_at_least, within};

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
        assert!(
            within(60, "subnets() on an old block", client.subnets(&unheld))
                .await
                .is_err(),
            "a block out of the window and not held is unpinned"
        );

        drop(hold);
        platform::sleep(std::time::Duration::from_secs(2)).await;
        assert!(
            within(60, "subnets() after release", client.subnets(&held))
                .await
                .is_err(),
            "releasing the last hold unpins the block"
        );
    });
}
