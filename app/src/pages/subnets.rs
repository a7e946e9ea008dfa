//! The `Subnets` page.

use leptos::prelude::*;

/// The Subnets page.
#[component]
pub fn Subnets() -> impl IntoView {
    view! {
        <section class="page" aria-labelledby="page-title">
            <h1 id="page-title">"Subnets"</h1>
            <p class="empty-state">"Every subnet with its price, pool and emission appears here once the light client is connected."</p>
        </section>
    }
}
