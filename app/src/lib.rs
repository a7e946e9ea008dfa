//! Taoscope's user interface: the app shell, its routes and pages.
//!
//! Data comes only from the `light_client` crate as typed values; nothing here speaks JSON-RPC or
//! decodes SCALE.

mod alerts;
#[cfg(feature = "bench")]
mod bench;
mod chain;
mod charts;
mod components;
mod data;
mod earnings;
mod embed;
mod export;
mod format;
mod history;
mod links;
mod names;
mod pages;
mod query;
mod table;
mod theme;

use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;

use components::alerts::AlertsWatcher;
use components::provenance::RpcLinkBanner;
use components::service_notice::ServiceNotice;
use components::stale_start::StaleStartBanner;
use components::sync_status::SyncStatusBadge;
use pages::{
    account::{AccountLookup, AccountPage},
    alerts::Alerts,
    baskets::Baskets,
    compare::Compare,
    not_found::NotFound,
    overview::Overview,
    settings::Settings,
    shortlist::Shortlist,
    subnet::Subnet,
    subnets::Subnets,
    validators::{ValidatorPage, Validators},
    watchlist::Watchlist,
};

/// What the page shows: an embed widget for `/embed/...`, a refusal when the full app is framed
/// by another page (servers should also send `frame-ancestors 'none'`; see README), else the app.
#[component]
pub fn Main() -> impl IntoView {
    let window = web_sys::window();
    let path = window
        .as_ref()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default();
    let framed = window
        .as_ref()
        .and_then(|w| w.top().ok().flatten().map(|top| !js_sys::Object::is(&top, w)))
        .unwrap_or(false);
    #[cfg(feature = "bench")]
    if path == "/bench" {
        // The benchmark build's empty page: `cargo xtask bench` runs its own clients here, with
        // no page client competing with them.
        return view! { <main><p>"Taoscope benchmark page"</p></main> }.into_any();
    }
    if path.starts_with("/embed/") {
        view! { <embed::EmbedApp/> }.into_any()
    } else if framed {
        view! {
            <main class="framed-refusal">
                <p>"Taoscope's full dashboard cannot be shown inside another page."</p>
                <p><a href=path target="_blank" rel="noopener noreferrer">"Open it in its own tab"</a>" · embeddable charts live under /embed/."</p>
            </main>
        }
        .into_any()
    } else {
        view! { <App/> }.into_any()
    }
}

/// The whole app: header with navigation and sync status, then the routed page.
#[component]
pub fn App() -> impl IntoView {
    chain::provide_chain_store(chain::chain_in_page_url(), chain::TrustPolicy::UserMayChooseRpc);
    data::history::provide_history_store();
    data::alerts::provide_alerts_store();
    data::provide_data_stores();
    theme::provide_theme(None, true);
    // The first mount runs over three tasks, so that it is not one long task on the main thread:
    // the stores and the header's links, then the header's live parts, then the routed page.
    let mount_stage = RwSignal::new(0u8);
    advance_mount_stage(mount_stage);
    view! {
        <Router>
            <header class="app-header">
                <A href="/" attr:class="brand">
                    <span class="brand-mark" aria-hidden="true">"τ"</span>
                    <span class="brand-name">"Taoscope"</span>
                </A>
                <nav aria-label="Main">
                    <A href="/">"Overview"</A>
                    <A href="/subnets">"Subnets"</A>
                    <A href="/validators">"Validators"</A>
                    <A href="/baskets">"Baskets"</A>
                    <A href="/account">"My stake"</A>
                    <A href="/watchlist">"Watchlist"</A>
                    <A href="/alerts">"Alerts"</A>
                    <A href="/settings">"Settings"</A>
                </nav>
                <Show when=move || { mount_stage.get() >= 1 }>
                    <ChainLabel/>
                    <SyncStatusBadge/>
                    <theme::ThemeSwitcher/>
                </Show>
            </header>
            <Show when=move || { mount_stage.get() >= 1 }>
                <RpcLinkBanner/>
                <ChainNotice/>
                <StaleStartBanner/>
                <ServiceNotice/>
                <AlertsWatcher/>
            </Show>
            <main id="main">
                <Show when=move || { mount_stage.get() >= 2 }>
                    <Routes fallback=NotFound>
                        <Route path=path!("/") view=Overview/>
                        <Route path=path!("/subnets") view=Subnets/>
                        <Route path=path!("/subnets/:netuid") view=Subnet/>
                        <Route path=path!("/validators") view=Validators/>
                        <Route path=path!("/validators/:hotkey") view=ValidatorPage/>
                        <Route path=path!("/shortlist") view=Shortlist/>
                        <Route path=path!("/compare") view=Compare/>
                        <Route path=path!("/baskets") view=Baskets/>
                        <Route path=path!("/account") view=AccountLookup/>
                        <Route path=path!("/account/:coldkey") view=AccountPage/>
                        <Route path=path!("/watchlist") view=Watchlist/>
                        <Route path=path!("/alerts") view=Alerts/>
                        <Route path=path!("/settings") view=Settings/>
                    </Routes>
                </Show>
            </main>
        </Router>
    }
}

/// Moves the first mount to its next stage one task later, until the routed page (stage 2).
fn advance_mount_stage(stage: RwSignal<u8>) {
    set_timeout(
        move || {
            stage.update(|stage| *stage += 1);
            if stage.get_untracked() < 2 {
                advance_mount_stage(stage);
            }
        },
        std::time::Duration::ZERO,
    );
}

/// The chain this page shows, in the header (a link to pick another in the settings).
#[component]
fn ChainLabel() -> impl IntoView {
    let store = chain::use_chain();
    move || {
        store.chain.get().map(|chain| {
            view! { <A href="/settings" attr:class="chain-label" attr:title="The chain this page shows: pick another in the settings">{chain.label}</A> }
        })
    }
}

/// Says when the URL asked for a chain this site does not offer.
#[component]
fn ChainNotice() -> impl IntoView {
    let store = chain::use_chain();
    move || {
        store
            .chain_notice
            .get()
            .map(|notice| view! { <div class="notice page-notice" role="status">{notice}</div> })
    }
}
