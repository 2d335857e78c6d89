//! The window itself: start screen, every tab, saving, language, errors, typed paths, undo.

use egui_kittest::kittest::Queryable;
use kitle::app::FileCommand;
use kitle::app::{Command, KitleApp, Tab};
use kitle::format::Lang;

use super::*;

#[test]
fn start_screen_opens_the_demo_and_every_tab() {
    let mut harness = app_harness(Lang::En);
    harness.run_steps(2);
    harness.get_by_label("Welcome to Kitle");
    harness.get_by_label("Import spreadsheet…");
    open_demo(&mut harness);
    assert_eq!(harness.state().doc.as_ref().unwrap().data.len(), 3000);
    harness.get_by_label("3,000 customers");
    for (tab, expected) in [
        ("Segments", "+ New segment"),
        ("Personas", "Open Sadık Selin"),
        ("Explore", "Customers with orders scored 1–5"),
        ("Dashboard", "Total customers"),
    ] {
        click_tab(&mut harness, tab);
        // Persona fits and RFM scores come from background jobs.
        run_until_shown(&mut harness, expected);
    }
    click_tab(&mut harness, "Customers");
    assert_eq!(harness.state().prefs.tab, Tab::Customers);
    harness.get_by_label("3,000 of 3,000 shown");
    harness.get_by_label("10000"); // the first customer id
}

#[test]
fn unsaved_changes_are_never_dropped_silently_and_saving_works() {
    let mut harness = app_harness(Lang::En);
    harness.run_steps(1);
    harness.state_mut().send(FileCommand::RunImport(vec![kitle::engine::import::SourceSpec::new(
        kitle::engine::fields::SourceKind::Customers,
        fixture("fixtures/woocommerce/customers.csv"),
    )]));
    run_until(&mut harness, "the import", |app| app.doc.is_some());
    harness.state_mut().report = None;

    harness.state_mut().send(FileCommand::NewWorkspace);
    harness.run_steps(2);
    harness.get_by_label("Unsaved changes");
    harness.get_by_label("Cancel").click();
    harness.run_steps(2);
    assert!(harness.state().doc.is_some(), "cancel keeps the workspace");

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("woo.kitle");
    harness.state_mut().send(FileCommand::SaveTo(path.clone()));
    harness.run_steps(2);
    assert!(path.exists());
    assert!(!harness.state().doc.as_ref().unwrap().dirty);
    harness.get_by_label("Saved.");

    // Saved: New goes through without asking; reopening brings the customers back.
    harness.state_mut().send(FileCommand::NewWorkspace);
    harness.run_steps(2);
    assert!(harness.state().doc.is_none());
    harness.state_mut().send(FileCommand::Open(path.clone()));
    run_until(&mut harness, "the reopen", |app| app.doc.is_some());
    assert_eq!(harness.state().doc.as_ref().unwrap().data.len(), 3);
    assert_eq!(harness.state().prefs.recent.first().and_then(|p| p.file_name()), path.file_name());

    // Dirty again, then "Don't save" drops it on request.
    harness.state_mut().doc.as_mut().unwrap().dirty = true;
    harness.state_mut().send(FileCommand::NewWorkspace);
    harness.run_steps(2);
    harness.get_by_label("Don't save").click();
    harness.run_steps(3);
    assert!(harness.state().doc.is_none());
    harness.get_by_label("Welcome to Kitle");
}

#[test]
fn switching_language_translates_the_window_and_formats() {
    let mut harness = app_harness(Lang::En);
    harness.run_steps(1);
    open_demo(&mut harness);
    harness.get_by_label("TR").click();
    harness.run_steps(2);
    assert_eq!(harness.state().prefs.lang, Some(Lang::Tr));
    for label in ["Gösterge Paneli", "Segmentler", "Personalar", "Keşfet", "Müşteriler", "Kitleler & Müşteriler"]
    {
        assert!(harness.query_all_by_label(label).count() > 0, "{label} is shown");
    }
    harness.get_by_label("3.000 müşteri");
    click_tab(&mut harness, "Müşteriler");
    harness.get_by_label("Son alışveriş tarihi");
    harness.get_by_label("EN").click();
    harness.run_steps(2);
    harness.get_by_label("Last purchase date");
}

#[test]
fn a_broken_workspace_shows_a_sentence_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.kitle");
    std::fs::write(&path, "(format_version: 1, name: ").unwrap();
    let mut harness = app_harness(Lang::En);
    harness.run_steps(1);
    harness.state_mut().send(FileCommand::Open(path));
    run_until(&mut harness, "the error", |app| app.tasks.is_idle() && app.notice.is_some());
    harness.get_by_label_contains("is not a Kitle workspace or is damaged");
    assert!(harness.state().doc.is_none());
}

/// The names of the open workspace's segments.
fn names(harness: &egui_kittest::Harness<'static, KitleApp>) -> Vec<String> {
    harness.state().doc.as_ref().unwrap().workspace.segments.iter().map(|s| s.name.clone()).collect()
}

fn press(harness: &mut egui_kittest::Harness<'static, KitleApp>, modifiers: egui::Modifiers, key: egui::Key) {
    harness.key_press_modifiers(modifiers, key);
    harness.run_steps(3);
}

