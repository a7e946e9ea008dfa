//! What a staker's figures are made of, as plain functions: the value of a share of a hotkey's
//! stake, a validator's last-epoch yield and its annualised rate (on the spacing of epochs the
//! chain records), and a portfolio's rate.
//!
//! Sources: `../shared/chain/FINNEY-DRIFT.md` ("Staking facts that a validator picker needs") and
//! subtensor's `coinbase/run_coinbase.rs` and `primitives/share-pool`.

/// Blocks per day on finney (12 s blocks).
pub const BLOCKS_PER_DAY: f64 = 7_200.0;

/// The yield of one epoch to a hotkey's stakers: `AlphaDividendsPerSubnet / (TotalHotkeyAlphaLastEpoch
/// − AlphaDividendsPerSubnet)`. The chain writes both in the same epoch, the dividends after the
/// validator's take and the total after they were paid, so the denominator is the stake that
/// earned them. `None` when there is nothing to divide by (no epoch yet, or no stake).
pub fn last_epoch_yield(dividends_alpha: u64, total_last_epoch_alpha: u64) -> Option<f64> {
    let earning = total_last_epoch_alpha.checked_sub(dividends_alpha)?;
    (earning > 0).then(|| dividends_alpha as f64 / earning as f64)
}

/// The block the subnet's next epoch starts at, by the runtime's rule
/// (`SubnetInfoRuntimeApi.get_next_epoch_start_block` at spec 475): `LastEpochBlock + Tempo`, or
/// the owner's triggered epoch `PendingEpochAt` when that comes first (0 means none). `None` for
/// tempo 0, a subnet that runs no epoch.
pub fn next_epoch_start(last_epoch_block: u64, tempo: u16, pending_epoch_at: u64) -> Option<u64> {
    if tempo == 0 {
        return None;
    }
    let scheduled = last_epoch_block.saturating_add(u64::from(tempo));
    Some(if pending_epoch_at > 0 {
        scheduled.min(pending_epoch_at)
    } else {
        scheduled
    })
}

/// Epochs per year when an epoch runs every `spacing_blocks` blocks: `365 · 7200 / spacing`.
pub fn epochs_per_year(spacing_blocks: u64) -> f64 {
    365.0 * BLOCKS_PER_DAY / spacing_blocks as f64
}

/// An epoch's yield compounded over a year of epochs `spacing_blocks` apart:
/// `(1 + y)^(365 · 7200 / spacing) − 1`.
pub fn annualise(epoch_yield: f64, spacing_blocks: u64) -> f64 {
    (1.0 + epoch_yield).powf(epochs_per_year(spacing_blocks)) - 1.0
}

/// A share count as the chain stores it (`share_pool::SafeFloat`): `mantissa × 10^exponent`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ShareCount {
    /// Significant digits.
    pub mantissa: u128,
    /// Power of ten.
    pub exponent: i64,
}

impl ShareCount {
    /// The count as a float (`mantissa × 10^exponent`).
    pub fn as_f64(&self) -> f64 {
        self.mantissa as f64 * 10f64.powi(self.exponent.clamp(-400, 400) as i32)
    }
}

/// The α a holder of `share` owns of a hotkey's `total_alpha`, given the pool's `denominator`
/// (`TotalHotkeyAlpha × AlphaV2 / TotalHotkeySharesV2`, rounded down as the chain does). 0 when
/// the pool has no shares.
pub fn share_value(total_alpha: u64, share: ShareCount, denominator: ShareCount) -> u64 {
    if denominator.mantissa == 0 || share.mantissa == 0 {
        return 0;
    }
    let ratio = share.mantissa as f64 / denominator.mantissa as f64
        * 10f64.powi((share.exponent - denominator.exponent).clamp(-400, 400) as i32);
    (total_alpha as f64 * ratio.min(1.0)).floor() as u64
}

/// The rate of a portfolio: each position's rate weighted by its value. Positions without a rate
/// (no epoch yet) are left out of both sums; `None` when none has one.
pub fn weighted_rate(positions: impl IntoIterator<Item = (f64, Option<f64>)>) -> Option<f64> {
    let (mut weighted, mut total) = (0.0, 0.0);
    for (value, rate) in positions {
        if let Some(rate) = rate
            && value > 0.0
        {
            weighted += value * rate;
            total += value;
        }
    }
    (total > 0.0).then(|| weighted / total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yield_divides_by_the_stake_that_earned_the_dividends() {
        // 1 000 α earned on 99 000 α, the total recorded after paying: 1 000 / 99 000.
        let y = last_epoch_yield(1_000, 100_000).unwrap();
        assert!((y - 1_000.0 / 99_000.0).abs() < 1e-15);
        assert_eq!(last_epoch_yield(0, 0), None, "no epoch yet");
        assert_eq!(last_epoch_yield(5, 5), None, "nothing earned it");
        assert_eq!(
            last_epoch_yield(6, 5),
            None,
            "inconsistent: no figure rather than a negative one"
        );
        assert_eq!(last_epoch_yield(0, 10), Some(0.0));
    }

    #[test]
    fn annualising_compounds_once_per_epoch() {
        // Finney's tempo 360 at spec 475: an epoch every 360 blocks, 7 300 a year.
        assert!((epochs_per_year(360) - 7_300.0).abs() < 1e-9);
        let apy = annualise(0.0001, 360);
        assert!((apy - (1.0001f64.powf(7_300.0) - 1.0)).abs() < 1e-12);
        assert!(apy > 0.0001 * epochs_per_year(360), "compounding beats simple interest");
        assert_eq!(annualise(0.0, 10), 0.0);
    }

    #[test]
    fn the_next_epoch_is_the_scheduled_one_or_an_earlier_triggered_one() {
        // Finney's SN92 at block 9,240,388: LastEpochBlock 9,240,135, Tempo 360, none pending.
        assert_eq!(next_epoch_start(9_240_135, 360, 0), Some(9_240_495));
        assert_eq!(
            next_epoch_start(1_000, 360, 1_100),
            Some(1_100),
            "an owner's trigger comes first"
        );
        assert_eq!(
            next_epoch_start(1_000, 360, 2_000),
            Some(1_360),
            "a later trigger changes nothing"
        );
        assert_eq!(next_epoch_start(1_000, 0, 0), None, "tempo 0 runs no epoch");
    }

    #[test]
    fn shares_are_valued_with_their_exponents() {
        let total = 1_000_000;
        // A quarter of the pool: 2.5e20 × 10^-20 = 2.5 shares of 1e21 × 10^-20 = 10.
        let share = ShareCount {
            mantissa: 250_000_000_000_000_000_000,
            exponent: -20,
        };
        let pool = ShareCount {
            mantissa: 1_000_000_000_000_000_000_000,
            exponent: -20,
        };
        assert_eq!(share_value(total, share, pool), 250_000);
        // The same quarter with the pool written at another exponent.
        let pool = ShareCount {
            mantissa: 100_000_000_000_000_000_000,
            exponent: -19,
        };
        assert_eq!(share_value(total, share, pool), 250_000);
        assert_eq!(share_value(total, share, ShareCount::default()), 0);
    }

    #[test]
    fn a_portfolio_rate_weights_by_value_and_skips_unknown_rates() {
        let rate = weighted_rate([(300.0, Some(0.10)), (100.0, Some(0.30)), (500.0, None)]).unwrap();
        assert!((rate - 0.15).abs() < 1e-12);
        assert_eq!(weighted_rate([(10.0, None)]), None);
    }
}
