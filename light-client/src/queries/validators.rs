//! `validators()`: every delegate hotkey (a `Delegates` entry means "open for delegation") with its
//! take, owner identity, stake on every subnet and, where it holds a validator permit, its uid,
//! validator trust, dividends and last-epoch yield. Three rounds of reads: the network-wide maps;
//! then the hotkeys behind every permit and each delegate's owner; then each delegate's stake,
//! dividends and stake at the last epoch, and identity.
//! `validator(hotkey)` reads one delegate the same way, but finds its seats through `Uids` (one
//! read per subnet) instead of reading the hotkey behind every permit on the network. Stake is
//! valued at [`super::price`]'s prices: where a pool has a curve, the second round carries the
//! runtime's price call.

use std::collections::{BTreeMap, BTreeSet};

use super::price::{self, RuntimePrices, curve_read, price_of, swap_balancer};
use super::{
    Answer, ByKey, EpochSchedule, Query, Reads, Results, Step, by_netuid, consensus_mode, epoch_consensus, epoch_reads,
    subtensor,
};
use crate::keys::StorageQueryKind;
use crate::decode::{DecodeError, Item, Value, as_account, as_bool, as_bytes, as_list, as_option, as_u16, as_u64};
use crate::decode::{field, untrusted_text};
use crate::metadata::Metadata;
use crate::model::{ConsensusMode, Validator, ValidatorSubnet};
use crate::{ss58, units};

/// Netuid-keyed maps read whole in the first round.
const NETWORK_ITEMS: &[&str] = &[
    "NetworksAdded",
    "ValidatorPermit",
    "ValidatorTrust",
    "Dividends",
    "SubnetTAO",
    "SubnetAlphaIn",
    "SubnetMechanism",
];

/// First round: every delegate and the netuid-keyed maps, one descendants read each.
fn reads(metadata: &Metadata) -> Result<Reads, DecodeError> {
    let mut reads = std::iter::once("Delegates")
        .chain(NETWORK_ITEMS.iter().copied())
        .map(|name| Ok((subtensor(metadata, name)?.key(&[]), StorageQueryKind::DescendantsValues)))
        .collect::<Result<Reads, DecodeError>>()?;
    reads.push((swap_balancer(metadata)?.key(&[]), StorageQueryKind::DescendantsValues));
    reads.extend(epoch_consensus(metadata).map(|item| (item.key(&[]), StorageQueryKind::DescendantsValues)));
    reads.extend(epoch_reads(metadata)?);
    reads.extend(curve_read(metadata));
    Ok(reads)
}

/// The delegate hotkeys listed in `Delegates`, with their take (0–1).
fn delegates(metadata: &Metadata, results: &Results) -> Result<BTreeMap<[u8; 32], f64>, DecodeError> {
    let item = subtensor(metadata, "Delegates")?;
    let prefix = item.key(&[]);
    let mut delegates = BTreeMap::new();
    for (key, value) in results.iter().filter(|(key, _)| key.starts_with(&prefix)) {
        let Some(hotkey) = item.key_part(key, 0, &[32]).and_then(|k| <[u8; 32]>::try_from(k).ok()) else {
            continue;
        };
        let take = item.read(Some(value), "u16", as_u16)?.unwrap_or_default();
        delegates.insert(hotkey, units::proportion_from_u16(take));
    }
    Ok(delegates)
}

/// A netuid-keyed vector map (`ValidatorPermit`, `ValidatorTrust`, ...) decoded per subnet.
pub(super) fn vectors<T>(
    metadata: &Metadata,
    results: &Results,
    name: &str,
    read: fn(&Value) -> Option<T>,
) -> Result<BTreeMap<u16, Vec<T>>, DecodeError> {
    let item = subtensor(metadata, name)?;
    let mut vectors = BTreeMap::new();
    for (netuid, bytes) in by_netuid(&item, results) {
        let values = item
            .read(Some(bytes), "a vector", |value| {
                as_list(value)?.into_iter().map(read).collect::<Option<Vec<_>>>()
            })?
            .unwrap_or_default();
        vectors.insert(netuid, values);
    }
    Ok(vectors)
}

