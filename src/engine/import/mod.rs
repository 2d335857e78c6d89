//! Import: reading customer, order and spend files into typed tables, with a report
//! of everything that was skipped or unclear. Reading ([`reader`]) and mapping
//! ([`mapping`]) know nothing of each other; [`load_source`] ties them together, and
//! [`crate::engine::build`] turns the loaded sources into the customer table.

pub mod columns;
pub mod csv_reader;
mod csv_stream;
pub mod excel;
pub mod mapping;
pub mod parse;
pub mod reader;
pub mod second_table;
mod stream_typing;
pub mod table;
pub mod totals;

use std::path::{Path, PathBuf};

use polars::prelude::*;
use rayon::iter::{ParallelBridge, ParallelIterator};
use serde::{Deserialize, Serialize};

use crate::engine::fields::{FieldType, ORDER_LINE_TEXT, SourceKind, canonical_field};
use crate::engine::message::Message;
use columns::{ParseContext, infer_type, parse_column};
use mapping::{ColumnTarget, MappingOverride, auto_map};
use parse::{DayMonthOrder, DecimalSeparator};
pub use reader::ReadOptions;

/// Why an import failed as a whole. Problems with single rows or cells are not
/// errors: they go to the [`SourceReport`].
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{path} could not be read: {message}")]
    Io { path: PathBuf, message: String },
    /// The file is not a table; the message says why in one sentence.
    #[error("{0}")]
    NotATable(Message),
    /// A required column or file is missing; the message names it.
    #[error("{0}")]
    MissingColumn(Message),
    #[error("The import was cancelled.")]
    Cancelled,
    #[error("{0}")]
    Invalid(Message),
}

impl ImportError {
    /// The error in the user's language.
    pub fn text(&self, lang: crate::format::Lang) -> String {
        match self {
            ImportError::Io { path, message } => {
                let reason = crate::engine::message::os_error_text(lang, message);
                Message::new("msg.err_io", [path.display().to_string(), reason]).text(lang)
            }
            ImportError::NotATable(m) | ImportError::MissingColumn(m) | ImportError::Invalid(m) => m.text(lang),
            ImportError::Cancelled => crate::i18n::t(lang, "status.cancelled").to_owned(),
        }
    }
}

impl From<PolarsError> for ImportError {
    fn from(e: PolarsError) -> Self {
        ImportError::Invalid(Message::new("msg.err_internal", [e]))
    }
}

/// Progress of a long job (shared engine-wide; it lived here first).
pub use crate::engine::progress::Progress;

/// One file to import and how.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceSpec {
    pub kind: SourceKind,
    pub path: PathBuf,
    #[serde(default)]
    pub options: ReadOptions,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mapping: Vec<MappingOverride>,
    /// Day/month order for ambiguous slash dates; by default day first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_order: Option<DayMonthOrder>,
    /// Decimal separator when the values don't tell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decimal: Option<DecimalSeparator>,
}

impl SourceSpec {
    pub fn new(kind: SourceKind, path: impl Into<PathBuf>) -> Self {
        Self {
            kind,
            path: path.into(),
            options: ReadOptions::default(),
            mapping: Vec::new(),
            date_order: None,
            decimal: None,
        }
    }
}

/// A column of a loaded file: where it came from and what it became.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ColumnInfo {
    /// The header as written in the file.
    pub header: String,
    /// Column name in the loaded table: the canonical id, or the header for custom fields.
    pub name: String,
    pub ty: FieldType,
    /// False for custom fields.
    pub canonical: bool,
}

/// Cells of one column that could not be parsed.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct UnparsedCells {
    pub column: String,
    pub expected: FieldType,
    pub count: usize,
    pub examples: Vec<String>,
}

/// What happened to one file.
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct SourceReport {
    pub kind: Option<SourceKind>,
    pub path: String,
    pub rows_read: usize,
    pub rows_skipped: usize,
    /// Sentences: skipped rows and why, encoding, chosen sheet.
    pub notes: Vec<Message>,
    pub columns: Vec<ColumnInfo>,
    pub ignored_columns: Vec<String>,
    pub unparsed: Vec<UnparsedCells>,
    /// Date columns whose day/month order could not be told from the values.
    pub ambiguous_dates: Vec<String>,
    /// Per column (by header): cells that spelled "no value" (`NA`, `NULL`, `-` …).
    pub missing_values: Vec<(String, usize)>,
    /// The file read (its path as given to the reader) and what it held then: the
    /// cache is keyed by exactly what was imported.
    #[serde(skip)]
    pub read_from: Option<(PathBuf, crate::engine::files::ContentStamp)>,
}

/// A file read, mapped and typed.
#[derive(Debug, Clone)]
pub struct LoadedSource {
    pub kind: SourceKind,
    pub df: DataFrame,
    pub report: SourceReport,
}

