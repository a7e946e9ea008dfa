//! The explicit states a data view shows before (or instead of) its data: starting, syncing,
//! failed. Every view renders them the same way.

use leptos::prelude::*;
use light_client::client::QueryError;
use light_client::model::SyncStatus;

use crate::chain::use_chain;
use crate::components::sync_status::describe;
use light_client::chains::SILENT_START_SECONDS;

/// What a page says when it has no peer it may dial.
pub const NO_DIALABLE_PEER: &str = "No peer can be reached from this page: it is served over https, and every peer of this chain offers only plain ws://, which browsers refuse from https pages. The honest choices: add a peer that accepts wss (a node behind a TLS gateway), or read through a trusted RPC node (its numbers are then marked unverified).";

/// What a page says when no peer of its chain has answered for a while after starting.
fn silent_start_message() -> String {
    format!(
        "No peer of this chain has answered in {SILENT_START_SECONDS:.0} s. The chain spec's boot nodes may be down, unreachable from this network, or serving another chain (a different genesis). The light client keeps trying; you can also add a peer you know, or read through a trusted RPC node (its numbers are then marked unverified)."
    )
}

/// A placeholder panel for a view whose data is not there (yet).
#[component]
pub fn Pending(
    /// What the view is waiting for, e.g. "subnets".
    what: &'static str,
    /// The last query error, if any.
    #[prop(into)]
    error: Signal<Option<QueryError>>,
) -> impl IntoView {
    let store = use_chain();
    let message = move || {
        if let Some(error) = store.start_error.get() {
            return match store.rpc_endpoint.get() {
                Some(_) => format!("The trusted RPC node could not be used: {error}. Change or remove it in Settings."),
                None => format!("The light client could not start: {error}"),
            };
        }
        if let Some(error) = error.get() {
            return format!("Could not load {what}: {error}");
        }
        if store.no_dialable_peer_yet() {
            return NO_DIALABLE_PEER.to_string();
        }
        if store.silent_start() {
            return silent_start_message();
        }
        match store.status.get() {
            SyncStatus::Ready { .. } | SyncStatus::TrustedRpc { .. } => {
                format!("Loading {what} from the finalized block…")
            }
            status => format!(
                "{} — {what} appear once the first block is finalized and verified.",
                describe(&status)
            ),
        }
    };
    let stuck = move || store.no_dialable_peer_yet() || store.silent_start();
    let failed = move || store.start_error.get().is_some() || error.get().is_some() || stuck();
    view! {
        <div class="empty-state" class:error=failed role=move || if failed() { "alert" } else { "status" }>
            {message}
            {move || stuck().then(|| view! {
                <p class="empty-state-actions">
                    // A plain link: embeds show this state too, and they have no router.
                    <a href="/settings">
                        {if store.no_dialable_peer_yet() { "Add a wss peer" } else { "Add a peer" }}
                        " or choose a trusted RPC node in Settings"
                    </a>
                </p>
            })}
        </div>
    }
}
