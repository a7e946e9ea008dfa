//! The sync-status area in the header: what the light client is doing right now.

use leptos::prelude::*;
use light_client::model::SyncStatus;

/// Text shown for each sync state; every view renders these states explicitly.
pub fn describe(status: &SyncStatus) -> String {
    match status {
        SyncStatus::NotStarted => "Light client not started".to_string(),
        SyncStatus::Connecting => "Connecting to peers…".to_string(),
        SyncStatus::Syncing { peers } => format!("Syncing · {peers} peers"),
        SyncStatus::Ready { peers } => format!("Synced · {peers} peers"),
        SyncStatus::NoPeers => "No peers · showing last known state".to_string(),
    }
}

/// The badge in the header; a live region so screen readers hear state changes.
#[component]
pub fn SyncStatusBadge() -> impl IntoView {
    let status = RwSignal::new(SyncStatus::NotStarted);
    view! {
        <div class="sync-status" role="status" aria-live="polite">
            <span class="sync-dot" aria-hidden="true"></span>
            {move || describe(&status.get())}
        </div>
    }
}
