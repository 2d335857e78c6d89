//! CSV, TSV and TXT tables: the encoding is detected (UTF-8 with or without BOM,
//! UTF-16 with or without BOM, else Windows-1254, which Turkish Excel writes and
//! which covers ISO-8859-9's letters), the delimiter sniffed, quoted fields with
//! line breaks and ragged rows handled.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1254};

use super::reader::{
    ReadOptions, TableReader, clean_headers, find_header_row, looks_like_bomless_utf16, no_header_error, text_columns,
};
use rayon::prelude::*;

use super::table::{RawColumn, RawTable, TextColumnBuilder};
use super::{ImportError, Progress};
use crate::engine::message::Message;

pub struct CsvReader;

impl TableReader for CsvReader {
    fn read(&self, bytes: &[u8], options: &ReadOptions, progress: &Progress) -> Result<RawTable, ImportError> {
        let (text, encoding_note) = decode(bytes, options.encoding.as_deref())?;
        if text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}').is_empty() {
            return Err(ImportError::NotATable(Message::new("msg.err_file_empty", Vec::<String>::new())));
        }
        let delimiter = delimiter_of(&text, options);
        let mut table = parse(&text, delimiter, progress)?;
        table.delimiter = Some(delimiter);
        if let Some(note) = encoding_note {
            table.notes.insert(0, note);
        }
        Ok(table)
    }
}

/// Decodes the file to UTF-8; returns a note when the encoding was not plain UTF-8.
fn decode<'a>(bytes: &'a [u8], label: Option<&str>) -> Result<(Cow<'a, str>, Option<Message>), ImportError> {
    if let Some(label) = label {
        let encoding = Encoding::for_label(label.as_bytes())
            .ok_or_else(|| ImportError::NotATable(Message::new("msg.err_encoding", [label])))?;
        let (text, _, had_errors) = encoding.decode(bytes);
        let note = had_errors.then(|| Message::new("msg.bad_characters", [encoding.name()]));
        return Ok((text, note));
    }
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        // A UTF-8 mark on a file with Windows-1254 lines pasted in: read line by line.
        if encoding == UTF_8 && simdutf8::basic::from_utf8(&bytes[bom_len..]).is_err() {
            return Ok(decode_line_by_line(&bytes[bom_len..]));
        }
        let (text, _, _) = encoding.decode(bytes);
        let note = (encoding != UTF_8).then(|| Message::new("msg.encoding", [encoding.name()]));
        return Ok((text, note));
    }
    let sample = &bytes[..bytes.len().min(4096)];
    if looks_like_bomless_utf16(sample) {
        let encoding = if sample.first() == Some(&0) { UTF_16BE } else { UTF_16LE };
        let (text, _) = encoding.decode_without_bom_handling(bytes);
        return Ok((text, Some(Message::new("msg.encoding", [encoding.name()]))));
    }
    match simdutf8::basic::from_utf8(bytes) {
        Ok(text) => Ok((Cow::Borrowed(text), None)),
        Err(_) => Ok(decode_line_by_line(bytes)),
    }
}

/// Not UTF-8 as a whole: each line is read as UTF-8 if it is valid, else as
/// Windows-1254, so a file pasted together from two exports still reads right.
fn decode_line_by_line(bytes: &[u8]) -> (Cow<'_, str>, Option<Message>) {
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 8);
    let mut utf8_lines = 0usize;
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        match std::str::from_utf8(line) {
            Ok(l) => {
                utf8_lines += usize::from(!l.is_ascii());
                text.push_str(l);
            }
            Err(_) => text.push_str(&WINDOWS_1254.decode_without_bom_handling(line).0),
        }
    }
    let id = if utf8_lines > 0 { "msg.encoding_mixed" } else { "msg.encoding_1254" };
    (Cow::Owned(text), Some(Message::new(id, Vec::<String>::new())))
}

/// The delimiter given, else the sniffed one.
pub(super) fn delimiter_of(text: &str, options: &ReadOptions) -> u8 {
    match options.delimiter {
        Some(c) if c.is_ascii() => c as u8,
        _ => sniff_delimiter(text),
    }
}

