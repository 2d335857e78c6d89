//! The dashboard: cards against the engine, charts that start segments, typed spend.

use egui_kittest::kittest::Queryable;
use kitle::app::{Command, KitleApp, Tab};
use kitle::app::{FileCommand, ViewCommand};
use kitle::format::Lang;

use super::*;

#[test]
fn dashboard_cards_match_the_engine_and_charts_start_segments() {
    // Tall enough to show the channel table below the charts.
    let mut harness = app_harness_sized(Lang::En, [1280.0, 1400.0]);
    harness.run_steps(1);
    open_demo(&mut harness);
    run_until(&mut harness, "the dashboard numbers", |app| dashboard(app).current().is_some());
    let d = dashboard(harness.state()).current().unwrap().clone();
    let data = data_of(&harness).clone();
    // With spend data the period starts as the span the spend covers.
    let spend_period = kitle::engine::dashboard::RangePreset::SpendPeriod.period(&data);
    assert!(spend_period.is_some());
    let engine = kitle::engine::dashboard::dashboard(&data, spend_period, &[1000.0, 5000.0, 10000.0]).unwrap();
    assert_eq!(*d, engine);
    // Money cards are compact from a million up ("₺3.33M"), exact on hover.
    let money = |v: Option<f64>| kitle::format::money_compact(v.unwrap(), "TRY", Lang::En);
    assert!(money(engine.headline.total_revenue).ends_with('M'), "the demo's revenue is millions");
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
        segments(h.state()).editor.as_ref().map(|e| kitle::engine::segment::to_text(&e.rule))
    };
    assert_eq!(draft(&harness).as_deref(), Some("ltv < 1000"), "a new segment, pre-filled");
    harness.get_by_label("+ Add condition");

    // Clicking the pie itself: right of its centre lies the first (largest) slice.
    click_tab(&mut harness, "Dashboard");
    harness.state_mut().tab_mut::<SegmentsTab>().unwrap().editor = None;
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
    harness.state_mut().tab_mut::<DashboardTab>().unwrap().preset = Some(kitle::engine::dashboard::RangePreset::Last90);
    let last90 = kitle::engine::dashboard::RangePreset::Last90.period(&data);
    run_until(&mut harness, "the 90-day numbers", |app| dashboard(app).current().is_some_and(|d| d.period == last90));
    let d = dashboard(harness.state()).current().unwrap().clone();
    assert!(d.previous.is_some());
    assert!(d.headline.new_customers < 3000);
    harness.get_all_by_label_contains("▲").next().or_else(|| harness.get_all_by_label_contains("▼").next()).unwrap();
}

#[test]
fn without_spend_cac_says_why_and_spend_can_be_typed_in() {
    let mut harness = app_harness(Lang::En);
    harness.run_steps(1);
    harness.state_mut().send(FileCommand::RunImport(vec![kitle::engine::import::SourceSpec::new(
        kitle::engine::fields::SourceKind::Customers,
        fixture("fixtures/dashboard/one_customer.csv"),
    )]));
    run_until(&mut harness, "the import", |app| app.doc.is_some());
    harness.state_mut().report = None;
    harness.state_mut().send(ViewCommand::SetTab(Tab::Dashboard));
    run_until(&mut harness, "the dashboard", |app| dashboard(app).current().is_some());
    assert!(harness.query_all_by_label("No spend data: import a spend file or type spend per channel.").count() >= 1);

    // Type 900 TL of TikTok spend for March 2026: CAC = 900 / 1 new customer.
    let spend =
        kitle::engine::workspace::ManualSpend { channel: "TikTok".into(), month: "2026-03".into(), amount: 900.0 };
    harness.state_mut().send(Command::Edit(kitle::engine::edit::Edit::SetManualSpend(vec![spend])));
    run_until(&mut harness, "the new CAC", |app| {
        dashboard(app).current().is_some_and(|d| d.has_spend) && !dashboard(app).busy()
    });
    let d = dashboard(harness.state()).current().unwrap().clone();
    approx(d.headline.cac, 900.0);
    assert!(harness.query_all_by_label("₺900.00").count() >= 1, "the CAC card shows ₺900.00");
    assert!(harness.state().doc.as_ref().unwrap().dirty, "typed spend is a change to save");
}

