//! Typed queries through the light client equal an independent read of the same finalized block
//! through the devnet node's own RPC, decoded here with plain SCALE decoding of the known shapes:
//! one test per query, each with its own light client on the shared devnet.

use std::future::Future;

use codec::Decode;
use devnet_runner::Devnet;
use light_client::BlockRef;
use light_client::client::{LightClient, QueryError};
use light_client::keys::{Hasher, map_key};
use light_client::model::{ConsensusMode, Lifecycle, MetagraphSource, PriceMethod};
use light_client::{platform, ss58};
use taoscope_integration_tests::{finalized_at_least, from_hex, to_hex, within};

/// Reads `SubtensorModule.item` at `hash` from the node and decodes it as `T` (None if absent).
fn node_read<T: Decode>(devnet: &Devnet, hash: &str, item: &str, keys: &[(Hasher, &[u8])]) -> Option<T> {
    let key = map_key("SubtensorModule", item, keys);
    let value = devnet
        .rpc("state_getStorage", serde_json::json!([to_hex(&key), hash]))
        .expect("node RPC");
    value
        .as_str()
        .map(|hex| T::decode(&mut &from_hex(hex)[..]).unwrap_or_else(|e| panic!("{item}: {e}")))
}

#[derive(Decode)]
struct Identity {
    subnet_name: Vec<u8>,
    _github_repo: Vec<u8>,
    _subnet_contact: Vec<u8>,
    _subnet_url: Vec<u8>,
    _discord: Vec<u8>,
    _description: Vec<u8>,
    _logo_url: Vec<u8>,
    _additional: Vec<u8>,
}

/// Runs `check` with the shared devnet, a light client on it, and a finalized block past the
/// devnet's first epoch (block 10 with the `small` preset's tempo), whose data is all filled.
fn at_a_finalized_block<Check, Checked>(check: Check)
where
    Check: FnOnce(Devnet, LightClient, BlockRef) -> Checked,
    Checked: Future<Output = ()>,
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

/// The little-endian key of a subnet id (its `Identity`-hashed map key).
fn id(netuid: u16) -> [u8; 2] {
    netuid.to_le_bytes()
}

