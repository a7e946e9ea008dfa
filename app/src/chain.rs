//! The chain store: one light client per page, its sync status and the latest finalized block as
//! signals, provided through context. Pages read typed snapshots through `use_live`.

use std::future::Future;

use futures::StreamExt;
use leptos::prelude::*;
use leptos::task::spawn_local;
use light_client::chain::BlockRef;
use light_client::chain_spec::{self, ChainSpecInfo};
use light_client::client::LightClient;
use light_client::model::{Snapshot, SyncStatus};

/// Where the app finds its chain spec (served beside the app by `cargo xtask serve`).
pub const DEFAULT_CHAIN_SPEC: &str = "/chain-specs/devnet.json";

/// Signals every view reads.
#[derive(Clone, Copy)]
pub struct ChainStore {
    /// What the light client is doing.
    pub status: RwSignal<SyncStatus>,
    /// The latest finalized block.
    pub finalized: RwSignal<Option<BlockRef>>,
    /// When `finalized` last changed (milliseconds since the epoch).
    pub finalized_at: RwSignal<f64>,
    /// The page's clock (milliseconds since the epoch), ticking every second for "N s ago" labels.
    pub now: RwSignal<f64>,
    /// Why the client could not start, if it could not.
    pub start_error: RwSignal<Option<String>>,
    /// Name, id and boot nodes of the chain spec in use.
    pub spec_info: RwSignal<Option<ChainSpecInfo>>,
    /// Peers the user added in the settings (kept per chain in localStorage).
    pub extra_peers: RwSignal<Vec<String>>,
    client: StoredValue<Option<LightClient>>,
}

async fn fetch_chain_spec(url: &str) -> Result<String, String> {
    let response = gloo_net::http::Request::get(url)
        .send()
        .await
        .map_err(|error| format!("cannot load the chain spec {url}: {error}"))?;
    if !response.ok() {
        return Err(format!("cannot load the chain spec {url}: HTTP {}", response.status()));
    }
    response
        .text()
        .await
        .map_err(|error| format!("cannot read the chain spec {url}: {error}"))
}

/// Creates the store, starts the light client in the background and provides the store.
pub fn provide_chain_store() -> ChainStore {
    let store = ChainStore {
        status: RwSignal::new(SyncStatus::NotStarted),
        finalized: RwSignal::new(None),
        finalized_at: RwSignal::new(0.0),
        now: RwSignal::new(js_sys::Date::now()),
        start_error: RwSignal::new(None),
        spec_info: RwSignal::new(None),
        extra_peers: RwSignal::new(Vec::new()),
        client: StoredValue::new(None),
    };
    provide_context(store);
    // One clock for the whole page, alive as long as the page.
    gloo_timers::callback::Interval::new(1_000, move || store.now.set(js_sys::Date::now())).forget();
    spawn_local(async move {
        store.status.set(SyncStatus::Connecting);
        let spec = match fetch_chain_spec(DEFAULT_CHAIN_SPEC).await {
            Ok(spec) => spec,
            Err(error) => return store.start_error.set(Some(error)),
        };
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
        store.extra_peers.set(peers);
        store.spec_info.set(Some(info));
        let client = match LightClient::start(&spec, "") {
            Ok(client) => client,
            Err(error) => return store.start_error.set(Some(error.to_string())),
        };
        store.client.set_value(Some(client.clone()));
        let mut statuses = client.sync_status();
        spawn_local(async move {
            while let Some(status) = statuses.next().await {
                store.status.set(status);
            }
        });
        let mut blocks = client.finalized_blocks();
        while let Some(block) = blocks.next().await {
            store.finalized.set(Some(block));
            store.finalized_at.set(js_sys::Date::now());
        }
    });
    store
}

fn peers_key(chain_id: &str) -> String {
    format!("taoscope.peers.{chain_id}")
}

/// The extra peers saved for `chain_id` (one multiaddr per line).
fn saved_peers(chain_id: &str) -> Vec<String> {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
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
    let storage = web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .ok_or("this browser does not allow saving settings")?;
    storage
        .set_item(&peers_key(chain_id), &peers.join("\n"))
        .map_err(|_| "the browser refused to save the peers (storage full or private mode)".to_string())
}

/// The store provided by `App`.
pub fn use_chain() -> ChainStore {
    expect_context::<ChainStore>()
}

/// The state of a live query: nothing yet, the latest snapshot, or why the latest attempt failed
/// (keeping the previous snapshot on screen).
#[derive(Clone)]
pub struct Live<T> {
    /// The latest successful answer.
    pub data: Option<Snapshot<T>>,
    /// The latest failure, if the last attempt failed.
    pub error: Option<String>,
}

impl<T> Default for Live<T> {
    fn default() -> Self {
        Self {
            data: None,
            error: None,
        }
    }
}

/// Re-runs `query` on every new finalized block and keeps the latest answer; a failed refresh
/// keeps the previous data and shows the error beside it. At most one query runs at a time; blocks
/// that arrive meanwhile collapse into one refresh at the newest.
pub fn use_live<T, F, Fut>(query: F) -> RwSignal<Live<T>>
where
    T: Clone + Send + Sync + 'static,
    F: Fn(LightClient, BlockRef) -> Fut + Copy + 'static,
    Fut: Future<Output = Result<Snapshot<T>, String>> + 'static,
{
    let store = use_chain();
    let live = RwSignal::new(Live::default());
    let busy = StoredValue::new(false);
    let pending = StoredValue::new(None::<BlockRef>);
    Effect::new(move |_| {
        let Some(block) = store.finalized.get() else {
            return;
        };
        let Some(client) = store.client.get_value() else {
            return;
        };
        if busy.get_value() {
            pending.set_value(Some(block));
            return;
        }
        busy.set_value(true);
        spawn_local(async move {
            let mut block = block;
            loop {
                let result = query(client.clone(), block.clone()).await;
                live.update(|live| match result {
                    Ok(snapshot) => {
                        live.data = Some(snapshot);
                        live.error = None;
                    }
                    Err(error) => live.error = Some(error),
                });
                match pending.try_update_value(Option::take).flatten() {
                    Some(next) => block = next,
                    None => break,
                }
            }
            busy.set_value(false);
        });
    });
    live
}
