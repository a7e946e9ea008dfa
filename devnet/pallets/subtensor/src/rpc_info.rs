//! The values the runtime APIs return, with finney's field names, order and encodings
//! (`pallets/subtensor/src/rpc_info/*.rs` upstream), built from this pallet's storage.

use crate::pallet::*;
use crate::types::*;
use alloc::vec::Vec;
use crate::storage_index;
use crate::genesis::RAO;
use crate::swap::{PoolCurve, SwapSide};
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
/// plus `validators`, `commitments` and the collateral vectors at 74–76) from one field list; both
/// are filled from a `MetagraphFields`, which has one method per field.
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
            /// Every field, each read from storage.
            fn read<T: Config>(fields: &mut MetagraphFields<T>) -> Self {
                Metagraph {
                    netuid: Compact(fields.index),
                    $($field: fields.$field(),)*
                    collateral_locked: fields.collateral(),
                    collateral_min: fields.collateral(),
                    collateral_earned: fields.collateral(),
                }
            }

            /// Index of the last per-field entry (`alpha_dividends_per_hotkey`).
            pub const LAST_FIELD_INDEX: u16 = 0 $(+ { let _ = stringify!($field); 1 })*;
        }

        impl SelectiveMetagraph {
            /// The fields at the requested indexes (0 = netuid, always present; the index of a
            /// field is its position, as in finney's `SelectiveMetagraphIndex`), and only those
            /// read from storage, as finney computes one field per index.
            fn read<T: Config>(fields: &mut MetagraphFields<T>, indexes: &[u16]) -> Self {
                let mut position = 0u16;
                $(
                    position += 1;
                    let $field = indexes.contains(&position).then(|| fields.$field());
                )*
                SelectiveMetagraph {
                    netuid: Compact(fields.netuid),
                    $($field,)*
                    validators: indexes.contains(&(position + 1)).then(|| fields.validators()),
                    commitments: indexes.contains(&(position + 2)).then(Vec::new),
                    collateral_locked: indexes.contains(&(position + 3)).then(|| fields.collateral()),
                    collateral_min: indexes.contains(&(position + 4)).then(|| fields.collateral()),
                    collateral_earned: indexes.contains(&(position + 5)).then(|| fields.collateral()),
                }
            }
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
    MetagraphFields::<T>::of(netuid, mechanism).map(|mut fields| Metagraph::read(&mut fields))
}

/// `get_selective_mechagraph(netuid, mechanism, indexes)`: the fields asked for, with `netuid`
/// the subnet's own.
pub fn selective_mechagraph<T: Config>(netuid: u16, mechanism: u8, indexes: &[u16]) -> Option<SelectiveMetagraph> {
    MetagraphFields::<T>::of(netuid, mechanism).map(|mut fields| SelectiveMetagraph::read(&mut fields, indexes))
}

/// One metagraph's fields, one method each, read from storage when called; the per-uid hotkeys,
/// coldkeys and stakes that several fields share are read once.
struct MetagraphFields<T: Config> {
    netuid: u16,
    /// The storage index of the mechanism's vectors.
    index: u16,
    uids: u16,
    hotkeys: Option<Vec<AccountId32>>,
    coldkeys: Option<Vec<AccountId32>>,
    alpha_stake: Option<Vec<u64>>,
    tao_stake: Option<Vec<u64>>,
    runtime: core::marker::PhantomData<T>,
}

impl<T: Config> MetagraphFields<T> {
    /// `None` for a subnet that is not reportable or a mechanism it does not have.
    fn of(netuid: u16, mechanism: u8) -> Option<Self> {
        if !NetworksAdded::<T>::get(netuid) || mechanism >= MechanismCountCurrent::<T>::get(netuid) {
            return None;
        }
        Some(MetagraphFields {
            netuid,
            index: storage_index(netuid, mechanism),
            uids: SubnetworkN::<T>::get(netuid),
            hotkeys: None,
            coldkeys: None,
            alpha_stake: None,
            tao_stake: None,
            runtime: core::marker::PhantomData,
        })
    }

    fn hotkeys(&mut self) -> Vec<AccountId32> {
        let (netuid, uids) = (self.netuid, self.uids);
        self.hotkeys
            .get_or_insert_with(|| (0..uids).map(|uid| Keys::<T>::get(netuid, uid)).collect())
            .clone()
    }

