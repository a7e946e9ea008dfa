//! The devnet runtime. Pallet names and indices follow finney (System 0, Timestamp 2, Aura 3,
//! Grandpa 4, Balances 5, TransactionPayment 6, SubtensorModule 7, Sudo 12, Commitments 18,
//! Swap 28) so that storage keys,
//! metadata and runtime API names are the ones the light client meets on the real network.

#![cfg_attr(not(feature = "std"), no_std)]
// Reason: the runtime macros expand to code that trips these lints; nothing here is hand-written
// unsafe.
#![allow(clippy::new_without_default)]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

/// The same runtime built with the `upgraded-spec` feature: `spec_version` one higher and no
/// `BetaBasketRuntimeApi` (an upgrade that removes something a widget reads), nothing else
/// changed. `admin upgrade-runtime` installs it with `System.set_code`.
#[cfg(feature = "std")]
pub mod upgraded {
    include!(concat!(env!("OUT_DIR"), "/wasm_binary_upgraded.rs"));
}

/// The genesis runtime's spec version; the `upgraded-spec` build is one higher.
#[cfg(not(feature = "upgraded-spec"))]
pub const SPEC_VERSION: u32 = 100;
/// The upgraded runtime's spec version (the genesis runtime's is one lower).
#[cfg(feature = "upgraded-spec")]
pub const SPEC_VERSION: u32 = 101;

extern crate alloc;
use alloc::vec::Vec;

use frame_support::{
    derive_impl,
    genesis_builder_helper::{build_state, get_preset},
    parameter_types,
    traits::{ConstBool, ConstU32, ConstU64, ConstU8, VariantCountOf},
    weights::{constants::RocksDbWeight, IdentityFee, Weight},
};
use pallet_grandpa::AuthorityId as GrandpaId;
use pallet_transaction_payment::{ConstFeeMultiplier, FungibleAdapter, Multiplier};
use sp_api::impl_runtime_apis;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_core::{crypto::KeyTypeId, OpaqueMetadata, H256};
use sp_runtime::{
    generic, impl_opaque_keys,
    traits::{BlakeTwo256, Block as BlockT, IdentifyAccount, NumberFor, One, Verify},
    transaction_validity::{TransactionSource, TransactionValidity},
    ApplyExtrinsicResult, MultiAddress, MultiSignature, Perbill,
};
use sp_version::RuntimeVersion;

pub use pallet_subtensor;

/// Block numbers in headers (subtensor stores u64 block numbers in its own items).
pub type BlockNumber = u32;
/// Signatures: sr25519 (and the others MultiSignature allows).
pub type Signature = MultiSignature;
/// 32-byte account ids, SS58 prefix 42.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// Balances are u64 rao on finney, not u128.
pub type Balance = u64;
/// Transaction counter.
pub type Nonce = u32;
/// Block and state hashes.
pub type Hash = H256;

/// Devnet blocks come every 2 s (finney: 12 s) so tests see blocks, finality and epochs quickly.
pub const MILLISECS_PER_BLOCK: u64 = 2_000;
/// Aura slot duration.
pub const SLOT_DURATION: u64 = MILLISECS_PER_BLOCK;

// `#[runtime_version]` needs literal numbers, hence two copies that differ only in `spec_version`
// (kept equal to `SPEC_VERSION` by the assertion below).
#[cfg(not(feature = "upgraded-spec"))]
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
    spec_name: alloc::borrow::Cow::Borrowed("node-subtensor"),
    impl_name: alloc::borrow::Cow::Borrowed("taoscope-devnet"),
    authoring_version: 1,
    spec_version: 100,
    impl_version: 1,
    apis: RUNTIME_API_VERSIONS,
    transaction_version: 1,
    system_version: 1,
};
#[cfg(feature = "upgraded-spec")]
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
    spec_name: alloc::borrow::Cow::Borrowed("node-subtensor"),
    impl_name: alloc::borrow::Cow::Borrowed("taoscope-devnet"),
    authoring_version: 1,
    spec_version: 101,
    impl_version: 1,
    apis: RUNTIME_API_VERSIONS,
    transaction_version: 1,
    system_version: 1,
};
const _: () = assert!(VERSION.spec_version == SPEC_VERSION);

