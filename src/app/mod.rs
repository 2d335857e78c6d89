//! The desktop app: the "Audiences & Customers" window. The shell holds the open
//! workspace and the background jobs; widgets never change state directly but push
//! [`Command`]s that [`KitleApp::apply`] carries out once per frame. Each tab is a
//! file in [`tabs`]; the engine underneath knows nothing of egui.

pub use crate::i18n;
pub mod import_dialog;
pub mod jobs;
mod start;
pub mod tabs;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui::{Key, KeyboardShortcut, Modifiers};
use serde::{Deserialize, Serialize};

use crate::engine::build::CustomerData;
use crate::engine::import::SourceSpec;
use crate::engine::workspace::{self, Workspace};
use i18n::{Lang, t};
use import_dialog::ImportDialog;
use jobs::{Job, Poll};

/// The tabs of the hub.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Tab {
    #[default]
    Dashboard,
    Segments,
    Personas,
    Explore,
    Customers,
}

impl Tab {
    pub const ALL: [Tab; 5] = [Tab::Dashboard, Tab::Segments, Tab::Personas, Tab::Explore, Tab::Customers];

    pub fn label_key(self) -> &'static str {
        match self {
            Tab::Dashboard => "tab.dashboard",
            Tab::Segments => "tab.segments",
            Tab::Personas => "tab.personas",
            Tab::Explore => "tab.explore",
            Tab::Customers => "tab.customers",
        }
    }
}

/// Light, dark, or whatever the system uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum ThemeChoice {
    #[default]
    System,
    Light,
    Dark,
}

/// UI choices remembered between runs (eframe storage). Workspaces are saved apart.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Prefs {
    /// `None`: follow the system locale.
    pub lang: Option<Lang>,
    pub theme: ThemeChoice,
    pub recent: Vec<PathBuf>,
    pub tab: Tab,
}

const MAX_RECENT: usize = 8;

/// The open workspace and the customers built from it.
pub struct Document {
    /// Where it is saved; `None` until first saved.
    pub path: Option<PathBuf>,
    pub workspace: Workspace,
    pub data: Arc<CustomerData>,
    pub dirty: bool,
    /// Grows whenever `data` changes, so views know to recompute.
    pub version: u64,
}

impl Document {
    pub fn title(&self, lang: Lang) -> String {
        let name = if self.workspace.name.is_empty() { t(lang, "untitled") } else { &self.workspace.name };
        if self.dirty { format!("{name} •") } else { name.to_owned() }
    }
}

/// Something the user asked for; applied by [`KitleApp::apply`].
#[derive(Debug, Clone)]
pub enum Command {
    NewWorkspace,
    /// Ask for a workspace file with the native dialog.
    OpenDialog,
    Open(PathBuf),
    OpenDemo,
    Save,
    SaveAsDialog,
    SaveTo(PathBuf),
    /// Open the import dialog, optionally with a file already chosen.
    ImportDialog(Option<PathBuf>),
    /// Import these sources (into the open workspace when there is one).
    RunImport(Vec<SourceSpec>),
    CancelJob,
    ShowReport,
    Quit,
    SetLang(Lang),
    SetTheme(ThemeChoice),
    SetTab(Tab),
    /// Open the Segments tab with a new segment holding this rule (from a chart).
    SegmentDraft(String),
    /// The hand-typed spend changed: rebuild the spend the numbers use.
    ManualSpendChanged,
    /// Save a segment (over the one at this index, or as a new one).
    SaveSegment(Option<usize>, crate::engine::workspace::Segment),
    DuplicateSegment(usize),
    DeleteSegment(usize),
    UndoDeleteSegment,
    /// Write a segment's members to a file (asks where when `path` is `None`).
    ExportMembers {
        rows: Arc<Vec<polars::prelude::IdxSize>>,
        extension: &'static str,
        name: String,
    },
    ExportMembersTo {
        rows: Arc<Vec<polars::prelude::IdxSize>>,
        path: PathBuf,
    },
    /// Tell the user something.
    Notify(String),
    /// New upper limits of the LTV bands (sorted, positive).
    SetLtvBands(Vec<f64>),
}

impl Command {
    /// Commands that would drop the open workspace, and so ask about unsaved changes.
    fn replaces_document(&self) -> bool {
        matches!(self, Command::NewWorkspace | Command::Open(_) | Command::OpenDemo | Command::Quit)
    }
}

