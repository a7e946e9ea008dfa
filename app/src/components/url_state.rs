//! View state in the URL: the notice listing query parameters that were ignored, and writing a
//! table's sort, filters and page into the query string.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

/// Lists ignored query parameters, if any, and what the page shows instead (`closing`; by
/// default its default view).
#[component]
pub fn Notices(
    #[prop(into)] notices: Signal<Vec<String>>,
    #[prop(default = "Showing the defaults instead.")] closing: &'static str,
) -> impl IntoView {
    move || {
        let notices = notices.get();
        (!notices.is_empty()).then(|| {
            view! {
                <div class="notice" role="status">
                    {notices.into_iter().map(|n| view! { <p>{n}</p> }).collect_view()}
                    <p>{closing}</p>
                </div>
            }
        })
    }
}

/// The notice for a page that reads no query parameter of its own: every parameter in its link
/// but the app's (`chain`, `rpc`) is named, not silently dropped.
#[component]
pub fn UnknownParameters() -> impl IntoView {
    let query = use_query_map();
    let notices = Signal::derive(move || {
        query.with(|q| crate::query::read_all(&crate::query::pairs(q), &[], |_| ((), Vec::new())).1)
    });
    view! { <Notices notices=notices closing="The page is shown without them."/> }
}

/// A callback that replaces the current URL (no new history entry, no scroll): how a table writes
/// its sort, filters and page into the query string.
pub fn use_replace_url() -> Callback<String> {
    let navigate = use_navigate();
    Callback::new(move |url: String| {
        navigate(
            &url,
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        )
    })
}
