//! The proofs behind the benchmark's byte budget, on the shared devnet: the call proof
//! `devnet_callProof` returns is the one a light client verifies (smoldot checks the call's
//! answer against it), and `proof_budget` reads every node of real proofs, accounting for every
//! byte and finding the values the node reports.

use devnet_runner::Devnet;
use light_client::RuntimeApiRead;
use light_client::keys::{Hasher, map_key};
use light_client::proof_budget::proof_budget;
use taoscope_integration_tests::{from_hex, to_hex};

fn nodes(answer: &serde_json::Value) -> Vec<Vec<u8>> {
    answer
        .as_array()
        .expect("a list of nodes")
        .iter()
        .map(|node| from_hex(node.as_str().expect("hex")))
        .collect()
}

/// Subnet 1's first eight hotkeys at `at`, with their storage keys.
fn hotkeys(devnet: &Devnet, at: &str) -> Vec<(Vec<u8>, Vec<u8>)> {
    let netuid = 1u16.to_le_bytes();
    (0u16..8)
        .map(|uid| {
            let key = map_key(
                "SubtensorModule",
                "Keys",
                &[(Hasher::Identity, &netuid), (Hasher::Identity, &uid.to_le_bytes())],
            );
            let value = devnet
                .rpc("state_getStorage", serde_json::json!([to_hex(&key), at]))
                .expect("state_getStorage");
            (key, from_hex(value.as_str().expect("subnet 1 has eight uids")))
        })
        .collect()
}

fn finalized(devnet: &Devnet) -> String {
    let hash = devnet
        .rpc("chain_getFinalizedHead", serde_json::json!([]))
        .expect("head");
    hash.as_str().expect("hash").to_string()
}

/// True when some node of `proof` holds `value`'s bytes.
fn holds(proof: &[Vec<u8>], value: &[u8]) -> bool {
    proof
        .iter()
        .any(|node| node.windows(value.len()).any(|window| window == value))
}

#[test]
fn a_read_proof_is_read_whole_and_holds_the_values_read() {
    let devnet = Devnet::shared().expect("devnet starts");
    let at = finalized(&devnet);
    let hotkeys = hotkeys(&devnet, &at);
    let keys: Vec<String> = hotkeys.iter().map(|(key, _)| to_hex(key)).collect();
    let proof = devnet
        .rpc("state_getReadProof", serde_json::json!([keys, at]))
        .expect("state_getReadProof");
    let proof = nodes(&proof["proof"]);
    let budget = proof_budget(&proof, None);
    assert_eq!(
        budget.unreadable_bytes, 0,
        "every node of a real proof decodes: {budget:?}"
    );
    assert_eq!(budget.node_bytes(), proof.iter().map(Vec::len).sum::<usize>());
    for (_, hotkey) in &hotkeys {
        assert!(holds(&proof, hotkey), "the proof holds hotkey {}", to_hex(hotkey));
    }
    assert!(
        budget.value_bytes() >= 8 * 32,
        "the values read are counted as values: {budget:?}"
    );
    assert!(budget.hash_bytes > 0 && budget.partial_key_bytes > 0 && budget.header_bytes > 0);
}

#[test]
fn the_metagraph_views_call_proof_holds_what_the_call_read_and_not_the_runtime_code() {
    let devnet = Devnet::shared().expect("devnet starts");
    let at = finalized(&devnet);
    let call = RuntimeApiRead::MetagraphView {
        netuid: 1,
        mechanism: 0,
    };
    let proof = devnet
        .rpc(
            "devnet_callProof",
            serde_json::json!([call.function(), to_hex(&call.arguments()), at]),
        )
        .expect("devnet_callProof");
    let proof = nodes(&proof);
    let code_hash = devnet
        .rpc("state_getStorageHash", serde_json::json!([to_hex(b":code"), at]))
        .expect("state_getStorageHash");
    let code_hash: [u8; 32] = from_hex(code_hash.as_str().expect("the chain has code"))
        .try_into()
        .expect("32 bytes");
    let budget = proof_budget(&proof, Some(code_hash));
    assert_eq!(
        budget.unreadable_bytes, 0,
        "every node of a real call proof decodes: {budget:?}"
    );
    // The node runs the call with the code it has; a light client brings its own copy, so the
    // proof records the storage the call read and nothing of `:code`.
    assert_eq!(budget.runtime_code_bytes, 0);
    for (_, hotkey) in hotkeys(&devnet, &at) {
        assert!(holds(&proof, &hotkey), "the call read hotkey {}", to_hex(&hotkey));
    }
    let unknown = devnet.rpc(
        "devnet_callProof",
        serde_json::json!(["SubnetInfoRuntimeApi_no_such_method", "0x", at]),
    );
    assert!(
        unknown
            .as_ref()
            .is_err_and(|error| error.to_string().contains("SubnetInfoRuntimeApi_no_such_method")),
        "a call the runtime lacks is an error naming it: {unknown:?}"
    );
}
