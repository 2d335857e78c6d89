//! Never lose work: unsaved changes are written aside while they last; after a
//! crash the next start offers them back, and saving clears them.

use egui_kittest::kittest::Queryable;
use kitle::app::Command;
use kitle::app::FileCommand;
use kitle::app::recovery::Recovery;
use kitle::engine::edit::Edit;
use kitle::engine::workspace::Segment;
use kitle::format::Lang;

use super::*;

#[test]
fn changes_survive_a_crash_and_saving_clears_the_recovery_file() {
    let dir = tempfile::tempdir().unwrap();
    let recovery_dir = dir.path().join("recovery");
    let files = || std::fs::read_dir(&recovery_dir).map(|d| d.flatten().count()).unwrap_or(0);
    {
        let mut harness = app_harness(Lang::En);
        harness.state_mut().recovery = Recovery::in_dir(recovery_dir.clone());
        harness.run_steps(1);
        open_demo(&mut harness);
        harness.run_steps(2);
        assert_eq!(files(), 0, "nothing unsaved, nothing written");
        let index = harness.state().doc.as_ref().unwrap().workspace.segments.len();
        let segment = Segment::new("Kurtarılacak", "", "ltv > 4242");
        harness.state_mut().send(Command::Edit(Edit::InsertSegment { index, segment }));
        harness.run_steps(1);
        run_until(&mut harness, "the recovery write", |app| !app.recovery.busy());
        assert_eq!(files(), 1, "the unsaved change is written aside");
        // The very next change is written too, at once: no timer to wait for.
        let segment = Segment::new("Son değişiklik", "", "ltv > 1");
        harness.state_mut().send(Command::Edit(Edit::InsertSegment { index: index + 1, segment }));
        harness.run_steps(1);
        run_until(&mut harness, "the recovery write", |app| !app.recovery.busy());
        let kept = Recovery::in_dir(recovery_dir.clone()).leftovers();
        assert!(kept[0].1.workspace.segments.iter().any(|s| s.name == "Son değişiklik"), "the last change is kept");
        // The process dies here: no quit, no save, nothing cleaned up.
    }
    let mut harness = app_harness(Lang::En);
    let recovery = Recovery::in_dir(recovery_dir.clone());
    harness.state_mut().restore = kitle::app::dialogs::restore::RestoreDialog::new(recovery.leftovers());
    harness.state_mut().recovery = recovery;
    harness.run_steps(2);
    harness.get_by_label("Unsaved changes found");
    // The window settles into its place over the first frames: click until it goes.
    for _ in 0..5 {
        let Some(button) = harness.query_by_label("Restore") else { break };
        button.click();
        harness.run_steps(2);
    }
    run_until(&mut harness, "the restored workspace", |app| app.doc.is_some());
    let doc = harness.state().doc.as_ref().unwrap();
    assert!(doc.dirty, "restored changes are still unsaved");
    assert!(doc.workspace.segments.iter().any(|s| s.name == "Kurtarılacak" && s.rule == "ltv > 4242"));
    assert_eq!(doc.data.len(), 3000, "its data loads as before");
    assert!(harness.query_by_label("Unsaved changes found").is_none());
    // Saving (here to a copy) leaves nothing to recover.
    let saved = dir.path().join("saved.kitle");
    harness.state_mut().send(FileCommand::SaveTo(saved.clone()));
    harness.run_steps(3);
    run_until(&mut harness, "the recovery file's removal", |app| !app.recovery.busy());
    assert!(saved.exists() && !harness.state().doc.as_ref().unwrap().dirty);
    assert_eq!(files(), 0, "saved: the recovery file is gone");
}

/// A panic on the UI thread shows the crash screen instead of ending the app, and
/// the unsaved change is in the recovery file at once; "Try to continue" goes back
/// to the workspace with the change still there.
#[test]
fn a_panic_shows_a_message_and_keeps_the_changes() {
    let dir = tempfile::tempdir().unwrap();
    let recovery_dir = dir.path().join("recovery");
    // Driven as the window drives it: each frame guarded.
    let prefs = kitle::app::state::Prefs { lang: Some(Lang::En), ..Default::default() };
    let mut harness = egui_kittest::Harness::builder()
        .with_size([1280.0, 800.0])
        .build_ui_state(|ui, app: &mut kitle::app::KitleApp| app.guarded_frame(ui), crate::helpers::test_app(prefs));
    harness.state_mut().recovery = Recovery::in_dir(recovery_dir.clone());
    harness.run_steps(1);
    open_demo(&mut harness);
    harness.state_mut().drill = Some(kitle::app::drill::Drill::Panic);
    run_until(&mut harness, "the crash screen", |app| app.crash.is_some());
    harness.run_steps(1);
    harness.get_by_label("Something went wrong");
    harness.get_by_label("Kitle stopped what it was doing: crash drill: a deliberate panic");
    harness.get_by_label_contains("Your unsaved changes were written to the recovery file");
    let files: Vec<_> = std::fs::read_dir(&recovery_dir).unwrap().flatten().collect();
    assert_eq!(files.len(), 1, "the change is kept at once, not at the next timed write");
    let kept = kitle::app::recovery::read(&files[0].path()).unwrap();
    assert!(kept.workspace.segments.iter().any(|s| s.name.starts_with(kitle::app::drill::DRILL_SEGMENT)));
    harness.get_by_label("Try to continue").click();
    run_until(&mut harness, "the workspace again", |app| app.crash.is_none());
    harness.run_steps(2);
    assert!(harness.state().doc.as_ref().unwrap().dirty, "the change is still there, unsaved");
    assert!(harness.query_by_label("Something went wrong").is_none());
    harness.get_by_label("Segments");
}
