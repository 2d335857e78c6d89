//! The Smart Segment Builder: name and description, the rule as rows (field ▼,
//! operator ▼, value) with AND/OR between them, the editable text form, the live
//! results (count, average LTV, the step-by-step funnel, rows left out) and the
//! members, with save, export and the remarketing button.

use std::sync::Arc;

use polars::prelude::IdxSize;

use super::rows::{RowCtx, group_ui};
use crate::app::command::Command;
use crate::app::command::{AudienceCommand, SegmentCommand};
use crate::app::i18n::{Lang, field_label, t};
use crate::app::tabs::TabContext;
use crate::app::widgets::customer_table::{CustomerTable, display_order};
use crate::app::widgets::why::WhyPanel;
use crate::engine::edit::Edit;
use crate::engine::segment::evaluate::{InvalidKind, SegmentResult};
use crate::engine::segment::{Group, ParseError, parse, rename_references, to_text};
use crate::engine::workspace::Segment;
use crate::format;

/// The segment being built or edited.
pub struct Editor {
    /// The saved segment being edited; `None` for a new one.
    pub index: Option<usize>,
    pub name: String,
    pub description: String,
    pub rule: Group,
    /// The text form as the user is typing it.
    pub text: String,
    pub text_error: Option<ParseError>,
    /// The member clicked in the members table (a row of the customer table).
    pub selected_member: Option<usize>,
    /// Why the selected member is in the segment.
    why: WhyPanel,
}

impl Editor {
    pub fn new(index: Option<usize>, name: String, description: String, rule: Group) -> Self {
        let text = to_text(&rule);
        Self { index, name, description, rule, text, text_error: None, selected_member: None, why: WhyPanel::default() }
    }

    fn rule_changed(&mut self) {
        self.text = to_text(&self.rule);
        self.text_error = None;
    }

    /// Draws the builder; returns false when it was closed.
    pub fn ui(&mut self, ui: &mut egui::Ui, ctx: &TabContext<'_>) -> bool {
        let lang = ctx.lang;
        let mut open = true;
        ui.horizontal(|ui| {
            if ui.button(t(lang, "segments.back")).clicked() {
                open = false;
            }
            ui.heading(t(lang, "segments.builder"));
        });
        ui.horizontal(|ui| {
            let l = ui.label(t(lang, "segments.name"));
            ui.add(egui::TextEdit::singleline(&mut self.name).desired_width(280.0)).labelled_by(l.id);
            let l = ui.label(t(lang, "segments.description"));
            ui.add(egui::TextEdit::singleline(&mut self.description).desired_width(360.0)).labelled_by(l.id);
        });
        ui.separator();
        let result = ctx.cache.segment_result();
        let invalid: Vec<Vec<usize>> =
            result.as_ref().map(|r| r.evaluation.invalid.iter().map(|i| i.path.clone()).collect()).unwrap_or_default();
        egui::ScrollArea::vertical().id_salt("builder-scroll").max_height(ui.available_height() * 0.5).show(ui, |ui| {
            self.rule_ui(ui, ctx, &invalid);
        });
        ui.separator();
        results_ui(ui, result.as_deref(), ctx);
        if self.actions_ui(ui, result.as_ref(), ctx) {
            open = false;
        }
        if let Some(result) = result {
            self.member_why_ui(ui, ctx, &result);
            egui::ScrollArea::horizontal().id_salt("members-hscroll").show(ui, |ui| {
                let fields = display_order(&ctx.doc.data.fields).into_iter().take(8).collect();
                let clicks = CustomerTable {
                    id: "segment-members",
                    data: &ctx.doc.data,
                    fields,
                    rows: Some(&result.members),
                    currency: ctx.currency(),
                    lang,
                    sort: None,
                    selection: Some(self.selected_member),
                }
                .ui(ui);
                if let Some(row) = clicks.row {
                    self.selected_member = if self.selected_member == Some(row) { None } else { Some(row) };
                }
            });
        }
        open
    }

