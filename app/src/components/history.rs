//! The history's pieces on pages: the star that adds an item to the watchlist (which the chain
//! worker records history for), and the line saying whether history is recorded (and why not).

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::data::history::use_history;
use crate::data::provenance::history_label;
pub use crate::history::Starred;
use crate::history::{self, Recording};

/// A star button adding `item` to the watchlist or removing it; `compact` draws the star alone
/// (in table rows). Says why when the watchlist cannot be saved.
#[component]
pub fn StarButton(item: Starred, #[prop(optional)] compact: bool, what: String) -> impl IntoView {
    let Some(store) = use_history() else {
        return ().into_any();
    };
    let item = StoredValue::new(item);
    let what = StoredValue::new(what);
    let starred = Memo::new(move |_| store.watchlist.with(|w| item.with_value(|i| i.is_in(w))));
    let failure = move || {
        store.refused_star.with(|refused| {
            refused
                .as_ref()
                .filter(|(star, _)| what.with_value(|w| w == star))
                .map(|(_, reason)| reason.clone())
        })
    };
    let toggle = move |_| {
        let on = !starred.get_untracked();
        spawn_local(async move {
            let result = store.star(item.get_value(), on).await;
            store
                .refused_star
                .set(result.err().map(|reason| (what.get_value(), reason.to_string())));
        });
    };
    let label = move || match (starred.get(), compact) {
        (true, true) => "★",
        (false, true) => "☆",
        (true, false) => "★ Watching",
        (false, false) => "☆ Watch",
    };
    view! {
        <span class="star">
            <button type="button" class="button star-button" class:compact=compact
                aria-pressed=move || starred.get().to_string()
                aria-label=move || format!("{} {}", if starred.get() { "Stop watching" } else { "Watch" }, what.get_value())
                title="The watchlist (kept in this browser) records history of what it holds"
                disabled=move || store.genesis.with(Option::is_none)
                on:click=toggle>{label}</button>
            {move || failure().map(|reason| view! { <span class="error-text" role="alert">{format!("Not saved: {reason}")}</span> })}
        </span>
    }
    .into_any()
}

/// Whether history is recorded, and how many points this browser holds.
#[component]
pub fn HistoryStatus() -> impl IntoView {
    let Some(store) = use_history() else {
        return ().into_any();
    };
    let counts = Memo::new(move |_| {
        store.history.with(|h| {
            let imported = h.subnets.iter().filter(|p| p.stamp.imported).count()
                + h.validators
                    .iter()
                    .flat_map(|s| &s.points)
                    .filter(|p| p.stamp.imported)
                    .count()
                + h.hotkeys
                    .iter()
                    .flat_map(|s| &s.points)
                    .filter(|p| p.stamp.imported)
                    .count()
                + h.coldkeys
                    .iter()
                    .flat_map(|s| &s.points)
                    .filter(|p| p.stamp.imported)
                    .count();
            (history::point_count(h), imported)
        })
    });
    view! {
        <p class="history-status" class:paused=move || matches!(store.recording.get(), Recording::Paused(_) | Recording::Unverified)
            role="status">
            {move || match store.recording.get() {
                Recording::Starting => "History: waiting for the chain…".to_string(),
                Recording::On => {
                    let (points, imported) = counts.get();
                    format!("History: recording · {}", history_label(points, imported))
                }
                Recording::Paused(reason) => format!(
                    "History paused: {reason}. What was recorded is kept; export or clear it on the Watchlist page to record again."
                ),
                Recording::Unverified => "History paused: data from a trusted RPC node is not recorded (this browser cannot check it).".to_string(),
            }}
        </p>
    }
    .into_any()
}
