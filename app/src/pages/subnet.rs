//! The subnet page: one subnet's identity and its metagraph (every uid's stake and Yuma outputs),
//! with validators and miners tabs, sortable columns, export, and charts of the epoch's outcome.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use light_client::model::{Metagraph, MetagraphSource, Neuron, Subnet, SubnetIdentity};

use crate::chain::use_live;
use crate::charts::{Chart, data as chart_data};
use crate::components::export::{CopyText, ExportButtons};
use crate::components::table::{Notices, SortHeader, use_replace_url};
use crate::components::{provenance::Provenance, state::Pending};
use crate::export::{Cell, Table};
use crate::format;
use crate::links::safe_http_url;
use crate::query::{self, Sort};

const SORT_KEYS: &[&str] = &[
    "uid",
    "stake",
    "vtrust",
    "consensus",
    "incentive",
    "dividends",
    "emission",
    "updated",
    "registered",
];
const DEFAULT_SORT: Sort = Sort {
    key: "uid",
    descending: false,
};

/// Neurons in the order `sort` asks for.
fn sorted(neurons: &[Neuron], sort: Sort) -> Vec<Neuron> {
    let mut rows = neurons.to_vec();
    query::sort_by(&mut rows, sort, |n, key| match key {
        "stake" => n.stake_alpha as f64,
        "vtrust" => n.validator_trust,
        "consensus" => n.consensus,
        "incentive" => n.incentive,
        "dividends" => n.dividends,
        "emission" => n.emission_alpha as f64,
        "updated" => n.last_update as f64,
        "registered" => n.registered_at as f64,
        _ => f64::from(n.uid),
    });
    rows
}

fn export_table(netuid: u16, rows: &[Neuron], block_number: u64, block_hash: &str, verified: bool) -> Table {
    Table {
        name: format!("metagraph-{netuid}"),
        block_number,
        block_hash: block_hash.to_string(),
        verified,
        columns: vec![
            "uid",
            "hotkey",
            "coldkey",
            "stake_alpha",
            "validator_permit",
            "validator_trust",
            "consensus",
            "incentive",
            "dividends",
            "emission_alpha",
            "active",
            "last_update",
            "registered_at",
            "axon",
        ],
        rows: rows
            .iter()
            .map(|n| {
                vec![
                    Cell::Integer(u128::from(n.uid)),
                    Cell::Text(n.hotkey.clone()),
                    Cell::Text(n.coldkey.clone()),
                    Cell::Integer(u128::from(n.stake_alpha)),
                    Cell::Bool(n.validator_permit),
                    Cell::Number(n.validator_trust),
                    Cell::Number(n.consensus),
                    Cell::Number(n.incentive),
                    Cell::Number(n.dividends),
                    Cell::Integer(u128::from(n.emission_alpha)),
                    Cell::Bool(n.active),
                    Cell::Integer(u128::from(n.last_update)),
                    Cell::Integer(u128::from(n.registered_at)),
                    Cell::Text(n.axon.clone().unwrap_or_default()),
                ]
            })
            .collect(),
    }
}

/// A link if `url` is a safe http(s) URL, otherwise the text itself (on-chain URLs are untrusted).
#[component]
fn ExternalLink(label: &'static str, url: String) -> impl IntoView {
    (!url.is_empty()).then(|| {
        let shown = url.clone();
        view! {
            <span class="identity-link">
                <span class="identity-label">{label}": "</span>
                {match safe_http_url(&url) {
                    Some(href) => view! { <a href=href rel="noopener noreferrer" target="_blank">{shown}</a> }.into_any(),
                    None => view! { <span class="unsafe-url" title="Not a web link: shown as text">{shown}</span> }.into_any(),
                }}
            </span>
        }
    })
}

/// The subnet's self-declared identity and its pool figures. All identity text is rendered as text.
#[component]
fn SubnetHeader(subnet: Subnet) -> impl IntoView {
    let identity = subnet.identity.clone().unwrap_or_default();
    let SubnetIdentity {
        name,
        github_repo,
        url,
        description,
        logo_url,
        ..
    } = identity;
    let title = if name.is_empty() {
        format!("Subnet {}", subnet.netuid)
    } else {
        name
    };
    view! {
        <header class="subnet-header">
            <h1 id="page-title" class="subnet-name" title=title.clone()>
                <span class="symbol">{subnet.symbol.clone()}</span>" "{title.clone()}
            </h1>
            <p class="subnet-description">{description}</p>
            <p class="identity-links">
                <ExternalLink label="Website" url=url/>
                <ExternalLink label="Source" url=github_repo/>
                <ExternalLink label="Logo" url=logo_url/>
            </p>
            <div class="stats">
                <div class="stat"><div class="stat-label">"Price"</div><div class="stat-value">{format!("{} τ", format::amount(subnet.price))}</div></div>
                <div class="stat"><div class="stat-label">"Emission"</div><div class="stat-value">{format!("{} / block", format::tao(subnet.tao_emission_per_block_rao))}</div></div>
                <div class="stat"><div class="stat-label">"Emission share"</div><div class="stat-value">{format::percent(subnet.emission_share)}</div></div>
                <div class="stat"><div class="stat-label">"Pool"</div><div class="stat-value">{format::tao(subnet.tao_in_rao)}</div></div>
            </div>
        </header>
    }
}

