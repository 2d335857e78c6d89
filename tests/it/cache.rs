//! The local cache of built customer tables: used when nothing changed, rebuilt when
//! a source, the mapping or the options change, ignored (with a note) when damaged
//! or from another build, and equal to a fresh import.

use std::path::{Path, PathBuf};

use kitle::engine::cache::cache_dir_for;
use kitle::engine::data::CustomerData;
use kitle::engine::fields::SourceKind;
use kitle::engine::import::mapping::MappingOverride;
use kitle::engine::import::{Progress, SourceSpec};
use kitle::engine::loading::Opened;
use kitle::engine::workspace::Workspace;

use crate::helpers::{date, fixture, has_note};

/// The Shopify fixtures copied into a folder with a saved workspace over them.
pub fn workspace_in(dir: &Path) -> (PathBuf, Workspace) {
    for name in ["customers_export.csv", "orders_export.csv"] {
        std::fs::copy(fixture(&format!("fixtures/shopify/{name}")), dir.join(name)).unwrap();
    }
    let mut ws = Workspace::new("Shop");
    ws.settings.as_of = Some(date(2026, 1, 1));
    ws.sources = vec![
        SourceSpec::new(SourceKind::Customers, dir.join("customers_export.csv")),
        SourceSpec::new(SourceKind::Orders, dir.join("orders_export.csv")),
    ];
    let path = dir.join("shop.kitle");
    ws.save(&path).unwrap();
    (path.clone(), Workspace::load(&path).unwrap())
}

fn open(ws: &Workspace, path: &Path, accept_stale: bool) -> (CustomerData, Opened) {
    ws.open_data(path, &Progress::default(), accept_stale).unwrap()
}

fn assert_same(a: &CustomerData, b: &CustomerData) {
    assert!(a.customers.equals_missing(&b.customers), "customers differ:\n{}\n{}", a.customers, b.customers);
    match (&a.orders, &b.orders) {
        (Some(x), Some(y)) => assert!(x.equals_missing(y), "orders differ"),
        (None, None) => {}
        _ => panic!("orders present in one only"),
    }
    match (&a.order_lines, &b.order_lines) {
        (Some(x), Some(y)) => assert!(x.equals_missing(y), "order lines differ"),
        _ => panic!("the Shopify export's order lines must be kept"),
    }
    assert_eq!(a.fields, b.fields);
    assert_eq!(a.spend, b.spend);
    assert_eq!(a.as_of, b.as_of);
    assert_eq!(a.report, b.report);
}

#[test]
fn an_unchanged_workspace_opens_from_the_cache_with_the_same_results() {
    let dir = tempfile::tempdir().unwrap();
    let (path, ws) = workspace_in(dir.path());
    let (built, how) = open(&ws, &path, false);
    assert_eq!(how, Opened::Built);
    assert!(cache_dir_for(&path).join("cache.ron").exists());
    let (cached, how) = open(&ws, &path, false);
    assert_eq!(how, Opened::FromCache);
    assert_same(&cached, &built);
    let fresh = Workspace {
        settings: kitle::engine::workspace::Settings { cache: false, ..ws.settings.clone() },
        ..ws.clone()
    };
    let (fresh_data, how) = open(&fresh, &path, false);
    assert_eq!(how, Opened::Built);
    assert_same(&cached, &fresh_data);
    // Messages come back as messages: the report reads in Turkish too.
    let note = |d: &CustomerData| {
        d.report.sources[1].notes.iter().map(|m| m.text(kitle::format::Lang::Tr)).collect::<Vec<_>>()
    };
    assert_eq!(note(&cached), note(&built));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let cache = cache_dir_for(&path);
        assert_eq!(std::fs::metadata(&cache).unwrap().permissions().mode() & 0o077, 0, "the folder is private");
        for file in std::fs::read_dir(&cache).unwrap() {
            let mode = file.unwrap().metadata().unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "cache files are private");
        }
    }
}

