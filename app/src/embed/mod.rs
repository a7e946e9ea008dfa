//! Embeddable widgets (`/embed/...`): one chart or card with minimal chrome, its own light client
//! (never a trusted RPC node, whatever the URL or saved settings say), a provenance line and a
//! link to the full view. The host learns the frame's height by
//! `postMessage`, only when it named its origin (`&origin=`); the only message the frame acts on
//! is a well-formed theme message from that same origin.

pub mod options;

use leptos::prelude::*;
use light_client::model::Subnet;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use crate::chain::{self, TrustPolicy};
use crate::charts::{Chart, data as chart_data};
use crate::components::provenance::ProvenanceLine;
use crate::components::state::Pending;
use crate::data::provenance::Provenance;
use crate::data::{self, use_metagraph, use_subnet, use_subnets, use_validator};
use crate::format;
use crate::names::{shown, subnet_name, validator_name};
use crate::theme::{ThemeStore, provide_theme};
use options::{EmbedOptions, Metric, Widget, parse_options, parse_origin, theme_from_message, widget_from_path};

/// Posts the document's height to `origin` whenever it changes.
fn post_heights(origin: String) {
    let last = std::cell::Cell::new(0.0);
    let post = move || {
        let Some(window) = web_sys::window() else { return };
        let height = window
            .document()
            .and_then(|d| d.document_element())
            .map(|e| f64::from(e.scroll_height()))
            .unwrap_or(0.0);
        if height == last.get() {
            return;
        }
        last.set(height);
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"type".into(), &"taoscope:height".into());
        let _ = js_sys::Reflect::set(&message, &"height".into(), &height.into());
        if let Ok(Some(parent)) = window.parent() {
            let _ = parent.post_message(&message, &origin);
        }
    };
    post();
    gloo_timers::callback::Interval::new(500, post).forget();
}

/// Applies theme messages from `origin` (and from nowhere else).
fn accept_theme_messages(origin: String, theme: ThemeStore) {
    let Some(window) = web_sys::window() else { return };
    let listener = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
        if event.origin() != origin {
            return;
        }
        let data = event.data();
        let text = |name: &str| {
            js_sys::Reflect::get(&data, &name.into())
                .ok()
                .and_then(|v| v.as_string())
        };
        if let Some(choice) = theme_from_message(text("type").as_deref(), text("theme").as_deref()) {
            theme.choice.set(choice);
        }
    });
    let _ = window.add_event_listener_with_callback("message", listener.as_ref().unchecked_ref());
    listener.forget();
}

fn query_value(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search).ok()?.get(name)
}

/// The whole page for an `/embed/...` URL.
#[component]
pub fn EmbedApp() -> impl IntoView {
    let path = web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default();
    let parsed = widget_from_path(&path).and_then(|widget| parse_options(&widget, query_value).map(|o| (widget, o)));
    // Heights go to the host even when the URL is refused, so the message is not cut off.
    let origin = query_value("origin").and_then(|text| parse_origin(&text));
    let theme = provide_theme(parsed.as_ref().ok().map(|(_, o)| o.theme), false);
    if let Some(origin) = origin {
        post_heights(origin.clone());
        accept_theme_messages(origin, theme);
    }
    match parsed {
        Err(message) => view! {
            <div class="embed">
                <p class="embed-message" role="alert">{message}</p>
                <p class="embed-footer"><a href="/" target="_blank" rel="noopener noreferrer">"Taoscope"</a></p>
            </div>
        }
        .into_any(),
        Ok((widget, options)) => {
            // Always the light client: a framing site must not choose the source behind our footer.
            chain::provide_chain_store(options.chain.clone(), TrustPolicy::LightClientOnly);
            data::provide_data_stores();
            if let Some((r, g, b)) = options.accent
                && let Some(root) = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.document_element())
            {
                // Validated hex digits only: nothing user-written reaches the style attribute.
                let _ = root.set_attribute("style", &format!("--accent: #{r:02x}{g:02x}{b:02x}"));
            }
            view! { <div class="embed"><EmbedWidget widget=widget options=options/></div> }.into_any()
        }
    }
}

