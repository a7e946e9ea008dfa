//! The overview page: the state of the network at a glance, from the latest finalized block.

use leptos::prelude::*;
use light_client::model::Subnet;

use crate::chain::use_chain;
use crate::charts::{Chart, data as chart_data};
use crate::components::{provenance::ProvenanceLine, state::Pending};
use crate::data::{use_overview, use_subnets};
use crate::format;

/// One figure with its label and the storage item it comes from (shown on hover, with the block).
#[component]
fn Stat(
    label: &'static str,
    /// The block the value was read at.
    block: u64,
    value: String,
    source: &'static str,
    /// A line under the value (e.g. an age).
    #[prop(optional, into)]
    note: Option<Signal<String>>,
    /// A value that changes between snapshots (replaces `value` when set).
    #[prop(optional, into)]
    live: Option<Signal<Option<String>>>,
) -> impl IntoView {
    let shown = move || live.and_then(|l| l.get()).unwrap_or_else(|| value.clone());
    view! {
        <div class="stat" title=format!("Source: {source} · read at finalized {}", format::block(block))>
            <div class="stat-label">{label}</div>
            <div class="stat-value">{shown}</div>
            {note.map(|note| view! { <div class="stat-note">{note}</div> })}
        </div>
    }
}

/// The overview page.
#[component]
pub fn Overview() -> impl IntoView {
    let live = use_overview();
    let subnets = use_subnets();
    let store = use_chain();
    view! {
        <section class="page" aria-labelledby="page-title">
            <h1 id="page-title">"Network overview"</h1>
            {move || match live.data.get() {
                None => view! { <Pending what="network figures" error=live.error/> }.into_any(),
                Some(snapshot) => {
                    let data = snapshot.data.clone();
                    view! {
                        <p class="provenance-row"><ProvenanceLine provenance=live.provenance/></p>
                        <div class="stats">
                            <Stat block=snapshot.block_number label="Finalized block" value=format::block(snapshot.block_number) source="chainHead_v1_follow (GRANDPA-finalized)"
                                note=Signal::derive(move || store.finalized_age_seconds().map(|s| format!("arrived {}", format::age(s as u64))).unwrap_or_default())/>
                            <Stat block=snapshot.block_number label="Best block" value=store.best.get_untracked().map(format::block).unwrap_or_else(|| "—".into()) source="chainHead_v1_follow bestBlockChanged (not final yet)"
                                live=Signal::derive(move || store.best.get().map(format::block))/>
                            <Stat block=snapshot.block_number label="Total issuance" value=format::tao(data.total_issuance_rao) source="SubtensorModule.TotalIssuance"/>
                            <Stat block=snapshot.block_number label="Total stake" value=format::tao(data.total_stake_rao) source="SubtensorModule.TotalStake"/>
                            <Stat block=snapshot.block_number label="TAO emission per block" value=format::tao(data.tao_emission_per_block_rao) source="Σ SubnetTaoInEmission + SubnetExcessTao (not BlockEmission, which finney no longer writes)"
                                note=Signal::stored(format!("{} injected + {} chain buy", format::tao(data.tao_injected_per_block_rao), format::tao(data.tao_chain_buy_per_block_rao)))/>
                            <Stat block=snapshot.block_number label="Subnets" value=data.subnet_count.to_string() source="SubtensorModule.NetworksAdded (root included)"/>
                            <Stat block=snapshot.block_number label="Runtime version" value=data.runtime.spec_version.to_string() source="spec_version of the finalized block's runtime (chainHead_v1_follow)"/>
                        </div>
                    }
                    .into_any()
                }
            }}
            {move || subnets.data.get().zip(subnets.provenance.get_untracked()).map(|(snapshot, provenance)| {
                let subnets: Vec<Subnet> = snapshot.data.iter().filter(|s| s.netuid != 0).cloned().collect();
                view! {
                    <div class="charts charts-wide">
                        <Chart
                            title="Emission share by subnet (top 10 and the rest)"
                            file_topic="emission-share".into()
                            provenance=provenance
                            data=chart_data::emission_shares(&subnets, 10)
                            embed=Some(("/embed/subnets/emissions".to_string(), true))
                        />
                    </div>
                }
            })}
        </section>
    }
}
