//! A converted published checkpoint starts the light client at its block. Finney's own cannot be
//! started here: its chain spec needs finney's genesis state root, which no file here records. So
//! a synthetic chain (a spec from facts with a made-up state root) and a checkpoint converted the
//! same way stand in, and smoldot-light's own log line says which chain information it used: the
//! shipped format's extra `source` and `about` fields must not make it fall back to the spec's
//! placeholder.

use std::sync::Mutex;

use light_client::chain_spec::{self, ChainFacts};
use light_client::checkpoint::{self, PublishedCheckpoint, PublishedSource};
use light_client::client::LightClient;

/// Keeps smoldot's log lines.
struct Recorder(Mutex<Vec<String>>);

impl log::Log for Recorder {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.level() <= log::Level::Info
    }

    fn log(&self, record: &log::Record<'_>) {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(record.args().to_string());
    }

    fn flush(&self) {}
}

static RECORDER: Recorder = Recorder(Mutex::new(Vec::new()));

/// `Consensus(engine, payload)` digest item.
fn consensus(engine: &[u8; 4], payload: &[u8]) -> Vec<u8> {
    let mut item = vec![4];
    item.extend(engine);
    item.extend(compact(payload.len()));
    item.extend(payload);
    item
}

/// SCALE compact for small counts (< 16,384).
fn compact(value: usize) -> Vec<u8> {
    if value < 64 {
        vec![(value as u8) << 2]
    } else {
        (((value as u16) << 2) | 1).to_le_bytes().to_vec()
    }
}

/// Block 500 of the synthetic chain: an Aura slot, a new Aura authority list, a GRANDPA change
/// with delay 0, and an Aura seal.
fn header() -> Vec<u8> {
    let mut header = vec![7u8; 32];
    header.extend(compact(500));
    header.extend([1u8; 32]);
    header.extend([2u8; 32]);
    header.extend(compact(4));
    header.extend([6, b'a', b'u', b'r', b'a', 8 << 2]);
    header.extend(1000u64.to_le_bytes());
    let mut aura = vec![1];
    aura.extend(compact(1));
    aura.extend([3u8; 32]);
    header.extend(consensus(b"aura", &aura));
    let mut grandpa = vec![1];
    grandpa.extend(compact(1));
    grandpa.extend([6u8; 32]);
    grandpa.extend(1u64.to_le_bytes());
    grandpa.extend(0u32.to_le_bytes());
    header.extend(consensus(b"FRNK", &grandpa));
    header.extend([5, b'a', b'u', b'r', b'a']);
    header.extend(compact(64));
    header.extend([0x11u8; 64]);
    header
}

#[test]
fn a_converted_published_checkpoint_starts_the_light_client_at_its_block() {
    log::set_logger(&RECORDER).expect("the only logger in this test binary");
    log::set_max_level(log::LevelFilter::Info);

    // The synthetic chain: finney's facts with another name, no boot nodes and a made-up state root.
    let state_root = format!("0x{}", "08".repeat(32));
    let probe = r#"{"name":"Checkpoint test","id":"checkpoint_test","chainType":"Live","bootNodes":[],"#.to_string()
        + &format!(r#""properties":{{}},"genesis":{{"stateRootHash":"{state_root}"}}}}"#);
    let genesis = chain_spec::genesis_hash(&probe).expect("smoldot computes the genesis");
    let facts = ChainFacts {
        name: "Checkpoint test",
        id: "checkpoint_test",
        boot_nodes: &[],
        genesis_hash: &genesis,
        ..chain_spec::FINNEY
    };
    let spec = chain_spec::from_facts(&facts, &state_root).expect("consistent facts");

    let mut genesis_bytes = [0u8; 32];
    let digits = genesis.trim_start_matches("0x");
    for (at, byte) in genesis_bytes.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&digits[at * 2..at * 2 + 2], 16).expect("hex");
    }

    let header = header();
    let mut set = 3u64.to_le_bytes().to_vec();
    set.extend(compact(1));
    set.extend([4u8; 32]);
    set.extend(1u64.to_le_bytes());
    let published = PublishedCheckpoint {
        source: PublishedSource {
            repository: "example/chain".into(),
            path: "spec.json".into(),
            commit: "0".repeat(40),
            field: "grandpaWarpSyncCheckpoint".into(),
        },
        genesis_hash: genesis_bytes,
        block_hash: sp_crypto_hashing::blake2_256(&header),
        finalized_header: header,
        grandpa_authority_set: set,
    };
    let database =
        checkpoint::from_published(&published, &facts, checkpoint::FINNEY_SLOT_DURATION_MS).expect("converts");
    assert!(database.contains("\"source\""), "the database names its source");

    let _client = LightClient::start(&spec, &database).expect("the light client starts");
    let lines = RECORDER.0.lock().unwrap().clone();
    let started = lines
        .iter()
        .find(|line| line.contains("Chain initialization complete") && line.contains("Checkpoint test"))
        .unwrap_or_else(|| panic!("smoldot reports the chain's start; it logged {lines:#?}"));
    assert!(
        started.contains("Database starting at") && started.contains("(#500)"),
        "smoldot starts from the converted checkpoint's block 500, not the placeholder: {started}"
    );
}
