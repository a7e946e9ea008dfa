//! Real finney bytes: answers recorded from finney (Bittensor mainnet) by others, at runtime spec
//! 475 (block 9,240,388) and spec 343 (block 6,852,690), with finney's metadata at 475 (V14),
//! 343 (V15) and 393 (V16), read from `../shared/chain/finney-real/` (its README names the
//! sources and the figures decoded there independently, with py-scale-codec and bt-decode).
//!
//! Each test runs the light client's own readers over those bytes — the query step machines the
//! views run, driven by `queries::fake_chain` answering from the recorded storage and calls — and
//! compares what they give with the runtime's own recorded answer or the README's figures. No
//! devnet is needed; `cargo xtask test` runs this file as its "real bytes" tier.

use std::collections::BTreeMap;
use std::io::Read;

use codec::Decode;
use light_client::chain::events::FollowEvent;
use light_client::contract::finney_475;
use light_client::decode::{Item, as_bytes, as_list, as_option, as_u16, as_u64, field};
use light_client::metadata::{ApiMethod, Metadata};
use light_client::model::{self, BlockEmission, EpochSpacing, Lifecycle, PriceMethod, SwapDirection, SwapQuote};
use light_client::queries::runtime_api::{RuntimeApiRead, decode_output};
use light_client::queries::{fake_chain, metagraph, overview, stake, subnets, swap};
use light_client::{checkpoint, units};
use serde_json::{Value, json};
use taoscope_integration_tests::{from_hex, to_hex};

/// The recorded block at spec 475.
const BLOCK_475: u64 = 9_240_388;
/// The subnet the spec-475 recording reads in full.
const SN92: u16 = 92;

/// A file of `../shared/chain/finney-real/`.
fn real_file(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../../shared/chain/finney-real/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|error| panic!("{path} is readable: {error}"))
}

/// A gzipped metadata file of `../shared/chain/finney-real/`, decoded by the light client.
fn real_metadata(name: &str) -> Metadata {
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(&real_file(name)[..])
        .read_to_end(&mut bytes)
        .unwrap_or_else(|error| panic!("{name} gunzips: {error}"));
    Metadata::from_bytes(&bytes).unwrap_or_else(|error| panic!("{name} decodes: {error}"))
}

/// finney's metadata at spec 475 (V14: storage and types, no runtime API section).
fn metadata_475() -> Metadata {
    real_metadata("metadata-finney-spec475-v14.scale.gz")
}

/// finney's July 2026 metadata (spec 425, V15), the newest real finney metadata in
/// `../shared/chain/` with a runtime API section.
fn metadata_july() -> Metadata {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/chain/finney-metadata.scale"
    );
    Metadata::from_bytes(&std::fs::read(path).expect("finney-metadata.scale")).expect("July's metadata decodes")
}

/// One recorded JSON-RPC exchange file (`entries: [{method, params, result}]`).
struct Recording(Value);

impl Recording {
    fn read(name: &str) -> Self {
        Recording(serde_json::from_slice(&real_file(name)).expect("a recording is JSON"))
    }

    fn spec_475() -> Self {
        Self::read("finney-spec475-b9240388.json")
    }

