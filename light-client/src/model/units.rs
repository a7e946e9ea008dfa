//! Conversions from subtensor's on-chain integer encodings to the numbers people read.
//!
//! Facts behind each one: `../shared/chain/SUBTENSOR-FACTS.md` §0 (rao, u16 proportions,
//! substrate-fixed types).

/// Rao per TAO (and alpha units per α): both have 9 decimals.
pub const RAO_PER_TAO: u64 = 1_000_000_000;

/// `digits` (a run of decimal digits) with a comma every three from the right: `1234567` →
/// `1,234,567`.
pub fn group_digits(digits: &str) -> String {
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A u16 "proportion" (incentive, dividends, validator trust, take…) as a fraction in 0..=1.
pub fn proportion_from_u16(value: u16) -> f64 {
    f64::from(value) / f64::from(u16::MAX)
}

/// Rao (or alpha units) as TAO (or α).
pub fn tao_from_rao(rao: u64) -> f64 {
    rao as f64 / RAO_PER_TAO as f64
}

/// A `substrate_fixed` I96F32 (`{ bits: i128 }`, 32 fractional bits) as a float.
pub fn f64_from_i96f32(bits: i128) -> f64 {
    bits as f64 / 4_294_967_296.0
}

/// A `substrate_fixed` U64F64 (`{ bits: u128 }`, 64 fractional bits) as a float.
pub fn f64_from_u64f64(bits: u128) -> f64 {
    bits as f64 / 18_446_744_073_709_551_616.0
}

/// A u64 normalised by `u64::MAX` (for example `TaoWeight`) as a fraction in 0..=1.
pub fn fraction_from_u64_normalised(value: u64) -> f64 {
    value as f64 / u64::MAX as f64
}

/// `Perquintill`'s one: balancer weights count parts of 10^18.
pub const PERQUINTILL_ONE: u64 = 1_000_000_000_000_000_000;

/// A balancer weight (`Perquintill`, parts of 10^18) as a fraction in 0..=1.
pub fn fraction_from_perquintill(parts: u64) -> f64 {
    parts as f64 / PERQUINTILL_ONE as f64
}

/// Spot price of a subnet's α in TAO, as finney's swap pallet computes it (`current_price`): 1
/// unless the subnet runs the dynamic mechanism (1); 0 while its pool holds no α; otherwise the
/// weighted pool's `(1 − q)/q · TAO/α`, where `q` is the TAO side's balancer weight
/// (`Swap.SwapBalancer[netuid].quote`, 0.5 by default, when the price is the plain reserve ratio).
pub fn pool_price(mechanism: u16, quote_parts: u64, tao_in_rao: u64, alpha_in: u64) -> f64 {
    if mechanism != 1 {
        1.0
    } else if alpha_in == 0 || quote_parts == 0 {
        0.0
    } else {
        let quote = fraction_from_perquintill(quote_parts);
        (1.0 - quote) / quote * (tao_in_rao as f64 / alpha_in as f64)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn digits_are_grouped_in_threes_from_the_right() {
        assert_eq!(super::group_digits("1234567"), "1,234,567");
        assert_eq!(super::group_digits("123"), "123");
        assert_eq!(super::group_digits(""), "");
    }

    use super::*;

    fn check(actual: f64, expected: f64) {
        assert!((actual - expected).abs() < 1e-12, "{actual} != {expected}");
    }

    #[test]
    fn proportions() {
        check(proportion_from_u16(0), 0.0);
        check(proportion_from_u16(u16::MAX), 1.0);
        // The default delegate take, 11 796 / 65 535, is the 18 % everyone quotes.
        check((proportion_from_u16(11_796) * 100.0).round(), 18.0);
    }

    #[test]
    fn balances() {
        check(tao_from_rao(500_000_000), 0.5);
        check(tao_from_rao(21_000_000 * RAO_PER_TAO), 21_000_000.0);
    }

    #[test]
    fn pool_prices_follow_the_balancer_weights() {
        let half = PERQUINTILL_ONE / 2;
        check(pool_price(0, half, 5, 7), 1.0);
        check(pool_price(1, half, 30 * RAO_PER_TAO, 120 * RAO_PER_TAO), 0.25);
        // q = 0.2: (0.8 / 0.2) · 30/120 = 1, four times the plain ratio.
        check(
            pool_price(1, PERQUINTILL_ONE / 5, 30 * RAO_PER_TAO, 120 * RAO_PER_TAO),
            1.0,
        );
        check(pool_price(1, half, 30, 0), 0.0);
    }

    #[test]
    fn fixed_point() {
        check(f64_from_i96f32(1 << 32), 1.0);
        check(f64_from_i96f32(-(3 << 31)), -1.5);
        check(f64_from_u64f64(1 << 63), 0.5);
        // TaoWeight's runtime default (runtime/src/lib.rs:1031) is ≈ 0.0527.
        let tao_weight = fraction_from_u64_normalised(971_718_665_099_567_868);
        assert!((tao_weight - 0.0527).abs() < 1e-4, "{tao_weight}");
    }
}
