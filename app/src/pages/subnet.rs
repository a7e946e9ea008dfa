//! The subnet page: one subnet's identity, pool price (and how it was found), epochs and its
//! metagraph (every uid's stake and Yuma outputs), with validators and miners tabs, sortable
//! columns, export, charts of the epoch's outcome and the method behind its figures.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use light_client::model::{ConsensusMode, MetagraphSource, Neuron, PriceMethod, Subnet, SubnetIdentity};
use light_client::pruning::Standing;

use crate::charts::{Chart, data as chart_data};
use crate::components::alerts::{AlertButton, Scope};
use crate::components::badges::subnet_badges;
use crate::components::export::CopyText;
use crate::components::history::{HistoryStatus, StarButton, Starred};
use crate::components::method::{MethodNotes, PRICE_METHOD, price_method_name, price_method_text, spacing_text};
use crate::components::provenance::ProvenanceLine;
use crate::components::state::Pending;
use crate::components::swap_simulator::SwapSimulator;
use crate::components::url_state::{Notices, use_replace_url};
use crate::data::history::use_history;
use crate::data::{use_metagraph, use_subnet};
use crate::embed::options::Widget;
use crate::export::Cell;
use crate::format;
use crate::links::safe_http_url;
use crate::names::shown;
use crate::pages::watchlist::SubnetHistoryCharts;
use crate::query::{self, param};
use crate::table::view::{DataTable, TableToolbar};
use crate::table::{Column, Columns, Shown, Sort};

/// A neuron with its standing under the pruning rule at the metagraph's block.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    netuid: u16,
    neuron: Neuron,
    standing: Option<Standing>,
    /// The hotkey is on the user's watchlist.
    watched: bool,
}

fn star_cell(r: &Row) -> AnyView {
    let what = format!("hotkey {} on subnet {}", r.neuron.hotkey, r.netuid);
    view! { <StarButton item=Starred::Hotkey(r.netuid, r.neuron.hotkey.clone()) compact=true what=what/> }.into_any()
}

fn hotkey_cell(r: &Row) -> AnyView {
    view! { <CopyText text=r.neuron.hotkey.clone() label="hotkey"/> }.into_any()
}

fn coldkey_cell(r: &Row) -> AnyView {
    view! { <CopyText text=r.neuron.coldkey.clone() label="coldkey"/> }.into_any()
}

fn prune_cell(r: &Row) -> AnyView {
    match r.standing {
        Some(Standing { next: true, rank, .. }) => {
            let rank = rank.map(|rank| rank.to_string()).unwrap_or_default();
            view! { <span class="prune-next" title="The uid a registration on this subnet would replace next">{format!("▼ next {rank}")}</span> }.into_any()
        }
        Some(Standing { owner: true, .. }) => {
            view! { <span class="muted" title="The subnet owner's hotkey is never pruned">"owner"</span> }.into_any()
        }
        Some(Standing { rank: Some(rank), .. }) => view! { <span>{rank}</span> }.into_any(),
        _ => ().into_any(),
    }
}

const fn integer(value: u64) -> Cell {
    Cell::Integer(value as u128)
}

/// A whole number that may be absent (exported as null, sorted last).
fn optional_integer(value: Option<u64>) -> Cell {
    Cell::Number(value.map_or(f64::NAN, |v| v as f64))
}

fn fraction(cell: &Cell) -> String {
    format!("{:.4}", cell.as_f64())
}

