//! The history store: the chain's recorded history and the user's watchlist, kept per chain
//! (by genesis hash) in this browser's localStorage, with whether recording runs and why not.
//! Stores feed it each verified snapshot they show; trusted-RPC data is never recorded.
//!
//! localStorage rather than IndexedDB: writes are synchronous (a point is on disk when it is on
//! screen, nothing half-written when the tab closes), no crate or async layer is added to the
//! bundle, and the history is bounded by design (`history::MAX_POINTS` per series,
//! [`BUDGET_CHARS`] in all) well inside the origin's quota beside the saved light-client state.

use leptos::prelude::*;
use leptos::task::spawn_local;
use light_client::model::{Account, Metagraph, Snapshot, Subnet, Validator};

use crate::chain::{local_storage, use_chain};
use crate::history::{self, History, Stamp, Watchlist};

/// Most characters the saved history may take; beyond it the subnets series is thinned first.
pub const BUDGET_CHARS: usize = 1_500_000;

/// Blocks between two points of one series when the chain's manifest does not say.
const DEFAULT_EVERY_BLOCKS: u64 = 25;

/// Whether history is being recorded.
#[derive(Debug, Clone, PartialEq)]
pub enum Recording {
    /// Waiting for the chain's genesis.
    Starting,
    /// Every due verified snapshot is recorded.
    On,
    /// Saving failed (storage full or refused); nothing new is recorded until a save succeeds.
    Paused(String),
    /// The data comes from a trusted RPC node, which this browser cannot check.
    Unverified,
}

/// The history and watchlist of the chain the page shows.
#[derive(Clone, Copy)]
pub struct HistoryStore {
    /// Everything recorded (saved as soon as changed).
    pub history: RwSignal<History>,
    /// What the user starred.
    pub watchlist: RwSignal<Watchlist>,
    /// Whether recording runs.
    pub recording: RwSignal<Recording>,
    /// When this page session began (the page's clock): the last visit is before it.
    pub session_start_ms: f64,
    /// The chain's genesis hash, once known.
    pub genesis: RwSignal<Option<String>>,
    /// The last star the browser refused to save: what it was for (its button's label) and why.
    /// Kept here, not in the button, so the reason stays on screen when the button is redrawn
    /// with fresh data.
    pub refused_star: RwSignal<Option<(String, String)>>,
    every: RwSignal<u64>,
}

fn history_key(genesis: &str) -> String {
    format!("taoscope.history.{genesis}")
}

fn watchlist_key(genesis: &str) -> String {
    format!("taoscope.watchlist.{genesis}")
}

/// Provides the history store for the app (embeds have none and record nothing).
pub fn provide_history_store() {
    let chain = use_chain();
    let store = HistoryStore {
        history: RwSignal::new(History::default()),
        watchlist: RwSignal::new(Watchlist::default()),
        recording: RwSignal::new(Recording::Starting),
        session_start_ms: js_sys::Date::now(),
        genesis: RwSignal::new(None),
        refused_star: RwSignal::new(None),
        every: RwSignal::new(DEFAULT_EVERY_BLOCKS),
    };
    provide_context(store);
    let loading = StoredValue::new(false);
    Effect::new(move |_| {
        if let Some(entry) = chain.chain.get() {
            store
                .every
                .set(entry.history_every_blocks.map_or(DEFAULT_EVERY_BLOCKS, u64::from));
        }
        if chain.finalized.with(Option::is_none) || loading.get_value() {
            return;
        }
        let Some(client) = chain.client() else { return };
        loading.set_value(true);
        let verified = client.is_verified();
        spawn_local(async move {
            if let Ok(genesis) = client.genesis_hash().await {
                store.load(&genesis, verified);
            }
        });
    });
}

/// The app's history store (`None` in embeds).
pub fn use_history() -> Option<HistoryStore> {
    use_context::<HistoryStore>()
}