#[test]
fn ltv_bands_are_typed_the_languages_way() {
    let mut harness = app_harness(Lang::Tr);
    harness.run_steps(1);
    open_demo_tr(&mut harness);
    run_until(&mut harness, "the dashboard numbers", |app| dashboard(app).current().is_some());
    let bands = |h: &Harness<'static, KitleApp>| h.state().doc.as_ref().unwrap().workspace.settings.ltv_bands.clone();

    // Turkish thousands: "2.500" is two thousand five hundred, not 2,5.
    retype(&mut harness, "LTV dilimleri", "2.500; 10.000");
    harness.key_press(egui::Key::Enter);
    harness.run_steps(2);
    assert_eq!(bands(&harness), [2500.0, 10000.0]);
    run_until(&mut harness, "the new bands", |app| !dashboard(app).busy());
    assert!(harness.query_all_by_label_contains("2.500 ₺ – 10.000 ₺").count() >= 1, "the legend shows the band");

    // "2,500" reads as 2,5 in Turkish, and the box says so before it is applied.
    retype(&mut harness, "LTV dilimleri", "2,500");
    harness.get_by_label("2,5 olarak okundu. 2.500 demek istediyseniz ayraçsız yazın.");
    // Nothing a Turkish box cannot read is applied: "2.5" is refused in words.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get_by_label("LTV dilimleri").type_text("2.5");
    harness.run_steps(2);
    harness.get_by_label("Türkçe yazımla bir sayı değil (ör. 2.500,75).");
    harness.key_press(egui::Key::Enter);
    harness.run_steps(2);
    assert_eq!(bands(&harness), [2500.0, 10000.0], "an unreadable entry changes nothing");
}

#[test]
fn spend_months_are_typed_and_shown_the_languages_way() {
    let mut harness = app_harness(Lang::Tr);
    harness.run_steps(1);
    open_demo_tr(&mut harness);
    run_until(&mut harness, "the dashboard numbers", |app| dashboard(app).current().is_some());
    let spend =
        kitle::engine::workspace::ManualSpend { channel: "TikTok".into(), month: "2026-03".into(), amount: 900.0 };
    harness.state_mut().send(Command::Edit(kitle::engine::edit::Edit::SetManualSpend(vec![spend])));
    run_until(&mut harness, "the typed spend", |app| !app.doc.as_ref().unwrap().workspace.manual_spend.is_empty());
    harness.get_all_by_label("Harcama gir…").next().unwrap().click();
    for _ in 0..50 {
        harness.run_steps(1);
        if harness.query_by_label("Ay 1").is_some() {
            break;
        }
    }
    // The stored ISO month is shown in Turkish.
    assert_eq!(harness.get_by_label("Ay 1").value().as_deref(), Some("Mar 2026"));
    let months = |h: &Harness<'static, KitleApp>| {
        h.state().doc.as_ref().unwrap().workspace.manual_spend.iter().map(|s| s.month.clone()).collect::<Vec<_>>()
    };
    for (typed, stored) in [("04.2026", "2026-04"), ("Mayıs 2026", "2026-05"), ("2026-06", "2026-06")] {
        retype(&mut harness, "Ay 1", typed);
        harness.run_steps(1);
        assert_eq!(months(&harness), [stored], "{typed}");
    }
    retype(&mut harness, "Ay 1", "13.2026");
    harness.run_steps(1);
    harness.get_by_label("Ay değil: Nis 2026 ya da 04.2026 gibi yazın.");
    assert_eq!(harness.get_by_label("Ay 1").value().as_deref(), Some("13.2026"), "what was typed stays");
}
