//! A store connected through its API (Shopify, WooCommerce): what the workspace
//! says about it (never a secret), and the local copy of what was pulled. The copy
//! is kept as CSV files in a private folder beside the workspace, so the workspace
//! opens offline and a refresh merges only what changed into it. Its tables have
//! the columns of the stores' own exports and load through the same reader,
//! mapping and build as an imported file, with the same report.
//!
//! The network side (pulling pages, throttling, credentials) is in
//! `crate::connect::store`; this module only keeps and reads the copy.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use polars::prelude::*;
use serde::{Deserialize, Serialize};

use super::data::CustomerData;
use super::fields::SourceKind;
use super::import::mapping::MappingOverride;
use super::import::{ReadOptions, SourceSpec};
use super::message::Message;

/// The version of the local copy's layout; a copy of format 1 (before SMS
/// consent) is read with that column empty, one of another is pulled again.
pub const COPY_FORMAT: u32 = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StorePlatform {
    Shopify,
    #[serde(rename = "woocommerce")]
    WooCommerce,
}

impl StorePlatform {
    pub fn id(self) -> &'static str {
        match self {
            StorePlatform::Shopify => "shopify",
            StorePlatform::WooCommerce => "woocommerce",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            StorePlatform::Shopify => "Shopify",
            StorePlatform::WooCommerce => "WooCommerce",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        match id.trim().to_ascii_lowercase().as_str() {
            "shopify" => Some(StorePlatform::Shopify),
            "woocommerce" | "woo" => Some(StorePlatform::WooCommerce),
            _ => None,
        }
    }
}

/// A workspace's store: where it is and where its local copy lives. Credentials
/// are never here: only the names of the environment variables they come from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoreSource {
    pub platform: StorePlatform,
    /// The store as the user typed it (`acme`, `acme.myshopify.com`, `https://shop.example`).
    pub store: String,
    /// Shopify's API version; `None` uses Kitle's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// Environment variables holding the credentials (names only): Shopify's token,
    /// or WooCommerce's key and secret.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub credential_env: Vec<String>,
    /// The WooCommerce server drops the `Authorization` header, so the keys go in
    /// the query string (found out by the first pull).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub keys_in_query: bool,
    /// Order statuses a WooCommerce plugin added that the user counts as paid
    /// (`kitle connect woocommerce --paid-status shipped`); others are not paid.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paid_statuses: Vec<String>,
    /// The local copy's folder, relative to the workspace once saved.
    pub cache: PathBuf,
}

impl StoreSource {
    /// The store's name for titles: the host without `www.` and `.myshopify.com`.
    pub fn display_name(&self) -> String {
        store_name(&self.store)
    }
}

/// A store address as a name for titles: the host without `www.` and `.myshopify.com`.
pub fn store_name(address: &str) -> String {
    let text = address.trim();
    let host = text.split_once("://").map_or(text, |(_, rest)| rest);
    let host = host.split('/').next().unwrap_or(host);
    let host = host.trim_start_matches("www.");
    host.strip_suffix(".myshopify.com").unwrap_or(host).to_owned()
}

/// The columns of the copy's customers table: its header and the field it maps to.
pub const CUSTOMER_COLUMNS: &[(&str, &str)] = &[
    ("Customer ID", "customer_id"),
    ("Email", "email"),
    ("Phone", "phone"),
    ("First Name", "first_name"),
    ("Last Name", "last_name"),
    ("Created At", "signup_date"),
    ("Tags", "tags"),
    ("Total Orders", "orders"),
    ("Total Spent", "ltv"),
    ("City", "city"),
    ("Province", "region"),
    ("Country Code", "country_code"),
    ("Zip", "zip"),
    ("Accepts Email Marketing", "accepts_marketing"),
    ("Shopify RFM Group", "custom:category"),
    ("Accepts SMS Marketing", "sms_consent"),
];

/// Columns added to the customers table since format 1 (read empty from such a copy).
const ADDED_IN_FORMAT_2: usize = 1;

