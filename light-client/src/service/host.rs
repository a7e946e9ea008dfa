//! The worker side of the chain service. It accepts pages' ports (a shared worker's connections,
//! or a dedicated worker's own scope where `SharedWorker` does not exist) and binds each to its
//! chain's one verified light client, or, for a full page that chose one, to a trusted-RPC client
//! of its own. It answers their questions, forwards the chain's events and, for each verified
//! client, runs its history recorder (`recorder`). An embed's port can only ever bind to the
//! light client.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use futures::future::{FutureExt, LocalBoxFuture, Shared};
use futures::{Stream, StreamExt};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use super::protocol::{
    self, Answer, ChainFacts, Connect, Counters, FromWorker, HistoryError, Query, SavedStateNotice, StartFailure,
    Started, ToWorker,
};
use super::recorder::Recorder;
use super::saved_state::{self, SavedState, SavedStates, key};
use super::startup::{self, ResolvedChain};
use crate::broadcast::Broadcast;
use crate::chain::BlockHold;
use crate::chains::Manifest;
use crate::client::LightClient;
use crate::platform;

/// How often a port's byte counters are sent.
const COUNTERS_EVERY_MS: u32 = 2_000;
/// The first save of the light client's state after it starts, then the period between saves.
const FIRST_SAVE_MS: u32 = 8_000;
const SAVE_EVERY_MS: u32 = 30_000;

type SharedStart<T> = Shared<LocalBoxFuture<'static, Result<Rc<T>, StartFailure>>>;
type SharedAnswer = Shared<LocalBoxFuture<'static, Result<Answer, crate::client::QueryError>>>;

/// How many answers of the shared light clients are kept for pages that ask the same later.
const KEPT_ANSWERS: usize = 128;

/// The shared light clients' answers by question: pages and embeds asking the same question about
/// the same block (the subnets list, asked by every page each block) share one read, in flight
/// or recently done. A block's data never changes, so an answer for it stays right; a failed one
/// is not kept, so the next page asks again.
#[derive(Default)]
struct AnswerCache {
    answers: HashMap<String, SharedAnswer>,
    order: std::collections::VecDeque<String>,
}

impl AnswerCache {
    fn get_or_ask(&mut self, key: String, ask: impl FnOnce() -> SharedAnswer) -> SharedAnswer {
        if let Some(answer) = self.answers.get(&key) {
            return answer.clone();
        }
        let answer = ask();
        self.answers.insert(key.clone(), answer.clone());
        self.order.push_back(key);
        while self.order.len() > KEPT_ANSWERS {
            if let Some(oldest) = self.order.pop_front() {
                self.answers.remove(&oldest);
            }
        }
        answer
    }

    fn forget(&mut self, key: &str) {
        self.answers.remove(key);
        self.order.retain(|kept| kept != key);
    }
}

/// A chain's verified light client, shared by every page bound to it.
struct Verified {
    client: LightClient,
    started: Started,
    /// Saved-state news for the pages (refused at start, saving paused or resumed).
    notices: RefCell<Broadcast<SavedStateNotice>>,
}

/// The worker's state: one per worker.
struct Host {
    saved: SavedStates,
    answers: RefCell<AnswerCache>,
    manifest: RefCell<Option<SharedStart<Manifest>>>,
    resolved: RefCell<HashMap<String, SharedStart<ResolvedChain>>>,
    verified: RefCell<HashMap<String, SharedStart<Verified>>>,
    /// Each verified client's history recorder, by chain-spec id.
    recorders: RefCell<HashMap<String, Shared<LocalBoxFuture<'static, Rc<Recorder>>>>>,
}

/// Where messages to and from one page go.
#[derive(Clone)]
enum Port {
    /// A shared worker's connection.
    Shared(web_sys::MessagePort),
    /// A dedicated worker talks through its own scope.
    Dedicated(web_sys::DedicatedWorkerGlobalScope),
}

