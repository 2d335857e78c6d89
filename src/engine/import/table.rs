//! The raw table every reader produces: a header row and columns of cells, before
//! any type is inferred. Text files fill compact text columns (one buffer per
//! column); spreadsheets fill typed cells, since Excel already knows dates and numbers.

use chrono::NaiveDateTime;

/// One cell as the reader saw it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CellRef<'a> {
    Empty,
    Text(&'a str),
    Number(f64),
    Bool(bool),
    DateTime(NaiveDateTime),
}

impl<'a> CellRef<'a> {
    /// The cell as text (numbers in their shortest form), or `None` when empty.
    pub fn as_text(&self) -> Option<std::borrow::Cow<'a, str>> {
        use std::borrow::Cow;
        match *self {
            CellRef::Empty => None,
            CellRef::Text(t) => {
                let t = t.trim();
                (!t.is_empty()).then_some(Cow::Borrowed(t))
            }
            CellRef::Number(n) => Some(Cow::Owned(format_plain_number(n))),
            CellRef::Bool(b) => Some(Cow::Borrowed(if b { "true" } else { "false" })),
            CellRef::DateTime(dt) => Some(Cow::Owned(dt.format("%Y-%m-%d %H:%M:%S").to_string())),
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            CellRef::Empty => true,
            CellRef::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }
}

/// How R, pandas, Excel and databases write "no value": read as empty in every
/// field, ids included (an orders file with `NA` for guest purchases must not make
/// "NA" one customer).
pub const MISSING_SPELLINGS: [&str; 13] =
    ["NA", "N/A", "#N/A", "NULL", "null", "None", "nan", "NaN", "-", "—", "\"\"", "''", "n/a"];

/// True when a cell's text is a spelling of "no value" (see [`MISSING_SPELLINGS`]).
pub fn is_missing_spelling(text: &str) -> bool {
    // Every spelling is at most 4 bytes and starts with one of a few bytes: almost
    // every cell is ruled out by its length or first byte alone.
    let bytes = text.as_bytes();
    if bytes.is_empty()
        || bytes.len() > 8
        || !matches!(bytes[0], b'N' | b'n' | b'#' | b'-' | 0xE2 | b'"' | b'\'' | b' ')
    {
        return false;
    }
    let t = text.trim();
    t.len() <= 4 && !t.is_empty() && MISSING_SPELLINGS.contains(&t)
}

/// `12345.0` → `12345`, `12.5` → `12.5`.
pub fn format_plain_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 { format!("{n:.0}") } else { n.to_string() }
}

/// An owned cell, as spreadsheet readers produce them.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    DateTime(NaiveDateTime),
}

/// A column of text cells stored in one buffer.
#[derive(Debug, Default, Clone)]
pub struct TextColumn {
    bytes: String,
    ends: Vec<u32>,
}

/// Collects a text column's cells as raw bytes; [`TextColumnBuilder::finish`]
/// checks the UTF-8 once for the whole column instead of once per cell.
#[derive(Debug, Default)]
pub struct TextColumnBuilder {
    bytes: Vec<u8>,
    ends: Vec<u32>,
}

impl TextColumnBuilder {
    pub fn with_capacity(rows: usize) -> Self {
        Self::with_room(rows, rows * 8)
    }

    pub fn with_room(rows: usize, bytes: usize) -> Self {
        Self { bytes: Vec::with_capacity(bytes), ends: Vec::with_capacity(rows) }
    }

    /// Bytes of text held.
    pub fn text_len(&self) -> usize {
        self.bytes.len()
    }

    pub fn push(&mut self, value: &[u8]) {
        self.bytes.extend_from_slice(value);
        self.ends.push(u32::try_from(self.bytes.len()).unwrap_or(u32::MAX));
    }

