//! Cohorts on 1,000,000 customers and their 5,000,000 orders over three years
//! (1–9 orders each, six acquisition channels, monthly spend per channel): the
//! monthly cohort table (goal ≤ 150 ms on 2 cores), the same split by channel with
//! each channel's CAC and payback (goal ≤ 300 ms), and the monthly table in real
//! lira by a price index (every order converted). The same group-by in pandas, as
//! a reference: `python3 benches/python/cohorts_pandas.py`.
//!
//! Measured 2026-12-07 (2 cores): 82 ms monthly, 86 ms by channel, 153 ms in real
//! lira (the data converted whole first, as the app converts it); pandas 3.1.1 doing
//! the same group-by (no zero cells, no CAC): 1,165 ms and 1,304 ms.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use kitle::engine::cohorts::index::{AnnualRate, PriceIndex, month_key};
use kitle::engine::cohorts::{CohortOptions, RealLira, Split, cohorts};
use kitle::engine::data::{CustomerData, FieldInfo, FieldOrigin, SpendEntry};
use kitle::engine::fields::FieldType;
use kitle_benches::xorshift;
use polars::prelude::*;

const CHANNELS: [&str; 6] = ["Google Ads", "Meta", "TikTok", "E-posta", "Organik", "Influencer"];

/// `n` customers with 1–9 orders each (5 on average) over three years up to
/// 2026-11-01, grouped by customer, oldest first, as imports keep them.
fn store(n: u32) -> CustomerData {
    let mut next = xorshift(0xD1B5_4A32_D192_ED03u64);
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 1).expect("date");
    let start = kitle::engine::import::columns::date_to_days(as_of) - 3 * 365;
    let (mut customer, mut day, mut total) = (Vec::new(), Vec::new(), Vec::new());
    let mut channel = Vec::with_capacity(n as usize);
    for c in 0..n {
        let k = 1 + next() % 9;
        let mut days: Vec<i32> = (0..k).map(|_| start + (next() % (3 * 365)) as i32).collect();
        days.sort_unstable();
        for d in days {
            customer.push(c);
            day.push(d);
            total.push((next() % 2000) as f64 / 2.0 + 50.0);
        }
        channel.push(CHANNELS[(next() % 6) as usize]);
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
    let channel =
        Series::new("channel".into(), channel).cast(&kitle::engine::data::line_text_type()).expect("category");
    let customers = DataFrame::new(n as usize, vec![channel.into_column()]).expect("customers");
    let mut spend = Vec::new();
    for month in 0..37 {
        let first = NaiveDate::from_ymd_opt(2023, 10, 1).expect("date") + chrono::Months::new(month);
        let last = first + chrono::Months::new(1) - chrono::Days::new(1);
        for (i, channel) in CHANNELS.iter().enumerate().filter(|(_, c)| **c != "Organik") {
            let amount = 20_000.0 + 5_000.0 * i as f64;
            spend.push(SpendEntry { channel: (*channel).into(), start: first, end: last, amount, manual: false });
        }
    }
    CustomerData {
        customers,
        fields: vec![FieldInfo { name: "channel".into(), ty: FieldType::Category, origin: FieldOrigin::Canonical }],
        orders: Some(orders),
        order_lines: None,
        spend,
        as_of,
        report: Default::default(),
    }
}

fn bench(c: &mut Criterion) {
    let data = store(1_000_000);
    let mut g = c.benchmark_group("cohorts_1m_5m");
    g.sample_size(10);
    g.bench_function("monthly_3_years", |b| {
        b.iter(|| cohorts(&data, &[], &CohortOptions::default()).expect("cohorts"));
    });
    let by_channel = CohortOptions { split: Some(Split::Channel), ..Default::default() };
    g.bench_function("monthly_by_channel_with_cac", |b| {
        b.iter(|| cohorts(&data, &[], &by_channel).expect("cohorts"));
    });
    let rates: Vec<AnnualRate> = [(2023, 64.8), (2024, 44.4), (2025, 31.0), (2026, 28.0)]
        .map(|(year, percent)| AnnualRate { year, percent })
        .to_vec();
    let index = PriceIndex::from_annual_rates(&rates).expect("index");
    let real = CohortOptions { real: Some(RealLira { index, base: month_key(data.as_of) }), ..Default::default() };
    g.bench_function("monthly_real_lira", |b| {
        b.iter(|| cohorts(&data, &[], &real).expect("cohorts"));
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