    fn coldkeys(&mut self) -> Vec<AccountId32> {
        if self.coldkeys.is_none() {
            self.coldkeys = Some(self.hotkeys().iter().map(Owner::<T>::get).collect());
        }
        self.coldkeys.clone().unwrap_or_default()
    }

    /// Each hotkey's total α on subnet `netuid` (0: root, TAO).
    fn stakes(&mut self, netuid: u16) -> Vec<u64> {
        let cached = if netuid == 0 { &self.tao_stake } else { &self.alpha_stake };
        if let Some(stakes) = cached {
            return stakes.clone();
        }
        let stakes: Vec<u64> = self.hotkeys().iter().map(|h| TotalHotkeyAlpha::<T>::get(h, netuid)).collect();
        *(if netuid == 0 { &mut self.tao_stake } else { &mut self.alpha_stake }) = Some(stakes.clone());
        stakes
    }

    fn name(&mut self) -> Vec<Compact<u8>> {
        compact_bytes(&subnet_name::<T>(self.netuid))
    }
    fn symbol(&mut self) -> Vec<Compact<u8>> {
        compact_bytes(&TokenSymbol::<T>::get(self.netuid))
    }
    fn identity(&mut self) -> Option<SubnetIdentityV3> {
        SubnetIdentitiesV3::<T>::get(self.netuid)
    }
    fn network_registered_at(&mut self) -> Compact<u64> {
        Compact(NetworkRegisteredAt::<T>::get(self.netuid))
    }
    fn owner_hotkey(&mut self) -> AccountId32 {
        SubnetOwnerHotkey::<T>::get(self.netuid)
    }
    fn owner_coldkey(&mut self) -> AccountId32 {
        SubnetOwner::<T>::get(self.netuid)
    }
    fn block(&mut self) -> Compact<u64> {
        Compact(current_block::<T>())
    }
    fn tempo(&mut self) -> Compact<u16> {
        Compact(Tempo::<T>::get(self.netuid))
    }
    fn last_step(&mut self) -> Compact<u64> {
        Compact(LastMechansimStepBlock::<T>::get(self.netuid))
    }
    fn blocks_since_last_step(&mut self) -> Compact<u64> {
        Compact(BlocksSinceLastStep::<T>::get(self.netuid))
    }
    fn subnet_emission(&mut self) -> Compact<u64> {
        Compact(0)
    }
    fn alpha_in(&mut self) -> Compact<u64> {
        Compact(SubnetAlphaIn::<T>::get(self.netuid))
    }
    fn alpha_out(&mut self) -> Compact<u64> {
        Compact(SubnetAlphaOut::<T>::get(self.netuid))
    }
    fn tao_in(&mut self) -> Compact<u64> {
        Compact(SubnetTAO::<T>::get(self.netuid))
    }
    fn alpha_out_emission(&mut self) -> Compact<u64> {
        Compact(SubnetAlphaOutEmission::<T>::get(self.netuid))
    }
    fn alpha_in_emission(&mut self) -> Compact<u64> {
        Compact(SubnetAlphaInEmission::<T>::get(self.netuid))
    }
    fn tao_in_emission(&mut self) -> Compact<u64> {
        Compact(SubnetTaoInEmission::<T>::get(self.netuid))
    }
    fn pending_alpha_emission(&mut self) -> Compact<u64> {
        Compact(PendingServerEmission::<T>::get(self.netuid) + PendingValidatorEmission::<T>::get(self.netuid))
    }
    fn pending_root_emission(&mut self) -> Compact<u64> {
        Compact(0)
    }
    fn subnet_volume(&mut self) -> Compact<u128> {
        Compact(SubnetVolume::<T>::get(self.netuid))
    }
    fn moving_price(&mut self) -> FixedI128 {
        SubnetMovingPrice::<T>::get(self.netuid)
    }
    fn rho(&mut self) -> Compact<u16> {
        Compact(10)
    }
    fn kappa(&mut self) -> Compact<u16> {
        Compact(Kappa::<T>::get(self.netuid))
    }
    fn min_allowed_weights(&mut self) -> Compact<u16> {
        Compact(1)
    }
    fn max_weights_limit(&mut self) -> Compact<u16> {
        Compact(u16::MAX)
    }
    fn weights_version(&mut self) -> Compact<u64> {
        Compact(0)
    }
    fn weights_rate_limit(&mut self) -> Compact<u64> {
        Compact(100)
    }
    fn activity_cutoff(&mut self) -> Compact<u64> {
        Compact(5_000)
    }
    fn max_validators(&mut self) -> Compact<u16> {
        Compact(MaxAllowedValidators::<T>::get(self.netuid))
    }
    fn num_uids(&mut self) -> Compact<u16> {
        Compact(self.uids)
    }
    fn max_uids(&mut self) -> Compact<u16> {
        Compact(MaxAllowedUids::<T>::get(self.netuid))
    }
    fn burn(&mut self) -> Compact<u64> {
        Compact(Burn::<T>::get(self.netuid))
    }
    fn difficulty(&mut self) -> Compact<u64> {
        Compact(10_000_000)
    }
    fn registration_allowed(&mut self) -> bool {
        true
    }
    fn pow_registration_allowed(&mut self) -> bool {
        false
    }
    fn immunity_period(&mut self) -> Compact<u16> {
        Compact(ImmunityPeriod::<T>::get(self.netuid))
    }
    fn min_difficulty(&mut self) -> Compact<u64> {
        Compact(10_000_000)
    }
    fn max_difficulty(&mut self) -> Compact<u64> {
        Compact(u64::MAX / 4)
    }
    fn min_burn(&mut self) -> Compact<u64> {
        Compact(500_000)
    }
    fn max_burn(&mut self) -> Compact<u64> {
        Compact(100_000_000_000)
    }
    fn adjustment_alpha(&mut self) -> Compact<u64> {
        Compact(0)
    }
    fn adjustment_interval(&mut self) -> Compact<u16> {
        Compact(360)
    }
    fn target_regs_per_interval(&mut self) -> Compact<u16> {
        Compact(1)
    }
    fn max_regs_per_block(&mut self) -> Compact<u16> {
        Compact(1)
    }
    fn serving_rate_limit(&mut self) -> Compact<u64> {
        Compact(50)
    }
    fn commit_reveal_weights_enabled(&mut self) -> bool {
        false
    }
    fn commit_reveal_period(&mut self) -> Compact<u64> {
        Compact(1)
    }
    fn liquid_alpha_enabled(&mut self) -> bool {
        false
    }
    fn alpha_high(&mut self) -> Compact<u16> {
        Compact(58_982)
    }
    fn alpha_low(&mut self) -> Compact<u16> {
        Compact(45_875)
    }
    fn bonds_moving_avg(&mut self) -> Compact<u64> {
        Compact(900_000)
    }
    fn identities(&mut self) -> Vec<Option<ChainIdentityV2>> {
        self.coldkeys().iter().map(IdentitiesV2::<T>::get).collect()
    }
    fn axons(&mut self) -> Vec<AxonInfo> {
        let netuid = self.netuid;
        self.hotkeys().iter().map(|h| Axons::<T>::get(netuid, h).unwrap_or_default()).collect()
    }
    fn active(&mut self) -> Vec<bool> {
        Active::<T>::get(self.netuid)
    }
    fn validator_permit(&mut self) -> Vec<bool> {
        ValidatorPermit::<T>::get(self.netuid)
    }
    fn pruning_score(&mut self) -> Vec<Compact<u16>> {
        Vec::new()
    }
    fn last_update(&mut self) -> Vec<Compact<u64>> {
        compact_all(&LastUpdate::<T>::get(self.index))
    }
    fn emission(&mut self) -> Vec<Compact<u64>> {
        compact_all(&Emission::<T>::get(self.netuid))
    }
    fn dividends(&mut self) -> Vec<Compact<PerU16>> {
        Dividends::<T>::get(self.netuid).into_iter().map(Compact).collect()
    }
    fn incentives(&mut self) -> Vec<Compact<PerU16>> {
        Incentive::<T>::get(self.index).into_iter().map(Compact).collect()
    }
    fn consensus(&mut self) -> Vec<Compact<PerU16>> {
        Consensus::<T>::get(self.netuid).into_iter().map(Compact).collect()
    }
    fn trust(&mut self) -> Vec<Compact<PerU16>> {
        Vec::new()
    }
    fn rank(&mut self) -> Vec<Compact<u16>> {
        Vec::new()
    }
    fn block_at_registration(&mut self) -> Vec<Compact<u64>> {
        let netuid = self.netuid;
        (0..self.uids).map(|uid| Compact(BlockAtRegistration::<T>::get(netuid, uid))).collect()
    }
    fn alpha_stake(&mut self) -> Vec<Compact<u64>> {
        let netuid = self.netuid;
        compact_all(&self.stakes(netuid))
    }
    fn tao_stake(&mut self) -> Vec<Compact<u64>> {
        compact_all(&self.stakes(0))
    }
    /// α stake plus TAO stake weighted by `TaoWeight`.
    fn total_stake(&mut self) -> Vec<Compact<u64>> {
        let netuid = self.netuid;
        let (alpha, tao) = (self.stakes(netuid), self.stakes(0));
        let tao_weight = u128::from(TaoWeight::<T>::get());
        alpha
            .iter()
            .zip(&tao)
            .map(|(alpha, tao)| Compact(alpha + (u128::from(*tao) * tao_weight / u128::from(u64::MAX)) as u64))
            .collect()
    }
    fn tao_dividends_per_hotkey(&mut self) -> Vec<(AccountId32, Compact<u64>)> {
        self.hotkeys().into_iter().map(|h| (h, Compact(0))).collect()
    }
    fn alpha_dividends_per_hotkey(&mut self) -> Vec<(AccountId32, Compact<u64>)> {
        let netuid = self.netuid;
        self.hotkeys()
            .into_iter()
            .map(|h| {
                let dividends = AlphaDividendsPerSubnet::<T>::get(netuid, &h);
                (h, Compact(dividends))
            })
            .collect()
    }
    /// The uids of the neurons with a validator permit.
    fn validators(&mut self) -> Vec<Compact<u16>> {
        self.validator_permit()
            .iter()
            .enumerate()
            .filter(|(_, permit)| **permit)
            .map(|(uid, _)| Compact(uid as u16))
            .collect()
    }
    /// The collateral vectors: none on the devnet, one zero per uid.
    fn collateral(&mut self) -> Vec<Compact<u64>> {
        alloc::vec![Compact(0); usize::from(self.uids)]
    }
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

/// `SwapRuntimeApi::current_alpha_price(netuid)`: rao per alpha, `floor(price × 1e9)` from the
/// pool's curve (superellipse where it has one, else its balancer weights); subnets without a
/// dynamic pool (root) are 1:1.
pub fn current_alpha_price<T: Config>(netuid: u16) -> u64 {
    crate::genesis::spot_price::<T>(netuid)
}

/// `SubnetInfoRuntimeApi::get_next_epoch_start_block(netuid)`.
pub fn next_epoch_start_block<T: Config>(netuid: u16) -> Option<u64> {
    crate::genesis::next_epoch_start_block::<T>(netuid)
}

/// One subnet's α in a validator's basket, valued at spot and at what selling it would fetch.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct BasketHolding {
    pub netuid: u16,
    pub alpha: u64,
    pub spot_tao: u64,
    pub realizable_tao: u64,
}