/// Picks the delimiter (`,` `;` tab `|`) that splits the first lines into the same,
/// largest number of fields. Quotes are respected.
pub fn sniff_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).take(30).collect();
    let mut best = (b',', 0usize, 0usize);
    for candidate in [b',', b';', b'\t', b'|'] {
        let counts: Vec<usize> = lines.iter().map(|l| count_outside_quotes(l, candidate)).collect();
        let mut freq = std::collections::HashMap::<usize, usize>::new();
        for &c in counts.iter().filter(|&&c| c > 0) {
            *freq.entry(c).or_default() += 1;
        }
        // The most common non-zero count, and how many lines agree on it.
        let Some((&fields, &agreeing)) = freq.iter().max_by_key(|(count, lines)| (**lines, **count)) else {
            continue;
        };
        if (agreeing, fields) > (best.1, best.2) {
            best = (candidate, agreeing, fields);
        }
    }
    best.0
}

fn count_outside_quotes(line: &str, delimiter: u8) -> usize {
    let mut in_quotes = false;
    let mut count = 0;
    for b in line.bytes() {
        if b == b'"' {
            in_quotes = !in_quotes;
        } else if b == delimiter && !in_quotes {
            count += 1;
        }
    }
    count
}

/// Files from this size on are read in pieces, one per core.
const PIECE_MIN_BYTES: usize = 4 << 20;

fn parse(text: &str, delimiter: u8, progress: &Progress) -> Result<RawTable, ImportError> {
    let bytes = text.as_bytes();
    let pieces = (bytes.len() / PIECE_MIN_BYTES).clamp(1, rayon::current_num_threads().max(1));
    let cuts = record_cuts(bytes, delimiter, pieces);
    let piece_end = |k: usize| cuts.starts.get(k + 1).copied().unwrap_or(bytes.len());
    let piece_hint = |width: usize| {
        usize::try_from(bytes.len() as u64 / (width as u64 * 8 + 1)).unwrap_or(0).min(50_000_000) / cuts.starts.len()
    };
    let start = TableStart::read(&bytes[..piece_end(0)], delimiter, piece_hint)?;
    let (table, reader, first) = (start.table, start.reader, start.rows);
    let width = table.headers.len();
    // Every piece is read by its own parser on its own thread, then joined in order.
    let mut readers = vec![(reader, first)];
    for (k, &start) in cuts.starts.iter().enumerate().skip(1) {
        readers.push((piece_reader(&bytes[start..piece_end(k)], delimiter), PieceRows::new(width, piece_hint(width))));
    }
    let pieces: Vec<PieceRows> = readers
        .into_par_iter()
        .enumerate()
        .map(|(k, (reader, rows))| {
            let piece = &bytes[cuts.starts.get(k).copied().unwrap_or(0)..piece_end(k)];
            rows.read(piece, reader, progress, (k == 0).then(|| piece_end(0)))
        })
        .collect::<Result<_, _>>()?;
    let mut pieces = pieces.into_iter();
    let mut rows = pieces.next().unwrap_or_else(|| PieceRows::new(width, 0));
    for later in pieces {
        rows.append(&later);
    }
    Ok(finish_table(table, rows, cuts.ends_in_quotes))
}

/// The start of a text table: its header (which may sit below a title) and the
/// parser left on the first piece, past the rows looked at to find the header.
pub(super) struct TableStart<'a> {
    /// Headers and notes; no columns yet.
    pub table: RawTable,
    pub reader: csv::Reader<&'a [u8]>,
    /// The data rows among those looked at.
    pub rows: PieceRows,
}

impl<'a> TableStart<'a> {
    /// `rows_hint(width)`: how many rows to make room for.
    pub fn read(first_piece: &'a [u8], delimiter: u8, rows_hint: impl Fn(usize) -> usize) -> Result<Self, ImportError> {
        let mut reader = piece_reader(first_piece, delimiter);
        let mut record = csv::ByteRecord::new();
        let mut first_rows: Vec<Vec<String>> = Vec::new();
        let mut after_empty_line: Vec<bool> = Vec::new();
        while first_rows.len() < 10 && read_record(&mut reader, &mut record)? {
            first_rows.push(record.iter().map(|f| String::from_utf8_lossy(f).into_owned()).collect());
            let start = record.position().map_or(0, |p| usize::try_from(p.byte()).unwrap_or(0));
            after_empty_line.push(follows_empty_line(first_piece, start, b'\n'));
        }
        let header_index = find_header_row(&first_rows).ok_or_else(no_header_error)?;
        let Some(header_row) = first_rows.get(header_index) else {
            return Err(no_header_error());
        };
        let headers = clean_headers(header_row);
        let width = headers.len();
        let mut table = RawTable { headers, ..RawTable::default() };
        if header_index > 0 {
            table.notes.push(Message::new("msg.starts_at_line", [header_index + 1]));
        }
        let mut rows = PieceRows::new(width, rows_hint(width));
        for (row, after_empty) in first_rows.iter().zip(after_empty_line).skip(header_index + 1) {
            rows.last_was_blank |= after_empty;
            rows.push(row.iter().map(String::as_bytes), row.len());
        }
        Ok(Self { table, reader, rows })
    }
}

