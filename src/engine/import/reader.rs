//! Readers turn a file into a [`RawTable`]. One reader per format behind one trait;
//! [`read_table`] is the one place that picks the format, from the file's first
//! bytes first and its extension second (an `.xlsx` saved as `.csv` still opens).

use std::path::Path;

use super::csv_stream::{AsText, BLOCK_BYTES, BlockTyping, HEAD_ROWS, Keep, Streamed, read_stream_typed};
use super::table::{Cell, RawColumn, RawTable, TextColumnBuilder};
use super::{ImportError, Progress};
use crate::engine::files::{ContentStamp, HashingReader};
use crate::engine::message::Message;

/// Options that change how a file is read; `None` means "detect".
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ReadOptions {
    /// Sheet to read from a workbook; by default the one holding the biggest table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// Field delimiter of a text file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<char>,
    /// Text encoding label (`utf-8`, `windows-1254`, `utf-16le` …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
}

/// A file format Kitle reads.
pub trait TableReader {
    fn read(&self, bytes: &[u8], options: &ReadOptions, progress: &Progress) -> Result<RawTable, ImportError>;
}

/// Text files from this size on are read as a stream of blocks ([`super::csv_stream`]).
const STREAM_MIN_BYTES: u64 = 64 << 20;

/// The start of a file looked at to tell whether it can be streamed.
const HEAD_BYTES: usize = 1 << 16;

/// Reads any supported file into a raw table.
pub fn read_table(path: &Path, options: &ReadOptions, progress: &Progress) -> Result<RawTable, ImportError> {
    // Every column is kept as text: nothing is typed on the way.
    match read_table_streaming(path, options, progress, STREAM_MIN_BYTES, BLOCK_BYTES, HEAD_ROWS, &mut AsText)? {
        SourceRead::Raw(table) | SourceRead::Typed { table, .. } => Ok(table),
    }
}

/// What reading a source gave: a raw table, or a big text file typed as it was read.
pub(super) enum SourceRead<C> {
    Raw(RawTable),
    /// See [`super::csv_stream::Streamed::Typed`].
    Typed {
        table: RawTable,
        height: usize,
        keep: Vec<Keep>,
        chunks: Vec<C>,
    },
}

/// Reads a source, typing a big text file's columns block by block as `typing`
/// decides from its first rows.
pub(super) fn read_source<T: BlockTyping>(
    path: &Path,
    options: &ReadOptions,
    progress: &Progress,
    typing: &mut T,
) -> Result<SourceRead<T::Chunk>, ImportError> {
    read_table_streaming(path, options, progress, STREAM_MIN_BYTES, BLOCK_BYTES, HEAD_ROWS, typing)
}

