//! Turns raw columns into typed polars columns. Canonical fields have a fixed type;
//! custom columns get one inferred from their values. Cells that do not parse become
//! empty and are counted, with examples, for the import report.

use std::borrow::Cow;

use chrono::NaiveDate;
use polars::prelude::*;

use super::parse::{
    DateStyle, DayMonthOrder, DecimalSeparator, NumberStyle, clean_identifier, excel_serial_to_date, parse_bool,
    parse_compact_date, parse_tags,
};
use super::table::{CellRef, RawColumn};
use crate::engine::fields::FieldType;

/// Values looked at when inferring a custom column's type.
const INFER_SAMPLE: usize = 20_000;

/// Per-file context that decides defaults for unclear conventions.
#[derive(Debug, Clone, Copy)]
pub struct ParseContext {
    /// Used when a column's values don't show their decimal separator.
    pub decimal_fallback: DecimalSeparator,
    /// The user chose the decimal separator: it also decides `1.250`.
    pub decimal_chosen: bool,
    /// Used when a column's dates don't show whether the day or month is first.
    pub date_fallback: DayMonthOrder,
    /// Category columns are typed as categories (the customers file's city, channel …:
    /// what the customer table keeps), not as text.
    pub categories: bool,
    /// Id columns whose every value is a plain number (see [`read_keys`]) are read
    /// as numbers: an orders file's order and customer ids.
    pub keys: bool,
}

/// A typed column and what went wrong while parsing it.
#[derive(Debug, Clone)]
pub struct ParsedColumn {
    pub series: Series,
    pub ty: FieldType,
    pub unparsed: usize,
    pub examples: Vec<String>,
    /// Set when a date column's day/month order had to be assumed.
    pub ambiguous_dates: Option<DayMonthOrder>,
    /// Set when a number column's values (like `1.250`) could be read two ways:
    /// an example as written and the number it was read as.
    pub number_reading: Option<(String, f64)>,
}

/// Days from 0001-01-01 (chrono's CE day) to 1970-01-01, polars' date epoch.
const UNIX_EPOCH_CE_DAYS: i32 = 719_163;

pub fn date_to_days(date: NaiveDate) -> i32 {
    use chrono::Datelike;
    date.num_days_from_ce() - UNIX_EPOCH_CE_DAYS
}

pub fn days_to_date(days: i32) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(days + UNIX_EPOCH_CE_DAYS)
}

struct Problems {
    count: usize,
    examples: Vec<String>,
}

impl Problems {
    fn new() -> Self {
        Self { count: 0, examples: Vec::new() }
    }

    fn add(&mut self, cell: CellRef<'_>) {
        self.count += 1;
        if self.examples.len() < 3
            && let Some(t) = cell.as_text()
        {
            let t: String = t.chars().take(40).collect();
            if !self.examples.contains(&t) {
                self.examples.push(t);
            }
        }
    }
}

/// Number cells looked at to decide a column's decimal separator.
const NUMBER_SAMPLE: usize = 5_000;
/// Date cells looked at to decide a column's day/month order.
const DATE_SAMPLE: usize = 200_000;

/// How a column's cells are read: its type and the conventions its values show,
/// decided from the whole column, or from a big file's first rows when they hold
/// every value the decision looks at (then each later block is read the same way).
#[derive(Debug, Clone)]
pub struct ColumnReading {
    ty: FieldType,
    categories: bool,
    keys: bool,
    number: Option<NumberStyle>,
    dates: Option<DateStyle>,
    number_reading: Option<(String, f64)>,
}

impl ColumnReading {
    /// Decided from the whole column.
    pub fn decide(raw: &RawColumn, ty: FieldType, ctx: ParseContext) -> Self {
        let mut reading =
            Self { ty, categories: ctx.categories, keys: ctx.keys, number: None, dates: None, number_reading: None };
        match ty {
            FieldType::Number | FieldType::Money | FieldType::Integer => {
                let style = number_style(raw, ctx);
                if style.ambiguous.is_some() {
                    let example = raw.texts().find(|t| t.contains(['.', ','])).map(|t| t.into_owned());
                    reading.number_reading = example.and_then(|e| style.parse(&e).map(|v| (e, v)));
                }
                reading.number = Some(style);
            }
            FieldType::Date => {
                let texts: Vec<Cow<'_, str>> = raw.texts().take(DATE_SAMPLE).collect();
                reading.dates = Some(DateStyle::detect(texts.iter().map(AsRef::as_ref), ctx.date_fallback));
            }
            _ => {}
        }
        reading
    }

