//! Every tab and dialog at 1024×700 and 1440×900, in Turkish and English: nothing on
//! screen is an i18n key or a field id, the Turkish screens have no English
//! sentence, and snapshots of each are committed (`tests/snapshots/`; run with
//! `UPDATE_SNAPSHOTS=1` to renew them after a deliberate change, then look).

use egui_kittest::SnapshotOptions;
use egui_kittest::kittest::{NodeT, Queryable, by};
use kitle::app::tabs::customers::CustomersTab;
use kitle::app::tabs::explore::{ExploreTab, ExploreView};
use kitle::app::tabs::personas::PersonasTab;
use kitle::app::{AudienceCommand, FileCommand, KitleApp, SegmentCommand, Tab, ViewCommand};
use kitle::format::Lang;

use super::*;

const SIZES: [[f32; 2]; 2] = [[1024.0, 700.0], [1440.0, 900.0]];

/// Steps frames until background work is done: no task running, no spinner (a
/// spinner asks for the next frame at once) and what is on screen unchanged for a
/// while (results arrive from worker threads over several frames).
fn settle(harness: &mut Harness<'static, KitleApp>) {
    run_until(harness, "background tasks", |app| app.tasks.is_idle());
    let start = std::time::Instant::now();
    let (mut last, mut same_since) = (visible_texts(harness), std::time::Instant::now());
    while same_since.elapsed() < std::time::Duration::from_millis(300) {
        assert!(start.elapsed() < std::time::Duration::from_secs(60), "the screen never settled");
        std::thread::sleep(std::time::Duration::from_millis(20));
        harness.run_steps(1);
        let now = visible_texts(harness);
        let spinning = harness.ctx.requested_repaint_last_pass();
        if now != last || spinning || !harness.state().tasks.is_idle() {
            (last, same_since) = (now, std::time::Instant::now());
        }
    }
    harness.run_steps(2);
}

/// Words that give away an English sentence in the Turkish window.
const ENGLISH: [&str; 8] = [" the ", "The ", " and ", " of ", " with ", "Error", " could not ", " is "];

/// Everything a person could read on screen: every node's label and value, except
/// what is typed in a text box (the builder's rule text is code on purpose).
fn visible_texts(harness: &Harness<'static, KitleApp>) -> Vec<String> {
    use egui::accesskit::Role;
    harness
        .query_all(by().include_labels().predicate(|_| true))
        .filter(|n| {
            // A text box, or the runs of text inside one.
            let typed = |role: Role| matches!(role, Role::TextInput | Role::MultilineTextInput);
            !typed(n.accesskit_node().role()) && !n.parent().is_some_and(|p| typed(p.accesskit_node().role()))
        })
        .flat_map(|n| [n.accesskit_node().label(), n.accesskit_node().value()])
        .flatten()
        .filter(|t| !t.is_empty())
        .collect()
}

/// Fails if a text on screen is a key, holds a field or RFM group id, or (in
/// Turkish) reads as English. Quoted text (“Google Ads”) is data or syntax shown
/// as such. Only the guide may show rule code, in its table of examples.
fn check_words(harness: &Harness<'static, KitleApp>, lang: Lang, screen: &str) {
    let teaches_rules = screen == "guide";
    let keys: std::collections::HashSet<&str> = kitle::i18n::keys().collect();
    let ids: Vec<&str> = kitle::i18n::keys()
        .filter_map(|k| k.strip_prefix("field.").or_else(|| k.strip_prefix("rfm.")))
        .filter(|id| id.contains('_'))
        .collect();
    for text in visible_texts(harness) {
        if teaches_rules && kitle::engine::segment::parse(&text).is_ok() {
            continue;
        }
        let unquoted: String = text
            .split('“')
            .enumerate()
            .map(|(i, part)| if i == 0 { part } else { part.split_once('”').map_or("", |(_, rest)| rest) })
            .collect();
        assert!(!keys.contains(text.as_str()), "{screen} ({lang:?}) shows the key {text:?}");
        if let Some(id) = ids.iter().find(|id| text.contains(*id)) {
            panic!("{screen} ({lang:?}) shows the id {id:?} in {text:?}");
        }
        if lang == Lang::Tr
            && let Some(word) = ENGLISH.iter().find(|w| unquoted.contains(*w))
        {
            panic!("{screen} shows English ({word:?}) in the Turkish window: {text:?}");
        }
    }
    assert_eq!(kitle::i18n::missing_keys(), Vec::<&str>::new(), "keys looked up but missing");
}

