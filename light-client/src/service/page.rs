//! The page side of the chain service. It connects to the site's shared worker (a dedicated worker
//! where `SharedWorker` does not exist) and offers the async API the app reads through: typed
//! queries returning `Snapshot`s with their provenance, finalized blocks as a stream, block holds,
//! the history the worker records and changes to it.
//! When the worker stops, pending questions fail with [`ServiceError::Restarted`], the page is
//! told, and the handle reconnects to a fresh worker that starts warm.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use futures::channel::{mpsc, oneshot};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use super::protocol::{
    self, Answer, ChainFacts, Connect, Counters, FromWorker, HistoryChange, HistoryError, HistoryState,
    PROTOCOL_VERSION, ProtocolError, Query, SavedStateNotice, ServiceError, StartFailure, Started, ToWorker,
};
use crate::broadcast::Broadcast;
use crate::chain::{BlockRef, FollowerProblem};
use crate::client::QueryError;
use crate::live::{self, LiveUpdate};
use crate::model::{
    Account, Metagraph, NominatorCounts, Nominators, Overview, RootBasket, Snapshot, Source, Subnet, SwapDirection,
    SwapQuote, SyncStatus, Validator, ValidatorBasket,
};

/// The global `index.html`'s start script sets: the sealed worker script's `url`, and `checked`,
/// a promise that settles once the script passed (or failed) its integrity check.
const PAGE_WORKER_ENTRY: &str = "taoscopeChainWorker";

/// The worker script `index.html` names, once it passed its integrity check.
async fn checked_worker_script() -> Result<String, StartFailure> {
    let field = |entry: &JsValue, name: &str| js_sys::Reflect::get(entry, &name.into()).ok();
    let entry = field(&js_sys::global(), PAGE_WORKER_ENTRY)
        .filter(JsValue::is_object)
        .ok_or_else(|| {
            StartFailure::NoWorker(
                "this page does not name its worker (its index.html was not built by `cargo xtask`)".into(),
            )
        })?;
    let (Some(url), Some(checked)) = (
        field(&entry, "url").and_then(|url| url.as_string()),
        field(&entry, "checked").and_then(|checked| checked.dyn_into::<js_sys::Promise>().ok()),
    ) else {
        return Err(StartFailure::NoWorker(
            "this page names its worker without its url and check".into(),
        ));
    };
    wasm_bindgen_futures::JsFuture::from(checked).await.map_err(|error| {
        let why = error
            .dyn_ref::<js_sys::Error>()
            .map(|error| String::from(error.message()))
            .unwrap_or_else(|| format!("{error:?}"));
        StartFailure::NoWorker(format!(
            "its script {url} did not load or failed its integrity check ({why}); nothing from it was run"
        ))
    })?;
    Ok(url)
}

/// What the service tells the page, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum ServiceEvent {
    /// The chain the page is bound to.
    Chain(Box<ChainFacts>),
    /// Its client started.
    Started(Started),
    /// Its client could not start.
    Failed(StartFailure),
    /// Sync status.
    Status(SyncStatus),
    /// A finalized block.
    Finalized(BlockRef),
    /// The best block's number.
    Best(u64),
    /// A problem following the chain.
    Problem(FollowerProblem),
    /// News about the saved state.
    SavedState(SavedStateNotice),
    /// The history the worker records for this chain (only when the page's `Connect` wants it).
    History(Box<HistoryState>),
    /// The worker stopped; the page is reconnecting to a fresh one.
    Restarted,
    /// The worker refused a message of the page (or the page one of the worker's).
    Refused(ProtocolError),
}

/// The page's handle on the chain service; cheap to clone.
#[derive(Clone)]
pub struct ChainService {
    inner: Rc<Inner>,
}

enum PagePort {
    Shared(web_sys::MessagePort),
    Dedicated(web_sys::Worker),
}

impl PagePort {
    fn send(&self, message: ToWorker) {
        let text = JsValue::from_str(&protocol::encode(message));
        let _ = match self {
            PagePort::Shared(port) => port.post_message(&text),
            PagePort::Dedicated(worker) => worker.post_message(&text),
        };
    }
}

