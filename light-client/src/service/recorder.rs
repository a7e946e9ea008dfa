//! The worker's history recorder, one per chain's verified client: when a point is due at a
//! finalized block it reads what the watchlist asks for and appends it, and it is the only writer
//! of the history and the watchlist in IndexedDB, so tabs never record the same point twice.

use std::cell::RefCell;
use std::rc::Rc;

use futures::StreamExt;
use futures::future::{FutureExt, LocalBoxFuture};

use super::protocol::{Answer, HistoryChange, HistoryError, HistoryState, Query};
use super::saved_state::{SavedStates, key};
use crate::broadcast::Broadcast;
use crate::chain::BlockRef;
use crate::client::QueryError;
use crate::model::history::{self, History, Recording, Stamp, Watchlist};

/// How the recorder reads: the host's shared answers, so a page asking the same question about
/// the same block shares the read.
pub(super) type Ask = Rc<dyn Fn(Query) -> LocalBoxFuture<'static, Result<Answer, QueryError>>>;

/// A chain's history, its watchlist, and the pages following them.
pub(super) struct Recorder {
    genesis: String,
    every: u64,
    saved: SavedStates,
    state: RefCell<HistoryState>,
    updates: RefCell<Broadcast<HistoryState>>,
    /// Held from reading the state to saving it, so no change overwrites another.
    writing: futures::lock::Mutex<()>,
}

impl Recorder {
    /// Reads the chain's saved history and watchlist and starts recording on `finalized` blocks,
    /// one point every `every` blocks per series. A saved history that no longer reads is set
    /// aside (under its `.unreadable` key) rather than overwritten.
    pub(super) async fn start(
        genesis: String,
        every: u64,
        saved: SavedStates,
        finalized: futures::channel::mpsc::UnboundedReceiver<BlockRef>,
        ask: Ask,
    ) -> Rc<Recorder> {
        let history = match saved.value(&key::history(&genesis)).await {
            None => History::default(),
            Some(text) => match history::parse(&text, &genesis) {
                Ok(history) => history,
                Err(error) => {
                    web_sys::console::warn_1(&format!("Taoscope: saved history set aside: {error}").into());
                    let _ = saved.set_value(&key::unreadable_history(&genesis), &text).await;
                    History::default()
                }
            },
        };
        let watchlist = saved
            .value(&key::watchlist(&genesis))
            .await
            .and_then(|text| history::parse_watchlist(&text))
            .unwrap_or_default();
        let state = HistoryState {
            genesis: genesis.clone(),
            history,
            watchlist,
            recording: Recording::On,
        };
        let recorder = Rc::new(Recorder {
            genesis,
            every: every.max(1),
            saved,
            updates: RefCell::new(Broadcast::starting_at(state.clone())),
            state: RefCell::new(state),
            writing: futures::lock::Mutex::new(()),
        });
        wasm_bindgen_futures::spawn_local(recorder.clone().record_each(finalized, ask));
        recorder
    }

    /// The current state, then each change.
    pub(super) fn watch(&self) -> futures::channel::mpsc::UnboundedReceiver<HistoryState> {
        self.updates.borrow_mut().watch()
    }

    /// Records at each finalized block (the newest, when several arrived while it read).
    async fn record_each(self: Rc<Self>, mut finalized: futures::channel::mpsc::UnboundedReceiver<BlockRef>, ask: Ask) {
        while let Some(mut block) = finalized.next().await {
            while let Some(Some(newer)) = finalized.next().now_or_never() {
                block = newer;
            }
            self.record_at(&block, &ask).await;
        }
    }