#[test]
fn a_changed_source_mapping_or_option_rebuilds_it() {
    let dir = tempfile::tempdir().unwrap();
    let (path, ws) = workspace_in(dir.path());
    let (before, _) = open(&ws, &path, false);

    // A changed orders file: the old cache may be shown meanwhile, then it is rebuilt.
    let orders = dir.path().join("orders_export.csv");
    let mut text = std::fs::read_to_string(&orders).unwrap();
    text = text.replacen("1200.00", "1300.00", 1);
    std::fs::write(&orders, text).unwrap();
    let (stale, how) = open(&ws, &path, true);
    assert_eq!(how, Opened::Stale);
    assert_same(&stale, &before);
    let (after, how) = open(&ws, &path, false);
    assert_eq!(how, Opened::Built);
    assert!(!after.customers.equals_missing(&before.customers), "the new total is in");
    assert_eq!(open(&ws, &path, false).1, Opened::FromCache);

    // A mapping override.
    let mut mapped = ws.clone();
    mapped.sources[0].mapping.push(MappingOverride::parse("Tags=ignore", SourceKind::Customers).unwrap());
    assert_eq!(open(&mapped, &path, false).1, Opened::Built);
    assert!(open(&mapped, &path, false).0.customers.column("tags").is_err());
    // Another as-of date.
    let mut later = mapped.clone();
    later.settings.as_of = Some(date(2026, 6, 1));
    assert_eq!(open(&later, &path, false).1, Opened::Built);
    assert_eq!(open(&later, &path, false).1, Opened::FromCache);
}

#[test]
fn a_damaged_or_foreign_cache_is_ignored_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let (path, ws) = workspace_in(dir.path());
    let (built, _) = open(&ws, &path, false);
    let cache = cache_dir_for(&path);

    // Truncated.
    let arrow = cache.join("customer_table.0.arrow");
    let bytes = std::fs::read(&arrow).unwrap();
    std::fs::write(&arrow, &bytes[..bytes.len() / 2]).unwrap();
    let (data, how) = open(&ws, &path, true);
    assert_eq!(how, Opened::Built, "never trusted");
    assert!(has_note(&data.report.notes, "damaged"), "{:?}", data.report.notes);
    assert!(data.customers.equals_missing(&built.customers));
    assert_eq!(open(&ws, &path, false).1, Opened::FromCache, "written again");

    // From another build of Kitle.
    let meta = cache.join("cache.ron");
    let text = std::fs::read_to_string(&meta).unwrap();
    let build = text.split("build:\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    std::fs::write(&meta, text.replace(&build, "0.0.1 elsewhere 1:2")).unwrap();
    let (data, how) = open(&ws, &path, true);
    assert_eq!(how, Opened::Built);
    assert!(has_note(&data.report.notes, "another version"), "{:?}", data.report.notes);

    // Garbage.
    std::fs::write(&meta, "not ron at all").unwrap();
    let (data, how) = open(&ws, &path, true);
    assert_eq!(how, Opened::Built);
    assert!(has_note(&data.report.notes, "could not be used"));
}

#[test]
fn a_workspace_can_do_without_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut ws) = workspace_in(dir.path());
    ws.settings.cache = false;
    ws.save(&path).unwrap();
    assert!(std::fs::read_to_string(&path).unwrap().contains("cache: false"));
    let ws = Workspace::load(&path).unwrap();
    assert_eq!(open(&ws, &path, false).1, Opened::Built);
    assert_eq!(open(&ws, &path, false).1, Opened::Built);
    assert!(!cache_dir_for(&path).exists());
}

