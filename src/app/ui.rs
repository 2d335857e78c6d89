//! Drawing the shell: the menu, the tab bar, the status bar with the long jobs,
//! the current tab, the windows over it, and the notice as a toast.

use super::dialogs::{Dialog, DialogContext};
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
            if self.doc.is_some() {
                self.tab_ui(ui, lang);
            } else {
                start::start_ui(self, ui, lang);
            }
        });
        let egui = ui.ctx().clone();
        self.notice_ui(&egui, lang);
        self.windows_ui(&egui, lang);
        // Commands sent while drawing are applied next frame: make sure there is one.
        self.queued.extend(self.receiver.try_iter());
        if !self.queued.is_empty() {
            egui.request_repaint();
        }
    }

    fn windows_ui(&mut self, egui: &egui::Context, lang: Lang) {
        use super::dialogs::show_in;
        let ctx = DialogContext { egui, lang, doc: self.doc.as_ref(), commands: &self.commands };
        show_in(&mut self.import, &ctx);
        if let Some(dialog) = self.audience.as_mut() {
            let open = dialog.show(&ctx);
            // A token forgotten in the dialog is forgotten for the session.
            self.session_tokens.retain(|platform, _| dialog.push.remembered.contains_key(platform));
            if !open {
                self.audience = None;
            }
        }
        show_in(&mut self.connect, &ctx);
        // Restoring waits for the window's first load to finish.
        if self.tasks.is_idle() {
            show_in(&mut self.restore, &ctx);
        }
        show_in(&mut self.about, &ctx);
        show_in(&mut self.guide, &ctx);
        show_in(&mut self.report, &ctx);
        super::dialogs::path_prompt::show_prompt(&mut self.path_prompt, &ctx);
        show_in(&mut self.confirm, &ctx);
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
                if ui.button(t(lang, "menu.guide")).clicked() {
                    self.guide = Some(super::dialogs::guide::GuideDialog);
                }
                if ui.button(t(lang, "menu.about")).clicked() {
                    self.about = Some(super::dialogs::about::AboutDialog);
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
        let egui = ui.ctx().clone();
        let ctx = TabContext::new(doc, &self.cache, &self.prefs, lang, &self.commands, &egui);
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

    /// The notice ("Saved.", an error) as a toast over the bottom of the window: it
    /// never moves the page under the pointer.
    fn notice_ui(&mut self, ctx: &egui::Context, lang: Lang) {
        let Some(notice) = &self.notice else { return };
        let mut close = false;
        egui::Area::new(egui::Id::unique("notice-toast"))
            .anchor(egui::Align2::CENTER_BOTTOM, egui::vec2(0.0, -40.0))
            .order(egui::Order::Foreground)
            .show(ctx, |ui| {
                let (text, colour) = match notice {
                    Notice::Info(text) => (text.clone(), ui.visuals().text_color()),
                    Notice::Error(text) => (text.clone(), ui.visuals().error_fg_color),
                };
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.set_max_width((ctx.content_rect().width() - 80.0).clamp(240.0, 720.0));
                    ui.horizontal(|ui| {
                        ui.add(egui::Label::new(egui::RichText::new(text).color(colour)).wrap());
                        if ui.small_button(t(lang, "close")).clicked() {
                            close = true;
                        }
                    });
                });
            });
        if close {
            self.notice = None;
        }
    }
}
