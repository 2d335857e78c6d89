//! Order-history conditions on real exports: the order lines the import keeps
//! (only counted orders'), what customers bought, ordered and spent within a
//! window, "why" for them, and the same through the command line.

use std::sync::Arc;

use kitle::engine::data::CustomerData;
use kitle::engine::segment::evaluate::SegmentFrame;
use kitle::engine::segment::parse;

use crate::helpers::*;

/// The customers a rule keeps, by email (lowercased), sorted.
fn emails(frame: &SegmentFrame, rule: &str) -> Vec<String> {
    let compiled = frame.compile(&parse(rule).unwrap_or_else(|e| panic!("{rule}: {e}")));
    assert!(compiled.invalid.is_empty(), "{rule}: {:?}", compiled.invalid);
    let email = frame.data().customers.column("email").unwrap().str().unwrap().clone();
    let mut found: Vec<String> = frame
        .members(&compiled)
        .unwrap()
        .into_iter()
        .map(|i| email.get(i as usize).unwrap_or_default().to_lowercase())
        .collect();
    found.sort();
    found
}

fn shopify() -> SegmentFrame {
    SegmentFrame::new(Arc::new(shopify_store()))
}

#[test]
fn shopify_order_lines_are_kept_for_counted_orders_only() {
    let data: CustomerData = shopify_store();
    let lines = data.order_lines.as_ref().expect("the export names products");
    let product = lines.column("product").unwrap().cast(&polars::prelude::DataType::String).unwrap();
    let products: Vec<&str> = product.str().unwrap().iter().flatten().collect();
    // #1004 (voided: Kemer) and #1005 (refunded: Şapka) don't count.
    let mut sorted = products.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, ["Cüzdan", "Deri Çanta", "Eşarp", "Tişört", "Çorap"]);
    assert!(lines.column("sku").is_ok());
    let quantity: Vec<f64> = lines.column("quantity").unwrap().f64().unwrap().iter().flatten().collect();
    assert_eq!(quantity.iter().sum::<f64>(), 9.0);
    // Every line points at a counted order of the right customer.
    let orders = data.orders.as_ref().unwrap();
    let ids = orders.column("order_id").unwrap().str().unwrap();
    let order = lines.column("order").unwrap().u32().unwrap();
    let of = |product: &str| {
        let i = products.iter().position(|p| *p == product).unwrap();
        ids.get(order.get(i).unwrap() as usize).unwrap().to_owned()
    };
    assert_eq!((of("Cüzdan"), of("Deri Çanta"), of("Çorap")), ("#1001".into(), "#1001".into(), "#1006".into()));
    // Orders carry their channel; the last order's channel is a field of its own.
    assert!(orders.column("channel").is_ok());
    assert!(data.field("last_order_channel").is_some());
}

#[test]
fn bought_ordered_and_spent_within_a_window() {
    let frame = shopify();
    let ayse = "ayse.yilmaz@example.com";
    let (mehmet, can) = ("mehmet.kaya@example.com", "can.oz@example.com");
    assert_eq!(emails(&frame, "bought product \"cüzdan\""), [ayse], "case-insensitive");
    assert!(emails(&frame, "bought product \"Şapka\"").is_empty(), "a refunded order's lines don't count");
    assert!(emails(&frame, "bought product \"Kemer\"").is_empty(), "a voided order's lines don't count");
    assert_eq!(emails(&frame, "bought sku any of (\"SKU-3\", \"sku-7\")"), [can, mehmet]);
    // As of 2026-01-01: the last 6 months start on 2025-07-01.
    assert_eq!(emails(&frame, "bought product \"Eşarp\" in last 6 months"), [ayse]);
    assert!(emails(&frame, "bought product \"Deri Çanta\" in last 6 months").is_empty());
    assert_eq!(emails(&frame, "bought product \"Deri Çanta\" from 2025-03-02 to 2025-03-02"), [ayse]);
    assert_eq!(emails(&frame, "order count in last 6 months >= 1"), [ayse, can]);
    assert_eq!(emails(&frame, "order count >= 2"), [ayse]);
    assert_eq!(emails(&frame, "amount spent from 2025-01-01 to 2025-06-30 > 1000"), [ayse]);
    assert_eq!(emails(&frame, "amount spent in last 8 weeks > 0"), [can], "#1006 on 2025-11-11");
    assert_eq!(emails(&frame, "amount spent in last 4 weeks < 1").len(), 4);
    // "Has not bought" keeps customers with no orders at all.
    assert_eq!(emails(&frame, "has not bought product \"Tişört\""), [ayse, can, "zeynep@example.com"]);
    assert_eq!(emails(&frame, "not bought product \"Tişört\""), emails(&frame, "has not bought product \"Tişört\""));
}

