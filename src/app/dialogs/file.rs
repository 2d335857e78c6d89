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

/// Runs `dialog`; `native` false (tests) never shows one.
pub fn run(native: bool, dialog: impl FnOnce() -> Option<PathBuf>) -> DialogOutcome {
    if !native {
        return DialogOutcome::Cancelled;
    }
    let started = Instant::now();
    match dialog() {
        Some(path) => DialogOutcome::Picked(path),
        None if started.elapsed() < Duration::from_millis(30) => DialogOutcome::Unavailable,
        None => DialogOutcome::Cancelled,
    }
}

/// Asks for a workspace to open.
pub fn pick_workspace(native: bool) -> DialogOutcome {
    run(native, || rfd::FileDialog::new().add_filter("Kitle", &[crate::engine::workspace::EXTENSION]).pick_file())
}

/// Asks where to save a workspace.
pub fn save_workspace(native: bool, file_name: String) -> DialogOutcome {
    run(native, || {
        rfd::FileDialog::new()
            .add_filter("Kitle", &[crate::engine::workspace::EXTENSION])
            .set_file_name(file_name)
            .save_file()
    })
}

/// Asks where to write a file of this extension.
pub fn save_file(native: bool, extension: &str, file_name: String) -> DialogOutcome {
    run(native, || {
        rfd::FileDialog::new().add_filter(extension.to_uppercase(), &[extension]).set_file_name(file_name).save_file()
    })
}
