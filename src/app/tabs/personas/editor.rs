//! The persona editor: name, quote and description; the checkable traits (the
//! segment text form, one per row, with a quick "add a trait" row for any field);
//! the narrative (goals, pain points, motivations, objections), which is shown but
//! never scored; the linked segment; save and revert; "Customers like this persona".

use super::PersonasTab;
use crate::app::command::Command;
use crate::app::command::SegmentCommand;
use crate::app::i18n::t;
use crate::app::tabs::TabContext;
use crate::app::widgets::number_entry::drag_number;
use crate::engine::edit::Edit;
use crate::engine::fields::FieldType;
use crate::engine::persona::Persona;
use crate::engine::segment::{DateUnit, Rule, parse, to_text};

/// The quick-add row's state, kept in egui's memory.
#[derive(Clone, Default)]
struct QuickAdd {
    field: String,
    low: f64,
    high: f64,
    value: String,
}

pub fn editor_ui(tab: &mut PersonasTab, ui: &mut egui::Ui, ctx: &TabContext<'_>) {
    let lang = ctx.lang;
    let (Some(index), Some(working)) = (tab.selected, tab.working.as_mut()) else { return };
    egui::Grid::new("persona-head").num_columns(2).show(ui, |ui| {
        for (key, text) in [("persona.name", &mut working.name), ("persona.quote", &mut working.quote)] {
            let label = ui.label(t(lang, key));
            ui.add(egui::TextEdit::singleline(text).desired_width(420.0)).labelled_by(label.id);
            ui.end_row();
        }
        let label = ui.label(t(lang, "persona.description"));
        ui.add(egui::TextEdit::multiline(&mut working.description).desired_rows(2).desired_width(420.0))
            .labelled_by(label.id);
        ui.end_row();
        ui.label(t(lang, "persona.segment"));
        segment_choice_ui(ui, ctx, working, &mut tab.segment);
        ui.end_row();
    });
    ui.add_space(6.0);
    ui.strong(t(lang, "persona.traits"));
    traits_ui(ui, ctx, working);
    quick_add_ui(ui, ctx, working);
    ui.add_space(6.0);
    ui.strong(t(lang, "persona.narrative"));
    ui.weak(t(lang, "persona.narrative_hint"));
    egui::Grid::new("persona-narrative").num_columns(2).show(ui, |ui| {
        for (key, lines) in [
            ("persona.goals", &mut working.goals),
            ("persona.pain_points", &mut working.pain_points),
            ("persona.motivations", &mut working.motivations),
            ("persona.objections", &mut working.objections),
        ] {
            lines_ui(ui, t(lang, key), lines);
            ui.end_row();
        }
    });
    ui.add_space(6.0);
    let changed = tab.loaded.as_ref() != Some(&*working);
    let mut revert = false;
    ui.horizontal(|ui| {
        if ui.add_enabled(changed, egui::Button::new(t(lang, "persona.save"))).clicked() {
            let mut clean = working.clone();
            for list in [&mut clean.goals, &mut clean.pain_points, &mut clean.motivations, &mut clean.objections] {
                list.retain(|l| !l.trim().is_empty());
            }
            clean.traits.retain(|l| !l.trim().is_empty());
            ctx.send(Command::Edit(Edit::ReplacePersona { index, persona: Box::new(clean) }));
        }
        revert = ui.add_enabled(changed, egui::Button::new(t(lang, "persona.revert"))).clicked();
        // A trait that can't be read is marked beside it; the button waits for it.
        let rule = working.rule().ok().filter(|r| !r.items.is_empty());
        let like_this = ui.add_enabled(rule.is_some(), egui::Button::new(t(lang, "persona.like_this")));
        if like_this.clicked()
            && let Some(rule) = rule
        {
            ctx.send(SegmentCommand::Draft(rule));
        }
    });
    if revert {
        tab.working.clone_from(&tab.loaded);
    }
}

fn segment_choice_ui(ui: &mut egui::Ui, ctx: &TabContext<'_>, working: &mut Persona, chosen: &mut String) {
    let before = chosen.clone();
    egui::ComboBox::from_id_salt("persona-segment").selected_text(chosen.as_str()).width(320.0).show_ui(ui, |ui| {
        for s in &ctx.doc.workspace.segments {
            ui.selectable_value(chosen, s.name.clone(), &s.name);
        }
    });
    // The segment chosen is the persona's (first) link.
    if *chosen != before && !chosen.is_empty() {
        working.segments.retain(|s| s != chosen);
        working.segments.insert(0, chosen.clone());
    }
}

