//! `subnets()`: every subnet's identity, pool, price, emission, consensus mode, mechanisms,
//! lifecycle, emission policy and epoch spacing, from netuid-keyed maps read with one descendants
//! query per map (each map's entries share its prefix). Every subnet `NetworksAdded` lists is
//! kept, reportable or not. `subnet(netuid)`: one subnet alike, reading its own value of each map,
//! plus the network-wide emission maps its emission share is a share of. Items a runtime may lack
//! (the consensus mode, a triggered epoch, the emission policy, the lifecycle state, the pools'
//! curves) are read where its metadata declares them. Prices come from [`super::price`]: where a
//! pool has a curve, a second step calls the runtime for its prices.

use super::price::{self, RuntimePrices};
use super::{Answer, EpochSchedule, Query, Reads, Results, Step, by_netuid, consensus_mode, subtensor};
use crate::decode::{
    DecodeError, Item, Value, as_account, as_bool, as_bytes, as_i128, as_list, as_option, as_u16, as_u64, as_u128,
    as_variant_name, field, untrusted_text,
};
use crate::keys::StorageQueryKind;
use crate::metadata::Metadata;
use crate::model::{ConsensusMode, Lifecycle, Subnet, SubnetIdentity};
use crate::{ss58, units};

/// The maps this query reads.
pub const ITEMS: &[&str] = &[
    "NetworksAdded",
    "SubnetworkN",
    "MaxAllowedUids",
    "Tempo",
    "SubnetMechanism",
    "TokenSymbol",
    "SubnetIdentitiesV3",
    "Burn",
    "SubnetOwner",
    "SubnetOwnerHotkey",
    "SubnetTAO",
    "SubnetAlphaIn",
    "SubnetAlphaOut",
    "SubnetTaoInEmission",
    "SubnetExcessTao",
    "SubnetAlphaInEmission",
    "SubnetAlphaOutEmission",
    "SubnetMovingPrice",
    "SubnetVolume",
    "NetworkRegisteredAt",
    "FirstEmissionBlockNumber",
    "MechanismCountCurrent",
    "MechanismEmissionSplit",
    "LastEpochBlock",
];

/// The maps this query reads where the runtime declares them: the consensus mode (finney since
/// July 2026), an owner's triggered epoch and the pools' emission policy (475), the lifecycle
/// state (after 475).
pub const OPTIONAL_ITEMS: &[&str] = &[
    "SubnetEpochConsensus",
    "PendingEpochAt",
    "SubnetEmissionEnabled",
    "SubnetState",
];

/// Every map this query reads, as the runtime declares it.
fn items(metadata: &Metadata) -> Result<Vec<Item<'_>>, DecodeError> {
    let mut items = ITEMS
        .iter()
        .map(|name| subtensor(metadata, name))
        .collect::<Result<Vec<_>, _>>()?;
    items.extend(OPTIONAL_ITEMS.iter().filter_map(|name| subtensor(metadata, name).ok()));
    items.push(price::swap_balancer(metadata)?);
    items.extend(price::swap_superellipse(metadata));
    Ok(items)
}

/// `NetworkImmunityPeriod`, where the runtime has it: one value for every subnet.
fn network_immunity(metadata: &Metadata) -> Option<Item<'_>> {
    subtensor(metadata, "NetworkImmunityPeriod").ok()
}

/// `subnets()` or `subnet(netuid)`: one round of reads, then the runtime's prices where a pool
/// read has a curve (and the runtime has the call), then the subnets, handed to `select`.
pub struct SubnetsQuery<F> {
    /// The subnet asked for, or every subnet.
    netuid: Option<u16>,
    prices: RuntimePrices,
    select: F,
}

/// `subnets()`: every subnet, in one round (two where a pool has a curve).
pub fn all() -> impl Query<Output = Vec<Subnet>> {
    SubnetsQuery {
        netuid: None,
        prices: RuntimePrices::default(),
        select: |subnets| subnets,
    }
}

