//! The chain store: one light client per page (or, when the user chose one, a trusted RPC node
//! instead), its sync status and the latest finalized block as signals, provided through context.
//! Views read query results through the stores in `data`.

use futures::StreamExt;
use leptos::prelude::*;
use leptos::task::spawn_local;
use light_client::BlockRef;
use light_client::StartError;
use light_client::bootstrap::{self, Bootstrapped};
use light_client::chain_spec::{self, ChainSpecInfo};
use light_client::chains::{self, ChainEntry, Manifest, StartPoint};
use light_client::client::LightClient;
use light_client::model::SyncStatus;

/// Signals every view reads.
#[derive(Clone, Copy)]
pub struct ChainStore {
    /// What the light client is doing.
    pub status: RwSignal<SyncStatus>,
    /// The latest finalized block.
    pub finalized: RwSignal<Option<BlockRef>>,
    /// The best block's number (the chain's tip, ahead of finality).
    pub best: RwSignal<Option<u64>>,
    /// When `finalized` last changed (milliseconds since the epoch).
    pub finalized_at: RwSignal<f64>,
    /// The follower's latest problem (a finalized block whose header did not read, an unreadable
    /// event, a refused follow), until the next finalized block shows it got past it.
    pub follower_problem: RwSignal<Option<String>>,
    /// The page's clock (milliseconds since the epoch), ticking every second for "N s ago" labels.
    pub now: RwSignal<f64>,
    /// Why the client could not start, if it could not.
    pub start_error: RwSignal<Option<String>>,
    /// Name, id and boot nodes of the chain spec in use.
    pub spec_info: RwSignal<Option<ChainSpecInfo>>,
    /// The chains this site offers (`/chain-specs/index.json`).
    pub manifest: RwSignal<Option<Manifest>>,
    /// The chain in use, from the manifest.
    pub chain: RwSignal<Option<ChainEntry>>,
    /// Why the chain in use is not the one the URL asked for, if it is not.
    pub chain_notice: RwSignal<Option<String>>,
    /// What the light client started from, once started (the saved state, the site's checkpoint,
    /// a checkpoint from the chain's RPC bootstrap nodes, or genesis), and why the site's
    /// checkpoint was not used when it was listed but failed.
    pub started_from: RwSignal<Option<(StartPoint, Option<String>)>>,
    /// When the verified state descends from a checkpoint read from RPC bootstrap nodes: which
    /// block and whom ("checkpoint #N from HOST, trusted once"), said beside every provenance.
    pub trusted_once: RwSignal<Option<String>>,
    /// Peers the user added in the settings (kept per chain in localStorage).
    pub extra_peers: RwSignal<Vec<String>>,
    /// True when the light client has no peer this page may dial (an https page and only plain
    /// `ws` boot nodes): said at once, with the honest choices, instead of "connecting" forever.
    pub no_dialable_peer: RwSignal<bool>,
    /// When the light client started (ms since the epoch); with `first_finalized` it tells a
    /// start point too old for the peers (`chains::start_point_seems_stale`).
    pub started_at: RwSignal<Option<f64>>,
    /// The first finalized block number the light client reported (its start point's block).
    pub first_finalized: RwSignal<Option<u64>>,
    /// The trusted RPC endpoint in use instead of the light client (`?rpc=` or the settings).
    pub rpc_endpoint: RwSignal<Option<String>>,
    /// True when that endpoint came from the page's own URL (`?rpc=`), not from the user's
    /// settings: the page then says that a link switched it to an unverified source.
    pub rpc_from_link: RwSignal<bool>,
    client: StoredValue<Option<LightClient>>,
}

/// Whether a page may read through a trusted RPC node instead of its light client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrustPolicy {
    /// The full app: the user's saved endpoint, or `?rpc=` for this visit (with a banner).
    UserMayChooseRpc,
    /// Embeds: always the light client. A framing site must not be able to put numbers of its
    /// choosing under our "verified" footer, so `?rpc=` and saved endpoints are ignored.
    LightClientOnly,
}

/// A text file served beside the app (`what` names it in errors: "the chain spec"): `Ok(None)`
/// when the site does not serve it (HTTP 404), an error for any other failure.
pub(crate) async fn fetch_served_text(url: &str, what: &str) -> Result<Option<String>, String> {
    let response = gloo_net::http::Request::get(url)
        .send()
        .await
        .map_err(|error| format!("cannot load {what} {url}: {error}"))?;
    if response.status() == 404 {
        return Ok(None);
    }
    if !response.ok() {
        return Err(format!("cannot load {what} {url}: HTTP {}", response.status()));
    }
    response
        .text()
        .await
        .map(Some)
        .map_err(|error| format!("cannot read {what} {url}: {error}"))
}

