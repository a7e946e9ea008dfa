//! The light client (native smoldot) against the devnet: it syncs over `/ws`, follows finality and
//! reads storage that equals the node's own answer at the same finalized block.

use codec::Decode;
use devnet_runner::Devnet;
use light_client::chain::Chain;
use light_client::keys::StorageQueryKind;
use light_client::keys::{Hasher, map_key};
use light_client::rpc::RpcClient;
use light_client::{platform, transport};
use taoscope_integration_tests::{finalized_at_least, from_hex, to_hex, within};

#[test]
fn syncs_the_devnet_and_reads_incentive_like_the_node() {
    let devnet = Devnet::shared().expect("devnet starts");
    let spec = devnet.chain_spec().expect("chain spec");
    platform::block_on(async {
        let smoldot = transport::start_smoldot(&spec, "").expect("smoldot accepts the devnet spec");
        let chain = Chain::follow(RpcClient::new(smoldot.transport));
        let mut finalized = chain.finalized_blocks();
        // Block 10 runs the first epoch of the `small` preset (tempo 10), so Incentive is filled.
        let block = finalized_at_least(&mut finalized, 12, 180).await;

        let key = map_key(
            "SubtensorModule",
            "Incentive",
            &[(Hasher::Identity, &1u16.to_le_bytes())],
        );
        let read = within(
            60,
            "storage read",
            chain.storage(&block, &[(key.clone(), StorageQueryKind::Value)]),
        )
        .await
        .expect("light client storage read");
        let node = devnet
            .rpc("state_getStorage", serde_json::json!([to_hex(&key), block.hash]))
            .expect("node read");
        let node_bytes = from_hex(node.as_str().expect("the node has a value"));
        assert_eq!(read, vec![(key, node_bytes.clone())]);
        let incentive = Vec::<u16>::decode(&mut &node_bytes[..]).expect("Vec<u16>");
        assert_eq!(incentive.len(), 24, "one entry per uid of subnet 1");
        assert!(
            incentive.iter().map(|v| u32::from(*v)).sum::<u32>() > 60_000,
            "{incentive:?}"
        );
    });
}

#[test]
fn a_malformed_chain_spec_is_a_typed_error() {
    let error = transport::start_smoldot("{ not json", "").err().expect("rejected");
    assert!(error.to_string().starts_with("the chain spec was rejected"), "{error}");
}

#[test]
fn a_saved_database_warm_starts_and_a_corrupt_one_is_refused_by_name() {
    use futures::StreamExt;
    use light_client::client::LightClient;

    let devnet = Devnet::shared().expect("devnet starts");
    let spec = devnet.chain_spec().expect("chain spec");
    platform::block_on(async {
        let first = LightClient::start(&spec, "").expect("light client starts");
        let mut blocks = first.finalized_blocks();
        let synced = finalized_at_least(&mut blocks, 3, 180).await;
        let database = within(60, "the finalized database", first.finalized_database(16 << 20))
            .await
            .expect("finalized database");
        assert!(database.len() > 64, "a database with content: {database}");
        let genesis = first.genesis_hash().await.expect("genesis hash");
        assert_eq!(
            Some(genesis.clone()),
            devnet
                .rpc("chain_getBlockHash", serde_json::json!([0]))
                .unwrap()
                .as_str()
                .map(String::from)
        );
        drop(first);

        // Its runtime code splits off under the hash the node gives for `:code` (how the worker
        // saves it apart), and the database joined back is the one that starts warm below.
        let (without_code, code) = light_client::runtime_code::split(&database).expect("splits");
        let code = code.expect("the devnet's runtime code fits in 16 MiB");
        let node_code_hash = devnet
            .rpc("state_getStorageHash", serde_json::json!(["0x3a636f6465"]))
            .unwrap();
        assert_eq!(node_code_hash.as_str(), Some(code.hash.as_str()));
        assert!(
            without_code.len() * 10 < database.len(),
            "the code is most of the database"
        );
        let database = light_client::runtime_code::join(&without_code, &code.fields).expect("joins");

        let client = LightClient::start(&spec, &database).unwrap_or_else(|e| panic!("saved database: {e}"));
        let mut blocks = client.finalized_blocks();
        starts_warm(&mut blocks, synced.number).await;
        let block = finalized_at_least(&mut blocks, synced.number, 180).await;
        let subnets = within(60, "subnets()", client.subnets(&block)).await;
        assert!(subnets.is_ok(), "saved database: {subnets:?}");
        assert_eq!(
            blocks.next().await.map(|b| b.number > block.number),
            Some(true),
            "keeps following"
        );

        // A corrupt one is a typed error that says so; the caller starts again without it.
        match LightClient::start(&spec, "{\"not\": \"a database\"") {
            Err(light_client::transport::StartError::CorruptDatabase(reason)) => {
                assert!(!reason.is_empty());
            }
            Err(error) => panic!("expected CorruptDatabase, got {error}"),
            Ok(_) => panic!("a corrupt database was accepted"),
        }

        // A genesis remembered from an earlier start stands in for computing it: compared with
        // the database's own, another one is refused by name, the right one starts warm.
        let other = format!("0x{}", "11".repeat(32));
        match LightClient::start_with_known_genesis(&spec, &database, Some(&other)) {
            Err(light_client::transport::StartError::DatabaseOfAnotherChain { expected, found }) => {
                assert_eq!((expected, found), (other, genesis.clone()));
            }
            Err(error) => panic!("expected DatabaseOfAnotherChain, got {error}"),
            Ok(_) => panic!("a database of another genesis was accepted"),
        }
        let remembered = LightClient::start_with_known_genesis(&spec, &database, Some(&genesis))
            .unwrap_or_else(|e| panic!("remembered genesis: {e}"));
        starts_warm(&mut remembered.finalized_blocks(), synced.number).await;
    });
}

/// Asserts that the start was warm: the first finalized block is the saved block `saved` or
/// later, not genesis.
async fn starts_warm(blocks: &mut futures::channel::mpsc::UnboundedReceiver<light_client::BlockRef>, saved: u64) {
    use futures::StreamExt;
    let first = within(60, "the first finalized block", blocks.next())
        .await
        .expect("a finalized block");
    assert!(
        first.number >= saved,
        "a warm start begins at the saved block #{saved} or later, not at #{}",
        first.number
    );
}
