//! When something goes wrong on the UI thread: the panic is caught at the frame's
//! edge, the unsaved changes are written to the recovery file at once, and the
//! window shows what happened and where the log with the backtrace is (the panic
//! hook in [`super::run`] writes it), instead of vanishing. The user can try to
//! carry on or quit; the recovery file is offered at the next start either way.

use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::Mutex;

use super::KitleApp;
use super::i18n::t;

/// The log the panic hook wrote last (shown on the crash screen).
pub static LAST_PANIC_LOG: Mutex<Option<PathBuf>> = Mutex::new(None);

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crash {
    pub message: String,
    pub log: Option<PathBuf>,
    /// Why the unsaved changes could not be written to the recovery file, if so.
    pub not_kept: Option<String>,
}

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    crate::engine::message::panic_message(payload).unwrap_or_else(|| "unknown error".to_owned())
}

impl KitleApp {
    /// Runs one part of a frame; a panic becomes the crash screen.
    pub(super) fn guarded(&mut self, part: impl FnOnce(&mut Self)) {
        if let Err(payload) = std::panic::catch_unwind(AssertUnwindSafe(|| part(self))) {
            let log = LAST_PANIC_LOG.lock().ok().and_then(|l| l.clone());
            // Keep the unsaved changes now, not at the next timed write; say so if that fails.
            let not_kept = self.recovery.write_now(self.doc.as_ref()).err();
            self.crash = Some(Crash { message: panic_text(payload.as_ref()), log, not_kept });
        }
    }

    /// One whole frame as the window runs it: logic, then the window or, after a
    /// panic, the crash screen (headless tests drive the app through this).
    pub fn guarded_frame(&mut self, ui: &mut egui::Ui) {
        if self.crash.is_none() {
            let ctx = ui.ctx().clone();
            self.guarded(|app| app.logic(&ctx));
        }
        if self.crash.is_some() {
            self.crash_ui(ui);
        } else {
            self.guarded(|app| app.ui(ui));
        }
    }

    /// The crash screen: what happened, where the details are, and what is kept.
    pub(super) fn crash_ui(&mut self, ui: &mut egui::Ui) {
        let Some(crash) = self.crash.clone() else { return };
        let lang = self.lang();
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading(t(lang, "crash.title"));
            ui.add_space(8.0);
            ui.label(t(lang, "crash.what").replace("{0}", &crash.message));
            if let Some(log) = &crash.log {
                ui.label(t(lang, "crash.log").replace("{0}", &log.display().to_string()));
            }
            let dirty = self.doc.as_ref().is_some_and(|d| d.dirty);
            match (&crash.not_kept, dirty) {
                (Some(why), true) => {
                    ui.colored_label(ui.visuals().error_fg_color, t(lang, "crash.not_kept").replace("{0}", why));
                }
                (None, true) => {
                    ui.label(t(lang, "crash.kept"));
                }
                (_, false) => {
                    ui.label(t(lang, "crash.nothing_unsaved"));
                }
            }
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui.button(t(lang, "crash.continue")).clicked() {
                    self.crash = None;
                }
                if ui.button(t(lang, "crash.quit")).clicked() {
                    ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                }
            });
        });
    }
}