/// The table from its start and all its rows: notes on odd rows, then the columns.
pub(super) fn finish_table(mut table: RawTable, mut rows: PieceRows, ends_in_quotes: bool) -> RawTable {
    for (count, id) in [(rows.blank, "msg.blank_rows"), (rows.short, "msg.short_rows"), (rows.long, "msg.long_rows")] {
        if count > 0 {
            table.notes.push(Message::new(id, [count]));
        }
    }
    if ends_in_quotes {
        table.notes.push(Message::new("msg.unmatched_quote", Vec::<String>::new()));
    }
    table.rows_after_blank = std::mem::take(&mut rows.after_blank);
    // Each column's text is checked as UTF-8 once, the columns side by side.
    table.columns = rows.columns.into_par_iter().map(|c| RawColumn::Text(c.finish())).collect();
    table
}

/// Whether empty lines lie at byte `start` of `piece` (where the csv reader
/// resumes after a record: the empty lines it skips come before the next one).
/// `before`: the byte before the piece (a line end).
fn follows_empty_line(piece: &[u8], start: usize, before: u8) -> bool {
    let mut rest = piece.get(start..).unwrap_or_default();
    // After a "\r\n" the reader may stop between the two bytes.
    let previous = if start > 0 { piece.get(start - 1).copied() } else { Some(before) };
    if previous == Some(b'\r') {
        rest = rest.strip_prefix(b"\n").unwrap_or(rest);
    }
    rest.starts_with(b"\n") || rest.starts_with(b"\r\n") || rest.starts_with(b"\r")
}

pub(super) fn piece_reader(piece: &[u8], delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(piece)
}

/// The rows of one piece of the file, column by column, and what was odd about them.
pub(super) struct PieceRows {
    width: usize,
    columns: Vec<TextColumnBuilder>,
    /// Rows read (counted apart from the columns: a stream empties the columns it types).
    count: usize,
    blank: usize,
    short: usize,
    long: usize,
    /// Rows that come right after blank rows (where a second table could start).
    after_blank: Vec<usize>,
    last_was_blank: bool,
    /// The byte before the piece: a line end, or the `\r` of a `\r\n` cut in two.
    pub before: u8,
}

impl PieceRows {
    pub fn new(width: usize, rows_hint: usize) -> Self {
        Self {
            width,
            columns: text_columns(width, rows_hint),
            count: 0,
            blank: 0,
            short: 0,
            long: 0,
            after_blank: Vec::new(),
            last_was_blank: false,
            before: b'\n',
        }
    }

    /// Room for `rows` rows and, per column, the bytes of text given.
    pub fn with_room(rows: usize, bytes: &[usize]) -> Self {
        let mut piece = Self::new(bytes.len(), 0);
        piece.columns = bytes.iter().map(|&b| TextColumnBuilder::with_room(rows, b)).collect();
        piece
    }

    pub fn rows(&self) -> usize {
        self.count
    }

    /// The piece's columns (a stream types some of them as it goes).
    pub fn columns_mut(&mut self) -> &mut [TextColumnBuilder] {
        &mut self.columns
    }

    /// Rows right after blank rows (where a second table could start).
    pub fn rows_after_blank(&self) -> &[usize] {
        &self.after_blank
    }

    /// Bytes of text held per column.
    pub fn text_lens(&self) -> Vec<usize> {
        self.columns.iter().map(TextColumnBuilder::text_len).collect()
    }