/// A workspace loaded or imported in the background.
pub struct Loaded {
    pub path: Option<PathBuf>,
    pub workspace: Workspace,
    pub data: CustomerData,
    pub dirty: bool,
    pub show_report: bool,
}

type LoadResult = Result<Loaded, String>;

/// What a typed path is for, when no native file dialog is available.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathPurpose {
    Open,
    SaveAs,
}

/// What a native file dialog gave.
enum DialogOutcome {
    Picked(PathBuf),
    Cancelled,
    Unavailable,
}

/// A message for the user at the top of the window.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    Info(String),
    Error(String),
}

pub struct KitleApp {
    pub prefs: Prefs,
    pub doc: Option<Document>,
    pub loading: Option<Job<LoadResult>>,
    pub import: Option<ImportDialog>,
    /// A command waiting for the answer to "save changes first?".
    pub confirm: Option<Command>,
    /// Asking for a path by typing (no native file dialog on this system).
    pub path_prompt: Option<(PathPurpose, String)>,
    pub notice: Option<Notice>,
    pub show_report: bool,
    pub customers: tabs::customers::CustomersView,
    pub dashboard: tabs::dashboard::DashboardView,
    pub segments: tabs::segments::SegmentsView,
    /// A member export running in the background.
    pub export: Option<Job<Result<PathBuf, String>>>,
    /// A segment rule started elsewhere (a dashboard chart), waiting for the builder.
    pub segment_draft: Option<String>,
    commands: Vec<Command>,
    /// Set when the user agreed to drop unsaved changes for the next command.
    discard_ok: bool,
    /// The window title last sent, to send it only on change.
    title: String,
    /// Whether native dialogs may be used (not in tests).
    pub native_dialogs: bool,
    /// Where "Open demo" finds or writes the demo workspace.
    pub demo_path: PathBuf,
    /// Fonts and theme installed.
    set_up: bool,
    /// Smoke-test mode (`KITLE_SMOKE=1`): report the first load's outcome and quit.
    smoke_test: bool,
}

/// The smoke test's exit code, read by `main` after the window closed.
pub static SMOKE_EXIT_CODE: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);

impl KitleApp {
    /// The app with stored preferences, fonts and theme set up.
    pub fn new(cc: &eframe::CreationContext<'_>) -> Self {
        let prefs: Prefs = cc.storage.and_then(|s| eframe::get_value(s, eframe::APP_KEY)).unwrap_or_default();
        let mut app = Self::with_prefs(prefs);
        app.native_dialogs = true;
        app.smoke_test = std::env::var_os("KITLE_SMOKE").is_some();
        app
    }

    /// The app without eframe storage (tests, first run). Fonts and theme are set up
    /// on the first frame.
    pub fn with_prefs(prefs: Prefs) -> Self {
        Self {
            prefs,
            doc: None,
            loading: None,
            import: None,
            confirm: None,
            path_prompt: None,
            notice: None,
            show_report: false,
            customers: tabs::customers::CustomersView::default(),
            dashboard: tabs::dashboard::DashboardView::default(),
            segments: tabs::segments::SegmentsView::default(),
            export: None,
            segment_draft: None,
            commands: Vec::new(),
            discard_ok: false,
            title: String::new(),
            native_dialogs: false,
            demo_path: default_demo_path(),
            set_up: false,
            smoke_test: false,
        }
    }

    pub fn lang(&self) -> Lang {
        self.prefs.lang.unwrap_or_else(Lang::from_system)
    }

    /// Queues a command for the end of this frame.
    pub fn send(&mut self, command: Command) {
        self.commands.push(command);
    }

    /// Opens what the command line named: a workspace, or a spreadsheet to import.
    pub fn open_path_from_args(&mut self, path: PathBuf) {
        if is_workspace_file(&path) {
            self.send(Command::Open(path));
        } else {
            self.send(Command::ImportDialog(Some(path)));
        }
    }