/// Opaque types for the node, which does not need to know the runtime's extrinsic format.
pub mod opaque {
    use super::*;
    pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;
    /// Header.
    pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
    /// Block.
    pub type Block = generic::Block<Header, UncheckedExtrinsic>;

    impl_opaque_keys! {
        /// Aura and GRANDPA keys of an authority.
        pub struct SessionKeys {
            pub aura: Aura,
            pub grandpa: Grandpa,
        }
    }
}

const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);

parameter_types! {
    pub const BlockHashCount: BlockNumber = 2400;
    pub const Version: RuntimeVersion = VERSION;
    pub RuntimeBlockWeights: frame_system::limits::BlockWeights =
        frame_system::limits::BlockWeights::with_sensible_defaults(
            Weight::from_parts(2u64 * frame_support::weights::constants::WEIGHT_REF_TIME_PER_SECOND, u64::MAX),
            NORMAL_DISPATCH_RATIO,
        );
    pub RuntimeBlockLength: frame_system::limits::BlockLength =
        frame_system::limits::BlockLength::builder().max_length(5 * 1024 * 1024).build();
    pub const SS58Prefix: u8 = 42;
    pub FeeMultiplier: Multiplier = Multiplier::one();
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
    type Block = Block;
    type BlockWeights = RuntimeBlockWeights;
    type BlockLength = RuntimeBlockLength;
    type AccountId = AccountId;
    type Nonce = Nonce;
    type Hash = Hash;
    type BlockHashCount = BlockHashCount;
    type DbWeight = RocksDbWeight;
    type Version = Version;
    type AccountData = pallet_balances::AccountData<Balance>;
    type SS58Prefix = SS58Prefix;
    type MaxConsumers = ConstU32<16>;
}

impl pallet_aura::Config for Runtime {
    type AuthorityId = AuraId;
    type DisabledValidators = ();
    type MaxAuthorities = ConstU32<32>;
    type AllowMultipleBlocksPerSlot = ConstBool<false>;
    type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

impl pallet_grandpa::Config for Runtime {
    type RuntimeEvent = RuntimeEvent;
    type WeightInfo = ();
    type MaxAuthorities = ConstU32<32>;
    type MaxNominators = ConstU32<0>;
    type MaxSetIdSessionEntries = ConstU64<0>;
    type KeyOwnerProof = sp_core::Void;
    type EquivocationReportSystem = ();
}

impl pallet_timestamp::Config for Runtime {
    type Moment = u64;
    type OnTimestampSet = Aura;
    type MinimumPeriod = ConstU64<{ SLOT_DURATION / 2 }>;
    type WeightInfo = ();
}

impl pallet_balances::Config for Runtime {
    type MaxLocks = ConstU32<50>;
    type MaxReserves = ();
    type ReserveIdentifier = [u8; 8];
    type Balance = Balance;
    type RuntimeEvent = RuntimeEvent;
    type DustRemoval = ();
    type ExistentialDeposit = ConstU64<500>;
    type AccountStore = System;
    type WeightInfo = pallet_balances::weights::SubstrateWeight<Runtime>;
    type FreezeIdentifier = RuntimeFreezeReason;
    type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
    type RuntimeHoldReason = RuntimeHoldReason;
    type RuntimeFreezeReason = RuntimeFreezeReason;
    type DoneSlashHandler = ();
}

impl pallet_transaction_payment::Config for Runtime {
    type RuntimeEvent = RuntimeEvent;
    type OnChargeTransaction = FungibleAdapter<Balances, ()>;
    type OperationalFeeMultiplier = ConstU8<5>;
    type WeightToFee = IdentityFee<Balance>;
    type LengthToFee = IdentityFee<Balance>;
    type FeeMultiplierUpdate = ConstFeeMultiplier<FeeMultiplier>;
    type WeightInfo = pallet_transaction_payment::weights::SubstrateWeight<Runtime>;
}

impl pallet_sudo::Config for Runtime {
    type RuntimeEvent = RuntimeEvent;
    type RuntimeCall = RuntimeCall;
    type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}

impl pallet_subtensor::Config for Runtime {}
impl pallet_subtensor::swap::Config for Runtime {}
impl pallet_subtensor::commitments::Config for Runtime {}

#[frame_support::runtime]
mod runtime {
    #[runtime::runtime]
    #[runtime::derive(
        RuntimeCall,
        RuntimeEvent,
        RuntimeError,
        RuntimeOrigin,
        RuntimeFreezeReason,
        RuntimeHoldReason,
        RuntimeSlashReason,
        RuntimeLockId,
        RuntimeTask,
        RuntimeViewFunction
    )]
    pub struct Runtime;

    #[runtime::pallet_index(0)]
    pub type System = frame_system;
    #[runtime::pallet_index(2)]
    pub type Timestamp = pallet_timestamp;
    #[runtime::pallet_index(3)]
    pub type Aura = pallet_aura;
    #[runtime::pallet_index(4)]
    pub type Grandpa = pallet_grandpa;
    #[runtime::pallet_index(5)]
    pub type Balances = pallet_balances;
    #[runtime::pallet_index(6)]
    pub type TransactionPayment = pallet_transaction_payment;
    #[runtime::pallet_index(7)]
    pub type SubtensorModule = pallet_subtensor;
    #[runtime::pallet_index(12)]
    pub type Sudo = pallet_sudo;
    #[runtime::pallet_index(18)]
    pub type Commitments = pallet_subtensor::commitments;
    #[runtime::pallet_index(28)]
    pub type Swap = pallet_subtensor::swap;
}

