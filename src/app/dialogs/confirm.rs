//! "This workspace has unsaved changes: save them first?"

use super::{Dialog, DialogContext};
use crate::app::command::{Command, FileCommand, ViewCommand};
use crate::app::i18n::{Lang, t};

/// The user's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Save,
    Discard,
    Cancel,
}

/// Asks before a command that would drop unsaved changes, then carries it out
/// (after saving, or discarding) or not at all.
#[derive(Debug)]
pub struct ConfirmDialog {
    pending: Option<Command>,
}

impl ConfirmDialog {
    /// Asks about `pending` (opening a file, a new workspace, quitting …).
    pub fn new(pending: Command) -> Self {
        Self { pending: Some(pending) }
    }
}

impl Dialog for ConfirmDialog {
    fn show(&mut self, ctx: &DialogContext<'_>) -> bool {
        let Some(answer) = confirm_ui(ctx.egui, ctx.lang) else { return true };
        let Some(pending) = self.pending.take() else { return false };
        match answer {
            Answer::Save => {
                // Saving runs first (asking where when there is no file yet); if it
                // did not happen, the pending command finds the document still unsaved
                // and asks again.
                ctx.commands.send(FileCommand::SaveThen(Box::new(pending)));
            }
            Answer::Discard => ctx.commands.send(ViewCommand::Discarding(Box::new(pending))),
            Answer::Cancel => {}
        }
        false
    }
}

/// Draws the question; `None` until answered.
fn confirm_ui(egui: &egui::Context, lang: Lang) -> Option<Answer> {
    let mut answer = None;
    egui::Modal::new(egui::Id::unique("confirm-unsaved")).show(egui, |ui| {
        ui.heading(t(lang, "confirm.title"));
        ui.label(t(lang, "confirm.body"));
        ui.horizontal(|ui| {
            for (key, choice) in [
                ("confirm.save", Answer::Save),
                ("confirm.discard", Answer::Discard),
                ("confirm.cancel", Answer::Cancel),
            ] {
                if ui.button(t(lang, key)).clicked() {
                    answer = Some(choice);
                }
            }
        });
    });
    answer
}
