//! A saved segment's membership over time: its size at each import (a line
//! chart), and who entered and who left at the last one, listed and exportable.
//! Read in the background from the workspace's private member records.

use std::sync::Arc;

use egui_plot::{Line, PlotPoints, Points};

use super::SegmentsTab;
use crate::app::command::SegmentCommand;
use crate::app::i18n::t;
use crate::app::keyed::Keyed;
use crate::app::tabs::TabContext;
use crate::app::widgets::customer_table::{CustomerTable, display_order};
use crate::app::widgets::plots::{category_label, count_label, fixed_plot};
use crate::app::widgets::theme::series_colour;
use crate::engine::segment::membership::{MemberChanges, member_changes, members_dir_for};
use crate::format;

/// The open changes window: which segment, and its changes once read.
pub struct ChangesWindow {
    pub segment: String,
    pub view: Keyed<(u64, String), MemberChanges>,
}

impl ChangesWindow {
    pub fn new(segment: String) -> Self {
        Self { segment, view: Keyed::new("segment-changes") }
    }
}

impl SegmentsTab {
    pub(super) fn changes_ui(&mut self, egui: &egui::Context, ctx: &TabContext<'_>) {
        let lang = ctx.lang;
        let Some(window) = &mut self.changes else { return };
        let key = (ctx.doc.version, window.segment.clone());
        window.view.collect(lang);
        if let Some(path) = ctx.doc.path.as_deref() {
            let (dir, data) = (members_dir_for(path), Arc::clone(&ctx.doc.data));
            window.view.ensure(egui, key.clone(), move |(_, segment)| {
                let segment = segment.clone();
                move |_| member_changes(&dir, &segment, &data).map_err(|e| e.to_string())
            });
        }
        let mut open = true;
        let title = t(lang, "changes.title").replace("{0}", &window.segment);
        egui::Window::new(title)
            .id(egui::Id::unique("segment-changes"))
            .open(&mut open)
            .default_width(760.0)
            .vscroll(true)
            .show(egui, |ui| {
                if ctx.doc.path.is_none() {
                    ui.weak(t(lang, "changes.unsaved"));
                    return;
                }
                if let Some(e) = window.view.error() {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                    return;
                }
                match window.view.get(&key).cloned() {
                    Some(changes) => changes_view_ui(ui, &window.segment, &changes, ctx),
                    None => {
                        ui.spinner();
                    }
                }
            });
        if !open {
            self.changes = None;
        }
    }
}

fn changes_view_ui(ui: &mut egui::Ui, segment: &str, changes: &MemberChanges, ctx: &TabContext<'_>) {
    let lang = ctx.lang;
    let history = &changes.changes.history;
    ui.strong(t(lang, "changes.size"));
    let points: Vec<[f64; 2]> = history.iter().enumerate().map(|(i, s)| [i as f64, s.size as f64]).collect();
    let dates: Vec<String> =
        history.iter().map(|s| format::stamp(&s.at.chars().take(10).collect::<String>(), lang)).collect();
    fixed_plot("segment-size-plot")
        .height(160.0)
        .x_axis_formatter(move |mark, _| category_label(&dates, mark.value))
        .y_axis_formatter(move |mark, _| count_label(mark.value, lang))
        .show(ui, |plot| {
            plot.line(Line::new(t(lang, "changes.size"), PlotPoints::from(points.clone())).color(series_colour(0)));
            plot.points(
                Points::new(t(lang, "changes.size"), PlotPoints::from(points)).radius(3.0).color(series_colour(0)),
            );
        });
    if history.len() < 2 {
        ui.weak(t(lang, "changes.first"));
        return;
    }
    if let Some(last) = history.last() {
        ui.label(
            t(lang, "changes.since")
                .replace("{0}", &format::stamp(&last.at, lang))
                .replace("{1}", &format::count(changes.changes.entered.len(), lang))
                .replace("{2}", &format::count(changes.changes.left.len(), lang)),
        );
    }
    let gone = changes.changes.left.len().saturating_sub(changes.left_rows.len());
    // One list above the other: side by side, two tables of five columns do not
    // fit and were drawn over each other.
    {
        let lists = [
            ("changes.entered", "changes.export_entered", "segment-entered", &changes.entered_rows, 0),
            ("changes.left", "changes.export_left", "segment-left", &changes.left_rows, gone),
        ];
        for (title, export, id, rows, gone) in lists {
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                ui.strong(t(lang, title).replace("{}", &format::count(rows.len() + gone, lang)));
                let button = ui.add_enabled(!rows.is_empty(), egui::Button::new(t(lang, export)).small());
                if button.clicked() {
                    let name = format!("{segment} - {}", t(lang, title).replace(" ({})", ""));
                    ctx.send(SegmentCommand::ExportMembers { rows: Arc::new(rows.clone()), extension: "csv", name });
                }
            });
            if gone > 0 {
                ui.weak(t(lang, "changes.gone").replace("{}", &format::count(gone, lang)));
            }
            ui.push_id(id, |ui| {
                ui.set_max_height(220.0);
                CustomerTable {
                    id,
                    data: &ctx.doc.data,
                    fields: display_order(&ctx.doc.data.fields).into_iter().take(5).collect(),
                    rows: Some(rows),
                    currency: ctx.currency(),
                    lang,
                    sort: None,
                    selection: None,
                }
                .ui(ui);
            });
        }
    }
}