#[test]
fn subnets_equal_the_nodes_reads() {
    at_a_finalized_block(|devnet, client, block| async move {
        let hash = block.hash.clone();
        let subnets = within(120, "subnets()", client.subnets(&block)).await.expect("subnets");
        assert_eq!(subnets.block_hash, hash);
        assert!(subnets.is_verified());
        let netuids: Vec<u16> = subnets.data.iter().map(|s| s.netuid).collect();
        assert_eq!(
            netuids,
            [0, 1, 2, 3, 4, 5],
            "root, four subnets and the one not reportable"
        );
        let lifecycles: Vec<Lifecycle> = subnets.data.iter().map(|s| s.lifecycle.clone()).collect();
        assert_eq!(lifecycles[1..5], [const { Lifecycle::Active }; 4]);
        assert_eq!(lifecycles[5], Lifecycle::NotReportable, "NetworksAdded[5] is false");
        let modes: Vec<ConsensusMode> = subnets.data.iter().map(|s| s.consensus).collect();
        assert_eq!(modes[3], ConsensusMode::Null, "subnet 3 runs Null consensus");
        assert!(
            modes
                .iter()
                .enumerate()
                .all(|(netuid, mode)| netuid == 3 || *mode == ConsensusMode::Yuma)
        );
        let mechanisms: Vec<u8> = subnets.data.iter().map(|s| s.mechanisms).collect();
        assert_eq!(mechanisms[1..5], [1, 2, 1, 1], "subnet 2 runs two mechanisms");
        let split = &subnets.data[2].mechanism_split;
        assert_eq!(split.len(), 2);
        assert!((split[0] - 45_875.0 / 65_535.0).abs() < 1e-12, "{split:?}");

        // One subnet read alone equals its entry in the whole list; an absent one is None.
        for listed in &subnets.data {
            let alone = within(60, "subnet()", client.subnet(&block, listed.netuid))
                .await
                .expect("subnet");
            assert_eq!(alone.data.as_ref(), Some(listed), "subnet({}) alone", listed.netuid);
        }
        let absent = within(60, "subnet()", client.subnet(&block, 999))
            .await
            .expect("subnet");
        assert_eq!(absent.data, None, "subnet 999 does not exist");

        for netuid in [1u16, 2] {
            let subnet = subnets.data.iter().find(|s| s.netuid == netuid).expect("subnet listed");
            let n = id(netuid);
            let identity = [(Hasher::Identity, &n[..])];
            let u64_of = |item| node_read::<u64>(&devnet, &hash, item, &identity).unwrap_or_default();
            let u16_of = |item| node_read::<u16>(&devnet, &hash, item, &identity).unwrap_or_default();
            assert_eq!(subnet.tao_in_rao, u64_of("SubnetTAO"));
            assert_eq!(subnet.alpha_in, u64_of("SubnetAlphaIn"));
            assert_eq!(subnet.alpha_out, u64_of("SubnetAlphaOut"));
            assert_eq!(
                subnet.tao_emission_per_block_rao,
                u64_of("SubnetTaoInEmission") + u64_of("SubnetExcessTao")
            );
            assert_eq!(subnet.alpha_in_emission, u64_of("SubnetAlphaInEmission"));
            assert_eq!(subnet.alpha_out_emission, u64_of("SubnetAlphaOutEmission"));
            assert_eq!(subnet.registration_cost_rao, u64_of("Burn"));
            assert_eq!(subnet.registered_at, u64_of("NetworkRegisteredAt"));
            assert_eq!(subnet.tempo, u16_of("Tempo"));
            assert_eq!(subnet.uids, u16_of("SubnetworkN"));
            assert_eq!(subnet.max_uids, u16_of("MaxAllowedUids"));
            assert_eq!(
                subnet.volume_rao,
                node_read::<u128>(&devnet, &hash, "SubnetVolume", &identity).unwrap()
            );
            let moving = node_read::<i128>(&devnet, &hash, "SubnetMovingPrice", &identity).unwrap();
            assert_eq!(subnet.moving_price, moving as f64 / 4_294_967_296.0);
            // Finney's balancer price, (1 − q)/q · TAO/α, from the raw Swap.SwapBalancer weight.
            let balancer = map_key("Swap", "SwapBalancer", &[(Hasher::Twox64Concat, &n[..])]);
            let q = devnet
                .rpc("state_getStorage", serde_json::json!([to_hex(&balancer), hash]))
                .expect("node RPC")
                .as_str()
                .map_or(500_000_000_000_000_000, |hex| {
                    u64::decode(&mut &from_hex(hex)[..]).expect("Perquintill")
                });
            let q = q as f64 / 1e18;
            let balancer_formula = (1.0 - q) / q * (u64_of("SubnetTAO") as f64 / u64_of("SubnetAlphaIn") as f64);
            let price = subnet.price.expect("every devnet pool is priced");
            // Where the pool is a superellipse curve, its price is b²·X / (a²·Y), never the
            // balancer formula (the page takes the runtime's answer there, rounded to rao).
            let superellipse = map_key("Swap", "SwapSuperellipse", &[(Hasher::Twox64Concat, &n[..])]);
            let curve = devnet
                .rpc("state_getStorage", serde_json::json!([to_hex(&superellipse), hash]))
                .expect("node RPC")
                .as_str()
                .map(|hex| <(u128, u128, i128, i128)>::decode(&mut &from_hex(hex)[..]).expect("Superellipse"));
            assert_eq!(curve.is_some(), netuid == 4, "subnet 4's pool alone is a superellipse");
            if let Some((a, b, center_alpha, center_tao)) = curve {
                let x = (center_alpha - i128::from(u64_of("SubnetAlphaIn")) * (1 << 32)) as f64;
                let y = (center_tao - i128::from(u64_of("SubnetTAO")) * (1 << 32)) as f64;
                let expected = (b as f64 / a as f64).powi(2) * x / y;
                assert!(
                    matches!(subnet.price_method, PriceMethod::RuntimeAnswer { .. }),
                    "subnet {netuid}: priced by {:?}",
                    subnet.price_method
                );
                assert!(
                    (price * 1e9 - expected * 1e9).abs() <= 1.0,
                    "subnet {netuid}: price {price} vs the superellipse's {expected}"
                );
                assert!(
                    (balancer_formula - expected).abs() > expected * 0.1,
                    "subnet {netuid}: the balancer formula would misprice the curve"
                );
            } else {
                assert_eq!(subnet.price_method, PriceMethod::BalancerFormula, "subnet {netuid}");
                assert!(
                    (price - balancer_formula).abs() <= balancer_formula * 1e-12,
                    "subnet {netuid}: price {price} vs {balancer_formula}"
                );
            }
            assert_eq!(
                netuid == 1,
                (q - 0.5).abs() > 1e-9,
                "subnet 1's pool is not 50/50, subnet 2's is"
            );
            let node_price = devnet
                .rpc(
                    "state_call",
                    serde_json::json!(["SwapRuntimeApi_current_alpha_price", to_hex(&n), hash]),
                )
                .expect("current_alpha_price");
            let node_price = u64::decode(&mut &from_hex(node_price.as_str().expect("hex"))[..]).expect("u64");
            assert!(
                (price * 1e9 - node_price as f64).abs() <= 1.0,
                "subnet {netuid}: price {price} vs the runtime's {node_price} rao per α"
            );
            let symbol = node_read::<Vec<u8>>(&devnet, &hash, "TokenSymbol", &identity).unwrap();
            assert_eq!(subnet.symbol.as_bytes(), &symbol[..]);
            let owner = node_read::<[u8; 32]>(&devnet, &hash, "SubnetOwner", &identity).unwrap();
            assert_eq!(subnet.owner_coldkey, ss58::encode(&owner));
            let owner_hotkey = node_read::<[u8; 32]>(&devnet, &hash, "SubnetOwnerHotkey", &identity).unwrap();
            assert_eq!(subnet.owner_hotkey, ss58::encode(&owner_hotkey));
            let named = node_read::<Identity>(
                &devnet,
                &hash,
                "SubnetIdentitiesV3",
                &[(Hasher::Blake2_128Concat, &n[..])],
            )
            .expect("devnet subnets have identities");
            assert_eq!(subnet.name.as_bytes(), &named.subnet_name[..]);
        }
    });
}

