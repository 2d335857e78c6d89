//! The desktop app driven like a person would, with egui_kittest: no display needed.

use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use kitle::app::{Command, KitleApp, Prefs, Tab};
use kitle::format::Lang;
use polars::prelude::*;

use crate::helpers::*;

fn app_harness(lang: Lang) -> Harness<'static, KitleApp> {
    app_harness_sized(lang, [1280.0, 800.0])
}

fn app_harness_sized(lang: Lang, size: [f32; 2]) -> Harness<'static, KitleApp> {
    let prefs = Prefs { lang: Some(lang), ..Prefs::default() };
    Harness::builder().with_size(size).build_ui_state(
        |ui, app: &mut KitleApp| {
            app.logic(ui.ctx());
            app.ui(ui);
        },
        KitleApp::with_prefs(prefs),
    )
}

/// Steps frames until `done` holds (background jobs finish on their own threads).
fn run_until(harness: &mut Harness<'static, KitleApp>, what: &str, done: impl Fn(&KitleApp) -> bool) {
    let start = Instant::now();
    while !done(harness.state()) {
        assert!(start.elapsed() < Duration::from_secs(30), "timed out waiting for {what}");
        harness.step();
        std::thread::sleep(Duration::from_millis(5));
    }
    harness.run_steps(3);
}

/// Clicks a tab of the hub (a button; the same words may also label a column).
fn click_tab(harness: &mut Harness<'static, KitleApp>, name: &str) {
    harness.get_by_role_and_label(egui::accesskit::Role::Button, name).click();
    harness.run_steps(2);
}

fn open_demo(harness: &mut Harness<'static, KitleApp>) {
    harness.get_by_label("Open the demo store").click();
    run_until(harness, "the demo to load", |app| app.doc.is_some());
}

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
        ("Personas", "Personas will live here"),
        ("Explore", "Explore will live here"),
        ("Dashboard", "Total customers"),
    ] {
        click_tab(&mut harness, tab);
        harness.get_by_label_contains(expected);
    }
    click_tab(&mut harness, "Customers");
    assert_eq!(harness.state().prefs.tab, Tab::Customers);
    harness.get_by_label("3,000 of 3,000 shown");
    harness.get_by_label("10000"); // the first customer id
}

#[test]
fn customer_list_sorts_and_searches() {
    let mut harness = app_harness(Lang::En);
    harness.run_steps(1);
    open_demo(&mut harness);
    click_tab(&mut harness, "Customers");

    // Sort by LTV, highest first: click the header twice.
    harness.get_by_label("LTV").click();
    let settled = |app: &KitleApp| app.doc.as_ref().is_some_and(|d| app.customers.settled(d));
    run_until(&mut harness, "the sort", |app| app.customers.sort.is_some() && settled(app));
    harness.get_by_label("LTV ▲").click();
    run_until(&mut harness, "the descending sort", |app| {
        app.customers.sort.as_ref().is_some_and(|s| s.descending) && settled(app)
    });
    let app = harness.state();
    let data = &app.doc.as_ref().unwrap().data;
    let ltv = data.customers.column("ltv").unwrap().f64().unwrap().clone();
    let top = app.customers.row_at(0).unwrap();
    assert_eq!(ltv.get(top), ltv.max(), "the first row has the highest LTV");
    let top_text = kitle::format::money(ltv.max().unwrap(), "TRY", Lang::En);
    harness.get_by_label(&top_text);

    // Search: only customers in İzmir (typed lowercase) remain.
    let city = data.customers.column("city").unwrap().str().unwrap().clone();
    let in_izmir = city.iter().filter(|c| *c == Some("İzmir")).count();
    harness.get_by_label("Search").click();
    harness.get_by_label("Search").type_text("izmir");
    run_until(&mut harness, "the search", |app| app.customers.query == "izmir" && settled(app));
    harness.get_by_label(&format!("{in_izmir} of 3,000 shown"));

    // Clicking a row shows that customer's details and orders.
    let first = harness.state().customers.row_at(0).unwrap();
    let id = text(data_of(&harness), "customer_id", first).unwrap();
    harness.get_by_label(&id).click();
    harness.run_steps(3);
    assert_eq!(harness.state().customers.selected, Some(first));
    harness.get_by_label("Customer details");
    harness.get_by_label("Net total");
}

