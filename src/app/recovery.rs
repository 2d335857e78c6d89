//! Never lose work. While the document has unsaved changes, its workspace (sources
//! as absolute paths) is written every few seconds to a recovery file in the user's
//! data folder — atomically, and never over the workspace itself. Saving, or
//! answering "don't save", removes it. A recovery file still there at the next start
//! means Kitle stopped without the user deciding (a crash, a kill, a power cut): the
//! start offers to restore it.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::document::Document;
use crate::engine::workspace::{Workspace, write_private};

/// How often unsaved changes are written at most.
pub const EVERY: Duration = Duration::from_secs(3);

/// What a recovery file holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecoveryFile {
    /// Where the workspace lives (`None`: never saved).
    pub original: Option<PathBuf>,
    /// When the changes were written (local time, `YYYY-MM-DD HH:MM:SS`).
    pub written: String,
    pub workspace: Workspace,
}

/// The user's data folder for Kitle (recovery files, logs, the demo when not run
/// from a checkout): `KITLE_DATA_DIR`, else the platform's
/// (`$XDG_DATA_HOME/kitle`, `~/.local/share/kitle`).
pub fn data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("KITLE_DATA_DIR") {
        return PathBuf::from(dir);
    }
    std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(std::env::temp_dir)
        .join("kitle")
}

/// Writes a document's unsaved changes to its recovery file while they last.
#[derive(Default)]
pub struct Recovery {
    /// Where recovery files go; `None` turns recovery off (tests, smoke runs).
    dir: Option<PathBuf>,
    /// The file written last and the text written there.
    written: Option<(PathBuf, String)>,
    last_check: Option<Instant>,
}

impl Recovery {
    pub fn in_dir(dir: PathBuf) -> Self {
        Self { dir: Some(dir), ..Self::default() }
    }

    /// The recovery file of the workspace at `original` (one per workspace).
    fn file_for(&self, original: Option<&Path>) -> Option<PathBuf> {
        use sha2::Digest;
        let dir = self.dir.as_ref()?;
        let name = match original {
            Some(path) => {
                let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
                let digest = sha2::Sha256::digest(absolute.to_string_lossy().as_bytes());
                format!("{}.ron", digest.iter().take(8).map(|b| format!("{b:02x}")).collect::<String>())
            }
            None => "untitled.ron".to_owned(),
        };
        Some(dir.join(name))
    }

    /// Called every frame: writes the document's changes when they differ from what
    /// was written (at most every [`EVERY`]); removes the file once nothing is unsaved.
    pub fn follow(&mut self, doc: Option<&Document>, now: Instant) -> Result<(), String> {
        let Some(doc) = doc.filter(|d| d.dirty) else {
            self.remove();
            return Ok(());
        };
        if self.last_check.is_some_and(|t| now.duration_since(t) < EVERY) {
            return Ok(());
        }
        self.last_check = Some(now);
        let Some(file) = self.file_for(doc.path.as_deref()) else { return Ok(()) };
        let mut workspace = doc.workspace.clone();
        workspace.sources = doc.resolved_sources();
        let text =
            ron::ser::to_string_pretty(&workspace, ron::ser::PrettyConfig::default()).map_err(|e| e.to_string())?;
        if self.written.as_ref().is_some_and(|(f, t)| *f == file && *t == text) {
            return Ok(());
        }
        let record = RecoveryFile {
            original: doc.path.clone(),
            written: chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string(),
            workspace,
        };
        let bytes =
            ron::ser::to_string_pretty(&record, ron::ser::PrettyConfig::default()).map_err(|e| e.to_string())?;
        if let Some(dir) = &self.dir {
            std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        }
        write_private(&file, bytes.as_bytes()).map_err(|e| e.to_string())?;
        if let Some((old, _)) = self.written.replace((file.clone(), text))
            && old != file
        {
            // The old file is stale either way; one left behind is offered once and ignored.
            std::fs::remove_file(old).ok();
        }
        Ok(())
    }

    /// Writes the document's unsaved changes now (after a crash), whenever the last write was.
    pub fn write_now(&mut self, doc: Option<&Document>) -> Result<(), String> {
        if doc.is_none_or(|d| !d.dirty) {
            return Ok(());
        }
        self.last_check = None;
        self.follow(doc, Instant::now())
    }

    /// Removes the file written for the current document (its changes were saved,
    /// or the user chose not to keep them).
    pub fn remove(&mut self) {
        if let Some((file, _)) = self.written.take() {
            // Already gone, or not ours to remove: nothing is lost either way.
            std::fs::remove_file(file).ok();
        }
        self.last_check = None;
    }

    /// Recovery files left by an earlier run, newest first (unreadable ones skipped).
    pub fn leftovers(&self) -> Vec<(PathBuf, RecoveryFile)> {
        let Some(dir) = &self.dir else { return Vec::new() };
        let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
        let mut found: Vec<(PathBuf, RecoveryFile)> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "ron"))
            .filter_map(|p| {
                let text = std::fs::read_to_string(&p).ok()?;
                Some((p, ron::from_str::<RecoveryFile>(&text).ok()?))
            })
            .collect();
        found.sort_by(|a, b| b.1.written.cmp(&a.1.written));
        found
    }
}

/// Reads a recovery file back (for restoring).
pub fn read(file: &Path) -> Result<RecoveryFile, String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
    ron::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))
}
