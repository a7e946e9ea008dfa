//! The whole network read as batched storage proofs (`LightClient::whole_network`) equals the
//! node's own answers for every subnet of the devnet, with never more requests in flight than the
//! bound a node's light-client queue allows.

use std::sync::Arc;

use codec::Decode;
use devnet_runner::Devnet;
use futures::StreamExt;
use light_client::client::{LightClient, MAX_REQUESTS_IN_FLIGHT, RequestMeter, Rounds};
use light_client::keys::{Hasher, map_key};
use light_client::metadata::Metadata;
use light_client::model::Metagraph;
use light_client::queries::metagraph::{assemble_from_call, side_reads};
use light_client::{BlockRef, RuntimeApiRead, platform, ss58};
use taoscope_integration_tests::{devnet_metadata_bytes, finalized_at_least, from_hex, to_hex, within};

/// The devnet's subnets and their metagraphs read by `whole_network` at one finalized block.
async fn read_whole_network(
    client: &LightClient,
    block: &BlockRef,
    rounds: Rounds,
    in_flight: usize,
) -> (Vec<u16>, Vec<Metagraph>, Arc<RequestMeter>) {
    let subnets = within(120, "subnets()", client.subnets(block)).await.expect("subnets");
    let netuids: Vec<u16> = subnets.data.iter().map(|subnet| subnet.netuid).collect();
    let meter = Arc::new(RequestMeter::default());
    let arriving = client.whole_network(block, netuids.clone(), rounds, in_flight, meter.clone());
    let snapshots: Vec<_> = within(180, "whole_network()", arriving.collect()).await;
    let mut metagraphs = Vec::new();
    for snapshot in snapshots {
        let snapshot = snapshot.expect("a batched metagraph");
        assert_eq!(snapshot.block_hash, block.hash);
        assert!(snapshot.is_verified(), "read through the light client");
        metagraphs.push(snapshot.data);
    }
    metagraphs.sort_by_key(|metagraph| metagraph.netuid);
    (netuids, metagraphs, meter)
}

/// The node's own `get_selective_metagraph` for `netuid` at `hash` (run by the node through
/// `state_call`) with the storage it lacks read through `state_getStorage`.
fn node_metagraph(devnet: &Devnet, metadata: &Metadata, hash: &str, netuid: u16) -> Metagraph {
    let read = RuntimeApiRead::MetagraphView { netuid, mechanism: 0 };
    let output = devnet
        .rpc(
            "state_call",
            serde_json::json!([read.function(), to_hex(&read.arguments()), hash]),
        )
        .expect("state_call get_selective_metagraph");
    let answer = read
        .decode_answer(metadata, &from_hex(output.as_str().expect("hex")))
        .expect("the node's answer decodes");
    let mut side = Vec::new();
    for (key, _) in side_reads(metadata, netuid).expect("side reads") {
        let value = devnet
            .rpc("state_getStorage", serde_json::json!([to_hex(&key), hash]))
            .expect("state_getStorage");
        if let Some(hex) = value.as_str() {
            side.push((key, from_hex(hex)));
        }
    }
    assemble_from_call(metadata, netuid, 0, &answer, &side).expect("the node's metagraph")
}

/// A light client on the shared devnet and a finalized block past its first epoch.
fn with_a_finalized_block<Check, Checked>(check: Check)
where
    Check: FnOnce(Devnet, LightClient, BlockRef) -> Checked,
    Checked: std::future::Future<Output = ()>,
{
    let devnet = Devnet::shared().expect("devnet starts");
    let spec = devnet.chain_spec().expect("chain spec");
    platform::block_on(async {
        let client = LightClient::start(&spec, "").expect("light client starts");
        let mut blocks = client.finalized_blocks();
        let block = finalized_at_least(&mut blocks, 12, 180).await;
        check(devnet, client, block).await;
    });
}

#[test]
fn batched_metagraphs_equal_the_nodes_answers_for_every_subnet() {
    with_a_finalized_block(|devnet, client, block| async move {
        let metadata = Metadata::from_bytes(&devnet_metadata_bytes(&devnet)).expect("metadata");
        for rounds in [Rounds::KeySorted, Rounds::PerSubnet] {
            equal_the_nodes_answers(&devnet, &metadata, &client, &block, rounds).await;
        }
    });
}

