//! The hub's tabs, one file each. Tabs read the open document and send commands.

pub mod customers;
pub mod dashboard;
pub mod segments;

use super::i18n::{Lang, t};

/// A tab whose issue is not built yet: says what it will hold, pretends nothing.
pub fn not_built_ui(ui: &mut egui::Ui, lang: Lang, title_key: &'static str, body_key: &'static str) {
    ui.add_space(24.0);
    ui.vertical_centered(|ui| {
        ui.heading(t(lang, title_key));
        ui.add_space(8.0);
        ui.label(t(lang, body_key));
        ui.add_space(4.0);
        ui.weak(t(lang, "soon.note"));
    });
}
