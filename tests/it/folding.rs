//! Folding order lines into customers, checked against a simple per-customer sum
//! written here: random orders of one to three lines (free samples and return lines
//! among them), with totals on the first line, on every line or not at all, paid,
//! cancelled, refunded or partly refunded in English, Turkish and Shopify words,
//! across months, lines in file order or shuffled, keyed by ids that are dense
//! numbers, sparse numbers or text (where `007` and `7` are different customers) or
//! by emails written with different case and spaces.

use std::collections::BTreeMap;
use std::path::Path;

use kitle::engine::build::build;
use kitle::engine::data::CustomerData;
use kitle::engine::fields::SourceKind;
use kitle::engine::import::reader::{ReadOptions, read_table_bytes};
use kitle::engine::import::{Progress, SourceSpec, load_raw};
use proptest::prelude::*;

use crate::helpers::*;

/// How an order's status is written.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Status {
    Paid(usize),
    Cancelled(usize),
    /// Refunded in full by its status (no amount).
    Refunded(usize),
    /// Paid, with a refunded amount in cents (which may be the whole order or more).
    PartlyRefunded(u32),
}

const PAID: [&str; 4] = ["paid", "Ödendi", "fulfilled", "partially_refunded"];
const CANCELLED: [&str; 9] = [
    "cancelled",
    "Canceled",
    "voided",
    "İptal Edildi",
    "failed",
    "Pending payment",
    "checkout-draft",
    "wc-pending",
    "trash",
];
const REFUNDED: [&str; 3] = ["refunded", "İade Edildi", "REFUNDED"];

/// Where an order's amount is written.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Amounts {
    /// Quantity × unit price per line, no total.
    Lines,
    /// The order total on its first line only (Shopify).
    TotalFirstLine,
    /// The same order total repeated on every line.
    TotalEveryLine,
}

#[derive(Debug, Clone)]
struct Order {
    customer: usize,
    /// Cents per line (0: a free sample), and quantity (negative in a return).
    lines: Vec<(u32, i8)>,
    status: Status,
    /// Days after 2026-01-01 (orders span several months).
    day: u32,
    /// The customer key is left blank on lines after the first.
    blank_later_keys: bool,
    amounts: Amounts,
}

impl Order {
    /// The order's amount in cents, as its lines add up.
    fn gross(&self) -> i64 {
        self.lines.iter().map(|(c, q)| i64::from(*c) * i64::from(*q)).sum()
    }
}

/// Customer keys: dense numbers, sparse numbers, text ids (`007` and `7` differ),
/// and emails written with different case and spaces for the same customer.
const CUSTOMER_IDS: [&[&str]; 3] =
    [&["1", "2", "3", "4", "5"], &["5", "900000000000", "77", "1234567890123", "8"], &["C1", "c1", "007", "7", "C-9"]];
const EMAILS: [&[&str]; 5] = [
    &["ayse@example.com", "Ayse@Example.com", " ayse@example.com "],
    &["mehmet@example.com", "MEHMET@example.com"],
    &["can@example.com"],
    &["zeynep@example.com", "Zeynep@example.com "],
    &["elif@example.com"],
];

fn order_strategy() -> impl Strategy<Value = Order> {
    let cents = prop_oneof![1 => Just(0u32), 8 => 1..100_000u32];
    let line = (cents, prop_oneof![9 => 1..4i8, 1 => -3..0i8]);
    let status = prop_oneof![
        6 => (0..PAID.len()).prop_map(Status::Paid),
        1 => (0..CANCELLED.len()).prop_map(Status::Cancelled),
        1 => (0..REFUNDED.len()).prop_map(Status::Refunded),
        1 => (1..200_000u32).prop_map(Status::PartlyRefunded),
    ];
    let amounts = prop_oneof![Just(Amounts::Lines), Just(Amounts::TotalFirstLine), Just(Amounts::TotalEveryLine)];
    (0..5usize, proptest::collection::vec(line, 1..4), status, 0..150u32, any::<bool>(), amounts).prop_map(
        |(customer, lines, status, day, blank_later_keys, amounts)| Order {
            customer,
            lines,
            status,
            day,
            blank_later_keys,
            amounts,
        },
    )
}

fn money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", cents.abs() / 100, cents.abs() % 100)
}

fn order_day(day: u32) -> chrono::NaiveDate {
    date(2026, 1, 1) + chrono::Duration::days(i64::from(day))
}

