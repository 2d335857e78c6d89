//! The desktop app: the "Audiences & Customers" window.
//!
//! The map:
//! - [`KitleApp`] (this file): the app's state and the eframe glue.
//! - [`state`]: UI choices remembered between runs; [`document`]: the open
//!   workspace, its customers and undo history, load/import/save.
//! - [`command`]: what widgets ask for; [`command_handling`]: carrying it out
//!   (audiences' files and pushes in [`audience_commands`], store connections
//!   and refreshes in [`store_commands`]).
//! - [`logic`]: per-frame work that is not drawing; [`ui`]: drawing the shell.
//! - [`jobs`], [`keyed`], [`tasks`]: background work (one thread per job; values
//!   recomputed when their key changes; long jobs shown in the status bar).
//! - [`cache`]: derived data several tabs share; [`recovery`]: unsaved changes
//!   written aside while they last, offered back after a crash.
//! - [`tabs`]: one file or folder per tab behind one trait; [`dialogs`]: windows;
//!   [`widgets`]: theme, charts and the customer table.
//!
//! The engine underneath knows nothing of egui.

pub use crate::i18n;
mod audience_commands;
pub mod cache;
pub mod command;
mod command_handling;
pub mod crash;
pub mod dialogs;
pub mod document;
pub mod drill;
pub mod jobs;
pub mod keyed;
mod logic;
pub mod recovery;
mod start;
pub mod state;
pub mod store_commands;
pub mod tabs;
pub mod tasks;
mod ui;
pub mod widgets;

use std::path::PathBuf;
use std::sync::mpsc::Receiver;

pub use command::{AudienceCommand, Command, CommandSender, FileCommand, SegmentCommand, StoreCommand, ViewCommand};
pub use dialogs::path_prompt::PathTarget;
pub use document::Document;
pub use state::{Notice, Prefs, Tab, ThemeChoice};

use cache::SharedCache;
use dialogs::import::ImportDialog;
use i18n::Lang;
use tabs::TabView;
use tasks::Tasks;

pub struct KitleApp {
    pub prefs: Prefs,
    pub doc: Option<Document>,
    /// Derived data the tabs share, following `doc`.
    pub cache: SharedCache,
    /// The tabs, in tab-bar order ([`tabs::registry`]).
    tabs: Vec<Box<dyn TabView>>,
    /// Long jobs: loading, importing, exporting.
    pub tasks: Tasks,
    pub import: Option<ImportDialog>,
    /// The remarketing-audience dialog.
    pub audience: Option<dialogs::audience::AudienceDialog>,
    /// Ad platform tokens given this session: in memory only, never saved.
    pub session_tokens: std::collections::HashMap<crate::engine::audience::Platform, crate::connect::http::Token>,
    /// The "Connect a store" dialog.
    pub connect: Option<dialogs::connect::ConnectDialog>,
    /// A store's credentials given this session (store address, credentials): in memory only.
    pub store_credentials: Option<(String, crate::connect::store::StoreCredentials)>,
    /// Where the local copies of stores connected before their workspace is saved live.
    pub stores_dir: PathBuf,
    /// Where the export records of workspaces not yet saved are kept.
    pub exports_dir: PathBuf,
    /// A command waiting for the answer to "save changes first?".
    pub confirm: Option<dialogs::confirm::ConfirmDialog>,
    /// Asking for a path by typing (no native file dialog on this system).
    pub path_prompt: Option<dialogs::path_prompt::PathPrompt>,
    pub notice: Option<Notice>,
    /// The import report window.
    pub report: Option<dialogs::report::ReportDialog>,
    /// Help → About.
    pub about: Option<dialogs::about::AboutDialog>,
    pub guide: Option<dialogs::guide::GuideDialog>,
    /// Unsaved changes written while they last.
    pub recovery: recovery::Recovery,
    /// The unsaved changes an earlier run left, offered for restoring.
    pub restore: Option<dialogs::restore::RestoreDialog>,
    commands: CommandSender,
    receiver: Receiver<Command>,
    /// Commands received while drawing, applied at the start of the next frame.
    queued: Vec<Command>,
    /// Set when the user agreed to drop unsaved changes for the next command.
    discard_ok: bool,
    /// When the last edit was applied: edits in quick succession (typing) are one
    /// undo step.
    last_edit: Option<std::time::Instant>,
    /// The window title last sent, to send it only on change.
    title: String,
    /// Whether native file dialogs are shown (not in tests).
    pub file_dialogs: dialogs::file::FileDialogs,
    /// Where "Open demo" finds or writes the demo workspace.
    pub demo_path: PathBuf,
    /// Fonts and theme installed.
    set_up: bool,
    /// Smoke-test mode (`KITLE_SMOKE=1`): report the first load's outcome and quit.
    smoke_test: bool,
    /// Milliseconds from start to the first frame (smoke test).
    first_frame_ms: Option<u128>,
    /// A crash drill for CI (`KITLE_DRILL`), see [`drill`].
    /// A crash drill in progress (CI's `KITLE_DRILL`, and the panic test).
    #[doc(hidden)]
    pub drill: Option<drill::Drill>,
    /// A panic caught on the UI thread: the window shows it instead of the app.
    pub crash: Option<crash::Crash>,
}

