//! The table on screen as CSV or JSON, stamped with the block it was read at and who vouches for
//! it. Pure: the files are built here and handed to the browser by `components::export`.

use light_client::model::Source;
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

/// One exported cell: raw values, not the rounded text on screen.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text (untrusted on-chain strings included).
    Text(String),
    /// A whole number (rao, α units, block numbers, uids).
    Integer(u128),
    /// A fraction or price.
    Number(f64),
    /// Yes or no.
    Bool(bool),
}

impl Cell {
    /// The value as a number for sorting (`None` for text; NaN counts as missing).
    pub fn sort_number(&self) -> Option<f64> {
        match self {
            Cell::Text(_) => None,
            Cell::Integer(value) => Some(*value as f64),
            Cell::Number(value) => (!value.is_nan()).then_some(*value),
            Cell::Bool(value) => Some(f64::from(u8::from(*value))),
        }
    }

    /// True for a value that is not there (a NaN number: no such figure for this row).
    pub fn is_missing(&self) -> bool {
        matches!(self, Cell::Number(value) if value.is_nan())
    }

    /// The text of a text cell, or the value written plainly.
    pub fn text(&self) -> String {
        match self {
            Cell::Text(text) => text.clone(),
            Cell::Integer(value) => value.to_string(),
            Cell::Number(value) => value.to_string(),
            Cell::Bool(value) => value.to_string(),
        }
    }

    /// A whole number as u64 (saturating; 0 for other cells), for formatting.
    pub fn as_u64(&self) -> u64 {
        match self {
            Cell::Integer(value) => u64::try_from(*value).unwrap_or(u64::MAX),
            _ => 0,
        }
    }

    /// A fraction or price (NaN for other cells), for formatting.
    pub fn as_f64(&self) -> f64 {
        match self {
            Cell::Number(value) => *value,
            Cell::Integer(value) => *value as f64,
            _ => f64::NAN,
        }
    }
}

/// A table with its provenance.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// What the table is (`subnets`, `metagraph-1`…), used in the file name.
    pub name: String,
    /// The newest finalized block whose state gave these rows.
    pub block_number: u64,
    /// That block's hash.
    pub block_hash: String,
    /// Who vouches for the rows: the light client or a trusted RPC node.
    pub source: Source,
    /// Column names.
    pub columns: Vec<&'static str>,
    /// One entry per row, one cell per column.
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// File name without extension: `taoscope-subnets-block-123`.
    pub fn file_stem(&self) -> String {
        format!("taoscope-{}-block-{}", self.name, self.block_number)
    }
}

/// A CSV field: quoted when needed, and kept text when a spreadsheet would run it as a formula.
pub fn csv_field(text: &str) -> String {
    // Spreadsheets run cells starting with = + - @ as formulas: on-chain text must stay text.
    let text = match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// Who vouches for the rows, as exports write it.
fn source_text(source: &Source) -> String {
    match source {
        Source::LightClient => "light client".to_string(),
        Source::TrustedRpc { host } => format!("trusted RPC node {host}"),
    }
}

/// CSV with a header row; every row starts with the block number and hash it was read at and who
/// vouches for it ("light client" or "trusted RPC node HOST").
pub fn to_csv(table: &Table) -> String {
    let source = csv_field(&source_text(&table.source));
    let mut out = String::from("block_number,block_hash,source");
    for column in &table.columns {
        out.push(',');
        out.push_str(&csv_field(column));
    }
    out.push('\n');
    for row in &table.rows {
        out.push_str(&format!(
            "{},{},{source}",
            table.block_number,
            csv_field(&table.block_hash)
        ));
        for cell in row {
            out.push(',');
            match cell {
                Cell::Text(text) => out.push_str(&csv_field(text)),
                Cell::Integer(value) => out.push_str(&value.to_string()),
                Cell::Number(value) if value.is_finite() => out.push_str(&value.to_string()),
                Cell::Number(_) => {}
                Cell::Bool(value) => out.push_str(if *value { "true" } else { "false" }),
            }
        }
        out.push('\n');
    }
    out
}

/// A cell as JSON: integers beyond 2^53 as strings (JavaScript readers would round them), a
/// missing figure as `null`.
struct JsonCell<'c>(&'c Cell);

impl Serialize for JsonCell<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Cell::Text(text) => serializer.serialize_str(text),
            Cell::Integer(value) if *value > (1u128 << 53) => serializer.serialize_str(&value.to_string()),
            Cell::Integer(value) => serializer.serialize_u64(*value as u64),
            Cell::Number(value) if value.is_finite() => serializer.serialize_f64(*value),
            Cell::Number(_) => serializer.serialize_none(),
            Cell::Bool(value) => serializer.serialize_bool(*value),
        }
    }
}

/// A row as a JSON object whose keys keep the table's column order.
struct JsonRow<'t> {
    columns: &'t [&'static str],
    cells: &'t [Cell],
}

