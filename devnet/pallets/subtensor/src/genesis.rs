//! The devnet's life: a deterministic genesis network, neuron registration, per-block emission into
//! the subnet pools and the epoch that rewrites the per-uid vectors.

use crate::epoch::{self, EpochInput};
use crate::pallet::*;
use crate::types::*;
use crate::storage_index;
use crate::swap;
use alloc::vec::Vec;
use codec::Encode;
use sp_arithmetic::{PerU16, Perquintill};
use sp_runtime::AccountId32;

/// One TAO (or α) in rao.
pub const RAO: u64 = 1_000_000_000;

/// A pseudo-random u64 from the seed and a tag; everything generated derives from this.
pub fn random<T: Config>(tag: &[u8], parts: impl Encode) -> u64 {
    let seed = DevnetSeed::<T>::get();
    let hash = sp_io::hashing::blake2_256(&(tag, seed, parts).encode());
    u64::from_le_bytes(hash[..8].try_into().expect("32-byte hash"))
}

fn account<T: Config>(tag: &[u8], parts: impl Encode) -> AccountId32 {
    let seed = DevnetSeed::<T>::get();
    AccountId32::new(sp_io::hashing::blake2_256(&(tag, seed, parts).encode()))
}

const SUBNET_NAMES: &[&str] = &[
    "Apex", "Omron", "Templar", "Chutes", "Nineteen", "Dippy", "Gradients", "Zeus", "Hivetrain",
    "Sturdy", "Bitmind", "Compute Horde", "Data Universe", "Vision", "Infinite Games", "Sportstensor",
    "Proprietary Trading", "Dojo", "Readyai", "Nova",
];
const VALIDATOR_NAMES: &[&str] = &[
    "Opentensor Foundation", "Taostats & Corcel", "RoundTable21", "Yuma", "Kraken", "tao5",
    "Crucible Labs", "Rizzo", "Datura", "Bittensor Guru", "TAO-Validator", "Tensorplex",
];

fn delegate_hotkey<T: Config>(index: u16) -> AccountId32 {
    account::<T>(b"delegate-hotkey", index)
}

fn delegate_coldkey<T: Config>(index: u16) -> AccountId32 {
    account::<T>(b"delegate-coldkey", index)
}

/// How many mechanisms `netuid` runs: 2 or 3 on netuids 2, 34, 66, 98 (subnet 2 of the `small`
/// preset, a few of `finney-scale`), else 1.
pub fn mechanism_count(netuid: u16) -> u8 {
    if netuid % 32 == 2 {
        2 + (netuid / 32 % 2) as u8
    } else {
        1
    }
}

/// Whether `netuid` runs finney's Null consensus: netuids 3, 35, 67…
pub fn is_null_consensus(netuid: u16) -> bool {
    netuid % 32 == 3
}

/// The quote (TAO) weight of `netuid`'s pool: 0.5 on even netuids, between 0.2 and 0.8 (never
/// 0.5) on odd ones, so a price read as the plain reserve ratio is visibly wrong.
pub fn pool_quote<T: Config>(netuid: u16) -> Perquintill {
    if netuid % 2 == 0 {
        return Perquintill::from_percent(50);
    }
    let percent = 20 + random::<T>(b"quote", netuid) % 60;
    Perquintill::from_percent(if percent == 50 { 45 } else { percent })
}

/// Whether `netuid`'s pool is a superellipse curve: netuids 4, 36, 68… (subnet 4 of the `small`
/// preset), the others keep finney's balancer.
pub fn is_superellipse_pool(netuid: u16) -> bool {
    netuid % 32 == 4
}

/// The weight the superellipse pools' curves are fitted with: not their archived balancer weight
/// (0.5), so that their price, (0.6/0.4)·τ/α, is 1.5 times what the balancer formula gives.
const SUPERELLIPSE_FIT_QUOTE: u64 = 400_000_000_000_000_000;

/// `netuid`'s spot price in rao per α, as `current_alpha_price` answers it: 1 τ for a subnet
/// without a dynamic pool (root), the superellipse curve's where the pool has one, else the
/// balancer's.
pub fn spot_price<T: Config>(netuid: u16) -> u64 {
    if SubnetMechanism::<T>::get(netuid) != 1 {
        return RAO;
    }
    let (tao, alpha) = (SubnetTAO::<T>::get(netuid), SubnetAlphaIn::<T>::get(netuid));
    match swap::SwapSuperellipse::<T>::get(netuid) {
        Some(curve) => swap::superellipse_price_rao_per_alpha(&curve, tao, alpha),
        None => swap::price_rao_per_alpha(swap::SwapBalancer::<T>::get(netuid).quote.deconstruct(), tao, alpha),
    }
}

/// Each mechanism's share of the emission in u16 parts (finney's `split_emissions`): the stored
/// split when it is well formed, else an even split with the remainder to mechanism 0.
pub fn emission_split(stored: Option<Vec<u16>>, mechanisms: u8) -> Vec<u16> {
    let count = usize::from(mechanisms.max(1));
    let well_formed = |split: &Vec<u16>| {
        split.len() == count && split.iter().map(|share| u32::from(*share)).sum::<u32>() == u32::from(u16::MAX)
    };
    if let Some(split) = stored.filter(well_formed) {
        return split;
    }
    let even = u16::MAX / count as u16;
    let mut split = alloc::vec![even; count];
    split[0] += u16::MAX - even * count as u16;
    split
}

