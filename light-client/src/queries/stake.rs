//! Stake by owner: `account(coldkey)`, a coldkey's positions on every hotkey and subnet, and
//! `nominators(hotkey)`, every coldkey staked to a hotkey. Both value stake as finney's share
//! pool does: `TotalHotkeyAlpha × AlphaV2 / TotalHotkeySharesV2` (the `V2` maps since spec 473).
//!
//! `account` takes three rounds: the coldkey's `StakingHotkeys`, balance and the network-wide
//! maps; each hotkey's shares, pool, take and owner; then, per position, the hotkey's uid,
//! last-epoch dividends and stake, and the owners' identities. `nominators` takes one round of
//! descendants reads under the hotkey plus the prices; `nominator_counts(hotkeys)` one such read
//! per hotkey, counting coldkeys only. Stake is valued at [`super::price`]'s prices: where a pool
//! holding some of the stake has a curve, the runtime's price call joins the next round (one more
//! step for `nominators`).

use std::collections::{BTreeMap, BTreeSet};

use super::price::{self, RuntimePrices, curve_read, price_of, swap_balancer};
use super::validators::{identity_of, null_consensus_subnets, vectors};
use super::{Answer, ByKey, EpochSchedule, Query, Reads, Results, Step, epoch_consensus, epoch_reads, one_round, subtensor};
use crate::keys::StorageQueryKind;
use crate::decode::{DecodeError, Item, Value, as_account, as_i128, as_list, as_u16, as_u64, as_u128, field};
use crate::metadata::Metadata;
use crate::model::{Account, Nominator, NominatorCounts, Nominators, StakePosition};
use crate::staking::{self, ShareCount};
use crate::{ss58, units};

/// Network-wide maps both queries value stake with (prices) and `account` rates it with.
const NETWORK_ITEMS: &[&str] = &[
    "NetworksAdded",
    "SubnetTAO",
    "SubnetAlphaIn",
    "SubnetMechanism",
    "ValidatorPermit",
    "ValidatorTrust",
];

fn network_reads(metadata: &Metadata) -> Result<Reads, DecodeError> {
    let mut reads = NETWORK_ITEMS
        .iter()
        .map(|name| Ok((subtensor(metadata, name)?.key(&[]), StorageQueryKind::DescendantsValues)))
        .collect::<Result<Reads, DecodeError>>()?;
    reads.push((swap_balancer(metadata)?.key(&[]), StorageQueryKind::DescendantsValues));
    reads.extend(epoch_consensus(metadata).map(|item| (item.key(&[]), StorageQueryKind::DescendantsValues)));
    reads.extend(epoch_reads(metadata)?);
    reads.extend(curve_read(metadata));
    Ok(reads)
}

/// Whether a pool on one of `netuids` has a curve, so its price is the runtime's.
fn curved(metadata: &Metadata, results: &Results, mut netuids: impl Iterator<Item = u16>) -> bool {
    let curves = price::curve_pools(metadata, results);
    netuids.any(|netuid| curves.contains(&netuid))
}

fn system_account(metadata: &Metadata) -> Result<Item<'_>, DecodeError> {
    Item::new(metadata, "System", "Account")
}

/// A stored share count (`SafeFloat { mantissa, exponent }`).
pub fn as_share_count(value: &Value) -> Option<ShareCount> {
    Some(ShareCount {
        mantissa: as_u128(field(value, "mantissa")?)?,
        exponent: i64::try_from(as_i128(field(value, "exponent")?)?).ok()?,
    })
}

/// First round of `account`: the hotkeys the coldkey staked to, its balance, the network maps.
fn account_reads(metadata: &Metadata, coldkey: &[u8; 32]) -> Result<Reads, DecodeError> {
    let mut reads = vec![
        (
            subtensor(metadata, "StakingHotkeys")?.key(&[coldkey]),
            StorageQueryKind::Value,
        ),
        (system_account(metadata)?.key(&[coldkey]), StorageQueryKind::Value),
    ];
    reads.extend(network_reads(metadata)?);
    Ok(reads)
}

