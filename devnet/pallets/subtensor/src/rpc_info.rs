//! The values the runtime APIs return, with finney's field names, order and encodings
//! (`pallets/subtensor/src/rpc_info/*.rs` upstream), built from this pallet's storage.

use crate::pallet::*;
use crate::types::*;
use alloc::vec::Vec;
use crate::{storage_index, swap};
use codec::{Compact, Decode, Encode};
use scale_info::TypeInfo;
use sp_arithmetic::PerU16;
use sp_runtime::AccountId32;

/// Strings in the runtime APIs are `Vec<Compact<u8>>`: each byte compact-encoded.
fn compact_bytes(bytes: &[u8]) -> Vec<Compact<u8>> {
    bytes.iter().copied().map(Compact).collect()
}

fn compact_all<T: Copy>(values: &[T]) -> Vec<Compact<T>>
where
    Compact<T>: From<T>,
{
    values.iter().copied().map(Compact::from).collect()
}

/// `DynamicInfo`: one subnet's header, pool and emission figures.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct DynamicInfo {
    pub netuid: Compact<u16>,
    pub owner_hotkey: AccountId32,
    pub owner_coldkey: AccountId32,
    pub subnet_name: Vec<Compact<u8>>,
    pub token_symbol: Vec<Compact<u8>>,
    pub tempo: Compact<u16>,
    pub last_step: Compact<u64>,
    pub blocks_since_last_step: Compact<u64>,
    pub emission: Compact<u64>,
    pub alpha_in: Compact<u64>,
    pub alpha_out: Compact<u64>,
    pub tao_in: Compact<u64>,
    pub alpha_out_emission: Compact<u64>,
    pub alpha_in_emission: Compact<u64>,
    pub tao_in_emission: Compact<u64>,
    pub pending_alpha_emission: Compact<u64>,
    pub pending_root_emission: Compact<u64>,
    pub subnet_volume: Compact<u128>,
    pub network_registered_at: Compact<u64>,
    pub subnet_identity: Option<SubnetIdentityV3>,
    pub moving_price: FixedI128,
}

/// Declares `Metagraph` (every field, then finney ≥ 475's three collateral vectors) and
/// `SelectiveMetagraph` (every field but `netuid` wrapped in `Option`, selected by its position,
/// plus `validators`, `commitments` and the collateral vectors at 74–76) from one field list.
macro_rules! metagraphs {
    ($($field:ident: $ty:ty,)*) => {
        /// `Metagraph`: a subnet's header, hyperparameters and per-uid vectors.
        #[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
        pub struct Metagraph {
            pub netuid: Compact<u16>,
            $(pub $field: $ty,)*
            pub collateral_locked: Vec<Compact<u64>>,
            pub collateral_min: Vec<Compact<u64>>,
            pub collateral_earned: Vec<Compact<u64>>,
        }

        /// `SelectiveMetagraph`: the fields whose indexes were asked for.
        #[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
        pub struct SelectiveMetagraph {
            pub netuid: Compact<u16>,
            $(pub $field: Option<$ty>,)*
            pub validators: Option<Vec<Compact<u16>>>,
            pub commitments: Option<Vec<(AccountId32, Vec<Compact<u8>>)>>,
            pub collateral_locked: Option<Vec<Compact<u64>>>,
            pub collateral_min: Option<Vec<Compact<u64>>>,
            pub collateral_earned: Option<Vec<Compact<u64>>>,
        }

        impl Metagraph {
            /// Keeps the fields at the requested indexes (0 = netuid, always present); the
            /// index of a field is its position, as in finney's `SelectiveMetagraphIndex`.
            pub fn select(self, indexes: &[u16]) -> SelectiveMetagraph {
                let validators: Vec<Compact<u16>> = self
                    .validator_permit
                    .iter()
                    .enumerate()
                    .filter(|(_, permit)| **permit)
                    .map(|(uid, _)| Compact(uid as u16))
                    .collect();
                let mut position = 0u16;
                $(
                    position += 1;
                    let $field = indexes.contains(&position).then_some(self.$field);
                )*
                SelectiveMetagraph {
                    netuid: self.netuid,
                    $($field,)*
                    validators: indexes.contains(&(position + 1)).then_some(validators),
                    commitments: indexes.contains(&(position + 2)).then(Vec::new),
                    collateral_locked: indexes.contains(&(position + 3)).then_some(self.collateral_locked),
                    collateral_min: indexes.contains(&(position + 4)).then_some(self.collateral_min),
                    collateral_earned: indexes.contains(&(position + 5)).then_some(self.collateral_earned),
                }
            }

            /// Index of the last per-field entry (`alpha_dividends_per_hotkey`).
            pub const LAST_FIELD_INDEX: u16 = 0 $(+ { let _ = stringify!($field); 1 })*;
        }
    };
}