impl LoadedSource {
    pub fn has(&self, name: &str) -> bool {
        self.report.columns.iter().any(|c| c.canonical && c.name == name)
    }

    pub fn custom_columns(&self) -> impl Iterator<Item = &ColumnInfo> {
        self.report.columns.iter().filter(|c| !c.canonical)
    }
}

/// Reads a file and maps and types its columns.
pub fn load_source(spec: &SourceSpec, progress: &Progress) -> Result<LoadedSource, ImportError> {
    let mut typing = stream_typing::SourceTyping::new(spec);
    let (mut loaded, content) = match reader::read_source(&spec.path, &spec.options, progress, &mut typing)? {
        reader::SourceRead::Raw(raw) => {
            let content = raw.content;
            (load_raw(spec, raw, progress)?, content)
        }
        reader::SourceRead::Typed { table, height, keep, chunks } => {
            let content = table.content;
            (typing.load(table, height, &keep, chunks)?, content)
        }
    };
    loaded.report.read_from = content.map(|c| (spec.path.clone(), c));
    Ok(loaded)
}

/// Loads `bytes` as a big text file is loaded: streamed in blocks of `block` bytes,
/// an orders file typed after its first `head_rows` rows. `None` when the stream
/// hands the file to the whole-file reader. For the fuzzer, which checks it against
/// [`load_raw`] of the whole file.
#[doc(hidden)]
pub fn stream_source_bytes(
    bytes: &[u8],
    spec: &SourceSpec,
    progress: &Progress,
    block: usize,
    head_rows: usize,
) -> Option<Result<LoadedSource, ImportError>> {
    if !reader::streamable(&bytes[..bytes.len().min(1 << 16)], Path::new("stream.csv")) {
        return None;
    }
    let mut typing = stream_typing::SourceTyping::new(spec);
    let len = bytes.len() as u64;
    Some(match csv_stream::read_stream_typed(bytes, len, &spec.options, progress, block, head_rows, &mut typing) {
        Ok(csv_stream::Streamed::Table(raw)) => load_raw(spec, raw, progress),
        Ok(csv_stream::Streamed::Typed { table, height, keep, chunks }) => typing.load(table, height, &keep, chunks),
        Ok(csv_stream::Streamed::Fallback) => return None,
        Err(e) => Err(e),
    })
}

/// What the import dialog shows of a file before importing it.
#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    pub headers: Vec<String>,
    /// The first rows, as text.
    pub rows: Vec<Vec<String>>,
    /// The automatic mapping of each column (ignoring the spec's overrides).
    pub auto: Vec<ColumnTarget>,
    /// The type each column would get as a custom field.
    pub inferred: Vec<FieldType>,
    pub total_rows: usize,
    pub notes: Vec<Message>,
    /// Sheet names of a workbook (empty for text files).
    pub sheets: Vec<String>,
}

/// The conventions for unclear values: the user's choice, else what the file
/// suggests (semicolon-separated files come from decimal-comma spreadsheets).
fn parse_context(spec: &SourceSpec, raw: &table::RawTable) -> ParseContext {
    ParseContext {
        decimal_fallback: spec.decimal.unwrap_or(if raw.delimiter == Some(b';') {
            DecimalSeparator::Comma
        } else {
            DecimalSeparator::Point
        }),
        decimal_chosen: spec.decimal.is_some(),
        date_fallback: spec.date_order.unwrap_or(DayMonthOrder::DayFirst),
        categories: spec.kind == SourceKind::Customers,
        keys: false,
    }
}

/// Reads a file for the import dialog: headers, first rows, automatic mapping.
pub fn preview_source(spec: &SourceSpec, progress: &Progress) -> Result<Preview, ImportError> {
    let raw = reader::read_table(&spec.path, &spec.options, progress)?;
    let ctx = parse_context(spec, &raw);
    let rows = (0..raw.height().min(5))
        .map(|r| raw.columns.iter().map(|c| c.get(r).as_text().map(|t| t.into_owned()).unwrap_or_default()).collect())
        .collect();
    let inferred = raw.headers.iter().zip(&raw.columns).map(|(h, c)| infer_type(h, c, ctx)).collect();
    let sheets = match std::fs::read(&spec.path) {
        Ok(bytes) => excel::sheet_names(&bytes),
        Err(_) => Vec::new(),
    };
    Ok(Preview {
        auto: auto_map(&raw.headers, spec.kind, &[]),
        headers: raw.headers,
        rows,
        inferred,
        total_rows: raw.columns.first().map_or(0, table::RawColumn::len),
        notes: raw.notes,
        sheets,
    })
}