#[test]
fn order_history_conditions_report_what_is_missing() {
    use kitle::engine::segment::evaluate::InvalidKind;
    let frame = shopify();
    let kinds = |rule: &str| -> Vec<InvalidKind> {
        frame.compile(&parse(rule).unwrap()).invalid.into_iter().map(|i| i.kind).collect()
    };
    assert_eq!(kinds("bought category \"Aksesuar\""), [InvalidKind::UnknownField], "the export has no category");
    assert_eq!(kinds("order count from 2025-02-01 to 2025-13-01 > 1"), [InvalidKind::NotADate]);
    assert_eq!(kinds("order count from 2025-05-01 to 2025-02-01 > 1"), [InvalidKind::NotADate]);
    assert_eq!(kinds("amount spent in last 3 days > \"lots\""), [InvalidKind::NotANumber]);
    // A customers file alone has no orders to look at.
    let alone = import(Some("fixtures/shopify/customers_export.csv"), None, None, date(2026, 1, 1)).unwrap();
    let alone = SegmentFrame::new(Arc::new(alone));
    let invalid = alone.compile(&parse("order count in last 90 days >= 1").unwrap()).invalid;
    assert_eq!(invalid[0].kind, InvalidKind::UnknownField);
    assert!(invalid[0].reason.contains("no orders"), "{}", invalid[0].reason);
}

#[test]
fn why_shows_what_a_customer_bought_and_how_often_they_ordered() {
    use kitle::engine::segment::why::{Outcome, why};
    let frame = shopify();
    let ayse = row_where(frame.data(), "email", "ayse.yilmaz@example.com");
    let rule = parse("bought product \"Eşarp\" in last 6 months and order count in last 6 months >= 2").unwrap();
    let answer = why(&frame, &rule, ayse).unwrap();
    assert!(!answer.member);
    let marks: Vec<(Outcome, Option<&str>)> = answer.items.iter().map(|i| (i.result, i.value.as_deref())).collect();
    assert_eq!(marks, [(Outcome::True, Some("Eşarp")), (Outcome::False, Some("1"))]);
    // Newest first, each product once, for "bought" over all time.
    let all = why(&frame, &parse("bought product \"Cüzdan\"").unwrap(), ayse).unwrap();
    assert_eq!(all.items[0].value.as_deref(), Some("Eşarp, Deri Çanta, Cüzdan"));
    let zeynep = row_where(frame.data(), "email", "zeynep@example.com");
    let none = why(&frame, &parse("bought product \"Kemer\"").unwrap(), zeynep).unwrap();
    assert_eq!((none.items[0].result, none.items[0].value.as_deref()), (Outcome::Empty, Some("")));
}

#[test]
fn online_retail_lines_name_products_and_stock_codes() {
    let data = import(None, Some("fixtures/retail/online_retail.csv"), None, date(2011, 12, 31)).unwrap();
    let lines = data.order_lines.as_ref().unwrap();
    assert!(lines.column("product").is_ok() && lines.column("sku").is_ok());
    let frame = SegmentFrame::new(Arc::new(data));
    let by_name = frame.compile(&parse("bought product \"white hanging heart t-light holder\"").unwrap());
    let by_code = frame.compile(&parse("bought sku \"85123A\"").unwrap());
    let (a, b) = (frame.members(&by_name).unwrap(), frame.members(&by_code).unwrap());
    assert!(!a.is_empty());
    assert_eq!(a, b, "the product and its stock code find the same customers");
}

#[test]
fn product_values_are_offered_with_their_counts() {
    use kitle::engine::segment::values::value_counts;
    let data = shopify_store();
    let products = value_counts(&data, "@product");
    assert_eq!(products.len(), 5);
    assert!(products.iter().all(|(_, n)| *n == 1), "{products:?}");
    assert!(products.iter().any(|(p, _)| p == "Eşarp"));
}

#[test]
fn order_history_rules_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let ws = import_shopify_workspace(dir.path());
    let ws = ws.as_str();
    let rule = "bought product \"Eşarp\" in last 6 months or order count in last 2 months >= 1";
    let (ok, out, err) = kitle(&["segment", ws, "--rule", rule, "--as-of", "2026-01-01", "--json"]);
    assert!(ok, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["count"], 2, "{json}");
}
