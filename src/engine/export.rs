//! Exporting a segment's members to CSV or XLSX, money rounded to the currency's
//! minor unit. In CSV, text cells that a spreadsheet would run as a formula are
//! neutralised ([`super::values::neutralise`]), so an exported file can't execute
//! anything a customer typed into a form; XLSX text cells are never formulas.

use std::path::Path;

use polars::prelude::*;
use rust_xlsxwriter::{Format, Workbook};

use super::data::CustomerData;
use super::files::write_private;
use super::import::columns::days_to_date;
use super::values::{CsvError, CsvReader, MoneyColumns, csv_bytes, plain_text, round_money};

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{0}")]
    Data(#[from] PolarsError),
    #[error("The file could not be written: {0}")]
    Write(String),
    #[error("Choose a file ending in .csv or .xlsx.")]
    Format,
}

impl From<CsvError> for ExportError {
    fn from(e: CsvError) -> Self {
        match e {
            CsvError::Data(e) => ExportError::Data(e),
            CsvError::Write(e) => ExportError::Write(e),
        }
    }
}

impl ExportError {
    /// The error in the user's language.
    pub fn text(&self, lang: crate::format::Lang) -> String {
        use crate::engine::message::Message;
        match self {
            ExportError::Data(e) => Message::new("msg.err_internal", [e]).text(lang),
            ExportError::Write(e) => Message::new("msg.err_export_write", [e]).text(lang),
            ExportError::Format => Message::new("msg.err_export_format", Vec::<String>::new()).text(lang),
        }
    }
}

/// Writes the given rows of the customer table, every column, to `path`
/// (`.csv` or `.xlsx`), atomically. Money is rounded to `currency`'s minor unit.
pub fn export_members(data: &CustomerData, rows: &[IdxSize], path: &Path, currency: &str) -> Result<(), ExportError> {
    let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    let idx = IdxCa::from_vec("rows".into(), rows.to_vec());
    let df = data.customers.take(&idx)?;
    let money = MoneyColumns::new(&data.fields, currency);
    let bytes = match ext.as_str() {
        "csv" => csv_bytes(&df, &money, CsvReader::Spreadsheet)?,
        "xlsx" => xlsx_bytes(&df, &money)?,
        _ => return Err(ExportError::Format),
    };
    write_private(path, &bytes).map_err(|e| ExportError::Write(e.to_string()))
}

/// The members as a workbook: money as numbers with a money format, dates as
/// dates, text as text cells (which a spreadsheet never runs as a formula, so
/// nothing needs neutralising).
fn xlsx_bytes(df: &DataFrame, money: &MoneyColumns) -> Result<Vec<u8>, ExportError> {
    let x = |e: rust_xlsxwriter::XlsxError| ExportError::Write(e.to_string());
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Members").map_err(x)?;
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    let decimals = "0".repeat(money.decimals as usize);
    let money_format = Format::new().set_num_format(if decimals.is_empty() {
        "#,##0".to_owned()
    } else {
        format!("#,##0.{decimals}")
    });
    let bold = Format::new().set_bold();
    for (c, name) in df.get_column_names().iter().enumerate() {
        let col = u16::try_from(c).map_err(|_| ExportError::Write("too many columns".into()))?;
        sheet.write_string_with_format(0, col, name.as_str(), &bold).map_err(x)?;
    }
    for (c, column) in df.columns().iter().enumerate() {
        let col = u16::try_from(c).map_err(|_| ExportError::Write("too many columns".into()))?;
        let is_money = money.contains(column.name());
        for r in 0..df.height() {
            let row = u32::try_from(r + 1).map_err(|_| ExportError::Write("too many rows for Excel".into()))?;
            match column.get(r)? {
                AnyValue::Null => {}
                AnyValue::Float64(v) if is_money => {
                    sheet
                        .write_number_with_format(row, col, round_money(v, money.decimals), &money_format)
                        .map_err(x)?;
                }
                AnyValue::Float64(v) => {
                    sheet.write_number(row, col, v).map_err(x)?;
                }
                v if v.is_integer() => {
                    sheet.write_number(row, col, v.extract::<f64>().unwrap_or_default()).map_err(x)?;
                }
                AnyValue::Boolean(b) => {
                    sheet.write_boolean(row, col, b).map_err(x)?;
                }
                AnyValue::Date(d) => {
                    if let Some(date) = days_to_date(d) {
                        sheet.write_date_with_format(row, col, date, &date_format).map_err(x)?;
                    }
                }
                other => {
                    sheet.write_string(row, col, plain_text(&other)).map_err(x)?;
                }
            }
        }
    }
    book.save_to_buffer().map_err(x)
}
