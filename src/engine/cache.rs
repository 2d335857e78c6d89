//! The local cache of a built customer table, so a workspace whose sources did not
//! change opens without importing them again. It sits beside the workspace
//! (`NAME-cache/`): the customer table, the counted orders and their lines as Arrow IPC files,
//! and `cache.ron` with everything else the build made (the
//! fields, spend, the import report) and the key it was built under.
//!
//! The key is each source's file stamp (size, modification time, and a hash of
//! samples of its bytes), the source specs (mapping, options), the as-of date, the
//! cache format and Kitle's build: any change, and the cache is stale. A cache is
//! never needed (deleting it only costs time), is private to the user, and is never
//! trusted when damaged: a truncated or foreign file is ignored with a reason.

use std::hash::{BuildHasher, Hasher};
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use polars::prelude::*;
use polars_io::ipc::{IpcReader, IpcWriter};
use polars_io::{SerReader, SerWriter};
use serde::{Deserialize, Serialize};

use super::data::{CustomerData, FieldInfo, ImportReport, SpendEntry};
use super::fields::SourceKind;
use super::import::{ColumnInfo, SourceReport, SourceSpec, UnparsedCells};
use super::message::{Arg, Message};

/// The layout of this cache; any other is stale.
pub const CACHE_FORMAT: u32 = 3;
const META_FILE: &str = "cache.ron";
const CUSTOMERS_FILE: &str = "customer_table.arrow";
const ORDERS_FILE: &str = "order_table.arrow";
const LINES_FILE: &str = "order_line_table.arrow";
/// Bytes hashed at the start, middle and end of a source file.
const SAMPLE: u64 = 64 * 1024;

/// The cache folder of a workspace saved at `workspace` (`shop.kitle` → `shop-cache`).
pub fn cache_dir_for(workspace: &Path) -> PathBuf {
    let stem = workspace.file_stem().map_or_else(|| "kitle".into(), |s| s.to_string_lossy().into_owned());
    super::workspace::parent_dir(workspace).join(format!("{stem}-cache"))
}

/// A source file as the cache saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceStamp {
    /// The source spec (kind, path, options, mapping) as text.
    pub spec: String,
    pub size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub modified: i128,
    /// A hash of the file's first, middle and last 64 KiB.
    pub sample: u64,
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

/// A file's metadata, and a hash of its size and its first, middle and last 64 KiB.
fn sampled(path: &Path) -> std::io::Result<(std::fs::Metadata, u64)> {
    let mut file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    let size = meta.len();
    let mut hasher = foldhash::fast::FixedState::with_seed(7).build_hasher();
    hasher.write_u64(size);
    let mut buffer = vec![0u8; usize::try_from(SAMPLE).unwrap_or(65_536)];
    for start in [0, size.saturating_sub(SAMPLE) / 2, size.saturating_sub(SAMPLE)] {
        file.seek(SeekFrom::Start(start))?;
        let n = file.read(&mut buffer)?;
        hasher.write(&buffer[..n]);
    }
    Ok((meta, hasher.finish()))
}

fn stamp(spec: &SourceSpec) -> std::io::Result<SourceStamp> {
    let (meta, sample) = sampled(&spec.path)?;
    // The same file reached by another path (relative, `..`, a link) is the same source.
    let canonical =
        SourceSpec { path: std::fs::canonicalize(&spec.path).unwrap_or_else(|_| spec.path.clone()), ..spec.clone() };
    Ok(SourceStamp {
        spec: ron::to_string(&canonical).unwrap_or_default(),
        size: meta.len(),
        modified: modified_nanos(&meta),
        sample,
    })
}

impl CacheKey {
    /// The key of building `sources` (paths resolved) as of `as_of`.
    pub fn of<'a>(sources: impl IntoIterator<Item = &'a SourceSpec>, as_of: NaiveDate) -> std::io::Result<Self> {
        Ok(Self {
            format: CACHE_FORMAT,
            build: build_stamp(),
            as_of,
            sources: sources.into_iter().map(stamp).collect::<std::io::Result<_>>()?,
        })
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
}