/// Builds the genesis network: root plus `subnets` subnets of `neurons_per_subnet` neurons, a pool
/// of delegates that validate on many subnets, miners, pools, prices and identities; some subnets
/// run several mechanisms or Null consensus, and one more (`subnets + 1`) is registered but not
/// reportable (`NetworksAdded` false), as finney's leftover entries are.
pub fn build<T: Config>(config: &GenesisConfig<T>) {
    DevnetSeed::<T>::put(config.seed);
    let delegates = (config.max_validators.max(4)).min(64);
    let mut total_stake: u64 = 0;

    // Root (netuid 0): stable mechanism, its pool is the root stake.
    NetworksAdded::<T>::insert(0, true);
    Tempo::<T>::insert(0, config.tempo);
    let mut root_stake = 0;
    for index in 0..delegates {
        let hotkey = delegate_hotkey::<T>(index);
        let coldkey = delegate_coldkey::<T>(index);
        Owner::<T>::insert(&hotkey, &coldkey);
        Delegates::<T>::insert(&hotkey, PerU16::from_parts([11_796, 9_000, 5_898, 0][(index % 4) as usize]));
        let name = VALIDATOR_NAMES[index as usize % VALIDATOR_NAMES.len()];
        IdentitiesV2::<T>::insert(
            &coldkey,
            ChainIdentityV2 {
                name: if (index as usize) < VALIDATOR_NAMES.len() {
                    name.as_bytes().to_vec()
                } else {
                    alloc::format!("{name} {index}").into_bytes()
                },
                url: alloc::format!("https://validator{index}.example.org").into_bytes(),
                description: b"Devnet validator".to_vec(),
                ..Default::default()
            },
        );
        let stake = (50_000 + random::<T>(b"root-stake", index) % 500_000) * RAO;
        stake_with_nominators::<T>(&hotkey, &coldkey, 0, stake);
        root_stake += stake;
    }
    SubnetTAO::<T>::insert(0, root_stake);
    total_stake += root_stake;

    for netuid in 1..=config.subnets {
        NetworksAdded::<T>::insert(netuid, true);
        Tempo::<T>::insert(netuid, config.tempo);
        MaxAllowedValidators::<T>::insert(netuid, config.max_validators);
        MaxAllowedUids::<T>::insert(netuid, 256);
        SubnetMechanism::<T>::insert(netuid, 1);
        SubtokenEnabled::<T>::insert(netuid, true);
        FirstEmissionBlockNumber::<T>::insert(netuid, 0);
        NetworkRegisteredAt::<T>::insert(netuid, 0);
        Burn::<T>::insert(netuid, RAO / 10 + random::<T>(b"burn", netuid) % (2 * RAO));
        // Short immunity (200 s in `small`), so tests see uids both inside and past it.
        ImmunityPeriod::<T>::insert(netuid, config.tempo.saturating_mul(10));
        let owner_cold = account::<T>(b"owner-coldkey", netuid);
        let owner_hot = account::<T>(b"owner-hotkey", netuid);
        SubnetOwner::<T>::insert(netuid, &owner_cold);
        SubnetOwnerHotkey::<T>::insert(netuid, &owner_hot);
        let name = SUBNET_NAMES[(netuid as usize - 1) % SUBNET_NAMES.len()];
        let name = if (netuid as usize) <= SUBNET_NAMES.len() {
            name.as_bytes().to_vec()
        } else {
            alloc::format!("{name} {netuid}").into_bytes()
        };
        SubnetIdentitiesV3::<T>::insert(
            netuid,
            SubnetIdentityV3 {
                subnet_name: name,
                github_repo: alloc::format!("https://github.com/example/subnet-{netuid}").into_bytes(),
                subnet_contact: alloc::format!("team@subnet{netuid}.example.org").into_bytes(),
                subnet_url: alloc::format!("https://subnet{netuid}.example.org").into_bytes(),
                discord: b"discord.gg/example".to_vec(),
                description: b"A devnet subnet with finney's layout.".to_vec(),
                ..Default::default()
            },
        );
        // Greek letters as symbols, like finney.
        let letter = char::from_u32(0x3B1 + u32::from(netuid - 1) % 24).unwrap_or('α');
        TokenSymbol::<T>::insert(netuid, alloc::string::String::from(letter).into_bytes());

        let mechanisms = mechanism_count(netuid);
        if mechanisms > 1 {
            MechanismCountCurrent::<T>::insert(netuid, mechanisms);
            let split: &[u16] = if mechanisms == 2 { &[45_875, 19_660] } else { &[32_767, 19_660, 13_108] };
            MechanismEmissionSplit::<T>::insert(netuid, split.to_vec());
        }
        if is_null_consensus(netuid) {
            SubnetEpochConsensus::<T>::insert(netuid, EpochConsensus::Null);
        }

        // Pool: price between 0.003 and 0.1 TAO per alpha, under the pool's balancer weights.
        let quote = pool_quote::<T>(netuid);
        if quote != Perquintill::from_percent(50) {
            swap::SwapBalancer::<T>::insert(netuid, Balancer { quote });
        }
        let price_milli = 3 + random::<T>(b"price", netuid) % 97;
        let tao = (2_000 + random::<T>(b"pool", netuid) % 60_000) * RAO;
        let q = u128::from(quote.deconstruct());
        let alpha_in = (u128::from(tao) * (1_000_000_000_000_000_000 - q) / q * 1_000 / u128::from(price_milli)) as u64;
        SubnetTAO::<T>::insert(netuid, tao);
        SubnetAlphaIn::<T>::insert(netuid, alpha_in);
        if is_superellipse_pool(netuid) {
            swap::SwapSuperellipse::<T>::insert(
                netuid,
                swap::superellipse_fitted_to(SUPERELLIPSE_FIT_QUOTE, tao, alpha_in),
            );
        }
        SubnetMovingPrice::<T>::insert(netuid, FixedI128::from_ratio(price_milli.into(), 1_000));
        SubnetVolume::<T>::insert(netuid, u128::from(tao) * u128::from(1 + random::<T>(b"volume", netuid) % 20));
        total_stake += tao;

        let mut alpha_out = 0;
        // Finney allows at most 256 uids over all of a subnet's mechanisms.
        for uid in 0..config.neurons_per_subnet.min(256 / u16::from(mechanisms)) {
            let (hotkey, coldkey, stake) = if uid < config.max_validators.min(delegates) {
                // Delegates validate on many subnets, each from a different uid; their owner and
                // a few nominators hold the stake.
                let index = (uid + netuid) % delegates;
                let stake = (10_000 + random::<T>(b"validator-stake", (netuid, uid)) % 400_000) * RAO;
                let (hotkey, coldkey) = (delegate_hotkey::<T>(index), delegate_coldkey::<T>(index));
                stake_with_nominators::<T>(&hotkey, &coldkey, netuid, stake);
                alpha_out += stake;
                register::<T>(netuid, hotkey, coldkey, 0, 0);
                continue;
            } else {
                let stake = random::<T>(b"miner-stake", (netuid, uid)) % (500 * RAO);
                (
                    account::<T>(b"miner-hotkey", (netuid, uid)),
                    account::<T>(b"miner-coldkey", (netuid, uid / 4)),
                    stake,
                )
            };
            alpha_out += stake;
            register::<T>(netuid, hotkey, coldkey, stake, 0);
        }
        SubnetAlphaOut::<T>::insert(netuid, alpha_out);
    }
    seed_baskets::<T>(delegates, config.subnets);
    let dormant = config.subnets + 1;
    NetworksAdded::<T>::insert(dormant, false);
    Tempo::<T>::insert(dormant, config.tempo);
    SubnetMechanism::<T>::insert(dormant, 1);
    NetworkRegisteredAt::<T>::insert(dormant, 0);
    SubnetOwner::<T>::insert(dormant, account::<T>(b"owner-coldkey", dormant));
    SubnetOwnerHotkey::<T>::insert(dormant, account::<T>(b"owner-hotkey", dormant));
    SubnetIdentitiesV3::<T>::insert(
        dormant,
        SubnetIdentityV3 {
            subnet_name: b"Dormant".to_vec(),
            description: b"Registered, not reportable: runtime calls omit it.".to_vec(),
            ..Default::default()
        },
    );
    TotalNetworks::<T>::put(config.subnets + 1);
    // Short subnet immunity too (200 s in `small`): the pruning candidate exists after a while.
    NetworkImmunityPeriod::<T>::put(u64::from(config.tempo) * 10);
    TotalStake::<T>::put(total_stake);
    // Just past finney's first halving, so the block emission is 0.5 TAO.
    TotalIssuance::<T>::put(10_800_000 * RAO);
}