/// `subnet(netuid)`: one subnet (`None` when it does not exist), in one round (two where its
/// pool has a curve).
pub fn one(netuid: u16) -> impl Query<Output = Option<Subnet>> {
    SubnetsQuery {
        netuid: Some(netuid),
        prices: RuntimePrices::default(),
        select: move |subnets: Vec<Subnet>| subnets.into_iter().find(|s| s.netuid == netuid),
    }
}

impl<T, F: FnMut(Vec<Subnet>) -> T> Query for SubnetsQuery<F> {
    type Output = T;

    fn start(&mut self, metadata: &Metadata) -> Result<Step<T>, DecodeError> {
        Ok(Step::Read(match self.netuid {
            Some(netuid) => one_reads(metadata, netuid)?,
            None => reads(metadata)?,
        }))
    }

    fn next(&mut self, metadata: &Metadata, answer: Answer<'_>) -> Result<Step<T>, DecodeError> {
        self.prices.receive(metadata, answer);
        // `subnet(netuid)` read the curve of its own pool only.
        let curved = !price::curve_pools(metadata, answer.results).is_empty();
        if let Some(read) = self.prices.ask(metadata, curved) {
            return Ok(Step::Call {
                read,
                alongside: Reads::new(),
            });
        }
        Ok(Step::Done((self.select)(assemble(metadata, answer.results, &self.prices)?)))
    }
}

/// One descendants read per map, and the network immunity period.
fn reads(metadata: &Metadata) -> Result<Reads, DecodeError> {
    let mut reads: Reads = items(metadata)?
        .iter()
        .map(|item| (item.key(&[]), StorageQueryKind::DescendantsValues))
        .collect();
    reads.extend(network_immunity(metadata).map(|item| (item.key(&[]), StorageQueryKind::Value)));
    Ok(reads)
}

/// Maps read whole for one subnet: which subnets exist, and every subnet's emission (the total
/// its share is taken of).
const NETWORK_WIDE: &[&str] = &["NetworksAdded", "SubnetTaoInEmission", "SubnetExcessTao"];

/// One subnet's reads: its value of each map, and the network-wide maps whole.
fn one_reads(metadata: &Metadata, netuid: u16) -> Result<Reads, DecodeError> {
    let immunity = network_immunity(metadata).map(|item| (item.key(&[]), StorageQueryKind::Value));
    Ok(items(metadata)?
        .iter()
        .map(|item| {
            if NETWORK_WIDE
                .iter()
                .any(|name| item.name == format!("SubtensorModule.{name}"))
            {
                (item.key(&[]), StorageQueryKind::DescendantsValues)
            } else {
                (item.key(&[&netuid.to_le_bytes()]), StorageQueryKind::Value)
            }
        })
        .chain(immunity)
        .collect())
}

/// Each mechanism's share of a subnet's emission, 0–1, as finney splits it: the stored
/// `MechanismEmissionSplit` (u16 parts) when it has one part per mechanism summing to 65 535,
/// else an even split with the rounding remainder to mechanism 0.
pub fn mechanism_split(stored: Option<&[u16]>, mechanisms: u8) -> Vec<f64> {
    let count = usize::from(mechanisms.max(1));
    let parts: Vec<u16> = match stored {
        Some(split) if split.len() == count && split.iter().map(|p| u32::from(*p)).sum::<u32>() == 65_535 => {
            split.to_vec()
        }
        _ => {
            let even = u16::MAX / count as u16;
            let mut parts = vec![even; count];
            parts[0] += u16::MAX - even * count as u16;
            parts
        }
    };
    parts.iter().map(|part| units::proportion_from_u16(*part)).collect()
}

