//! Importing real-looking exports, checking every canonical value by hand.

use kitle::engine::data::FieldOrigin;
use kitle::engine::fields::{FieldType, SourceKind};

use crate::helpers::*;

#[test]
fn shopify_customers_and_orders_pair() {
    let data = shopify_store();
    // Three customers in the file plus one who only appears in the orders.
    assert_eq!(data.len(), 4);
    assert_eq!(data.report.orders_counted, 4, "#1004 voided, #1005 fully refunded");

    let ayse = row_where(&data, "email", "ayse.yilmaz@example.com");
    assert_eq!(text(&data, "customer_id", ayse).as_deref(), Some("9013808660771"), "Excel's ' marker removed");
    assert_eq!(text(&data, "first_name", ayse).as_deref(), Some("Ayşe"));
    assert_eq!(text(&data, "last_name", ayse).as_deref(), Some("Yılmaz"));
    assert_eq!(text(&data, "city", ayse).as_deref(), Some("İstanbul"));
    assert_eq!(text(&data, "region", ayse).as_deref(), Some("34"));
    assert_eq!(text(&data, "country_code", ayse).as_deref(), Some("TR"), "Shopify's country code column");
    assert_eq!(text(&data, "zip", ayse).as_deref(), Some("34740"));
    assert_eq!(text(&data, "phone", ayse).as_deref(), Some("+905321112233"));
    assert_eq!(boolean(&data, "accepts_marketing", ayse), Some(true));
    assert_eq!(list(&data, "tags", ayse), vec!["VIP", "newsletter"]);
    approx(num(&data, "ltv", ayse), 1850.0); // 1200 + (800 - 150 refunded)
    approx(num(&data, "orders", ayse), 2.0);
    approx(num(&data, "aov", ayse), 925.0);
    assert_eq!(day(&data, "first_order_date", ayse), Some(date(2025, 3, 2)));
    assert_eq!(day(&data, "last_order_date", ayse), Some(date(2025, 8, 20)));
    approx(num(&data, "days_since_last_order", ayse), 134.0);
    approx(num(&data, "tenure_days", ayse), 305.0);
    assert_eq!(text(&data, "channel", ayse).as_deref(), Some("web"), "from the first order");
    // A quoted address with a line break stays one cell of a custom field.
    assert_eq!(text(&data, "Default Address Address1", ayse).as_deref(), Some("Bağdat Cad. No:12\nDaire 4"));

    let mehmet = row_where(&data, "email", "Mehmet.Kaya@Example.com");
    approx(num(&data, "ltv", mehmet), 420.5); // #1005 refunded in full
    approx(num(&data, "orders", mehmet), 1.0);
    assert_eq!(text(&data, "channel", mehmet).as_deref(), Some("instagram"));
    assert_eq!(boolean(&data, "accepts_marketing", mehmet), Some(false));

    let zeynep = row_where(&data, "email", "zeynep@example.com");
    approx(num(&data, "ltv", zeynep), 0.0);
    approx(num(&data, "orders", zeynep), 0.0);
    assert_eq!(day(&data, "last_order_date", zeynep), None, "voided order does not count");

    let can = row_where(&data, "email", "can.oz@example.com");
    assert_eq!(text(&data, "name", can).as_deref(), Some("Can Öz"));
    assert_eq!(text(&data, "city", can).as_deref(), Some("Bursa"));
    assert_eq!(text(&data, "customer_id", can), None);
    approx(num(&data, "ltv", can), 75.0);
    assert_eq!(text(&data, "channel", can).as_deref(), Some("tiktok"));

    assert!(has_note(&data.report.notes, "1 cancelled, failed or unpaid orders"));
    assert!(has_note(&data.report.notes, "1 customers appear only in the orders file"));
    let orders = data.orders.as_ref().unwrap();
    assert_eq!(orders.height(), 4);
}