/// The (netuid, uid) pairs that hold a validator permit, on subnets that exist.
fn permits(metadata: &Metadata, results: &Results) -> Result<Vec<(u16, u16)>, DecodeError> {
    let live = live_netuids(metadata, results)?;
    let mut pairs = Vec::new();
    for (netuid, permit) in vectors(metadata, results, "ValidatorPermit", as_bool)? {
        if live.contains(&netuid) {
            pairs.extend(
                permit
                    .iter()
                    .enumerate()
                    .filter(|(_, has)| **has)
                    .filter_map(|(uid, _)| Some((netuid, u16::try_from(uid).ok()?))),
            );
        }
    }
    Ok(pairs)
}

/// Second round: the hotkey behind every permit, and each delegate's owner coldkey.
fn permit_reads(metadata: &Metadata, results: &Results) -> Result<Reads, DecodeError> {
    let keys = subtensor(metadata, "Keys")?;
    let owner = subtensor(metadata, "Owner")?;
    let mut reads: Reads = permits(metadata, results)?
        .into_iter()
        .map(|(netuid, uid)| {
            (
                keys.key(&[&netuid.to_le_bytes(), &uid.to_le_bytes()]),
                StorageQueryKind::Value,
            )
        })
        .collect();
    reads.extend(
        delegates(metadata, results)?
            .keys()
            .map(|hotkey| (owner.key(&[hotkey]), StorageQueryKind::Value)),
    );
    Ok(reads)
}

/// (netuid, uid) pairs where each delegate hotkey holds a validator permit.
type Seats = BTreeMap<[u8; 32], Vec<(u16, u16)>>;

/// Subnets that exist (`NetworksAdded` true).
fn live_netuids(metadata: &Metadata, results: &Results) -> Result<BTreeSet<u16>, DecodeError> {
    let networks = subtensor(metadata, "NetworksAdded")?;
    let mut live = BTreeSet::new();
    for (netuid, bytes) in by_netuid(&networks, results) {
        if networks.read(Some(bytes), "bool", as_bool)?.unwrap_or(false) {
            live.insert(netuid);
        }
    }
    Ok(live)
}

/// First round for one delegate: its `Delegates` entry and owner, and the netuid-keyed maps.
fn one_reads(metadata: &Metadata, hotkey: &[u8; 32]) -> Result<Reads, DecodeError> {
    let mut reads = vec![
        (
            subtensor(metadata, "Delegates")?.key(&[hotkey]),
            StorageQueryKind::Value,
        ),
        (subtensor(metadata, "Owner")?.key(&[hotkey]), StorageQueryKind::Value),
    ];
    for name in NETWORK_ITEMS {
        reads.push((subtensor(metadata, name)?.key(&[]), StorageQueryKind::DescendantsValues));
    }
    reads.push((swap_balancer(metadata)?.key(&[]), StorageQueryKind::DescendantsValues));
    reads.extend(epoch_consensus(metadata).map(|item| (item.key(&[]), StorageQueryKind::DescendantsValues)));
    reads.extend(epoch_reads(metadata)?);
    reads.extend(curve_read(metadata));
    Ok(reads)
}

/// Whether the first round found `hotkey` in `Delegates` (a hotkey that is not a delegate ends
/// the query there).
fn is_delegate(metadata: &Metadata, hotkey: &[u8; 32], results: &Results) -> Result<bool, DecodeError> {
    Ok(delegates(metadata, results)?.contains_key(hotkey))
}

/// Second round for one delegate: its uid on every subnet that exists.
fn one_uid_reads(metadata: &Metadata, hotkey: &[u8; 32], results: &Results) -> Result<Reads, DecodeError> {
    let uids = subtensor(metadata, "Uids")?;
    Ok(live_netuids(metadata, results)?
        .into_iter()
        .map(|netuid| (uids.key(&[&netuid.to_le_bytes(), hotkey]), StorageQueryKind::Value))
        .collect())
}

/// Where one delegate validates: its uid on each subnet (from `Uids`) where that uid holds a
/// validator permit.
fn seats_from_uids(metadata: &Metadata, hotkey: &[u8; 32], results: &Results) -> Result<Seats, DecodeError> {
    let uids = subtensor(metadata, "Uids")?;
    let permits = vectors(metadata, results, "ValidatorPermit", as_bool)?;
    let values = ByKey::new(results);
    let mut seats = Seats::new();
    for netuid in live_netuids(metadata, results)? {
        let key = uids.key(&[&netuid.to_le_bytes(), hotkey]);
        let Some(uid) = uids.read(values.get(&key), "u16", as_u16)? else {
            continue;
        };
        let permitted = permits
            .get(&netuid)
            .and_then(|permit| permit.get(usize::from(uid)))
            .copied()
            .unwrap_or(false);
        if permitted {
            seats.entry(*hotkey).or_default().push((netuid, uid));
        }
    }
    Ok(seats)
}

