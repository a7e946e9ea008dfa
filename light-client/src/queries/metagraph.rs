//! `metagraph(netuid, mechanism)`: every uid's hotkey, coldkey, stake and Yuma outputs, with one
//! incentive mechanism's incentive and last updates (finney keys those per mechanism, at storage
//! index `mechanism · 4096 + netuid`), read one of two ways.
//! From a runtime call (`get_selective_metagraph`/`get_selective_mechagraph` with the view's fields)
//! plus what it lacks (validator trust, the pruning parameters): one call proof, which `cargo xtask bench` measured several times smaller
//! and faster than the storage reads. Or from storage, where the runtime lacks that call: per-uid
//! vectors are one value each; uid-keyed maps are one descendants read each; hotkey-keyed items
//! (owner, stake) need a second round with one key per hotkey.

use super::{Answer, ByKey, CallOrReads, CallQuery, Query, Reads, Results, Step, subtensor};
use super::runtime_api::RuntimeApiRead;
use crate::keys::StorageQueryKind;
use crate::decode::{
    DecodeError, Item, Value, as_account, as_bool, as_list, as_option, as_u16, as_u64, as_u128, field,
};
use crate::metadata::Metadata;
use crate::model::{Metagraph, MetagraphSource, Neuron, PruningRule};
use crate::{ss58, units};

/// Finney's `GLOBAL_MAX_SUBNET_COUNT`: the stride between mechanisms' storage indexes.
pub const GLOBAL_MAX_SUBNET_COUNT: u16 = 4096;

/// Where mechanism `mechanism` of `netuid` keeps its per-mechanism vectors (finney's
/// `NetUidStorageIndex`): `mechanism · 4096 + netuid`; mechanism 0 at the netuid itself.
pub fn storage_index(netuid: u16, mechanism: u8) -> u16 {
    u16::from(mechanism)
        .saturating_mul(GLOBAL_MAX_SUBNET_COUNT)
        .saturating_add(netuid)
}

/// The per-uid vectors keyed by storage index, one value per mechanism.
pub const PER_MECHANISM: &[&str] = &["Incentive", "LastUpdate"];

/// The key part of `name`'s value for this metagraph: the storage index for per-mechanism
/// vectors, the netuid for the others.
fn vector_key(name: &str, netuid: u16, mechanism: u8) -> [u8; 2] {
    if PER_MECHANISM.contains(&name) {
        storage_index(netuid, mechanism).to_le_bytes()
    } else {
        netuid.to_le_bytes()
    }
}

/// Per-uid vectors, one storage value per subnet (per mechanism for [`PER_MECHANISM`]).
pub const VECTORS: &[&str] = &[
    "Active",
    "ValidatorPermit",
    "Consensus",
    "Incentive",
    "Dividends",
    "ValidatorTrust",
    "Emission",
    "LastUpdate",
];

/// The items behind the pruning rule, where the runtime has them.
const PRUNING_ITEMS: [&str; 3] = ["ImmunityPeriod", "MinNonImmuneUids", "SubnetOwnerHotkey"];

/// This subnet's pruning parameters, one value each (none when the runtime lacks any of them).
fn pruning_reads(metadata: &Metadata, netuid: u16) -> Reads {
    let items: Option<Vec<Item>> = PRUNING_ITEMS
        .iter()
        .map(|name| subtensor(metadata, name).ok())
        .collect();
    items
        .into_iter()
        .flatten()
        .map(|item| (item.key(&[&netuid.to_le_bytes()]), StorageQueryKind::Value))
        .collect()
}

/// The pruning rule's parameters from [`pruning_reads`]' results.
fn pruning_rule(metadata: &Metadata, netuid: u16, values: &ByKey) -> Result<Option<PruningRule>, DecodeError> {
    let items: Result<Vec<Item>, DecodeError> = PRUNING_ITEMS.iter().map(|name| subtensor(metadata, name)).collect();
    let Ok(items) = items else {
        return Ok(None);
    };
    let [immunity, floor, owner] = &items[..] else {
        return Ok(None);
    };
    let key = netuid.to_le_bytes();
    let read_u16 = |item: &Item| item.read(values.get(&item.key(&[&key])), "u16", as_u16);
    Ok(Some(PruningRule {
        immunity_period: read_u16(immunity)?.unwrap_or_default(),
        min_non_immune: read_u16(floor)?.unwrap_or_default(),
        owner_hotkey: owner
            .read(values.get(&owner.key(&[&key])), "an account", as_account)?
            .map(|account| ss58::encode(&account))
            .unwrap_or_default(),
    }))
}

