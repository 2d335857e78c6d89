//! A large store's import, side by side in one run: the 10,000,000-row, six-column
//! customers CSV (`customers_csv`, ~635 MB) read, typed and built into the customer
//! table by Kitle; read into a table by DuckDB's `read_csv` (the Python package,
//! timed inside Python, one process for all iterations); and read raw by polars'
//! CSV reader. The goal is Kitle ≤ 1.5× DuckDB. Memory is measured by
//! `benches/large_store.sh` (a fresh process). DuckDB's row is skipped, with a
//! note, when `python3 -c "import duckdb"` fails (`pip install duckdb`).
//! `cargo bench -p kitle-benches --bench large_import [-- ROWS]`.

// The app's allocator (src/main.rs), for Kitle and polars alike.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::{Command, Stdio};
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use kitle::engine::build::build;
use kitle::engine::fields::SourceKind;
use kitle::engine::import::{Progress, SourceSpec, load_source};
use polars::prelude::*;

/// Reads the file `iterations` times in one DuckDB connection per read, and
/// returns the time the reads took (Python's start-up not included).
fn duckdb_read_csv(path: &std::path::Path, iterations: u64) -> Option<Duration> {
    const SCRIPT: &str = r#"
import sys, time, duckdb
path, n = sys.argv[1], int(sys.argv[2])
total = 0.0
for _ in range(n):
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")  # DuckDB 2 prints it to stdout
    t = time.perf_counter()
    con.execute(f"CREATE TABLE c AS SELECT * FROM read_csv('{path}')")
    total += time.perf_counter() - t
    con.close()
print(total)
"#;
    let out = Command::new("python3")
        .args(["-c", SCRIPT, &path.display().to_string(), &iterations.to_string()])
        .stderr(Stdio::inherit())
        .output()
        .ok()?;
    let seconds: f64 = String::from_utf8_lossy(&out.stdout).trim().parse().ok()?;
    out.status.success().then(|| Duration::from_secs_f64(seconds))
}

fn large_import(c: &mut Criterion) {
    let rows: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(10_000_000);
    let csv = kitle_benches::customers_csv(rows);
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).expect("date");
    let mut group = c.benchmark_group(format!("large_import_{rows}"));
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(30));
    if duckdb_read_csv(&csv, 1).is_some() {
        group.bench_function("duckdb_read_csv", |b| {
            b.iter_custom(|iterations| duckdb_read_csv(&csv, iterations).expect("duckdb"))
        });
    } else {
        eprintln!("DuckDB's row is skipped: `python3 -c 'import duckdb'` fails (pip install duckdb)");
    }
    group.bench_function("kitle_import", |b| {
        b.iter(|| {
            let spec = SourceSpec::new(SourceKind::Customers, &csv);
            let loaded = load_source(&spec, &Progress::default()).expect("load");
            build(Some(loaded), None, None, as_of).expect("build")
        })
    });
    group.bench_function("polars_raw_read", |b| {
        b.iter(|| {
            CsvReadOptions::default()
                .try_into_reader_with_file_path(Some(csv.clone()))
                .expect("reader")
                .finish()
                .expect("polars read")
        })
    });
    group.finish();
}

criterion_group!(benches, large_import);
criterion_main!(benches);
