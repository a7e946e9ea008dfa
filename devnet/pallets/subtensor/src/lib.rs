//! `SubtensorModule` for the Taoscope devnet: the storage items and runtime APIs the dashboard reads,
//! with finney's names, hashers and SCALE shapes, and simplified economics that keep them moving:
//! per-block emission into subnet pools and a Yuma-style epoch at each subnet's tempo.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod commitments;
pub mod epoch;
mod genesis;
pub mod rpc_info;
pub mod runtime_api;
pub mod swap;
pub mod types;

pub use pallet::*;

/// Finney's `GLOBAL_MAX_SUBNET_COUNT`: mechanism `m` of `netuid` keys its per-mechanism vectors at
/// `m · 4096 + netuid` (mechanism 0 at the netuid itself).
pub const GLOBAL_MAX_SUBNET_COUNT: u16 = 4096;

/// The storage index of mechanism `mechanism` of `netuid` (finney's `NetUidStorageIndex`).
pub fn storage_index(netuid: u16, mechanism: u8) -> u16 {
    u16::from(mechanism) * GLOBAL_MAX_SUBNET_COUNT + netuid
}

#[frame_support::pallet]
pub mod pallet {
    use super::types::*;
    use alloc::vec::Vec;
    use frame_support::pallet_prelude::*;
    use frame_system::pallet_prelude::*;
    use sp_arithmetic::PerU16;
    use sp_runtime::AccountId32;

    /// Finney's default for `SubnetLimit`.
    #[pallet::type_value]
    pub fn DefaultSubnetLimit() -> u16 {
        128
    }
    /// Finney's default for `MaxAllowedUids`.
    #[pallet::type_value]
    pub fn DefaultMaxAllowedUids() -> u16 {
        256
    }
    /// Finney's default for `MaxAllowedValidators`.
    #[pallet::type_value]
    pub fn DefaultMaxAllowedValidators() -> u16 {
        128
    }
    /// Finney's default for `Tempo`.
    #[pallet::type_value]
    pub fn DefaultTrue() -> bool {
        true
    }
    #[pallet::type_value]
    pub fn DefaultTempo() -> u16 {
        360
    }
    /// Finney's default for `Kappa` (0.5).
    #[pallet::type_value]
    pub fn DefaultKappa() -> u16 {
        32_767
    }
    /// Finney's default token symbol, "𝜏".
    #[pallet::type_value]
    pub fn DefaultTokenSymbol() -> Vec<u8> {
        alloc::vec![0xF0, 0x9D, 0x9C, 0x8F]
    }
    /// Finney's default delegate take (18 %).
    #[pallet::type_value]
    pub fn DefaultDelegateTake() -> PerU16 {
        PerU16::from_parts(11_796)
    }
    /// Finney's default mechanism count: one mechanism per subnet.
    #[pallet::type_value]
    pub fn DefaultMechanismCount() -> u8 {
        1
    }
    /// Finney's default `BlockEmission` (1 TAO), which is all finney ever reads from it: the item
    /// is deprecated and no longer written, so its value is stale by design.
    #[pallet::type_value]
    pub fn DefaultBlockEmission() -> u64 {
        1_000_000_000
    }
    /// Finney's runtime default `TaoWeight` (≈ 0.0527 of u64::MAX).
    #[pallet::type_value]
    pub fn DefaultTaoWeight() -> u64 {
        971_718_665_099_567_868
    }
    /// The all-zero account finney returns for a missing key.
    #[pallet::type_value]
    pub fn DefaultAccount() -> AccountId32 {
        AccountId32::new([0; 32])
    }
    /// Finney's default `ImmunityPeriod` (blocks a new uid cannot be pruned).
    #[pallet::type_value]
    pub fn DefaultImmunityPeriod() -> u16 {
        4_096
    }
    /// Finney's default `MinNonImmuneUids`: pruning stops when no more uids than this are
    /// outside their immunity.
    #[pallet::type_value]
    pub fn DefaultMinNonImmuneUids() -> u16 {
        10
    }
    /// Finney's default `NetworkImmunityPeriod` (blocks a new subnet cannot be pruned).
    #[pallet::type_value]
    pub fn DefaultNetworkImmunityPeriod() -> u64 {
        1_296_000
    }
    /// Finney's default `MaxEpochsPerBlock`.
    #[pallet::type_value]
    pub fn DefaultMaxEpochsPerBlock() -> u8 {
        2
    }

    #[pallet::pallet]
    #[pallet::without_storage_info]
    pub struct Pallet<T>(_);

