//! An order-heavy store's import, side by side in one run: 1,000,000 customers
//! (`customers_csv`) and their 5,000,000 order lines (`order_lines_csv`, orders
//! repeated on each line), read, typed and built into the customer table with its
//! orders and lines by Kitle (both files read at once, as the app does); and by
//! DuckDB (`python/order_heavy_duckdb.py`: the lines kept, folded into orders,
//! aggregated per customer and joined, into a database file; timed inside Python).
//! The goal is Kitle ≤ 1.0× DuckDB. The whole `kitle import` (the cache written
//! too), with each process's memory, is `benches/order_heavy.sh`. DuckDB's row is
//! skipped, with a note, when `python3 -c "import duckdb"` fails.
//! `cargo bench -p kitle-benches --bench order_heavy [-- CUSTOMERS]`.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use kitle::engine::build::{build, split_sources};
use kitle::engine::fields::SourceKind;
use kitle::engine::import::{Progress, SourceSpec, load_source};

/// DuckDB's seconds for `iterations` runs, `None` when DuckDB can't be run.
fn duckdb(customers: &Path, lines: &Path, iterations: u64) -> Option<Duration> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("python/order_heavy_duckdb.py");
    let db = std::env::temp_dir().join(format!("kitle-order-heavy-{}.duckdb", std::process::id()));
    let out = Command::new("python3")
        .arg(script)
        .args([customers, lines, &db])
        .arg(iterations.to_string())
        .stderr(Stdio::inherit())
        .output()
        .ok()?;
    std::fs::remove_file(&db).ok();
    let seconds: f64 = String::from_utf8_lossy(&out.stdout).trim().parse().ok()?;
    out.status.success().then(|| Duration::from_secs_f64(seconds))
}

fn order_heavy(c: &mut Criterion) {
    let customers: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(1_000_000);
    let (customers_csv, lines_csv) =
        (kitle_benches::customers_csv(customers), kitle_benches::order_lines_csv(customers));
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).expect("date");
    let mut group = c.benchmark_group(format!("order_heavy_{customers}"));
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(60));
    if duckdb(&customers_csv, &lines_csv, 1).is_some() {
        group.bench_function("duckdb", |b| {
            b.iter_custom(|iterations| duckdb(&customers_csv, &lines_csv, iterations).expect("duckdb"))
        });
    } else {
        eprintln!("DuckDB's row is skipped: `python3 -c 'import duckdb'` fails (pip install duckdb)");
    }
    group.bench_function("kitle_import", |b| {
        b.iter(|| {
            let specs = [
                SourceSpec::new(SourceKind::Customers, &customers_csv),
                SourceSpec::new(SourceKind::Orders, &lines_csv),
            ];
            let (c, o) = std::thread::scope(|scope| {
                let orders = scope.spawn(|| load_source(&specs[1], &Progress::default()).expect("orders"));
                let customers = load_source(&specs[0], &Progress::default()).expect("customers");
                (customers, orders.join().expect("orders thread"))
            });
            let (c, o, s, _) = split_sources(vec![c, o]).expect("sources");
            build(c, o, s, as_of).expect("build")
        })
    });
    group.finish();
}

criterion_group!(benches, order_heavy);
criterion_main!(benches);