/// The hotkeys in the coldkey's `StakingHotkeys` (the chain never removes entries, so some may
/// hold no stake any more).
fn staking_hotkeys(metadata: &Metadata, coldkey: &[u8; 32], results: &Results) -> Result<Vec<[u8; 32]>, DecodeError> {
    let item = subtensor(metadata, "StakingHotkeys")?;
    let values = ByKey::new(results);
    Ok(item
        .read(values.get(&item.key(&[coldkey])), "a list of accounts", |value| {
            as_list(value)?.into_iter().map(as_account).collect::<Option<Vec<_>>>()
        })?
        .unwrap_or_default())
}

/// Second round of `account`: per hotkey, the coldkey's shares on every subnet, the pool's
/// shares and α, its take and its owner.
fn account_hotkey_reads(metadata: &Metadata, coldkey: &[u8; 32], results: &Results) -> Result<Reads, DecodeError> {
    let shares = subtensor(metadata, "AlphaV2")?;
    let pool_shares = subtensor(metadata, "TotalHotkeySharesV2")?;
    let pool_alpha = subtensor(metadata, "TotalHotkeyAlpha")?;
    let delegates = subtensor(metadata, "Delegates")?;
    let owner = subtensor(metadata, "Owner")?;
    let mut reads = Reads::new();
    for hotkey in staking_hotkeys(metadata, coldkey, results)? {
        reads.extend([
            (shares.key(&[&hotkey, coldkey]), StorageQueryKind::DescendantsValues),
            (pool_shares.key(&[&hotkey]), StorageQueryKind::DescendantsValues),
            (pool_alpha.key(&[&hotkey]), StorageQueryKind::DescendantsValues),
            (delegates.key(&[&hotkey]), StorageQueryKind::Value),
            (owner.key(&[&hotkey]), StorageQueryKind::Value),
        ]);
    }
    Ok(reads)
}

/// A coldkey's stake on one (hotkey, netuid): its α, its share count and what one share is worth.
struct Holding {
    hotkey: [u8; 32],
    netuid: u16,
    alpha: u64,
    shares: f64,
    alpha_per_share: f64,
}

/// The α `coldkey` owns on each (hotkey, netuid), from the share pools (zero positions left out).
fn positions(
    metadata: &Metadata,
    hotkeys: &[[u8; 32]],
    coldkey: &[u8; 32],
    results: &Results,
) -> Result<Vec<Holding>, DecodeError> {
    let shares = subtensor(metadata, "AlphaV2")?;
    let pool_shares = subtensor(metadata, "TotalHotkeySharesV2")?;
    let pool_alpha = subtensor(metadata, "TotalHotkeyAlpha")?;
    let values = ByKey::new(results);
    let mut positions = Vec::new();
    for hotkey in hotkeys {
        let prefix = shares.key(&[hotkey, coldkey]);
        for (key, bytes) in results.iter().filter(|(key, _)| key.starts_with(&prefix)) {
            let Some(netuid) = shares.key_u16(key, 2, &[32, 32, 2]) else {
                continue;
            };
            let netuid_bytes = netuid.to_le_bytes();
            let share = shares
                .read(Some(bytes), "a share count", as_share_count)?
                .unwrap_or_default();
            let pool = pool_shares
                .read(
                    values.get(&pool_shares.key(&[hotkey, &netuid_bytes])),
                    "a share count",
                    as_share_count,
                )?
                .unwrap_or_default();
            let total = pool_alpha
                .read(values.get(&pool_alpha.key(&[hotkey, &netuid_bytes])), "u64", as_u64)?
                .unwrap_or(0);
            let alpha = staking::share_value(total, share, pool);
            if alpha > 0 {
                positions.push(Holding {
                    hotkey: *hotkey,
                    netuid,
                    alpha,
                    shares: share.as_f64(),
                    alpha_per_share: total as f64 / pool.as_f64(),
                });
            }
        }
    }
    Ok(positions)
}