    /// One record; blank rows are counted and left out, ragged rows are padded with
    /// empty cells or cut to the header's width.
    fn push<'f>(&mut self, mut fields: impl Iterator<Item = &'f [u8]> + Clone, len: usize) {
        if fields.clone().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            self.blank += 1;
            self.last_was_blank = true;
            return;
        }
        if std::mem::take(&mut self.last_was_blank) {
            self.after_blank.push(self.rows());
        }
        if len < self.width {
            self.short += 1;
        } else if len > self.width {
            self.long += 1;
        }
        for column in &mut self.columns {
            column.push(fields.next().unwrap_or_default());
        }
        self.count += 1;
    }

    /// Reads a piece without a quote character, as the csv reader would but faster:
    /// records are its lines (ended by `\n`, `\r\n` or `\r`; empty ones skipped),
    /// fields what the delimiter separates.
    pub fn read_unquoted(mut self, piece: &[u8], delimiter: u8, progress: &Progress) -> Result<Self, ImportError> {
        let mut at = 0;
        // A piece cut after the `\r` of a `\r\n` starts with the rest of that line end.
        if self.before == b'\r' && piece.first() == Some(&b'\n') {
            at = 1;
        }
        let mut rows_read = 0u64;
        let mut fields: Vec<&[u8]> = Vec::with_capacity(self.width + 1);
        while at < piece.len() {
            let end = memchr::memchr2(b'\n', b'\r', &piece[at..]).map_or(piece.len(), |i| at + i);
            let line = &piece[at..end];
            at = end + if piece[end..].starts_with(b"\r\n") { 2 } else { 1 };
            if line.is_empty() {
                self.last_was_blank = true;
                continue;
            }
            fields.clear();
            let mut start = 0;
            for cut in memchr::memchr_iter(delimiter, line) {
                fields.push(&line[start..cut]);
                start = cut + 1;
            }
            fields.push(&line[start..]);
            self.push(fields.iter().copied(), fields.len());
            rows_read += 1;
            if rows_read.is_multiple_of(65_536) && progress.is_cancelled() {
                return Err(ImportError::Cancelled);
            }
        }
        Ok(self)
    }

    /// Reads the rest of a piece. `progress_of`: the piece's length, for the piece
    /// whose reading stands for the whole file's progress.
    pub fn read(
        mut self,
        piece: &[u8],
        mut reader: csv::Reader<&[u8]>,
        progress: &Progress,
        progress_of: Option<usize>,
    ) -> Result<Self, ImportError> {
        let mut record = csv::ByteRecord::new();
        let mut rows_read = 0u64;
        // The csv reader skips empty lines: an empty line just before a record is
        // where a second table could start.
        while read_record(&mut reader, &mut record)? {
            let start = record.position().map_or(0, |p| usize::try_from(p.byte()).unwrap_or(0));
            if follows_empty_line(piece, start, self.before) {
                self.last_was_blank = true;
            }
            self.push(record.iter(), record.len());
            rows_read += 1;
            if rows_read.is_multiple_of(65_536) {
                if let Some(len) = progress_of {
                    let at = record.position().map_or(0, csv::Position::byte);
                    progress.set_fraction(at as f64 / len.max(1) as f64);
                }
                if progress.is_cancelled() {
                    return Err(ImportError::Cancelled);
                }
            }
        }
        Ok(self)
    }

    /// Empties the piece for the next one, keeping its memory (fresh memory costs
    /// the kernel a page clearing; a big file's pieces are reused instead).
    pub fn clear(&mut self) {
        self.columns.iter_mut().for_each(TextColumnBuilder::clear);
        self.after_blank.clear();
        (self.count, self.blank, self.short, self.long) = (0, 0, 0, 0);
        self.last_was_blank = false;
        self.before = b'\n';
    }

    pub fn append(&mut self, later: &PieceRows) {
        let offset = self.rows();
        // Blank rows at the end of this piece come before the later piece's first row.
        if self.last_was_blank && later.rows() > 0 && later.after_blank.first() != Some(&0) {
            self.after_blank.push(offset);
        }
        self.last_was_blank = later.last_was_blank || (self.last_was_blank && later.rows() == 0);
        self.after_blank.extend(later.after_blank.iter().map(|r| r + offset));
        for (column, more) in self.columns.iter_mut().zip(&later.columns) {
            column.append(more);
        }
        self.count += later.count;
        self.blank += later.blank;
        self.short += later.short;
        self.long += later.long;
    }
}

