//! `subnets()`: every subnet's identity, pool, price, emission, consensus mode, mechanisms and
//! lifecycle, from netuid-keyed maps read with one descendants query per map (each map's entries
//! share its prefix). Every subnet `NetworksAdded` lists is kept, reportable or not.
//! `subnet(netuid)`: one subnet alike, reading its own value of each map, plus the network-wide
//! emission maps its emission share is a share of.

use super::{Query, Reads, Results, by_netuid, consensus_mode, epoch_consensus, one_round, subtensor};
use crate::keys::StorageQueryKind;
use crate::decode::{
    DecodeError, Item, as_account, as_bool, as_bytes, as_i128, as_list, as_option, as_u16, as_u64, as_u128, field,
    untrusted_text,
};
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
];

/// The pool weights, in the swap pallet.
pub const SWAP_BALANCER: (&str, &str) = ("Swap", "SwapBalancer");

/// Every map this query reads, as the runtime declares it.
fn items(metadata: &Metadata) -> Result<Vec<Item<'_>>, DecodeError> {
    let mut items = ITEMS
        .iter()
        .map(|name| subtensor(metadata, name))
        .collect::<Result<Vec<_>, _>>()?;
    items.extend(epoch_consensus(metadata));
    items.push(Item::new(metadata, SWAP_BALANCER.0, SWAP_BALANCER.1)?);
    Ok(items)
}

/// `NetworkImmunityPeriod`, where the runtime has it: one value for every subnet.
fn network_immunity(metadata: &Metadata) -> Option<Item<'_>> {
    subtensor(metadata, "NetworkImmunityPeriod").ok()
}

/// `subnets()`: every subnet, in one round.
pub fn all() -> impl Query<Output = Vec<Subnet>> {
    one_round(reads, assemble)
}

/// `subnet(netuid)`: one subnet (`None` when it does not exist), in one round.
pub fn one(netuid: u16) -> impl Query<Output = Option<Subnet>> {
    one_round(
        move |metadata| one_reads(metadata, netuid),
        move |metadata, results| assemble_one(metadata, netuid, results),
    )
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

/// Assembles subnet `netuid` from `one_reads`' results; `None` when it does not exist.
fn assemble_one(metadata: &Metadata, netuid: u16, results: &Results) -> Result<Option<Subnet>, DecodeError> {
    Ok(assemble(metadata, results)?.into_iter().find(|s| s.netuid == netuid))
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

/// Assembles every subnet listed in `NetworksAdded`, in netuid order; those it marks `false` are
/// kept with [`Lifecycle::NotReportable`].
fn assemble(metadata: &Metadata, results: &Results) -> Result<Vec<Subnet>, DecodeError> {
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

    let mut subnets = Vec::with_capacity(netuids.len());
    for (netuid, added) in netuids {
        let read = |name: &str, expected: &'static str, f: fn(&crate::decode::Value) -> Option<u128>| {
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
                    expected: "a SubnetIdentityV3",
                })?)
            }
            None => None,
        };
        let (price_item, prices) = map("SubnetMovingPrice");
        let moving_bits = price_item
            .read(prices.get(&netuid).copied(), "a fixed-point number", as_i128)?
            .unwrap_or(0);
        let tao_in = u64_of("SubnetTAO")?;
        let alpha_in = u64_of("SubnetAlphaIn")?;
        let mechanism = u16_of("SubnetMechanism")?;
        let quote = u64_of("SwapBalancer")?;
        let price = units::pool_price(mechanism, quote, tao_in, alpha_in);
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
        let lifecycle = if !added {
            Lifecycle::NotReportable
        } else if emission_started || netuid == 0 {
            Lifecycle::Active
        } else {
            Lifecycle::NotStarted
        };
        subnets.push(Subnet {
            netuid,
            name: identity.as_ref().map(|i| i.name.clone()).unwrap_or_default(),
            symbol: untrusted_text(&bytes_of("TokenSymbol")?),
            owner_coldkey: account_of("SubnetOwner")?,
            owner_hotkey: account_of("SubnetOwnerHotkey")?,
            tempo: u16_of("Tempo")?,
            uids: u16_of("SubnetworkN")?,
            max_uids: u16_of("MaxAllowedUids")?,
            registration_cost_rao: u64_of("Burn")?,
            tao_in_rao: tao_in,
            alpha_in,
            alpha_out: u64_of("SubnetAlphaOut")?,
            price,
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
    use super::*;

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
