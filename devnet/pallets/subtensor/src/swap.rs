//! `Swap` for the devnet (finney's pallet 28): each subnet pool's balancer weights, and the price
//! they give, `(1 − q)/q · SubnetTAO/SubnetAlphaIn`, in finney's rao-per-α rounding; and the
//! superellipse curve subtensor's sources put in their place (`SwapSuperellipse`), which some
//! devnet pools use, so that a reader pricing every pool with the balancer formula is caught.

pub use pallet::*;

use crate::types::Superellipse;
use num_bigint::BigUint;
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

/// Finney's default swap fee, in parts of `u16::MAX` (0.050355 %): `Swap.FeeRate`'s default.
pub const DEFAULT_FEE_RATE: u16 = 33;

/// The least an output-side reserve may keep after a swap (`Swap.MinimumReserve` at spec 475).
pub const MINIMUM_RESERVE: u64 = 1_000_000;

/// A swap's net input may be at most this many times its input-side reserve.
const MAX_INPUT_RESERVE_MULTIPLIER: u128 = 1_000;

/// The fee on `amount` at `rate` parts of `u16::MAX`, as finney rounds it:
/// `(amount · ⌊(rate << 64) / 65535⌋) >> 64`.
pub fn swap_fee(amount: u64, rate: u16) -> u64 {
    let per_unit = (sp_core::U256::from(rate) << 64) / sp_core::U256::from(u16::MAX);
    ((sp_core::U256::from(amount) * per_unit) >> 64).low_u64()
}

/// Which way a simulated swap goes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SwapSide {
    /// TAO in, α out (a stake).
    TaoForAlpha,
    /// α in, TAO out (an unstake).
    AlphaForTao,
}

/// A pool's curve: balancer weights (the quote weight in parts of 10^18) or a superellipse.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PoolCurve {
    /// `SwapBalancer`'s quote weight q.
    Balancer(u64),
    /// `SwapSuperellipse`'s curve.
    Superellipse(Superellipse),
}

/// What leaves a pool holding `tao` and `alpha` for `net_in` (fee already taken) on `side`,
/// rounded down, or `None` where the pool cannot pay it (input over 1000× its reserve, an output
/// reserve left under `MINIMUM_RESERVE`, nothing out for something in, off the curve).
///
/// Balancer: `out = ⌊R_out · (10^18 − e) / 10^18⌋` with `e = ⌊10^18 · (R_in / (R_in + net_in))^(w_in / w_out)⌋`
/// exactly (w_tao = q, w_α = 1 − q). Superellipse: the reserves move along `X²b² + Y²a² = K`,
/// the output coordinate is the integer square root, and `out = ⌊(new − old) / 2³²⌋`.
pub fn swap_out(curve: PoolCurve, tao: u64, alpha: u64, side: SwapSide, net_in: u64) -> Option<u64> {
    let (reserve_in, reserve_out) = match side {
        SwapSide::TaoForAlpha => (tao, alpha),
        SwapSide::AlphaForTao => (alpha, tao),
    };
    if u128::from(net_in) > MAX_INPUT_RESERVE_MULTIPLIER * u128::from(reserve_in) {
        return None;
    }
    let out = match curve {
        PoolCurve::Balancer(quote) => {
            let quote = u128::from(quote).clamp(1, QUINTILL - 1);
            let (w_in, w_out) = match side {
                SwapSide::TaoForAlpha => (quote, QUINTILL - quote),
                SwapSide::AlphaForTao => (QUINTILL - quote, quote),
            };
            let e = scaled_power(reserve_in, reserve_in.checked_add(net_in)?, w_in, w_out);
            (u128::from(reserve_out) * (QUINTILL - e) / QUINTILL) as u64
        }
        PoolCurve::Superellipse(curve) => superellipse_out(&curve, tao, alpha, side, net_in)?,
    };
    let keeps_minimum = reserve_out.checked_sub(out).is_some_and(|left| left >= MINIMUM_RESERVE);
    (keeps_minimum && (out > 0 || net_in == 0)).then_some(out)
}

/// `⌊10^18 · (num / den)^(w_in / w_out)⌋` exactly (num ≤ den): the largest `e` with
/// `e^b · den^a ≤ 10^(18b) · num^a`, for the weights' ratio reduced to `a / b`.
fn scaled_power(num: u64, den: u64, w_in: u128, w_out: u128) -> u128 {
    let divisor = gcd(w_in, w_out);
    let (a, b) = ((w_in / divisor) as u32, (w_out / divisor) as u32);
    let scale = BigUint::from(QUINTILL);
    let bound = scale.pow(b) * BigUint::from(num).pow(a);
    let den_a = BigUint::from(den).pow(a);
    let (mut low, mut high) = (0u128, QUINTILL);
    while low < high {
        let mid = low + (high - low).div_ceil(2);
        if BigUint::from(mid).pow(b) * &den_a <= bound {
            low = mid;
        } else {
            high = mid - 1;
        }
    }
    low
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.max(1)
}