/// Addresses in extrinsics.
pub type Address = MultiAddress<AccountId, ()>;
/// Header.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// Block.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;
/// Transaction extensions (checks every signed extrinsic goes through).
pub type TxExtension = (
    frame_system::CheckNonZeroSender<Runtime>,
    frame_system::CheckSpecVersion<Runtime>,
    frame_system::CheckTxVersion<Runtime>,
    frame_system::CheckGenesis<Runtime>,
    frame_system::CheckEra<Runtime>,
    frame_system::CheckNonce<Runtime>,
    frame_system::CheckWeight<Runtime>,
    pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
);
/// Extrinsics as the runtime sees them.
pub type UncheckedExtrinsic = generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;
/// What a signer signs.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;
/// Dispatches blocks to the pallets.
pub type Executive = frame_executive::Executive<
    Runtime,
    Block,
    frame_system::ChainContext<Runtime>,
    Runtime,
    AllPalletsWithSystem,
>;

impl_runtime_apis! {
    impl sp_api::Core<Block> for Runtime {
        fn version() -> RuntimeVersion {
            VERSION
        }
        fn execute_block(block: <Block as BlockT>::LazyBlock) {
            Executive::execute_block(block);
        }
        fn initialize_block(header: &<Block as BlockT>::Header) -> sp_runtime::ExtrinsicInclusionMode {
            Executive::initialize_block(header)
        }
    }

    impl sp_api::Metadata<Block> for Runtime {
        fn metadata() -> OpaqueMetadata {
            OpaqueMetadata::new(Runtime::metadata().into())
        }
        fn metadata_at_version(version: u32) -> Option<OpaqueMetadata> {
            Runtime::metadata_at_version(version)
        }
        fn metadata_versions() -> Vec<u32> {
            Runtime::metadata_versions()
        }
    }

    impl sp_block_builder::BlockBuilder<Block> for Runtime {
        fn apply_extrinsic(extrinsic: <Block as BlockT>::Extrinsic) -> ApplyExtrinsicResult {
            Executive::apply_extrinsic(extrinsic)
        }
        fn finalize_block() -> <Block as BlockT>::Header {
            Executive::finalize_block()
        }
        fn inherent_extrinsics(data: sp_inherents::InherentData) -> Vec<<Block as BlockT>::Extrinsic> {
            data.create_extrinsics()
        }
        fn check_inherents(
            block: <Block as BlockT>::LazyBlock,
            data: sp_inherents::InherentData,
        ) -> sp_inherents::CheckInherentsResult {
            data.check_extrinsics(&block)
        }
    }

    impl sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block> for Runtime {
        fn validate_transaction(
            source: TransactionSource,
            tx: <Block as BlockT>::Extrinsic,
            block_hash: <Block as BlockT>::Hash,
        ) -> TransactionValidity {
            Executive::validate_transaction(source, tx, block_hash)
        }
    }

    impl sp_offchain::OffchainWorkerApi<Block> for Runtime {
        fn offchain_worker(header: &<Block as BlockT>::Header) {
            Executive::offchain_worker(header)
        }
    }

    impl sp_consensus_aura::AuraApi<Block, AuraId> for Runtime {
        fn slot_duration() -> sp_consensus_aura::SlotDuration {
            sp_consensus_aura::SlotDuration::from_millis(Aura::slot_duration())
        }
        fn authorities() -> Vec<AuraId> {
            pallet_aura::Authorities::<Runtime>::get().into_inner()
        }
    }

    impl sp_session::SessionKeys<Block> for Runtime {
        fn generate_session_keys(owner: Vec<u8>, seed: Option<Vec<u8>>) -> sp_session::OpaqueGeneratedSessionKeys {
            opaque::SessionKeys::generate(&owner, seed).into()
        }
        fn decode_session_keys(encoded: Vec<u8>) -> Option<Vec<(Vec<u8>, KeyTypeId)>> {
            opaque::SessionKeys::decode_into_raw_public_keys(&encoded)
        }
    }

    impl sp_consensus_grandpa::GrandpaApi<Block> for Runtime {
        fn grandpa_authorities() -> sp_consensus_grandpa::AuthorityList {
            Grandpa::grandpa_authorities()
        }
        fn current_set_id() -> sp_consensus_grandpa::SetId {
            Grandpa::current_set_id()
        }
        fn submit_report_equivocation_unsigned_extrinsic(
            _equivocation_proof: sp_consensus_grandpa::EquivocationProof<<Block as BlockT>::Hash, NumberFor<Block>>,
            _key_owner_proof: sp_consensus_grandpa::OpaqueKeyOwnershipProof,
        ) -> Option<()> {
            None
        }
        fn generate_key_ownership_proof(
            _set_id: sp_consensus_grandpa::SetId,
            _authority_id: GrandpaId,
        ) -> Option<sp_consensus_grandpa::OpaqueKeyOwnershipProof> {
            None
        }
    }

    impl frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce> for Runtime {
        fn account_nonce(account: AccountId) -> Nonce {
            System::account_nonce(account)
        }
    }

    impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance> for Runtime {
        fn query_info(uxt: <Block as BlockT>::Extrinsic, len: u32) -> pallet_transaction_payment_rpc_runtime_api::RuntimeDispatchInfo<Balance> {
            TransactionPayment::query_info(uxt, len)
        }
        fn query_fee_details(uxt: <Block as BlockT>::Extrinsic, len: u32) -> pallet_transaction_payment::FeeDetails<Balance> {
            TransactionPayment::query_fee_details(uxt, len)
        }
        fn query_weight_to_fee(weight: Weight) -> Balance {
            TransactionPayment::weight_to_fee(weight)
        }
        fn query_length_to_fee(length: u32) -> Balance {
            TransactionPayment::length_to_fee(length)
        }
    }

    impl pallet_subtensor::runtime_api::SubnetInfoRuntimeApi<Block> for Runtime {
        fn get_dynamic_info(netuid: u16) -> Option<pallet_subtensor::rpc_info::DynamicInfo> {
            pallet_subtensor::rpc_info::dynamic_info::<Runtime>(netuid)
        }
        fn get_all_dynamic_info() -> Vec<Option<pallet_subtensor::rpc_info::DynamicInfo>> {
            pallet_subtensor::rpc_info::all_dynamic_info::<Runtime>()
        }
        fn get_metagraph(netuid: u16) -> Option<pallet_subtensor::rpc_info::Metagraph> {
            pallet_subtensor::rpc_info::metagraph::<Runtime>(netuid)
        }
        fn get_selective_metagraph(netuid: u16, metagraph_indexes: Vec<u16>) -> Option<pallet_subtensor::rpc_info::SelectiveMetagraph> {
            pallet_subtensor::rpc_info::selective_mechagraph::<Runtime>(netuid, 0, &metagraph_indexes)
        }
        fn get_mechagraph(netuid: u16, mecid: u8) -> Option<pallet_subtensor::rpc_info::Metagraph> {
            pallet_subtensor::rpc_info::mechagraph::<Runtime>(netuid, mecid)
        }
        fn get_selective_mechagraph(netuid: u16, subid: u8, metagraph_indexes: Vec<u16>) -> Option<pallet_subtensor::rpc_info::SelectiveMetagraph> {
            pallet_subtensor::rpc_info::selective_mechagraph::<Runtime>(netuid, subid, &metagraph_indexes)
        }
        fn get_block_emission() -> u64 {
            pallet_subtensor::rpc_info::block_emission::<Runtime>()
        }
        fn get_next_epoch_start_block(netuid: u16) -> Option<u64> {
            pallet_subtensor::rpc_info::next_epoch_start_block::<Runtime>(netuid)
        }
    }

    impl pallet_subtensor::runtime_api::NeuronInfoRuntimeApi<Block> for Runtime {
        fn get_neurons_lite(netuid: u16) -> Vec<pallet_subtensor::rpc_info::NeuronInfoLite> {
            pallet_subtensor::rpc_info::neurons_lite::<Runtime>(netuid)
        }
    }

    impl pallet_subtensor::runtime_api::DelegateInfoRuntimeApi<Block> for Runtime {
        fn get_delegates() -> Vec<pallet_subtensor::rpc_info::DelegateInfo> {
            pallet_subtensor::rpc_info::delegates::<Runtime>()
        }
    }

    // Dropped by the upgrade, so the dashboard's root-basket widget meets a runtime without it.
    #[cfg(not(feature = "upgraded-spec"))]
    impl pallet_subtensor::runtime_api::BetaBasketRuntimeApi<Block> for Runtime {
        fn get_validator_basket_summary(hotkey: AccountId) -> pallet_subtensor::rpc_info::BasketSummary {
            pallet_subtensor::rpc_info::validator_basket_summary::<Runtime>(hotkey)
        }
        fn get_all_validator_baskets() -> Vec<pallet_subtensor::rpc_info::BasketSummary> {
            pallet_subtensor::rpc_info::all_validator_baskets::<Runtime>()
        }
    }

    impl pallet_subtensor::runtime_api::SwapRuntimeApi<Block> for Runtime {
        fn current_alpha_price(netuid: u16) -> u64 {
            pallet_subtensor::rpc_info::current_alpha_price::<Runtime>(netuid)
        }
        fn current_alpha_price_all() -> Vec<pallet_subtensor::rpc_info::SubnetPrice> {
            pallet_subtensor::rpc_info::current_alpha_price_all::<Runtime>()
        }
        fn sim_swap_tao_for_alpha(netuid: u16, tao: u64) -> pallet_subtensor::rpc_info::SimSwapResult {
            pallet_subtensor::rpc_info::sim_swap::<Runtime>(netuid, pallet_subtensor::swap::SwapSide::TaoForAlpha, tao)
        }
        fn sim_swap_alpha_for_tao(netuid: u16, alpha: u64) -> pallet_subtensor::rpc_info::SimSwapResult {
            pallet_subtensor::rpc_info::sim_swap::<Runtime>(netuid, pallet_subtensor::swap::SwapSide::AlphaForTao, alpha)
        }
    }

    impl sp_genesis_builder::GenesisBuilder<Block> for Runtime {
        fn build_state(config: Vec<u8>) -> sp_genesis_builder::Result {
            build_state::<RuntimeGenesisConfig>(config)
        }
        fn get_preset(id: &Option<sp_genesis_builder::PresetId>) -> Option<Vec<u8>> {
            get_preset::<RuntimeGenesisConfig>(id, |_| None)
        }
        fn preset_names() -> Vec<sp_genesis_builder::PresetId> {
            Vec::new()
        }
    }
}
