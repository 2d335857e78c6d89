//! Never lose work. While the document has unsaved changes, its workspace (sources
//! as absolute paths) is written to a recovery file in the user's data folder after
//! every change — at the end of the frame the change landed in, by a writer thread
//! of its own, atomically (synced, then renamed, then the folder synced), and never
//! over the workspace itself. A `kill -9` right after an edit finds it there. Saving,
//! or answering "don't save", removes it. A recovery file still there at the next
//! start means Kitle stopped without the user deciding (a crash, a kill, a power
//! cut): the start offers to restore it.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use super::document::Document;
use crate::engine::workspace::{Workspace, write_private};

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
    /// The file last asked for and the document revision it holds.
    written: Option<(PathBuf, u64)>,
    writer: Option<Writer>,
}

/// What the writer thread is asked: the file to hold this record (`None`: the
/// unsaved changes are gone) and older files to remove.
struct Job {
    write: Option<(PathBuf, RecoveryFile)>,
    remove: Vec<PathBuf>,
}

/// The writer thread's end of things: jobs in, the last failure and the jobs
/// still pending out.
struct Writer {
    jobs: Sender<Job>,
    state: Arc<Mutex<WriterState>>,
}

#[derive(Default)]
struct WriterState {
    pending: usize,
    failed: Option<String>,
}

impl Writer {
    fn start() -> Self {
        let (jobs, receiver) = std::sync::mpsc::channel::<Job>();
        let state = Arc::new(Mutex::new(WriterState::default()));
        let shared = Arc::clone(&state);
        let spawned =
            std::thread::Builder::new().name("kitle-recovery".into()).spawn(move || write_jobs(&receiver, &shared));
        if let Err(e) = spawned
            && let Ok(mut s) = state.lock()
        {
            s.failed = Some(e.to_string());
        }
        Self { jobs, state }
    }

    fn send(&self, job: Job) {
        if let Ok(mut s) = self.state.lock() {
            s.pending += 1;
        }
        if self.jobs.send(job).is_err()
            && let Ok(mut s) = self.state.lock()
        {
            s.pending = 0;
            s.failed = Some("the recovery writer stopped".to_owned());
        }
    }
}

/// The writer thread: takes every job waiting and does what the latest asks (each
/// job names the whole state wanted), removing what any of them asked to remove.
fn write_jobs(receiver: &Receiver<Job>, state: &Mutex<WriterState>) {
    while let Ok(last) = receiver.recv() {
        let (mut last, mut taken, mut remove) = (last, 1, Vec::new());
        for newer in receiver.try_iter() {
            remove.extend(last.write.map(|(file, _)| file).into_iter().chain(last.remove));
            (last, taken) = (newer, taken + 1);
        }
        let keep = last.write.as_ref().map(|(file, _)| file.clone());
        remove.extend(last.remove);
        let result = last.write.map_or(Ok(()), |(file, record)| write_record(&file, &record));
        for file in remove.iter().filter(|f| Some(*f) != keep.as_ref()) {
            // Already gone, or not ours to remove: nothing is lost either way.
            std::fs::remove_file(file).ok();
        }
        if let Ok(mut s) = state.lock() {
            s.pending = s.pending.saturating_sub(taken);
            s.failed = result.err();
        }
    }
}

/// Writes one recovery file whole (synced, renamed, folder synced).
fn write_record(file: &Path, record: &RecoveryFile) -> Result<(), String> {
    let bytes = ron::ser::to_string_pretty(record, ron::ser::PrettyConfig::default()).map_err(|e| e.to_string())?;
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    }
    write_private(file, bytes.as_bytes()).map_err(|e| e.to_string())
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

    /// What a document's recovery file holds now.
    fn record(doc: &Document) -> RecoveryFile {
        let mut workspace = doc.workspace.clone();
        workspace.sources = doc.resolved_sources();
        RecoveryFile {
            original: doc.path.clone(),
            written: chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string(),
            workspace,
        }
    }

    /// Called at the end of every frame: when the document changed since the last
    /// write, hands its workspace to the writer thread; once nothing is unsaved,
    /// has the file removed. Returns the writer's last failure, if any.
    pub fn follow(&mut self, doc: Option<&Document>) -> Result<(), String> {
        let Some(doc) = doc.filter(|d| d.dirty) else {
            self.remove();
            return self.failure();
        };
        let Some(file) = self.file_for(doc.path.as_deref()) else { return Ok(()) };
        if self.written.as_ref().is_some_and(|(f, revision)| *f == file && *revision == doc.revision) {
            return self.failure();
        }
        let old = self.written.replace((file.clone(), doc.revision)).map(|(f, _)| f).filter(|f| *f != file);
        let job = Job { write: Some((file, Self::record(doc))), remove: old.into_iter().collect() };
        self.writer.get_or_insert_with(Writer::start).send(job);
        self.failure()
    }

    /// The writer's last failure, told once.
    fn failure(&self) -> Result<(), String> {
        let failed = self.writer.as_ref().and_then(|w| w.state.lock().ok().and_then(|mut s| s.failed.take()));
        failed.map_or(Ok(()), Err)
    }

    /// Whether the writer thread has work it has not finished.
    pub fn busy(&self) -> bool {
        self.writer.as_ref().is_some_and(|w| w.state.lock().is_ok_and(|s| s.pending > 0))
    }

    /// Writes the document's unsaved changes now, on this thread (after a crash).
    pub fn write_now(&mut self, doc: Option<&Document>) -> Result<(), String> {
        let Some(doc) = doc.filter(|d| d.dirty) else { return Ok(()) };
        let Some(file) = self.file_for(doc.path.as_deref()) else { return Ok(()) };
        write_record(&file, &Self::record(doc))?;
        self.written = Some((file, doc.revision));
        Ok(())
    }

    /// Removes the file written for the current document (its changes were saved,
    /// or the user chose not to keep them).
    pub fn remove(&mut self) {
        if let Some((file, _)) = self.written.take() {
            self.writer.get_or_insert_with(Writer::start).send(Job { write: None, remove: vec![file] });
        }
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