/// The metagraph table.
#[rustfmt::skip]
const COLUMNS: Columns<Row> = Columns(&[
    Column { export: "watched", label: "", source: "Star a hotkey to record its incentive over time (the watchlist, kept in this browser)", sort_key: None, numeric: false,
        raw: |r| Cell::Bool(r.watched), shown: Shown::View(star_cell) },
    Column { export: "uid", label: "UID", source: "Uid in the subnet", sort_key: Some("uid"), numeric: true,
        raw: |r| integer(u64::from(r.neuron.uid)), shown: Shown::Text(Cell::text) },
    Column { export: "hotkey", label: "Hotkey", source: "Keys(netuid, uid)", sort_key: None, numeric: false,
        raw: |r| Cell::Text(r.neuron.hotkey.clone()), shown: Shown::View(hotkey_cell) },
    Column { export: "coldkey", label: "Coldkey", source: "Owner(hotkey)", sort_key: None, numeric: false,
        raw: |r| Cell::Text(r.neuron.coldkey.clone()), shown: Shown::View(coldkey_cell) },
    Column { export: "stake_alpha", label: "Stake", source: "TotalHotkeyAlpha on this subnet", sort_key: Some("stake"), numeric: true,
        raw: |r| integer(r.neuron.stake_alpha), shown: Shown::Text(|c| format::alpha(c.as_u64())) },
    Column { export: "validator_permit", label: "Permit", source: "ValidatorPermit", sort_key: Some("permit"), numeric: false,
        raw: |r| Cell::Bool(r.neuron.validator_permit), shown: Shown::Text(|c| { if *c == Cell::Bool(true) { "✓".into() } else { String::new() } }) },
    Column { export: "validator_trust", label: "V. trust", source: "ValidatorTrust ÷ 65,535", sort_key: Some("vtrust"), numeric: true,
        raw: |r| Cell::Number(r.neuron.validator_trust), shown: Shown::Text(fraction) },
    Column { export: "consensus", label: "Consensus", source: "Consensus ÷ 65,535", sort_key: Some("consensus"), numeric: true,
        raw: |r| Cell::Number(r.neuron.consensus), shown: Shown::Text(fraction) },
    Column { export: "incentive", label: "Incentive", source: "Incentive ÷ 65,535: share of the miner emission", sort_key: Some("incentive"), numeric: true,
        raw: |r| Cell::Number(r.neuron.incentive), shown: Shown::Text(fraction) },
    Column { export: "dividends", label: "Dividends", source: "Dividends ÷ 65,535: share of the validator emission", sort_key: Some("dividends"), numeric: true,
        raw: |r| Cell::Number(r.neuron.dividends), shown: Shown::Text(fraction) },
    Column { export: "emission_alpha", label: "Emission", source: "Emission: α at the last epoch", sort_key: Some("emission"), numeric: true,
        raw: |r| integer(r.neuron.emission_alpha), shown: Shown::Text(|c| format::alpha(c.as_u64())) },
    Column { export: "active", label: "Active", source: "Active", sort_key: Some("active"), numeric: false,
        raw: |r| Cell::Bool(r.neuron.active), shown: Shown::Text(|c| { if *c == Cell::Bool(true) { "yes".into() } else { "no".into() } }) },
    Column { export: "last_update", label: "Updated", source: "LastUpdate: block of the last weights", sort_key: Some("updated"), numeric: true,
        raw: |r| integer(r.neuron.last_update), shown: Shown::Text(|c| format::block(c.as_u64())) },
    Column { export: "registered_at", label: "Registered", source: "BlockAtRegistration", sort_key: Some("registered"), numeric: true,
        raw: |r| integer(r.neuron.registered_at), shown: Shown::Text(|c| format::block(c.as_u64())) },
    Column { export: "immune_until", label: "Immune until", source: "BlockAtRegistration + ImmunityPeriod − 1, while the uid is still immune", sort_key: Some("immune"), numeric: true,
        raw: |r| optional_integer(r.standing.and_then(|s| s.immune_until)), shown: Shown::Text(|c| if c.as_f64().is_nan() { String::new() } else { format::block(c.as_f64() as u64) }) },
    Column { export: "prune_rank", label: "Prune order", source: "Place among uids past their immunity by the chain's pruning order (least Emission, then earliest registration, then lowest uid); ▼ marks the uid a registration would replace next", sort_key: Some("prune"), numeric: true,
        raw: |r| optional_integer(r.standing.and_then(|s| s.rank).map(u64::from)), shown: Shown::View(prune_cell) },
    Column { export: "next_to_prune", label: "", source: "The uid a registration on this subnet would replace next (get_neuron_to_prune's rule)", sort_key: None, numeric: false,
        raw: |r| Cell::Bool(r.standing.is_some_and(|s| s.next)), shown: Shown::ExportOnly },
    Column { export: "axon", label: "", source: "Axons: the served ip:port", sort_key: None, numeric: false,
        raw: |r| Cell::Text(r.neuron.axon.clone().unwrap_or_default()), shown: Shown::ExportOnly },
]);

fn default_sort() -> Sort<Row> {
    COLUMNS.sort("uid", false)
}

