//! Native decoding throughput: assembling a 256-uid metagraph (finney's metadata, synthetic values
//! of finney's shapes) from raw storage results, and from a `get_selective_metagraph` answer (the
//! path the views use), the pure work the client does per refresh. Prints medians with min and
//! max; used by `cargo xtask bench`, never as a pass/fail test.

#![allow(
    clippy::disallowed_methods,
    reason = "a native benchmark: std's clock is the right one here (light-client/clippy.toml bans it for the browser)"
)]

use std::time::Instant;

use codec::{Compact, Encode};
use light_client::decode::Item;
use light_client::keys::StorageQueryKind;
use light_client::metadata::Metadata;
use light_client::queries::metagraph;
use light_client::queries::runtime_api::RuntimeApiRead;
use scale_info::TypeDef;

const UIDS: u16 = 256;
const NETUID: u16 = 7;

fn results(metadata: &Metadata) -> Vec<(Vec<u8>, Vec<u8>)> {
    let item = |name: &str| Item::new(metadata, "SubtensorModule", name).expect(name);
    let netuid = NETUID.to_le_bytes();
    let n = usize::from(UIDS);
    let mut out = vec![(item("SubnetworkN").key(&[&netuid]), UIDS.encode())];
    for name in ["Consensus", "Incentive", "Dividends", "ValidatorTrust"] {
        let values: Vec<u16> = (0..n).map(|i| (i * 251 % 65_535) as u16).collect();
        out.push((item(name).key(&[&netuid]), values.encode()));
    }
    for name in ["Active", "ValidatorPermit"] {
        let values: Vec<bool> = (0..n).map(|i| i % 4 == 0).collect();
        out.push((item(name).key(&[&netuid]), values.encode()));
    }
    for name in ["Emission", "LastUpdate"] {
        let values: Vec<u64> = (0..n as u64).map(|i| i * 1_000_003).collect();
        out.push((item(name).key(&[&netuid]), values.encode()));
    }
    for uid in 0..UIDS {
        let hotkey = [uid as u8; 32];
        let uid_bytes = uid.to_le_bytes();
        out.push((item("Keys").key(&[&netuid, &uid_bytes]), hotkey.encode()));
        out.push((
            item("BlockAtRegistration").key(&[&netuid, &uid_bytes]),
            u64::from(uid).encode(),
        ));
        let axon = (1u64, 1u32, 0x7f00_0001u128, 8091u16, 4u8, 4u8, 0u8, 0u8);
        out.push((item("Axons").key(&[&netuid, &hotkey]), axon.encode()));
        out.push((item("Owner").key(&[&hotkey]), [0xaau8; 32].encode()));
        out.push((
            item("TotalHotkeyAlpha").key(&[&hotkey, &netuid]),
            (u64::from(uid) * 7).encode(),
        ));
    }
    out
}

