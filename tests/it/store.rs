//! Store connectors against the fake Shopify and WooCommerce servers: pagination,
//! throttling, failures, rejected credentials, guests and refunds, incremental
//! refreshes, and a pulled store equal to an import of its own CSV export.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use kitle::connect::http::{Retry, Token};
use kitle::connect::store::{StoreCredentials, SyncCounts, SyncError, SyncOptions, Synced, refresh_copy};
use kitle::engine::data::CustomerData;
use kitle::engine::fields::SourceKind;
use kitle::engine::import::{Progress, SourceSpec};
use kitle::engine::store::{StoreCopy, StorePlatform, StoreSource};
use kitle::engine::workspace::Workspace;
use polars::prelude::*;

use crate::fake_store::{FakeStore, Fault, SHOPIFY_TOKEN, Store, WOO_KEY, WOO_SECRET, utc};
use crate::helpers::{approx, date, has_note, kitle_with_env, num, row_where, text};

fn quick() -> SyncOptions {
    SyncOptions {
        retry: Retry { attempts: 3, base: Duration::from_millis(5), longest: Duration::from_millis(20) },
        throttle_tries: 5,
        bulk_from: usize::MAX,
        bulk_poll: Duration::from_millis(5),
        clock: Default::default(),
    }
}

fn pull_with(source: &StoreSource, credentials: &StoreCredentials, options: SyncOptions) -> Result<Synced, SyncError> {
    // The fake store's bucket refills on a clock the pull's waits move.
    let options = SyncOptions { clock: crate::fake_store::clock_of(&source.store), ..options };
    let counts = Arc::new(SyncCounts::default());
    refresh_copy(source, &source.cache, credentials, &counts, &Progress::default(), options).map(|(s, _)| s)
}

/// `kitle ARGS --json` with these variables set, which must succeed: its answer.
fn kitle_json(args: &[&str], env: &[(&str, &str)]) -> serde_json::Value {
    let (ok, out, err) = kitle_with_env(args, env);
    assert!(ok, "{err}");
    serde_json::from_str(&out).unwrap()
}

fn source(platform: StorePlatform, url: &str, dir: &Path) -> StoreSource {
    StoreSource {
        platform,
        store: url.to_owned(),
        api_version: None,
        credential_env: vec![],
        keys_in_query: false,
        paid_statuses: Vec::new(),
        cache: dir.join("ws-store"),
    }
}

fn shopify_token() -> StoreCredentials {
    StoreCredentials::Token(Token::new(SHOPIFY_TOKEN).unwrap())
}

fn woo_keys() -> StoreCredentials {
    StoreCredentials::Keys { key: Token::new(WOO_KEY).unwrap(), secret: Token::new(WOO_SECRET).unwrap() }
}

fn pull(source: &StoreSource, credentials: &StoreCredentials) -> Result<Synced, SyncError> {
    pull_with(source, credentials, quick())
}

/// The workspace of a connected store, saved in `dir`, and its customers.
fn open(source: &StoreSource, dir: &Path) -> (PathBuf, CustomerData) {
    let mut ws = Workspace::new("Store");
    ws.settings.as_of = Some(date(2026, 11, 1));
    ws.store = Some(source.clone());
    let path = dir.join("ws.kitle");
    ws.save(&path).unwrap();
    let ws = Workspace::load(&path).unwrap();
    assert_eq!(ws.store.as_ref().unwrap().cache, PathBuf::from("ws-store"), "the copy is saved relative");
    let data = ws.load_data(&path, &Progress::default()).unwrap();
    (path, data)
}

/// Every column both tables have, row by row (rows ordered by email).
fn assert_same_customers(a: &CustomerData, b: &CustomerData) {
    assert_eq!(a.customers.height(), b.customers.height(), "as many customers");
    let sort = |df: &DataFrame| df.sort(["email"], SortMultipleOptions::default()).unwrap();
    let (a, b) = (sort(&a.customers), sort(&b.customers));
    let mut compared = 0;
    for column in a.columns() {
        let name = column.name();
        // Tenure counts from the sign-up date, which only the API gives (the export
        // lacks it, so its tenure starts at the first order).
        let Ok(other) = b.column(name) else { continue };
        if ["tenure_days", "signup_date"].contains(&name.as_str()) {
            continue;
        }
        for i in 0..a.height() {
            let (p, q) = (column.get(i).unwrap(), other.get(i).unwrap());
            // Model outputs (P(alive), predicted value) are fitted on the same histories
            // in another row order: equal up to rounding.
            if let (AnyValue::Float64(x), AnyValue::Float64(y)) = (&p, &q) {
                assert!((x - y).abs() <= 1e-4 * x.abs().max(1.0), "column {name}, row {i}: {x} vs {y}");
                continue;
            }
            let (p, q) = (format!("{p:?}"), format!("{q:?}"));
            assert_eq!(p, q, "column {name}, row {i} ({:?})", a.column("email").unwrap().get(i));
        }
        compared += 1;
    }
    assert!(compared >= 15, "only {compared} columns in common");
}

