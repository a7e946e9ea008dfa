//! The sync-status area in the header: what the light client is doing right now.

use leptos::prelude::*;
use light_client::model::SyncStatus;

use crate::chain::use_chain;
use crate::data::provenance::STALE_AFTER_SECONDS;
use crate::format;

/// Text shown for each sync state; every view renders these states explicitly.
pub fn describe(status: &SyncStatus) -> String {
    match status {
        SyncStatus::NotStarted => "Light client not started".to_string(),
        SyncStatus::Connecting => "Connecting to peers…".to_string(),
        SyncStatus::Syncing { peers, target: 0, .. } => format!("Syncing · {}", format::peers(*peers)),
        SyncStatus::Syncing { peers, at, target } => format!(
            "Warp sync {} of {} · {}",
            format::block(*at),
            format::block(*target),
            format::peers(*peers)
        ),
        // smoldot can report the ready phase while its peer count is momentarily 0: say nothing
        // about peers rather than claim none.
        SyncStatus::Ready { peers: 0 } => "Synced".to_string(),
        SyncStatus::Ready { peers } => format!("Synced · {}", format::peers(*peers)),
        SyncStatus::NoPeers => "No peers · showing last known state".to_string(),
        SyncStatus::TrustedRpc { host } => format!("Trusted RPC {host} · unverified"),
    }
}

/// The block finality stopped at, when it has: no new finalized block for `age` seconds (past
/// [`STALE_AFTER_SECONDS`]) while the chain's best block went more than two blocks past it, so
/// blocks are still authored but not finalized (too few finality voters online). A node that
/// stopped answering altogether is not a finality stall.
pub fn finality_stalled_at(finalized: u64, best: Option<u64>, age: f64) -> Option<u64> {
    (age > STALE_AFTER_SECONDS && best.is_some_and(|best| best > finalized + 2)).then_some(finalized)
}

/// The badge in the header; a live region so screen readers hear state changes.
#[component]
pub fn SyncStatusBadge() -> impl IntoView {
    let store = use_chain();
    let stale = move || {
        store
            .finalized_age_seconds()
            .is_some_and(|age| age > STALE_AFTER_SECONDS)
    };
    let silent = move || store.silent_start();
    let stalled_at = move || {
        let finalized = store.finalized.with(|block| block.as_ref().map(|b| b.number))?;
        finality_stalled_at(finalized, store.best.get(), store.finalized_age_seconds()?)
    };
    let state = move || match (store.start_error.get(), store.status.get()) {
        (Some(_), _) => "failed",
        _ if store.no_dialable_peer_yet() || silent() => "failed",
        (None, SyncStatus::Ready { .. }) if stale() => "pending",
        (None, SyncStatus::Ready { .. } | SyncStatus::TrustedRpc { .. }) => "ready",
        (None, SyncStatus::NoPeers) => "failed",
        _ => "pending",
    };
    let text = move || {
        if store.start_error.get().is_some() {
            return if store.rpc_endpoint.get().is_some() {
                "RPC connection failed".to_string()
            } else {
                "Light client failed to start".to_string()
            };
        }
        if store.no_dialable_peer_yet() {
            return "No peer this page can reach".to_string();
        }
        if silent() {
            return format!(
                "No peer answered in {:.0} s",
                light_client::chains::SILENT_START_SECONDS
            );
        }
        if let Some(number) = stalled_at() {
            let best = store.best.get().map(format::block).unwrap_or_default();
            return format!("Finality stalled since {} · best {best}", format::block(number));
        }
        let mut status = describe(&store.status.get());
        if stale() && store.status.get() != SyncStatus::NoPeers {
            status = format!(
                "Stale · no new finalized block for {}",
                format::age(store.finalized_age_seconds().unwrap_or(0.0) as u64).trim_end_matches(" ago")
            );
        }
        match store.finalized.get() {
            Some(block) => format!("{status} · finalized {}", format::block(block.number)),
            None => status,
        }
    };
    let problem = move || store.follower_problem.get();
    view! {
        <div class="sync-status" data-state=state role="status" aria-live="polite">
            <span class="sync-dot" aria-hidden="true"></span>
            {text}
            {move || {
                problem()
                    .map(|problem| {
                        let title = problem.clone();
                        view! {
                            <span class="sync-problem" title=title>
                                " · "
                                {problem}
                            </span>
                        }
                    })
            }}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finality_stalls_only_when_blocks_go_on_without_it() {
        assert_eq!(finality_stalled_at(40, Some(50), 61.0), Some(40));
        assert_eq!(finality_stalled_at(40, Some(50), 59.0), None, "not stale yet");
        assert_eq!(finality_stalled_at(40, Some(42), 600.0), None, "the tip stopped too");
        assert_eq!(finality_stalled_at(40, None, 600.0), None, "no best block known");
    }

    #[test]
    fn ready_names_its_peers_only_when_it_has_some() {
        assert_eq!(describe(&SyncStatus::Ready { peers: 0 }), "Synced");
        assert_eq!(describe(&SyncStatus::Ready { peers: 2 }), "Synced · 2 peers");
    }
}