struct Inner {
    connect: Connect,
    port: RefCell<Option<PagePort>>,
    /// Bumped at each reconnection: a stale port's messages and lock watcher are ignored.
    generation: Cell<u64>,
    /// Set once a shared worker failed to start here (a browser that blocks shared workers in
    /// third-party frames, say): the page then runs the worker as a dedicated one of its own.
    dedicated: Cell<bool>,
    next_id: Cell<u64>,
    pending: RefCell<HashMap<u64, oneshot::Sender<Result<Answer, QueryError>>>>,
    history_pending: RefCell<HashMap<u64, oneshot::Sender<Result<usize, HistoryError>>>>,
    events: mpsc::UnboundedSender<ServiceEvent>,
    finalized: RefCell<Broadcast<BlockRef>>,
    source: RefCell<Source>,
    genesis_hash: RefCell<Option<String>>,
    counters: Cell<Counters>,
}

/// Connects this page to the chain service with `connect` (which chain, whose trust) and returns
/// the handle with the stream of what the service tells the page.
pub fn connect(connect: Connect) -> (ChainService, mpsc::UnboundedReceiver<ServiceEvent>) {
    let (events, received) = mpsc::unbounded();
    let service = ChainService {
        inner: Rc::new(Inner {
            connect,
            port: RefCell::default(),
            generation: Cell::new(0),
            dedicated: Cell::new(false),
            next_id: Cell::new(0),
            pending: RefCell::default(),
            history_pending: RefCell::default(),
            events,
            finalized: RefCell::default(),
            source: RefCell::new(Source::LightClient),
            genesis_hash: RefCell::default(),
            counters: Cell::default(),
        }),
    };
    service.open();
    let bye = service.clone();
    if let Some(window) = web_sys::window() {
        let on_hide = Closure::<dyn FnMut()>::new(move || bye.send(ToWorker::Bye));
        let _ = window.add_event_listener_with_callback("pagehide", on_hide.as_ref().unchecked_ref());
        on_hide.forget();
    }
    (service, received)
}

/// The worker's name: pages of one protocol version share one; another deployment's pages get
/// their own.
fn worker_name() -> String {
    format!("taoscope-chain-v{PROTOCOL_VERSION}")
}

impl ChainService {
    fn emit(&self, event: ServiceEvent) {
        let _ = self.inner.events.unbounded_send(event);
    }

    fn send(&self, message: ToWorker) {
        if let Some(port) = self.inner.port.borrow().as_ref() {
            port.send(message);
        }
    }

