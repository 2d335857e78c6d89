//! The fit of the editor's persona against its linked segment: the score and its
//! parts, coverage and joint share; per trait the verdict, the evidence sentence
//! and two bars (the segment's share beside all customers', with the interval);
//! what the persona misses; suggestions with one-click apply (undoable); and a
//! persona drafted from the segment.

use super::PersonasTab;
use crate::app::command::Command;
use crate::app::i18n::t;
use crate::app::tabs::TabContext;
use crate::app::widgets::theme;
use crate::engine::edit::Edit;
use crate::engine::persona::fit::{Fit, TraitFit, Verdict, evidence, missed_sentence};
use crate::engine::persona::suggest::SuggestionKind;
use crate::format;

pub fn fit_ui(tab: &mut PersonasTab, ui: &mut egui::Ui, ctx: &TabContext<'_>) {
    let lang = ctx.lang;
    ui.heading(t(lang, "persona.fit_heading"));
    if tab.segment.is_empty() {
        ui.weak(t(lang, "persona.no_segment"));
        return;
    }
    if let Some(e) = tab.fit.as_ref().and_then(|k| k.error()) {
        ui.colored_label(ui.visuals().error_fg_color, e);
    }
    let Some(fit) = tab.fit().cloned() else {
        ui.spinner();
        return;
    };
    if tab.fit_busy() {
        ui.spinner();
    }
    summary_ui(ui, ctx, &fit);
    // Cells of a grid do not wrap by themselves: the sentence and the evidence get
    // widths that fit the panel.
    let sentence_width = 200.0;
    let evidence_width = (ui.available_width() - sentence_width - 140.0).max(260.0);
    egui::Grid::new("persona-traits").num_columns(3).striped(true).show(ui, |ui| {
        for (i, tr) in fit.traits.iter().enumerate() {
            verdict_ui(ui, ctx, tr.verdict);
            ui.vertical(|ui| {
                ui.set_max_width(sentence_width);
                ui.add(egui::Label::new(ctx.doc.sentence_of(&tr.trait_text, lang)).wrap());
            });
            ui.vertical(|ui| {
                ui.set_max_width(evidence_width);
                bars_ui(ui, tr);
                ui.add(egui::Label::new(evidence(tr, lang)).wrap());
                if let Some(Some(bins)) = fit.charts.get(i) {
                    chart_ui(ui, ctx, i, bins, evidence_width.min(520.0));
                }
            });
            ui.end_row();
        }
    });
    if !fit.missed.is_empty() {
        ui.add_space(6.0);
        ui.strong(t(lang, "persona.missed"));
        for m in fit.missed.iter().take(6) {
            ui.label(format!("• {}", missed_sentence(m, lang)));
        }
    }
    suggestions_ui(tab, ui, ctx, &fit);
    ui.add_space(6.0);
    if ui.button(t(lang, "persona.draft")).clicked() {
        draft_from_segment(tab, ctx);
    }
    ui.add_space(6.0);
    if let Some(persona) = tab.working.clone() {
        tab.ai.ui(ui, ctx, &persona, &fit);
    }
}

fn summary_ui(ui: &mut egui::Ui, ctx: &TabContext<'_>, fit: &Fit) {
    let lang = ctx.lang;
    let score = fit.score.map_or_else(|| "—".to_owned(), |s| s.to_string());
    ui.horizontal(|ui| {
        ui.label(egui::RichText::new(format!("{} {score}", t(lang, "persona.fit"))).size(22.0).strong());
        ui.label(
            t(lang, "persona.summary")
                .replace("{0}", &format::count(fit.members, lang))
                .replace("{1}", &format::percent(fit.coverage, lang))
                .replace("{2}", &format::percent(fit.joint_share, lang)),
        );
    });
    match fit.score_parts {
        Some(p) => ui.weak(
            t(lang, "persona.score_parts")
                .replace("{0}", &format::percent(p.agreement, lang))
                .replace("{1}", &format::percent(p.joint, lang))
                .replace("{2}", &format::percent(p.distinctiveness, lang)),
        ),
        None => ui.weak(t(lang, "persona.no_score")),
    };
}

fn verdict_ui(ui: &mut egui::Ui, ctx: &TabContext<'_>, v: Verdict) {
    let (key, colour) = match v {
        Verdict::Confirmed => ("persona.confirmed", theme::GOOD),
        Verdict::Weak => ("persona.weak", ui.visuals().warn_fg_color),
        Verdict::Contradicted => ("persona.contradicted", theme::bad(ui.visuals())),
        Verdict::Unknown => ("persona.unknown", ui.visuals().weak_text_color()),
    };
    ui.colored_label(colour, t(ctx.lang, key));
}

