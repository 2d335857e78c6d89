//! Windows over the hub: About, the guide, connecting a store, restoring unsaved changes after a crash, the import dialog, the import report, the remarketing
//! audience dialog (with its API push section), "save changes first?", a typed path when the system has no file
//! dialog, and the native file dialog itself.

use super::command::CommandSender;
use super::document::Document;
use super::i18n::Lang;

pub mod about;
pub mod audience;
pub mod confirm;
pub mod connect;
pub mod file;
pub mod guide;
pub mod import;
pub mod path_prompt;
pub mod push;
pub mod report;
pub mod restore;

/// What every window reads while it is drawn.
pub struct DialogContext<'a> {
    pub egui: &'a egui::Context,
    pub lang: Lang,
    /// The open workspace, if any.
    pub doc: Option<&'a Document>,
    /// What the window asks the shell to do (it changes nothing itself).
    pub commands: &'a CommandSender,
}

/// A window over the hub: the one shape all eight share. It is drawn once a frame
/// while open, asks for changes with commands, and says when it has closed.
pub trait Dialog {
    /// Draws the window; `false` once it is closed.
    fn show(&mut self, ctx: &DialogContext<'_>) -> bool;
}

/// Draws the dialog in `slot`, if any, and empties the slot once it closes.
pub fn show_in<D: Dialog>(slot: &mut Option<D>, ctx: &DialogContext<'_>) {
    if let Some(dialog) = slot.as_mut()
        && !dialog.show(ctx)
    {
        *slot = None;
    }
}
