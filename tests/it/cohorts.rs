//! Cohorts, payback and real lira: a hand-counted CDNOW-shaped set, random order
//! sets against a plain oracle, and real amounts against the index formula.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use kitle::engine::cohorts::index::{PriceIndex, month_key};
use kitle::engine::cohorts::real::{REAL_LTV, in_real_lira};
use kitle::engine::cohorts::{
    BoughtFilter, CohortOptions, CohortPeriod, Cohorts, RealLira, Split, cell_rows, cohorts, median_payback,
};
use kitle::engine::data::{CustomerData, FieldInfo, FieldOrigin, ImportReport};
use kitle::engine::fields::FieldType;
use kitle::engine::segment::history::LineAttr;
use polars::prelude::*;
use proptest::prelude::*;

use crate::helpers::{date, fixture, import, kitle};

const AS_OF: (i32, u32, u32) = (1997, 4, 30);

fn hand_set() -> CustomerData {
    let (y, m, d) = AS_OF;
    import(
        Some("fixtures/cohorts/customers.csv"),
        Some("fixtures/cohorts/orders.csv"),
        Some("fixtures/cohorts/spend.csv"),
        date(y, m, d),
    )
    .unwrap()
}

fn table(data: &CustomerData, options: &CohortOptions) -> Cohorts {
    cohorts(data, &[], options).unwrap()
}

/// `(active, orders, revenue, cumulative LTV)` of each cell of a cohort.
fn cells(t: &Cohorts, cohort: &str, group: Option<&str>) -> Vec<(usize, usize, f64, f64)> {
    let c = t.cohorts.iter().find(|c| c.cohort == cohort && c.group.as_deref() == group).unwrap();
    c.cells.iter().map(|c| (c.active, c.orders, c.revenue, c.cumulative_ltv)).collect()
}

#[test]
fn monthly_cohorts_equal_a_hand_count() {
    let data = hand_set();
    let t = table(&data, &CohortOptions::default());
    let sizes: Vec<(&str, usize)> = t.cohorts.iter().map(|c| (c.cohort.as_str(), c.customers)).collect();
    assert_eq!(sizes, [("1997-01", 5), ("1997-02", 2), ("1997-03", 2), ("1997-04", 1)]);
    // January: customers 1, 2, 3, 4 and 10 (3 ordered twice in January).
    assert_eq!(
        cells(&t, "1997-01", None),
        [(5, 6, 153.52, 30.70), (2, 2, 35.0, 37.70), (1, 1, 20.0, 41.70), (1, 1, 50.0, 51.70)]
    );
    assert_eq!(cells(&t, "1997-02", None), [(2, 3, 125.5, 62.75), (1, 1, 10.0, 67.75), (0, 0, 0.0, 67.75)]);
    assert_eq!(cells(&t, "1997-03", None), [(2, 2, 48.34, 24.17), (1, 1, 12.12, 30.23)]);
    assert_eq!(cells(&t, "1997-04", None), [(1, 1, 70.0, 70.0)]);
    let retention: Vec<f64> = t.cohorts[0].cells.iter().map(|c| c.retention).collect();
    assert_eq!(retention, [1.0, 0.4, 0.2, 0.2]);
    // Every offset up to the as-of month is there; none runs past it.
    assert!(t.cohorts.iter().all(|c| c.cells.iter().all(|cell| !cell.partial)));

    // Quarters and ISO weeks.
    let q = table(&data, &CohortOptions { period: CohortPeriod::Quarter, ..Default::default() });
    let sizes: Vec<(&str, usize)> = q.cohorts.iter().map(|c| (c.cohort.as_str(), c.customers)).collect();
    assert_eq!(sizes, [("1997-Q1", 9), ("1997-Q2", 1)]);
    // Q1's 392.36 and April's 62.12 over 9 customers.
    assert_eq!(cells(&q, "1997-Q1", None)[1], (2, 2, 62.12, 50.5));
    let w = table(&data, &CohortOptions { period: CohortPeriod::Week, ..Default::default() });
    // 1 and 3 ordered first on 1 and 2 January 1997 (ISO week 1 began on 30 December 1996), 4 on the 5th.
    assert_eq!((w.cohorts[0].cohort.as_str(), w.cohorts[0].customers), ("1997-W01", 3));
    assert!(w.cohorts.last().unwrap().cells.last().unwrap().partial, "the week of 30 April runs into May");
}

