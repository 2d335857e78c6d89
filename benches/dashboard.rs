//! The full dashboard (cards, previous period, channels, LTV bands, growth) for
//! 1,000,000 customers with their orders and a year of spend. Goal: ≤ 50 ms.

use criterion::{Criterion, criterion_group, criterion_main};
use kitle::engine::build::build;
use kitle::engine::dashboard::{Period, dashboard};
use kitle::engine::data::SpendEntry;
use kitle::engine::fields::SourceKind;
use kitle::engine::import::{Progress, SourceSpec, load_source};
use kitle_benches::store_files;

fn bench(c: &mut Criterion) {
    let (customers, orders) = store_files(1_000_000);
    let cs = load_source(&SourceSpec::new(SourceKind::Customers, &customers), &Progress::default()).expect("customers");
    let os = load_source(&SourceSpec::new(SourceKind::Orders, &orders), &Progress::default()).expect("orders");
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).expect("date");
    let mut data = build(Some(cs), Some(os), None, as_of).expect("build");
    for month in 1..=12 {
        for channel in ["Google Ads", "Instagram", "Facebook", "TikTok"] {
            let start = chrono::NaiveDate::from_ymd_opt(2025, month, 1).expect("month");
            let end = start.checked_add_months(chrono::Months::new(1)).and_then(|d| d.pred_opt()).expect("end");
            data.spend.push(SpendEntry { channel: channel.into(), start, end, amount: 25_000.0, manual: false });
        }
    }
    let bands = [1000.0, 5000.0, 10000.0];
    let year = Some(Period { from: chrono::NaiveDate::from_ymd_opt(2025, 11, 2).expect("from"), to: as_of });
    let mut group = c.benchmark_group("dashboard_1m");
    group.sample_size(20);
    group.bench_function("all_time", |b| b.iter(|| dashboard(&data, None, &bands).expect("dashboard")));
    group.bench_function("last_365_days_with_previous", |b| {
        b.iter(|| dashboard(&data, year, &bands).expect("dashboard"))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