    /// Decided from the first rows of a column of text, when they hold every value
    /// the decision looks at: the first 5,000 numbers, the first 200,000 dates.
    pub fn from_head(head: &RawColumn, ty: FieldType, ctx: ParseContext) -> Option<Self> {
        let enough = match (ty, head) {
            (FieldType::Number | FieldType::Money | FieldType::Integer, RawColumn::Text(t)) => {
                (0..t.len()).filter(|&i| !t.get(i).is_empty()).take(NUMBER_SAMPLE).count() == NUMBER_SAMPLE
            }
            (FieldType::Date, RawColumn::Text(_)) => head.texts().take(DATE_SAMPLE).count() == DATE_SAMPLE,
            (_, RawColumn::Text(_)) => true,
            (_, RawColumn::Cells(_)) => false,
        };
        enough.then(|| Self::decide(head, ty, ctx))
    }

    /// Reads the cells of the column, or of a piece of it.
    pub fn read(&self, name: &str, raw: &RawColumn) -> ParsedColumn {
        let name = PlSmallStr::from_str(name);
        let mut problems = Problems::new();
        let ty = self.ty;
        let series = match ty {
            FieldType::Category if self.categories => category_series(name, raw),
            FieldType::Text if self.keys => read_keys(name, raw),
            FieldType::Text | FieldType::Category => text_series(name, raw),
            FieldType::Number | FieldType::Money | FieldType::Integer => {
                let style = self.number.unwrap_or(NumberStyle { decimal: DecimalSeparator::Point, ambiguous: None });
                number_series(name, raw, ty, style, &mut problems)
            }
            FieldType::Date => {
                let style = self.dates.unwrap_or(DateStyle { order: DayMonthOrder::DayFirst, ambiguous: false });
                date_series(name, raw, style, &mut problems)
            }
            FieldType::Bool => bool_series(name, raw, &mut problems),
            FieldType::List => {
                let n = raw.len();
                let mut lists = ListStringChunkedBuilder::new(name, n, n * 2);
                for i in 0..n {
                    match raw.get(i).as_text() {
                        Some(t) => lists.append_values_iter(parse_tags(&t).iter().map(String::as_str)),
                        None => lists.append_null(),
                    }
                }
                lists.finish().into_series()
            }
        };
        ParsedColumn {
            series,
            ty,
            unparsed: problems.count,
            examples: problems.examples,
            ambiguous_dates: self.dates.filter(|d| d.ambiguous).map(|d| d.order),
            number_reading: self.number_reading.clone(),
        }
    }
}

impl ParsedColumn {
    /// Adds the rows of a later piece of the same column, read the same way.
    pub fn append(&mut self, later: ParsedColumn) -> PolarsResult<()> {
        self.series.append_owned(later.series)?;
        self.unparsed += later.unparsed;
        for example in later.examples {
            if self.examples.len() < 3 && !self.examples.contains(&example) {
                self.examples.push(example);
            }
        }
        Ok(())
    }
}

/// Parses a column as the given type.
pub fn parse_column(name: &str, raw: &RawColumn, ty: FieldType, ctx: ParseContext) -> ParsedColumn {
    ColumnReading::decide(raw, ty, ctx).read(name, raw)
}

fn text_series(name: PlSmallStr, raw: &RawColumn) -> Series {
    let ca: StringChunked = (0..raw.len())
        .map(|i| match raw.get(i) {
            CellRef::Text(t) => {
                let t = clean_identifier(t);
                (!t.is_empty()).then_some(Cow::Borrowed(t))
            }
            other => other.as_text(),
        })
        .collect();
    ca.with_name(name).into_series()
}