#[test]
fn cac_and_payback_equal_a_hand_count() {
    let data = hand_set();
    let t = table(&data, &CohortOptions::default());
    // January: 300 + 100 of spend for 5 customers; March: 40 for 2, paid back in its
    // first month (48.34 / 2 ≥ 20); April: 70 for the one customer who spent 70.
    let cac: Vec<(Option<f64>, Option<u32>)> = t.cohorts.iter().map(|c| (c.cac, c.payback_offset)).collect();
    assert_eq!(cac, [(Some(80.0), None), (Some(100.0), None), (Some(20.0), Some(0)), (Some(70.0), Some(0))]);
    // On a 50% margin no cohort pays back by April (March: 0.5 × 30.23 < 20).
    let margin = table(&data, &CohortOptions { margin: Some(0.5), ..Default::default() });
    let paybacks: Vec<Option<u32>> = margin.cohorts.iter().map(|c| c.payback_offset).collect();
    assert_eq!(paybacks, [None, None, None, None]);
    assert_eq!(median_payback(&margin, 12), Some(None), "none has paid back");
    let margin = table(&data, &CohortOptions { margin: Some(0.7), ..Default::default() });
    // 0.7 × 30.23 = 21.16 ≥ 20 in March's second month.
    assert_eq!(margin.cohorts[2].payback_offset, Some(1));
    // Half the cohorts paid back in their first month.
    assert_eq!(median_payback(&t, 12), Some(Some(0)));
    assert_eq!(median_payback(&t, 1), Some(Some(0)));

    // By channel: each channel's own spend over its own new customers; no spend, no CAC.
    let by = table(&data, &CohortOptions { split: Some(Split::Channel), ..Default::default() });
    let jan: Vec<(Option<&str>, usize, Option<f64>)> =
        by.cohorts.iter().filter(|c| c.cohort == "1997-01").map(|c| (c.group.as_deref(), c.customers, c.cac)).collect();
    assert_eq!(
        jan,
        [(Some("Google Ads"), 2, Some(150.0)), (Some("Instagram"), 2, Some(50.0)), (Some("(unknown)"), 1, None)]
    );
    // By city: each city carries its channels' spend in proportion; the costs add up to January's 400.
    let city = table(&data, &CohortOptions { split: Some(Split::City), ..Default::default() });
    let jan: BTreeMap<String, (usize, f64)> = city
        .cohorts
        .iter()
        .filter(|c| c.cohort == "1997-01")
        .map(|c| (c.group.clone().unwrap(), (c.customers, c.cac.unwrap())))
        .collect();
    // İstanbul: 1 (Google, half of 300) + 3 and 10 (all of Instagram's 100) = 250 for 3.
    assert_eq!(jan["İstanbul"], (3, 83.33));
    assert_eq!(jan["Ankara"], (1, 150.0));
    assert_eq!(jan["İzmir"], (1, 0.0));
}

#[test]
fn splits_and_filters_by_first_order_and_segment() {
    let dir = crate::helpers::scratch().join("cohort-lines");
    std::fs::create_dir_all(&dir).unwrap();
    let orders = dir.join("orders.csv");
    std::fs::write(
        &orders,
        "order_id,customer_id,order_date,total,product,category\n\
         1,a,2026-01-05,100,Kahve,İçecek\n1,a,2026-01-05,0,Fincan,Ev\n2,a,2026-02-10,50,Çay,İçecek\n\
         3,b,2026-01-20,80,Fincan,Ev\n4,b,2026-03-01,20,Kahve,İçecek\n\
         5,c,2026-02-02,30,Çay,İçecek\n",
    )
    .unwrap();
    let data = kitle::engine::build::build(
        None,
        Some(crate::helpers::load(kitle::engine::fields::SourceKind::Orders, orders.to_str().unwrap()).unwrap()),
        None,
        date(2026, 3, 31),
    )
    .unwrap();
    let by = table(&data, &CohortOptions { split: Some(Split::FirstProduct), ..Default::default() });
    let groups: Vec<(&str, &str, usize)> =
        by.cohorts.iter().map(|c| (c.cohort.as_str(), c.group.as_deref().unwrap(), c.customers)).collect();
    assert_eq!(groups, [("2026-01", "Kahve", 1), ("2026-01", "Fincan", 1), ("2026-02", "Çay", 1)]);
    let by = table(&data, &CohortOptions { split: Some(Split::FirstCategory), ..Default::default() });
    assert_eq!(by.cohorts[0].group.as_deref(), Some("İçecek"));
    // Bought coffee in the first order: a only; in any order: a and b.
    let first = BoughtFilter { attr: LineAttr::Product, text: "kahve".into(), any_order: false };
    let t = table(&data, &CohortOptions { bought: Some(first.clone()), ..Default::default() });
    assert_eq!(t.customers, 1);
    let any = BoughtFilter { any_order: true, ..first };
    let t = table(&data, &CohortOptions { bought: Some(any), ..Default::default() });
    assert_eq!(t.customers, 2);
    // A saved segment keeps its members only.
    let segments = [kitle::engine::workspace::Segment::new("Büyük", "", "ltv >= 100")];
    let options = CohortOptions { split: Some(Split::Segment("Büyük".into())), ..Default::default() };
    let t = cohorts(&data, &segments, &options).unwrap();
    assert_eq!((t.customers, t.cohorts[0].group.as_deref()), (2, Some("Büyük")));
    assert!(cohorts(&data, &[], &options).unwrap_err().to_string().contains("Büyük"));
    // A cell's customers: January's cohort active in March is b.
    let rows =
        cell_rows(&data, &[], &CohortOptions::default(), &table(&data, &Default::default()).cohorts[0], 2).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(crate::helpers::text(&data, "customer_id", rows[0] as usize).as_deref(), Some("b"));
}

