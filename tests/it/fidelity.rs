//! Data fidelity: real export formats come in right (missing-value spellings,
//! guests, free samples, refund columns, totals rows, ids, duplicates, country
//! codes, numbers and dates that read two ways) and money goes out as money.

use kitle::engine::fields::SourceKind;
use kitle::engine::import::parse::{DayMonthOrder, DecimalSeparator};
use kitle::engine::import::{Progress, SourceSpec, load_source};
use kitle::format::Lang;

use crate::helpers::*;

fn notes_text(data: &kitle::engine::data::CustomerData, lang: Lang) -> Vec<String> {
    let mut all: Vec<String> = data.report.notes.iter().map(|n| n.text(lang)).collect();
    for source in &data.report.sources {
        all.extend(source.notes.iter().map(|n| n.text(lang)));
    }
    all
}

fn says(data: &kitle::engine::data::CustomerData, lang: Lang, needle: &str) -> bool {
    notes_text(data, lang).iter().any(|n| n.contains(needle))
}

#[test]
fn an_r_orders_file_with_na_ids_makes_no_customer_called_na() {
    let data = import(None, Some("fixtures/fidelity/r_orders.csv"), None, date(2026, 6, 1)).unwrap();
    // C1, C2 and one guest grouped by email; the order with neither id nor email is out.
    assert_eq!(data.len(), 3, "{:?}", notes_text(&data, Lang::En));
    assert!(!(0..data.len()).any(|r| text(&data, "customer_id", r).as_deref() == Some("NA")));
    let c1 = row_where(&data, "customer_id", "C1");
    approx(num(&data, "ltv", c1), 320.5);
    approx(num(&data, "orders", c1), 2.0);
    let guest = row_where(&data, "email", "guest.one@example.com");
    assert_eq!(text(&data, "customer_id", guest), None, "a guest has no id");
    approx(num(&data, "ltv", guest), 120.0);
    approx(num(&data, "orders", guest), 2.0);
    let c2 = row_where(&data, "customer_id", "C2");
    approx(num(&data, "orders", c2), 1.0);
    approx(num(&data, "ltv", c2), 0.0);
    let orders = &data.report.sources[0];
    assert_eq!(orders.missing_values, vec![("customer_id".into(), 3), ("email".into(), 1), ("total".into(), 1)]);
    assert!(says(&data, Lang::En, "Column \"customer_id\": 3 cells written as NA"));
    assert!(says(
        &data,
        Lang::Tr,
        "\"customer_id\" sütunu: NA, N/A, NULL, None, NaN, - gibi yazılmış 3 hücre boş okundu."
    ));
    assert!(says(&data, Lang::En, "2 order lines had no customer id (guest checkouts)"));
    assert!(says(&data, Lang::En, "1 orders have no customer id; they were skipped."));
}

#[test]
fn a_woocommerce_orders_export_groups_guests_and_reads_refund_amounts() {
    let data = import(None, Some("fixtures/woocommerce/orders.csv"), None, date(2026, 6, 1)).unwrap();
    assert_eq!(data.len(), 3, "Elif, Burak and one guest; no customer \"0\"");
    assert!(!(0..data.len()).any(|r| text(&data, "customer_id", r).as_deref() == Some("0")));
    let elif = row_where(&data, "customer_id", "12");
    approx(num(&data, "ltv", elif), 350.0);
    approx(num(&data, "orders", elif), 1.0);
    let burak = row_where(&data, "customer_id", "13");
    approx(num(&data, "ltv", burak), 150.0);
    approx(num(&data, "orders", burak), 1.0);
    assert_eq!(text(&data, "country_code", burak).as_deref(), Some("DE"));
    let guest = row_where(&data, "email", "misafir@example.com");
    approx(num(&data, "ltv", guest), 200.0);
    approx(num(&data, "orders", guest), 2.0);
    assert_eq!(text(&data, "country_code", guest).as_deref(), Some("TR"));
    // The amount column is the refund; the free-text list stays a custom column.
    let columns = &data.report.sources[0].columns;
    let refunded = columns.iter().find(|c| c.name == "refunded").unwrap();
    assert_eq!(refunded.header, "refunded_total");
    assert!(columns.iter().any(|c| c.header == "refunds" && !c.canonical));
    assert!(says(
        &data,
        Lang::En,
        "2 order lines had no customer id (guest checkouts); they were grouped by billing email into 1 guest customers."
    ));
    assert!(says(&data, Lang::En, "1 orders have no customer id; they were skipped."));
}