    /// The devnet's accounts are finney's: 32-byte sr25519 public keys.
    #[pallet::config]
    pub trait Config:
        frame_system::Config<AccountId = AccountId32>
        + pallet_grandpa::Config
        + crate::swap::Config
        + crate::commitments::Config
    {
    }

    // ---- Subnet list and size -------------------------------------------------------------
    #[pallet::storage]
    pub type NetworksAdded<T> = StorageMap<_, Identity, u16, bool, ValueQuery>;
    #[pallet::storage]
    pub type TotalNetworks<T> = StorageValue<_, u16, ValueQuery>;
    #[pallet::storage]
    pub type SubnetLimit<T> = StorageValue<_, u16, ValueQuery, DefaultSubnetLimit>;
    #[pallet::storage]
    pub type SubnetworkN<T> = StorageMap<_, Identity, u16, u16, ValueQuery>;
    #[pallet::storage]
    pub type MaxAllowedUids<T> = StorageMap<_, Identity, u16, u16, ValueQuery, DefaultMaxAllowedUids>;
    #[pallet::storage]
    pub type MaxAllowedValidators<T> =
        StorageMap<_, Identity, u16, u16, ValueQuery, DefaultMaxAllowedValidators>;
    #[pallet::storage]
    pub type Tempo<T> = StorageMap<_, Identity, u16, u16, ValueQuery, DefaultTempo>;
    #[pallet::storage]
    pub type Kappa<T> = StorageMap<_, Identity, u16, u16, ValueQuery, DefaultKappa>;
    #[pallet::storage]
    pub type SubnetMechanism<T> = StorageMap<_, Identity, u16, u16, ValueQuery>;
    #[pallet::storage]
    pub type SubtokenEnabled<T> = StorageMap<_, Identity, u16, bool, ValueQuery>;
    /// Whether a subnet's pool receives emission (finney turns it off on a few subnets by policy:
    /// no α or TAO injected, no chain buy).
    #[pallet::storage]
    pub type SubnetEmissionEnabled<T> = StorageMap<_, Identity, u16, bool, ValueQuery, DefaultTrue>;
    #[pallet::storage]
    pub type FirstEmissionBlockNumber<T> = StorageMap<_, Identity, u16, u64, OptionQuery>;
    #[pallet::storage]
    pub type NetworkRegisteredAt<T> = StorageMap<_, Identity, u16, u64, ValueQuery>;
    #[pallet::storage]
    pub type SubnetOwner<T> = StorageMap<_, Identity, u16, AccountId32, ValueQuery, DefaultAccount>;
    #[pallet::storage]
    pub type SubnetOwnerHotkey<T> = StorageMap<_, Identity, u16, AccountId32, ValueQuery, DefaultAccount>;
    #[pallet::storage]
    pub type TokenSymbol<T> = StorageMap<_, Identity, u16, Vec<u8>, ValueQuery, DefaultTokenSymbol>;
    #[pallet::storage]
    pub type SubnetIdentitiesV3<T> =
        StorageMap<_, Blake2_128Concat, u16, SubnetIdentityV3, OptionQuery>;
    /// Blocks after registration during which a subnet cannot be pruned.
    #[pallet::storage]
    pub type NetworkImmunityPeriod<T> = StorageValue<_, u64, ValueQuery, DefaultNetworkImmunityPeriod>;
    /// Blocks after registration during which a uid cannot be pruned.
    #[pallet::storage]
    pub type ImmunityPeriod<T> = StorageMap<_, Identity, u16, u16, ValueQuery, DefaultImmunityPeriod>;
    /// Pruning takes no uid while no more than this many are outside their immunity.
    #[pallet::storage]
    pub type MinNonImmuneUids<T> = StorageMap<_, Identity, u16, u16, ValueQuery, DefaultMinNonImmuneUids>;
    #[pallet::storage]
    pub type Burn<T> = StorageMap<_, Identity, u16, u64, ValueQuery>;
    #[pallet::storage]
    pub type LastEpochBlock<T> = StorageMap<_, Identity, u16, u64, ValueQuery>;
    /// The block of an epoch triggered ahead of the tempo (finney's owner-triggered epochs); 0
    /// for none.
    #[pallet::storage]
    pub type PendingEpochAt<T> = StorageMap<_, Identity, u16, u64, ValueQuery>;
    #[pallet::storage]
    pub type BlocksSinceLastStep<T> = StorageMap<_, Identity, u16, u64, ValueQuery>;
    #[pallet::storage]
    pub type LastMechansimStepBlock<T> = StorageMap<_, Identity, u16, u64, ValueQuery>;
    #[pallet::storage]
    pub type SubnetEpochIndex<T> = StorageMap<_, Identity, u16, u64, ValueQuery>;
    #[pallet::storage]
    pub type MaxEpochsPerBlock<T> = StorageValue<_, u8, ValueQuery, DefaultMaxEpochsPerBlock>;
    /// How each subnet's epoch reaches consensus (Yuma unless set).
    #[pallet::storage]
    pub type SubnetEpochConsensus<T> = StorageMap<_, Identity, u16, EpochConsensus, ValueQuery>;

