//! The devnet's life: a deterministic genesis network, neuron registration, per-block emission into
//! the subnet pools and the epoch that rewrites the per-uid vectors.

use crate::epoch::{self, EpochInput};
use crate::pallet::*;
use crate::types::*;
use alloc::vec::Vec;
use codec::Encode;
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

/// Builds the genesis network: root plus `subnets` subnets of `neurons_per_subnet` neurons, a pool
/// of delegates that validate on many subnets, miners, pools, prices and identities.
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
        Delegates::<T>::insert(&hotkey, [11_796, 9_000, 5_898, 0][(index % 4) as usize]);
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
        TotalHotkeyAlpha::<T>::insert(&hotkey, 0u16, stake);
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

        // Pool: price between 0.003 and 0.1 TAO per alpha.
        let price_milli = 3 + random::<T>(b"price", netuid) % 97;
        let tao = (2_000 + random::<T>(b"pool", netuid) % 60_000) * RAO;
        let alpha_in = tao / price_milli * 1_000;
        SubnetTAO::<T>::insert(netuid, tao);
        SubnetAlphaIn::<T>::insert(netuid, alpha_in);
        SubnetMovingPrice::<T>::insert(netuid, FixedI128::from_ratio(price_milli.into(), 1_000));
        SubnetVolume::<T>::insert(netuid, u128::from(tao) * u128::from(1 + random::<T>(b"volume", netuid) % 20));
        total_stake += tao;

        let mut alpha_out = 0;
        for uid in 0..config.neurons_per_subnet {
            let (hotkey, coldkey, stake) = if uid < config.max_validators.min(delegates) {
                // Delegates validate on many subnets, each from a different uid.
                let index = (uid + netuid) % delegates;
                let stake = (10_000 + random::<T>(b"validator-stake", (netuid, uid)) % 400_000) * RAO;
                (delegate_hotkey::<T>(index), delegate_coldkey::<T>(index), stake)
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
    TotalNetworks::<T>::put(config.subnets + 1);
    TotalStake::<T>::put(total_stake);
    // Just past finney's first halving, so the block emission is 0.5 TAO.
    TotalIssuance::<T>::put(10_800_000 * RAO);
}

/// Appends a neuron (or replaces the lowest-emission uid when the subnet is full).
pub fn register<T: Config>(netuid: u16, hotkey: AccountId32, coldkey: AccountId32, stake: u64, block: u64) {
    let n = SubnetworkN::<T>::get(netuid);
    let uid = if n < MaxAllowedUids::<T>::get(netuid) {
        SubnetworkN::<T>::insert(netuid, n + 1);
        for_each_vector::<T>(netuid, |len| len + 1);
        n
    } else {
        let emission = Emission::<T>::get(netuid);
        let (uid, _) = emission.iter().enumerate().min_by_key(|(_, e)| **e).unwrap_or((0, &0));
        let uid = uid as u16;
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
    TotalHotkeyAlpha::<T>::mutate(&hotkey, netuid, |alpha| *alpha = alpha.saturating_add(stake));
    let ip = 0x0A00_0000u128 + u128::from(random::<T>(b"ip", (netuid, uid)) % 0xFF_FFFF);
    Axons::<T>::insert(
        netuid,
        &hotkey,
        AxonInfo { block, version: 900, ip, port: 8091, ip_type: 4, protocol: 4, ..Default::default() },
    );
    let mut last_update = LastUpdate::<T>::get(netuid);
    if let Some(slot) = last_update.get_mut(uid as usize) {
        *slot = block;
    }
    LastUpdate::<T>::insert(netuid, last_update);
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
    Incentive::<T>::mutate(netuid, |v| resize(v, len));
    Dividends::<T>::mutate(netuid, |v| resize(v, len));
    ValidatorTrust::<T>::mutate(netuid, |v| resize(v, len));
    StakeWeight::<T>::mutate(netuid, |v| resize(v, len));
    Emission::<T>::mutate(netuid, |v| resize(v, len));
    LastUpdate::<T>::mutate(netuid, |v| resize(v, len));
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
    let subnets: Vec<u16> = NetworksAdded::<T>::iter_keys().filter(|n| *n != 0).collect();
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
        // alpha_in = tao_emission / price, capped at 1 α per block; the rest is a chain buy.
        let alpha_in = ((u128::from(tao_emission) * u128::from(alpha) / u128::from(tao.max(1))) as u64).min(RAO);
        let tao_in = (u128::from(alpha_in) * u128::from(tao) / u128::from(alpha)) as u64;
        let excess = tao_emission.saturating_sub(tao_in);
        SubnetTAO::<T>::insert(netuid, tao + tao_emission);
        SubnetAlphaIn::<T>::insert(netuid, alpha + alpha_in);
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
        let spot = FixedI128::from_ratio(tao.into(), alpha.into()).bits.min(1 << 32);
        SubnetMovingPrice::<T>::mutate(netuid, |price| price.bits += (spot - price.bits) / 50);
        BlocksSinceLastStep::<T>::mutate(netuid, |b| *b += 1);
        emitted += tao_emission;
    }
    TotalIssuance::<T>::mutate(|issuance| *issuance += emitted);
    TotalStake::<T>::mutate(|stake| *stake += emitted);
    BlockEmission::<T>::put(emission);

    let mut epochs_left = MaxEpochsPerBlock::<T>::get();
    for netuid in subnets {
        if epochs_left == 0 {
            break;
        }
        if block.saturating_sub(LastEpochBlock::<T>::get(netuid)) >= u64::from(Tempo::<T>::get(netuid)) {
            run_epoch::<T>(netuid, block);
            epochs_left -= 1;
        }
    }
}

/// Deterministic weights: validators agree on each miner's quality, with per-epoch noise; every
/// fifth validator weights at random (and loses validator trust for it).
fn weights<T: Config>(netuid: u16, epoch: u64, n: usize, permit: &[bool]) -> Vec<Vec<u32>> {
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
                    let quality = random::<T>(b"quality", (netuid, j as u16)) % 1_000;
                    let noise = random::<T>(b"noise", (netuid, epoch, i as u16, j as u16)) % 200;
                    if i % 5 == 4 {
                        (random::<T>(b"rogue", (netuid, epoch, i as u16, j as u16)) % 1_200) as u32
                    } else {
                        (quality * quality / 1_000 + noise) as u32
                    }
                })
                .collect()
        })
        .collect()
}