impl Serialize for JsonRow<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.columns.len()))?;
        for (column, cell) in self.columns.iter().zip(self.cells) {
            map.serialize_entry(column, &JsonCell(cell))?;
        }
        map.end()
    }
}

/// The JSON export's shape.
#[derive(Serialize)]
struct JsonTable<'t> {
    block_number: u64,
    block_hash: &'t str,
    verified: bool,
    source: String,
    columns: &'t [&'static str],
    rows: Vec<JsonRow<'t>>,
}

/// serde_json's compact output with `<` (and the two line separators JavaScript treats as line
/// ends) escaped too, so the file is safe to inline in a page.
struct InlineSafe;

impl serde_json::ser::Formatter for InlineSafe {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut rest = fragment;
        while let Some(at) = rest.find(['<', '\u{2028}', '\u{2029}']) {
            writer.write_all(&rest.as_bytes()[..at])?;
            let c = rest[at..].chars().next().expect("a character where find stopped");
            write!(writer, "\\u{:04x}", u32::from(c))?;
            rest = &rest[at + c.len_utf8()..];
        }
        writer.write_all(rest.as_bytes())
    }
}

/// JSON: `{ block_number, block_hash, verified, source, columns, rows: [{ column: value }] }`
/// (`source` is "light client" or "trusted RPC node HOST"). Integers
/// beyond 2^53 are written as strings so that JavaScript readers do not round them.
pub fn to_json(table: &Table) -> String {
    let file = JsonTable {
        block_number: table.block_number,
        block_hash: &table.block_hash,
        verified: table.source.is_verified(),
        source: source_text(&table.source),
        columns: &table.columns,
        rows: table
            .rows
            .iter()
            .map(|cells| JsonRow {
                columns: &table.columns,
                cells,
            })
            .collect(),
    };
    let mut out = Vec::new();
    file.serialize(&mut serde_json::Serializer::with_formatter(&mut out, InlineSafe))
        .expect("a table serialises");
    out.push(b'\n');
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table {
            name: "subnets".into(),
            block_number: 42,
            block_hash: "0xabc".into(),
            source: Source::LightClient,
            columns: vec!["netuid", "name", "price", "volume", "active"],
            rows: vec![
                vec![
                    Cell::Integer(1),
                    Cell::Text("=HYPERLINK(\"x\"), \"quoted\"".into()),
                    Cell::Number(0.25),
                    Cell::Integer(u128::from(u64::MAX)),
                    Cell::Bool(true),
                ],
                vec![
                    Cell::Integer(2),
                    Cell::Text("<img src=x>\n".into()),
                    Cell::Number(f64::NAN),
                    Cell::Integer(7),
                    Cell::Bool(false),
                ],
            ],
        }
    }

    #[test]
    fn csv_has_the_block_on_every_row_and_defuses_formulas() {
        let csv = to_csv(&table());
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines[0],
            "block_number,block_hash,source,netuid,name,price,volume,active"
        );
        assert_eq!(
            lines[1],
            "42,0xabc,light client,1,\"'=HYPERLINK(\"\"x\"\"), \"\"quoted\"\"\",0.25,18446744073709551615,true"
        );
        assert!(
            csv.contains("42,0xabc,light client,2,\"<img src=x>\n\",,7,false"),
            "{csv}"
        );
        assert_eq!(table().file_stem(), "taoscope-subnets-block-42");
    }

    #[test]
    fn json_escapes_text_and_keeps_big_integers_exact() {
        let json = to_json(&table());
        assert!(json.starts_with(
            "{\"block_number\":42,\"block_hash\":\"0xabc\",\"verified\":true,\"source\":\"light client\","
        ));
        let unverified = to_json(&Table {
            source: Source::TrustedRpc {
                host: "node.example".into(),
            },
            ..table()
        });
        assert!(
            unverified.contains("\"verified\":false,\"source\":\"trusted RPC node node.example\""),
            "{unverified}"
        );
        assert!(json.contains("\"volume\":\"18446744073709551615\""), "{json}");
        assert!(json.contains("\"name\":\"\\u003cimg src=x>\\n\""), "{json}");
        assert!(json.contains("\"price\":null"), "{json}");
        assert!(json.contains("\"active\":false"), "{json}");
        let rows: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
        let keys: Vec<&String> = rows["rows"][0].as_object().unwrap().keys().collect();
        assert_eq!(keys.len(), 5);
        assert!(
            json.find("\"netuid\":1").unwrap() < json.find("\"active\":true").unwrap(),
            "columns keep their order"
        );
        assert!(
            to_json(&Table {
                rows: vec![vec![
                    Cell::Integer(1),
                    Cell::Text("a\u{2028}b".into()),
                    Cell::Number(0.5),
                    Cell::Integer(1),
                    Cell::Bool(true)
                ]],
                ..table()
            })
            .contains("a\\u2028b"),
            "line separators escaped"
        );
    }
}
