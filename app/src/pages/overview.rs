//! The `Network overview` page.

use leptos::prelude::*;

/// The Network overview page.
#[component]
pub fn Overview() -> impl IntoView {
    view! {
        <section class="page" aria-labelledby="page-title">
            <h1 id="page-title">"Network overview"</h1>
            <p class="empty-state">"Finalized block, issuance, stake and emission by subnet appear here once the light client is connected."</p>
        </section>
    }
}
