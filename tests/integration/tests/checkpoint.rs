//! Checkpoints after a forced GRANDPA authority change. The devnet's runtime, like finney's, does
//! not count forced changes in its `CurrentSetId`, so the checkpoint takes the set id from the
//! node's voter (`grandpa_roundState`). A fresh client started from the checkpoint follows the
//! chain past the change, also with a chain spec built from facts and the genesis state root
//! (how finney is reached); one started from genesis does not (finney's situation).

use codec::Decode;
use devnet_runner::{Devnet, Options};
use futures::{FutureExt, StreamExt};
use light_client::client::LightClient;
use light_client::platform;
use light_client::transport::StartError;
use light_client::{chain_spec, checkpoint};
use taoscope_integration_tests::{finalized_at_least, from_hex, within};

#[test]
fn after_a_forced_grandpa_change_a_checkpoint_lets_a_fresh_client_sync_and_genesis_does_not() {
    let devnet = Devnet::start(&Options::default()).expect("devnet starts");
    let spec = devnet.chain_spec().expect("chain spec");
    let before = devnet.finalized_number().expect("finalized number");
    devnet
        .admin(&["force-grandpa-change", "--authorities", "alice", "--delay", "3"])
        .expect("forced change scheduled");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(180);
    loop {
        let round = devnet
            .rpc("grandpa_roundState", serde_json::json!([]))
            .expect("grandpa_roundState");
        if round["setId"].as_u64() == Some(1) && devnet.finalized_number().expect("finalized") > before + 10 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "no finality in set 1 after 180 s");
        std::thread::sleep(std::time::Duration::from_secs(2));
    }
    let head = devnet
        .rpc("chain_getFinalizedHead", serde_json::json!([]))
        .expect("head");
    let runtime_set_id = devnet
        .rpc(
            "state_call",
            serde_json::json!(["GrandpaApi_current_set_id", "0x", head]),
        )
        .expect("state_call");
    let runtime_set_id = u64::decode(&mut &from_hex(runtime_set_id.as_str().expect("hex"))[..]).expect("u64");
    assert_eq!(
        runtime_set_id, 0,
        "the runtime does not count forced changes (finney's discontinuity)"
    );

    platform::block_on(async {
        let state = within(
            60,
            "reading the node's state",
            checkpoint::read_finalized_state(&devnet.ws_url(0)),
        )
        .await
        .expect("finalized state");
        assert_eq!(state.grandpa_set_id, 1, "the voter's set id, not the runtime's");
        let text = checkpoint::encode(&state).expect("encodes");
        let made = checkpoint::summarize(&text).expect("reads back");
        assert_eq!(
            Some(made.genesis_hash.as_str()),
            devnet
                .rpc("chain_getBlockHash", serde_json::json!([0]))
                .unwrap()
                .as_str()
        );

        // From the checkpoint: past the change, answering queries, in the voter's set.
        let from_checkpoint = LightClient::start(&spec, &text).expect("the checkpoint is accepted");
        let mut blocks = from_checkpoint.finalized_blocks();
        let block = finalized_at_least(&mut blocks, made.block_number + 3, 120).await;
        let subnets = within(60, "subnets()", from_checkpoint.subnets(&block))
            .await
            .expect("subnets");
        assert_eq!(subnets.data.len(), 6, "root, four subnets and the one not reportable");
        let own = within(60, "the client's database", from_checkpoint.finalized_database(1 << 20))
            .await
            .expect("database");
        let own = checkpoint::summarize(&own).expect("smoldot's own database reads back");
        assert!(own.block_number > made.block_number);
        assert_eq!(own.grandpa_set_id, 1);
        assert_eq!(own.grandpa_authorities, made.grandpa_authorities);
        drop(from_checkpoint);

        // Finney's way in: a spec from facts (no genesis storage, only the genesis state root)
        // starts from a checkpoint and from nothing else.
        let devnet_spec: serde_json::Value = serde_json::from_str(&spec).unwrap();
        let boot_nodes: Vec<&str> = devnet_spec["bootNodes"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|n| n.as_str())
            .collect();
        let facts = chain_spec::ChainFacts {
            name: devnet_spec["name"].as_str().unwrap(),
            id: devnet_spec["id"].as_str().unwrap(),
            protocol_id: devnet_spec["protocolId"].as_str().unwrap_or("taoscope"),
            token_symbol: "TAO",
            token_decimals: 9,
            ss58_format: 42,
            boot_nodes: &boot_nodes,
            genesis_hash: &made.genesis_hash,
        };
        let from_facts =
            chain_spec::from_facts(&facts, &state.genesis_state_root).expect("the facts give the devnet's genesis");
        let error = LightClient::start(&from_facts, "")
            .err()
            .expect("no genesis storage, no checkpoint");
        assert!(matches!(error, StartError::BadChainSpec(_)), "{error}");
        let light = LightClient::start(&from_facts, &text).expect("the checkpoint is accepted");
        let mut blocks = light.finalized_blocks();
        let block = finalized_at_least(&mut blocks, made.block_number + 3, 120).await;
        let subnets = within(60, "subnets() on a spec from facts", light.subnets(&block))
            .await
            .expect("subnets");
        assert_eq!(subnets.data.len(), 6, "root, four subnets and the one not reportable");
        drop(light);

        // From genesis: no finality past the change.
        let fresh = LightClient::start(&spec, "").expect("light client starts");
        let mut fresh_blocks = fresh.finalized_blocks();
        let past_the_change = async {
            loop {
                match fresh_blocks.next().await {
                    Some(block) if block.number > made.block_number => break Some(block.number),
                    Some(_) => {}
                    None => break None,
                }
            }
        };
        futures::select! {
            reached = past_the_change.fuse() => panic!("from genesis, a fresh client finalized {reached:?}: show that smoldot copes instead"),
            () = platform::sleep(std::time::Duration::from_secs(60)).fuse() => {}
        }

        // A checkpoint of another chain, or one that does not read, is refused by name.
        let mut other = serde_json::from_str::<serde_json::Value>(&text).unwrap();
        other["genesisHash"] = serde_json::json!("11".repeat(32));
        let error = LightClient::start(&spec, &other.to_string()).err().expect("refused");
        assert!(matches!(error, StartError::DatabaseOfAnotherChain { .. }), "{error}");
        let error = LightClient::start(&spec, "{\"genesisHash\": 1").err().expect("refused");
        assert!(matches!(error, StartError::CorruptDatabase(_)), "{error}");
    });
}
