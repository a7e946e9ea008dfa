//! The app's data layer: one live store per query (overview, subnets, a subnet, a metagraph,
//! validators, a validator, its nominators and root basket, every validator's root basket, an
//! account, validators compared at one block), shared by every view that shows it and ended a moment after the last of them unmounts. A
//! store follows its query on each finalized block and hands out a read-only `Live<T>`: the value,
//! and its complete `Provenance` (which block, verified or not, by whom, when last confirmed, and
//! the last typed error). Only the store writes; views only read. `history` is the page's view of
//! the history the chain worker records.

pub mod alerts;
pub mod history;
pub mod provenance;

use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use futures::StreamExt;
use futures::future::{AbortHandle, Abortable};
use leptos::prelude::*;
use leptos::task::spawn_local;
use light_client::BlockRef;
use light_client::client::QueryError;
use light_client::live::LiveUpdate;
use light_client::model::{
    Account, Metagraph, NominatorCounts, Nominators, Overview, RootBasket, Snapshot, Subnet, SwapDirection, SwapQuote,
    Validator, ValidatorBasket,
};
use light_client::service::page::ChainService;

use crate::chain::{ChainStore, mark, use_chain};
use provenance::{BlockId, Provenance, RefreshFailure};

/// The value a live query last read and where it comes from; read-only for views.
pub struct Live<T: Send + Sync + 'static> {
    /// The value, with the block it was first read at. Changes only when the value does, so
    /// tables are not rebuilt when a new block confirms the same numbers.
    pub data: Memo<Option<Arc<Snapshot<T>>>>,
    /// Where the value on screen comes from (`None` until there is one).
    pub provenance: Memo<Option<Provenance>>,
    /// The last attempt's failure (also inside `provenance` once data is on screen).
    pub error: Memo<Option<QueryError>>,
}

impl<T: Send + Sync + 'static> Clone for Live<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Live<T> {}

/// What a store follows; one store per key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum QueryKey {
    Overview,
    Subnets,
    Subnet(u16),
    Metagraph(u16, u8),
    Validators,
    Validator(String),
    Nominators(String),
    NominatorCounts(Vec<String>),
    RootBasket(String),
    ValidatorBaskets,
    Account(String),
    Compared(Vec<String>),
    SwapQuote(u16, SwapDirection, u64),
}

/// One running store.
struct Entry {
    /// Owns the store's signals and effect; cleaned up when the last subscriber leaves.
    owner: Owner,
    /// The `Live<T>` handed to subscribers.
    live: Box<dyn Any + Send + Sync>,
    /// Stops the store's follow task.
    abort: AbortHandle,
    subscribers: usize,
}

/// Every running store, provided through context beside the chain store.
#[derive(Clone)]
pub struct DataStores {
    root: Owner,
    entries: Arc<Mutex<HashMap<QueryKey, Entry>>>,
}

/// Provides the stores' registry; call once, after `chain::provide_chain_store`.
pub fn provide_data_stores() {
    let root = Owner::current().expect("the data stores are provided inside the app's owner");
    provide_context(DataStores {
        root,
        entries: Arc::default(),
    });
}

impl DataStores {
    /// The live value for `key`, starting its store if no view has it yet.
    fn acquire<T, F, Fut>(&self, key: &QueryKey, chain: ChainStore, query: F) -> Live<T>
    where
        T: Clone + PartialEq + Send + Sync + 'static,
        F: Fn(ChainService, BlockRef) -> Fut + Clone + 'static,
        Fut: Future<Output = Result<Snapshot<T>, QueryError>> + 'static,
    {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(entry) = entries.get_mut(key)
            && let Some(live) = entry.live.downcast_ref::<Live<T>>()
        {
            entry.subscribers += 1;
            return *live;
        }
        let owner = self.root.child();
        let (abort, registration) = AbortHandle::new_pair();
        let live = owner.with(|| follow(chain, query, registration));
        entries.insert(
            key.clone(),
            Entry {
                owner,
                live: Box::new(live),
                abort,
                subscribers: 1,
            },
        );
        live
    }