/// Which neurons the table shows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    All,
    Validators,
    Miners,
}

impl Tab {
    fn from_query(value: Option<String>) -> Self {
        match value.as_deref() {
            Some("validators") => Tab::Validators,
            Some("miners") => Tab::Miners,
            _ => Tab::All,
        }
    }
}

/// The subnet page; an invalid netuid shows the not-found view.
#[component]
pub fn Subnet() -> impl IntoView {
    let params = use_params_map();
    let netuid = move || params.with(|p| p.get("netuid").and_then(|n| n.parse::<u16>().ok()));
    move || match netuid() {
        None => view! { <crate::pages::not_found::NotFound/> }.into_any(),
        Some(netuid) => view! { <SubnetView netuid=netuid/> }.into_any(),
    }
}

#[component]
fn SubnetView(netuid: u16) -> impl IntoView {
    let query = use_query_map();
    let tab = move || Tab::from_query(query.with(|q| q.get("tab")));
    let parsed = Memo::new(move |_| {
        let mut notices = Vec::new();
        let sort = query.with(|q| Sort::parse(q.get("sort").as_deref(), SORT_KEYS, DEFAULT_SORT, &mut notices));
        (sort, notices)
    });
    let sort = Signal::derive(move || parsed.get().0);
    let notices = Signal::derive(move || parsed.get().1);
    let replace_url = use_replace_url();
    let tab_param = move |tab: Tab| match tab {
        Tab::All => None,
        Tab::Validators => Some("validators".to_string()),
        Tab::Miners => Some("miners".to_string()),
    };
    let on_sort = Callback::new(move |sort: Sort| {
        let query = query::query_string(&[
            ("tab", tab_param(tab())),
            ("sort", (sort != DEFAULT_SORT).then(|| sort.to_param())),
        ]);
        replace_url.run(format!("/subnets/{netuid}{query}"));
    });
    let live = use_live::<Metagraph, _, _>(move |client, block| async move {
        client
            .metagraph(&block, netuid)
            .await
            .map_err(|error| error.to_string())
    });
    let subnets = use_live::<Vec<Subnet>, _, _>(|client, block| async move {
        client.subnets(&block).await.map_err(|error| error.to_string())
    });
    let subnet = move || {
        subnets.data.with(|data| {
            data.as_ref()
                .and_then(|d| d.data.iter().find(|s| s.netuid == netuid).cloned())
        })
    };
    let error = Signal::derive(move || live.error.get());
    let rows = Memo::new(move |_| {
        let tab = tab();
        live.data.with(|data| {
            data.as_ref().map(|d| {
                let shown: Vec<Neuron> = d
                    .data
                    .neurons
                    .iter()
                    .filter(|n| match tab {
                        Tab::All => true,
                        Tab::Validators => n.validator_permit,
                        Tab::Miners => !n.validator_permit,
                    })
                    .cloned()
                    .collect();
                sorted(&shown, sort.get())
            })
        })
    });
    let shown = move || {
        let confirmed = live.confirmed.get_untracked()?;
        live.data.with(|data| {
            data.as_ref().map(|d| {
                export_table(
                    netuid,
                    &rows.get().unwrap_or_default(),
                    confirmed.0,
                    &confirmed.1,
                    d.verified,
                )
            })
        })
    };
    let tab_link = move |target: Tab, label: &'static str| {
        let href = move || {
            let query = query::query_string(&[
                ("tab", tab_param(target)),
                ("sort", (sort.get() != DEFAULT_SORT).then(|| sort.get().to_param())),
            ]);
            format!("/subnets/{netuid}{query}")
        };
        view! {
            <A href=href attr:class="tab" attr:aria-selected=move || (tab() == target).to_string()>
                {label}
            </A>
        }
    };
    let snapshot = Memo::new(move |_| live.data.get());
    view! {
        <section class="page" aria-labelledby="page-title">
            <p class="breadcrumb"><A href="/subnets">"Subnets"</A>" / "{netuid}</p>
            {move || match subnet() {
                Some(subnet) => view! { <SubnetHeader subnet=subnet/> }.into_any(),
                None => view! { <h1 id="page-title">{format!("Subnet {netuid}")}</h1> }.into_any(),
            }}
            <Notices notices=notices/>
            <nav class="tabs" aria-label="Neurons">
                {tab_link(Tab::All, "All")}
                {tab_link(Tab::Validators, "Validators")}
                {tab_link(Tab::Miners, "Miners")}
            </nav>
            {move || match snapshot.get() {
                None => view! { <Pending what="the metagraph" error=error/> }.into_any(),
                Some(snapshot) if snapshot.data.neurons.is_empty() => view! {
                    <Provenance block=live.confirmed verified=snapshot.verified/>
                    <div class="empty-state">
                        <p>"This subnet has no registered neurons at this block, or does not exist."</p>
                        <A href="/subnets">"Back to all subnets"</A>
                    </div>
                }.into_any(),
                Some(snapshot) => view! {
                    <div class="table-toolbar">
                        <Provenance block=live.confirmed verified=snapshot.verified/>
                        <span class="muted read-path">{read_path(snapshot.data.source)}</span>
                        <ExportButtons table=shown/>
                    </div>
                }.into_any(),
            }}
            {move || rows.get().filter(|rows| !rows.is_empty()).map(|rows| view! {
                <div class="table-wrap">
                    <table class="data-table" aria-label="Neurons">
                        <thead>
                            <tr>
                                <SortHeader label="UID" key="uid" numeric=true sort=sort on_sort=on_sort/>
                                <th scope="col">"Hotkey"</th>
                                <th scope="col">"Coldkey"</th>
                                <SortHeader label="Stake" key="stake" numeric=true sort=sort on_sort=on_sort title="TotalHotkeyAlpha on this subnet"/>
                                <th scope="col" title="ValidatorPermit">"Permit"</th>
                                <SortHeader label="V. trust" key="vtrust" numeric=true sort=sort on_sort=on_sort title="ValidatorTrust ÷ 65,535"/>
                                <SortHeader label="Consensus" key="consensus" numeric=true sort=sort on_sort=on_sort title="Consensus ÷ 65,535"/>
                                <SortHeader label="Incentive" key="incentive" numeric=true sort=sort on_sort=on_sort title="Incentive ÷ 65,535: share of the miner emission"/>
                                <SortHeader label="Dividends" key="dividends" numeric=true sort=sort on_sort=on_sort title="Dividends ÷ 65,535: share of the validator emission"/>
                                <SortHeader label="Emission" key="emission" numeric=true sort=sort on_sort=on_sort title="Emission: α at the last epoch"/>
                                <th scope="col" title="Active">"Active"</th>
                                <SortHeader label="Updated" key="updated" numeric=true sort=sort on_sort=on_sort title="LastUpdate: block of the last weights"/>
                                <SortHeader label="Registered" key="registered" numeric=true sort=sort on_sort=on_sort title="BlockAtRegistration"/>
                            </tr>
                        </thead>
                        <tbody>
                            {rows.into_iter().map(|n| view! {
                                <tr>
                                    <td class="num">{n.uid}</td>
                                    <td><CopyText text=n.hotkey.clone() label="hotkey"/></td>
                                    <td><CopyText text=n.coldkey.clone() label="coldkey"/></td>
                                    <td class="num">{format::alpha(n.stake_alpha)}</td>
                                    <td>{if n.validator_permit { "✓" } else { "" }}</td>
                                    <td class="num">{format!("{:.4}", n.validator_trust)}</td>
                                    <td class="num">{format!("{:.4}", n.consensus)}</td>
                                    <td class="num">{format!("{:.4}", n.incentive)}</td>
                                    <td class="num">{format!("{:.4}", n.dividends)}</td>
                                    <td class="num">{format::alpha(n.emission_alpha)}</td>
                                    <td>{if n.active { "yes" } else { "no" }}</td>
                                    <td class="num">{format::block(n.last_update)}</td>
                                    <td class="num">{format::block(n.registered_at)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
            {move || snapshot.get().filter(|s| !s.data.neurons.is_empty()).map(|snapshot| {
                let neurons = &snapshot.data.neurons;
                let stem = |what: &str| format!("taoscope-sn{netuid}-{what}-block-{}", snapshot.block_number);
                view! {
                    <div class="charts">
                        <Chart title="Incentive distribution" file_stem=stem("incentive") block_number=snapshot.block_number
                            block_hash=snapshot.block_hash.clone() data=chart_data::incentive_distribution(neurons)
                            embed=Some((format!("/embed/subnets/{netuid}/incentive"), false))/>
                        <Chart title="Validator trust per validator" file_stem=stem("vtrust") block_number=snapshot.block_number
                            block_hash=snapshot.block_hash.clone() data=chart_data::validator_trust(neurons)
                            embed=Some((format!("/embed/subnets/{netuid}/vtrust"), false))/>
                        <Chart title="Stake vs dividends (validators)" file_stem=stem("stake-dividends") block_number=snapshot.block_number
                            block_hash=snapshot.block_hash.clone() data=chart_data::stake_vs_dividends(neurons)
                            embed=Some((format!("/embed/subnets/{netuid}/stake-dividends"), false))/>
                        <Chart title="Emission split, last epoch" file_stem=stem("emission-split") block_number=snapshot.block_number
                            block_hash=snapshot.block_hash.clone() data=chart_data::emission_split(neurons)
                            embed=Some((format!("/embed/subnets/{netuid}/emission-split"), false))/>
                    </div>
                }
            })}
        </section>
    }
}

/// How the metagraph was read, for the provenance line.
fn read_path(source: MetagraphSource) -> &'static str {
    match source {
        MetagraphSource::RuntimeCall => "Read with one runtime call (get_selective_metagraph) and ValidatorTrust",
        MetagraphSource::StorageReads => "Read from storage item by item",
    }
}