#[test]
fn a_shopify_pull_equals_an_import_of_the_stores_csv_export() {
    let store = Store::generate(260, 1100, 7);
    let dir = tempfile::tempdir().unwrap();
    store.write_shopify_exports(dir.path());
    let fake = FakeStore::start(store);
    // A 500, then a throttled answer, then a 429: each waited out.
    fake.fail_next(&[Fault::Status(500), Fault::Throttled, Fault::Status(429)]);
    let src = source(StorePlatform::Shopify, &fake.url, dir.path());
    let synced = pull(&src, &shopify_token()).unwrap();
    assert_eq!(synced.shop_name.as_deref(), Some("Kahve Dünyası"));
    assert_eq!(synced.changes.customers_added, 260);
    assert_eq!(synced.changes.orders_added, 1100);
    let seen = fake.seen();
    assert!(seen.len() >= 1 + 3 + 22 + 3, "customers in 3 pages, orders in 22, and 3 retries: {}", seen.len());
    assert!(synced.copy.lines.len() > 1100, "order lines kept");
    let (_, pulled) = open(&src, dir.path());

    let mut ws = Workspace::new("Export");
    ws.settings.as_of = Some(date(2026, 11, 1));
    ws.sources = vec![
        SourceSpec::new(SourceKind::Customers, dir.path().join("customers_export.csv")),
        SourceSpec::new(SourceKind::Orders, dir.path().join("orders_export.csv")),
    ];
    let imported = ws.load_data(&dir.path().join("export.kitle"), &Progress::default()).unwrap();
    assert_same_customers(&pulled, &imported);
    // SMS consent comes with the phone (`defaultPhoneNumber.marketingState`), as the export's column.
    let sms_yes = pulled.customers.column("sms_consent").unwrap().bool().unwrap().sum();
    assert_eq!(sms_yes, Some((0..260).filter(|i| i % 3 == 1).count() as IdxSize));
    assert!(pulled.customers.column("signup_date").is_ok(), "the API adds the sign-up date the export lacks");
    assert!(has_note(&pulled.report.notes, "Kahve") || has_note(&pulled.report.notes, "last synced"));
    assert_eq!(pulled.report.orders_counted, imported.report.orders_counted);
    // The copy's order lines answer order-history rules as the export's lines do.
    let lines = |d: &CustomerData| d.order_lines.as_ref().map_or(0, DataFrame::height);
    assert!(lines(&pulled) > 1000, "{} lines", lines(&pulled));
    assert_eq!(lines(&pulled), lines(&imported));
    let members = |d: &CustomerData, rule: &str| -> Vec<String> {
        let frame = kitle::engine::segment::evaluate::SegmentFrame::new(std::sync::Arc::new(d.clone()));
        let compiled = frame.compile(&kitle::engine::segment::parse(rule).unwrap());
        assert!(compiled.invalid.is_empty(), "{rule}: {:?}", compiled.invalid);
        let email = d.customers.column("email").unwrap().str().unwrap().clone();
        let mut found: Vec<String> =
            frame.members(&compiled).unwrap().iter().map(|&i| email.get(i as usize).unwrap_or("").to_owned()).collect();
        found.sort();
        found
    };
    let product = pulled.order_lines.as_ref().unwrap().column("product").unwrap().cast(&DataType::String).unwrap();
    let product = product.str().unwrap().get(0).unwrap().to_owned();
    for rule in [
        format!("bought product \"{product}\" in last 6 months"),
        format!("has not bought product \"{product}\" and order count in last 6 months >= 1"),
    ] {
        let found = members(&pulled, &rule);
        assert!(!found.is_empty(), "{rule}");
        assert_eq!(found, members(&imported, &rule), "{rule}");
    }
}

#[test]
fn a_rejected_token_says_so_and_nothing_is_written() {
    let fake = FakeStore::start(Store::generate(5, 5, 1));
    let dir = tempfile::tempdir().unwrap();
    let src = source(StorePlatform::Shopify, &fake.url, dir.path());
    let wrong = StoreCredentials::Token(Token::new("shpat_wrong").unwrap());
    let error = pull(&src, &wrong).unwrap_err().to_string();
    assert!(error.contains("refused the access token") && error.contains("401"), "{error}");
    assert!(!error.contains("shpat_wrong"), "the token never appears in a message");
    assert!(!src.cache.exists());
}