/// [`read_source`], streaming text files from `stream_min` bytes on in blocks of
/// `block`, deciding types after `head_rows` rows.
pub(super) fn read_table_streaming<T: BlockTyping>(
    path: &Path,
    options: &ReadOptions,
    progress: &Progress,
    stream_min: u64,
    block: usize,
    head_rows: usize,
    typing: &mut T,
) -> Result<SourceRead<T::Chunk>, ImportError> {
    use std::io::{Read, Seek};
    let io_error = |e: std::io::Error| ImportError::Io { path: path.to_path_buf(), message: e.to_string() };
    let mut file = std::fs::File::open(path).map_err(io_error)?;
    let meta = file.metadata().map_err(io_error)?;
    let len = meta.len();
    if len > u64::from(u32::MAX) {
        return Err(ImportError::NotATable(Message::new("msg.err_too_large", [path.display()])));
    }
    if len >= stream_min && options.encoding.is_none() {
        // Every byte is hashed as it is read, for the cache's key.
        let mut hashing = HashingReader::new(&file);
        let mut head = Vec::new();
        (&mut hashing).take(HEAD_BYTES as u64).read_to_end(&mut head).map_err(io_error)?;
        if streamable(&head, path) {
            let name = file_name(path);
            let streamed =
                read_stream_typed(head.chain(&mut hashing), len, options, progress, block, head_rows, typing)
                    .map_err(|e| named(e, &name))?;
            match streamed {
                Streamed::Table(mut table) => {
                    table.content = Some(hashing.stamp(&meta));
                    return checked(table, &name).map(SourceRead::Raw);
                }
                Streamed::Typed { mut table, height, keep, chunks } => {
                    table.content = Some(hashing.stamp(&meta));
                    if height == 0 {
                        return Err(ImportError::NotATable(Message::new("msg.err_no_data_rows", [&name])));
                    }
                    return Ok(SourceRead::Typed { table, height, keep, chunks });
                }
                Streamed::Fallback => {}
            }
        }
        file.rewind().map_err(io_error)?;
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.read_to_end(&mut bytes).map_err(io_error)?;
    let mut table = read_table_bytes(&bytes, path, options, progress)?;
    table.content = Some(ContentStamp::of_bytes(&bytes, &meta));
    Ok(SourceRead::Raw(table))
}

/// Reads a file already in memory; `path` only names it and gives its extension.
pub fn read_table_bytes(
    bytes: &[u8],
    path: &Path,
    options: &ReadOptions,
    progress: &Progress,
) -> Result<RawTable, ImportError> {
    let name = file_name(path);
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ImportError::NotATable(Message::new("msg.err_empty", [&name])));
    }
    let table = match sniff_format(bytes, path) {
        Format::Workbook => super::excel::ExcelReader.read(bytes, options, progress).map_err(|e| named(e, &name))?,
        Format::Text => super::csv_reader::CsvReader.read(bytes, options, progress).map_err(|e| named(e, &name))?,
        Format::Unsupported(kind) => {
            return Err(ImportError::NotATable(Message::new("msg.err_not_spreadsheet", [&name]).with_key(kind)));
        }
    };
    checked(table, &name)
}

/// Whether a file starting with `head` is a text file the stream can read (UTF-16
/// is decoded whole).
pub(super) fn streamable(head: &[u8], path: &Path) -> bool {
    let utf16 = head.starts_with(&[0xFF, 0xFE])
        || head.starts_with(&[0xFE, 0xFF])
        || looks_like_bomless_utf16(&head[..head.len().min(4096)]);
    !utf16 && matches!(sniff_format(head, path), Format::Text)
}

