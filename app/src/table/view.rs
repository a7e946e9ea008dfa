//! The one table component: headers (sort buttons the keyboard reaches, with `aria-sort` and the
//! column's meaning as tooltip), rows and cells, all drawn from a `Columns` spec, optionally with
//! a checkbox per row to pick rows (for a comparison; not exported); the toolbar
//! above a table (provenance, row count, export of exactly the rows on screen); and the two
//! together for a table that keeps its order to itself (not in the URL).

use leptos::prelude::*;

use super::{Columns, Shown, Sort};
use crate::components::export::ExportButtons;
use crate::components::provenance::ProvenanceLine;
use crate::data::provenance::Provenance;
use crate::export::Table;

/// A checkbox in front of each row, for picking rows (validators to compare): not a column of the
/// spec, so never exported.
pub struct RowPicker<R> {
    /// The header of the checkbox column.
    pub label: &'static str,
    /// What picking a row records (a hotkey).
    pub key: fn(&R) -> String,
    /// The row's name, for the checkbox's accessible label ("Compare Alpha").
    pub name: fn(&R) -> String,
    /// The keys picked, in the order they were picked.
    pub picked: RwSignal<Vec<String>>,
}

impl<R> Clone for RowPicker<R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R> Copy for RowPicker<R> {}

fn picker_cell<R>(picker: RowPicker<R>, row: &R) -> AnyView {
    let key = (picker.key)(row);
    let name = format!("{} {}", picker.label, (picker.name)(row));
    let checked = {
        let key = key.clone();
        move || picker.picked.with(|p| p.contains(&key))
    };
    let toggle = move |_| {
        picker.picked.update(|p| match p.iter().position(|k| *k == key) {
            Some(at) => {
                p.remove(at);
            }
            None => p.push(key.clone()),
        })
    };
    view! { <td class="pick-cell"><input type="checkbox" aria-label=name prop:checked=checked on:change=toggle/></td> }
        .into_any()
}

/// A sortable data table drawn from `columns`.
#[component]
pub fn DataTable<R>(
    /// The table's columns.
    columns: Columns<R>,
    /// Accessible name ("Subnets").
    label: &'static str,
    /// The rows to draw, already filtered, sorted and paged.
    #[prop(into)]
    rows: Signal<Vec<R>>,
    /// The current order.
    #[prop(into)]
    sort: Signal<Sort<R>>,
    /// Called with the order a header asks for.
    on_sort: Callback<Sort<R>>,
    /// Shown when there are no rows.
    empty: &'static str,
    /// A checkbox per row to pick rows with.
    #[prop(optional)]
    picker: Option<RowPicker<R>>,
) -> impl IntoView
where
    R: Clone + Send + Sync + 'static,
{
    let shown: Vec<usize> = (0..columns.0.len())
        .filter(|&i| !matches!(columns.0[i].shown, Shown::ExportOnly))
        .collect();
    let width = shown.len() + usize::from(picker.is_some());
    let picker_header = picker.map(|p| view! { <th scope="col" class="pick-cell">{p.label}</th> });
    let headers = shown
        .iter()
        .map(|&index| {
            let column = &columns.0[index];
            match column.sort_key {
                Some(_) => view! {
                    <th scope="col" class:num=column.numeric aria-sort=move || columns.aria_sort(sort.get(), index)>
                        <button type="button" class="sort-button" title=column.source
                            on:click=move |_| on_sort.run(columns.toggled(sort.get_untracked(), index))>
                            {column.label}
                            <span class="sort-mark" aria-hidden="true">
                                {move || match columns.aria_sort(sort.get(), index) {
                                    "descending" => "▼",
                                    "ascending" => "▲",
                                    _ => "",
                                }}
                            </span>
                        </button>
                    </th>
                }
                .into_any(),
                None => view! { <th scope="col" class:num=column.numeric title=column.source>{column.label}</th> }
                    .into_any(),
            }
        })
        .collect_view();
    let cells = StoredValue::new(shown);
    view! {
        <div class="table-wrap">
            <table class="data-table" aria-label=label>
                <thead><tr>{picker_header}{headers}</tr></thead>
                <tbody>
                    {move || {
                        let rows = rows.get();
                        if rows.is_empty() {
                            return view! { <tr><td colspan=width.to_string() class="empty-row">{empty}</td></tr> }.into_any();
                        }
                        rows.iter().map(|row| {
                            let row_cells = cells.with_value(|shown| shown.iter().map(|&index| {
                                let column = &columns.0[index];
                                match column.shown {
                                    Shown::Text(text) => view! { <td class:num=column.numeric>{text(&(column.raw)(row))}</td> }.into_any(),
                                    Shown::View(draw) => view! { <td class:num=column.numeric>{draw(row)}</td> }.into_any(),
                                    Shown::ExportOnly => ().into_any(),
                                }
                            }).collect_view());
                            let pick = picker.map(|picker| picker_cell(picker, row));
                            view! { <tr>{pick}{row_cells}</tr> }
                        }).collect_view().into_any()
                    }}
                </tbody>
            </table>
        </div>
    }
}

/// Above a table: its provenance, "N of M <what>" and the export buttons.
#[component]
pub fn TableToolbar(
    /// Where the rows come from.
    #[prop(into)]
    provenance: Signal<Option<Provenance>>,
    /// What the rows are ("subnets").
    what: &'static str,
    /// Rows before filtering.
    #[prop(into)]
    total: Signal<usize>,
    /// Rows after filtering.
    #[prop(into)]
    shown: Signal<usize>,
    /// The rows on screen, for export.
    table: impl Fn() -> Option<Table> + Send + Sync + 'static,
    /// More to show in the toolbar (how the rows were read).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    view! {
        <div class="table-toolbar">
            <ProvenanceLine provenance=provenance/>
            {children.map(|children| children())}
            <span class="count">{move || format!("{} of {} {what}", shown.get(), total.get())}</span>
            <ExportButtons table=table/>
        </div>
    }
}

/// A table with its toolbar that sorts its rows itself (for tables inside a page whose order
/// need not be shareable): every row shown, in the order the headers choose.
#[component]
pub fn SortedTable<R>(
    /// The table's columns.
    columns: Columns<R>,
    /// Accessible name ("Stake positions").
    label: &'static str,
    /// What the rows are, for the count ("positions").
    what: &'static str,
    /// The export's file name topic ("nominators").
    export_name: String,
    /// The rows, in any order.
    #[prop(into)]
    rows: Signal<Vec<R>>,
    /// Where the rows come from.
    #[prop(into)]
    provenance: Signal<Option<Provenance>>,
    /// The first order (`Columns::sort`).
    initial: Sort<R>,
    /// Shown when there are no rows.
    empty: &'static str,
) -> impl IntoView
where
    R: Clone + PartialEq + Send + Sync + 'static,
{
    let sort = RwSignal::new(initial);
    let sorted = Memo::new(move |_| {
        let mut rows = rows.get();
        columns.sort_rows(&mut rows, sort.get());
        rows
    });
    let export_name = StoredValue::new(export_name);
    let export = move || {
        Some(columns.export(
            export_name.get_value(),
            &provenance.get_untracked()?,
            &sorted.get_untracked(),
        ))
    };
    let count = Signal::derive(move || sorted.with(Vec::len));
    view! {
        <TableToolbar provenance=provenance what=what total=count shown=count table=export/>
        <DataTable columns=columns label=label rows=Signal::derive(move || sorted.get())
            sort=sort on_sort=Callback::new(move |next| sort.set(next)) empty=empty/>
    }
}