fn traits_ui(ui: &mut egui::Ui, ctx: &TabContext<'_>, working: &mut Persona) {
    let lang = ctx.lang;
    let mut remove = None;
    for (i, text) in working.traits.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            let name = format!("{} {}", t(lang, "persona.trait"), i + 1);
            ui.add(egui::TextEdit::singleline(text).desired_width(220.0)).accessible_name(&name);
            if ui.small_button("✕").accessible_name(format!("{} {}", t(lang, "persona.remove_trait"), i + 1)).clicked()
            {
                remove = Some(i);
            }
            // The trait as a sentence, or why it can't be read, in the reader's words.
            match parse(text) {
                Ok(rule) if !text.trim().is_empty() => {
                    ui.weak(ctx.doc.sentence(&rule, lang));
                }
                Ok(_) => {}
                Err(e) => {
                    ui.colored_label(ui.visuals().error_fg_color, e.text(lang));
                }
            }
        });
    }
    if let Some(i) = remove {
        working.traits.remove(i);
    }
    if ui.small_button(t(lang, "persona.add_empty")).clicked() {
        working.traits.push(String::new());
    }
}

/// "Add a trait": a field, then a range, a value, yes/no or "within the last N days".
fn quick_add_ui(ui: &mut egui::Ui, ctx: &TabContext<'_>, working: &mut Persona) {
    let lang = ctx.lang;
    let id = ui.make_persistent_id("persona-quick-add");
    let mut q: QuickAdd = ui.data_mut(|d| d.get_temp(id)).unwrap_or_default();
    let fields = &ctx.doc.data.fields;
    let mut add = None;
    ui.horizontal_wrapped(|ui| {
        ui.label(t(lang, "persona.add_trait"));
        let shown = if q.field.is_empty() { String::new() } else { crate::i18n::field_label(lang, &q.field) };
        egui::ComboBox::from_id_salt("persona-quick-field").selected_text(shown).show_ui(ui, |ui| {
            for f in fields {
                ui.selectable_value(&mut q.field, f.name.clone(), crate::i18n::field_label(lang, &f.name));
            }
        });
        let Some(info) = fields.iter().find(|f| f.name == q.field) else { return };
        let field = info.name.clone();
        match info.ty {
            FieldType::Number | FieldType::Money | FieldType::Integer => {
                ui.add(drag_number(&mut q.low, lang).speed(1.0)).on_hover_text(t(lang, "persona.low"));
                ui.label("–");
                ui.add(drag_number(&mut q.high, lang).speed(1.0)).on_hover_text(t(lang, "persona.high"));
                if ui.button(t(lang, "persona.add")).clicked() {
                    add = Some(Rule::field(&field).between(q.low.min(q.high), q.high.max(q.low)));
                }
            }
            FieldType::Date => {
                ui.label(t(lang, "persona.within_days"));
                ui.add(drag_number(&mut q.high, lang).speed(1.0).range(1.0..=3650.0));
                if ui.button(t(lang, "persona.add")).clicked() {
                    // The drag value is held to 1–3650 days.
                    let days = q.high.round().clamp(1.0, 3650.0) as u32;
                    add = Some(Rule::field(&field).within_last(days, DateUnit::Days));
                }
            }
            FieldType::Bool => {
                for (yes, key) in [(true, "persona.yes"), (false, "persona.no")] {
                    if ui.button(t(lang, key)).clicked() {
                        let on_field = Rule::field(&field);
                        add = Some(if yes { on_field.is_yes() } else { on_field.is_no() });
                    }
                }
            }
            FieldType::Category | FieldType::Text | FieldType::List => {
                let values = ctx.cache.values(ctx.doc, &field);
                egui::ComboBox::from_id_salt("persona-quick-value").selected_text(q.value.as_str()).show_ui(ui, |ui| {
                    for (v, n) in values.iter().take(60) {
                        ui.selectable_value(&mut q.value, v.clone(), format!("{v} ({n})"));
                    }
                });
                if ui.add_enabled(!q.value.is_empty(), egui::Button::new(t(lang, "persona.add"))).clicked() {
                    let on_field = Rule::field(&field);
                    let value = q.value.as_str();
                    add = Some(if info.ty == FieldType::List { on_field.contains(value) } else { on_field.eq(value) });
                }
            }
        }
    });
    if let Some(rule) = add {
        working.traits.push(to_text(&rule));
    }
    ui.data_mut(|d| d.insert_temp(id, q));
}

/// A narrative list as one line per item.
fn lines_ui(ui: &mut egui::Ui, label: &str, lines: &mut Vec<String>) {
    let mut text = lines.join("\n");
    let l = ui.label(label);
    if ui.add(egui::TextEdit::multiline(&mut text).desired_rows(2).desired_width(420.0)).labelled_by(l.id).changed() {
        // Empty lines stay while typing; saving drops them.
        *lines = if text.is_empty() { Vec::new() } else { text.split('\n').map(str::to_owned).collect() };
    }
}
