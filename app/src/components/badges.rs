//! The small labels that say a subnet reads differently from most: Null consensus (its zeros are
//! normal), several incentive mechanisms, a lifecycle other than active.

use leptos::prelude::*;
use light_client::model::{ConsensusMode, Lifecycle, Subnet};

/// The subnet's labels, each with the chain item behind it as its tooltip (none for a plain
/// active Yuma subnet with one mechanism).
pub fn subnet_badges(subnet: &Subnet) -> impl IntoView + use<> {
    let mut badges: Vec<(&'static str, String, &'static str)> = Vec::new();
    if subnet.consensus == ConsensusMode::Null {
        badges.push((
            "badge",
            "Null consensus".into(),
            "SubnetEpochConsensus = Null: one validator's weights are used as set; consensus and trust are zero by design",
        ));
    }
    if subnet.mechanisms > 1 {
        badges.push((
            "badge",
            format!("{} mechanisms", subnet.mechanisms),
            "MechanismCountCurrent: incentive mechanisms sharing the subnet's emission",
        ));
    }
    match subnet.lifecycle {
        Lifecycle::Active => {}
        Lifecycle::NotStarted => badges.push((
            "badge badge-muted",
            "not started".into(),
            "No FirstEmissionBlockNumber: emission has not started",
        )),
        Lifecycle::NotReportable => badges.push((
            "badge badge-muted",
            "not reportable".into(),
            "NetworksAdded = false: runtime calls leave this subnet out",
        )),
    }
    badges
        .into_iter()
        .map(|(class, text, title)| view! { " "<span class=class title=title>{text}</span> })
        .collect_view()
}
