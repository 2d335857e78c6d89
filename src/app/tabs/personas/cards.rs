//! The persona cards: initials in a colour, name, quote, traits as sentences, the
//! linked segment with its fit; new, duplicate, delete and "draft from a segment".

use super::PersonasTab;
use crate::app::command::Command;
use crate::app::i18n::t;
use crate::app::tabs::TabContext;
use crate::app::widgets::theme;
use crate::engine::edit::Edit;
use crate::engine::persona::Persona;

/// A persona's initials ("Sadık Selin" → "SS").
pub fn initials(name: &str) -> String {
    name.split_whitespace().filter_map(|w| w.chars().next()).take(2).flat_map(char::to_uppercase).collect()
}

pub fn cards_ui(tab: &mut PersonasTab, ui: &mut egui::Ui, ctx: &TabContext<'_>) {
    let lang = ctx.lang;
    let personas = &ctx.doc.workspace.personas;
    ui.horizontal(|ui| {
        ui.heading(t(lang, "tab.personas"));
        if ui.button(t(lang, "persona.new")).clicked() {
            let mut persona = Persona::new(t(lang, "persona.new_name"));
            persona.segments = ctx.doc.workspace.segments.first().map(|s| vec![s.name.clone()]).unwrap_or_default();
            tab.selected = Some(personas.len());
            ctx.send(Command::Edit(Edit::InsertPersona { index: personas.len(), persona: Box::new(persona) }));
        }
    });
    if personas.is_empty() {
        ui.weak(t(lang, "persona.none"));
    }
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        for (index, persona) in personas.iter().enumerate() {
            card_ui(tab, ui, ctx, index, persona);
        }
    });
}

fn card_ui(tab: &mut PersonasTab, ui: &mut egui::Ui, ctx: &TabContext<'_>, index: usize, persona: &Persona) {
    let lang = ctx.lang;
    let selected = tab.selected == Some(index);
    let frame = egui::Frame::group(ui.style()).fill(if selected {
        ui.visuals().selection.bg_fill.gamma_multiply(0.3)
    } else {
        ui.visuals().panel_fill
    });
    frame.show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal(|ui| {
            let colour = theme::series_colour(
                persona.name.bytes().fold(7usize, |h, b| h.wrapping_mul(31).wrapping_add(usize::from(b))),
            );
            let (rect, _) = ui.allocate_exact_size(egui::vec2(36.0, 36.0), egui::Sense::hover());
            ui.painter().circle_filled(rect.center(), 18.0, colour);
            ui.painter().text(
                rect.center(),
                egui::Align2::CENTER_CENTER,
                initials(&persona.name),
                egui::FontId::proportional(15.0),
                ui.visuals().strong_text_color(),
            );
            ui.vertical(|ui| {
                ui.strong(&persona.name);
                if !persona.quote.is_empty() {
                    ui.weak(format!("“{}”", persona.quote));
                }
            });
        });
        if !persona.traits.is_empty() {
            let traits: Vec<String> = persona.traits.iter().map(|tr| ctx.doc.sentence_of(tr, lang)).collect();
            ui.label(traits.join(" · "));
        }
        if let Some(segment) = persona.segments.first() {
            let score = tab.card_score(index).map(|s| format!(" — {} {s}", t(lang, "persona.fit")));
            ui.weak(format!("{} {segment}{}", t(lang, "persona.linked"), score.unwrap_or_default()));
        }
        ui.horizontal(|ui| {
            let name = |key: &'static str| format!("{} {}", t(lang, key), persona.name);
            if ui.small_button(t(lang, "persona.open")).accessible_name(name("persona.open")).clicked() {
                tab.selected = Some(index);
            }
            if ui.small_button(t(lang, "persona.duplicate")).accessible_name(name("persona.duplicate")).clicked() {
                let mut copy = persona.clone();
                copy.name = format!("{} ({})", persona.name, t(lang, "persona.copy"));
                ctx.send(Command::Edit(Edit::InsertPersona { index: index + 1, persona: Box::new(copy) }));
            }
            if ui.small_button(t(lang, "persona.delete")).accessible_name(name("persona.delete")).clicked() {
                if tab.selected == Some(index) {
                    tab.selected = None;
                }
                ctx.send(Command::Edit(Edit::DeletePersona { index }));
            }
        });
    });
    ui.add_space(4.0);
}
