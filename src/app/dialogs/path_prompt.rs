//! Asks for a path by typing, when the system has no native file dialog.

use crate::app::command::FileCommand;
use std::path::PathBuf;

use super::{Dialog, DialogContext};
use crate::app::command::CommandSender;
use crate::app::i18n::{Lang, t};

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
    fn show(&mut self, ctx: &DialogContext<'_>) -> bool {
        let (open, _) =
            path_prompt_ui(ctx.egui, (self.purpose, std::mem::take(&mut self.text)), ctx.lang, ctx.commands);
        match open {
            Some((_, text)) => {
                self.text = text;
                true
            }
            None => false,
        }
    }
}

/// Draws the prompt; returns it again while it stays open, and whether a path was
/// given.
fn path_prompt_ui(
    egui: &egui::Context,
    (purpose, mut text): (PathPurpose, String),
    lang: Lang,
    commands: &CommandSender,
) -> (Option<(PathPurpose, String)>, bool) {
    let mut open = true;
    let mut done = false;
    let title = if purpose == PathPurpose::Open { "menu.open" } else { "menu.save_as" };
    egui::Window::new(t(lang, title)).id(egui::Id::unique("path-prompt")).open(&mut open).show(egui, |ui| {
        ui.horizontal(|ui| {
            let label = ui.label(t(lang, "import.path"));
            let edit = ui.add(egui::TextEdit::singleline(&mut text).desired_width(360.0)).labelled_by(label.id);
            let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if ui.button(t(lang, "prompt.ok")).clicked() || enter {
                done = true;
            }
        });
    });
    let path = PathBuf::from(text.trim());
    if done && !text.trim().is_empty() {
        commands.send(match purpose {
            PathPurpose::Open => FileCommand::Open(path),
            PathPurpose::SaveAs => FileCommand::SaveTo(path),
        });
        return (None, true);
    }
    (open.then_some((purpose, text)), false)
}
