//! View state kept in the URL's query string (filters, search, page; sorts are parsed by each
//! table's columns in `table`), so every view is a shareable link. Parsing is pure: a parameter that does not parse falls back to its default and yields a
//! notice naming it, which the page shows.

use std::cell::RefCell;
use std::str::FromStr;

/// Parameters the app itself reads on every page: the chain (`?chain=finney`) and a trusted RPC
/// node for this visit (`?rpc=wss://…`).
pub const APP_PARAMS: &[&str] = &["chain", "rpc"];

/// A query map's parameters as pairs, for [`read_all`].
pub fn pairs(query: &leptos_router::params::ParamsMap) -> Vec<(String, String)> {
    query
        .into_iter()
        .map(|(key, value)| (key.to_string(), value.to_string()))
        .collect()
}

/// Runs a page's parser over the query's `pairs` (later values win) and adds a notice for each
/// parameter that neither the parser asked for, nor `also` (read elsewhere on the page), nor the
/// app reads: nothing in a link is silently dropped.
pub fn read_all<T>(
    pairs: &[(String, String)],
    also: &[&str],
    parse: impl FnOnce(&dyn Fn(&str) -> Option<String>) -> (T, Vec<String>),
) -> (T, Vec<String>) {
    let asked = RefCell::new(Vec::<String>::new());
    let get = |name: &str| {
        asked.borrow_mut().push(name.to_string());
        pairs
            .iter()
            .rev()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
    };
    let (value, mut notices) = parse(&get);
    let asked = asked.into_inner();
    let mut named: Vec<&str> = Vec::new();
    for (key, raw) in pairs {
        let known =
            asked.iter().any(|a| a == key) || also.contains(&key.as_str()) || APP_PARAMS.contains(&key.as_str());
        if !known && !named.contains(&key.as_str()) {
            named.push(key);
            notices.push(format!(
                "Ignored {}={}: this page has no such parameter.",
                quoted(key),
                quoted(raw)
            ));
        }
    }
    (value, notices)
}

/// Characters of an ignored value a notice repeats; the rest is counted, not shown.
const QUOTED_CHARS: usize = 40;

/// An ignored parameter's value as a notice quotes it: escaped (`"\0"`, never raw control
/// characters) and cut to its first 40 characters, with the length of a longer one.
pub fn quoted(text: &str) -> String {
    let count = text.chars().count();
    if count <= QUOTED_CHARS {
        return format!("{text:?}");
    }
    let head: String = text.chars().take(QUOTED_CHARS).collect();
    format!("{head:?}… ({count} characters)")
}

/// Reads a parameter as `T`; missing or empty gives `default`, unparsable gives `default` plus a
/// notice pushed onto `notices`.
pub fn param<T: FromStr>(raw: Option<&str>, name: &str, default: T, notices: &mut Vec<String>) -> T {
    match raw.map(str::trim) {
        None | Some("") => default,
        Some(text) => text.parse().unwrap_or_else(|_| {
            notices.push(format!("Ignored {name}={}: not a valid value.", quoted(text)));
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

/// The fewest validators a comparison holds.
pub(crate) const MIN_COMPARED: usize = 2;
/// The most validators a comparison holds (more would not fit side by side on a phone).
pub(crate) const MAX_COMPARED: usize = 4;

/// The link that shows `hotkeys` side by side: the canonical form of a comparison's URL.
pub(crate) fn compare_path(hotkeys: &[String]) -> String {
    let list: Vec<String> = hotkeys.iter().map(|h| encode(h)).collect();
    format!("/compare?v={}", list.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_no_one_reads_are_named_once() {
        let pairs: Vec<(String, String)> = [
            ("page", "2"),
            ("bogus", "1"),
            ("chain", "devnet"),
            ("bogus", "2"),
            ("tab", "x"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let (page, notices) = read_all(&pairs, &["tab"], |get| {
            let mut notices = Vec::new();
            (param::<u32>(get("page").as_deref(), "page", 1, &mut notices), notices)
        });
        assert_eq!(page, 2);
        assert_eq!(notices, ["Ignored \"bogus\"=\"1\": this page has no such parameter."]);
    }

    #[test]
    fn ignored_values_are_quoted_escaped_and_cut() {
        assert_eq!(quoted("-4"), "\"-4\"");
        assert_eq!(quoted("a\0b"), "\"a\\0b\"");
        let long = "x".repeat(10_000);
        assert_eq!(quoted(&long), format!("\"{}\"… (10000 characters)", "x".repeat(40)));
        let mut notices = Vec::new();
        assert_eq!(
            param::<u64>(Some("18446744073709551616"), "page", 1, &mut notices),
            1,
            "2^64 does not fit"
        );
        assert_eq!(param::<u64>(Some(&long), "page", 1, &mut notices), 1);
        assert!(notices[1].len() < 120, "{}", notices[1]);
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