/// Which kind of file this looks like, from how many of its headers each kind
/// recognises (an orders file has order ids, dates and totals).
pub fn guess_kind(headers: &[String]) -> SourceKind {
    let score = |kind| auto_map(headers, kind, &[]).iter().filter(|t| matches!(t, ColumnTarget::Field(_))).count();
    let orders = auto_map(headers, SourceKind::Orders, &[]);
    let has = |id: &str| orders.iter().any(|t| matches!(t, ColumnTarget::Field(f) if f == id));
    let looks_like_orders = has("order_id") && (has("total") || has("unit_price"));
    let spend = auto_map(headers, SourceKind::Spend, &[]);
    let looks_like_spend = spend.iter().any(|t| matches!(t, ColumnTarget::Field(f) if f == "spend"))
        && spend.iter().any(|t| matches!(t, ColumnTarget::Field(f) if f == "period"))
        && headers.len() <= 4;
    let consent = auto_map(headers, SourceKind::Consent, &[]);
    let maps = |id: &str| consent.iter().any(|t| matches!(t, ColumnTarget::Field(f) if f == id));
    if maps("recipient") && maps("consent_status") {
        SourceKind::Consent
    } else if looks_like_spend {
        SourceKind::Spend
    } else if looks_like_orders || score(SourceKind::Orders) > score(SourceKind::Customers) + 1 {
        SourceKind::Orders
    } else {
        SourceKind::Customers
    }
}

/// Maps and types a raw table.
pub fn load_raw(spec: &SourceSpec, mut raw: table::RawTable, progress: &Progress) -> Result<LoadedSource, ImportError> {
    let second = second_table::cut_second_table(&mut raw);
    let ctx = parse_context(spec, &raw);
    let mut report = new_report(spec, &raw, raw.height());
    if let Some((row, text, dropped)) = second {
        report.rows_skipped += dropped;
        report.notes.push(Message::new("msg.second_table", [(row + 1).to_string(), text, dropped.to_string()]));
    }
    let plan = plan_columns(spec, &raw, ctx, &mut report);
    if progress.is_cancelled() {
        return Err(ImportError::Cancelled);
    }
    let height = raw.height();
    let parsed = parse_planned(spec, std::mem::take(&mut raw.columns), &plan, ctx);
    assemble(spec, height, &plan, parsed, report)
}

/// The report of a source before its columns are read.
fn new_report(spec: &SourceSpec, raw: &table::RawTable, height: usize) -> SourceReport {
    SourceReport {
        kind: Some(spec.kind),
        path: spec.path.display().to_string(),
        rows_read: height,
        notes: raw.notes.clone(),
        ..SourceReport::default()
    }
}

/// Each kept column's index, name and type (ignored ones go to the report).
fn plan_columns(
    spec: &SourceSpec,
    raw: &table::RawTable,
    ctx: ParseContext,
    report: &mut SourceReport,
) -> Vec<(usize, ColumnInfo)> {
    let targets = auto_map(&raw.headers, spec.kind, &spec.mapping);
    let mut plan: Vec<(usize, ColumnInfo)> = Vec::new();
    for (i, (header, target)) in raw.headers.iter().zip(&targets).enumerate() {
        match target {
            ColumnTarget::Ignore => report.ignored_columns.push(header.clone()),
            ColumnTarget::Field(id) => {
                let ty = canonical_field(spec.kind, id).map_or(FieldType::Text, |f| f.ty);
                plan.push((i, ColumnInfo { header: header.clone(), name: id.clone(), ty, canonical: true }));
            }
            ColumnTarget::Custom(ty) => {
                let Some(column) = raw.columns.get(i) else { continue };
                let ty = ty.unwrap_or_else(|| infer_type(header, column, ctx));
                plan.push((i, ColumnInfo { header: header.clone(), name: header.clone(), ty, canonical: false }));
            }
        }
    }
    make_custom_names_unique(&mut plan);
    plan.retain(|(i, _)| *i < raw.columns.len());
    plan
}

/// The loaded source from its typed columns (in plan order, each with its count
/// of "no value" spellings): what was unclear or unparsed goes to the report.
fn assemble(
    spec: &SourceSpec,
    height: usize,
    plan: &[(usize, ColumnInfo)],
    parsed: Vec<(columns::ParsedColumn, usize)>,
    mut report: SourceReport,
) -> Result<LoadedSource, ImportError> {
    let mut columns = Vec::with_capacity(parsed.len());
    for ((_, info), (p, missing)) in plan.iter().zip(parsed) {
        if missing > 0 {
            report.missing_values.push((info.header.clone(), missing));
            report.notes.push(Message::new("msg.missing_values", [info.header.clone(), missing.to_string()]));
        }
        if p.unparsed > 0 {
            report.unparsed.push(UnparsedCells {
                column: info.header.clone(),
                expected: info.ty,
                count: p.unparsed,
                examples: p.examples,
            });
        }
        if let Some((example, value)) = &p.number_reading {
            let value = table::format_plain_number(*value);
            report.notes.push(Message::new("msg.number_reading", [info.header.clone(), example.clone(), value]));
        }
        if let Some(order) = p.ambiguous_dates {
            let id = match order {
                DayMonthOrder::DayFirst => "msg.ambiguous_day_first",
                DayMonthOrder::MonthFirst => "msg.ambiguous_month_first",
            };
            report.notes.push(Message::new(id, [info.header.clone()]));
            report.ambiguous_dates.push(info.header.clone());
        }
        columns.push(p.series.into_column());
        report.columns.push(info.clone());
    }
    let mut df = DataFrame::new(height, columns)?;
    if let Some(word) = totals::totals_row(&df) {
        df = df.slice(0, df.height() - 1);
        report.rows_skipped += 1;
        report.notes.push(Message::new("msg.totals_row", [word]));
    }
    Ok(LoadedSource { kind: spec.kind, df, report })
}

