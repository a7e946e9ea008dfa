//! The overview page: the state of the network at a glance, from the latest finalized block.

use leptos::prelude::*;
use leptos_router::components::A;
use light_client::model::{BlockEmission, Subnet};

use crate::chain::use_chain;
use crate::charts::{Chart, data as chart_data};
use crate::components::history::HistoryStatus;
use crate::components::url_state::UnknownParameters;
use crate::components::{provenance::ProvenanceLine, state::Pending};
use crate::data::history::use_history;
use crate::data::{use_overview, use_subnets};
use crate::embed::options::Widget;
use crate::export::Cell;
use crate::format;
use crate::history::{self, Stamp, SubnetChange};
use crate::names::shown;
use crate::table::view::SortedTable;
use crate::table::{Column, Columns, Shown};

/// A subnet's change since the last visit, with its name now (or then, if it is gone).
#[derive(Debug, Clone, PartialEq)]
struct ChangeRow {
    name: String,
    change: SubnetChange,
}

fn optional(value: Option<f64>) -> Cell {
    Cell::Number(value.unwrap_or(f64::NAN))
}

/// A figure's cell text, or a dash where the figure is missing.
fn figure(cell: &Cell, text: impl Fn(f64) -> String) -> String {
    match cell {
        Cell::Number(v) if v.is_finite() => text(*v),
        _ => "—".to_string(),
    }
}

/// `+1.23…` for a positive change, the plain figure otherwise.
fn signed(value: f64, decimals: usize) -> String {
    format!("{}{value:.decimals$}", if value > 0.0 { "+" } else { "" })
}

fn price_text(cell: &Cell) -> String {
    figure(cell, |v| format!("{} τ", format::amount(v)))
}

fn signed_percent(cell: &Cell) -> String {
    figure(cell, |v| format!("{}%", signed(v * 100.0, 2)))
}

fn share_text(cell: &Cell) -> String {
    figure(cell, format::percent)
}

fn points_text(cell: &Cell) -> String {
    figure(cell, |v| format!("{} pp", signed(v * 100.0, 2)))
}

fn subnet_cell(r: &ChangeRow) -> AnyView {
    let state: &'static str = match (&r.change.then, &r.change.now) {
        (None, _) => " (new)",
        (_, None) => " (gone)",
        _ => "",
    };
    let (netuid, name, title) = (r.change.netuid, r.name.clone(), r.name.clone());
    view! {
        <A href=format!("/subnets/{netuid}") attr:class="name-cell" attr:title=title>
            {format!("SN{netuid} · ")}<bdi>{shown(&name)}</bdi>{state}
        </A>
    }
    .into_any()
}

/// The changes table.
#[rustfmt::skip]
const CHANGE_COLUMNS: Columns<ChangeRow> = Columns(&[
    Column { export: "netuid", label: "Subnet", source: "Every subnet in either snapshot", sort_key: Some("netuid"), numeric: false,
        raw: |r| Cell::Integer(u128::from(r.change.netuid)), shown: Shown::View(subnet_cell) },
    Column { export: "price_then", label: "Price then", source: "α price at your last visit's block (balancer price)", sort_key: Some("then"), numeric: true,
        raw: |r| optional(r.change.then.as_ref().and_then(|s| s.price)), shown: Shown::Text(price_text) },
    Column { export: "price_now", label: "Price now", source: "α price at the newest finalized block", sort_key: Some("now"), numeric: true,
        raw: |r| optional(r.change.now.as_ref().and_then(|s| s.price)), shown: Shown::Text(price_text) },
    Column { export: "price_change", label: "Change", source: "Price now ÷ price then − 1", sort_key: Some("change"), numeric: true,
        raw: |r| optional(r.change.price_change()), shown: Shown::Text(signed_percent) },
    Column { export: "emission_share_then", label: "Emission then", source: "Share of the TAO emitted per block at your last visit", sort_key: None, numeric: true,
        raw: |r| optional(r.change.then.as_ref().map(|s| s.emission_share)), shown: Shown::Text(share_text) },
    Column { export: "emission_share_now", label: "Emission now", source: "Share of the TAO emitted per block now", sort_key: Some("share"), numeric: true,
        raw: |r| optional(r.change.now.as_ref().map(|s| s.emission_share)), shown: Shown::Text(share_text) },
    Column { export: "emission_share_change", label: "Δ emission", source: "Emission share now − then, in percentage points", sort_key: Some("delta"), numeric: true,
        raw: |r| optional(r.change.share_change()), shown: Shown::Text(points_text) },
]);

/// How many changes show before "Show all".
const CHANGES_SHOWN: usize = 10;