/// Reads `bytes` as a big text file is read: streamed in blocks of `block` bytes.
/// `None` when the stream hands the file to the whole-file reader. For the fuzzer,
/// which checks it against [`read_table_bytes`].
#[doc(hidden)]
pub fn stream_text_bytes(
    bytes: &[u8],
    options: &ReadOptions,
    progress: &Progress,
    block: usize,
) -> Option<Result<RawTable, ImportError>> {
    if !streamable(&bytes[..bytes.len().min(HEAD_BYTES)], Path::new("stream.csv")) {
        return None;
    }
    match super::csv_stream::read_stream(bytes, bytes.len() as u64, options, progress, block) {
        Ok(Streamed::Table(table) | Streamed::Typed { table, .. }) => Some(checked(table, "")),
        Ok(Streamed::Fallback) => None,
        Err(e) => Some(Err(e)),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

/// A reader's refusal, saying which file it is about.
fn named(e: ImportError, name: &str) -> ImportError {
    match e {
        ImportError::NotATable(msg) => ImportError::NotATable(msg.about(name.to_owned())),
        other => other,
    }
}

/// A table with a header and rows, or the message saying which is missing.
fn checked(table: RawTable, name: &str) -> Result<RawTable, ImportError> {
    if table.headers.is_empty() {
        return Err(ImportError::NotATable(Message::new("msg.err_no_header_row", [name])));
    }
    if table.height() == 0 {
        return Err(ImportError::NotATable(Message::new("msg.err_no_data_rows", [name])));
    }
    Ok(table)
}

enum Format {
    Workbook,
    Text,
    Unsupported(&'static str),
}

fn sniff_format(bytes: &[u8], path: &Path) -> Format {
    const ZIP: &[u8] = b"PK\x03\x04";
    const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0];
    let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    if bytes.starts_with(ZIP) {
        return if matches!(ext.as_str(), "xlsx" | "xlsm" | "xlsb" | "ods") || !matches!(ext.as_str(), "docx" | "zip") {
            Format::Workbook
        } else {
            Format::Unsupported("kind.zip")
        };
    }
    if bytes.starts_with(OLE) {
        return Format::Workbook;
    }
    for (magic, kind) in [
        (&b"%PDF"[..], "kind.pdf"),
        (&b"\x89PNG"[..], "kind.png"),
        (&b"\xFF\xD8\xFF"[..], "kind.jpeg"),
        (&b"GIF8"[..], "kind.gif"),
        (&b"\x7FELF"[..], "kind.program"),
        (&b"PAR1"[..], "kind.parquet"),
    ] {
        if bytes.starts_with(magic) {
            return Format::Unsupported(kind);
        }
    }
    let has_utf16_bom = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    let sample = &bytes[..bytes.len().min(4096)];
    if !has_utf16_bom && !looks_like_bomless_utf16(sample) {
        // Text has few control characters; a stray NUL is tolerated, noise is not.
        let control = sample.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\r' | b'\n')).count();
        if control * 100 > sample.len() {
            return Format::Unsupported("kind.binary");
        }
        let start = String::from_utf8_lossy(&sample[..sample.len().min(512)])
            .trim_start_matches('\u{feff}')
            .trim_start()
            .to_lowercase();
        if start.starts_with("<!doctype html") || start.starts_with("<html") || start.starts_with("<table") {
            return Format::Unsupported("kind.html");
        }
        if start.starts_with("<?xml") {
            return Format::Unsupported("kind.xml");
        }
        if start.starts_with('[') || start.starts_with('{') {
            return Format::Unsupported("kind.json");
        }
    }
    Format::Text
}

/// Every other byte zero: UTF-16 text without a byte-order mark.
pub(super) fn looks_like_bomless_utf16(sample: &[u8]) -> bool {
    if sample.len() < 4 {
        return false;
    }
    let even_zero = sample.iter().step_by(2).filter(|b| **b == 0).count();
    let odd_zero = sample.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
    let half = sample.len() / 2;
    (odd_zero * 10 >= half * 9 && even_zero * 10 < half) || (even_zero * 10 >= half * 9 && odd_zero * 10 < half)
}

/// Finds the header row among the first rows: exports often put a title, a date or a
/// blank line above the table. The header is the first row that fills most of the
/// table's width with text (not numbers or dates). `None` when no row looks like one.
pub(super) fn find_header_row(first_rows: &[Vec<String>]) -> Option<usize> {
    let width = first_rows.iter().map(|r| r.iter().filter(|c| !c.trim().is_empty()).count()).max().unwrap_or(0);
    for (i, row) in first_rows.iter().enumerate() {
        let filled: Vec<&String> = row.iter().filter(|c| !c.trim().is_empty()).collect();
        let texty = filled
            .iter()
            .filter(|c| {
                let t = c.trim();
                t.chars().any(char::is_alphabetic)
                    && super::parse::parse_date(t, super::parse::DayMonthOrder::DayFirst).is_none()
            })
            .count();
        if !filled.is_empty()
            && filled.len() >= 2.min(width)
            && filled.len() * 10 >= width * 6
            && texty * 2 >= filled.len()
        {
            return Some(i);
        }
    }
    None
}

/// The error for a table whose first rows hold no column names.
pub(super) fn no_header_error() -> ImportError {
    ImportError::NotATable(Message::new("msg.err_no_header", Vec::<String>::new()))
}

/// Header names made usable: trimmed, Excel's text marker removed, blanks named
/// `Column N`, repeats numbered so every column keeps a distinct name.
pub(super) fn clean_headers(raw: &[String]) -> Vec<String> {
    let mut seen = std::collections::HashMap::<String, usize>::new();
    raw.iter()
        .enumerate()
        .map(|(i, h)| {
            let h = h.trim().trim_start_matches('\u{feff}').trim();
            let base = if h.is_empty() { format!("Column {}", i + 1) } else { h.to_owned() };
            let n = seen.entry(base.to_lowercase()).or_insert(0);
            *n += 1;
            if *n == 1 { base } else { format!("{base} ({n})") }
        })
        .collect()
}

/// Builds columns of owned cells from rows (used by the workbook reader).
pub(super) fn cells_to_columns(rows: Vec<Vec<Cell>>, width: usize) -> Vec<RawColumn> {
    let mut columns: Vec<Vec<Cell>> = (0..width).map(|_| Vec::with_capacity(rows.len())).collect();
    for row in rows {
        let mut it = row.into_iter();
        for col in &mut columns {
            col.push(it.next().unwrap_or(Cell::Empty));
        }
    }
    columns.into_iter().map(RawColumn::Cells).collect()
}

/// An empty text column per header, for the text reader to fill.
pub(super) fn text_columns(width: usize, rows_hint: usize) -> Vec<TextColumnBuilder> {
    (0..width).map(|_| TextColumnBuilder::with_capacity(rows_hint)).collect()
}

#[cfg(test)]
mod tests {

    fn raw_streamed(path: &Path, options: &ReadOptions, progress: &Progress) -> RawTable {
        match read_table_streaming(path, options, progress, 0, 8192, 64, &mut AsText).unwrap() {
            SourceRead::Raw(table) => table,
            SourceRead::Typed { .. } => panic!("nothing is typed as text"),
        }
    }
    use super::*;

    fn cells(table: &RawTable) -> Vec<Vec<String>> {
        let text = |c: &RawColumn, i| c.get(i).as_text().map(|t| t.into_owned()).unwrap_or_default();
        table.columns.iter().map(|c| (0..c.len()).map(|i| text(c, i)).collect()).collect()
    }

    /// A file big enough to stream in many blocks reads as it does whole; one that
    /// turns out not to be UTF-8 half-way, and a UTF-16 one, are read whole.
    #[test]
    fn streamed_files_read_like_whole_ones() {
        let dir = tempfile::tempdir().unwrap();
        let mut text = String::from("\u{feff}Rapor: müşteriler\r\n\r\nid;ad;şehir;not;tutar\r\n");
        for i in 0..20_000 {
            let note = if i % 7 == 0 { format!("\"çok;satırlı\r\n\"\"not\"\" {i}\"") } else { String::new() };
            let row =
                if i % 1000 == 999 { String::from(";;;;") } else { format!("{i};Ayşe {i};İzmir;{note};{i},50") };
            text.push_str(&row);
            text.push_str(if i % 5000 == 4999 { "\r\n\r\n" } else { "\r\n" });
        }
        let utf8 = dir.path().join("musteriler.csv");
        std::fs::write(&utf8, &text).unwrap();
        let mut mixed = text.clone().into_bytes();
        mixed.extend_from_slice(b"20000;\xDEule;Mu\xF0la;;1\r\n"); // Windows-1254 at the end
        let mixed_path = dir.path().join("karisik.csv");
        std::fs::write(&mixed_path, &mixed).unwrap();
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(text.trim_start_matches('\u{feff}').encode_utf16().flat_map(u16::to_le_bytes));
        let utf16_path = dir.path().join("utf16.csv");
        std::fs::write(&utf16_path, &utf16).unwrap();

        let (options, progress) = (ReadOptions::default(), Progress::default());
        for path in [&utf8, &mixed_path, &utf16_path] {
            let whole = read_table_bytes(&std::fs::read(path).unwrap(), path, &options, &progress).unwrap();
            let streamed = raw_streamed(path, &options, &progress);
            assert_eq!(whole.headers, streamed.headers, "{}", path.display());
            assert_eq!(cells(&whole), cells(&streamed), "{}", path.display());
            assert_eq!(whole.rows_after_blank, streamed.rows_after_blank);
            let notes = |t: &RawTable| t.notes.iter().map(ToString::to_string).collect::<Vec<_>>();
            assert_eq!(notes(&whole), notes(&streamed));
            assert_eq!(whole.delimiter, Some(b';'));
            // Streamed or read whole (a fallback), every byte is in the content hash.
            let stamp = ContentStamp::of_file(path).unwrap();
            assert_eq!(streamed.content, Some(stamp), "{}", path.display());
            assert_eq!(read_table(path, &options, &progress).unwrap().content, Some(stamp));
        }
        let streamed = raw_streamed(&utf8, &options, &progress);
        assert_eq!(streamed.height(), 20_000 - 20, "blank rows are left out");
        // After each blank row but the last (the empty lines follow blank rows too).
        assert_eq!(streamed.rows_after_blank.len(), 19);
    }
}
