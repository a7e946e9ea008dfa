//! The `Settings` page.

use leptos::prelude::*;

/// The Settings page.
#[component]
pub fn Settings() -> impl IntoView {
    view! {
        <section class="page" aria-labelledby="page-title">
            <h1 id="page-title">"Settings"</h1>
            <p class="empty-state">"Chain, peers and transport settings appear here."</p>
        </section>
    }
}