impl HistoryStore {
    /// Reads the chain's saved history and watchlist; a file that no longer reads is kept aside
    /// (under `….unreadable`) rather than overwritten. A page reading through a trusted RPC node
    /// (not `verified`) records nothing and shows no history.
    fn load(&self, genesis: &str, verified: bool) {
        let storage = local_storage();
        let saved = storage
            .as_ref()
            .and_then(|s| s.get_item(&history_key(genesis)).ok().flatten());
        let history = match saved.map(|text| (history::parse(&text, genesis), text)) {
            Some((Ok(history), _)) => history,
            Some((Err(error), text)) => {
                web_sys::console::warn_1(&format!("Taoscope: saved history set aside: {error}").into());
                if let Some(storage) = &storage {
                    let _ = storage.set_item(&format!("{}.unreadable", history_key(genesis)), &text);
                }
                History::default()
            }
            None => History::default(),
        };
        let watchlist = storage
            .as_ref()
            .and_then(|s| s.get_item(&watchlist_key(genesis)).ok().flatten())
            .and_then(|text| history::parse_watchlist(&text))
            .unwrap_or_default();
        self.history.set(history);
        self.watchlist.set(watchlist);
        self.genesis.set(Some(genesis.to_string()));
        self.recording
            .set(if verified { Recording::On } else { Recording::Unverified });
    }

    /// Whether history is shown: not on a page whose data a trusted RPC node serves, where every
    /// surface says "Unverified" and history would mix verified points in.
    pub fn shown(&self) -> bool {
        !matches!(self.recording.get(), Recording::Unverified)
    }

    /// Saves `history` and shows it, or pauses recording when the browser refuses.
    fn save(&self, mut history: History) {
        let Some(genesis) = self.genesis.get_untracked() else {
            return;
        };
        let mut text = history::to_file(&history, &genesis);
        while text.len() > BUDGET_CHARS && {
            let half = history.subnets.len() / 2;
            history::thin_to(&mut history.subnets, half)
        } {
            text = history::to_file(&history, &genesis);
        }
        let saved = local_storage()
            .ok_or_else(|| "this browser does not allow saving".to_string())
            .and_then(|storage| {
                storage
                    .set_item(&history_key(&genesis), &text)
                    .map_err(|_| "the browser's storage for this site is full".to_string())
            });
        match saved {
            Ok(()) => {
                self.history.set(history);
                if matches!(
                    self.recording.get_untracked(),
                    Recording::Paused(_) | Recording::Starting
                ) {
                    self.recording.set(Recording::On);
                }
            }
            Err(reason) => self.recording.set(Recording::Paused(reason)),
        }
    }

    /// Applies `change` to a copy of the history and saves it if it recorded something; nothing
    /// before the genesis is known, nothing from an unverified snapshot.
    /// `due` says, without copying the history, whether the snapshot's block is due in any series
    /// `change` appends to.
    fn record<T>(
        &self,
        snapshot: &Snapshot<T>,
        due: impl FnOnce(&History, u64, u64) -> bool,
        change: impl FnOnce(&mut History, Stamp, u64) -> bool,
    ) {
        if self.genesis.with_untracked(Option::is_none) {
            return;
        }
        if !snapshot.source.is_verified() {
            self.recording.set(Recording::Unverified);
            return;
        }
        let every = self.every.get_untracked();
        if !self.history.with_untracked(|h| due(h, snapshot.block_number, every)) {
            return;
        }
        let stamp = Stamp {
            block: snapshot.block_number,
            at_ms: js_sys::Date::now(),
            imported: false,
        };
        let mut history = self.history.get_untracked();
        if change(&mut history, stamp, every) {
            self.save(history);
        }
    }

    /// Records the subnets list when due.
    pub fn record_subnets(&self, snapshot: &Snapshot<Vec<Subnet>>) {
        self.record(
            snapshot,
            |history, block, every| history::due(history.subnets.last().map(|p| &p.stamp), block, every),
            |history, stamp, every| {
                history::record_subnets(history, history::subnets_point(&snapshot.data, stamp), every)
            },
        );
    }

    /// Records a validator (one the user opened or starred) when due.
    pub fn record_validator(&self, snapshot: &Snapshot<Option<Validator>>) {
        let Some(validator) = &snapshot.data else { return };
        let hotkey = &validator.hotkey;
        self.record(
            snapshot,
            |history, block, every| history::due(history::newest_of_validator(history, hotkey), block, every),
            |history, stamp, every| {
                history::record_validator(history, hotkey, history::validator_point(validator, stamp), every)
            },
        );
    }