fn data_of<'a>(harness: &'a Harness<'static, KitleApp>) -> &'a kitle::engine::build::CustomerData {
    &harness.state().doc.as_ref().unwrap().data
}

#[test]
fn import_dialog_imports_a_shopify_store_without_touching_the_mapping() {
    let mut harness = app_harness(Lang::En);
    harness.run_steps(1);
    let customers = fixture("fixtures/shopify/customers_export.csv");
    let orders = fixture("fixtures/shopify/orders_export.csv");
    harness.state_mut().send(Command::ImportDialog(Some(customers)));
    run_until(&mut harness, "the customers preview", |app| {
        app.import.as_ref().is_some_and(|d| matches!(d.slots[0].preview, Some(Ok(_))))
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
        app.import.as_ref().is_some_and(|d| matches!(d.slots[1].preview, Some(Ok(_))))
    });
    harness.get_by_label("Import").click();
    run_until(&mut harness, "the import", |app| app.doc.is_some() && app.loading.is_none());
    let doc = harness.state().doc.as_ref().unwrap();
    assert_eq!(doc.data.len(), 4);
    assert!(doc.dirty, "an import is unsaved until saved");
    harness.get_by_label("4 customers imported");
    harness.get_by_label("4 orders counted");
    harness.get_by_label_contains("1 cancelled, voided or failed orders were not counted.");
}

#[test]
fn unsaved_changes_are_never_dropped_silently_and_saving_works() {
    let mut harness = app_harness(Lang::En);
    harness.run_steps(1);
    harness.state_mut().send(Command::RunImport(vec![kitle::engine::import::SourceSpec::new(
        kitle::engine::fields::SourceKind::Customers,
        fixture("fixtures/woocommerce/customers.csv"),
    )]));
    run_until(&mut harness, "the import", |app| app.doc.is_some());
    harness.state_mut().show_report = false;

    harness.state_mut().send(Command::NewWorkspace);
    harness.run_steps(2);
    harness.get_by_label("Unsaved changes");
    harness.get_by_label("Cancel").click();
    harness.run_steps(2);
    assert!(harness.state().doc.is_some(), "cancel keeps the workspace");

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("woo.kitle");
    harness.state_mut().send(Command::SaveTo(path.clone()));
    harness.run_steps(2);
    assert!(path.exists());
    assert!(!harness.state().doc.as_ref().unwrap().dirty);
    harness.get_by_label("Saved.");

    // Saved: New goes through without asking; reopening brings the customers back.
    harness.state_mut().send(Command::NewWorkspace);
    harness.run_steps(2);
    assert!(harness.state().doc.is_none());
    harness.state_mut().send(Command::Open(path.clone()));
    run_until(&mut harness, "the reopen", |app| app.doc.is_some());
    assert_eq!(harness.state().doc.as_ref().unwrap().data.len(), 3);
    assert_eq!(harness.state().prefs.recent.first().and_then(|p| p.file_name()), path.file_name());

    // Dirty again, then "Don't save" drops it on request.
    harness.state_mut().doc.as_mut().unwrap().dirty = true;
    harness.state_mut().send(Command::NewWorkspace);
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
    harness.state_mut().send(Command::Open(path));
    run_until(&mut harness, "the error", |app| app.loading.is_none() && app.notice.is_some());
    harness.get_by_label_contains("is not a Kitle workspace or is damaged");
    assert!(harness.state().doc.is_none());
}