    /// Why the clicked member is here: the rule marked for them (or a hint to click one).
    fn member_why_ui(&mut self, ui: &mut egui::Ui, ctx: &TabContext<'_>, result: &SegmentResult) {
        let lang = ctx.lang;
        let member = self.selected_member.filter(|r| result.members.binary_search(&(*r as IdxSize)).is_ok());
        let Some(row) = member else {
            ui.weak(t(lang, "why.click_member"));
            return;
        };
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.strong(t(lang, "why.member_title"));
                if ui.small_button("✕").accessible_name(t(lang, "why.close")).clicked() {
                    self.selected_member = None;
                }
            });
            self.why.ui(ui, ctx, row, &to_text(&self.rule));
        });
    }

    /// The rows and the text form below them.
    fn rule_ui(&mut self, ui: &mut egui::Ui, ctx: &TabContext<'_>, invalid: &[Vec<usize>]) {
        let lang = ctx.lang;
        ui.label(egui::RichText::new(t(lang, "segments.intro")).strong());
        let mut rows = RowCtx { doc: ctx.doc, cache: ctx.cache, lang, invalid };
        if group_ui(ui, &mut self.rule, &mut rows, &mut Vec::new()) {
            self.rule_changed();
        }
        ui.add_space(6.0);
        ui.label(egui::RichText::new(t(lang, "segments.text_form")).weak());
        let response = ui
            .add(egui::TextEdit::multiline(&mut self.text).code_editor().desired_rows(2).desired_width(f32::INFINITY))
            .accessible_name(t(lang, "segments.text_form"));
        if response.changed() {
            match parse(&self.text) {
                Ok(rule) => {
                    self.rule = rule;
                    self.text_error = None;
                }
                Err(e) => self.text_error = Some(e),
            }
        }
        if let Some(e) = &self.text_error {
            ui.colored_label(
                ui.visuals().error_fg_color,
                format!("{} {}", t(lang, "segments.text_error"), e.text(lang)),
            );
        }
    }

    /// Save, remarketing and export buttons; returns true when saved (closes).
    fn actions_ui(&self, ui: &mut egui::Ui, result: Option<&Arc<SegmentResult>>, ctx: &TabContext<'_>) -> bool {
        let lang = ctx.lang;
        let mut saved = false;
        ui.horizontal(|ui| {
            if ui.button(egui::RichText::new(t(lang, "segments.save")).strong()).clicked() {
                let segment =
                    Segment::new(self.name.trim().to_owned(), self.description.trim().to_owned(), to_text(&self.rule));
                let segments = &ctx.doc.workspace.segments;
                let edit = match self.index.filter(|i| *i < segments.len()) {
                    Some(index) => {
                        // A renamed segment: rules that refer to it follow (one undo step).
                        let old = &segments[index].name;
                        if *old != segment.name {
                            for (i, other) in segments.iter().enumerate().filter(|(i, _)| *i != index) {
                                if let Some(rule) = rename_references(&other.rule, old, &segment.name) {
                                    let renamed = Segment { rule, ..other.clone() };
                                    ctx.send(Command::Edit(Edit::ReplaceSegment { index: i, segment: renamed }));
                                }
                            }
                        }
                        Edit::ReplaceSegment { index, segment }
                    }
                    None => Edit::InsertSegment { index: segments.len(), segment },
                };
                ctx.send(Command::Edit(edit));
                saved = true;
            }
            if ui.button(t(lang, "segments.remarketing")).clicked() {
                // An audience follows its saved segment; with unsaved edits it is
                // made from the rule on screen instead (no segment).
                let segment = match self.index.and_then(|i| ctx.doc.workspace.segments.get(i)) {
                    Some(s) if crate::engine::segment::parse(&s.rule).as_ref() == Ok(&self.rule) => s.name.clone(),
                    Some(_) => String::new(),
                    None => self.name.trim().to_owned(),
                };
                ctx.send(AudienceCommand::Dialog { segment, rule: to_text(&self.rule) });
            }
            if let Some(result) = result {
                for (label, extension) in [("segments.export_csv", "csv"), ("segments.export_xlsx", "xlsx")] {
                    if ui.button(t(lang, label)).clicked() {
                        let rows = Arc::new(result.members.clone());
                        ctx.send(SegmentCommand::ExportMembers { rows, extension, name: self.name.clone() });
                    }
                }
            }
        });
        saved
    }
}

