//! The start screen shown when no workspace is open.

use super::KitleApp;
use super::i18n::{Lang, t};
use crate::app::command::{FileCommand, StoreCommand};

pub fn start_ui(app: &mut KitleApp, ui: &mut egui::Ui, lang: Lang) {
    ui.vertical_centered(|ui| {
        ui.add_space(48.0);
        ui.heading(egui::RichText::new(t(lang, "start.title")).size(28.0));
        ui.add_space(8.0);
        ui.label(t(lang, "start.subtitle"));
        ui.add_space(24.0);
        let size = egui::vec2(280.0, 36.0);
        if ui.add_sized(size, egui::Button::new(t(lang, "start.demo"))).clicked() {
            app.send(FileCommand::OpenDemo);
        }
        if ui.add_sized(size, egui::Button::new(t(lang, "start.open"))).clicked() {
            app.send(FileCommand::OpenDialog);
        }
        if ui.add_sized(size, egui::Button::new(t(lang, "start.import"))).clicked() {
            app.send(FileCommand::ImportDialog(None));
        }
        if ui.add_sized(size, egui::Button::new(t(lang, "start.connect"))).clicked() {
            app.send(StoreCommand::ConnectDialog);
        }
        ui.add_space(8.0);
        ui.weak(t(lang, "start.drop"));
        ui.add_space(24.0);
        ui.heading(t(lang, "start.recent"));
        let recent = app.prefs.recent_names();
        if recent.is_empty() {
            ui.weak(t(lang, "start.no_recent"));
        }
        let mut open = None;
        for (path, name) in recent {
            if ui.link(name).on_hover_text(path.display().to_string()).clicked() {
                open = Some(path);
            }
        }
        if let Some(path) = open {
            app.send(FileCommand::Open(path));
        }
    });
}