#[test]
fn metagraphs_equal_the_nodes_reads() {
    at_a_finalized_block(|devnet, client, block| async move {
        let hash = block.hash.clone();
        for netuid in [1u16, 2] {
            let n = id(netuid);
            let identity = [(Hasher::Identity, &n[..])];
            let uids = node_read::<u16>(&devnet, &hash, "SubnetworkN", &identity).unwrap_or_default();
            let metagraph = within(120, "metagraph()", client.metagraph(&block, netuid))
                .await
                .expect("metagraph");
            assert_eq!(metagraph.block_hash, hash);
            assert_eq!(
                metagraph.data.source,
                MetagraphSource::RuntimeCall,
                "the devnet's runtime serves get_selective_metagraph, so its call proof is used"
            );
            let from_storage = within(
                120,
                "metagraph_from_storage()",
                client.metagraph_from_storage(&block, netuid, 0),
            )
            .await
            .expect("metagraph from storage");
            assert!(
                matches!(&from_storage.data.source, MetagraphSource::StorageReads { why } if why.contains("asked")),
                "{:?}",
                from_storage.data.source
            );
            assert_eq!(
                from_storage.data.neurons, metagraph.data.neurons,
                "both read paths give the same neurons"
            );
            let vector_u16 = |item| node_read::<Vec<u16>>(&devnet, &hash, item, &identity).unwrap_or_default();
            let vector_u64 = |item| node_read::<Vec<u64>>(&devnet, &hash, item, &identity).unwrap_or_default();
            let vector_bool = |item| node_read::<Vec<bool>>(&devnet, &hash, item, &identity).unwrap_or_default();
            let (incentive, dividends, trust, consensus) = (
                vector_u16("Incentive"),
                vector_u16("Dividends"),
                vector_u16("ValidatorTrust"),
                vector_u16("Consensus"),
            );
            let (emission, last_update) = (vector_u64("Emission"), vector_u64("LastUpdate"));
            let (active, permit) = (vector_bool("Active"), vector_bool("ValidatorPermit"));
            assert_eq!(metagraph.data.neurons.len(), usize::from(uids));
            for neuron in &metagraph.data.neurons {
                let uid = usize::from(neuron.uid);
                let u = neuron.uid.to_le_bytes();
                let hotkey = node_read::<[u8; 32]>(
                    &devnet,
                    &hash,
                    "Keys",
                    &[(Hasher::Identity, &n[..]), (Hasher::Identity, &u[..])],
                )
                .unwrap();
                assert_eq!(neuron.hotkey, ss58::encode(&hotkey));
                let coldkey =
                    node_read::<[u8; 32]>(&devnet, &hash, "Owner", &[(Hasher::Blake2_128Concat, &hotkey[..])]).unwrap();
                assert_eq!(neuron.coldkey, ss58::encode(&coldkey));
                let stake = node_read::<u64>(
                    &devnet,
                    &hash,
                    "TotalHotkeyAlpha",
                    &[(Hasher::Blake2_128Concat, &hotkey[..]), (Hasher::Identity, &n[..])],
                )
                .unwrap_or_default();
                assert_eq!(neuron.stake_alpha, stake);
                let registered = node_read::<u64>(
                    &devnet,
                    &hash,
                    "BlockAtRegistration",
                    &[(Hasher::Identity, &n[..]), (Hasher::Identity, &u[..])],
                )
                .unwrap_or_default();
                assert_eq!(neuron.registered_at, registered);
                let proportion = |v: &[u16]| f64::from(v[uid]) / 65_535.0;
                assert_eq!(neuron.incentive, proportion(&incentive));
                assert_eq!(neuron.dividends, proportion(&dividends));
                assert_eq!(neuron.validator_trust, proportion(&trust));
                assert_eq!(neuron.consensus, proportion(&consensus));
                assert_eq!(neuron.emission_alpha, emission[uid]);
                assert_eq!(neuron.last_update, last_update[uid]);
                assert_eq!(neuron.active, active[uid]);
                assert_eq!(neuron.validator_permit, permit[uid]);
                assert!(
                    neuron.axon.as_deref().is_some_and(|a| a.ends_with(":8091")),
                    "{:?}",
                    neuron.axon
                );
            }
            assert!(
                metagraph.data.neurons.iter().any(|n| n.validator_permit),
                "the epoch gave permits"
            );
            assert!(
                metagraph.data.neurons.iter().any(|n| n.incentive > 0.0),
                "the epoch paid incentive"
            );
        }
    });
}

