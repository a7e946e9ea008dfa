//! `subnets()`: every subnet's identity, pool, price and emission, from netuid-keyed maps read with
//! one descendants query per map (their Identity hashers keep each map in one trie subtree).
//! `subnet(netuid)`: one subnet alike, reading its own value of each map, plus the network-wide
//! emission maps its emission share is a share of.

use super::{Reads, Results, by_netuid, subtensor};
use crate::chain::StorageQueryKind;
use crate::decode::{
    DecodeError, as_account, as_bool, as_bytes, as_i128, as_option, as_u16, as_u64, as_u128, field, untrusted_text,
};
use crate::metadata::Metadata;
use crate::model::{Subnet, SubnetIdentity};
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
];

/// One descendants read per map.
pub fn reads(metadata: &Metadata) -> Result<Reads, DecodeError> {
    ITEMS
        .iter()
        .map(|name| Ok((subtensor(metadata, name)?.key(&[]), StorageQueryKind::DescendantsValues)))
        .collect()
}

/// Maps read whole for one subnet: which subnets exist, and every subnet's emission (the total
/// its share is taken of).
const NETWORK_WIDE: &[&str] = &["NetworksAdded", "SubnetTaoInEmission", "SubnetExcessTao"];

/// One subnet's reads: its value of each map, and the network-wide maps whole.
pub fn one_reads(metadata: &Metadata, netuid: u16) -> Result<Reads, DecodeError> {
    ITEMS
        .iter()
        .map(|name| {
            let item = subtensor(metadata, name)?;
            Ok(if NETWORK_WIDE.contains(name) {
                (item.key(&[]), StorageQueryKind::DescendantsValues)
            } else {
                (item.key(&[&netuid.to_le_bytes()]), StorageQueryKind::Value)
            })
        })
        .collect()
}

/// Assembles subnet `netuid` from `one_reads`' results; `None` when it does not exist.
pub fn assemble_one(metadata: &Metadata, netuid: u16, results: &Results) -> Result<Option<Subnet>, DecodeError> {
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

/// Assembles every subnet listed in `NetworksAdded`, in netuid order.
pub fn assemble(metadata: &Metadata, results: &Results) -> Result<Vec<Subnet>, DecodeError> {
    let networks = subtensor(metadata, "NetworksAdded")?;
    let mut netuids = Vec::new();
    for (netuid, bytes) in by_netuid(&networks, results) {
        if networks.read(Some(bytes), "bool", as_bool)?.unwrap_or(false) {
            netuids.push(netuid);
        }
    }
    let maps: Vec<_> = ITEMS
        .iter()
        .map(|name| {
            let item = subtensor(metadata, name)?;
            let values = by_netuid(&item, results);
            Ok((item, values))
        })
        .collect::<Result<_, DecodeError>>()?;
    let map = |name: &str| {
        maps.iter()
            .find(|(item, _)| item.name.ends_with(&format!(".{name}")))
            .expect("listed in ITEMS")
    };

    let mut subnets = Vec::with_capacity(netuids.len());
    for netuid in netuids {
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
        let price = units::spot_price(mechanism, tao_in, alpha_in);
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
            moving_price: units::f64_from_i96f32(moving_bits),
            tao_emission_per_block_rao: u64_of("SubnetTaoInEmission")? + u64_of("SubnetExcessTao")?,
            emission_share: 0.0,
            alpha_in_emission: u64_of("SubnetAlphaInEmission")?,
            alpha_out_emission: u64_of("SubnetAlphaOutEmission")?,
            volume_rao: u128_of("SubnetVolume")?,
            registered_at: u64_of("NetworkRegisteredAt")?,
            identity,
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
