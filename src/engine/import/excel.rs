//! Excel and OpenDocument workbooks (`.xlsx`, `.xls`, `.ods`) through calamine.
//! Cells keep their native types (numbers, dates, booleans). The sheet holding the
//! table is chosen automatically: the one with the most filled cells under a
//! header row, so a notes or cover sheet in front is passed over.

use std::io::Cursor;

use calamine::{Data, Reader, open_workbook_auto_from_rs};

use super::reader::{ReadOptions, TableReader, cells_to_columns, clean_headers, find_header_row, no_header_error};
use super::table::{Cell, RawTable};
use super::{ImportError, Progress};
use crate::engine::message::Message;

pub struct ExcelReader;

impl TableReader for ExcelReader {
    fn read(&self, bytes: &[u8], options: &ReadOptions, progress: &Progress) -> Result<RawTable, ImportError> {
        check_xls_container(bytes)?;
        contain_panics(|| read_workbook(bytes, options, progress))?
    }
}

/// calamine reads damaged files leniently and can still panic on one (a cut-short
/// record in an .xls, found by fuzzing): a panic inside it is a damaged file.
fn contain_panics<T>(read: impl FnOnce() -> T) -> Result<T, ImportError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).map_err(|payload| {
        let why = crate::engine::message::panic_message(payload.as_ref()).unwrap_or_default();
        ImportError::NotATable(Message::new("msg.err_workbook", [why]))
    })
}

fn read_workbook(bytes: &[u8], options: &ReadOptions, progress: &Progress) -> Result<RawTable, ImportError> {
    let mut workbook = open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| ImportError::NotATable(Message::new("msg.err_workbook", [e])))?;
    let names = workbook.sheet_names();
    if names.is_empty() {
        return Err(ImportError::NotATable(Message::new("msg.err_no_sheets", Vec::<String>::new())));
    }
    let chosen = match &options.sheet {
        Some(wanted) => {
            let found = names.iter().find(|n| n.eq_ignore_ascii_case(wanted) || *n == wanted).cloned();
            let Some(found) = found else {
                return Err(ImportError::NotATable(Message::new(
                    "msg.err_no_such_sheet",
                    [wanted.clone(), names.join(", ")],
                )));
            };
            let range = sheet_range(&mut workbook, &found)
                .map_err(|e| ImportError::NotATable(Message::new("msg.err_sheet_read", [found.clone(), e])))?;
            (found, range)
        }
        None => {
            let mut best: Option<(String, calamine::Range<Data>, usize)> = None;
            let mut first_failure = None;
            for name in &names {
                let range = match sheet_range(&mut workbook, name) {
                    Ok(range) => range,
                    Err(why) => {
                        first_failure.get_or_insert((name.clone(), why));
                        continue;
                    }
                };
                let score = table_score(&range);
                if best.as_ref().is_none_or(|(_, _, s)| score > *s) {
                    best = Some((name.clone(), range, score));
                }
                if progress.is_cancelled() {
                    return Err(ImportError::Cancelled);
                }
            }
            let Some((name, range, _)) = best else {
                // No sheet could be read: say why the first one could not.
                return Err(ImportError::NotATable(match first_failure {
                    Some((sheet, why)) => Message::new("msg.err_sheet_read", [sheet, why]),
                    None => Message::new("msg.err_no_sheet_readable", Vec::<String>::new()),
                }));
            };
            (name, range)
        }
    };
    let (sheet_name, range) = chosen;
    progress.set_fraction(0.5);
    let mut table = range_to_table(&range)?;
    if names.len() > 1 {
        table.notes.insert(0, Message::new("msg.read_sheet", [sheet_name.clone(), names.len().to_string()]));
    }
    Ok(table)
}

/// The most cells a sheet is laid out in: calamine makes one dense grid from the
/// first filled cell to the last, so a stray value in XFD1048576 beside a table in A1
/// would ask for 17 billion cells (hundreds of gigabytes; a failed allocation aborts).
const MAX_GRID_CELLS: u64 = 100_000_000;

/// A grid above [`XLS_MAX_CELLS`] is laid out only when at least one cell in this
/// many is filled: a table is, a few cells scattered far apart are not (a few
/// kilobytes would otherwise ask for gigabytes).
const MIN_FILLED_SHARE: u64 = 32;