    /// Starts (or joins) the worker once its script passed its integrity check.
    fn open(&self) {
        let service = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            match checked_worker_script().await {
                Ok(script) => service.open_at(&script),
                Err(failure) => service.emit(ServiceEvent::Failed(failure)),
            }
        });
    }

    /// Starts (or joins) the worker of `script` and sends it the page's `Connect`.
    fn open_at(&self, script: &str) {
        let generation = self.inner.generation.get();
        let on_message = {
            let service = self.clone();
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
                if service.inner.generation.get() == generation {
                    service.receive(&event.data().as_string().unwrap_or_default());
                }
            })
        };
        let shared = !self.inner.dedicated.get()
            && js_sys::Reflect::has(&js_sys::global(), &"SharedWorker".into()).unwrap_or(false);
        let on_error = {
            let (service, script) = (self.clone(), script.to_string());
            Closure::<dyn FnMut(web_sys::Event)>::new(move |_event: web_sys::Event| {
                if service.inner.generation.get() != generation {
                    return;
                }
                if shared {
                    service.inner.dedicated.set(true);
                    service.inner.generation.set(generation + 1);
                    service.inner.port.take();
                    service.open();
                } else {
                    service.emit(ServiceEvent::Failed(StartFailure::NoWorker(format!(
                        "{script} did not load"
                    ))));
                }
            })
        };
        let port = if shared {
            let options = web_sys::WorkerOptions::new();
            options.set_name(&worker_name());
            web_sys::SharedWorker::new_with_worker_options(script, &options).map(|worker| {
                worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
                let port = worker.port();
                port.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
                port.start();
                PagePort::Shared(port)
            })
        } else {
            web_sys::Worker::new(script).map(|worker| {
                worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
                worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
                PagePort::Dedicated(worker)
            })
        };
        on_message.forget();
        on_error.forget();
        match port {
            Ok(port) => {
                port.send(ToWorker::Connect(self.inner.connect.clone()));
                self.inner.port.replace(Some(port));
            }
            Err(error) => self.emit(ServiceEvent::Failed(StartFailure::NoWorker(format!("{error:?}")))),
        }
    }

    fn receive(&self, text: &str) {
        let message = match protocol::decode::<FromWorker>(text) {
            Ok(message) => message,
            Err(error) => return self.emit(ServiceEvent::Refused(error)),
        };
        match message {
            FromWorker::Hello { instance } => self.watch_worker(&instance),
            FromWorker::Chain(facts) => self.emit(ServiceEvent::Chain(Box::new(facts))),
            FromWorker::Started(started) => {
                self.inner.source.replace(started.source.clone());
                self.inner.genesis_hash.replace(Some(started.genesis_hash.clone()));
                self.emit(ServiceEvent::Started(started));
            }
            FromWorker::Failed(failure) => self.emit(ServiceEvent::Failed(failure)),
            FromWorker::Status(status) => self.emit(ServiceEvent::Status(status)),
            FromWorker::Finalized(block) => {
                self.inner.finalized.borrow_mut().publish(block.clone());
                self.emit(ServiceEvent::Finalized(block));
            }
            FromWorker::Best(number) => self.emit(ServiceEvent::Best(number)),
            FromWorker::Problem(problem) => self.emit(ServiceEvent::Problem(problem)),
            FromWorker::Counters(counters) => self.inner.counters.set(counters),
            FromWorker::SavedState(notice) => self.emit(ServiceEvent::SavedState(notice)),
            FromWorker::Answer { id, answer } => {
                if let Some(waiting) = self.inner.pending.borrow_mut().remove(&id) {
                    let _ = waiting.send(answer);
                }
            }
            FromWorker::History(state) => self.emit(ServiceEvent::History(state)),
            FromWorker::HistoryChanged { id, result } => {
                if let Some(waiting) = self.inner.history_pending.borrow_mut().remove(&id) {
                    let _ = waiting.send(result);
                }
            }
            FromWorker::Refused(error) => self.emit(ServiceEvent::Refused(error)),
        }
    }

    /// Waits, through the Web Lock the worker holds for its life, for the worker to stop; then
    /// fails what was pending, tells the page, and connects to a fresh worker.
    fn watch_worker(&self, instance: &str) {
        let generation = self.inner.generation.get();
        let callback = Closure::once_into_js(|_lock: JsValue| JsValue::UNDEFINED);
        let Some(freed) = super::locks_request(&super::alive_lock_name(instance), &callback) else {
            return;
        };
        let service = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(freed).await;
            if service.inner.generation.get() != generation {
                return;
            }
            service.inner.generation.set(generation + 1);
            service.inner.port.take();
            for (_, waiting) in service.inner.pending.borrow_mut().drain() {
                let _ = waiting.send(Err(ServiceError::Restarted.into()));
            }
            for (_, waiting) in service.inner.history_pending.borrow_mut().drain() {
                let _ = waiting.send(Err(ServiceError::Restarted.into()));
            }
            service.emit(ServiceEvent::Restarted);
            service.open();
        });
    }

    /// Asks the worker `query` and waits for its answer.
    async fn ask(&self, query: Query) -> Result<Answer, QueryError> {
        if self.inner.port.borrow().is_none() {
            // Between a worker's end and the next one's port: nothing would carry the question.
            return Err(ServiceError::Restarted.into());
        }
        let id = self.inner.next_id.get();
        self.inner.next_id.set(id + 1);
        let (answer, answered) = oneshot::channel();
        self.inner.pending.borrow_mut().insert(id, answer);
        self.send(ToWorker::Ask { id, query });
        answered.await.unwrap_or(Err(ServiceError::Restarted.into()))
    }

    /// Asks the worker to change the history or the watchlist it keeps for this page's chain;
    /// returns the points added (an import or a hand-over).
    pub async fn change_history(&self, change: HistoryChange) -> Result<usize, HistoryError> {
        let id = self.inner.next_id.get();
        self.inner.next_id.set(id + 1);
        let (result, answered) = oneshot::channel();
        self.inner.history_pending.borrow_mut().insert(id, result);
        self.send(ToWorker::ChangeHistory { id, change });
        answered.await.unwrap_or(Err(ServiceError::Restarted.into()))
    }

    /// Whether answers are verified by the light client (false for a trusted RPC endpoint).
    pub fn is_verified(&self) -> bool {
        self.inner.source.borrow().is_verified()
    }

    /// Where this page's answers come from; every `Snapshot` it receives carries the same.
    pub fn source(&self) -> Source {
        self.inner.source.borrow().clone()
    }

    /// The chain's genesis hash (`0x` hex), which keys everything saved about the chain.
    pub async fn genesis_hash(&self) -> Result<String, QueryError> {
        self.inner
            .genesis_hash
            .borrow()
            .clone()
            .ok_or(QueryError::Chain(crate::chain::ChainError::NotFollowing))
    }

    /// Finalized blocks: the latest known one, then each new one.
    pub fn finalized_blocks(&self) -> mpsc::UnboundedReceiver<BlockRef> {
        self.inner.finalized.borrow_mut().watch()
    }

    /// Re-runs `query` on each new finalized block, yielding only changes (see `live`).
    pub fn watch<T, E, Q, Fut>(&self, query: Q) -> impl futures::Stream<Item = LiveUpdate<T, E>> + use<T, E, Q, Fut>
    where
        T: PartialEq + Clone,
        Q: Fn(ChainService, BlockRef) -> Fut,
        Fut: std::future::Future<Output = Result<Snapshot<T>, E>>,
    {
        let service = self.clone();
        live::updates(self.finalized_blocks(), move |block| query(service.clone(), block))
    }

    /// Keeps `block` readable in the worker until the hold is dropped (see
    /// [`crate::client::LightClient::hold`]).
    pub fn hold(&self, block: &BlockRef) -> ServiceHold {
        let id = self.inner.next_id.get();
        self.inner.next_id.set(id + 1);
        self.send(ToWorker::Hold {
            id,
            block: block.clone(),
        });
        ServiceHold {
            service: self.clone(),
            id,
        }
    }

    /// Bytes counted so far: value bytes this page's queries read, and bytes the worker's
    /// clients received (from peers, from RPC nodes).
    pub fn counters(&self) -> Counters {
        self.inner.counters.get()
    }

    /// Value bytes this page's client has read (without keys or proofs).
    pub fn value_bytes_read(&self) -> u64 {
        self.inner.counters.get().value_bytes_read
    }

    /// Forgets the saved state of this page's chain and restarts the service: every page of the
    /// site reconnects to a fresh worker, which starts from the site's checkpoint or, with
    /// `skip_served_checkpoint`, from one read from the RPC bootstrap nodes.
    pub fn start_afresh(&self, skip_served_checkpoint: bool) {
        self.send(ToWorker::StartAfresh { skip_served_checkpoint });
    }
}

