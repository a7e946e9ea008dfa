//! The history's pieces on pages: the star that adds an item to the watchlist, the line saying
//! whether history is recorded (and why not), and the recorder that keeps starred items' stores
//! open on every page so their history keeps growing.

use leptos::prelude::*;

use crate::data::history::{Recording, starred_metagraphs, use_history};
use crate::data::provenance::history_label;
use crate::data::{use_account_positions, use_metagraph, use_subnets, use_validator};
use crate::history::{self, Watchlist};

/// Something the user can star.
#[derive(Debug, Clone, PartialEq)]
pub enum Starred {
    /// A subnet.
    Subnet(u16),
    /// A validator, by hotkey.
    Validator(String),
    /// A hotkey on a subnet.
    Hotkey(u16, String),
    /// A coldkey, whose positions are recorded for its earnings.
    Coldkey(String),
}

impl Starred {
    fn is_in(&self, watchlist: &Watchlist) -> bool {
        match self {
            Starred::Subnet(netuid) => watchlist.subnets.contains(netuid),
            Starred::Validator(hotkey) => watchlist.validators.contains(hotkey),
            Starred::Hotkey(netuid, hotkey) => watchlist.hotkeys.contains(&(*netuid, hotkey.clone())),
            Starred::Coldkey(coldkey) => watchlist.coldkeys.contains(coldkey),
        }
    }

    fn toggle(&self, watchlist: &mut Watchlist) {
        match self {
            Starred::Subnet(netuid) => Watchlist::toggle(&mut watchlist.subnets, *netuid),
            Starred::Validator(hotkey) => Watchlist::toggle(&mut watchlist.validators, hotkey.clone()),
            Starred::Hotkey(netuid, hotkey) => Watchlist::toggle(&mut watchlist.hotkeys, (*netuid, hotkey.clone())),
            Starred::Coldkey(coldkey) => Watchlist::toggle(&mut watchlist.coldkeys, coldkey.clone()),
        }
    }
}

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
        let result = store.update_watchlist(|w| item.with_value(|i| i.toggle(w)));
        store
            .refused_star
            .set(result.err().map(|reason| (what.get_value(), reason)));
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

/// Keeps the subnets list and every starred validator's, hotkey's and watched coldkey's store
/// open while the app runs, so their history is recorded whatever page is shown.
#[component]
pub fn HistoryRecorder() -> impl IntoView {
    let Some(store) = use_history() else {
        return ().into_any();
    };
    let _subnets = use_subnets();
    view! {
        <For each=move || store.watchlist.with(|w| w.validators.clone()) key=|hotkey| hotkey.clone() let:hotkey>
            <KeepValidator hotkey=hotkey/>
        </For>
        <For each=move || starred_metagraphs(store) key=|netuid| *netuid let:netuid>
            <KeepMetagraph netuid=netuid/>
        </For>
        <For each=move || store.watchlist.with(|w| w.coldkeys.clone()) key=|coldkey| coldkey.clone() let:coldkey>
            <KeepAccount coldkey=coldkey/>
        </For>
    }
    .into_any()
}

#[component]
fn KeepValidator(hotkey: String) -> impl IntoView {
    let _validator = use_validator(hotkey);
}

#[component]
fn KeepMetagraph(netuid: u16) -> impl IntoView {
    let _metagraph = use_metagraph(netuid, 0);
}

#[component]
fn KeepAccount(coldkey: String) -> impl IntoView {
    let _positions = use_account_positions(coldkey);
}