/// First round: the vectors, the uid count, and the uid-keyed maps of this subnet.
pub fn reads(metadata: &Metadata, netuid: u16, mechanism: u8) -> Result<Reads, DecodeError> {
    let mut reads: Reads = VECTORS
        .iter()
        .map(|name| {
            let key = vector_key(name, netuid, mechanism);
            Ok((subtensor(metadata, name)?.key(&[&key]), StorageQueryKind::Value))
        })
        .collect::<Result<_, DecodeError>>()?;
    let netuid = netuid.to_le_bytes();
    reads.push((
        subtensor(metadata, "SubnetworkN")?.key(&[&netuid]),
        StorageQueryKind::Value,
    ));
    for name in ["Keys", "BlockAtRegistration", "Axons"] {
        reads.push((
            subtensor(metadata, name)?.key(&[&netuid]),
            StorageQueryKind::DescendantsValues,
        ));
    }
    reads.extend(pruning_reads(metadata, u16::from_le_bytes(netuid)));
    Ok(reads)
}

/// The hotkeys of the subnet by uid, from the first round's `Keys` entries.
pub fn hotkeys(metadata: &Metadata, netuid: u16, results: &Results) -> Result<Vec<(u16, [u8; 32])>, DecodeError> {
    let keys = subtensor(metadata, "Keys")?;
    let prefix = keys.key(&[&netuid.to_le_bytes()]);
    let mut hotkeys = Vec::new();
    for (key, value) in results.iter().filter(|(key, _)| key.starts_with(&prefix)) {
        let Some(uid) = keys.key_u16(key, 1, &[2, 2]) else {
            continue;
        };
        if let Some(hotkey) = keys.read(Some(value), "an account", as_account)? {
            hotkeys.push((uid, hotkey));
        }
    }
    hotkeys.sort_by_key(|(uid, _)| *uid);
    Ok(hotkeys)
}

/// Second round: each hotkey's owner and its stake on this subnet.
pub fn hotkey_reads(metadata: &Metadata, netuid: u16, hotkeys: &[(u16, [u8; 32])]) -> Result<Reads, DecodeError> {
    let owner = subtensor(metadata, "Owner")?;
    let stake = subtensor(metadata, "TotalHotkeyAlpha")?;
    Ok(hotkeys
        .iter()
        .flat_map(|(_, hotkey)| {
            [
                (owner.key(&[hotkey]), StorageQueryKind::Value),
                (stake.key(&[hotkey, &netuid.to_le_bytes()]), StorageQueryKind::Value),
            ]
        })
        .collect())
}

fn vector(
    item: &Item,
    values: &ByKey,
    key: [u8; 2],
    read: fn(&Value) -> Option<u128>,
) -> Result<Vec<u128>, DecodeError> {
    let bytes = values.get(&item.key(&[&key]));
    Ok(item
        .read(bytes, "a vector", |value| {
            as_list(value)?.into_iter().map(read).collect::<Option<Vec<_>>>()
        })?
        .unwrap_or_default())
}

fn axon_text(value: &Value) -> Option<String> {
    let ip = as_u128(field(value, "ip")?)?;
    let port = as_u16(field(value, "port")?)?;
    let ip_type = as_u16(field(value, "ip_type")?)?;
    if ip == 0 {
        return None;
    }
    Some(match ip_type {
        4 => format!("{}:{port}", std::net::Ipv4Addr::from(ip as u32)),
        _ => format!("[{}]:{port}", std::net::Ipv6Addr::from(ip)),
    })
}

/// Fails when a per-uid vector has fewer entries than there are uids.
fn check_lengths(vectors: &[(&str, usize)], uids: usize, against: &'static str) -> Result<(), DecodeError> {
    match vectors.iter().find(|(_, found)| *found < uids) {
        Some((item, found)) => Err(DecodeError::Inconsistent {
            item: item.to_string(),
            found: *found,
            expected: uids,
            against: against.into(),
        }),
        None => Ok(()),
    }
}

