//! The provenance line every data view shows: who verified the numbers, at which finalized block.

use leptos::prelude::*;

use crate::chain::use_chain;
use crate::format;

/// "Verified by light client · finalized #N · 0x…" for the block a view's data comes from.
#[component]
pub fn Provenance(block_number: u64, block_hash: String, verified: bool) -> impl IntoView {
    let store = use_chain();
    let now = store.now;
    let updated = move || {
        let at = store.finalized_at.get();
        if at == 0.0 {
            String::new()
        } else {
            format!(
                " · updated {}",
                format::age(((now.get() - at) / 1000.0).max(0.0) as u64)
            )
        }
    };
    let label = if verified {
        "Verified by light client"
    } else {
        "Unverified · trusted RPC"
    };
    view! {
        <p class="provenance" class:verified=verified title=block_hash.clone()>
            <span class="provenance-mark" aria-hidden="true">{if verified { "✓" } else { "!" }}</span>
            {format!("{label} · finalized {} · {}", format::block(block_number), format::short(&block_hash))}
            {updated}
        </p>
    }
}