/// What changed between the last snapshot this browser recorded in an earlier visit and now.
#[component]
fn SinceLastVisit() -> impl IntoView {
    let Some(store) = use_history() else {
        return ().into_any();
    };
    let subnets = use_subnets();
    let show_all = RwSignal::new(false);
    let baseline = Memo::new(move |_| {
        store
            .history
            .with(|h| history::last_visit(h, store.session_start_ms).cloned())
    });
    let rows = Memo::new(move |_| {
        let then = baseline.get()?;
        subnets.data.with(|snapshot| {
            let snapshot = snapshot.as_ref()?;
            let stamp = Stamp {
                block: snapshot.block_number,
                at_ms: 0.0,
                imported: false,
            };
            let now = history::subnets_point(&snapshot.data, stamp);
            let name = |netuid| {
                snapshot
                    .data
                    .iter()
                    .find(|s: &&Subnet| s.netuid == netuid)
                    .map(crate::names::subnet_name)
                    .unwrap_or_else(|| "—".to_string())
            };
            Some(
                history::since(&then, &now)
                    .into_iter()
                    .map(|change| ChangeRow {
                        name: name(change.netuid),
                        change,
                    })
                    .collect::<Vec<_>>(),
            )
        })
    });
    let shown = Signal::derive(move || {
        let rows = rows.get().unwrap_or_default();
        if show_all.get() {
            rows
        } else {
            rows.into_iter().take(CHANGES_SHOWN).collect()
        }
    });
    view! {
        <section class="since-last-visit" aria-labelledby="since-title">
            <h2 id="since-title">"Since your last visit"</h2>
            <HistoryStatus/>
            {move || match (baseline.get(), subnets.data.with(|d| d.as_ref().map(|d| d.block_number))) {
                _ if !store.shown() => ().into_any(),
                (None, _) => view! {
                    <p class="hint">"This is the first visit this browser has recorded on this chain. Next time, this section lists what changed since now."</p>
                }.into_any(),
                (Some(_), None) => view! { <p class="hint">"Reading the subnets…"</p> }.into_any(),
                (Some(then), Some(now)) => {
                    let ago = ((js_sys::Date::now() - then.stamp.at_ms) / 1000.0).max(0.0);
                    let total = rows.with(|r| r.as_ref().map_or(0, Vec::len));
                    view! {
                        <p class="since-range" data-then-block=then.stamp.block data-now-block=now>
                            {format!(
                                "From {} ({} ago, the last snapshot this browser verified and recorded before this visit) to finalized {}.",
                                format::block(then.stamp.block),
                                format::duration(ago),
                                format::block(now)
                            )}
                        </p>
                        <SortedTable columns=CHANGE_COLUMNS label="Changes since your last visit" what="subnets"
                            export_name=format!("since-block-{}", then.stamp.block) rows=shown provenance=subnets.provenance
                            initial=CHANGE_COLUMNS.sort("change", true) empty="No subnet."/>
                        {(total > CHANGES_SHOWN).then(|| view! {
                            <button type="button" class="button" on:click=move |_| show_all.update(|all| *all = !*all)>
                                {move || if show_all.get() { "Show the largest moves only".to_string() } else { format!("Show all {total} subnets") }}
                            </button>
                        })}
                    }.into_any()
                }
            }}
        </section>
    }
    .into_any()
}

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
            <UnknownParameters/>
            {move || match live.data.get() {
                None => view! { <Pending what="network figures" error=live.error/> }.into_any(),
                Some(snapshot) => {
                    let data = snapshot.data.clone();
                    let (block_emission_value, block_emission_note) = match &data.block_emission {
                        BlockEmission::Rao(rao) => (format::tao(*rao), "per block, on the halving schedule".to_string()),
                        BlockEmission::Unread { why } => ("—".to_string(), why.clone()),
                    };
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
                            <Stat block=snapshot.block_number label="Block emission" value=block_emission_value source="SubnetInfoRuntimeApi.get_block_emission: the halving schedule's TAO per block, as the runtime answers it (not the stale BlockEmission storage)"
                                note=Signal::stored(block_emission_note)/>
                            <Stat block=snapshot.block_number label="Subnets" value=data.subnet_count.to_string() source="SubtensorModule.NetworksAdded (root included)"/>
                            <Stat block=snapshot.block_number label="Runtime version" value=data.runtime.spec_version.to_string() source="spec_version of the finalized block's runtime (chainHead_v1_follow)"/>
                        </div>
                    }
                    .into_any()
                }
            }}
            <SinceLastVisit/>
            {move || subnets.data.get().zip(subnets.provenance.get_untracked()).map(|(snapshot, provenance)| {
                let subnets: Vec<Subnet> = snapshot.data.iter().filter(|s| s.netuid != 0).cloned().collect();
                view! {
                    <div class="charts charts-wide">
                        <Chart
                            title="Emission share by subnet (top 10 and the rest)"
                            file_topic="emission-share".into()
                            stamp=provenance.chart_stamp()
                            data=chart_data::emission_shares(&subnets, 10)
                            embed=Some((Widget::Emissions.path(), true))
                        />
                    </div>
                }
            })}
        </section>
    }
}
