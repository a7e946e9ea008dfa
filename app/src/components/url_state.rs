//! Pieces every data table shares: sortable column headers (buttons, so the keyboard reaches them,
//! with `aria-sort`), the notice listing query parameters that were ignored, and writing the
//! table's state into the URL.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;

use crate::components::export::ExportButtons;
use crate::components::provenance::Provenance;
use crate::export::Table;
use crate::query::Sort;

/// A column header that sorts the table by `key` when activated.
#[component]
pub fn SortHeader(
    /// Column title.
    label: &'static str,
    /// Sort key in the query string.
    key: &'static str,
    /// Right-aligned numeric column.
    #[prop(optional)]
    numeric: bool,
    /// What the column means and where it comes from (tooltip).
    #[prop(optional)]
    title: &'static str,
    /// The current order.
    #[prop(into)]
    sort: Signal<Sort>,
    /// Called with the new order.
    on_sort: Callback<Sort>,
) -> impl IntoView {
    view! {
        <th scope="col" class:num=numeric aria-sort=move || sort.get().aria(key)>
            <button type="button" class="sort-button" title=title on:click=move |_| on_sort.run(sort.get().toggled(key))>
                {label}
                <span class="sort-mark" aria-hidden="true">
                    {move || match sort.get().aria(key) {
                        "descending" => "▼",
                        "ascending" => "▲",
                        _ => "",
                    }}
                </span>
            </button>
        </th>
    }
}

/// Lists ignored query parameters, if any.
#[component]
pub fn Notices(#[prop(into)] notices: Signal<Vec<String>>) -> impl IntoView {
    move || {
        let notices = notices.get();
        (!notices.is_empty()).then(|| {
            view! {
                <div class="notice" role="status">
                    {notices.into_iter().map(|n| view! { <p>{n}</p> }).collect_view()}
                    <p>"Showing the defaults instead."</p>
                </div>
            }
        })
    }
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

/// Above a table: its provenance line, "N of M <what>" and the export buttons.
#[component]
pub fn TableToolbar(
    /// The newest block confirming the rows.
    #[prop(into)]
    block: Signal<Option<(u64, String)>>,
    /// Verified by the light client.
    verified: bool,
    /// What the rows are ("subnets").
    what: &'static str,
    /// Rows before filtering.
    total: usize,
    /// Rows after filtering.
    #[prop(into)]
    shown: Signal<usize>,
    /// The rows on screen, for export.
    table: impl Fn() -> Option<Table> + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <div class="table-toolbar">
            <Provenance block=block verified=verified/>
            <span class="count">{move || format!("{} of {total} {what}", shown.get())}</span>
            <ExportButtons table=table/>
        </div>
    }
}