/// Coldkeys that stake to delegates without owning one.
const NOMINATORS: u64 = 16;

/// A nominator's coldkey (`index < NOMINATORS`).
pub fn nominator<T: Config>(index: u64) -> AccountId32 {
    account::<T>(b"nominator", index)
}

/// Stakes `stake` to a delegate's hotkey on `netuid`: 30 % from its owner, the rest from one to
/// five nominators.
fn stake_with_nominators<T: Config>(hotkey: &AccountId32, owner: &AccountId32, netuid: u16, stake: u64) {
    let owner_part = stake * 3 / 10;
    add_stake::<T>(hotkey, owner, netuid, owner_part);
    let mut left = stake - owner_part;
    let count = 1 + random::<T>(b"nominators", (hotkey, netuid)) % 5;
    for k in 0..count {
        let nominator = nominator::<T>(random::<T>(b"nominator-pick", (hotkey, netuid, k)) % NOMINATORS);
        let part = if k + 1 == count { left } else { left * (1 + random::<T>(b"part", (hotkey, netuid, k)) % 4) / 8 };
        add_stake::<T>(hotkey, &nominator, netuid, part);
        left -= part;
    }
}

/// A share count as finney stores it: the mantissa normalised into (10^20, 10^21], the exponent
/// making up the difference (so readers must honour the exponent).
fn safe_float(units: u128) -> SafeFloat {
    const LOW: u128 = 100_000_000_000_000_000_000;
    let (mut mantissa, mut exponent) = (units, 0i64);
    while mantissa != 0 && mantissa <= LOW {
        mantissa *= 10;
        exponent -= 1;
    }
    SafeFloat { mantissa, exponent }
}

