//! Import speed: a 1,000,000-row customer CSV and a ~5,000,000-row orders CSV, read,
//! typed and built into the customer table, next to polars' own CSV reader on the
//! same files (the goal is at most 1.3× polars' raw read), and lower bounds written
//! by hand in polars: the customers typed, the orders folded per customer.
//!
//! Measured 2026-11-25, second session (2 cores, mimalloc as in the app, criterion
//! medians, same run): customers 0.58 s vs raw read 0.28 s and polars by hand 0.39 s;
//! orders 2.01 s vs raw read 0.58 s and polars by hand 2.95 s. Runs vary by ±15%,
//! and between hours by more, on this machine: compare within one run.

// The app's allocator (src/main.rs), for Kitle and polars alike.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{Criterion, criterion_group, criterion_main};
use kitle::engine::build::build;
use kitle::engine::fields::SourceKind;
use kitle::engine::import::{Progress, SourceSpec, load_source};
use kitle_benches::{rows, store_files};
use polars::prelude::*;

fn polars_read(path: &std::path::Path) -> DataFrame {
    CsvReadOptions::default()
        .with_parse_options(CsvParseOptions::default().with_separator(sniff(path)))
        .try_into_reader_with_file_path(Some(path.to_path_buf()))
        .expect("reader")
        .finish()
        .expect("polars read")
}

/// A lower bound for the orders import, written by hand in polars: the raw read,
/// then counted orders folded per customer (revenue, orders, first and last date).
/// It does less than Kitle (no line folding, refunds, date formats or report).
fn polars_read_and_fold(path: &std::path::Path) -> DataFrame {
    let orders = polars_read(path);
    let names: Vec<String> = orders.get_column_names().iter().map(|n| n.to_string()).collect();
    let (customer, date, total, status) = (&names[1], &names[2], &names[3], &names[4]);
    orders
        .lazy()
        .filter(col(status.as_str()).neq(lit("İptal Edildi")))
        .group_by([col(customer.as_str())])
        .agg([
            col(total.as_str()).sum().alias("ltv"),
            len().alias("orders"),
            col(date.as_str()).min().alias("first_order_date"),
            col(date.as_str()).max().alias("last_order_date"),
        ])
        .collect()
        .expect("polars fold")
}

/// A lower bound for the customers import, written by hand in polars: the raw read,
/// then what the customer table needs beyond it for this file: the two dd.mm.yyyy
/// date columns as dates, tags split into lists, the Evet/Hayır column as yes/no,
/// tenure and age. It does less than Kitle (no mapping, format detection, decimal
/// commas, lowercased copies for search, duplicate merge or report).
fn polars_customers_by_hand(path: &std::path::Path, as_of: chrono::NaiveDate) -> DataFrame {
    let customers = polars_read(path);
    let names: Vec<String> = customers.get_column_names().iter().map(|n| n.to_string()).collect();
    let (birth, signup, tags, accepts) = (&names[6], &names[7], &names[9], &names[10]);
    let day_first = |name: &str| {
        col(name).str().to_date(StrptimeOptions {
            format: Some("%d.%m.%Y".into()),
            strict: false,
            ..StrptimeOptions::default()
        })
    };
    let as_of_days = i32::try_from((as_of - chrono::NaiveDate::default()).num_days()).expect("days");
    let days_since = |name: &str| lit(as_of_days) - col(name).cast(DataType::Int32);
    customers
        .lazy()
        .with_columns([
            day_first(birth).alias("birth_date"),
            day_first(signup).alias("signup_date"),
            col(tags.as_str()).str().split(lit(",")).alias("tags"),
            col(accepts.as_str()).eq(lit("Evet")).alias("accepts_marketing"),
        ])
        .with_columns([
            days_since("signup_date").alias("tenure_days"),
            (days_since("birth_date") / lit(365)).alias("age"),
        ])
        .collect()
        .expect("polars customers")
}

fn sniff(path: &std::path::Path) -> u8 {
    let head = std::fs::read(path).map(|b| b[..b.len().min(4096)].to_vec()).unwrap_or_default();
    kitle::engine::import::csv_reader::sniff_delimiter(&String::from_utf8_lossy(&head))
}

fn import(c: &mut Criterion) {
    let (customers_1m, _) = store_files(1_000_000);
    let (_, orders_5m) = store_files(2_500_000);
    eprintln!("customers file: {} rows; orders file: {} rows", rows(&customers_1m), rows(&orders_5m));
    let as_of = chrono_date();

    let mut group = c.benchmark_group("import");
    group.sample_size(10);
    group.bench_function("customers_1m/polars_raw_read", |b| b.iter(|| polars_read(&customers_1m)));
    group.bench_function("customers_1m/polars_read_and_type_by_hand", |b| {
        b.iter(|| polars_customers_by_hand(&customers_1m, as_of))
    });
    group.bench_function("customers_1m/kitle_import", |b| {
        b.iter(|| {
            let spec = SourceSpec::new(SourceKind::Customers, &customers_1m);
            let loaded = load_source(&spec, &Progress::default()).expect("load");
            build(Some(loaded), None, None, as_of).expect("build")
        })
    });
    group.bench_function("orders_5m/polars_raw_read", |b| b.iter(|| polars_read(&orders_5m)));
    group.bench_function("orders_5m/polars_read_and_fold_by_hand", |b| b.iter(|| polars_read_and_fold(&orders_5m)));
    group.bench_function("orders_5m/kitle_import", |b| {
        b.iter(|| {
            let spec = SourceSpec::new(SourceKind::Orders, &orders_5m);
            let loaded = load_source(&spec, &Progress::default()).expect("load");
            build(None, Some(loaded), None, as_of).expect("build")
        })
    });
    group.finish();
}

fn chrono_date() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 1).expect("date")
}

criterion_group!(benches, import);
criterion_main!(benches);