metagraphs! {
    name: Vec<Compact<u8>>,
    symbol: Vec<Compact<u8>>,
    identity: Option<SubnetIdentityV3>,
    network_registered_at: Compact<u64>,
    owner_hotkey: AccountId32,
    owner_coldkey: AccountId32,
    block: Compact<u64>,
    tempo: Compact<u16>,
    last_step: Compact<u64>,
    blocks_since_last_step: Compact<u64>,
    subnet_emission: Compact<u64>,
    alpha_in: Compact<u64>,
    alpha_out: Compact<u64>,
    tao_in: Compact<u64>,
    alpha_out_emission: Compact<u64>,
    alpha_in_emission: Compact<u64>,
    tao_in_emission: Compact<u64>,
    pending_alpha_emission: Compact<u64>,
    pending_root_emission: Compact<u64>,
    subnet_volume: Compact<u128>,
    moving_price: FixedI128,
    rho: Compact<u16>,
    kappa: Compact<u16>,
    min_allowed_weights: Compact<u16>,
    max_weights_limit: Compact<u16>,
    weights_version: Compact<u64>,
    weights_rate_limit: Compact<u64>,
    activity_cutoff: Compact<u64>,
    max_validators: Compact<u16>,
    num_uids: Compact<u16>,
    max_uids: Compact<u16>,
    burn: Compact<u64>,
    difficulty: Compact<u64>,
    registration_allowed: bool,
    pow_registration_allowed: bool,
    immunity_period: Compact<u16>,
    min_difficulty: Compact<u64>,
    max_difficulty: Compact<u64>,
    min_burn: Compact<u64>,
    max_burn: Compact<u64>,
    adjustment_alpha: Compact<u64>,
    adjustment_interval: Compact<u16>,
    target_regs_per_interval: Compact<u16>,
    max_regs_per_block: Compact<u16>,
    serving_rate_limit: Compact<u64>,
    commit_reveal_weights_enabled: bool,
    commit_reveal_period: Compact<u64>,
    liquid_alpha_enabled: bool,
    alpha_high: Compact<u16>,
    alpha_low: Compact<u16>,
    bonds_moving_avg: Compact<u64>,
    hotkeys: Vec<AccountId32>,
    coldkeys: Vec<AccountId32>,
    identities: Vec<Option<ChainIdentityV2>>,
    axons: Vec<AxonInfo>,
    active: Vec<bool>,
    validator_permit: Vec<bool>,
    pruning_score: Vec<Compact<u16>>,
    last_update: Vec<Compact<u64>>,
    emission: Vec<Compact<u64>>,
    dividends: Vec<Compact<PerU16>>,
    incentives: Vec<Compact<PerU16>>,
    consensus: Vec<Compact<PerU16>>,
    trust: Vec<Compact<PerU16>>,
    rank: Vec<Compact<u16>>,
    block_at_registration: Vec<Compact<u64>>,
    alpha_stake: Vec<Compact<u64>>,
    tao_stake: Vec<Compact<u64>>,
    total_stake: Vec<Compact<u64>>,
    tao_dividends_per_hotkey: Vec<(AccountId32, Compact<u64>)>,
    alpha_dividends_per_hotkey: Vec<(AccountId32, Compact<u64>)>,
}

/// `NeuronInfoLite`: one neuron without weights and bonds.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct NeuronInfoLite {
    pub hotkey: AccountId32,
    pub coldkey: AccountId32,
    pub uid: Compact<u16>,
    pub netuid: Compact<u16>,
    pub active: bool,
    pub axon_info: AxonInfo,
    pub prometheus_info: PrometheusInfo,
    pub stake: Vec<(AccountId32, Compact<u64>)>,
    pub rank: Compact<u16>,
    pub emission: Compact<u64>,
    pub incentive: Compact<PerU16>,
    pub consensus: Compact<PerU16>,
    pub trust: Compact<PerU16>,
    pub validator_trust: Compact<PerU16>,
    pub dividends: Compact<PerU16>,
    pub last_update: Compact<u64>,
    pub validator_permit: bool,
    pub pruning_score: Compact<u16>,
}

