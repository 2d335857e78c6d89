//! A large store end to end, as `kitle import` and reopening it do: a
//! 10,000,000-row, six-column customers CSV imported into a workspace (read, typed,
//! built, cached), then the workspace opened again from its cache to computed
//! dashboard numbers. Prints each time, the table's Arrow size and this process's
//! peak memory; `benches/large_store.sh` runs it beside DuckDB's `read_csv`.
//! `cargo run --release -p kitle-benches --example large_store -- [ROWS]`, or
//! `-- store [CUSTOMERS]` for the demo store's customers and orders files.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::time::Instant;

use kitle::engine::dashboard::dashboard;
use kitle::engine::fields::SourceKind;
use kitle::engine::import::{Progress, SourceSpec};
use kitle::engine::loading::Opened;
use kitle::engine::workspace::Workspace;

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

fn main() {
    kitle::allocator::return_freed_memory_at_once(); // as the kitle binary does
    // `store N`: the demo store's customers and orders files (N customers, ~5 orders
    // each) instead of the wide customers file.
    let args: Vec<String> = std::env::args().skip(1).collect();
    let store = args.first().is_some_and(|a| a == "store");
    let rows: usize = args.iter().find_map(|a| a.parse().ok()).unwrap_or(if store { 1_000_000 } else { 10_000_000 });
    let sources = if store {
        let (customers, orders) = kitle_benches::store_files(rows);
        vec![SourceSpec::new(SourceKind::Customers, customers), SourceSpec::new(SourceKind::Orders, orders)]
    } else {
        vec![SourceSpec::new(SourceKind::Customers, kitle_benches::customers_csv(rows))]
    };
    for s in &sources {
        let size = std::fs::metadata(&s.path).map(|m| m.len()).unwrap_or(0);
        println!("{} ({:.0} MB)", s.path.display(), size as f64 / 1e6);
    }
    let dir = std::env::temp_dir().join(format!("kitle-large-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("folder");
    let path = dir.join("large.kitle");
    let mut ws = Workspace::new("Large");
    ws.settings.as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 1);
    ws.sources = sources;
    ws.save(&path).expect("save");
    let baseline = peak_rss_mb();

    // Twice: the first run also pays for the file's first read and the allocator's first pages.
    for _ in 0..if store { 0 } else { 2 } {
        let t = Instant::now();
        let loaded = kitle::engine::import::load_source(&ws.sources[0], &Progress::default()).expect("load");
        let t1 = t.elapsed();
        let data = kitle::engine::build::build(Some(loaded), None, None, ws.as_of()).expect("build");
        println!("read and typed in {t1:?}, built by {:?} ({} customers)", t.elapsed(), data.customers.height());
    }
    let uncached = Workspace {
        settings: kitle::engine::workspace::Settings { cache: false, ..ws.settings.clone() },
        ..ws.clone()
    };
    let t = Instant::now();
    let (data, _) = uncached.open_data(&path, &Progress::default(), false).expect("import");
    println!("import without the cache: {:?}; peak memory {:.0} MB", t.elapsed(), peak_rss_mb());
    drop(data);
    let t = Instant::now();
    let (data, how) = ws.open_data(&path, &Progress::default(), false).expect("import");
    let import = t.elapsed();
    assert_eq!(how, Opened::Built);
    let arrow_mb = kitle::engine::data::table_bytes(&data.customers) as f64 / 1e6;
    let estimated_mb = data.customers.estimated_size() as f64 / 1e6;
    println!(
        "import (read, type, build, write the cache): {import:?}; {} customers; table {arrow_mb:.0} MB of Arrow buffers (polars estimates {estimated_mb:.0} MB: text without its views); peak memory {:.0} MB ({:.0} MB before)",
        data.customers.height(),
        peak_rss_mb(),
        baseline
    );
    drop(data);

    for _ in 0..3 {
        let t = Instant::now();
        let (data, how) = ws.open_data(&path, &Progress::default(), false).expect("open");
        let opened = t.elapsed();
        let numbers = dashboard(&data, None, &ws.settings.ltv_bands).expect("dashboard");
        assert_eq!(how, Opened::FromCache);
        println!(
            "open from the cache: {opened:?}; with the dashboard's numbers {:?} ({} customers)",
            t.elapsed(),
            numbers.headline.customers
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
