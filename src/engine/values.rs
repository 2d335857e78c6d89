//! Cell values as text, in one place for every output: plain text for files and
//! the command line (ISO dates, numbers with a decimal point, lists joined), text
//! for the reader (money with the currency, dates and numbers in the language's
//! style, yes/no translated), and the one CSV writer, which neutralises formulas
//! when the file is meant for a spreadsheet.

use std::borrow::Cow;

use polars::prelude::*;

use super::data::FieldInfo;
use super::fields::FieldType;
use super::import::columns::days_to_date;
use super::import::table::format_plain_number;
use crate::format::{self, Lang};
use crate::i18n::t;

/// A cell as plain text: dates as ISO, lists joined with ", ", empty as "".
pub fn plain_text(value: &AnyValue<'_>) -> String {
    // Text, and categories (city, channel …), which are their text.
    if let Some(text) = value.get_str() {
        return text.to_owned();
    }
    match value {
        AnyValue::Null => String::new(),
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
        (v, _) if v.is_integer() => format::number(v.extract::<f64>().unwrap_or_default(), 0, lang),
        (AnyValue::Date(d), _) => days_to_date(*d).map_or_else(String::new, |d| format::date(d, lang)),
        (AnyValue::Boolean(b), _) => t(lang, if *b { "yes" } else { "no" }).to_owned(),
        // RFM groups are kept by id (`loyal`); the reader sees their name.
        _ if column.name().as_str() == "rfm_group" => crate::i18n::rfm_group_label(lang, &plain_text(&value)),
        _ => plain_text(&value),
    }
}

/// Decimals of a currency's minor unit (ISO 4217): 2 for TRY, EUR, USD; 0 for
/// JPY, KRW …; 3 for KWD, BHD ….
pub fn minor_units(currency: &str) -> u32 {
    match currency.trim().to_ascii_uppercase().as_str() {
        "JPY" | "KRW" | "VND" | "CLP" | "ISK" | "PYG" | "UGX" | "XAF" | "XOF" | "KMF" | "RWF" | "DJF" | "GNF"
        | "VUV" => 0,
        "KWD" | "BHD" | "OMR" | "JOD" | "TND" | "IQD" | "LYD" => 3,
        _ => 2,
    }
}

/// An amount rounded to `decimals` places, for writing (never inside computations).
pub fn round_money(value: f64, decimals: u32) -> f64 {
    let scale = 10f64.powi(i32::try_from(decimals).unwrap_or(2));
    let rounded = (value * scale).round() / scale;
    // No "-0" for a tiny negative remainder.
    if rounded == 0.0 { 0.0 } else { rounded }
}

/// Which columns of a table hold money, and how many decimals their currency has:
/// money is written rounded to the currency's minor unit in every output.
#[derive(Debug, Clone, Default)]
pub struct MoneyColumns {
    names: Vec<String>,
    pub decimals: u32,
}

impl MoneyColumns {
    pub fn new(fields: &[FieldInfo], currency: &str) -> Self {
        let names = fields.iter().filter(|f| f.ty == FieldType::Money).map(|f| f.name.clone()).collect();
        Self { names, decimals: minor_units(currency) }
    }

    pub fn contains(&self, column: &str) -> bool {
        self.names.iter().any(|n| n == column)
    }

    /// `value` as written in `column`: money rounded, anything else as it is.
    pub fn written(&self, column: &str, value: AnyValue<'_>) -> AnyValue<'static> {
        match value {
            AnyValue::Float64(v) if self.contains(column) => AnyValue::Float64(round_money(v, self.decimals)),
            other => other.into_static(),
        }
    }
}

/// Keys of Kitle's JSON output whose numbers are money (band limits `from`/`to`
/// included; dates are strings and stay as they are).
const MONEY_KEYS: &[&str] = &[
    "total_revenue",
    "avg_ltv",
    "aov",
    "spend",
    "cac",
    "revenue",
    "ltv",
    "from",
    "to",
    "total",
    "amount",
    "predicted_revenue_12m",
];

/// Rounds every money number in a JSON document to `decimals` places.
pub fn round_money_json(value: &mut serde_json::Value, decimals: u32) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if MONEY_KEYS.contains(&key.as_str())
                    && let Some(n) = v.as_f64()
                    && v.is_f64()
                {
                    *v = serde_json::Value::from(round_money(n, decimals));
                } else {
                    round_money_json(v, decimals);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(|v| round_money_json(v, decimals)),
        _ => {}
    }
}

/// A sum of floating-point amounts that stays exact to the cent over millions of
/// amounts, so a total and its parts agree: amounts are added plainly in blocks of
/// 256 (cheap, and exact enough for so few), and the blocks' sums are added with
/// Neumaier's compensation.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sum {
    sum: f64,
    compensation: f64,
    block: f64,
    in_block: u32,
}

