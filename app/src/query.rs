//! View state kept in the URL's query string (sort, filters, search), so every view is a shareable
//! link. Parsing is pure: a parameter that does not parse falls back to its default and yields a
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

/// A sort order: a column key and a direction, written `key` (ascending) or `-key` (descending).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    /// The column, one of the page's keys.
    pub key: &'static str,
    /// Largest first.
    pub descending: bool,
}

impl Sort {
    /// Parses `raw` against the page's column `keys`; anything else falls back to `default`.
    pub fn parse(raw: Option<&str>, keys: &[&'static str], default: Sort, notices: &mut Vec<String>) -> Sort {
        let Some(text) = raw.map(str::trim).filter(|t| !t.is_empty()) else {
            return default;
        };
        let (descending, name) = match text.strip_prefix('-') {
            Some(name) => (true, name),
            None => (false, text),
        };
        match keys.iter().find(|key| **key == name) {
            Some(key) => Sort { key, descending },
            None => {
                notices.push(format!(
                    "Ignored sort={text:?}: sortable columns are {}.",
                    keys.join(", ")
                ));
                default
            }
        }
    }

    /// The query-string value (`-stake`).
    pub fn to_param(self) -> String {
        if self.descending {
            format!("-{}", self.key)
        } else {
            self.key.to_string()
        }
    }

    /// The order after clicking `key`'s header: flip the direction on the same column, otherwise
    /// sort the new column largest first (what people usually want from a figures table).
    pub fn toggled(self, key: &'static str) -> Sort {
        if self.key == key {
            Sort {
                key,
                descending: !self.descending,
            }
        } else {
            Sort { key, descending: true }
        }
    }

    /// `aria-sort` for a column header.
    pub fn aria(self, key: &str) -> &'static str {
        match (self.key == key, self.descending) {
            (false, _) => "none",
            (true, true) => "descending",
            (true, false) => "ascending",
        }
    }
}

/// Sorts `rows` by the float `value` of each row under `sort` (NaN last), stable for equal values.
pub fn sort_by<T>(rows: &mut [T], sort: Sort, value: impl Fn(&T, &str) -> f64) {
    rows.sort_by(|a, b| {
        let (x, y) = (value(a, sort.key), value(b, sort.key));
        match (x.is_nan(), y.is_nan()) {
            (true, true) => std::cmp::Ordering::Equal,
            (true, false) => std::cmp::Ordering::Greater,
            (false, true) => std::cmp::Ordering::Less,
            (false, false) if sort.descending => y.total_cmp(&x),
            (false, false) => x.total_cmp(&y),
        }
    });
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

    const KEYS: &[&str] = &["stake", "take"];
    const DEFAULT: Sort = Sort {
        key: "stake",
        descending: true,
    };

    #[test]
    fn sorts_parse_and_bad_ones_fall_back_with_a_notice() {
        let mut notices = Vec::new();
        assert_eq!(
            Sort::parse(Some("take"), KEYS, DEFAULT, &mut notices),
            Sort {
                key: "take",
                descending: false
            }
        );
        assert_eq!(
            Sort::parse(Some("-take"), KEYS, DEFAULT, &mut notices).to_param(),
            "-take"
        );
        assert_eq!(Sort::parse(None, KEYS, DEFAULT, &mut notices), DEFAULT);
        assert!(notices.is_empty());
        assert_eq!(Sort::parse(Some("<script>"), KEYS, DEFAULT, &mut notices), DEFAULT);
        assert_eq!(notices.len(), 1);
        assert!(notices[0].contains("stake, take"), "{}", notices[0]);
    }

    #[test]
    fn toggling_and_aria() {
        let sort = DEFAULT.toggled("stake");
        assert!(!sort.descending);
        assert_eq!(sort.aria("stake"), "ascending");
        assert_eq!(
            sort.toggled("take"),
            Sort {
                key: "take",
                descending: true
            }
        );
        assert_eq!(DEFAULT.aria("take"), "none");
    }

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
    fn sorting_puts_nan_last_and_search_ignores_case() {
        let mut rows = vec![2.0, f64::NAN, 3.0, 1.0];
        sort_by(&mut rows, DEFAULT, |v, _| *v);
        assert_eq!(&rows[..3], &[3.0, 2.0, 1.0]);
        assert!(rows[3].is_nan());
        sort_by(&mut rows, DEFAULT.toggled("stake"), |v, _| *v);
        assert_eq!(&rows[..3], &[1.0, 2.0, 3.0]);
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
