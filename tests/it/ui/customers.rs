//! The customer list: sorting, searching, details.

use egui_kittest::kittest::Queryable;
use kitle::app::KitleApp;
use kitle::format::Lang;

use super::*;

#[test]
fn customer_list_sorts_and_searches() {
    let mut harness = app_harness(Lang::En);
    harness.run_steps(1);
    open_demo(&mut harness);
    click_tab(&mut harness, "Customers");

    // Sort by LTV, highest first: click the header twice.
    harness.get_by_label("LTV").click();
    let settled = |app: &KitleApp| app.doc.as_ref().is_some_and(|d| customers(app).settled(d.version));
    run_until(&mut harness, "the sort", |app| customers(app).sort.is_some() && settled(app));
    harness.get_by_label("LTV ▲").click();
    run_until(&mut harness, "the descending sort", |app| {
        customers(app).sort.as_ref().is_some_and(|s| s.descending) && settled(app)
    });
    let app = harness.state();
    let data = &app.doc.as_ref().unwrap().data;
    let ltv = data.customers.column("ltv").unwrap().f64().unwrap().clone();
    let top = customers(app).row_at(0).unwrap();
    assert_eq!(ltv.get(top), ltv.max(), "the first row has the highest LTV");
    let top_text = kitle::format::money(ltv.max().unwrap(), "TRY", Lang::En);
    harness.get_by_label(&top_text);

    // Search: only customers in İzmir (typed lowercase) remain.
    let city =
        data.customers.column("city").unwrap().cast(&polars::prelude::DataType::String).unwrap().str().unwrap().clone();
    let in_izmir = city.iter().filter(|c| *c == Some("İzmir")).count();
    harness.get_by_label("Search").click();
    harness.get_by_label("Search").type_text("izmir");
    run_until(&mut harness, "the search", |app| customers(app).query == "izmir" && settled(app));
    harness.get_by_label(&format!("{in_izmir} of 3,000 shown"));

    // Clicking a row shows that customer's details and orders.
    let first = customers(harness.state()).row_at(0).unwrap();
    let id = text(data_of(&harness), "customer_id", first).unwrap();
    harness.get_by_label(&id).click();
    harness.run_steps(3);
    assert_eq!(customers(harness.state()).selected, Some(first));
    harness.get_by_label("Customer details");
    harness.get_by_label("Net total");
}

#[test]
fn the_details_panel_says_why_a_customer_is_in_a_segment() {
    let mut harness = app_harness_sized(Lang::En, [1400.0, 1000.0]);
    harness.run_steps(1);
    open_demo(&mut harness);
    click_tab(&mut harness, "Customers");
    run_until(&mut harness, "the table", |app| customers(app).row_at(0).is_some());
    let first = customers(harness.state()).row_at(0).unwrap();
    let id = text(data_of(&harness), "customer_id", first).unwrap();
    harness.get_by_label(&id).click();
    harness.run_steps(3);
    harness.get_by_label("Why in a segment?");
    let segment = harness.state().doc.as_ref().unwrap().workspace.segments[0].clone();
    choose(&mut harness, "Segment to explain", &segment.name);
    harness.run_steps(2);
    // The answer agrees with the segment's members.
    let data = std::sync::Arc::new(data_of(&harness).clone());
    let frame = kitle::engine::segment::evaluate::SegmentFrame::new(data);
    let members = frame.members(&frame.compile(&kitle::engine::segment::parse(&segment.rule).unwrap())).unwrap();
    let member = members.contains(&(first as polars::prelude::IdxSize));
    let verdict = if member { "This customer is in the segment." } else { "This customer is not in the segment." };
    harness.get_by_label(verdict);
    harness.get_all_by_label(if member { "true" } else { "false" }).next().expect("a marked condition");
    // Each condition reads as a sentence, not as the rule's code.
    assert_eq!(segment.rule, "ltv in top 10%", "the demo's VIP rule");
    harness.get_all_by_label_contains("LTV is in the top 10%").next().expect("the condition as a sentence");
    // Today's line for the top 10%, in money.
    harness.get_all_by_label_contains("today's line: ≥ ₺").next().expect("the line the top 10% starts at");
    assert!(harness.query_all_by_label_contains("ltv in top").next().is_none(), "no rule code on screen");
}
