//! The byte budget of a view, for `cargo xtask bench`: runs the view's query (the same step
//! machine the page runs) against a devnet node's RPC at its finalized block, recording every
//! key read and every runtime call, then asks the node for the proofs a peer would send for them
//! (the call proof a remote call request gets, `devnet_callProof`; one read proof of every key
//! read, `state_getReadProof`) and splits their bytes by what they are; and the same for the two
//! ways to price every subnet (storage for the balancer formula, or the runtime's
//! `current_alpha_price_all`); and the whole network as the batched reader reads it, against one
//! proof of every key. Prints one `BENCH` line; never pass/fail. Needs `DEVNET_RPC_PORT`
//! (and optionally `BENCH_NETUID`, default 1).

use codec::Decode;
use light_client::keys::{Hasher, StorageQueryKind, item_prefix, map_key};
use light_client::metadata::Metadata;
use light_client::proof_budget::{ProofBudget, proof_budget};
use light_client::queries::network::{self, SharedRound};
use light_client::queries::runtime_api::RuntimeApiRead;
use light_client::queries::{self, Answer, Query, Step};
use serde_json::{Value, json};
use taoscope_integration_tests::{from_hex, to_hex};

/// How many keys one `state_getKeysPaged` page asks for.
const KEYS_PAGE: u64 = 1000;

/// One devnet node's RPC at one block.
struct Node {
    port: u16,
    at: String,
}

impl Node {
    fn call(&self, method: &str, params: Value) -> Value {
        devnet_runner::rpc_call(self.port, method, params).unwrap_or_else(|error| panic!("{method}: {error}"))
    }

    fn storage(&self, key: &[u8]) -> Option<Vec<u8>> {
        self.call("state_getStorage", json!([to_hex(key), self.at]))
            .as_str()
            .map(from_hex)
    }

    fn keys_below(&self, prefix: &[u8]) -> Vec<Vec<u8>> {
        let mut keys = Vec::new();
        loop {
            let start = keys.last().map(|key: &Vec<u8>| to_hex(key));
            let page = self.call("state_getKeysPaged", json!([to_hex(prefix), KEYS_PAGE, start, self.at]));
            let page: Vec<Vec<u8>> = page
                .as_array()
                .expect("a list of keys")
                .iter()
                .map(|key| from_hex(key.as_str().expect("a hex key")))
                .collect();
            let full = page.len() as u64 == KEYS_PAGE;
            keys.extend(page);
            if !full {
                return keys;
            }
        }
    }

    fn proof_nodes(&self, method: &str, params: Value) -> Vec<Vec<u8>> {
        let answer = self.call(method, params);
        let nodes = answer.get("proof").unwrap_or(&answer);
        nodes
            .as_array()
            .expect("a list of proof nodes")
            .iter()
            .map(|node| from_hex(node.as_str().expect("a hex node")))
            .collect()
    }
}

/// What running one query asked of the chain.
#[derive(Default)]
struct Recorded {
    keys_read: Vec<Vec<u8>>,
    calls: Vec<RuntimeApiRead>,
    value_bytes: usize,
}

/// Runs `query` to its end against `node`, answering reads and calls as the client's driver does.
fn record<Q: Query>(node: &Node, metadata: &Metadata, mut query: Q) -> Recorded {
    let mut recorded = Recorded::default();
    let mut results: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
    let mut step = query.start(metadata).expect("the query starts");
    loop {
        let reads = match &step {
            Step::Done(_) => return recorded,
            Step::Read(reads) => reads.clone(),
            Step::Call { alongside, .. } => alongside.clone(),
        };
        for (key, kind) in reads {
            let keys = match kind {
                StorageQueryKind::Value => vec![key],
                StorageQueryKind::DescendantsValues => node.keys_below(&key),
            };
            for key in keys {
                if let Some(value) = node.storage(&key) {
                    recorded.value_bytes += value.len();
                    results.push((key.clone(), value));
                }
                recorded.keys_read.push(key);
            }
        }
        let call_output = match step {
            Step::Call { read, .. } => {
                let output = from_hex(
                    node.call(
                        "state_call",
                        json!([read.function(), to_hex(&read.arguments()), node.at]),
                    )
                    .as_str()
                    .expect("hex call output"),
                );
                recorded.value_bytes += output.len();
                recorded.calls.push(read);
                Some(output)
            }
            _ => None,
        };
        let answer = Answer {
            results: &results,
            call_output: call_output.as_deref(),
        };
        step = query.next(metadata, answer).expect("the query goes on");
    }
}

