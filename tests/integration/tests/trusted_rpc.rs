//! The trusted JSON-RPC transport: the same typed queries through the node's own WebSocket
//! endpoint give exactly what the light client verified at the same block (marked unverified),
//! and an endpoint of another chain, an unreachable one or a bad URL is refused with a typed error.

use std::collections::HashMap;

use devnet_runner::Devnet;
use futures::StreamExt;
use light_client::chain_spec;
use light_client::client::LightClient;
use light_client::model::SyncStatus;
use light_client::platform;
use light_client::transport::StartError;
use taoscope_integration_tests::within;

#[test]
fn rpc_answers_equal_the_light_clients_and_wrong_endpoints_are_refused() {
    let devnet = Devnet::shared().expect("devnet starts");
    let spec = devnet.chain_spec().expect("chain spec");
    let genesis = chain_spec::genesis_hash(&spec).expect("genesis from the spec");
    let node_genesis = devnet
        .rpc("chain_getBlockHash", serde_json::json!([0]))
        .expect("node RPC");
    assert_eq!(
        Some(genesis.as_str()),
        node_genesis.as_str(),
        "genesis computed from the spec"
    );

    platform::block_on(async {
        let light = LightClient::start(&spec, "").expect("light client starts");
        let rpc = within(30, "connect_rpc", LightClient::connect_rpc(&devnet.ws_url(0), &spec))
            .await
            .expect("the node's endpoint serves the spec's chain");
        assert!(!rpc.is_verified());
        let status = rpc.sync_status().next().await.expect("a status");
        assert_eq!(
            status,
            SyncStatus::TrustedRpc {
                host: "127.0.0.1".into()
            }
        );

        // The first finalized block both clients have seen.
        let (mut light_blocks, mut rpc_blocks) = (light.finalized_blocks(), rpc.finalized_blocks());
        let (mut seen_light, mut seen_rpc) = (HashMap::new(), HashMap::new());
        let (light_block, rpc_block) = within(180, "a common finalized block", async {
            loop {
                futures::select! {
                    block = light_blocks.next() => {
                        let block = block.expect("light client blocks");
                        if block.number >= 8 {
                            if let Some(other) = seen_rpc.get(&block.hash) {
                                break (block, Clone::clone(other));
                            }
                            seen_light.insert(block.hash.clone(), block);
                        }
                    }
                    block = rpc_blocks.next() => {
                        let block = block.expect("RPC blocks");
                        if let Some(other) = seen_light.get(&block.hash) {
                            break (Clone::clone(other), block);
                        }
                        seen_rpc.insert(block.hash.clone(), block);
                    }
                }
            }
        })
        .await;

        let verified = within(120, "light subnets()", light.subnets(&light_block))
            .await
            .expect("subnets");
        let trusted = within(60, "RPC subnets()", rpc.subnets(&rpc_block))
            .await
            .expect("subnets");
        assert!(verified.is_verified() && !trusted.is_verified());
        assert_eq!(
            trusted.source,
            light_client::model::Source::TrustedRpc {
                host: "127.0.0.1".into()
            }
        );
        assert_eq!(
            (trusted.block_number, &trusted.block_hash),
            (verified.block_number, &verified.block_hash)
        );
        assert_eq!(trusted.data, verified.data);
        for netuid in [1u16, 2] {
            let verified = light.metagraph(&light_block, netuid).await.expect("metagraph");
            let trusted = rpc.metagraph(&rpc_block, netuid).await.expect("metagraph");
            assert!(!verified.data.neurons.is_empty());
            assert_eq!(trusted.data, verified.data);
        }
        let verified = light.overview(&light_block).await.expect("overview");
        let trusted = rpc.overview(&rpc_block).await.expect("overview");
        assert_eq!(trusted.data, verified.data);
        let verified = light.validators(&light_block).await.expect("validators");
        let trusted = rpc.validators(&rpc_block).await.expect("validators");
        assert_eq!(trusted.data, verified.data);

        // Another chain: the same spec with one more genesis key has another genesis hash.
        let mut other: serde_json::Value = serde_json::from_str(&spec).unwrap();
        other["genesis"]["raw"]["top"]["0x74616f73636f7065"] = serde_json::json!("0x01");
        let other = other.to_string();
        match LightClient::connect_rpc(&devnet.ws_url(0), &other).await {
            Err(StartError::WrongChain { expected, found, .. }) => {
                assert_eq!(found, genesis);
                assert_ne!(expected, genesis);
            }
            Err(error) => panic!("expected WrongChain, got {error}"),
            Ok(_) => panic!("an endpoint of another chain was accepted"),
        }

        // Nothing listening, a URL that is not a WebSocket, a spec that is not one.
        let closed = format!("ws://127.0.0.1:{}", free_port());
        let error = LightClient::connect_rpc(&closed, &spec).await.err().expect("refused");
        assert!(matches!(error, StartError::Unreachable { .. }), "{error}");
        assert!(error.to_string().contains(&closed), "{error}");
        let error = LightClient::connect_rpc("https://example.org", &spec)
            .await
            .err()
            .expect("refused");
        assert!(matches!(error, StartError::BadEndpoint(_)), "{error}");
        let error = LightClient::connect_rpc(&devnet.ws_url(0), "{\"name\":")
            .await
            .err()
            .expect("refused");
        assert!(matches!(error, StartError::BadChainSpec(_)), "{error}");
    });
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port")
}
