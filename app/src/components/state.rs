//! The explicit states a data view shows before (or instead of) its data: starting, syncing,
//! failed. Every view renders them the same way.

use leptos::prelude::*;
use light_client::client::QueryError;
use light_client::model::SyncStatus;

use crate::chain::use_chain;
use crate::components::sync_status::describe;

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
    let failed = move || store.start_error.get().is_some() || error.get().is_some();
    view! {
        <div class="empty-state" class:error=failed role=move || if failed() { "alert" } else { "status" }>
            {message}
        </div>
    }
}