/// The median wall time of five runs of `run`, in ms (through the node's HTTP RPC, so the
/// framing is in both figures a caller compares).
fn median_ms(mut run: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..5)
        .map(|_| {
            let started = std::time::Instant::now();
            run();
            started.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    (times[2] * 10.0).round() / 10.0
}

fn budget_json(budget: &ProofBudget) -> Value {
    json!({
        "nodes": budget.nodes,
        "node_bytes": budget.node_bytes(),
        "values_inline": budget.inline_value_bytes,
        "value_nodes": budget.value_node_bytes,
        "runtime_code": budget.runtime_code_bytes,
        "child_and_value_hashes": budget.hash_bytes,
        "partial_keys": budget.partial_key_bytes,
        "node_headers": budget.header_bytes,
        "unreadable": budget.unreadable_bytes,
    })
}

/// The proofs a peer sends for what `recorded` asked, split by [`proof_budget`].
fn view_budget(node: &Node, recorded: &Recorded, code_hash: Option<[u8; 32]>) -> Value {
    let mut calls = ProofBudget::default();
    let (mut prove_ms, mut answer_ms) = (0.0, 0.0);
    for read in &recorded.calls {
        let params = json!([read.function(), to_hex(&read.arguments()), node.at]);
        let nodes = node.proof_nodes("devnet_callProof", params.clone());
        calls = calls.plus(&proof_budget(&nodes, code_hash));
        // What serving the call costs the node, with the proof a light client needs and without.
        prove_ms += median_ms(|| {
            node.call("devnet_callProof", params.clone());
        });
        answer_ms += median_ms(|| {
            node.call("state_call", params.clone());
        });
    }
    let reads = if recorded.keys_read.is_empty() {
        ProofBudget::default()
    } else {
        let keys: Vec<String> = recorded.keys_read.iter().map(|key| to_hex(key)).collect();
        proof_budget(
            &node.proof_nodes("state_getReadProof", json!([keys, node.at])),
            code_hash,
        )
    };
    let total = calls.plus(&reads);
    json!({
        "scale_value_bytes": recorded.value_bytes,
        "runtime_calls": recorded.calls.iter().map(RuntimeApiRead::function).collect::<Vec<_>>(),
        "keys_read": recorded.keys_read.len(),
        "call_proofs": budget_json(&calls),
        "read_proof": budget_json(&reads),
        "proof_bytes": total.node_bytes(),
        "node_ms_to_prove_the_calls": prove_ms,
        "node_ms_to_answer_the_calls": answer_ms,
        "ratio_proof_over_value_bytes": (total.node_bytes() as f64 / recorded.value_bytes.max(1) as f64 * 100.0).round() / 100.0,
    })
}

/// The two ways to price every subnet's α, as a peer would prove them: the storage the balancer
/// formula needs per subnet (`SubnetMechanism`, `SubnetTAO`, `SubnetAlphaIn`, `Swap.SwapBalancer`,
/// and `Swap.SwapSuperellipse`, whose entries say where the formula does not hold), or the
/// runtime's `current_alpha_price_all` in one call.
fn price_paths(node: &Node, metadata: &Metadata, code_hash: Option<[u8; 32]>) -> Value {
    let netuids: Vec<[u8; 2]> = node
        .keys_below(&item_prefix("SubtensorModule", "NetworksAdded"))
        .iter()
        .map(|key| key[key.len() - 2..].try_into().expect("an Identity-hashed u16 key"))
        .collect();
    let mut storage = Recorded::default();
    for netuid in &netuids {
        let mut keys: Vec<Vec<u8>> = ["SubnetMechanism", "SubnetTAO", "SubnetAlphaIn"]
            .into_iter()
            .map(|item| map_key("SubtensorModule", item, &[(Hasher::Identity, &netuid[..])]))
            .collect();
        for item in ["SwapBalancer", "SwapSuperellipse"] {
            if metadata.storage_item("Swap", item).is_some() {
                keys.push(map_key("Swap", item, &[(Hasher::Twox64Concat, &netuid[..])]));
            }
        }
        for key in keys {
            storage.value_bytes += node.storage(&key).map_or(0, |value| value.len());
            storage.keys_read.push(key);
        }
    }
    let read = RuntimeApiRead::AlphaPricesAll;
    let output = node.call(
        "state_call",
        json!([read.function(), to_hex(&read.arguments()), node.at]),
    );
    let call = Recorded {
        keys_read: Vec::new(),
        value_bytes: from_hex(output.as_str().expect("hex call output")).len(),
        calls: vec![read],
    };
    json!({
        "subnets": netuids.len(),
        "storage_formula": view_budget(node, &storage, code_hash),
        "runtime_call": view_budget(node, &call, code_hash),
    })
}

/// Every storage value of `keys` at the node's block, read in batches (the node's RPC, not a
/// proof: only to learn the uid counts and hotkeys the next rounds' keys depend on).
fn values_of(node: &Node, keys: &[Vec<u8>]) -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut results = Vec::new();
    for batch in network::batches(keys.to_vec()) {
        let hex: Vec<String> = batch.iter().map(|key| to_hex(key)).collect();
        let answer = node.call("state_queryStorageAt", json!([hex, node.at]));
        results.extend(network::query_storage_at_changes(&answer).expect("a state_queryStorageAt answer"));
    }
    results
}

