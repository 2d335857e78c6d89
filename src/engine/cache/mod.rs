//! The local cache of a built customer table, so a workspace whose sources did not
//! change opens without importing them again. It sits beside the workspace
//! (`NAME-cache/`): the customer table, the counted orders and their lines as Arrow IPC
//! files, one a column (a category column as its codes and a dictionary file), and
//! `cache.ron` with everything else the build made (the fields, spend, the import
//! report) and the key it was built under.
//!
//! A reopen maps the column files into memory and uses them in place ([`mapped`],
//! after checking each file whole against the hash taken as it was written).
//!
//! The key is each source's content (its size and an XXH3 hash of every byte, taken
//! while it was imported), the source specs (mapping, options), the as-of date, the
//! cache format and Kitle's build: any change, and the cache is stale. A file edited
//! with its size and modification time kept (`cp -p`, rsync, unzip) is stale too;
//! a file only touched is not. A cache is
//! never needed (deleting it only costs time), is private to the user, and is never
//! trusted when damaged: a truncated or foreign file is ignored with a reason.

mod mapped;

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use polars::prelude::*;
use polars_arrow::io::ipc::write::EncodedData;
use serde::{Deserialize, Serialize};

use super::data::{CustomerData, FieldInfo, ImportReport, SpendEntry};
use super::fields::SourceKind;
use super::files::ContentStamp;
use super::import::{ColumnInfo, SourceReport, SourceSpec, UnparsedCells};
use super::message::{Arg, Message};

/// The layout of this cache; any other is stale.
pub const CACHE_FORMAT: u32 = 6;
const META_FILE: &str = "cache.ron";
/// Each table is one Arrow IPC file per column: `customer_table.0.arrow`, `.1`, …
const CUSTOMERS: &str = "customer_table";
const ORDERS: &str = "order_table";
const LINES: &str = "order_line_table";

/// The cache folder of a workspace saved at `workspace` (`shop.kitle` → `shop-cache`).
pub fn cache_dir_for(workspace: &Path) -> PathBuf {
    let stem = workspace.file_stem().map_or_else(|| "kitle".into(), |s| s.to_string_lossy().into_owned());
    super::files::parent_dir(workspace).join(format!("{stem}-cache"))
}

/// A source file as the cache saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceStamp {
    /// The source spec (kind, path, options, mapping) as text.
    pub spec: String,
    pub size: u64,
    /// An XXH3 hash of every byte of the file ([`ContentStamp`]).
    pub content: u64,
}

/// Everything a cached table depends on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheKey {
    pub format: u32,
    /// Kitle's version and build (the executable's size and time when unreleased).
    pub build: String,
    pub as_of: NaiveDate,
    pub sources: Vec<SourceStamp>,
}

/// Kitle's build, as far as a cache cares.
fn build_stamp() -> String {
    let exe = std::env::current_exe().ok().and_then(|p| std::fs::metadata(p).ok());
    let exe = exe.map_or((0, 0), |m| (m.len(), modified_nanos(&m)));
    format!("{} {} {}:{}", env!("CARGO_PKG_VERSION"), option_env!("KITLE_BUILD").unwrap_or("development"), exe.0, exe.1)
}

fn modified_nanos(meta: &std::fs::Metadata) -> i128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| i128::try_from(d.as_nanos()).unwrap_or(0))
}

/// The stamp of `spec`'s file holding `content`.
fn stamp_of(spec: &SourceSpec, content: &ContentStamp) -> SourceStamp {
    // The same file reached by another path (relative, `..`, a link) is the same source.
    let canonical =
        SourceSpec { path: std::fs::canonicalize(&spec.path).unwrap_or_else(|_| spec.path.clone()), ..spec.clone() };
    SourceStamp { spec: ron::to_string(&canonical).unwrap_or_default(), size: content.size, content: content.hash }
}

