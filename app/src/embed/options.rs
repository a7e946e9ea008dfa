//! What an embed URL asks for, validated: the widget (from the path) and its options (theme, size,
//! top N, metric, accent colour, chain, and the host origin allowed to talk to it). Pure; every
//! refusal is a sentence the frame shows instead of a blank frame.

use crate::theme::ThemeChoice;

/// The embeddable widgets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Widget {
    /// `/embed/subnets/emissions`: emission by subnet.
    Emissions,
    /// `/embed/subnets/:netuid/incentive`: a metagraph's per-uid distribution.
    Incentive(u16),
    /// `/embed/subnets/:netuid/vtrust`: validator trust per validator.
    ValidatorTrust(u16),
    /// `/embed/subnets/price-emission`: each subnet's price against its emission share.
    PriceVsEmission,
    /// `/embed/subnets/:netuid/stake-dividends`: validators' stake against dividends.
    StakeVsDividends(u16),
    /// `/embed/subnets/:netuid/emission-split`: the last epoch's emission, validators and miners.
    EmissionSplit(u16),
    /// `/embed/validators/:hotkey`: one validator's card.
    Validator(String),
    /// `/embed/card/subnet/:netuid`: one subnet's stats card.
    SubnetCard(u16),
}

/// Every widget's path, as the unknown-embed message and the README list them: `N` is a subnet
/// id, `HOTKEY` a validator's SS58 address.
pub const WIDGET_PATHS: [&str; 8] = [
    "/embed/subnets/emissions",
    "/embed/subnets/N/incentive",
    "/embed/subnets/N/vtrust",
    "/embed/subnets/price-emission",
    "/embed/subnets/N/stake-dividends",
    "/embed/subnets/N/emission-split",
    "/embed/validators/HOTKEY",
    "/embed/card/subnet/N",
];

impl Widget {
    /// The widget's path: its `WIDGET_PATHS` entry with the subnet id or hotkey filled in.
    pub fn path(&self) -> String {
        let (pattern, netuid, hotkey) = match self {
            Widget::Emissions => (WIDGET_PATHS[0], None, None),
            Widget::Incentive(netuid) => (WIDGET_PATHS[1], Some(netuid), None),
            Widget::ValidatorTrust(netuid) => (WIDGET_PATHS[2], Some(netuid), None),
            Widget::PriceVsEmission => (WIDGET_PATHS[3], None, None),
            Widget::StakeVsDividends(netuid) => (WIDGET_PATHS[4], Some(netuid), None),
            Widget::EmissionSplit(netuid) => (WIDGET_PATHS[5], Some(netuid), None),
            Widget::Validator(hotkey) => (WIDGET_PATHS[6], None, Some(hotkey)),
            Widget::SubnetCard(netuid) => (WIDGET_PATHS[7], Some(netuid), None),
        };
        match (netuid, hotkey) {
            (Some(netuid), _) => pattern.replace("/N", &format!("/{netuid}")),
            (_, Some(hotkey)) => pattern.replace("HOTKEY", hotkey),
            _ => pattern.to_string(),
        }
    }
}

/// Per-widget figure to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// Emission share (emissions) .
    Share,
    /// TAO per block (emissions).
    Tao,
    /// Incentive per uid.
    Incentive,
    /// Dividends per uid.
    Dividends,
    /// Consensus per uid.
    Consensus,
    /// The widget's only figure.
    Default,
}

/// Validated options.
#[derive(Debug, Clone, PartialEq)]
pub struct EmbedOptions {
    /// Light, dark or the system's.
    pub theme: ThemeChoice,
    /// Chart size in pixels.
    pub size: (u32, u32),
    /// How many bars before "Rest".
    pub top: usize,
    /// What to plot.
    pub metric: Metric,
    /// Accent colour.
    pub accent: Option<(u8, u8, u8)>,
    /// The chain's id in the site's chain manifest (`None`: the manifest's default).
    pub chain: Option<String>,
    /// The host page's origin: heights are posted to it and theme messages accepted from it only.
    pub origin: Option<String>,
}

/// The widget a path names.
pub fn widget_from_path(path: &str) -> Result<Widget, String> {
    let parts: Vec<&str> = path
        .trim_end_matches('/')
        .split('/')
        .filter(|p| !p.is_empty())
        .collect();
    let netuid = |text: &str| {
        text.parse::<u16>()
            .map_err(|_| format!("\u{201c}{text}\u{201d} is not a subnet id (0–65535)."))
    };
    match parts.as_slice() {
        ["embed", "subnets", "emissions"] => Ok(Widget::Emissions),
        ["embed", "subnets", "price-emission"] => Ok(Widget::PriceVsEmission),
        ["embed", "subnets", n, "stake-dividends"] => Ok(Widget::StakeVsDividends(netuid(n)?)),
        ["embed", "subnets", n, "emission-split"] => Ok(Widget::EmissionSplit(netuid(n)?)),
        ["embed", "subnets", n, "incentive"] => Ok(Widget::Incentive(netuid(n)?)),
        ["embed", "subnets", n, "vtrust"] => Ok(Widget::ValidatorTrust(netuid(n)?)),
        ["embed", "validators", hotkey] if hotkey.len() <= 64 && hotkey.chars().all(|c| c.is_ascii_alphanumeric()) => {
            Ok(Widget::Validator(hotkey.to_string()))
        }
        ["embed", "card", "subnet", n] => Ok(Widget::SubnetCard(netuid(n)?)),
        _ => Err(format!("Unknown embed. Available: {}.", WIDGET_PATHS.join(", "))),
    }
}