/// Whole share units in a stored share count.
fn share_units(value: SafeFloat) -> u128 {
    if value.exponent >= 0 {
        value.mantissa.saturating_mul(10u128.pow(value.exponent as u32))
    } else {
        value.mantissa / 10u128.pow((-value.exponent) as u32)
    }
}

/// `coldkey`'s stake on `hotkey` at `netuid`: its shares' part of the hotkey's alpha.
pub fn stake_of<T: Config>(hotkey: &AccountId32, coldkey: &AccountId32, netuid: u16) -> u64 {
    let total_shares = share_units(TotalHotkeySharesV2::<T>::get(hotkey, netuid));
    if total_shares == 0 {
        return 0;
    }
    let shares = share_units(AlphaV2::<T>::get((hotkey, coldkey, netuid)));
    (u128::from(TotalHotkeyAlpha::<T>::get(hotkey, netuid)) * shares / total_shares) as u64
}

/// Adds `alpha` to `coldkey`'s stake on `hotkey` at `netuid`, minting shares at the pool's
/// current rate (finney's share pool): `AlphaV2`, `TotalHotkeySharesV2`, `TotalHotkeyAlpha`,
/// `StakingHotkeys`.
pub fn add_stake<T: Config>(hotkey: &AccountId32, coldkey: &AccountId32, netuid: u16, alpha: u64) {
    if alpha == 0 {
        return;
    }
    let total_alpha = u128::from(TotalHotkeyAlpha::<T>::get(hotkey, netuid));
    let total_shares = share_units(TotalHotkeySharesV2::<T>::get(hotkey, netuid));
    let minted = if total_alpha == 0 || total_shares == 0 {
        u128::from(alpha)
    } else {
        u128::from(alpha) * total_shares / total_alpha
    };
    AlphaV2::<T>::mutate((hotkey, coldkey, netuid), |shares| *shares = safe_float(share_units(*shares) + minted));
    TotalHotkeySharesV2::<T>::insert(hotkey, netuid, safe_float(total_shares + minted));
    TotalHotkeyAlpha::<T>::mutate(hotkey, netuid, |total| *total = total.saturating_add(alpha));
    StakingHotkeys::<T>::mutate(coldkey, |hotkeys| {
        if !hotkeys.contains(hotkey) {
            hotkeys.push(hotkey.clone());
        }
    });
}

/// The uid a registration on a full subnet replaces (finney's `get_neuron_to_prune`), never the
/// subnet owner's hotkey: among uids past their immunity (`block − BlockAtRegistration ≥
/// ImmunityPeriod`) while more than `MinNonImmuneUids` are, else among the immune ones; the
/// lowest `Emission`, then the earliest registration, then the lowest uid.
pub fn neuron_to_prune<T: Config>(netuid: u16, block: u64) -> Option<u16> {
    let immunity = u64::from(ImmunityPeriod::<T>::get(netuid));
    let owner = SubnetOwnerHotkey::<T>::get(netuid);
    let emission = Emission::<T>::get(netuid);
    let (mut immune, mut free) = (Vec::new(), Vec::new());
    for uid in (0..SubnetworkN::<T>::get(netuid)).filter(|uid| Keys::<T>::get(netuid, uid) != owner) {
        let registered = BlockAtRegistration::<T>::get(netuid, uid);
        let candidate = (emission.get(uid as usize).copied().unwrap_or(0), registered, uid);
        if block.saturating_sub(registered) < immunity {
            immune.push(candidate);
        } else {
            free.push(candidate);
        }
    }
    choose_to_prune(immune, free, MinNonImmuneUids::<T>::get(netuid))
}

/// The pruning choice over (emission, registration block, uid) candidates: a uid past its
/// immunity while more than `min_free` are, else an immune one; least emission, earliest
/// registration, lowest uid.
fn choose_to_prune(immune: Vec<(u64, u64, u16)>, free: Vec<(u64, u64, u16)>, min_free: u16) -> Option<u16> {
    let pool = if free.len() > usize::from(min_free) { free } else { immune };
    pool.into_iter().min().map(|(_, _, uid)| uid)
}

/// Root baskets for every other delegate: α on two subnets bought at genesis prices, 95 % of it
/// paid in as deposits and a twentieth of those redeemed since, β minted at par (10^9 per τ).
fn seed_baskets<T: Config>(delegates: u16, subnets: u16) {
    if subnets == 0 {
        return;
    }
    for index in (0..delegates).step_by(2) {
        let hotkey = delegate_hotkey::<T>(index);
        let holdings: Vec<(u16, u64)> = [index, index + 1]
            .iter()
            .map(|i| (1 + i % subnets, (1_000 + random::<T>(b"basket", (index, *i)) % 20_000) * RAO))
            .collect();
        let value: u64 = holdings.iter().map(|(netuid, alpha)| spot_tao::<T>(*netuid, *alpha)).sum();
        let deposited = value / 100 * 95;
        BasketShares::<T>::insert(&hotkey, deposited);
        BasketDepositedTao::<T>::insert(&hotkey, deposited);
        BasketRedeemedTao::<T>::insert(&hotkey, deposited / 20);
        DevnetBasketHoldings::<T>::insert(&hotkey, holdings);
    }
}