/// An orders file's id columns, read as numbers when every id is one (see
/// `columns::read_keys`): the build folds them by number and writes them back as text.
const KEY_IDS: [&str; 2] = ["order_id", "customer_id"];

/// The type a planned column is read as, and with which conventions. What an
/// order line bought is kept as categories, and a status is one of a few words
/// per line: they are read as categories.
fn reading_type(spec: &SourceSpec, info: &ColumnInfo, ctx: ParseContext) -> (FieldType, ParseContext) {
    let as_categories = spec.kind == SourceKind::Orders
        && info.canonical
        && (ORDER_LINE_TEXT.contains(&info.name.as_str()) || info.name == "status");
    let as_keys = spec.kind == SourceKind::Orders && info.canonical && KEY_IDS.contains(&info.name.as_str());
    match (as_categories, as_keys) {
        (true, _) => (FieldType::Category, ParseContext { categories: true, ..ctx }),
        (_, true) => (info.ty, ParseContext { keys: true, ..ctx }),
        _ => (info.ty, ctx),
    }
}

/// Types each planned raw column on every core, with its count of "no value"
/// spellings. Each raw column is dropped as soon as it is typed: a big file's text
/// and its typed columns are never all in memory together.
fn parse_planned(
    spec: &SourceSpec,
    raw_columns: Vec<table::RawColumn>,
    plan: &[(usize, ColumnInfo)],
    ctx: ParseContext,
) -> Vec<(columns::ParsedColumn, usize)> {
    let mut raw_columns: Vec<Option<table::RawColumn>> = raw_columns.into_iter().map(Some).collect();
    let mut work: Vec<(usize, &ColumnInfo, table::RawColumn)> = plan
        .iter()
        .filter_map(|(i, info)| Some((info, raw_columns.get_mut(*i)?.take()?)))
        .enumerate()
        .map(|(at, (info, column))| (at, info, column))
        .collect();
    drop(raw_columns);
    // Columns typed into less memory than their text (numbers, dates, categories)
    // go first and text last, each taken by the next free core in that order and
    // its text let go once typed: the text the first free makes room for the views
    // of the last. At 10M customers read whole, typed two at a time in file order,
    // the text and the typed columns together peaked ~100 MB higher.
    work.sort_by_key(|(_, info, _)| reading_type(spec, info, ctx).0 == FieldType::Text);
    let mut parsed: Vec<(usize, (columns::ParsedColumn, usize))> = work
        .into_iter()
        .par_bridge()
        .map(|(at, info, column)| {
            let (ty, ctx) = reading_type(spec, info, ctx);
            (at, (parse_column(&info.name, &column, ty, ctx), column.missing_spellings()))
        })
        .collect();
    parsed.sort_unstable_by_key(|(at, _)| *at);
    parsed.into_iter().map(|(_, column)| column).collect()
}

/// Custom columns are named after their header; a header equal to a canonical id or
/// to another column gets a suffix so that no two columns share a name.
fn make_custom_names_unique(plan: &mut [(usize, ColumnInfo)]) {
    let mut used: std::collections::HashSet<String> =
        plan.iter().filter(|(_, c)| c.canonical).map(|(_, c)| c.name.to_lowercase()).collect();
    used.extend(crate::engine::fields::customer_columns().map(|(id, _)| id.to_owned()));
    for (_, info) in plan.iter_mut().filter(|(_, c)| !c.canonical) {
        let mut name = info.name.clone();
        let mut n = 2;
        while used.contains(&name.to_lowercase()) {
            name = format!("{} ({n})", info.name);
            n += 1;
        }
        used.insert(name.to_lowercase());
        info.name = name;
    }
}

/// Where a source path points, resolved against the workspace's folder.
pub fn resolve_path(base: &Path, path: &Path) -> PathBuf {
    if path.is_absolute() { path.to_path_buf() } else { base.join(path) }
}