/// `DelegateInfo`: a hotkey open for delegation.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct DelegateInfo {
    pub delegate_ss58: AccountId32,
    pub take: Compact<PerU16>,
    pub nominators: Vec<(AccountId32, Vec<(Compact<u16>, Compact<u64>)>)>,
    pub owner_ss58: AccountId32,
    pub registrations: Vec<Compact<u16>>,
    pub validator_permits: Vec<Compact<u16>>,
    pub return_per_1000: Compact<u64>,
    pub total_daily_return: Compact<u64>,
}

fn subnet_name<T: Config>(netuid: u16) -> Vec<u8> {
    SubnetIdentitiesV3::<T>::get(netuid).map(|identity| identity.subnet_name).unwrap_or_default()
}

fn current_block<T: Config>() -> u64 {
    frame_system::Pallet::<T>::block_number().try_into().unwrap_or_default()
}

/// `get_dynamic_info(netuid)`.
pub fn dynamic_info<T: Config>(netuid: u16) -> Option<DynamicInfo> {
    if !NetworksAdded::<T>::get(netuid) {
        return None;
    }
    Some(DynamicInfo {
        netuid: Compact(netuid),
        owner_hotkey: SubnetOwnerHotkey::<T>::get(netuid),
        owner_coldkey: SubnetOwner::<T>::get(netuid),
        subnet_name: compact_bytes(&subnet_name::<T>(netuid)),
        token_symbol: compact_bytes(&TokenSymbol::<T>::get(netuid)),
        tempo: Compact(Tempo::<T>::get(netuid)),
        last_step: Compact(LastMechansimStepBlock::<T>::get(netuid)),
        blocks_since_last_step: Compact(BlocksSinceLastStep::<T>::get(netuid)),
        emission: Compact(0),
        alpha_in: Compact(SubnetAlphaIn::<T>::get(netuid)),
        alpha_out: Compact(SubnetAlphaOut::<T>::get(netuid)),
        tao_in: Compact(SubnetTAO::<T>::get(netuid)),
        alpha_out_emission: Compact(SubnetAlphaOutEmission::<T>::get(netuid)),
        alpha_in_emission: Compact(SubnetAlphaInEmission::<T>::get(netuid)),
        tao_in_emission: Compact(SubnetTaoInEmission::<T>::get(netuid)),
        pending_alpha_emission: Compact(
            PendingServerEmission::<T>::get(netuid) + PendingValidatorEmission::<T>::get(netuid),
        ),
        pending_root_emission: Compact(0),
        subnet_volume: Compact(SubnetVolume::<T>::get(netuid)),
        network_registered_at: Compact(NetworkRegisteredAt::<T>::get(netuid)),
        subnet_identity: SubnetIdentitiesV3::<T>::get(netuid),
        moving_price: SubnetMovingPrice::<T>::get(netuid),
    })
}

/// `get_all_dynamic_info()`: one entry per netuid up to the highest, `None` for gaps and for
/// subnets that are not reportable (`NetworksAdded` false).
pub fn all_dynamic_info<T: Config>() -> Vec<Option<DynamicInfo>> {
    let highest = NetworksAdded::<T>::iter_keys().max().unwrap_or(0);
    (0..=highest).map(dynamic_info::<T>).collect()
}

/// `get_metagraph(netuid)`: mechanism 0's metagraph.
pub fn metagraph<T: Config>(netuid: u16) -> Option<Metagraph> {
    mechagraph::<T>(netuid, 0)
}