/// A file the site must serve: not serving it is an error naming it.
pub(crate) async fn fetch_required_text(url: &str, what: &str) -> Result<String, String> {
    fetch_served_text(url, what)
        .await?
        .ok_or_else(|| format!("this site does not serve {what} at {url}"))
}

/// Creates the store, starts the light client on the chain `requested` names in the site's chain
/// manifest (else the visitor's last choice, else the manifest's default) or, where `trust` allows
/// and the user asked for one, connects to a trusted RPC node, in the background, and provides the
/// store.
pub fn provide_chain_store(requested: Option<String>, trust: TrustPolicy) -> ChainStore {
    let store = ChainStore {
        status: RwSignal::new(SyncStatus::NotStarted),
        finalized: RwSignal::new(None),
        best: RwSignal::new(None),
        finalized_at: RwSignal::new(0.0),
        follower_problem: RwSignal::new(None),
        now: RwSignal::new(js_sys::Date::now()),
        start_error: RwSignal::new(None),
        spec_info: RwSignal::new(None),
        manifest: RwSignal::new(None),
        chain: RwSignal::new(None),
        chain_notice: RwSignal::new(None),
        started_from: RwSignal::new(None),
        trusted_once: RwSignal::new(None),
        extra_peers: RwSignal::new(Vec::new()),
        no_dialable_peer: RwSignal::new(false),
        started_at: RwSignal::new(None),
        first_finalized: RwSignal::new(None),
        rpc_endpoint: RwSignal::new(None),
        rpc_from_link: RwSignal::new(false),
        client: StoredValue::new(None),
    };
    provide_context(store);
    // One clock for the whole page, alive as long as the page.
    gloo_timers::callback::Interval::new(1_000, move || store.now.set(js_sys::Date::now())).forget();
    spawn_local(async move {
        store.status.set(SyncStatus::Connecting);
        let manifest = match fetch_required_text(chains::MANIFEST_PATH, "its chain manifest").await {
            Ok(text) => match Manifest::parse(&text) {
                Ok(manifest) => manifest,
                Err(error) => return store.start_error.set(Some(error.to_string())),
            },
            Err(error) => return store.start_error.set(Some(error)),
        };
        mark("taoscope:start:manifest");
        let (chain, notice) = manifest.choose(requested.as_deref(), saved_chain().as_deref());
        let chain = chain.clone();
        store.chain_notice.set(notice);
        store.chain.set(Some(chain.clone()));
        store.manifest.set(Some(manifest));
        let (spec, bootstrapped) = match chain_spec_of(&chain).await {
            Ok(found) => found,
            Err(error) => return store.start_error.set(Some(error)),
        };
        mark("taoscope:start:spec");
        let info = match chain_spec::inspect(&spec) {
            Ok(info) => info,
            Err(error) => return store.start_error.set(Some(error.to_string())),
        };
        let peers = saved_peers(&info.id);
        // A saved peer that no longer parses is dropped (and shown as gone in the settings)
        // rather than stopping the client.
        let peers: Vec<String> = peers
            .into_iter()
            .filter(|p| chain_spec::check_peer(p).is_ok())
            .collect();
        let spec = chain_spec::with_extra_boot_nodes(&spec, &peers).unwrap_or(spec);
        store.extra_peers.set(peers.clone());
        store.spec_info.set(Some(info.clone()));
        let endpoint = match trust {
            TrustPolicy::LightClientOnly => None,
            TrustPolicy::UserMayChooseRpc => {
                let from_link = rpc_endpoint_in_page_url();
                store.rpc_from_link.set(from_link.is_some());
                from_link.or_else(|| saved_rpc_endpoint(&info.id))
            }
        };
        store.rpc_endpoint.set(endpoint.clone());
        if endpoint.is_none() {
            let https = page_is_https();
            let dialable = info
                .boot_nodes
                .iter()
                .chain(&peers)
                .any(|peer| light_client::platform::page_can_dial(peer, https));
            store.no_dialable_peer.set(!dialable);
        }
        let started = match &endpoint {
            Some(url) => LightClient::connect_rpc(url, &spec)
                .await
                .map_err(|error| error.to_string()),
            None => start_with_saved_state(&spec, &info.id, &chain, bootstrapped, store).await,
        };
        let client = match started {
            Ok(client) => client,
            Err(error) => return store.start_error.set(Some(error)),
        };
        mark("taoscope:start:client");
        store.client.set_value(Some(client.clone()));
        store.started_at.set(Some(js_sys::Date::now()));
        let mut statuses = client.sync_status();
        spawn_local(async move {
            while let Some(status) = statuses.next().await {
                store.status.set(status);
            }
        });
        if client.is_verified() {
            spawn_local(save_database_periodically(
                client.clone(),
                info.id.clone(),
                spec.clone(),
            ));
        }
        let mut problems = client.follower_problems();
        spawn_local(async move {
            while let Some(problem) = problems.next().await {
                store.follower_problem.set(Some(problem.to_string()));
            }
        });
        let mut best = client.best_numbers();
        spawn_local(async move {
            while let Some(number) = best.next().await {
                store.best.set(Some(number));
            }
        });
        let mut blocks = client.finalized_blocks();
        while let Some(block) = blocks.next().await {
            mark(&format!("taoscope:finalized:{}", block.number));
            if store.first_finalized.get_untracked().is_none() {
                store.first_finalized.set(Some(block.number));
            }
            store.finalized.set(Some(block));
            store.finalized_at.set(js_sys::Date::now());
            store.follower_problem.set(None);
        }
    });
    store
}