#[test]
fn dashboard_cards_match_the_engine_and_charts_start_segments() {
    // Tall enough to show the channel table below the charts.
    let mut harness = app_harness_sized(Lang::En, [1280.0, 1400.0]);
    harness.run_steps(1);
    open_demo(&mut harness);
    run_until(&mut harness, "the dashboard numbers", |app| app.dashboard.current().is_some());
    let d = harness.state().dashboard.current().unwrap().clone();
    let data = data_of(&harness).clone();
    // With spend data the period starts as the span the spend covers.
    let spend_period = kitle::engine::dashboard::RangePreset::SpendPeriod.period(&data);
    assert!(spend_period.is_some());
    let engine = kitle::engine::dashboard::dashboard(&data, spend_period, &[1000.0, 5000.0, 10000.0]).unwrap();
    assert_eq!(*d, engine);
    let money = |v: Option<f64>| kitle::format::money(v.unwrap(), "TRY", Lang::En);
    harness.get_by_label(&kitle::format::count(engine.headline.customers, Lang::En));
    harness.get_by_label(&money(engine.headline.avg_ltv));
    harness.get_by_label(&money(engine.headline.cac));
    harness.get_by_label(&money(engine.headline.total_revenue));
    harness.get_by_label(&kitle::format::percent(engine.headline.repeat_rate.unwrap(), Lang::En));

    // The pie's legend: the first band starts a segment of customers under 1,000.
    harness.get_by_label_contains("₺0 – ₺1,000: ").click();
    harness.run_steps(2);
    assert_eq!(harness.state().prefs.tab, Tab::Segments);
    let draft = |h: &Harness<'static, KitleApp>| {
        h.state().segments.editor.as_ref().map(|e| kitle::engine::segment::to_text(&e.rule))
    };
    assert_eq!(draft(&harness).as_deref(), Some("ltv < 1000"), "a new segment, pre-filled");
    harness.get_by_label("+ Add condition");

    // Clicking the pie itself: right of its centre lies the first (largest) slice.
    click_tab(&mut harness, "Dashboard");
    harness.state_mut().segments.editor = None;
    let legend = harness.get_by_label_contains("₺0 – ₺1,000: ").rect();
    // The pie (240 × 240) sits left of its legend, tops aligned.
    let centre = egui::pos2(legend.left() - 24.0 - 120.0, legend.top() + 120.0);
    let target = centre + egui::vec2(60.0, 0.0);
    harness.event(egui::Event::PointerMoved(target));
    harness.run_steps(1);
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos: target,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
    }
    harness.run_steps(3);
    assert_eq!(harness.state().prefs.tab, Tab::Segments, "a click on the slice opens Segments");
    assert_eq!(draft(&harness).as_deref(), Some("ltv < 1000"));

    // A channel (in the table below the charts) starts a segment of its customers.
    click_tab(&mut harness, "Dashboard");
    harness.get_by_label("Instagram").click();
    harness.run_steps(2);
    assert_eq!(draft(&harness).as_deref(), Some("channel = \"Instagram\""));

    // A shorter period: every card follows and compares with the period before.
    click_tab(&mut harness, "Dashboard");
    harness.state_mut().dashboard.preset = Some(kitle::engine::dashboard::RangePreset::Last90);
    let last90 = kitle::engine::dashboard::RangePreset::Last90.period(&data);
    run_until(&mut harness, "the 90-day numbers", |app| app.dashboard.current().is_some_and(|d| d.period == last90));
    let d = harness.state().dashboard.current().unwrap().clone();
    assert!(d.previous.is_some());
    assert!(d.headline.new_customers < 3000);
    harness.get_all_by_label_contains("▲").next().or_else(|| harness.get_all_by_label_contains("▼").next()).unwrap();
}

#[test]
fn without_spend_cac_says_why_and_spend_can_be_typed_in() {
    let mut harness = app_harness(Lang::En);
    harness.run_steps(1);
    harness.state_mut().send(Command::RunImport(vec![kitle::engine::import::SourceSpec::new(
        kitle::engine::fields::SourceKind::Customers,
        fixture("fixtures/dashboard/one_customer.csv"),
    )]));
    run_until(&mut harness, "the import", |app| app.doc.is_some());
    harness.state_mut().show_report = false;
    harness.state_mut().send(Command::SetTab(Tab::Dashboard));
    run_until(&mut harness, "the dashboard", |app| app.dashboard.current().is_some());
    assert!(harness.query_all_by_label("No spend data: import a spend file or type spend per channel.").count() >= 1);

    // Type 900 TL of TikTok spend for March 2026: CAC = 900 / 1 new customer.
    harness.state_mut().doc.as_mut().unwrap().workspace.manual_spend.push(kitle::engine::workspace::ManualSpend {
        channel: "TikTok".into(),
        month: "2026-03".into(),
        amount: 900.0,
    });
    harness.state_mut().send(Command::ManualSpendChanged);
    run_until(&mut harness, "the new CAC", |app| {
        app.dashboard.current().is_some_and(|d| d.has_spend) && !app.dashboard.busy()
    });
    let d = harness.state().dashboard.current().unwrap().clone();
    approx(d.headline.cac, 900.0);
    assert!(harness.query_all_by_label("₺900.00").count() >= 1, "the CAC card shows ₺900.00");
    assert!(harness.state().doc.as_ref().unwrap().dirty, "typed spend is a change to save");
}