    /// Work that is not drawing: jobs, dropped files, shortcuts, commands, title.
    pub fn logic(&mut self, ctx: &egui::Context) {
        if !self.set_up {
            install_fonts(ctx);
            apply_theme(ctx, self.prefs.theme);
            self.set_up = true;
        }
        self.poll_loading();
        self.handle_dropped_files(ctx);
        self.handle_shortcuts(ctx);
        if ctx.input(|i| i.viewport().close_requested())
            && self.doc.as_ref().is_some_and(|d| d.dirty)
            && !self.discard_ok
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.confirm = Some(Command::Quit);
        }
        let commands = std::mem::take(&mut self.commands);
        for command in commands {
            self.apply(ctx, command);
        }
        let lang = self.lang();
        if let Some(dialog) = &mut self.import {
            dialog.poll(ctx, lang);
        }
        if let Some(doc) = &self.doc {
            self.customers.update(ctx, doc, lang);
            if self.prefs.tab == Tab::Dashboard {
                self.dashboard.update(ctx, doc, lang);
            }
            if self.prefs.tab == Tab::Segments {
                if let Some(rule) = self.segment_draft.take() {
                    let group = crate::engine::segment::parse(&rule).unwrap_or_default();
                    self.segments.new_segment(lang, group);
                }
                self.segments.update(ctx, doc, lang);
            }
        }
        self.poll_export();
        let title = match &self.doc {
            Some(doc) => format!("{} — Kitle", doc.title(self.lang())),
            None => "Kitle".to_owned(),
        };
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
        if self.loading.is_some() {
            ctx.request_repaint_after(std::time::Duration::from_millis(50));
        }
        if self.smoke_test && self.loading.is_none() && (self.doc.is_some() || self.notice.is_some()) {
            self.finish_smoke_test(ctx);
        }
    }

    /// Prints what the window shows after loading and closes it.
    fn finish_smoke_test(&mut self, ctx: &egui::Context) {
        use std::sync::atomic::Ordering;
        self.smoke_test = false;
        match (&self.doc, &self.notice) {
            (_, Some(Notice::Error(e))) => {
                println!("kitle smoke test: error shown: {e}");
                SMOKE_EXIT_CODE.store(1, Ordering::Relaxed);
            }
            (Some(doc), _) => println!("kitle smoke test: window shows {} customers", doc.data.len()),
            (None, _) => {
                println!("kitle smoke test: nothing loaded");
                SMOKE_EXIT_CODE.store(1, Ordering::Relaxed);
            }
        }
        self.discard_ok = true;
        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
    }

    fn poll_loading(&mut self) {
        let Some(job) = &self.loading else { return };
        match job.poll() {
            Poll::Running => {}
            Poll::Lost => {
                self.loading = None;
                self.notice = Some(Notice::Error(t(self.lang(), "msg.err_background").to_owned()));
            }
            Poll::Done(result) => {
                let cancelled = job.progress.is_cancelled();
                self.loading = None;
                match result {
                    Ok(loaded) => {
                        if let Some(path) = &loaded.path {
                            self.remember_recent(path);
                        }
                        let version = self.doc.as_ref().map_or(1, |d| d.version + 1);
                        self.show_report = loaded.show_report;
                        self.doc = Some(Document {
                            path: loaded.path,
                            workspace: loaded.workspace,
                            data: Arc::new(loaded.data),
                            dirty: loaded.dirty,
                            version,
                        });
                        self.customers = tabs::customers::CustomersView::default();
                        self.dashboard = tabs::dashboard::DashboardView::default();
                        self.segments = tabs::segments::SegmentsView::default();
                        self.segment_draft = None;
                        self.notice = None;
                    }
                    Err(_) if cancelled => {
                        self.notice = Some(Notice::Info(t(self.lang(), "status.cancelled").to_owned()))
                    }
                    Err(message) => self.notice = Some(Notice::Error(message)),
                }
            }
        }
    }

    fn poll_export(&mut self) {
        let Some(job) = &self.export else { return };
        let lang = self.lang();
        match job.poll() {
            Poll::Running => {}
            Poll::Done(Ok(path)) => {
                self.notice =
                    Some(Notice::Info(t(lang, "segments.exported").replace("{}", &path.display().to_string())));
                self.export = None;
            }
            Poll::Done(Err(e)) => {
                self.notice = Some(Notice::Error(e));
                self.export = None;
            }
            Poll::Lost => self.export = None,
        }
    }

    fn remember_recent(&mut self, path: &Path) {
        let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        self.prefs.recent.retain(|p| p != &path);
        self.prefs.recent.insert(0, path);
        self.prefs.recent.truncate(MAX_RECENT);
    }

    fn handle_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|i| i.raw.dropped_files.iter().map(|f| f.path().to_path_buf()).collect());
        for path in dropped {
            self.open_path_from_args(path);
        }
    }

    fn handle_shortcuts(&mut self, ctx: &egui::Context) {
        let shortcuts = [
            (KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::S), Command::SaveAsDialog),
            (KeyboardShortcut::new(Modifiers::COMMAND, Key::N), Command::NewWorkspace),
            (KeyboardShortcut::new(Modifiers::COMMAND, Key::O), Command::OpenDialog),
            (KeyboardShortcut::new(Modifiers::COMMAND, Key::S), Command::Save),
            (KeyboardShortcut::new(Modifiers::COMMAND, Key::I), Command::ImportDialog(None)),
            (KeyboardShortcut::new(Modifiers::COMMAND, Key::Q), Command::Quit),
        ];
        for (shortcut, command) in shortcuts {
            if ctx.input_mut(|i| i.consume_shortcut(&shortcut)) {
                self.send(command);
            }
        }
    }

    /// Carries out one command.
    pub fn apply(&mut self, ctx: &egui::Context, command: Command) {
        if command.replaces_document() && self.doc.as_ref().is_some_and(|d| d.dirty) && !self.discard_ok {
            self.confirm = Some(command);
            return;
        }
        if command.replaces_document() {
            self.discard_ok = false;
        }
        match command {
            Command::NewWorkspace => {
                self.doc = None;
                self.import = None;
            }
            Command::OpenDialog => {
                let dialog = || rfd::FileDialog::new().add_filter("Kitle", &[workspace::EXTENSION]).pick_file();
                match self.file_dialog(dialog) {
                    DialogOutcome::Picked(path) => self.send(Command::Open(path)),
                    DialogOutcome::Unavailable => self.path_prompt = Some((PathPurpose::Open, String::new())),
                    DialogOutcome::Cancelled => {}
                }
            }
            Command::Open(path) => self.start_load(ctx, path),
            Command::OpenDemo => {
                let path = self.demo_path.clone();
                self.start_load(ctx, path);
            }
            Command::Save => match self.doc.as_ref().and_then(|d| d.path.clone()) {
                Some(path) => self.save_to(&path),
                None if self.doc.is_some() => self.send(Command::SaveAsDialog),
                None => {}
            },
            Command::SaveAsDialog => {
                if let Some(doc) = &self.doc {
                    let name = format!("{}.{}", doc.workspace.name, workspace::EXTENSION);
                    let dialog = || {
                        rfd::FileDialog::new()
                            .add_filter("Kitle", &[workspace::EXTENSION])
                            .set_file_name(name)
                            .save_file()
                    };
                    match self.file_dialog(dialog) {
                        DialogOutcome::Picked(path) => self.send(Command::SaveTo(path)),
                        DialogOutcome::Unavailable => self.path_prompt = Some((PathPurpose::SaveAs, String::new())),
                        DialogOutcome::Cancelled => {}
                    }
                }
            }
            Command::SaveTo(path) => self.save_to(&path),
            Command::ImportDialog(path) => {
                let existing = self.doc.as_ref().map(resolved_sources);
                let mut dialog = ImportDialog::new(existing.as_deref());
                if let Some(path) = path {
                    dialog.add_file(ctx, path, self.lang());
                }
                self.import = Some(dialog);
            }
            Command::RunImport(specs) => self.start_import(ctx, specs),
            Command::CancelJob => {
                if let Some(job) = &self.loading {
                    job.cancel();
                }
            }
            Command::ShowReport => self.show_report = true,
            Command::Quit => {
                self.discard_ok = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Command::SetLang(l) => self.prefs.lang = Some(l),
            Command::SetTheme(theme) => {
                self.prefs.theme = theme;
                apply_theme(ctx, theme);
            }
            Command::SetTab(tab) => self.prefs.tab = tab,
            Command::SegmentDraft(rule) => {
                self.segment_draft = Some(rule);
                self.prefs.tab = Tab::Segments;
            }
            Command::SaveSegment(index, segment) => {
                if let Some(doc) = &mut self.doc {
                    let segments = &mut doc.workspace.segments;
                    match index.filter(|i| *i < segments.len()) {
                        Some(i) => segments[i] = segment,
                        None => segments.push(segment),
                    }
                    doc.dirty = true;
                }
            }
            Command::DuplicateSegment(i) => {
                let copy_word = t(self.lang(), "segments.copy");
                if let Some(doc) = &mut self.doc
                    && let Some(original) = doc.workspace.segments.get(i)
                {
                    let mut copy = original.clone();
                    copy.name = format!("{} ({copy_word})", copy.name);
                    copy.edited = Some(crate::engine::workspace::now_text());
                    doc.workspace.segments.insert(i + 1, copy);
                    doc.dirty = true;
                }
            }
            Command::DeleteSegment(i) => {
                if let Some(doc) = &mut self.doc
                    && i < doc.workspace.segments.len()
                {
                    let removed = doc.workspace.segments.remove(i);
                    self.segments.deleted = Some((i, removed));
                    doc.dirty = true;
                }
            }
            Command::UndoDeleteSegment => {
                if let (Some(doc), Some((i, seg))) = (&mut self.doc, self.segments.deleted.take()) {
                    let i = i.min(doc.workspace.segments.len());
                    doc.workspace.segments.insert(i, seg);
                    doc.dirty = true;
                }
            }
            Command::ExportMembers { rows, extension, name } => {
                let dialog = || {
                    rfd::FileDialog::new()
                        .add_filter(extension.to_uppercase(), &[extension])
                        .set_file_name(format!("{name}.{extension}"))
                        .save_file()
                };
                if let DialogOutcome::Picked(path) = self.file_dialog(dialog) {
                    self.send(Command::ExportMembersTo { rows, path });
                }
            }
            Command::ExportMembersTo { rows, path } => {
                if let Some(doc) = &self.doc {
                    let data = Arc::clone(&doc.data);
                    let lang = self.lang();
                    match Job::spawn("export", ctx, move |_| {
                        crate::engine::export::export_members(&data, &rows, &path)
                            .map(|()| path)
                            .map_err(|e| e.text(lang))
                    }) {
                        Ok(job) => self.export = Some(job),
                        Err(e) => self.notice = Some(Notice::Error(e)),
                    }
                }
            }
            Command::Notify(text) => self.notice = Some(Notice::Info(text)),
            Command::SetLtvBands(bands) => {
                if let Some(doc) = &mut self.doc {
                    doc.workspace.settings.ltv_bands = bands;
                    doc.dirty = true;
                }
            }
            Command::ManualSpendChanged => {
                if let Some(doc) = &mut self.doc {
                    let mut data = (*doc.data).clone();
                    doc.workspace.apply_manual_spend(&mut data);
                    doc.data = Arc::new(data);
                    doc.version += 1;
                    doc.dirty = true;
                }
            }
        }
    }

    fn start_load(&mut self, ctx: &egui::Context, path: PathBuf) {
        let demo = path == self.demo_path;
        let lang = self.lang();
        let job = Job::spawn("load", ctx, move |progress| -> LoadResult {
            if demo && !path.exists() {
                let dir = workspace::parent_dir(&path);
                crate::engine::demo::write_demo_workspace(&dir, &crate::engine::demo::DemoConfig::default())
                    .map_err(|e| e.text(lang))?;
            }
            let workspace = Workspace::load(&path).map_err(|e| e.text(lang))?;
            let data = workspace.load_data(&path, progress).map_err(|e| e.text(lang))?;
            Ok(Loaded { path: Some(path), workspace, data, dirty: false, show_report: false })
        });
        self.set_loading(job);
    }

    fn start_import(&mut self, ctx: &egui::Context, specs: Vec<SourceSpec>) {
        let lang = self.lang();
        let base = self.doc.as_ref().map(|d| (d.path.clone(), d.workspace.clone()));
        let job = Job::spawn("import", ctx, move |progress| -> LoadResult {
            let is_new = base.is_none();
            let (path, mut workspace) = base.unwrap_or_else(|| {
                let name = specs
                    .first()
                    .and_then(|s| s.path.file_stem())
                    .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
                (None, Workspace::new(name))
            });
            workspace.sources = specs
                .into_iter()
                .map(|mut s| {
                    s.path = std::path::absolute(&s.path).unwrap_or(s.path);
                    s
                })
                .collect();
            // Sources are absolute here; a save makes them relative to the workspace.
            let anchor = path.clone().unwrap_or_else(|| PathBuf::from("untitled.kitle"));
            let data = workspace.load_data(&anchor, progress).map_err(|e| e.text(lang))?;
            if is_new {
                workspace.segments = crate::engine::templates::starter_segments(&data, lang);
            }
            Ok(Loaded { path, workspace, data, dirty: true, show_report: true })
        });
        self.import = None;
        self.set_loading(job);
    }

    fn set_loading(&mut self, job: Result<Job<LoadResult>, String>) {
        match job {
            Ok(job) => self.loading = Some(job),
            Err(e) => self.notice = Some(Notice::Error(e)),
        }
    }

    fn save_to(&mut self, path: &Path) {
        let lang = self.lang();
        let Some(doc) = &mut self.doc else { return };
        let mut path = path.to_path_buf();
        if path.extension().is_none() {
            path.set_extension(workspace::EXTENSION);
        }
        if doc.workspace.name.is_empty() {
            doc.workspace.name = path.file_stem().map_or_else(String::new, |s| s.to_string_lossy().into_owned());
        }
        // Sources are stored relative to the workspace: resolve them against where it
        // was, so that saving somewhere else keeps them pointing at the same files.
        let mut to_save = doc.workspace.clone();
        to_save.sources = resolved_sources(doc);
        match to_save.save(&path) {
            Ok(()) => {
                // Reload the stored (relative) form so later saves stay relative.
                if let Ok(saved) = Workspace::load(&path) {
                    doc.workspace = saved;
                }
                doc.path = Some(path.clone());
                doc.dirty = false;
                self.remember_recent(&path);
                self.notice = Some(Notice::Info(t(lang, "status.saved").to_owned()));
            }
            Err(e) => self.notice = Some(Notice::Error(e.text(lang))),
        }
    }

    /// Runs a native file dialog. One that returns at once without a file means
    /// there is no dialog on this system (no portal, no zenity): the user is told
    /// so, and callers offer a typed path instead.
    fn file_dialog(&mut self, dialog: impl FnOnce() -> Option<PathBuf>) -> DialogOutcome {
        if !self.native_dialogs {
            return DialogOutcome::Cancelled;
        }
        let started = std::time::Instant::now();
        match dialog() {
            Some(path) => DialogOutcome::Picked(path),
            None if started.elapsed() < std::time::Duration::from_millis(30) => {
                self.notice = Some(Notice::Error(t(self.lang(), "error.dialog_unavailable").to_owned()));
                DialogOutcome::Unavailable
            }
            None => DialogOutcome::Cancelled,
        }
    }

    /// Draws the whole window.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang();
        egui::Panel::top("menu").show(ui, |ui| self.menu_ui(ui, lang));
        self.status_ui(ui, lang);
        if self.doc.is_some() {
            egui::Panel::top("tabs").show(ui, |ui| self.tabs_ui(ui, lang));
        }
        egui::CentralPanel::default().show(ui, |ui| {
            self.notice_ui(ui, lang);
            match &self.doc {
                None => start::start_ui(self, ui, lang),
                Some(_) => self.tab_ui(ui, lang),
            }
        });
        let ctx = ui.ctx().clone();
        if let Some(mut dialog) = self.import.take() {
            let mut out = Vec::new();
            let keep = dialog.ui(&ctx, lang, &mut out);
            for c in out {
                self.send(c);
            }
            if keep && self.import.is_none() {
                self.import = Some(dialog);
            }
        }
        if let Some(doc) = &mut self.doc
            && self.dashboard.spend_editor_ui(&ctx, &mut doc.workspace.manual_spend, lang)
        {
            self.send(Command::ManualSpendChanged);
        }
        self.report_ui(&ctx, lang);
        self.path_prompt_ui(&ctx, lang);
        self.confirm_ui(&ctx, lang);
    }

    /// Asks for a workspace path by typing, when no native dialog is available.
    fn path_prompt_ui(&mut self, ctx: &egui::Context, lang: Lang) {
        let Some((purpose, mut text)) = self.path_prompt.take() else { return };
        let mut open = true;
        let mut done = false;
        let title = if purpose == PathPurpose::Open { "menu.open" } else { "menu.save_as" };
        egui::Window::new(t(lang, title)).id(egui::Id::unique("path-prompt")).open(&mut open).show(ctx, |ui| {
            ui.horizontal(|ui| {
                let label = ui.label(t(lang, "import.path"));
                let edit = ui.add(egui::TextEdit::singleline(&mut text).desired_width(360.0)).labelled_by(label.id);
                let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if ui.button(t(lang, "prompt.ok")).clicked() || enter {
                    done = true;
                }
            });
        });
        let path = PathBuf::from(text.trim());
        if done && !text.trim().is_empty() {
            self.notice = None;
            self.send(match purpose {
                PathPurpose::Open => Command::Open(path),
                PathPurpose::SaveAs => Command::SaveTo(path),
            });
        } else if open {
            self.path_prompt = Some((purpose, text));
        }
    }

    fn menu_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button(t(lang, "menu.file"), |ui| {
                let has_doc = self.doc.is_some();
                let items: [(&str, Option<&str>, Command, bool); 6] = [
                    ("menu.new", Some("Ctrl+N"), Command::NewWorkspace, true),
                    ("menu.open", Some("Ctrl+O"), Command::OpenDialog, true),
                    ("menu.save", Some("Ctrl+S"), Command::Save, has_doc),
                    ("menu.save_as", Some("Ctrl+Shift+S"), Command::SaveAsDialog, has_doc),
                    ("menu.import", Some("Ctrl+I"), Command::ImportDialog(None), true),
                    ("menu.report", None, Command::ShowReport, has_doc),
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
                    self.send(Command::Quit);
                }
            });
            ui.menu_button(t(lang, "menu.view"), |ui| {
                ui.label(t(lang, "menu.language"));
                for (l, key) in [(Lang::Tr, "lang.tr"), (Lang::En, "lang.en")] {
                    if ui.radio(lang == l, t(lang, key)).clicked() {
                        self.send(Command::SetLang(l));
                    }
                }
                ui.separator();
                ui.label(t(lang, "menu.theme"));
                for (theme, key) in [
                    (ThemeChoice::System, "theme.system"),
                    (ThemeChoice::Light, "theme.light"),
                    (ThemeChoice::Dark, "theme.dark"),
                ] {
                    if ui.radio(self.prefs.theme == theme, t(lang, key)).clicked() {
                        self.send(Command::SetTheme(theme));
                    }
                }
            });
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let other = if lang == Lang::Tr { Lang::En } else { Lang::Tr };
                let label = if other == Lang::Tr { "TR" } else { "EN" };
                if ui.button(label).on_hover_text(t(lang, "menu.language")).clicked() {
                    self.send(Command::SetLang(other));
                }
            });
        });
    }

    fn tabs_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        ui.horizontal(|ui| {
            ui.heading(t(lang, "app.hub"));
            ui.add_space(16.0);
            for tab in Tab::ALL {
                if ui.selectable_label(self.prefs.tab == tab, t(lang, tab.label_key())).clicked() {
                    self.send(Command::SetTab(tab));
                }
            }
        });
    }

    fn tab_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        let Some(doc) = &self.doc else { return };
        match self.prefs.tab {
            Tab::Dashboard => {
                let mut out = Vec::new();
                self.dashboard.ui(ui, doc, lang, &mut out);
                for c in out {
                    self.send(c);
                }
            }
            Tab::Segments => {
                let mut out = Vec::new();
                self.segments.ui(ui, doc, lang, &mut out);
                for c in out {
                    self.send(c);
                }
            }
            Tab::Personas => tabs::not_built_ui(ui, lang, "tab.personas", "soon.personas"),
            Tab::Explore => tabs::not_built_ui(ui, lang, "tab.explore", "soon.explore"),
            Tab::Customers => self.customers.ui(ui, doc, lang),
        }
    }

    fn status_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        egui::Panel::bottom("status").show(ui, |ui| {
            ui.horizontal(|ui| {
                if let Some(job) = &self.loading {
                    ui.spinner();
                    let key = if job.name == "import" { "status.importing" } else { "status.loading" };
                    ui.label(t(lang, key));
                    ui.add(egui::ProgressBar::new(job.progress.fraction()).desired_width(160.0).show_percentage());
                    if ui.button(t(lang, "status.cancel")).clicked() {
                        self.send(Command::CancelJob);
                    }
                } else if let Some(doc) = &self.doc {
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
                }
            });
        });
    }

    fn notice_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        let Some(notice) = &self.notice else { return };
        let (text, color) = match notice {
            Notice::Info(text) => (text.clone(), ui.visuals().text_color()),
            Notice::Error(text) => (text.clone(), ui.visuals().error_fg_color),
        };
        let mut close = false;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.colored_label(color, text);
                if ui.small_button(t(lang, "close")).clicked() {
                    close = true;
                }
            });
        });
        if close {
            self.notice = None;
        }
    }

    fn report_ui(&mut self, ctx: &egui::Context, lang: Lang) {
        if !self.show_report {
            return;
        }
        let Some(doc) = &self.doc else { return };
        let mut open = true;
        egui::Window::new(t(lang, "report.title")).open(&mut open).default_width(560.0).show(ctx, |ui| {
            import_dialog::report_ui(ui, &doc.data.report, lang);
        });
        self.show_report = open;
    }

    fn confirm_ui(&mut self, ctx: &egui::Context, lang: Lang) {
        let Some(pending) = self.confirm.clone() else { return };
        let mut choice = None;
        egui::Modal::new(egui::Id::unique("confirm-unsaved")).show(ctx, |ui| {
            ui.heading(t(lang, "confirm.title"));
            ui.label(t(lang, "confirm.body"));
            ui.horizontal(|ui| {
                if ui.button(t(lang, "confirm.save")).clicked() {
                    choice = Some(0);
                }
                if ui.button(t(lang, "confirm.discard")).clicked() {
                    choice = Some(1);
                }
                if ui.button(t(lang, "confirm.cancel")).clicked() {
                    choice = Some(2);
                }
            });
        });
        match choice {
            Some(0) => {
                // Saving runs first; if it did not happen (no file chosen), the pending
                // command finds the document still unsaved and asks again.
                self.confirm = None;
                self.send(Command::Save);
                self.send(pending);
            }
            Some(1) => {
                self.confirm = None;
                self.discard_ok = true;
                self.send(pending);
            }
            Some(_) => self.confirm = None,
            None => {}
        }
    }
}