#[test]
fn a_refresh_pulls_only_what_changed() {
    let fake = FakeStore::start(Store::generate(120, 400, 3));
    let dir = tempfile::tempdir().unwrap();
    let src = source(StorePlatform::Shopify, &fake.url, dir.path());
    pull(&src, &shopify_token()).unwrap();
    let (_, before) = open(&src, dir.path());
    let moved = fake.with(|s| {
        let later = utc(1100 * 1440);
        let c = &mut s.store.customers[10];
        c.city = "Bursa".into();
        c.updated = later.clone();
        let mut order = s.store.orders[0].clone();
        order.id = 6_000_000_001;
        order.number = 9999;
        order.customer = Some(s.store.customers[20].id);
        order.email = s.store.customers[20].email.clone();
        order.created = later.clone();
        order.updated = later;
        order.cancelled = None;
        order.status = "PAID".into();
        order.refunds.clear();
        s.store.orders.push(order);
        (s.store.customers[10].email.clone(), s.store.customers[20].email.clone())
    });
    let requests_before = fake.seen().len();
    let synced = pull(&src, &shopify_token()).unwrap();
    let c = synced.changes;
    assert_eq!((c.customers_added, c.customers_updated, c.orders_added, c.orders_updated), (0, 1, 1, 0));
    let refresh_requests = &fake.seen()[requests_before..];
    assert!(
        refresh_requests.len() <= 5,
        "one shop query, a page of each, and a page of customer ids: {}",
        refresh_requests.len()
    );
    let (_, after) = open(&src, dir.path());
    assert_eq!(text(&after, "city", row_where(&after, "email", &moved.0)).as_deref(), Some("Bursa"));
    let buyer_before = num(&before, "orders", row_where(&before, "email", &moved.1)).unwrap_or(0.0);
    assert_eq!(num(&after, "orders", row_where(&after, "email", &moved.1)), Some(buyer_before + 1.0));
    assert_eq!(after.customers.height(), before.customers.height());
}

#[test]
fn a_failed_or_cancelled_refresh_keeps_the_last_good_copy() {
    let fake = FakeStore::start(Store::generate(30, 60, 5));
    let dir = tempfile::tempdir().unwrap();
    let src = source(StorePlatform::Shopify, &fake.url, dir.path());
    pull(&src, &shopify_token()).unwrap();
    let good = StoreCopy::read(&src.cache, &src).unwrap().unwrap();
    fake.with(|s| s.store.customers[0].city = "Changed".into());
    fake.with(|s| s.store.customers[0].updated = utc(1200 * 1440));
    fake.fail_next(&[Fault::Status(503); 3]);
    let error = pull(&src, &shopify_token()).unwrap_err();
    assert!(error.to_string().contains("503"), "{error}");
    assert_eq!(StoreCopy::read(&src.cache, &src).unwrap().unwrap(), good);

    let progress = Progress::default();
    progress.cancel();
    let counts = Arc::new(SyncCounts::default());
    let cancelled = refresh_copy(&src, &src.cache, &shopify_token(), &counts, &progress, quick());
    assert!(matches!(cancelled, Err(SyncError::Cancelled)));
    assert_eq!(StoreCopy::read(&src.cache, &src).unwrap().unwrap(), good);
}

#[test]
fn without_read_all_orders_the_report_says_what_to_ask_for() {
    let fake = FakeStore::start(Store::generate(10, 20, 9));
    fake.with(|s| s.scopes = vec!["read_customers".into(), "read_orders".into()]);
    let dir = tempfile::tempdir().unwrap();
    let src = source(StorePlatform::Shopify, &fake.url, dir.path());
    let synced = pull(&src, &shopify_token()).unwrap();
    assert!(synced.copy.state.orders_limited_to_60_days);
    let (_, data) = open(&src, dir.path());
    assert!(has_note(&data.report.notes, "read_all_orders"));
}

#[test]
fn an_older_api_version_reads_email_and_phone_fields() {
    let fake = FakeStore::start(Store::generate(12, 10, 4));
    let dir = tempfile::tempdir().unwrap();
    let src =
        StoreSource { api_version: Some("2024-10".into()), ..source(StorePlatform::Shopify, &fake.url, dir.path()) };
    let synced = pull(&src, &shopify_token()).unwrap();
    assert!(fake.seen().iter().any(|(_, p)| p.contains("/admin/api/2024-10/graphql.json")));
    assert_eq!(synced.copy.customers.value("7000000001", "Email"), Some("musteri1@example.com"));
    assert_eq!(synced.copy.customers.value("7000000001", "Phone"), Some("+905320000001"));
    // SMS consent from `smsMarketingConsent`: 1 subscribed, 2 not, 3 has no phone.
    let sms = |id: &str| synced.copy.customers.value(id, "Accepts SMS Marketing");
    assert_eq!((sms("7000000001"), sms("7000000002"), sms("7000000003")), (Some("yes"), Some("no"), Some("no")));
}