    /// One subscriber of `key` left. When it was the last, the store ends a moment later unless
    /// a view subscribes again meanwhile: a view that rebuilds (a detail drawn anew for a new
    /// block's figures) releases and re-acquires in the same turn, and keeps its data on screen.
    fn release(&self, key: &QueryKey) {
        let last = {
            let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
            match entries.get_mut(key) {
                Some(entry) => {
                    entry.subscribers = entry.subscribers.saturating_sub(1);
                    entry.subscribers == 0
                }
                None => false,
            }
        };
        if last {
            let (stores, key) = (self.clone(), key.clone());
            gloo_timers::callback::Timeout::new(0, move || stores.end_if_unused(&key)).forget();
        }
    }

    /// Ends `key`'s store if no view subscribed to it since its last subscriber left.
    fn end_if_unused(&self, key: &QueryKey) {
        let ended = {
            let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
            match entries.get(key) {
                Some(entry) if entry.subscribers == 0 => entries.remove(key),
                _ => None,
            }
        };
        if let Some(entry) = ended {
            entry.abort.abort();
            entry.owner.cleanup();
        }
    }
}

/// The store's state as the follow task writes it.
struct Writers<T: Send + Sync + 'static> {
    data: RwSignal<Option<Arc<Snapshot<T>>>>,
    provenance: RwSignal<Option<Provenance>>,
    error: RwSignal<Option<QueryError>>,
}

impl<T: Send + Sync + 'static> Clone for Writers<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Writers<T> {}

impl<T: Send + Sync + 'static> Writers<T> {
    /// Applies one update; false once the store has been ended.
    fn apply(&self, update: LiveUpdate<T, QueryError>) -> bool {
        let now = js_sys::Date::now();
        match update {
            LiveUpdate::Changed(snapshot) => {
                let provenance = Provenance::of_snapshot(&snapshot, now);
                self.data.try_set(Some(Arc::new(snapshot))).is_none()
                    && self.provenance.try_set(Some(provenance)).is_none()
                    && self.error.try_set(None).is_none()
            }
            LiveUpdate::Unchanged {
                block_number,
                block_hash,
            } => {
                let confirmed = BlockId {
                    number: block_number,
                    hash: block_hash,
                };
                self.provenance
                    .try_update(|provenance| {
                        if let Some(provenance) = provenance {
                            provenance.confirmed = confirmed;
                            provenance.confirmed_at_ms = now;
                            provenance.refresh_failure = None;
                        }
                    })
                    .is_some()
                    && self.error.try_set(None).is_none()
            }
            LiveUpdate::Failed { block_number, error } => {
                let alive = self
                    .provenance
                    .try_update(|provenance| {
                        if let Some(provenance) = provenance {
                            provenance.refresh_failure = Some(RefreshFailure {
                                at_block: block_number,
                                error: error.clone(),
                            });
                        }
                    })
                    .is_some();
                alive && self.error.try_set(Some(error)).is_none()
            }
        }
    }
}

/// Creates a store's signals in the current owner and follows `query` once the client runs.
fn follow<T, F, Fut>(chain: ChainStore, query: F, registration: futures::future::AbortRegistration) -> Live<T>
where
    T: Clone + PartialEq + Send + Sync + 'static,
    F: Fn(ChainService, BlockRef) -> Fut + Clone + 'static,
    Fut: Future<Output = Result<Snapshot<T>, QueryError>> + 'static,
{
    let writers = Writers {
        data: RwSignal::new(None),
        provenance: RwSignal::new(None),
        error: RwSignal::new(None),
    };
    let registration = StoredValue::new_local(Some(registration));
    Effect::new(move |_| {
        // Start once the client runs and has a finalized block; only once.
        if chain.finalized.with(Option::is_none) {
            return;
        }
        let Some(client) = chain.client() else { return };
        let Some(registration) = registration.try_update_value(Option::take).flatten() else {
            return;
        };
        let query = query.clone();
        let task = async move {
            let mut updates = Box::pin(client.watch(query));
            while let Some(update) = updates.next().await {
                if matches!(update, LiveUpdate::Changed(_)) {
                    // New data renders a task after it arrived, each store in its own task: the
                    // worker's message and several views built at once made one long task.
                    gloo_timers::future::TimeoutFuture::new(0).await;
                }
                let shown_at = match &update {
                    LiveUpdate::Changed(snapshot) => Some(snapshot.block_number),
                    LiveUpdate::Unchanged { block_number, .. } => Some(*block_number),
                    LiveUpdate::Failed { .. } => None,
                };
                if !writers.apply(update) {
                    break;
                }
                if let Some(number) = shown_at {
                    // After the DOM update the signals scheduled (benchmarks read these marks).
                    gloo_timers::future::TimeoutFuture::new(0).await;
                    mark(&format!("taoscope:shown:{number}"));
                }
            }
        };
        spawn_local(async move {
            let _ = Abortable::new(task, registration).await;
        });
    });
    Live {
        data: Memo::new(move |_| writers.data.get()),
        provenance: Memo::new(move |_| writers.provenance.get()),
        error: Memo::new(move |_| writers.error.get()),
    }
}