impl Port {
    fn send(&self, message: FromWorker) {
        let text = JsValue::from_str(&protocol::encode(message));
        let _ = match self {
            Port::Shared(port) => port.post_message(&text),
            Port::Dedicated(scope) => scope.post_message(&text),
        };
    }

    fn on_message(&self, mut handle: impl FnMut(String) + 'static) {
        let callback = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            handle(event.data().as_string().unwrap_or_default());
        });
        match self {
            Port::Shared(port) => {
                port.set_onmessage(Some(callback.as_ref().unchecked_ref()));
                port.start();
            }
            Port::Dedicated(scope) => scope.set_onmessage(Some(callback.as_ref().unchecked_ref())),
        }
        // The port lives as long as the worker; so does its handler.
        callback.forget();
    }
}

/// One page's connection.
struct Connection {
    port: Port,
    client: RefCell<Option<LightClient>>,
    holds: RefCell<HashMap<u64, BlockHold>>,
    /// The chain-spec id of the verified client the page shares with others, if it reads through
    /// one (its answers are then shared too); `None` for a trusted endpoint of its own.
    shared_chain: RefCell<Option<String>>,
    /// The chain-spec id the page is bound to, once resolved.
    chain_id: RefCell<Option<String>>,
    /// The history recorder of the verified client the page reads through, once started.
    recorder: RefCell<Option<Rc<Recorder>>>,
    closed: Cell<bool>,
}

/// Serves pages from this worker: called once by the worker's entry point, after its loader has
/// kept the ports (or messages) that arrived while the wasm was loading in `self.taoscopeEarly`.
pub fn serve() {
    let instance = format!("{:016x}", rand_u64());
    wasm_bindgen_futures::spawn_local(async move {
        let ((), saved) = futures::join!(hold_alive_lock(&instance), SavedStates::open());
        let host = Rc::new(Host {
            saved,
            answers: RefCell::default(),
            manifest: RefCell::default(),
            resolved: RefCell::default(),
            verified: RefCell::default(),
            recorders: RefCell::default(),
        });
        // Every page needs the manifest first: it is on its way before the first one asks.
        wasm_bindgen_futures::spawn_local(host.manifest().map(|_| ()));
        let global = js_sys::global();
        let early = js_sys::Reflect::get(&global, &"taoscopeEarly".into())
            .ok()
            .and_then(|early| early.dyn_into::<js_sys::Array>().ok())
            .unwrap_or_default();
        if let Ok(scope) = global.clone().dyn_into::<web_sys::SharedWorkerGlobalScope>() {
            for port in early.iter() {
                if let Ok(port) = port.dyn_into::<web_sys::MessagePort>() {
                    accept(&host, &instance, Port::Shared(port), Vec::new());
                }
            }
            let (host, instance) = (host.clone(), instance.clone());
            let on_connect = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
                if let Ok(port) = event.ports().get(0).dyn_into::<web_sys::MessagePort>() {
                    accept(&host, &instance, Port::Shared(port), Vec::new());
                }
            });
            scope.set_onconnect(Some(on_connect.as_ref().unchecked_ref()));
            on_connect.forget();
        } else if let Ok(scope) = global.dyn_into::<web_sys::DedicatedWorkerGlobalScope>() {
            let early: Vec<String> = early.iter().filter_map(|message| message.as_string()).collect();
            accept(&host, &instance, Port::Dedicated(scope), early);
        }
    });
}

fn rand_u64() -> u64 {
    let mut bytes = [0u8; 8];
    let _ = getrandom::getrandom(&mut bytes);
    u64::from_le_bytes(bytes)
}

/// Takes the Web Lock named after this worker's instance and keeps it for the worker's life, so a
/// page learns that the worker stopped when the lock becomes free (`page`). Browsers without Web
/// Locks (an http page that is not a secure context) skip it.
async fn hold_alive_lock(instance: &str) {
    let (granted, taken) = futures::channel::oneshot::channel::<()>();
    let granted = RefCell::new(Some(granted));
    let callback = Closure::once_into_js(move |_lock: JsValue| -> JsValue {
        if let Some(granted) = granted.borrow_mut().take() {
            let _ = granted.send(());
        }
        // Never settles: the lock is held until the worker stops.
        js_sys::Promise::new(&mut |_, _| {}).into()
    });
    if super::locks_request(&super::alive_lock_name(instance), &callback).is_some() {
        let _ = taken.await;
    }
}

