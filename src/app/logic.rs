//! Per-frame work that is not drawing: collect finished background work, read
//! dropped files and shortcuts, apply queued commands, let the shown tab start its
//! computations, and keep the window title current.

use std::path::PathBuf;

use egui::{Key, KeyboardShortcut, Modifiers};

use super::i18n::t;
use super::tabs::TabContext;
use super::tasks::TaskEnd;
use super::tasks::TaskKind;
use super::widgets::theme;
use super::{Command, KitleApp, Notice, SMOKE_EXIT_CODE};
use crate::app::command::{FileCommand, StoreCommand, ViewCommand};

impl KitleApp {
    /// Work that is not drawing: jobs, dropped files, shortcuts, commands, title.
    pub fn logic(&mut self, ctx: &egui::Context) {
        if !self.set_up {
            theme::install_fonts(ctx);
            theme::apply_theme(ctx, self.prefs.theme);
            self.set_up = true;
        }
        self.poll_tasks();
        self.handle_dropped_files(ctx);
        self.handle_shortcuts(ctx);
        if ctx.input(|i| i.viewport().close_requested())
            && self.doc.as_ref().is_some_and(|d| d.dirty)
            && !self.discard_ok
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.confirm = Some(super::dialogs::confirm::ConfirmDialog::new(ViewCommand::Quit.into()));
        }
        let mut commands = std::mem::take(&mut self.queued);
        commands.extend(self.receiver.try_iter());
        for command in commands {
            self.apply(ctx, command);
        }
        let lang = self.lang();
        if let Some(dialog) = &mut self.import {
            dialog.poll(ctx, lang);
        }
        if let (Some(dialog), Some(doc)) = (&mut self.audience, &self.doc) {
            dialog.logic(ctx, doc, lang);
        }
        self.tab_logic(ctx);
        self.drill_step(ctx);
        if let Err(e) = self.recovery.follow(self.doc.as_ref()) {
            self.notice = Some(Notice::Error(t(self.lang(), "recovery.failed").replace("{0}", &e)));
        }
        if self.recovery.busy() {
            // A failed write is told the frame after it is known.
            ctx.request_repaint_after(std::time::Duration::from_millis(50));
        }
        self.update_title(ctx);
        if !self.tasks.is_idle() {
            ctx.request_repaint_after(std::time::Duration::from_millis(50));
        }
        if self.smoke_test && self.first_frame_ms.is_none() {
            self.first_frame_ms = super::STARTED.get().map(|t| t.elapsed().as_millis());
        }
        if self.smoke_test && self.tasks.is_idle() && (self.smoke_data_shown() || self.notice.is_some()) {
            self.finish_smoke_test(ctx);
        }
    }

    /// The shared cache follows the document; the shown tab starts its work.
    fn tab_logic(&mut self, egui: &egui::Context) {
        let lang = self.lang();
        let Some(doc) = &self.doc else {
            self.cache.clear();
            return;
        };
        self.cache.update(doc, egui, lang, self.prefs.real_money);
        let ctx = TabContext::new(doc, &self.cache, &self.prefs, lang, &self.commands, egui);
        let shown = self.prefs.tab;
        if let Some(tab) = self.tabs.iter_mut().find(|t| t.id() == shown) {
            tab.logic(&ctx);
        }
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let title = match &self.doc {
            Some(doc) => format!("{} — Kitle", doc.title(self.lang())),
            None => "Kitle".to_owned(),
        };
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }

    /// Prints what the window shows after loading and closes it.
    /// The smoke test's data is on screen (on the dashboard: with its numbers).
    fn smoke_data_shown(&self) -> bool {
        self.doc.is_some()
            && (self.prefs.tab != super::Tab::Dashboard
                || self.tab::<super::tabs::dashboard::DashboardTab>().is_some_and(|d| d.current().is_some()))
    }

    fn finish_smoke_test(&mut self, ctx: &egui::Context) {
        use std::sync::atomic::Ordering;
        self.smoke_test = false;
        match (&self.doc, &self.notice) {
            (_, Some(Notice::Error(e))) => {
                println!("kitle smoke test: error shown: {e}");
                SMOKE_EXIT_CODE.store(1, Ordering::Relaxed);
            }
            (Some(doc), _) => println!(
                "kitle smoke test: window shows {} customers (first frame after {} ms, dashboard numbers after {} ms)",
                doc.data.len(),
                self.first_frame_ms.unwrap_or_default(),
                super::STARTED.get().map(|t| t.elapsed().as_millis()).unwrap_or_default()
            ),
            (None, _) => {
                println!("kitle smoke test: nothing loaded");
                SMOKE_EXIT_CODE.store(1, Ordering::Relaxed);
            }
        }
        self.discard_ok = true;
        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
    }

    /// Applies what finished long jobs answered; a lost job is an error shown.
    fn poll_tasks(&mut self) {
        for ended in self.tasks.poll() {
            match ended {
                TaskEnd::Done(command) => self.queued.push(*command),
                TaskEnd::Lost(_) => {
                    self.notice = Some(Notice::Error(t(self.lang(), "msg.err_background").to_owned()));
                }
            }
        }
    }

    fn handle_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|i| i.raw.dropped_files.iter().map(|f| f.path().to_path_buf()).collect());
        for path in dropped {
            self.open_path_from_args(path);
        }
    }

    fn handle_shortcuts(&mut self, ctx: &egui::Context) {
        let command_shift = Modifiers::COMMAND | Modifiers::SHIFT;
        let mut shortcuts: Vec<(KeyboardShortcut, Command)> = vec![
            (KeyboardShortcut::new(command_shift, Key::S), FileCommand::SaveAsDialog.into()),
            (KeyboardShortcut::new(Modifiers::COMMAND, Key::N), FileCommand::NewWorkspace.into()),
            (KeyboardShortcut::new(Modifiers::COMMAND, Key::O), FileCommand::OpenDialog.into()),
            (KeyboardShortcut::new(Modifiers::COMMAND, Key::S), FileCommand::Save.into()),
            (KeyboardShortcut::new(Modifiers::COMMAND, Key::I), FileCommand::ImportDialog(None).into()),
            (KeyboardShortcut::new(Modifiers::COMMAND, Key::Q), ViewCommand::Quit.into()),
        ];
        // While a text field has the keyboard, Ctrl+Z is the field's own undo.
        if ctx.memory(|m| m.focused().is_none()) {
            shortcuts.push((KeyboardShortcut::new(command_shift, Key::Z), Command::Redo));
            shortcuts.push((KeyboardShortcut::new(Modifiers::COMMAND, Key::Y), Command::Redo));
            shortcuts.push((KeyboardShortcut::new(Modifiers::COMMAND, Key::Z), Command::Undo));
        }
        if self.doc.as_ref().is_some_and(|d| d.workspace.store.is_some()) && !self.tasks.is_running(TaskKind::Sync) {
            shortcuts.push((KeyboardShortcut::new(Modifiers::NONE, Key::F5), StoreCommand::Refresh.into()));
        }
        for (shortcut, command) in shortcuts {
            if ctx.input_mut(|i| i.consume_shortcut(&shortcut)) {
                self.send(command);
            }
        }
    }
}
