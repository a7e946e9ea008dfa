//! How subnets and validators are named on screen, in one place for tables, charts, cards and
//! embeds. Names are on-chain text chosen by their owners: callers render them as text only,
//! isolated (`<bdi>`) and through [`shown`], which makes invisible and reordering characters
//! visible so that one name cannot pass for another.

use light_client::model::{Subnet, Validator};

use crate::format;

/// A subnet's name as shown: its identity name, "Root" for netuid 0, or a dash.
pub fn subnet_name(subnet: &Subnet) -> String {
    match (subnet.netuid, subnet.name.trim().is_empty()) {
        (0, true) => "Root".to_string(),
        (_, true) => "—".to_string(),
        _ => subnet.name.clone(),
    }
}

/// Whether `c` is in the emoji blocks a zero-width joiner legitimately joins (👩‍💻).
fn is_emoji(c: char) -> bool {
    matches!(u32::from(c), 0x1F000..=0x1FAFF | 0x2600..=0x27BF)
}

/// Whether `c` is invisible or changes how the text around it is ordered or joined: controls,
/// bidirectional embeddings, overrides, isolates and marks, zero-width characters, the BOM.
fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            u32::from(c),
            0x061C | 0x180E | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F | 0xFEFF
        )
}

/// On-chain text as shown: every invisible or reordering character written out as `[U+XXXX]`
/// (a zero-width joiner between two emoji excepted), so `\u{202E}gnp.exe` reads
/// `[U+202E]gnp.exe`, not `exe.png`. Exports keep the exact text.
pub fn shown(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (at, &c) in chars.iter().enumerate() {
        let joins_emoji = c == '\u{200D}'
            && at > 0
            && chars.get(at + 1).is_some_and(|&next| is_emoji(next))
            && is_emoji(chars[at - 1]);
        if is_hidden(c) && !joins_emoji {
            out.push_str(&format!("[U+{:04X}]", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// A validator's name as shown: its identity name, or its shortened hotkey.
pub fn validator_name(validator: &Validator) -> String {
    if validator.name.trim().is_empty() {
        format::short(&validator.hotkey)
    } else {
        validator.name.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reordering_and_invisible_characters_are_written_out() {
        assert_eq!(
            shown("\u{202E}gnp.exe\u{200D}\u{200D}Omron"),
            "[U+202E]gnp.exe[U+200D][U+200D]Omron"
        );
        assert_eq!(
            shown("a\u{200B}b\u{2066}c\u{FEFF}\u{0007}"),
            "a[U+200B]b[U+2066]c[U+FEFF][U+0007]"
        );
        assert_eq!(
            shown("👩\u{200D}💻 team"),
            "👩\u{200D}💻 team",
            "an emoji sequence stays joined"
        );
        assert_eq!(
            shown("<img src=x> Ωμέγα 中文"),
            "<img src=x> Ωμέγα 中文",
            "other text is untouched"
        );
    }
}