/// The widget's provenance (the same words as the full app's, in short: "✓ verified · #N", or
/// the stale, no-peers and refresh-failed states) and a link to the full view.
#[component]
fn EmbedFooter(#[prop(into)] provenance: Signal<Option<Provenance>>, full_view: String) -> impl IntoView {
    let store = chain::use_chain();
    let waiting = move || {
        provenance
            .with(Option::is_none)
            .then(|| view! { <span class="embed-provenance">{crate::components::sync_status::describe(&store.status.get())}</span> })
    };
    view! {
        <p class="embed-footer">
            <ProvenanceLine provenance=provenance compact=true/>
            {waiting}
            <a href=full_view target="_blank" rel="noopener noreferrer">"Open in Taoscope"</a>
        </p>
        <crate::components::service_notice::ServiceNotice/>
    }
}

#[component]
fn EmbedWidget(widget: Widget, options: EmbedOptions) -> impl IntoView {
    match widget {
        Widget::Emissions => view! { <SubnetsEmbed options=options price=false/> }.into_any(),
        Widget::PriceVsEmission => view! { <SubnetsEmbed options=options price=true/> }.into_any(),
        Widget::Incentive(netuid)
        | Widget::ValidatorTrust(netuid)
        | Widget::StakeVsDividends(netuid)
        | Widget::EmissionSplit(netuid) => {
            view! { <MetagraphEmbed netuid=netuid options=options widget=widget.clone()/> }.into_any()
        }
        Widget::SubnetCard(netuid) => view! { <SubnetCardEmbed netuid=netuid/> }.into_any(),
        Widget::Validator(hotkey) => view! { <ValidatorEmbed hotkey=hotkey/> }.into_any(),
    }
}

/// Subnet-level charts: emission by subnet, or price against emission share (`price`).
#[component]
fn SubnetsEmbed(options: EmbedOptions, price: bool) -> impl IntoView {
    let live = use_subnets();
    let (title, tao) = match (price, options.metric) {
        (true, _) => ("Price vs emission share", false),
        (false, Metric::Tao) => ("TAO emission per block by subnet", true),
        (false, _) => ("Emission share by subnet", false),
    };
    view! {
        {move || match live.data.get().zip(live.provenance.get_untracked()) {
            None => view! { <Pending what="subnets" error=live.error/> }.into_any(),
            Some((snapshot, provenance)) => {
                let subnets: Vec<Subnet> = snapshot.data.iter().filter(|s| s.netuid != 0).cloned().collect();
                let data = if price {
                    chart_data::price_vs_emission(&subnets)
                } else if tao {
                    chart_data::emission_tao(&subnets, options.top)
                } else {
                    chart_data::emission_shares(&subnets, options.top)
                };
                view! {
                    <Chart title=title file_topic="emissions".into() stamp=provenance.chart_stamp() data=data
                        size=Some(options.size) accent=options.accent/>
                }.into_any()
            }
        }}
        <EmbedFooter provenance=live.provenance full_view="/subnets".to_string()/>
    }
}

/// One subnet's metagraph charts, chosen by `widget`.
#[component]
fn MetagraphEmbed(netuid: u16, options: EmbedOptions, widget: Widget) -> impl IntoView {
    let live = use_metagraph(netuid, 0);
    let metric = options.metric;
    let title = match (&widget, metric) {
        (Widget::ValidatorTrust(_), _) => "Validator trust",
        (Widget::StakeVsDividends(_), _) => "Stake vs dividends (validators)",
        (Widget::EmissionSplit(_), _) => "Emission split, last epoch",
        (_, Metric::Dividends) => "Dividends by uid",
        (_, Metric::Consensus) => "Consensus by uid",
        (_, _) => "Incentive by uid",
    };
    view! {
        {move || match live.data.get().zip(live.provenance.get_untracked()) {
            None => view! { <Pending what="the metagraph" error=live.error/> }.into_any(),
            Some((snapshot, _)) if snapshot.data.neurons.is_empty() => view! {
                <p class="embed-message" role="alert">{format!("Subnet {netuid} has no neurons at this block, or does not exist.")}</p>
            }.into_any(),
            Some((snapshot, provenance)) => {
                let neurons = &snapshot.data.neurons;
                let data = match widget {
                    Widget::ValidatorTrust(_) => chart_data::validator_trust(neurons),
                    Widget::StakeVsDividends(_) => chart_data::stake_vs_dividends(neurons),
                    Widget::EmissionSplit(_) => chart_data::emission_split(neurons),
                    _ => match metric {
                        Metric::Dividends => chart_data::uid_distribution(neurons, |n| n.dividends, "Dividends"),
                        Metric::Consensus => chart_data::uid_distribution(neurons, |n| n.consensus, "Consensus"),
                        _ => chart_data::incentive_distribution(neurons),
                    },
                };
                view! {
                    <Chart title=title file_topic=format!("sn{netuid}") stamp=provenance.chart_stamp() data=data
                        size=Some(options.size) accent=options.accent/>
                }.into_any()
            }
        }}
        <EmbedFooter provenance=live.provenance full_view=format!("/subnets/{netuid}")/>
    }
}