#[test]
fn a_second_mechanism_reads_its_own_storage_index() {
    at_a_finalized_block(|devnet, client, block| async move {
        let hash = block.hash.clone();
        // Subnet 2's second mechanism: its incentive and last updates are the node's storage at
        // index 2 + 1·4096, both through get_selective_mechagraph and from storage.
        let index = (2u16 + 4096).to_le_bytes();
        let at_index = [(Hasher::Identity, &index[..])];
        let incentive = node_read::<Vec<u16>>(&devnet, &hash, "Incentive", &at_index).expect("Incentive[4098]");
        let last_update = node_read::<Vec<u64>>(&devnet, &hash, "LastUpdate", &at_index).expect("LastUpdate[4098]");
        let second = within(120, "mechagraph()", client.mechagraph(&block, 2, 1))
            .await
            .expect("mechagraph");
        assert_eq!((second.data.netuid, second.data.mechanism), (2, 1));
        assert_eq!(second.data.source, MetagraphSource::RuntimeCall);
        let shown: Vec<f64> = second.data.neurons.iter().map(|n| n.incentive).collect();
        let stored: Vec<f64> = incentive.iter().map(|v| f64::from(*v) / 65_535.0).collect();
        assert_eq!(shown, stored, "mechanism 1's incentive is Incentive[netuid + 4096]");
        let updates: Vec<u64> = second.data.neurons.iter().map(|n| n.last_update).collect();
        assert_eq!(updates, last_update);
        let from_storage = within(
            120,
            "mechagraph from storage",
            client.metagraph_from_storage(&block, 2, 1),
        )
        .await
        .expect("mechagraph from storage");
        assert_eq!(from_storage.data.neurons, second.data.neurons, "both read paths agree");
        let first = within(120, "metagraph()", client.metagraph(&block, 2))
            .await
            .expect("metagraph");
        let first_incentive: Vec<f64> = first.data.neurons.iter().map(|n| n.incentive).collect();
        assert_ne!(first_incentive, shown, "the two mechanisms' incentives differ");
        assert!(shown.iter().any(|v| *v > 0.0), "mechanism 1 paid incentive");
    });
}