/// Reads a checkpoint from `chain`'s RPC bootstrap nodes (trusted once), checked against
/// `genesis_hash`.
async fn bootstrap(chain: &ChainEntry, genesis_hash: &str) -> Result<Bootstrapped, String> {
    bootstrap::from_rpc_nodes(genesis_hash, &chain.rpc_bootstrap)
        .await
        .map_err(|error| error.to_string())
}

/// The chain's spec: the file the manifest names, or one built from the chain's facts and its
/// genesis state root (saved from an earlier visit, given by the manifest, or read from the
/// bootstrap nodes: alone when the site ships a checkpoint, else together with a checkpoint,
/// which is then returned too). A built spec is accepted only if it hashes to the facts' genesis.
async fn chain_spec_of(chain: &ChainEntry) -> Result<(String, Option<Bootstrapped>), String> {
    let Some(facts) = &chain.facts else {
        let path = chain.spec.as_deref().unwrap_or_default();
        return fetch_required_text(path, "the chain spec")
            .await
            .map(|spec| (spec, None));
    };
    let from_root = |root: &str| {
        facts
            .with_chain_facts(|facts| chain_spec::from_facts(facts, root))
            .map_err(|error| format!("the chain spec built from {}'s facts is refused: {error}", chain.label))
    };
    if let Some(root) = saved_value(&spec_root_key(&chain.id)).or_else(|| facts.genesis_state_root.clone()) {
        return from_root(&root).map(|spec| (spec, None));
    }
    // With a checkpoint of its own the site needs only the root; without, a checkpoint too.
    let (root, bootstrapped) = if chain.checkpoint.is_some() {
        let root = bootstrap::genesis_state_root(&facts.genesis_hash, &chain.rpc_bootstrap)
            .await
            .map_err(|error| error.to_string())?;
        (root, None)
    } else {
        let bootstrapped = bootstrap(chain, &facts.genesis_hash).await?;
        (bootstrapped.genesis_state_root.clone(), Some(bootstrapped))
    };
    let spec = from_root(&root)?;
    save_value(&spec_root_key(&chain.id), &root);
    Ok((spec, bootstrapped))
}

fn spec_root_key(chain_id: &str) -> String {
    format!("taoscope.genesis-root.{chain_id}")
}

/// Set by `start_afresh` for the next start only: skip the site's checkpoint.
fn fresh_checkpoint_key(chain_id: &str) -> String {
    format!("taoscope.skip-served-checkpoint.{chain_id}")
}