/// `get_mechagraph(netuid, mechanism)`: the subnet's metagraph with that mechanism's incentive
/// and last updates; its `netuid` field is the storage index, as on finney.
pub fn mechagraph<T: Config>(netuid: u16, mechanism: u8) -> Option<Metagraph> {
    if mechanism >= MechanismCountCurrent::<T>::get(netuid) {
        return None;
    }
    let index = storage_index(netuid, mechanism);
    let dynamic = dynamic_info::<T>(netuid)?;
    let n = SubnetworkN::<T>::get(netuid);
    let hotkeys: Vec<AccountId32> = (0..n).map(|uid| Keys::<T>::get(netuid, uid)).collect();
    let coldkeys: Vec<AccountId32> = hotkeys.iter().map(Owner::<T>::get).collect();
    let alpha_stake: Vec<u64> = hotkeys.iter().map(|h| TotalHotkeyAlpha::<T>::get(h, netuid)).collect();
    let tao_stake: Vec<u64> = hotkeys.iter().map(|h| TotalHotkeyAlpha::<T>::get(h, 0)).collect();
    let tao_weight = u128::from(TaoWeight::<T>::get());
    let total_stake: Vec<u64> = alpha_stake
        .iter()
        .zip(&tao_stake)
        .map(|(alpha, tao)| alpha + (u128::from(*tao) * tao_weight / u128::from(u64::MAX)) as u64)
        .collect();
    let per_u16 = |values: Vec<PerU16>| -> Vec<Compact<PerU16>> { values.into_iter().map(Compact).collect() };
    Some(Metagraph {
        netuid: Compact(index),
        name: dynamic.subnet_name,
        symbol: dynamic.token_symbol,
        identity: dynamic.subnet_identity,
        network_registered_at: dynamic.network_registered_at,
        owner_hotkey: dynamic.owner_hotkey,
        owner_coldkey: dynamic.owner_coldkey,
        block: Compact(current_block::<T>()),
        tempo: dynamic.tempo,
        last_step: dynamic.last_step,
        blocks_since_last_step: dynamic.blocks_since_last_step,
        subnet_emission: Compact(0),
        alpha_in: dynamic.alpha_in,
        alpha_out: dynamic.alpha_out,
        tao_in: dynamic.tao_in,
        alpha_out_emission: dynamic.alpha_out_emission,
        alpha_in_emission: dynamic.alpha_in_emission,
        tao_in_emission: dynamic.tao_in_emission,
        pending_alpha_emission: dynamic.pending_alpha_emission,
        pending_root_emission: Compact(0),
        subnet_volume: dynamic.subnet_volume,
        moving_price: dynamic.moving_price,
        rho: Compact(10),
        kappa: Compact(Kappa::<T>::get(netuid)),
        min_allowed_weights: Compact(1),
        max_weights_limit: Compact(u16::MAX),
        weights_version: Compact(0),
        weights_rate_limit: Compact(100),
        activity_cutoff: Compact(5_000),
        max_validators: Compact(MaxAllowedValidators::<T>::get(netuid)),
        num_uids: Compact(n),
        max_uids: Compact(MaxAllowedUids::<T>::get(netuid)),
        burn: Compact(Burn::<T>::get(netuid)),
        difficulty: Compact(10_000_000),
        registration_allowed: true,
        pow_registration_allowed: false,
        immunity_period: Compact(ImmunityPeriod::<T>::get(netuid)),
        min_difficulty: Compact(10_000_000),
        max_difficulty: Compact(u64::MAX / 4),
        min_burn: Compact(500_000),
        max_burn: Compact(100_000_000_000),
        adjustment_alpha: Compact(0),
        adjustment_interval: Compact(360),
        target_regs_per_interval: Compact(1),
        max_regs_per_block: Compact(1),
        serving_rate_limit: Compact(50),
        commit_reveal_weights_enabled: false,
        commit_reveal_period: Compact(1),
        liquid_alpha_enabled: false,
        alpha_high: Compact(58_982),
        alpha_low: Compact(45_875),
        bonds_moving_avg: Compact(900_000),
        identities: coldkeys.iter().map(IdentitiesV2::<T>::get).collect(),
        axons: hotkeys.iter().map(|h| Axons::<T>::get(netuid, h).unwrap_or_default()).collect(),
        active: Active::<T>::get(netuid),
        validator_permit: ValidatorPermit::<T>::get(netuid),
        pruning_score: Vec::new(),
        last_update: compact_all(&LastUpdate::<T>::get(index)),
        emission: compact_all(&Emission::<T>::get(netuid)),
        dividends: per_u16(Dividends::<T>::get(netuid)),
        incentives: per_u16(Incentive::<T>::get(index)),
        consensus: per_u16(Consensus::<T>::get(netuid)),
        trust: Vec::new(),
        rank: Vec::new(),
        block_at_registration: (0..n)
            .map(|uid| Compact(BlockAtRegistration::<T>::get(netuid, uid)))
            .collect(),
        alpha_stake: compact_all(&alpha_stake),
        tao_stake: compact_all(&tao_stake),
        total_stake: compact_all(&total_stake),
        tao_dividends_per_hotkey: hotkeys.iter().map(|h| (h.clone(), Compact(0))).collect(),
        alpha_dividends_per_hotkey: hotkeys
            .iter()
            .map(|h| (h.clone(), Compact(AlphaDividendsPerSubnet::<T>::get(netuid, h))))
            .collect(),
        collateral_locked: alloc::vec![Compact(0); n as usize],
        collateral_min: alloc::vec![Compact(0); n as usize],
        collateral_earned: alloc::vec![Compact(0); n as usize],
        hotkeys,
        coldkeys,
    })
}

