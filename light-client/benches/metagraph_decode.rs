//! Native decoding throughput: assembling a 256-uid metagraph (finney's metadata, synthetic values
//! of finney's shapes) from raw storage results, the pure work the client does per refresh.
//! Prints a median with min and max; used by `cargo xtask bench`, never as a pass/fail test.

use std::time::Instant;

use codec::Encode;
use light_client::chain::StorageQueryKind;
use light_client::decode::Item;
use light_client::metadata::Metadata;
use light_client::queries::metagraph;

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

fn main() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/chain/finney-metadata.scale");
    let bytes = std::fs::read(path).expect("../shared/chain/finney-metadata.scale");
    let metadata = Metadata::from_bytes(&bytes).expect("finney metadata");
    let results = results(&metadata);
    let value_bytes: usize = results.iter().map(|(_, v)| v.len()).sum();
    // The reads the client would make for this subnet (keys built from metadata), for scale.
    let reads = metagraph::reads(&metadata, NETUID).expect("reads");
    assert!(
        reads
            .iter()
            .any(|(_, kind)| *kind == StorageQueryKind::DescendantsValues)
    );

    let mut samples = Vec::new();
    for _ in 0..60 {
        let started = Instant::now();
        let assembled = metagraph::assemble(&metadata, NETUID, &results).expect("assembles");
        samples.push(started.elapsed().as_secs_f64() * 1e6);
        assert_eq!(assembled.neurons.len(), usize::from(UIDS));
    }
    samples.sort_by(f64::total_cmp);
    let median = samples[samples.len() / 2];
    println!(
        "BENCH {{\"section\":\"native_decode\",\"uids\":{UIDS},\"entries\":{},\"value_bytes\":{value_bytes},\"median_us\":{median:.1},\"min_us\":{:.1},\"max_us\":{:.1},\"uids_per_s\":{:.0}}}",
        results.len(),
        samples[0],
        samples[samples.len() - 1],
        f64::from(UIDS) / (median / 1e6)
    );
}
