//! Explore on 1,000,000 customers (5,000,000 orders folded into order counts, last
//! order dates and LTV): RFM scoring with the groups (the derived fields), and the
//! groups' and grid's figures (goal ≤ 100 ms on 2 cores); a cross-tab of two
//! fields with average LTV per cell (goal ≤ 50 ms); k-means with k chosen by
//! silhouette and each cluster's rule measured (goal ≤ 3 s); the BG/NBD fit on the CDNOW
//! sample (compare with `python3 benches/python/bgnbd_cdnow.py
//! tests/fixtures/cdnow/cdnow_summary.csv`, goal ≥ 20× faster than `lifetimes`;
//! measured 2026-12-02: 0.97 ms against 57.2 ms); histories and both fits from
//! 1,000,000 customers' 5,000,000 orders (goal ≤ 2 s; measured 1.30 s); a
//! lookalike of the demo store's top 10% by LTV, 1,000,000 customers and their
//! orders imported from the demo generator's files, as `kitle demo` makes them
//! (goal ≤ 1 s); the prediction fields every import adds for 1,000,000 customers
//! (measured 2026-12-07: 505 ms, of which the expected next order date ~115 ms).

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{Criterion, criterion_group, criterion_main};
use kitle::engine::data::{CustomerData, FieldInfo, FieldOrigin};
use kitle::engine::explore::bgnbd::{fit_bgnbd, group};
use kitle::engine::explore::crosstab::{Measure, crosstab};
use kitle::engine::explore::predict::{UNIT_DAYS, fit, histories};
use kitle::engine::explore::rfm::{add_rfm_fields, rfm};
use kitle::engine::fields::FieldType;
use kitle_benches::xorshift;
use polars::prelude::*;

fn customers(n: usize) -> CustomerData {
    let mut next = xorshift(0x2545_F491_4F6C_DD1Du64);
    let (mut days, mut orders, mut ltv) = (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    for _ in 0..n {
        let r = next();
        // Five orders per customer on average (5,000,000 orders), a few prospects.
        let k = if r.is_multiple_of(20) { 0 } else { 1 + (r >> 8) % 9 } as i64;
        orders.push(k);
        days.push((k > 0).then_some(((r >> 20) % 730) as i64));
        ltv.push((k as f64) * (((r >> 32) % 900) as f64 + 50.0));
    }
    let df = DataFrame::new(
        n,
        vec![
            Series::new("days_since_last_order".into(), days).into_column(),
            Series::new("orders".into(), orders).into_column(),
            Series::new("ltv".into(), ltv).into_column(),
        ],
    )
    .expect("frame");
    let field = |name: &str, ty| FieldInfo { name: name.into(), ty, origin: FieldOrigin::Derived };
    CustomerData {
        customers: df,
        fields: vec![
            field("days_since_last_order", FieldType::Integer),
            field("orders", FieldType::Integer),
            field("ltv", FieldType::Money),
        ],
        orders: None,
        order_lines: None,
        spend: Vec::new(),
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 11, 1).expect("date"),
        report: Default::default(),
    }
}

fn explore(c: &mut Criterion) {
    let base = customers(1_000_000);
    let mut group = c.benchmark_group("explore_1m");
    group.sample_size(20);
    group.bench_function("rfm_scores_groups_and_grid", |b| {
        b.iter(|| {
            let mut data =
                CustomerData { customers: base.customers.clone(), fields: base.fields.clone(), ..customers(0) };
            add_rfm_fields(&mut data.customers, &mut data.fields).expect("scores");
            rfm(&data).expect("figures")
        });
    });
    let mut scored = CustomerData { customers: base.customers.clone(), fields: base.fields.clone(), ..customers(0) };
    add_rfm_fields(&mut scored.customers, &mut scored.fields).expect("scores");
    group.bench_function("crosstab_rfm_group_by_recency_avg_ltv", |b| {
        b.iter(|| crosstab(&scored, "rfm_group", "days_since_last_order", Measure::AvgLtv).expect("crosstab"));
    });
    let shared = std::sync::Arc::new(scored);
    group.sample_size(10);
    group.bench_function("clusters_k_by_silhouette_with_rules", |b| {
        b.iter(|| kitle::engine::explore::clusters::clusters(&shared, None, &[]).expect("clusters"));
    });
    group.finish();
}