    // ---- Mechanisms: incentive mechanisms within a subnet ---------------------------------------
    /// Mechanisms a subnet runs (1 unless set); mechanism `m` of `netuid` keys its per-uid
    /// vectors at storage index `m · 4096 + netuid` (`crate::storage_index`).
    #[pallet::storage]
    pub type MechanismCountCurrent<T> = StorageMap<_, Twox64Concat, u16, u8, ValueQuery, DefaultMechanismCount>;
    /// Each mechanism's share of the subnet's emission, u16 parts summing to 65 535; absent means
    /// an even split.
    #[pallet::storage]
    pub type MechanismEmissionSplit<T> = StorageMap<_, Twox64Concat, u16, Vec<u16>, OptionQuery>;

    // ---- Neurons ---------------------------------------------------------------------------
    #[pallet::storage]
    pub type Keys<T> = StorageDoubleMap<_, Identity, u16, Identity, u16, AccountId32, ValueQuery, DefaultAccount>;
    #[pallet::storage]
    pub type Uids<T> =
        StorageDoubleMap<_, Identity, u16, Blake2_128Concat, AccountId32, u16, OptionQuery>;
    #[pallet::storage]
    pub type Owner<T> = StorageMap<_, Blake2_128Concat, AccountId32, AccountId32, ValueQuery, DefaultAccount>;
    #[pallet::storage]
    pub type BlockAtRegistration<T> =
        StorageDoubleMap<_, Identity, u16, Identity, u16, u64, ValueQuery>;
    #[pallet::storage]
    pub type Axons<T> =
        StorageDoubleMap<_, Identity, u16, Blake2_128Concat, AccountId32, AxonInfo, OptionQuery>;
    #[pallet::storage]
    pub type Delegates<T> =
        StorageMap<_, Blake2_128Concat, AccountId32, PerU16, ValueQuery, DefaultDelegateTake>;
    #[pallet::storage]
    pub type IdentitiesV2<T> =
        StorageMap<_, Blake2_128Concat, AccountId32, ChainIdentityV2, OptionQuery>;

    // ---- Per-uid vectors: one per subnet, `Incentive` and `LastUpdate` one per mechanism --------
    #[pallet::storage]
    pub type Active<T> = StorageMap<_, Identity, u16, Vec<bool>, ValueQuery>;
    #[pallet::storage]
    pub type ValidatorPermit<T> = StorageMap<_, Identity, u16, Vec<bool>, ValueQuery>;
    #[pallet::storage]
    pub type Consensus<T> = StorageMap<_, Identity, u16, Vec<PerU16>, ValueQuery>;
    /// Keyed by storage index (`crate::storage_index`).
    #[pallet::storage]
    pub type Incentive<T> = StorageMap<_, Identity, u16, Vec<PerU16>, ValueQuery>;
    #[pallet::storage]
    pub type Dividends<T> = StorageMap<_, Identity, u16, Vec<PerU16>, ValueQuery>;
    #[pallet::storage]
    pub type ValidatorTrust<T> = StorageMap<_, Identity, u16, Vec<PerU16>, ValueQuery>;
    #[pallet::storage]
    pub type StakeWeight<T> = StorageMap<_, Identity, u16, Vec<u16>, ValueQuery>;
    #[pallet::storage]
    pub type Emission<T> = StorageMap<_, Identity, u16, Vec<u64>, ValueQuery>;
    /// Keyed by storage index (`crate::storage_index`).
    #[pallet::storage]
    pub type LastUpdate<T> = StorageMap<_, Identity, u16, Vec<u64>, ValueQuery>;

