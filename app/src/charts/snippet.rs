//! The iframe snippet the "Embed" dialog offers: the embed URL with the chosen options and an
//! `<iframe>` with a title and a size that fits the chart. Pure and tested.

/// Options chosen in the dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnippetOptions {
    /// `light`, `dark` or `auto`.
    pub theme: String,
    /// Chart width and height in pixels.
    pub size: (u32, u32),
    /// Bars before "Rest" (charts that have it).
    pub top: Option<usize>,
    /// Accent colour as 6 hex digits, or empty for the theme's.
    pub accent: String,
    /// The host page's origin, for height messages (optional).
    pub origin: String,
}

/// Pixels an embed adds around its chart: padding, caption and provenance line.
pub const FRAME_EXTRA_HEIGHT: u32 = 110;

use crate::query::encode;

fn attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The embed URL for `path` (e.g. `/embed/subnets/emissions`) on `site` (e.g. `https://taoscope.example`).
pub fn embed_url(site: &str, path: &str, options: &SnippetOptions) -> String {
    let mut params = vec![
        format!("theme={}", encode(&options.theme)),
        format!("size={}x{}", options.size.0, options.size.1),
    ];
    if let Some(top) = options.top {
        params.push(format!("top={top}"));
    }
    if !options.accent.trim().is_empty() {
        params.push(format!(
            "accent={}",
            encode(options.accent.trim().trim_start_matches('#'))
        ));
    }
    if !options.origin.trim().is_empty() {
        params.push(format!("origin={}", encode(options.origin.trim())));
    }
    format!("{site}{path}?{}", params.join("&"))
}

/// The `<iframe>` to paste: taller than the chart by its caption and the provenance line.
pub fn iframe_snippet(site: &str, path: &str, title: &str, options: &SnippetOptions) -> String {
    format!(
        "<iframe src=\"{}\" title=\"{}\" width=\"{}\" height=\"{}\" style=\"border:0;max-width:100%\" loading=\"lazy\"></iframe>",
        attribute(&embed_url(site, path, options)),
        attribute(title),
        options.size.0 + 16,
        options.size.1 + FRAME_EXTRA_HEIGHT,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> SnippetOptions {
        SnippetOptions {
            theme: "dark".into(),
            size: (480, 240),
            top: Some(8),
            accent: "#0f766e".into(),
            origin: "https://blog.example".into(),
        }
    }

    #[test]
    fn urls_carry_the_options() {
        assert_eq!(
            embed_url("https://t.example", "/embed/subnets/emissions", &options()),
            "https://t.example/embed/subnets/emissions?theme=dark&size=480x240&top=8&accent=0f766e&origin=https%3A%2F%2Fblog.example"
        );
        let plain = SnippetOptions {
            top: None,
            accent: String::new(),
            origin: String::new(),
            ..options()
        };
        assert_eq!(
            embed_url("", "/embed/card/subnet/1", &plain),
            "/embed/card/subnet/1?theme=dark&size=480x240"
        );
    }

    #[test]
    fn the_snippet_is_sized_titled_and_escaped() {
        let snippet = iframe_snippet(
            "https://t.example",
            "/embed/subnets/emissions",
            "Emission \"share\" <b>",
            &options(),
        );
        assert!(
            snippet.starts_with("<iframe src=\"https://t.example/embed/subnets/emissions?theme=dark&amp;size=480x240")
        );
        assert!(
            snippet.contains("title=\"Emission &quot;share&quot; &lt;b&gt;\""),
            "{snippet}"
        );
        assert!(snippet.contains("width=\"496\" height=\"350\""), "{snippet}");
    }
}