/// `alpha` valued at `netuid`'s spot price, rao.
pub fn spot_tao<T: Config>(netuid: u16, alpha: u64) -> u64 {
    (u128::from(alpha) * u128::from(spot_price::<T>(netuid)) / u128::from(RAO)) as u64
}

/// Appends a neuron (or, when the subnet is full, replaces the uid finney would prune; a subnet
/// with nothing to prune refuses it).
pub fn register<T: Config>(netuid: u16, hotkey: AccountId32, coldkey: AccountId32, stake: u64, block: u64) {
    let n = SubnetworkN::<T>::get(netuid);
    let uid = if n < MaxAllowedUids::<T>::get(netuid) {
        SubnetworkN::<T>::insert(netuid, n + 1);
        for_each_vector::<T>(netuid, |len| len + 1);
        n
    } else {
        let Some(uid) = neuron_to_prune::<T>(netuid, block) else {
            return;
        };
        let old = Keys::<T>::get(netuid, uid);
        Uids::<T>::remove(netuid, &old);
        Axons::<T>::remove(netuid, &old);
        uid
    };
    Keys::<T>::insert(netuid, uid, &hotkey);
    Uids::<T>::insert(netuid, &hotkey, uid);
    BlockAtRegistration::<T>::insert(netuid, uid, block);
    if !Owner::<T>::contains_key(&hotkey) {
        Owner::<T>::insert(&hotkey, &coldkey);
    }
    add_stake::<T>(&hotkey, &coldkey, netuid, stake);
    let ip = 0x0A00_0000u128 + u128::from(random::<T>(b"ip", (netuid, uid)) % 0xFF_FFFF);
    Axons::<T>::insert(
        netuid,
        &hotkey,
        AxonInfo { block, version: 900, ip, port: 8091, ip_type: 4, protocol: 4, ..Default::default() },
    );
    for mechanism in 0..MechanismCountCurrent::<T>::get(netuid) {
        LastUpdate::<T>::mutate(storage_index(netuid, mechanism), |last_update| {
            if let Some(slot) = last_update.get_mut(uid as usize) {
                *slot = block;
            }
        });
    }
    let mut active = Active::<T>::get(netuid);
    if let Some(slot) = active.get_mut(uid as usize) {
        *slot = true;
    }
    Active::<T>::insert(netuid, active);
}

/// Gives `uid` to a fresh, unstaked miner hotkey (deregistration without holes).
pub fn replace_uid<T: Config>(netuid: u16, uid: u16, block: u64) {
    let old = Keys::<T>::get(netuid, uid);
    Uids::<T>::remove(netuid, &old);
    Axons::<T>::remove(netuid, &old);
    let hotkey = account::<T>(b"replacement-hotkey", (netuid, uid, block));
    let coldkey = account::<T>(b"replacement-coldkey", (netuid, uid, block));
    Keys::<T>::insert(netuid, uid, &hotkey);
    Uids::<T>::insert(netuid, &hotkey, uid);
    Owner::<T>::insert(&hotkey, &coldkey);
    BlockAtRegistration::<T>::insert(netuid, uid, block);
    let mut emission = Emission::<T>::get(netuid);
    if let Some(slot) = emission.get_mut(uid as usize) {
        *slot = 0;
    }
    Emission::<T>::insert(netuid, emission);
}

/// Resizes every per-uid vector of a subnet to `new_len(current SubnetworkN)` entries.
fn for_each_vector<T: Config>(netuid: u16, new_len: impl Fn(usize) -> usize) {
    fn resize<V: Clone + Default>(values: &mut Vec<V>, len: usize) {
        values.resize(len, V::default());
    }
    let len = new_len(Active::<T>::get(netuid).len());
    Active::<T>::mutate(netuid, |v| resize(v, len));
    ValidatorPermit::<T>::mutate(netuid, |v| resize(v, len));
    Consensus::<T>::mutate(netuid, |v| resize(v, len));
    Dividends::<T>::mutate(netuid, |v| resize(v, len));
    ValidatorTrust::<T>::mutate(netuid, |v| resize(v, len));
    StakeWeight::<T>::mutate(netuid, |v| resize(v, len));
    Emission::<T>::mutate(netuid, |v| resize(v, len));
    for mechanism in 0..MechanismCountCurrent::<T>::get(netuid) {
        let index = storage_index(netuid, mechanism);
        Incentive::<T>::mutate(index, |v| resize(v, len));
        LastUpdate::<T>::mutate(index, |v| resize(v, len));
    }
}