/// Third round of `account`: per position, the hotkey's uid on the subnet and its last-epoch
/// dividends and stake; each owner's identity.
fn account_position_reads(
    metadata: &Metadata,
    found: &FoundPositions,
    results: &Results,
) -> Result<Reads, DecodeError> {
    let uids = subtensor(metadata, "Uids")?;
    let dividends = subtensor(metadata, "AlphaDividendsPerSubnet")?;
    let last_epoch = subtensor(metadata, "TotalHotkeyAlphaLastEpoch")?;
    let owner = subtensor(metadata, "Owner")?;
    let identities = subtensor(metadata, "IdentitiesV2")?;
    let values = ByKey::new(results);
    let mut reads = Reads::new();
    for Holding { hotkey, netuid, .. } in &found.positions {
        let netuid = netuid.to_le_bytes();
        reads.extend([
            (uids.key(&[&netuid, hotkey]), StorageQueryKind::Value),
            (dividends.key(&[&netuid, hotkey]), StorageQueryKind::Value),
            (last_epoch.key(&[hotkey, &netuid]), StorageQueryKind::Value),
        ]);
    }
    let owners: BTreeSet<[u8; 32]> = found
        .hotkeys
        .iter()
        .filter_map(|hotkey| {
            owner
                .read(values.get(&owner.key(&[hotkey])), "an account", as_account)
                .transpose()
        })
        .collect::<Result<_, _>>()?;
    reads.extend(
        owners
            .iter()
            .map(|coldkey| (identities.key(&[coldkey]), StorageQueryKind::Value)),
    );
    Ok(reads)
}

/// Assembles the account from its three rounds and the positions the second one found.
fn assemble_account(
    metadata: &Metadata,
    coldkey: &[u8; 32],
    found: &FoundPositions,
    results: &Results,
    runtime: &RuntimePrices,
) -> Result<Account, DecodeError> {
    let values = ByKey::new(results);
    let balance = system_account(metadata)?;
    let free_rao = balance
        .read(values.get(&balance.key(&[coldkey])), "an AccountInfo", |value| {
            as_u64(field(field(value, "data")?, "free")?)
        })?
        .unwrap_or(0);
    let uids = subtensor(metadata, "Uids")?;
    let dividends = subtensor(metadata, "AlphaDividendsPerSubnet")?;
    let last_epoch = subtensor(metadata, "TotalHotkeyAlphaLastEpoch")?;
    let delegates = subtensor(metadata, "Delegates")?;
    let owner = subtensor(metadata, "Owner")?;
    let identities = subtensor(metadata, "IdentitiesV2")?;
    let schedule = EpochSchedule::new(metadata, results)?;
    let permits = vectors(metadata, results, "ValidatorPermit", crate::decode::as_bool)?;
    let trust = vectors(metadata, results, "ValidatorTrust", as_u16)?;
    let prices = price::prices(metadata, results, runtime)?;
    let null_consensus = null_consensus_subnets(metadata, results)?;

    let mut account_positions = Vec::new();
    for holding in &found.positions {
        let (hotkey, netuid, alpha) = (holding.hotkey, holding.netuid, holding.alpha);
        let netuid_bytes = netuid.to_le_bytes();
        let read_u64 = |item: &Item, key: Vec<u8>| item.read(values.get(&key), "u64", as_u64);
        let take_entry = values.get(&delegates.key(&[&hotkey]));
        let take = delegates.read(take_entry, "u16", as_u16)?.unwrap_or_default();
        let uid = uids.read(values.get(&uids.key(&[&netuid_bytes, &hotkey])), "u16", as_u16)?;
        let permitted = |uid: u16| {
            permits
                .get(&netuid)
                .and_then(|p| p.get(usize::from(uid)))
                .copied()
                .unwrap_or(false)
        };
        let validator_trust = uid.filter(|uid| permitted(*uid)).map(|uid| {
            let value = trust.get(&netuid).and_then(|t| t.get(usize::from(uid))).copied();
            units::proportion_from_u16(value.unwrap_or(0))
        });
        let name = match owner.read(values.get(&owner.key(&[&hotkey])), "an account", as_account)? {
            Some(owner) => identity_of(&identities, &values, &owner)?.0,
            None => String::new(),
        };
        account_positions.push(StakePosition {
            hotkey: ss58::encode(&hotkey),
            name,
            netuid,
            alpha,
            shares: holding.shares,
            alpha_per_share: holding.alpha_per_share,
            price: price_of(&prices, netuid),
            delegate: take_entry.is_some(),
            take: units::proportion_from_u16(take),
            validator_trust,
            null_consensus: null_consensus.contains(&netuid),
            dividends_alpha: read_u64(&dividends, dividends.key(&[&netuid_bytes, &hotkey]))?.unwrap_or(0),
            stake_last_epoch_alpha: read_u64(&last_epoch, last_epoch.key(&[&hotkey, &netuid_bytes]))?.unwrap_or(0),
            tempo: schedule.tempo(netuid)?,
            epoch_spacing: schedule.spacing(netuid)?,
        });
    }
    account_positions.sort_by(|a, b| b.value_rao().cmp(&a.value_rao()).then(a.netuid.cmp(&b.netuid)));
    Ok(Account {
        coldkey: ss58::encode(coldkey),
        free_rao,
        positions: account_positions,
    })
}

