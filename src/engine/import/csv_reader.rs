//! CSV, TSV and TXT tables: the encoding is detected (UTF-8 with or without BOM,
//! UTF-16 with or without BOM, else Windows-1254, which Turkish Excel writes and
//! which covers ISO-8859-9's letters), the delimiter sniffed, quoted fields with
//! line breaks and ragged rows handled.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1254};

use super::reader::{
    ReadOptions, TableReader, clean_headers, find_header_row, looks_like_bomless_utf16, no_header_error, text_columns,
};
use super::table::{RawColumn, RawTable};
use super::{ImportError, Progress};
use crate::engine::message::Message;

pub struct CsvReader;

impl TableReader for CsvReader {
    fn read(&self, bytes: &[u8], options: &ReadOptions, progress: &Progress) -> Result<RawTable, ImportError> {
        let (text, encoding_note) = decode(bytes, options.encoding.as_deref())?;
        if text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}').is_empty() {
            return Err(ImportError::NotATable(Message::new("msg.err_file_empty", Vec::<String>::new())));
        }
        let delimiter = match options.delimiter {
            Some(c) if c.is_ascii() => c as u8,
            _ => sniff_delimiter(&text),
        };
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
    if let Some((encoding, _)) = Encoding::for_bom(bytes) {
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
    match std::str::from_utf8(bytes) {
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

fn parse(text: &str, delimiter: u8, progress: &Progress) -> Result<RawTable, ImportError> {
    let total_bytes = text.len() as u64;
    let mut reader =
        csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(text.as_bytes());

    // The header may sit below a title: look at the first rows before choosing it.
    let mut record = csv::ByteRecord::new();
    let mut first_rows: Vec<Vec<String>> = Vec::new();
    while first_rows.len() < 10 && read_record(&mut reader, &mut record)? {
        first_rows.push(record.iter().map(|f| String::from_utf8_lossy(f).into_owned()).collect());
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

    let rows_hint = usize::try_from(total_bytes / (width as u64 * 8 + 1)).unwrap_or(0).min(50_000_000);
    let mut columns = text_columns(width, rows_hint);
    let (mut blank_rows, mut short_rows, mut long_rows) = (0usize, 0usize, 0usize);
    let mut push =
        |fields: &mut dyn Iterator<Item = &[u8]>, len: usize, columns: &mut Vec<super::table::TextColumnBuilder>| {
            if len < width {
                short_rows += 1;
            } else if len > width {
                long_rows += 1;
            }
            for col in columns.iter_mut() {
                let field = fields.next().unwrap_or_default();
                col.push(field);
            }
        };
    for row in first_rows.iter().skip(header_index + 1) {
        if row.iter().all(|f| f.trim().is_empty()) {
            blank_rows += 1;
            continue;
        }
        push(&mut row.iter().map(String::as_bytes), row.len(), &mut columns);
    }
    let mut rows_read = 0u64;
    while read_record(&mut reader, &mut record)? {
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            blank_rows += 1;
            continue;
        }
        push(&mut record.iter(), record.len(), &mut columns);
        rows_read += 1;
        if rows_read.is_multiple_of(65_536) {
            progress.set_fraction(record.position().map_or(0, csv::Position::byte) as f64 / total_bytes.max(1) as f64);
            if progress.is_cancelled() {
                return Err(ImportError::Cancelled);
            }
        }
    }
    if blank_rows > 0 {
        table.notes.push(Message::new("msg.blank_rows", [blank_rows]));
    }
    if short_rows > 0 {
        table.notes.push(Message::new("msg.short_rows", [short_rows]));
    }
    if long_rows > 0 {
        table.notes.push(Message::new("msg.long_rows", [long_rows]));
    }
    if text.as_bytes().iter().filter(|&&b| b == b'"').count() % 2 == 1 {
        table.notes.push(Message::new("msg.unmatched_quote", Vec::<String>::new()));
    }
    table.columns = columns.into_iter().map(|c| RawColumn::Text(c.finish())).collect();
    Ok(table)
}

fn read_record(reader: &mut csv::Reader<&[u8]>, record: &mut csv::ByteRecord) -> Result<bool, ImportError> {
    reader.read_byte_record(record).map_err(|e| ImportError::NotATable(Message::new("msg.err_not_table", [e])))
}

#[cfg(test)]
mod tests {
    use super::*;

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
