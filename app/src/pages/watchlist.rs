//! The watchlist page: what the user starred, each with the history this browser recorded of it,
//! and the history itself: whether it records, export (JSON, CSV), import, clear.

use leptos::prelude::*;
use leptos_router::components::A;
use wasm_bindgen::JsCast;

use crate::charts::{Chart, data as chart_data, history_chart_stamp};
use crate::components::alerts::{AlertButton, Scope};
use crate::components::export::{CopyText, download};
use crate::components::history::{HistoryStatus, StarButton, Starred};
use crate::components::url_state::UnknownParameters;
use crate::data::history::use_history;
use crate::data::{use_subnets, use_validator};
use crate::format;
use crate::history;
use crate::names::{shown, subnet_name, validator_name};

/// `/watchlist`.
#[component]
pub fn Watchlist() -> impl IntoView {
    let Some(store) = use_history() else {
        return ().into_any();
    };
    let subnets = use_subnets();
    let subnet_label = move |netuid: u16| {
        subnets
            .data
            .with(|d| {
                d.as_ref()
                    .and_then(|d| d.data.iter().find(|s| s.netuid == netuid).map(subnet_name))
            })
            .unwrap_or_else(|| "—".to_string())
    };
    let empty = Memo::new(move |_| {
        store.genesis.with(Option::is_some)
            && store
                .watchlist
                .with(|w| w.subnets.is_empty() && w.validators.is_empty() && w.hotkeys.is_empty())
    });
    view! {
        <section class="page" aria-labelledby="page-title">
            <h1 id="page-title">"Watchlist"</h1>
            <UnknownParameters/>
            <p class="lede">"What you starred, with the history this browser has recorded of it while Taoscope was open. No server keeps it: the points are verified snapshots kept here, and stay on this device unless you export them."</p>
            <HistoryStatus/>
            <Show when=move || empty.get()>
                <div class="empty-state">
                    <p>"Nothing starred yet. Star a subnet or a validator on its page (☆ Watch), or a hotkey in a subnet's neuron table; their history then records on every page."</p>
                    <A href="/subnets">"Browse subnets"</A>
                </div>
            </Show>
            <For each=move || store.watchlist.with(|w| w.subnets.clone()) key=|netuid| *netuid let:netuid>
                <article class="watch-item" data-kind="subnet" data-netuid=netuid>
                    <h2>
                        <A href=format!("/subnets/{netuid}")>{format!("SN{netuid} · ")}<bdi>{move || shown(&subnet_label(netuid))}</bdi></A>
                        " "<StarButton item=Starred::Subnet(netuid) what=format!("subnet {netuid}")/>
                    </h2>
                    <SubnetHistoryCharts netuid=netuid/>
                </article>
            </For>
            <For each=move || store.watchlist.with(|w| w.validators.clone()) key=|hotkey| hotkey.clone() let:hotkey>
                <article class="watch-item" data-kind="validator" data-hotkey=hotkey.clone()>
                    <h2>
                        <ValidatorTitle hotkey=hotkey.clone()/>
                        " "<StarButton item=Starred::Validator(hotkey.clone()) what=format!("validator {hotkey}")/>
                    </h2>
                    <ValidatorHistory hotkey=hotkey.clone()/>
                </article>
            </For>
            <For each=move || store.watchlist.with(|w| w.hotkeys.clone()) key=|item| item.clone() let:item>
                <article class="watch-item" data-kind="hotkey" data-netuid=item.0 data-hotkey=item.1.clone()>
                    <h2>
                        {format!("Hotkey on SN{} ", item.0)}<CopyText text=item.1.clone() label="hotkey"/>
                        " "<StarButton item=Starred::Hotkey(item.0, item.1.clone()) what=format!("hotkey {} on subnet {}", item.1, item.0)/>
                    </h2>
                    <AlertButton scope=Scope::Hotkey(item.0, item.1.clone()) what=format!("hotkey {} on subnet {}", item.1, item.0)/>
                    <HotkeyHistory netuid=item.0 hotkey=item.1.clone()/>
                </article>
            </For>
            <HistoryFile/>
        </section>
    }
    .into_any()
}

/// A starred validator's name, linked to its page (its store is kept open by the recorder).
#[component]
fn ValidatorTitle(hotkey: String) -> impl IntoView {
    let live = use_validator(hotkey.clone());
    let short = format::short(&hotkey);
    let name = move || {
        live.data
            .with(|d| d.as_ref().and_then(|d| d.data.as_ref().map(validator_name)))
            .unwrap_or_else(|| short.clone())
    };
    view! { <A href=format!("/validators/{hotkey}")>"Validator "<bdi>{move || shown(&name())}</bdi></A> }
}

