//! View state kept in the URL's query string (filters, search, page; sorts are parsed by each
//! table's columns in `table`), so every view is a shareable link. Parsing is pure: a parameter that does not parse falls back to its default and yields a
//! notice naming it, which the page shows.

use std::str::FromStr;

/// Reads a parameter as `T`; missing or empty gives `default`, unparsable gives `default` plus a
/// notice pushed onto `notices`.
pub fn param<T: FromStr>(raw: Option<&str>, name: &str, default: T, notices: &mut Vec<String>) -> T {
    match raw.map(str::trim) {
        None | Some("") => default,
        Some(text) => text.parse().unwrap_or_else(|_| {
            notices.push(format!("Ignored {name}={text:?}: not a valid value."));
            default
        }),
    }
}

/// A finite number within `min..=max`, or `default` with a notice.
pub fn number_param(
    raw: Option<&str>,
    name: &str,
    (min, max): (f64, f64),
    default: Option<f64>,
    notices: &mut Vec<String>,
) -> Option<f64> {
    let value = param::<f64>(raw, name, f64::NAN, notices);
    if value.is_nan() {
        return default;
    }
    if !value.is_finite() || value < min || value > max {
        notices.push(format!("Ignored {name}={value}: expected {min} to {max}."));
        return default;
    }
    Some(value)
}

/// Case-insensitive match of a search box against any of `fields`.
pub fn matches_search(search: &str, fields: &[&str]) -> bool {
    let needle = search.trim().to_lowercase();
    needle.is_empty() || fields.iter().any(|field| field.to_lowercase().contains(&needle))
}

/// Builds a query string (`?a=1&b=x`) from the parameters that differ from their defaults,
/// percent-encoding the values.
pub fn query_string(params: &[(&str, Option<String>)]) -> String {
    let parts: Vec<String> = params
        .iter()
        .filter_map(|(name, value)| value.as_ref().map(|v| format!("{name}={}", encode(v))))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

/// Percent-encodes a query-string value (everything but RFC 3986 unreserved characters).
pub fn encode(value: &str) -> String {
    let mut out = String::new();
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_range_checked() {
        let mut notices = Vec::new();
        assert_eq!(
            number_param(Some("0.5"), "min_vtrust", (0.0, 1.0), None, &mut notices),
            Some(0.5)
        );
        assert_eq!(
            number_param(Some(""), "min_vtrust", (0.0, 1.0), None, &mut notices),
            None
        );
        assert!(notices.is_empty());
        assert_eq!(
            number_param(Some("7"), "min_vtrust", (0.0, 1.0), None, &mut notices),
            None
        );
        assert_eq!(
            number_param(Some("abc"), "max_take", (0.0, 100.0), Some(100.0), &mut notices),
            Some(100.0)
        );
        assert_eq!(
            number_param(Some("inf"), "max_take", (0.0, 100.0), None, &mut notices),
            None
        );
        assert_eq!(notices.len(), 3, "{notices:?}");
        assert_eq!(param::<u16>(Some("70000"), "subnet", 0, &mut notices), 0);
        assert_eq!(notices.len(), 4);
    }

    #[test]
    fn search_ignores_case() {
        assert!(matches_search(" APEX ", &["apex subnet", "5F…"]));
        assert!(!matches_search("zzz", &["apex"]));
        assert!(matches_search("", &[]));
    }

    #[test]
    fn query_strings_encode_values() {
        assert_eq!(
            query_string(&[("sort", Some("-take".into())), ("q", None)]),
            "?sort=-take"
        );
        assert_eq!(query_string(&[("q", Some("a b&c".into()))]), "?q=a%20b%26c");
        assert_eq!(query_string(&[("q", None)]), "");
    }
}