    /// Records every starred hotkey of a subnet from its mechanism-0 metagraph when due.
    pub fn record_hotkeys(&self, snapshot: &Snapshot<Metagraph>) {
        let metagraph = &snapshot.data;
        if metagraph.mechanism != 0 {
            return;
        }
        let starred: Vec<String> = self.watchlist.with_untracked(|w| {
            w.hotkeys
                .iter()
                .filter(|(netuid, _)| *netuid == metagraph.netuid)
                .map(|(_, hotkey)| hotkey.clone())
                .collect()
        });
        if starred.is_empty() {
            return;
        }
        let netuid = metagraph.netuid;
        let any_due = |history: &History, block, every| {
            starred
                .iter()
                .any(|hotkey| history::due(history::newest_of_hotkey(history, netuid, hotkey), block, every))
        };
        self.record(snapshot, any_due, |history, stamp, every| {
            let mut recorded = false;
            for hotkey in &starred {
                let point = history::hotkey_point(metagraph, hotkey, stamp.clone());
                recorded |= history::record_hotkey(history, metagraph.netuid, hotkey, point, every);
            }
            recorded
        });
    }

    /// Records a watched coldkey's positions when due (nothing for a coldkey not watched).
    pub fn record_coldkey(&self, snapshot: &Snapshot<Account>) {
        let account = &snapshot.data;
        let coldkey = &account.coldkey;
        if !self.watchlist.with_untracked(|w| w.coldkeys.contains(coldkey)) {
            return;
        }
        self.record(
            snapshot,
            |history, block, every| history::due(history::newest_of_coldkey(history, coldkey), block, every),
            |history, stamp, every| {
                history::record_coldkey(history, coldkey, history::coldkey_point(account, stamp), every)
            },
        );
    }

    /// Changes the watchlist and saves it; an error names why it could not be saved.
    pub fn update_watchlist(&self, change: impl FnOnce(&mut Watchlist)) -> Result<(), String> {
        let genesis = self.genesis.get_untracked().ok_or("the chain is not known yet")?;
        let mut watchlist = self.watchlist.get_untracked();
        change(&mut watchlist);
        local_storage()
            .ok_or("this browser does not allow saving")?
            .set_item(&watchlist_key(&genesis), &history::watchlist_file(&watchlist))
            .map_err(|_| "the browser's storage for this site is full".to_string())?;
        self.watchlist.set(watchlist);
        Ok(())
    }

    /// Merges an imported history file; returns how many points it added.
    pub fn import(&self, text: &str) -> Result<usize, String> {
        let genesis = self.genesis.get_untracked().ok_or("the chain is not known yet")?;
        let imported = history::parse(text, &genesis).map_err(|e| e.to_string())?;
        let mut history = self.history.get_untracked();
        let added = history::merge_imported(&mut history, imported);
        self.save(history);
        match self.recording.get_untracked() {
            Recording::Paused(reason) => Err(format!("not saved: {reason}")),
            _ => Ok(added),
        }
    }

    /// The history file, for export (`None` before the chain is known).
    pub fn file(&self) -> Option<String> {
        let genesis = self.genesis.get()?;
        Some(self.history.with(|h| history::to_file(h, &genesis)))
    }

    /// Forgets this chain's history (the watchlist stays).
    pub fn clear(&self) {
        if let (Some(genesis), Some(storage)) = (self.genesis.get_untracked(), local_storage()) {
            let _ = storage.remove_item(&history_key(&genesis));
        }
        self.history.set(History::default());
        if matches!(self.recording.get_untracked(), Recording::Paused(_)) {
            self.recording.set(Recording::On);
        }
    }
}

/// The subnets whose metagraphs starred hotkeys need.
pub fn starred_metagraphs(store: HistoryStore) -> Vec<u16> {
    store.watchlist.with(|w| {
        let mut netuids: Vec<u16> = w.hotkeys.iter().map(|(netuid, _)| *netuid).collect();
        netuids.sort_unstable();
        netuids.dedup();
        netuids
    })
}
