//! Explore: the R × F grid and the groups open segments with the same count, the
//! cross-tab's cells too, and predicted value shows the fits and the holdout check.

use egui_kittest::kittest::Queryable;
use kitle::app::tabs::explore::{ExploreTab, ExploreView};
use kitle::app::{Command, KitleApp, Tab};
use kitle::format::Lang;

use super::*;

fn explore(app: &KitleApp) -> &ExploreTab {
    app.tab::<ExploreTab>().expect("the explore tab")
}

/// The draft's live count once it settles, and its rule as text.
fn settled_draft(harness: &mut Harness<'static, KitleApp>) -> (String, usize) {
    run_until(harness, "the draft's count", |app| {
        segments(app).editor.as_ref().is_some_and(|e| app.cache.segment_settled(&e.rule))
    });
    let editor = segments(harness.state()).editor.as_ref().unwrap();
    let text = kitle::engine::segment::to_text(&editor.rule);
    (text, harness.state().cache.segment_result().unwrap().evaluation.stats.count)
}

/// Clicks the widget named `name` until the app leaves Explore (late layout can
/// move a cell between the query and the click).
fn click_until_segments(harness: &mut Harness<'static, KitleApp>, name: &str) {
    for _ in 0..5 {
        harness.get_by_label(name).click();
        harness.run_steps(2);
        if harness.state().prefs.tab == Tab::Segments {
            return;
        }
    }
    panic!("clicking {name} did not open a segment draft");
}

#[test]
fn rfm_grid_cells_and_groups_open_segments_with_their_counts() {
    let mut harness = app_harness_sized(Lang::En, [1280.0, 1000.0]);
    harness.run_steps(1);
    open_demo(&mut harness);
    click_tab(&mut harness, "Explore");
    run_until(&mut harness, "the RFM figures", |app| explore(app).rfm().is_some());
    let rfm = explore(harness.state()).rfm().unwrap().clone();
    let engine = kitle::engine::explore::rfm::rfm(data_of(&harness)).unwrap();
    assert_eq!(*rfm, engine, "the tab shows the engine's figures");
    harness.get_by_label("Champions");

    // The busiest cell: its count is on screen, and a click makes its segment.
    let (r, f, cell) = (1..=5u8)
        .flat_map(|r| (1..=5u8).map(move |f| (r, f)))
        .map(|(r, f)| (r, f, rfm.grid[usize::from(r - 1)][usize::from(f - 1)].clone()))
        .max_by_key(|(.., c)| c.count)
        .unwrap();
    assert!(cell.count > 0);
    click_until_segments(&mut harness, &format!("R {r} · F {f}"));
    let (rule, count) = settled_draft(&mut harness);
    assert_eq!(rule, kitle::engine::segment::to_text(&kitle::engine::explore::rfm::cell_rule(r, f)));
    assert_eq!(count, cell.count, "the segment finds exactly the cell's customers");

    // A group: the same.
    click_tab(&mut harness, "Explore");
    harness.state_mut().tab_mut::<SegmentsTab>().unwrap().editor = None;
    let champions = rfm.groups.iter().find(|g| g.name == "champions").unwrap().figures.count;
    click_until_segments(&mut harness, "Champions");
    let (rule, count) = settled_draft(&mut harness);
    assert_eq!(rule, "rfm_group = \"champions\"");
    assert_eq!(count, champions);
}

