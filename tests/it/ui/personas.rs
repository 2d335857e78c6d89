//! The Personas tab: a persona made in the editor, linked to the VIP segment, its
//! fit and evidence, a suggestion applied and undone, saved and reopened.

use egui_kittest::kittest::Queryable;
use kitle::app::FileCommand;

use kitle::app::tabs::personas::PersonasTab;
use kitle::app::{Command, KitleApp};
use kitle::format::Lang;

use super::*;

fn personas(app: &KitleApp) -> &PersonasTab {
    app.tab::<PersonasTab>().unwrap()
}

fn saved_traits(harness: &egui_kittest::Harness<'static, KitleApp>) -> Vec<String> {
    let ws = &harness.state().doc.as_ref().unwrap().workspace;
    ws.personas.iter().find(|p| p.name == "Kadın Kerime").map(|p| p.traits.clone()).unwrap_or_default()
}

#[test]
fn a_persona_is_made_checked_against_vip_improved_undone_saved_and_reopened() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("personas.kitle");
    let mut harness = app_harness_sized(Lang::En, [1400.0, 2000.0]);
    harness.run_steps(1);
    open_demo(&mut harness);
    click_tab(&mut harness, "Personas");
    harness.get_by_label("Open Sadık Selin");
    harness.get_by_label("+ New persona").click();
    harness.run_steps(3);
    let vip = harness.state().doc.as_ref().unwrap().workspace.segments[0].name.clone();
    assert_eq!(personas(harness.state()).segment, vip, "a new persona is checked against the first segment, VIP");

    let name = egui::accesskit::Role::TextInput;
    harness.get_by_role_and_label(name, "Name").focus();
    harness.run_steps(1);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get_by_role_and_label(name, "Name").type_text("Kadın Kerime");
    harness.run_steps(2);
    harness.get_by_label("+ Trait (text form)").click();
    harness.run_steps(2);
    type_into(&mut harness, "Trait 1", "gender = \"Erkek\"");
    harness.get_by_label("+ Trait (text form)").click();
    harness.run_steps(2);
    type_into(&mut harness, "Trait 2", "orders >= 2");
    harness.get_by_label("Save persona").click();
    harness.run_steps(3);
    assert_eq!(saved_traits(&harness), ["gender = \"Erkek\"", "orders >= 2"]);

    run_until(&mut harness, "the fit", |app| {
        let tab = personas(app);
        tab.fit().is_some_and(|f| f.traits.len() == 2) && !tab.fit_is_busy()
    });
    assert_eq!(harness.query_all_by_label_contains("of the segment's members match").count(), 2, "evidence per trait");
    harness.get_by_label("contradicted");
    harness.get_by_label("confirmed");
    // The fit reads each trait as a sentence, and so does the editor beside each
    // box (the text form stays in the boxes).
    assert_eq!(harness.query_all_by_label("Gender is “Erkek”").count(), 2);
    assert_eq!(harness.query_all_by_label("Orders is at least 2").count(), 2);
    let fit = personas(harness.state()).fit().cloned().unwrap();
    assert!(fit.score.is_some());

    // The first suggestion (drop the contradicted trait, or move it) applied, then undone.
    let before = saved_traits(&harness);
    harness.get_by_label("Apply 1").click();
    harness.run_steps(3);
    let persona =
        kitle::engine::persona::Persona { traits: before.clone(), ..kitle::engine::persona::Persona::new("x") };
    assert_eq!(saved_traits(&harness), fit.suggestions[0].apply(&persona).traits, "the suggestion was applied");
    assert_ne!(saved_traits(&harness), before);
    harness.state_mut().send(Command::Undo);
    harness.run_steps(3);
    assert_eq!(saved_traits(&harness), before, "undone");

    harness.state_mut().send(FileCommand::SaveTo(path.clone()));
    harness.run_steps(2);
    harness.state_mut().send(FileCommand::NewWorkspace);
    harness.run_steps(2);
    harness.state_mut().send(FileCommand::Open(path));
    run_until(&mut harness, "the reopen", |app| app.doc.is_some());
    assert_eq!(saved_traits(&harness), before, "the persona is in the workspace file");
    click_tab(&mut harness, "Personas");
    harness.get_by_label("Open Kadın Kerime");

    // Every card shows its persona's fit; a persona is drafted from the segment.
    run_until(&mut harness, "the cards' scores", |app| personas(app).card_score(0).is_some());
    let selin = personas(harness.state()).card_score(0).unwrap();
    assert!(selin >= 80, "{selin}");
    harness.get_by_label_contains(&format!("Fit {selin}"));
    harness.get_by_label("Open Kadın Kerime").click();
    run_until(&mut harness, "the reopened fit", |app| personas(app).fit().is_some() && !personas(app).fit_is_busy());
    let count = harness.state().doc.as_ref().unwrap().workspace.personas.len();
    harness.get_by_label("Draft a persona from this segment").click();
    run_until(&mut harness, "the draft", |app| app.doc.as_ref().unwrap().workspace.personas.len() == count + 1);
    let drafted = harness.state().doc.as_ref().unwrap().workspace.personas.last().unwrap().clone();
    assert!(drafted.name.starts_with("Draft — ") && !drafted.traits.is_empty(), "{drafted:?}");
}