/// TAO emitted per block for the current issuance (finney's halving curve).
pub fn block_emission(issuance: u64) -> u64 {
    const HALF_SUPPLY: u128 = 10_500_000 * RAO as u128;
    let mut emission = RAO;
    let mut threshold = HALF_SUPPLY;
    let mut remaining = HALF_SUPPLY;
    while u128::from(issuance) >= threshold && emission > 0 {
        emission /= 2;
        remaining /= 2;
        threshold += remaining;
    }
    emission
}

/// Per-block emission into every subnet's pool, then the epochs that are due.
pub fn run_coinbase<T: Config>(block: u64) {
    let emission = block_emission(TotalIssuance::<T>::get());
    let subnets: Vec<u16> = NetworksAdded::<T>::iter()
        .filter(|(netuid, added)| *netuid != 0 && *added)
        .map(|(netuid, _)| netuid)
        .collect();
    let price_sum: i128 = subnets.iter().map(|n| SubnetMovingPrice::<T>::get(n).bits.max(0)).sum();
    let mut emitted = 0u64;
    for netuid in &subnets {
        let netuid = *netuid;
        let moving = SubnetMovingPrice::<T>::get(netuid).bits.max(0);
        let tao_emission = if price_sum > 0 {
            (i128::from(emission) * moving / price_sum) as u64
        } else {
            0
        };
        let tao = SubnetTAO::<T>::get(netuid);
        let alpha = SubnetAlphaIn::<T>::get(netuid).max(1);
        let price = u128::from(spot_price::<T>(netuid).max(1));
        // Pool-side emission, unless the subnet's is off by policy (`SubnetEmissionEnabled`):
        // alpha_in = tao_emission / price, capped at 1 α per block; the rest is a chain buy.
        let pool_emission = SubnetEmissionEnabled::<T>::get(netuid);
        let tao_emission = if pool_emission { tao_emission } else { 0 };
        let alpha_in = ((u128::from(tao_emission) * u128::from(RAO) / price) as u64).min(RAO);
        let tao_in = (u128::from(alpha_in) * price / u128::from(RAO)) as u64;
        let excess = tao_emission.saturating_sub(tao_in);
        SubnetTAO::<T>::insert(netuid, tao + tao_emission);
        SubnetAlphaIn::<T>::insert(netuid, alpha + alpha_in);
        swap::SwapSuperellipse::<T>::mutate_exists(netuid, |curve| {
            *curve = curve.map(|curve| swap::superellipse_translated(curve, tao_emission, alpha_in));
        });
        SubnetAlphaOut::<T>::mutate(netuid, |out| *out += RAO);
        SubnetTaoInEmission::<T>::insert(netuid, tao_in);
        SubnetExcessTao::<T>::insert(netuid, excess);
        SubnetAlphaInEmission::<T>::insert(netuid, alpha_in);
        SubnetAlphaOutEmission::<T>::insert(netuid, RAO);
        SubnetVolume::<T>::mutate(netuid, |volume| *volume += u128::from(tao_emission));
        // 18 % owner cut, the rest split evenly between miners and validators.
        let owner_cut = RAO * 11_796 / 65_535;
        PendingOwnerCut::<T>::mutate(netuid, |p| *p += owner_cut);
        PendingServerEmission::<T>::mutate(netuid, |p| *p += (RAO - owner_cut) / 2);
        PendingValidatorEmission::<T>::mutate(netuid, |p| *p += (RAO - owner_cut) / 2);
        // Moving price: an EMA of min(spot, 1) with a devnet-fast factor of 1/50.
        let spot = FixedI128::from_ratio(price, RAO.into()).bits.min(1 << 32);
        SubnetMovingPrice::<T>::mutate(netuid, |price| price.bits += (spot - price.bits) / 50);
        BlocksSinceLastStep::<T>::mutate(netuid, |b| *b += 1);
        emitted += tao_emission;
    }
    TotalIssuance::<T>::mutate(|issuance| *issuance += emitted);
    TotalStake::<T>::mutate(|stake| *stake += emitted);
    // `BlockEmission` is left as it is: finney stopped writing it, and readers must not use it.

    let mut epochs_left = MaxEpochsPerBlock::<T>::get();
    for netuid in subnets {
        if epochs_left == 0 {
            break;
        }
        let pending = PendingEpochAt::<T>::get(netuid);
        let triggered = pending > 0 && block >= pending;
        if triggered || block.saturating_sub(LastEpochBlock::<T>::get(netuid)) >= u64::from(Tempo::<T>::get(netuid)) {
            run_epoch::<T>(netuid, block);
            epochs_left -= 1;
        }
    }
}

/// Deterministic weights: validators agree on each miner's quality, with per-epoch noise; every
/// fifth validator weights at random (and loses validator trust for it).
fn weights<T: Config>(netuid: u16, mechanism: u8, epoch: u64, n: usize, permit: &[bool]) -> Vec<Vec<u32>> {
    (0..n)
        .map(|i| {
            if !permit.get(i).copied().unwrap_or(false) {
                return Vec::new();
            }
            (0..n)
                .map(|j| {
                    if permit.get(j).copied().unwrap_or(false) {
                        return 0;
                    }
                    let quality = random::<T>(b"quality", (netuid, mechanism, j as u16)) % 1_000;
                    let noise = random::<T>(b"noise", (netuid, mechanism, epoch, i as u16, j as u16)) % 200;
                    if i % 5 == 4 {
                        (random::<T>(b"rogue", (netuid, mechanism, epoch, i as u16, j as u16)) % 1_200) as u32
                    } else {
                        (quality * quality / 1_000 + noise) as u32
                    }
                })
                .collect()
        })
        .collect()
}