/// A link if `url` is a safe http(s) URL, otherwise the text itself (on-chain URLs are untrusted).
#[component]
fn ExternalLink(label: &'static str, url: String) -> impl IntoView {
    (!url.is_empty()).then(|| {
        let text = shown(&url);
        view! {
            <span class="identity-link">
                <span class="identity-label">{label}": "</span>
                {match safe_http_url(&url) {
                    Some(href) => view! { <a href=href rel="noopener noreferrer" target="_blank">{text}</a> }.into_any(),
                    None => view! { <span class="unsafe-url" title="Not a web link: shown as text">{text}</span> }.into_any(),
                }}
            </span>
        }
    })
}

/// Descriptions longer than this many characters are folded to three lines until asked for.
const FOLDED_AFTER: usize = 280;

/// A subnet's description (owner-chosen text): in full when short, else folded with a button
/// showing the rest; the whole text is in the page either way.
#[component]
fn Description(text: String) -> impl IntoView {
    let length = text.chars().count();
    let open = RwSignal::new(false);
    let foldable = length > FOLDED_AFTER;
    view! {
        <p class="subnet-description" class:folded=move || foldable && !open.get()><bdi>{shown(&text)}</bdi></p>
        {foldable.then(|| view! {
            <button type="button" class="button text-toggle" aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)>
                {move || if open.get() { "Show less".to_string() } else { format!("Show the whole description ({length} characters)") }}
            </button>
        })}
    }
}

/// How the price was found, in the few words under it (its tooltip says it in full).
fn price_note(subnet: &Subnet) -> String {
    match &subnet.price_method {
        PriceMethod::BalancerFormula if subnet.netuid == 0 => "root: 1 τ per α".into(),
        PriceMethod::BalancerFormula => format!("(1 − q)/q × TAO ÷ α, q = {:.2}", subnet.pool_quote_weight),
        PriceMethod::RuntimeAnswer { .. } => {
            "the runtime's answer (current_alpha_price_all): the pool is on a Swap.SwapSuperellipse curve".into()
        }
        PriceMethod::Unavailable { why } => why.clone(),
    }
}

/// When the next epoch starts and how far apart epochs are (`None` for tempo 0).
fn epoch_note(subnet: &Subnet) -> Option<(String, String)> {
    let spacing = subnet.epoch_spacing?;
    Some((
        format::block(spacing.next_epoch_start),
        format!("every {} (tempo {})", format::blocks(spacing.blocks), subnet.tempo),
    ))
}

/// Mechanism shares as "70 % / 30 %".
fn mechanism_split_text(split: &[f64]) -> String {
    split
        .iter()
        .map(|share| format::percent(*share))
        .collect::<Vec<_>>()
        .join(" / ")
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
                <span class="symbol"><bdi>{shown(&subnet.symbol)}</bdi></span>" "<bdi>{shown(&title)}</bdi>
            </h1>
            <p class="subnet-badges">{subnet_badges(&subnet)}" "<StarButton item=Starred::Subnet(subnet.netuid) what=format!("subnet {}", subnet.netuid)/></p>
            <Description text=description/>
            {(subnet.consensus == ConsensusMode::Null).then(|| view! {
                <p class="null-consensus" role="note">
                    "This subnet runs Null consensus: the one permitted validator's weights are used as set, so consensus and validator trust are zero for every uid. That is how the mode works, not a sign of poor trust."
                </p>
            })}
            <p class="identity-links">
                <ExternalLink label="Website" url=url/>
                <ExternalLink label="Source" url=github_repo/>
                <ExternalLink label="Logo" url=logo_url/>
            </p>
            <div class="stats">
                <div class="stat price-stat" title=price_method_text(&subnet) data-price-method=price_method_name(&subnet.price_method)>
                    <div class="stat-label">"Price"</div>
                    <div class="stat-value">{format::price(subnet.price)}</div>
                    <div class="stat-note">{price_note(&subnet)}</div>
                </div>
                {epoch_note(&subnet).map(|(next, every)| view! {
                    <div class="stat epoch-stat" title="Source: SubtensorModule.LastEpochBlock + Tempo, or PendingEpochAt when an epoch the owner triggered comes first">
                        <div class="stat-label">"Next epoch"</div>
                        <div class="stat-value">{next}</div>
                        <div class="stat-note">{every}</div>
                    </div>
                })}
                {(subnet.mechanisms > 1).then(|| view! {
                    <div class="stat" title="Source: MechanismEmissionSplit (an even split when unset)">
                        <div class="stat-label">"Emission split"</div>
                        <div class="stat-value">{mechanism_split_text(&subnet.mechanism_split)}</div>
                        <div class="stat-note">{format!("{} mechanisms", subnet.mechanisms)}</div>
                    </div>
                })}
                <div class="stat"><div class="stat-label">"Emission"</div><div class="stat-value">{format!("{} / block", format::tao(subnet.tao_emission_per_block_rao))}</div></div>
                <div class="stat"><div class="stat-label">"Emission share"</div><div class="stat-value">{format::percent(subnet.emission_share)}</div></div>
                <div class="stat"><div class="stat-label">"Pool"</div><div class="stat-value">{format::tao(subnet.tao_in_rao)}</div></div>
            </div>
        </header>
    }
}