#[test]
fn woocommerce_customers_export() {
    let data = import(Some("fixtures/woocommerce/customers.csv"), None, None, date(2026, 1, 1)).unwrap();
    assert_eq!(data.len(), 3);
    let elif = row_where(&data, "email", "elif@example.com");
    assert_eq!(text(&data, "name", elif).as_deref(), Some("Elif Şahin"));
    approx(num(&data, "ltv", elif), 3250.0);
    approx(num(&data, "orders", elif), 4.0);
    approx(num(&data, "aov", elif), 812.5);
    assert_eq!(day(&data, "signup_date", elif), Some(date(2024, 2, 14)));
    assert_eq!(day(&data, "last_order_date", elif), Some(date(2025, 10, 1)));
    assert_eq!(text(&data, "country", elif).as_deref(), Some("TR"));
    assert_eq!(text(&data, "country_code", elif).as_deref(), Some("TR"), "a code written as the country");
    assert_eq!(text(&data, "city", elif).as_deref(), Some("Antalya"));
    assert_eq!(text(&data, "region", elif).as_deref(), Some("07"));
    assert_eq!(text(&data, "zip", elif).as_deref(), Some("07100"));
    let selin = row_where(&data, "email", "selin@example.com");
    assert_eq!(day(&data, "last_order_date", selin), None);
    assert_eq!(num(&data, "aov", selin), None, "no orders, no average order value");
    // Woo's own AOV column is kept as a custom field beside Kitle's aov.
    let custom = data.fields.iter().find(|f| f.name.starts_with("AOV")).unwrap();
    assert_eq!((custom.origin, custom.ty), (FieldOrigin::Custom, FieldType::Money));
}

#[test]
fn turkish_excel_csv_in_windows_1254_with_decimal_commas() {
    let data = import(Some("fixtures/turkish/musteriler_1254.csv"), None, None, date(2026, 11, 1)).unwrap();
    assert_eq!(data.len(), 4, "the repeated customer 1001 is merged");
    assert_eq!(data.report.duplicate_customers_merged, 1);
    let src = &data.report.sources[0];
    assert!(has_note(&src.notes, "Windows-1254"), "{:?}", src.notes);
    assert!(has_note(&src.notes, "starts at line 3"), "{:?}", src.notes);

    let gokhan = row_where(&data, "customer_id", "1001");
    assert_eq!(text(&data, "name", gokhan).as_deref(), Some("Gökhan Öztürk"));
    assert_eq!(text(&data, "email", gokhan).as_deref(), Some("gokhan@ornek.com.tr"));
    assert_eq!(text(&data, "phone", gokhan).as_deref(), Some("0532 111 22 33"));
    assert_eq!(text(&data, "city", gokhan).as_deref(), Some("İstanbul"));
    assert_eq!(text(&data, "gender", gokhan).as_deref(), Some("Erkek"));
    assert_eq!(day(&data, "birth_date", gokhan), Some(date(1985, 6, 15)));
    approx(num(&data, "age", gokhan), 41.0);
    assert_eq!(day(&data, "signup_date", gokhan), Some(date(2024, 1, 3)));
    assert_eq!(text(&data, "channel", gokhan).as_deref(), Some("Google Ads"));
    approx(num(&data, "ltv", gokhan), 12_450.75);
    approx(num(&data, "orders", gokhan), 14.0);
    assert_eq!(day(&data, "last_order_date", gokhan), Some(date(2026, 10, 28)));
    approx(num(&data, "days_since_last_order", gokhan), 4.0);
    assert_eq!(list(&data, "tags", gokhan), vec!["VIP", "girişimci"]);
    assert_eq!(boolean(&data, "accepts_marketing", gokhan), Some(true));
    approx(num(&data, "Sadakat Puanı", gokhan), 1250.0);

    let sule = row_where(&data, "customer_id", "1002");
    assert_eq!(text(&data, "city", sule).as_deref(), Some("Iğdır"));
    approx(num(&data, "ltv", sule), 890.5);
    approx(num(&data, "age", sule), 33.0);
    assert_eq!(boolean(&data, "accepts_marketing", sule), Some(false));

    let umran = row_where(&data, "customer_id", "1004");
    approx(num(&data, "ltv", umran), 5000.0);
    approx(num(&data, "age", umran), 38.0);
    assert_eq!(list(&data, "tags", umran), vec!["sadık", "bülten"]);
    assert_eq!(num(&data, "Sadakat Puanı", umran), None);
    let bad = src.unparsed.iter().find(|u| u.column == "Sadakat Puanı").unwrap();
    assert_eq!((bad.count, bad.examples.clone()), (1, vec!["abc".to_owned()]));

    let d = kitle::engine::dashboard::dashboard(&data, None, &[]).unwrap();
    approx(d.headline.total_revenue, 18_341.25);
    approx(d.headline.avg_ltv, 4_585.312_5);
}