/// `BetaBasketRuntimeApi`'s `BasketSummary` in finney's field order at spec 475 (RaoFoundation's
/// `rpc_info/basket_info.rs`): the NAVs before the share count, then the root weights.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct BasketSummary {
    pub hotkey: AccountId32,
    /// Realizable value of the holdings (each sold through its pool, fee included), rao.
    pub nav_tao: u64,
    /// The holdings at spot prices, rao.
    pub spot_nav_tao: u64,
    /// β supply, raw units.
    pub shares: u64,
    pub deposited_tao: u64,
    pub redeemed_tao: u64,
    /// The hotkey's root weights as `(netuid, weight)`; the devnet sets none.
    pub weights: Vec<(u16, u16)>,
    pub holdings: Vec<BasketHolding>,
}

/// A validator's root basket; a hotkey without one gets the all-zero summary, as on finney.
/// Realizable values are what `sim_swap_alpha_for_tao` pays for the holding.
pub fn validator_basket_summary<T: Config>(hotkey: AccountId32) -> BasketSummary {
    let holdings: Vec<BasketHolding> = DevnetBasketHoldings::<T>::get(&hotkey)
        .into_iter()
        .map(|(netuid, alpha)| BasketHolding {
            netuid,
            alpha,
            spot_tao: crate::genesis::spot_tao::<T>(netuid, alpha),
            realizable_tao: sim_swap::<T>(netuid, SwapSide::AlphaForTao, alpha).tao_amount,
        })
        .collect();
    BasketSummary {
        nav_tao: holdings.iter().fold(0u64, |sum, h| sum.saturating_add(h.realizable_tao)),
        spot_nav_tao: holdings.iter().fold(0u64, |sum, h| sum.saturating_add(h.spot_tao)),
        shares: BasketShares::<T>::get(&hotkey).unwrap_or_default(),
        deposited_tao: BasketDepositedTao::<T>::get(&hotkey),
        redeemed_tao: BasketRedeemedTao::<T>::get(&hotkey),
        weights: Vec::new(),
        holdings,
        hotkey,
    }
}