/// What the second round of `account` found: the coldkey's staking hotkeys and its non-zero
/// positions on them, kept for the third round and the assembly.
struct FoundPositions {
    hotkeys: Vec<[u8; 32]>,
    positions: Vec<Holding>,
}

/// `account(coldkey)` in its three rounds.
pub struct AccountQuery {
    coldkey: [u8; 32],
    found: Option<FoundPositions>,
    round: u8,
    prices: RuntimePrices,
}

/// The query for a coldkey's balance and stake positions.
pub fn account(coldkey: [u8; 32]) -> AccountQuery {
    AccountQuery {
        coldkey,
        found: None,
        round: 0,
        prices: RuntimePrices::default(),
    }
}

impl Query for AccountQuery {
    type Output = Account;

    fn start(&mut self, metadata: &Metadata) -> Result<Step<Account>, DecodeError> {
        Ok(Step::Read(account_reads(metadata, &self.coldkey)?))
    }

    fn next(&mut self, metadata: &Metadata, answer: Answer<'_>) -> Result<Step<Account>, DecodeError> {
        let results = answer.results;
        self.prices.receive(metadata, answer);
        self.round += 1;
        match (self.round, &self.found) {
            (1, _) => Ok(Step::Read(account_hotkey_reads(metadata, &self.coldkey, results)?)),
            (_, None) => {
                let hotkeys = staking_hotkeys(metadata, &self.coldkey, results)?;
                let positions = positions(metadata, &hotkeys, &self.coldkey, results)?;
                let found = self.found.insert(FoundPositions { hotkeys, positions });
                let reads = account_position_reads(metadata, found, results)?;
                let needed = curved(metadata, results, found.positions.iter().map(|holding| holding.netuid));
                Ok(self.prices.step(metadata, needed, reads))
            }
            (_, Some(found)) => Ok(Step::Done(assemble_account(
                metadata,
                &self.coldkey,
                found,
                results,
                &self.prices,
            )?)),
        }
    }
}

/// `nominators(hotkey)`: one round, then the runtime's prices where a pool the hotkey holds
/// stake in has a curve.
pub struct NominatorsQuery {
    hotkey: [u8; 32],
    prices: RuntimePrices,
}

/// The query for a hotkey's nominators.
pub fn nominators(hotkey: [u8; 32]) -> NominatorsQuery {
    NominatorsQuery {
        hotkey,
        prices: RuntimePrices::default(),
    }
}

impl Query for NominatorsQuery {
    type Output = Nominators;

    fn start(&mut self, metadata: &Metadata) -> Result<Step<Nominators>, DecodeError> {
        Ok(Step::Read(nominator_reads(metadata, &self.hotkey)?))
    }

