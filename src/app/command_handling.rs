//! Carrying out commands, one at a time, once per frame. The only place the
//! open document changes.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::command::{FileCommand, SegmentCommand, ViewCommand};
use super::dialogs::file::{self, DialogOutcome};
use super::dialogs::import::ImportDialog;
use super::dialogs::path_prompt::{PathPrompt, PathTarget};
use super::document::{self, Document, Loaded};
use super::i18n::t;
use super::tabs::segments::SegmentsTab;
use super::tasks::TaskKind;
use super::widgets::theme;
use super::{Command, KitleApp, Notice, Tab};
use crate::engine::audience::record::ExportRecord;
use crate::engine::edit::Edit;
use crate::engine::import::SourceSpec;
use crate::engine::loading::CacheToWrite;

/// Edits closer together than this are one undo step (typing into a table).
const TYPING_PAUSE: Duration = Duration::from_millis(1500);

impl KitleApp {
    /// Carries out one command.
    pub fn apply(&mut self, ctx: &egui::Context, command: Command) {
        if command.replaces_document() && self.doc.as_ref().is_some_and(|d| d.dirty) && !self.discard_ok {
            self.confirm = Some(super::dialogs::confirm::ConfirmDialog::new(command));
            return;
        }
        if command.replaces_document() {
            self.discard_ok = false;
        }
        match command {
            Command::File(command) => self.apply_file(ctx, command),
            Command::Edit(edit) => self.edit(edit),
            Command::Undo => self.undo_redo(true),
            Command::Redo => self.undo_redo(false),
            Command::View(command) => self.apply_view(ctx, command),
            Command::Segments(command) => self.apply_segments(ctx, command),
            Command::Audiences(command) => self.apply_audience(ctx, command),
            Command::Stores(command) => self.apply_store(ctx, command),
        }
    }

    /// Workspaces and their data.
    fn apply_file(&mut self, ctx: &egui::Context, command: FileCommand) {
        match command {
            FileCommand::NewWorkspace => {
                self.doc = None;
                self.import = None;
            }
            FileCommand::OpenDialog => match file::pick_workspace(self.file_dialogs) {
                DialogOutcome::Picked(path) => self.send(FileCommand::Open(path)),
                DialogOutcome::Unavailable => {
                    self.path_prompt = Some(PathPrompt::new(PathTarget::Open, &self.usual_folder()));
                }
                DialogOutcome::Cancelled => {}
            },
            FileCommand::Open(path) => self.start_load(ctx, path),
            FileCommand::OpenDemo => self.start_load(ctx, self.demo_path.clone()),
            FileCommand::Save => match self.doc.as_ref().map(|d| d.path.clone()) {
                Some(Some(path)) => self.save_to(&path),
                Some(None) => self.send(FileCommand::SaveAsDialog),
                None => {}
            },
            FileCommand::SaveAsDialog => self.save_as_dialog(None),
            FileCommand::SaveThen(then) => match self.doc.as_ref().map(|d| d.path.clone()) {
                Some(Some(path)) => {
                    self.save_to(&path);
                    self.send(*then);
                }
                Some(None) => self.save_as_dialog(Some(then)),
                None => self.send(*then),
            },
            FileCommand::SaveTo(path) => self.save_to(&path),
            FileCommand::ImportDialog(path) => self.open_import_dialog(ctx, path),
            FileCommand::LoadPriceIndex(path) => self.load_price_index(path),
            FileCommand::RunImport(specs) => self.start_import(ctx, specs),
            FileCommand::Loaded { result, cancelled } => self.loaded(ctx, result, cancelled),
            FileCommand::Reimported { path, result } => self.reimported(ctx, &path, result),
            FileCommand::CacheWritten(result) => self.cache_written(result),
            FileCommand::Restore(file) => self.start_restore(ctx, file),
            FileCommand::DiscardRecovery(file) => self.discard_recovery(&file),
        }
    }

