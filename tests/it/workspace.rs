//! Workspace files: saved atomically, relative paths, moved folders, version checks.

use kitle::engine::fields::SourceKind;
use kitle::engine::import::SourceSpec;
use kitle::engine::workspace::{Segment, Workspace, WorkspaceError};

use crate::helpers::*;

#[test]
fn a_moved_workspace_folder_still_opens() {
    let root = tempfile::tempdir().unwrap();
    let first = root.path().join("store");
    std::fs::create_dir_all(first.join("data")).unwrap();
    std::fs::copy(fixture("fixtures/shopify/customers_export.csv"), first.join("data/customers.csv")).unwrap();
    std::fs::copy(fixture("fixtures/shopify/orders_export.csv"), first.join("data/orders.csv")).unwrap();
    let mut ws = Workspace::new("Mağaza");
    ws.sources = vec![
        SourceSpec::new(SourceKind::Customers, first.join("data/customers.csv")),
        SourceSpec::new(SourceKind::Orders, first.join("data/orders.csv")),
    ];
    ws.settings.as_of = Some(date(2026, 1, 1));
    ws.segments.push(Segment::new("VIP", "", "ltv > 1000"));
    let path = first.join("store.kitle");
    ws.save(&path).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("\"data/customers.csv\""), "paths are stored relative:\n{text}");

    let moved = root.path().join("moved-store");
    std::fs::rename(&first, &moved).unwrap();
    let path = moved.join("store.kitle");
    let back = Workspace::load(&path).unwrap();
    assert_eq!(back.name, "Mağaza");
    assert_eq!(back.segments, ws.segments);
    let data = back.load_data(&path, &Default::default()).unwrap();
    assert_eq!(data.len(), 4);
}

#[test]
fn missing_source_files_and_newer_formats_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = Workspace::new("x");
    ws.sources = vec![SourceSpec::new(SourceKind::Customers, "gone.csv")];
    let path = dir.path().join("x.kitle");
    ws.save(&path).unwrap();
    let err = Workspace::load(&path).unwrap().load_data(&path, &Default::default()).unwrap_err();
    assert!(err.to_string().contains("missing"), "{err}");

    std::fs::write(&path, "(format_version: 7, name: \"future\")").unwrap();
    let err = Workspace::load(&path).unwrap_err();
    assert!(matches!(err, WorkspaceError::TooNew { found: 7, .. }));
    assert!(err.to_string().contains("newer Kitle"));
}

#[test]
fn saving_replaces_the_file_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.kitle");
    Workspace::new("one").save(&path).unwrap();
    Workspace::new("two").save(&path).unwrap();
    assert_eq!(Workspace::load(&path).unwrap().name, "two");
    // No temporary files are left beside it.
    let entries: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(entries.len(), 1);
}