/// Assembles the metagraph from both rounds' results.
pub fn assemble(metadata: &Metadata, netuid: u16, mechanism: u8, results: &Results) -> Result<Metagraph, DecodeError> {
    let netuid_bytes = netuid.to_le_bytes();
    let values = ByKey::new(results);
    let item = |name: &str| subtensor(metadata, name);
    let key = |name: &str| vector_key(name, netuid, mechanism);
    let bools = |name: &str| vector(&item(name)?, &values, key(name), |v| as_bool(v).map(u128::from));
    let numbers = |name: &str| vector(&item(name)?, &values, key(name), as_u128);
    let active = bools("Active")?;
    let permit = bools("ValidatorPermit")?;
    let consensus = numbers("Consensus")?;
    let incentive = numbers("Incentive")?;
    let dividends = numbers("Dividends")?;
    let trust = numbers("ValidatorTrust")?;
    let emission = numbers("Emission")?;
    let last_update = numbers("LastUpdate")?;
    let count = subtensor(metadata, "SubnetworkN")?;
    let uids = count
        .read(values.get(&count.key(&[&netuid_bytes])), "u16", as_u16)?
        .unwrap_or_default();
    check_lengths(
        &[
            ("SubtensorModule.Active", active.len()),
            ("SubtensorModule.ValidatorPermit", permit.len()),
            ("SubtensorModule.Consensus", consensus.len()),
            ("SubtensorModule.Incentive", incentive.len()),
            ("SubtensorModule.Dividends", dividends.len()),
            ("SubtensorModule.ValidatorTrust", trust.len()),
            ("SubtensorModule.Emission", emission.len()),
            ("SubtensorModule.LastUpdate", last_update.len()),
        ],
        usize::from(uids),
        "SubtensorModule.SubnetworkN",
    )?;

    let registered = item("BlockAtRegistration")?;
    let axons = item("Axons")?;
    let owner = item("Owner")?;
    let stake = item("TotalHotkeyAlpha")?;
    let proportion = |values: &[u128], uid: usize| {
        units::proportion_from_u16(values.get(uid).copied().unwrap_or(0).min(u128::from(u16::MAX)) as u16)
    };
    let mut neurons = Vec::new();
    for (uid, hotkey) in hotkeys(metadata, netuid, results)? {
        let index = usize::from(uid);
        let coldkey = owner.read(values.get(&owner.key(&[&hotkey])), "an account", as_account)?;
        let axon = match values.get(&axons.key(&[&netuid_bytes, &hotkey])) {
            Some(bytes) => axon_text(&axons.decode(bytes)?),
            None => None,
        };
        neurons.push(Neuron {
            uid,
            hotkey: ss58::encode(&hotkey),
            coldkey: coldkey.map(|c| ss58::encode(&c)).unwrap_or_default(),
            stake_alpha: stake
                .read(values.get(&stake.key(&[&hotkey, &netuid_bytes])), "u64", as_u64)?
                .unwrap_or_default(),
            validator_permit: permit.get(index).is_some_and(|p| *p == 1),
            validator_trust: proportion(&trust, index),
            consensus: proportion(&consensus, index),
            incentive: proportion(&incentive, index),
            dividends: proportion(&dividends, index),
            emission_alpha: emission.get(index).copied().unwrap_or(0) as u64,
            active: active.get(index).is_some_and(|a| *a == 1),
            last_update: last_update.get(index).copied().unwrap_or(0) as u64,
            registered_at: registered
                .read(
                    values.get(&registered.key(&[&netuid_bytes, &uid.to_le_bytes()])),
                    "u64",
                    as_u64,
                )?
                .unwrap_or_default(),
            axon,
        });
    }
    Ok(Metagraph {
        netuid,
        mechanism,
        neurons,
        pruning: pruning_rule(metadata, netuid, &values)?,
        source: MetagraphSource::StorageReads {
            why: "storage reads were asked for".into(),
        },
    })
}