/// The columns of the copy's orders table (one row per order).
pub const ORDER_COLUMNS: &[(&str, &str)] = &[
    ("Order ID", "order_id"),
    ("Customer ID", "customer_id"),
    ("Email", "email"),
    ("Created at", "order_date"),
    ("Total", "total"),
    ("Refunded Amount", "refunded"),
    ("Cancelled at", "cancelled_at"),
    ("Status", "status"),
    ("Source", "channel"),
];

/// The columns of the copy's order lines (kept for order-history conditions).
pub const LINE_COLUMNS: &[&str] = &["Line ID", "Order ID", "Product", "SKU", "Quantity"];

/// What a merge did to a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Merged {
    Added,
    Updated,
    Unchanged,
}

/// One table of the copy: rows of text keyed by their first column.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StoreTable {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    index: HashMap<String, usize>,
}

impl StoreTable {
    pub fn new(headers: &[&str]) -> Self {
        Self { headers: headers.iter().map(|h| (*h).to_owned()).collect(), ..Self::default() }
    }

    fn from_rows(headers: Vec<String>, rows: Vec<Vec<String>>) -> Self {
        let index = rows.iter().enumerate().map(|(i, r)| (r[0].clone(), i)).collect();
        Self { headers, rows, index }
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Adds a row, or replaces the row with the same key.
    pub fn upsert(&mut self, mut row: Vec<String>) -> Merged {
        row.resize(self.headers.len(), String::new());
        match self.index.get(&row[0]) {
            Some(&i) if self.rows[i] == row => Merged::Unchanged,
            Some(&i) => {
                self.rows[i] = row;
                Merged::Updated
            }
            None => {
                self.index.insert(row[0].clone(), self.rows.len());
                self.rows.push(row);
                Merged::Added
            }
        }
    }

    /// Adds the columns of `headers` beyond this table's own, empty in every row.
    fn widen(&mut self, headers: &[&str]) {
        for header in &headers[self.headers.len().min(headers.len())..] {
            self.headers.push((*header).to_owned());
        }
        for row in &mut self.rows {
            row.resize(self.headers.len(), String::new());
        }
    }

    /// The keys (first column) of every row.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.rows.iter().map(|r| r[0].as_str())
    }

    /// Drops the rows whose `column` is one of `values` (the lines of orders about
    /// to be pulled again).
    pub fn remove_where(&mut self, column: usize, values: &HashSet<String>) {
        if values.is_empty() {
            return;
        }
        let headers = std::mem::take(&mut self.headers);
        let rows = std::mem::take(&mut self.rows);
        let kept = rows.into_iter().filter(|r| !values.contains(&r[column])).collect();
        *self = Self::from_rows(headers, kept);
    }

    /// The value of a column in the row with this key.
    pub fn value(&self, key: &str, column: &str) -> Option<&str> {
        let c = self.headers.iter().position(|h| h == column)?;
        self.index.get(key).map(|&i| self.rows[i][c].as_str())
    }

    fn to_csv(&self) -> Result<Vec<u8>, String> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(&self.headers).map_err(|e| e.to_string())?;
        for row in &self.rows {
            writer.write_record(row).map_err(|e| e.to_string())?;
        }
        writer.into_inner().map_err(|e| e.to_string())
    }

    fn read_csv(path: &Path, expected: &[&str]) -> Result<Self, String> {
        let mut reader = csv::ReaderBuilder::new().from_path(path).map_err(|e| e.to_string())?;
        let headers: Vec<String> = reader.headers().map_err(|e| e.to_string())?.iter().map(str::to_owned).collect();
        if headers != expected {
            return Err(format!("{} has other columns than expected", path.display()));
        }
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| e.to_string())?;
            if record.len() != headers.len() {
                return Err(format!("{} has a short row", path.display()));
            }
            rows.push(record.iter().map(str::to_owned).collect());
        }
        Ok(Self::from_rows(headers, rows))
    }
}

