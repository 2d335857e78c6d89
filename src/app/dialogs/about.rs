//! Help → About: the version and build (the same line `kitle --version` prints) and
//! what Kitle does with customer data.

use crate::app::i18n::{Lang, t};

/// Draws the About window; returns whether it stays open.
pub fn about_window(egui: &egui::Context, lang: Lang) -> bool {
    let mut open = true;
    egui::Window::new(t(lang, "about.title")).open(&mut open).resizable(false).collapsible(false).show(egui, |ui| {
        ui.heading("Kitle");
        ui.label(crate::version());
        ui.add_space(6.0);
        ui.label(t(lang, "about.body"));
        ui.add_space(4.0);
        ui.weak(t(lang, "about.licence"));
    });
    open
}
