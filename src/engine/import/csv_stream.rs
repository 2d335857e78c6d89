//! Big UTF-8 text files read as a stream of blocks instead of whole: a 600 MB
//! export never sits in memory beside the columns read from it. Blocks end where
//! a record ends (outside quotes), so each parses on its own; they are parsed a
//! few at a time on every core while the next ones are read, and their rows go
//! into columns sized once from the first block. Anything the stream can't take
//! (another encoding, a byte that isn't UTF-8) falls back to the whole-file reader.

use std::io::Read;

use rayon::prelude::*;

use super::csv_reader::{PieceRows, QuoteState, TableStart, delimiter_of, finish_table, piece_reader};
use super::reader::ReadOptions;
use super::table::RawTable;
use super::{ImportError, Progress};

/// Bytes read per block.
pub(super) const BLOCK_BYTES: usize = 8 << 20;

/// What streaming a file gave.
pub(super) enum Streamed {
    Table(RawTable),
    /// Not plain UTF-8 (or empty at the start): read the whole file instead.
    Fallback,
}

enum Failed {
    Import(ImportError),
    Fallback,
}

impl From<ImportError> for Failed {
    fn from(e: ImportError) -> Self {
        Failed::Import(e)
    }
}

/// Reads a text file of `len` bytes from `file`, `block` bytes at a time.
pub(super) fn read_stream(
    file: impl Read + Send,
    len: u64,
    options: &ReadOptions,
    progress: &Progress,
    block: usize,
) -> Result<Streamed, ImportError> {
    match stream(file, len, options, progress, block) {
        Ok(table) => Ok(Streamed::Table(table)),
        Err(Failed::Fallback) => Ok(Streamed::Fallback),
        Err(Failed::Import(e)) => Err(e),
    }
}

fn stream(
    file: impl Read + Send,
    len: u64,
    options: &ReadOptions,
    progress: &Progress,
    block: usize,
) -> Result<RawTable, Failed> {
    let mut blocks = Blocks { file, carry: Vec::new(), delimiter: b',', block, eof: false, ends_in_quotes: false };
    let first = blocks.first(options)?;
    check_utf8(&first)?;

    let start = TableStart::read(&first, blocks.delimiter, |_| 0)?;
    let (mut table, reader) = (start.table, start.reader);
    let width = table.headers.len();
    let first_rows = start.rows.read(&first, reader, progress, None)?;
    // Room for the whole file, from the first block's rows and bytes per column (with
    // a margin: memory set aside but never written costs nothing).
    let scale = |n: usize| (n as f64 * len as f64 / first.len().max(1) as f64 * 1.15) as usize + 4096;
    let mut rows = PieceRows::with_room(
        scale(first_rows.rows()),
        &first_rows.text_lens().into_iter().map(scale).collect::<Vec<_>>(),
    );
    let block_rows = first_rows.rows() + 1024;
    let mut consumed = first.len();
    let mut before = first.last().copied().unwrap_or(b'\n');
    rows.append(first_rows);
    drop(first);

    // A few blocks per core and batch, so that a slow block rarely leaves a core idle.
    let batch_len = 2 * rayon::current_num_threads().max(1);
    let mut batch = blocks.batch(batch_len).map_err(io_error)?;
    let mut parsed: Vec<PieceRows> = Vec::new();
    while !batch.is_empty() {
        if progress.is_cancelled() {
            return Err(ImportError::Cancelled.into());
        }
        let delimiter = blocks.delimiter;
        // Parse this batch on every core while the last one's rows are copied into
        // the columns and the next one is read.
        let (now_parsed, next) = rayon::join(
            || {
                let befores = std::iter::once(before).chain(batch.iter().map(|b| b.last().copied().unwrap_or(b'\n')));
                batch
                    .par_iter()
                    .zip(befores.collect::<Vec<u8>>())
                    .map(|(b, before)| {
                        check_utf8(b)?;
                        let mut piece = PieceRows::new(width, block_rows);
                        piece.before = before;
                        Ok(if memchr::memchr(b'"', b).is_none() {
                            piece.read_unquoted(b, delimiter, progress)?
                        } else {
                            piece.read(b, piece_reader(b, delimiter), progress, None)?
                        })
                    })
                    .collect::<Result<Vec<PieceRows>, Failed>>()
            },
            || {
                for piece in parsed.drain(..) {
                    rows.append(piece);
                }
                blocks.batch(batch_len)
            },
        );
        parsed = now_parsed?;
        consumed += batch.iter().map(Vec::len).sum::<usize>();
        before = batch.last().and_then(|b| b.last().copied()).unwrap_or(before);
        progress.set_fraction(consumed as f64 / len.max(1) as f64);
        batch = next.map_err(io_error)?;
    }
    for piece in parsed {
        rows.append(piece);
    }
    table.delimiter = Some(blocks.delimiter);
    Ok(finish_table(table, rows, blocks.ends_in_quotes))
}

