//! `Commitments` for the devnet (finney's pallet 18): the two maps the bittensor SDK reads with a
//! subnet's metagraph. The devnet commits nothing, so both stay empty.

pub use pallet::*;

#[frame_support::pallet]
pub mod pallet {
    use crate::types::Registration;
    use alloc::vec::Vec;
    use frame_support::pallet_prelude::*;
    use sp_runtime::AccountId32;

    #[pallet::pallet]
    #[pallet::without_storage_info]
    pub struct Pallet<T>(_);

    /// Commitments belong to finney's 32-byte accounts.
    #[pallet::config]
    pub trait Config: frame_system::Config<AccountId = AccountId32> {}

    /// A hotkey's current commitment on a subnet.
    #[pallet::storage]
    pub type CommitmentOf<T> =
        StorageDoubleMap<_, Identity, u16, Twox64Concat, AccountId32, Registration, OptionQuery>;

    /// Timelocked commitments revealed so far: (bytes, reveal block) per hotkey and subnet.
    #[pallet::storage]
    pub type RevealedCommitments<T> =
        StorageDoubleMap<_, Identity, u16, Twox64Concat, AccountId32, Vec<(Vec<u8>, u64)>, OptionQuery>;
}