    // ---- Stake ---------------------------------------------------------------------------------
    #[pallet::storage]
    pub type TotalHotkeyAlpha<T> =
        StorageDoubleMap<_, Blake2_128Concat, AccountId32, Identity, u16, u64, ValueQuery>;
    /// `TotalHotkeyAlpha` as it stood when the last epoch's rewards had been paid.
    #[pallet::storage]
    pub type TotalHotkeyAlphaLastEpoch<T> =
        StorageDoubleMap<_, Blake2_128Concat, AccountId32, Identity, u16, u64, ValueQuery>;
    /// The share-pool denominator of a hotkey's stake on a subnet.
    #[pallet::storage]
    pub type TotalHotkeySharesV2<T> =
        StorageDoubleMap<_, Blake2_128Concat, AccountId32, Identity, u16, SafeFloat, ValueQuery>;
    /// A coldkey's shares of a hotkey's stake on a subnet: its stake is
    /// `AlphaV2 / TotalHotkeySharesV2 × TotalHotkeyAlpha`.
    #[pallet::storage]
    pub type AlphaV2<T> = StorageNMap<
        _,
        (
            NMapKey<Blake2_128Concat, AccountId32>,
            NMapKey<Blake2_128Concat, AccountId32>,
            NMapKey<Identity, u16>,
        ),
        SafeFloat,
        ValueQuery,
    >;
    /// Every hotkey a coldkey has staked to.
    #[pallet::storage]
    pub type StakingHotkeys<T> = StorageMap<_, Blake2_128Concat, AccountId32, Vec<AccountId32>, ValueQuery>;
    // ---- Root baskets ("Root Reborn") ------------------------------------------------------
    /// β supply of a validator's basket (raw units; par 1 τ per 10^9 at inception).
    #[pallet::storage]
    pub type BasketShares<T> = StorageMap<_, Blake2_128Concat, AccountId32, u64, OptionQuery>;
    /// TAO paid into a validator's basket over its life.
    #[pallet::storage]
    pub type BasketDepositedTao<T> = StorageMap<_, Blake2_128Concat, AccountId32, u64, ValueQuery>;
    /// TAO paid out of a validator's basket over its life.
    #[pallet::storage]
    pub type BasketRedeemedTao<T> = StorageMap<_, Blake2_128Concat, AccountId32, u64, ValueQuery>;
    /// The α a basket holds per subnet. finney keeps this its own way; the devnet stores it
    /// plainly for its `BetaBasketRuntimeApi`, which is what readers use.
    #[pallet::storage]
    pub type DevnetBasketHoldings<T> =
        StorageMap<_, Blake2_128Concat, AccountId32, Vec<(u16, u64)>, ValueQuery>;
    /// Alpha dividends of a hotkey at the last epoch, after its take.
    #[pallet::storage]
    pub type AlphaDividendsPerSubnet<T> =
        StorageDoubleMap<_, Identity, u16, Blake2_128Concat, AccountId32, u64, ValueQuery>;
    #[pallet::storage]
    pub type TaoWeight<T> = StorageValue<_, u64, ValueQuery, DefaultTaoWeight>;
    #[pallet::storage]
    pub type TotalStake<T> = StorageValue<_, u64, ValueQuery>;
    #[pallet::storage]
    pub type TotalIssuance<T> = StorageValue<_, u64, ValueQuery>;
    #[pallet::storage]
    pub type BlockEmission<T> = StorageValue<_, u64, ValueQuery, DefaultBlockEmission>;

    // ---- Pools and emission ------------------------------------------------------------------
    #[pallet::storage]
    pub type SubnetTAO<T> = StorageMap<_, Identity, u16, u64, ValueQuery>;
    #[pallet::storage]
    pub type SubnetAlphaIn<T> = StorageMap<_, Identity, u16, u64, ValueQuery>;
    #[pallet::storage]
    pub type SubnetAlphaOut<T> = StorageMap<_, Identity, u16, u64, ValueQuery>;
    #[pallet::storage]
    pub type SubnetTaoInEmission<T> = StorageMap<_, Identity, u16, u64, ValueQuery>;
    #[pallet::storage]
    pub type SubnetExcessTao<T> = StorageMap<_, Identity, u16, u64, ValueQuery>;
    #[pallet::storage]
    pub type SubnetAlphaInEmission<T> = StorageMap<_, Identity, u16, u64, ValueQuery>;
    #[pallet::storage]
    pub type SubnetAlphaOutEmission<T> = StorageMap<_, Identity, u16, u64, ValueQuery>;
    #[pallet::storage]
    pub type SubnetMovingPrice<T> = StorageMap<_, Identity, u16, FixedI128, ValueQuery>;
    #[pallet::storage]
    pub type SubnetVolume<T> = StorageMap<_, Identity, u16, u128, ValueQuery>;
    #[pallet::storage]
    pub type PendingServerEmission<T> = StorageMap<_, Identity, u16, u64, ValueQuery>;
    #[pallet::storage]
    pub type PendingValidatorEmission<T> = StorageMap<_, Identity, u16, u64, ValueQuery>;
    #[pallet::storage]
    pub type PendingOwnerCut<T> = StorageMap<_, Identity, u16, u64, ValueQuery>;

