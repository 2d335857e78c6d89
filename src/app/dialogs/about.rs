//! Help → About: the version and build (the same line `kitle --version` prints) and
//! what Kitle does with customer data.

use super::{Dialog, DialogContext};
use crate::app::i18n::t;

/// Help → About.
#[derive(Debug, Default)]
pub struct AboutDialog;

impl Dialog for AboutDialog {
    fn show(&mut self, ctx: &DialogContext<'_>) -> bool {
        let (egui, lang) = (ctx.egui, ctx.lang);
        let mut open = true;
        egui::Window::new(t(lang, "about.title")).open(&mut open).resizable(false).collapsible(false).show(
            egui,
            |ui| {
                ui.heading("Kitle");
                ui.label(crate::version());
                ui.add_space(6.0);
                ui.label(t(lang, "about.body"));
                ui.add_space(4.0);
                ui.weak(t(lang, "about.licence"));
            },
        );
        open
    }
}