    fn next(&mut self, metadata: &Metadata, answer: Answer<'_>) -> Result<Step<Nominators>, DecodeError> {
        let results = answer.results;
        self.prices.receive(metadata, answer);
        let stake = subtensor(metadata, "TotalHotkeyAlpha")?;
        let prefix = stake.key(&[&self.hotkey]);
        let netuids = results
            .iter()
            .filter(|(key, _)| key.starts_with(&prefix))
            .filter_map(|(key, _)| stake.key_u16(key, 1, &[32, 2]));
        if let Some(read) = self.prices.ask(metadata, curved(metadata, results, netuids)) {
            return Ok(Step::Call {
                read,
                alongside: Reads::new(),
            });
        }
        Ok(Step::Done(assemble_nominators(metadata, &self.hotkey, results, &self.prices)?))
    }
}

/// `nominator_counts(hotkeys)`: one round.
pub fn nominator_counts(hotkeys: Vec<[u8; 32]>) -> impl Query<Output = NominatorCounts> {
    let for_reads = hotkeys.clone();
    one_round(
        move |metadata| nominator_count_reads(metadata, &for_reads),
        move |metadata, results| assemble_nominator_counts(metadata, &hotkeys, results),
    )
}

/// `nominators`' one round: every share under the hotkey, its pools and owner, and the prices.
fn nominator_reads(metadata: &Metadata, hotkey: &[u8; 32]) -> Result<Reads, DecodeError> {
    let mut reads = vec![
        (
            subtensor(metadata, "AlphaV2")?.key(&[hotkey]),
            StorageQueryKind::DescendantsValues,
        ),
        (
            subtensor(metadata, "TotalHotkeySharesV2")?.key(&[hotkey]),
            StorageQueryKind::DescendantsValues,
        ),
        (
            subtensor(metadata, "TotalHotkeyAlpha")?.key(&[hotkey]),
            StorageQueryKind::DescendantsValues,
        ),
        (subtensor(metadata, "Owner")?.key(&[hotkey]), StorageQueryKind::Value),
    ];
    reads.extend(network_reads(metadata)?);
    Ok(reads)
}

/// Assembles a hotkey's nominators from [`nominator_reads`]' results.
fn assemble_nominators(
    metadata: &Metadata,
    hotkey: &[u8; 32],
    results: &Results,
    runtime: &RuntimePrices,
) -> Result<Nominators, DecodeError> {
    let shares = subtensor(metadata, "AlphaV2")?;
    let owner = subtensor(metadata, "Owner")?;
    let values = ByKey::new(results);
    let prices = price::prices(metadata, results, runtime)?;
    let prefix = shares.key(&[hotkey]);
    let coldkeys: BTreeSet<[u8; 32]> = results
        .iter()
        .filter(|(key, _)| key.starts_with(&prefix))
        .filter_map(|(key, _)| shares.key_part(key, 1, &[32, 32, 2])?.try_into().ok())
        .collect();
    let mut by_coldkey: BTreeMap<[u8; 32], Vec<(u16, u64)>> = BTreeMap::new();
    for coldkey in &coldkeys {
        for Holding { netuid, alpha, .. } in positions(metadata, &[*hotkey], coldkey, results)? {
            by_coldkey.entry(*coldkey).or_default().push((netuid, alpha));
        }
    }
    let mut nominators: Vec<Nominator> = by_coldkey
        .into_iter()
        .map(|(coldkey, mut stakes)| {
            stakes.sort_unstable();
            let value = stakes
                .iter()
                .map(|(netuid, alpha)| *alpha as f64 * price_of(&prices, *netuid).unwrap_or(0.0))
                .sum::<f64>();
            Nominator {
                coldkey: ss58::encode(&coldkey),
                stakes,
                value_rao: value.round() as u64,
            }
        })
        .collect();
    nominators.sort_by(|a, b| b.value_rao.cmp(&a.value_rao).then(a.coldkey.cmp(&b.coldkey)));
    let owner = owner.read(values.get(&owner.key(&[hotkey])), "an account", as_account)?;
    Ok(Nominators {
        hotkey: ss58::encode(hotkey),
        owner: owner.map(|o| ss58::encode(&o)).unwrap_or_default(),
        nominators,
    })
}