/// The storage reads the runtime call lacks: this subnet's validator trust vector and pruning
/// parameters.
pub fn side_reads(metadata: &Metadata, netuid: u16) -> Result<Reads, DecodeError> {
    let mut reads = vec![(
        subtensor(metadata, "ValidatorTrust")?.key(&[&netuid.to_le_bytes()]),
        StorageQueryKind::Value,
    )];
    reads.extend(pruning_reads(metadata, netuid));
    Ok(reads)
}

/// Assembles the metagraph from `get_selective_metagraph`'s decoded answer (see
/// `runtime_api::RuntimeApiRead::MetagraphView`) and the validator trust read. `None` from the
/// runtime means no such subnet: an empty metagraph, as the storage reads give.
pub fn assemble_from_call(
    metadata: &Metadata,
    netuid: u16,
    mechanism: u8,
    answer: &Value,
    results: &Results,
) -> Result<Metagraph, DecodeError> {
    const API: &str = "SubnetInfoRuntimeApi.get_selective_metagraph";
    let retyped = |expected: &'static str| DecodeError::Retyped {
        item: API.to_string(),
        expected: expected.into(),
    };
    let Some(metagraph) = as_option(answer).ok_or(retyped("an optional metagraph"))? else {
        return Ok(Metagraph {
            netuid,
            mechanism,
            neurons: Vec::new(),
            pruning: None,
            source: MetagraphSource::RuntimeCall,
        });
    };
    let column = |name: &'static str| -> Result<Vec<&Value>, DecodeError> {
        field(metagraph, name)
            .and_then(as_option)
            .flatten()
            .and_then(as_list)
            .ok_or(retyped("the selected metagraph fields"))
    };
    let numbers = |name: &'static str| -> Result<Vec<u128>, DecodeError> {
        column(name)?
            .into_iter()
            .map(as_u128)
            .collect::<Option<_>>()
            .ok_or(retyped("numbers in the metagraph's vectors"))
    };
    let flags = |name: &'static str| -> Result<Vec<bool>, DecodeError> {
        column(name)?
            .into_iter()
            .map(as_bool)
            .collect::<Option<_>>()
            .ok_or(retyped("booleans in the metagraph's vectors"))
    };
    let accounts = |name: &'static str| -> Result<Vec<[u8; 32]>, DecodeError> {
        column(name)?
            .into_iter()
            .map(as_account)
            .collect::<Option<_>>()
            .ok_or(retyped("accounts in the metagraph's vectors"))
    };
    let hotkeys = accounts("hotkeys")?;
    let coldkeys = accounts("coldkeys")?;
    let axons = column("axons")?;
    let (active, permit) = (flags("active")?, flags("validator_permit")?);
    let (last_update, emission) = (numbers("last_update")?, numbers("emission")?);
    let (dividends, incentive, consensus) = (numbers("dividends")?, numbers("incentives")?, numbers("consensus")?);
    let (registered, stake) = (numbers("block_at_registration")?, numbers("alpha_stake")?);
    let side = ByKey::new(results);
    let trust = vector(
        &subtensor(metadata, "ValidatorTrust")?,
        &side,
        netuid.to_le_bytes(),
        as_u128,
    )?;
    check_lengths(
        &[
            ("coldkeys", coldkeys.len()),
            ("axons", axons.len()),
            ("active", active.len()),
            ("validator_permit", permit.len()),
            ("last_update", last_update.len()),
            ("emission", emission.len()),
            ("dividends", dividends.len()),
            ("incentives", incentive.len()),
            ("consensus", consensus.len()),
            ("block_at_registration", registered.len()),
            ("alpha_stake", stake.len()),
            ("SubtensorModule.ValidatorTrust", trust.len()),
        ],
        hotkeys.len(),
        "the metagraph's hotkeys",
    )?;
    let at = |values: &[u128], uid: usize| values.get(uid).copied().unwrap_or(0);
    let proportion =
        |values: &[u128], uid: usize| units::proportion_from_u16(at(values, uid).min(u128::from(u16::MAX)) as u16);
    let neurons = hotkeys
        .iter()
        .enumerate()
        .map(|(index, hotkey)| Neuron {
            uid: index as u16,
            hotkey: ss58::encode(hotkey),
            coldkey: coldkeys.get(index).map(ss58::encode).unwrap_or_default(),
            stake_alpha: at(&stake, index) as u64,
            validator_permit: permit.get(index).copied().unwrap_or(false),
            validator_trust: proportion(&trust, index),
            consensus: proportion(&consensus, index),
            incentive: proportion(&incentive, index),
            dividends: proportion(&dividends, index),
            emission_alpha: at(&emission, index) as u64,
            active: active.get(index).copied().unwrap_or(false),
            last_update: at(&last_update, index) as u64,
            registered_at: at(&registered, index) as u64,
            axon: axons.get(index).and_then(|axon| axon_text(axon)),
        })
        .collect();
    Ok(Metagraph {
        netuid,
        mechanism,
        neurons,
        pruning: pruning_rule(metadata, netuid, &side)?,
        source: MetagraphSource::RuntimeCall,
    })
}