#[test]
fn xlsx_with_a_notes_sheet_first() {
    let data = import(Some("fixtures/excel/musteriler_notlar_ilk.xlsx"), None, None, date(2026, 11, 1)).unwrap();
    assert_eq!(data.len(), 3);
    assert!(has_note(&data.report.sources[0].notes, "Read sheet \"Müşteriler\""));
    let deniz = row_where(&data, "customer_id", "5001");
    assert_eq!(text(&data, "first_name", deniz).as_deref(), Some("Deniz"));
    assert_eq!(text(&data, "last_name", deniz).as_deref(), Some("Koç"));
    assert_eq!(day(&data, "signup_date", deniz), Some(date(2024, 3, 15)));
    assert_eq!(day(&data, "last_order_date", deniz), Some(date(2026, 9, 30)));
    approx(num(&data, "ltv", deniz), 5400.5);
    approx(num(&data, "Memnuniyet", deniz), 4.5);
    let gizem = row_where(&data, "customer_id", "5003");
    assert_eq!(day(&data, "signup_date", gizem), Some(date(2025, 1, 1)), "Excel serial 45658");
    approx(num(&data, "ltv", gizem), 2300.0);
    assert_eq!(day(&data, "last_order_date", gizem), Some(date(2026, 8, 15)));

    // The sheet can also be named; a wrong name lists the sheets there are.
    let mut spec = kitle::engine::import::SourceSpec::new(
        SourceKind::Customers,
        fixture("fixtures/excel/musteriler_notlar_ilk.xlsx"),
    );
    spec.options.sheet = Some("Notlar".into());
    let notes = kitle::engine::import::load_source(&spec, &Default::default()).unwrap();
    assert_eq!(notes.df.height(), 2);
    assert_eq!(notes.report.columns[0].header, "Bu dosya CRM'den alınmıştır.");
    spec.options.sheet = Some("Yok".into());
    let err = kitle::engine::import::load_source(&spec, &Default::default()).unwrap_err();
    assert!(err.to_string().contains("its sheets are: Notlar, Müşteriler"), "{err}");
}

#[test]
fn xls_and_ods_workbooks() {
    let xls = import(Some("fixtures/excel/customers.xls"), None, None, date(2026, 1, 1)).unwrap();
    let cem = row_where(&xls, "customer_id", "C-1");
    approx(num(&xls, "ltv", cem), 1200.0);
    approx(num(&xls, "orders", cem), 3.0);
    assert_eq!(day(&xls, "signup_date", cem), Some(date(2025, 1, 5)));

    let ods = import(Some("fixtures/excel/musteriler.ods"), None, None, date(2026, 1, 1)).unwrap();
    let derya = row_where(&ods, "email", "derya@example.com");
    assert_eq!(text(&ods, "name", derya).as_deref(), Some("Derya Doğan"));
    approx(num(&ods, "ltv", derya), 1980.25);
    assert_eq!(day(&ods, "signup_date", derya), Some(date(2025, 6, 30)));
}

