//! Dashboard numbers checked against values computed by hand on a small store.

use kitle::engine::dashboard::{Period, RangePreset, dashboard};

use crate::helpers::*;

const BANDS: [f64; 3] = [1000.0, 5000.0, 10000.0];

fn store(spend: bool) -> kitle::engine::data::CustomerData {
    import(
        Some("fixtures/dashboard/customers.csv"),
        Some("fixtures/dashboard/orders.csv"),
        spend.then_some("fixtures/dashboard/spend.csv"),
        date(2026, 3, 31),
    )
    .unwrap()
}

#[test]
fn all_time_numbers() {
    let d = dashboard(&store(true), None, &BANDS).unwrap();
    let h = &d.headline;
    assert_eq!((h.customers, h.new_customers), (5, 4), "E has no signup date and no orders");
    approx(h.total_revenue, 20_100.0);
    approx(h.avg_ltv, 4_020.0);
    approx(h.aov, 20_100.0 / 7.0);
    approx(h.repeat_rate, 0.4);
    approx(h.spend, 7_500.0);
    approx(h.cac, 1_875.0);
    approx(h.ltv_cac, 4_020.0 / 1_875.0);
    assert!(d.previous.is_none());

    let bands: Vec<usize> = d.ltv_bands.iter().map(|b| b.customers).collect();
    assert_eq!(bands, vec![2, 1, 1, 1]);
    assert_eq!(d.ltv_bands[3].to, None);

    let google = d.channels.iter().find(|c| c.channel == "Google Ads").unwrap();
    assert_eq!((google.customers, google.new_customers), (2, 2));
    approx(google.spend, 6_100.0);
    approx(google.cac, 3_050.0);
    approx(google.avg_ltv, 3_750.0);
    let organic = d.channels.iter().find(|c| c.channel == "Organik").unwrap();
    assert_eq!((organic.spend, organic.cac), (None, None));

    let growth: Vec<(&str, usize, usize)> = d.growth.iter().map(|g| (g.month.as_str(), g.new, g.cumulative)).collect();
    assert_eq!(growth, vec![("2025-12", 1, 1), ("2026-01", 1, 2), ("2026-02", 2, 4)]);
}

#[test]
fn a_month_against_the_previous_period() {
    let feb = Period { from: date(2026, 2, 1), to: date(2026, 2, 28) };
    let d = dashboard(&store(true), Some(feb), &BANDS).unwrap();
    let h = &d.headline;
    assert_eq!((h.customers, h.new_customers), (5, 2));
    approx(h.total_revenue, 6_800.0);
    approx(h.aov, 6_800.0 / 3.0);
    approx(h.spend, 4_500.0);
    approx(h.cac, 2_250.0);
    approx(h.ltv_cac, 4_020.0 / 2_250.0);

    // The 28 days before: 4–31 January; January's spend counts for 28 of its 31 days.
    let p = d.previous.as_ref().unwrap();
    assert_eq!((p.customers, p.new_customers), (3, 1));
    approx(p.total_revenue, 1_000.0);
    approx(p.spend, 3_000.0 * 28.0 / 31.0);
    approx(p.cac, 3_000.0 * 28.0 / 31.0);
    approx(p.avg_ltv, (1_500.0 + 12_400.0) / 3.0);

    let instagram = d.channels.iter().find(|c| c.channel == "Instagram").unwrap();
    assert_eq!((instagram.customers, instagram.new_customers), (2, 1));
    approx(instagram.cac, 1_400.0);
    let growth: Vec<(&str, usize, usize)> = d.growth.iter().map(|g| (g.month.as_str(), g.new, g.cumulative)).collect();
    assert_eq!(growth, vec![("2026-02", 2, 4)]);
}

#[test]
fn without_spend_cac_is_missing_not_zero() {
    let d = dashboard(&store(false), None, &BANDS).unwrap();
    assert!(!d.has_spend);
    assert_eq!((d.headline.spend, d.headline.cac, d.headline.ltv_cac), (None, None, None));
    approx(d.headline.avg_ltv, 4_020.0);
}

