//! How subnets and validators are named on screen, in one place for tables, charts, cards and
//! embeds. Names are on-chain text chosen by their owners: callers render them as text only.

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

/// A validator's name as shown: its identity name, or its shortened hotkey.
pub fn validator_name(validator: &Validator) -> String {
    if validator.name.trim().is_empty() {
        format::short(&validator.hotkey)
    } else {
        validator.name.clone()
    }
}