/// `get_selective_mechagraph(netuid, mechanism, indexes)`: the fields asked for, with `netuid`
/// the subnet's own.
pub fn selective_mechagraph<T: Config>(netuid: u16, mechanism: u8, indexes: &[u16]) -> Option<SelectiveMetagraph> {
    let mut selected = mechagraph::<T>(netuid, mechanism)?.select(indexes);
    selected.netuid = Compact(netuid);
    Some(selected)
}

/// `get_neurons_lite(netuid)`.
pub fn neurons_lite<T: Config>(netuid: u16) -> Vec<NeuronInfoLite> {
    let n = SubnetworkN::<T>::get(netuid);
    let active = Active::<T>::get(netuid);
    let permit = ValidatorPermit::<T>::get(netuid);
    let emission = Emission::<T>::get(netuid);
    let incentive = Incentive::<T>::get(netuid);
    let consensus = Consensus::<T>::get(netuid);
    let validator_trust = ValidatorTrust::<T>::get(netuid);
    let dividends = Dividends::<T>::get(netuid);
    let last_update = LastUpdate::<T>::get(netuid);
    let at = |values: &[PerU16], uid: u16| Compact(values.get(uid as usize).copied().unwrap_or_default());
    (0..n)
        .map(|uid| {
            let hotkey = Keys::<T>::get(netuid, uid);
            let coldkey = Owner::<T>::get(&hotkey);
            let i = uid as usize;
            NeuronInfoLite {
                uid: Compact(uid),
                netuid: Compact(netuid),
                active: active.get(i).copied().unwrap_or_default(),
                axon_info: Axons::<T>::get(netuid, &hotkey).unwrap_or_default(),
                prometheus_info: PrometheusInfo::default(),
                stake: alloc::vec![(coldkey.clone(), Compact(TotalHotkeyAlpha::<T>::get(&hotkey, netuid)))],
                rank: Compact(0),
                emission: Compact(emission.get(i).copied().unwrap_or_default()),
                incentive: at(&incentive, uid),
                consensus: at(&consensus, uid),
                trust: Compact(PerU16::from_parts(0)),
                validator_trust: at(&validator_trust, uid),
                dividends: at(&dividends, uid),
                last_update: Compact(last_update.get(i).copied().unwrap_or_default()),
                validator_permit: permit.get(i).copied().unwrap_or_default(),
                pruning_score: Compact(u16::MAX),
                hotkey,
                coldkey,
            }
        })
        .collect()
}

/// `get_delegates()`: every hotkey with a `Delegates` entry, with its registrations and permits.
pub fn delegates<T: Config>() -> Vec<DelegateInfo> {
    let subnets: Vec<u16> = NetworksAdded::<T>::iter()
        .filter(|(_, added)| *added)
        .map(|(netuid, _)| netuid)
        .collect();
    Delegates::<T>::iter()
        .map(|(hotkey, take)| {
            let owner = Owner::<T>::get(&hotkey);
            let mut registrations = Vec::new();
            let mut permits = Vec::new();
            for netuid in &subnets {
                if let Some(uid) = Uids::<T>::get(netuid, &hotkey) {
                    registrations.push(Compact(*netuid));
                    if ValidatorPermit::<T>::get(netuid).get(uid as usize).copied().unwrap_or(false) {
                        permits.push(Compact(*netuid));
                    }
                }
            }
            DelegateInfo {
                nominators: nominators::<T>(&hotkey),
                delegate_ss58: hotkey,
                take: Compact(take),
                owner_ss58: owner,
                registrations,
                validator_permits: permits,
                return_per_1000: Compact(0),
                total_daily_return: Compact(0),
            }
        })
        .collect()
}