/// Where a sync left off, kept with the copy (`sync.ron`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SyncState {
    pub format: u32,
    pub platform: Option<StorePlatform>,
    pub store: String,
    /// The latest `updated_at` seen among customers and among orders (the store's
    /// own time stamps): the next refresh asks for what changed since.
    pub customers_updated_at: Option<String>,
    pub orders_updated_at: Option<String>,
    /// When the last sync finished (UTC, RFC 3339).
    pub synced_at: Option<String>,
    /// The store's currency (ISO 4217), when it says.
    pub currency: Option<String>,
    /// The token may only read the last 60 days of orders (Shopify without `read_all_orders`).
    pub orders_limited_to_60_days: bool,
    /// The currencies orders came in and how many each, when more than one (nothing
    /// is converted: the report says so).
    pub order_currencies: Vec<(String, usize)>,
    /// Order statuses a plugin added (WooCommerce), with counts: not counted as paid.
    pub unknown_statuses: Vec<(String, usize)>,
}

/// The local copy of a store: customers, orders, order lines and the sync state.
#[derive(Debug, Clone, PartialEq)]
pub struct StoreCopy {
    pub customers: StoreTable,
    pub orders: StoreTable,
    pub lines: StoreTable,
    pub state: SyncState,
}

const CUSTOMERS_FILE: &str = "store_customers.csv";
const ORDERS_FILE: &str = "store_orders.csv";
const LINES_FILE: &str = "store_order_lines.csv";
const STATE_FILE: &str = "sync.ron";