#[test]
fn a_turkish_sheet_with_a_totals_row_leaves_it_out() {
    let data = import(Some("fixtures/turkish/toplam.csv"), None, None, date(2026, 6, 1)).unwrap();
    assert_eq!(data.len(), 3);
    let mean = (0..3).map(|r| num(&data, "ltv", r).unwrap()).sum::<f64>() / 3.0;
    assert!((mean - 1500.25).abs() < 1e-9, "the average LTV is the customers' own: {mean}");
    assert_eq!(data.report.sources[0].rows_skipped, 1);
    assert!(says(&data, Lang::En, "The last row (\"TOPLAM\") adds up the rows above it; it was left out."));
    assert!(says(&data, Lang::Tr, "Son satır (\"TOPLAM\") üstündeki satırların toplamı; dışarıda bırakıldı."));
}

#[test]
fn free_samples_are_orders_and_move_first_and_last_dates() {
    let data = import(None, Some("fixtures/fidelity/free_samples.csv"), None, date(2026, 6, 1)).unwrap();
    let k1 = row_where(&data, "customer_id", "K1");
    approx(num(&data, "orders", k1), 3.0);
    approx(num(&data, "ltv", k1), 150.0);
    assert_eq!(day(&data, "first_order_date", k1), Some(date(2026, 1, 3)));
    assert_eq!(day(&data, "last_order_date", k1), Some(date(2026, 4, 20)));
    approx(num(&data, "aov", k1), 50.0);
    let k2 = row_where(&data, "customer_id", "K2");
    approx(num(&data, "orders", k2), 1.0);
    approx(num(&data, "ltv", k2), 0.0);
    assert_eq!(day(&data, "last_order_date", k2), Some(date(2026, 3, 1)), "the cancelled one does not count");
    assert_eq!(data.report.orders_counted, 4);
}

#[test]
fn a_shopify_legacy_export_with_only_the_country_code_gets_codes() {
    let data = import(Some("fixtures/shopify/customers_legacy.csv"), None, None, date(2026, 6, 1)).unwrap();
    let code = |email| text(&data, "country_code", row_where(&data, "email", email));
    assert_eq!(code("ayse@example.com").as_deref(), Some("TR"));
    assert_eq!(code("hans@example.de").as_deref(), Some("DE"));
    assert_eq!(code("jane@example.com").as_deref(), Some("US"));
    assert!(!data.fields.iter().any(|f| f.name.contains("Country Code")), "not a custom column");
}

#[test]
fn orders_win_over_the_customers_file_and_duplicates_say_what_differed() {
    let data =
        import(Some("fixtures/fidelity/customers.csv"), Some("fixtures/fidelity/orders.csv"), None, date(2026, 6, 1))
            .unwrap();
    assert_eq!(data.len(), 3, "id 2 listed twice is one customer");
    let ali = row_where(&data, "customer_id", "1");
    // 1001: two lines repeating the total 250; 1002: two equal lines of 2 × 40 (both real).
    approx(num(&data, "ltv", ali), 410.0);
    approx(num(&data, "orders", ali), 2.0);
    let can = row_where(&data, "customer_id", "3");
    approx(num(&data, "ltv", can), 300.0);
    // Ayşe's only order was refunded without an amount: not an order; the file's
    // values stay, from her first row.
    let ayse = row_where(&data, "customer_id", "2");
    approx(num(&data, "ltv", ayse), 50.0);
    assert_eq!(text(&data, "city", ayse).as_deref(), Some("İzmir"));
    assert!(says(
        &data,
        Lang::En,
        "1 customers listed more than once had different values in: City (1), Total Spent (1)"
    ));
    assert!(says(&data, Lang::Tr, "Birden çok kez listelenen 1 müşterinin şu alanlardaki değerleri farklıydı"));
}