#[test]
fn orders_only_with_compact_dates_creates_customers() {
    let data = import(None, Some("fixtures/orders_only/siparisler.csv"), None, date(2026, 1, 1)).unwrap();
    assert_eq!(data.len(), 2);
    let ali = row_where(&data, "email", "ali@example.com");
    assert_eq!(text(&data, "name", ali).as_deref(), Some("Ali Kara"));
    assert_eq!(text(&data, "city", ali).as_deref(), Some("Adana"));
    approx(num(&data, "ltv", ali), 400.5); // S-3 cancelled
    approx(num(&data, "orders", ali), 2.0);
    assert_eq!(day(&data, "first_order_date", ali), Some(date(2025, 1, 5)));
    assert_eq!(day(&data, "last_order_date", ali), Some(date(2025, 6, 10)));
    assert_eq!(text(&data, "channel", ali).as_deref(), Some("Google Ads"));
    let fatma = row_where(&data, "email", "fatma@example.com");
    approx(num(&data, "ltv", fatma), 800.0); // 1000 minus a 200 return
    approx(num(&data, "orders", fatma), 1.0);
    assert!(has_note(&data.report.notes, "1 orders have no email"));
    assert_eq!(data.report.sources[0].rows_skipped, 1);
}

#[test]
fn retail_line_items_with_returns_and_missing_customer_ids() {
    let data = import(None, Some("fixtures/retail/online_retail.csv"), None, date(2011, 1, 1)).unwrap();
    assert_eq!(data.len(), 3);
    let a = row_where(&data, "customer_id", "17850");
    approx(num(&data, "ltv", a), 6.0 * 2.55 + 6.0 * 3.39 + 6.0 * 1.85 - 4.0 * 1.95);
    approx(num(&data, "orders", a), 2.0);
    assert_eq!(day(&data, "last_order_date", a), Some(date(2010, 12, 1)));
    assert_eq!(text(&data, "country", a).as_deref(), Some("United Kingdom"));
    assert_eq!(text(&data, "country_code", a).as_deref(), Some("GB"), "derived from the name");
    let b = row_where(&data, "customer_id", "14527");
    approx(num(&data, "ltv", b), 24.0 * 1.45 - 27.5);
    approx(num(&data, "orders", b), 1.0);
    let c = row_where(&data, "customer_id", "13047");
    approx(num(&data, "ltv", c), 32.0 * 1.69);
    assert!(has_note(&data.report.notes, "2 orders have no customer id"));
    assert!(has_note(&data.report.notes, "2 returns"));
    assert!(data.report.sources[0].ambiguous_dates.is_empty(), "12/13/2010 shows month first");
}

#[test]
fn spend_in_long_and_wide_form() {
    let data = import(
        Some("fixtures/woocommerce/customers.csv"),
        None,
        Some("fixtures/spend/spend_long.csv"),
        date(2026, 1, 1),
    )
    .unwrap();
    let total: f64 = data.spend.iter().map(|s| s.amount).sum();
    approx(Some(total), 27_000.5);
    let jan_ig = data.spend.iter().find(|s| s.channel == "Instagram").unwrap();
    assert_eq!((jan_ig.start, jan_ig.end), (date(2025, 1, 1), date(2025, 1, 31)));

    let wide = import(
        Some("fixtures/woocommerce/customers.csv"),
        None,
        Some("fixtures/spend/spend_wide.csv"),
        date(2026, 1, 1),
    )
    .unwrap();
    assert_eq!(wide.spend.len(), 5);
    let google: f64 = wide.spend.iter().filter(|s| s.channel == "Google Ads").map(|s| s.amount).sum();
    approx(Some(google), 2200.5);
}

#[test]
fn mapping_can_be_overridden() {
    use kitle::engine::import::mapping::MappingOverride;
    let mut spec =
        kitle::engine::import::SourceSpec::new(SourceKind::Customers, fixture("fixtures/woocommerce/customers.csv"));
    spec.mapping = vec![
        MappingOverride::parse("Username=customer_id", SourceKind::Customers).unwrap(),
        MappingOverride::parse("Postal Code=ignore", SourceKind::Customers).unwrap(),
    ];
    let loaded = kitle::engine::import::load_source(&spec, &Default::default()).unwrap();
    assert!(loaded.report.ignored_columns.contains(&"Postal Code".to_owned()));
    let data = kitle::engine::build::build(Some(loaded), None, None, date(2026, 1, 1)).unwrap();
    assert!(data.field("zip").is_none());
    let burak = row_where(&data, "customer_id", "burakc");
    assert_eq!(text(&data, "email", burak).as_deref(), Some("burak@example.com"));
}

