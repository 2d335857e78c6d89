//! "Kitle stopped before these changes were saved": recovery files an earlier run
//! left, each with Restore (opens it, still unsaved) and Discard.

use std::path::PathBuf;

use super::{Dialog, DialogContext};
use crate::app::command::CommandSender;
use crate::app::command::FileCommand;
use crate::app::i18n::{Lang, t};
use crate::app::recovery::RecoveryFile;

/// The recovery files an earlier run left.
#[derive(Debug)]
pub struct RestoreDialog {
    pub leftovers: Vec<(PathBuf, RecoveryFile)>,
}

impl RestoreDialog {
    /// The dialog over these files; `None` when there are none.
    pub fn new(leftovers: Vec<(PathBuf, RecoveryFile)>) -> Option<Self> {
        (!leftovers.is_empty()).then_some(Self { leftovers })
    }

    /// Forgets a file (restored or discarded); false when none is left.
    pub fn forget(&mut self, file: &std::path::Path) -> bool {
        self.leftovers.retain(|(f, _)| f != file);
        !self.leftovers.is_empty()
    }
}

impl Dialog for RestoreDialog {
    fn show(&mut self, ctx: &DialogContext<'_>) -> bool {
        restore_window(ctx.egui, &self.leftovers, ctx.lang, ctx.commands);
        !self.leftovers.is_empty()
    }
}

fn restore_window(egui: &egui::Context, leftovers: &[(PathBuf, RecoveryFile)], lang: Lang, commands: &CommandSender) {
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
