//! `Swap` for the devnet (finney's pallet 28): each subnet pool's balancer weights, and the price
//! they give, `(1 − q)/q · SubnetTAO/SubnetAlphaIn`, in finney's rao-per-α rounding.

pub use pallet::*;

/// One in `Perquintill` parts (10^18).
const QUINTILL: u128 = 1_000_000_000_000_000_000;

/// Rao per α of a pool holding `tao` rao and `alpha` α with quote weight `quote` (parts of 10^18):
/// `floor((1 − q)/q · tao/alpha · 10^9)`, 0 for an empty α reserve (finney's `current_alpha_price`).
pub fn price_rao_per_alpha(quote: u64, tao: u64, alpha: u64) -> u64 {
    let quote = u128::from(quote).max(1);
    if alpha == 0 {
        return 0;
    }
    let weighted = u128::from(tao) * (QUINTILL - quote.min(QUINTILL)) / quote;
    u64::try_from(weighted * 1_000_000_000 / u128::from(alpha)).unwrap_or(u64::MAX)
}

#[frame_support::pallet]
pub mod pallet {
    use crate::types::Balancer;
    use frame_support::pallet_prelude::*;
    use sp_arithmetic::Perquintill;

    /// Finney's default pool: equal weights.
    #[pallet::type_value]
    pub fn DefaultBalancer() -> Balancer {
        Balancer { quote: Perquintill::from_percent(50) }
    }

    #[pallet::pallet]
    #[pallet::without_storage_info]
    pub struct Pallet<T>(_);

    /// No configuration: the pallet only holds the weights.
    #[pallet::config]
    pub trait Config: frame_system::Config {}

    /// The balancer weights of each subnet's pool (keyed by netuid).
    #[pallet::storage]
    pub type SwapBalancer<T> = StorageMap<_, Twox64Concat, u16, Balancer, ValueQuery, DefaultBalancer>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_weights_give_the_ratio_and_others_scale_it() {
        let half = 500_000_000_000_000_000;
        assert_eq!(price_rao_per_alpha(half, 30, 120), 250_000_000);
        // q = 0.2: (0.8/0.2) · 30/120 = 1 TAO per α.
        assert_eq!(price_rao_per_alpha(200_000_000_000_000_000, 30, 120), 1_000_000_000);
        assert_eq!(price_rao_per_alpha(half, 30, 0), 0);
        // Finney-sized pools do not overflow.
        assert_eq!(price_rao_per_alpha(half, u64::MAX / 2, u64::MAX / 2), 1_000_000_000);
    }
}
