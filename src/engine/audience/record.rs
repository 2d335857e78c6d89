//! The export record: what personal data left (or was written to leave) the
//! machine, when, where to and which fields, so "which customers' data did we send
//! to Meta, and when?" has an answer after the fact. One JSON line per event in
//! `{stem}.audiences/exports.jsonl` beside the workspace, appended and synced before
//! the data goes (a push records each batch before it is sent), never rewritten.
//! It holds counts, field names and where things went, never an identifier, hashed
//! or not. A line cut short by a crash is skipped when read and never merged with
//! the next one.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Identifier, Platform};

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportAction {
    /// An upload file written.
    File,
    /// Members sent to a platform's API to be added.
    Push,
    /// Members sent to a platform's API to be removed.
    Remove,
}

/// One line of the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportEvent {
    /// Local time with its offset (`2026-12-06T10:00:00+03:00`).
    pub time: String,
    pub action: ExportAction,
    /// The platform (`google`, `meta`, `tiktok`, `hashed`).
    pub destination: String,
    /// The saved audience or segment; `None` for a one-off rule.
    pub audience: Option<String>,
    /// The rule, for an export made from a rule typed on the command line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    pub members: usize,
    /// The identifier kinds sent (`email`, `phone` …), never their values.
    pub fields: Vec<String>,
    /// The file written, or the account and list sent to (`google:ACCOUNT/LIST`).
    pub target: String,
    /// The app version that did it.
    pub version: String,
}

impl ExportEvent {
    /// An event now, by this build of Kitle.
    pub fn now(action: ExportAction, platform: Platform, members: usize, fields: &[Identifier]) -> Self {
        Self {
            time: chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
            action,
            destination: platform.id().to_owned(),
            audience: None,
            rule: None,
            members,
            fields: fields.iter().map(|f| f.id().to_owned()).collect(),
            target: String::new(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
        }
    }

    /// Named after a saved audience or segment (empty: none).
    pub fn for_audience(mut self, name: &str) -> Self {
        self.audience = (!name.is_empty()).then(|| name.to_owned());
        self
    }

    pub fn with_rule(mut self, rule: &str) -> Self {
        self.rule = (!rule.is_empty()).then(|| rule.to_owned());
        self
    }

    pub fn to(mut self, target: impl Into<String>) -> Self {
        self.target = target.into();
        self
    }
}

/// A workspace's export record file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRecord {
    path: PathBuf,
}

/// The record as read: its events, oldest first, and lines that could not be read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RecordRead {
    pub entries: Vec<ExportEvent>,
    /// Lines cut short by a crash or damaged, skipped.
    pub unreadable: usize,
}

impl ExportRecord {
    /// The record of the workspace at `workspace` (beside its audience memberships).
    pub fn of_workspace(workspace: &Path) -> Self {
        Self { path: super::diff::audiences_dir(workspace).join("exports.jsonl") }
    }

    /// A record at a path of its own (an unsaved workspace's, in the user's data folder).
    pub fn at(path: PathBuf) -> Self {
        Self { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one event and syncs it to disk (and the folder, for a new file)
    /// before returning: what is about to leave is on record first.
    pub fn append(&self, event: &ExportEvent) -> std::io::Result<()> {
        let line = serde_json::to_string(event).map_err(std::io::Error::other)? + "\n";
        self.append_lines(line.as_bytes())
    }

    fn append_lines(&self, lines: &[u8]) -> std::io::Result<()> {
        let mut file = crate::engine::files::open_private_append(&self.path)?;
        // A line cut short by a crash is ended first, so the new one stays whole.
        if ends_mid_line(&mut file)? {
            file.write_all(b"\n")?;
        }
        file.write_all(lines)?;
        file.sync_all()
    }

    /// The events recorded so far (none when nothing was ever exported).
    pub fn read(&self) -> std::io::Result<RecordRead> {
        let text = match std::fs::read(&self.path) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(RecordRead::default()),
            Err(e) => return Err(e),
        };
        let mut read = RecordRead::default();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            match serde_json::from_str(line) {
                Ok(event) => read.entries.push(event),
                Err(_) => read.unreadable += 1,
            }
        }
        Ok(read)
    }