fn accept(host: &Rc<Host>, instance: &str, port: Port, early: Vec<String>) {
    let connection = Rc::new(Connection {
        port: port.clone(),
        client: RefCell::default(),
        holds: RefCell::default(),
        shared_chain: RefCell::default(),
        chain_id: RefCell::default(),
        recorder: RefCell::default(),
        closed: Cell::new(false),
    });
    port.send(FromWorker::Hello {
        instance: instance.to_string(),
    });
    let (host, handler) = (host.clone(), connection.clone());
    let receive = move |text: String| match protocol::decode::<ToWorker>(&text) {
        Ok(message) => handle(&host, &handler, message),
        Err(error) => handler.port.send(FromWorker::Refused(error)),
    };
    for text in early {
        receive(text);
    }
    port.on_message(receive);
}

fn handle(host: &Rc<Host>, connection: &Rc<Connection>, message: ToWorker) {
    match message {
        ToWorker::Connect(connect) => {
            let (host, connection) = (host.clone(), connection.clone());
            wasm_bindgen_futures::spawn_local(async move {
                if let Err(failure) = bind(&host, &connection, connect).await {
                    connection.port.send(FromWorker::Failed(failure));
                }
            });
        }
        ToWorker::Ask { id, query } => {
            let client = connection.client.borrow().clone();
            let shared_chain = connection.shared_chain.borrow().clone();
            let (host, connection) = (host.clone(), connection.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let answer = match (client, shared_chain) {
                    (Some(client), Some(chain_id)) => host.shared_answer(&chain_id, client, query).await,
                    (Some(client), None) => answer(&client, query).await,
                    (None, _) => Err(crate::chain::ChainError::NotFollowing.into()),
                };
                connection.port.send(FromWorker::Answer { id, answer });
            });
        }
        ToWorker::Hold { id, block } => {
            if let Some(client) = connection.client.borrow().as_ref() {
                connection.holds.borrow_mut().insert(id, client.hold(&block));
            }
        }
        ToWorker::Release { id } => {
            connection.holds.borrow_mut().remove(&id);
        }
        ToWorker::StartAfresh { skip_served_checkpoint } => {
            let (host, connection) = (host.clone(), connection.clone());
            wasm_bindgen_futures::spawn_local(start_afresh(host, connection, skip_served_checkpoint));
        }
        ToWorker::ChangeHistory { id, change } => {
            let recorder = connection.recorder.borrow().clone();
            // A page bound to its own trusted endpoint has a client but shares none.
            let unverified = connection.client.borrow().is_some() && connection.shared_chain.borrow().is_none();
            let connection = connection.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let result = match recorder {
                    Some(recorder) => recorder.change(change).await,
                    None if unverified => Err(HistoryError::Unverified),
                    None => Err(HistoryError::NotReady),
                };
                connection.port.send(FromWorker::HistoryChanged { id, result });
            });
        }
        ToWorker::Bye => {
            connection.closed.set(true);
            connection.holds.borrow_mut().clear();
            connection.client.borrow_mut().take();
        }
    }
}

/// Forgets the saved state of the port's chain and stops this worker: every page sees it stop and
/// reconnects to a fresh one, which starts again as the user asked.
async fn start_afresh(host: Rc<Host>, connection: Rc<Connection>, skip_served_checkpoint: bool) {
    let chain_id = connection.chain_id.borrow().clone();
    if let Some(chain_id) = chain_id {
        host.saved.forget_state(&chain_id).await;
        host.saved.forget(&key::trusted_once(&chain_id)).await;
        if skip_served_checkpoint {
            let _ = host.saved.set_value(&key::skip_served_checkpoint(&chain_id), "1").await;
        }
    }
    let global = js_sys::global();
    if let Ok(close) =
        js_sys::Reflect::get(&global, &"close".into()).and_then(|close| close.dyn_into::<js_sys::Function>())
    {
        let _ = close.call0(&global);
    }
}