/// A metagraph read from storage in two rounds: the per-uid vectors and uid-keyed maps, then the
/// items keyed by each uid's hotkey.
pub struct FromStorage {
    netuid: u16,
    mechanism: u8,
    hotkeys_read: bool,
}

/// The metagraph of `netuid`'s mechanism `mechanism` from storage reads.
pub fn from_storage(netuid: u16, mechanism: u8) -> FromStorage {
    FromStorage {
        netuid,
        mechanism,
        hotkeys_read: false,
    }
}

impl Query for FromStorage {
    type Output = Metagraph;

    fn start(&mut self, metadata: &Metadata) -> Result<Step<Metagraph>, DecodeError> {
        Ok(Step::Read(reads(metadata, self.netuid, self.mechanism)?))
    }

    fn next(&mut self, metadata: &Metadata, answer: Answer<'_>) -> Result<Step<Metagraph>, DecodeError> {
        if self.hotkeys_read {
            return Ok(Step::Done(assemble(metadata, self.netuid, self.mechanism, answer.results)?));
        }
        self.hotkeys_read = true;
        let hotkeys = hotkeys(metadata, self.netuid, answer.results)?;
        Ok(Step::Read(hotkey_reads(metadata, self.netuid, &hotkeys)?))
    }
}

/// A metagraph from `get_selective_metagraph` (mechanism 0) or `get_selective_mechagraph`, with
/// the validator trust and pruning parameters it lacks read alongside.
pub struct FromCall {
    netuid: u16,
    mechanism: u8,
}

impl CallQuery for FromCall {
    type Output = Metagraph;

    fn call(&self) -> RuntimeApiRead {
        RuntimeApiRead::MetagraphView {
            netuid: self.netuid,
            mechanism: self.mechanism,
        }
    }

    fn alongside(&self, metadata: &Metadata) -> Result<Reads, DecodeError> {
        side_reads(metadata, self.netuid)
    }

    fn assemble(&self, metadata: &Metadata, answer: &Value, results: &Results) -> Result<Metagraph, DecodeError> {
        assemble_from_call(metadata, self.netuid, self.mechanism, answer, results)
    }
}

/// `mechagraph(netuid, mechanism)`: over the runtime call where the runtime has it in a shape
/// this dashboard reads, else from storage, the metagraph then saying why.
pub fn query(netuid: u16, mechanism: u8) -> impl Query<Output = Metagraph> {
    CallOrReads::new(
        FromCall { netuid, mechanism },
        from_storage(netuid, mechanism),
        |metagraph: &mut Metagraph, why| metagraph.source = MetagraphSource::StorageReads { why },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vector_shorter_than_the_uid_count_is_an_inconsistency_that_names_it() {
        let against = "SubtensorModule.SubnetworkN";
        assert_eq!(check_lengths(&[("A", 3), ("B", 4)], 3, against), Ok(()));
        assert_eq!(check_lengths(&[], 0, against), Ok(()));
        assert_eq!(
            check_lengths(&[("A", 3), ("B", 2), ("C", 0)], 3, against),
            Err(DecodeError::Inconsistent {
                item: "B".into(),
                found: 2,
                expected: 3,
                against: against.into(),
            })
        );
    }
}