/// A lifecycle from a `SubnetState` entry, by the variant name the runtime declares: one this
/// dashboard does not know is [`Lifecycle::Unknown`].
fn lifecycle_state(item: &Item, bytes: &[u8]) -> Result<Lifecycle, DecodeError> {
    let value = item.decode(bytes)?;
    // OptionQuery values are stored bare; some runtimes wrap them in Option.
    let value = as_option(&value).flatten().unwrap_or(&value);
    let name = as_variant_name(value).ok_or(DecodeError::Retyped {
        item: item.name.clone(),
        expected: "a SubnetLifecycleState".into(),
    })?;
    Ok(match name {
        "Registered" => Lifecycle::NotStarted,
        "Started" => Lifecycle::Active,
        "PendingDissolution" => Lifecycle::PendingDissolution,
        "Dissolving" => Lifecycle::Dissolving,
        other => Lifecycle::Unknown {
            state: untrusted_text(other.as_bytes()),
        },
    })
}

fn identity(value: &crate::decode::Value) -> Option<SubnetIdentity> {
    let text = |name: &str| field(value, name).and_then(as_bytes).map(|b| untrusted_text(&b));
    Some(SubnetIdentity {
        name: text("subnet_name")?,
        github_repo: text("github_repo")?,
        contact: text("subnet_contact")?,
        url: text("subnet_url")?,
        discord: text("discord")?,
        description: text("description")?,
        logo_url: text("logo_url")?,
    })
}