/// An id column as unsigned numbers when every value, read as [`text_series`]
/// reads it, is a plain number ([`crate::engine::keys::as_number`]: no leading zero,
/// at most 19 digits), else as text. Written back as text each number is the id as
/// read. Order and customer ids of a big orders file are mostly such numbers: 8
/// bytes a line instead of a 16-byte view, and folding reads them without parsing.
/// A streamed file's pieces may come out differently; joining them makes them text.
fn read_keys(name: PlSmallStr, raw: &RawColumn) -> Series {
    let mut numbers: Vec<Option<u64>> = Vec::with_capacity(raw.len());
    for i in 0..raw.len() {
        let number = match raw.get(i) {
            CellRef::Empty => None,
            CellRef::Text(t) => match clean_identifier(t) {
                "" => None,
                t => Some(crate::engine::keys::as_number(t)),
            },
            other => other.as_text().map(|t| crate::engine::keys::as_number(&t)),
        };
        match number {
            None => numbers.push(None),
            Some(Some(v)) => numbers.push(Some(v)),
            Some(None) => return text_series(name, raw),
        }
    }
    UInt64Chunked::from_iter_options(name, numbers.into_iter()).into_series()
}

/// A category column as categories ([`crate::engine::fields::line_text_type`]): 4 bytes
/// a row instead of a 16-byte view, the same values [`text_series`] reads. Each
/// distinct text is looked up in the global categories once; rows find it in a local map.
fn category_series(name: PlSmallStr, raw: &RawColumn) -> Series {
    let dtype = crate::engine::fields::line_text_type();
    let DataType::Categorical(_, mapping) = &dtype else { return text_series(name, raw) };
    let mut local: foldhash::HashMap<&str, u32> = foldhash::HashMap::default();
    let codes: UInt32Chunked = (0..raw.len())
        .map(|i| match raw.get(i) {
            CellRef::Text(t) => {
                let t = clean_identifier(t);
                if t.is_empty() {
                    return None;
                }
                if let Some(code) = local.get(t) {
                    return Some(*code);
                }
                let code = mapping.insert_cat(t).ok()?;
                local.insert(t, code);
                Some(code)
            }
            other => mapping.insert_cat(&other.as_text()?).ok(),
        })
        .collect();
    Categorical32Chunked::from_cats_and_dtype(codes.with_name(name), dtype.clone()).into_series()
}

fn number_series(
    name: PlSmallStr,
    raw: &RawColumn,
    ty: FieldType,
    style: NumberStyle,
    problems: &mut Problems,
) -> Series {
    let values = (0..raw.len()).map(|i| {
        let cell = raw.get(i);
        let v = match cell {
            CellRef::Empty => return None,
            CellRef::Number(v) => Some(v),
            CellRef::Bool(b) => Some(f64::from(u8::from(b))),
            CellRef::Text(t) => style.parse(t),
            CellRef::DateTime(_) => None,
        };
        if v.is_none() {
            problems.add(cell);
        }
        v
    });
    if ty == FieldType::Integer {
        let ca: Int64Chunked = values.map(|v| v.map(|v| v.round() as i64)).collect();
        ca.with_name(name).into_series()
    } else {
        let ca: Float64Chunked = values.collect();
        ca.with_name(name).into_series()
    }
}

/// A date column read in the given style.
fn date_series(name: PlSmallStr, raw: &RawColumn, style: DateStyle, problems: &mut Problems) -> Series {
    let ca: Int32Chunked = (0..raw.len())
        .map(|i| {
            let cell = raw.get(i);
            let d = match cell {
                CellRef::Empty => return None,
                CellRef::DateTime(dt) => Some(dt.date()),
                CellRef::Number(v) => number_as_date(v),
                CellRef::Text(t) => style.parse(t),
                CellRef::Bool(_) => None,
            };
            if d.is_none() {
                problems.add(cell);
            }
            d.map(date_to_days)
        })
        .collect();
    ca.with_name(name).into_date().into_series()
}

fn bool_series(name: PlSmallStr, raw: &RawColumn, problems: &mut Problems) -> Series {
    let ca: BooleanChunked = (0..raw.len())
        .map(|i| {
            let cell = raw.get(i);
            let b = match cell {
                CellRef::Empty => return None,
                CellRef::Bool(b) => Some(b),
                CellRef::Number(v) => (v == 0.0 || v == 1.0).then_some(v == 1.0),
                CellRef::Text(t) => parse_bool(t),
                CellRef::DateTime(_) => None,
            };
            if b.is_none() {
                problems.add(cell);
            }
            b
        })
        .collect();
    ca.with_name(name).into_series()
}

