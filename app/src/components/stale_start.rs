//! Says when the light client's start point (the state this browser saved, or the site's
//! checkpoint) seems too old for the peers — nothing finalized past it for a minute — and offers
//! the way out: start again, from a fresh checkpoint when the chain lists RPC bootstrap nodes.

use leptos::prelude::*;
use light_client::chains::{self, StartPoint};
use light_client::model::SyncStatus;

use crate::chain::{start_afresh, use_chain};

/// The banner, shown only while the start point looks stale (see `chains::start_point_seems_stale`).
#[component]
pub fn StaleStartBanner() -> impl IntoView {
    let store = use_chain();
    // A memo, so the once-a-second clock re-renders the banner only when the verdict changes.
    let stale = Memo::new(move |_| {
        let Some((start, _)) = store.started_from.get() else {
            return false;
        };
        let Some(started_at) = store.started_at.get() else {
            return false;
        };
        let latest = store.finalized.with(|block| block.as_ref().map(|b| b.number));
        let elapsed = (store.now.get() - started_at) / 1000.0;
        let peers = match store.status.get() {
            SyncStatus::Syncing { peers, .. } | SyncStatus::Ready { peers, .. } => peers,
            _ => 0,
        };
        store.rpc_endpoint.with(Option::is_none)
            && chains::start_point_seems_stale(&start, peers, store.first_finalized.get(), latest, elapsed)
    });
    move || {
        if !stale.get() {
            return None;
        }
        let chain = store.chain.get_untracked()?;
        let start = store.started_from.get_untracked().map(|(start, _)| start)?;
        let from = match start {
            StartPoint::Saved => "the state this browser saved",
            _ => "the checkpoint this site serves",
        };
        let block = store
            .first_finalized
            .get_untracked()
            .map_or_else(|| "its block".to_string(), crate::format::block);
        let hosts: Vec<String> = chain
            .rpc_bootstrap
            .iter()
            .map(|url| light_client::platform::RpcUrl::parse(url).map_or_else(|_| url.clone(), |u| u.host))
            .collect();
        let action = if !hosts.is_empty() {
            Some((
                format!("Start from a fresh checkpoint from {} (trusted once)", hosts.join(", ")),
                true,
            ))
        } else if start == StartPoint::Saved {
            Some(("Start again without the saved state".to_string(), false))
        } else {
            None
        };
        Some(view! {
            <div class="notice page-notice stale-start" role="alert">
                <strong>{format!("Nothing has been finalized past {from} ({block}) for a minute.")}</strong>
                " Its peers may no longer serve proofs from that far back, or the chain changed its GRANDPA authorities by force since. What is shown is verified, but of that block."
                {action.map(|(label, skip_served)| view! {
                    " "<button class="button" on:click=move |_| start_afresh(store, skip_served)>{label}</button>
                })}
            </div>
        })
    }
}