/// A block held in the worker; released when dropped.
pub struct ServiceHold {
    service: ChainService,
    id: u64,
}

impl Drop for ServiceHold {
    fn drop(&mut self) {
        self.service.send(ToWorker::Release { id: self.id });
    }
}

/// The answer's snapshot when it is of `$variant`, else a typed refusal naming both kinds.
macro_rules! expect_answer {
    ($answer:expr, $variant:ident, $asked:expr) => {
        match $answer? {
            Answer::$variant(snapshot) => Ok(snapshot),
            other => Err(ServiceError::WrongAnswer {
                asked: $asked.to_string(),
                found: other.kind().to_string(),
            }
            .into()),
        }
    };
}

impl ChainService {
    /// The network's overview at `block`.
    pub async fn overview(&self, block: &BlockRef) -> Result<Snapshot<Overview>, QueryError> {
        expect_answer!(
            self.ask(Query::Overview { block: block.clone() }).await,
            Overview,
            "overview"
        )
    }

    /// Every subnet at `block`.
    pub async fn subnets(&self, block: &BlockRef) -> Result<Snapshot<Vec<Subnet>>, QueryError> {
        expect_answer!(
            self.ask(Query::Subnets { block: block.clone() }).await,
            Subnets,
            "subnets"
        )
    }

    /// One subnet at `block`.
    pub async fn subnet(&self, block: &BlockRef, netuid: u16) -> Result<Snapshot<Option<Subnet>>, QueryError> {
        let query = Query::Subnet {
            block: block.clone(),
            netuid,
        };
        expect_answer!(self.ask(query).await, Subnet, "subnet")
    }

    /// A subnet's metagraph at `block`.
    pub async fn metagraph(&self, block: &BlockRef, netuid: u16) -> Result<Snapshot<Metagraph>, QueryError> {
        self.mechagraph(block, netuid, 0).await
    }