impl CacheKey {
    /// The key of building `sources` (paths resolved) as of `as_of`.
    pub fn of<'a>(sources: impl IntoIterator<Item = &'a SourceSpec>, as_of: NaiveDate) -> std::io::Result<Self> {
        Ok(Self {
            format: CACHE_FORMAT,
            build: build_stamp(),
            as_of,
            sources: sources
                .into_iter()
                .map(|spec| Ok(stamp_of(spec, &ContentStamp::of_file(&spec.path)?)))
                .collect::<std::io::Result<_>>()?,
        })
    }

    /// The key of data built from `sources` as they were read: the stamps the import
    /// took while reading them (in `reports`). `None` when a source has none.
    pub fn as_read<'a>(
        sources: impl IntoIterator<Item = &'a SourceSpec>,
        reports: &[SourceReport],
        as_of: NaiveDate,
    ) -> Option<Self> {
        let stamps = sources
            .into_iter()
            .map(|spec| {
                let read = reports.iter().find_map(|r| r.read_from.as_ref().filter(|(path, _)| *path == spec.path))?;
                Some(stamp_of(spec, &read.1))
            })
            .collect::<Option<_>>()?;
        Some(Self { format: CACHE_FORMAT, build: build_stamp(), as_of, sources: stamps })
    }
}

/// A message kept by its key, so the report reads in either language.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredMessage {
    id: String,
    /// Each argument: (is it a key of the table, its text).
    args: Vec<(bool, String)>,
    context: Option<String>,
}

impl From<&Message> for StoredMessage {
    fn from(m: &Message) -> Self {
        let args = m
            .args
            .iter()
            .map(|a| match a {
                Arg::Text(t) => (false, t.clone()),
                Arg::Key(k) => (true, (*k).to_owned()),
            })
            .collect();
        Self { id: m.id.to_owned(), args, context: m.context.clone() }
    }
}

impl StoredMessage {
    /// Back to a message; `None` when its key is not in this build's table.
    fn message(&self) -> Option<Message> {
        let id = crate::i18n::static_key(&self.id)?;
        let args = self
            .args
            .iter()
            .map(
                |(is_key, text)| {
                    if *is_key { crate::i18n::static_key(text).map(Arg::Key) } else { Some(Arg::Text(text.clone())) }
                },
            )
            .collect::<Option<Vec<_>>>()?;
        Some(Message { id, args, context: self.context.clone() })
    }
}

fn store_messages(messages: &[Message]) -> Vec<StoredMessage> {
    messages.iter().map(StoredMessage::from).collect()
}

fn load_messages(stored: &[StoredMessage]) -> Result<Vec<Message>, String> {
    stored.iter().map(|m| m.message().ok_or_else(|| format!("unknown message {}", m.id))).collect()
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredSource {
    kind: Option<SourceKind>,
    path: String,
    rows_read: usize,
    rows_skipped: usize,
    notes: Vec<StoredMessage>,
    columns: Vec<ColumnInfo>,
    ignored_columns: Vec<String>,
    unparsed: Vec<UnparsedCells>,
    ambiguous_dates: Vec<String>,
    missing_values: Vec<(String, usize)>,
    /// The file as it was read for this build (the key of the data, cached or not).
    read_from: Option<(PathBuf, ContentStamp)>,
}

/// `cache.ron`: the key, what the files must be, and the rest of the build.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Meta {
    key: CacheKey,
    /// (file, length, XXH3 hash of every byte), taken as each was written.
    files: Vec<(String, u64, u64)>,
    fields: Vec<FieldInfo>,
    spend: Vec<SpendEntry>,
    as_of: NaiveDate,
    customers: usize,
    orders_counted: usize,
    duplicate_customers_merged: usize,
    notes: Vec<StoredMessage>,
    sources: Vec<StoredSource>,
}