/// The key written on line `line` of order `n` (emails vary in case and spaces).
fn key_text(o: &Order, keys: Keys, n: usize, line: usize) -> String {
    match keys {
        Keys::Ids(ids) => ids[o.customer].to_owned(),
        Keys::Emails => {
            let spellings = EMAILS[o.customer];
            spellings[(n + line) % spellings.len()].to_owned()
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Keys {
    Ids(&'static [&'static str]),
    Emails,
}

fn orders_csv(orders: &[Order], keys: Keys, text_order_ids: bool, shuffle: &[usize]) -> String {
    let mut lines = Vec::new();
    for (n, o) in orders.iter().enumerate() {
        let order_id = if text_order_ids { format!("#{}", 1001 + n) } else { format!("{}", 1001 + n) };
        let status = match o.status {
            Status::Paid(i) => PAID[i],
            Status::Cancelled(i) => CANCELLED[i],
            Status::Refunded(i) => REFUNDED[i],
            Status::PartlyRefunded(_) => "partially_refunded",
        };
        for (i, (cents, qty)) in o.lines.iter().enumerate() {
            let customer = if i > 0 && o.blank_later_keys { String::new() } else { key_text(o, keys, n, i) };
            let total = match o.amounts {
                Amounts::Lines => String::new(),
                Amounts::TotalFirstLine if i > 0 => String::new(),
                _ => money(o.gross()),
            };
            let refund = match o.status {
                Status::PartlyRefunded(r) if i == 0 => money(i64::from(r)),
                _ => String::new(),
            };
            let day = order_day(o.day);
            lines.push(format!(
                "{order_id},{customer},{day},{qty},{},{total},{refund},{status}",
                money(i64::from(*cents))
            ));
        }
    }
    let key_header = if matches!(keys, Keys::Emails) { "Email" } else { "Customer ID" };
    let mut text = format!("Order ID,{key_header},Order Date,Quantity,Unit Price,Total,Refunded Amount,Status\n");
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

/// Per customer key: net revenue in cents, counted orders, last order date. The
/// README's counting rule, written out here: a cancelled, voided, failed or unpaid order
/// counts for nothing; any other order adds its net (after refunds) to revenue, and
/// counts as an order unless refunded in full or a return (net below 0). An order
/// of 0 counts.
fn oracle(orders: &[Order], keys: Keys) -> BTreeMap<String, (i64, i64, Option<chrono::NaiveDate>)> {
    let mut out = BTreeMap::new();
    for o in orders {
        let key = match keys {
            Keys::Ids(ids) => ids[o.customer].to_owned(),
            Keys::Emails => EMAILS[o.customer][0].trim().to_lowercase(),
        };
        let e = out.entry(key).or_insert((0, 0, None));
        let gross = o.gross();
        let (net, fully_refunded) = match o.status {
            Status::Cancelled(_) => continue,
            Status::Paid(_) => (gross, false),
            Status::Refunded(_) => (if gross > 0 { 0 } else { gross }, true),
            Status::PartlyRefunded(r) => (gross - i64::from(r), gross - i64::from(r) <= 0),
        };
        e.0 += net;
        if !fully_refunded && net >= 0 {
            e.1 += 1;
            e.2 = e.2.max(Some(order_day(o.day)));
        }
    }
    out
}

fn customers_of(data: &CustomerData, keys: Keys) -> BTreeMap<String, (i64, i64, Option<chrono::NaiveDate>)> {
    let key_column = if matches!(keys, Keys::Emails) { "email" } else { "customer_id" };
    (0..data.len())
        .map(|row| {
            let key = text(data, key_column, row).unwrap();
            let key = if matches!(keys, Keys::Emails) { key.trim().to_lowercase() } else { key };
            let cents = (num(data, "ltv", row).unwrap() * 100.0).round() as i64;
            let orders = num(data, "orders", row).unwrap() as i64;
            (key, (cents, orders, day(data, "last_order_date", row)))
        })
        .filter(|(_, v)| *v != (0, 0, None))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn folded_orders_match_a_per_customer_sum_in_any_line_order(
        orders in proptest::collection::vec(order_strategy(), 1..25),
        key_kind in 0..4usize,
        text_order_ids in any::<bool>(),
        seed in any::<u64>(),
    ) {
        let keys = if key_kind == 3 { Keys::Emails } else { Keys::Ids(CUSTOMER_IDS[key_kind]) };
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
        let mut want = oracle(&orders, keys);
        want.retain(|_, v| *v != (0, 0, None));
        let in_order = import_orders(&orders_csv(&orders, keys, text_order_ids, &[]));
        prop_assert_eq!(&customers_of(&in_order, keys), &want);
        let shuffled = import_orders(&orders_csv(&orders, keys, text_order_ids, &shuffle));
        prop_assert_eq!(&customers_of(&shuffled, keys), &want);
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