#[test]
fn validators_equal_the_delegates_seats_found_from_uids() {
    at_a_finalized_block(|devnet, client, block| async move {
        let hash = block.hash.clone();
        // Validators: found here the other way round, from each delegate's `Uids` entry per subnet.
        let validators = within(120, "validators()", client.validators(&block))
            .await
            .expect("validators");
        assert_eq!(validators.block_hash, hash);
        let delegates_prefix = map_key("SubtensorModule", "Delegates", &[]);
        let delegate_keys = devnet
            .rpc(
                "state_getKeysPaged",
                serde_json::json!([to_hex(&delegates_prefix), 1000, null, hash]),
            )
            .expect("state_getKeysPaged");
        let delegate_keys = delegate_keys.as_array().expect("keys");
        assert!(!delegate_keys.is_empty(), "the devnet has delegates");
        assert_eq!(validators.data.len(), delegate_keys.len());
        for key in delegate_keys {
            let key = from_hex(key.as_str().expect("hex key"));
            let hotkey: [u8; 32] = key[key.len() - 32..].try_into().unwrap();
            let validator = validators
                .data
                .iter()
                .find(|v| v.hotkey == ss58::encode(&hotkey))
                .expect("every delegate is listed");
            let take =
                node_read::<u16>(&devnet, &hash, "Delegates", &[(Hasher::Blake2_128Concat, &hotkey[..])]).unwrap();
            assert_eq!(validator.take, f64::from(take) / 65_535.0);
            let mut expected_seats = Vec::new();
            for netuid in 0u16..=5 {
                let n = id(netuid);
                let uid = node_read::<u16>(
                    &devnet,
                    &hash,
                    "Uids",
                    &[(Hasher::Identity, &n[..]), (Hasher::Blake2_128Concat, &hotkey[..])],
                );
                let permits = node_read::<Vec<bool>>(&devnet, &hash, "ValidatorPermit", &[(Hasher::Identity, &n[..])])
                    .unwrap_or_default();
                if let Some(uid) = uid.filter(|uid| permits.get(usize::from(*uid)) == Some(&true)) {
                    expected_seats.push((netuid, uid));
                }
            }
            let seats: Vec<_> = validator.subnets.iter().map(|s| (s.netuid, s.uid)).collect();
            assert_eq!(seats, expected_seats, "permit seats of {}", validator.hotkey);
            for seat in &validator.subnets {
                let n = id(seat.netuid);
                let trust =
                    node_read::<Vec<u16>>(&devnet, &hash, "ValidatorTrust", &[(Hasher::Identity, &n[..])]).unwrap();
                assert_eq!(seat.validator_trust, f64::from(trust[usize::from(seat.uid)]) / 65_535.0);
                assert_eq!(seat.null_consensus, seat.netuid == 3, "subnet 3 runs Null consensus");
                let stake = node_read::<u64>(
                    &devnet,
                    &hash,
                    "TotalHotkeyAlpha",
                    &[(Hasher::Blake2_128Concat, &hotkey[..]), (Hasher::Identity, &n[..])],
                )
                .unwrap_or_default();
                assert_eq!(seat.stake_alpha, stake);
                let dividends = node_read::<u64>(
                    &devnet,
                    &hash,
                    "AlphaDividendsPerSubnet",
                    &[(Hasher::Identity, &n[..]), (Hasher::Blake2_128Concat, &hotkey[..])],
                )
                .unwrap_or_default();
                assert_eq!(seat.dividends_alpha, dividends);
            }
        }
        assert!(
            validators.data.iter().any(|v| !v.subnets.is_empty()),
            "some delegate validates somewhere"
        );
        // One delegate read alone (its seats through Uids) equals its entry in the whole list.
        for listed in &validators.data {
            let alone = within(60, "validator()", client.validator(&block, &listed.hotkey))
                .await
                .expect("validator");
            assert_eq!(alone.data.as_ref(), Some(listed), "validator({}) alone", listed.hotkey);
        }
        let not_a_delegate = ss58::encode(&[0xEE; 32]);
        let none = within(60, "validator()", client.validator(&block, &not_a_delegate))
            .await
            .expect("validator");
        assert_eq!(none.data, None, "a hotkey that is not a delegate");
        assert!(matches!(
            client.validator(&block, "5NotAnAddress").await,
            Err(QueryError::BadAddress { .. })
        ));
    });
}

