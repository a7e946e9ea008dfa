//! The small labels that say a subnet reads differently from most: Null consensus (its zeros are
//! normal), several incentive mechanisms, pool emission off by policy, a lifecycle other than
//! active.

use leptos::prelude::*;
use light_client::model::{ConsensusMode, Lifecycle, Subnet};

/// What the "emission off by policy" badge says on hover: the chain item behind it.
pub const EMISSION_OFF_SOURCE: &str = "SubtensorModule.SubnetEmissionEnabled = false: the subnet's pool-side emission (α and TAO injected into the pool, chain buys) counts as zero by policy; α for participants and the owner's cut are unchanged";

/// The subnet's labels, each with the chain item behind it as its tooltip (none for a plain
/// active Yuma subnet with one mechanism and emission on).
pub fn subnet_badges(subnet: &Subnet) -> impl IntoView + use<> {
    let mut badges: Vec<(&'static str, String, String)> = Vec::new();
    if subnet.consensus == ConsensusMode::Null {
        badges.push((
            "badge",
            "Null consensus".into(),
            "SubnetEpochConsensus = Null: one validator's weights are used as set; consensus and trust are zero by design".into(),
        ));
    }
    if subnet.mechanisms > 1 {
        badges.push((
            "badge",
            format!("{} mechanisms", subnet.mechanisms),
            "MechanismCountCurrent: incentive mechanisms sharing the subnet's emission".into(),
        ));
    }
    if !subnet.emission_enabled {
        badges.push((
            "badge badge-muted emission-off",
            "emission off by policy".into(),
            EMISSION_OFF_SOURCE.into(),
        ));
    }
    let lifecycle = match &subnet.lifecycle {
        Lifecycle::Active => None,
        Lifecycle::NotStarted => Some((
            "not started".to_string(),
            "SubtensorModule.SubnetState = Registered (where the runtime has no SubnetState: no FirstEmissionBlockNumber): emission has not started".to_string(),
        )),
        Lifecycle::NotReportable => Some((
            "not reportable".into(),
            "NetworksAdded = false: runtime calls leave this subnet out".into(),
        )),
        Lifecycle::PendingDissolution => Some((
            "dissolution pending".into(),
            "SubtensorModule.SubnetState = PendingDissolution: queued to be dissolved".into(),
        )),
        Lifecycle::Dissolving => Some((
            "dissolving".into(),
            "SubtensorModule.SubnetState = Dissolving: its state is being cleaned up".into(),
        )),
        Lifecycle::Unknown { state } => Some((
            "unknown lifecycle".into(),
            format!("SubtensorModule.SubnetState = {state}, a state this dashboard does not know"),
        )),
    };
    badges.extend(lifecycle.map(|(text, title)| ("badge badge-muted", text, title)));
    badges
        .into_iter()
        .map(|(class, text, title)| view! { " "<span class=class title=title>{text}</span> })
        .collect_view()
}