/// Which neurons the table shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// The subnet page; an invalid netuid shows the not-found view. The page is built afresh for
/// each incentive mechanism (`?mechanism=K`), whose metagraph is a query of its own.
#[component]
pub fn Subnet() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let netuid = Memo::new(move |_| params.with(|p| p.get("netuid").and_then(|n| n.parse::<u16>().ok())));
    let mechanism =
        Memo::new(move |_| query.with(|q| param::<u8>(q.get("mechanism").as_deref(), "mechanism", 0, &mut Vec::new())));
    move || match netuid.get() {
        None => view! { <crate::pages::not_found::NotFound/> }.into_any(),
        Some(netuid) => view! { <SubnetView netuid=netuid mechanism=mechanism.get()/> }.into_any(),
    }
}

impl Tab {
    fn param(self) -> Option<String> {
        match self {
            Tab::All => None,
            Tab::Validators => Some("validators".to_string()),
            Tab::Miners => Some("miners".to_string()),
        }
    }

    fn keeps(self, neuron: &Neuron) -> bool {
        match self {
            Tab::All => true,
            Tab::Validators => neuron.validator_permit,
            Tab::Miners => !neuron.validator_permit,
        }
    }
}

/// `/subnets/N` with the mechanism, tab and sort in its query string.
fn subnet_url(netuid: u16, mechanism: u8, tab: Tab, sort: Sort<Row>) -> String {
    let query = query::query_string(&[
        ("mechanism", (mechanism != 0).then(|| mechanism.to_string())),
        ("tab", tab.param()),
        ("sort", (sort != default_sort()).then(|| COLUMNS.sort_param(sort))),
    ]);
    format!("/subnets/{netuid}{query}")
}

/// The mechanism links of a subnet that runs several, each with its share of the emission. Like
/// the neuron tabs, plain links (the router still handles their clicks) with `aria-current` on the
/// one shown: a link takes no `aria-selected`, and `A` would mark every link to this path current,
/// whatever its query string.
#[component]
fn MechanismPicker(
    netuid: u16,
    mechanism: u8,
    split: Vec<f64>,
    tab: Memo<Tab>,
    sort: Signal<Sort<Row>>,
) -> impl IntoView {
    let links = split
        .into_iter()
        .enumerate()
        .map(|(index, share)| {
            let index = index as u8;
            view! {
                <a href=move || subnet_url(netuid, index, tab.get(), sort.get()) class="tab"
                    aria-current=(index == mechanism).then_some("page")
                    title="Its incentive is Incentive[netuid + mechanism × 4096]; its share of the emission is MechanismEmissionSplit">
                    {format!("Mechanism {index} · {}", format::percent(share))}
                </a>
            }
        })
        .collect_view();
    view! { <nav class="tabs mechanisms" aria-label="Incentive mechanisms">{links}</nav> }
}