/// Where a text can be cut into pieces that parse on their own, and whether it ends
/// inside a quoted field (an unmatched quote).
#[derive(Debug, PartialEq)]
struct RecordCuts {
    /// Byte offsets where the pieces start: 0, then line starts outside quoted fields.
    starts: Vec<usize>,
    ends_in_quotes: bool,
}

/// Cuts `text` into up to `pieces` near-equal pieces at record starts. Only quotes
/// decide where records end, so only quotes are visited, read the way the csv
/// parser reads them: a quote opens a field only at the field's start, `""` inside
/// a quoted field is a quote character, and any other quote is a literal.
fn record_cuts(text: &[u8], delimiter: u8, pieces: usize) -> RecordCuts {
    let mut quotes = QuoteState::new(text, delimiter);
    let mut starts = vec![0];
    // Lines before this have been looked at (the quote state is past them).
    let mut looked_at = 0;
    for k in 1..pieces {
        let mut from = (text.len() / pieces * k).max(looked_at);
        while let Some(newline) = memchr::memchr(b'\n', text.get(from..).unwrap_or_default()).map(|i| from + i) {
            quotes.advance_to(newline);
            from = newline + 1;
            looked_at = from;
            if !quotes.open {
                if from < text.len() {
                    starts.push(from);
                }
                break;
            }
        }
    }
    quotes.advance_to(text.len());
    RecordCuts { starts, ends_in_quotes: quotes.open }
}

/// The csv parser's quoting state, followed from quote to quote.
pub(super) struct QuoteState<'a> {
    text: &'a [u8],
    delimiter: u8,
    quotes: memchr::Memchr<'a>,
    next: Option<usize>,
    /// Inside a quoted field.
    pub open: bool,
}

impl<'a> QuoteState<'a> {
    /// The state at the start of `text`, which is the start of a record.
    pub fn new(text: &'a [u8], delimiter: u8) -> Self {
        let mut quotes = memchr::memchr_iter(b'"', text);
        let next = quotes.next();
        Self { text, delimiter, quotes, next, open: false }
    }

    /// Follows every quote before `end`.
    pub fn advance_to(&mut self, end: usize) {
        while let Some(q) = self.next.filter(|&q| q < end) {
            self.next = self.quotes.next();
            if self.open {
                if self.next == Some(q + 1) {
                    self.next = self.quotes.next(); // "" is a quote character
                } else {
                    self.open = false;
                }
            } else if q == 0
                || matches!(self.text.get(q - 1), Some(&b) if b == b'\n' || b == b'\r' || b == self.delimiter)
            {
                self.open = true;
            }
        }
    }
}