    /// The window and the app's own state.
    fn apply_view(&mut self, ctx: &egui::Context, command: ViewCommand) {
        match command {
            ViewCommand::CancelTask(kind) => self.tasks.cancel(kind),
            ViewCommand::ShowReport => self.report = Some(super::dialogs::report::ReportDialog),
            ViewCommand::Discarding(command) => {
                self.discard_ok = true;
                self.send(*command);
            }
            ViewCommand::Quit => {
                // The user decided (saved, or chose not to): nothing left to recover.
                self.recovery.remove();
                self.discard_ok = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            ViewCommand::SetLang(l) => self.prefs.lang = Some(l),
            ViewCommand::SetAi { endpoint, model } => (self.prefs.ai_endpoint, self.prefs.ai_model) = (endpoint, model),
            ViewCommand::SetTheme(choice) => {
                self.prefs.theme = choice;
                theme::apply_theme(ctx, choice);
            }
            ViewCommand::SetTab(tab) => self.prefs.tab = tab,
            ViewCommand::SetRealMoney(on) => self.prefs.real_money = on,
            ViewCommand::OpenCohorts => {
                self.prefs.tab = Tab::Explore;
                if let Some(explore) = self.tab_mut::<crate::app::tabs::explore::ExploreTab>() {
                    explore.view = crate::app::tabs::explore::ExploreView::Cohorts;
                }
            }
            ViewCommand::Notify(text) => self.notice = Some(Notice::Info(text)),
        }
    }

    /// Segment drafts and member exports.
    fn apply_segments(&mut self, ctx: &egui::Context, command: SegmentCommand) {
        match command {
            SegmentCommand::Draft(rule) => {
                let lang = self.lang();
                self.prefs.tab = Tab::Segments;
                if let Some(segments) = self.tab_mut::<SegmentsTab>() {
                    segments.new_segment(lang, rule);
                }
            }
            SegmentCommand::ExportMembers { rows, extension, name } => {
                let file_name = format!("{}.{extension}", crate::engine::text::file_stem_for(&name));
                match file::save_file(self.file_dialogs, extension, file_name.clone()) {
                    DialogOutcome::Picked(path) => self.send(SegmentCommand::ExportMembersTo { rows, path }),
                    DialogOutcome::Unavailable => {
                        let suggested = self.usual_folder().join(file_name);
                        self.path_prompt =
                            Some(PathPrompt::new(PathTarget::ExportMembers { rows, extension }, &suggested));
                    }
                    DialogOutcome::Cancelled => {}
                }
            }
            SegmentCommand::ExportMembersTo { rows, path } => self.start_export(ctx, rows, path),
            SegmentCommand::Exported(result) => self.exported(result),
        }
    }

    /// A member export finished: where it went, or why it did not.
    fn exported(&mut self, result: Result<PathBuf, String>) {
        self.notice = Some(match result {
            Ok(path) => Notice::Info(t(self.lang(), "segments.exported").replace("{}", &path.display().to_string())),
            Err(e) => Notice::Error(e),
        });
    }

    /// Where a typed path starts: the open workspace's folder, else the last one
    /// opened, else the home folder.
    fn usual_folder(&self) -> PathBuf {
        let doc_folder = self.doc.as_ref().and_then(|d| d.path.as_deref()).map(crate::engine::workspace::parent_dir);
        let recent = self.prefs.recent.iter().find(|p| p.exists()).map(|p| crate::engine::workspace::parent_dir(p));
        doc_folder
            .or(recent)
            .or_else(|| std::env::var_os("HOME").map(PathBuf::from))
            .filter(|dir| dir.is_dir())
            .unwrap_or_else(|| std::env::current_dir().unwrap_or_default())
    }

    /// Asks where to save, then saves there and carries out `then` (if any).
    fn save_as_dialog(&mut self, then: Option<Box<Command>>) {
        let Some(doc) = &self.doc else { return };
        let name = if doc.workspace.name.is_empty() { t(self.lang(), "untitled") } else { &doc.workspace.name };
        let file_name = format!("{}.{}", crate::engine::text::file_stem_for(name), crate::engine::workspace::EXTENSION);
        match file::save_workspace(self.file_dialogs, file_name.clone()) {
            DialogOutcome::Picked(path) => {
                self.send(FileCommand::SaveTo(path));
                if let Some(then) = then {
                    self.send(*then);
                }
            }
            DialogOutcome::Unavailable => {
                let suggested = self.usual_folder().join(file_name);
                self.path_prompt = Some(PathPrompt::new(PathTarget::SaveAs { then }, &suggested));
            }
            DialogOutcome::Cancelled => {}
        }
    }

    fn open_import_dialog(&mut self, ctx: &egui::Context, path: Option<PathBuf>) {
        let existing = self.doc.as_ref().map(Document::resolved_sources);
        let mut dialog = ImportDialog::new(ctx, existing.as_deref(), self.lang());
        dialog.file_dialogs = self.file_dialogs;
        if let Some(path) = path {
            dialog.add_file(ctx, path, self.lang());
        }
        self.import = Some(dialog);
    }

    /// Reads a price index (a small file: read here) and sets it on the workspace,
    /// keeping the base month and margin; says what it read, or why it can't.
    fn load_price_index(&mut self, path: Option<PathBuf>) {
        let lang = self.lang();
        let path = match path {
            Some(path) => path,
            None => match file::pick_spreadsheet(self.file_dialogs, t(lang, "money.index_filter")) {
                DialogOutcome::Picked(path) => path,
                DialogOutcome::Cancelled => return,
                DialogOutcome::Unavailable => {
                    self.notice = Some(Notice::Info(t(lang, "money.type_index_path").to_owned()));
                    return;
                }
            },
        };
        let Some(doc) = &self.doc else { return };
        match crate::engine::cohorts::index::PriceIndex::read(&path) {
            Ok((index, read)) => {
                let reach = index.reach();
                let mut money = crate::engine::edit::RealMoney::of(&doc.workspace);
                money.price_index = Some(index);
                self.edit(Edit::SetRealMoney(Box::new(money)));
                self.prefs.real_money = true;
                let month = |k| crate::engine::cohorts::index::month_label(k);
                let (first, last) = reach.map_or_else(Default::default, |r| (month(r.first), month(r.last)));
                let text = t(lang, "money.index_read")
                    .replace("{0}", &read.value_column)
                    .replace("{1}", &first)
                    .replace("{2}", &last)
                    .replace("{3}", &read.skipped_rows.to_string());
                self.notice = Some(Notice::Info(text));
            }
            Err(e) => {
                let text = t(lang, "money.index_failed").replace("{0}", &path.display().to_string());
                self.notice = Some(Notice::Error(format!("{text} {}", index_error_text(&e, lang))));
            }
        }
    }

    /// Applies an edit to the open document (undoable).
    pub(super) fn edit(&mut self, edit: Edit) {
        let lang = self.lang();
        let Some(doc) = &mut self.doc else { return };
        if self.last_edit.is_none_or(|at| at.elapsed() > TYPING_PAUSE) {
            doc.history.seal();
        }
        self.last_edit = Some(Instant::now());
        if let Err(e) = doc.edit(edit) {
            self.notice = Some(Notice::Error(t(lang, "edit.failed").replace("{}", &e.to_string())));
        }
    }

    fn undo_redo(&mut self, undo: bool) {
        let lang = self.lang();
        let Some(doc) = &mut self.doc else { return };
        self.last_edit = None;
        let done = if undo { doc.undo() } else { doc.redo() };
        match done {
            Ok(true) => {}
            Ok(false) => {
                let key = if undo { "status.nothing_to_undo" } else { "status.nothing_to_redo" };
                self.notice = Some(Notice::Info(t(lang, key).to_owned()));
            }
            Err(e) => self.notice = Some(Notice::Error(t(lang, "edit.failed").replace("{}", &e.to_string()))),
        }
    }

    fn start_load(&mut self, ctx: &egui::Context, path: PathBuf) {
        let demo = path == self.demo_path;
        let lang = self.lang();
        let started = self.tasks.spawn(TaskKind::Load, ctx, move |progress| FileCommand::Loaded {
            result: document::load(path, demo, lang, progress).map(Box::new),
            cancelled: progress.is_cancelled(),
        });
        if let Err(e) = started {
            self.notice = Some(Notice::Error(e));
        }
    }

    /// The restore dialog stops offering `file`.
    fn forget_leftover(&mut self, file: &std::path::Path) {
        if self.restore.as_mut().is_some_and(|r| !r.forget(file)) {
            self.restore = None;
        }
    }

    fn discard_recovery(&mut self, file: &std::path::Path) {
        self.forget_leftover(file);
        if let Err(e) = std::fs::remove_file(file) {
            self.notice = Some(Notice::Error(format!("{}: {e}", file.display())));
        }
    }

    fn start_restore(&mut self, ctx: &egui::Context, file: PathBuf) {
        self.forget_leftover(&file);
        let lang = self.lang();
        let started = self.tasks.spawn(TaskKind::Load, ctx, move |progress| FileCommand::Loaded {
            result: document::restore(&file, lang, progress).map(Box::new),
            cancelled: progress.is_cancelled(),
        });
        if let Err(e) = started {
            self.notice = Some(Notice::Error(e));
        }
    }

    fn start_import(&mut self, ctx: &egui::Context, specs: Vec<SourceSpec>) {
        let lang = self.lang();
        let base = self.doc.as_ref().map(|d| (d.path.clone(), d.workspace.clone()));
        let started = self.tasks.spawn(TaskKind::Import, ctx, move |progress| FileCommand::Loaded {
            result: document::import(base, specs, lang, progress).map(Box::new),
            cancelled: progress.is_cancelled(),
        });
        self.import = None;
        if let Err(e) = started {
            self.notice = Some(Notice::Error(e));
        }
    }

    fn start_export(&mut self, ctx: &egui::Context, rows: Arc<Vec<polars::prelude::IdxSize>>, path: PathBuf) {
        let Some(doc) = &self.doc else { return };
        let data = Arc::clone(&doc.data);
        let currency = doc.workspace.settings.currency.clone();
        let lang = self.lang();
        let started = self.tasks.spawn(TaskKind::Export, ctx, move |_| {
            let written = crate::engine::export::export_members(&data, &rows, &path, &currency);
            SegmentCommand::Exported(written.map(|()| path).map_err(|e| e.text(lang)))
        });
        if let Err(e) = started {
            self.notice = Some(Notice::Error(e));
        }
    }

    /// A load or import finished: the new document replaces the open one.
    pub(super) fn loaded(&mut self, ctx: &egui::Context, result: Result<Box<Loaded>, String>, cancelled: bool) {
        match result {
            Ok(loaded) => {
                if let Some(path) = &loaded.path {
                    self.prefs.remember_recent(path);
                    if loaded.stale {
                        self.start_reimport(ctx, path.clone(), loaded.workspace.clone());
                    }
                }
                self.report = loaded.show_report.then_some(super::dialogs::report::ReportDialog);
                let mut loaded = loaded;
                let to_cache = loaded.to_cache.take();
                self.doc = Some(Document::new(*loaded));
                self.tabs = super::tabs::registry();
                self.notice = None;
                self.start_cache_write(ctx, to_cache);
            }
            Err(_) if cancelled => self.notice = Some(Notice::Info(t(self.lang(), "status.cancelled").to_owned())),
            Err(message) => self.notice = Some(Notice::Error(message)),
        }
    }

    /// The cache shown is older than the sources: import them again meanwhile.
    fn start_reimport(&mut self, ctx: &egui::Context, path: PathBuf, workspace: crate::engine::workspace::Workspace) {
        let lang = self.lang();
        let started = self.tasks.spawn(TaskKind::Reimport, ctx, move |progress| {
            let result = workspace
                .open_data_cache_later(&path, progress, false)
                .map(|(data, _, to_cache)| (Box::new(data), to_cache));
            FileCommand::Reimported { path, result: result.map_err(|e| e.text(lang)) }
        });
        if let Err(e) = started {
            self.notice = Some(Notice::Error(e));
        }
    }

    /// Fresh data from changed sources replaces what the cache showed.
    fn reimported(
        &mut self,
        ctx: &egui::Context,
        path: &std::path::Path,
        result: Result<(Box<crate::engine::data::CustomerData>, Option<CacheToWrite>), String>,
    ) {
        let lang = self.lang();
        let Some(doc) = self.doc.as_mut().filter(|d| d.path.as_deref() == Some(path)) else { return };
        match result {
            Ok((data, to_cache)) => {
                let mut data = *data;
                doc.workspace.apply_manual_spend(&mut data);
                doc.data = Arc::new(data);
                doc.version = document::next_version();
                self.notice = Some(Notice::Info(t(lang, "status.reimported").to_owned()));
                self.start_cache_write(ctx, to_cache);
            }
            Err(e) => self.notice = Some(Notice::Error(e)),
        }
    }

    /// Writes the cache of the data just shown, in the background: it only spares
    /// the next opening an import, so the window doesn't wait for it.
    fn start_cache_write(&mut self, ctx: &egui::Context, to_cache: Option<CacheToWrite>) {
        let (Some(to_cache), Some(doc)) = (to_cache, &self.doc) else { return };
        let data = Arc::clone(&doc.data);
        let started = self.tasks.spawn(TaskKind::Cache, ctx, move |_| {
            FileCommand::CacheWritten(to_cache.write(&data).map_err(|e| e.to_string()))
        });
        if let Err(e) = started {
            self.notice = Some(Notice::Error(e));
        }
    }

    /// A cache that could not be written only costs the next opening time: said, not an error.
    fn cache_written(&mut self, result: Result<(), String>) {
        if let Err(e) = result {
            let note = crate::engine::message::Message::new("msg.cache_not_written", [e]);
            self.notice = Some(Notice::Info(note.text(self.lang())));
        }
    }

    fn save_to(&mut self, path: &std::path::Path) {
        let lang = self.lang();
        let Some(doc) = &mut self.doc else { return };
        let before = doc.path.clone();
        match doc.save_to(path, lang) {
            Ok(path) => {
                self.prefs.remember_recent(&path);
                self.notice = Some(Notice::Info(t(lang, "status.saved").to_owned()));
                // The export record goes where the workspace goes: files written before
                // the first save join its own record; a copy saved elsewhere takes the
                // record along (once: a record already there is its own).
                let record = ExportRecord::of_workspace(&path);
                let carried = match (doc.unsaved_record.take(), before) {
                    (Some(unsaved), _) => unsaved.move_to(&record).map_err(|e| (unsaved, e)),
                    (None, Some(old)) if old != path && !record.path().exists() => {
                        let old = ExportRecord::of_workspace(&old);
                        old.copy_to(&record).map(|_| ()).map_err(|e| (old, e))
                    }
                    _ => Ok(()),
                };
                if let Err((from, e)) = carried {
                    let text = t(lang, "audience.record_failed").replace("{0}", &from.path().display().to_string());
                    self.notice = Some(Notice::Error(text.replace("{1}", &e.to_string())));
                }
            }
            Err(e) => self.notice = Some(Notice::Error(e)),
        }
    }
}

/// Why an index file can't be used, in the user's language.
fn index_error_text(e: &crate::engine::cohorts::index::IndexError, lang: crate::app::i18n::Lang) -> String {
    use crate::engine::cohorts::index::IndexError;
    match e {
        IndexError::Unreadable(why) => t(lang, "money.index_unreadable").replace("{0}", why),
        IndexError::NoColumns => t(lang, "money.index_no_columns").to_owned(),
        IndexError::TooShort => t(lang, "money.index_too_short").to_owned(),
        IndexError::NotPositive(month) => t(lang, "money.index_not_positive").replace("{0}", month),
    }
}