    /// Reads what is due at `block` and appends it.
    async fn record_at(&self, block: &BlockRef, ask: &Ask) {
        let due = {
            let state = self.state.borrow();
            history::due_at(&state.history, &state.watchlist, block.number, self.every)
        };
        if due.is_empty() {
            return;
        }
        let mut queries = Vec::new();
        if due.subnets {
            queries.push(Query::Subnets { block: block.clone() });
        }
        queries.extend(due.validators.into_iter().map(|hotkey| Query::Validator {
            block: block.clone(),
            hotkey,
        }));
        queries.extend(due.metagraphs.into_iter().map(|netuid| Query::Mechagraph {
            block: block.clone(),
            netuid,
            mechanism: 0,
        }));
        queries.extend(due.coldkeys.into_iter().map(|coldkey| Query::Account {
            block: block.clone(),
            coldkey,
        }));
        let answers = futures::future::join_all(queries.into_iter().map(|query| {
            let kind = query.kind();
            ask(query).map(move |answer| (kind, answer))
        }))
        .await;
        let stamp = Stamp {
            block: block.number,
            at_ms: js_sys::Date::now(),
            imported: false,
        };
        let _writing = self.writing.lock().await;
        let (mut history, watchlist) = {
            let state = self.state.borrow();
            (state.history.clone(), state.watchlist.clone())
        };
        let mut recorded = false;
        for (kind, answer) in answers {
            let every = self.every;
            recorded |= match answer {
                // Only verified values are recorded; the recorder reads through the light client.
                Ok(answer) if !answer_is_verified(&answer) => false,
                Ok(Answer::Subnets(snapshot)) => history::record_subnets(
                    &mut history,
                    history::subnets_point(&snapshot.data, stamp.clone()),
                    every,
                ),
                Ok(Answer::Validator(snapshot)) => snapshot.data.as_ref().is_some_and(|validator| {
                    let point = history::validator_point(validator, stamp.clone());
                    history::record_validator(&mut history, &validator.hotkey, point, every)
                }),
                Ok(Answer::Metagraph(snapshot)) => {
                    history::record_hotkeys(&mut history, &watchlist, &snapshot.data, &stamp, every)
                }
                Ok(Answer::Account(snapshot)) => {
                    let point = history::coldkey_point(&snapshot.data, stamp.clone());
                    history::record_coldkey(&mut history, &snapshot.data.coldkey, point, every)
                }
                Ok(_) => false,
                Err(error) => {
                    // Still due: the next finalized block tries again.
                    web_sys::console::warn_1(
                        &format!("Taoscope: history not recorded at #{}: {kind}: {error}", block.number).into(),
                    );
                    false
                }
            };
        }
        if recorded {
            let _ = self.save_history(history).await;
        }
    }

    /// Saves `history` (thinned to the budget) and makes it the current one, resuming recording;
    /// a refused save pauses recording and says why, and keeps the history as it was.
    async fn save_history(&self, mut history: History) -> Result<(), String> {
        let text = history::to_file_within_budget(&mut history, &self.genesis);
        let saved = self
            .saved
            .set_value(&key::history(&self.genesis), &text)
            .await
            .map_err(refused);
        let mut state = self.state.borrow().clone();
        match &saved {
            Ok(()) => {
                state.history = history;
                state.recording = Recording::On;
            }
            Err(reason) => state.recording = Recording::Paused(reason.clone()),
        }
        self.publish(state);
        saved
    }

    fn publish(&self, state: HistoryState) {
        if *self.state.borrow() != state {
            self.state.replace(state.clone());
            self.updates.borrow_mut().publish(state);
        }
    }

    /// Makes a page's change: returns the points it added (an import or a hand-over).
    pub(super) async fn change(&self, change: HistoryChange) -> Result<usize, HistoryError> {
        let _writing = self.writing.lock().await;
        let (mut history, mut watchlist) = {
            let state = self.state.borrow();
            (state.history.clone(), state.watchlist.clone())
        };
        match change {
            HistoryChange::Star { item, on } => {
                item.set(&mut watchlist, on);
                self.save_watchlist(watchlist).await?;
                Ok(0)
            }
            HistoryChange::Import(text) => {
                let imported = history::parse(&text, &self.genesis)?;
                let added = history::merge_imported(&mut history, imported);
                self.save_history(history).await.map_err(HistoryError::NotSaved)?;
                Ok(added)
            }
            HistoryChange::Clear => {
                self.save_history(History::default())
                    .await
                    .map_err(HistoryError::NotSaved)?;
                Ok(0)
            }
            HistoryChange::HandOver {
                history: own,
                watchlist: starred,
            } => {
                let mut added = 0;
                if let Some(starred) = starred {
                    watchlist.absorb(starred);
                    self.save_watchlist(watchlist).await?;
                }
                if let Some(own) = own {
                    added = history::merge_own(&mut history, own);
                    self.save_history(history).await.map_err(HistoryError::NotSaved)?;
                }
                Ok(added)
            }
        }
    }

    async fn save_watchlist(&self, watchlist: Watchlist) -> Result<(), HistoryError> {
        self.saved
            .set_value(&key::watchlist(&self.genesis), &history::watchlist_file(&watchlist))
            .await
            .map_err(|why| HistoryError::NotSaved(refused(why)))?;
        let mut state = self.state.borrow().clone();
        state.watchlist = watchlist;
        self.publish(state);
        Ok(())
    }
}

/// Why a save was refused, as the page says it (the browser's own words go to the console).
fn refused(why: String) -> String {
    web_sys::console::warn_1(&format!("Taoscope: history not saved: {why}").into());
    "the browser's storage for this site is full or refused the write".to_string()
}

fn answer_is_verified(answer: &Answer) -> bool {
    match answer {
        Answer::Subnets(snapshot) => snapshot.is_verified(),
        Answer::Validator(snapshot) => snapshot.is_verified(),
        Answer::Metagraph(snapshot) => snapshot.is_verified(),
        Answer::Account(snapshot) => snapshot.is_verified(),
        _ => false,
    }
}