fn store_report(report: &ImportReport) -> Vec<StoredSource> {
    report
        .sources
        .iter()
        .map(|s| StoredSource {
            kind: s.kind,
            path: s.path.clone(),
            rows_read: s.rows_read,
            rows_skipped: s.rows_skipped,
            notes: store_messages(&s.notes),
            columns: s.columns.clone(),
            ignored_columns: s.ignored_columns.clone(),
            unparsed: s.unparsed.clone(),
            ambiguous_dates: s.ambiguous_dates.clone(),
            missing_values: s.missing_values.clone(),
            read_from: s.read_from.clone(),
        })
        .collect()
}

impl Meta {
    fn report(&self) -> Result<ImportReport, String> {
        let sources = self
            .sources
            .iter()
            .map(|s| {
                Ok(SourceReport {
                    kind: s.kind,
                    path: s.path.clone(),
                    rows_read: s.rows_read,
                    rows_skipped: s.rows_skipped,
                    notes: load_messages(&s.notes)?,
                    columns: s.columns.clone(),
                    ignored_columns: s.ignored_columns.clone(),
                    unparsed: s.unparsed.clone(),
                    ambiguous_dates: s.ambiguous_dates.clone(),
                    missing_values: s.missing_values.clone(),
                    read_from: s.read_from.clone(),
                })
            })
            .collect::<Result<_, String>>()?;
        Ok(ImportReport {
            sources,
            customers: self.customers,
            orders_counted: self.orders_counted,
            duplicate_customers_merged: self.duplicate_customers_merged,
            notes: load_messages(&self.notes)?,
        })
    }
}

/// What a look in the cache found.
#[derive(Debug)]
pub enum Cached {
    /// Built under this very key.
    Fresh(Box<CustomerData>),
    /// Built from sources that have changed since (worth showing while they are imported again).
    Stale(Box<CustomerData>),
    /// No cache.
    Missing,
    /// A cache that can't be trusted (damaged, another format or build), and why.
    Ignored(String),
}

/// Whether `dir` holds a cache (sound or not: [`read`] tells).
pub fn exists(dir: &Path) -> bool {
    dir.join(META_FILE).is_file()
}

/// Reads the cache in `dir` while `key` is worked out (hashing the sources takes
/// as long as mapping the cache), then compares them; `None` when there is no key.
pub fn read_keyed(dir: &Path, key: impl FnOnce() -> Option<CacheKey> + Send) -> Option<Cached> {
    let (key, loaded) = rayon::join(key, || load(dir));
    Some(compare(loaded, &key?))
}

/// The cache in `dir` as it is: `None` when there is none.
fn load(dir: &Path) -> Option<Result<(Meta, Box<CustomerData>), String>> {
    let text = std::fs::read_to_string(dir.join(META_FILE)).ok()?;
    Some(read_meta(dir, &text))
}

fn compare(loaded: Option<Result<(Meta, Box<CustomerData>), String>>, key: &CacheKey) -> Cached {
    let Some(loaded) = loaded else { return Cached::Missing };
    match loaded {
        Ok((meta, data)) if meta.key == *key => Cached::Fresh(data),
        Ok((meta, data)) if meta.key.format == key.format && meta.key.build == key.build => Cached::Stale(data),
        Ok(_) => Cached::Ignored("it was written by another version of Kitle".to_owned()),
        Err(why) => Cached::Ignored(why),
    }
}

fn read_meta(dir: &Path, text: &str) -> Result<(Meta, Box<CustomerData>), String> {
    let meta: Meta = ron::from_str(text).map_err(|e| format!("its index is damaged ({e})"))?;
    if meta.key.format != CACHE_FORMAT {
        return Err("it has another format".to_owned());
    }
    let customers = read_table(dir, &meta, CUSTOMERS)?.ok_or("its customer table is missing")?;
    let orders = read_table(dir, &meta, ORDERS)?;
    let order_lines = read_table(dir, &meta, LINES)?;
    if customers.height() != meta.customers {
        return Err("its customer table is incomplete".to_owned());
    }
    let data = CustomerData {
        customers,
        fields: meta.fields.clone(),
        orders,
        order_lines,
        spend: meta.spend.clone(),
        as_of: meta.as_of,
        report: meta.report()?,
    };
    Ok((meta, Box::new(data)))
}