fn parse_accent(text: &str) -> Option<(u8, u8, u8)> {
    let hex = text.trim().trim_start_matches('#');
    let digits: Vec<u8> = hex
        .chars()
        .map(|c| c.to_digit(16).map(|d| d as u8))
        .collect::<Option<_>>()?;
    match digits.as_slice() {
        [r, g, b] => Some((r * 17, g * 17, b * 17)),
        [r1, r2, g1, g2, b1, b2] => Some((r1 * 16 + r2, g1 * 16 + g2, b1 * 16 + b2)),
        _ => None,
    }
}

/// An origin as browsers write it: `http(s)://host[:port]`, nothing else.
pub fn parse_origin(text: &str) -> Option<String> {
    let (scheme, rest) = text.split_once("://")?;
    if !matches!(scheme, "http" | "https") || rest.is_empty() {
        return None;
    }
    let host_ok = rest
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    host_ok.then(|| format!("{scheme}://{rest}"))
}

fn parse_size(text: &str) -> Option<(u32, u32)> {
    let (w, h) = text.split_once(['x', 'X', '×'])?;
    let (w, h) = (w.trim().parse::<u32>().ok()?, h.trim().parse::<u32>().ok()?);
    ((200..=2000).contains(&w) && (120..=1200).contains(&h)).then_some((w, h))
}

/// Reads the options for `widget`; the first invalid one is reported.
pub fn parse_options(widget: &Widget, get: impl Fn(&str) -> Option<String>) -> Result<EmbedOptions, String> {
    let given = |name: &str| get(name).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    let theme = match given("theme") {
        None => ThemeChoice::System,
        Some(text) => ThemeChoice::parse(&text).ok_or(format!(
            "Unknown theme \u{201c}{text}\u{201d}: use light, dark or auto."
        ))?,
    };
    let size = match given("size") {
        None => (640, 300),
        Some(text) => parse_size(&text).ok_or(format!(
            "Invalid size \u{201c}{text}\u{201d}: use WIDTHxHEIGHT, 200–2000 by 120–1200."
        ))?,
    };
    let top = match given("top") {
        None => 10,
        Some(text) => text
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=64).contains(n))
            .ok_or(format!("Invalid top \u{201c}{text}\u{201d}: use 1–64."))?,
    };
    let allowed: &[(&str, Metric)] = match widget {
        Widget::Emissions => &[("share", Metric::Share), ("tao", Metric::Tao)],
        Widget::Incentive(_) => &[
            ("incentive", Metric::Incentive),
            ("dividends", Metric::Dividends),
            ("consensus", Metric::Consensus),
        ],
        _ => &[],
    };
    let metric = match given("metric") {
        None => allowed.first().map(|(_, m)| *m).unwrap_or(Metric::Default),
        Some(text) => match allowed.iter().find(|(name, _)| *name == text) {
            Some((_, metric)) => *metric,
            None if allowed.is_empty() => {
                return Err(format!("This embed has no metric option (got \u{201c}{text}\u{201d})."));
            }
            None => {
                let names: Vec<&str> = allowed.iter().map(|(n, _)| *n).collect();
                return Err(format!(
                    "Unknown metric \u{201c}{text}\u{201d}: use {}.",
                    names.join(", ")
                ));
            }
        },
    };
    let accent = match given("accent") {
        None => None,
        Some(text) => Some(parse_accent(&text).ok_or(format!(
            "Invalid accent \u{201c}{text}\u{201d}: use a hex colour such as 0f766e."
        ))?),
    };
    let chain = given("chain");
    if let Some(chain) = &chain
        && (chain.len() > 32
            || !chain
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_'))
    {
        return Err(format!("Unknown chain \u{201c}{chain}\u{201d}."));
    }
    let origin = match given("origin") {
        None => None,
        Some(text) => Some(parse_origin(&text).ok_or(format!(
            "Invalid origin \u{201c}{text}\u{201d}: use the host page's origin, such as https://example.org."
        ))?),
    };
    Ok(EmbedOptions {
        theme,
        size,
        top,
        metric,
        accent,
        chain,
        origin,
    })
}