#[test]
fn woocommerce_guests_refunds_and_a_server_that_drops_the_authorization_header() {
    let store = Store::generate(80, 300, 11);
    let guests: usize = store.orders.iter().filter(|o| o.customer.is_none()).count();
    assert!(guests > 0);
    let fake = FakeStore::start(store.clone());
    fake.with(|s| s.strips_authorization = true);
    fake.fail_next(&[Fault::Status(500)]);
    let dir = tempfile::tempdir().unwrap();
    let src = source(StorePlatform::WooCommerce, &fake.url, dir.path());
    let synced = pull(&src, &woo_keys()).unwrap();
    assert!(synced.keys_in_query, "the keys went in the query string");
    assert_eq!(synced.changes.customers_added, 80);
    assert_eq!(synced.changes.orders_added, 300);
    let (_, woo) = open(&StoreSource { keys_in_query: true, ..src.clone() }, dir.path());
    assert_eq!(woo.customers.height(), 80 + guests, "each guest email is a customer");

    // The same store through Shopify: the same orders and money per customer.
    let shop_dir = tempfile::tempdir().unwrap();
    let shop_fake = FakeStore::start(store);
    let shop_src = source(StorePlatform::Shopify, &shop_fake.url, shop_dir.path());
    pull(&shop_src, &shopify_token()).unwrap();
    let (_, shop) = open(&shop_src, shop_dir.path());
    for email in ["musteri3@example.com", "musteri40@example.com", "misafir5@example.com"] {
        let (w, s) = (row_where(&woo, "email", email), row_where(&shop, "email", email));
        for column in ["orders", "ltv", "last_order_date"] {
            assert_eq!(text(&woo, column, w), text(&shop, column, s), "{email} {column}");
        }
    }

    // A refresh asks only for orders modified since the last one.
    fake.with(|s| {
        let mut order = s.store.orders[1].clone();
        order.id = 6_000_000_002;
        order.updated = utc(1100 * 1440);
        s.store.orders.push(order);
    });
    let before = fake.seen().len();
    let src = StoreSource { keys_in_query: true, ..src };
    let synced = pull(&src, &woo_keys()).unwrap();
    assert_eq!(synced.changes.orders_added, 1);
    assert_eq!(synced.changes.customers_added + synced.changes.customers_updated, 0);
    assert!(fake.seen()[before..].iter().any(|(_, p)| p.contains("modified_after=")));
    assert!(fake.seen()[before..].iter().all(|(_, p)| !p.contains("authorization")));
}

#[test]
fn rejected_woocommerce_keys_say_where_to_make_them() {
    let fake = FakeStore::start(Store::generate(3, 3, 2));
    let dir = tempfile::tempdir().unwrap();
    let src = source(StorePlatform::WooCommerce, &fake.url, dir.path());
    let wrong = StoreCredentials::Keys { key: Token::new("ck_x").unwrap(), secret: Token::new("cs_secret_x").unwrap() };
    let error = pull(&src, &wrong).unwrap_err().to_string();
    assert!(error.contains("REST API") && error.contains("401"), "{error}");
    assert!(!error.contains("cs_secret_x"));
}

#[test]
fn the_command_line_connects_and_refreshes() {
    let fake = FakeStore::start(Store::generate(40, 90, 8));
    // The command runs in its own process, on the real clock: a Plus plan's refill.
    fake.real_time(1000.0);
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("kahve.kitle");
    let run = |args: &[&str]| kitle_json(args, &[("KITLE_TEST_SHOP_TOKEN", SHOPIFY_TOKEN)]);
    let ws_text = ws.to_str().unwrap();
    let connected = run(&[
        "connect",
        "shopify",
        "--store",
        &fake.url,
        "--token-env",
        "KITLE_TEST_SHOP_TOKEN",
        "--json",
        "-o",
        ws_text,
    ]);
    assert_eq!(connected["customers_added"], 40);
    assert_eq!(connected["platform"], "shopify");
    let saved = std::fs::read_to_string(&ws).unwrap();
    assert!(!saved.contains(SHOPIFY_TOKEN), "no secret in the workspace");
    assert!(saved.contains("KITLE_TEST_SHOP_TOKEN") && saved.contains("kahve-store"));
    assert!(dir.path().join("kahve-store/store_customers.csv").exists());
    fake.with(|s| {
        let c = &mut s.store.customers[3];
        c.first = "Yeni".into();
        c.updated = utc(1150 * 1440);
    });
    let refreshed = run(&["refresh", ws_text, "--json"]);
    assert_eq!(refreshed["customers_updated"], 1);
    assert_eq!(refreshed["orders_added"], 0);
    assert_eq!(refreshed["customers"], 40 + connected["customers"].as_u64().unwrap() - 40);
}