#[test]
fn the_overview_equals_the_nodes_totals() {
    at_a_finalized_block(|devnet, client, block| async move {
        let hash = block.hash.clone();
        let overview = within(60, "overview()", client.overview(&block))
            .await
            .expect("overview");
        assert_eq!(
            overview.data.subnet_count, 5,
            "NetworksAdded true: root and four subnets"
        );
        assert_eq!(overview.data.runtime.spec_name, "node-subtensor");
        let total_issuance = node_read::<u64>(&devnet, &hash, "TotalIssuance", &[]).unwrap();
        assert_eq!(overview.data.total_issuance_rao, total_issuance);
        let total_emission: u64 = (0u16..=5)
            .map(|netuid| {
                let n = id(netuid);
                let identity = [(Hasher::Identity, &n[..])];
                let read = |item| node_read::<u64>(&devnet, &hash, item, &identity).unwrap_or_default();
                read("SubnetTaoInEmission") + read("SubnetExcessTao")
            })
            .sum();
        assert_eq!(overview.data.tao_emission_per_block_rao, total_emission);
        assert_eq!(
            overview.data.tao_injected_per_block_rao + overview.data.tao_chain_buy_per_block_rao,
            total_emission
        );
        // `BlockEmission` is never written (as on finney): it reads as its 1 TAO default, stale.
        assert_eq!(node_read::<u64>(&devnet, &hash, "BlockEmission", &[]), None);
        assert_ne!(overview.data.tao_emission_per_block_rao, 1_000_000_000);
        // 0.5 TAO per block after the first halving, split pro rata (integer rounding loses a few rao).
        assert!(
            (499_999_900..=500_000_000).contains(&total_emission),
            "{total_emission}"
        );
    });
}

/// `BasketSummary` in finney's 475 field order, as `get_all_validator_baskets` lists it: hotkey,
/// NAV, spot NAV, shares, deposited, redeemed, weights, holdings (netuid, α, spot, realizable).
type Summary = (
    [u8; 32],
    u64,
    u64,
    u64,
    u64,
    u64,
    Vec<(u16, u16)>,
    Vec<(u16, u64, u64, u64)>,
);

#[test]
fn every_validators_basket_equals_the_runtimes_answer() {
    at_a_finalized_block(|devnet, client, block| async move {
        let baskets = within(60, "validator_baskets()", client.validator_baskets(&block))
            .await
            .expect("baskets");
        let answer = devnet
            .rpc(
                "state_call",
                serde_json::json!(["BetaBasketRuntimeApi_get_all_validator_baskets", "0x", block.hash]),
            )
            .expect("get_all_validator_baskets");
        let bytes = from_hex(answer.as_str().expect("hex"));
        let mut cursor = &bytes[..];
        let summaries = Vec::<Summary>::decode(&mut cursor).expect("Vec<BasketSummary>");
        assert!(cursor.is_empty(), "the whole answer read");
        assert!(!summaries.is_empty(), "the devnet seeds baskets");
        assert_eq!(baskets.data.len(), summaries.len());
        for (listed, (hotkey, nav, spot_nav, shares, deposited, redeemed, _, holdings)) in
            baskets.data.iter().zip(&summaries)
        {
            assert_eq!(listed.hotkey, ss58::encode(hotkey), "the runtime's order");
            let b = &listed.basket;
            assert_eq!(
                (b.nav_rao, b.spot_nav_rao, b.shares, b.deposited_rao, b.redeemed_rao),
                (*nav, *spot_nav, *shares, *deposited, *redeemed)
            );
            let read: Vec<_> = b
                .holdings
                .iter()
                .map(|h| (h.netuid, h.alpha, h.spot_rao, h.realizable_rao))
                .collect();
            assert_eq!(&read, holdings);
        }
        // One validator's own basket reads the same summary.
        let first = &baskets.data[0];
        let own = within(60, "root_basket()", client.root_basket(&block, &first.hotkey))
            .await
            .expect("root basket");
        assert_eq!(own.data.as_ref(), Some(&first.basket));
    });
}