/// Whether `block` holds at least `n` records.
fn records_at_least(block: &[u8], delimiter: u8, n: usize) -> bool {
    let mut reader = piece_reader(block, delimiter);
    let mut record = csv::ByteRecord::new();
    (0..n).all(|_| reader.read_byte_record(&mut record).unwrap_or(false))
}

fn check_utf8(block: &[u8]) -> Result<(), Failed> {
    simdutf8::basic::from_utf8(block).map(|_| ()).map_err(|_| Failed::Fallback)
}

fn io_error(e: std::io::Error) -> Failed {
    Failed::Import(ImportError::NotATable(crate::engine::message::Message::new("msg.err_not_table", [e])))
}

/// A file cut into blocks that each end where a record ends.
struct Blocks<R> {
    file: R,
    /// Read past the last block's end: the start of the next one.
    carry: Vec<u8>,
    delimiter: u8,
    block: usize,
    eof: bool,
    /// The file ended inside a quoted field.
    ends_in_quotes: bool,
}

impl<R: Read> Blocks<R> {
    /// The first block, holding the first ten records (among which the header is
    /// looked for) or the whole file; the delimiter is sniffed from the first lines,
    /// as for a whole file.
    fn first(&mut self, options: &ReadOptions) -> Result<Vec<u8>, Failed> {
        let mut head = Vec::new();
        self.fill(&mut head, self.block.max(1 << 20)).map_err(io_error)?;
        let head = head.strip_prefix(b"\xEF\xBB\xBF").map(<[u8]>::to_vec).unwrap_or(head);
        let line_end = match memchr::memrchr(b'\n', &head) {
            Some(i) if !self.eof => i + 1,
            _ => head.len(),
        };
        let text = simdutf8::basic::from_utf8(&head[..line_end]).map_err(|_| Failed::Fallback)?;
        if text.trim().is_empty() {
            return Err(Failed::Fallback);
        }
        self.delimiter = delimiter_of(text, options);
        self.carry = head;
        let mut want = self.block;
        loop {
            let first = self.next_sized(want).map_err(io_error)?.ok_or(Failed::Fallback)?;
            let last = self.eof && self.carry.is_empty();
            if last || records_at_least(&first, self.delimiter, 11) {
                return Ok(first);
            }
            want = want.max(first.len()) * 2;
            self.carry = [first, std::mem::take(&mut self.carry)].concat();
        }
    }

    /// Reads until `buf` holds `want` bytes or the file ends.
    fn fill(&mut self, buf: &mut Vec<u8>, want: usize) -> std::io::Result<()> {
        while buf.len() < want && !self.eof {
            let missing = want - buf.len();
            let read = (&mut self.file).take(missing as u64).read_to_end(buf)?;
            self.eof = read == 0;
        }
        Ok(())
    }

    /// The next block, `None` at the end of the file.
    fn next(&mut self) -> std::io::Result<Option<Vec<u8>>> {
        self.next_sized(self.block)
    }