/// The smoke test's exit code, read by `main` after the window closed.
pub static SMOKE_EXIT_CODE: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);

impl KitleApp {
    /// The app with stored preferences, fonts and theme set up.
    pub fn new(cc: &eframe::CreationContext<'_>) -> Self {
        let prefs: Prefs = cc.storage.and_then(|s| eframe::get_value(s, eframe::APP_KEY)).unwrap_or_default();
        let mut app = Self::with_prefs(prefs);
        app.file_dialogs = dialogs::file::FileDialogs::Native;
        app.smoke_test = std::env::var_os("KITLE_SMOKE").is_some();
        app.drill = drill::Drill::from_env();
        app
    }

    /// The app without eframe storage (tests, first run). Fonts and theme are set up
    /// on the first frame.
    pub fn with_prefs(prefs: Prefs) -> Self {
        let (commands, receiver) = CommandSender::new();
        Self {
            prefs,
            doc: None,
            cache: SharedCache::default(),
            tabs: tabs::registry(),
            tasks: Tasks::default(),
            import: None,
            audience: None,
            session_tokens: std::collections::HashMap::new(),
            connect: None,
            store_credentials: None,
            stores_dir: recovery::data_dir().join("stores"),
            exports_dir: recovery::data_dir().join("exports"),
            confirm: None,
            path_prompt: None,
            notice: None,
            report: None,
            about: None,
            guide: None,
            recovery: recovery::Recovery::default(),
            restore: None,
            commands,
            receiver,
            queued: Vec::new(),
            discard_ok: false,
            last_edit: None,
            title: String::new(),
            file_dialogs: dialogs::file::FileDialogs::Off,
            demo_path: document::default_demo_path(),
            set_up: false,
            smoke_test: false,
            first_frame_ms: None,
            drill: None,
            crash: None,
        }
    }

    pub fn lang(&self) -> Lang {
        self.prefs.lang()
    }

    /// Queues a command for the start of the next frame.
    pub fn send(&mut self, command: impl Into<Command>) {
        self.queued.push(command.into());
    }

    /// A sender for commands (clone it into widgets or workers).
    pub fn commands(&self) -> &CommandSender {
        &self.commands
    }

    /// Opens what the command line named: a workspace, or a spreadsheet to import.
    pub fn open_path_from_args(&mut self, path: PathBuf) {
        if document::is_workspace_file(&path) {
            self.send(FileCommand::Open(path));
        } else {
            self.send(FileCommand::ImportDialog(Some(path)));
        }
    }

    /// The tab of type `T`.
    pub fn tab<T: TabView>(&self) -> Option<&T> {
        self.tabs.iter().find_map(|t| (&**t as &dyn std::any::Any).downcast_ref::<T>())
    }

    /// The tab of type `T`, to change.
    pub fn tab_mut<T: TabView>(&mut self) -> Option<&mut T> {
        self.tabs.iter_mut().find_map(|t| (&mut **t as &mut dyn std::any::Any).downcast_mut::<T>())
    }
}

impl eframe::App for KitleApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        if self.crash.is_none() {
            self.guarded(|app| KitleApp::logic(app, ctx));
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        if self.crash.is_some() {
            self.crash_ui(ui);
        } else {
            self.guarded(|app| KitleApp::ui(app, ui));
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.prefs);
    }
}

/// Runs the desktop app; `path` is a workspace or spreadsheet from the command line.
/// Panics are written with their backtrace to the data folder's `logs/` (the
/// recovery file, written after every change, keeps the user's changes).
fn log_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        default(info);
        let dir = recovery::data_dir().join("logs");
        let file = dir.join(format!("panic-{}.log", chrono::Local::now().format("%Y%m%d-%H%M%S")));
        let text = format!("Kitle {}\n{info}\n\n{}\n", crate::version(), std::backtrace::Backtrace::force_capture());
        if std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&file, text)).is_ok() {
            eprintln!("kitle: something went wrong; the details are in {}", file.display());
            if let Ok(mut last) = crash::LAST_PANIC_LOG.lock() {
                *last = Some(file);
            }
        }
    }));
}

/// When `run` was called: the smoke test reports its first frame and its data from here.
pub(crate) static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

pub fn run(path: Option<PathBuf>) -> eframe::Result {
    STARTED.get_or_init(std::time::Instant::now);
    log_panics();
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Kitle")
            .with_app_id("kitle")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([720.0, 480.0])
            .with_drag_and_drop(true)
            .with_icon(app_icon()),
        // OpenGL, which software GL runs anywhere; named, because the tests' snapshot
        // renderer turns eframe's wgpu on too, and wgpu would then be the default.
        renderer: eframe::Renderer::Glow,
        ..Default::default()
    };
    eframe::run_native(
        "Kitle",
        options,
        Box::new(move |cc| {
            let mut app = KitleApp::new(cc);
            if !app.smoke_test {
                app.recovery = recovery::Recovery::in_dir(recovery::data_dir().join("recovery"));
                app.restore = dialogs::restore::RestoreDialog::new(app.recovery.leftovers());
            }
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