/// Assembles every subnet listed in `NetworksAdded`, in netuid order, priced with the runtime's
/// answer where one was read; those it marks `false` are kept with [`Lifecycle::NotReportable`].
fn assemble(metadata: &Metadata, results: &Results, runtime: &RuntimePrices) -> Result<Vec<Subnet>, DecodeError> {
    let networks = subtensor(metadata, "NetworksAdded")?;
    let immunity = match network_immunity(metadata) {
        Some(item) => {
            let value = results
                .iter()
                .find(|(key, _)| *key == item.key(&[]))
                .map(|(_, v)| v.as_slice());
            item.read(value, "u64", as_u64)?
        }
        None => None,
    };
    let mut netuids = Vec::new();
    for (netuid, bytes) in by_netuid(&networks, results) {
        let added = networks.read(Some(bytes), "bool", as_bool)?.unwrap_or(false);
        netuids.push((netuid, added));
    }
    let maps: Vec<_> = items(metadata)?
        .into_iter()
        .map(|item| {
            let values = by_netuid(&item, results);
            (item, values)
        })
        .collect();
    let find = |name: &str| maps.iter().find(|(item, _)| item.name.ends_with(&format!(".{name}")));
    let map = |name: &str| find(name).expect("read by this query");
    let spot_prices = price::prices(metadata, results, runtime)?;
    let schedule = EpochSchedule::new(metadata, results)?;

    let mut subnets = Vec::with_capacity(netuids.len());
    for (netuid, added) in netuids {
        let read = |name: &str, expected: &'static str, f: fn(&Value) -> Option<u128>| {
            let (item, values) = map(name);
            item.read(values.get(&netuid).copied(), expected, f)
                .map(|v| v.unwrap_or_default())
        };
        let u128_of = |name: &str| read(name, "an unsigned integer", as_u128);
        let u64_of = |name: &str| read(name, "u64", |v| as_u64(v).map(u128::from)).map(|v| v as u64);
        let u16_of = |name: &str| read(name, "u16", |v| as_u16(v).map(u128::from)).map(|v| v as u16);
        let bytes_of = |name: &str| {
            let (item, values) = map(name);
            item.read(values.get(&netuid).copied(), "bytes", as_bytes)
                .map(|v| v.unwrap_or_default())
        };
        let account_of = |name: &str| {
            let (item, values) = map(name);
            item.read(values.get(&netuid).copied(), "an account", as_account)
                .map(|v| v.map(|a| ss58::encode(&a)).unwrap_or_default())
        };
        let (identity_item, identities) = map("SubnetIdentitiesV3");
        let identity = match identities.get(&netuid) {
            Some(bytes) => {
                let value = identity_item.decode(bytes)?;
                // OptionQuery values are stored bare; some runtimes wrap them in Option.
                let value = as_option(&value).flatten().unwrap_or(&value);
                Some(identity(value).ok_or(DecodeError::Retyped {
                    item: identity_item.name.clone(),
                    expected: "a SubnetIdentityV3".into(),
                })?)
            }
            None => None,
        };
        let (price_item, prices) = map("SubnetMovingPrice");
        let moving_bits = price_item
            .read(prices.get(&netuid).copied(), "a fixed-point number", as_i128)?
            .unwrap_or(0);
        let quote = u64_of("SwapBalancer")?;
        let (price, price_method) = spot_prices.get(&netuid).cloned().unwrap_or_default();
        let emission_enabled = match find("SubnetEmissionEnabled") {
            Some((item, values)) => item
                .read(values.get(&netuid).copied(), "bool", as_bool)?
                .unwrap_or(true),
            None => true,
        };
        let consensus = match find("SubnetEpochConsensus") {
            Some((item, values)) => consensus_mode(item, values.get(&netuid).copied())?,
            None => ConsensusMode::Yuma,
        };
        let mechanisms = u8::try_from(u16_of("MechanismCountCurrent")?.max(1)).unwrap_or(u8::MAX);
        let (split_item, splits) = map("MechanismEmissionSplit");
        let stored_split = split_item.read(splits.get(&netuid).copied(), "a list of u16", |v| {
            as_list(v)?.into_iter().map(as_u16).collect::<Option<Vec<u16>>>()
        })?;
        let (first_item, firsts) = map("FirstEmissionBlockNumber");
        let emission_started = first_item.read(firsts.get(&netuid).copied(), "u64", as_u64)?.is_some();
        let state = find("SubnetState").and_then(|(item, values)| Some((item, *values.get(&netuid)?)));
        let lifecycle = match state {
            _ if !added => Lifecycle::NotReportable,
            Some((item, bytes)) => lifecycle_state(item, bytes)?,
            None if emission_started || netuid == 0 => Lifecycle::Active,
            None => Lifecycle::NotStarted,
        };
        subnets.push(Subnet {
            netuid,
            name: identity.as_ref().map(|i| i.name.clone()).unwrap_or_default(),
            symbol: untrusted_text(&bytes_of("TokenSymbol")?),
            owner_coldkey: account_of("SubnetOwner")?,
            owner_hotkey: account_of("SubnetOwnerHotkey")?,
            tempo: schedule.tempo(netuid)?,
            uids: u16_of("SubnetworkN")?,
            max_uids: u16_of("MaxAllowedUids")?,
            registration_cost_rao: u64_of("Burn")?,
            tao_in_rao: u64_of("SubnetTAO")?,
            alpha_in: u64_of("SubnetAlphaIn")?,
            alpha_out: u64_of("SubnetAlphaOut")?,
            price,
            price_method,
            pool_quote_weight: units::fraction_from_perquintill(quote),
            moving_price: units::f64_from_i96f32(moving_bits),
            tao_emission_per_block_rao: u64_of("SubnetTaoInEmission")? + u64_of("SubnetExcessTao")?,
            emission_share: 0.0,
            alpha_in_emission: u64_of("SubnetAlphaInEmission")?,
            alpha_out_emission: u64_of("SubnetAlphaOutEmission")?,
            volume_rao: u128_of("SubnetVolume")?,
            registered_at: u64_of("NetworkRegisteredAt")?,
            immunity_ends_at: immunity
                .map(|period| u64_of("NetworkRegisteredAt").map(|at| at.saturating_add(period)))
                .transpose()?,
            identity,
            consensus,
            mechanisms,
            mechanism_split: mechanism_split(stored_split.as_deref(), mechanisms),
            lifecycle,
            emission_enabled,
            epoch_spacing: schedule.spacing(netuid)?,
        });
    }
    let total: u64 = subnets.iter().map(|s| s.tao_emission_per_block_rao).sum();
    if total > 0 {
        for subnet in &mut subnets {
            subnet.emission_share = subnet.tao_emission_per_block_rao as f64 / total as f64;
        }
    }
    Ok(subnets)
}

