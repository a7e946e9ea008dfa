//! On-chain URLs are user-controlled: only plain http(s) URLs become links; anything else
//! (`javascript:`, `data:`, relative paths, text with spaces or control characters) stays text.

/// The URL to link to, if `text` is a safe absolute http(s) URL.
pub fn safe_http_url(text: &str) -> Option<String> {
    let url = text.trim();
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let valid = !host.is_empty()
        && !host.contains('@')
        && url.chars().all(|c| c.is_ascii_graphic())
        && !url.contains(['<', '>', '"', '\'', '`', '\\']);
    valid.then(|| url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_http_urls_are_links() {
        assert_eq!(
            safe_http_url("https://example.org/x?y=1").as_deref(),
            Some("https://example.org/x?y=1")
        );
        assert_eq!(
            safe_http_url("  HTTP://Example.org ").as_deref(),
            Some("HTTP://Example.org")
        );
        for hostile in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "//evil.example",
            "/relative",
            "https://",
            "https://user@evil.example",
            "https://ex ample.org",
            "https://example.org/\"onmouseover=alert(1)",
            "https://example.org/\u{0}",
            "vbscript:msgbox",
        ] {
            assert_eq!(safe_http_url(hostile), None, "{hostile}");
        }
    }
}