/// The proof nodes of one `state_getReadProof` of `keys`.
fn read_proof(node: &Node, keys: &[Vec<u8>]) -> Vec<Vec<u8>> {
    let hex: Vec<String> = keys.iter().map(|key| to_hex(key)).collect();
    node.proof_nodes("state_getReadProof", json!([hex, node.at]))
}

/// The whole network's metagraphs as the batched reader reads them, as a peer would prove them:
/// the value bytes; the proofs of its requests cut key-sorted across subnets and cut per subnet,
/// each request proven on its own as a peer answers it; and the floor, one proof of every key
/// (the union of the batches' nodes, each node once).
fn whole_network_budget(node: &Node, metadata: &Metadata, code_hash: Option<[u8; 32]>) -> Value {
    let netuids: Vec<u16> = node
        .keys_below(&item_prefix("SubtensorModule", "NetworksAdded"))
        .iter()
        .map(|key| u16::from_le_bytes(key[key.len() - 2..].try_into().expect("an Identity-hashed u16 key")))
        .collect();
    let first: Vec<(u16, Vec<Vec<u8>>)> = netuids
        .iter()
        .map(|netuid| {
            (
                *netuid,
                network::subnet_keys(metadata, *netuid).expect("per-netuid keys"),
            )
        })
        .collect();
    let mut values: Vec<(Vec<u8>, Vec<u8>)> =
        values_of(node, &first.iter().flat_map(|(_, k)| k.clone()).collect::<Vec<_>>());
    let second: Vec<(u16, Vec<Vec<u8>>)> = netuids
        .iter()
        .map(|netuid| {
            let uids = network::uid_count(metadata, *netuid, &values).expect("a uid count");
            (*netuid, network::uid_keys(metadata, *netuid, uids).expect("uid keys"))
        })
        .collect();
    values.extend(values_of(
        node,
        &second.iter().flat_map(|(_, k)| k.clone()).collect::<Vec<_>>(),
    ));
    let third: Vec<(u16, Vec<Vec<u8>>)> = netuids
        .iter()
        .map(|netuid| {
            (
                *netuid,
                network::hotkey_keys(metadata, *netuid, &values).expect("hotkey keys"),
            )
        })
        .collect();
    values.extend(values_of(
        node,
        &third.iter().flat_map(|(_, k)| k.clone()).collect::<Vec<_>>(),
    ));
    let value_bytes: usize = values.iter().map(|(_, value)| value.len()).sum();

    let mut floor_nodes = std::collections::BTreeSet::new();
    let (mut key_sorted, mut requests_sorted) = (ProofBudget::default(), 0);
    // The node's time to prove each request (what its light-client handler does, one request
    // after another) and to answer the same keys without a proof.
    let (mut prove_ms, mut answer_ms) = (0.0, 0.0);
    for round in [&first, &second, &third] {
        for batch in SharedRound::new(round.clone()).batches {
            let started = std::time::Instant::now();
            let nodes = read_proof(node, &batch);
            prove_ms += started.elapsed().as_secs_f64() * 1000.0;
            let started = std::time::Instant::now();
            values_of(node, &batch);
            answer_ms += started.elapsed().as_secs_f64() * 1000.0;
            key_sorted = key_sorted.plus(&proof_budget(&nodes, code_hash));
            floor_nodes.extend(nodes);
            requests_sorted += 1;
        }
    }
    let (mut per_subnet, mut requests_per_subnet) = (ProofBudget::default(), 0);
    for batch in SharedRound::new(first.clone()).batches {
        per_subnet = per_subnet.plus(&proof_budget(&read_proof(node, &batch), code_hash));
        requests_per_subnet += 1;
    }
    for (uid_keys, hotkey_keys) in second.iter().zip(&third) {
        for batch in network::batches(uid_keys.1.clone())
            .into_iter()
            .chain(network::batches(hotkey_keys.1.clone()))
        {
            per_subnet = per_subnet.plus(&proof_budget(&read_proof(node, &batch), code_hash));
            requests_per_subnet += 1;
        }
    }
    let floor = proof_budget(&floor_nodes.into_iter().collect::<Vec<_>>(), code_hash);
    let ratio = |budget: &ProofBudget| (budget.node_bytes() as f64 / value_bytes.max(1) as f64 * 100.0).round() / 100.0;
    json!({
        "subnets": netuids.len(),
        "keys": first.iter().chain(&second).chain(&third).map(|(_, keys)| keys.len()).sum::<usize>(),
        "scale_value_bytes": value_bytes,
        "key_sorted": { "requests": requests_sorted, "node_ms_to_prove": prove_ms.round(), "node_ms_to_answer_without_proof": answer_ms.round(), "proofs": budget_json(&key_sorted), "ratio_proof_over_value_bytes": ratio(&key_sorted) },
        "per_subnet": { "requests": requests_per_subnet, "proofs": budget_json(&per_subnet), "ratio_proof_over_value_bytes": ratio(&per_subnet) },
        "one_proof_of_every_key": { "proofs": budget_json(&floor), "ratio_proof_over_value_bytes": ratio(&floor) },
    })
}