#[cfg(test)]
mod tests {
    use codec::Encode;
    use scale_info::form::PortableForm;
    use scale_info::{TypeDef, TypeDefVariant, Variant};

    use super::*;
    use crate::contract::tests::finney;
    use crate::keys::Hasher;
    use crate::model::{EpochSpacing, PriceMethod};
    use crate::queries::fake_chain::run;
    use crate::queries::price::tests::{netuid_map, with_curves};

    const PRICES_ALL: &str = "SwapRuntimeApi_current_alpha_price_all";

    /// July's finney with `SubtensorModule.SubnetState` declared (`Identity` netuid →
    /// `SubnetLifecycleState`, OptionQuery) with the variants `names`, indexed in order.
    fn with_subnet_state(mut metadata: Metadata, names: &[&str]) -> Metadata {
        let variants = names
            .iter()
            .enumerate()
            .map(|(index, name)| Variant::<PortableForm> {
                name: (*name).into(),
                fields: Vec::new(),
                index: index as u8,
                docs: Vec::new(),
            })
            .collect();
        let state = metadata.declare_type(
            &["pallet_subtensor", "SubnetLifecycleState"],
            TypeDef::Variant(TypeDefVariant { variants }),
        );
        let item = netuid_map(&metadata, Hasher::Identity, state);
        metadata.declare_storage_item("SubtensorModule", "SubnetState", item);
        metadata
    }

    /// Root, subnet 1 (50 τ against 200 α: 0.25 τ by the formula; epochs every 360 blocks, the
    /// last at 1,000, and its owner's triggered one due at 1,100) and subnet 4 (90 τ against
    /// 100 α: 0.9 τ by the formula; emission off by policy, not started).
    fn chain_state(metadata: &Metadata) -> Vec<(Vec<u8>, Vec<u8>)> {
        let item = |name: &str| subtensor(metadata, name).expect(name);
        let (root, one, four) = (0u16.to_le_bytes(), 1u16.to_le_bytes(), 4u16.to_le_bytes());
        vec![
            (item("NetworksAdded").key(&[&root]), true.encode()),
            (item("NetworksAdded").key(&[&one]), true.encode()),
            (item("NetworksAdded").key(&[&four]), true.encode()),
            (item("SubnetMechanism").key(&[&one]), 1u16.encode()),
            (item("SubnetMechanism").key(&[&four]), 1u16.encode()),
            (item("SubnetTAO").key(&[&one]), 50u64.encode()),
            (item("SubnetAlphaIn").key(&[&one]), 200u64.encode()),
            (item("SubnetTAO").key(&[&four]), 90u64.encode()),
            (item("SubnetAlphaIn").key(&[&four]), 100u64.encode()),
            (item("FirstEmissionBlockNumber").key(&[&one]), 5u64.encode()),
            (item("Tempo").key(&[&one]), 360u16.encode()),
            (item("LastEpochBlock").key(&[&one]), 1_000u64.encode()),
            (item("PendingEpochAt").key(&[&one]), 1_100u64.encode()),
            (item("SubnetEmissionEnabled").key(&[&four]), false.encode()),
        ]
    }

    /// Subnet 4's pool on a curve.
    fn curve_entry(metadata: &Metadata) -> (Vec<u8>, Vec<u8>) {
        let item = price::swap_superellipse(metadata).expect("declared");
        (item.key(&[&4u16.to_le_bytes()]), (1u128, 2u128, 3i128, 4i128).encode())
    }

    /// `current_alpha_price_all`'s answer: root 1 τ, subnet 1 0.25 τ, subnet 4 2 τ (its curve's
    /// price, not the formula's 0.9).
    fn runtime_prices() -> Vec<u8> {
        vec![(0u16, 1_000_000_000u64), (1, 250_000_000), (4, 2_000_000_000)].encode()
    }

