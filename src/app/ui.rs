//! Drawing the shell: the menu, the tab bar, the status bar with the long jobs,
//! the notice line, the current tab, and the windows over it.

use super::dialogs::confirm::{Answer, confirm_ui};
use super::dialogs::path_prompt::path_prompt_ui;
use super::dialogs::report::report_window;
use super::i18n::{Lang, t};
use super::tabs::TabContext;
use super::{Command, KitleApp, Notice, ThemeChoice, start};
use crate::app::command::{FileCommand, StoreCommand, ViewCommand};

impl KitleApp {
    /// Draws the whole window.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang();
        egui::Panel::top("menu").show(ui, |ui| self.menu_ui(ui, lang));
        egui::Panel::bottom("status").show(ui, |ui| self.status_ui(ui, lang));
        if self.doc.is_some() {
            egui::Panel::top("tabs").show(ui, |ui| self.tabs_ui(ui, lang));
        }
        egui::CentralPanel::default().show(ui, |ui| {
            self.notice_ui(ui, lang);
            if self.doc.is_some() {
                self.tab_ui(ui, lang);
            } else {
                start::start_ui(self, ui, lang);
            }
        });
        let egui = ui.ctx().clone();
        self.windows_ui(&egui, lang);
        // Commands sent while drawing are applied next frame: make sure there is one.
        self.queued.extend(self.receiver.try_iter());
        if !self.queued.is_empty() {
            egui.request_repaint();
        }
    }

    fn windows_ui(&mut self, egui: &egui::Context, lang: Lang) {
        if let Some(mut dialog) = self.import.take()
            && dialog.ui(egui, lang, &self.commands)
            && self.import.is_none()
        {
            self.import = Some(dialog);
        }
        if let (Some(mut dialog), Some(doc)) = (self.audience.take(), &self.doc) {
            let open = dialog.ui(egui, doc, lang, &self.commands);
            // A token forgotten in the dialog is forgotten for the session.
            self.session_tokens.retain(|platform, _| dialog.push.remembered.contains_key(platform));
            if open && self.audience.is_none() {
                self.audience = Some(dialog);
            }
        }
        if let Some(mut dialog) = self.connect.take()
            && dialog.ui(egui, lang, &self.commands)
            && self.connect.is_none()
        {
            self.connect = Some(dialog);
        }
        if !self.leftovers.is_empty() && self.tasks.is_idle() {
            crate::app::dialogs::restore::restore_window(egui, &self.leftovers, lang, &self.commands);
        }
        if self.show_about {
            self.show_about = crate::app::dialogs::about::about_window(egui, lang);
        }
        if self.show_report
            && let Some(doc) = &self.doc
        {
            self.show_report = report_window(egui, &doc.data.report, lang);
        }
        if let Some(prompt) = self.path_prompt.take() {
            let given;
            (self.path_prompt, given) = path_prompt_ui(egui, prompt, lang, &self.commands);
            if given {
                self.notice = None;
            }
        }
        if self.confirm.is_some() {
            self.confirm_answer_ui(egui, lang);
        }
    }

    fn confirm_answer_ui(&mut self, egui: &egui::Context, lang: Lang) {
        let Some(answer) = confirm_ui(egui, lang) else { return };
        let Some(pending) = self.confirm.take() else { return };
        match answer {
            Answer::Save => {
                // Saving runs first; if it did not happen (no file chosen), the pending
                // command finds the document still unsaved and asks again.
                self.send(FileCommand::Save);
                self.send(pending);
            }
            Answer::Discard => {
                self.discard_ok = true;
                self.send(pending);
            }
            Answer::Cancel => {}
        }
    }

    fn menu_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button(t(lang, "menu.file"), |ui| self.file_menu_ui(ui, lang));
            ui.menu_button(t(lang, "menu.edit"), |ui| {
                let history = self.doc.as_ref().map(|d| &d.history);
                let items = [
                    ("menu.undo", "Ctrl+Z", Command::Undo, history.is_some_and(|h| h.can_undo())),
                    ("menu.redo", "Ctrl+Shift+Z", Command::Redo, history.is_some_and(|h| h.can_redo())),
                ];
                for (key, shortcut, command, enabled) in items {
                    if ui.add_enabled(enabled, egui::Button::new(t(lang, key)).shortcut_text(shortcut)).clicked() {
                        self.send(command);
                    }
                }
            });
            ui.menu_button(t(lang, "menu.view"), |ui| self.view_menu_ui(ui, lang));
            ui.menu_button(t(lang, "menu.help"), |ui| {
                if ui.button(t(lang, "menu.about")).clicked() {
                    self.show_about = true;
                }
            });
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let other = if lang == Lang::Tr { Lang::En } else { Lang::Tr };
                let label = if other == Lang::Tr { "TR" } else { "EN" };
                if ui.button(label).on_hover_text(t(lang, "menu.language")).clicked() {
                    self.send(ViewCommand::SetLang(other));
                }
            });
        });
    }

    fn file_menu_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        let has_doc = self.doc.is_some();
        let has_store = self.doc.as_ref().is_some_and(|d| d.workspace.store.is_some())
            && !self.tasks.is_running(super::tasks::TaskKind::Sync);
        let items: [(&str, Option<&str>, Command, bool); 8] = [
            ("menu.new", Some("Ctrl+N"), FileCommand::NewWorkspace.into(), true),
            ("menu.open", Some("Ctrl+O"), FileCommand::OpenDialog.into(), true),
            ("menu.save", Some("Ctrl+S"), FileCommand::Save.into(), has_doc),
            ("menu.save_as", Some("Ctrl+Shift+S"), FileCommand::SaveAsDialog.into(), has_doc),
            ("menu.import", Some("Ctrl+I"), FileCommand::ImportDialog(None).into(), true),
            ("start.connect", None, StoreCommand::ConnectDialog.into(), true),
            ("store.refresh", Some("F5"), StoreCommand::Refresh.into(), has_store),
            ("menu.report", None, ViewCommand::ShowReport.into(), has_doc),
        ];
        for (key, shortcut, command, enabled) in items {
            let mut button = egui::Button::new(t(lang, key));
            if let Some(s) = shortcut {
                button = button.shortcut_text(s);
            }
            if ui.add_enabled(enabled, button).clicked() {
                self.send(command);
            }
        }
        ui.separator();
        if ui.add(egui::Button::new(t(lang, "menu.quit")).shortcut_text("Ctrl+Q")).clicked() {
            self.send(ViewCommand::Quit);
        }
    }

    fn view_menu_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        ui.label(t(lang, "menu.language"));
        for (l, key) in [(Lang::Tr, "lang.tr"), (Lang::En, "lang.en")] {
            if ui.radio(lang == l, t(lang, key)).clicked() {
                self.send(ViewCommand::SetLang(l));
            }
        }
        ui.separator();
        ui.label(t(lang, "menu.theme"));
        for (choice, key) in [
            (ThemeChoice::System, "theme.system"),
            (ThemeChoice::Light, "theme.light"),
            (ThemeChoice::Dark, "theme.dark"),
        ] {
            if ui.radio(self.prefs.theme == choice, t(lang, key)).clicked() {
                self.send(ViewCommand::SetTheme(choice));
            }
        }
    }

    /// The hub's title and one button per tab of the registry.
    fn tabs_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        ui.horizontal(|ui| {
            ui.heading(t(lang, "app.hub"));
            ui.add_space(16.0);
            for tab in &self.tabs {
                if ui.selectable_label(self.prefs.tab == tab.id(), t(lang, tab.title_key())).clicked() {
                    self.commands.send(ViewCommand::SetTab(tab.id()));
                }
            }
        });
    }

    fn tab_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        let Some(doc) = &self.doc else { return };
        let ctx = TabContext {
            doc,
            cache: &self.cache,
            prefs: &self.prefs,
            lang,
            commands: &self.commands,
            egui: &ui.ctx().clone(),
        };
        let shown = self.prefs.tab;
        if let Some(tab) = self.tabs.iter_mut().find(|t| t.id() == shown) {
            tab.ui(ui, &ctx);
        }
    }

    fn status_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        ui.horizontal(|ui| {
            if !self.tasks.is_idle() {
                self.tasks.status_ui(ui, lang, &self.commands);
                return;
            }
            let Some(doc) = &self.doc else { return };
            ui.label(format!("{} {}", crate::format::count(doc.data.len(), lang), t(lang, "status.customers")));
            ui.separator();
            ui.label(t(lang, "status.as_of").replace("{}", &crate::format::date(doc.data.as_of, lang)));
            if doc.dirty {
                ui.separator();
                ui.label(t(lang, "status.unsaved"));
            }
            if let Some(path) = &doc.path {
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    ui.weak(path.display().to_string());
                });
            }
        });
    }

    fn notice_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        let Some(notice) = &self.notice else { return };
        let (text, colour) = match notice {
            Notice::Info(text) => (text.clone(), ui.visuals().text_color()),
            Notice::Error(text) => (text.clone(), ui.visuals().error_fg_color),
        };
        let mut close = false;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.colored_label(colour, text);
                if ui.small_button(t(lang, "close")).clicked() {
                    close = true;
                }
            });
        });
        if close {
            self.notice = None;
        }
    }
}