#[test]
fn crosstab_cells_and_predicted_value_are_shown() {
    let mut harness = app_harness_sized(Lang::En, [1400.0, 1000.0]);
    harness.run_steps(1);
    open_demo(&mut harness);
    click_tab(&mut harness, "Explore");
    harness.get_by_label("Cross-tab").click();
    harness.run_steps(2);
    assert_eq!(explore(harness.state()).view, ExploreView::Crosstab);
    run_until(&mut harness, "the cross-tab", |app| explore(app).crosstab().is_some());
    let tab = explore(harness.state());
    let table = tab.crosstab().unwrap().clone();
    let engine =
        kitle::engine::explore::crosstab::crosstab(data_of(&harness), &tab.rows, &tab.cols, tab.measure).unwrap();
    assert_eq!(*table, engine);
    let (ri, ci) = (0, 0);
    let cell = table.cells[ri][ci].clone();
    assert_eq!(tab.rows, "rfm_group", "rows start as the RFM groups, shown by name");
    let row = kitle::i18n::rfm_group_label(Lang::En, &table.rows[ri]);
    click_until_segments(&mut harness, &format!("{row} × {}", table.cols[ci]));
    let (rule, count) = settled_draft(&mut harness);
    assert_eq!(rule, kitle::engine::segment::to_text(&cell.rule));
    assert_eq!(count, cell.count);

    // Predicted value: the fit's numbers and the holdout check, from the engine.
    click_tab(&mut harness, "Explore");
    harness.get_by_label("Predicted value").click();
    harness.run_steps(2);
    run_until(&mut harness, "the fits", |app| explore(app).prediction().is_some());
    let view = explore(harness.state()).prediction().unwrap().clone();
    let prediction = view.prediction.as_ref().expect("the demo's orders fit");
    harness.get_by_label(&kitle::format::count(prediction.repeat_customers, Lang::En));
    let holdout = view.holdout.as_ref().unwrap().as_ref().expect("a holdout check");
    assert!(holdout.actual_total > 0.0 && holdout.predicted_total > 0.0);
    harness.get_by_label_contains("Fitted on orders up to");
    // The trust panel: ten tenths from the engine, the verdict in words and the minimums.
    assert_eq!(holdout.deciles.len(), 10);
    harness.get_by_label("Predicted against actual, by tenth of customers");
    let verdict = kitle::i18n::t(Lang::En, kitle::app::tabs::explore::predict_view::verdict_key(holdout.verdict));
    assert!(harness.get_all_by_label(verdict).count() >= 2, "in the summary and the panel: {verdict}");
    harness.get_by_label_contains("To judge a fit Kitle needs at least 500 buyers and 180 days");
    let top = &holdout.deciles[0];
    harness.get_by_label(&kitle::format::number(top.predicted, 2, Lang::En));
    // Worth winning back: the list, and its segment.
    assert!(!view.win_back.is_empty());
    harness.get_by_label(&view.win_back[0].who);
    click_until_segments(&mut harness, "Open the top 5% as a segment");
    let (rule, count) = settled_draft(&mut harness);
    assert_eq!(rule, "win_back_value in top 5%");
    let values = data_of(&harness).customers.column("win_back_value").unwrap().clone();
    let valued = values.len() - values.null_count();
    assert!(count >= valued.div_ceil(20) && count <= valued.div_ceil(20) + 2, "{count} of {valued}");
    click_tab(&mut harness, "Explore");
    // VIPs slipping away: a ready segment on the predicted fields.
    click_until_segments(&mut harness, "VIPs slipping away");
    let (rule, _) = settled_draft(&mut harness);
    assert_eq!(rule, "p_alive < 0.3 and rfm_m = 5");
}