    /// Moves this record's events to the end of `to` (an unsaved workspace's record
    /// once it is saved), then removes this one.
    pub fn move_to(&self, to: &ExportRecord) -> std::io::Result<()> {
        if self.path == to.path {
            return Ok(());
        }
        if self.copy_to(to)? {
            std::fs::remove_file(&self.path)?;
        }
        Ok(())
    }

    /// Appends this record's events to `to` (a workspace saved as a copy takes its
    /// record along); false when there was nothing to copy.
    pub fn copy_to(&self, to: &ExportRecord) -> std::io::Result<bool> {
        if self.path == to.path {
            return Ok(false);
        }
        let mut bytes = match std::fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
            Err(e) => return Err(e),
        };
        if !bytes.is_empty() && !bytes.ends_with(b"\n") {
            bytes.push(b'\n');
        }
        to.append_lines(&bytes)?;
        Ok(true)
    }
}

/// Writes an upload file and records it (`event` is told the members written); a
/// file the record can't take is removed again, so none is left unrecorded.
pub fn write_recorded_file(
    rows: &super::AudienceRows,
    path: &Path,
    record: &ExportRecord,
    event: impl FnOnce(usize) -> ExportEvent,
) -> std::io::Result<usize> {
    let written = super::files::write_upload_file(rows, path)?;
    if let Err(e) = record.append(&event(written)) {
        std::fs::remove_file(path).ok();
        let why =
            format!("the file was not kept: the export record {} could not be written ({e})", record.path().display());
        return Err(std::io::Error::new(e.kind(), why));
    }
    Ok(written)
}

/// Whether the file's last byte is not a line end (a write cut short).
fn ends_mid_line(file: &mut std::fs::File) -> std::io::Result<bool> {
    use std::io::{Read, Seek, SeekFrom};
    let len = file.metadata()?.len();
    if len == 0 {
        return Ok(false);
    }
    file.seek(SeekFrom::Start(len - 1))?;
    let mut last = [0u8];
    file.read_exact(&mut last)?;
    Ok(last[0] != b'\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(members: usize) -> ExportEvent {
        ExportEvent::now(ExportAction::File, Platform::Meta, members, &[Identifier::Email, Identifier::Phone])
            .for_audience("VIP")
            .to("vip-meta.csv")
    }

    #[test]
    fn events_are_appended_and_read_back_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let record = ExportRecord::of_workspace(&dir.path().join("shop.kitle"));
        assert_eq!(record.read().unwrap(), RecordRead::default(), "nothing exported yet");
        record.append(&event(592)).unwrap();
        record.append(&event(600)).unwrap();
        let read = record.read().unwrap();
        assert_eq!(read.entries.iter().map(|e| e.members).collect::<Vec<_>>(), [592, 600]);
        assert_eq!(read.entries[0].fields, ["email", "phone"]);
        assert!(read.entries[0].time.len() == 25 && read.entries[0].time.contains('T'), "{}", read.entries[0].time);
        assert!(record.path().ends_with("shop.audiences/exports.jsonl"));
    }

    #[test]
    fn a_line_cut_short_by_a_crash_is_skipped_and_the_next_stays_whole() {
        let dir = tempfile::tempdir().unwrap();
        let record = ExportRecord::of_workspace(&dir.path().join("shop.kitle"));
        record.append(&event(1)).unwrap();
        let whole = serde_json::to_string(&event(2)).unwrap();
        let mut file = std::fs::OpenOptions::new().append(true).open(record.path()).unwrap();
        file.write_all(&whole.as_bytes()[..whole.len() / 2]).unwrap();
        drop(file);
        record.append(&event(3)).unwrap();
        let read = record.read().unwrap();
        assert_eq!(read.entries.iter().map(|e| e.members).collect::<Vec<_>>(), [1, 3]);
        assert_eq!(read.unreadable, 1);
    }

    #[test]
    fn an_unsaved_workspaces_record_moves_to_the_saved_one() {
        let dir = tempfile::tempdir().unwrap();
        let unsaved = ExportRecord::at(dir.path().join("data").join("unsaved-exports.jsonl"));
        unsaved.append(&event(7)).unwrap();
        let saved = ExportRecord::of_workspace(&dir.path().join("shop.kitle"));
        saved.append(&event(5)).unwrap();
        unsaved.move_to(&saved).unwrap();
        assert_eq!(saved.read().unwrap().entries.iter().map(|e| e.members).collect::<Vec<_>>(), [5, 7]);
        assert!(!unsaved.path().exists());
    }
}