#[test]
fn presets_resolve_against_the_as_of_date() {
    let data = store(true);
    assert_eq!(RangePreset::Last30.period(&data), Some(Period { from: date(2026, 3, 2), to: date(2026, 3, 31) }));
    assert_eq!(RangePreset::ThisYear.period(&data), Some(Period { from: date(2026, 1, 1), to: date(2026, 3, 31) }));
    assert_eq!(RangePreset::SpendPeriod.period(&data), Some(Period { from: date(2026, 1, 1), to: date(2026, 2, 28) }));
    assert_eq!(RangePreset::AllTime.period(&data), None);
}

#[test]
fn orders_only_one_customer_and_empty_tables() {
    // Orders only: customers are acquired on their first order.
    let orders_only = import(None, Some("fixtures/orders_only/siparisler.csv"), None, date(2026, 1, 1)).unwrap();
    let d = dashboard(&orders_only, None, &BANDS).unwrap();
    assert_eq!((d.headline.customers, d.headline.new_customers), (2, 2));
    approx(d.headline.total_revenue, 400.5 + 800.0);
    approx(d.headline.aov, 1_200.5 / 3.0);
    approx(d.headline.repeat_rate, 0.5);
    let growth: Vec<(&str, usize)> = d.growth.iter().map(|g| (g.month.as_str(), g.new)).collect();
    assert_eq!(growth.first(), Some(&("2025-01", 1)));
    assert_eq!(growth.last(), Some(&("2025-07", 1)));

    let one = import(Some("fixtures/dashboard/one_customer.csv"), None, None, date(2026, 3, 31)).unwrap();
    let d = dashboard(&one, None, &BANDS).unwrap();
    assert_eq!(d.headline.customers, 1);
    approx(d.headline.avg_ltv, 450.0);
    approx(d.headline.aov, 150.0);
    approx(d.headline.repeat_rate, 1.0);
    assert_eq!(d.ltv_bands[0].customers, 1);

    let mut empty = one.clone();
    empty.customers = empty.customers.head(Some(0));
    let d = dashboard(&empty, Some(Period { from: date(2026, 1, 1), to: date(2026, 3, 31) }), &BANDS).unwrap();
    assert_eq!((d.headline.customers, d.headline.avg_ltv, d.headline.cac), (0, None, None));
    assert!(d.growth.is_empty());
}

#[test]
fn paid_cac_leaves_organic_customers_out_and_partial_months_are_marked() {
    let dir = tempfile::tempdir().unwrap();
    let path = kitle::engine::demo::write_demo_workspace(dir.path(), &Default::default()).unwrap();
    let ws = kitle::engine::workspace::Workspace::load(&path).unwrap();
    let data = ws.load_data(&path, &kitle::engine::import::Progress::default()).unwrap();
    let d = dashboard(&data, None, &BANDS).unwrap();
    let paid: usize = d.channels.iter().filter(|c| c.spend.is_some_and(|s| s > 0.0)).map(|c| c.new_customers).sum();
    let organic = d.channels.iter().find(|c| c.channel == "Organik").unwrap();
    assert!(organic.new_customers > 0 && organic.spend.is_none(), "the demo has organic customers");
    assert_eq!(d.paid_new_customers, Some(paid));
    assert!(paid < d.headline.new_customers);
    approx(d.paid_cac, d.headline.spend.unwrap() / paid as f64);
    assert!(d.paid_cac.unwrap() > d.headline.cac.unwrap(), "organic customers lower blended CAC");
    assert!(d.growth.iter().all(|g| !g.partial), "the demo's as-of day starts a month with no customers yet");

    // The last 30 days start and end mid-month: both months are drawn as partial.
    let last30 = RangePreset::Last30.period(&data);
    let d = dashboard(&data, last30, &BANDS).unwrap();
    assert!(d.growth.first().unwrap().partial && d.growth.last().unwrap().partial);
    // A whole month is not partial.
    let feb = Period { from: date(2026, 2, 1), to: date(2026, 2, 28) };
    let d = dashboard(&store(true), Some(feb), &BANDS).unwrap();
    assert!(!d.growth[0].partial);
    // Without spend there is no paid CAC either.
    let d = dashboard(&store(false), None, &BANDS).unwrap();
    assert_eq!((d.paid_new_customers, d.paid_cac), (None, None));
}