fn ambiguous(
    date_order: Option<DayMonthOrder>,
    decimal: Option<DecimalSeparator>,
) -> kitle::engine::data::CustomerData {
    let mut spec = SourceSpec::new(SourceKind::Orders, fixture("fixtures/fidelity/ambiguous.csv"));
    spec.date_order = date_order;
    spec.decimal = decimal;
    let orders = load_source(&spec, &Progress::default()).unwrap();
    kitle::engine::build::build(None, Some(orders), None, date(2026, 6, 1)).unwrap()
}

#[test]
fn dates_and_numbers_that_read_two_ways_are_reported_and_can_be_overridden() {
    let data = ambiguous(None, None);
    let one = row_where(&data, "customer_id", "1");
    approx(num(&data, "ltv", one), 1250.0);
    assert_eq!(day(&data, "last_order_date", one), Some(date(2026, 4, 5)), "day first by default");
    assert!(says(&data, Lang::En, "Column \"Tutar\": values like \"1.250\" could be read two ways; read as 1250."));
    assert!(says(
        &data,
        Lang::Tr,
        "\"Tutar\" sütunu: \"1.250\" gibi değerler iki türlü okunabilir; 1250 olarak okundu."
    ));
    assert!(says(&data, Lang::En, "read as day first"));
    assert!(says(&data, Lang::Tr, "gün önce okundu"));

    let data = ambiguous(Some(DayMonthOrder::MonthFirst), Some(DecimalSeparator::Point));
    let one = row_where(&data, "customer_id", "1");
    approx(num(&data, "ltv", one), 1.25);
    assert_eq!(day(&data, "last_order_date", one), Some(date(2026, 5, 4)));
    assert!(says(&data, Lang::En, "read as 1.25"));
}

#[test]
fn amounts_not_exact_in_binary_are_written_to_the_kurus() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("shop.kitle");
    let ws = ws.to_str().unwrap();
    let customers = fixture("fixtures/fidelity/inexact_amounts.csv");
    let (ok, _, err) =
        kitle(&["import", "--customers", customers.to_str().unwrap(), "--as-of", "2026-06-01", "-o", ws]);
    assert!(ok, "{err}");
    // 1850.07 + 1945.12 is 3795.1899999999996 in binary.
    let (ok, out, err) = kitle(&["segment", ws, "--rule", "ltv > 1000", "--json"]);
    assert!(ok, "{err}");
    assert!(out.contains("\"total_revenue\": 3795.19"), "{out}");
    let members = dir.path().join("members.csv");
    let (ok, _, err) = kitle(&["segment", ws, "--rule", "ltv > 1000", "--members", members.to_str().unwrap()]);
    assert!(ok, "{err}");
    let text = std::fs::read_to_string(&members).unwrap();
    assert!(text.contains(",1850.07,") && text.contains(",1945.12,"), "{text}");
    assert!(!text.contains("00000"), "no binary noise: {text}");
    // The total and the sum of its written parts agree to the kuruş.
    let (ok, out, err) = kitle(&["summary", ws, "--json"]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["total_revenue"].to_string(), "3895.49");
    let (ok, out, _) = kitle(&["customers", ws, "--format", "csv"]);
    assert!(ok);
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let ltv = headers.iter().position(|h| h == "ltv").unwrap();
    let cents: i64 = reader
        .records()
        .map(|r| {
            let written = r.unwrap()[ltv].to_owned();
            assert!(written.split('.').nth(1).is_none_or(|d| d.len() <= 2), "{written}");
            (written.parse::<f64>().unwrap() * 100.0).round() as i64
        })
        .sum();
    assert_eq!(cents, 389_549);
}