fn headers(columns: &[(&'static str, &str)]) -> Vec<&'static str> {
    columns.iter().map(|(h, _)| *h).collect()
}

impl StoreCopy {
    /// An empty copy of a store (nothing pulled yet).
    pub fn empty(source: &StoreSource) -> Self {
        Self {
            customers: StoreTable::new(&headers(CUSTOMER_COLUMNS)),
            orders: StoreTable::new(&headers(ORDER_COLUMNS)),
            lines: StoreTable::new(LINE_COLUMNS),
            state: SyncState {
                format: COPY_FORMAT,
                platform: Some(source.platform),
                store: source.store.clone(),
                ..SyncState::default()
            },
        }
    }

    /// Reads the copy in `dir`. `Ok(None)` when there is none; an error when it is
    /// damaged, of another format, or of another store (never trusted then).
    pub fn read(dir: &Path, source: &StoreSource) -> Result<Option<Self>, String> {
        let state_path = dir.join(STATE_FILE);
        if !state_path.exists() {
            return Ok(None);
        }
        let text = std::fs::read_to_string(&state_path).map_err(|e| e.to_string())?;
        let state: SyncState = ron::from_str(&text).map_err(|e| format!("{}: {e}", state_path.display()))?;
        if !(1..=COPY_FORMAT).contains(&state.format) {
            return Err(format!("the local copy has format {} (this Kitle writes {COPY_FORMAT})", state.format));
        }
        if state.platform != Some(source.platform) || state.store != source.store {
            return Err(format!("the local copy in {} belongs to another store ({})", dir.display(), state.store));
        }
        let customer_headers = headers(CUSTOMER_COLUMNS);
        let customers = if state.format == 1 {
            let old = &customer_headers[..customer_headers.len() - ADDED_IN_FORMAT_2];
            let mut table = StoreTable::read_csv(&dir.join(CUSTOMERS_FILE), old)?;
            table.widen(&customer_headers);
            table
        } else {
            StoreTable::read_csv(&dir.join(CUSTOMERS_FILE), &customer_headers)?
        };
        // A copy from before SMS consent pulls every customer again at the next
        // refresh (not only those changed since), so the new column fills in.
        let state = if state.format == 1 {
            SyncState { format: COPY_FORMAT, customers_updated_at: None, ..state }
        } else {
            state
        };
        Ok(Some(Self {
            customers,
            orders: StoreTable::read_csv(&dir.join(ORDERS_FILE), &headers(ORDER_COLUMNS))?,
            lines: StoreTable::read_csv(&dir.join(LINES_FILE), LINE_COLUMNS)?,
            state,
        }))
    }

    /// Writes the copy into `dir` (made private to the user): the tables first,
    /// each atomically, and the state last, so a crash leaves a copy the next
    /// refresh can still merge into.
    pub fn write(&self, dir: &Path) -> std::io::Result<()> {
        super::files::make_private_dir(dir)?;
        let io = |e: String| std::io::Error::other(e);
        let write = super::files::write_private;
        write(&dir.join(CUSTOMERS_FILE), &self.customers.to_csv().map_err(io)?)?;
        write(&dir.join(ORDERS_FILE), &self.orders.to_csv().map_err(io)?)?;
        write(&dir.join(LINES_FILE), &self.lines.to_csv().map_err(io)?)?;
        let state = ron::ser::to_string_pretty(&self.state, ron::ser::PrettyConfig::default()).map_err(io_err)?;
        write(&dir.join(STATE_FILE), state.as_bytes())
    }
}

fn io_err(e: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::other(e.to_string())
}

/// Moves a local copy to a new folder (when an unsaved workspace is first saved).
pub fn move_copy(from: &Path, to: &Path) -> std::io::Result<()> {
    if from == to {
        return Ok(());
    }
    if std::fs::rename(from, to).is_ok() {
        return Ok(());
    }
    super::files::make_private_dir(to)?;
    for name in [CUSTOMERS_FILE, ORDERS_FILE, LINES_FILE, STATE_FILE] {
        let bytes = std::fs::read(from.join(name))?;
        super::files::write_private(&to.join(name), &bytes)?;
    }
    std::fs::remove_dir_all(from)
}

/// What a sync changed, as `kitle refresh --json` prints it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct SyncChanges {
    pub customers_added: usize,
    pub customers_updated: usize,
    pub orders_added: usize,
    pub orders_updated: usize,
    /// Customers the store no longer has (deleted or erased there): removed from
    /// the copy with their orders.
    pub customers_deleted: usize,
}

impl SyncChanges {
    pub fn count_customer(&mut self, merged: Merged) {
        match merged {
            Merged::Added => self.customers_added += 1,
            Merged::Updated => self.customers_updated += 1,
            Merged::Unchanged => {}
        }
    }

    pub fn count_order(&mut self, merged: Merged) {
        match merged {
            Merged::Added => self.orders_added += 1,
            Merged::Updated => self.orders_updated += 1,
            Merged::Unchanged => {}
        }
    }
}

fn mapping(columns: &[(&str, &str)], kind: SourceKind) -> Vec<MappingOverride> {
    columns.iter().filter_map(|(h, f)| MappingOverride::parse(&format!("{h}={f}"), kind).ok()).collect()
}

/// The copy's tables as import sources (customers and orders), mapped explicitly.
pub fn copy_sources(dir: &Path) -> Vec<SourceSpec> {
    let options = ReadOptions { delimiter: Some(','), encoding: Some("utf-8".to_owned()), sheet: None };
    let spec = |kind, file: &str, columns| SourceSpec {
        options: options.clone(),
        mapping: mapping(columns, kind),
        ..SourceSpec::new(kind, dir.join(file))
    };
    vec![
        spec(SourceKind::Customers, CUSTOMERS_FILE, CUSTOMER_COLUMNS),
        spec(SourceKind::Orders, ORDERS_FILE, ORDER_COLUMNS),
    ]
}

/// Whether a folder holds a local copy.
pub fn copy_exists(dir: &Path) -> bool {
    dir.join(STATE_FILE).exists()
}

/// Adds what the sync learnt about the store to the import report.
pub fn add_sync_notes(dir: &Path, source: &StoreSource, data: &mut CustomerData) {
    let Ok(text) = std::fs::read_to_string(dir.join(STATE_FILE)) else { return };
    let Ok(state) = ron::from_str::<SyncState>(&text) else { return };
    let when = state.synced_at.as_deref().map_or_else(String::new, |t| t.chars().take(16).collect());
    data.report
        .notes
        .push(Message::new("msg.store_synced", [source.platform.name().to_owned(), source.display_name(), when]));
    if state.orders_limited_to_60_days {
        data.report.notes.push(Message::new("msg.store_orders_60_days", Vec::<String>::new()));
    }
    let listed = |counts: &[(String, usize)]| {
        counts.iter().map(|(name, n)| format!("{name} ({n})")).collect::<Vec<_>>().join(", ")
    };
    if state.order_currencies.len() > 1 {
        data.report.notes.push(Message::new("msg.store_currencies", [listed(&state.order_currencies)]));
    }
    if !state.unknown_statuses.is_empty() {
        data.report.notes.push(Message::new("msg.store_unknown_statuses", [listed(&state.unknown_statuses)]));
    }
}

/// Adds the copy's order lines to `data`: each line of a counted order (found by
/// its order id) with its product, SKU and quantity. Lines of orders that don't
/// count (cancelled, refunded) are left out with their orders.
pub fn add_order_lines(dir: &Path, data: &mut CustomerData) -> PolarsResult<()> {
    let Some(orders) = &data.orders else { return Ok(()) };
    let Ok(lines) = StoreTable::read_csv(&dir.join(LINES_FILE), LINE_COLUMNS) else { return Ok(()) };
    let ids = orders.column("order_id")?.str()?;
    let row_of: HashMap<&str, u32> =
        ids.iter().enumerate().filter_map(|(i, id)| Some((id?, u32::try_from(i).ok()?))).collect();
    let text = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
    let (mut order, mut product, mut sku, mut quantity) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for row in &lines.rows {
        let [_, order_id, name, code, qty] = row.as_slice() else { continue };
        let Some(&o) = row_of.get(order_id.as_str()) else { continue };
        order.push(o);
        product.push(text(name));
        sku.push(text(code));
        quantity.push(qty.trim().parse::<f64>().ok());
    }
    let n = order.len();
    let text =
        |name: &str, values: Vec<Option<String>>| Column::new(name.into(), values).cast(&super::data::line_text_type());
    data.order_lines = Some(DataFrame::new(
        n,
        vec![
            Column::new("order".into(), order),
            text("product", product)?,
            text("sku", sku)?,
            Column::new("quantity".into(), quantity),
        ],
    )?);
    Ok(())
}

/// The copy's folder name for a workspace saved at `workspace` (`acme.kitle` → `acme-store`).
pub fn copy_dir_for(workspace: &Path) -> PathBuf {
    let stem = workspace.file_stem().map_or_else(|| "kitle".into(), |s| s.to_string_lossy().into_owned());
    super::files::parent_dir(workspace).join(format!("{stem}-store"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source() -> StoreSource {
        StoreSource {
            platform: StorePlatform::Shopify,
            store: "acme.myshopify.com".into(),
            api_version: None,
            credential_env: vec![],
            keys_in_query: false,
            paid_statuses: Vec::new(),
            cache: "acme-store".into(),
        }
    }

    #[test]
    fn upserts_count_what_changed() {
        let mut t = StoreTable::new(&["id", "name"]);
        assert_eq!(t.upsert(vec!["1".into(), "a".into()]), Merged::Added);
        assert_eq!(t.upsert(vec!["1".into(), "a".into()]), Merged::Unchanged);
        assert_eq!(t.upsert(vec!["1".into(), "b".into()]), Merged::Updated);
        assert_eq!(t.upsert(vec!["2".into()]), Merged::Added);
        assert_eq!(t.len(), 2);
        assert_eq!(t.value("2", "name"), Some(""));
        t.remove_where(0, &HashSet::from(["1".to_owned()]));
        assert_eq!(t.rows, vec![vec!["2".to_owned(), String::new()]]);
        assert_eq!(t.upsert(vec!["2".into(), "c".into()]), Merged::Updated);
    }

    #[test]
    fn a_copy_round_trips_and_a_foreign_one_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mut copy = StoreCopy::empty(&source());
        copy.customers.upsert(vec!["7".into(), "a@example.com".into(), "".into(), "Ayşe, \"A\"".into()]);
        copy.state.customers_updated_at = Some("2026-11-01T10:00:00Z".into());
        copy.write(dir.path()).unwrap();
        assert_eq!(StoreCopy::read(dir.path(), &source()).unwrap(), Some(copy));
        let other = StoreSource { store: "other.myshopify.com".into(), ..source() };
        assert!(StoreCopy::read(dir.path(), &other).unwrap_err().contains("another store"));
        std::fs::write(dir.path().join(ORDERS_FILE), "Order ID\n1\n").unwrap();
        assert!(StoreCopy::read(dir.path(), &source()).is_err());
        assert_eq!(StoreCopy::read(&dir.path().join("none"), &source()).unwrap(), None);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(CUSTOMERS_FILE)).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "the copy is private");
        }
    }

    #[test]
    fn a_copy_from_before_sms_consent_is_read_with_the_column_empty_and_its_customers_pulled_again() {
        let dir = tempfile::tempdir().unwrap();
        let mut copy = StoreCopy::empty(&source());
        copy.customers.upsert(vec!["7".into(), "a@example.com".into()]);
        copy.state.customers_updated_at = Some("2026-11-01T10:00:00Z".into());
        copy.state.orders_updated_at = Some("2026-11-02T10:00:00Z".into());
        copy.write(dir.path()).unwrap();
        // Made into a format-1 copy: the customers table without its last column.
        let old_headers = &headers(CUSTOMER_COLUMNS)[..CUSTOMER_COLUMNS.len() - ADDED_IN_FORMAT_2];
        let mut old = StoreTable::new(old_headers);
        old.upsert(vec!["7".into(), "a@example.com".into()]);
        std::fs::write(dir.path().join(CUSTOMERS_FILE), old.to_csv().unwrap()).unwrap();
        let state = std::fs::read_to_string(dir.path().join(STATE_FILE)).unwrap();
        std::fs::write(dir.path().join(STATE_FILE), state.replace("format: 2", "format: 1")).unwrap();

        let read = StoreCopy::read(dir.path(), &source()).unwrap().unwrap();
        assert_eq!(read.customers.headers, headers(CUSTOMER_COLUMNS));
        assert_eq!(read.customers.value("7", "Accepts SMS Marketing"), Some(""));
        assert_eq!(read.customers.value("7", "Email"), Some("a@example.com"));
        assert_eq!(read.state.format, COPY_FORMAT);
        assert_eq!(read.state.customers_updated_at, None, "every customer is pulled again");
        assert_eq!(
            read.state.orders_updated_at.as_deref(),
            Some("2026-11-02T10:00:00Z"),
            "orders go on from where they were"
        );
        std::fs::write(dir.path().join(STATE_FILE), state.replace("format: 2", "format: 9")).unwrap();
        assert!(StoreCopy::read(dir.path(), &source()).unwrap_err().contains("format 9"));
    }

    #[test]
    fn every_column_maps_to_its_field() {
        assert_eq!(mapping(CUSTOMER_COLUMNS, SourceKind::Customers).len(), CUSTOMER_COLUMNS.len());
        assert_eq!(mapping(ORDER_COLUMNS, SourceKind::Orders).len(), ORDER_COLUMNS.len());
    }

    #[test]
    fn store_names_for_titles() {
        let mut s = source();
        assert_eq!(s.display_name(), "acme");
        s.store = "https://www.kahve.example/shop".into();
        assert_eq!(s.display_name(), "kahve.example");
    }
}