/// `cache.ron`: the key, what the files must be, and the rest of the build.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Meta {
    key: CacheKey,
    /// (file, length, sample hash: see [`file_check`]).
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

/// A file's length and sample hash (catches truncation and a file swapped for another).
fn file_check(path: &Path) -> std::io::Result<(u64, u64)> {
    sampled(path).map(|(meta, sample)| (meta.len(), sample))
}

/// Reads the cache in `dir` and compares it with `key`.
pub fn read(dir: &Path, key: &CacheKey) -> Cached {
    let meta_path = dir.join(META_FILE);
    let Ok(text) = std::fs::read_to_string(&meta_path) else { return Cached::Missing };
    match read_meta(dir, &text) {
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
    for (name, length, hash) in &meta.files {
        let found = file_check(&dir.join(name)).map_err(|e| format!("{name} can't be read ({e})"))?;
        if found != (*length, *hash) {
            return Err(format!("{name} is damaged or was changed"));
        }
    }
    let read_frame = |name: &str| -> Result<DataFrame, String> {
        let path = dir.join(name);
        let file = std::fs::File::open(&path).map_err(|e| format!("{name}: {e}"))?;
        // Read, not memory-mapped: a mapped file cut short by another program would
        // crash the app (and mapping needs `unsafe`, which Kitle forbids).
        IpcReader::new(std::io::BufReader::with_capacity(1 << 20, file))
            .finish()
            .map_err(|e| format!("{name} is damaged ({e})"))
    };
    let customers = read_frame(CUSTOMERS_FILE)?;
    let has_orders = meta.files.iter().any(|(n, _, _)| n == ORDERS_FILE);
    let orders = if has_orders { Some(read_frame(ORDERS_FILE)?) } else { None };
    let has_lines = meta.files.iter().any(|(n, _, _)| n == LINES_FILE);
    let order_lines = if has_lines { Some(read_frame(LINES_FILE)?) } else { None };
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
    let parent = super::workspace::parent_dir(dir);
    let name = dir.file_name().map_or_else(|| "cache".into(), |n| n.to_string_lossy().into_owned());
    let staging = tempfile::Builder::new().prefix(&format!(".{name}-")).tempdir_in(&parent)?;
    super::store::make_private_dir(staging.path())?;
    let mut files = Vec::new();
    let mut write_frame = |file: &str, df: &DataFrame| -> std::io::Result<()> {
        let path = staging.path().join(file);
        let mut out = private_file(&path)?;
        let mut df = df.clone();
        // Not synced to disk: a cache cut short by a crash fails its check and is rebuilt.
        IpcWriter::new(std::io::BufWriter::with_capacity(1 << 20, &mut out))
            .finish(&mut df)
            .map_err(std::io::Error::other)?;
        let (length, hash) = file_check(&path)?;
        files.push((file.to_owned(), length, hash));
        Ok(())
    };
    write_frame(CUSTOMERS_FILE, &data.customers)?;
    if let Some(orders) = &data.orders {
        write_frame(ORDERS_FILE, orders)?;
    }
    if let Some(lines) = &data.order_lines {
        write_frame(LINES_FILE, lines)?;
    }
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
    super::workspace::write_private(&staging.path().join(META_FILE), text.as_bytes())?;
    // Swap: the new cache in (the old one moved aside first, then removed). When
    // another writer got there first, its cache is as good as this one.
    let staged = staging.keep();
    if std::fs::rename(&staged, dir).is_ok() {
        return Ok(());
    }
    let aside = tempfile::Builder::new().prefix(&format!(".{name}-old-")).tempdir_in(&parent)?.keep();
    let swapped = std::fs::rename(dir, aside.join("cache")).is_ok() && std::fs::rename(&staged, dir).is_ok();
    let _ = std::fs::remove_dir_all(&aside);
    if !swapped {
        let _ = std::fs::remove_dir_all(&staged);
    }
    Ok(())
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
