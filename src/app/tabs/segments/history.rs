//! Audiences → History: the workspace's export record (every upload file written
//! and every batch sent to or removed from a platform), newest first, read off the
//! UI thread whenever the record file changes.

use std::path::PathBuf;
use std::time::SystemTime;

use super::SegmentsTab;
use crate::app::i18n::{Lang, t};
use crate::app::keyed::Keyed;
use crate::app::tabs::TabContext;
use crate::engine::audience::Platform;
use crate::engine::audience::record::{ExportAction, ExportEvent, ExportRecord, RecordRead};
use crate::format;

/// The record file and its size and time when read (a new export changes both).
type RecordKey = (PathBuf, u64, Option<SystemTime>);

/// The export record as last read.
pub struct ExportHistory {
    read: Keyed<RecordKey, RecordRead>,
}

impl Default for ExportHistory {
    fn default() -> Self {
        Self { read: Keyed::new("export-history") }
    }
}

/// How many events are listed (the newest); `kitle log` lists them all.
const SHOWN: usize = 200;

impl SegmentsTab {
    /// The export record under the audiences; nothing until something was exported.
    pub(super) fn history_ui(&mut self, ui: &mut egui::Ui, ctx: &TabContext<'_>) {
        let lang = ctx.lang;
        let record = match (&ctx.doc.path, &ctx.doc.unsaved_record) {
            (Some(ws), _) => ExportRecord::of_workspace(ws),
            (None, Some(record)) => record.clone(),
            (None, None) => return,
        };
        let Ok(meta) = std::fs::metadata(record.path()) else { return };
        let key = (record.path().to_path_buf(), meta.len(), meta.modified().ok());
        let history = &mut self.history.read;
        history.collect(lang);
        history.ensure(ctx.egui, key, |(path, _, _)| {
            let record = ExportRecord::at(path.clone());
            move |_| record.read().map_err(|e| e.to_string())
        });
        ui.add_space(12.0);
        egui::CollapsingHeader::new(t(lang, "history.heading")).id_salt("export-history").show(ui, |ui| {
            ui.weak(t(lang, "history.hint"));
            if let Some(e) = history.error() {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            let Some(read) = history.latest() else {
                ui.spinner();
                return;
            };
            if read.unreadable > 0 {
                ui.weak(t(lang, "history.unreadable").replace("{0}", &format::count(read.unreadable, lang)));
            }
            if read.entries.len() > SHOWN {
                ui.weak(
                    t(lang, "history.newest")
                        .replace("{0}", &format::count(SHOWN, lang))
                        .replace("{1}", &format::count(read.entries.len(), lang))
                        .replace("{2}", &record.path().display().to_string()),
                );
            }
            egui::Grid::new("export-history-grid").striped(true).num_columns(7).show(ui, |ui| {
                for key in ["history.time", "history.action", "history.where", "history.audience"] {
                    ui.strong(t(lang, key));
                }
                for key in ["history.members", "history.fields", "history.target"] {
                    ui.strong(t(lang, key));
                }
                ui.end_row();
                for event in read.entries.iter().rev().take(SHOWN) {
                    event_row(ui, event, lang);
                }
            });
        });
    }
}

fn event_row(ui: &mut egui::Ui, event: &ExportEvent, lang: Lang) {
    let time = chrono::DateTime::parse_from_rfc3339(&event.time)
        .map_or_else(|_| event.time.clone(), |t| format::stamp(&t.format("%Y-%m-%d %H:%M:%S").to_string(), lang));
    ui.label(time);
    ui.label(t(
        lang,
        match event.action {
            ExportAction::File => "history.file",
            ExportAction::Push => "history.push",
            ExportAction::Remove => "history.remove",
        },
    ));
    let platform = Platform::from_id(&event.destination);
    ui.label(platform.map_or(event.destination.as_str(), |p| crate::app::dialogs::audience::platform_label(lang, p)));
    match (&event.audience, &event.rule) {
        (Some(name), _) => ui.label(name),
        (None, Some(rule)) => ui.label(t(lang, "history.rule")).on_hover_text(rule),
        (None, None) => ui.label("—"),
    };
    ui.label(format::count(event.members, lang));
    let fields: Vec<&str> = event
        .fields
        .iter()
        .map(|f| {
            crate::engine::audience::Identifier::from_id(f)
                .map_or(f.as_str(), |id| crate::app::dialogs::audience::identifier_label(lang, id))
        })
        .collect();
    ui.label(fields.join(", "));
    ui.scope(|ui| {
        ui.set_max_width(260.0);
        ui.add(egui::Label::new(&event.target).truncate()).on_hover_text(&event.target);
    });
    ui.end_row();
}