/// Every coldkey staked to `hotkey`, with its stake per subnet (from the share pool).
fn nominators<T: Config>(hotkey: &AccountId32) -> Vec<(AccountId32, Vec<(Compact<u16>, Compact<u64>)>)> {
    let mut nominators: alloc::collections::BTreeMap<AccountId32, Vec<(Compact<u16>, Compact<u64>)>> =
        Default::default();
    for ((coldkey, netuid), _) in AlphaV2::<T>::iter_prefix((hotkey,)) {
        let stake = crate::genesis::stake_of::<T>(hotkey, &coldkey, netuid);
        nominators.entry(coldkey).or_default().push((Compact(netuid), Compact(stake)));
    }
    nominators.into_iter().collect()
}

/// `SwapRuntimeApi::current_alpha_price(netuid)`: rao per alpha, `floor(price × 1e9)` with the
/// pool's balancer weights; subnets without a dynamic pool (root) are 1:1.
pub fn current_alpha_price<T: Config>(netuid: u16) -> u64 {
    if SubnetMechanism::<T>::get(netuid) != 1 {
        return crate::genesis::RAO;
    }
    swap::price_rao_per_alpha(
        swap::SwapBalancer::<T>::get(netuid).quote.deconstruct(),
        SubnetTAO::<T>::get(netuid),
        SubnetAlphaIn::<T>::get(netuid),
    )
}

/// One subnet's α in a validator's basket, valued at spot and at what selling it would fetch.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct BasketHolding {
    pub netuid: u16,
    pub alpha: u64,
    pub spot_tao: u64,
    pub realizable_tao: u64,
}

/// `BetaBasketRuntimeApi::get_validator_basket_summary`'s answer, with the field names the
/// bittensor SDK 11.3.0 reads (`reads/root.py`, `_summary_record`).
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct BasketSummary {
    pub hotkey: AccountId32,
    /// β supply, raw units.
    pub shares: u64,
    /// Realizable value of the holdings, rao.
    pub nav_tao: u64,
    /// The holdings at spot prices, rao.
    pub spot_nav_tao: u64,
    pub deposited_tao: u64,
    pub redeemed_tao: u64,
    pub holdings: Vec<BasketHolding>,
}

/// A validator's root basket, if it has one. Realizable values use a constant-product impact
/// (`spot × A / (A + a)` for selling `a` into a pool holding `A`), the devnet's simplification.
pub fn validator_basket_summary<T: Config>(hotkey: AccountId32) -> Option<BasketSummary> {
    let shares = BasketShares::<T>::get(&hotkey)?;
    let holdings: Vec<BasketHolding> = DevnetBasketHoldings::<T>::get(&hotkey)
        .into_iter()
        .map(|(netuid, alpha)| {
            let spot_tao = crate::genesis::spot_tao::<T>(netuid, alpha);
            let pool = u128::from(SubnetAlphaIn::<T>::get(netuid));
            let realizable_tao = (u128::from(spot_tao) * pool / (pool + u128::from(alpha)).max(1)) as u64;
            BasketHolding { netuid, alpha, spot_tao, realizable_tao }
        })
        .collect();
    Some(BasketSummary {
        shares,
        nav_tao: holdings.iter().map(|h| h.realizable_tao).sum(),
        spot_nav_tao: holdings.iter().map(|h| h.spot_tao).sum(),
        deposited_tao: BasketDepositedTao::<T>::get(&hotkey),
        redeemed_tao: BasketRedeemedTao::<T>::get(&hotkey),
        holdings,
        hotkey,
    })
}

/// `pallet_subtensor_swap_runtime_api::SubnetPrice`: one subnet's price in rao per α.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct SubnetPrice {
    pub netuid: u16,
    pub price: u64,
}

/// `SwapRuntimeApi::current_alpha_price_all()`: every reportable subnet's price, root included.
pub fn current_alpha_price_all<T: Config>() -> Vec<SubnetPrice> {
    NetworksAdded::<T>::iter()
        .filter(|(_, added)| *added)
        .map(|(netuid, _)| SubnetPrice { netuid, price: current_alpha_price::<T>(netuid) })
        .collect()
}

/// `SubnetInfoRuntimeApi::get_block_emission()`: TAO per block from the halving curve on
/// `TotalIssuance` (what finney answers; `BlockEmission` storage is stale).
pub fn block_emission<T: Config>() -> u64 {
    crate::genesis::block_emission(TotalIssuance::<T>::get())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selective_metagraph_indexes_match_finney() {
        // 71 AlphaDividendsPerHotkey, 72 Validators, 73 Commitments (SUBTENSOR-FACTS.md §2.1).
        assert_eq!(Metagraph::LAST_FIELD_INDEX, 71);
    }
}