    fn find(subnets: &[Subnet], netuid: u16) -> &Subnet {
        subnets.iter().find(|s| s.netuid == netuid).expect("listed")
    }

    #[test]
    fn without_curves_every_pool_is_priced_by_the_formula_in_one_round() {
        let metadata = finney();
        assert!(price::swap_superellipse(&metadata).is_none(), "July's finney has no curves");
        let (subnets, rounds) = run(&metadata, &chain_state(&metadata), &[], all()).unwrap();
        assert_eq!(rounds, 1, "no call");
        let prices: Vec<_> = subnets.iter().map(|s| (s.netuid, s.price, s.price_method.clone())).collect();
        assert_eq!(
            prices,
            [
                (0, Some(1.0), PriceMethod::BalancerFormula),
                (1, Some(0.25), PriceMethod::BalancerFormula),
                (4, Some(0.9), PriceMethod::BalancerFormula),
            ]
        );
    }

    #[test]
    fn a_pool_with_a_curve_is_priced_by_the_runtimes_answer_in_a_second_step() {
        let metadata = with_curves(finney());
        let mut state = chain_state(&metadata);
        state.push(curve_entry(&metadata));
        let calls = [(PRICES_ALL, runtime_prices())];
        let (subnets, rounds) = run(&metadata, &state, &calls, all()).unwrap();
        assert_eq!(rounds, 2, "the storage round, then the call");
        assert_eq!(find(&subnets, 1).price_method, PriceMethod::BalancerFormula, "no curve");
        assert_eq!(find(&subnets, 1).price, Some(0.25));
        let curved = find(&subnets, 4);
        assert_eq!(curved.price, Some(2.0), "the runtime's price, not the formula's 0.9");
        assert_eq!(
            curved.price_method,
            PriceMethod::RuntimeAnswer {
                why: price::CURVE_WHY.into()
            }
        );
        // One subnet: its own curve decides.
        let (four, rounds) = run(&metadata, &state, &calls, one(4)).unwrap();
        assert_eq!((four.and_then(|s| s.price), rounds), (Some(2.0), 2));
        let (plain, rounds) = run(&metadata, &state, &calls, one(1)).unwrap();
        assert_eq!((plain.and_then(|s| s.price), rounds), (Some(0.25), 1), "no curve, no call");
        // Curves declared, none set: no call.
        let (_, rounds) = run(&metadata, &chain_state(&metadata), &[], all()).unwrap();
        assert_eq!(rounds, 1);
    }

    #[test]
    fn a_pool_with_a_curve_and_no_runtime_answer_has_no_price_and_says_why() {
        let mut metadata = with_curves(finney());
        let mut state = chain_state(&metadata);
        state.push(curve_entry(&metadata));
        // An answer in another shape: a bare list of u64.
        let (subnets, _) = run(&metadata, &state, &[(PRICES_ALL, vec![1_u64].encode())], all()).unwrap();
        let curved = find(&subnets, 4);
        assert_eq!(curved.price, None);
        assert!(
            matches!(&curved.price_method, PriceMethod::Unavailable { why }
                if why.starts_with(price::CURVE_WHY) && why.contains("answered in a shape this dashboard does not read")),
            "{:?}",
            curved.price_method
        );
        assert_eq!(find(&subnets, 1).price, Some(0.25), "pools without a curve keep the formula");

        metadata.remove_api_method("SwapRuntimeApi", "current_alpha_price_all");
        let (subnets, rounds) = run(&metadata, &state, &[], all()).unwrap();
        assert_eq!(rounds, 1, "no call to a runtime without it");
        assert_eq!(
            find(&subnets, 4).price_method,
            PriceMethod::Unavailable {
                why: format!(
                    "{}, and this runtime has no SwapRuntimeApi.current_alpha_price_all",
                    price::CURVE_WHY
                )
            }
        );
        assert_eq!(find(&subnets, 4).price, None, "never the formula's wrong price");
    }