/// One epoch for `netuid`: per mechanism, Yuma (or Null consensus) over the current stake and
/// that mechanism's weights with its share of the pending emission; then rewards paid as stake.
/// `Incentive` and `LastUpdate` are written per mechanism, the other vectors once for the subnet
/// (emission summed, consensus, trust and dividends weighted by the mechanisms' shares).
pub fn run_epoch<T: Config>(netuid: u16, block: u64) {
    let n = SubnetworkN::<T>::get(netuid) as usize;
    let hotkeys: Vec<AccountId32> = (0..n as u16).map(|uid| Keys::<T>::get(netuid, uid)).collect();
    let stake: Vec<u64> = hotkeys.iter().map(|h| TotalHotkeyAlpha::<T>::get(h, netuid)).collect();
    let epoch_index = SubnetEpochIndex::<T>::get(netuid);
    let null_consensus = SubnetEpochConsensus::<T>::get(netuid) == EpochConsensus::Null;
    let max_validators = MaxAllowedValidators::<T>::get(netuid);
    let permit = ValidatorPermit::<T>::get(netuid);
    let permit = if permit.iter().any(|p| *p) {
        permit
    } else {
        // First epoch: permits are not known yet; the epoch computes them from stake.
        epoch::run(&EpochInput {
            stake: stake.clone(),
            weights: Vec::new(),
            kappa: 0,
            max_validators,
            null_consensus,
            pending_server: 0,
            pending_validator: 0,
        })
        .validator_permit
    };
    let mechanisms = MechanismCountCurrent::<T>::get(netuid).max(1);
    let split = emission_split(MechanismEmissionSplit::<T>::get(netuid), mechanisms);
    let pending_server = u128::from(PendingServerEmission::<T>::take(netuid));
    let pending_validator = u128::from(PendingValidatorEmission::<T>::take(netuid));
    PendingOwnerCut::<T>::remove(netuid);

    let mut totals = EpochTotals::new(n);
    for (mechanism, share) in (0..mechanisms).zip(split) {
        let share = u128::from(share);
        let output = epoch::run(&EpochInput {
            weights: weights::<T>(netuid, mechanism, epoch_index, n, &permit),
            stake: stake.clone(),
            kappa: Kappa::<T>::get(netuid),
            max_validators,
            null_consensus,
            pending_server: (pending_server * share / u128::from(u16::MAX)) as u64,
            pending_validator: (pending_validator * share / u128::from(u16::MAX)) as u64,
        });
        let index = storage_index(netuid, mechanism);
        let mut last_update = LastUpdate::<T>::get(index);
        last_update.resize(n, 0);
        for (uid, permitted) in output.validator_permit.iter().enumerate() {
            if *permitted {
                last_update[uid] = block;
            }
        }
        LastUpdate::<T>::insert(index, last_update);
        Incentive::<T>::insert(index, per_u16(&output.incentive));
        totals.add(&output, share);
    }

    // Rewards paid as finney pays them: the take and any incentive to the hotkey's owner as new
    // shares, the dividends after take to every share holder pro rata (no new shares).
    let _ = AlphaDividendsPerSubnet::<T>::clear_prefix(netuid, u32::MAX, None);
    for (uid, hotkey) in hotkeys.iter().enumerate() {
        let dividend = totals.dividend_alpha[uid];
        let incentive = totals.emission[uid] - dividend;
        let take = Delegates::<T>::get(hotkey).mul_floor(dividend);
        let to_stakers = dividend - take;
        TotalHotkeyAlpha::<T>::mutate(hotkey, netuid, |alpha| *alpha += to_stakers);
        add_stake::<T>(hotkey, &Owner::<T>::get(hotkey), netuid, take + incentive);
        if dividend > 0 {
            AlphaDividendsPerSubnet::<T>::insert(netuid, hotkey, to_stakers);
        }
        TotalHotkeyAlphaLastEpoch::<T>::insert(hotkey, netuid, TotalHotkeyAlpha::<T>::get(hotkey, netuid));
    }
    let weighted = |values: &[u128]| -> Vec<PerU16> {
        values.iter().map(|v| PerU16::from_parts((v / u128::from(u16::MAX)) as u16)).collect()
    };
    Active::<T>::insert(netuid, alloc::vec![true; n]);
    ValidatorPermit::<T>::insert(netuid, totals.validator_permit);
    StakeWeight::<T>::insert(netuid, totals.stake_weight);
    Consensus::<T>::insert(netuid, weighted(&totals.consensus));
    Dividends::<T>::insert(netuid, weighted(&totals.dividends));
    ValidatorTrust::<T>::insert(netuid, weighted(&totals.validator_trust));
    Emission::<T>::insert(netuid, totals.emission);
    LastEpochBlock::<T>::insert(netuid, block);
    PendingEpochAt::<T>::remove(netuid);
    LastMechansimStepBlock::<T>::insert(netuid, block);
    BlocksSinceLastStep::<T>::insert(netuid, 0);
    SubnetEpochIndex::<T>::insert(netuid, epoch_index + 1);
}

