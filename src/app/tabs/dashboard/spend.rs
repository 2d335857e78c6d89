//! The hand-typed spend editor: channel, month and amount per row. Every change is
//! an undoable edit of the workspace (typing into the table is one undo step).

use crate::app::command::Command;
use crate::app::i18n::t;
use crate::app::tabs::TabContext;
use crate::app::widgets::number_entry::{MONTH, drag_number, typed_entry};
use crate::engine::edit::Edit;
use crate::engine::workspace::ManualSpend;

/// Draws the editor window; returns whether it stays open.
pub fn spend_editor_ui(egui: &egui::Context, ctx: &TabContext<'_>) -> bool {
    let lang = ctx.lang;
    let mut spend = ctx.doc.workspace.manual_spend.clone();
    let mut changed = false;
    let mut open = true;
    egui::Window::new(t(lang, "dash.spend_title")).open(&mut open).default_width(460.0).show(egui, |ui| {
        ui.label(t(lang, "dash.spend_intro"));
        changed |= rows_ui(ui, &mut spend, ctx);
        if ui.button(t(lang, "dash.add_spend")).clicked() {
            let month = spend.last().map_or_else(String::new, |r| r.month.clone());
            spend.push(ManualSpend { channel: String::new(), month, amount: 0.0 });
            changed = true;
        }
        if spend.iter().any(|s| s.entry().is_none()) {
            ui.colored_label(ui.visuals().warn_fg_color, t(lang, "dash.spend_invalid"));
        }
    });
    if changed {
        ctx.send(Command::Edit(Edit::SetManualSpend(spend)));
    }
    open
}

fn rows_ui(ui: &mut egui::Ui, spend: &mut Vec<ManualSpend>, ctx: &TabContext<'_>) -> bool {
    let lang = ctx.lang;
    let mut changed = false;
    let mut remove = None;
    egui::Grid::new("manual-spend").num_columns(4).striped(true).show(ui, |ui| {
        ui.strong(t(lang, "field.channel"));
        ui.strong(t(lang, "dash.month"));
        ui.strong(t(lang, "field.spend"));
        ui.label("");
        ui.end_row();
        for (i, row) in spend.iter_mut().enumerate() {
            changed |= ui
                .add(egui::TextEdit::singleline(&mut row.channel).desired_width(120.0))
                .on_hover_text(t(lang, "field.channel"))
                .changed();
            let name = format!("{} {}", t(lang, "dash.month"), i + 1);
            changed |= ui.horizontal(|ui| typed_entry(ui, &mut row.month, &MONTH, lang, 80.0, &name)).inner;
            let amount = drag_number(&mut row.amount, lang).speed(100.0).range(0.0..=f64::MAX);
            changed |= ui.add(amount).on_hover_text(t(lang, "field.spend")).changed();
            if ui.small_button(t(lang, "import.remove")).clicked() {
                remove = Some(i);
            }
            ui.end_row();
        }
    });
    if let Some(i) = remove {
        spend.remove(i);
        changed = true;
    }
    changed
}
