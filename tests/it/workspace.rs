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

/// A save writes a new file and renames it over the old one: a hard link to the old
/// file still holds the old content (nothing was rewritten in place).
#[test]
fn saves_replace_the_file_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shop.kitle");
    let old = Workspace::new("Eski");
    old.save(&path).unwrap();
    let before = std::fs::read_to_string(&path).unwrap();
    let link = dir.path().join("link.kitle");
    std::fs::hard_link(&path, &link).unwrap();
    let mut new = Workspace::new("Yeni");
    new.segments.push(Segment::new("VIP", "", "ltv > 5000"));
    new.save(&path).unwrap();
    assert_eq!(std::fs::read_to_string(&link).unwrap(), before, "the old file is untouched");
    assert_eq!(Workspace::load(&path).unwrap().name, "Yeni");
    let names: Vec<String> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(names.len(), 2, "no temporary file is left: {names:?}");
}

/// A folder nobody may write to: `chattr +i` when running as root (root ignores
/// permissions), else read-only permissions. `None` when neither works here.
fn read_only_folder(dir: &std::path::Path) -> Option<std::path::PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let folder = dir.join("read-only");
    std::fs::create_dir(&folder).unwrap();
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).unwrap();
    if std::fs::write(folder.join("probe"), "x").is_err() {
        return Some(folder);
    }
    std::fs::remove_file(folder.join("probe")).unwrap();
    let locked = std::process::Command::new("chattr").arg("+i").arg(&folder).status().is_ok_and(|s| s.success());
    (locked && std::fs::write(folder.join("probe"), "x").is_err()).then_some(folder)
}

#[test]
fn a_save_into_a_read_only_folder_fails_with_a_sentence_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let Some(folder) = read_only_folder(dir.path()) else {
        panic!("this machine can make no read-only folder (neither permissions nor chattr work)");
    };
    let err = Workspace::new("Mağaza").save(&folder.join("shop.kitle")).unwrap_err();
    let english = err.text(kitle::format::Lang::En);
    let turkish = err.text(kitle::format::Lang::Tr);
    let listing = std::fs::read_dir(&folder).unwrap().count();
    let _ = std::process::Command::new("chattr").arg("-i").arg(&folder).status();
    assert!(english.contains("could not be saved"), "{english}");
    assert!(turkish.contains("kaydedilemedi"), "{turkish}");
    assert_eq!(listing, 0, "no temporary file is left");
}