/// Writes `data` to the cache in `dir` under `key`: into a new folder beside it,
/// then swapped in, so a crash leaves the old cache or none, never half of one.
pub fn write(dir: &Path, key: &CacheKey, data: &CustomerData) -> std::io::Result<()> {
    let parent = super::files::parent_dir(dir);
    let name = dir.file_name().map_or_else(|| "cache".into(), |n| n.to_string_lossy().into_owned());
    remove_abandoned(&parent, &name);
    let staging = tempfile::Builder::new().prefix(&format!(".{name}-")).tempdir_in(&parent)?;
    super::files::make_private_dir(staging.path())?;
    // The customer table on one core, the orders' tables on the other. Each side
    // encodes into a buffer of its own; without orders (a big customer list) the
    // other side writes nothing and its buffer stays empty.
    let customers = || -> std::io::Result<Vec<(String, u64, u64)>> {
        let mut files = Vec::new();
        write_table(staging.path(), CUSTOMERS, &data.customers, &mut files, &mut EncodedData::default())?;
        Ok(files)
    };
    let orders = || -> std::io::Result<Vec<(String, u64, u64)>> {
        let (mut files, mut encoded) = (Vec::new(), EncodedData::default());
        if let Some(orders) = &data.orders {
            write_table(staging.path(), ORDERS, orders, &mut files, &mut encoded)?;
        }
        if let Some(lines) = &data.order_lines {
            write_table(staging.path(), LINES, lines, &mut files, &mut encoded)?;
        }
        Ok(files)
    };
    let (customer_files, order_files) = rayon::join(customers, orders);
    let mut files = customer_files?;
    files.extend(order_files?);
    let meta = Meta {
        key: key.clone(),
        files,
        fields: data.fields.clone(),
        spend: data.spend.iter().filter(|s| !s.manual).cloned().collect(),
        as_of: data.as_of,
        customers: data.report.customers.max(data.customers.height()),
        orders_counted: data.report.orders_counted,
        duplicate_customers_merged: data.report.duplicate_customers_merged,
        notes: store_messages(&data.report.notes),
        sources: store_report(&data.report),
    };
    let text = ron::to_string(&meta).map_err(std::io::Error::other)?;
    super::files::write_private(&staging.path().join(META_FILE), text.as_bytes())?;
    // Swap: the new cache in (the old one moved aside first, then removed). When
    // another writer got there first, its cache is as good as this one.
    let staged = staging.keep();
    if std::fs::rename(&staged, dir).is_ok() {
        return Ok(());
    }
    let aside = tempfile::Builder::new().prefix(&format!(".{name}-old-")).tempdir_in(&parent)?.keep();
    let swapped = std::fs::rename(dir, aside.join("cache")).is_ok() && std::fs::rename(&staged, dir).is_ok();
    // Leftovers are hidden folders the next write removes (see `remove_abandoned`).
    std::fs::remove_dir_all(&aside).ok();
    if !swapped {
        std::fs::remove_dir_all(&staged).ok();
    }
    Ok(())
}