#[test]
fn a_cluster_and_a_suggestion_are_saved_as_segments_that_find_them() {
    let mut harness = app_harness_sized(Lang::En, [1400.0, 1000.0]);
    harness.run_steps(1);
    open_demo(&mut harness);
    click_tab(&mut harness, "Explore");
    harness.get_by_label("Clusters").click();
    harness.run_steps(2);
    run_until(&mut harness, "the clusters", |app| explore(app).clusters().is_some());
    let found = explore(harness.state()).clusters().unwrap().clone();
    let first = found.clusters[0].clone();
    // Named by its strongest traits, and the rule's reach said in words.
    let name = kitle::engine::explore::clusters::cluster_name(&first, Lang::En);
    assert!(name.ends_with(" customers") && !name.contains("Cluster"), "{name}");
    harness.get_by_label_contains(&format!(
        "This rule finds {} of the cluster's {} customers",
        kitle::format::count(first.rule_hits, Lang::En),
        kitle::format::count(first.count, Lang::En)
    ));
    let before = harness.state().doc.as_ref().unwrap().workspace.segments.len();
    let save_rule = format!("Save as rule ({} customers)", kitle::format::count(first.rule_count, Lang::En));
    harness.get_all_by_label(&save_rule).next().unwrap().click();
    harness.run_steps(3);
    let saved = harness.state().doc.as_ref().unwrap().workspace.segments.clone();
    assert_eq!(saved.len(), before + 1);
    let segment = saved.last().unwrap();
    assert_eq!(segment.rule, kitle::engine::segment::to_text(&first.rule));
    assert_eq!(segment.name, name);
    // The saved segment finds the customers the cluster's rule counted.
    let data = std::sync::Arc::clone(&harness.state().doc.as_ref().unwrap().data);
    let frame = kitle::engine::segment::evaluate::SegmentFrame::new(std::sync::Arc::clone(&data));
    let count_of =
        |rule: &str| frame.stats(&frame.compile(&kitle::engine::segment::parse(rule).unwrap())).unwrap().count;
    assert_eq!(count_of(&segment.rule), first.rule_count);
    // Undo takes it back.
    harness.state_mut().send(Command::Undo);
    harness.run_steps(2);
    assert_eq!(harness.state().doc.as_ref().unwrap().workspace.segments.len(), before);

    // The exact members: a fixed list that holds the card's count, not the rule's.
    let save_exact = format!("Save the exact {} customers (fixed list)", kitle::format::count(first.count, Lang::En));
    harness.get_all_by_label(&save_exact).next().unwrap().click();
    harness.run_steps(3);
    let exact = harness.state().doc.as_ref().unwrap().workspace.segments.last().unwrap().clone();
    assert_eq!(count_of(&exact.rule), first.count);
    assert!(exact.description.starts_with("Fixed list"), "{}", exact.description);
    if first.rule_count != first.count {
        assert_ne!(count_of(&exact.rule), first.rule_count, "the list is the cluster, not the rule");
    }

    // Suggested audiences: the first opens as a draft with its count.
    harness.get_by_label("Suggested audiences").click();
    harness.run_steps(2);
    run_until(&mut harness, "the suggestions", |app| explore(app).suggestions().is_some());
    let best = explore(harness.state()).suggestions().unwrap()[0].clone();
    for _ in 0..5 {
        harness.get_all_by_label("Open as draft").next().unwrap().click();
        harness.run_steps(2);
        if harness.state().prefs.tab == Tab::Segments {
            break;
        }
    }
    let (rule, count) = settled_draft(&mut harness);
    assert_eq!(rule, kitle::engine::segment::to_text(&best.rule));
    assert_eq!(count, best.count);
}

#[test]
fn cohorts_show_the_engines_table_and_a_cell_opens_exactly_its_customers() {
    use kitle::engine::cohorts::{CohortOptions, cohorts};
    let mut harness = app_harness_sized(Lang::En, [1280.0, 1000.0]);
    harness.run_steps(1);
    open_demo(&mut harness);
    // The Dashboard's payback card opens the cohorts.
    run_until_shown(&mut harness, "Open the cohorts");
    harness.get_by_label("Open the cohorts").click();
    harness.run_steps(2);
    assert_eq!((harness.state().prefs.tab, explore(harness.state()).view), (Tab::Explore, ExploreView::Cohorts));
    run_until(&mut harness, "the cohorts", |app| explore(app).cohorts().is_some());
    let shown = explore(harness.state()).cohorts().unwrap().clone();
    let doc = harness.state().doc.as_ref().unwrap();
    let margin = doc.workspace.settings.gross_margin;
    let engine = cohorts(&doc.data, &doc.workspace.segments, &CohortOptions { margin, ..Default::default() }).unwrap();
    assert_eq!((shown.customers, shown.cohorts.len()), (engine.customers, engine.cohorts.len()));
    for (a, b) in shown.cohorts.iter().zip(&engine.cohorts) {
        assert_eq!(a, b, "the view shows the engine's table");
    }
    assert_eq!(*shown, engine);
    assert!(shown.cohorts.len() > 3);
    // A cell one month after a cohort's first: a click makes its segment, as many customers.
    let c = &shown.cohorts[shown.cohorts.len() - 4];
    let month = kitle::format::month(shown.period.days(c.key).0, Lang::En);
    click_until_segments(&mut harness, &format!("{month} · 1"));
    let (rule, count) = settled_draft(&mut harness);
    assert!(rule.contains("order count from"), "{rule}");
    assert_eq!(count, c.cells[1].active, "the segment finds exactly the cell's customers: {rule}");
}