/// Where each delegate validates, from the hotkeys behind the permits.
fn seats(metadata: &Metadata, results: &Results) -> Result<Seats, DecodeError> {
    let delegates = delegates(metadata, results)?;
    let keys = subtensor(metadata, "Keys")?;
    let values = ByKey::new(results);
    let mut seats = Seats::new();
    for (netuid, uid) in permits(metadata, results)? {
        let key = keys.key(&[&netuid.to_le_bytes(), &uid.to_le_bytes()]);
        if let Some(hotkey) = keys.read(values.get(&key), "an account", as_account)?
            && delegates.contains_key(&hotkey)
        {
            seats.entry(hotkey).or_default().push((netuid, uid));
        }
    }
    Ok(seats)
}

fn owner_of(owner: &Item, values: &ByKey, hotkey: &[u8; 32]) -> Result<Option<[u8; 32]>, DecodeError> {
    owner.read(values.get(&owner.key(&[hotkey])), "an account", as_account)
}

/// Third round: each delegate's stake on every subnet (one descendants read per hotkey), its
/// dividends where it validates (`seats`), and its owner's identity.
fn stake_reads_for(metadata: &Metadata, results: &Results, seats: &Seats) -> Result<Reads, DecodeError> {
    let stake = subtensor(metadata, "TotalHotkeyAlpha")?;
    let dividends = subtensor(metadata, "AlphaDividendsPerSubnet")?;
    let last_epoch = subtensor(metadata, "TotalHotkeyAlphaLastEpoch")?;
    let owner = subtensor(metadata, "Owner")?;
    let identities = subtensor(metadata, "IdentitiesV2")?;
    let values = ByKey::new(results);
    let mut reads = Reads::new();
    // One coldkey may own several delegate hotkeys: read its identity once.
    let mut coldkeys = BTreeSet::new();
    for hotkey in delegates(metadata, results)?.keys() {
        reads.push((stake.key(&[hotkey]), StorageQueryKind::DescendantsValues));
        for (netuid, _) in seats.get(hotkey).into_iter().flatten() {
            reads.push((dividends.key(&[&netuid.to_le_bytes(), hotkey]), StorageQueryKind::Value));
            reads.push((
                last_epoch.key(&[hotkey, &netuid.to_le_bytes()]),
                StorageQueryKind::Value,
            ));
        }
        coldkeys.extend(owner_of(&owner, &values, hotkey)?);
    }
    reads.extend(
        coldkeys
            .iter()
            .map(|coldkey| (identities.key(&[coldkey]), StorageQueryKind::Value)),
    );
    Ok(reads)
}

/// The identity name and URL of a coldkey (untrusted text; empty when none is set).
pub(super) fn identity_of(
    identities: &Item,
    values: &ByKey,
    coldkey: &[u8; 32],
) -> Result<(String, String), DecodeError> {
    let Some(bytes) = values.get(&identities.key(&[coldkey])) else {
        return Ok((String::new(), String::new()));
    };
    let value = identities.decode(bytes)?;
    let value = as_option(&value).flatten().unwrap_or(&value);
    let text = |name: &str| field(value, name).and_then(as_bytes).map(|b| untrusted_text(&b));
    match (text("name"), text("url")) {
        (Some(name), Some(url)) => Ok((name, url)),
        _ => Err(DecodeError::Retyped {
            item: identities.name.clone(),
            expected: "a ChainIdentityV2".into(),
        }),
    }
}

/// Subnets in Null consensus (none where the runtime has no `SubnetEpochConsensus`).
pub(super) fn null_consensus_subnets(metadata: &Metadata, results: &Results) -> Result<BTreeSet<u16>, DecodeError> {
    let Some(item) = epoch_consensus(metadata) else {
        return Ok(BTreeSet::new());
    };
    let mut null = BTreeSet::new();
    for (netuid, bytes) in by_netuid(&item, results) {
        if consensus_mode(&item, Some(bytes))? == ConsensusMode::Null {
            null.insert(netuid);
        }
    }
    Ok(null)
}

/// Whether a pool the validators are valued on has a curve (any subnet's: a delegate's stake
/// may be on any).
fn curved(metadata: &Metadata, results: &Results) -> bool {
    !price::curve_pools(metadata, results).is_empty()
}