/// `whole_network` read in `rounds` equals the node's answers for every subnet.
async fn equal_the_nodes_answers(
    devnet: &Devnet,
    metadata: &Metadata,
    client: &LightClient,
    block: &BlockRef,
    rounds: Rounds,
) {
    {
        let (netuids, metagraphs, meter) = read_whole_network(client, block, rounds, MAX_REQUESTS_IN_FLIGHT).await;
        assert_eq!(netuids, [0, 1, 2, 3, 4, 5], "the small devnet's subnets");
        assert_eq!(
            metagraphs.iter().map(|m| m.netuid).collect::<Vec<_>>(),
            netuids,
            "{rounds:?}"
        );
        let mut neurons = 0;
        for metagraph in &metagraphs {
            let netuid = metagraph.netuid;
            let node = node_metagraph(devnet, metadata, &block.hash, netuid);
            assert_eq!(
                metagraph.neurons, node.neurons,
                "subnet {netuid}: every neuron as the node answers it"
            );
            // The call answers `None` for a netuid that is not a subnet (the devnet's 5), so
            // there it has no pruning parameters to compare.
            if node.pruning.is_some() {
                assert_eq!(
                    metagraph.pruning, node.pruning,
                    "subnet {netuid}: the pruning parameters"
                );
            }
            // The hotkeys and the uid count once more, decoded here from the node's own reads.
            let n = netuid.to_le_bytes();
            let read = |item: &str, keys: &[(Hasher, &[u8])]| {
                let key = map_key("SubtensorModule", item, keys);
                devnet
                    .rpc("state_getStorage", serde_json::json!([to_hex(&key), block.hash]))
                    .expect("node RPC")
                    .as_str()
                    .map(from_hex)
            };
            let uids = read("SubnetworkN", &[(Hasher::Identity, &n)])
                .map(|bytes| u16::decode(&mut &bytes[..]).expect("u16"))
                .unwrap_or_default();
            assert_eq!(
                metagraph.neurons.len(),
                usize::from(uids),
                "subnet {netuid}: SubnetworkN"
            );
            for neuron in &metagraph.neurons {
                let uid = neuron.uid.to_le_bytes();
                let hotkey = read("Keys", &[(Hasher::Identity, &n), (Hasher::Identity, &uid)]).expect("a hotkey");
                let hotkey = <[u8; 32]>::decode(&mut &hotkey[..]).expect("an account");
                assert_eq!(
                    neuron.hotkey,
                    ss58::encode(&hotkey),
                    "subnet {netuid} uid {}",
                    neuron.uid
                );
            }
            neurons += metagraph.neurons.len();
        }
        assert!(neurons > 0, "the devnet's subnets have neurons");
        assert!(meter.max_in_flight() <= MAX_REQUESTS_IN_FLIGHT);
        // Three rounds: at least one request each.
        assert!(meter.sent() >= 3, "{rounds:?}: {} requests", meter.sent());
    }
}

#[test]
fn the_batched_reader_never_has_more_requests_in_flight_than_its_bound() {
    with_a_finalized_block(|devnet, client, block| async move {
        // Kept to the end: dropping a devnet this test started stops its nodes.
        let _running = devnet;
        // Per subnet, six subnets would put six requests in flight at once without the bound.
        let (_, two_at_most, meter) = read_whole_network(&client, &block, Rounds::PerSubnet, 2).await;
        assert_eq!(meter.max_in_flight(), 2, "the bound is reached and never passed");
        // A bound above the safe one is clamped to it, in either way of cutting the rounds.
        let (_, clamped, wide) = read_whole_network(&client, &block, Rounds::PerSubnet, 1_000).await;
        let (_, sorted, sorted_meter) = read_whole_network(&client, &block, Rounds::KeySorted, 1_000).await;
        assert!(sorted_meter.max_in_flight() <= MAX_REQUESTS_IN_FLIGHT);
        assert_eq!(two_at_most, sorted, "the same metagraphs however the rounds are cut");
        assert!(
            wide.max_in_flight() <= MAX_REQUESTS_IN_FLIGHT,
            "{}",
            wide.max_in_flight()
        );
        assert_eq!(two_at_most, clamped, "the same metagraphs whatever the bound");
        // No request failed (a dropped request is a failed read and smoldot bans the peer for
        // it): a read made straight after still finds its peer.
        let again = within(30, "metagraph() after the reads", client.metagraph(&block, 1)).await;
        assert!(again.is_ok(), "{again:?}");
    });
}