/// The output of a superellipse pool for `net_in`, or `None` off the curve's domain.
fn superellipse_out(curve: &Superellipse, tao: u64, alpha: u64, side: SwapSide, net_in: u64) -> Option<u64> {
    let q32 = BigUint::from(Q32);
    let coordinate = |center: i128, reserve: u64| -> Option<BigUint> {
        let value = center.checked_sub(i128::from(reserve) * Q32 as i128)?;
        (value > 0).then(|| BigUint::from(value as u128))
    };
    let (x, y) = (coordinate(curve.center_alpha, alpha)?, coordinate(curve.center_tao, tao)?);
    if curve.alpha_scale == 0 || curve.tao_scale == 0 {
        return None;
    }
    let (a2, b2) = (BigUint::from(curve.alpha_scale).pow(2), BigUint::from(curve.tao_scale).pow(2));
    let k = &x * &x * &b2 + &y * &y * &a2;
    let moved_in = BigUint::from(net_in) * &q32;
    // The input side's coordinate shrinks by what enters; the output side's grows along the curve.
    let (old_in, old_out, in_scale2, out_scale2) = match side {
        SwapSide::TaoForAlpha => (y, x, a2, b2),
        SwapSide::AlphaForTao => (x, y, b2, a2),
    };
    if moved_in >= old_in {
        return None;
    }
    let new_in = old_in - moved_in;
    let kept = &new_in * &new_in * in_scale2;
    if kept > k {
        return None;
    }
    let new_out = ((k - kept) / out_scale2).sqrt();
    if new_out < old_out {
        return None;
    }
    let out = (new_out - old_out) / q32;
    u64::try_from(out).ok()
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

    /// Finney's default fee rate.
    #[pallet::type_value]
    pub fn DefaultFeeRate() -> u16 {
        super::DEFAULT_FEE_RATE
    }

    /// Each pool's swap fee in parts of `u16::MAX` (finney's `Swap.FeeRate`, default 33).
    #[pallet::storage]
    pub type FeeRate<T> = StorageMap<_, Twox64Concat, u16, u16, ValueQuery, DefaultFeeRate>;
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
    fn the_fee_is_finneys_default_on_the_input() {
        // finney's recorded `sim_swap_tao_for_alpha(92, 10 τ)` charged 5,035,477 rao.
        assert_eq!(swap_fee(10_000_000_000, DEFAULT_FEE_RATE), 5_035_477);
        assert_eq!(swap_fee(0, DEFAULT_FEE_RATE), 0);
    }

    #[test]
    fn a_balancer_swap_pays_the_weighted_power_rounded_down() {
        let (tao, alpha) = (1_000_000_000_000u64, 4_000_000_000_000u64);
        let half = PoolCurve::Balancer(500_000_000_000_000_000);
        // Equal weights: 4e12 · (1 − 1e12/1.1e12).
        assert_eq!(swap_out(half, tao, alpha, SwapSide::TaoForAlpha, 100_000_000_000), Some(363_636_363_636));
        // q = 0.4: buying raises (10/11) to 2/3, selling (40/41) to 3/2 (80-digit decimals).
        let forty = PoolCurve::Balancer(400_000_000_000_000_000);
        assert_eq!(swap_out(forty, tao, alpha, SwapSide::TaoForAlpha, 100_000_000_000), Some(246_254_125_613));
        assert_eq!(swap_out(forty, tao, alpha, SwapSide::AlphaForTao, 100_000_000_000), Some(36_361_369_122));
    }

    #[test]
    fn a_swap_the_pool_cannot_pay_is_refused() {
        let half = PoolCurve::Balancer(500_000_000_000_000_000);
        // More than 1000 times the input reserve.
        assert_eq!(swap_out(half, 1_000, 1_000_000_000_000, SwapSide::TaoForAlpha, 1_000_001), None);
        // An output reserve left under the minimum.
        assert_eq!(swap_out(half, 2_000_000, 2_000_000, SwapSide::TaoForAlpha, 1_000_000_000), None);
        // Nothing out for something in.
        assert_eq!(swap_out(half, 1_000_000_000_000, 10_000_000, SwapSide::TaoForAlpha, 1), None);
    }

    #[test]
    fn a_superellipse_swap_stays_on_its_curve_and_never_pays_a_round_trip() {
        let (tao, alpha) = (40_000 * 1_000_000_000u64, 1_000_000 * 1_000_000_000u64);
        let quote = 400_000_000_000_000_000;
        let curve = PoolCurve::Superellipse(superellipse_fitted_to(quote, tao, alpha));
        // A small stake pays about 1/price α: the fitted price is (0.6/0.4)·τ/α = 0.06 τ.
        let bought = swap_out(curve, tao, alpha, SwapSide::TaoForAlpha, 6_000_000).expect("a quote");
        assert!(bought <= 100_000_000 && 100_000_000 - bought < 100, "{bought}");
        // A large one pays less than spot, and selling it straight back returns less than it cost.
        let stake = 1_000 * 1_000_000_000;
        let bought = swap_out(curve, tao, alpha, SwapSide::TaoForAlpha, stake).expect("a quote");
        assert!(u128::from(bought) * 6 < u128::from(stake) * 100);
        let back = swap_out(curve, tao + stake, alpha - bought, SwapSide::AlphaForTao, bought).expect("a quote");
        assert!(back <= stake && stake - back < stake / 1_000_000, "{back}");
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