#[test]
fn demo_data_builds_a_plausible_store() {
    let dir = tempfile::tempdir().unwrap();
    let config = kitle::engine::demo::DemoConfig { customers: 400, ..Default::default() };
    let path = kitle::engine::demo::write_demo_workspace(dir.path(), &config).unwrap();
    let ws = kitle::engine::workspace::Workspace::load(&path).unwrap();
    let data = ws.load_data(&path, &Default::default()).unwrap();
    assert_eq!(data.len(), 400);
    let d = kitle::engine::dashboard::dashboard(&data, None, &[1000.0]).unwrap();
    let avg = d.headline.avg_ltv.unwrap();
    assert!(avg > 200.0 && avg < 5000.0, "{avg}");
    assert_eq!(d.channels.len(), 6);
    assert!(!data.spend.is_empty());
    // Deterministic: the same seed writes the same bytes.
    let again = kitle::engine::demo::generate(&config);
    let on_disk = std::fs::read(dir.path().join(kitle::engine::demo::CUSTOMERS_FILE)).unwrap();
    assert_eq!(again.0, on_disk);
}

/// Category fields (city, channel, the RFM group) are stored as categories, 4 bytes a
/// customer, and read as their text everywhere: cells, sorting, search and segments.
#[test]
fn category_fields_are_stored_as_categories_and_read_as_text() {
    use kitle::engine::browse::{SortBy, row_order};
    use kitle::engine::segment::evaluate::SegmentFrame;
    use kitle::engine::text::{fold, fold_case};
    use polars::prelude::DataType;

    let data = crate::warehouse::demo_data();
    for field in ["city", "channel", "rfm_group"] {
        assert!(matches!(data.customers.column(field).unwrap().dtype(), DataType::Categorical(..)), "{field}");
    }
    let cities: Vec<Option<String>> = (0..data.len()).map(|row| text(&data, "city", row)).collect();
    let cell = kitle::engine::values::plain_text(&data.customers.column("city").unwrap().get(7).unwrap());
    assert_eq!(Some(cell), cities[7].clone());

    // Sorted as people read them (case- and accent-insensitively), empty last.
    let sort = SortBy { column: "city".into(), descending: false };
    let order = row_order(&data, "", Some(&sort), &|| false).unwrap();
    let sorted: Vec<Option<String>> = order.iter().map(|&row| cities[row as usize].clone()).collect();
    let mut expected = cities.clone();
    expected.sort_by_key(|c| (c.is_none(), c.as_deref().map(fold)));
    assert_eq!(
        sorted.iter().map(|c| c.as_deref().map(fold)).collect::<Vec<_>>(),
        expected.iter().map(|c| c.as_deref().map(fold)).collect::<Vec<_>>()
    );

    // Found by a quick search and counted by a segment, Turkish-aware.
    let izmir = cities.iter().filter(|c| c.as_deref().map(fold_case).as_deref() == Some("izmir")).count();
    assert!(izmir > 0);
    assert_eq!(row_order(&data, "İZMİR", None, &|| false).unwrap().len(), izmir);

    // Whole numbers that fit are 32-bit; they show, compare and sum as before.
    for field in ["orders", "tenure_days", "days_since_last_order", "rfm_r"] {
        assert_eq!(data.customers.column(field).unwrap().dtype(), &DataType::Int32, "{field}");
    }
    let orders: Vec<Option<f64>> = (0..data.len()).map(|row| num(&data, "orders", row)).collect();
    let tenure = data.customers.column("tenure_days").unwrap();
    let row = (0..data.len()).find(|&row| num(&data, "tenure_days", row).is_some()).unwrap();
    let shown = kitle::engine::values::display_text(tenure, row, FieldType::Integer, "TRY", kitle::format::Lang::Tr);
    assert_eq!(shown, (num(&data, "tenure_days", row).unwrap() as i64).to_string());
    let big = polars::prelude::Column::new("n".into(), [12345i32]);
    let shown = kitle::engine::values::display_text(&big, 0, FieldType::Integer, "TRY", kitle::format::Lang::Tr);
    assert_eq!(shown, "12.345", "thousands grouped in Turkish");

    let frame = SegmentFrame::new(std::sync::Arc::new(data));
    let count = |rule: &str| frame.evaluate(&kitle::engine::segment::parse(rule).unwrap()).unwrap().stats;
    assert_eq!(count("city = \"izmir\"").count, izmir);
    let three_or_more: Vec<f64> = orders.iter().flatten().copied().filter(|o| *o >= 3.0).collect();
    let stats = count("orders >= 3");
    assert_eq!(stats.count, three_or_more.len());
    let average = three_or_more.iter().sum::<f64>() / three_or_more.len() as f64;
    assert!((stats.avg_orders.unwrap() - average).abs() < 1e-9);
    assert_eq!(count("orders > 5000000000").count, 0, "a bound past 32 bits");
    assert_eq!(count("orders > -5000000000").count, orders.iter().flatten().count());
}