#[test]
fn kitle_import_writes_the_cache_the_next_command_reads() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("imported.kitle");
    let (ok, _, err) = crate::helpers::kitle(&[
        "import",
        "--customers",
        fixture("fixtures/shopify/customers_export.csv").to_str().unwrap(),
        "--orders",
        fixture("fixtures/shopify/orders_export.csv").to_str().unwrap(),
        "--as-of",
        "2026-01-01",
        "-o",
        ws.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    assert!(cache_dir_for(&ws).join("customer_table.0.arrow").exists());
    let workspace = Workspace::load(&ws).unwrap();
    // The test binary is another build than the CLI's: its cache is not trusted here.
    let (_, how) = workspace.open_data(&ws, &Progress::default(), true).unwrap();
    assert_eq!(how, Opened::Built);
}

#[test]
fn saved_segments_record_who_entered_and_left_at_each_import() {
    use kitle::engine::segment::membership::{changes, members_dir_for};
    use kitle::engine::workspace::Segment;
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("customers.csv");
    std::fs::write(&csv, "customer_id,ltv\n1,500\n2,1500\n3,2000\n4,800\n5,3000\n").unwrap();
    let mut ws = Workspace::new("Shop");
    ws.settings.as_of = Some(date(2026, 1, 1));
    ws.sources = vec![SourceSpec::new(SourceKind::Customers, &csv)];
    ws.segments = vec![Segment::new("Big", "", "ltv > 1000")];
    let path = dir.path().join("shop.kitle");
    ws.save(&path).unwrap();
    let ws = Workspace::load(&path).unwrap();
    assert_eq!(open(&ws, &path, false).1, Opened::Built);
    let first = changes(&members_dir_for(&path), "Big");
    assert_eq!((first.history.len(), first.history[0].size), (1, 3));
    assert!(first.entered.is_empty() && first.left.is_empty(), "nothing to compare with yet");

    // The next export: customer 1 grew, 2 shrank, 6 is new.
    std::fs::write(&csv, "customer_id,ltv\n1,1500\n2,500\n3,2000\n4,800\n5,3000\n6,1200\n").unwrap();
    assert_eq!(open(&ws, &path, false).1, Opened::Built);
    let second = changes(&members_dir_for(&path), "Big");
    assert_eq!(second.entered, ["1", "6"]);
    assert_eq!(second.left, ["2"]);
    let last = second.history.last().unwrap();
    assert_eq!((second.history.len(), last.size, last.entered, last.left), (2, 4, 2, 1));

    // Opening the same data again records nothing new (from the cache, or built again).
    assert_eq!(open(&ws, &path, false).1, Opened::FromCache);
    let uncached = Workspace {
        settings: kitle::engine::workspace::Settings { cache: false, ..ws.settings.clone() },
        ..ws.clone()
    };
    open(&uncached, &path, false);
    assert_eq!(changes(&members_dir_for(&path), "Big").history.len(), 2);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for file in std::fs::read_dir(members_dir_for(&path)).unwrap() {
            assert_eq!(file.unwrap().metadata().unwrap().permissions().mode() & 0o077, 0, "member lists are private");
        }
    }

    let (ok, out, err) =
        crate::helpers::kitle(&["segment", path.to_str().unwrap(), "--name", "Big", "--changes", "--json"]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["entered"], serde_json::json!(["1", "6"]));
    assert_eq!(v["left"], serde_json::json!(["2"]));
    assert_eq!(v["history"].as_array().unwrap().len(), 2);
}

#[test]
fn the_same_files_reached_by_another_path_share_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let (path, ws) = workspace_in(dir.path());
    assert_eq!(open(&ws, &path, false).1, Opened::Built);
    // The workspace opened through a path with `..` in it: the same sources, the same cache.
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    let roundabout = sub.join("..").join("shop.kitle");
    let again = Workspace::load(&roundabout).unwrap();
    assert_eq!(open(&again, &roundabout, true).1, Opened::FromCache);
}

