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
    harness.get_by_label_contains("1 cancelled, voided or failed orders were not counted.");
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
