//! Choosing a file without a native file dialog: every choice has a typed path,
//! filled with the usual folder and name, that says before OK whether it will work.

use egui_kittest::kittest::{NodeT, Queryable};
use kitle::app::dialogs::file::FileDialogs;
use kitle::app::{FileCommand, KitleApp};
use kitle::format::Lang;

use super::*;
use crate::helpers::fixture;

fn prompt_text(harness: &egui_kittest::Harness<'static, KitleApp>) -> String {
    harness.state().path_prompt.as_ref().expect("the path prompt is open").text.clone()
}

#[test]
fn open_takes_a_typed_path_and_says_when_nothing_is_there() {
    let mut harness = app_harness(Lang::En);
    harness.state_mut().file_dialogs = FileDialogs::Missing;
    harness.run_steps(1);
    harness.state_mut().send(FileCommand::OpenDialog);
    harness.run_steps(2);
    harness.get_by_label_contains("No file dialog is available on this system");
    let demo = harness.state().demo_path.clone();
    retype(&mut harness, "File path", &format!("{}.missing", demo.display()));
    harness.get_by_label("There is no file at this path.");
    assert!(harness.get_by_label("OK").accesskit_node().is_disabled(), "OK waits for a path that works");
    retype(&mut harness, "File path", demo.to_str().unwrap());
    harness.get_by_label("OK").click();
    run_until(&mut harness, "the typed workspace to open", |app| app.doc.is_some());
    assert!(harness.state().path_prompt.is_none());
}

#[test]
fn export_members_asks_for_a_path_with_the_folder_and_name_filled_in() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app_harness_sized(Lang::Tr, [1400.0, 1000.0]);
    harness.state_mut().file_dialogs = FileDialogs::Missing;
    harness.run_steps(1);
    open_demo_tr(&mut harness);
    click_tab(&mut harness, "Segmentler");
    let name = harness.state().doc.as_ref().unwrap().workspace.segments[0].name.clone();
    harness.get_by_label(&format!("Düzenle {name}")).click();
    run_until(&mut harness, "the segment's members", |app| {
        segments(app).editor.as_ref().is_some_and(|e| app.cache.segment_settled(&e.rule))
    });
    harness.get_by_label("Üyeleri dışa aktar (CSV)").click();
    harness.run_steps(3);
    let demo_folder = harness.state().demo_path.parent().unwrap().to_path_buf();
    let suggested = demo_folder.join(format!("{}.csv", kitle::engine::text::file_stem_for(&name)));
    assert_eq!(prompt_text(&harness), suggested.display().to_string());

    let missing_folder = dir.path().join("yok").join("uyeler");
    retype(&mut harness, "Dosya yolu", missing_folder.to_str().unwrap());
    harness.get_by_label(&format!("{} klasörü yok.", dir.path().join("yok").display()));
    // No extension typed: the export's own is added.
    retype(&mut harness, "Dosya yolu", dir.path().join("uyeler").to_str().unwrap());
    harness.get_by_label("Tamam").click();
    run_until(&mut harness, "the export", |app| app.tasks.is_idle() && app.notice.is_some());
    let written = std::fs::read_to_string(dir.path().join("uyeler.csv")).unwrap();
    assert!(written.lines().count() > 1, "members were written: {written}");
}

#[test]
fn the_unsaved_changes_prompts_save_goes_straight_to_the_typed_path_then_carries_on() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app_harness(Lang::En);
    harness.state_mut().file_dialogs = FileDialogs::Missing;
    harness.run_steps(1);
    harness.state_mut().send(FileCommand::RunImport(vec![kitle::engine::import::SourceSpec::new(
        kitle::engine::fields::SourceKind::Customers,
        fixture("fixtures/shopify/customers_export.csv"),
    )]));
    run_until(&mut harness, "the import", |app| app.doc.is_some() && app.tasks.is_idle());
    assert!(harness.state().doc.as_ref().unwrap().path.is_none(), "an import has no file yet");
    harness.state_mut().send(FileCommand::NewWorkspace);
    harness.run_steps(2);
    harness.get_by_label("Save").click();
    harness.run_steps(3);
    assert!(harness.state().confirm.is_none(), "the question is answered, not asked again over the prompt");
    assert!(prompt_text(&harness).ends_with(".kitle"), "a file name is suggested: {}", prompt_text(&harness));
    let target = dir.path().join("store");
    retype(&mut harness, "File path", target.to_str().unwrap());
    harness.get_by_label("OK").click();
    run_until(&mut harness, "the save, then the new workspace", |app| app.doc.is_none());
    let saved = kitle::engine::workspace::Workspace::load(&dir.path().join("store.kitle")).unwrap();
    assert_eq!(saved.sources.len(), 1);
}

#[test]
fn browse_without_a_file_dialog_says_to_type_the_path() {
    let mut harness = app_harness(Lang::Tr);
    harness.state_mut().file_dialogs = FileDialogs::Missing;
    harness.run_steps(1);
    harness.state_mut().send(FileCommand::ImportDialog(None));
    harness.run_steps(2);
    assert!(harness.query_by_label_contains("Bu sistemde dosya penceresi yok").is_none());
    harness.get_all_by_label("Gözat…").next().unwrap().click();
    harness.run_steps(2);
    harness.get_by_label_contains("Bu sistemde dosya penceresi yok");
}