impl eframe::App for KitleApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        KitleApp::logic(self, ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        KitleApp::ui(self, ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.prefs);
    }
}

/// The document's sources with absolute paths (workspaces store them relative).
fn resolved_sources(doc: &Document) -> Vec<SourceSpec> {
    let base = doc.path.as_deref().map_or_else(|| PathBuf::from("."), workspace::parent_dir);
    doc.workspace
        .sources
        .iter()
        .map(|s| {
            let mut s = s.clone();
            s.path = crate::engine::import::resolve_path(&base, &s.path);
            s
        })
        .collect()
}

pub fn is_workspace_file(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case(workspace::EXTENSION))
}

/// The demo beside the sources when run from a checkout, else in the user's data folder.
fn default_demo_path() -> PathBuf {
    let in_repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("workspaces").join("demo.kitle");
    if in_repo.exists() {
        return in_repo;
    }
    let data_home = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(std::env::temp_dir);
    data_home.join("kitle").join("demo").join("demo.kitle")
}

fn apply_theme(ctx: &egui::Context, theme: ThemeChoice) {
    ctx.set_theme(match theme {
        ThemeChoice::System => egui::ThemePreference::System,
        ThemeChoice::Light => egui::ThemePreference::Light,
        ThemeChoice::Dark => egui::ThemePreference::Dark,
    });
}

/// egui's fonts lack a few symbols Kitle shows (₺, →, ≥ …): add them as a fallback.
fn install_fonts(ctx: &egui::Context) {
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert(
        "kitle-symbols".to_owned(),
        Arc::new(egui::FontData::from_static(include_bytes!("../../assets/fonts/kitle-symbols.ttf"))),
    );
    for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
        fonts.families.entry(family).or_default().push("kitle-symbols".to_owned());
    }
    ctx.set_fonts(fonts);
}

/// Runs the desktop app; `path` is a workspace or spreadsheet from the command line.
pub fn run(path: Option<PathBuf>) -> eframe::Result {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Kitle")
            .with_app_id("kitle")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([720.0, 480.0])
            .with_drag_and_drop(true)
            .with_icon(app_icon()),
        ..Default::default()
    };
    eframe::run_native(
        "Kitle",
        options,
        Box::new(move |cc| {
            let mut app = KitleApp::new(cc);
            if let Some(path) = path {
                app.open_path_from_args(path);
            }
            Ok(Box::new(app))
        }),
    )
}

fn app_icon() -> egui::IconData {
    eframe::icon_data::from_png_bytes(include_bytes!("../../assets/kitle.png")).unwrap_or_default()
}