    /// One mechanism's metagraph of a subnet at `block`.
    pub async fn mechagraph(
        &self,
        block: &BlockRef,
        netuid: u16,
        mechanism: u8,
    ) -> Result<Snapshot<Metagraph>, QueryError> {
        let query = Query::Mechagraph {
            block: block.clone(),
            netuid,
            mechanism,
        };
        expect_answer!(self.ask(query).await, Metagraph, "metagraph")
    }

    /// A metagraph read from storage items instead of the runtime API.
    pub async fn metagraph_from_storage(
        &self,
        block: &BlockRef,
        netuid: u16,
        mechanism: u8,
    ) -> Result<Snapshot<Metagraph>, QueryError> {
        let query = Query::MetagraphFromStorage {
            block: block.clone(),
            netuid,
            mechanism,
        };
        expect_answer!(self.ask(query).await, Metagraph, "metagraph")
    }

    /// A validator (hotkey) at `block`.
    pub async fn validator(&self, block: &BlockRef, hotkey: &str) -> Result<Snapshot<Option<Validator>>, QueryError> {
        let query = Query::Validator {
            block: block.clone(),
            hotkey: hotkey.to_string(),
        };
        expect_answer!(self.ask(query).await, Validator, "validator")
    }

    /// Every validator at `block`.
    pub async fn validators(&self, block: &BlockRef) -> Result<Snapshot<Vec<Validator>>, QueryError> {
        expect_answer!(
            self.ask(Query::Validators { block: block.clone() }).await,
            Validators,
            "validators"
        )
    }

    /// A coldkey's stake at `block`.
    pub async fn account(&self, block: &BlockRef, coldkey: &str) -> Result<Snapshot<Account>, QueryError> {
        let query = Query::Account {
            block: block.clone(),
            coldkey: coldkey.to_string(),
        };
        expect_answer!(self.ask(query).await, Account, "account")
    }

    /// A validator's root basket at `block`.
    pub async fn root_basket(
        &self,
        block: &BlockRef,
        hotkey: &str,
    ) -> Result<Snapshot<Option<RootBasket>>, QueryError> {
        let query = Query::RootBasket {
            block: block.clone(),
            hotkey: hotkey.to_string(),
        };
        expect_answer!(self.ask(query).await, RootBasket, "root basket")
    }

    /// Every validator's basket at `block`.
    pub async fn validator_baskets(&self, block: &BlockRef) -> Result<Snapshot<Vec<ValidatorBasket>>, QueryError> {
        let query = Query::ValidatorBaskets { block: block.clone() };
        expect_answer!(self.ask(query).await, ValidatorBaskets, "validator baskets")
    }

    /// A validator's nominators at `block`.
    pub async fn nominators(&self, block: &BlockRef, hotkey: &str) -> Result<Snapshot<Nominators>, QueryError> {
        let query = Query::Nominators {
            block: block.clone(),
            hotkey: hotkey.to_string(),
        };
        expect_answer!(self.ask(query).await, Nominators, "nominators")
    }

    /// Nominator counts of `hotkeys` at `block`.
    pub async fn nominator_counts(
        &self,
        block: &BlockRef,
        hotkeys: &[String],
    ) -> Result<Snapshot<NominatorCounts>, QueryError> {
        let query = Query::NominatorCounts {
            block: block.clone(),
            hotkeys: hotkeys.to_vec(),
        };
        expect_answer!(self.ask(query).await, NominatorCounts, "nominator counts")
    }

    /// The runtime's quote for swapping `amount` on `netuid` at `block`.
    pub async fn swap_quote(
        &self,
        block: &BlockRef,
        netuid: u16,
        direction: SwapDirection,
        amount: u64,
    ) -> Result<Snapshot<SwapQuote>, QueryError> {
        let query = Query::SwapQuote {
            block: block.clone(),
            netuid,
            direction,
            amount,
        };
        expect_answer!(self.ask(query).await, SwapQuote, "swap quote")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_html_starts_the_worker_this_page_joins() {
        let html = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../index.html"));
        let early_start = format!(
            "new SharedWorker(self.{PAGE_WORKER_ENTRY}.url, {{ name: \"{}\" }})",
            worker_name()
        );
        assert!(
            html.contains(&early_start),
            "index.html must start the worker as the page opens it: {early_start}"
        );
    }
}