impl Host {
    /// The answer to `query` from `chain_id`'s shared light client: asked once however many pages
    /// ask it (see [`AnswerCache`]).
    async fn shared_answer(
        &self,
        chain_id: &str,
        client: LightClient,
        query: Query,
    ) -> Result<Answer, crate::client::QueryError> {
        let key = format!("{chain_id}\n{}", serde_json::to_string(&query).unwrap_or_default());
        let answer = self.answers.borrow_mut().get_or_ask(key.clone(), || {
            async move { answer(&client, query).await }.boxed_local().shared()
        });
        let answer = answer.await;
        if answer.is_err() {
            self.answers.borrow_mut().forget(&key);
        }
        answer
    }

    /// `chain_id`'s history recorder, started by the first page that shows history and kept for
    /// the worker's life: it records every `every` blocks through the shared answers.
    fn recorder(
        self: &Rc<Self>,
        chain_id: &str,
        verified: &Rc<Verified>,
        every: u64,
    ) -> Shared<LocalBoxFuture<'static, Rc<Recorder>>> {
        let host = self.clone();
        let (chain_id, client, genesis) = (
            chain_id.to_string(),
            verified.client.clone(),
            verified.started.genesis_hash.clone(),
        );
        self.recorders
            .borrow_mut()
            .entry(chain_id.clone())
            .or_insert_with(|| {
                let finalized = client.finalized_blocks();
                let ask: super::recorder::Ask = Rc::new(move |query| {
                    let (host, chain_id, client) = (host.clone(), chain_id.clone(), client.clone());
                    async move { host.shared_answer(&chain_id, client, query).await }.boxed_local()
                });
                Recorder::start(genesis, every, self.saved.clone(), finalized, ask)
                    .boxed_local()
                    .shared()
            })
            .clone()
    }

    fn manifest(&self) -> SharedStart<Manifest> {
        self.manifest
            .borrow_mut()
            .get_or_insert_with(|| async { startup::manifest().await.map(Rc::new) }.boxed_local().shared())
            .clone()
    }

    fn resolved(&self, chain: &crate::chains::ChainEntry) -> SharedStart<ResolvedChain> {
        let saved = self.saved.clone();
        let chain = chain.clone();
        self.resolved
            .borrow_mut()
            .entry(chain.id.clone())
            .or_insert_with(|| {
                async move { startup::resolve(chain, &saved).await.map(Rc::new) }
                    .boxed_local()
                    .shared()
            })
            .clone()
    }

    fn verified(&self, spec: &str, chain_id: &str, resolved: &Rc<ResolvedChain>) -> SharedStart<Verified> {
        let (saved, spec, id, resolved) = (
            self.saved.clone(),
            spec.to_string(),
            chain_id.to_string(),
            resolved.clone(),
        );
        self.verified
            .borrow_mut()
            .entry(chain_id.to_string())
            .or_insert_with(|| {
                async move {
                    let start = startup::start_verified(&spec, &id, &resolved, &saved).await?;
                    let genesis_hash = genesis_of(&start.client).await?;
                    let mut notices = Broadcast::default();
                    if let Some(refused) = start.refused {
                        notices.publish(refused);
                    }
                    let verified = Rc::new(Verified {
                        client: start.client,
                        started: Started {
                            source: crate::model::Source::LightClient,
                            genesis_hash,
                            from: Some(start.from),
                            trusted_once: start.trusted_once,
                            at: js_sys::Date::now(),
                        },
                        notices: RefCell::new(notices),
                    });
                    wasm_bindgen_futures::spawn_local(save_periodically(verified.clone(), saved, id, spec));
                    Ok(verified)
                }
                .boxed_local()
                .shared()
            })
            .clone()
    }

    /// Forgets a start that failed, so the next page tries again.
    fn forget_failed(&self, chain_id: Option<&str>) {
        self.manifest
            .borrow_mut()
            .take_if(|start| matches!(start.peek(), Some(Err(_))));
        if let Some(chain_id) = chain_id {
            self.resolved
                .borrow_mut()
                .retain(|id, start| id != chain_id || !matches!(start.peek(), Some(Err(_))));
            self.verified
                .borrow_mut()
                .retain(|id, start| id != chain_id || !matches!(start.peek(), Some(Err(_))));
        }
    }
}

