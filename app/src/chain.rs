//! The page's view of the chain service: the settings the page passes it (chain, trusted endpoint,
//! extra peers), and what it reports (the chain, its sync status, the latest finalized block, the
//! saved state) as signals provided through context. Views read query results through the stores
//! in `data`.

use std::collections::BTreeMap;

use futures::StreamExt;
use leptos::prelude::*;
use leptos::task::spawn_local;
use light_client::BlockRef;
use light_client::chain_spec::ChainSpecInfo;
use light_client::chains::{self, ChainEntry, Manifest, StartPoint};
use light_client::model::SyncStatus;
use light_client::service::page::{ChainService, ServiceEvent};
use light_client::service::protocol::{Connect, HistoryState, SavedStateNotice};

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
    /// When the chain service last restarted under this page (ms since the epoch): the page
    /// keeps its data and says so until the fresh service's first block.
    pub service_restarted: RwSignal<Option<f64>>,
    /// The latest news about the light client's saved state (refused at start, saving paused).
    pub saved_state: RwSignal<Option<SavedStateNotice>>,
    /// The history the chain worker records for this chain, as it last said (full pages only;
    /// `data::history` is its view).
    pub history: RwSignal<Option<HistoryState>>,
    client: StoredValue<Option<ChainService>, LocalStorage>,
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

/// Creates the store, connects the page to the site's chain service (the worker that runs the one
/// light client every page and embed shares) for the chain `requested` names in the site's chain
/// manifest (else the visitor's last choice, else the manifest's default) or, where `trust` allows
/// and the user asked for one, a trusted RPC node of the page's own, and provides the store.
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
        service_restarted: RwSignal::new(None),
        saved_state: RwSignal::new(None),
        history: RwSignal::new(None),
        client: StoredValue::new_local(None),
    };
    provide_context(store);
    // One clock for the whole page, alive as long as the page.
    gloo_timers::callback::Interval::new(1_000, move || store.now.set(js_sys::Date::now())).forget();
    store.status.set(SyncStatus::Connecting);
    let rpc_from_link = match trust {
        TrustPolicy::LightClientOnly => None,
        TrustPolicy::UserMayChooseRpc => rpc_endpoint_in_page_url(),
    };
    let connect = Connect {
        requested_chain: requested,
        saved_chain: saved_chain(),
        light_client_only: trust == TrustPolicy::LightClientOnly,
        rpc_from_link: rpc_from_link.clone(),
        saved_rpc: saved_by_chain(&rpc_key("")),
        saved_peers: saved_by_chain(&peers_key(""))
            .into_iter()
            .map(|(chain_id, text)| (chain_id, peer_lines(&text)))
            .collect(),
        wants_history: trust == TrustPolicy::UserMayChooseRpc,
    };
    let (service, mut events) = light_client::service::page::connect(connect);
    spawn_local(async move {
        while let Some(event) = events.next().await {
            apply(store, &service, event, rpc_from_link.is_some());
        }
    });
    store
}

/// What one event of the chain service changes in the store.
fn apply(store: ChainStore, service: &ChainService, event: ServiceEvent, rpc_from_link: bool) {
    match event {
        ServiceEvent::Chain(facts) => {
            let facts = *facts;
            mark("taoscope:start:spec");
            store.rpc_from_link.set(rpc_from_link && facts.rpc_endpoint.is_some());
            store.chain_notice.set(facts.notice);
            store.chain.set(Some(facts.chain));
            store.manifest.set(Some(facts.manifest));
            store.extra_peers.set(facts.extra_peers);
            store.spec_info.set(Some(facts.spec));
            store.rpc_endpoint.set(facts.rpc_endpoint);
            store.no_dialable_peer.set(facts.no_dialable_peer);
        }
        ServiceEvent::Started(started) => {
            mark("taoscope:start:client");
            store.start_error.set(None);
            store.started_from.set(started.from);
            store.trusted_once.set(started.trusted_once);
            // When this page started waiting on the client (which may have run for long in the
            // shared worker): the silent-start and stale-start checks measure the page's wait.
            store.started_at.set(Some(js_sys::Date::now()));
            store.client.set_value(Some(service.clone()));
        }
        ServiceEvent::Failed(failure) => store.start_error.set(Some(failure.to_string())),
        ServiceEvent::Status(status) => store.status.set(status),
        ServiceEvent::Problem(problem) => store.follower_problem.set(Some(problem.to_string())),
        ServiceEvent::Best(number) => store.best.set(Some(number)),
        ServiceEvent::Finalized(block) => {
            mark(&format!("taoscope:finalized:{}", block.number));
            if store.first_finalized.get_untracked().is_none() {
                store.first_finalized.set(Some(block.number));
            }
            store.finalized.set(Some(block));
            store.finalized_at.set(js_sys::Date::now());
            store.follower_problem.set(None);
        }
        ServiceEvent::SavedState(notice) => store.saved_state.set(Some(notice)),
        ServiceEvent::History(state) => store.history.set(Some(*state)),
        ServiceEvent::Restarted => {
            // The data shown stays; the fresh worker's first finalized block replaces it.
            store.service_restarted.set(Some(js_sys::Date::now()));
            store.status.set(SyncStatus::Connecting);
        }
        ServiceEvent::Refused(error) => {
            web_sys::console::warn_1(&format!("Taoscope: {error}").into());
        }
    }
}

/// Forgets the state saved for the chain in use and restarts the chain service, so every page of
/// the site starts again: from the site's checkpoint, or (`skip_served_checkpoint`) from one read
/// from the chain's RPC bootstrap nodes, trusted once. The way out of a start point too old for
/// the peers.
pub fn start_afresh(store: ChainStore, skip_served_checkpoint: bool) {
    if let Some(service) = store.client() {
        store.finalized.set(None);
        store.first_finalized.set(None);
        service.start_afresh(skip_served_checkpoint);
    }
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

/// This origin's localStorage, where the browser gives one (the page's settings, alerts, and history
/// recorded before the chain worker kept it).
pub(crate) fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Settings saved per chain under `prefix` + chain-spec id, by chain id.
fn saved_by_chain(prefix: &str) -> BTreeMap<String, String> {
    let Some(storage) = local_storage() else {
        return BTreeMap::new();
    };
    (0..storage.length().unwrap_or(0))
        .filter_map(|index| storage.key(index).ok().flatten())
        .filter_map(|key| {
            let chain_id = key.strip_prefix(prefix)?.to_string();
            let value = storage.get_item(&key).ok().flatten()?;
            (!value.trim().is_empty()).then_some((chain_id, value))
        })
        .collect()
}

/// `?rpc=wss://…` in the page's URL: a trusted endpoint for this visit only.
fn rpc_endpoint_in_page_url() -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    params.get("rpc").filter(|url| !url.trim().is_empty())
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

/// The extra peers saved for a chain: one multiaddr per line.
fn peer_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_string)
        .collect()
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

    /// The page's handle on the chain service, once its client started.
    pub fn client(&self) -> Option<ChainService> {
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