/// A subnet's price and emission share over the recorded subnets points.
#[component]
pub fn SubnetHistoryCharts(netuid: u16) -> impl IntoView {
    let Some(store) = use_history() else {
        return ().into_any();
    };
    let charts = Memo::new(move |_| {
        store.history.with(|h| {
            (
                chart_data::subnet_price_history(h, netuid),
                chart_data::subnet_share_history(h, netuid),
            )
        })
    });
    view! {
        {move || {
            if !store.shown() {
                return ().into_any();
            }
            let (price, share) = charts.get();
            if price.is_empty() {
                return view! { <p class="hint">"No history recorded yet: points are added every few finalized blocks while Taoscope is open."</p> }.into_any();
            }
            view! {
                <div class="charts history-charts">
                    <Chart title="Price over time" file_topic=format!("sn{netuid}-price-history") stamp=history_chart_stamp(&price) data=price/>
                    <Chart title="Emission share over time" file_topic=format!("sn{netuid}-emission-history") stamp=history_chart_stamp(&share) data=share/>
                </div>
            }
            .into_any()
        }}
    }
    .into_any()
}

/// A validator's windowed yields and its APY, trust and stake over the recorded points.
#[component]
pub fn ValidatorHistory(hotkey: String) -> impl IntoView {
    let Some(store) = use_history() else {
        return ().into_any();
    };
    let hotkey = StoredValue::new(hotkey);
    let points = Memo::new(move |_| {
        store.history.with(|h| {
            hotkey.with_value(|hotkey| {
                h.validators
                    .iter()
                    .find(|s| &s.hotkey == hotkey)
                    .map(|s| s.points.clone())
                    .unwrap_or_default()
            })
        })
    });
    view! {
        {move || {
            if !store.shown() {
                return ().into_any();
            }
            let points = points.get();
            if points.is_empty() {
                return view! { <p class="hint">"No history recorded yet: a point is added every few finalized blocks while it is starred."</p> }.into_any();
            }
            let (apy, trust, stake) = (
                chart_data::validator_apy_history(&points),
                chart_data::validator_trust_history(&points),
                chart_data::validator_stake_history(&points),
            );
            let topic = |what: &str| format!("validator-{}-{what}", format::short(&hotkey.get_value()).replace('…', "-"));
            view! {
                <WindowedYields points=points.clone()/>
                <div class="charts history-charts">
                    <Chart title="Last-epoch APY over time" file_topic=topic("apy-history") stamp=history_chart_stamp(&apy) data=apy/>
                    <Chart title="Mean validator trust over time" file_topic=topic("trust-history") stamp=history_chart_stamp(&trust) data=trust/>
                    <Chart title="Stake over time" file_topic=topic("stake-history") stamp=history_chart_stamp(&stake) data=stake/>
                </div>
            }
            .into_any()
        }}
    }
    .into_any()
}

/// The windows a yield is shown over, and their names.
const WINDOWS: [(&str, f64); 3] = [
    ("1 day", 86_400_000.0),
    ("7 days", 604_800_000.0),
    ("30 days", 2_592_000_000.0),
];