/// The segment's share (with its interval) above all customers' share.
fn bars_ui(ui: &mut egui::Ui, tr: &TraitFit) {
    let (Some(p), Some(base)) = (tr.support, tr.base) else { return };
    let width = 260.0;
    let (rect, _) = ui.allocate_exact_size(egui::vec2(width, 18.0), egui::Sense::hover());
    let painter = ui.painter_at(rect);
    let bar = |row: f32, share: f64, colour| {
        let top = rect.top() + row * 9.0;
        let w = (share.clamp(0.0, 1.0) as f32) * width;
        painter.rect_filled(egui::Rect::from_min_size(egui::pos2(rect.left(), top), egui::vec2(w, 7.0)), 1.0, colour);
    };
    bar(0.0, p, theme::series_colour(0));
    bar(1.0, base, ui.visuals().weak_text_color());
    if let (Some(lo), Some(hi)) = (tr.support_low, tr.support_high) {
        let x = |v: f64| rect.left() + (v.clamp(0.0, 1.0) as f32) * width;
        painter.line_segment(
            [egui::pos2(x(lo), rect.top() + 3.5), egui::pos2(x(hi), rect.top() + 3.5)],
            ui.visuals().widgets.active.fg_stroke,
        );
    }
}

/// The segment's spread over the trait's field beside all customers'; the bins the
/// trait covers are outlined.
fn chart_ui(
    ui: &mut egui::Ui,
    ctx: &TabContext<'_>,
    index: usize,
    bins: &[crate::engine::persona::chart::Bin],
    width: f32,
) {
    use egui_plot::{Bar, BarChart};
    let lang = ctx.lang;
    let outline = egui::Stroke::new(2.0, theme::GOOD);
    let bar = |x: f64, share: f64, colour: egui::Color32, covered: bool| {
        let b = Bar::new(x, share * 100.0).width(0.38).fill(colour);
        if covered { b.stroke(outline) } else { b }
    };
    let segment: Vec<Bar> = bins
        .iter()
        .enumerate()
        .map(|(i, b)| bar(i as f64 - 0.2, b.segment, theme::series_colour(0), b.in_trait))
        .collect();
    let all: Vec<Bar> = bins
        .iter()
        .enumerate()
        .map(|(i, b)| bar(i as f64 + 0.2, b.all, ui.visuals().weak_text_color(), b.in_trait))
        .collect();
    let labels: Vec<String> = bins.iter().map(|b| b.label.clone()).collect();
    crate::app::widgets::plots::fixed_plot(&format!("persona-chart-{index}"))
        .height(120.0)
        .width(width)
        .show_grid([false, true])
        .x_axis_formatter(move |mark, _| crate::app::widgets::plots::category_label(&labels, mark.value))
        .y_axis_formatter(|mark, _| format!("{:.0}%", mark.value))
        .label_formatter(|_| None)
        .show(ui, |plot| {
            plot.bar_chart(BarChart::new(t(lang, "persona.chart_segment"), segment));
            plot.bar_chart(BarChart::new(t(lang, "persona.chart_all"), all));
        });
}

fn suggestions_ui(tab: &mut PersonasTab, ui: &mut egui::Ui, ctx: &TabContext<'_>, fit: &Fit) {
    let lang = ctx.lang;
    let (Some(index), Some(working)) = (tab.selected, tab.working.as_ref()) else { return };
    if fit.suggestions.is_empty() {
        return;
    }
    ui.add_space(6.0);
    ui.strong(t(lang, "persona.suggestions"));
    for (i, s) in fit.suggestions.iter().enumerate() {
        ui.horizontal(|ui| {
            let target =
                s.index.and_then(|i| working.traits.get(i)).map_or_else(String::new, |t| ctx.doc.sentence_of(t, lang));
            let text = match s.kind {
                SuggestionKind::Replace => t(lang, "persona.s_replace").replace("{0}", &target),
                SuggestionKind::Drop => t(lang, "persona.s_drop").replace("{0}", &target),
                SuggestionKind::Add => t(lang, "persona.s_add").to_owned(),
            };
            let said = s.trait_text.as_deref().map_or_else(String::new, |t| ctx.doc.sentence_of(t, lang));
            ui.label(format!("{text} {said}"));
            let name = format!("{} {}", t(lang, "persona.apply"), i + 1);
            if ui.small_button(t(lang, "persona.apply")).accessible_name(name).clicked() {
                ctx.send(Command::Edit(Edit::ReplacePersona { index, persona: Box::new(s.apply(working)) }));
            }
        });
    }
}

/// Drafts "Draft — <segment>" from what sets the segment apart, in the background;
/// the draft is added (undoably) and opened when it is ready.
fn draft_from_segment(tab: &mut PersonasTab, _ctx: &TabContext<'_>) {
    tab.request_draft(tab.segment.clone());
}
