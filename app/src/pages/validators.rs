//! The `Validators` page.

use leptos::prelude::*;

/// The Validators page.
#[component]
pub fn Validators() -> impl IntoView {
    view! {
        <section class="page" aria-labelledby="page-title">
            <h1 id="page-title">"Validators"</h1>
            <p class="empty-state">"Delegates with their take, stake and validator trust appear here once the light client is connected."</p>
        </section>
    }
}