/// Assembles every delegate from the three rounds' results and its `seats`, highest TAO-valued
/// stake first (stake on a subnet without a price counts for nothing).
fn assemble_with(
    metadata: &Metadata,
    results: &Results,
    seats: &Seats,
    runtime: &RuntimePrices,
) -> Result<Vec<Validator>, DecodeError> {
    let stake = subtensor(metadata, "TotalHotkeyAlpha")?;
    let dividends_item = subtensor(metadata, "AlphaDividendsPerSubnet")?;
    let last_epoch = subtensor(metadata, "TotalHotkeyAlphaLastEpoch")?;
    let schedule = EpochSchedule::new(metadata, results)?;
    let owner = subtensor(metadata, "Owner")?;
    let identities = subtensor(metadata, "IdentitiesV2")?;
    let trust = vectors(metadata, results, "ValidatorTrust", as_u16)?;
    let dividends = vectors(metadata, results, "Dividends", as_u16)?;
    let prices = price::prices(metadata, results, runtime)?;
    let null_consensus = null_consensus_subnets(metadata, results)?;
    let values = ByKey::new(results);
    let proportion = |vectors: &BTreeMap<u16, Vec<u16>>, netuid: u16, uid: u16| {
        let value = vectors.get(&netuid).and_then(|v| v.get(usize::from(uid))).copied();
        units::proportion_from_u16(value.unwrap_or(0))
    };

    let mut validators = Vec::new();
    for (hotkey, take) in delegates(metadata, results)? {
        let stake_prefix = stake.key(&[&hotkey]);
        let mut stake_by_subnet = BTreeMap::new();
        for (key, value) in results.iter().filter(|(key, _)| key.starts_with(&stake_prefix)) {
            if let Some(netuid) = stake.key_u16(key, 1, &[32, 2]) {
                stake_by_subnet.insert(netuid, stake.read(Some(value), "u64", as_u64)?.unwrap_or(0));
            }
        }
        let stake_tao_equivalent_rao = stake_by_subnet
            .iter()
            .map(|(netuid, alpha)| *alpha as f64 * price_of(&prices, *netuid).unwrap_or(0.0))
            .sum::<f64>()
            .round() as u64;
        let subnets = seats
            .get(&hotkey)
            .into_iter()
            .flatten()
            .map(|&(netuid, uid)| {
                let dividends_alpha = dividends_item
                    .read(
                        values.get(&dividends_item.key(&[&netuid.to_le_bytes(), &hotkey])),
                        "u64",
                        as_u64,
                    )?
                    .unwrap_or(0);
                let stake_last_epoch_alpha = last_epoch
                    .read(
                        values.get(&last_epoch.key(&[&hotkey, &netuid.to_le_bytes()])),
                        "u64",
                        as_u64,
                    )?
                    .unwrap_or(0);
                Ok(ValidatorSubnet {
                    netuid,
                    uid,
                    stake_alpha: stake_by_subnet.get(&netuid).copied().unwrap_or(0),
                    price: price_of(&prices, netuid),
                    validator_trust: proportion(&trust, netuid, uid),
                    null_consensus: null_consensus.contains(&netuid),
                    dividends: proportion(&dividends, netuid, uid),
                    dividends_alpha,
                    stake_last_epoch_alpha,
                    tempo: schedule.tempo(netuid)?,
                    epoch_spacing: schedule.spacing(netuid)?,
                })
            })
            .collect::<Result<Vec<_>, DecodeError>>()?;
        let coldkey = owner_of(&owner, &values, &hotkey)?;
        let (name, url) = match &coldkey {
            Some(coldkey) => identity_of(&identities, &values, coldkey)?,
            None => (String::new(), String::new()),
        };
        validators.push(Validator {
            hotkey: ss58::encode(&hotkey),
            coldkey: coldkey.map(|c| ss58::encode(&c)).unwrap_or_default(),
            name,
            url,
            take,
            stake_tao_equivalent_rao,
            subnets,
        });
    }
    validators.sort_by_key(|v| std::cmp::Reverse(v.stake_tao_equivalent_rao));
    Ok(validators)
}

/// `validators()` in three rounds; the seats found after the second are kept for the third
/// round and the assembly.
pub struct ValidatorsQuery {
    round: u8,
    seats: Option<Seats>,
    prices: RuntimePrices,
}

/// The query for every delegate.
pub fn all() -> ValidatorsQuery {
    ValidatorsQuery {
        round: 0,
        seats: None,
        prices: RuntimePrices::default(),
    }
}