/// `nominator_counts`' one round: every share under each hotkey.
fn nominator_count_reads(metadata: &Metadata, hotkeys: &[[u8; 32]]) -> Result<Reads, DecodeError> {
    let shares = subtensor(metadata, "AlphaV2")?;
    Ok(hotkeys
        .iter()
        .map(|hotkey| (shares.key(&[hotkey]), StorageQueryKind::DescendantsValues))
        .collect())
}

/// How many coldkeys hold shares (a non-zero count) of each hotkey's stake.
fn assemble_nominator_counts(
    metadata: &Metadata,
    hotkeys: &[[u8; 32]],
    results: &Results,
) -> Result<NominatorCounts, DecodeError> {
    let shares = subtensor(metadata, "AlphaV2")?;
    let mut counts = Vec::new();
    for hotkey in hotkeys {
        let prefix = shares.key(&[hotkey]);
        let mut coldkeys = BTreeSet::new();
        for (key, value) in results.iter().filter(|(key, _)| key.starts_with(&prefix)) {
            let held = shares
                .read(Some(value), "a share count", as_share_count)?
                .unwrap_or_default();
            if let Some(coldkey) = shares.key_part(key, 1, &[32, 32, 2]).filter(|_| held.mantissa > 0) {
                coldkeys.insert(coldkey.to_vec());
            }
        }
        counts.push((ss58::encode(hotkey), coldkeys.len() as u32));
    }
    Ok(NominatorCounts {
        counts,
        bytes_read: results
            .iter()
            .map(|(key, value)| (key.len() + value.len()) as u64)
            .sum(),
    })
}

#[cfg(test)]
mod tests {
    use codec::Encode;

    use super::*;
    use crate::contract::tests::finney;
    use crate::queries::fake_chain::{answer, run};

    const HOTKEY: [u8; 32] = [7; 32];
    const STALE: [u8; 32] = [8; 32];
    const COLDKEY: [u8; 32] = [9; 32];
    const NOMINATOR: [u8; 32] = [10; 32];
    const OWNER: [u8; 32] = [11; 32];

    fn shares(mantissa: u128, exponent: i64) -> Vec<u8> {
        (mantissa, exponent).encode()
    }