/// Picks `option` in the combo box named `combo`.
fn choose(harness: &mut Harness<'static, KitleApp>, combo: &str, option: &str) {
    harness.get_by_label(combo).click();
    harness.run_steps(2);
    harness.get_by_label(option).click();
    harness.run_steps(2);
}

fn type_into(harness: &mut Harness<'static, KitleApp>, field: &str, text: &str) {
    harness.get_by_label(field).focus();
    harness.run_steps(1);
    harness.get_by_label(field).type_text(text);
    harness.run_steps(2);
}

#[test]
fn builder_makes_the_mockup_rule_by_clicking_and_saves_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app_harness_sized(Lang::En, [1400.0, 1000.0]);
    harness.run_steps(1);
    open_demo(&mut harness);
    click_tab(&mut harness, "Segments");
    harness.get_by_label("+ New segment").click();
    harness.run_steps(2);

    // Row 1: LTV greater than 5000 (LTV and "greater than" are the defaults).
    assert_eq!(harness.get_by_label("Operator 1").value().as_deref(), Some("greater than"));
    type_into(&mut harness, "Value 1", "5000");
    // Row 2: AND last purchase date was more than 30 days ago.
    harness.get_by_label("+ Add condition").click();
    harness.run_steps(2);
    choose(&mut harness, "Field 2", "Last purchase date · date");
    choose(&mut harness, "Operator 2", "was more than N days ago");
    type_into(&mut harness, "Value 2", "30");
    // Row 3: OR acquisition channel equals Google Ads.
    harness.get_by_label("+ Add condition").click();
    harness.run_steps(2);
    harness.get_by_label("AND 3").click();
    harness.run_steps(2);
    choose(&mut harness, "Field 3", "Acquisition channel · category");
    type_into(&mut harness, "Value 3", "Google Ads");

    let rule = "ltv > 5000 and last_order_date more than 30 days ago or channel = \"Google Ads\"";
    {
        let editor = harness.state().segments.editor.as_ref().unwrap();
        assert_eq!(kitle::engine::segment::to_text(&editor.rule), rule);
        assert_eq!(editor.text, rule, "the text form follows the rows");
    }
    run_until(&mut harness, "the live results", |app| {
        let version = app.doc.as_ref().map_or(0, |d| d.version);
        app.segments.editor.as_ref().is_some_and(|e| e.settled(version))
    });
    // The live numbers are the engine's.
    let frame = kitle::engine::evaluate::SegmentFrame::new(harness.state().doc.as_ref().unwrap().data.clone());
    let expected = frame.stats(&frame.compile(&kitle::engine::segment::parse(rule).unwrap())).unwrap();
    let shown = harness.state().segments.editor.as_ref().unwrap().result.as_ref().unwrap().evaluation.stats.clone();
    assert_eq!(shown, expected);
    let count = kitle::format::count(expected.count, Lang::En);
    harness.get_by_label_contains(&format!("{count} customers match these conditions"));
    let avg = kitle::format::money(expected.avg_ltv.unwrap(), "TRY", Lang::En);
    harness.get_by_label(&format!("Average LTV of this segment: {avg}"));

    // Name it, save it, save the workspace, reopen, and find it in the list.
    let name_field = || egui::accesskit::Role::TextInput;
    harness.get_by_role_and_label(name_field(), "Name").focus();
    harness.run_steps(1);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get_by_role_and_label(name_field(), "Name").type_text("Mock-up rule");
    harness.run_steps(2);
    harness.get_by_label("Save segment").click();
    harness.run_steps(3);
    let path = dir.path().join("demo-copy.kitle");
    harness.state_mut().send(Command::SaveTo(path.clone()));
    harness.run_steps(2);
    let saved = kitle::engine::workspace::Workspace::load(&path).unwrap();
    let seg = saved.segments.iter().find(|s| s.rule == rule).expect("saved in the workspace file");
    assert!(seg.name.ends_with("Mock-up rule"), "{}", seg.name);

    harness.state_mut().send(Command::NewWorkspace);
    harness.run_steps(2);
    harness.state_mut().send(Command::Open(path));
    run_until(&mut harness, "the reopen", |app| app.doc.is_some());
    click_tab(&mut harness, "Segments");
    run_until(&mut harness, "the segment counts", |app| app.segments.list_stats().is_some_and(|s| s.len() == 4));
    assert!(harness.query_all_by_label_contains("Mock-up rule").count() >= 1);
    harness.get_all_by_label(&count).next().expect("its count is listed");
}