/// Binds `connection` to the chain it asks for: resolves the chain, says its facts, starts (or
/// joins) the client, says it started, and forwards its events until the page says goodbye.
async fn bind(host: &Rc<Host>, connection: &Rc<Connection>, connect: Connect) -> Result<(), StartFailure> {
    let manifest = host.manifest().await.inspect_err(|_| host.forget_failed(None))?;
    let (chain, notice) = manifest.choose(connect.requested_chain.as_deref(), connect.saved_chain.as_deref());
    let chain = chain.clone();
    let resolved = host
        .resolved(&chain)
        .await
        .inspect_err(|_| host.forget_failed(Some(&chain.id)))?;
    let (facts, spec): (ChainFacts, String) = startup::facts_for(&manifest, &resolved, notice, &connect)?;
    let chain_id = facts.spec.id.clone();
    let endpoint = facts.rpc_endpoint.clone();
    connection.chain_id.replace(Some(chain_id.clone()));
    connection.port.send(FromWorker::Chain(facts));
    let every = chain
        .history_every_blocks
        .map_or(crate::model::history::DEFAULT_EVERY_BLOCKS, u64::from);
    let (client, started, notices) = match endpoint {
        Some(url) => {
            // A trusted endpoint is this page's own: never shared, never given to an embed.
            let client = LightClient::connect_rpc(&url, &spec).await?;
            let started = Started {
                source: client.source().clone(),
                genesis_hash: genesis_of(&client).await?,
                from: None,
                trusted_once: None,
                at: js_sys::Date::now(),
            };
            (client, started, None)
        }
        None => {
            let verified = host
                .verified(&spec, &chain_id, &resolved)
                .await
                .inspect_err(|_| host.forget_failed(Some(&chain_id)))?;
            let notices = verified.notices.borrow_mut().watch();
            connection.shared_chain.replace(Some(chain_id.clone()));
            // The first page that shows history starts the recorder (embeds alone record none).
            if connect.wants_history {
                let recorder = host.recorder(&chain_id, &verified, every).await;
                forward(connection, recorder.watch(), |state| {
                    FromWorker::History(Box::new(state))
                });
                connection.recorder.replace(Some(recorder));
            }
            (verified.client.clone(), verified.started.clone(), Some(notices))
        }
    };
    connection.client.replace(Some(client.clone()));
    connection.port.send(FromWorker::Started(started));
    forward(connection, client.sync_status(), FromWorker::Status);
    forward(connection, client.follower_problems(), FromWorker::Problem);
    forward(connection, client.best_numbers(), FromWorker::Best);
    forward(connection, client.finalized_blocks(), FromWorker::Finalized);
    if let Some(notices) = notices {
        forward(connection, notices, FromWorker::SavedState);
    }
    let connection = connection.clone();
    wasm_bindgen_futures::spawn_local(async move {
        while !connection.closed.get() {
            let traffic = platform::traffic();
            connection.port.send(FromWorker::Counters(Counters {
                value_bytes_read: client.value_bytes_read(),
                from_peers: traffic.from_peers.unwrap_or(0),
                from_rpc_nodes: traffic.from_rpc_nodes,
            }));
            gloo_timers::future::TimeoutFuture::new(COUNTERS_EVERY_MS).await;
        }
    });
    Ok(())
}

/// The genesis hash `client` reports (smoldot knows it from the spec; a trusted node was checked
/// against it).
async fn genesis_of(client: &LightClient) -> Result<String, StartFailure> {
    client
        .genesis_hash()
        .await
        .map_err(|error| StartFailure::Refused(format!("the chain's genesis hash could not be read: {error}")))
}