impl Sum {
    pub fn add(&mut self, value: f64) {
        self.block += value;
        self.in_block += 1;
        if self.in_block == 256 {
            self.flush();
        }
    }

    /// Adds the current block to the compensated sum.
    fn flush(&mut self) {
        let value = std::mem::take(&mut self.block);
        self.in_block = 0;
        self.add_compensated(value);
    }

    /// Adds one value (a block's sum made elsewhere) with compensation.
    pub fn add_compensated(&mut self, value: f64) {
        let t = self.sum + value;
        if self.sum.abs() >= value.abs() {
            self.compensation += (self.sum - t) + value;
        } else {
            self.compensation += (value - t) + self.sum;
        }
        self.sum = t;
    }

    pub fn total(&self) -> f64 {
        let mut all = *self;
        all.flush();
        all.sum + all.compensation
    }
}

impl std::iter::FromIterator<f64> for Sum {
    fn from_iter<I: IntoIterator<Item = f64>>(iter: I) -> Self {
        let mut sum = Sum::default();
        for v in iter {
            sum.add(v);
        }
        sum
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

/// The table as CSV with a header row, every cell as [`plain_text`] and money
/// rounded to its currency's minor unit. For a spreadsheet, text cells and headers
/// are neutralised; numbers, dates and yes/no are written as they are.
pub fn csv_bytes(df: &DataFrame, money: &MoneyColumns, reader: CsvReader) -> Result<Vec<u8>, CsvError> {
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
            let v = money.written(c.name(), c.get(row)?);
            let text = plain_text(&v);
            record.push(match v {
                AnyValue::Float64(_) | AnyValue::Date(_) | AnyValue::Boolean(_) => text,
                v if v.is_integer() => text,
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
    use crate::engine::data::FieldOrigin;

    #[test]
    fn money_is_written_to_the_minor_unit() {
        let field = |name: &str, ty| FieldInfo { name: name.into(), ty, origin: FieldOrigin::Canonical };
        let fields = [field("ltv", FieldType::Money), field("score", FieldType::Number)];
        let columns = vec![
            Series::new("ltv".into(), [3795.1900000000005, 0.1 + 0.2, -0.001]).into_column(),
            Series::new("score".into(), [0.1 + 0.2, 1.0, 2.5]).into_column(),
        ];
        let df = DataFrame::new(3, columns).unwrap();
        let money = MoneyColumns::new(&fields, "TRY");
        let csv = String::from_utf8(csv_bytes(&df, &money, CsvReader::Program).unwrap()).unwrap();
        assert_eq!(csv, "ltv,score\n3795.19,0.30000000000000004\n0.3,1\n0,2.5\n", "only money is rounded");
        assert_eq!(minor_units("jpy"), 0);
        assert_eq!(minor_units("KWD"), 3);
        assert_eq!(round_money(1234.5678, 0), 1235.0);
    }

    #[test]
    fn rfm_groups_are_shown_by_name() {
        let column = Series::new("rfm_group".into(), ["loyal", "champions"]).into_column();
        assert_eq!(display_text(&column, 0, FieldType::Category, "TRY", Lang::Tr), "Sadık müşteriler");
        assert_eq!(display_text(&column, 0, FieldType::Category, "TRY", Lang::En), "Loyal");
        let other = Series::new("city".into(), ["loyal"]).into_column();
        assert_eq!(display_text(&other, 0, FieldType::Category, "TRY", Lang::En), "loyal", "only RFM groups");
    }

    #[test]
    fn compensated_sums_stay_exact_to_the_cent() {
        let amounts: Vec<f64> = (0..1_000_000).map(|i| [0.1, 0.2, 19.99, 1234.56][i % 4]).collect();
        let exact_cents: i64 = (0..1_000_000).map(|i| [10, 20, 1999, 123_456][i % 4]).sum();
        let naive: f64 = amounts.iter().sum();
        let careful: Sum = amounts.iter().copied().collect();
        assert_eq!(round_money(careful.total(), 2), exact_cents as f64 / 100.0);
        assert!((naive - exact_cents as f64 / 100.0).abs() < 1.0, "a plain sum drifts, slowly");
    }

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
        let plain = MoneyColumns::default();
        let sheet = String::from_utf8(csv_bytes(&df, &plain, CsvReader::Spreadsheet).unwrap()).unwrap();
        assert_eq!(sheet, "name,ltv\n'=1+1,-5.5\nAyşe,10\n");
        let program = String::from_utf8(csv_bytes(&df, &plain, CsvReader::Program).unwrap()).unwrap();
        assert_eq!(program, "name,ltv\n=1+1,-5.5\nAyşe,10\n");
    }
}