/// Writes each column of `table` to its own IPC file in `dir` and records them in
/// `files`. Each column is one record batch, so it maps back as one chunk, in place
/// (a text column over [`TEXT_PART_BYTES`] is a few). Polars' writer encodes a batch
/// in memory before writing it: written a column at a time, that costs one column,
/// not the table.
fn write_table(
    dir: &Path,
    table: &str,
    df: &DataFrame,
    files: &mut Vec<(String, u64, u64)>,
    encoded: &mut EncodedData,
) -> std::io::Result<()> {
    for (i, column) in df.columns().iter().enumerate() {
        let (column, dictionary) = match column.dtype() {
            DataType::Categorical(..) => {
                let (codes, dictionary) = split_categories(column).map_err(std::io::Error::other)?;
                (codes, Some(dictionary))
            }
            _ => (column.clone(), None),
        };
        write_column(dir, format!("{table}.{i}.arrow"), column, files, encoded)?;
        if let Some(dictionary) = dictionary {
            write_column(dir, format!("{table}.{i}.{DICTIONARY}.arrow"), dictionary, files, encoded)?;
        }
    }
    Ok(())
}

/// Marks the file of a category column's values (`customer_table.3.dictionary.arrow`).
const DICTIONARY: &str = "dictionary";

fn write_column(
    dir: &Path,
    file: String,
    column: Column,
    files: &mut Vec<(String, u64, u64)>,
    encoded: &mut EncodedData,
) -> std::io::Result<()> {
    let path = dir.join(&file);
    let one = DataFrame::new(column.len(), vec![column]).map_err(std::io::Error::other)?;
    // Hashed as written, for the check before it is mapped (see `mapped`). Not synced
    // to disk: a cache cut short by a crash fails that check and is rebuilt.
    let mut out = super::files::HashingWriter::new(std::io::BufWriter::with_capacity(1 << 20, private_file(&path)?));
    write_ipc(&mut out, &one, encoded, TEXT_PART_BYTES).map_err(std::io::Error::other)?;
    out.flush()?;
    files.push((file, out.written(), out.hash()));
    Ok(())
}

/// A category column as its codes in a dictionary of its own (0, 1, … in order of
/// first use) and that dictionary's values. Polars reads a category column back a
/// value at a time through the global categories (a third of a 10M reopen); codes
/// read as plain numbers, and each distinct value is looked up once.
fn split_categories(column: &Column) -> PolarsResult<(Column, Column)> {
    let categories = column.cat32()?;
    let mapping = categories.get_mapping();
    let global = categories.physical();
    let mut local_of: Vec<u32> = vec![u32::MAX; global.max().map_or(0, |m| m as usize + 1)];
    let mut values: Vec<Option<&str>> = Vec::new();
    let codes: UInt32Chunked = global
        .iter()
        .map(|code| {
            let local = &mut local_of[code? as usize];
            if *local == u32::MAX {
                *local = u32::try_from(values.len()).unwrap_or(u32::MAX);
                values.push(mapping.cat_to_str(code?));
            }
            Some(*local)
        })
        .collect();
    let dictionary = Series::new(column.name().clone(), values);
    Ok((codes.with_name(column.name().clone()).into_column(), dictionary.into_column()))
}

/// A category column back from its codes and dictionary (see [`split_categories`]).
fn join_categories(codes: &Column, dictionary: &Column) -> PolarsResult<Column> {
    let dtype = super::data::line_text_type();
    let DataType::Categorical(_, mapping) = &dtype else {
        return Err(PolarsError::ComputeError("categories without a mapping".into()));
    };
    let global: Vec<Option<u32>> =
        dictionary.str()?.iter().map(|v| v.and_then(|v| mapping.insert_cat(v).ok())).collect();
    let out: UInt32Chunked = codes.u32()?.iter().map(|code| global.get(code? as usize).copied().flatten()).collect();
    let out = Categorical32Chunked::from_cats_and_dtype(out.with_name(codes.name().clone()), dtype.clone());
    Ok(out.into_series().into_column())
}

