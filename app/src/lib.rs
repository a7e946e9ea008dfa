//! Taoscope's user interface: the app shell, its routes and pages.
//!
//! Data comes only from the `light_client` crate as typed values; nothing here speaks JSON-RPC or
//! decodes SCALE.

mod chain;
mod charts;
mod components;
mod export;
mod format;
mod links;
mod pages;
mod query;
mod theme;

use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;

use components::sync_status::SyncStatusBadge;
use pages::{
    not_found::NotFound,
    overview::Overview,
    settings::Settings,
    subnet::Subnet,
    subnets::Subnets,
    validators::{ValidatorPage, Validators},
};

/// The whole app: header with navigation and sync status, then the routed page.
#[component]
pub fn App() -> impl IntoView {
    chain::provide_chain_store();
    theme::provide_theme(None, true);
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
                    <A href="/settings">"Settings"</A>
                </nav>
                <SyncStatusBadge/>
                <theme::ThemeSwitcher/>
            </header>
            <main id="main">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Overview/>
                    <Route path=path!("/subnets") view=Subnets/>
                    <Route path=path!("/subnets/:netuid") view=Subnet/>
                    <Route path=path!("/validators") view=Validators/>
                    <Route path=path!("/validators/:hotkey") view=ValidatorPage/>
                    <Route path=path!("/settings") view=Settings/>
                </Routes>
            </main>
        </Router>
    }
}