fn per_u16(values: &[u16]) -> Vec<PerU16> {
    values.iter().copied().map(PerU16::from_parts).collect()
}

/// A subnet's epoch summed over its mechanisms: alpha added, u16 proportions weighted by each
/// mechanism's share (so dividing by 65 535 gives the weighted proportion).
struct EpochTotals {
    validator_permit: Vec<bool>,
    stake_weight: Vec<u16>,
    emission: Vec<u64>,
    dividend_alpha: Vec<u64>,
    consensus: Vec<u128>,
    dividends: Vec<u128>,
    validator_trust: Vec<u128>,
}

impl EpochTotals {
    fn new(n: usize) -> Self {
        Self {
            validator_permit: alloc::vec![false; n],
            stake_weight: alloc::vec![0; n],
            emission: alloc::vec![0; n],
            dividend_alpha: alloc::vec![0; n],
            consensus: alloc::vec![0; n],
            dividends: alloc::vec![0; n],
            validator_trust: alloc::vec![0; n],
        }
    }

    fn add(&mut self, output: &epoch::EpochOutput, share: u128) {
        self.validator_permit.clone_from(&output.validator_permit);
        self.stake_weight.clone_from(&output.stake_weight);
        for uid in 0..self.emission.len() {
            self.emission[uid] += output.emission[uid];
            self.dividend_alpha[uid] += output.dividend_alpha[uid];
            self.consensus[uid] += u128::from(output.consensus[uid]) * share;
            self.dividends[uid] += u128::from(output.dividends[uid]) * share;
            self.validator_trust[uid] += u128::from(output.validator_trust[uid]) * share;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_emission_halves_at_each_threshold() {
        assert_eq!(block_emission(0), RAO);
        assert_eq!(block_emission(10_499_999 * RAO), RAO);
        assert_eq!(block_emission(10_800_000 * RAO), RAO / 2);
        assert_eq!(block_emission(15_750_000 * RAO), RAO / 4);
    }

    #[test]
    fn emission_splits_are_kept_when_well_formed_else_even() {
        assert_eq!(emission_split(Some(alloc::vec![45_875, 19_660]), 2), alloc::vec![45_875, 19_660]);
        assert_eq!(emission_split(Some(alloc::vec![1, 2]), 2), alloc::vec![32_768, 32_767]);
        assert_eq!(emission_split(None, 3), alloc::vec![21_845, 21_845, 21_845]);
        assert_eq!(emission_split(None, 1), alloc::vec![u16::MAX]);
    }

    #[test]
    fn pruning_takes_the_least_emission_past_immunity_while_enough_are() {
        let free = alloc::vec![(5, 0, 3), (2, 7, 4), (2, 1, 9), (8, 0, 1)];
        let immune = alloc::vec![(0, 90, 6)];
        // Ties on emission go to the earliest registration.
        assert_eq!(choose_to_prune(immune.clone(), free.clone(), 3), Some(9));
        // Not more than the floor past immunity: the immune uid with least emission goes.
        assert_eq!(choose_to_prune(immune, free, 4), Some(6));
        assert_eq!(choose_to_prune(Vec::new(), Vec::new(), 0), None);
    }

    #[test]
    fn share_counts_keep_finneys_normalised_mantissa_and_round_trip() {
        for units in [1u128, 999, 123_456_789_012_345, 10u128.pow(21)] {
            let stored = safe_float(units);
            assert!(stored.mantissa > 10u128.pow(20) && stored.mantissa <= 10u128.pow(21), "{stored:?}");
            assert_eq!(share_units(stored), units);
        }
        assert_eq!(safe_float(0), SafeFloat { mantissa: 0, exponent: 0 });
    }

    #[test]
    fn special_subnets_are_where_the_presets_expect_them() {
        assert_eq!((1..=4).map(mechanism_count).collect::<Vec<_>>(), alloc::vec![1, 2, 1, 1]);
        assert_eq!([2, 34, 66, 98].map(mechanism_count), [2, 3, 2, 3]);
        assert!(is_null_consensus(3) && !is_null_consensus(2));
    }
}

/// `SubnetInfoRuntimeApi::get_next_epoch_start_block(netuid)`, finney's rule: `LastEpochBlock +
/// Tempo`, or an owner-triggered `PendingEpochAt` when that comes first; none for tempo 0.
pub fn next_epoch_start_block<T: Config>(netuid: u16) -> Option<u64> {
    let tempo = u64::from(Tempo::<T>::get(netuid));
    if tempo == 0 {
        return None;
    }
    let scheduled = LastEpochBlock::<T>::get(netuid) + tempo;
    match PendingEpochAt::<T>::get(netuid) {
        0 => Some(scheduled),
        pending => Some(scheduled.min(pending)),
    }
}