#[test]
fn real_lira_reach_the_dashboard_and_explore_and_say_what_to_load() {
    use kitle::engine::cohorts::index::PriceIndex;
    use kitle::engine::cohorts::real::in_real_lira;
    let mut harness = app_harness_sized(Lang::En, [1280.0, 1000.0]);
    harness.run_steps(1);
    open_demo(&mut harness);
    harness.get_by_label("Real lira").click();
    harness.run_steps(2);
    run_until_shown(&mut harness, "Real lira need a price index.");
    assert!(harness.query_by_label_contains("TP.FG.J0").is_some(), "says where EVDS publishes the index");
    // An index file typed in by path (2% a month from 2020).
    let dir = crate::helpers::scratch().join("ui-real-lira");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("tufe.csv");
    let mut text = String::from("Tarih,TP_FG_J0\n");
    for i in 0..84 {
        text += &format!(
            "{}-{},\"{}\"\n",
            2020 + i / 12,
            i % 12 + 1,
            format!("{:.4}", 100.0 * 1.02f64.powi(i)).replace('.', ",")
        );
    }
    std::fs::write(&file, text).unwrap();
    harness.state_mut().tab_mut::<ExploreTab>().unwrap().view = ExploreView::Cohorts;
    harness.state_mut().send(Command::View(kitle::app::ViewCommand::SetTab(Tab::Explore)));
    harness.run_steps(2);
    harness.get_by_label("Price index, base month and gross margin").click();
    harness.run_steps(2);
    type_into(&mut harness, "Path of the index file", file.to_str().unwrap());
    harness.get_by_label("Load").click();
    harness.run_steps(2);
    run_until(&mut harness, "the real-lira data", |app| {
        let doc = app.doc.as_ref().unwrap();
        app.cache.money_view(doc, app.prefs.real_money).2.is_real()
    });
    let doc = harness.state().doc.as_ref().unwrap();
    let index = PriceIndex::read(&file).unwrap().0;
    assert_eq!(doc.workspace.settings.price_index.as_ref(), Some(&index));
    let real = in_real_lira(&doc.data, &index, doc.workspace.real_base(doc.data.as_of)).unwrap();
    harness.run_steps(2);
    assert!(harness.query_all_by_label_contains("in lira of").count() >= 1, "the base month is named");
    // Explore's cohorts are the real orders'.
    run_until(&mut harness, "real cohorts", |app| {
        explore(app).cohorts().is_some_and(|t| {
            let engine = kitle::engine::cohorts::cohorts(&real, &[], &Default::default()).unwrap();
            t.cohorts[0].cells[0].revenue == engine.cohorts[0].cells[0].revenue
        })
    });
    // Every money figure on the Dashboard follows: the engine's numbers on the real data.
    click_tab(&mut harness, "Dashboard");
    let preset = dashboard(harness.state()).effective_preset(&real);
    let bands = harness.state().doc.as_ref().unwrap().workspace.settings.ltv_bands.clone();
    let expected = kitle::engine::dashboard::dashboard(&real, preset.period(&real), &bands).unwrap();
    // Spend is summed over channels in no fixed order: equal to the cent.
    let same = |a: &kitle::engine::dashboard::Dashboard, b: &kitle::engine::dashboard::Dashboard| {
        let close = |x: Option<f64>, y: Option<f64>| match (x, y) {
            (Some(x), Some(y)) => (x - y).abs() < 0.005,
            (x, y) => x.is_none() && y.is_none(),
        };
        let (h, g) = (&a.headline, &b.headline);
        [(h.total_revenue, g.total_revenue), (h.avg_ltv, g.avg_ltv), (h.aov, g.aov), (h.spend, g.spend), (h.cac, g.cac)]
            .into_iter()
            .all(|(x, y)| close(x, y))
            && a.ltv_bands
                .iter()
                .zip(&b.ltv_bands)
                .all(|(x, y)| x.customers == y.customers && close(x.avg_ltv, y.avg_ltv))
            && a.channels
                .iter()
                .zip(&b.channels)
                .all(|(x, y)| close(Some(x.revenue), Some(y.revenue)) && close(x.cac, y.cac))
    };
    run_until(&mut harness, "the real dashboard", |app| dashboard(app).current().is_some_and(|d| same(d, &expected)));
    let nominal = kitle::engine::dashboard::dashboard(data_of(&harness), preset.period(&real), &bands).unwrap();
    assert!(expected.headline.avg_ltv.unwrap() > nominal.headline.avg_ltv.unwrap() * 1.05, "older lira are worth more");
    // Back to lira as paid.
    harness.get_by_label("As paid").click();
    run_until(&mut harness, "the nominal dashboard", |app| dashboard(app).current().is_some_and(|d| same(d, &nominal)));
}