/// Forgets the state saved for the chain in use and reloads the page, so the light client starts
/// again: from the site's checkpoint, or (`skip_served_checkpoint`) from one read from the chain's
/// RPC bootstrap nodes, trusted once. The way out of a start point too old for the peers.
pub fn start_afresh(store: ChainStore, skip_served_checkpoint: bool) {
    // Saved state is keyed by the spec's chain id, as `start_with_saved_state` reads it.
    let Some(info) = store.spec_info.get_untracked() else {
        return;
    };
    let chain_id = info.id.as_str();
    forget_saved_database(chain_id);
    forget_value(&trust_key(chain_id));
    if skip_served_checkpoint {
        save_value(&fresh_checkpoint_key(chain_id), "1");
    }
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}

fn trust_key(chain_id: &str) -> String {
    format!("taoscope.trusted-once.{chain_id}")
}

/// "checkpoint #N from HOST, HOST (trusted once)".
fn trust_note(bootstrapped: &Bootstrapped) -> String {
    let hosts: Vec<String> = bootstrapped
        .trusted
        .iter()
        .map(|url| light_client::platform::RpcUrl::parse(url).map_or_else(|_| url.clone(), |u| u.host))
        .collect();
    format!(
        "checkpoint #{} from {} (trusted once)",
        crate::format::block(bootstrapped.block_number).trim_start_matches('#'),
        hosts.join(", ")
    )
}

/// Starts `spec` from `bootstrapped`'s checkpoint, remembering whom it trusted.
fn start_bootstrapped(
    spec: &str,
    chain_id: &str,
    bootstrapped: &Bootstrapped,
    store: ChainStore,
) -> Result<LightClient, String> {
    let client = LightClient::start(spec, &bootstrapped.database).map_err(|error| error.to_string())?;
    let note = trust_note(bootstrapped);
    save_value(&trust_key(chain_id), &note);
    store.trusted_once.set(Some(note));
    store.started_from.set(Some((StartPoint::RpcBootstrap, None)));
    Ok(client)
}

/// Starts the light client from the state saved for `chain_id`, else from the checkpoint the
/// manifest lists for `chain` (how a chain whose warp sync from genesis fails, like finney, is
/// reached), else from one just read from the bootstrap nodes (`bootstrapped`), else from the
/// bootstrap nodes or genesis as `chains::start_point` decides; a chain that can do neither is
/// refused with a message instead of syncing forever. Saved state that is unreadable or belongs to
/// another chain (a reset devnet) is forgotten.
async fn start_with_saved_state(
    spec: &str,
    chain_id: &str,
    chain: &ChainEntry,
    bootstrapped: Option<Bootstrapped>,
    store: ChainStore,
) -> Result<LightClient, String> {
    if let Some(saved) = saved_state(chain_id) {
        match LightClient::start_with_known_genesis(spec, &saved.database, saved.genesis_for(spec)) {
            Err(error @ (StartError::CorruptDatabase(_) | StartError::DatabaseOfAnotherChain { .. })) => {
                web_sys::console::warn_1(&format!("Taoscope: starting without the saved state: {error}").into());
                forget_saved_database(chain_id);
            }
            started => {
                store.trusted_once.set(saved_value(&trust_key(chain_id)));
                store.started_from.set(Some((StartPoint::Saved, None)));
                return started.map_err(|error| error.to_string());
            }
        }
    }
    forget_value(&trust_key(chain_id));
    let skip_served = saved_value(&fresh_checkpoint_key(chain_id)).is_some();
    forget_value(&fresh_checkpoint_key(chain_id));
    let checkpoint = match &chain.checkpoint {
        None => Ok(None),
        Some(_) if skip_served => Err(format!(
            "the checkpoint this site serves finalized nothing past its block in {} s (too old for the peers?)",
            chains::START_POINT_PROGRESS_SECONDS
        )),
        Some(path) => fetch_served_text(path, "the checkpoint").await,
    };
    let checkpoint_outcome = match checkpoint {
        Ok(Some(checkpoint)) => match LightClient::start(spec, &checkpoint) {
            Err(error @ (StartError::CorruptDatabase(_) | StartError::DatabaseOfAnotherChain { .. })) => {
                Err(format!("the served checkpoint is refused: {error}"))
            }
            started => {
                store.started_from.set(Some((StartPoint::Checkpoint, None)));
                return started.map_err(|error| error.to_string());
            }
        },
        Ok(None) => Ok(false),
        Err(error) => Err(error),
    };
    // The site's own checkpoint is preferred; one read from the bootstrap nodes (with the spec's
    // genesis state root) is used only when the site's is missing or refused.
    if let Some(bootstrapped) = &bootstrapped {
        return start_bootstrapped(spec, chain_id, bootstrapped, store);
    }
    let why = checkpoint_outcome.as_ref().err().cloned();
    if chains::start_point(chain, false, checkpoint_outcome).map_err(|refusal| refusal.to_string())?
        == StartPoint::RpcBootstrap
    {
        let genesis = chain_spec::genesis_hash(spec).map_err(|error| error.to_string())?;
        let bootstrapped = bootstrap(chain, &genesis).await?;
        return start_bootstrapped(spec, chain_id, &bootstrapped, store);
    }
    if let Some(why) = &why {
        web_sys::console::warn_1(&format!("Taoscope: starting from genesis: {why}").into());
    }
    store.started_from.set(Some((StartPoint::Genesis, why)));
    LightClient::start(spec, "").map_err(|error| error.to_string())
}