/// The orders' own columns are let go as the build uses them: what the customer
/// table takes from the orders file (ids, the first order's channel) is taken first,
/// and WooCommerce's guest id `0` is no customer when no e-mail can key the guest.
#[test]
fn an_orders_file_alone_gives_customers_their_first_channel_and_drops_guest_zero() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("orders.csv");
    std::fs::write(
        &path,
        "order_id,customer_id,order_date,total,channel,product\n\
         1,7,2026-01-05,100, web ,Kahve\n\
         2,0,2026-01-06,50,instagram,Çay\n\
         3,7,2025-12-01,30,,Fincan\n\
         4,8,2026-02-01,20,tiktok,Kahve\n\
         4,8,2026-02-01,20,tiktok,Çay\n",
    )
    .unwrap();
    let spec = kitle::engine::import::SourceSpec::new(SourceKind::Orders, &path);
    let orders = kitle::engine::import::load_source(&spec, &Default::default()).unwrap();
    // Plain-number ids are read as numbers; the tables have them as text.
    for id in ["order_id", "customer_id"] {
        assert_eq!(orders.df.column(id).unwrap().dtype(), &polars::prelude::DataType::UInt64, "{id}");
    }
    let data = kitle::engine::build::build(None, Some(orders), None, date(2026, 3, 1)).unwrap();
    assert_eq!(data.len(), 2, "customers 7 and 8; no customer \"0\"");
    assert_eq!(data.customers.column("customer_id").unwrap().dtype(), &polars::prelude::DataType::String);
    let (seven, eight) = (row_where(&data, "customer_id", "7"), row_where(&data, "customer_id", "8"));
    approx(num(&data, "ltv", seven), 130.0);
    approx(num(&data, "orders", seven), 2.0);
    assert_eq!(text(&data, "channel", seven).as_deref(), Some("web"), "the first order with a channel, trimmed");
    approx(num(&data, "ltv", eight), 20.0);
    assert_eq!(text(&data, "channel", eight).as_deref(), Some("tiktok"));
    assert!(data.report.notes.iter().any(|n| n.id == "msg.orders_no_id"), "the guest's order is said to be skipped");
    // The orders table, oldest first within a customer, with its ids and channels.
    let orders = data.orders.as_ref().unwrap();
    let ids: Vec<Option<&str>> = orders.column("order_id").unwrap().str().unwrap().iter().collect();
    assert_eq!(ids, [Some("3"), Some("1"), Some("4")]);
    let channels: Vec<Option<&str>> = orders.column("channel").unwrap().str().unwrap().iter().collect();
    assert_eq!(channels, [None, Some("web"), Some("tiktok")]);
    // Every line of a counted order that names a product.
    let lines = data.order_lines.as_ref().unwrap();
    assert_eq!(lines.height(), 4);
    let products = lines.column("product").unwrap().cast(&polars::prelude::DataType::String).unwrap();
    let products: Vec<Option<&str>> = products.str().unwrap().iter().collect();
    assert_eq!(products, [Some("Kahve"), Some("Fincan"), Some("Kahve"), Some("Çay")]);
}