/// One epoch for `netuid`: Yuma over the current stake and weights, then rewards paid as stake.
pub fn run_epoch<T: Config>(netuid: u16, block: u64) {
    let n = SubnetworkN::<T>::get(netuid) as usize;
    let hotkeys: Vec<AccountId32> = (0..n as u16).map(|uid| Keys::<T>::get(netuid, uid)).collect();
    let stake: Vec<u64> = hotkeys.iter().map(|h| TotalHotkeyAlpha::<T>::get(h, netuid)).collect();
    let epoch_index = SubnetEpochIndex::<T>::get(netuid);
    let permit = ValidatorPermit::<T>::get(netuid);
    let permit = if permit.iter().any(|p| *p) {
        permit
    } else {
        // First epoch: permits are not known yet; the epoch computes them from stake.
        epoch::run(&EpochInput {
            stake: stake.clone(),
            weights: Vec::new(),
            kappa: 0,
            max_validators: MaxAllowedValidators::<T>::get(netuid),
            pending_server: 0,
            pending_validator: 0,
        })
        .validator_permit
    };
    let output = epoch::run(&EpochInput {
        weights: weights::<T>(netuid, epoch_index, n, &permit),
        stake,
        kappa: Kappa::<T>::get(netuid),
        max_validators: MaxAllowedValidators::<T>::get(netuid),
        pending_server: PendingServerEmission::<T>::take(netuid),
        pending_validator: PendingValidatorEmission::<T>::take(netuid),
    });
    PendingOwnerCut::<T>::remove(netuid);

    let mut last_update = LastUpdate::<T>::get(netuid);
    last_update.resize(n, 0);
    for (uid, hotkey) in hotkeys.iter().enumerate() {
        TotalHotkeyAlpha::<T>::mutate(hotkey, netuid, |alpha| *alpha += output.emission[uid]);
        if output.validator_permit[uid] {
            last_update[uid] = block;
            AlphaDividendsPerSubnet::<T>::insert(netuid, hotkey, output.dividend_alpha[uid]);
        }
    }
    Active::<T>::insert(netuid, alloc::vec![true; n]);
    ValidatorPermit::<T>::insert(netuid, output.validator_permit);
    StakeWeight::<T>::insert(netuid, output.stake_weight);
    Consensus::<T>::insert(netuid, output.consensus);
    Incentive::<T>::insert(netuid, output.incentive);
    Dividends::<T>::insert(netuid, output.dividends);
    ValidatorTrust::<T>::insert(netuid, output.validator_trust);
    Emission::<T>::insert(netuid, output.emission);
    LastUpdate::<T>::insert(netuid, last_update);
    LastEpochBlock::<T>::insert(netuid, block);
    LastMechansimStepBlock::<T>::insert(netuid, block);
    BlocksSinceLastStep::<T>::insert(netuid, 0);
    SubnetEpochIndex::<T>::insert(netuid, epoch_index + 1);
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
}