fn results_ui(ui: &mut egui::Ui, result: Option<&SegmentResult>, ctx: &TabContext<'_>) {
    let lang = ctx.lang;
    ui.horizontal(|ui| {
        ui.label(egui::RichText::new(t(lang, "segments.results")).strong());
        if ctx.cache.segment_busy() {
            ui.spinner();
        }
    });
    if let Some(e) = ctx.cache.segment_error() {
        ui.colored_label(ui.visuals().error_fg_color, e);
    }
    let Some(result) = result else { return };
    let s = &result.evaluation.stats;
    let matching = t(lang, "segments.matching")
        .replace("{}", &format::count(s.count, lang))
        .replace("{%}", &format::percent(s.share, lang));
    ui.label(egui::RichText::new(matching).size(18.0));
    let money = |v: Option<f64>| format::money_or_dash(v, ctx.currency(), lang);
    ui.label(egui::RichText::new(format!("{}: {}", t(lang, "segments.avg_ltv"), money(s.avg_ltv))).size(18.0).strong());
    let mut figures = format!(
        "{}: {} · {}: {}",
        t(lang, "dash.revenue"),
        money(s.total_revenue),
        t(lang, "segments.avg_orders"),
        s.avg_orders.map_or_else(|| "—".to_owned(), |v| format::number(v, 1, lang))
    );
    if let Some(predicted) = s.predicted_revenue_12m {
        figures += &format!(" · {}: {}", t(lang, "segments.predicted_12m"), money(Some(predicted)));
    }
    ui.label(figures);
    for model in &result.evaluation.lookalikes {
        let fields: Vec<String> = model.weights.iter().map(|w| field_label(lang, &w.field)).collect();
        let auc = model.auc.map_or_else(|| "—".to_owned(), |a| format::number(a, 2, lang));
        let text = t(lang, "segments.lookalike_model")
            .replace("{0}", &model.seed)
            .replace("{1}", &format::count(model.seed_members, lang))
            .replace("{2}", &auc)
            .replace("{3}", &fields.join(", "));
        ui.add(egui::Label::new(egui::RichText::new(text).weak()).wrap());
    }
    invalid_ui(ui, result, lang);
    if result.evaluation.funnel.len() > 1 {
        egui::CollapsingHeader::new(t(lang, "segments.funnel")).id_salt("funnel").default_open(false).show(ui, |ui| {
            egui::Grid::new("funnel-grid").striped(true).show(ui, |ui| {
                ui.strong(t(lang, "segments.after_row"));
                ui.strong(t(lang, "segments.count"));
                ui.strong(t(lang, "segments.avg_ltv"));
                ui.end_row();
                for (i, step) in result.evaluation.funnel.iter().enumerate() {
                    ui.label((i + 1).to_string());
                    ui.label(format::count(step.count, lang));
                    ui.label(money(step.avg_ltv));
                    ui.end_row();
                }
            });
        });
    }
}

/// The rows left out of the count, and why.
fn invalid_ui(ui: &mut egui::Ui, result: &SegmentResult, lang: Lang) {
    let invalid = &result.evaluation.invalid;
    if invalid.is_empty() {
        return;
    }
    let reasons: Vec<String> = invalid
        .iter()
        .map(|i| {
            let row = i.path.iter().map(|p| (p + 1).to_string()).collect::<Vec<_>>().join(".");
            format!("{row}: {}", invalid_text(lang, &i.kind))
        })
        .collect();
    let text =
        format!("{} {}", t(lang, "segments.ignored").replace("{}", &invalid.len().to_string()), reasons.join("; "));
    ui.colored_label(ui.visuals().warn_fg_color, text);
}

fn invalid_text(lang: Lang, kind: &InvalidKind) -> &'static str {
    t(
        lang,
        match kind {
            InvalidKind::UnknownField => "invalid.unknown_field",
            InvalidKind::OperatorDoesNotFit => "invalid.operator",
            InvalidKind::WrongValueCount | InvalidKind::MissingValue => "invalid.missing",
            InvalidKind::NotANumber => "invalid.number",
            InvalidKind::NotADate => "invalid.date",
            InvalidKind::NotAWholeNumber => "invalid.whole",
            InvalidKind::NotAPercentage => "invalid.percent",
            InvalidKind::UnknownSegment => "invalid.segment",
            InvalidKind::SegmentCycle => "invalid.cycle",
            InvalidKind::NoLookalike => "invalid.lookalike",
        },
    )
}
