//! Asks for a path by typing, when the system has no native file dialog.

use std::path::PathBuf;

use super::{Dialog, DialogContext};
use crate::app::command::FileCommand;
use crate::app::i18n::t;

/// What a typed path is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathPurpose {
    Open,
    SaveAs,
}

/// A path typed by hand, for opening or saving.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathPrompt {
    pub purpose: PathPurpose,
    pub text: String,
}

impl PathPrompt {
    pub fn new(purpose: PathPurpose) -> Self {
        Self { purpose, text: String::new() }
    }
}

impl Dialog for PathPrompt {
    /// Closes once a path is given (sending the command to open or save there) or
    /// the window is closed.
    fn show(&mut self, ctx: &DialogContext<'_>) -> bool {
        let (lang, text) = (ctx.lang, &mut self.text);
        let mut open = true;
        let mut done = false;
        let title = if self.purpose == PathPurpose::Open { "menu.open" } else { "menu.save_as" };
        egui::Window::new(t(lang, title)).id(egui::Id::unique("path-prompt")).open(&mut open).show(ctx.egui, |ui| {
            ui.horizontal(|ui| {
                let label = ui.label(t(lang, "import.path"));
                let edit = ui.add(egui::TextEdit::singleline(text).desired_width(360.0)).labelled_by(label.id);
                let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if ui.button(t(lang, "prompt.ok")).clicked() || enter {
                    done = true;
                }
            });
        });
        let path = PathBuf::from(self.text.trim());
        if done && !self.text.trim().is_empty() {
            ctx.commands.send(match self.purpose {
                PathPurpose::Open => FileCommand::Open(path),
                PathPurpose::SaveAs => FileCommand::SaveTo(path),
            });
            return false;
        }
        open
    }
}