#[component]
fn SubnetView(netuid: u16, mechanism: u8) -> impl IntoView {
    let query = use_query_map();
    let tab = Memo::new(move |_| Tab::from_query(query.with(|q| q.get("tab"))));
    let subnet = use_subnet(netuid);
    let parsed = Memo::new(move |_| {
        let (sort, mut notices) = query.with(|q| {
            query::read_all(&query::pairs(q), &["tab"], |get| {
                let mut notices = Vec::new();
                let sort = COLUMNS.parse_sort(get("sort").as_deref(), default_sort(), &mut notices);
                param::<u8>(get("mechanism").as_deref(), "mechanism", 0, &mut notices);
                (sort, notices)
            })
        });
        let mechanisms = subnet
            .data
            .with(|s| s.as_ref().and_then(|s| s.data.as_ref().map(|s| s.mechanisms)));
        if let Some(count) = mechanisms.filter(|count| mechanism >= *count) {
            notices.push(format!(
                "Subnet {netuid} runs {count} incentive mechanism(s), numbered from 0: mechanism {mechanism} does not exist."
            ));
        }
        (sort, notices)
    });
    let sort = Signal::derive(move || parsed.get().0);
    let notices = Signal::derive(move || parsed.get().1);
    let replace_url = use_replace_url();
    let on_sort =
        Callback::new(move |sort: Sort<Row>| replace_url.run(subnet_url(netuid, mechanism, tab.get_untracked(), sort)));
    let live = use_metagraph(netuid, mechanism);
    let history = use_history();
    let rows = Memo::new(move |_| {
        let tab = tab.get();
        let watched: Vec<String> = history
            .map(|h| {
                h.watchlist.with(|w| {
                    w.hotkeys
                        .iter()
                        .filter(|(n, _)| *n == netuid)
                        .map(|(_, hotkey)| hotkey.clone())
                        .collect()
                })
            })
            .unwrap_or_default();
        live.data.with(|data| {
            data.as_ref().map(|d| {
                let standings = d.data.pruning_standings(d.block_number);
                let mut shown: Vec<Row> = d
                    .data
                    .neurons
                    .iter()
                    .enumerate()
                    .filter(|(_, n)| tab.keeps(n))
                    .map(|(index, n)| Row {
                        netuid,
                        neuron: n.clone(),
                        standing: standings.as_ref().and_then(|s| s.get(index).copied()),
                        watched: watched.contains(&n.hotkey),
                    })
                    .collect();
                COLUMNS.sort_rows(&mut shown, sort.get());
                shown
            })
        })
    });
    let export = move || {
        let provenance = live.provenance.get_untracked()?;
        let topic = if mechanism == 0 {
            format!("metagraph-{netuid}")
        } else {
            format!("metagraph-{netuid}-mechanism-{mechanism}")
        };
        rows.with_untracked(|rows| Some(COLUMNS.export(topic, &provenance, rows.as_deref()?)))
    };
    // Links, not ARIA tabs: each is a URL of its own; the one shown is the current page.
    let tab_link = move |target: Tab, label: &'static str| {
        view! {
            <a href=move || subnet_url(netuid, mechanism, target, sort.get()) class="tab" aria-current=move || (tab.get() == target).then_some("page")>
                {label}
            </a>
        }
    };
    let has_neurons = move || {
        live.data
            .with(|d| d.as_ref().is_some_and(|d| !d.data.neurons.is_empty()))
    };
    view! {
        <section class="page" aria-labelledby="page-title">
            <p class="breadcrumb"><A href="/subnets">"Subnets"</A>" / "{netuid}</p>
            {move || match subnet.data.get().and_then(|s| s.data.clone()) {
                Some(subnet) => view! { <SubnetHeader subnet=subnet/> }.into_any(),
                None => view! { <h1 id="page-title">{format!("Subnet {netuid}")}</h1> }.into_any(),
            }}
            <AlertButton scope=Scope::Subnet(netuid) what=format!("subnet {netuid}")/>
            <Notices notices=notices/>
            {move || subnet.data.get().and_then(|s| s.data.clone()).filter(|s| s.mechanisms > 1).map(|s| view! {
                <MechanismPicker netuid=netuid mechanism=mechanism split=s.mechanism_split tab=tab sort=sort/>
            })}
            <nav class="tabs" aria-label="Neurons">
                {tab_link(Tab::All, "All")}
                {tab_link(Tab::Validators, "Validators")}
                {tab_link(Tab::Miners, "Miners")}
            </nav>
            {move || match live.data.with(|d| d.as_ref().map(|d| (d.data.neurons.len(), d.data.source.clone()))) {
                None => view! { <Pending what="the metagraph" error=live.error/> }.into_any(),
                Some((0, _)) => view! {
                    <ProvenanceLine provenance=live.provenance/>
                    <div class="empty-state">
                        <p>"This subnet has no registered neurons at this block, or does not exist."</p>
                        <A href="/subnets">"Back to all subnets"</A>
                    </div>
                }.into_any(),
                Some((total, source)) => view! {
                    {move || live.data.with(|d| d.as_ref().and_then(|d| pruning_note(&d.data, d.block_number))).map(|text| view! {
                        <p class="pruning-note" role="note">{text}</p>
                    })}
                    <TableToolbar provenance=live.provenance what="neurons" total=total
                        shown=Signal::derive(move || rows.with(|r| r.as_ref().map_or(0, Vec::len))) table=export>
                        <span class="muted read-path">{read_path(&source, mechanism)}</span>
                    </TableToolbar>
                    <DataTable columns=COLUMNS label="Neurons" rows=Signal::derive(move || rows.get().unwrap_or_default())
                        sort=sort on_sort=on_sort empty="No neuron on this tab."/>
                }.into_any(),
            }}
            {move || live.data.get().filter(|_| has_neurons()).zip(live.provenance.get_untracked()).map(|(snapshot, provenance)| {
                let neurons = &snapshot.data.neurons;
                let topic = |what: &str| format!("sn{netuid}-{what}");
                // Embeds show mechanism 0; another mechanism's incentive chart is not embeddable.
                let (incentive_title, incentive_topic, incentive_embed) = if mechanism == 0 {
                    ("Incentive distribution", topic("incentive"), Some((Widget::Incentive(netuid).path(), false)))
                } else {
                    ("Incentive distribution, this mechanism", topic(&format!("mechanism-{mechanism}-incentive")), None)
                };
                view! {
                    <div class="charts">
                        <Chart title=incentive_title file_topic=incentive_topic stamp=provenance.chart_stamp()
                            data=chart_data::incentive_distribution(neurons)
                            embed=incentive_embed/>
                        <Chart title="Validator trust per validator" file_topic=topic("vtrust") stamp=provenance.chart_stamp()
                            data=chart_data::validator_trust(neurons)
                            embed=Some((Widget::ValidatorTrust(netuid).path(), false))/>
                        <Chart title="Stake vs dividends (validators)" file_topic=topic("stake-dividends") stamp=provenance.chart_stamp()
                            data=chart_data::stake_vs_dividends(neurons)
                            embed=Some((Widget::StakeVsDividends(netuid).path(), false))/>
                        <Chart title="Emission split, last epoch" file_topic=topic("emission-split") stamp=provenance.chart_stamp()
                            data=chart_data::emission_split(neurons)
                            embed=Some((Widget::EmissionSplit(netuid).path(), false))/>
                    </div>
                }
            })}
            <SwapSimulator netuids=Signal::stored(vec![netuid])/>
            <section class="history" aria-labelledby="history-title">
                <h2 id="history-title">"History in this browser"</h2>
                <HistoryStatus/>
                <SubnetHistoryCharts netuid=netuid/>
            </section>
            {move || subnet.data.get().and_then(|s| s.data.clone()).map(|s| view! { <SubnetMethod subnet=s/> })}
        </section>
    }
}

