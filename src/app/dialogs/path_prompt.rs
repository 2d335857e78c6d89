//! Asks for a path by typing, when the system has no native file dialog (no desktop
//! portal, no zenity): opening a workspace, saving it, exporting members. The box
//! starts filled with the usual folder and file name, and says before OK whether the
//! path will work, so that no choice of file is a dead end.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use polars::prelude::IdxSize;

use super::DialogContext;
use crate::app::command::{Command, FileCommand, SegmentCommand};
use crate::app::i18n::{Lang, t};

/// What a typed path is for.
#[derive(Debug)]
pub enum PathTarget {
    /// A workspace to open.
    Open,
    /// Where to save the workspace; `then` runs once it is saved (the command the
    /// unsaved-changes prompt held back: opening, a new workspace, quitting).
    SaveAs { then: Option<Box<Command>> },
    /// Where to write a segment's members.
    ExportMembers {
        /// Rows of the customer table.
        rows: Arc<Vec<IdxSize>>,
        /// `csv` or `xlsx`: added when the typed name has none.
        extension: &'static str,
    },
}

impl PathTarget {
    fn title_key(&self) -> &'static str {
        match self {
            Self::Open => "menu.open",
            Self::SaveAs { .. } => "menu.save_as",
            Self::ExportMembers { .. } => "path.export_title",
        }
    }

    /// The extension a written file gets when the typed name has none.
    fn extension(&self) -> &'static str {
        match self {
            Self::Open | Self::SaveAs { .. } => crate::engine::workspace::EXTENSION,
            Self::ExportMembers { extension, .. } => extension,
        }
    }
}

/// A path typed by hand.
#[derive(Debug)]
pub struct PathPrompt {
    pub target: PathTarget,
    pub text: String,
}

impl PathPrompt {
    /// A prompt filled with `suggested` (a folder ending in a separator, or a file).
    pub fn new(target: PathTarget, suggested: &Path) -> Self {
        let mut text = suggested.display().to_string();
        if (suggested.file_name().is_none() || suggested.is_dir()) && !text.ends_with(std::path::MAIN_SEPARATOR) {
            text.push(std::path::MAIN_SEPARATOR);
        }
        Self { target, text }
    }

    /// The typed path as it will be used: trimmed, with the extension added to a
    /// file to write.
    pub fn path(&self) -> PathBuf {
        let mut path = PathBuf::from(self.text.trim());
        let writes = !matches!(self.target, PathTarget::Open);
        if writes && path.extension().is_none() && !self.text.trim().ends_with(std::path::MAIN_SEPARATOR) {
            path.set_extension(self.target.extension());
        }
        path
    }

    /// Why the typed path will not work, in words; `None` when it will.
    pub fn problem(&self, lang: Lang) -> Option<String> {
        let typed = self.text.trim();
        if typed.is_empty() {
            return Some(t(lang, "path.empty").to_owned());
        }
        let path = self.path();
        if path.is_dir() || typed.ends_with(std::path::MAIN_SEPARATOR) {
            return Some(t(lang, "path.is_folder").to_owned());
        }
        match self.target {
            PathTarget::Open if !path.is_file() => Some(t(lang, "path.no_file").to_owned()),
            PathTarget::Open => None,
            PathTarget::SaveAs { .. } | PathTarget::ExportMembers { .. } => {
                let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
                (!folder.is_dir()).then(|| t(lang, "path.no_folder").replace("{}", &folder.display().to_string()))
            }
        }
    }

    /// The commands that carry the choice out, in order.
    fn commands(self, path: PathBuf) -> Vec<Command> {
        match self.target {
            PathTarget::Open => vec![FileCommand::Open(path).into()],
            PathTarget::SaveAs { then } => {
                let mut commands = vec![FileCommand::SaveTo(path).into()];
                commands.extend(then.map(|c| *c));
                commands
            }
            PathTarget::ExportMembers { rows, .. } => vec![SegmentCommand::ExportMembersTo { rows, path }.into()],
        }
    }
}

/// Closes once a path that works is given (sending the commands that use it) or the
/// window is closed.
pub fn show_prompt(slot: &mut Option<PathPrompt>, ctx: &DialogContext<'_>) {
    let Some(prompt) = slot.as_mut() else { return };
    let lang = ctx.lang;
    let mut open = true;
    let mut done = false;
    let problem = prompt.problem(lang);
    egui::Window::new(t(lang, prompt.target.title_key()))
        .id(egui::Id::unique("path-prompt"))
        .open(&mut open)
        .collapsible(false)
        .show(ctx.egui, |ui| {
            ui.set_max_width(560.0);
            ui.label(t(lang, "error.dialog_unavailable"));
            ui.horizontal(|ui| {
                let label = ui.label(t(lang, "import.path"));
                let edit =
                    ui.add(egui::TextEdit::singleline(&mut prompt.text).desired_width(400.0)).labelled_by(label.id);
                let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                let ok = ui.add_enabled(problem.is_none(), egui::Button::new(t(lang, "prompt.ok")));
                done = (ok.clicked() || enter) && problem.is_none();
            });
            if let Some(problem) = &problem {
                ui.weak(problem);
            }
        });
    if done && let Some(prompt) = slot.take() {
        let path = prompt.path();
        for command in prompt.commands(path) {
            ctx.commands.send(command);
        }
    } else if !open {
        *slot = None;
    }
}