#[test]
fn real_lira_are_nominal_times_index_base_over_index_month() {
    let data = hand_set();
    let (index, read) = PriceIndex::read(&fixture("fixtures/cohorts/tufe_evds.csv")).unwrap();
    assert_eq!((read.skipped_rows, read.value_column.as_str()), (1, "TP_FG_J0"));
    let value: BTreeMap<String, f64> = index.months.iter().cloned().collect();
    assert_eq!(value["1997-02"], 104.04, "a decimal comma");
    let base = month_key(date(1997, 4, 1));
    let real = in_real_lira(&data, &index, base).unwrap();
    let orders = data.orders.as_ref().unwrap();
    let nominal = orders.column("total").unwrap().f64().unwrap();
    let converted = real.orders.as_ref().unwrap().column("total").unwrap().f64().unwrap().clone();
    let days = orders.column("order_date").unwrap().date().unwrap().clone();
    for i in 0..orders.height() {
        let day = days.physical().get(i).and_then(|d| NaiveDate::from_num_days_from_ce_opt(d + 719_163)).unwrap();
        let month = format!("{:04}-{:02}", day.year(), day.month());
        let expected = nominal.get(i).unwrap() * value["1997-04"] / value[&month];
        assert!((converted.get(i).unwrap() - expected).abs() < 1e-9, "order {i} of {month}");
    }
    // Each customer's LTV and spend follow; the cohort table's revenue is the real orders'.
    let ltv =
        |d: &CustomerData, id: &str| crate::helpers::num(d, "ltv", crate::helpers::row_where(d, "customer_id", id));
    let expected = 89.0 * 121.0 / 102.0 + 20.0 * 121.0 / 110.0;
    assert!((ltv(&real, "00002").unwrap() - expected).abs() < 1e-9);
    assert!((real.spend[0].amount - 300.0 * 121.0 / 102.0).abs() < 1e-9);
    let options = CohortOptions { real: Some(RealLira { index: index.clone(), base }), ..Default::default() };
    let t = table(&data, &options);
    assert_eq!((t.real, t.base.as_deref()), (true, Some("1997-04")));
    let jan: f64 = 153.52 * 121.0 / 102.0;
    assert!((t.cohorts[0].cells[0].revenue - (jan * 100.0).round() / 100.0).abs() < 1e-9);
    assert!((t.cohorts[0].cac.unwrap() - (400.0_f64 * 121.0 / 102.0 / 5.0 * 100.0).round() / 100.0).abs() < 1e-9);
    assert!(t.index.as_ref().unwrap().carried_after.is_none());
    // A base past the index's end carries its last rate, and says so.
    let later = CohortOptions { real: Some(RealLira { index, base: base + 2 }), ..Default::default() };
    let t = table(&data, &later);
    let carried = t.index.unwrap().carried_after.unwrap();
    assert!((carried - (1.21f64.powf(0.25) - 1.0)).abs() < 1e-9, "four months from 100 to 121: {carried}");

    // real_ltv is a field of the nominal data for segments.
    let mut with_field = data.clone();
    kitle::engine::cohorts::real::add_real_ltv(
        &mut with_field,
        &PriceIndex::read(&fixture("fixtures/cohorts/tufe_evds.csv")).unwrap().0,
        base,
    )
    .unwrap();
    assert!(
        (crate::helpers::num(&with_field, REAL_LTV, crate::helpers::row_where(&with_field, "customer_id", "00002"))
            .unwrap()
            - expected)
            .abs()
            < 1e-9
    );
    assert_eq!(with_field.field(REAL_LTV).map(|f| f.ty), Some(FieldType::Money));
}

