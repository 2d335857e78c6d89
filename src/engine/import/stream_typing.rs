//! A big orders file typed block by block: once the first rows have shown each
//! canonical column's conventions (the decimal separator from its first 5,000
//! numbers, the day/month order from its first 200,000 dates), every later block's
//! cells are typed as soon as they are parsed, so the text of a 5-million-line
//! orders file is never whole in memory. The result is the table the whole-file
//! path gives, cell for cell and note for note: a column whose first rows don't
//! hold every value its decision looks at, and every custom column (whose type is
//! inferred from a sample of the whole file), stays text until the end and is
//! typed as before; a blank row after the first rows (where a second table could
//! start) sends the file back to the whole-file path. Customers files are read
//! whole as text, then typed (see `SourceTyping::start` for why).

use polars::prelude::*;
use rayon::prelude::*;

use super::columns::{ColumnReading, ParseContext, ParsedColumn};
use super::csv_stream::{BlockTyping, Keep};
use super::mapping::{ColumnTarget, auto_map};
use super::table::{RawColumn, RawTable};
use super::{ColumnInfo, ImportError, LoadedSource, SourceSpec, assemble, new_report, parse_context, parse_planned};
use super::{plan_columns, reading_type};
use crate::engine::fields::{FieldType, SourceKind, canonical_field};

/// A piece's typed columns, one slot per column of the file (`None` when not typed
/// block by block), each with its count of "no value" spellings.
pub(super) type TypedPiece = Vec<Option<(ParsedColumn, usize)>>;

/// How a source's columns are typed while it streams.
pub(super) struct SourceTyping<'a> {
    spec: &'a SourceSpec,
    /// Per column of the file: its name and reading when typed block by block.
    readings: Vec<Option<(String, ColumnReading)>>,
}

impl<'a> SourceTyping<'a> {
    pub(super) fn new(spec: &'a SourceSpec) -> Self {
        Self { spec, readings: Vec::new() }
    }

    /// The loaded source from a streamed table: the typed pieces put together, the
    /// columns kept as text typed now, and the report the whole-file path writes.
    pub(super) fn load(
        &self,
        mut table: RawTable,
        height: usize,
        keep: &[Keep],
        mut pieces: Vec<TypedPiece>,
    ) -> Result<LoadedSource, ImportError> {
        let ctx = parse_context(self.spec, &table);
        let mut report = new_report(self.spec, &table, height);
        let plan = plan_columns(self.spec, &table, ctx, &mut report);
        let typed = |i: usize| keep.get(i) == Some(&Keep::Typed);
        let as_text: Vec<(usize, ColumnInfo)> = plan.iter().filter(|(i, _)| !typed(*i)).cloned().collect();
        let mut from_text = parse_planned(self.spec, std::mem::take(&mut table.columns), &as_text, ctx).into_iter();
        let mut parsed = Vec::with_capacity(plan.len());
        for (i, _) in &plan {
            let column = if typed(*i) {
                joined(pieces.iter_mut().filter_map(|piece| piece.get_mut(*i)?.take()))?
            } else {
                from_text.next()
            };
            parsed.push(column.ok_or_else(|| {
                ImportError::Invalid(crate::engine::message::Message::new(
                    "msg.err_not_table",
                    ["a streamed column is missing"],
                ))
            })?);
        }
        assemble(self.spec, height, &plan, parsed, report)
    }
}

/// One column from its pieces, in order. Text and categories keep a chunk per
/// piece: everything read from an orders file's text is taken or gathered row by
/// row, and copying it whole again would cost as much as reading it. Numbers and
/// dates become one chunk (folding reads them in place); ids read as numbers stay
/// in pieces (folding reads them once, in order). Ids read as numbers in some
/// pieces and as text in others become text, as the whole file would be read.
fn joined(pieces: impl Iterator<Item = (ParsedColumn, usize)>) -> PolarsResult<Option<(ParsedColumn, usize)>> {
    let mut pieces: Vec<(ParsedColumn, usize)> = pieces.collect();
    if pieces.iter().any(|(p, _)| p.series.dtype() == &DataType::String) {
        for (piece, _) in pieces.iter_mut().filter(|(p, _)| p.series.dtype() == &DataType::UInt64) {
            piece.series = piece.series.cast(&DataType::String)?;
        }
    }
    let mut pieces = pieces.into_iter();
    let Some((mut column, mut missing)) = pieces.next() else { return Ok(None) };
    for (piece, piece_missing) in pieces {
        column.append(piece)?;
        missing += piece_missing;
    }
    let dtype = column.series.dtype();
    if (dtype.is_primitive_numeric() && dtype != &DataType::UInt64) || dtype.is_temporal() {
        column.series = column.series.rechunk();
    }
    Ok(Some((column, missing)))
}