impl Query for ValidatorsQuery {
    type Output = Vec<Validator>;

    fn start(&mut self, metadata: &Metadata) -> Result<Step<Vec<Validator>>, DecodeError> {
        Ok(Step::Read(reads(metadata)?))
    }

    fn next(&mut self, metadata: &Metadata, answer: Answer<'_>) -> Result<Step<Vec<Validator>>, DecodeError> {
        let results = answer.results;
        self.prices.receive(metadata, answer);
        self.round += 1;
        match (self.round, &self.seats) {
            (1, _) => {
                let reads = permit_reads(metadata, results)?;
                Ok(self.prices.step(metadata, curved(metadata, results), reads))
            }
            (_, None) => {
                let seats = self.seats.insert(seats(metadata, results)?);
                Ok(Step::Read(stake_reads_for(metadata, results, seats)?))
            }
            (_, Some(seats)) => Ok(Step::Done(assemble_with(metadata, results, seats, &self.prices)?)),
        }
    }
}

/// `validator(hotkey)` in up to three rounds: a hotkey that is not a delegate ends after the
/// first; its seats, found through `Uids` after the second, are kept for the rest.
pub struct ValidatorQuery {
    hotkey: [u8; 32],
    round: u8,
    seats: Option<Seats>,
    prices: RuntimePrices,
}

/// The query for one delegate.
pub fn one(hotkey: [u8; 32]) -> ValidatorQuery {
    ValidatorQuery {
        hotkey,
        round: 0,
        seats: None,
        prices: RuntimePrices::default(),
    }
}

impl Query for ValidatorQuery {
    type Output = Option<Validator>;

    fn start(&mut self, metadata: &Metadata) -> Result<Step<Option<Validator>>, DecodeError> {
        Ok(Step::Read(one_reads(metadata, &self.hotkey)?))
    }