#[test]
fn the_command_line_gives_the_issues_json_and_explains_a_missing_index() {
    let dir = crate::helpers::scratch().join("cohort-cli");
    std::fs::create_dir_all(&dir).unwrap();
    let ws = dir.join("c.kitle");
    let f = |p: &str| fixture(p).to_str().unwrap().to_owned();
    let (ok, _, err) = kitle(&[
        "import",
        "--customers",
        &f("fixtures/cohorts/customers.csv"),
        "--orders",
        &f("fixtures/cohorts/orders.csv"),
        "--spend",
        &f("fixtures/cohorts/spend.csv"),
        "--as-of",
        "1997-04-30",
        "-o",
        ws.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    let ws = ws.to_str().unwrap();
    let (ok, out, err) = kitle(&["cohorts", ws, "--as-of", "1997-04-30", "--by", "channel", "--json"]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (v["period"].as_str(), v["by"].as_str(), v["real"].as_bool()),
        (Some("month"), Some("channel"), Some(false))
    );
    assert!(v["base"].is_null());
    let first = &v["cohorts"][0];
    for key in ["cohort", "group", "customers", "cac", "payback_offset", "cells"] {
        assert!(first.get(key).is_some(), "no {key}");
    }
    for key in ["offset", "active", "retention", "orders", "revenue", "cumulative_ltv"] {
        assert!(first["cells"][0].get(key).is_some(), "no {key}");
    }
    assert_eq!(
        (first["cohort"].as_str(), first["group"].as_str(), first["cac"].as_f64()),
        (Some("1997-01"), Some("Google Ads"), Some(150.0))
    );
    let (ok, out, _) = kitle(&[
        "cohorts",
        ws,
        "--as-of",
        "1997-04-30",
        "--real",
        "--index",
        &f("fixtures/cohorts/tufe_evds.csv"),
        "--base",
        "1997-04",
        "--json",
    ]);
    assert!(ok);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!((v["real"].as_bool(), v["base"].as_str()), (Some(true), Some("1997-04")));
    assert_eq!(v["cohorts"][0]["cac"].as_f64(), Some(94.9));
    let (ok, _, err) = kitle(&["cohorts", ws, "--real"]);
    assert!(!ok);
    assert!(err.contains("TP.FG.J0") && err.contains("EVDS"), "{err}");
    let (ok, _, err) = kitle(&["cohorts", ws, "--period", "year"]);
    assert!(!ok && err.contains("month, quarter or week"), "{err}");
}

/// A cell of the oracle: (cohort period, order period), each as (year, month or week).
type Cell = ((i32, u32), (i32, u32));

/// One random order: customer, day offset from 2024-01-01, amount in kuruş.
fn order() -> impl Strategy<Value = (u32, i32, u32)> {
    (0..12u32, 0..500i32, 0..50_000u32)
}

/// Random customers' orders as the engine keeps them: grouped by customer.
fn data_of(orders: &[(u32, i32, u32)], as_of: NaiveDate) -> CustomerData {
    let mut sorted = orders.to_vec();
    sorted.sort();
    let start = date(2024, 1, 1);
    let epoch = date(1970, 1, 1);
    let customers: Vec<String> = (0..12).map(|i| format!("c{i}")).collect();
    let orders = df!(
        "customer" => sorted.iter().map(|o| o.0).collect::<Vec<u32>>(),
        "order_id" => (0..sorted.len()).map(|i| i.to_string()).collect::<Vec<String>>(),
        "order_date" => sorted.iter().map(|o| ((start - epoch).num_days() as i32) + o.1).collect::<Vec<i32>>(),
        "total" => sorted.iter().map(|o| f64::from(o.2) / 100.0).collect::<Vec<f64>>(),
    )
    .unwrap()
    .lazy()
    .with_column(col("order_date").cast(DataType::Date))
    .collect()
    .unwrap();
    CustomerData {
        customers: df!("customer_id" => customers).unwrap(),
        fields: vec![FieldInfo { name: "customer_id".into(), ty: FieldType::Text, origin: FieldOrigin::Canonical }],
        orders: Some(orders),
        order_lines: None,
        spend: Vec::new(),
        as_of,
        report: ImportReport::default(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn cohorts_match_a_plain_count(orders in proptest::collection::vec(order(), 1..60), as_of in 0..500i32, weekly in any::<bool>()) {
        let as_of = date(2024, 1, 1) + chrono::Duration::days(i64::from(as_of));
        let data = data_of(&orders, as_of);
        let period = if weekly { CohortPeriod::Week } else { CohortPeriod::Month };
        let key = |d: NaiveDate| if weekly {
            let w = d.iso_week();
            (w.year(), w.week())
        } else {
            (d.year(), d.month())
        };
        // The oracle: first period per customer, then per (cohort, period) sets and sums.
        let seen: Vec<(u32, NaiveDate, f64)> = orders
            .iter()
            .map(|o| (o.0, date(2024, 1, 1) + chrono::Duration::days(i64::from(o.1)), f64::from(o.2) / 100.0))
            .filter(|o| o.1 <= as_of)
            .collect();
        let mut first: BTreeMap<u32, NaiveDate> = BTreeMap::new();
        for (c, d, _) in &seen {
            let f = first.entry(*c).or_insert(*d);
            *f = (*f).min(*d);
        }
        let mut size: BTreeMap<(i32, u32), usize> = BTreeMap::new();
        for d in first.values() {
            *size.entry(key(*d)).or_default() += 1;
        }
        let mut active: BTreeMap<Cell, BTreeSet<u32>> = BTreeMap::new();
        let mut count: BTreeMap<Cell, (usize, f64)> = BTreeMap::new();
        for (c, d, t) in &seen {
            let cell = (key(first[c]), key(*d));
            active.entry(cell).or_default().insert(*c);
            let e = count.entry(cell).or_default();
            e.0 += 1;
            e.1 += t;
        }
        match cohorts(&data, &[], &CohortOptions { period, ..Default::default() }) {
            Err(_) => prop_assert!(seen.is_empty()),
            Ok(t) => {
                let got: BTreeMap<(i32, u32), usize> = t
                    .cohorts
                    .iter()
                    .map(|c| (key(period.days(c.key).0), c.customers))
                    .collect();
                prop_assert_eq!(&got, &size);
                for c in &t.cohorts {
                    let ck = key(period.days(c.key).0);
                    let last = key(as_of);
                    prop_assert_eq!(key(period.days(c.key + c.cells.len() as i32 - 1).0), last, "offsets reach the as-of period");
                    for cell in &c.cells {
                        let pk = key(period.days(c.key + cell.offset as i32).0);
                        let want_active = active.get(&(ck, pk)).map_or(0, BTreeSet::len);
                        let (want_orders, want_revenue) = count.get(&(ck, pk)).copied().unwrap_or_default();
                        prop_assert_eq!(cell.active, want_active);
                        prop_assert_eq!(cell.orders, want_orders);
                        prop_assert!((cell.revenue - want_revenue).abs() < 0.006, "{} vs {}", cell.revenue, want_revenue);
                    }
                }
            }
        }
    }
}

#[test]
fn a_rule_made_from_real_figures_reads_real_ltv() {
    use kitle::engine::segment::{parse, to_text};
    let rule = parse("ltv > 1000 and (city = \"İzmir\" or ltv < 50)").unwrap();
    let renamed = rule.with_fields_renamed(|f| (f == "ltv").then(|| REAL_LTV.to_owned()));
    assert_eq!(to_text(&renamed), "real_ltv > 1000 and (city = \"İzmir\" or real_ltv < 50)");
    // The field is there for segments once a workspace has an index, and goes with it.
    let mut data = hand_set();
    let mut ws = kitle::engine::workspace::Workspace::new("t");
    ws.settings.price_index = Some(PriceIndex::read(&fixture("fixtures/cohorts/tufe_evds.csv")).unwrap().0);
    ws.apply_manual_spend(&mut data);
    assert!(data.field(REAL_LTV).is_some());
    ws.settings.price_index = None;
    ws.apply_manual_spend(&mut data);
    assert!(data.field(REAL_LTV).is_none() && data.customers.column(REAL_LTV).is_err());
}
