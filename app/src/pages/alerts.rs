//! The alerts page: whether alerts are checked here (and on what), the notification permission,
//! the form that adds a rule, the rules with their state, and every firing with its block and
//! figures.

use leptos::prelude::*;

use crate::alerts::{Figure, Firing, Rule};
use crate::components::alerts::{RuleForm, Scope};
use crate::components::provenance::ProvenanceLine;
use crate::components::url_state::UnknownParameters;
use crate::data::alerts::{AlertsStore, Permission, Watching, use_alerts};
use crate::data::use_subnets;
use crate::format;

/// `/alerts`.
#[component]
pub fn Alerts() -> impl IntoView {
    let Some(store) = use_alerts() else {
        return ().into_any();
    };
    let subnets = use_subnets();
    let rules = Memo::new(move |_| store.alerts.with(|a| a.rules.clone()));
    let firings = Memo::new(move |_| {
        store
            .alerts
            .with(|a| a.firings.iter().rev().cloned().collect::<Vec<_>>())
    });
    view! {
        <section class="page alerts-page" aria-labelledby="page-title">
            <h1 id="page-title">"Alerts"</h1>
            <UnknownParameters/>
            <p class="lede">"Rules on what you watch, checked in this browser against each verified finalized block. There is no server and no account: alerts run only while a Taoscope tab is open, and stay on this device."</p>
            <p class="alerts-source"><ProvenanceLine provenance=subnets.provenance/></p>
            <WatchingStatus store=store/>
            <NotificationStatus store=store/>
            {move || store.problem.get().map(|problem| view! { <div class="notice" role="alert">{problem}</div> })}
            <section class="alerts-section" aria-labelledby="add-title">
                <h2 id="add-title">"Add an alert"</h2>
                <RuleForm scope=Scope::All/>
            </section>
            <section class="alerts-section" aria-labelledby="rules-title">
                <h2 id="rules-title">{move || format!("Rules ({})", rules.with(Vec::len))}</h2>
                <Show when=move || !rules.with(Vec::is_empty)
                    fallback=|| view! { <p class="hint">"No rules yet. Add one above, or with the “Alert…” button on a subnet's or a validator's page."</p> }>
                    <ul class="rule-list">
                        <For each=move || rules.get() key=|rule| (rule.id, rule.crossed, rule.last.map(|(b, _)| b)) let:rule>
                            <RuleItem store=store rule=rule/>
                        </For>
                    </ul>
                </Show>
            </section>
            <section class="alerts-section" aria-labelledby="fired-title">
                <h2 id="fired-title">{move || format!("Fired ({})", firings.with(Vec::len))}</h2>
                <Show when=move || !firings.with(Vec::is_empty)
                    fallback=|| view! { <p class="hint">"Nothing has fired yet. A rule fires once when a verified block crosses it, and again only after it has un-crossed."</p> }>
                    <ol class="firing-list">
                        <For each=move || firings.get() key=|f| (f.rule_id, f.block) let:firing>
                            <FiringItem firing=firing/>
                        </For>
                    </ol>
                    <button type="button" class="button" on:click=move |_| {
                        if let Err(reason) = store.clear_firings() {
                            store.problem.set(Some(format!("Not cleared: {reason}")));
                        }
                    }>"Clear the list"</button>
                </Show>
            </section>
        </section>
    }
    .into_any()
}

/// Whether rules are checked on this page, and why not.
#[component]
fn WatchingStatus(store: AlertsStore) -> impl IntoView {
    let subnets = use_subnets();
    move || {
        let (class, text) = match store.watching.get() {
            Watching::Starting => ("alerts-status", "Alerts: waiting for the chain…".to_string()),
            Watching::On => (
                "alerts-status on",
                format!(
                    "Alerts: checking {} on every verified block while this tab is open.",
                    match store.alerts.with(|a| a.rules.len()) {
                        1 => "1 rule".to_string(),
                        n => format!("{n} rules"),
                    }
                ),
            ),
            Watching::Unverified => {
                let source = subnets
                    .provenance
                    .with(|p| p.as_ref().map(|p| p.label()))
                    .unwrap_or_else(|| "Unverified".to_string());
                (
                    "alerts-status paused",
                    format!(
                        "Alerts paused: {source}. Data from a trusted RPC node is never checked against your rules; nothing fires on this page."
                    ),
                )
            }
        };
        view! { <p class=class role="status">{text}</p> }
    }
}