    fn next(&mut self, metadata: &Metadata, answer: Answer<'_>) -> Result<Step<Option<Validator>>, DecodeError> {
        let results = answer.results;
        self.prices.receive(metadata, answer);
        self.round += 1;
        match (self.round, &self.seats) {
            (1, _) if !is_delegate(metadata, &self.hotkey, results)? => Ok(Step::Done(None)),
            (1, _) => {
                let reads = one_uid_reads(metadata, &self.hotkey, results)?;
                Ok(self.prices.step(metadata, curved(metadata, results), reads))
            }
            (_, None) => {
                let seats = self.seats.insert(seats_from_uids(metadata, &self.hotkey, results)?);
                Ok(Step::Read(stake_reads_for(metadata, results, seats)?))
            }
            (_, Some(seats)) => {
                let encoded = ss58::encode(&self.hotkey);
                let found = assemble_with(metadata, results, seats, &self.prices)?
                    .into_iter()
                    .find(|v| v.hotkey == encoded);
                Ok(Step::Done(found))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use codec::Encode;

    use super::*;
    use crate::contract::tests::finney;
    use crate::queries::fake_chain::{answer, run};

    const HOTKEY: [u8; 32] = [7; 32];
    const OTHER: [u8; 32] = [8; 32];
    const COLDKEY: [u8; 32] = [9; 32];

    /// One delegate (HOTKEY) with a permit at uid 2 on subnet 1, where uid 1 is another hotkey's.
    fn chain_state(metadata: &Metadata) -> Vec<(Vec<u8>, Vec<u8>)> {
        let item = |name: &str| subtensor(metadata, name).expect(name);
        let (hotkey, other, coldkey) = (HOTKEY, OTHER, COLDKEY);
        let (one, root) = (1u16.to_le_bytes(), 0u16.to_le_bytes());
        let identity = (b"Validator <b>".to_vec(), b"https://v.example".to_vec(), vec![0u8; 0]);
        vec![
            (item("Delegates").key(&[&hotkey]), 11_796u16.encode()),
            (item("NetworksAdded").key(&[&root]), true.encode()),
            (item("NetworksAdded").key(&[&one]), true.encode()),
            (item("ValidatorPermit").key(&[&one]), vec![false, true, true].encode()),
            (item("ValidatorTrust").key(&[&one]), vec![0u16, 65_535, 32_768].encode()),
            (item("Dividends").key(&[&one]), vec![0u16, 40_000, 25_535].encode()),
            (item("SubnetMechanism").key(&[&one]), 1u16.encode()),
            (item("SubnetTAO").key(&[&one]), 50u64.encode()),
            (item("SubnetAlphaIn").key(&[&one]), 200u64.encode()),
            (item("Keys").key(&[&one, &1u16.to_le_bytes()]), other.encode()),
            (item("Keys").key(&[&one, &2u16.to_le_bytes()]), hotkey.encode()),
            (item("Uids").key(&[&one, &other]), 1u16.encode()),
            (item("Uids").key(&[&one, &hotkey]), 2u16.encode()),
            (item("Owner").key(&[&hotkey]), coldkey.encode()),
            (item("TotalHotkeyAlpha").key(&[&hotkey, &one]), 4_000u64.encode()),
            (item("TotalHotkeyAlpha").key(&[&hotkey, &root]), 1_000u64.encode()),
            (item("AlphaDividendsPerSubnet").key(&[&one, &hotkey]), 80u64.encode()),
            (
                item("TotalHotkeyAlphaLastEpoch").key(&[&hotkey, &one]),
                4_080u64.encode(),
            ),
            (item("Tempo").key(&[&one]), 99u16.encode()),
            (
                item("IdentitiesV2").key(&[&coldkey]),
                (
                    &identity.0,
                    &identity.1,
                    &identity.2,
                    &identity.2,
                    &identity.2,
                    &identity.2,
                    &identity.2,
                )
                    .encode(),
            ),
        ]
    }

    /// What both ways of reading a delegate must find for HOTKEY.
    fn assert_is_the_delegate(v: &Validator) {
        assert_eq!(v.hotkey, ss58::encode(&HOTKEY));
        assert_eq!(v.coldkey, ss58::encode(&COLDKEY));
        assert_eq!(v.name, "Validator <b>", "kept as text, never interpreted");
        assert_eq!(v.url, "https://v.example");
        assert!((v.take - 0.18).abs() < 1e-3);
        // 4 000 α at 0.25 TAO/α on subnet 1 plus 1 000 on root at 1:1.
        assert_eq!(v.stake_tao_equivalent_rao, 2_000);
        assert_eq!(v.subnets.len(), 1, "the permit at uid 1 belongs to another hotkey");
        let seat = &v.subnets[0];
        assert_eq!(
            (seat.netuid, seat.uid, seat.stake_alpha, seat.dividends_alpha),
            (1, 2, 4_000, 80)
        );
        assert!((seat.validator_trust - 32_768.0 / 65_535.0).abs() < 1e-12);
        assert!((seat.dividends - 25_535.0 / 65_535.0).abs() < 1e-12);
        assert_eq!(v.dividends_tao_equivalent_rao(), 20);
        assert_eq!((seat.stake_last_epoch_alpha, seat.tempo), (4_080, 99));
        assert_eq!(seat.epoch_spacing.map(|s| s.blocks), Some(99), "epochs every Tempo blocks");
        assert_eq!(seat.last_epoch_yield(), Some(80.0 / 4_000.0));
    }

    #[test]
    fn three_rounds_find_a_delegate_and_its_seat() {
        let metadata = finney();
        let state = chain_state(&metadata);
        let first = answer(&state, &reads(&metadata).unwrap());
        let second = permit_reads(&metadata, &first).unwrap();
        assert_eq!(second.len(), 3, "two permit seats and one owner: {second:?}");
        let (validators, rounds) = run(&metadata, &state, &[], all()).unwrap();
        assert_eq!(rounds, 3);
        assert_eq!(validators.len(), 1, "only Delegates entries are validators");
        assert_is_the_delegate(&validators[0]);
    }

    #[test]
    fn one_delegate_is_read_without_every_permit_on_the_network() {
        let metadata = finney();
        let state = chain_state(&metadata);
        let first = answer(&state, &one_reads(&metadata, &HOTKEY).unwrap());
        let second = one_uid_reads(&metadata, &HOTKEY, &first).unwrap();
        assert_eq!(second.len(), 2, "one Uids read per subnet that exists: {second:?}");
        let (found, rounds) = run(&metadata, &state, &[], one(HOTKEY)).unwrap();
        assert_eq!(rounds, 3);
        assert_is_the_delegate(&found.expect("a delegate"));

        let (not_delegate, rounds) = run(&metadata, &state, &[], one(OTHER)).unwrap();
        assert_eq!((not_delegate, rounds), (None, 1), "a hotkey that is not a delegate ends after one round");
    }
}