    /// HOTKEY, a delegate with a permit at uid 2 on subnet 1, holds 4 000 α there in 16 shares:
    /// COLDKEY has 4 (1 000 α), NOMINATOR 12; on root COLDKEY holds all of 500 α. COLDKEY's
    /// `StakingHotkeys` also lists STALE, with no stake left.
    fn chain_state(metadata: &Metadata) -> Vec<(Vec<u8>, Vec<u8>)> {
        let item = |name: &str| subtensor(metadata, name).expect(name);
        let (one, root) = (1u16.to_le_bytes(), 0u16.to_le_bytes());
        let identity = (b"Staking Co".to_vec(), b"https://s.example".to_vec(), vec![0u8; 0]);
        let empty = &identity.2;
        let account_info = (0u32, 0u32, 1u32, 0u32, (7_000_000_000u64, 0u64, 0u64, 0u128));
        vec![
            (
                system_account(metadata).unwrap().key(&[&COLDKEY]),
                account_info.encode(),
            ),
            (item("StakingHotkeys").key(&[&COLDKEY]), vec![HOTKEY, STALE].encode()),
            (item("NetworksAdded").key(&[&root]), true.encode()),
            (item("NetworksAdded").key(&[&one]), true.encode()),
            (item("SubnetMechanism").key(&[&one]), 1u16.encode()),
            (item("SubnetTAO").key(&[&one]), 50u64.encode()),
            (item("SubnetAlphaIn").key(&[&one]), 200u64.encode()),
            (item("Tempo").key(&[&one]), 99u16.encode()),
            (item("LastEpochBlock").key(&[&one]), 500u64.encode()),
            (item("ValidatorPermit").key(&[&one]), vec![false, false, true].encode()),
            (item("ValidatorTrust").key(&[&one]), vec![0u16, 0, 32_768].encode()),
            (item("Uids").key(&[&one, &HOTKEY]), 2u16.encode()),
            (item("Delegates").key(&[&HOTKEY]), 11_796u16.encode()),
            (item("Owner").key(&[&HOTKEY]), OWNER.encode()),
            (item("TotalHotkeyAlpha").key(&[&HOTKEY, &one]), 4_000u64.encode()),
            (item("TotalHotkeyAlpha").key(&[&HOTKEY, &root]), 500u64.encode()),
            (
                item("TotalHotkeySharesV2").key(&[&HOTKEY, &one]),
                shares(160_000_000_000_000_000_000, -19),
            ),
            (
                item("TotalHotkeySharesV2").key(&[&HOTKEY, &root]),
                shares(500_000_000_000_000_000_000, -20),
            ),
            (
                item("AlphaV2").key(&[&HOTKEY, &COLDKEY, &one]),
                shares(400_000_000_000_000_000_000, -20),
            ),
            (
                item("AlphaV2").key(&[&HOTKEY, &COLDKEY, &root]),
                shares(500_000_000_000_000_000_000, -20),
            ),
            (
                item("AlphaV2").key(&[&HOTKEY, &NOMINATOR, &one]),
                shares(120_000_000_000_000_000_000, -19),
            ),
            (item("AlphaDividendsPerSubnet").key(&[&one, &HOTKEY]), 40u64.encode()),
            (
                item("TotalHotkeyAlphaLastEpoch").key(&[&HOTKEY, &one]),
                4_040u64.encode(),
            ),
            (
                item("IdentitiesV2").key(&[&OWNER]),
                (&identity.0, &identity.1, empty, empty, empty, empty, empty).encode(),
            ),
        ]
    }

    #[test]
    fn an_account_is_its_shares_valued_at_the_pools() {
        let metadata = finney();
        let state = chain_state(&metadata);
        let first = answer(&state, &account_reads(&metadata, &COLDKEY).unwrap());
        let second = account_hotkey_reads(&metadata, &COLDKEY, &first).unwrap();
        assert_eq!(second.len(), 10, "five reads per hotkey in StakingHotkeys: {second:?}");
        let (account, rounds) = run(&metadata, &state, &[], account(COLDKEY)).unwrap();
        assert_eq!(rounds, 3);
        assert_eq!(account.free_rao, 7_000_000_000);
        let summary: Vec<_> = account
            .positions
            .iter()
            .map(|p| (p.netuid, p.alpha, p.value_rao()))
            .collect();
        // Root: 500 α at 1:1; subnet 1: 4 of 16 shares of 4 000 α = 1 000 α at 0.25.
        assert_eq!(
            summary,
            vec![(0, 500, Some(500)), (1, 1_000, Some(250))],
            "the stale hotkey has no position"
        );
        let seat = &account.positions[1];
        assert_eq!(seat.name, "Staking Co");
        assert!(seat.delegate && (seat.take - 0.18).abs() < 1e-3);
        assert!((seat.validator_trust.unwrap() - 32_768.0 / 65_535.0).abs() < 1e-12);
        assert_eq!(account.positions[0].validator_trust, None, "no permit on root");
        // Epochs every Tempo = 99 blocks (from LastEpochBlock 500 to 599), as at spec 475.
        assert_eq!(seat.epoch_spacing.map(|s| (s.blocks, s.next_epoch_start)), Some((99, 599)));
        let expected = (1.0 + 40.0 / 4_000.0f64).powf(365.0 * 7_200.0 / 99.0) - 1.0;
        assert!((seat.apy().unwrap() - expected).abs() < 1e-9 * expected);
        assert_eq!(account.staked_value_rao(), 750);
        // Only the subnet-1 position has a rate: the portfolio's is its rate.
        assert!((account.apy().unwrap() - expected).abs() < 1e-9 * expected);
    }