    /// The next block, of at most `size` bytes unless one record is longer.
    fn next_sized(&mut self, size: usize) -> std::io::Result<Option<Vec<u8>>> {
        let mut buf = std::mem::take(&mut self.carry);
        let mut want = size.max(1);
        loop {
            self.fill(&mut buf, want)?;
            if self.eof && buf.len() <= want {
                if buf.is_empty() {
                    return Ok(None);
                }
                let mut quotes = QuoteState::new(&buf, self.delimiter);
                quotes.advance_to(buf.len());
                self.ends_in_quotes = quotes.open;
                return Ok(Some(buf));
            }
            let limit = want.min(buf.len());
            if let Some(cut) = last_record_end(&buf[..limit], self.delimiter) {
                self.carry = buf[cut..].to_vec();
                buf.truncate(cut);
                return Ok(Some(buf));
            }
            // No record ends within the tail looked at: look further.
            want = limit * 2;
        }
    }

    /// Up to `n` blocks.
    fn batch(&mut self, n: usize) -> std::io::Result<Vec<Vec<u8>>> {
        let mut blocks = Vec::with_capacity(n);
        while blocks.len() < n {
            match self.next()? {
                Some(b) => blocks.push(b),
                None => break,
            }
        }
        Ok(blocks)
    }
}

