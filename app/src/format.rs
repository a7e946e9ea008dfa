//! Numbers as people read them: TAO and α with sensible precision, percentages, block ages,
//! shortened hashes and addresses. Pure functions, unit-tested natively.

use light_client::units;

/// Thousands separators for an integer part.
fn group(digits: &str) -> String {
    light_client::units::group_digits(digits)
}

/// A decimal number with `decimals` places and thousands separators.
pub fn number(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return "—".to_string();
    }
    let text = format!("{:.*}", decimals, value.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let sign = if value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "-"
    } else {
        ""
    };
    if frac.is_empty() {
        format!("{sign}{}", group(int))
    } else {
        format!("{sign}{}.{frac}", group(int))
    }
}

/// Rao as TAO with a precision that suits the magnitude (`1,234.57 τ`, `0.004100 τ`).
pub fn tao(rao: u64) -> String {
    format!("{} τ", amount(units::tao_from_rao(rao)))
}

/// Alpha units as α with the same precision rules.
pub fn alpha(units_9dp: u64) -> String {
    format!("{} α", amount(units::tao_from_rao(units_9dp)))
}

/// An amount in whole tokens with magnitude-dependent precision (trailing zeros of small amounts
/// dropped: `0.5`, not `0.500000`).
pub fn amount(value: f64) -> String {
    match value.abs() {
        v if v >= 1_000.0 => number(value, 0),
        v if v >= 1.0 => number(value, 2),
        0.0 => number(value, 0),
        _ => number(value, 6).trim_end_matches('0').to_string(),
    }
}

/// A price in TAO per α, or "unavailable" when the chain gave none (the page says why).
pub fn price(tao_per_alpha: Option<f64>) -> String {
    match tao_per_alpha {
        Some(value) => format!("{} τ", amount(value)),
        None => "unavailable".to_string(),
    }
}

/// A quantity of data in decimal units: `850 B`, `12.4 kB`, `3.21 MB`.
pub fn data_size(bytes: u64) -> String {
    let value = bytes as f64;
    match bytes {
        0..1_000 => format!("{bytes} B"),
        1_000..1_000_000 => format!("{} kB", number(value / 1e3, 1)),
        _ => format!("{} MB", number(value / 1e6, 2)),
    }
}

/// "1 peer", "3 peers".
pub fn peers(count: u32) -> String {
    if count == 1 {
        "1 peer".to_string()
    } else {
        format!("{count} peers")
    }
}

/// A 0–1 fraction as a percentage (`12.34 %`).
pub fn percent(fraction: f64) -> String {
    format!("{} %", number(fraction * 100.0, 2))
}

/// An annual rate (`apy`, a fraction) as a percentage; "—" when unknown, and capped in words
/// above 10,000 % (short tempos compound absurdly; the digits would mean nothing).
pub fn rate(apy: Option<f64>) -> String {
    match apy {
        Some(value) if value.is_finite() && value <= 100.0 => percent(value),
        Some(value) if value > 100.0 => "> 10,000 %".to_string(),
        _ => "—".to_string(),
    }
}

/// A long hex hash or SS58 address shortened to its ends (`0x1234…cdef`).
pub fn short(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= 14 {
        return text.to_string();
    }
    let head: String = chars[..6].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}…{tail}")
}

/// Seconds since something happened, as "just now", "12 s ago", "3 min ago".
pub fn age(seconds: u64) -> String {
    match seconds {
        0..=1 => "just now".to_string(),
        2..=59 => format!("{seconds} s ago"),
        60..=3_599 => format!("{} min ago", seconds / 60),
        _ => format!("{} h ago", seconds / 3_600),
    }
}

/// A span of time, coarsely: `40 s`, `12 min`, `5.5 h`, `3.2 days`.
pub fn duration(seconds: f64) -> String {
    let seconds = seconds.max(0.0);
    if seconds < 60.0 {
        format!("{} s", seconds.round())
    } else if seconds < 3_600.0 {
        format!("{} min", (seconds / 60.0).round())
    } else if seconds < 86_400.0 {
        format!("{:.1} h", seconds / 3_600.0)
    } else {
        format!("{:.1} days", seconds / 86_400.0)
    }
}

/// A block number with separators (`#1,234,567`).
pub fn block(number: u64) -> String {
    format!("#{}", group(&number.to_string()))
}

/// A count of blocks (`1,234 blocks`).
pub fn blocks(count: u64) -> String {
    if count == 1 {
        "1 block".to_string()
    } else {
        format!("{} blocks", group(&count.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_in_the_largest_fitting_unit() {
        assert_eq!(duration(40.4), "40 s");
        assert_eq!(duration(719.0), "12 min");
        assert_eq!(duration(19_800.0), "5.5 h");
        assert_eq!(duration(276_480.0), "3.2 days");
        assert_eq!(duration(-3.0), "0 s");
    }

    #[test]
    fn amounts_use_magnitude_dependent_precision() {
        assert_eq!(tao(1_234_567_000_000), "1,235 τ");
        assert_eq!(tao(12_345_000_000), "12.35 τ");
        assert_eq!(tao(4_100_000), "0.0041 τ");
        assert_eq!(tao(500_000_000), "0.5 τ");
        assert_eq!(tao(0), "0 τ");
        assert_eq!(alpha(2_500_000_000), "2.50 α");
        assert_eq!(number(-1234.5, 1), "-1,234.5");
        assert_eq!(number(f64::NAN, 2), "—");
    }

    #[test]
    fn percentages_proportions_and_blocks() {
        assert_eq!(percent(0.123_456), "12.35 %");
        assert_eq!(rate(Some(0.1)), "10.00 %");
        assert_eq!(rate(Some(f64::INFINITY)), "> 10,000 %");
        assert_eq!(rate(Some(250.0)), "> 10,000 %");
        assert_eq!(rate(None), "—");
        assert_eq!(rate(Some(f64::NAN)), "—");
        assert_eq!(peers(1), "1 peer");
        assert_eq!(peers(0), "0 peers");
        assert_eq!(block(1_234_567), "#1,234,567");
        assert_eq!(blocks(1), "1 block");
        assert_eq!(blocks(12_345), "12,345 blocks");
    }

    #[test]
    fn shortening_and_ages() {
        assert_eq!(short("0x1234567890abcdef"), "0x1234…cdef");
        assert_eq!(short("5Grwva"), "5Grwva");
        assert_eq!(age(0), "just now");
        assert_eq!(age(42), "42 s ago");
        assert_eq!(age(125), "2 min ago");
    }

    #[test]
    fn data_sizes_use_decimal_units() {
        assert_eq!(data_size(850), "850 B");
        assert_eq!(data_size(12_400), "12.4 kB");
        assert_eq!(data_size(3_214_000), "3.21 MB");
        assert_eq!(data_size(1_234_567_890), "1,234.57 MB");
    }
}
