//! Native file dialogs (rfd). A dialog that returns at once without a file means
//! the system has none (no desktop portal, no zenity): callers then offer a typed
//! path instead. Dialogs run on the UI thread, as the platforms require; the work
//! they lead to (loading, writing) runs in the background.

use std::path::PathBuf;
use std::time::{Duration, Instant};

/// What a native file dialog gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DialogOutcome {
    Picked(PathBuf),
    Cancelled,
    /// No dialog on this system.
    Unavailable,
}

/// Whether native dialogs are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FileDialogs {
    /// The system's own dialogs.
    Native,
    /// None shown, as if cancelled (tests).
    #[default]
    Off,
    /// None shown, as on a system without any (tests of the typed path).
    Missing,
}

/// Runs `dialog` when native dialogs are on.
pub fn run(mode: FileDialogs, dialog: impl FnOnce() -> Option<PathBuf>) -> DialogOutcome {
    match mode {
        FileDialogs::Off => return DialogOutcome::Cancelled,
        FileDialogs::Missing => return DialogOutcome::Unavailable,
        FileDialogs::Native => {}
    }
    let started = Instant::now();
    match dialog() {
        Some(path) => DialogOutcome::Picked(path),
        None if started.elapsed() < Duration::from_millis(30) => DialogOutcome::Unavailable,
        None => DialogOutcome::Cancelled,
    }
}

/// Asks for a workspace to open.
pub fn pick_workspace(mode: FileDialogs) -> DialogOutcome {
    run(mode, || rfd::FileDialog::new().add_filter("Kitle", &[crate::engine::workspace::EXTENSION]).pick_file())
}

/// Asks where to save a workspace.
pub fn save_workspace(mode: FileDialogs, file_name: String) -> DialogOutcome {
    run(mode, || {
        rfd::FileDialog::new()
            .add_filter("Kitle", &[crate::engine::workspace::EXTENSION])
            .set_file_name(file_name)
            .save_file()
    })
}

/// Asks where to write a file of this extension.
pub fn save_file(mode: FileDialogs, extension: &str, file_name: String) -> DialogOutcome {
    run(mode, || {
        rfd::FileDialog::new().add_filter(extension.to_uppercase(), &[extension]).set_file_name(file_name).save_file()
    })
}

/// Asks for a spreadsheet to import.
pub fn pick_spreadsheet(mode: FileDialogs, filter_name: &str) -> DialogOutcome {
    run(mode, || {
        rfd::FileDialog::new().add_filter(filter_name, &["csv", "tsv", "txt", "xlsx", "xlsm", "xls", "ods"]).pick_file()
    })
}
