//! The subnet page: one subnet's identity and its metagraph (every uid's stake and Yuma outputs),
//! with validators and miners tabs.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use light_client::model::{Metagraph, Subnet, SubnetIdentity};

use crate::chain::use_live;
use crate::components::{provenance::Provenance, state::Pending};
use crate::format;
use crate::links::safe_http_url;

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
        subnets.with(|s| {
            s.data
                .as_ref()
                .and_then(|d| d.data.iter().find(|s| s.netuid == netuid).cloned())
        })
    };
    let error = Signal::derive(move || live.with(|l| l.error.clone()));
    let tab_link = move |target: Tab, label: &'static str, query: &'static str| {
        view! {
            <A href=format!("/subnets/{netuid}{query}") attr:class="tab" attr:aria-selected=move || (tab() == target).to_string()>
                {label}
            </A>
        }
    };
    view! {
        <section class="page" aria-labelledby="page-title">
            <p class="breadcrumb"><A href="/subnets">"Subnets"</A>" / "{netuid}</p>
            {move || match subnet() {
                Some(subnet) => view! { <SubnetHeader subnet=subnet/> }.into_any(),
                None => view! { <h1 id="page-title">{format!("Subnet {netuid}")}</h1> }.into_any(),
            }}
            <nav class="tabs" aria-label="Neurons">
                {tab_link(Tab::All, "All", "")}
                {tab_link(Tab::Validators, "Validators", "?tab=validators")}
                {tab_link(Tab::Miners, "Miners", "?tab=miners")}
            </nav>
            {move || match live.with(|l| l.data.clone()) {
                None => view! { <Pending what="the metagraph" error=error/> }.into_any(),
                Some(snapshot) if snapshot.data.neurons.is_empty() => view! {
                    <Provenance block_number=snapshot.block_number block_hash=snapshot.block_hash.clone() verified=snapshot.verified/>
                    <div class="empty-state">"This subnet has no registered neurons at this block (or does not exist)."</div>
                }.into_any(),
                Some(snapshot) => {
                    let tab = tab();
                    let rows = snapshot.data.neurons.iter().filter(|n| match tab {
                        Tab::All => true,
                        Tab::Validators => n.validator_permit,
                        Tab::Miners => !n.validator_permit,
                    }).cloned().collect::<Vec<_>>();
                    view! {
                        <Provenance block_number=snapshot.block_number block_hash=snapshot.block_hash.clone() verified=snapshot.verified/>
                        <div class="table-wrap">
                            <table class="data-table" aria-label="Neurons">
                                <thead>
                                    <tr>
                                        <th scope="col" class="num">"UID"</th>
                                        <th scope="col">"Hotkey"</th>
                                        <th scope="col">"Coldkey"</th>
                                        <th scope="col" class="num">"Stake"</th>
                                        <th scope="col">"Permit"</th>
                                        <th scope="col" class="num">"V. trust"</th>
                                        <th scope="col" class="num">"Consensus"</th>
                                        <th scope="col" class="num">"Incentive"</th>
                                        <th scope="col" class="num">"Dividends"</th>
                                        <th scope="col" class="num">"Emission"</th>
                                        <th scope="col">"Active"</th>
                                        <th scope="col" class="num">"Updated"</th>
                                        <th scope="col" class="num">"Registered"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {rows.into_iter().map(|n| view! {
                                        <tr>
                                            <td class="num">{n.uid}</td>
                                            <td class="mono" title=n.hotkey.clone()>{format::short(&n.hotkey)}</td>
                                            <td class="mono" title=n.coldkey.clone()>{format::short(&n.coldkey)}</td>
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
                    }.into_any()
                }
            }}
        </section>
    }
}