/// Whether firings also show as system notifications.
#[component]
fn NotificationStatus(store: AlertsStore) -> impl IntoView {
    move || {
        let text = match store.permission.get() {
            Permission::Granted => "System notifications: on (each firing is also shown by your system).",
            Permission::Denied => {
                "System notifications: blocked in this browser's site settings; firings are listed below only."
            }
            Permission::Ask => {
                "System notifications: this browser asks when you add a rule; until allowed, firings are listed below only."
            }
            Permission::Unsupported => {
                "System notifications: not available in this browser; firings are listed below only."
            }
        };
        view! { <p class="hint notification-status" data-permission=format!("{:?}", store.permission.get()).to_lowercase()>{text}</p> }
    }
}

#[component]
fn RuleItem(store: AlertsStore, rule: Rule) -> impl IntoView {
    let id = rule.id;
    let text = rule.condition.text();
    let state = if rule.crossed {
        "crossed: fires again once it un-crosses"
    } else {
        "armed"
    };
    let last = rule
        .last
        .map(|(block, figure)| format!(" · last reading {} at {}", figure.text(), format::block(block)))
        .unwrap_or_default();
    let error = RwSignal::new(None::<String>);
    view! {
        <li class="rule-item" data-rule-id=id data-crossed=rule.crossed.to_string()
            data-last-block=rule.last.map(|(block, _)| block.to_string())>
            <div class="rule-text">
                <strong>{text.clone()}</strong>
                <span class="rule-meta">{format!("Set at {} · {state}{last}", format::block(rule.set_at_block))}</span>
            </div>
            <button type="button" class="button" aria-label=format!("Remove alert: {text}") on:click=move |_| {
                error.set(store.remove(id).err());
            }>"Remove"</button>
            {move || error.get().map(|reason| view! { <span class="error-text" role="alert">{format!("Not removed: {reason}")}</span> })}
        </li>
    }
}

#[component]
fn FiringItem(firing: Firing) -> impl IntoView {
    let before = firing
        .before
        .map(|(block, figure): (u64, Figure)| format!("{} at {}", figure.text(), format::block(block)));
    let seen = js_sys::Date::new(&firing.at_ms.into());
    let when = format!(
        "{}-{:02}-{:02} {:02}:{:02}:{:02}",
        seen.get_full_year(),
        seen.get_month() + 1,
        seen.get_date(),
        seen.get_hours(),
        seen.get_minutes(),
        seen.get_seconds()
    );
    view! {
        <li class="firing-item" data-rule-id=firing.rule_id data-block=firing.block data-after=firing.after.raw()
            data-before=firing.before.map(|(_, figure)| figure.raw()) data-before-block=firing.before.map(|(block, _)| block.to_string())>
            <p class="firing-title"><strong>{firing.condition.text()}</strong></p>
            <dl class="firing-figures">
                <div><dt>"Block"</dt><dd class="firing-block">{format::block(firing.block)}</dd></div>
                <div><dt>"Before"</dt><dd class="firing-before">{before.unwrap_or_else(|| "first reading".to_string())}</dd></div>
                <div><dt>"After"</dt><dd class="firing-after">{firing.after.text()}</dd></div>
                <div><dt>"Threshold"</dt><dd class="firing-threshold">{firing.condition.threshold_text()}</dd></div>
                <div><dt>"Seen"</dt><dd>{when}</dd></div>
            </dl>
        </li>
    }
}