fn lookalike(c: &mut Criterion) {
    use kitle::engine::build::build;
    use kitle::engine::fields::SourceKind;
    use kitle::engine::import::{Progress, SourceSpec, load_source};
    let (customers_1m, orders) = kitle_benches::store_files(1_000_000);
    let load = |kind, path| load_source(&SourceSpec::new(kind, path), &Progress::default()).expect("load");
    let (customers, orders) = (load(SourceKind::Customers, &customers_1m), load(SourceKind::Orders, &orders));
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).expect("date");
    let data = std::sync::Arc::new(build(Some(customers), Some(orders), None, as_of).expect("build"));
    let frame = kitle::engine::segment::evaluate::SegmentFrame::new(std::sync::Arc::clone(&data));
    let compiled = frame.compile(&kitle::engine::segment::parse("ltv in top 10%").expect("rule"));
    assert!(compiled.invalid.is_empty(), "{:?}", compiled.invalid);
    let vip = frame.mask(&compiled).expect("VIP");
    let seed: Vec<bool> = (0..vip.len()).map(|i| vip.get_bit(i)).collect();
    let mut g = c.benchmark_group("lookalike_1m");
    g.sample_size(10);
    g.bench_function("demo_top_10_percent_ltv", |b| {
        b.iter(|| kitle::engine::segment::lookalike::lookalike(&data, &seed).expect("lookalike"));
    });
    g.finish();
}

fn predict(c: &mut Criterion) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/cdnow/cdnow_summary.csv");
    let text = std::fs::read_to_string(path).expect("CDNOW sample");
    let rows: Vec<Vec<f64>> =
        text.lines().skip(1).map(|l| l.split(',').skip(1).map(|c| c.parse().expect("number")).collect()).collect();
    let cdnow = group(&rows.iter().map(|r| (r[0], r[1], r[2])).collect::<Vec<_>>());
    let mut g = c.benchmark_group("predict");
    g.sample_size(10);
    g.bench_function("bgnbd_cdnow", |b| b.iter(|| fit_bgnbd(&cdnow).expect("fit")));
    let store = with_orders(1_000_000);
    g.bench_function("histories_bgnbd_gamma_gamma_1m_5m", |b| {
        b.iter(|| {
            let h = histories(&store, UNIT_DAYS, None).expect("histories");
            fit(&h, UNIT_DAYS).expect("fit")
        });
    });
    // The fields every import adds: P(alive), expected orders, predicted CLV, win-back
    // value and the expected next order date for each of the 1,000,000 customers.
    let table = CustomerData { customers: customers(1_000_000).customers, ..store.clone() };
    g.bench_function("prediction_fields_1m_5m", |b| {
        b.iter(|| {
            let mut data = table.clone();
            kitle::engine::explore::predict::add_prediction_fields(&mut data).expect("fields")
        });
    });
    g.finish();
}

/// `n` customers with 1–9 orders each (5 on average) over two years, as the
/// customer table's order lines.
fn with_orders(n: u32) -> CustomerData {
    let mut next = xorshift(0x9E37_79B9_7F4A_7C15u64);
    let (mut customer, mut day, mut total) = (Vec::new(), Vec::new(), Vec::new());
    let start =
        kitle::engine::import::columns::date_to_days(chrono::NaiveDate::from_ymd_opt(2024, 11, 1).expect("date"));
    for c in 0..n {
        let k = 1 + next() % 9;
        let mut days: Vec<i32> = (0..k).map(|_| start + (next() % 730) as i32).collect();
        days.sort_unstable();
        for d in days {
            customer.push(c);
            day.push(d);
            total.push((next() % 2000) as f64 / 2.0 + 50.0);
        }
    }
    let orders = DataFrame::new(
        customer.len(),
        vec![
            Series::new("customer".into(), customer).into_column(),
            Int32Chunked::from_vec("order_date".into(), day).into_date().into_series().into_column(),
            Series::new("total".into(), total).into_column(),
        ],
    )
    .expect("orders");
    CustomerData { orders: Some(orders), ..customers(0) }
}

criterion_group!(benches, explore, predict, lookalike);
criterion_main!(benches);