/// `BetaBasketRuntimeApi::get_all_validator_baskets()`: one summary per `BasketShares` key, in
/// storage-key order.
pub fn all_validator_baskets<T: Config>() -> Vec<BasketSummary> {
    BasketShares::<T>::iter_keys().map(validator_basket_summary::<T>).collect()
}

/// `pallet_subtensor_swap_runtime_api::SimSwapResult` at spec 475: six amounts, in this order.
#[derive(Encode, Decode, TypeInfo, Clone, Copy, Default, PartialEq, Eq, Debug)]
pub struct SimSwapResult {
    /// TAO into the pool net of the fee (a stake), or TAO paid out (an unstake).
    pub tao_amount: u64,
    /// α paid out (a stake), or α into the pool net of the fee (an unstake).
    pub alpha_amount: u64,
    pub tao_fee: u64,
    pub alpha_fee: u64,
    /// What the gross input is worth at the pre-trade spot price, less what comes out (unstake).
    pub tao_slippage: u64,
    /// The same for a stake, in α.
    pub alpha_slippage: u64,
}

/// `SwapRuntimeApi::sim_swap_tao_for_alpha` / `sim_swap_alpha_for_tao`, as finney answers them:
/// the fee (`FeeRate`, default 33/65535) taken from the input side, the rest swapped along the
/// pool's curve, slippage measured against the gross input at the pre-trade spot price; 1:1
/// without a fee on a subnet that is not dynamic (root); all zeros where the pool cannot pay.
pub fn sim_swap<T: Config>(netuid: u16, side: SwapSide, amount: u64) -> SimSwapResult {
    let price = crate::genesis::spot_price::<T>(netuid);
    let worth_at_spot = |input: u64| -> u64 {
        match side {
            SwapSide::TaoForAlpha if price > 0 => (u128::from(input) * u128::from(RAO) / u128::from(price)) as u64,
            SwapSide::TaoForAlpha => 0,
            SwapSide::AlphaForTao => (u128::from(input) * u128::from(price) / u128::from(RAO)) as u64,
        }
    };
    let result = |net: u64, fee: u64, out: u64| {
        let slippage = worth_at_spot(amount).saturating_sub(out);
        match side {
            SwapSide::TaoForAlpha => SimSwapResult {
                tao_amount: net,
                alpha_amount: out,
                tao_fee: fee,
                alpha_slippage: slippage,
                ..Default::default()
            },
            SwapSide::AlphaForTao => SimSwapResult {
                tao_amount: out,
                alpha_amount: net,
                alpha_fee: fee,
                tao_slippage: slippage,
                ..Default::default()
            },
        }
    };
    if SubnetMechanism::<T>::get(netuid) != 1 {
        let paid = if NetworksAdded::<T>::get(netuid) { amount } else { 0 };
        return result(paid, 0, paid);
    }
    let fee = crate::swap::swap_fee(amount, crate::swap::FeeRate::<T>::get(netuid));
    let net = amount - fee;
    let curve = match crate::swap::SwapSuperellipse::<T>::get(netuid) {
        Some(curve) => PoolCurve::Superellipse(curve),
        None => PoolCurve::Balancer(crate::swap::SwapBalancer::<T>::get(netuid).quote.deconstruct()),
    };
    match crate::swap::swap_out(curve, SubnetTAO::<T>::get(netuid), SubnetAlphaIn::<T>::get(netuid), side, net) {
        Some(out) => result(net, fee, out),
        None => SimSwapResult::default(),
    }
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