/// True when this page was loaded over https (browsers then refuse plain `ws://` to other hosts).
pub fn page_is_https() -> bool {
    web_sys::window()
        .and_then(|w| w.location().protocol().ok())
        .is_some_and(|p| p == "https:")
}

/// A `performance.mark`, for `cargo xtask bench` (finality → view updated, time to first data,
/// and the start's phases: manifest, chain spec, client started).
pub(crate) fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Where a chain's saved light-client state lives: the chain id names its last known genesis,
/// which keys the finalized database and the digest of the chain spec it was saved with.
fn genesis_key(chain_id: &str) -> String {
    format!("taoscope.genesis.{chain_id}")
}

fn database_key(genesis: &str) -> String {
    format!("taoscope.db.{genesis}")
}

fn spec_digest_key(genesis: &str) -> String {
    format!("taoscope.spec-digest.{genesis}")
}

/// A chain's saved light-client state.
struct SavedState {
    genesis: String,
    database: String,
    spec_digest: Option<String>,
}

impl SavedState {
    /// The genesis this state was saved with, when it was saved from a client started on exactly
    /// the text of `spec`: the warm start's check of the state then skips computing the genesis
    /// again (for the devnet's spec, which carries its genesis storage, that runs the genesis
    /// runtime a second time, smoldot running it once itself).
    fn genesis_for(&self, spec: &str) -> Option<&str> {
        (self.spec_digest.as_deref()? == chain_spec::digest(spec)).then_some(self.genesis.as_str())
    }
}

/// The state saved for this chain, if any.
fn saved_state(chain_id: &str) -> Option<SavedState> {
    let genesis = saved_value(&genesis_key(chain_id))?;
    let database = saved_value(&database_key(&genesis)).filter(|database| !database.is_empty())?;
    let spec_digest = saved_value(&spec_digest_key(&genesis));
    Some(SavedState {
        genesis,
        database,
        spec_digest,
    })
}

fn forget_saved_database(chain_id: &str) {
    if let Some(genesis) = saved_value(&genesis_key(chain_id)) {
        forget_value(&database_key(&genesis));
        forget_value(&spec_digest_key(&genesis));
    }
}

/// Saves smoldot's finalized database 8 s after the start and then every 30 s, so the next visit,
/// or an embed on the same origin, starts warm, with the digest of `spec` (the text the client was
/// started on; see [`SavedState::genesis_for`]). Storage errors (quota, private mode) only cost the
/// warm start.
async fn save_database_periodically(client: LightClient, chain_id: String, spec: String) {
    const MAX_BYTES: u64 = 2 * 1024 * 1024;
    gloo_timers::future::TimeoutFuture::new(8_000).await;
    // Digested once, after the start, rather than on the way to the first view.
    let spec_digest = chain_spec::digest(&spec);
    drop(spec);
    loop {
        if let (Ok(genesis), Ok(database)) = (client.genesis_hash().await, client.finalized_database(MAX_BYTES).await) {
            let Some(storage) = local_storage() else {
                return;
            };
            let saved = storage
                .set_item(&genesis_key(&chain_id), &genesis)
                .and_then(|()| storage.set_item(&database_key(&genesis), &database))
                .and_then(|()| storage.set_item(&spec_digest_key(&genesis), &spec_digest));
            if saved.is_err() {
                web_sys::console::warn_1(&"Taoscope: could not save the light client's state (storage full?)".into());
            }
        }
        gloo_timers::future::TimeoutFuture::new(30_000).await;
    }
}

/// `?rpc=wss://…` in the page's URL: a trusted endpoint for this visit only.
fn rpc_endpoint_in_page_url() -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    params.get("rpc").filter(|url| !url.trim().is_empty())
}