    #[test]
    fn epoch_spacing_emission_policy_and_derived_lifecycle() {
        let metadata = finney();
        let (subnets, _) = run(&metadata, &chain_state(&metadata), &[], all()).unwrap();
        let one = find(&subnets, 1);
        assert_eq!(
            one.epoch_spacing,
            Some(EpochSpacing {
                blocks: 100,
                last_epoch_block: 1_000,
                next_epoch_start: 1_100
            }),
            "the owner's triggered epoch comes before LastEpochBlock + Tempo"
        );
        assert!(one.emission_enabled, "SubnetEmissionEnabled defaults to true");
        assert_eq!(one.lifecycle, Lifecycle::Active);
        let four = find(&subnets, 4);
        assert!(!four.emission_enabled, "SubnetEmissionEnabled[4] = false");
        assert_eq!(four.lifecycle, Lifecycle::NotStarted, "no FirstEmissionBlockNumber");
        let tempo = four.tempo;
        assert_eq!(
            four.epoch_spacing.map(|s| (s.blocks, s.next_epoch_start)),
            Some((u64::from(tempo), u64::from(tempo))),
            "defaults: LastEpochBlock 0, no pending epoch"
        );
    }

    #[test]
    fn a_subnet_state_entry_decides_the_lifecycle_by_its_variants_name() {
        let names = ["Registered", "Started", "PendingDissolution", "Dissolving", "Paused"];
        let metadata = with_subnet_state(finney(), &names);
        let state_item = subtensor(&metadata, "SubnetState").unwrap();
        let mut state = chain_state(&metadata);
        let (root, one, four) = (0u16.to_le_bytes(), 1u16.to_le_bytes(), 4u16.to_le_bytes());
        let lifecycle_of = |state: &[(Vec<u8>, Vec<u8>)], netuid: u16| {
            let (subnets, _) = run(&metadata, state, &[], all()).unwrap();
            find(&subnets, netuid).lifecycle.clone()
        };
        assert_eq!(lifecycle_of(&state, 4), Lifecycle::NotStarted, "no entry: derived");
        // Subnet 1 has a FirstEmissionBlockNumber, yet its state says it is being dissolved.
        state.push((state_item.key(&[&one]), vec![3]));
        state.push((state_item.key(&[&four]), vec![1]));
        state.push((state_item.key(&[&root]), vec![4]));
        assert_eq!(lifecycle_of(&state, 1), Lifecycle::Dissolving);
        assert_eq!(lifecycle_of(&state, 4), Lifecycle::Active, "Started");
        assert_eq!(
            lifecycle_of(&state, 0),
            Lifecycle::Unknown {
                state: "Paused".into()
            },
            "a variant this dashboard does not know"
        );
        // A variant index the runtime does not declare: a typed error, not a panic.
        state.push((state_item.key(&[&one]), vec![9]));
        state.swap_remove(state.len() - 4);
        assert!(matches!(
            run(&metadata, &state, &[], all()),
            Err(DecodeError::Malformed { item, .. }) if item == "SubtensorModule.SubnetState"
        ));
    }

    #[test]
    fn a_well_formed_split_is_kept_and_anything_else_is_even() {
        let share = |parts: &[f64]| parts.iter().map(|p| (p * 65_535.0).round() as u32).collect::<Vec<_>>();
        assert_eq!(
            share(&mechanism_split(Some(&[45_875, 19_660]), 2)),
            vec![45_875, 19_660]
        );
        assert_eq!(share(&mechanism_split(Some(&[1, 2]), 2)), vec![32_768, 32_767]);
        assert_eq!(share(&mechanism_split(Some(&[65_535]), 2)), vec![32_768, 32_767]);
        assert_eq!(share(&mechanism_split(None, 1)), vec![65_535]);
        assert_eq!(share(&mechanism_split(None, 0)), vec![65_535]);
    }
}
