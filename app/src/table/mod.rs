//! Tables as typed column specs: each column says once what it is (label, what it means and the
//! chain item behind it, its raw value, how the cell shows that value, whether it sorts), and
//! sorting, headers, cells and the CSV/JSON export are all drawn from that one spec
//! (`view::DataTable`). Pure; the component lives in `view`.

pub mod view;

use std::cmp::Ordering;
use std::marker::PhantomData;

use leptos::prelude::AnyView;

use crate::data::provenance::Provenance;
use crate::export::{Cell, Table};

/// How a column's cell is drawn.
pub enum Shown<R> {
    /// Exported only (a field that another column's cell already shows, or too long for a cell).
    ExportOnly,
    /// Text computed from the raw (exported) value, so the cell and the export cannot disagree.
    Text(fn(&Cell) -> String),
    /// A view of the row (links, copy buttons), for cells that are more than text.
    View(fn(&R) -> AnyView),
}

/// One column.
pub struct Column<R> {
    /// Column name in exports (`tao_in_rao`).
    pub export: &'static str,
    /// Header text.
    pub label: &'static str,
    /// What the column means and which chain item it comes from (the header's tooltip).
    pub source: &'static str,
    /// The sort key in the URL (`?sort=-pool`), for sortable columns.
    pub sort_key: Option<&'static str>,
    /// Right-aligned figures.
    pub numeric: bool,
    /// The raw value: exported as it is, sorted by, and drawn by `Shown::Text`.
    pub raw: fn(&R) -> Cell,
    /// How the cell is drawn.
    pub shown: Shown<R>,
}

/// A table's columns, in order.
pub struct Columns<R: 'static>(pub &'static [Column<R>]);

impl<R> Clone for Columns<R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R> Copy for Columns<R> {}

/// A sort order over one table's columns. Only `Columns` makes one, from its own sortable
/// columns, so a sort on an unknown column cannot exist.
pub struct Sort<R> {
    column: usize,
    /// Largest first.
    pub descending: bool,
    table: PhantomData<fn(&R)>,
}

impl<R> Clone for Sort<R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R> Copy for Sort<R> {}

impl<R> PartialEq for Sort<R> {
    fn eq(&self, other: &Self) -> bool {
        self.column == other.column && self.descending == other.descending
    }
}

impl<R> Eq for Sort<R> {}

impl<R> std::fmt::Debug for Sort<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Sort({}, descending: {})", self.column, self.descending)
    }
}

/// Orders two present raw values: numbers by value, text case-insensitively.
fn compare_present(a: &Cell, b: &Cell) -> Ordering {
    match (a.sort_number(), b.sort_number(), a, b) {
        (Some(x), Some(y), _, _) => x.total_cmp(&y),
        (None, None, Cell::Text(x), Cell::Text(y)) => x.to_lowercase().cmp(&y.to_lowercase()),
        _ => Ordering::Equal,
    }
}

/// Orders two raw values under `descending`; missing values (NaN) stay last either way.
fn compare(a: &Cell, b: &Cell, descending: bool) -> Ordering {
    match (a.is_missing(), b.is_missing()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) if descending => compare_present(b, a),
        (false, false) => compare_present(a, b),
    }
}

impl<R> Columns<R> {
    /// The sort on the column whose key is `key`. Panics on a key the table lacks: for a page's
    /// default order, fixed in code and checked by its unit tests.
    pub fn sort(&self, key: &str, descending: bool) -> Sort<R> {
        let column = self
            .0
            .iter()
            .position(|c| c.sort_key == Some(key))
            .unwrap_or_else(|| panic!("no sortable column {key:?}"));
        Sort {
            column,
            descending,
            table: PhantomData,
        }
    }