/// A customers file of `rows` rows (about 40 bytes each), LTV `ltv` for every customer.
fn big_customers(path: &Path, rows: usize, ltv: u32) {
    use std::fmt::Write as _;
    let mut text = String::from("customer_id,email,city,ltv\n");
    for i in 0..rows {
        let _ = writeln!(text, "{},u{i}@example.com,İzmir,{ltv}", 100_000 + i);
    }
    std::fs::write(path, text).unwrap();
}

#[test]
fn an_edit_that_keeps_the_size_and_time_is_seen_and_a_touch_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("customers.csv");
    big_customers(&csv, 20_000, 100); // ~800 KB: far more than any sampled blocks
    let mut ws = Workspace::new("Big");
    ws.settings.as_of = Some(date(2026, 1, 1));
    ws.sources = vec![SourceSpec::new(SourceKind::Customers, &csv)];
    let path = dir.path().join("big.kitle");
    ws.save(&path).unwrap();
    let ltv_sum = |d: &CustomerData| d.customers.column("ltv").unwrap().as_materialized_series().sum::<f64>().unwrap();
    let (built, how) = open(&ws, &path, false);
    assert_eq!((how, ltv_sum(&built)), (Opened::Built, 2_000_000.0));
    assert_eq!(open(&ws, &path, false).1, Opened::FromCache);

    // One digit changed a quarter into the file (away from the start, middle and end a
    // sampling key reads), the size and the time put back (as `cp -p`, rsync and unzip keep them).
    let modified = std::fs::metadata(&csv).unwrap().modified().unwrap();
    let mut bytes = std::fs::read(&csv).unwrap();
    let quarter = bytes.len() / 4;
    let at = quarter + bytes[quarter..].windows(4).position(|w| w == b",100").unwrap() + 1;
    bytes[at] = b'9'; // 100 → 900
    std::fs::write(&csv, &bytes).unwrap();
    std::fs::File::options().write(true).open(&csv).unwrap().set_modified(modified).unwrap();
    assert_eq!(std::fs::metadata(&csv).unwrap().modified().unwrap(), modified);
    let (after, how) = open(&ws, &path, true);
    assert_eq!(how, Opened::Stale, "the edit is seen: the old table is only shown while importing again");
    assert_eq!(ltv_sum(&after), 2_000_000.0);
    let (after, how) = open(&ws, &path, false);
    assert_eq!((how, ltv_sum(&after)), (Opened::Built, 2_000_800.0), "the new value is in");
    assert_eq!(open(&ws, &path, false).1, Opened::FromCache);

    // Only touched: the same bytes, so the cache is still good.
    let later = modified + std::time::Duration::from_secs(3600);
    std::fs::File::options().write(true).open(&csv).unwrap().set_modified(later).unwrap();
    let (cached, how) = open(&ws, &path, false);
    assert_eq!((how, ltv_sum(&cached)), (Opened::FromCache, 2_000_800.0));
}

/// The cache is read in place (memory-mapped). A table opened from it stays whole
/// while a later import replaces the cache underneath it.
#[test]
fn a_table_opened_from_the_cache_outlives_the_cache_being_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("customers.csv");
    big_customers(&csv, 5_000, 100);
    let mut ws = Workspace::new("Big");
    ws.settings.as_of = Some(date(2026, 1, 1));
    ws.sources = vec![SourceSpec::new(SourceKind::Customers, &csv)];
    let path = dir.path().join("big.kitle");
    ws.save(&path).unwrap();
    let (built, _) = open(&ws, &path, false);
    let (cached, how) = open(&ws, &path, false);
    assert_eq!(how, Opened::FromCache);
    big_customers(&csv, 6_000, 300);
    let (rebuilt, how) = open(&ws, &path, false);
    assert_eq!((how, rebuilt.customers.height()), (Opened::Built, 6_000));
    assert_eq!(open(&ws, &path, false).1, Opened::FromCache, "the new cache is in place");
    assert!(cached.customers.equals_missing(&built.customers), "the old table, every value");
    assert_eq!(cached.report, built.report);
}
