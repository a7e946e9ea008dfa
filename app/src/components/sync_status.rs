//! The sync-status area in the header: what the light client is doing right now.

use leptos::prelude::*;
use light_client::model::SyncStatus;

use crate::chain::use_chain;
use crate::format;

/// Text shown for each sync state; every view renders these states explicitly.
pub fn describe(status: &SyncStatus) -> String {
    match status {
        SyncStatus::NotStarted => "Light client not started".to_string(),
        SyncStatus::Connecting => "Connecting to peers…".to_string(),
        SyncStatus::Syncing { peers } => format!("Syncing · {}", format::peers(*peers)),
        SyncStatus::Ready { peers } => format!("Synced · {}", format::peers(*peers)),
        SyncStatus::NoPeers => "No peers · showing last known state".to_string(),
    }
}

/// The badge in the header; a live region so screen readers hear state changes.
#[component]
pub fn SyncStatusBadge() -> impl IntoView {
    let store = use_chain();
    let state = move || match (store.start_error.get(), store.status.get()) {
        (Some(_), _) => "failed",
        (None, SyncStatus::Ready { .. }) => "ready",
        (None, SyncStatus::NoPeers) => "failed",
        _ => "pending",
    };
    let text = move || {
        if store.start_error.get().is_some() {
            return "Light client failed to start".to_string();
        }
        let status = describe(&store.status.get());
        match store.finalized.get() {
            Some(block) => format!("{status} · finalized {}", format::block(block.number)),
            None => status,
        }
    };
    view! {
        <div class="sync-status" data-state=state role="status" aria-live="polite">
            <span class="sync-dot" aria-hidden="true"></span>
            {text}
        </div>
    }
}