/// Subscribes the calling view to `key`'s store for as long as the view lives.
fn subscribe<T, F, Fut>(key: QueryKey, query: F) -> Live<T>
where
    T: Clone + PartialEq + Send + Sync + 'static,
    F: Fn(ChainService, BlockRef) -> Fut + Clone + 'static,
    Fut: Future<Output = Result<Snapshot<T>, QueryError>> + 'static,
{
    let stores = expect_context::<DataStores>();
    let live = stores.acquire(&key, use_chain(), query);
    on_cleanup(move || stores.release(&key));
    live
}

/// Network-wide figures.
pub fn use_overview() -> Live<Overview> {
    subscribe(QueryKey::Overview, |client, block| async move {
        client.overview(&block).await
    })
}

/// Every subnet.
pub fn use_subnets() -> Live<Vec<Subnet>> {
    subscribe(QueryKey::Subnets, |client, block| async move {
        client.subnets(&block).await
    })
}

/// One subnet, read alone (`None` inside when it does not exist).
pub fn use_subnet(netuid: u16) -> Live<Option<Subnet>> {
    subscribe(QueryKey::Subnet(netuid), move |client, block| async move {
        client.subnet(&block, netuid).await
    })
}

/// One subnet's metagraph, with incentive mechanism `mechanism`'s incentive (0 on most subnets).
pub fn use_metagraph(netuid: u16, mechanism: u8) -> Live<Metagraph> {
    subscribe(
        QueryKey::Metagraph(netuid, mechanism),
        move |client, block| async move { client.mechagraph(&block, netuid, mechanism).await },
    )
}

/// Every delegate.
pub fn use_validators() -> Live<Vec<Validator>> {
    subscribe(QueryKey::Validators, |client, block| async move {
        client.validators(&block).await
    })
}

/// One delegate, read alone (`None` inside when the hotkey is not a delegate).
pub fn use_validator(hotkey: String) -> Live<Option<Validator>> {
    let key = QueryKey::Validator(hotkey.clone());
    let hotkey: Arc<str> = hotkey.into();
    subscribe(key, move |client, block| {
        let hotkey = hotkey.clone();
        async move { client.validator(&block, &hotkey).await }
    })
}

/// Every coldkey staked to `hotkey`.
pub fn use_nominators(hotkey: String) -> Live<Nominators> {
    let key = QueryKey::Nominators(hotkey.clone());
    let hotkey: Arc<str> = hotkey.into();
    subscribe(key, move |client, block| {
        let hotkey = hotkey.clone();
        async move { client.nominators(&block, &hotkey).await }
    })
}

/// A coldkey's balance and positions, each with what unstaking it alone would return now.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountExits {
    /// The balance and positions.
    pub account: Account,
    /// Each position's unstake quote, in the order of `account.positions`, all from the same
    /// block as the positions; or why this runtime cannot quote (no `SwapRuntimeApi` simulation).
    pub exits: Result<Vec<SwapQuote>, String>,
}

/// A coldkey's balance and stake positions, and each position's exit quote, read at one held
/// finalized block (`ChainService::account`, then `swap_quote` per position): for the account
/// page and the exit-value alerts. The positions read is the same question as the chain worker's
/// history recorder asks for a watched coldkey, so the worker answers both with one read.
pub fn use_account(coldkey: String) -> Live<AccountExits> {
    let key = QueryKey::Account(coldkey.clone());
    let coldkey: Arc<str> = coldkey.into();
    subscribe(key, move |client, block| {
        let coldkey = coldkey.clone();
        async move {
            let _hold = client.hold(&block);
            let account = client.account(&block, &coldkey).await?;
            let quotes = futures::future::join_all(account.data.positions.iter().map(|position| {
                client.swap_quote(&block, position.netuid, SwapDirection::AlphaForTao, position.alpha)
            }))
            .await;
            let quotes: Result<Vec<SwapQuote>, QueryError> =
                quotes.into_iter().map(|quote| quote.map(|q| q.data)).collect();
            let exits = match quotes {
                Ok(exits) => Ok(exits),
                Err(QueryError::Unsupported(what)) => Err(what),
                Err(other) => return Err(other),
            };
            Ok::<_, QueryError>(Snapshot {
                block_number: account.block_number,
                block_hash: account.block_hash,
                source: account.source,
                data: AccountExits {
                    account: account.data,
                    exits,
                },
            })
        }
    })
}

