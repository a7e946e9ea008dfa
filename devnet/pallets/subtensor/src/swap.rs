//! `Swap` for the devnet (finney's pallet 28): each subnet pool's balancer weights, and the price
//! they give, `(1 − q)/q · SubnetTAO/SubnetAlphaIn`, in finney's rao-per-α rounding; and the
//! superellipse curve subtensor's sources put in their place (`SwapSuperellipse`), which some
//! devnet pools use, so that a reader pricing every pool with the balancer formula is caught.

pub use pallet::*;

use crate::types::Superellipse;
use sp_core::U512;

/// 2³², the scale of the superellipse's Q32 coordinates.
const Q32: u128 = 1 << 32;

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

/// Rao per α on a superellipse pool holding `tao` rao and `alpha` α: `floor(b²·X·10⁹ / (a²·Y))`,
/// 0 outside the curve's domain (X or Y not positive) or for a degenerate curve.
pub fn superellipse_price_rao_per_alpha(curve: &Superellipse, tao: u64, alpha: u64) -> u64 {
    let x = curve.center_alpha - i128::from(alpha) * Q32 as i128;
    let y = curve.center_tao - i128::from(tao) * Q32 as i128;
    if x <= 0 || y <= 0 || curve.alpha_scale == 0 {
        return 0;
    }
    let (a, b) = (U512::from(curve.alpha_scale), U512::from(curve.tao_scale));
    let numerator = b * b * U512::from(x as u128) * U512::from(1_000_000_000u64);
    let denominator = a * a * U512::from(y as u128);
    u64::try_from(numerator / denominator).unwrap_or(u64::MAX)
}

/// The curve subtensor's migration would fit to a balancer pool of weight `quote` (parts of 10^18)
/// holding `tao` and `alpha`: `a = 2·q·α`, `b = 2·(1 − q)·τ` (Q32), centred so that the reserves
/// sit at `X = a`, `Y = b`; its price is then `(1 − q)/q · τ/α`, the balancer's.
pub fn superellipse_fitted_to(quote: u64, tao: u64, alpha: u64) -> Superellipse {
    let quote = u128::from(quote).min(QUINTILL);
    let scale = |reserve: u64, weight: u128| -> u128 {
        let scaled = sp_core::U256::from(reserve) * sp_core::U256::from(weight) * sp_core::U256::from(2 * Q32)
            / sp_core::U256::from(QUINTILL);
        scaled.low_u128()
    };
    let alpha_scale = scale(alpha, quote);
    let tao_scale = scale(tao, QUINTILL - quote);
    Superellipse {
        alpha_scale,
        tao_scale,
        center_alpha: (i128::from(alpha) * Q32 as i128).saturating_add(alpha_scale as i128),
        center_tao: (i128::from(tao) * Q32 as i128).saturating_add(tao_scale as i128),
    }
}

/// The curve moved by what emission added to the pool (`tao` and `alpha` more in reserve), so
/// that, as subtensor's `translate_liquidity` does, an injection keeps the price.
pub fn superellipse_translated(curve: Superellipse, tao: u64, alpha: u64) -> Superellipse {
    Superellipse {
        center_alpha: curve.center_alpha.saturating_add(i128::from(alpha) * Q32 as i128),
        center_tao: curve.center_tao.saturating_add(i128::from(tao) * Q32 as i128),
        ..curve
    }
}

#[frame_support::pallet]
pub mod pallet {
    use crate::types::{Balancer, Superellipse};
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

    /// The superellipse curve of the pools that have one (subtensor's coming `SwapSuperellipse`):
    /// where present, it prices the pool, and `SwapBalancer` is only an archive.
    #[pallet::storage]
    pub type SwapSuperellipse<T> = StorageMap<_, Twox64Concat, u16, Superellipse, OptionQuery>;
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

    #[test]
    fn a_fitted_superellipse_prices_as_its_balancer_and_keeps_it_when_translated() {
        let (tao, alpha) = (40_000 * 1_000_000_000u64, 1_000_000 * 1_000_000_000u64);
        for quote in [500_000_000_000_000_000, 400_000_000_000_000_000, 730_000_000_000_000_000u64] {
            let curve = superellipse_fitted_to(quote, tao, alpha);
            let balancer = price_rao_per_alpha(quote, tao, alpha);
            let fitted = superellipse_price_rao_per_alpha(&curve, tao, alpha);
            assert!(fitted.abs_diff(balancer) <= 1, "quote {quote}: {fitted} against {balancer}");
            let (more_tao, more_alpha) = (3_000_000_000, 70_000_000_000);
            let moved = superellipse_translated(curve, more_tao, more_alpha);
            assert_eq!(superellipse_price_rao_per_alpha(&moved, tao + more_tao, alpha + more_alpha), fitted);
        }
    }

    #[test]
    fn a_superellipse_price_is_b_squared_x_over_a_squared_y() {
        // a = 2, b = 3 (in Q32 units), reserves at X = 4·2³², Y = 6·2³²: price = 9·4 / (4·6) = 1.5.
        let curve = Superellipse {
            alpha_scale: 2 * Q32,
            tao_scale: 3 * Q32,
            center_alpha: (10 + 4) * Q32 as i128,
            center_tao: (20 + 6) * Q32 as i128,
        };
        assert_eq!(superellipse_price_rao_per_alpha(&curve, 20, 10), 1_500_000_000);
        // Outside the domain (more α than the centre) there is no price.
        assert_eq!(superellipse_price_rao_per_alpha(&curve, 20, 15), 0);
    }
}
