//! The provenance line every data view shows, and its compact form in embed footers: who vouches
//! for the numbers, at which finalized block, how long ago they were confirmed, and whether they
//! are stale or failed to refresh. Its words come from `data::provenance`, so a page, an export,
//! a chart and an embed cannot disagree about what is verified. Also the banner a page shows when
//! a link (`?rpc=`) switched it to an unverified source.

use leptos::prelude::*;

use crate::chain::use_chain;
use crate::data::provenance::{Freshness, Provenance, source_label};
use crate::format;

/// `data-freshness` values, for styling and tests.
fn freshness_name(freshness: &Freshness) -> &'static str {
    match freshness {
        Freshness::Fresh => "fresh",
        Freshness::RefreshFailed { .. } => "refresh-failed",
        Freshness::Stale { .. } => "stale",
        Freshness::Disconnected => "disconnected",
    }
}

/// "✓ Verified by light client · finalized #N · 0x… · updated 3 s ago" (or "! Unverified · HOST
/// …"), with a notice when the data is stale or its refresh failed; `compact` is the embed
/// footer's form ("✓ verified · #N").
#[component]
pub fn ProvenanceLine(
    /// Where the data comes from (nothing is drawn before there is data).
    #[prop(into)]
    provenance: Signal<Option<Provenance>>,
    /// The embed footer's short form.
    #[prop(optional)]
    compact: bool,
) -> impl IntoView {
    let store = use_chain();
    move || {
        let provenance = provenance.get()?;
        let now = store.now.get();
        let freshness = provenance.freshness(now, store.connected());
        let verified = provenance.is_verified();
        let notice = freshness.notice(provenance.confirmed.number);
        let text = if compact {
            provenance.footer_label()
        } else {
            format!(
                "{} · finalized {} · {} · updated {}",
                provenance.label(),
                format::block(provenance.confirmed.number),
                format::short(&provenance.confirmed.hash),
                format::age(provenance.age_seconds(now) as u64)
            )
        };
        // A state that descends from a checkpoint read from RPC nodes says whom it trusted.
        let text = match (verified, store.trusted_once.get()) {
            (true, Some(note)) if !compact => format!("{text} · since {note}"),
            _ => text,
        };
        let class = if compact { "embed-provenance" } else { "provenance" };
        Some(view! {
            <span class=class class:verified=verified data-freshness=freshness_name(&freshness) title=provenance.confirmed.hash.clone()>
                <span class="provenance-mark" aria-hidden="true">{if verified { "✓" } else { "!" }}</span>
                <span class="provenance-text">{text}</span>
                {notice.map(|notice| view! { <span class="provenance-notice" role="status">{notice}</span> })}
            </span>
        })
    }
}

/// Shown on every page while a link's `?rpc=` has this page read through a trusted node: the
/// page is not verified, and the way back to the light client is one click.
#[component]
pub fn RpcLinkBanner() -> impl IntoView {
    let store = use_chain();
    move || {
        if !store.rpc_from_link.get() {
            return None;
        }
        let host = store
            .rpc_endpoint
            .get()
            .and_then(|url| light_client::platform::RpcUrl::parse(&url).ok())
            .map(|endpoint| light_client::model::Source::TrustedRpc { host: endpoint.host })?;
        let path = web_sys::window()
            .and_then(|w| w.location().pathname().ok())
            .unwrap_or_else(|| "/".into());
        Some(view! {
            <div class="rpc-banner" role="alert">
                <strong>{source_label(&host)}</strong>
                " — the link you followed switched this page to a node it names (?rpc=). Nothing on this page is verified; the numbers are whatever that node says."
                " "<a href=path rel="external">"Use the light client instead"</a>
            </div>
        })
    }
}