fn main() {
    let port: u16 = std::env::var("DEVNET_RPC_PORT")
        .expect("DEVNET_RPC_PORT names the devnet node to measure")
        .parse()
        .expect("DEVNET_RPC_PORT is a port");
    let netuid: u16 = std::env::var("BENCH_NETUID").map_or(1, |n| n.parse().expect("BENCH_NETUID is a netuid"));
    let at = devnet_runner::rpc_call(port, "chain_getFinalizedHead", json!([]))
        .expect("chain_getFinalizedHead")
        .as_str()
        .expect("a block hash")
        .to_string();
    let node = Node { port, at };
    let wrapped = from_hex(
        node.call(
            "state_call",
            json!(["Metadata_metadata_at_version", to_hex(&16u32.to_le_bytes()), node.at]),
        )
        .as_str()
        .expect("hex metadata"),
    );
    let opaque = Option::<Vec<u8>>::decode(&mut &wrapped[..])
        .expect("Option<Vec<u8>>")
        .expect("the node serves V16 metadata");
    let metadata = Metadata::from_bytes(&opaque).expect("the devnet's metadata");
    // The runtime code's hash, so a proof carrying it shows it apart.
    let code_hash = node
        .call("state_getStorageHash", json!([to_hex(b":code"), node.at]))
        .as_str()
        .map(|hash| from_hex(hash).try_into().expect("a 32-byte hash"));

    let views = json!({
        "subnets_view_storage_reads": view_budget(&node, &record(&node, &metadata, queries::subnets::all()), code_hash),
        "subnets_view_get_all_dynamic_info": view_budget(
            &node,
            &record(&node, &metadata, queries::runtime_api::AnswerSize(RuntimeApiRead::AllDynamicInfo)),
            code_hash,
        ),
        "metagraph_view_call": view_budget(&node, &record(&node, &metadata, queries::metagraph::query(netuid, 0)), code_hash),
        "metagraph_view_storage_reads": view_budget(
            &node,
            &record(&node, &metadata, queries::metagraph::from_storage(netuid, 0)),
            code_hash,
        ),
    });
    let line = json!({
        "section": "byte_budget",
        "block": node.at,
        "netuid": netuid,
        "views": views,
        "price_paths": price_paths(&node, &metadata, code_hash),
        "whole_network": whole_network_budget(&node, &metadata, code_hash),
    });
    println!("BENCH {line}");
}