#[test]
fn undo_and_redo_cover_segments_bands_and_spend() {
    use egui::{Key, Modifiers};
    let redo = Modifiers::COMMAND | Modifiers::SHIFT;
    let mut harness = app_harness_sized(Lang::En, [1400.0, 1000.0]);
    harness.run_steps(1);
    open_demo(&mut harness);
    click_tab(&mut harness, "Segments");
    let before = names(&harness);
    let first = before[0].clone();

    // A deletion: undone with Ctrl+Z, redone with Ctrl+Shift+Z.
    segment_action(&mut harness, "Delete", &first);
    harness.run_steps(3);
    assert_eq!(names(&harness).len(), before.len() - 1);
    press(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(names(&harness), before, "Ctrl+Z brings the segment back where it was");
    press(&mut harness, redo, Key::Z);
    assert_eq!(names(&harness).len(), before.len() - 1, "Ctrl+Shift+Z deletes it again");
    press(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(names(&harness), before);

    // An edit in the builder: renamed and saved, then undone.
    harness.get_by_label(&format!("Edit {first}")).click();
    harness.run_steps(2);
    harness.get_by_role_and_label(egui::accesskit::Role::TextInput, "Name").focus();
    harness.run_steps(1);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.get_by_role_and_label(egui::accesskit::Role::TextInput, "Name").type_text("Renamed");
    harness.run_steps(2);
    // Repeated if a late layout pass moved the button under the click.
    for _ in 0..5 {
        harness.get_by_label("Save segment").click();
        harness.run_steps(3);
        if names(&harness)[0] == "Renamed" {
            break;
        }
    }
    assert_eq!(names(&harness)[0], "Renamed");
    harness.state_mut().send(Command::Undo);
    harness.run_steps(2);
    assert_eq!(names(&harness), before, "the saved edit is undone");
    harness.state_mut().send(Command::Redo);
    harness.run_steps(2);
    assert_eq!(names(&harness)[0], "Renamed", "and redone");

    // LTV bands typed on the dashboard.
    click_tab(&mut harness, "Dashboard");
    let original_bands = harness_bands(&harness);
    harness.get_by_label("LTV bands").focus();
    harness.run_steps(1);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.get_by_label("LTV bands").type_text("500; 2000");
    harness.key_press(Key::Enter);
    harness.run_steps(3);
    assert_eq!(harness_bands(&harness), vec![500.0, 2000.0]);
    press(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(harness_bands(&harness), original_bands, "the bands are undone");

    // Spend typed by hand changes the numbers; undo takes it out of them again.
    let spend =
        kitle::engine::workspace::ManualSpend { channel: "TikTok".into(), month: "2026-03".into(), amount: 900.0 };
    let version = harness.state().doc.as_ref().unwrap().version;
    harness.state_mut().send(Command::Edit(kitle::engine::edit::Edit::SetManualSpend(vec![spend])));
    harness.run_steps(2);
    let doc = harness.state().doc.as_ref().unwrap();
    assert_ne!(doc.version, version, "the numbers are computed again");
    assert!(doc.data.spend.iter().any(|s| s.manual && s.amount == 900.0));
    harness.state_mut().send(Command::Undo);
    harness.run_steps(2);
    let doc = harness.state().doc.as_ref().unwrap();
    assert!(doc.workspace.manual_spend.is_empty());
    assert!(!doc.data.spend.iter().any(|s| s.manual), "undone spend leaves the numbers too");
    assert!(doc.dirty);
}

fn harness_bands(harness: &egui_kittest::Harness<'static, KitleApp>) -> Vec<f64> {
    harness.state().doc.as_ref().unwrap().workspace.settings.ltv_bands.clone()
}

#[test]
fn a_lost_background_worker_is_an_error_not_a_spinner() {
    let mut harness = app_harness(Lang::En);
    harness.run_steps(1);
    open_demo(&mut harness);
    click_tab(&mut harness, "Segments");
    // The saved segments' numbers are computed by a worker that dies.
    let doc = harness.state().doc.as_ref().unwrap();
    let key =
        (doc.version, doc.workspace.segments.iter().map(|s| format!("{}\u{1}{}", s.name, s.rule)).collect::<Vec<_>>());
    let ctx = harness.ctx.clone();
    let cache = &mut harness.state_mut().cache;
    cache.saved.clear();
    cache.saved.start(&ctx, key, |_| -> Result<kitle::app::cache::SavedStats, String> { panic!("injected") });
    run_until(&mut harness, "the worker's end", |app| !app.cache.saved.busy());
    harness.run_steps(3);
    harness.get_by_label("The background task stopped unexpectedly.");
    assert!(harness.state().cache.saved_stats().is_none());
    assert!(harness.query_all_by_label("—").count() >= 3, "the rows say the numbers are missing");
}

#[test]
fn a_workspace_just_imported_is_shown_then_cached_in_the_background() {
    use kitle::engine::import::Progress;
    use kitle::engine::loading::Opened;
    let dir = tempfile::tempdir().unwrap();
    let (path, ws) = crate::cache::workspace_in(dir.path());
    let cache = kitle::engine::cache::cache_dir_for(&path);
    assert!(!cache.exists());
    let mut harness = app_harness(Lang::En);
    harness.run_steps(1);
    harness.state_mut().send(FileCommand::Open(path.clone()));
    run_until(&mut harness, "the workspace", |app| app.doc.is_some());
    run_until(&mut harness, "the cache to be written", |app| app.tasks.is_idle());
    assert!(harness.state().notice.is_none(), "{:?}", harness.state().notice);
    // What the window wrote is what the next opening reads.
    let (data, how) = ws.open_data(&path, &Progress::default(), false).unwrap();
    assert_eq!(how, Opened::FromCache);
    assert!(data.customers.equals_missing(&harness.state().doc.as_ref().unwrap().data.customers));
}