/// A validator's yield over 1, 7 and 30 days where this browser's points cover them, and over
/// everything it saw, next to how many epochs each figure covers.
#[component]
fn WindowedYields(points: Vec<history::ValidatorPoint>) -> impl IntoView {
    let now = js_sys::Date::now();
    let seen_ms = points.first().map_or(0.0, |p| now - p.stamp.at_ms);
    let mut rows: Vec<(String, Option<f64>)> = WINDOWS
        .iter()
        .map(|(name, window)| {
            (
                name.to_string(),
                history::covers(&points, now, *window).then_some(now - window),
            )
        })
        .collect();
    rows.push((
        format!("All this browser saw ({})", format::duration(seen_ms / 1000.0)),
        Some(0.0),
    ));
    let body = rows
        .into_iter()
        .map(|(name, from)| {
            let figure = from.map(|from| history::windowed_yield(&points, from));
            let raw = figure.clone().flatten().map(|y| y.apy.to_string()).unwrap_or_default();
            let (apy, epochs, blocks) = match figure {
                None => ("—".to_string(), format!("needs {name} of history"), String::new()),
                Some(None) => (
                    "—".to_string(),
                    "no epoch paid in the window".to_string(),
                    String::new(),
                ),
                Some(Some(y)) => (
                    format::rate(Some(y.apy)),
                    format!("{} of ≈ {:.0} epochs", y.epochs, y.expected_epochs.max(y.epochs as f64)),
                    format!("{} – {}", format::block(y.blocks.0), format::block(y.blocks.1)),
                ),
            };
            view! {
                <tr data-apy=raw>
                    <th scope="row">{name}</th>
                    <td class="num">{apy}</td>
                    <td>{epochs}</td>
                    <td class="num">{blocks}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap windowed">
            <table class="data-table windowed-yields" aria-label="Yield over time windows">
                <thead><tr>
                    <th scope="col">"Window"</th>
                    <th scope="col" class="num" title="Each epoch's y = AlphaDividendsPerSubnet ÷ (TotalHotkeyAlphaLastEpoch − AlphaDividendsPerSubnet), compounded over the epochs seen and annualised on the subnet's epoch spacing S = next epoch start − LastEpochBlock (LastEpochBlock, Tempo, PendingEpochAt); seats weighted by their value">"APY"</th>
                    <th scope="col" title="Epochs whose payout this browser recorded, of those that ran in the window (summed over the validator's subnets)">"Covers"</th>
                    <th scope="col" class="num">"Blocks"</th>
                </tr></thead>
                <tbody>{body}</tbody>
            </table>
        </div>
        <p class="hint">"Stake added or removed is not return: each epoch's yield divides what it paid by the stake that earned it. An epoch shows when its payout figures change between two recorded points."</p>
    }
}

/// A hotkey's incentive over the recorded points.
#[component]
fn HotkeyHistory(netuid: u16, hotkey: String) -> impl IntoView {
    let Some(store) = use_history() else {
        return ().into_any();
    };
    let topic = format!(
        "sn{netuid}-{}-incentive-history",
        format::short(&hotkey).replace('…', "-")
    );
    let chart = Memo::new(move |_| {
        store.history.with(|h| {
            h.hotkeys
                .iter()
                .find(|s| s.netuid == netuid && s.hotkey == hotkey)
                .map(|s| chart_data::hotkey_incentive_history(&s.points))
        })
    });
    view! {
        {move || match chart.get().filter(|c| !c.is_empty()) {
            _ if !store.shown() => ().into_any(),
            None => view! { <p class="hint">"No history recorded yet: its subnet's metagraph is read on every finalized block while it is starred, and a point kept every few blocks."</p> }.into_any(),
            Some(data) => view! {
                <div class="charts history-charts">
                    <Chart title="Incentive over time" file_topic=topic.clone() stamp=history_chart_stamp(&data) data=data/>
                </div>
            }.into_any(),
        }}
    }
    .into_any()
}

/// Export, import and clearing of the history file.
#[component]
fn HistoryFile() -> impl IntoView {
    let Some(store) = use_history() else {
        return ().into_any();
    };
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let confirm_clear = RwSignal::new(false);
    let stem = move || {
        let block = store.history.with(|h| h.subnets.last().map_or(0, |p| p.stamp.block));
        format!("taoscope-history-to-block-{block}")
    };
    let export_json = move |_| {
        if let Some(file) = store.file() {
            download(&format!("{}.json", stem()), "application/json", &file);
        }
    };
    let export_csv = move |_| {
        let csv = store.history.with(history::to_csv);
        download(&format!("{}.csv", stem()), "text/csv", &csv);
    };
    let import = move |event: leptos::ev::Event| {
        let Some(file) = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0))
        else {
            return;
        };
        let read = wasm_bindgen_futures::JsFuture::from(file.text());
        leptos::task::spawn_local(async move {
            let result = match read.await.ok().and_then(|text| text.as_string()) {
                None => Err("the file could not be read".to_string()),
                Some(text) => store.import(text).await.map(|added| {
                    format!("Imported {added} points, marked as imported (not verified by this browser).")
                }),
            }
            .map_err(|error| format!("Import refused: {error}"));
            outcome.set(Some(result));
        });
    };
    view! {
        <section class="history-file" aria-labelledby="history-file-title">
            <h2 id="history-file-title">"History file"</h2>
            <p class="hint">"Move your history to another browser, or share it. Imported points are drawn hollow and labelled as imported: this browser did not verify them."</p>
            <div class="export" role="group" aria-label="History file">
                <button type="button" class="button" on:click=export_json>"Export JSON"</button>
                <button type="button" class="button" on:click=export_csv>"Export CSV"</button>
                <label class="button file-button">"Import…"
                    <input type="file" accept="application/json,.json" class="visually-hidden" on:change=import/>
                </label>
                <Show when=move || confirm_clear.get() fallback=move || view! {
                    <button type="button" class="button" on:click=move |_| confirm_clear.set(true)>"Clear history"</button>
                }>
                    <button type="button" class="button danger" on:click=move |_| {
                        confirm_clear.set(false);
                        leptos::task::spawn_local(async move {
                            if let Err(error) = store.clear().await {
                                outcome.set(Some(Err(format!("History not cleared: {error}"))));
                            }
                        });
                    }>
                        {move || format!("Delete {} points", store.history.with(history::point_count))}
                    </button>
                    <button type="button" class="button" on:click=move |_| confirm_clear.set(false)>"Keep them"</button>
                </Show>
            </div>
            {move || outcome.get().map(|result| match result {
                Ok(text) => view! { <p class="notice" role="status">{text}</p> }.into_any(),
                Err(text) => view! { <p class="error-text" role="alert">{text}</p> }.into_any(),
            })}
        </section>
    }
    .into_any()
}