/// A sheet's cells as calamine's grid. An .xlsx sheet is read cell by cell first (as
/// calamine itself does), so its span is checked before the grid is made.
fn sheet_range(workbook: &mut calamine::Sheets<Cursor<&[u8]>>, name: &str) -> Result<calamine::Range<Data>, String> {
    let calamine::Sheets::Xlsx(xlsx) = workbook else {
        return workbook.worksheet_range(name).map_err(|e| e.to_string());
    };
    let mut reader = match xlsx.worksheet_cells_reader(name) {
        Ok(reader) => reader,
        Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(calamine::Range::default()),
        Err(e) => return Err(e.to_string()),
    };
    let (mut cells, mut span) = (Vec::new(), CellSpan::default());
    while let Some(cell) = reader.next_cell().map_err(|e| e.to_string())? {
        if !matches!(cell.get_value(), calamine::DataRef::Empty) {
            let (row, column) = cell.get_position();
            span.reach(row, column, column);
            cells.push(calamine::Cell::new((row, column), Data::from(cell.get_value().clone())));
        }
    }
    let (rows, columns) = span.lengths();
    let grid = rows * columns;
    let sparse = grid > XLS_MAX_CELLS && grid > MIN_FILLED_SHARE * cells.len() as u64;
    if grid > MAX_GRID_CELLS || sparse {
        return Err(format!(
            "its filled cells span {rows} rows and {columns} columns, too far apart to lay out (is a stray value far below or right of the table?)"
        ));
    }
    Ok(calamine::Range::from_sparse(cells))
}

/// Refuses a damaged .xls before calamine opens it: its lenient reader can follow
/// a broken container's sector chains into gigabytes (a few kilobytes did, found by
/// fuzzing). A container that the strict `cfb` reader can't read, or whose
/// workbook stream is missing or cut short, is reported as damaged instead.
fn check_xls_container(bytes: &[u8]) -> Result<(), ImportError> {
    use std::io::Read;
    const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if !bytes.starts_with(&CFB_MAGIC) {
        return Ok(());
    }
    let damaged = |e: String| ImportError::NotATable(Message::new("msg.err_workbook", [e]));
    let mut container = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|e| damaged(e.to_string()))?;
    let mut stream = ["/Workbook", "/Book"]
        .iter()
        .find_map(|p| container.open_stream(p).ok())
        .ok_or_else(|| damaged("no workbook stream".to_owned()))?;
    let mut workbook = Vec::new();
    stream.by_ref().take(bytes.len() as u64 * 2).read_to_end(&mut workbook).map_err(|e| damaged(e.to_string()))?;
    if let Some(reason) = xls_sheets_too_large(&workbook) {
        return Err(damaged(reason));
    }
    Ok(())
}

/// The most cells a legacy .xls sheet can hold: 65,536 rows × 256 columns.
const XLS_MAX_CELLS: u64 = 65_536 * 256;

/// The most cells all of an .xls workbook's sheets are laid out in together
/// (calamine lays out every sheet when it opens the file): two full sheets, 1 GB.
const XLS_MAX_WORKBOOK_CELLS: u64 = 2 * XLS_MAX_CELLS;

/// Why an .xls workbook's sheets can't be laid out, if they can't. calamine reads
/// every sheet when it opens the file: it reserves room for what each sheet's
/// DIMENSIONS record claims, then lays the sheet's cells out as one dense grid from
/// the first to the last. A damaged record can claim trillions of cells, and a cell
/// record can name column 65,535 (a sheet ends at 255): a few kilobytes asked for
/// gigabytes, and a failed allocation aborts the process, which no guard can catch
/// (both found by fuzzing). The sheets are found as calamine finds them: at the
/// stream positions their BOUNDSHEET records give.
fn xls_sheets_too_large(stream: &[u8]) -> Option<String> {
    const BOUNDSHEET: u16 = 0x0085;
    let mut together = 0u64;
    for at in xls_records(stream, 0)
        .filter(|(kind, data)| *kind == BOUNDSHEET && data.len() >= 4)
        .map(|(_, data)| u32::from_le_bytes([data[0], data[1], data[2], data[3]]) as usize)
        .filter(|&at| at < stream.len())
    {
        let sheet = XlsSheetExtent::scan(stream, at);
        if sheet.claimed > XLS_MAX_CELLS {
            return Some(format!("a sheet says it holds {} cells", sheet.claimed));
        }
        let (rows, columns) = sheet.span.lengths();
        if rows * columns > XLS_MAX_CELLS {
            return Some(format!(
                "a sheet's cells span {rows} rows and {columns} columns, more than an .xls sheet can hold"
            ));
        }
        together += rows * columns;
    }
    (together > XLS_MAX_WORKBOOK_CELLS)
        .then(|| format!("its sheets' cells span {together} cells together, too many to lay out"))
}

