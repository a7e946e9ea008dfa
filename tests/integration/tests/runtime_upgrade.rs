//! A runtime upgrade while the light client follows: sudo installs the devnet's upgraded runtime
//! (`spec_version` 100 → 101); the client sees the new runtime on the finalized blocks, reads its
//! metadata afresh and keeps answering typed queries that match the node; the basket
//! leaderboard's call, which the upgraded runtime lacks, is then a typed "unsupported".

use devnet_runner::{Devnet, Options};
use futures::StreamExt;
use light_client::client::{LightClient, QueryError};
use light_client::platform;
use taoscope_integration_tests::within;

fn spec_version_of(block: &light_client::chain::BlockRef) -> u32 {
    block
        .runtime
        .as_ref()
        .expect("a finalized block's runtime")
        .spec_version
}

#[test]
fn the_client_follows_a_runtime_upgrade_and_keeps_reading() {
    let devnet = Devnet::start(&Options::default()).expect("devnet starts");
    let spec = devnet.chain_spec().expect("chain spec");
    let client = LightClient::start(&spec, "").expect("light client starts");
    let mut blocks = client.finalized_blocks();
    platform::block_on(async {
        let before = within(180, "a first finalized block", async {
            blocks.next().await.expect("blocks")
        })
        .await;
        assert_eq!(spec_version_of(&before), 100);
        let overview = client.overview(&before).await.expect("overview before the upgrade");
        assert_eq!(overview.data.runtime.spec_version, 100);
        let baskets = client
            .validator_baskets(&before)
            .await
            .expect("baskets before the upgrade");
        assert!(!baskets.data.is_empty(), "the genesis runtime lists the seeded baskets");

        devnet.admin(&["upgrade-runtime"]).expect("sudo set_code accepted");

        let upgraded = within(180, "a finalized block on the upgraded runtime", async {
            loop {
                let block = blocks.next().await.expect("blocks");
                if spec_version_of(&block) == 101 {
                    break block;
                }
                assert_eq!(spec_version_of(&block), 100, "only 100 or 101 are expected");
            }
        })
        .await;
        assert!(upgraded.number > before.number);

        let overview = client.overview(&upgraded).await.expect("overview after the upgrade");
        assert_eq!(overview.data.runtime.spec_version, 101);
        assert_eq!(overview.data.runtime.spec_name, "node-subtensor");
        let node_version = devnet
            .rpc("state_getRuntimeVersion", serde_json::json!([upgraded.hash]))
            .expect("node runtime version");
        assert_eq!(node_version["specVersion"], 101);
        assert_eq!(
            client.validator_baskets(&upgraded).await.map(|s| s.data.len()),
            Err(QueryError::Unsupported(
                "BetaBasketRuntimeApi.get_all_validator_baskets".into()
            )),
            "the upgraded runtime has no BetaBasketRuntimeApi"
        );

        let subnets = client.subnets(&upgraded).await.expect("subnets after the upgrade");
        assert_eq!(subnets.block_number, upgraded.number);
        assert_eq!(
            subnets.data.len(),
            6,
            "root, the small preset's four subnets and the not-reportable one are still there"
        );
    });
}