#[test]
fn a_large_shopify_pull_goes_through_bulk_exports_and_gets_the_same_copy() {
    let store = Store::generate(90, 300, 13);
    let paged_fake = FakeStore::start(store.clone());
    let bulk_fake = FakeStore::start(store);
    let (paged_dir, bulk_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let paged_src = source(StorePlatform::Shopify, &paged_fake.url, paged_dir.path());
    let bulk_src = source(StorePlatform::Shopify, &bulk_fake.url, bulk_dir.path());
    let paged = pull(&paged_src, &shopify_token()).unwrap().copy;
    let bulk_options = SyncOptions { bulk_from: 50, ..quick() };
    // A throttled answer while the export runs is waited out too.
    bulk_fake.fail_next(&[Fault::Throttled]);
    let bulk = pull_with(&bulk_src, &shopify_token(), bulk_options.clone()).unwrap().copy;
    let graphql: Vec<String> = bulk_fake.seen().into_iter().map(|(_, p)| p).collect();
    assert!(graphql.iter().any(|p| p.starts_with("/bulk/")), "the export file was downloaded");
    assert!(graphql.len() < 15, "a handful of requests, not pages: {}", graphql.len());
    assert_eq!(bulk.customers, paged.customers);
    assert_eq!(bulk.orders, paged.orders);
    assert_eq!(bulk.lines, paged.lines);

    // A refresh through bulk exports only brings the change.
    bulk_fake.with(|s| {
        let o = &mut s.store.orders[5];
        o.total += 10.0;
        o.updated = utc(1100 * 1440);
    });
    let synced = pull_with(&bulk_src, &shopify_token(), bulk_options).unwrap();
    let c = synced.changes;
    assert_eq!((c.customers_added, c.customers_updated, c.orders_added, c.orders_updated), (0, 0, 0, 1));
}

/// Every order's lines as the store holds them, and the copy's, by order id.
fn lines_by_order(copy: &StoreCopy) -> std::collections::HashMap<String, usize> {
    let mut counts = std::collections::HashMap::new();
    for row in &copy.lines.rows {
        *counts.entry(row[1].clone()).or_default() += 1;
    }
    counts
}

#[test]
fn a_3000_order_store_is_paged_under_the_cost_cap_at_the_standard_plans_pace() {
    let store = Store::generate(900, 3000, 11);
    let wanted: std::collections::HashMap<String, usize> =
        store.orders.iter().map(|o| (o.id.to_string(), o.lines.len())).collect();
    assert!(wanted.values().any(|n| *n > 100), "some orders have more than a page of lines");
    let dir = tempfile::tempdir().unwrap();
    let fake = FakeStore::start(store);
    let src = source(StorePlatform::Shopify, &fake.url, dir.path());
    let synced = pull(&src, &shopify_token()).unwrap();
    assert_eq!(synced.copy.orders.rows.len(), 3000);
    assert_eq!(lines_by_order(&synced.copy), wanted, "every line of every order, long ones included");
    fake.with(|s| {
        assert_eq!(s.too_costly, 0, "no query over 1,000 points");
        assert!(s.highest_cost <= 1000 && s.highest_cost > 500, "{}", s.highest_cost);
        assert_eq!(s.throttled, 0, "each query waited for its points instead of being throttled");
        // The bucket's 2,000 points, then 100 a second: the pull took at least that long.
        let least = (s.points_spent - 2000.0) / 100.0;
        let took = s.clock.now().as_secs_f64();
        assert!(took >= least && took < least * 1.1 + 5.0, "took {took:.0} s for {} points", s.points_spent);
    });
}

#[test]
fn a_60000_order_store_comes_through_bulk_exports() {
    let store = Store::generate(12_000, 60_000, 12);
    let revenue: f64 = store.orders.iter().map(|o| o.total).sum();
    let lines: usize = store.orders.iter().map(|o| o.lines.len()).sum();
    let dir = tempfile::tempdir().unwrap();
    let fake = FakeStore::start(store);
    let src = source(StorePlatform::Shopify, &fake.url, dir.path());
    let started = std::time::Instant::now();
    let synced = pull_with(&src, &shopify_token(), SyncOptions { bulk_from: 5_000, ..quick() }).unwrap();
    let took = started.elapsed();
    let requests = fake.seen().len();
    eprintln!("60,000-order bulk pull: {requests} requests, {took:.1?}");
    assert_eq!(synced.copy.customers.rows.len(), 12_000);
    assert_eq!(synced.copy.orders.rows.len(), 60_000);
    assert_eq!(synced.copy.lines.rows.len(), lines);
    let pulled: f64 = synced.copy.orders.rows.iter().map(|r| r[4].parse::<f64>().unwrap()).sum();
    assert!((pulled - revenue).abs() < 0.01, "{pulled} vs {revenue}");
    assert!(requests < 20, "two exports, not thousands of pages: {requests}");
    fake.with(|s| assert_eq!((s.too_costly, s.throttled), (0, 0)));
}

#[test]
fn woocommerce_revenue_counts_only_paid_statuses_as_its_analytics_does() {
    let store = Store::generate(60, 480, 13);
    // What WooCommerce Analytics reports: processing, on-hold and completed orders,
    // net of refunds (a refunded order nets to 0); pending, failed, drafts,
    // cancelled and a plugin's status are left out.
    let paid: f64 = store
        .orders
        .iter()
        .filter(|o| {
            ["processing", "on-hold", "completed", "refunded"].contains(&crate::fake_store::woo_status(o, true).0)
        })
        .map(|o| o.total - o.refunds.iter().sum::<f64>())
        .sum();
    let all: f64 = store.orders.iter().map(|o| o.total - o.refunds.iter().sum::<f64>()).sum();
    assert!(paid < all * 0.8, "the store has unpaid orders to leave out");
    let fake = FakeStore::start(store);
    fake.with(|s| s.woo_every_status = true);
    // A transient 503 is waited out.
    fake.fail_next(&[Fault::Status(503)]);
    let dir = tempfile::tempdir().unwrap();
    let src = source(StorePlatform::WooCommerce, &fake.url, dir.path());
    let synced = pull(&src, &woo_keys()).unwrap();
    assert_eq!(synced.changes.orders_added, 480, "every order is kept in the copy");
    let (_, data) = open(&src, dir.path());
    let revenue: f64 = data.customers.column("ltv").unwrap().f64().unwrap().sum().unwrap();
    assert!((revenue - paid).abs() < 0.01, "revenue {revenue} against WooCommerce Analytics' {paid}");
    assert!(has_note(&data.report.notes, "more than one currency: EUR ("), "{:?}", data.report.notes);
    assert!(has_note(&data.report.notes, "awaiting-shipment ("), "the plugin's status is named");
}

#[test]
fn customers_the_store_deleted_leave_the_copy_with_their_orders_on_refresh() {
    // Shopify paged and through bulk exports, and WooCommerce.
    for (platform, bulk_from) in
        [(StorePlatform::Shopify, usize::MAX), (StorePlatform::Shopify, 10), (StorePlatform::WooCommerce, usize::MAX)]
    {
        let fake = FakeStore::start(Store::generate(50, 200, 14));
        let dir = tempfile::tempdir().unwrap();
        let src = source(platform, &fake.url, dir.path());
        let credentials = if platform == StorePlatform::Shopify { shopify_token() } else { woo_keys() };
        let pull = |src: &StoreSource, credentials: &StoreCredentials| {
            pull_with(src, credentials, SyncOptions { bulk_from, ..quick() })
        };
        let first = pull(&src, &credentials).unwrap();
        assert_eq!(first.changes.customers_deleted, 0, "{platform:?}: nothing to delete on a first pull");
        // The store erases two customers (a KVKK/GDPR request).
        let gone: Vec<u64> = fake.with(|s| {
            let gone = vec![s.store.customers[3].id, s.store.customers[17].id];
            s.store.customers.retain(|c| !gone.contains(&c.id));
            gone
        });
        let had_orders = first.copy.orders.rows.iter().filter(|r| gone.iter().any(|g| r[1] == g.to_string())).count();
        assert!(had_orders > 0, "{platform:?}: the erased customers had orders");
        let synced = pull(&src, &credentials).unwrap();
        assert_eq!(synced.changes.customers_deleted, 2, "{platform:?}");
        assert_eq!(synced.copy.customers.rows.len(), 48);
        assert_eq!(synced.copy.orders.rows.len(), first.copy.orders.rows.len() - had_orders);
        for id in &gone {
            let id = id.to_string();
            assert!(synced.copy.customers.rows.iter().all(|r| r[0] != id), "{platform:?}: {id} is gone");
            assert!(synced.copy.orders.rows.iter().all(|r| r[1] != id), "{platform:?}: {id}'s orders are gone");
        }
        let (_, data) = open(&StoreSource { keys_in_query: synced.keys_in_query, ..src.clone() }, dir.path());
        let emails: Vec<String> = (0..data.customers.height()).filter_map(|i| text(&data, "email", i)).collect();
        for c in [3, 17] {
            let email = format!("musteri{c}@example.com");
            assert!(!emails.contains(&email), "{platform:?}: {email} is not a guest either");
        }
    }
}

#[test]
fn a_customer_the_store_erased_is_removed_from_google_and_meta_on_the_next_push() {
    use kitle::engine::audience::{Audience, Identifier, Platform};
    let fake = FakeStore::start(Store::generate(30, 60, 15));
    fake.real_time(1000.0);
    let (google, meta) = (crate::fake_api::FakeApi::start(), crate::fake_api::FakeApi::start());
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("kahve.kitle");
    let ws_text = ws.to_str().unwrap();
    let run = |args: &[&str]| kitle_json(args, &[("KITLE_TEST_SHOP_TOKEN", SHOPIFY_TOKEN)]);
    run(&["connect", "shopify", "--store", &fake.url, "--token-env", "KITLE_TEST_SHOP_TOKEN", "--json", "-o", ws_text]);
    // Every registered customer who accepts marketing, to Google.
    let mut workspace = Workspace::load(&ws).unwrap();
    workspace.segments.push(kitle::engine::workspace::Segment::new(
        "Registered",
        "",
        "email ends with \"@example.com\" and email starts with \"musteri\"",
    ));
    workspace.audiences.push(Audience {
        name: "All".into(),
        segment: "Registered".into(),
        rule: None,
        platforms: vec![Platform::Google, Platform::Meta],
        identifiers: vec![Identifier::Email],
        consent_only: true,
        last_sent: None,
        destinations: Default::default(),
    });
    workspace.save(&ws).unwrap();
    let push = |platform: Platform| {
        let api = if platform == Platform::Google { &google } else { &meta };
        let mut args = vec!["audience", ws_text, "--name", "All", "--push", "--platform", platform.id()];
        args.extend(["--endpoint", &api.url, "--token", crate::fake_api::TOKEN, "--json"]);
        match platform {
            Platform::Google => {
                args.extend(["--account", crate::fake_api::GOOGLE_ACCOUNT, "--list", crate::fake_api::GOOGLE_LIST])
            }
            _ => args.extend(["--account", crate::fake_api::META_ACCOUNT]),
        }
        run(&args)
    };
    let hash = kitle::engine::audience::normalise::sha256_hex("musteri8@example.com");
    for (platform, api) in [(Platform::Google, &google), (Platform::Meta, &meta)] {
        push(platform);
        assert!(
            api.members().iter().any(|m| m.contains(&hash)),
            "{platform:?}: musteri8 (who accepts marketing) was sent"
        );
    }

    fake.with(|s| s.store.customers.retain(|c| c.email != "musteri8@example.com"));
    let refreshed = run(&["refresh", ws_text, "--json"]);
    assert_eq!(refreshed["deleted"], 1);
    for (platform, api) in [(Platform::Google, &google), (Platform::Meta, &meta)] {
        let pushed = push(platform);
        assert_eq!(pushed["pushes"][0]["removes_sent"], 1, "{platform:?}: {pushed}");
        assert!(!api.members().iter().any(|m| m.contains(&hash)), "{platform:?}: musteri8 is no longer in the list");
    }
}

fn app_credentials(secret: &str) -> StoreCredentials {
    StoreCredentials::ClientCredentials {
        client_id: Token::new(crate::fake_store::SHOPIFY_CLIENT_ID).unwrap(),
        client_secret: Token::new(secret).unwrap(),
    }
}

#[test]
fn a_dev_dashboard_app_signs_in_with_its_client_id_and_secret_and_again_when_the_token_expires() {
    let store = Store::generate(300, 1200, 16);
    let fake = FakeStore::start(store);
    // Tokens that last a minute: the pull (about 200 s at 100 points a second) outlives the first.
    fake.with(|s| s.app_token_life = Duration::from_secs(60));
    let dir = tempfile::tempdir().unwrap();
    let src = source(StorePlatform::Shopify, &fake.url, dir.path());
    let synced = pull(&src, &app_credentials(crate::fake_store::SHOPIFY_CLIENT_SECRET)).unwrap();
    assert_eq!(synced.changes.orders_added, 1200);
    let sign_ins = fake.with(|s| s.app_sign_ins);
    assert!(sign_ins >= 2, "signed in again when the token expired: {sign_ins}");
    assert!(fake.seen().iter().any(|(m, p)| m == "POST" && p.ends_with("/admin/oauth/access_token")));
}

#[test]
fn a_wrong_app_secret_is_refused_in_a_sentence_and_no_workspace_is_written() {
    let fake = FakeStore::start(Store::generate(5, 5, 17));
    let dir = tempfile::tempdir().unwrap();
    let src = source(StorePlatform::Shopify, &fake.url, dir.path());
    let error = pull(&src, &app_credentials("shpss_wrong")).unwrap_err().to_string();
    assert!(error.contains("client ID and secret") && error.contains("Dev Dashboard"), "{error}");
    assert!(!error.contains("shpss_wrong"), "the secret is never shown");

    let ws = dir.path().join("app.kitle");
    let (ok, _, err) = kitle_with_env(
        &[
            "connect",
            "shopify",
            "--store",
            &fake.url,
            "--client-id-env",
            "KITLE_TEST_APP_ID",
            "--client-secret-env",
            "KITLE_TEST_APP_SECRET",
            "-o",
            ws.to_str().unwrap(),
        ],
        &[("KITLE_TEST_APP_ID", crate::fake_store::SHOPIFY_CLIENT_ID), ("KITLE_TEST_APP_SECRET", "shpss_wrong")],
    );
    assert!(!ok);
    assert!(err.contains("client ID and secret"));
    assert!(!ws.exists(), "no workspace is written");

    // The right secret: connected, and refresh signs in the same way.
    let run = |args: &[&str]| {
        kitle_json(
            args,
            &[
                ("KITLE_TEST_APP_ID", crate::fake_store::SHOPIFY_CLIENT_ID),
                ("KITLE_TEST_APP_SECRET", crate::fake_store::SHOPIFY_CLIENT_SECRET),
            ],
        )
    };
    fake.real_time(1000.0);
    let ws_text = ws.to_str().unwrap();
    let connected = run(&[
        "connect",
        "shopify",
        "--store",
        &fake.url,
        "--client-id-env",
        "KITLE_TEST_APP_ID",
        "--client-secret-env",
        "KITLE_TEST_APP_SECRET",
        "--json",
        "-o",
        ws_text,
    ]);
    assert_eq!(connected["customers_added"], 5);
    let saved = std::fs::read_to_string(&ws).unwrap();
    assert!(saved.contains("KITLE_TEST_APP_SECRET") && !saved.contains(crate::fake_store::SHOPIFY_CLIENT_SECRET));
    let refreshed = run(&["refresh", ws_text, "--json"]);
    assert_eq!(refreshed["deleted"], 0);
    assert_eq!(fake.with(|s| s.app_sign_ins), 2, "one sign-in per run");
}

#[test]
fn woocommerce_refresh_counts_newly_paid_and_refunded_orders_and_a_plugins_status_when_told() {
    let store = Store::generate(40, 240, 18);
    let fake = FakeStore::start(store.clone());
    fake.with(|s| s.woo_every_status = true);
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("woo.kitle");
    let ws_text = ws.to_str().unwrap();
    let run =
        |args: &[&str]| kitle_json(args, &[("KITLE_TEST_WOO_KEY", WOO_KEY), ("KITLE_TEST_WOO_SECRET", WOO_SECRET)]);
    let revenue = |orders: &[crate::fake_store::Order]| -> f64 {
        let paid = ["processing", "on-hold", "completed", "refunded", "awaiting-shipment"];
        orders
            .iter()
            .filter(|o| paid.contains(&crate::fake_store::woo_status(o, true).0))
            .map(|o| o.total - o.refunds.iter().sum::<f64>())
            .sum()
    };
    run(&[
        "connect",
        "woocommerce",
        "--store",
        &fake.url,
        "--key-env",
        "KITLE_TEST_WOO_KEY",
        "--secret-env",
        "KITLE_TEST_WOO_SECRET",
        "--paid-status",
        "awaiting-shipment",
        "--json",
        "-o",
        ws_text,
    ]);
    let summary = || run(&["summary", ws_text, "--json"])["total_revenue"].as_f64().unwrap();
    approx(Some(summary()), revenue(&store.orders));
    assert!(std::fs::read_to_string(&ws).unwrap().contains("awaiting-shipment"), "the choice is kept");

    // A pending order is paid; a completed one is refunded in full.
    let later = utc(1200 * 1440);
    let orders = fake.with(|s| {
        let pending = s.store.orders.iter().position(|o| o.status == "PAID" && o.number % 12 == 1).unwrap();
        let o = &mut s.store.orders[pending];
        o.number += 1; // 1 → 2 (mod 12): processing
        o.updated.clone_from(&later);
        let done = s.store.orders.iter().position(|o| o.status == "PAID" && o.number % 12 == 0).unwrap();
        let o = &mut s.store.orders[done];
        o.status = "REFUNDED".into();
        o.refunds = vec![o.total];
        o.updated.clone_from(&later);
        s.store.orders.clone()
    });
    let refreshed = run(&["refresh", ws_text, "--json"]);
    assert_eq!(refreshed["orders_updated"], 2);
    approx(Some(summary()), revenue(&orders));
}

#[test]
fn bulk_exports_that_fail_or_whose_link_expired_are_said_in_a_sentence_and_keep_the_copy() {
    let dir = tempfile::tempdir().unwrap();
    for (failure, expired, words) in [
        (Some(("FAILED", "ACCESS_DENIED")), false, "read_customers and read_orders"),
        (Some(("FAILED", "INTERNAL_SERVER_ERROR")), false, "did not finish (FAILED, INTERNAL_SERVER_ERROR)"),
        (None, true, "download link was refused or has expired"),
    ] {
        let fake = FakeStore::start(Store::generate(30, 60, 19));
        fake.with(|s| {
            s.bulk_failure = failure;
            s.bulk_link_expired = expired;
        });
        let src = source(StorePlatform::Shopify, &fake.url, dir.path());
        let error =
            pull_with(&src, &shopify_token(), SyncOptions { bulk_from: 10, ..quick() }).unwrap_err().to_string();
        assert!(error.contains(words), "{error}");
        assert!(!src.cache.join("sync.ron").exists(), "nothing is written after a failed pull");
    }
}