/// Writes `df` as an Arrow IPC file of one record batch (or of parts of a big text
/// column, see [`TEXT_PART_BYTES`]), encoded in `encoded`: one buffer for every
/// column of a cache, given its room once. (Polars' own writer
/// grows a buffer of its own by doubling: up to twice the column at the peak.)
fn write_ipc(
    out: impl std::io::Write,
    df: &DataFrame,
    encoded: &mut EncodedData,
    text_part: usize,
) -> PolarsResult<()> {
    use polars_arrow::io::ipc::write::{FileWriter, WriteOptions, encode_record_batch};
    let level = CompatLevel::newest();
    let schema = Arc::new(df.schema().to_arrow(level));
    let options = WriteOptions { compression: None };
    let mut writer = FileWriter::try_new(out, Arc::clone(&schema), None, options)?;
    if df.columns().iter().any(|c| matches!(c.dtype(), DataType::Categorical(..) | DataType::Enum(..))) {
        // Dictionaries (not in a cache: categories are written as codes) need polars' tracking.
        let batch = polars_arrow::record_batch::RecordBatchT::new(df.height(), schema, df.rechunk_to_arrow(level));
        writer.write(&batch, None)?;
        return writer.finish();
    }
    for (offset, rows) in parts(df, text_part) {
        // A slice of text converts to Arrow with the text its rows use, not every
        // buffer of the column (the test below checks the file's size).
        let part = df.slice(offset as i64, rows);
        let batch =
            polars_arrow::record_batch::RecordBatchT::new(rows, Arc::clone(&schema), part.rechunk_to_arrow(level));
        // Each buffer is padded to 64 bytes.
        let room = super::data::table_bytes(&part) + 64 * 8 * df.width() + 4096;
        encoded.arrow_data.clear();
        encoded.arrow_data.reserve(room);
        encode_record_batch(&batch, &options, encoded);
        writer.write_encoded(&[], encoded)?;
    }
    writer.finish()
}

/// Text written in one record batch is encoded whole before it is written: at 10M
/// customers the e-mail column's encoding (~360 MB) was an import's peak. A text
/// column over this size is written in parts of about this size (it maps back as
/// one chunk a part: text is read through polars, which takes chunks as they come).
const TEXT_PART_BYTES: usize = 64 << 20;

/// The row ranges `df` is written in: one, or parts of a text column bigger than
/// `text_part` bytes.
fn parts(df: &DataFrame, text_part: usize) -> Vec<(usize, usize)> {
    let rows = df.height();
    let is_text = df.columns().iter().any(|c| c.dtype() == &DataType::String);
    let count = if is_text { super::data::table_bytes(df).div_ceil(text_part.max(1)).max(1) } else { 1 };
    let step = rows.div_ceil(count).max(1);
    (0..rows.max(1)).step_by(step).map(|offset| (offset, step.min(rows - offset))).collect()
}

/// The table `table` from its column files (read on all cores), or `None` when the
/// cache has none.
fn read_table(dir: &Path, meta: &Meta, table: &str) -> Result<Option<DataFrame>, String> {
    use rayon::prelude::*;
    let mut names: Vec<(usize, &str)> = meta
        .files
        .iter()
        .filter_map(|(name, _, _)| {
            let index = name.strip_prefix(table)?.strip_prefix('.')?.strip_suffix(".arrow")?;
            Some((index.parse().ok()?, name.as_str()))
        })
        .collect();
    if names.is_empty() {
        return Ok(None);
    }
    names.sort_unstable();
    if names.iter().enumerate().any(|(i, (index, _))| i != *index) {
        return Err(format!("{table} is missing a column"));
    }
    let columns = names
        .par_iter()
        .map(|(index, name)| {
            let column = read_column(dir, meta, name)?;
            let dictionary = format!("{table}.{index}.{DICTIONARY}.arrow");
            if !meta.files.iter().any(|(file, _, _)| *file == dictionary) {
                return Ok(column);
            }
            join_categories(&column, &read_column(dir, meta, &dictionary)?)
                .map_err(|e| format!("{name} is damaged ({e})"))
        })
        .collect::<Result<Vec<Column>, String>>()?;
    let height = columns.first().map_or(0, Column::len);
    DataFrame::new(height, columns).map(Some).map_err(|e| format!("{table} is damaged ({e})"))
}