/// A store of 150,000 customers, read in ranges of rows on all cores: every number
/// equals a plain loop over the generated rows (empty channels, dates, LTVs and
/// order counts included).
#[test]
fn a_large_store_counts_as_a_plain_loop_does() {
    use std::fmt::Write as _;
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("customers.csv");
    let channels = ["Google Ads", "Meta", "Organik", ""];
    let mut text = String::from("customer_id,channel,signup_date,ltv,orders\n");
    let mut rows = Vec::new();
    for i in 0..150_000u32 {
        let channel = channels[(i % 7 % 4) as usize];
        let signup = (i % 11 != 0).then(|| date(2024, 1, 1) + chrono::Days::new(u64::from(i % 900)));
        let ltv = (i % 13 != 0).then(|| f64::from(i % 12_000) + 0.25);
        let orders = (i % 5 != 0).then(|| i64::from(i % 6));
        let show = |v: Option<String>| v.unwrap_or_default();
        let _ = writeln!(
            text,
            "{},{channel},{},{},{}",
            100_000 + i,
            show(signup.map(|d| d.to_string())),
            show(ltv.map(|l| l.to_string())),
            show(orders.map(|o| o.to_string()))
        );
        rows.push((if channel.is_empty() { "(unknown)" } else { channel }, signup, ltv, orders));
    }
    std::fs::write(&csv, text).unwrap();
    let data = import(Some(csv.to_str().unwrap()), None, None, date(2026, 6, 30)).unwrap();
    let quarter = Period { from: date(2025, 1, 1), to: date(2025, 3, 31) };
    for period in [None, Some(quarter)] {
        let d = dashboard(&data, period, &BANDS).unwrap();
        let in_base = |a: Option<chrono::NaiveDate>| period.is_none_or(|p| a.is_none_or(|a| a <= p.to));
        let is_new = |a: Option<chrono::NaiveDate>| match period {
            None => a.is_some(),
            Some(p) => a.is_some_and(|a| (p.from..=p.to).contains(&a)),
        };
        let base: Vec<_> = rows.iter().filter(|r| in_base(r.1)).collect();
        let h = &d.headline;
        assert_eq!(h.customers, base.len());
        assert_eq!(h.new_customers, base.iter().filter(|r| is_new(r.1)).count());
        let ltvs: Vec<f64> = base.iter().filter_map(|r| r.2).collect();
        approx(h.avg_ltv, ltvs.iter().sum::<f64>() / ltvs.len() as f64);
        let repeaters = base.iter().filter(|r| r.3.is_some_and(|o| o >= 2)).count();
        approx(h.repeat_rate, repeaters as f64 / base.len() as f64);
        for name in ["Google Ads", "Meta", "Organik", "(unknown)"] {
            let of = || base.iter().filter(|r| r.0 == name);
            let shown = d.channels.iter().find(|c| c.channel == name).unwrap_or_else(|| panic!("{name}"));
            assert_eq!((shown.customers, shown.new_customers), (of().count(), of().filter(|r| is_new(r.1)).count()));
            let ltvs: Vec<f64> = of().filter_map(|r| r.2).collect();
            approx(shown.avg_ltv, ltvs.iter().sum::<f64>() / ltvs.len() as f64);
        }
        let band_of = |l: f64| BANDS.iter().filter(|b| l >= **b).count();
        for (b, band) in d.ltv_bands.iter().enumerate() {
            assert_eq!(band.customers, ltvs.iter().filter(|l| band_of(**l) == b).count(), "band {b}");
        }
        let acquired: Vec<_> = rows.iter().filter_map(|r| r.1).collect();
        let end = period.map_or(date(2026, 6, 30), |p| p.to);
        let last = d.growth.last().unwrap();
        assert_eq!(last.cumulative, acquired.iter().filter(|a| **a <= end).count());
        let start = period.map_or(date(2000, 1, 1), |p| p.from);
        let new: usize = d.growth.iter().map(|g| g.new).sum();
        assert_eq!(new, acquired.iter().filter(|a| (start..=end).contains(*a)).count());
    }
}