/// The runtime's quote for swapping `amount` through `netuid`'s pool, followed block by block.
pub fn use_swap_quote(netuid: u16, direction: SwapDirection, amount: u64) -> Live<SwapQuote> {
    subscribe(
        QueryKey::SwapQuote(netuid, direction, amount),
        move |client, block| async move { client.swap_quote(&block, netuid, direction, amount).await },
    )
}

/// A validator's root basket (`None` inside when it has none).
pub fn use_root_basket(hotkey: String) -> Live<Option<RootBasket>> {
    let key = QueryKey::RootBasket(hotkey.clone());
    let hotkey: Arc<str> = hotkey.into();
    subscribe(key, move |client, block| {
        let hotkey = hotkey.clone();
        async move { client.root_basket(&block, &hotkey).await }
    })
}

/// Every validator's root basket, from one runtime call (the leaderboard).
pub fn use_validator_baskets() -> Live<Vec<ValidatorBasket>> {
    subscribe(QueryKey::ValidatorBaskets, |client, block| async move {
        client.validator_baskets(&block).await
    })
}

/// One delegate of a comparison, read exactly as its own page reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct Compared {
    /// The hotkey asked for (SS58).
    pub hotkey: String,
    /// The delegate (`None` when the hotkey is not one at this block).
    pub validator: Option<Validator>,
    /// Its root basket (`None` inside when it has none), or why this runtime cannot answer (a
    /// runtime without `BetaBasketRuntimeApi`).
    pub basket: Result<Option<RootBasket>, String>,
}

/// Several delegates and their root baskets, all read at the same finalized block (held while
/// the reads run): a comparison never sets one block's figures beside another's. Each is the
/// query its own page runs (`ChainService::validator`, `root_basket`), so the figures are the
/// page's. A basket read that fails for any reason but an unsupported runtime fails the whole
/// read, which the store retries at the next block while the last comparison stays on screen.
pub fn use_compared(hotkeys: Vec<String>) -> Live<Vec<Compared>> {
    let key = QueryKey::Compared(hotkeys.clone());
    let hotkeys: Arc<[String]> = hotkeys.into();
    subscribe(key, move |client, block| {
        let hotkeys = hotkeys.clone();
        async move {
            let _hold = client.hold(&block);
            let validators =
                futures::future::join_all(hotkeys.iter().map(|hotkey| client.validator(&block, hotkey))).await;
            let baskets =
                futures::future::join_all(hotkeys.iter().map(|hotkey| client.root_basket(&block, hotkey))).await;
            let mut data = Vec::with_capacity(hotkeys.len());
            for ((hotkey, validator), basket) in hotkeys.iter().zip(validators).zip(baskets) {
                let validator = validator?;
                let basket = match basket {
                    Ok(snapshot) => Ok(snapshot.data),
                    Err(QueryError::Unsupported(what)) => Err(what),
                    Err(other) => return Err(other),
                };
                data.push(Compared {
                    hotkey: hotkey.clone(),
                    validator: validator.data,
                    basket,
                });
            }
            Ok::<_, QueryError>(Snapshot {
                block_number: block.number,
                block_hash: block.hash.clone(),
                source: client.source().clone(),
                data,
            })
        }
    })
}

/// How many coldkeys stake to each of `hotkeys`.
pub fn use_nominator_counts(hotkeys: Vec<String>) -> Live<NominatorCounts> {
    let key = QueryKey::NominatorCounts(hotkeys.clone());
    let hotkeys: Arc<[String]> = hotkeys.into();
    subscribe(key, move |client, block| {
        let hotkeys = hotkeys.clone();
        async move { client.nominator_counts(&block, &hotkeys).await }
    })
}