/// The one column of the IPC file `name`, mapped in place once checked against
/// the length and hash `meta` holds for it.
fn read_column(dir: &Path, meta: &Meta, name: &str) -> Result<Column, String> {
    let Some((_, length, hash)) = meta.files.iter().find(|(file, _, _)| file == name) else {
        return Err(format!("{name} is missing"));
    };
    mapped::read_column(&dir.join(name), *length, *hash).map_err(|why| format!("{name} {why}"))
}

/// Staging folders older than this were left by a write that never finished (the app
/// quit or was killed while writing); a write in progress is minutes old at most.
const ABANDONED_AFTER: std::time::Duration = std::time::Duration::from_secs(3600);

/// Removes the staging folders of cache writes that never finished, beside `parent/name`.
fn remove_abandoned(parent: &Path, name: &str) {
    let prefix = format!(".{name}-");
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let abandoned = entry.file_name().to_string_lossy().starts_with(&prefix)
            && entry
                .metadata()
                .ok()
                .and_then(|m| m.modified().ok())
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > ABANDONED_AFTER);
        if abandoned && entry.file_type().is_ok_and(|t| t.is_dir()) {
            // Another writer's, still in use, or already gone: tried again next time.
            std::fs::remove_dir_all(entry.path()).ok();
        }
    }
}

fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_big_text_column_is_written_in_parts_that_map_back_the_same() {
        let long = |i: usize| format!("customer-{i:05}@a-rather-long-domain.example");
        let df = df!("email" => (0..5000).map(|i| (i % 7 != 3).then(|| long(i))).collect::<Vec<_>>()).expect("frame");
        let text = crate::engine::data::table_bytes(&df);
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("email-column");
        let mut out = crate::engine::files::HashingWriter::new(std::fs::File::create(&path).expect("file"));
        write_ipc(&mut out, &df, &mut EncodedData::default(), text.div_ceil(4)).expect("write");
        out.flush().expect("flush");
        let back = mapped::read_column(&path, out.written(), out.hash()).expect("read");
        assert_eq!(back.n_chunks(), 4, "a chunk a part");
        assert!(
            back.as_materialized_series().equals_missing(df.column("email").expect("email").as_materialized_series())
        );
        // Each part carries its own text, not every buffer of the column again.
        assert!(out.written() < (text + text / 2) as u64, "{} bytes for {text} of text", out.written());
        // A column under the part size stays one batch, one chunk.
        assert_eq!(parts(&df, text + 1), [(0, 5000)]);
        assert_eq!(parts(&df.clear(), 16), [(0, 0)]);
    }

    #[test]
    fn a_table_is_written_a_column_a_file_and_reads_back_the_same() {
        let long = |i: usize| format!("customer-{i:04}@a-rather-long-domain.example");
        let df = df!(
            "email" => (0..1000).map(|i| (i % 4 != 1).then(|| long(i))).collect::<Vec<_>>(),
            "city" => (0..1000).map(|i| ["İstanbul", "Ankara"][i % 2]).collect::<Vec<_>>(),
            "ltv" => (0..1000).map(|i| (i % 3 != 0).then_some(i as f64 * 1.5)).collect::<Vec<_>>(),
        )
        .expect("frame");
        // Categories (written as codes and a dictionary) with an empty value among them.
        let lines =
            df!("order" => [0u32, 0, 1, 2], "product" => [Some("Mug"), Some("Tea"), None, Some("Mug")]).expect("frame");
        let lines = lines.lazy().with_column(col("product").cast(crate::engine::data::line_text_type())).collect();
        let lines = lines.expect("categories");
        let dir = tempfile::tempdir().expect("dir");
        let mut files = Vec::new();
        write_table(dir.path(), CUSTOMERS, &df, &mut files, &mut EncodedData::default()).expect("write");
        write_table(dir.path(), LINES, &lines, &mut files, &mut EncodedData::default()).expect("write");
        let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(
            names,
            [
                "customer_table.0.arrow",
                "customer_table.1.arrow",
                "customer_table.2.arrow",
                "order_line_table.0.arrow",
                "order_line_table.1.arrow",
                "order_line_table.1.dictionary.arrow"
            ]
        );
        let meta = |files: Vec<(String, u64, u64)>| Meta {
            key: CacheKey { format: CACHE_FORMAT, build: String::new(), as_of: NaiveDate::MIN, sources: Vec::new() },
            files,
            fields: Vec::new(),
            spend: Vec::new(),
            as_of: NaiveDate::MIN,
            customers: 0,
            orders_counted: 0,
            duplicate_customers_merged: 0,
            notes: Vec::new(),
            sources: Vec::new(),
        };
        let found = meta(files.clone());
        let back = read_table(dir.path(), &found, CUSTOMERS).expect("read").expect("a table");
        assert!(back.equals_missing(&df));
        assert_eq!(back.first_col_n_chunks(), 1, "one chunk, as built");
        assert!(read_table(dir.path(), &found, LINES).expect("read").expect("lines").equals_missing(&lines));
        assert!(read_table(dir.path(), &found, ORDERS).expect("read").is_none());

        // A column in several chunks (as order tables are built) is written as one
        // batch and maps back as one chunk.
        let parts = df.slice(0, 400).vstack(&df.slice(400, 600)).expect("vstack");
        assert!(parts.first_col_n_chunks() > 1);
        let mut parted = Vec::new();
        write_table(dir.path(), ORDERS, &parts, &mut parted, &mut EncodedData::default()).expect("write");
        let back = read_table(dir.path(), &meta(parted), ORDERS).expect("read").expect("a table");
        assert!(back.equals_missing(&df));
        assert_eq!(back.first_col_n_chunks(), 1);

        // A byte changed in the middle, the length kept: refused before it is mapped as Arrow.
        let ltv = dir.path().join("customer_table.2.arrow");
        let mut bytes = std::fs::read(&ltv).expect("read");
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x55;
        std::fs::write(&ltv, &bytes).expect("write");
        let why = read_table(dir.path(), &found, CUSTOMERS).expect_err("damaged");
        assert!(why.contains("customer_table.2.arrow is damaged or was changed"), "{why}");
        bytes.truncate(middle);
        std::fs::write(&ltv, &bytes).expect("write");
        let why = read_table(dir.path(), &found, CUSTOMERS).expect_err("cut");
        assert!(why.contains("customer_table.2.arrow is damaged"), "{why}");

        let without_city = meta(files.iter().filter(|f| f.0 != "customer_table.1.arrow").cloned().collect());
        let why = read_table(dir.path(), &without_city, CUSTOMERS).expect_err("a column short");
        assert!(why.contains("missing a column"), "{why}");
    }

    #[test]
    fn staging_folders_of_writes_that_never_finished_are_removed() {
        let parent = tempfile::tempdir().expect("dir");
        let make = |name: &str, age: u64| {
            let dir = parent.path().join(name);
            std::fs::create_dir(&dir).expect("staging");
            std::fs::write(dir.join("customer_table.0.arrow"), b"half").expect("file");
            let then = std::time::SystemTime::now() - std::time::Duration::from_secs(age);
            std::fs::File::open(&dir).and_then(|f| f.set_modified(then)).expect("dated");
            dir
        };
        let abandoned = make(".shop-cache-a1b2", 2 * 3600);
        let in_progress = make(".shop-cache-c3d4", 60);
        let another_workspace = make(".other-cache-e5f6", 2 * 3600);
        remove_abandoned(parent.path(), "shop-cache");
        assert!(!abandoned.exists());
        assert!(in_progress.exists(), "another writer may still be at it");
        assert!(another_workspace.exists());
    }
}