/// How a number column writes its numbers. Values like `1.250` (and no value
/// that tells otherwise) mean thousands unless the user chose the separator: a
/// decimal point with exactly three decimals is rare in shop exports, while
/// `1.250` for one thousand two hundred fifty is how Turkish sheets write it.
fn number_style(raw: &RawColumn, ctx: ParseContext) -> NumberStyle {
    let mut style = detect_number_style(raw, ctx);
    if style.ambiguous == Some('.') && !ctx.decimal_chosen {
        style.decimal = DecimalSeparator::Comma;
    }
    style
}

fn detect_number_style(raw: &RawColumn, ctx: ParseContext) -> NumberStyle {
    match raw {
        RawColumn::Text(t) => {
            NumberStyle::detect((0..t.len()).map(|i| t.get(i)).filter(|s| !s.is_empty()), ctx.decimal_fallback)
        }
        RawColumn::Cells(_) => {
            let texts: Vec<Cow<'_, str>> = (0..raw.len())
                .filter_map(|i| match raw.get(i) {
                    CellRef::Text(t) => Some(Cow::Borrowed(t)),
                    _ => None,
                })
                .take(5_000)
                .collect();
            NumberStyle::detect(texts.iter().map(AsRef::as_ref), ctx.decimal_fallback)
        }
    }
}

/// A number in a date column: an Excel serial day, or `yyyymmdd` written as a number.
fn number_as_date(v: f64) -> Option<NaiveDate> {
    if v.fract() == 0.0 && (19_000_101.0..=21_001_231.0).contains(&v) {
        return parse_compact_date(&(v as i64).to_string());
    }
    excel_serial_to_date(v)
}

/// Infers the type of a custom column from its values; the header gives hints
/// (a "Tarih" column of `20260405` values is a date, a "Tags" column a list).
pub fn infer_type(header: &str, raw: &RawColumn, ctx: ParseContext) -> FieldType {
    let key = crate::engine::fields::header_key(header);
    let says_date = ["date", "tarih", "dogum", "created", "updated", "gun", "zaman"].iter().any(|w| key.contains(w));
    if ["tags", "etiket", "labels"].iter().any(|w| key.contains(w)) {
        return FieldType::List;
    }
    let n = raw.len();
    let step = (n / INFER_SAMPLE).max(1);
    let cells: Vec<CellRef<'_>> = (0..n).step_by(step).map(|i| raw.get(i)).filter(|c| !c.is_empty()).collect();
    if cells.is_empty() {
        return FieldType::Text;
    }
    let total = cells.len();
    // Most values parse: 95%, or all but one in a small column.
    let mostly = |count: usize| count * 100 >= total * 95 || (total <= 40 && count >= 3 && count + 1 >= total);
    let texts: Vec<&str> =
        cells.iter().filter_map(|c| if let CellRef::Text(t) = c { Some(t.trim()) } else { None }).collect();
    if mostly(count_dates(&cells, &texts, says_date, ctx)) {
        return FieldType::Date;
    }
    let bools = cells
        .iter()
        .filter(|c| match c {
            CellRef::Bool(_) => true,
            CellRef::Text(t) => !t.bytes().all(|b| b.is_ascii_digit()) && parse_bool(t).is_some(),
            _ => false,
        })
        .count();
    if mostly(bools) {
        return FieldType::Bool;
    }
    let (numbers, number_type) = count_numbers(&cells, &texts, ctx);
    if !texts.iter().any(|t| looks_like_identifier(t)) && mostly(numbers) {
        return number_type;
    }
    let mut distinct = std::collections::HashSet::new();
    for t in &texts {
        distinct.insert(*t);
        if distinct.len() > 200 {
            break;
        }
    }
    if distinct.len() <= 200 && (distinct.len() as f64) <= (texts.len() as f64 * 0.5).max(5.0) {
        FieldType::Category
    } else {
        FieldType::Text
    }
}