/// What calamine makes room for in one .xls sheet: the largest DIMENSIONS claim,
/// and the grid its cell records are laid out in.
#[derive(Default)]
struct XlsSheetExtent {
    claimed: u64,
    span: CellSpan,
}

impl XlsSheetExtent {
    /// Reads a sheet's records from `at` as calamine does: up to its EOF, skipping
    /// nested substreams (embedded charts), cells from the records it reads.
    fn scan(stream: &[u8], at: usize) -> Self {
        let mut extent = Self::default();
        let (mut seen_bof, mut depth) = (false, 0usize);
        for (kind, data) in xls_records(stream, at) {
            let u16_at = |i: usize| data.get(i..i + 2).map(|b| u32::from(u16::from_le_bytes([b[0], b[1]])));
            match (kind, depth) {
                (0x0809, _) if depth > 0 || seen_bof => depth += 1,
                (0x0809, _) => seen_bof = true,
                (0x000A, 0) => break,
                (0x000A, _) => depth -= 1,
                (_, 1..) => {}
                (0x0200, _) => extent.claimed = extent.claimed.max(xls_dimension_cells(data)),
                // Number, Label, RString, BoolErr, Rk, LabelSst, Formula: one cell each.
                (0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006, _) => {
                    if let (Some(row), Some(column)) = (u16_at(0), u16_at(2)) {
                        extent.span.reach(row, column, column);
                    }
                }
                // MulRk: a row of numbers from its first column, six bytes each.
                (0x00BD, _) if data.len() >= 6 => {
                    if let (Some(row), Some(first)) = (u16_at(0), u16_at(2)) {
                        let count = ((data.len() - 6) / 6) as u32;
                        extent.span.reach(row, first, first + count.saturating_sub(1));
                    }
                }
                _ => {}
            }
        }
        extent
    }
}

/// The rows and columns filled cells reach: calamine lays a sheet out as one dense
/// grid from the first to the last.
#[derive(Default)]
struct CellSpan {
    rows: Option<(u32, u32)>,
    columns: Option<(u32, u32)>,
}

impl CellSpan {
    fn reach(&mut self, row: u32, first_column: u32, last_column: u32) {
        let widen = |range: Option<(u32, u32)>, low: u32, high: u32| {
            Some(range.map_or((low, high), |(l, h)| (l.min(low), h.max(high))))
        };
        self.rows = widen(self.rows, row, row);
        self.columns = widen(self.columns, first_column, last_column);
    }

    /// Rows and columns of the grid (none when no cell is filled).
    fn lengths(&self) -> (u64, u64) {
        let length = |range: Option<(u32, u32)>| range.map_or(0, |(low, high)| u64::from(high - low) + 1);
        (length(self.rows), length(self.columns))
    }
}

/// The records (kind, data) of a BIFF stream from `at`, up to the first cut-short one.
fn xls_records(stream: &[u8], at: usize) -> impl Iterator<Item = (u16, &[u8])> {
    let mut rest = stream.get(at..).unwrap_or_default();
    std::iter::from_fn(move || {
        let kind = u16::from_le_bytes([*rest.first()?, *rest.get(1)?]);
        let len = usize::from(u16::from_le_bytes([*rest.get(2)?, *rest.get(3)?]));
        let data = rest.get(4..4 + len)?;
        rest = &rest[4 + len..];
        Some((kind, data))
    })
}

