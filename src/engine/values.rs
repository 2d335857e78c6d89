//! Cell values as text, in one place for every output: plain text for files and
//! the command line (ISO dates, numbers with a decimal point, lists joined), text
//! for the reader (money with the currency, dates and numbers in the language's
//! style, yes/no translated), and the one CSV writer, which neutralises formulas
//! when the file is meant for a spreadsheet.

use std::borrow::Cow;

use polars::prelude::*;

use super::fields::FieldType;
use super::import::columns::days_to_date;
use super::import::table::format_plain_number;
use crate::format::{self, Lang};
use crate::i18n::t;

/// A cell as plain text: dates as ISO, lists joined with ", ", empty as "".
pub fn plain_text(value: &AnyValue<'_>) -> String {
    match value {
        AnyValue::Null => String::new(),
        AnyValue::String(s) => (*s).to_owned(),
        AnyValue::StringOwned(s) => s.to_string(),
        AnyValue::Date(d) => days_to_date(*d).map_or_else(String::new, |d| d.to_string()),
        AnyValue::Float64(f) => format_plain_number(*f),
        AnyValue::List(s) => {
            let items: Vec<String> = s.iter().map(|v| plain_text(&v)).collect();
            items.join(", ")
        }
        other => other.to_string(),
    }
}

/// A cell written for the reader: money with the currency, dates and numbers in the
/// language's style, yes/no translated, lists joined.
pub fn display_text(column: &Column, row: usize, ty: FieldType, currency: &str, lang: Lang) -> String {
    let Ok(value) = column.get(row) else { return String::new() };
    match (&value, ty) {
        (AnyValue::Null, _) => String::new(),
        (AnyValue::Float64(v), FieldType::Money) => format::money(*v, currency, lang),
        (AnyValue::Float64(v), _) => format::number(*v, if v.fract() == 0.0 { 0 } else { 2 }, lang),
        (AnyValue::Int64(v), _) => format::number(*v as f64, 0, lang),
        (AnyValue::Date(d), _) => days_to_date(*d).map_or_else(String::new, |d| format::date(d, lang)),
        (AnyValue::Boolean(b), _) => t(lang, if *b { "yes" } else { "no" }).to_owned(),
        _ => plain_text(&value),
    }
}

/// Text made safe for spreadsheets: a cell a spreadsheet would run as a formula
/// (starting with `=`, `+`, `-`, `@`, tab or carriage return) gets a leading
/// apostrophe, so a file can't execute anything a customer typed into a form.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Who reads a CSV file: a spreadsheet (formulas neutralised) or a program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvReader {
    Spreadsheet,
    Program,
}

/// The table as CSV with a header row, every cell as [`plain_text`]. For a
/// spreadsheet, text cells and headers are neutralised; numbers, dates and yes/no
/// are written as they are.
pub fn csv_bytes(df: &DataFrame, reader: CsvReader) -> Result<Vec<u8>, CsvError> {
    let safe = |text: String| match reader {
        CsvReader::Spreadsheet => neutralise(&text).into_owned(),
        CsvReader::Program => text,
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(df.get_column_names().iter().map(|n| safe(n.to_string())))?;
    let mut record: Vec<String> = Vec::with_capacity(df.width());
    for row in 0..df.height() {
        record.clear();
        for c in df.columns() {
            let v = c.get(row)?;
            let text = plain_text(&v);
            record.push(match v {
                AnyValue::Float64(_) | AnyValue::Int64(_) | AnyValue::Date(_) | AnyValue::Boolean(_) => text,
                _ => safe(text),
            });
        }
        w.write_record(&record)?;
    }
    w.into_inner().map_err(|e| CsvError::Write(e.to_string()))
}

/// Why a CSV could not be made.
#[derive(Debug, thiserror::Error)]
pub enum CsvError {
    #[error("{0}")]
    Data(#[from] PolarsError),
    #[error("{0}")]
    Write(String),
}

impl From<csv::Error> for CsvError {
    fn from(e: csv::Error) -> Self {
        CsvError::Write(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("+90 532"), "'+90 532");
        assert_eq!(neutralise("@sum"), "'@sum");
        assert_eq!(neutralise("-2"), "'-2");
        assert_eq!(neutralise("Ayşe"), "Ayşe");
    }

    #[test]
    fn one_writer_for_spreadsheets_and_programs() {
        let columns = vec![
            Series::new("name".into(), ["=1+1", "Ayşe"]).into_column(),
            Series::new("ltv".into(), [-5.5, 10.0]).into_column(),
        ];
        let df = DataFrame::new(2, columns).unwrap();
        let sheet = String::from_utf8(csv_bytes(&df, CsvReader::Spreadsheet).unwrap()).unwrap();
        assert_eq!(sheet, "name,ltv\n'=1+1,-5.5\nAyşe,10\n");
        let program = String::from_utf8(csv_bytes(&df, CsvReader::Program).unwrap()).unwrap();
        assert_eq!(program, "name,ltv\n=1+1,-5.5\nAyşe,10\n");
    }
}
