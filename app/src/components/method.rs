//! The fold under a page that says how its figures are computed: a summary line and a definition
//! list the page fills with one term per figure (the formula and the chain items behind it).

use leptos::prelude::*;

/// "How these figures are computed" (or `summary`), folded, with the page's `<dt>`/`<dd>` pairs.
#[component]
pub fn MethodNotes(
    /// The fold's line.
    #[prop(default = "How these figures are computed")]
    summary: &'static str,
    /// The `<dt>`/`<dd>` pairs.
    children: Children,
) -> impl IntoView {
    view! {
        <details class="method">
            <summary>{summary}</summary>
            <dl>{children()}</dl>
        </details>
    }
}