/// The theme a host's `{ type: "taoscope:theme", theme }` message asks for, if the message is
/// well-formed; anything else is ignored.
pub fn theme_from_message(kind: Option<&str>, theme: Option<&str>) -> Option<ThemeChoice> {
    (kind == Some("taoscope:theme")).then_some(())?;
    ThemeChoice::parse(theme?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(widget: &Widget, pairs: &[(&str, &str)]) -> Result<EmbedOptions, String> {
        parse_options(widget, |name| {
            pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn paths_name_widgets() {
        assert_eq!(widget_from_path("/embed/subnets/emissions"), Ok(Widget::Emissions));
        assert_eq!(
            widget_from_path("/embed/subnets/3/incentive/"),
            Ok(Widget::Incentive(3))
        );
        assert_eq!(
            widget_from_path("/embed/subnets/3/vtrust"),
            Ok(Widget::ValidatorTrust(3))
        );
        assert_eq!(widget_from_path("/embed/card/subnet/12"), Ok(Widget::SubnetCard(12)));
        assert_eq!(
            widget_from_path("/embed/subnets/price-emission"),
            Ok(Widget::PriceVsEmission)
        );
        assert_eq!(
            widget_from_path("/embed/subnets/2/stake-dividends"),
            Ok(Widget::StakeVsDividends(2))
        );
        assert_eq!(
            widget_from_path("/embed/subnets/2/emission-split"),
            Ok(Widget::EmissionSplit(2))
        );
        assert_eq!(
            widget_from_path("/embed/validators/5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"),
            Ok(Widget::Validator(
                "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY".into()
            ))
        );
        assert!(
            widget_from_path("/embed/subnets/999999/incentive")
                .unwrap_err()
                .contains("not a subnet id")
        );
        assert!(
            widget_from_path("/embed/validators/<script>")
                .unwrap_err()
                .starts_with("Unknown embed.")
        );
        assert!(widget_from_path("/embed/nothing").unwrap_err().contains("Available"));
    }

    /// `WIDGET_PATHS` is the list of widgets: each entry, filled in, names the widget whose
    /// path it is (so no two name the same one), and the README's embed table lists each.
    #[test]
    fn widget_paths_list_every_widget_and_the_readme_lists_them() {
        for pattern in WIDGET_PATHS {
            let path = pattern
                .replace("/N", "/7")
                .replace("HOTKEY", "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY");
            let widget = widget_from_path(&path).unwrap_or_else(|error| panic!("{pattern}: {error}"));
            assert_eq!(widget.path(), path, "{path} is another widget's");
        }
        let message = widget_from_path("/embed/nothing").unwrap_err();
        let readme = include_str!("../../../README.md");
        for pattern in WIDGET_PATHS {
            assert!(message.contains(pattern), "the unknown-embed message lacks {pattern}");
            assert!(
                readme.contains(&format!("| `{pattern}` |")),
                "README's embed table lacks {pattern}"
            );
        }
    }

    #[test]
    fn options_have_defaults_and_bad_ones_are_named() {
        let defaults = options(&Widget::Emissions, &[]).unwrap();
        assert_eq!(
            (defaults.size, defaults.top, defaults.metric),
            ((640, 300), 10, Metric::Share)
        );
        assert_eq!(defaults.chain, None);
        let chosen = options(
            &Widget::Emissions,
            &[
                ("theme", "dark"),
                ("size", "480x240"),
                ("top", "5"),
                ("metric", "tao"),
                ("accent", "#f0a"),
                ("origin", "http://127.0.0.1:9000"),
            ],
        )
        .unwrap();
        assert_eq!(chosen.theme, ThemeChoice::Dark);
        assert_eq!((chosen.size, chosen.top, chosen.metric), ((480, 240), 5, Metric::Tao));
        assert_eq!(chosen.accent, Some((255, 0, 170)));
        assert_eq!(chosen.origin.as_deref(), Some("http://127.0.0.1:9000"));
        for (name, value, says) in [
            ("metric", "price", "Unknown metric"),
            ("accent", "red;background:url(x)", "Invalid accent"),
            ("size", "10x10", "Invalid size"),
            ("top", "0", "Invalid top"),
            ("theme", "neon", "Unknown theme"),
            ("chain", "../../etc", "Unknown chain"),
            ("origin", "javascript:alert(1)", "Invalid origin"),
            ("origin", "https://evil.example/path", "Invalid origin"),
        ] {
            let error = options(&Widget::Emissions, &[(name, value)]).unwrap_err();
            assert!(error.starts_with(says), "{name}={value}: {error}");
        }
        assert!(
            options(&Widget::SubnetCard(1), &[("metric", "share")])
                .unwrap_err()
                .contains("no metric")
        );
        assert_eq!(
            options(&Widget::Incentive(1), &[("metric", "dividends")])
                .unwrap()
                .metric,
            Metric::Dividends
        );
    }

    #[test]
    fn only_well_formed_theme_messages_count() {
        assert_eq!(
            theme_from_message(Some("taoscope:theme"), Some("dark")),
            Some(ThemeChoice::Dark)
        );
        assert_eq!(theme_from_message(Some("taoscope:theme"), Some("<b>")), None);
        assert_eq!(theme_from_message(Some("other"), Some("dark")), None);
        assert_eq!(theme_from_message(None, None), None);
    }
}