pub(super) fn read_record(reader: &mut csv::Reader<&[u8]>, record: &mut csv::ByteRecord) -> Result<bool, ImportError> {
    reader.read_byte_record(record).map_err(|e| ImportError::NotATable(Message::new("msg.err_not_table", [e])))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &[u8]) -> Vec<Vec<Vec<u8>>> {
        let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text);
        reader.byte_records().map(|r| r.unwrap().iter().map(<[u8]>::to_vec).collect()).collect()
    }

    proptest::proptest! {
        /// Pieces cut at the found record starts read, one after another, exactly as
        /// the whole text does: quoted line breaks, `""`, literal quotes and an
        /// unmatched quote included.
        #[test]
        fn pieces_read_like_the_whole_text(
            lines in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::prop_oneof![
                        "[a-c ]{0,3}",
                        "\"[a-c,\n ]{0,4}(\"\"[a\n]{0,2})?\"",
                        "[a-c]{1,2}\"[a-c]?",
                    ],
                    1..4,
                ),
                1..30,
            ),
            tail in proptest::prop_oneof!["", "\"a\nb,c\n", "x,\"\n\"y"],
            pieces in 1usize..6,
        ) {
            let mut text: String = lines.iter().map(|fields| fields.join(",") + "\n").collect();
            text.push_str(&tail);
            let bytes = text.as_bytes();
            let cuts = record_cuts(bytes, b',', pieces);
            proptest::prop_assert_eq!(cuts.starts[0], 0);
            let mut pieced = Vec::new();
            for (k, &start) in cuts.starts.iter().enumerate() {
                let end = cuts.starts.get(k + 1).copied().unwrap_or(bytes.len());
                pieced.extend(records(&bytes[start..end]));
            }
            proptest::prop_assert_eq!(pieced, records(bytes));
            let unmatched = tail.starts_with('"');
            proptest::prop_assert_eq!(cuts.ends_in_quotes, unmatched);
        }
    }

    #[test]
    fn blank_rows_are_left_out_wherever_they_are() {
        let table = parse("id,name\n,\n1,Ayşe\n \n2,Bora\n", b',', &Progress::default()).unwrap();
        assert_eq!(table.height(), 2);
        let RawColumn::Text(names) = &table.columns[1] else { panic!("text column") };
        assert_eq!((names.get(0), names.get(1)), ("Ayşe", "Bora"));
        assert_eq!(table.notes.len(), 1, "one note about the blank rows: {:?}", table.notes);
    }

    #[test]
    fn a_cut_never_falls_where_the_quotes_were_already_followed() {
        // Found by the property test: the third cut's target lay inside lines already
        // looked at for the second one.
        let text = b"\",\"\"\n\n\"\n\"\n\"\n";
        let cuts = record_cuts(text, b',', 4);
        assert_eq!(cuts, RecordCuts { starts: vec![0, 8], ends_in_quotes: false });
    }

    #[test]
    fn big_files_are_read_in_pieces_with_the_same_rows() {
        let mut text = String::from("id,note,city\n");
        for i in 0..200_000 {
            text.push_str(&format!("{i},\"line one\nline \"\"two\"\", {i}\",İzmir\n"));
        }
        text.push_str("200000,short\n");
        assert!(text.len() > 2 * PIECE_MIN_BYTES, "the file is big enough to be cut");
        let table = parse(&text, b',', &Progress::default()).unwrap();
        assert_eq!(table.height(), 200_001);
        let RawColumn::Text(notes) = &table.columns[1] else { panic!("text column") };
        assert_eq!(notes.get(123_456), "line one\nline \"two\", 123456");
        let RawColumn::Text(ids) = &table.columns[0] else { panic!("text column") };
        assert!((0..200_001).all(|i| ids.get(i) == i.to_string()), "rows stay in file order");
        assert_eq!(table.notes.len(), 1, "one short row: {:?}", table.notes);
    }

    #[test]
    fn sniffs_delimiters() {
        assert_eq!(sniff_delimiter("a;b;c\n1;2,5;3\n"), b';');
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3\n"), b',');
        assert_eq!(sniff_delimiter("a\tb\tc\n1\t2,5\t3\n"), b'\t');
        assert_eq!(sniff_delimiter("a|b\n\"x|y\"|2\n"), b'|');
        assert_eq!(sniff_delimiter("name,note\n\"Ayşe\",\"a; b; c; d\"\n"), b',');
    }

    #[test]
    fn decodes_turkish_windows_1254_and_utf16() {
        let (w1254, _, _) = WINDOWS_1254.encode("Şehir;İstanbul;Muğla\n");
        let (text, note) = decode(&w1254, None).unwrap();
        assert_eq!(text, "Şehir;İstanbul;Muğla\n");
        assert!(note.unwrap().to_string().contains("1254"));

        let mut utf16 = vec![0xFF, 0xFE];
        for unit in "Ad,Şehir\n".encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(decode(&utf16, None).unwrap().0, "Ad,Şehir\n");
        let bom_utf8 = b"\xEF\xBB\xBFAd,Soyad\n";
        assert_eq!(decode(bom_utf8, None).unwrap().0, "Ad,Soyad\n");
    }
}

#[cfg(test)]
mod blank_line_tests {
    use super::*;

    #[test]
    fn rows_after_empty_lines_are_marked() {
        let mut text = String::from("id,email,spent\n");
        for i in 1..=12 {
            text += &format!("{i},c{i}@x.com,{i}.5\n");
        }
        text += "\n\nKanal,Müşteri,Gelir\nInstagram,4,1200\n";
        let table = parse(&text, b',', &Progress::default()).unwrap();
        assert_eq!(table.rows_after_blank, vec![12], "{:?}", table.rows_after_blank);
        // The same with Windows line ends, and none without empty lines.
        let crlf = text.replace('\n', "\r\n");
        assert_eq!(parse(&crlf, b',', &Progress::default()).unwrap().rows_after_blank, vec![12]);
        let none = text.replace("\n\n\n", "\n");
        assert_eq!(parse(&none, b',', &Progress::default()).unwrap().rows_after_blank, Vec::<usize>::new());
    }
}