/// The cells calamine makes room for from a DIMENSIONS record (as its
/// `parse_dimensions` reads it, in the same wrapping arithmetic).
fn xls_dimension_cells(r: &[u8]) -> u64 {
    let u16_at = |i: usize| u32::from(u16::from_le_bytes([r[i], r[i + 1]]));
    let u32_at = |i: usize| u32::from_le_bytes([r[i], r[i + 1], r[i + 2], r[i + 3]]);
    let (first_row, last_row, mut first_col, last_col) = match r.len() {
        10 => (u16_at(0), u16_at(2), u16_at(4), u16_at(6)),
        14 | 16 => (u32_at(0), u32_at(4), u16_at(8), u16_at(10)),
        _ => return 0,
    };
    if 0xFF < first_col || last_col < first_col {
        first_col = 0;
    }
    let (start, end) = if last_row >= 1 && last_col >= 1 {
        ((first_row, first_col), (last_row - 1, last_col - 1))
    } else {
        ((first_row, first_col), (first_row, first_col))
    };
    let rows = end.0.wrapping_sub(start.0).wrapping_add(1);
    let cols = end.1.wrapping_sub(start.1).wrapping_add(1);
    u64::from(rows) * u64::from(cols)
}

/// The sheet names of a workbook; empty when the bytes are not one.
pub fn sheet_names(bytes: &[u8]) -> Vec<String> {
    if !(bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])) {
        return Vec::new();
    }
    if check_xls_container(bytes).is_err() {
        return Vec::new();
    }
    contain_panics(|| open_workbook_auto_from_rs(Cursor::new(bytes)).map(|wb| wb.sheet_names()).unwrap_or_default())
        .unwrap_or_default()
}

/// Filled cells in rows that are at least two cells wide: a table scores high, a
/// sheet of notes (one long text per row) scores low.
fn table_score(range: &calamine::Range<Data>) -> usize {
    range.rows().map(|row| row.iter().filter(|c| !matches!(c, Data::Empty)).count()).filter(|&filled| filled >= 2).sum()
}

fn range_to_table(range: &calamine::Range<Data>) -> Result<RawTable, ImportError> {
    let first_rows: Vec<Vec<String>> =
        range.rows().take(10).map(|row| row.iter().map(|c| cell_text(c).unwrap_or_default()).collect()).collect();
    if first_rows.is_empty() {
        return Err(ImportError::NotATable(Message::new("msg.err_sheet_empty", Vec::<String>::new())));
    }
    let header_index = find_header_row(&first_rows).ok_or_else(no_header_error)?;
    let Some(header_row) = first_rows.get(header_index) else {
        return Err(no_header_error());
    };
    // Trailing empty header cells beyond the data are not columns.
    let width = header_row.iter().rposition(|h| !h.trim().is_empty()).map_or(0, |i| i + 1);
    let headers = clean_headers(&header_row[..width]);
    let (mut blank_rows, mut last_was_blank, mut after_blank) = (0usize, false, Vec::new());
    let (mut error_cells, mut error_example) = (0usize, None);
    let mut rows = Vec::with_capacity(range.height());
    for row in range.rows().skip(header_index + 1) {
        for cell in row.iter().take(width) {
            if let Data::Error(e) = cell {
                error_cells += 1;
                error_example.get_or_insert_with(|| e.to_string());
            }
        }
        let cells: Vec<Cell> = row.iter().take(width).map(to_cell).collect();
        if cells.iter().all(|c| matches!(c, Cell::Empty)) {
            blank_rows += 1;
            last_was_blank = true;
            continue;
        }
        if std::mem::take(&mut last_was_blank) {
            after_blank.push(rows.len());
        }
        rows.push(cells);
    }
    let mut table = RawTable { headers, columns: cells_to_columns(rows, width), ..RawTable::default() };
    table.rows_after_blank = after_blank;
    if let Some(example) = error_example {
        table.notes.push(Message::new("msg.cell_errors", [error_cells.to_string(), example]));
    }
    if header_index > 0 {
        table.notes.push(Message::new("msg.starts_at_row", [header_index + 1]));
    }
    if blank_rows > 0 {
        table.notes.push(Message::new("msg.blank_rows", [blank_rows]));
    }
    Ok(table)
}

fn to_cell(data: &Data) -> Cell {
    match data {
        Data::Empty | Data::Error(_) => Cell::Empty,
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::String(s) => {
            if s.trim().is_empty() {
                Cell::Empty
            } else {
                Cell::Text(s.clone())
            }
        }
        Data::DateTime(dt) => dt.as_datetime().map_or(Cell::Empty, Cell::DateTime),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
    }
}

fn cell_text(data: &Data) -> Option<String> {
    match data {
        Data::Empty | Data::Error(_) => None,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}
