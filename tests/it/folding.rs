//! Folding order lines into customers, checked against a simple per-customer sum
//! written here: random orders of one to three lines, cancelled or not, lines in
//! file order or shuffled, ids that are dense numbers, sparse numbers or text
//! (where `007` and `7` are different customers).

use std::collections::BTreeMap;
use std::path::Path;

use kitle::engine::build::build;
use kitle::engine::data::CustomerData;
use kitle::engine::fields::SourceKind;
use kitle::engine::import::reader::{ReadOptions, read_table_bytes};
use kitle::engine::import::{Progress, SourceSpec, load_raw};
use proptest::prelude::*;

use crate::helpers::*;

#[derive(Debug, Clone)]
struct Order {
    customer: usize,
    /// Cents per line, and quantity.
    lines: Vec<(u32, u8)>,
    cancelled: bool,
    day: u32,
    /// The customer id is left blank on lines after the first.
    blank_later_keys: bool,
}

const CUSTOMER_IDS: [&[&str]; 3] =
    [&["1", "2", "3", "4", "5"], &["5", "900000000000", "77", "1234567890123", "8"], &["C1", "c1", "007", "7", "C-9"]];

fn order_strategy() -> impl Strategy<Value = Order> {
    (
        0..5usize,
        proptest::collection::vec((1..100_000u32, 1..4u8), 1..4),
        proptest::bool::weighted(0.2),
        1..28u32,
        any::<bool>(),
    )
        .prop_map(|(customer, lines, cancelled, day, blank_later_keys)| Order {
            customer,
            lines,
            cancelled,
            day,
            blank_later_keys,
        })
}

fn orders_csv(orders: &[Order], ids: &[&str], text_order_ids: bool, shuffle: &[usize]) -> String {
    let mut lines = Vec::new();
    for (n, o) in orders.iter().enumerate() {
        let order_id = if text_order_ids { format!("#{}", 1001 + n) } else { format!("{}", 1001 + n) };
        for (i, (cents, qty)) in o.lines.iter().enumerate() {
            let customer = if i > 0 && o.blank_later_keys { "" } else { ids[o.customer] };
            let status = if o.cancelled { "cancelled" } else { "paid" };
            lines.push(format!(
                "{order_id},{customer},2026-03-{:02},{qty},{}.{:02},{status}",
                o.day,
                cents / 100,
                cents % 100
            ));
        }
    }
    let mut text = String::from("Order ID,Customer ID,Order Date,Quantity,Unit Price,Status\n");
    let order: Vec<usize> = if shuffle.len() == lines.len() { shuffle.to_vec() } else { (0..lines.len()).collect() };
    for i in order {
        text.push_str(&lines[i]);
        text.push('\n');
    }
    text
}

fn import_orders(csv: &str) -> CustomerData {
    let path = Path::new("orders.csv");
    let raw = read_table_bytes(csv.as_bytes(), path, &ReadOptions::default(), &Progress::default()).unwrap();
    let loaded = load_raw(&SourceSpec::new(SourceKind::Orders, path), raw, &Progress::default()).unwrap();
    build(None, Some(loaded), None, date(2026, 6, 1)).unwrap()
}

/// Per customer id: net revenue in cents, counted orders, last order day.
fn oracle(orders: &[Order], ids: &[&str]) -> BTreeMap<String, (u64, i64, Option<u32>)> {
    let mut out = BTreeMap::new();
    for o in orders.iter().filter(|o| !o.cancelled) {
        let e = out.entry(ids[o.customer].to_owned()).or_insert((0, 0, None));
        e.0 += o.lines.iter().map(|(c, q)| u64::from(*c) * u64::from(*q)).sum::<u64>();
        e.1 += 1;
        e.2 = e.2.max(Some(o.day));
    }
    out
}

fn customers_of(data: &CustomerData) -> BTreeMap<String, (u64, i64, Option<u32>)> {
    use chrono::Datelike;
    (0..data.len())
        .filter(|&row| num(data, "orders", row).unwrap_or(0.0) > 0.0)
        .map(|row| {
            let id = text(data, "customer_id", row).unwrap();
            let cents = (num(data, "ltv", row).unwrap() * 100.0).round() as u64;
            let orders = num(data, "orders", row).unwrap() as i64;
            (id, (cents, orders, day(data, "last_order_date", row).map(|d| d.day())))
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn folded_orders_match_a_per_customer_sum_in_any_line_order(
        orders in proptest::collection::vec(order_strategy(), 1..25),
        id_kind in 0..3usize,
        text_order_ids in any::<bool>(),
        seed in any::<u64>(),
    ) {
        let ids = CUSTOMER_IDS[id_kind];
        let lines: usize = orders.iter().map(|o| o.lines.len()).sum();
        // A deterministic shuffle of the lines from the seed.
        let mut shuffle: Vec<usize> = (0..lines).collect();
        let mut state = seed | 1;
        for i in (1..lines).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            shuffle.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let want = oracle(&orders, ids);
        let in_order = import_orders(&orders_csv(&orders, ids, text_order_ids, &[]));
        prop_assert_eq!(&customers_of(&in_order), &want);
        let shuffled = import_orders(&orders_csv(&orders, ids, text_order_ids, &shuffle));
        prop_assert_eq!(&customers_of(&shuffled), &want);
        // The orders table holds the counted orders, grouped by customer, oldest first.
        for data in [&in_order, &shuffled] {
            let o = data.orders.as_ref().unwrap();
            prop_assert_eq!(o.height() as i64, want.values().map(|v| v.1).sum::<i64>());
            let customer = o.column("customer").unwrap().u32().unwrap().clone();
            let days = o.column("order_date").unwrap().cast(&polars::prelude::DataType::Int32).unwrap();
            let days = days.i32().unwrap();
            for i in 1..o.height() {
                let (a, b) = (customer.get(i - 1).unwrap(), customer.get(i).unwrap());
                prop_assert!(a < b || (a == b && days.get(i - 1) <= days.get(i)));
            }
        }
    }
}

/// A customers file listing a customer twice keeps one customer, with the first
/// non-empty value of each column, and orders join to it.
#[test]
fn duplicate_customers_merge_and_take_the_first_non_empty_value() {
    let dir = tempfile::tempdir().unwrap();
    let customers = dir.path().join("customers.csv");
    let orders = dir.path().join("orders.csv");
    std::fs::write(&customers, "Customer ID,City,Phone\n7,,555 01\n8,Ankara,\n7,İzmir,555 02\n").unwrap();
    std::fs::write(&orders, "Order ID,Customer ID,Order Date,Total\n1,7,2026-01-05,100\n2,9,2026-01-06,50\n").unwrap();
    let load =
        |kind, path: &Path| kitle::engine::import::load_source(&SourceSpec::new(kind, path), &Progress::default());
    let data = build(
        Some(load(SourceKind::Customers, &customers).unwrap()),
        Some(load(SourceKind::Orders, &orders).unwrap()),
        None,
        date(2026, 6, 1),
    )
    .unwrap();
    assert_eq!(data.len(), 3, "7 and 8 from the file, 9 from the orders");
    assert_eq!(data.report.duplicate_customers_merged, 1);
    let seven = row_where(&data, "customer_id", "7");
    assert_eq!(text(&data, "city", seven).as_deref(), Some("İzmir"));
    assert_eq!(text(&data, "phone", seven).as_deref(), Some("555 01"));
    assert_eq!(num(&data, "ltv", seven), Some(100.0));
    let nine = row_where(&data, "customer_id", "9");
    assert_eq!(num(&data, "ltv", nine), Some(50.0));
    assert_eq!(text(&data, "city", nine), None);
}