impl BlockTyping for SourceTyping<'_> {
    type Chunk = TypedPiece;

    fn start(&mut self, head: &RawTable) -> Vec<Keep> {
        if self.spec.kind != SourceKind::Orders {
            // Measured at 10M customers: their id and e-mail columns would need one
            // more whole copy to become one chunk, which costs more memory than the
            // text saved (peak 1.6 GB typed as they stream against 1.4 GB read whole).
            return vec![Keep::Text; head.headers.len()];
        }
        let ctx = parse_context(self.spec, head);
        let targets = auto_map(&head.headers, self.spec.kind, &self.spec.mapping);
        self.readings = head
            .columns
            .iter()
            .zip(&head.headers)
            .zip(&targets)
            .map(|((column, header), target)| {
                // Canonical fields have their type; custom ones are inferred from the whole file.
                let ColumnTarget::Field(id) = target else { return None };
                let ty = canonical_field(self.spec.kind, id).map_or(FieldType::Text, |f| f.ty);
                let info = ColumnInfo { header: header.clone(), name: id.clone(), ty, canonical: true };
                let (ty, ctx): (FieldType, ParseContext) = reading_type(self.spec, &info, ctx);
                Some((info.name, ColumnReading::from_head(column, ty, ctx)?))
            })
            .collect();
        targets
            .iter()
            .zip(&self.readings)
            .map(|(target, reading)| match (target, reading) {
                (ColumnTarget::Ignore, _) => Keep::Drop,
                (_, Some(_)) => Keep::Typed,
                (_, None) => Keep::Text,
            })
            .collect()
    }

    fn type_piece(&self, columns: &[Option<RawColumn>]) -> TypedPiece {
        columns
            .par_iter()
            .zip(&self.readings)
            .map(|(column, reading)| {
                let (column, (name, reading)) = (column.as_ref()?, reading.as_ref()?);
                Some((reading.read(name, column), column.missing_spellings()))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Write;

    use super::*;
    use crate::engine::import::reader::{SourceRead, read_table_bytes, read_table_streaming};
    use crate::engine::import::{Progress, load_raw};

    /// An orders export with Turkish conventions and the mess of real ones: decimal
    /// commas, dd.mm.yyyy and ambiguous slash dates, "no value" spellings, cells that
    /// don't parse (some only far down the file), a custom number and a free-text column.
    fn orders_text(rows: usize, blank_at: Option<usize>) -> String {
        let mut text = String::from("Sipariş No;Müşteri No;Tarih;Tutar;Durum;Ürün;Puan;Not\n");
        for i in 0..rows {
            let date = match i % 97 {
                0 => "NA".to_owned(),
                1 => format!("{:02}/0{}/2025", 1 + i % 12, 1 + i % 9),
                _ => format!("{:02}.{:02}.202{}", 1 + i % 28, 1 + i % 12, 3 + i % 3),
            };
            let total = match i % 211 {
                0 => String::new(),
                5 if i > rows / 2 => "yok".to_owned(),
                _ => format!("{}.{:03},{:02}", i % 7, i % 1000, i % 100),
            };
            let status = ["paid", "Ödendi", "iptal", "refunded"][i % 4];
            let note = if i % 13 == 0 { "-".to_owned() } else { format!("not {}", i % 5000) };
            let score = if i == rows - 3 { "çok".to_owned() } else { (i % 17).to_string() };
            let _ =
                writeln!(text, "{};{};{date};{total};{status};Ürün {};{score};{note}", 1000 + i / 2, i % 9000, i % 40);
            if blank_at == Some(i) {
                text.push_str(";;;;;;;\n");
            }
        }
        text
    }

    fn whole(spec: &SourceSpec) -> LoadedSource {
        let bytes = std::fs::read(&spec.path).unwrap();
        let raw = read_table_bytes(&bytes, &spec.path, &spec.options, &Progress::default()).unwrap();
        load_raw(spec, raw, &Progress::default()).unwrap()
    }

    /// The source streamed in 64 KiB blocks, typed after `head_rows` rows; whether
    /// it came back typed.
    fn streamed(spec: &SourceSpec, head_rows: usize) -> (LoadedSource, Vec<Keep>) {
        let mut typing = SourceTyping::new(spec);
        let progress = Progress::default();
        match read_table_streaming(&spec.path, &spec.options, &progress, 0, 1 << 16, head_rows, &mut typing).unwrap() {
            SourceRead::Raw(raw) => (load_raw(spec, raw, &progress).unwrap(), Vec::new()),
            SourceRead::Typed { table, height, keep, chunks } => {
                (typing.load(table, height, &keep, chunks).unwrap(), keep)
            }
        }
    }

    fn same(a: &LoadedSource, b: &LoadedSource) {
        assert_eq!(a.df.get_column_names(), b.df.get_column_names());
        for (x, y) in a.df.columns().iter().zip(b.df.columns()) {
            assert_eq!(x.dtype(), y.dtype(), "{}", x.name());
            assert!(x.as_materialized_series().equals_missing(y.as_materialized_series()), "{} differs", x.name());
        }
        assert_eq!(serde_json::to_value(&a.report).unwrap(), serde_json::to_value(&b.report).unwrap());
    }

    #[test]
    fn a_big_file_typed_block_by_block_loads_as_it_does_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("siparisler.csv");
        std::fs::write(&path, orders_text(215_000, None)).unwrap();
        let spec = SourceSpec::new(SourceKind::Orders, &path);
        let expected = whole(&spec);
        // The report has what the test is about: unparsed totals far down the file,
        // missing values, ambiguous dates, the thousands reading of `1.234`.
        assert!(expected.report.unparsed.iter().any(|u| u.column == "Tutar" && u.examples == ["yok"]));
        assert!(expected.report.unparsed.iter().any(|u| u.column == "Puan"));
        assert!(!expected.report.missing_values.is_empty());
        assert_eq!(expected.df.height(), 215_000);

        let (typed, keep) = streamed(&spec, 204_000);
        // Ids, date, total, status and product typed as they stream; the custom columns
        // stay text (their type is inferred from the whole file).
        assert_eq!(keep[..6], [Keep::Typed; 6]);
        assert_eq!(keep[6..], [Keep::Text, Keep::Text]);
        same(&expected, &typed);

        // With fewer than 200,000 dates in the first rows, the date column waits for
        // the whole file; the rest is still typed on the way.
        let (typed, keep) = streamed(&spec, 50_000);
        assert_eq!(keep[2], Keep::Text);
        assert_eq!(keep[3], Keep::Typed);
        same(&expected, &typed);
    }

    #[test]
    fn ids_read_as_numbers_become_text_when_a_later_block_has_one_that_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("siparisler.csv");
        let text = orders_text(215_000, None);
        std::fs::write(&path, &text).unwrap();
        let spec = SourceSpec::new(SourceKind::Orders, &path);
        let (typed, keep) = streamed(&spec, 204_000);
        assert_eq!(keep[..2], [Keep::Typed; 2]);
        // Every order and customer id is a plain number: both are read as numbers.
        for id in ["order_id", "customer_id"] {
            assert_eq!(typed.df.column(id).unwrap().dtype(), &DataType::UInt64, "{id}");
        }
        same(&whole(&spec), &typed);

        // One order id far past the first rows is not a number: the column is text,
        // as the whole file reads it, and the ids read as numbers are the same text.
        std::fs::write(&path, text.replacen("\n106000;", "\n#106000;", 1)).unwrap();
        let (typed, _) = streamed(&spec, 204_000);
        let ids = typed.df.column("order_id").unwrap();
        assert_eq!(ids.dtype(), &DataType::String);
        assert_eq!(ids.str().unwrap().get(0), Some("1000"));
        assert_eq!(ids.str().unwrap().get(210_000), Some("#106000"));
        assert_eq!(typed.df.column("customer_id").unwrap().dtype(), &DataType::UInt64);
        same(&whole(&spec), &typed);
    }

    #[test]
    fn a_blank_row_after_the_first_rows_reads_the_file_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("siparisler.csv");
        std::fs::write(&path, orders_text(30_000, Some(25_000))).unwrap();
        let spec = SourceSpec::new(SourceKind::Orders, &path);
        let (streamed, keep) = streamed(&spec, 10_000);
        assert!(keep.is_empty(), "read whole");
        same(&whole(&spec), &streamed);
    }

    /// An ignored first column, and no column the first rows can type: everything
    /// stays text, the ignored column included (the table's height is its first column's).
    #[test]
    fn an_ignored_column_stays_whole_when_nothing_is_typed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("siparisler.csv");
        let mut text = String::from("Kod;Tutar;Not\n");
        for i in 0..30_000 {
            let total = if i % 100 == 0 { format!("{i},50") } else { String::new() };
            let _ = writeln!(text, "K{i};{total};not {}", i % 7);
        }
        std::fs::write(&path, text).unwrap();
        let mut spec = SourceSpec::new(SourceKind::Orders, &path);
        spec.mapping.push(super::super::mapping::MappingOverride::parse("Kod=ignore", SourceKind::Orders).unwrap());
        let (streamed, keep) = streamed(&spec, 10_000);
        assert!(keep.is_empty(), "nothing typed");
        assert_eq!(streamed.df.height(), 30_000);
        same(&whole(&spec), &streamed);
    }
}
