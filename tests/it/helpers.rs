//! Shared helpers: fixture paths, importing with the engine, reading cells.

use std::path::PathBuf;

use chrono::NaiveDate;
use kitle::engine::build::build;
use kitle::engine::data::CustomerData;
use kitle::engine::fields::SourceKind;
use kitle::engine::import::{ImportError, LoadedSource, Progress, SourceSpec, load_source};
use polars::prelude::*;

pub fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests").join(rel)
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub fn load(kind: SourceKind, rel: &str) -> Result<LoadedSource, ImportError> {
    load_source(&SourceSpec::new(kind, fixture(rel)), &Progress::default())
}

pub fn import(
    customers: Option<&str>,
    orders: Option<&str>,
    spend: Option<&str>,
    as_of: NaiveDate,
) -> Result<CustomerData, ImportError> {
    let c = customers.map(|p| load(SourceKind::Customers, p)).transpose()?;
    let o = orders.map(|p| load(SourceKind::Orders, p)).transpose()?;
    let s = spend.map(|p| load(SourceKind::Spend, p)).transpose()?;
    build(c, o, s, as_of)
}

/// The Shopify export pair, as of 2026-01-01.
pub fn shopify_store() -> CustomerData {
    import(
        Some("fixtures/shopify/customers_export.csv"),
        Some("fixtures/shopify/orders_export.csv"),
        None,
        date(2026, 1, 1),
    )
    .unwrap()
}

/// The row of the customer whose `column` equals `value`.
pub fn row_where(data: &CustomerData, column: &str, value: &str) -> usize {
    let c = data.customers.column(column).unwrap().str().unwrap().clone();
    c.iter().position(|v| v == Some(value)).unwrap_or_else(|| panic!("no customer with {column} = {value}"))
}

pub fn text(data: &CustomerData, column: &str, row: usize) -> Option<String> {
    let c = data.customers.column(column).unwrap().cast(&DataType::String).unwrap();
    c.str().unwrap().get(row).map(str::to_owned)
}

pub fn num(data: &CustomerData, column: &str, row: usize) -> Option<f64> {
    let c = data.customers.column(column).unwrap().cast(&DataType::Float64).unwrap();
    c.f64().unwrap().get(row)
}

pub fn day(data: &CustomerData, column: &str, row: usize) -> Option<NaiveDate> {
    let c = data.customers.column(column).unwrap().cast(&DataType::Int32).unwrap();
    c.i32().unwrap().get(row).and_then(kitle::engine::import::columns::days_to_date)
}

pub fn list(data: &CustomerData, column: &str, row: usize) -> Vec<String> {
    let c = data.customers.column(column).unwrap().list().unwrap().clone();
    match c.get_as_series(row) {
        Some(s) => s.str().unwrap().iter().map(|v| v.unwrap_or_default().to_owned()).collect(),
        None => Vec::new(),
    }
}

pub fn boolean(data: &CustomerData, column: &str, row: usize) -> Option<bool> {
    data.customers.column(column).unwrap().bool().unwrap().get(row)
}

pub fn approx(a: Option<f64>, b: f64) {
    let a = a.unwrap_or_else(|| panic!("expected {b}, got nothing"));
    assert!((a - b).abs() < 1e-6, "expected {b}, got {a}");
}

/// Does any note (in English) contain `needle`?
pub fn has_note(notes: &[kitle::engine::message::Message], needle: &str) -> bool {
    notes.iter().any(|n| n.to_string().contains(needle))
}

/// `kitle import` of the Shopify export pair (as of 2026-01-01) into `dir/shop.kitle`;
/// returns the workspace's path.
pub fn import_shopify_workspace(dir: &std::path::Path) -> String {
    import_shopify_workspace_saying(dir).0
}

/// [`import_shopify_workspace`], with what the import printed.
pub fn import_shopify_workspace_saying(dir: &std::path::Path) -> (String, String) {
    let ws = dir.join("shop.kitle").to_string_lossy().into_owned();
    let customers = fixture("fixtures/shopify/customers_export.csv");
    let orders = fixture("fixtures/shopify/orders_export.csv");
    let (ok, out, err) = kitle(&[
        "import",
        "--customers",
        customers.to_str().unwrap(),
        "--orders",
        orders.to_str().unwrap(),
        "--as-of",
        "2026-01-01",
        "-o",
        &ws,
    ]);
    assert!(ok, "{err}");
    (ws, out)
}

/// Runs the `kitle` binary: (success, stdout, stderr).
/// The keychain service the tests keep secrets under: a desktop's own `kitle`
/// entries are never read, written or deleted by `cargo test`.
pub const TEST_KEYCHAIN: &str = "kitle-tests";

/// The app as the tests drive it: its secrets kept under [`TEST_KEYCHAIN`], its
/// demo a copy in the tests' scratch folder (the demo's cache and memberships are
/// written there, not into the checkout) and its store copies in a folder of its own.
pub fn test_app(prefs: kitle::app::Prefs) -> kitle::app::KitleApp {
    kitle::connect::credentials::keychain::use_service(TEST_KEYCHAIN);
    let mut app = kitle::app::KitleApp::with_prefs(prefs);
    app.demo_path = test_demo().join("demo.kitle");
    app.stores_dir = scratch().join("stores");
    app
}

/// The tests' scratch folder inside the build's target folder.
pub fn scratch() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("kitle-tests")
}

/// A copy of the checkout's demo (workspace and data), made once per test run.
pub fn test_demo() -> PathBuf {
    static DEMO: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DEMO.get_or_init(|| {
        let from = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("workspaces");
        let to = scratch().join("demo");
        std::fs::create_dir_all(to.join("demo-data")).unwrap();
        for file in
            ["demo.kitle", "demo-data/musteriler.csv", "demo-data/siparisler.csv", "demo-data/reklam-harcamalari.csv"]
        {
            let bytes = std::fs::read(from.join(file)).unwrap();
            // Rewritten only when it changed, so the copy's cache stays valid between runs.
            if std::fs::read(to.join(file)).ok().as_ref() != Some(&bytes) {
                std::fs::write(to.join(file), bytes).unwrap();
            }
        }
        to
    })
    .clone()
}

pub fn kitle(args: &[&str]) -> (bool, String, String) {
    kitle_with_env(args, &[])
}

/// `kitle ARGS` with these environment variables set (credentials the CLI reads by name).
/// Secrets go to the keychain service [`TEST_KEYCHAIN`], never the user's own.
pub fn kitle_with_env(args: &[&str], env: &[(&str, &str)]) -> (bool, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kitle"))
        .args(args)
        .env("KITLE_KEYCHAIN_SERVICE", TEST_KEYCHAIN)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