/// A value saved in this browser under `key`.
fn saved_value(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

/// Saves `value` under `key`; a full or refused storage only costs the next visit's shortcut.
fn save_value(key: &str, value: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(key, value);
    }
}

fn forget_value(key: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(key);
    }
}

const CHAIN_KEY: &str = "taoscope.chain";

/// The chain this browser chose last (in the picker).
fn saved_chain() -> Option<String> {
    local_storage()?.get_item(CHAIN_KEY).ok().flatten()
}

/// Remembers `chain_id` as this browser's chain; used from the next page load.
pub fn save_chain(chain_id: &str) -> Result<(), String> {
    local_storage()
        .ok_or("this browser does not allow saving settings")?
        .set_item(CHAIN_KEY, chain_id)
        .map_err(|_| "the browser refused to save the setting (storage full or private mode)".to_string())
}

/// `?chain=` in the page's URL.
pub fn chain_in_page_url() -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search).ok()?.get("chain")
}

fn rpc_key(chain_id: &str) -> String {
    format!("taoscope.rpc.{chain_id}")
}

/// The trusted RPC endpoint the user chose in the settings for `chain_id`, if any.
fn saved_rpc_endpoint(chain_id: &str) -> Option<String> {
    local_storage()
        .and_then(|s| s.get_item(&rpc_key(chain_id)).ok().flatten())
        .filter(|url| !url.trim().is_empty())
}

/// Saves (or, with `None`, forgets) the trusted RPC endpoint for `chain_id`; used from the next
/// page load.
pub fn save_rpc_endpoint(chain_id: &str, endpoint: Option<&str>) -> Result<(), String> {
    let storage = local_storage().ok_or("this browser does not allow saving settings")?;
    match endpoint {
        Some(url) => storage.set_item(&rpc_key(chain_id), url),
        None => storage.remove_item(&rpc_key(chain_id)),
    }
    .map_err(|_| "the browser refused to save the setting (storage full or private mode)".to_string())
}

fn peers_key(chain_id: &str) -> String {
    format!("taoscope.peers.{chain_id}")
}

/// The extra peers saved for `chain_id` (one multiaddr per line).
fn saved_peers(chain_id: &str) -> Vec<String> {
    local_storage()
        .and_then(|s| s.get_item(&peers_key(chain_id)).ok().flatten())
        .map(|text| {
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Saves the extra peers for `chain_id`; they are used from the next start (page load).
pub fn save_peers(chain_id: &str, peers: &[String]) -> Result<(), String> {
    let storage = local_storage().ok_or("this browser does not allow saving settings")?;
    storage
        .set_item(&peers_key(chain_id), &peers.join("\n"))
        .map_err(|_| "the browser refused to save the peers (storage full or private mode)".to_string())
}

impl ChainStore {
    /// True while no block has arrived and the light client has no peer this page may dial: no
    /// data can come until the user picks another peer or page.
    pub fn no_dialable_peer_yet(&self) -> bool {
        self.no_dialable_peer.get() && self.finalized.with(Option::is_none)
    }

    /// True when the light client has found no peer of this chain for a while after starting
    /// (see `chains::silent_start`); never for a trusted RPC node.
    pub fn silent_start(&self) -> bool {
        let Some(started_at) = self.started_at.get() else {
            return false;
        };
        let elapsed = (self.now.get() - started_at) / 1000.0;
        self.rpc_endpoint.with(Option::is_none)
            && chains::silent_start(&self.status.get(), self.finalized.with(Option::is_some), elapsed)
    }

    /// Seconds since the latest finalized block arrived (`None` before the first).
    pub fn finalized_age_seconds(&self) -> Option<f64> {
        let at = self.finalized_at.get();
        (at > 0.0).then(|| ((self.now.get() - at) / 1000.0).max(0.0))
    }

    /// The running client, once started.
    pub fn client(&self) -> Option<LightClient> {
        self.client.get_value()
    }

    /// False while nothing new can arrive: the client failed to start, has no peer, or its
    /// trusted RPC node closed the connection.
    pub fn connected(&self) -> bool {
        self.start_error.with(Option::is_none) && self.status.with(|status| *status != SyncStatus::NoPeers)
    }
}

/// The store provided by `App`.
pub fn use_chain() -> ChainStore {
    expect_context::<ChainStore>()
}