/// A `get_selective_metagraph` answer with the view's fields for 256 uids, laid out by walking
/// finney's declared output type (`Option<SelectiveMetagraph>`, every field an `Option`).
fn selective_metagraph_answer(metadata: &Metadata) -> Vec<u8> {
    let n = usize::from(UIDS);
    let compact64 = |f: fn(usize) -> u64| (0..n).map(|i| Compact(f(i))).collect::<Vec<_>>().encode();
    let compact16 = || {
        (0..n)
            .map(|i| Compact((i * 251 % 65_535) as u16))
            .collect::<Vec<_>>()
            .encode()
    };
    let field = |name: &str| -> Option<Vec<u8>> {
        Some(match name {
            "netuid" => Compact(NETUID).encode(),
            "hotkeys" => (0..n).map(|i| [i as u8; 32]).collect::<Vec<_>>().encode(),
            "coldkeys" => vec![[0xaau8; 32]; n].encode(),
            "axons" => vec![(1u64, 1u32, 0x7f00_0001u128, 8091u16, 4u8, 4u8, 0u8, 0u8); n].encode(),
            "active" | "validator_permit" => (0..n).map(|i| i % 4 == 0).collect::<Vec<_>>().encode(),
            "last_update" | "emission" => compact64(|i| i as u64 * 1_000_003),
            "block_at_registration" => compact64(|i| i as u64),
            "alpha_stake" => compact64(|i| i as u64 * 7),
            "dividends" | "incentives" | "consensus" => compact16(),
            _ => return None,
        })
    };
    let (api, method) = RuntimeApiRead::MetagraphView {
        netuid: NETUID,
        mechanism: 0,
    }
    .method();
    let output = metadata.api_method(api, method).expect("finney has the call").output;
    let option = metadata.types.resolve(output).expect("output type");
    let TypeDef::Variant(option) = &option.type_def else {
        panic!("an Option")
    };
    let some = option.variants.iter().find(|v| v.name == "Some").expect("Some");
    let inner = metadata
        .types
        .resolve(some.fields[0].ty.id)
        .expect("SelectiveMetagraph");
    let TypeDef::Composite(composite) = &inner.type_def else {
        panic!("a struct")
    };
    let mut answer = vec![1u8];
    for declared in &composite.fields {
        let name = declared.name.as_deref().unwrap_or_default();
        match (name, field(name)) {
            ("netuid", Some(bytes)) => answer.extend(bytes),
            (_, Some(bytes)) => {
                answer.push(1);
                answer.extend(bytes);
            }
            (_, None) => answer.push(0),
        }
    }
    answer
}

/// Median, min and max of `runs` timings (µs) of `work`.
fn time(runs: usize, mut work: impl FnMut()) -> (f64, f64, f64) {
    let mut samples: Vec<f64> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            work();
            started.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    (samples[samples.len() / 2], samples[0], samples[samples.len() - 1])
}

fn main() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/chain/finney-metadata.scale");
    let bytes = std::fs::read(path).expect("../shared/chain/finney-metadata.scale");
    let metadata = Metadata::from_bytes(&bytes).expect("finney metadata");
    let results = results(&metadata);
    let value_bytes: usize = results.iter().map(|(_, v)| v.len()).sum();
    // The reads the client would make for this subnet (keys built from metadata), for scale.
    let reads = metagraph::reads(&metadata, NETUID, 0).expect("reads");
    assert!(
        reads
            .iter()
            .any(|(_, kind)| *kind == StorageQueryKind::DescendantsValues)
    );

    let (median, min, max) = time(60, || {
        let assembled = metagraph::assemble(&metadata, NETUID, 0, &results).expect("assembles");
        assert_eq!(assembled.neurons.len(), usize::from(UIDS));
    });
    println!(
        "BENCH {{\"section\":\"native_decode\",\"path\":\"storage_reads\",\"uids\":{UIDS},\"entries\":{},\"value_bytes\":{value_bytes},\"median_us\":{median:.1},\"min_us\":{min:.1},\"max_us\":{max:.1},\"uids_per_s\":{:.0}}}",
        results.len(),
        f64::from(UIDS) / (median / 1e6)
    );

    let read = RuntimeApiRead::MetagraphView {
        netuid: NETUID,
        mechanism: 0,
    };
    let answer = selective_metagraph_answer(&metadata);
    let trust = metagraph::side_reads(&metadata, NETUID).expect("trust key");
    let trust: Vec<_> = results.iter().filter(|(key, _)| *key == trust[0].0).cloned().collect();
    let (median, min, max) = time(60, || {
        let value = read.decode_answer(&metadata, &answer).expect("decodes");
        let assembled = metagraph::assemble_from_call(&metadata, NETUID, 0, &value, &trust).expect("assembles");
        assert_eq!(assembled.neurons.len(), usize::from(UIDS));
    });
    println!(
        "BENCH {{\"section\":\"native_decode\",\"path\":\"runtime_call\",\"uids\":{UIDS},\"answer_bytes\":{},\"median_us\":{median:.1},\"min_us\":{min:.1},\"max_us\":{max:.1},\"uids_per_s\":{:.0}}}",
        answer.len(),
        f64::from(UIDS) / (median / 1e6)
    );
}