/// How this subnet's header figures are computed, this subnet's method named.
#[component]
fn SubnetMethod(subnet: Subnet) -> impl IntoView {
    let emission = if subnet.emission_enabled {
        "SubtensorModule.SubnetEmissionEnabled is true (or absent from this runtime): pool-side emission is on."
    } else {
        "SubtensorModule.SubnetEmissionEnabled is false: emission off by policy; the pool-side emission (α and TAO injected into the pool, chain buys) counts as zero, while α for participants and the owner's cut are unchanged."
    };
    view! {
        <MethodNotes>
            <dt>"Price"</dt>
            <dd class="price-method">{format!("This subnet: {} ", price_method_text(&subnet))}{PRICE_METHOD}</dd>
            <dt>"Next epoch"</dt>
            <dd class="epoch-method">{format!("{}: the next epoch starts at LastEpochBlock + Tempo, or at PendingEpochAt when an epoch the owner triggered comes first (SubtensorModule.LastEpochBlock, Tempo, PendingEpochAt). Yields on this subnet are annualised on 7,200 × 365 ÷ S epochs a year.", spacing_text(subnet.epoch_spacing))}</dd>
            <dt>"Emission"</dt>
            <dd>{format!("SubnetTaoInEmission + SubnetExcessTao in the last block. {emission}")}</dd>
        </MethodNotes>
    }
}