    fn entries(&self, method: &str) -> impl Iterator<Item = &Value> {
        self.0["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .filter(move |entry| entry["method"] == method)
    }

    /// The one recorded answer of `method`.
    fn result(&self, method: &str) -> &Value {
        let mut found = self.entries(method);
        let result = &found.next().unwrap_or_else(|| panic!("{method} is recorded"))["result"];
        assert!(found.next().is_none(), "{method} is recorded once");
        result
    }

    /// The recorded output of runtime function `function` called with `arguments` at `block`.
    fn call(&self, function: &str, arguments: &str, block: &str) -> Vec<u8> {
        let arguments = arguments.trim_start_matches("0x");
        let entry = self
            .entries("state_call")
            .find(|entry| {
                let params = &entry["params"];
                params[0] == function
                    && params[1].as_str().map(|a| a.trim_start_matches("0x")) == Some(arguments)
                    && params[2] == block
            })
            .unwrap_or_else(|| panic!("{function}(0x{arguments}) is recorded at {block}"));
        from_hex(entry["result"].as_str().expect("a call's hex output"))
    }

    /// The recorded output of `function(arguments)` at the spec-475 block.
    fn call_475(&self, function: &str, arguments: &str) -> Vec<u8> {
        self.call(function, arguments, self.0["block_hash"].as_str().expect("block_hash"))
    }

    /// Every storage value recorded at the block (absent keys left out), and the per-netuid
    /// columns (`storage_by_netuid`: netuid `n` at the item's prefix + its u16, Identity-hashed).
    fn storage(&self) -> Vec<(Vec<u8>, Vec<u8>)> {
        let block = &self.0["block_hash"];
        let mut state: BTreeMap<Vec<u8>, Vec<u8>> = self
            .entries("state_getStorage")
            .filter(|entry| entry["params"][1] == *block)
            .filter_map(|entry| {
                let value = entry["result"].as_str()?;
                Some((from_hex(entry["params"][0].as_str().expect("a key")), from_hex(value)))
            })
            .collect();
        assert_eq!(
            self.0["storage_by_netuid"]["block_hash"], *block,
            "the columns are of the same block"
        );
        for (name, column) in self.0["storage_by_netuid"]["items"].as_object().expect("columns") {
            assert_eq!(
                column["hasher"], "Identity(u16)",
                "{name} is keyed by the netuid as it is"
            );
            let prefix = from_hex(column["key_prefix"].as_str().expect("a prefix"));
            let values = column["values_by_netuid_0_to_144"].as_array().expect("values");
            for (netuid, value) in values.iter().enumerate() {
                let Some(value) = value.as_str() else { continue };
                let mut key = prefix.clone();
                key.extend((netuid as u16).to_le_bytes());
                let value = from_hex(value);
                if let Some(recorded) = state.get(&key) {
                    assert_eq!(recorded, &value, "{name}[{netuid}] is recorded twice, alike");
                }
                state.insert(key, value);
            }
        }
        state.into_iter().collect()
    }

    /// The recorded storage entries of `item` (`Pallet.Item`): key args and value bytes.
    fn storage_of(&self, item: &str) -> Vec<(Value, Vec<u8>)> {
        self.entries("state_getStorage")
            .filter(|entry| entry["item"] == item)
            .filter_map(|entry| Some((entry["args"].clone(), from_hex(entry["result"].as_str()?))))
            .collect()
    }
}

/// The type id of `u64` in `metadata`'s registry.
fn u64_type(metadata: &Metadata) -> u32 {
    (0..metadata.types.types.len() as u32)
        .find(|id| metadata.type_name(*id) == "u64")
        .expect("the registry has u64")
}

/// 1. The subnet reader (`subnet(92)`, the step machine the subnet page runs) over the recorded
///    storage prices SN92 as the runtime's `current_alpha_price(92)` does: finney's balancer
///    price `(1 − q)/q · SubnetTAO/SubnetAlphaIn` with `q = Swap.SwapBalancer[92].quote`.
#[test]
fn the_subnet_reader_prices_sn92_as_the_runtime_does() {
    let metadata = metadata_475();
    let recording = Recording::spec_475();
    let mut state = recording.storage();
    // The recording has no `SubnetMechanism[92]`; every finney subnet but root runs the dynamic
    // mechanism (1), without which the reader prices α at 1 τ. Nothing asserted below is read
    // from this entry but the choice of the balancer formula.
    let mechanism = Item::new(&metadata, "SubtensorModule", "SubnetMechanism").expect("declared");
    assert!(
        !state
            .iter()
            .any(|(key, _)| *key == mechanism.key(&[&SN92.to_le_bytes()])),
        "SubnetMechanism[92] is not recorded"
    );
    state.push((mechanism.key(&[&SN92.to_le_bytes()]), 1u16.to_le_bytes().to_vec()));

    let (subnet, rounds) = fake_chain::run(&metadata, &state, &[], subnets::one(SN92)).expect("subnet(92) reads");
    let subnet = subnet.expect("subnet 92 exists");
    assert_eq!(rounds, 1);

    let runtime_price = u64::decode(&mut &recording.call_475("SwapRuntimeApi_current_alpha_price", "5c00")[..])
        .expect("current_alpha_price(92) is a u64");
    assert_eq!(runtime_price, 1_348_210, "current_alpha_price(92), rao per α (README)");
    assert_eq!(
        subnet.price_method,
        PriceMethod::BalancerFormula,
        "475 has no Swap.SwapSuperellipse: the formula over storage"
    );
    let price = subnet.price.expect("SN92 is priced");
    assert_eq!(
        (price * units::RAO_PER_TAO as f64).floor() as u64,
        runtime_price,
        "SN92's price from the reader ({price} τ/α) against current_alpha_price(92)"
    );
    assert_eq!(subnet.tao_in_rao, 587_199_047_950, "SN92 SubnetTAO (README)");
    assert_eq!(subnet.alpha_in, 435_539_509_978_376, "SN92 SubnetAlphaIn (README)");
    assert_eq!(
        subnet.pool_quote_weight,
        499_999_964_641_764_870f64 / 1e18,
        "SN92 Swap.SwapBalancer quote (README)"
    );
    assert_eq!(subnet.tempo, 360, "SN92 Tempo (README)");
    assert_eq!(
        subnet.owner_hotkey, "5HBFHduzPyPhw8jnki2uBuh9G7QjJJTLaB6v9baNyD27VwsD",
        "SN92 owner hotkey (README)"
    );
    assert_eq!(
        subnet.moving_price,
        units::f64_from_i96f32(5_834_416),
        "SN92 SubnetMovingPrice bits (README)"
    );
    assert_eq!(
        subnet.lifecycle,
        Lifecycle::Active,
        "SN92 has a FirstEmissionBlockNumber"
    );
    assert_eq!(
        subnet.immunity_ends_at,
        Some(subnet.registered_at + 864_000),
        "SN92 NetworkRegisteredAt + NetworkImmunityPeriod (864,000, README)"
    );
}

/// 2. `current_alpha_price_all`, decoded against the output type finney declares for it (July's
///    spec 425 metadata: 475's V14 has no runtime API section), gives the README's prices.
#[test]
fn every_alpha_price_decodes_to_the_readmes_figures() {
    let metadata = metadata_july();
    let recording = Recording::spec_475();
    let answer = recording.call_475("SwapRuntimeApi_current_alpha_price_all", "0x");
    let value = decode_output(&metadata, "SwapRuntimeApi", "current_alpha_price_all", &answer)
        .expect("current_alpha_price_all decodes whole");
    let prices: BTreeMap<u16, u64> = as_list(&value)
        .expect("a list")
        .into_iter()
        .map(|entry| {
            (
                field(entry, "netuid").and_then(as_u16).expect("a netuid"),
                field(entry, "price").and_then(as_u64).expect("a price"),
            )
        })
        .collect();
    assert_eq!(prices.len(), 129, "current_alpha_price_all entries (README)");
    assert_eq!(
        prices.keys().copied().collect::<Vec<_>>(),
        (0..=128).collect::<Vec<_>>(),
        "netuids 0–128"
    );
    for (netuid, figure, what) in [
        (0, 1_000_000_000, "root"),
        (1, 6_562_800, "SN1"),
        (2, 2_963_863, "SN2"),
        (64, 69_683_926, "SN64"),
        (92, 1_348_210, "SN92"),
    ] {
        assert_eq!(prices[&netuid], figure, "{what}'s price, rao per α (README)");
    }
    let lowest = prices.iter().min_by_key(|(_, price)| **price).expect("prices");
    assert_eq!(
        (*lowest.0, *lowest.1),
        (16, 902_801),
        "the lowest price: SN16's (README)"
    );
}

/// 3a. The share pools' `SafeFloat` values (`AlphaV2`, `TotalHotkeySharesV2`) read as the stake
///     queries read them, equal to plain little-endian `{ mantissa: u128, exponent: i64 }`; the
///     legacy `Alpha` and `TotalHotkeyShares` keys are absent at 475.
#[test]
fn safe_float_shares_read_as_the_stake_queries_read_them() {
    let metadata = metadata_475();
    let recording = Recording::spec_475();
    let mut read = 0;
    for name in ["AlphaV2", "TotalHotkeySharesV2"] {
        let item = Item::new(&metadata, "SubtensorModule", name).expect("declared at 475");
        for (args, bytes) in recording.storage_of(&format!("SubtensorModule.{name}")) {
            let share = item
                .read(Some(&bytes), "a share count", stake::as_share_count)
                .expect("decodes")
                .expect("present");
            let (mantissa, exponent) = <(u128, i64)>::decode(&mut &bytes[..]).expect("u128 then i64");
            assert_eq!((share.mantissa, share.exponent), (mantissa, exponent), "{name}{args}");
            assert!(
                share.mantissa > 0 && share.exponent < 0,
                "{name}{args}: a share count, {share:?}"
            );
            read += 1;
        }
        let legacy = name.trim_end_matches("V2");
        assert!(
            recording.storage_of(&format!("SubtensorModule.{legacy}")).is_empty()
                && recording
                    .entries("state_getStorage")
                    .any(|e| e["item"] == format!("SubtensorModule.{legacy}")),
            "the legacy {legacy} was read and is absent (README)"
        );
    }
    assert_eq!(read, 11, "one AlphaV2 and ten TotalHotkeySharesV2 values recorded");
}

/// 3b. `Delegates` (a take, `PerU16`) reads as a u16 proportion, as the validators and stake
///     queries read it.
#[test]
fn delegate_takes_read_as_u16_proportions() {
    let metadata = metadata_475();
    let recording = Recording::spec_475();
    let item = Item::new(&metadata, "SubtensorModule", "Delegates").expect("declared at 475");
    let takes: Vec<u16> = recording
        .storage_of("SubtensorModule.Delegates")
        .iter()
        .map(|(_, bytes)| {
            item.read(Some(bytes), "u16", as_u16)
                .expect("decodes")
                .expect("present")
        })
        .collect();
    let mut takes = takes;
    takes.sort_unstable();
    // Decoded here from the recorded bytes as little-endian u16s: 0x0ccc, 0x15c2, seven 0x170a,
    // 0x2e14.
    assert_eq!(
        takes,
        [3_276, 5_570, 5_898, 5_898, 5_898, 5_898, 5_898, 5_898, 5_898, 11_796],
        "the ten recorded Delegates takes"
    );
    assert!(
        (units::proportion_from_u16(11_796) - 0.18).abs() < 0.0001,
        "11,796 / 65,535 is the default 18 % take"
    );
}

/// 3c. The runtime version (`state_getRuntimeVersion`, the `spec` chainHead reports alike) reads
///     through the follower's event reader as spec 475 of `node-subtensor`.
#[test]
fn the_runtime_version_reads_as_spec_475() {
    let recording = Recording::spec_475();
    let spec = recording.result("state_getRuntimeVersion").clone();
    let event = json!({
        "event": "initialized",
        "finalizedBlockHashes": [recording.0["block_hash"]],
        "finalizedBlockRuntime": {"type": "valid", "spec": spec},
    });
    let FollowEvent::Initialized {
        finalized_block_runtime: Some(runtime),
        ..
    } = FollowEvent::parse(event).expect("reads")
    else {
        panic!("an initialized event with a runtime");
    };
    assert_eq!(runtime.spec_name, "node-subtensor", "specName");
    assert_eq!(runtime.spec_version, 475, "specVersion");
    assert_eq!(
        spec["apis"].as_array().map(Vec::len),
        Some(25),
        "25 runtime APIs (README)"
    );
}

/// 4. The recorded header hashes, as the light client hashes headers, to the recorded block hash.
#[test]
fn the_header_hashes_to_the_recorded_block_hash() {
    let recording = Recording::spec_475();
    let header = recording.result("chain_getHeader");
    assert_eq!(
        header["number"],
        format!("0x{BLOCK_475:x}"),
        "the header is block 9,240,388's"
    );
    let hash = checkpoint::block_hash_from_json_header(header).expect("the header encodes");
    assert_eq!(
        to_hex(&hash),
        recording.0["block_hash"].as_str().expect("block_hash"),
        "block 9,240,388's hash"
    );
    let mut altered = header.clone();
    altered["stateRoot"] = json!(format!("0x{}", "00".repeat(32)));
    let altered = checkpoint::block_hash_from_json_header(&altered).expect("encodes");
    assert_ne!(altered, hash, "another state root, another hash");
}

/// 5. The subnet-pruning rule over the subnets reader's view of the real per-netuid columns picks
///    SN92, as the runtime's `get_subnet_to_prune` does.
#[test]
fn the_pruning_rule_picks_the_subnet_the_runtime_picks() {
    let metadata = metadata_475();
    let recording = Recording::spec_475();
    let (subnets, _) = fake_chain::run(&metadata, &recording.storage(), &[], subnets::all()).expect("subnets() reads");
    assert_eq!(
        subnets.len(),
        129,
        "NetworksAdded lists netuids 0–128 (129–144 absent, README)"
    );
    let not_started: Vec<u16> = subnets
        .iter()
        .filter(|s| s.lifecycle == Lifecycle::NotStarted)
        .map(|s| s.netuid)
        .collect();
    assert_eq!(
        not_started,
        [59, 82, 86],
        "subnets with no FirstEmissionBlockNumber (README)"
    );
    let eligible = subnets
        .iter()
        .filter(|s| s.netuid != 0 && s.immunity_ends_at.is_some_and(|end| BLOCK_475 >= end))
        .count();
    assert_eq!(eligible, 113, "subnets past their immunity at 9,240,388 (README)");

    let runtime_answer = recording.call_475("SubnetInfoRuntimeApi_get_subnet_to_prune", "0x");
    assert_eq!(
        to_hex(&runtime_answer),
        "0x015c00",
        "get_subnet_to_prune's recorded answer (README)"
    );
    let runtime_pick = Option::<u16>::decode(&mut &runtime_answer[..]).expect("an Option<u16>");
    assert_eq!(
        model::subnet_to_prune(&subnets, BLOCK_475),
        runtime_pick,
        "the subnet to prune"
    );
    assert_eq!(runtime_pick, Some(SN92));
}

/// 6. The overview (the step machine the overview page runs) reads the block emission from the
///    runtime's `get_block_emission` (0.5 τ), never from the stale `BlockEmission` storage (1 τ).
///    475's V14 metadata has no runtime API section: the method is declared here with no
///    arguments and a u64 answer (the recorded answer's 8 bytes, as the devnet declares it);
///    without it the overview says why it has no block emission.
#[test]
fn the_overview_reads_the_runtimes_block_emission_not_the_stale_storage() {
    let mut metadata = metadata_475();
    let recording = Recording::spec_475();
    let state = recording.storage();
    let stale = Item::new(&metadata, "SubtensorModule", "BlockEmission").expect("declared");
    let stale_value = state
        .iter()
        .find(|(key, _)| *key == stale.key(&[]))
        .map(|(_, value)| stale.read(Some(value), "u64", as_u64).expect("decodes"));
    assert_eq!(
        stale_value,
        Some(Some(1_000_000_000)),
        "BlockEmission storage says 1 τ (README)"
    );
    let runtime = model::RuntimeVersion {
        spec_name: "node-subtensor".into(),
        spec_version: 475,
    };
    let function = "SubnetInfoRuntimeApi_get_block_emission";
    let calls = [(function, recording.call_475(function, "0x"))];

    let (without_api, _) = fake_chain::run(&metadata, &state, &calls, overview::query(runtime.clone())).expect("reads");
    assert_eq!(
        without_api.block_emission,
        BlockEmission::Unread {
            why: "this runtime has no SubnetInfoRuntimeApi.get_block_emission".into()
        },
        "a runtime without the call: no figure, and why"
    );

    let output = u64_type(&metadata);
    metadata.declare_api_method(
        "SubnetInfoRuntimeApi",
        "get_block_emission",
        ApiMethod {
            inputs: Vec::new(),
            output,
        },
    );
    let (overview, rounds) = fake_chain::run(&metadata, &state, &calls, overview::query(runtime)).expect("reads");
    assert_eq!(rounds, 1, "the call and the storage in one round");
    assert_eq!(
        overview.block_emission,
        BlockEmission::Rao(500_000_000),
        "get_block_emission, rao per block (README)"
    );
    assert_eq!(
        overview.total_issuance_rao, 11_597_622_104_454_806,
        "SubtensorModule.TotalIssuance, 0x9676c6d1f9332900 little-endian"
    );
    assert_eq!(overview.subnet_count, 129, "NetworksAdded");
}

/// 7. The swap quote reader decodes `sim_swap_tao_for_alpha` and `sim_swap_alpha_for_tao`
///    answers under the `SimSwapResult` finney declares (July's spec 425 metadata: 475's V14 has
///    no runtime API section; the answer must decode whole).
#[test]
fn swap_quotes_decode_to_the_runtimes_figures() {
    let metadata = metadata_july();
    let recording = Recording::spec_475();
    let quote = |direction: SwapDirection, amount: u64| -> SwapQuote {
        let read = RuntimeApiRead::SwapQuote {
            netuid: SN92,
            direction,
            amount,
        };
        let function = read.function();
        let output = recording.call_475(&function, &hex::encode(read.arguments()));
        let calls = [(function.as_str(), output)];
        let (quote, _) =
            fake_chain::run(&metadata, &[], &calls, swap::query(SN92, direction, amount)).expect("a quote");
        quote
    };
    let tao = 1_000_000_000;
    let buy_10 = quote(SwapDirection::TaoForAlpha, 10 * tao);
    assert_eq!(
        (
            buy_10.tao_amount,
            buy_10.alpha_amount,
            buy_10.tao_fee,
            buy_10.alpha_fee,
            buy_10.tao_slippage,
            buy_10.alpha_slippage
        ),
        (9_994_964_523, 7_289_425_629_146, 5_035_477, 0, 0, 127_811_335_036),
        "sim_swap_tao_for_alpha(92, 10 τ): tao, alpha, tao fee, alpha fee, tao slippage, alpha slippage (README)"
    );
    let buy_100 = quote(SwapDirection::TaoForAlpha, 100 * tao);
    let checks = &recording.0["fixture_checks"]["sim_buy_100tao"];
    assert_eq!(
        (
            buy_100.tao_amount,
            buy_100.alpha_amount,
            buy_100.tao_fee,
            buy_100.alpha_slippage
        ),
        (
            checks["tao_amount"].as_u64().expect("figure"),
            checks["alpha_amount"].as_u64().expect("figure"),
            checks["tao_fee"].as_u64().expect("figure"),
            checks["alpha_slippage"].as_u64().expect("figure"),
        ),
        "sim_swap_tao_for_alpha(92, 100 τ) against the recording's fixture checks"
    );
    assert_eq!(
        buy_100.tao_amount + buy_100.tao_fee,
        100 * tao,
        "100 τ in: the pool's part and the fee"
    );
    let sell = quote(SwapDirection::AlphaForTao, 1_000 * tao);
    assert_eq!(
        sell.alpha_amount + sell.alpha_fee,
        1_000 * tao,
        "1,000 α in: the pool's part and the fee ({sell:?})"
    );
    assert_eq!(
        (sell.tao_fee, sell.alpha_slippage),
        (0, 0),
        "an unstake pays its fee in α and slips in TAO: {sell:?}"
    );
    assert!(
        sell.tao_amount > 0 && sell.tao_amount < 1_000 * 1_348_210,
        "1,000 α sell for less than at the spot price of 1,348,210 rao: {sell:?}"
    );
}

/// 8. The spec-475 contract (`contract::finney_475`, written out from the SDK catalog and the
///    runtime's sources) against finney's real 475 metadata: every storage item Taoscope reads
///    has the contract's hashers, key types and value type. V14 has no runtime API section, so
///    the contract's methods are all reported missing, and nothing else is.
#[test]
fn the_475_contract_matches_finneys_475_metadata_item_by_item() {
    let findings = finney_475::check(&metadata_475());
    for finding in &findings {
        println!("finney 475 metadata: {finding}");
    }
    let api_names: Vec<String> = finney_475::RUNTIME_APIS
        .iter()
        .map(|(api, method)| format!("{api}_{method}"))
        .collect();
    let (missing_apis, failures): (Vec<_>, Vec<_>) = findings
        .iter()
        .filter(|finding| finding.is_failure())
        .partition(|finding| matches!(finding, finney_475::Finding::Missing(name) if api_names.contains(name)));
    assert!(
        failures.is_empty(),
        "the 475 contract differs from finney's 475 metadata:\n{}",
        failures.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
    );
    assert_eq!(
        missing_apis.len(),
        api_names.len(),
        "V14 declares no runtime API method"
    );
}

/// 9. The metagraph reader over finney's `get_selective_mechagraph(1, 0, every field)` answer at
///    spec 343, decoded under that runtime's own V15 metadata: 1,024 uids of "Apex", tempo 99.
#[test]
fn the_metagraph_reader_reads_a_real_1024_uid_metagraph() {
    let metadata = real_metadata("metadata-finney-spec343-v15.scale.gz");
    let recording = Recording::read("finney-spec343-b6852690-metagraph-sn1.json");
    let call = recording
        .entries("state_call")
        .find(|entry| entry["params"][0] == "SubnetInfoRuntimeApi_get_selective_mechagraph")
        .expect("get_selective_mechagraph is recorded");
    let arguments = from_hex(call["params"][1].as_str().expect("arguments"));
    let (netuid, mechanism, fields) = <(u16, u8, Vec<u16>)>::decode(&mut &arguments[..]).expect("the call's arguments");
    assert_eq!(
        (netuid, mechanism, fields.len()),
        (1, 0, 74),
        "mechagraph(1, 0, 74 fields)"
    );
    let answer = from_hex(call["result"].as_str().expect("an answer"));

    // The reader decodes against `get_selective_metagraph`'s declared output, which is
    // mechanism 0's `get_selective_mechagraph` answer, of the same type.
    let declared = |method| {
        metadata
            .api_method("SubnetInfoRuntimeApi", method)
            .expect("declared at 343")
            .output
    };
    assert_eq!(
        declared("get_selective_metagraph"),
        declared("get_selective_mechagraph"),
        "both answer an Option<SelectiveMetagraph>"
    );
    let read = RuntimeApiRead::MetagraphView {
        netuid: 1,
        mechanism: 0,
    };
    let value = read
        .decode_answer(&metadata, &answer)
        .expect("the answer decodes whole");
    // The call has no validator trust, and the recording did not read it: 1,024 zeros stand
    // in for the vector the reader reads alongside; nothing below depends on them.
    let trust = Item::new(&metadata, "SubtensorModule", "ValidatorTrust").expect("declared at 343");
    let side = [(
        trust.key(&[&1u16.to_le_bytes()]),
        codec::Encode::encode(&vec![0u16; 1_024]),
    )];
    let metagraph = metagraph::assemble_from_call(&metadata, 1, 0, &value, &side).expect("assembles");

    assert_eq!(metagraph.neurons.len(), 1_024, "SN1's uids at 6,852,690 (README)");
    let hotkeys: Vec<&str> = metagraph.neurons.iter().take(3).map(|n| n.hotkey.as_str()).collect();
    assert_eq!(
        hotkeys,
        [
            "5DkMmXtWf16RNdusZGCrJ7ca7ADPgRnZLVWCWbgA7s7sy1AQ",
            "5Ea2RVY5RHhYDv9HekbEWbucwDFFWY8C4mu824QpfJtHUrTo",
            "5Co2DqSbivv7eboXxzWuXzFQSAN2iC2T6oBZq1vk5VM1UfwE",
        ],
        "the first three hotkeys (README)"
    );
    assert!(
        metagraph
            .neurons
            .iter()
            .enumerate()
            .all(|(index, n)| usize::from(n.uid) == index),
        "uids in order"
    );
    let selected = as_option(&value).flatten().expect("Some(metagraph)");
    let present = |name: &str| field(selected, name).and_then(as_option).flatten();
    let name = present("name").and_then(as_bytes).expect("a name");
    assert_eq!(String::from_utf8_lossy(&name), "Apex", "SN1's name (README)");
    assert_eq!(present("tempo").and_then(as_u16), Some(99), "SN1's tempo (README)");
    assert_eq!(
        present("max_uids").and_then(as_u16),
        Some(1_024),
        "SN1's max uids (README)"
    );
    assert_eq!(
        present("alpha_in").and_then(as_u64),
        Some(2_316_467_425_363_654),
        "SN1's alpha_in (README)"
    );
    assert_eq!(
        present("tao_in").and_then(as_u64),
        Some(22_079_400_556_774),
        "SN1's tao_in (README)"
    );
}

/// 10. A real finney metadata in V16 (spec 393) reads, storage and runtime APIs alike.
#[test]
fn finneys_v16_metadata_reads() {
    let metadata = real_metadata("metadata-finney-spec393-v16.scale.gz");
    assert!(
        metadata.storage_item("SubtensorModule", "SubnetTAO").is_some(),
        "SubtensorModule.SubnetTAO at 393"
    );
    assert!(
        metadata
            .api_method("SubnetInfoRuntimeApi", "get_selective_metagraph")
            .is_some(),
        "SubnetInfoRuntimeApi.get_selective_metagraph at 393"
    );
    assert!(
        metadata
            .api_method("SwapRuntimeApi", "sim_swap_tao_for_alpha")
            .is_some(),
        "SwapRuntimeApi.sim_swap_tao_for_alpha at 393"
    );
}

/// 11. SN92's epoch spacing and emission policy, as the subnet reader reads the recorded storage:
///     the runtime's rule over `LastEpochBlock` (9,240,135), `Tempo` (360) and `PendingEpochAt`
///     (not recorded: absent, so none pending) starts the next epoch where the runtime's recorded
///     `get_next_epoch_start_block(92)` says, 360 blocks on (spec 475 spaces epochs by `tempo`,
///     not `tempo + 1`); `SubnetEmissionEnabled[92]` (`0x01`) reads as enabled.
#[test]
fn the_subnet_reader_spaces_sn92s_epochs_as_the_runtime_and_reads_its_emission_policy() {
    let metadata = metadata_475();
    let recording = Recording::spec_475();
    let state = recording.storage();
    let pending = Item::new(&metadata, "SubtensorModule", "PendingEpochAt").expect("declared at 475");
    assert!(
        !state.iter().any(|(key, _)| *key == pending.key(&[&SN92.to_le_bytes()])),
        "PendingEpochAt[92] is not recorded"
    );
    let enabled = Item::new(&metadata, "SubtensorModule", "SubnetEmissionEnabled").expect("declared at 475");
    let recorded_flag = state
        .iter()
        .find(|(key, _)| *key == enabled.key(&[&SN92.to_le_bytes()]))
        .map(|(_, value)| to_hex(value));
    assert_eq!(
        recorded_flag.as_deref(),
        Some("0x01"),
        "SubnetEmissionEnabled[92] (README)"
    );

    let (subnet, _) = fake_chain::run(&metadata, &state, &[], subnets::one(SN92)).expect("subnet(92) reads");
    let subnet = subnet.expect("subnet 92 exists");
    assert!(subnet.emission_enabled, "0x01 reads as enabled");

    let answer = recording.call_475("SubnetInfoRuntimeApi_get_next_epoch_start_block", "5c00");
    assert_eq!(to_hex(&answer), "0x01afff8c0000000000", "the recorded answer (README)");
    let runtime_next = Option::<u64>::decode(&mut &answer[..]).expect("an Option<u64>");
    assert_eq!(runtime_next, Some(9_240_495), "get_next_epoch_start_block(92) (README)");
    assert_eq!(
        subnet.epoch_spacing,
        Some(EpochSpacing {
            blocks: 360,
            last_epoch_block: 9_240_135,
            next_epoch_start: 9_240_495,
        }),
        "LastEpochBlock[92] 0x47fe8c0000000000 + Tempo 360, none pending"
    );
    assert_eq!(
        subnet.epoch_spacing.map(|s| s.next_epoch_start),
        runtime_next,
        "the reader's next epoch start against the runtime's"
    );
}
