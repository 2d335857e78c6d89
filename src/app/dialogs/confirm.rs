//! "This workspace has unsaved changes: save them first?"

use crate::app::i18n::{Lang, t};

/// The user's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Save,
    Discard,
    Cancel,
}

/// Draws the question; `None` until answered.
pub fn confirm_ui(egui: &egui::Context, lang: Lang) -> Option<Answer> {
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