/// What a miner asks first: who would be replaced if someone registered now, and how many uids
/// are still protected (`None` when the runtime lacks the pruning items).
fn pruning_note(metagraph: &light_client::model::Metagraph, block: u64) -> Option<String> {
    let rule = metagraph.pruning.as_ref()?;
    let standings = metagraph.pruning_standings(block)?;
    let immune = standings.iter().filter(|s| s.immune_until.is_some()).count();
    let next = standings
        .iter()
        .position(|s| s.next)
        .map(|index| metagraph.neurons[index].uid);
    let rule_text = format!(
        "immunity {} after registration; no uid past it is pruned unless more than {} are",
        format::blocks(u64::from(rule.immunity_period)),
        rule.min_non_immune
    );
    Some(match next {
        Some(uid) => format!(
            "Pruning at {}: a registration on a full subnet would replace uid {uid} (▼). {immune} of {} uids are immune ({rule_text}).",
            format::block(block),
            standings.len()
        ),
        None => format!(
            "Pruning at {}: no uid can be replaced ({rule_text}).",
            format::block(block)
        ),
    })
}

/// How the metagraph was read, for the provenance line.
fn read_path(source: &MetagraphSource, mechanism: u8) -> String {
    match (source, mechanism) {
        (MetagraphSource::RuntimeCall, 0) => {
            "Read with one runtime call (get_selective_metagraph) and ValidatorTrust".to_string()
        }
        (MetagraphSource::RuntimeCall, _) => {
            "Read with one runtime call (get_selective_mechagraph) and ValidatorTrust".to_string()
        }
        (MetagraphSource::StorageReads { why }, _) => format!("Read from storage item by item: {why}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn neuron(uid: u16, stake_alpha: u64, validator_trust: f64, permit: bool) -> Neuron {
        Neuron {
            uid,
            hotkey: format!("5hot{uid}"),
            coldkey: format!("5cold{uid}"),
            stake_alpha,
            validator_permit: permit,
            validator_trust,
            consensus: 0.5,
            incentive: f64::from(uid) / 10.0,
            dividends: 0.1,
            emission_alpha: u64::from(uid) * 7,
            active: uid.is_multiple_of(2),
            last_update: 100 + u64::from(uid),
            registered_at: 5,
            axon: (uid == 1).then(|| "10.0.0.1:8091".to_string()),
        }
    }

    #[test]
    fn every_column_sorts_and_exports_its_raw_value() {
        let neurons = vec![
            neuron(0, 50, 0.9, true),
            neuron(1, 10, 0.0, false),
            neuron(2, 30, 0.5, true),
        ];
        let standings = [
            Some(Standing {
                immune_until: Some(40),
                ..Standing::default()
            }),
            Some(Standing {
                rank: Some(1),
                next: true,
                ..Standing::default()
            }),
            None,
        ];
        let mut rows: Vec<Row> = neurons
            .into_iter()
            .zip(standings)
            .map(|(neuron, standing)| Row {
                netuid: 1,
                neuron,
                standing,
                watched: false,
            })
            .collect();
        crate::table::check_spec(COLUMNS, &rows);
        COLUMNS.sort_rows(&mut rows, COLUMNS.sort("stake", true));
        assert_eq!(rows.iter().map(|r| r.neuron.uid).collect::<Vec<_>>(), [0, 2, 1]);
        COLUMNS.sort_rows(&mut rows, COLUMNS.sort("prune", false));
        assert_eq!(rows[0].neuron.uid, 1, "the next to be pruned sorts first");
    }

    #[test]
    fn tabs_and_urls() {
        let permit = neuron(0, 1, 1.0, true);
        assert!(Tab::Validators.keeps(&permit) && !Tab::Miners.keeps(&permit) && Tab::All.keeps(&permit));
        assert_eq!(subnet_url(3, 0, Tab::All, default_sort()), "/subnets/3");
        assert_eq!(
            subnet_url(3, 0, Tab::Validators, COLUMNS.sort("stake", true)),
            "/subnets/3?tab=validators&sort=-stake"
        );
        assert_eq!(subnet_url(3, 1, Tab::All, default_sort()), "/subnets/3?mechanism=1");
    }
}
