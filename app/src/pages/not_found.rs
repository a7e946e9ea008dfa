//! The view for any route that does not exist, with a way back.

use leptos::prelude::*;
use leptos_router::components::A;

/// Shown for unknown routes.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="page" aria-labelledby="page-title">
            <h1 id="page-title">"Page not found"</h1>
            <p>"There is nothing at this address."</p>
            <A href="/">"Back to the overview"</A>
        </section>
    }
}