    /// Subnet 1's pool on a curve: positions and nominators there are valued at the runtime's
    /// price (0.5 τ, where the formula says 0.25), the call made alongside the reads it joins.
    #[test]
    fn stake_on_a_pool_with_a_curve_is_valued_at_the_runtimes_price() {
        let metadata = crate::queries::price::tests::with_curves(finney());
        let mut state = chain_state(&metadata);
        let curves = price::swap_superellipse(&metadata).expect("declared");
        state.push((curves.key(&[&1u16.to_le_bytes()]), (1u128, 2u128, 3i128, 4i128).encode()));
        let prices = vec![(0u16, 1_000_000_000u64), (1, 500_000_000)].encode();
        let calls = [("SwapRuntimeApi_current_alpha_price_all", prices)];
        let (account, rounds) = run(&metadata, &state, &calls, account(COLDKEY)).unwrap();
        assert_eq!(rounds, 3, "the call rides with the third round");
        let values: Vec<_> = account.positions.iter().map(|p| (p.netuid, p.price, p.value_rao())).collect();
        assert_eq!(values, [(0, Some(1.0), Some(500)), (1, Some(0.5), Some(500))], "equal values: by netuid");
        let (found, rounds) = run(&metadata, &state, &calls, nominators(HOTKEY)).unwrap();
        assert_eq!(rounds, 2, "the reads, then the call");
        assert_eq!(found.nominators[0].value_rao, 1_500, "3,000 α at 0.5 τ");
        // Without the call: no price there, and the value left out rather than guessed.
        let mut without = metadata.clone();
        without.remove_api_method("SwapRuntimeApi", "current_alpha_price_all");
        let (unpriced, _) = run(&without, &state, &[], super::account(COLDKEY)).unwrap();
        let curved = unpriced.positions.iter().find(|p| p.netuid == 1).expect("listed");
        assert_eq!((curved.price, curved.value_rao()), (None, None));
        assert_eq!(unpriced.staked_value_rao(), 500, "root's alone");
    }

    #[test]
    fn an_address_with_nothing_staked_has_no_positions() {
        let metadata = finney();
        let state = chain_state(&metadata);
        let results = answer(&state, &account_reads(&metadata, &NOMINATOR).unwrap());
        assert_eq!(account_hotkey_reads(&metadata, &NOMINATOR, &results).unwrap(), []);
        let (account, _) = run(&metadata, &state, &[], account(NOMINATOR)).unwrap();
        assert_eq!((account.free_rao, account.positions.len()), (0, 0));
    }

    #[test]
    fn nominator_counts_are_coldkeys_with_shares_per_hotkey() {
        let metadata = finney();
        let (counts, rounds) = run(
            &metadata,
            &chain_state(&metadata),
            &[],
            nominator_counts(vec![HOTKEY, STALE]),
        )
        .unwrap();
        assert_eq!(rounds, 1);
        assert_eq!(
            counts.counts,
            vec![(ss58::encode(&HOTKEY), 2), (ss58::encode(&STALE), 0)]
        );
        assert!(
            counts.bytes_read > 3 * 130,
            "three AlphaV2 entries of 130-byte keys: {}",
            counts.bytes_read
        );
    }

    #[test]
    fn nominators_are_every_coldkey_with_shares_under_the_hotkey() {
        let metadata = finney();
        let (found, _) = run(&metadata, &chain_state(&metadata), &[], nominators(HOTKEY)).unwrap();
        assert_eq!(found.owner, ss58::encode(&OWNER));
        let rows: Vec<_> = found
            .nominators
            .iter()
            .map(|n| (n.coldkey.clone(), n.stakes.clone(), n.value_rao))
            .collect();
        assert_eq!(
            rows,
            vec![
                (ss58::encode(&COLDKEY), vec![(0, 500), (1, 1_000)], 750),
                (ss58::encode(&NOMINATOR), vec![(1, 3_000)], 750),
            ]
        );
    }
}