    /// Appends the cells of a column read after this one (a later piece of the file).
    pub fn append(&mut self, later: &TextColumnBuilder) {
        let base = u32::try_from(self.bytes.len()).unwrap_or(u32::MAX);
        self.bytes.extend_from_slice(&later.bytes);
        self.ends.extend(later.ends.iter().map(|&end| end.saturating_add(base)));
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Empties the column, keeping its memory for the next piece.
    pub fn clear(&mut self) {
        self.bytes.clear();
        self.ends.clear();
    }

    pub fn finish(self) -> TextColumn {
        let bytes = match String::from_utf8(self.bytes) {
            Ok(s) => s,
            // Fields of valid UTF-8 text stay valid; should a file still break it,
            // bad bytes become � rather than failing the import.
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        };
        TextColumn { bytes, ends: self.ends }
    }
}

impl TextColumn {
    /// Back into a builder, keeping the memory (for the next piece of a stream).
    pub fn into_builder(self) -> TextColumnBuilder {
        TextColumnBuilder { bytes: self.bytes.into_bytes(), ends: self.ends }
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Keeps the first `rows` cells.
    pub fn truncate(&mut self, rows: usize) {
        self.ends.truncate(rows);
        self.bytes.truncate(self.ends.last().copied().unwrap_or(0) as usize);
    }

    /// How many cells spell "no value"; cells longer than any spelling are skipped
    /// without being looked at.
    pub fn missing_spellings(&self) -> usize {
        let mut start = 0usize;
        let mut count = 0usize;
        for &end in &self.ends {
            let end = end as usize;
            if end > start && end - start <= 8 {
                count += usize::from(self.bytes.get(start..end).is_some_and(is_missing_spelling));
            }
            start = end;
        }
        count
    }

    pub fn get(&self, row: usize) -> &str {
        let end = self.ends.get(row).copied().unwrap_or(0) as usize;
        let start = if row == 0 { 0 } else { self.ends.get(row - 1).copied().unwrap_or(0) as usize };
        self.bytes.get(start..end).unwrap_or("")
    }
}

/// One column of the raw table.
#[derive(Debug, Clone)]
pub enum RawColumn {
    Text(TextColumn),
    Cells(Vec<Cell>),
}

impl RawColumn {
    pub fn len(&self) -> usize {
        match self {
            RawColumn::Text(t) => t.len(),
            RawColumn::Cells(c) => c.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, row: usize) -> CellRef<'_> {
        match self {
            RawColumn::Text(t) => {
                let s = t.get(row);
                if s.is_empty() || is_missing_spelling(s) { CellRef::Empty } else { CellRef::Text(s) }
            }
            RawColumn::Cells(c) => match c.get(row) {
                None | Some(Cell::Empty) => CellRef::Empty,
                Some(Cell::Text(s)) if is_missing_spelling(s) => CellRef::Empty,
                Some(Cell::Text(s)) => CellRef::Text(s),
                Some(Cell::Number(n)) => CellRef::Number(*n),
                Some(Cell::Bool(b)) => CellRef::Bool(*b),
                Some(Cell::DateTime(d)) => CellRef::DateTime(*d),
            },
        }
    }

    /// Keeps the first `rows` cells.
    pub fn truncate(&mut self, rows: usize) {
        match self {
            RawColumn::Text(t) => t.truncate(rows),
            RawColumn::Cells(c) => c.truncate(rows),
        }
    }

    /// How many cells spell "no value" (`NA`, `NULL`, `-` …) and were read as empty.
    pub fn missing_spellings(&self) -> usize {
        match self {
            RawColumn::Text(t) => t.missing_spellings(),
            RawColumn::Cells(c) => c.iter().filter(|c| matches!(c, Cell::Text(s) if is_missing_spelling(s))).count(),
        }
    }

    /// Non-empty cells as text, for detecting conventions.
    pub fn texts(&self) -> impl Iterator<Item = std::borrow::Cow<'_, str>> {
        (0..self.len()).filter_map(|i| self.get(i).as_text())
    }
}

/// What a reader returns: headers, equally long columns, and what it had to skip.
#[derive(Debug, Clone, Default)]
pub struct RawTable {
    pub headers: Vec<String>,
    pub columns: Vec<RawColumn>,
    /// Facts about the file worth telling the user (encoding, sheet, skipped rows).
    pub notes: Vec<crate::engine::message::Message>,
    /// Rows the reader could not use, with the reason.
    pub skipped_rows: Vec<(usize, String)>,
    /// The field delimiter of a text file (for the decimal-separator default).
    pub delimiter: Option<u8>,
    /// Data rows that come right after blank rows (where a second table could start).
    pub rows_after_blank: Vec<usize>,
    /// What the file held when it was read (for the cache's key); `None` for a
    /// table that did not come from a file.
    pub content: Option<crate::engine::files::ContentStamp>,
}

impl RawTable {
    pub fn height(&self) -> usize {
        self.columns.first().map_or(0, RawColumn::len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_value_spellings() {
        for empty in ["NA", "N/A", "#N/A", "NULL", "null", "None", "nan", "NaN", "-", "—", "\"\"", "''", " NA ", "n/a"]
        {
            assert!(is_missing_spelling(empty), "{empty:?}");
        }
        for value in ["NAB", "Nancy", "-5", "0", "none of them", "—x", "Na", "", "12.50"] {
            assert!(!is_missing_spelling(value), "{value:?}");
        }
    }
}