fn snapshot(harness: &mut Harness<'static, KitleApp>, name: &str) {
    // The committed images are palette PNGs (`pngquant --quality 90-100`), a quarter
    // of the size: a colour tolerance and a few hundred pixels absorb the palette's
    // rounding of the charts' gradients; a changed word or layout differs by more.
    let options = SnapshotOptions::new().output_path("tests/snapshots").threshold(8.0).max_failed_pixels(150);
    harness.snapshot_options(name, &options);
}

/// Opens a dialog (or a panel drawn like one) on the app.
type OpenDialog = fn(&mut KitleApp);

/// One window per language and size: every tab, then every dialog, each checked
/// and photographed.
fn walk(lang: Lang, size: [f32; 2]) {
    let mut harness = app_harness_sized(lang, size);
    let tag = format!("{}_{}", lang.code(), size[0]);
    harness.run_steps(1);
    check_words(&harness, lang, "start");
    // The demo written to a folder named the same on every machine: paths show on
    // screen (status bar, import slots, audience file), and must not differ.
    let dir = std::env::temp_dir().join(format!("kitle-screens-{tag}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = kitle::engine::demo::write_demo_workspace(&dir, &Default::default()).unwrap();
    harness.state_mut().send(FileCommand::Open(path));
    run_until(&mut harness, "the demo", |app| app.doc.is_some());
    for tab in [Tab::Dashboard, Tab::Segments, Tab::Personas, Tab::Explore, Tab::Customers] {
        harness.state_mut().send(ViewCommand::SetTab(tab));
        settle(&mut harness);
        check_words(&harness, lang, &format!("{tab:?}"));
        snapshot(&mut harness, &format!("tab_{tab:?}_{tag}").to_lowercase());
    }
    // Explore's other views: checked, not photographed (the tab's snapshot shows one).
    harness.state_mut().send(ViewCommand::SetTab(Tab::Explore));
    for view in [ExploreView::Crosstab, ExploreView::Predict, ExploreView::Clusters, ExploreView::Suggested] {
        harness.state_mut().tab_mut::<ExploreTab>().unwrap().view = view;
        settle(&mut harness);
        check_words(&harness, lang, &format!("Explore {view:?}"));
    }
    cohorts_and_real_lira(&mut harness, lang, &tag);

    let dialogs: [(&str, OpenDialog); 7] = [
        ("import", |app| app.send(FileCommand::ImportDialog(None))),
        ("guide", |app| app.guide = Some(Default::default())),
        ("audience", |app| {
            let segment = app.doc.as_ref().unwrap().workspace.segments[0].clone();
            app.send(AudienceCommand::Dialog { segment: segment.name, rule: segment.rule });
        }),
        ("spend", |app| {
            app.send(ViewCommand::SetTab(Tab::Dashboard));
            app.tab_mut::<DashboardTab>().unwrap().spend_editor_open = true;
        }),
        ("gallery", |app| {
            app.send(ViewCommand::SetTab(Tab::Segments));
            app.tab_mut::<SegmentsTab>().unwrap().gallery_open = true;
        }),
        ("persona_fit", |app| {
            app.send(ViewCommand::SetTab(Tab::Personas));
            app.tab_mut::<PersonasTab>().unwrap().selected = Some(0);
        }),
        ("why", |app| {
            app.send(ViewCommand::SetTab(Tab::Customers));
            let tab = app.tab_mut::<CustomersTab>().unwrap();
            tab.selected = Some(0);
            tab.why_segment = Some(0);
        }),
    ];
    for (name, open) in dialogs {
        open(harness.state_mut());
        settle(&mut harness);
        check_words(&harness, lang, name);
        snapshot(&mut harness, &format!("{name}_{tag}"));
        close_all(&mut harness);
    }
    // Smaller windows: checked, not photographed.
    let windows: [(&str, OpenDialog); 2] = [
        ("typed path", |app| {
            app.file_dialogs = kitle::app::dialogs::file::FileDialogs::Missing;
            app.send(SegmentCommand::ExportMembers { rows: Default::default(), extension: "csv", name: "VIP".into() });
        }),
        ("split", |app| {
            app.send(ViewCommand::SetTab(Tab::Segments));
            app.tab_mut::<SegmentsTab>().unwrap().start_split(0);
        }),
    ];
    for (name, open) in windows {
        open(harness.state_mut());
        settle(&mut harness);
        check_words(&harness, lang, name);
        close_all(&mut harness);
    }
}

/// Cohorts, photographed (the triangle, the chart, the switch asking for an index),
/// then the Dashboard in real lira by typed annual rates, checked.
fn cohorts_and_real_lira(harness: &mut Harness<'static, KitleApp>, lang: Lang, tag: &str) {
    harness.state_mut().tab_mut::<ExploreTab>().unwrap().view = ExploreView::Cohorts;
    harness.state_mut().send(ViewCommand::SetRealMoney(true));
    settle(harness);
    check_words(harness, lang, "Explore Cohorts");
    snapshot(harness, &format!("explore_cohorts_{tag}"));
    // Real lira by typed annual rates: the Dashboard says in whose lira.
    let rates = [(2024, 44.4), (2025, 31.0), (2026, 28.0)]
        .map(|(year, percent)| kitle::engine::cohorts::index::AnnualRate { year, percent });
    let index = kitle::engine::cohorts::index::PriceIndex::from_annual_rates(&rates).unwrap();
    let money = kitle::engine::edit::RealMoney { price_index: Some(index), ..Default::default() };
    harness.state_mut().send(kitle::app::Command::Edit(kitle::engine::edit::Edit::SetRealMoney(Box::new(money))));
    harness.state_mut().send(ViewCommand::SetTab(Tab::Dashboard));
    settle(harness);
    check_words(harness, lang, "Dashboard in real lira");
    let in_base = if lang == Lang::Tr { "lirasıyla" } else { "in lira of" };
    assert!(harness.query_all_by_label_contains(in_base).count() > 0, "the base month is named");
    harness.state_mut().send(ViewCommand::SetRealMoney(false));
    harness.state_mut().send(kitle::app::Command::Undo);
}

fn close_all(harness: &mut Harness<'static, KitleApp>) {
    let app = harness.state_mut();
    app.import = None;
    app.guide = None;
    app.audience = None;
    app.tab_mut::<DashboardTab>().unwrap().spend_editor_open = false;
    app.tab_mut::<SegmentsTab>().unwrap().gallery_open = false;
    app.tab_mut::<PersonasTab>().unwrap().selected = None;
    app.tab_mut::<CustomersTab>().unwrap().selected = None;
    app.tab_mut::<SegmentsTab>().unwrap().splitting = None;
    app.path_prompt = None;
    harness.run_steps(2);
}

#[test]
fn every_screen_in_turkish_at_1024() {
    walk(Lang::Tr, SIZES[0]);
}

#[test]
fn every_screen_in_turkish_at_1440() {
    walk(Lang::Tr, SIZES[1]);
}

#[test]
fn every_screen_in_english_at_1024() {
    walk(Lang::En, SIZES[0]);
}

#[test]
fn every_screen_in_english_at_1440() {
    walk(Lang::En, SIZES[1]);
}