    /// Seed of the deterministic validator weights (set at genesis).
    #[pallet::storage]
    pub type DevnetSeed<T> = StorageValue<_, u64, ValueQuery>;

    /// Genesis: a deterministic network built from a few numbers (see `genesis.rs`).
    #[pallet::genesis_config]
    #[derive(frame_support::DefaultNoBound)]
    pub struct GenesisConfig<T: Config> {
        /// Non-root subnets to create (netuids 1..=subnets).
        pub subnets: u16,
        /// Neurons registered on each subnet.
        pub neurons_per_subnet: u16,
        /// Validator permits per subnet.
        pub max_validators: u16,
        /// Blocks between epochs.
        pub tempo: u16,
        /// Seed for every generated key, name, stake and weight.
        pub seed: u64,
        #[serde(skip)]
        pub _marker: core::marker::PhantomData<T>,
    }

    #[pallet::genesis_build]
    impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
        fn build(&self) {
            crate::genesis::build::<T>(self);
        }
    }

    #[pallet::hooks]
    impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
        fn on_initialize(block: BlockNumberFor<T>) -> Weight {
            let block: u64 = block.try_into().unwrap_or_default();
            crate::genesis::run_coinbase::<T>(block);
            // The devnet's blocks are nearly empty; this is a fixed, generous estimate.
            Weight::from_parts(200_000_000, 0)
        }
    }

    #[pallet::error]
    pub enum Error<T> {
        /// The subnet does not exist.
        SubnetNotFound,
        /// The hotkey is already registered on this subnet.
        AlreadyRegistered,
        /// The uid does not exist on this subnet.
        UidNotFound,
        /// The pool cannot pay for this stake (see `sim_swap_tao_for_alpha`).
        SwapRefused,
    }

    /// Root-only admin calls for tests: hostile identities, registrations, forced GRANDPA changes,
    /// a subnet's emission switch and tempo.
    #[pallet::call]
    impl<T: Config> Pallet<T> {
        /// Sets (or replaces) a subnet's identity.
        #[pallet::call_index(0)]
        #[pallet::weight(Weight::from_parts(10_000_000, 0))]
        pub fn sudo_set_subnet_identity(
            origin: OriginFor<T>,
            netuid: u16,
            identity: SubnetIdentityV3,
        ) -> DispatchResult {
            ensure_root(origin)?;
            ensure!(NetworksAdded::<T>::get(netuid), Error::<T>::SubnetNotFound);
            SubnetIdentitiesV3::<T>::insert(netuid, identity);
            Ok(())
        }

        /// Sets a subnet's token symbol.
        #[pallet::call_index(1)]
        #[pallet::weight(Weight::from_parts(10_000_000, 0))]
        pub fn sudo_set_token_symbol(origin: OriginFor<T>, netuid: u16, symbol: Vec<u8>) -> DispatchResult {
            ensure_root(origin)?;
            ensure!(NetworksAdded::<T>::get(netuid), Error::<T>::SubnetNotFound);
            TokenSymbol::<T>::insert(netuid, symbol);
            Ok(())
        }

        /// Registers a neuron: appended while the subnet has room, otherwise it replaces the uid
        /// with the lowest emission (finney's pruning, simplified).
        #[pallet::call_index(2)]
        #[pallet::weight(Weight::from_parts(50_000_000, 0))]
        pub fn sudo_register_neuron(
            origin: OriginFor<T>,
            netuid: u16,
            hotkey: AccountId32,
            coldkey: AccountId32,
            stake: u64,
        ) -> DispatchResult {
            ensure_root(origin)?;
            ensure!(NetworksAdded::<T>::get(netuid), Error::<T>::SubnetNotFound);
            ensure!(!Uids::<T>::contains_key(netuid, &hotkey), Error::<T>::AlreadyRegistered);
            let block = frame_system::Pallet::<T>::block_number().try_into().unwrap_or_default();
            crate::genesis::register::<T>(netuid, hotkey, coldkey, stake, block);
            Ok(())
        }

        /// Deregisters the neuron at `uid`: its slot goes to a fresh, unstaked hotkey, as when a
        /// neuron is pruned on finney (uids never leave holes).
        #[pallet::call_index(3)]
        #[pallet::weight(Weight::from_parts(50_000_000, 0))]
        pub fn sudo_deregister_neuron(origin: OriginFor<T>, netuid: u16, uid: u16) -> DispatchResult {
            ensure_root(origin)?;
            ensure!(uid < SubnetworkN::<T>::get(netuid), Error::<T>::UidNotFound);
            let block = frame_system::Pallet::<T>::block_number().try_into().unwrap_or_default();
            crate::genesis::replace_uid::<T>(netuid, uid, block);
            Ok(())
        }

        /// Schedules a forced GRANDPA authority-set change after `delay` blocks (what finney went
        /// through in its history; light clients must cope).
        #[pallet::call_index(4)]
        #[pallet::weight(Weight::from_parts(10_000_000, 0))]
        pub fn sudo_force_grandpa_change(
            origin: OriginFor<T>,
            authorities: Vec<(sp_consensus_grandpa::AuthorityId, u64)>,
            delay: BlockNumberFor<T>,
        ) -> DispatchResult {
            ensure_root(origin)?;
            let best_finalized = frame_system::Pallet::<T>::block_number();
            pallet_grandpa::Pallet::<T>::schedule_change(authorities, delay, Some(best_finalized))
        }

        /// Turns a subnet's pool-side emission on or off (finney's `SubnetEmissionEnabled`).
        #[pallet::call_index(5)]
        #[pallet::weight(Weight::from_parts(10_000_000, 0))]
        pub fn sudo_set_subnet_emission_enabled(origin: OriginFor<T>, netuid: u16, enabled: bool) -> DispatchResult {
            ensure_root(origin)?;
            ensure!(NetworksAdded::<T>::get(netuid), Error::<T>::SubnetNotFound);
            SubnetEmissionEnabled::<T>::insert(netuid, enabled);
            Ok(())
        }

        /// Sets a subnet's tempo, as an owner may on finney since dynamic tempo: the epoch cycle
        /// restarts from this block, so the next epoch comes `tempo` blocks later.
        #[pallet::call_index(6)]
        #[pallet::weight(Weight::from_parts(10_000_000, 0))]
        pub fn sudo_set_tempo(origin: OriginFor<T>, netuid: u16, tempo: u16) -> DispatchResult {
            ensure_root(origin)?;
            ensure!(NetworksAdded::<T>::get(netuid), Error::<T>::SubnetNotFound);
            let block: u64 = frame_system::Pallet::<T>::block_number().try_into().unwrap_or_default();
            Tempo::<T>::insert(netuid, tempo);
            LastEpochBlock::<T>::insert(netuid, block);
            Ok(())
        }

        /// Stakes `tao` rao from `coldkey` on `hotkey` at `netuid` as finney's `add_stake` does:
        /// the TAO buys α through the pool (fee and curve as `sim_swap_tao_for_alpha` quotes it,
        /// so the price moves) and the α joins the hotkey's share pool at the current share value.
        #[pallet::call_index(7)]
        #[pallet::weight(Weight::from_parts(10_000_000, 0))]
        pub fn sudo_add_stake(
            origin: OriginFor<T>,
            netuid: u16,
            hotkey: AccountId32,
            coldkey: AccountId32,
            tao: u64,
        ) -> DispatchResult {
            ensure_root(origin)?;
            ensure!(NetworksAdded::<T>::get(netuid), Error::<T>::SubnetNotFound);
            let swap = crate::rpc_info::sim_swap::<T>(netuid, crate::swap::SwapSide::TaoForAlpha, tao);
            ensure!(swap.alpha_amount > 0, Error::<T>::SwapRefused);
            SubnetTAO::<T>::mutate(netuid, |reserve| *reserve = reserve.saturating_add(swap.tao_amount));
            if SubnetMechanism::<T>::get(netuid) == 1 {
                SubnetAlphaIn::<T>::mutate(netuid, |reserve| *reserve = reserve.saturating_sub(swap.alpha_amount));
            }
            SubnetAlphaOut::<T>::mutate(netuid, |out| *out = out.saturating_add(swap.alpha_amount));
            TotalStake::<T>::mutate(|total| *total = total.saturating_add(swap.tao_amount));
            crate::genesis::add_stake::<T>(&hotkey, &coldkey, netuid, swap.alpha_amount);
            Ok(())
        }
    }
}