#[test]
fn segments_can_be_duplicated_deleted_and_restored() {
    let mut harness = app_harness(Lang::En);
    harness.run_steps(1);
    open_demo(&mut harness);
    click_tab(&mut harness, "Segments");
    let names = |h: &Harness<'static, KitleApp>| -> Vec<String> {
        h.state().doc.as_ref().unwrap().workspace.segments.iter().map(|s| s.name.clone()).collect()
    };
    let first = names(&harness)[0].clone();
    harness.get_by_label(&format!("Duplicate {first}")).click();
    harness.run_steps(2);
    assert_eq!(names(&harness).len(), 4);
    assert_eq!(names(&harness)[1], format!("{first} (copy)"));
    // The name column widens a frame after a longer name appears: let it settle.
    run_until(&mut harness, "the list numbers", |app| app.segments.list_stats().is_some_and(|s| s.len() == 4));
    harness.run_steps(4);
    harness.get_by_label(&format!("Delete {first}")).click();
    harness.run_steps(2);
    assert_eq!(names(&harness).len(), 3);
    harness.get_by_label("Undo").click();
    harness.run_steps(2);
    assert_eq!(names(&harness)[0], first);
    assert!(harness.state().doc.as_ref().unwrap().dirty);

    // The gallery adds templates; an invalid row is marked and ignored.
    harness.get_by_label("Template gallery").click();
    harness.run_steps(2);
    harness.get_by_label("Add One-time buyers").click();
    harness.run_steps(2);
    assert!(names(&harness).contains(&"One-time buyers".to_owned()));
}

#[test]
fn import_notes_and_errors_speak_the_users_language() {
    let mut harness = app_harness(Lang::Tr);
    harness.run_steps(1);
    harness.state_mut().send(Command::RunImport(vec![kitle::engine::import::SourceSpec::new(
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
    harness.state_mut().send(Command::Open(broken));
    run_until(&mut harness, "the error", |app| app.loading.is_none() && app.notice.is_some());
    harness.get_by_label_contains("bir Kitle çalışma alanı değil veya bozuk");

    harness.state_mut().send(Command::RunImport(vec![kitle::engine::import::SourceSpec::new(
        kitle::engine::fields::SourceKind::Customers,
        fixture("malformed/04_png_named_csv.csv"),
    )]));
    run_until(&mut harness, "the file error", |app| {
        app.loading.is_none() && matches!(&app.notice, Some(kitle::app::Notice::Error(e)) if e.contains("PNG"))
    });
    harness.get_by_label_contains("bir tablo değil, bir PNG resmi");
}

#[test]
fn without_a_file_dialog_a_path_can_be_typed() {
    let mut harness = app_harness(Lang::En);
    harness.run_steps(1);
    // What the app shows when the native dialog returned at once.
    harness.state_mut().path_prompt = Some((kitle::app::PathPurpose::Open, String::new()));
    harness.run_steps(2);
    let demo = harness.state().demo_path.clone();
    harness.get_by_label("File path").focus();
    harness.run_steps(1);
    harness.get_by_label("File path").type_text(demo.to_str().unwrap());
    harness.run_steps(1);
    harness.get_by_label("OK").click();
    run_until(&mut harness, "the typed workspace to open", |app| app.doc.is_some());
    assert!(harness.state().path_prompt.is_none());
}
