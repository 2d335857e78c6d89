//! The import dialog and the import report.

use egui_kittest::kittest::Queryable;
use kitle::app::FileCommand;
use kitle::format::Lang;

use super::*;

#[test]
fn import_dialog_imports_a_shopify_store_without_touching_the_mapping() {
    let mut harness = app_harness(Lang::En);
    harness.run_steps(1);
    let customers = fixture("fixtures/shopify/customers_export.csv");
    let orders = fixture("fixtures/shopify/orders_export.csv");
    harness.state_mut().send(FileCommand::ImportDialog(Some(customers)));
    run_until(&mut harness, "the customers preview", |app| {
        app.import.as_ref().is_some_and(|d| matches!(d.slots[0].preview(), Some(Ok(_))))
    });
    // The automatic mapping is shown per column: "Total Spent" becomes LTV.
    let total_spent = harness.get_by_role_and_label(egui::accesskit::Role::ComboBox, "Total Spent");
    harness.get_by_label("Ayşe"); // the first rows are shown as a table
    assert_eq!(total_spent.value().as_deref(), Some("LTV"));
    // Type the orders file's path into the second file slot.
    let fields: Vec<_> = harness.get_all_by_label("File path").collect();
    assert_eq!(fields.len(), 2, "customers and orders are open; spend is folded");
    fields[1].focus();
    harness.run_steps(1);
    harness.get_all_by_label("File path").nth(1).unwrap().type_text(orders.to_str().unwrap());
    harness.run_steps(2);
    assert_eq!(harness.state().import.as_ref().unwrap().slots[1].path_text, orders.to_str().unwrap());
    run_until(&mut harness, "the orders preview", |app| {
        app.import.as_ref().is_some_and(|d| matches!(d.slots[1].preview(), Some(Ok(_))))
    });
    harness.get_by_label("Import").click();
    run_until(&mut harness, "the import", |app| app.doc.is_some() && app.tasks.is_idle());
    let doc = harness.state().doc.as_ref().unwrap();
    assert_eq!(doc.data.len(), 4);
    assert!(doc.dirty, "an import is unsaved until saved");
    harness.get_by_label("4 customers imported");
    harness.get_by_label("4 orders counted");
    harness.get_by_label_contains("1 cancelled, failed or unpaid orders were not counted.");
}

#[test]
fn import_notes_and_errors_speak_the_users_language() {
    let mut harness = app_harness(Lang::Tr);
    harness.run_steps(1);
    harness.state_mut().send(FileCommand::RunImport(vec![kitle::engine::import::SourceSpec::new(
        kitle::engine::fields::SourceKind::Customers,
        fixture("fixtures/turkish/musteriler_1254.csv"),
    )]));
    run_until(&mut harness, "the import", |app| app.doc.is_some());
    harness.get_by_label("• Metin kodlaması: Windows-1254 (Türkçe).");
    harness.get_by_label_contains("1 satır zaten listelenmiş bir müşteriyi tekrarlıyordu");
    harness.get_by_label_contains("hücre okunamadı ve boş bırakıldı");

    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("bozuk.kitle");
    std::fs::write(&broken, "(format_version: 1, name: ").unwrap();
    harness.state_mut().doc.as_mut().unwrap().dirty = false;
    harness.state_mut().send(FileCommand::Open(broken));
    run_until(&mut harness, "the error", |app| app.tasks.is_idle() && app.notice.is_some());
    harness.get_by_label_contains("bir Kitle çalışma alanı değil veya bozuk");

    harness.state_mut().send(FileCommand::RunImport(vec![kitle::engine::import::SourceSpec::new(
        kitle::engine::fields::SourceKind::Customers,
        fixture("malformed/04_png_named_csv.csv"),
    )]));
    run_until(&mut harness, "the file error", |app| {
        app.tasks.is_idle() && matches!(&app.notice, Some(kitle::app::Notice::Error(e)) if e.contains("PNG"))
    });
    harness.get_by_label_contains("bir tablo değil, bir PNG resmi");
}

#[test]
fn the_import_dialog_reopens_with_the_workspaces_files_ready_to_import_again() {
    let mut harness = app_harness(Lang::Tr);
    harness.run_steps(1);
    let customers = fixture("fixtures/shopify/customers_export.csv");
    let orders = fixture("fixtures/shopify/orders_export.csv");
    harness.state_mut().send(FileCommand::RunImport(vec![
        kitle::engine::import::SourceSpec::new(kitle::engine::fields::SourceKind::Customers, customers),
        kitle::engine::import::SourceSpec::new(kitle::engine::fields::SourceKind::Orders, orders),
    ]));
    run_until(&mut harness, "the import", |app| app.doc.is_some() && app.tasks.is_idle());
    harness.state_mut().report = None;
    let version = harness.state().doc.as_ref().unwrap().version;

    // Reopened from the menu's shortcut: both files are read again by themselves.
    harness.state_mut().send(FileCommand::ImportDialog(None));
    run_until(&mut harness, "both previews", |app| {
        app.import.as_ref().is_some_and(|d| d.slots[..2].iter().all(|s| matches!(s.preview(), Some(Ok(_)))))
    });
    harness.get_by_label("Ayşe");
    // "İçe aktar" is enabled without removing and re-adding anything.
    harness.get_by_role_and_label(egui::accesskit::Role::Button, "İçe aktar").click();
    run_until(&mut harness, "the second import", |app| {
        app.import.is_none() && app.tasks.is_idle() && app.doc.as_ref().is_some_and(|d| d.version != version)
    });
    assert_eq!(harness.state().doc.as_ref().unwrap().data.len(), 4);

    // A file moved away since: its slot says so in words, and Import waits.
    let mut harness = app_harness(Lang::Tr);
    harness.run_steps(1);
    let dir = tempfile::tempdir().unwrap();
    let moved = dir.path().join("musteriler.csv");
    std::fs::copy(fixture("fixtures/shopify/customers_export.csv"), &moved).unwrap();
    harness.state_mut().send(FileCommand::RunImport(vec![kitle::engine::import::SourceSpec::new(
        kitle::engine::fields::SourceKind::Customers,
        moved.clone(),
    )]));
    run_until(&mut harness, "the third import", |app| app.doc.is_some() && app.tasks.is_idle());
    harness.state_mut().report = None;
    std::fs::remove_file(&moved).unwrap();
    harness.state_mut().send(FileCommand::ImportDialog(None));
    run_until(&mut harness, "the missing file's error", |app| {
        app.import.as_ref().is_some_and(|d| matches!(d.slots[0].preview(), Some(Err(_))))
    });
    harness.run_steps(2);
    // In Turkish, with the system's own words kept as a detail.
    assert!(harness.query_all_by_label_contains("okunamadı: dosya bulunamadı (sistemin iletisi: ").count() >= 1);
    assert!(
        harness.state().import.as_ref().is_some_and(|d| d.specs(Lang::Tr).is_err()),
        "Import waits for a file it can read"
    );
}