/// Sends each item of `stream` to the page, as `wrap` makes it a message, until the page leaves.
fn forward<T: 'static>(
    connection: &Rc<Connection>,
    mut stream: impl Stream<Item = T> + Unpin + 'static,
    wrap: fn(T) -> FromWorker,
) {
    let connection = connection.clone();
    wasm_bindgen_futures::spawn_local(async move {
        while let Some(item) = stream.next().await {
            if connection.closed.get() {
                return;
            }
            connection.port.send(wrap(item));
        }
    });
}

/// Runs `query` on `client`.
async fn answer(client: &LightClient, query: Query) -> Result<Answer, crate::client::QueryError> {
    Ok(match query {
        Query::Overview { block } => Answer::Overview(client.overview(&block).await?),
        Query::Subnets { block } => Answer::Subnets(client.subnets(&block).await?),
        Query::Subnet { block, netuid } => Answer::Subnet(client.subnet(&block, netuid).await?),
        Query::Mechagraph {
            block,
            netuid,
            mechanism,
        } => Answer::Metagraph(client.mechagraph(&block, netuid, mechanism).await?),
        Query::MetagraphFromStorage {
            block,
            netuid,
            mechanism,
        } => Answer::Metagraph(client.metagraph_from_storage(&block, netuid, mechanism).await?),
        Query::Validator { block, hotkey } => Answer::Validator(client.validator(&block, &hotkey).await?),
        Query::Validators { block } => Answer::Validators(client.validators(&block).await?),
        Query::Account { block, coldkey } => Answer::Account(client.account(&block, &coldkey).await?),
        Query::RootBasket { block, hotkey } => Answer::RootBasket(client.root_basket(&block, &hotkey).await?),
        Query::ValidatorBaskets { block } => Answer::ValidatorBaskets(client.validator_baskets(&block).await?),
        Query::Nominators { block, hotkey } => Answer::Nominators(client.nominators(&block, &hotkey).await?),
        Query::NominatorCounts { block, hotkeys } => {
            Answer::NominatorCounts(client.nominator_counts(&block, &hotkeys).await?)
        }
        Query::SwapQuote {
            block,
            netuid,
            direction,
            amount,
        } => Answer::SwapQuote(client.swap_quote(&block, netuid, direction, amount).await?),
    })
}

/// Saves the verified client's finalized database (with the runtime code when it fits) 8 s after
/// the start and then every 30 s, with the digest of `spec`, so the next visit, any tab or embed
/// of this site, starts warm. A refused write (a full quota) pauses saving, says so on every
/// page, and is tried again next time; the client keeps working either way.
async fn save_periodically(verified: Rc<Verified>, saved: SavedStates, chain_id: String, spec: String) {
    gloo_timers::future::TimeoutFuture::new(FIRST_SAVE_MS).await;
    let spec_digest = crate::chain_spec::digest(&spec);
    drop(spec);
    let mut paused = false;
    loop {
        let client = &verified.client;
        if let (Ok(genesis), Ok(database)) = (
            client.genesis_hash().await,
            client.finalized_database(saved_state::MAX_DATABASE_BYTES).await,
        ) {
            let state = SavedState {
                genesis,
                database,
                spec_digest: Some(spec_digest.clone()),
                code_hash: None,
            };
            match saved.save_state(&chain_id, &state).await {
                Ok(()) if paused => {
                    paused = false;
                    verified.notices.borrow_mut().publish(SavedStateNotice::SavingResumed);
                }
                Ok(()) => {}
                Err(why) if !paused => {
                    paused = true;
                    web_sys::console::warn_1(
                        &format!("Taoscope: could not save the light client's state: {why}").into(),
                    );
                    verified
                        .notices
                        .borrow_mut()
                        .publish(SavedStateNotice::SavingPaused(why));
                }
                Err(_) => {}
            }
        }
        gloo_timers::future::TimeoutFuture::new(SAVE_EVERY_MS).await;
    }
}
