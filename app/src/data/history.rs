//! The history store: the page's view of the history the chain worker records for this chain
//! (and of the watchlist that says what it records), with whether recording runs and why not.
//! Stars, imports and clearing are asked of the worker, the only writer.

use leptos::prelude::*;
use leptos::task::spawn_local;
use light_client::service::protocol::{HistoryChange, HistoryError};

use crate::chain::{ChainStore, local_storage, use_chain};
use crate::history::{self, History, Recording, Starred, Watchlist};

/// The history and watchlist of the chain the page shows.
#[derive(Clone, Copy)]
pub struct HistoryStore {
    /// Everything recorded.
    pub history: RwSignal<History>,
    /// What the user starred.
    pub watchlist: RwSignal<Watchlist>,
    /// Whether recording runs.
    pub recording: RwSignal<Recording>,
    /// When this page session began (the page's clock): the last visit is before it.
    pub session_start_ms: f64,
    /// The chain's genesis hash, once the worker said its history.
    pub genesis: RwSignal<Option<String>>,
    /// The last star the worker refused to save: what it was for (its button's label) and why.
    /// Kept here, not in the button, so the reason stays on screen when the button is redrawn
    /// with fresh data.
    pub refused_star: RwSignal<Option<(String, String)>>,
    chain: ChainStore,
}

/// Where pages kept a chain's history and watchlist before the worker did.
fn page_keys(genesis: &str) -> (String, String) {
    (
        format!("taoscope.history.{genesis}"),
        format!("taoscope.watchlist.{genesis}"),
    )
}

/// Provides the history store for the app (embeds have none).
pub fn provide_history_store() {
    let chain = use_chain();
    let store = HistoryStore {
        history: RwSignal::new(History::default()),
        watchlist: RwSignal::new(Watchlist::default()),
        recording: RwSignal::new(Recording::Starting),
        session_start_ms: js_sys::Date::now(),
        genesis: RwSignal::new(None),
        refused_star: RwSignal::new(None),
        chain,
    };
    provide_context(store);
    Effect::new(move |_| {
        // A page reading through a trusted RPC node is sent no history: it shows none.
        if chain.rpc_endpoint.with(Option::is_some) {
            store.recording.set(Recording::Unverified);
        }
    });
    Effect::new(move |handed_over: Option<bool>| {
        chain.history.with(|state| {
            let Some(state) = state else {
                return handed_over.unwrap_or(false);
            };
            if store.history.with_untracked(|h| *h != state.history) {
                store.history.set(state.history.clone());
            }
            if store.watchlist.with_untracked(|w| *w != state.watchlist) {
                store.watchlist.set(state.watchlist.clone());
            }
            store.recording.set(state.recording.clone());
            if store.genesis.with_untracked(|g| g.as_deref() != Some(&state.genesis)) {
                store.genesis.set(Some(state.genesis.clone()));
            }
            if !handed_over.unwrap_or(false) {
                store.hand_over(&state.genesis);
            }
            true
        })
    });
}

/// The app's history store (`None` in embeds).
pub fn use_history() -> Option<HistoryStore> {
    use_context::<HistoryStore>()
}

impl HistoryStore {
    /// Hands what this browser's pages recorded in localStorage before the worker kept history
    /// to the worker, once, and forgets it once the worker says it is saved. A saved history that
    /// no longer reads is kept aside (under `….unreadable`).
    fn hand_over(&self, genesis: &str) {
        let Some(storage) = local_storage() else { return };
        let (history_key, watchlist_key) = page_keys(genesis);
        let history_text = storage.get_item(&history_key).ok().flatten();
        let watchlist_text = storage.get_item(&watchlist_key).ok().flatten();
        if history_text.is_none() && watchlist_text.is_none() {
            return;
        }
        let history = history_text.and_then(|text| match history::parse(&text, genesis) {
            Ok(history) => Some(history),
            Err(error) => {
                web_sys::console::warn_1(&format!("Taoscope: saved history set aside: {error}").into());
                if storage.set_item(&format!("{history_key}.unreadable"), &text).is_ok() {
                    let _ = storage.remove_item(&history_key);
                }
                None
            }
        });
        let watchlist = watchlist_text.and_then(|text| history::parse_watchlist(&text));
        let store = *self;
        spawn_local(async move {
            match store.change(HistoryChange::HandOver { history, watchlist }).await {
                Ok(_) => {
                    let _ = storage.remove_item(&history_key);
                    let _ = storage.remove_item(&watchlist_key);
                }
                Err(error) => web_sys::console::warn_1(
                    &format!("Taoscope: the history kept in this page's storage was not handed over: {error}").into(),
                ),
            }
        });
    }

    /// Whether history is shown: not on a page whose data a trusted RPC node serves, where every
    /// surface says "Unverified" and history would mix verified points in.
    pub fn shown(&self) -> bool {
        !matches!(self.recording.get(), Recording::Unverified)
    }

    /// Asks the chain worker for `change`.
    async fn change(&self, change: HistoryChange) -> Result<usize, HistoryError> {
        let service = self.chain.client().ok_or(HistoryError::NotReady)?;
        service.change_history(change).await
    }

    /// Stars `item` (`on`) or unstars it; an error names why it was not saved.
    pub async fn star(&self, item: Starred, on: bool) -> Result<(), HistoryError> {
        self.change(HistoryChange::Star { item, on }).await.map(|_| ())
    }

    /// Merges an imported history file; returns how many points it added.
    pub async fn import(&self, text: String) -> Result<usize, String> {
        self.change(HistoryChange::Import(text))
            .await
            .map_err(|error| match error {
                HistoryError::NotSaved(reason) => format!("not saved: {reason}"),
                other => other.to_string(),
            })
    }

    /// The history file, for export (`None` before the chain is known).
    pub fn file(&self) -> Option<String> {
        let genesis = self.genesis.get()?;
        Some(self.history.with(|h| history::to_file(h, &genesis)))
    }

    /// Forgets this chain's history (the watchlist stays).
    pub async fn clear(&self) -> Result<(), HistoryError> {
        self.change(HistoryChange::Clear).await.map(|_| ())
    }
}
