//! The provenance line every data view shows: who verified the numbers, at which finalized block.

use leptos::prelude::*;

use crate::chain::use_chain;
use crate::format;

/// "Verified by light client · finalized #N · 0x…" for the newest block that confirmed a view's
/// data, with how long ago the latest finalized block arrived.
#[component]
pub fn Provenance(
    /// The block number and hash.
    #[prop(into)]
    block: Signal<Option<(u64, String)>>,
    /// Verified by the light client (or supplied by a trusted RPC node).
    verified: bool,
) -> impl IntoView {
    let store = use_chain();
    let updated = move || {
        store
            .finalized_age_seconds()
            .map(|age| format!(" · updated {}", format::age(age as u64)))
            .unwrap_or_default()
    };
    let label = if verified {
        "Verified by light client".to_string()
    } else {
        let host = store
            .rpc_endpoint
            .get_untracked()
            .and_then(|url| light_client::platform::RpcUrl::parse(&url).ok())
            .map(|endpoint| endpoint.host)
            .unwrap_or_else(|| "trusted RPC".into());
        format!("Unverified · {host}")
    };
    let hash = move || block.get().map(|(_, hash)| hash).unwrap_or_default();
    let text = move || match block.get() {
        Some((number, hash)) => format!(
            "{label} · finalized {} · {}",
            format::block(number),
            format::short(&hash)
        ),
        None => label.clone(),
    };
    view! {
        <p class="provenance" class:verified=verified title=hash>
            <span class="provenance-mark" aria-hidden="true">{if verified { "✓" } else { "!" }}</span>
            {text}
            {updated}
        </p>
    }
}