/// Where the last whole record of `buf` ends: after the last line end outside
/// quotes within the final megabyte, moved before any empty lines (they belong to
/// the rows after them, where a second table may start). The next block starts
/// right after the cut.
fn last_record_end(buf: &[u8], delimiter: u8) -> Option<usize> {
    let tail = buf.len().saturating_sub(1 << 20);
    let mut quotes = QuoteState::new(buf, delimiter);
    quotes.advance_to(tail);
    let mut cut = None;
    for newline in memchr::memchr_iter(b'\n', &buf[tail..]).map(|i| tail + i) {
        quotes.advance_to(newline);
        if !quotes.open {
            cut = Some(newline + 1);
        }
    }
    let cut = cut?;
    // The last byte of a record: the cut goes right after its line end (after the
    // `\r` of a `\r\n`, where the csv reader stops too). Only line ends follow it,
    // so the quote state there is the one at `cut`.
    let last = buf[..cut].iter().rposition(|b| !matches!(b, b'\n' | b'\r'))?;
    Some((last + 2).min(cut))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::import::table::RawColumn;
    use proptest::strategy::Strategy;

    fn cells(table: &RawTable) -> Vec<Vec<String>> {
        table
            .columns
            .iter()
            .map(|c| match c {
                RawColumn::Text(t) => (0..t.len()).map(|i| t.get(i).to_owned()).collect(),
                RawColumn::Cells(_) => Vec::new(),
            })
            .collect()
    }

    fn whole(text: &str) -> RawTable {
        use crate::engine::import::reader::TableReader;
        crate::engine::import::csv_reader::CsvReader
            .read(text.as_bytes(), &ReadOptions::default(), &Progress::default())
            .expect("whole")
    }

    fn streamed(text: &str, block: usize) -> RawTable {
        let bytes = text.as_bytes();
        match read_stream(bytes, bytes.len() as u64, &ReadOptions::default(), &Progress::default(), block) {
            Ok(Streamed::Table(t)) => t,
            Ok(Streamed::Fallback) => panic!("fell back"),
            Err(e) => panic!("{e}"),
        }
    }

    proptest::proptest! {
        /// Streamed in blocks of any size, a file reads exactly as it does whole:
        /// cells, notes (blank, short and long rows, an unmatched quote) and the rows
        /// after empty lines.
        #[test]
        fn blocks_read_like_the_whole_file(
            lines in proptest::collection::vec(
                proptest::prop_oneof![
                    4 => proptest::collection::vec(
                        proptest::prop_oneof![
                            "[a-cş ]{0,3}",
                            "\"[a-c,\n ]{0,4}(\"\"[a\n]{0,2})?\"",
                            "[a-c]{1,2}\"[a-c]?",
                        ],
                        1..5,
                    ).prop_map(|f| f.join(",")),
                    1 => proptest::prop_oneof!["", "\r", ",,"],
                ],
                1..40,
            ),
            tail in proptest::prop_oneof!["", "\"a\nb,c\n", "x,\"\n\"y"],
            block in 1usize..64,
            crlf: bool,
        ) {
            let end = if crlf { "\r\n" } else { "\n" };
            let mut text = String::from("id,name,city,note");
            text.push_str(end);
            for line in &lines {
                text.push_str(line);
                text.push_str(end);
            }
            text.push_str(&tail);
            let (a, b) = (whole(&text), streamed(&text, block));
            proptest::prop_assert_eq!(&a.headers, &b.headers);
            proptest::prop_assert_eq!(cells(&a), cells(&b));
            proptest::prop_assert_eq!(&a.rows_after_blank, &b.rows_after_blank);
            proptest::prop_assert_eq!(
                a.notes.iter().map(ToString::to_string).collect::<Vec<_>>(),
                b.notes.iter().map(ToString::to_string).collect::<Vec<_>>()
            );
            proptest::prop_assert_eq!(a.delimiter, b.delimiter);
        }
    }

    proptest::proptest! {
        /// Blocks without quotes are split without the csv parser: every mix of
        /// line ends, empty lines, blank and ragged rows reads as the parser reads it.
        #[test]
        fn blocks_without_quotes_read_like_the_parser(
            lines in proptest::collection::vec(("[a-c ,ş]{0,6}", proptest::prop_oneof!["\n", "\r\n", "\r"]), 1..60),
            block in 1usize..32,
        ) {
            let mut text = String::from("id,name,city\n");
            for (line, end) in &lines {
                text.push_str(line);
                text.push_str(end);
            }
            let (a, b) = (whole(&text), streamed(&text, block));
            proptest::prop_assert_eq!(cells(&a), cells(&b));
            proptest::prop_assert_eq!(&a.rows_after_blank, &b.rows_after_blank);
            proptest::prop_assert_eq!(
                a.notes.iter().map(ToString::to_string).collect::<Vec<_>>(),
                b.notes.iter().map(ToString::to_string).collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn a_file_that_is_not_utf8_further_on_is_read_whole() {
        let mut bytes = b"id,name\n".to_vec();
        for i in 0..2000 {
            bytes.extend_from_slice(format!("{i},Ayse\n").as_bytes());
        }
        bytes.extend_from_slice(b"2000,\xDEule\n"); // Windows-1254 "Şule"
        let read = read_stream(&bytes[..], bytes.len() as u64, &ReadOptions::default(), &Progress::default(), 256);
        assert!(matches!(read, Ok(Streamed::Fallback)));
    }

    /// Found by the csv_stream fuzz target: a small file read whole at once still
    /// came in blocks, and the header was looked for in the first block only.
    #[test]
    fn the_header_is_looked_for_in_the_first_ten_records_of_a_small_file() {
        let text = "Email,,TEmail,NameSpen+\na\nexample.com,Alk,1mple.com,Ali,10\n\t\t\t\t\t\t\t\t\tlt Address \
                    Address1,Default Address Addre0.00,2,,no,,yes,Demir \0\0Name,Total Spent*a@example.com,esal\"e\n\
                    Ali,1\n0b@example.com,Boral,s\n\n";
        let (a, b) = (whole(text), streamed(text, 161));
        assert_eq!(a.headers, ["example.com", "Alk", "1mple.com", "Ali", "10"]);
        assert_eq!(a.headers, b.headers);
        assert_eq!(cells(&a), cells(&b));
    }

    #[test]
    fn a_byte_order_mark_is_dropped() {
        let text = "\u{feff}id,name\n1,Ayşe\n2,Bora\n";
        let table = streamed(text, 8);
        assert_eq!(table.headers, ["id", "name"]);
        assert_eq!(cells(&table), [["1", "2"], ["Ayşe", "Bora"]]);
    }
}
