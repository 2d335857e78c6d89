//! "Kitle stopped before these changes were saved": recovery files an earlier run
//! left, each with Restore (opens it, still unsaved) and Discard.

use crate::app::command::FileCommand;
use std::path::PathBuf;

use crate::app::command::CommandSender;
use crate::app::i18n::{Lang, t};
use crate::app::recovery::RecoveryFile;

pub fn restore_window(
    egui: &egui::Context,
    leftovers: &[(PathBuf, RecoveryFile)],
    lang: Lang,
    commands: &CommandSender,
) {
    let window = egui::Window::new(t(lang, "recovery.title")).collapsible(false).resizable(false);
    window.anchor(egui::Align2::CENTER_TOP, [0.0, 80.0]).show(egui, |ui| {
        ui.label(t(lang, "recovery.body"));
        ui.add_space(6.0);
        egui::Grid::new("leftovers").spacing([12.0, 6.0]).show(ui, |ui| {
            for (file, record) in leftovers {
                let name = record
                    .original
                    .as_ref()
                    .map_or_else(|| t(lang, "untitled").to_owned(), |p| p.display().to_string());
                ui.strong(name);
                ui.weak(&record.written);
                if ui.button(t(lang, "recovery.restore")).clicked() {
                    commands.send(FileCommand::Restore(file.clone()));
                }
                if ui.button(t(lang, "recovery.discard")).clicked() {
                    commands.send(FileCommand::DiscardRecovery(file.clone()));
                }
                ui.end_row();
            }
        });
    });
}