    /// The sortable columns' keys, in order.
    pub fn sort_keys(&self) -> Vec<&'static str> {
        self.0.iter().filter_map(|c| c.sort_key).collect()
    }

    /// Parses `?sort=key` or `?sort=-key`; anything else gives `default` and a notice naming the
    /// sortable columns.
    pub fn parse_sort(&self, raw: Option<&str>, default: Sort<R>, notices: &mut Vec<String>) -> Sort<R> {
        let Some(text) = raw.map(str::trim).filter(|t| !t.is_empty()) else {
            return default;
        };
        let (descending, name) = match text.strip_prefix('-') {
            Some(name) => (true, name),
            None => (false, text),
        };
        match self.0.iter().position(|c| c.sort_key == Some(name)) {
            Some(column) => Sort {
                column,
                descending,
                table: PhantomData,
            },
            None => {
                notices.push(format!(
                    "Ignored sort={}: sortable columns are {}.",
                    crate::query::quoted(text),
                    self.sort_keys().join(", ")
                ));
                default
            }
        }
    }

    /// The URL value of `sort` (`-pool`).
    pub fn sort_param(&self, sort: Sort<R>) -> String {
        let key = self.0[sort.column].sort_key.unwrap_or_default();
        if sort.descending {
            format!("-{key}")
        } else {
            key.to_string()
        }
    }

    /// The order after activating column `column`'s header: the same column flips, another
    /// column sorts largest first (what people usually want from a figures table).
    pub fn toggled(&self, sort: Sort<R>, column: usize) -> Sort<R> {
        Sort {
            column,
            descending: if sort.column == column { !sort.descending } else { true },
            table: PhantomData,
        }
    }

    /// `aria-sort` of column `column` under `sort`.
    pub fn aria_sort(&self, sort: Sort<R>, column: usize) -> &'static str {
        match (sort.column == column, sort.descending) {
            (false, _) => "none",
            (true, true) => "descending",
            (true, false) => "ascending",
        }
    }

    /// Sorts `rows` by `sort`'s column, stable for equal values.
    pub fn sort_rows(&self, rows: &mut [R], sort: Sort<R>) {
        let raw = self.0[sort.column].raw;
        rows.sort_by(|a, b| compare(&raw(a), &raw(b), sort.descending));
    }

    /// `rows` as an export table named `name`, stamped with `provenance`'s confirming block.
    pub fn export(&self, name: String, provenance: &Provenance, rows: &[R]) -> Table {
        Table {
            name,
            block_number: provenance.confirmed.number,
            block_hash: provenance.confirmed.hash.clone(),
            source: provenance.source.clone(),
            columns: self.0.iter().map(|c| c.export).collect(),
            rows: rows
                .iter()
                .map(|row| self.0.iter().map(|c| (c.raw)(row)).collect())
                .collect(),
        }
    }
}