/// How many sampled cells read as dates (compact `yyyymmdd` only when the header
/// says date).
fn count_dates(cells: &[CellRef<'_>], texts: &[&str], says_date: bool, ctx: ParseContext) -> usize {
    let date_style = DateStyle::detect(texts.iter().copied(), ctx.date_fallback);
    cells
        .iter()
        .filter(|c| match c {
            CellRef::DateTime(_) => true,
            CellRef::Text(t) => {
                let compact = t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit());
                (!compact || says_date) && date_style.parse(t).is_some()
            }
            CellRef::Number(v) => says_date && number_as_date(*v).is_some(),
            _ => false,
        })
        .count()
}

/// How many sampled cells read as numbers, and which number type they make
/// (money when a currency is written, whole numbers when none has a fraction).
fn count_numbers(cells: &[CellRef<'_>], texts: &[&str], ctx: ParseContext) -> (usize, FieldType) {
    let style = NumberStyle::detect(texts.iter().copied(), ctx.decimal_fallback);
    let mut numbers = 0usize;
    let mut integral = true;
    let mut money = false;
    for c in cells {
        let v = match c {
            CellRef::Number(v) => Some(*v),
            CellRef::Text(t) => {
                money |= t.contains(['₺', '$', '€']) || t.ends_with("TL");
                style.parse(t)
            }
            _ => None,
        };
        if let Some(v) = v {
            numbers += 1;
            integral &= v.fract() == 0.0;
        }
    }
    let ty = if money {
        FieldType::Money
    } else if integral {
        FieldType::Integer
    } else {
        FieldType::Number
    };
    (numbers, ty)
}

/// Digits that are a code, not a quantity: Excel's text marker, leading zeros, or
/// more digits than a number keeps exactly.
fn looks_like_identifier(t: &str) -> bool {
    t.starts_with('\'')
        || (t.len() > 1 && t.starts_with('0') && t.bytes().all(|b| b.is_ascii_digit()))
        || (t.len() > 15 && t.bytes().all(|b| b.is_ascii_digit()))
        || t.starts_with('+')
}

#[cfg(test)]
mod tests {
    use super::super::table::TextColumnBuilder;
    use super::*;

    fn text_column(values: &[&str]) -> RawColumn {
        let mut c = TextColumnBuilder::default();
        for v in values {
            c.push(v.as_bytes());
        }
        RawColumn::Text(c.finish())
    }

    const CTX: ParseContext = ParseContext {
        decimal_fallback: DecimalSeparator::Point,
        decimal_chosen: false,
        date_fallback: DayMonthOrder::DayFirst,
        categories: false,
        keys: false,
    };

    #[test]
    fn a_customers_category_column_reads_as_categories_with_the_same_values() {
        let values = ["İstanbul", "", "Ankara", "  İstanbul ", "-", "ankara", "İstanbul", "'0212"];
        let raw = text_column(&values);
        let as_text = parse_column("city", &raw, FieldType::Category, CTX).series;
        assert_eq!(as_text.dtype(), &DataType::String, "other files keep text");
        let as_categories = parse_column("city", &raw, FieldType::Category, ParseContext { categories: true, ..CTX });
        let as_categories = as_categories.series;
        assert!(matches!(as_categories.dtype(), DataType::Categorical(..)));
        assert!(as_categories.cast(&DataType::String).unwrap().equals_missing(&as_text));
    }

    #[test]
    fn ids_are_read_as_numbers_only_when_every_one_is_a_plain_number() {
        let keys = ParseContext { keys: true, ..CTX };
        let raw = text_column(&["1001", " 1002 ", "", "NA", "'1003", "1004.0", "18446744073709551615"]);
        let as_text = parse_column("order_id", &raw, FieldType::Text, CTX).series;
        assert_eq!(as_text.dtype(), &DataType::String, "without keys: text");
        // 20 digits: not a plain number (at most 19), so the whole column stays text.
        assert_eq!(parse_column("order_id", &raw, FieldType::Text, keys).series.dtype(), &DataType::String);
        let raw = text_column(&["1001", " 1002 ", "", "NA", "'1003", "1004.0", "1234567890123456789"]);
        let as_text = parse_column("order_id", &raw, FieldType::Text, CTX).series;
        let as_numbers = parse_column("order_id", &raw, FieldType::Text, keys).series;
        assert_eq!(as_numbers.dtype(), &DataType::UInt64);
        let numbers: Vec<Option<u64>> = as_numbers.u64().unwrap().iter().collect();
        assert_eq!(
            numbers,
            [Some(1001), Some(1002), None, None, Some(1003), Some(1004), Some(1_234_567_890_123_456_789)]
        );
        assert!(as_numbers.cast(&DataType::String).unwrap().equals_missing(&as_text), "written back, the same ids");
        // A leading zero or a letter anywhere: text, as read without keys.
        for odd in ["007", "#1001", "12a", "-5"] {
            let raw = text_column(&["1", "2", odd]);
            let read = parse_column("order_id", &raw, FieldType::Text, keys).series;
            assert!(read.equals_missing(&parse_column("order_id", &raw, FieldType::Text, CTX).series), "{odd}");
        }
    }

    proptest::proptest! {
        /// Ids read as numbers, written back, are the text the column holds without keys.
        #[test]
        fn ids_as_numbers_are_the_ids_as_text(values in proptest::collection::vec("( ?'?[0-9]{0,3}(\\.0)? ?|NA|-)", 0..40)) {
            let refs: Vec<&str> = values.iter().map(String::as_str).collect();
            let raw = text_column(&refs);
            let as_text = parse_column("c", &raw, FieldType::Text, CTX).series;
            let read = parse_column("c", &raw, FieldType::Text, ParseContext { keys: true, ..CTX }).series;
            proptest::prop_assert!(read.cast(&DataType::String).unwrap().equals_missing(&as_text));
        }

        #[test]
        fn categories_hold_exactly_the_text(values in proptest::collection::vec("[ a-cİı'\\-]{0,4}", 0..40)) {
            let refs: Vec<&str> = values.iter().map(String::as_str).collect();
            let raw = text_column(&refs);
            let as_text = parse_column("c", &raw, FieldType::Category, CTX).series;
            let as_categories = parse_column("c", &raw, FieldType::Category, ParseContext { categories: true, ..CTX }).series;
            proptest::prop_assert!(as_categories.cast(&DataType::String).unwrap().equals_missing(&as_text));
        }
    }

    #[test]
    fn infers_custom_types() {
        assert_eq!(infer_type("Puan", &text_column(&["1,5", "2,25", "3"]), CTX), FieldType::Number);
        assert_eq!(infer_type("Adet", &text_column(&["1", "2", "30"]), CTX), FieldType::Integer);
        assert_eq!(infer_type("Bakiye", &text_column(&["1.250,00 TL", "3 TL"]), CTX), FieldType::Money);
        assert_eq!(infer_type("Kod", &text_column(&["0012", "0013"]), CTX), FieldType::Category);
        assert_eq!(infer_type("Ziyaret", &text_column(&["05.04.2026", "06.04.2026"]), CTX), FieldType::Date);
        assert_eq!(infer_type("Doğrulandı", &text_column(&["Evet", "Hayır", "evet"]), CTX), FieldType::Bool);
        assert_eq!(infer_type("Etiketler", &text_column(&["a, b"]), CTX), FieldType::List);
        assert_eq!(infer_type("Kayıt Günü", &text_column(&["20260405", "20251231"]), CTX), FieldType::Date);
        assert_eq!(infer_type("Referans", &text_column(&["20260405", "20251231"]), CTX), FieldType::Integer);
    }

    #[test]
    fn parses_with_counted_problems() {
        let col = text_column(&["1.250,50", "", "abc", "7,5"]);
        let p = parse_column("ltv", &col, FieldType::Money, CTX);
        let v: Vec<Option<f64>> = p.series.f64().unwrap().iter().collect();
        assert_eq!(v, vec![Some(1250.5), None, None, Some(7.5)]);
        assert_eq!((p.unparsed, p.examples), (1, vec!["abc".to_owned()]));

        let dates = text_column(&["05/04/2026", "31/12/2025", "not a date"]);
        let p = parse_column("d", &dates, FieldType::Date, CTX);
        let days: Vec<Option<i32>> = p.series.date().unwrap().physical().iter().collect();
        assert_eq!(days[0].and_then(days_to_date), NaiveDate::from_ymd_opt(2026, 4, 5));
        assert_eq!(p.unparsed, 1);
        assert!(p.ambiguous_dates.is_none());
    }
}
