//! The desktop app driven like a person would, with egui_kittest: no display needed.
//! One module per tab, like the code; the helpers every module shares are here.

use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use kitle::app::tabs::customers::CustomersTab;
use kitle::app::tabs::dashboard::DashboardTab;
use kitle::app::tabs::segments::SegmentsTab;
use kitle::app::{KitleApp, Prefs};
use kitle::format::Lang;
use polars::prelude::*;

use crate::helpers::*;

mod customers;
mod dashboard;
mod explore;
mod import;
mod paths;
mod personas;
mod recovery;
mod screens;
mod segments;
mod shell;
mod store;

pub fn app_harness(lang: Lang) -> Harness<'static, KitleApp> {
    app_harness_sized(lang, [1280.0, 800.0])
}

pub fn app_harness_sized(lang: Lang, size: [f32; 2]) -> Harness<'static, KitleApp> {
    let prefs = Prefs { lang: Some(lang), ..Prefs::default() };
    Harness::builder().with_size(size).build_ui_state(
        |ui, app: &mut KitleApp| {
            app.logic(ui.ctx());
            app.ui(ui);
        },
        crate::helpers::test_app(prefs),
    )
}

pub fn customers(app: &KitleApp) -> &CustomersTab {
    app.tab::<CustomersTab>().expect("the customers tab")
}

pub fn dashboard(app: &KitleApp) -> &DashboardTab {
    app.tab::<DashboardTab>().expect("the dashboard tab")
}

pub fn segments(app: &KitleApp) -> &SegmentsTab {
    app.tab::<SegmentsTab>().expect("the segments tab")
}

/// Steps frames until `done` holds (background jobs finish on their own threads).
pub fn run_until(harness: &mut Harness<'static, KitleApp>, what: &str, done: impl Fn(&KitleApp) -> bool) {
    let start = Instant::now();
    while !done(harness.state()) {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "timed out waiting for {what} (dialog open: {}, notice: {:?}, idle: {})",
            harness.state().audience.is_some(),
            harness.state().notice,
            harness.state().tasks.is_idle()
        );
        harness.step();
        std::thread::sleep(Duration::from_millis(5));
    }
    harness.run_steps(3);
}

/// Runs frames until a label containing `text` is on screen (what a background job
/// fills in may take a few frames on a busy machine).
pub fn run_until_shown(harness: &mut Harness<'static, KitleApp>, text: &str) {
    let start = Instant::now();
    while harness.query_by_label_contains(text).is_none() {
        assert!(start.elapsed() < Duration::from_secs(30), "timed out waiting for “{text}” on screen");
        harness.step();
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Clicks a tab of the hub (a button; the same words may also label a column).
pub fn click_tab(harness: &mut Harness<'static, KitleApp>, name: &str) {
    harness.get_by_role_and_label(egui::accesskit::Role::Button, name).click();
    harness.run_steps(2);
}

pub fn open_demo(harness: &mut Harness<'static, KitleApp>) {
    harness.get_by_label("Open the demo store").click();
    run_until(harness, "the demo to load", |app| app.doc.is_some());
}

pub fn data_of<'a>(harness: &'a Harness<'static, KitleApp>) -> &'a kitle::engine::data::CustomerData {
    &harness.state().doc.as_ref().unwrap().data
}

/// Picks `option` in the combo box named `combo`.
pub fn choose(harness: &mut Harness<'static, KitleApp>, combo: &str, option: &str) {
    harness.get_by_label(combo).click();
    harness.run_steps(2);
    // By accessibility action: in a long list the option may be scrolled out of view.
    // That leaves the list open; Escape closes it (the app gives Escape no other use).
    harness.get_by_label(option).click_accesskit();
    harness.run_steps(2);
    harness.key_press(egui::Key::Escape);
    harness.run_steps(2);
}

pub fn type_into(harness: &mut Harness<'static, KitleApp>, field: &str, text: &str) {
    harness.get_by_label(field).focus();
    harness.run_steps(1);
    harness.get_by_label(field).type_text(text);
    harness.run_steps(2);
}

/// Replaces the whole text of the field labelled `field` with `text`.
pub fn retype(harness: &mut Harness<'static, KitleApp>, field: &str, text: &str) {
    harness.get_by_label(field).focus();
    harness.run_steps(1);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run_steps(1);
    harness.get_by_label(field).type_text(text);
    harness.run_steps(2);
}

/// Opens the demo from the Turkish start screen.
pub fn open_demo_tr(harness: &mut Harness<'static, KitleApp>) {
    harness.get_by_label("Demo mağazayı aç").click();
    run_until(harness, "the demo to load", |app| app.doc.is_some());
}

/// Runs an action of a saved segment's "…" menu (`"Delete"`, `"Split…"` …).
pub fn segment_action(harness: &mut Harness<'static, KitleApp>, action: &str, segment: &str) {
    harness.get_by_label(&format!("More actions: {segment}")).click();
    harness.run_steps(2);
    harness.get_by_label(&format!("{action} {segment}")).click();
    harness.run_steps(2);
}