#[component]
fn SubnetCardEmbed(netuid: u16) -> impl IntoView {
    let live = use_subnet(netuid);
    view! {
        {move || match live.data.get() {
            None => view! { <Pending what="the subnet" error=live.error/> }.into_any(),
            Some(snapshot) => match snapshot.data.clone() {
                None => view! { <p class="embed-message" role="alert">{format!("There is no subnet {netuid} at this block.")}</p> }.into_any(),
                Some(s) => view! {
                    <div class="embed-card">
                        <h1 class="subnet-name" title=s.name.clone()>
                            <span class="symbol"><bdi>{shown(&s.symbol)}</bdi></span>" "<bdi>{shown(&subnet_name(&s))}</bdi>
                            <span class="muted">{format!(" · subnet {netuid}")}</span>
                        </h1>
                        <div class="stats">
                            <div class="stat"><div class="stat-label">"Price"</div><div class="stat-value">{format::price(s.price)}</div></div>
                            <div class="stat"><div class="stat-label">"Emission share"</div><div class="stat-value">{format::percent(s.emission_share)}</div></div>
                            <div class="stat"><div class="stat-label">"TAO / block"</div><div class="stat-value">{format::tao(s.tao_emission_per_block_rao)}</div></div>
                            <div class="stat"><div class="stat-label">"Pool"</div><div class="stat-value">{format::tao(s.tao_in_rao)}</div></div>
                            <div class="stat"><div class="stat-label">"UIDs"</div><div class="stat-value">{format!("{}/{}", s.uids, s.max_uids)}</div></div>
                        </div>
                    </div>
                }.into_any(),
            },
        }}
        <EmbedFooter provenance=live.provenance full_view=format!("/subnets/{netuid}")/>
    }
}

#[component]
fn ValidatorEmbed(hotkey: String) -> impl IntoView {
    let live = use_validator(hotkey.clone());
    view! {
        {move || match live.data.get() {
            None => view! { <Pending what="the validator" error=live.error/> }.into_any(),
            Some(snapshot) => match snapshot.data.clone() {
                None => view! { <p class="embed-message" role="alert">"This hotkey is not a delegate at this block."</p> }.into_any(),
                Some(v) => view! {
                    <div class="embed-card">
                        <h1 class="subnet-name" title=v.name.clone()><bdi>{shown(&validator_name(&v))}</bdi></h1>
                        <div class="stats">
                            <div class="stat"><div class="stat-label">"Take"</div><div class="stat-value">{format::percent(v.take)}</div></div>
                            <div class="stat"><div class="stat-label">"Stake"</div><div class="stat-value">{format::tao(v.stake_tao_equivalent_rao)}</div></div>
                            <div class="stat"><div class="stat-label">"Subnets"</div><div class="stat-value">{v.subnets.len()}</div></div>
                            <div class="stat"><div class="stat-label">"Mean v. trust"</div><div class="stat-value">{v.mean_validator_trust().map(|t| format!("{t:.4}")).unwrap_or_else(|| "—".into())}</div></div>
                        </div>
                    </div>
                }.into_any(),
            },
        }}
        <EmbedFooter provenance=live.provenance full_view=format!("/validators/{hotkey}")/>
    }
}