/// Checks a table spec against sample rows: every sortable column sorts both ways by its raw
/// value (missing values last), every exported cell equals the column's raw value, and every
/// sort survives the URL. For the pages' unit tests.
#[cfg(test)]
pub fn check_spec<R: Clone>(columns: Columns<R>, rows: &[R]) {
    let export = columns.export(
        "t".into(),
        &Provenance::of_snapshot(
            &light_client::model::Snapshot {
                block_number: 1,
                block_hash: "0x01".into(),
                source: light_client::model::Source::LightClient,
                data: (),
            },
            0.0,
        ),
        rows,
    );
    assert_eq!(export.columns.len(), columns.0.len());
    let mut names = export.columns.clone();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), columns.0.len(), "export column names are unique");
    for (row, exported) in rows.iter().zip(&export.rows) {
        for (column, cell) in columns.0.iter().zip(exported) {
            let raw = (column.raw)(row);
            let same = raw == *cell || (raw.is_missing() && cell.is_missing());
            assert!(same, "{}: export {cell:?} equals the raw value {raw:?}", column.export);
        }
    }
    for key in columns.sort_keys() {
        for descending in [false, true] {
            let sort = columns.sort(key, descending);
            let mut sorted = rows.to_vec();
            columns.sort_rows(&mut sorted, sort);
            let column = columns.0.iter().find(|c| c.sort_key == Some(key)).expect("sortable");
            let values: Vec<Cell> = sorted.iter().map(|r| (column.raw)(r)).collect();
            let present = values.iter().take_while(|v| !v.is_missing()).count();
            assert!(
                values[present..].iter().all(Cell::is_missing),
                "{key}: missing values last"
            );
            for pair in values[..present].windows(2) {
                let (first, second) = if descending {
                    (&pair[1], &pair[0])
                } else {
                    (&pair[0], &pair[1])
                };
                let in_order = match (first.sort_number(), second.sort_number(), first, second) {
                    (Some(x), Some(y), _, _) => x <= y,
                    (_, _, Cell::Text(x), Cell::Text(y)) => x.to_lowercase() <= y.to_lowercase(),
                    _ => false,
                };
                assert!(
                    in_order,
                    "{key} (descending {descending}): {:?} before {:?}",
                    pair[0], pair[1]
                );
            }
            assert_eq!(
                columns.parse_sort(
                    Some(&columns.sort_param(sort)),
                    columns.sort(key, !descending),
                    &mut Vec::new()
                ),
                sort
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone)]
    struct Row {
        name: &'static str,
        value: Option<f64>,
    }

    const COLUMNS: Columns<Row> = Columns(&[
        Column {
            export: "name",
            label: "Name",
            source: "",
            sort_key: Some("name"),
            numeric: false,
            raw: |r| Cell::Text(r.name.into()),
            shown: Shown::Text(|c| c.text()),
        },
        Column {
            export: "value",
            label: "Value",
            source: "",
            sort_key: Some("value"),
            numeric: true,
            raw: |r| Cell::Number(r.value.unwrap_or(f64::NAN)),
            shown: Shown::Text(|c| c.text()),
        },
        Column {
            export: "hidden",
            label: "",
            source: "",
            sort_key: None,
            numeric: false,
            raw: |_| Cell::Bool(true),
            shown: Shown::ExportOnly,
        },
    ]);

    fn rows() -> Vec<Row> {
        vec![
            Row {
                name: "beta",
                value: Some(2.0),
            },
            Row {
                name: "Alpha",
                value: None,
            },
            Row {
                name: "gamma",
                value: Some(3.0),
            },
            Row {
                name: "delta",
                value: Some(1.0),
            },
        ]
    }

    fn order(sort: Sort<Row>) -> Vec<&'static str> {
        let mut rows = rows();
        COLUMNS.sort_rows(&mut rows, sort);
        rows.iter().map(|r| r.name).collect()
    }

    #[test]
    fn sorts_by_raw_values_with_missing_last_both_ways() {
        assert_eq!(order(COLUMNS.sort("value", false)), ["delta", "beta", "gamma", "Alpha"]);
        assert_eq!(order(COLUMNS.sort("value", true)), ["gamma", "beta", "delta", "Alpha"]);
        assert_eq!(order(COLUMNS.sort("name", false)), ["Alpha", "beta", "delta", "gamma"]);
        assert_eq!(order(COLUMNS.sort("name", true)), ["gamma", "delta", "beta", "Alpha"]);
    }

    #[test]
    fn unknown_sorts_fall_back_with_a_notice() {
        let default = COLUMNS.sort("name", false);
        let mut notices = Vec::new();
        assert_eq!(
            COLUMNS.parse_sort(Some("-value"), default, &mut notices),
            COLUMNS.sort("value", true)
        );
        assert_eq!(COLUMNS.parse_sort(None, default, &mut notices), default);
        assert!(notices.is_empty());
        for bad in ["hidden", "<script>", "-", "uid"] {
            assert_eq!(COLUMNS.parse_sort(Some(bad), default, &mut notices), default, "{bad}");
        }
        assert_eq!(notices.len(), 4);
        assert!(notices[0].contains("name, value"), "{}", notices[0]);
    }

    #[test]
    fn toggling_and_aria() {
        let sort = COLUMNS.sort("name", true);
        let flipped = COLUMNS.toggled(sort, 0);
        assert!(!flipped.descending);
        assert_eq!(COLUMNS.aria_sort(flipped, 0), "ascending");
        assert_eq!(COLUMNS.toggled(flipped, 1), COLUMNS.sort("value", true));
        assert_eq!(COLUMNS.aria_sort(flipped, 1), "none");
        assert_eq!(COLUMNS.sort_param(COLUMNS.sort("value", true)), "-value");
    }

    #[test]
    fn the_spec_checker_passes_on_a_sound_spec() {
        check_spec(COLUMNS, &rows());
    }
}
