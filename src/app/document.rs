//! The open document: a workspace, where it is saved, the customers built from it,
//! and its undo history. Loading, importing and saving are here as plain
//! functions the shell runs (loading and importing on a background task).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::engine::audience::record::ExportRecord;
use std::sync::atomic::{AtomicU64, Ordering};

use super::i18n::{Lang, t};
use crate::engine::data::CustomerData;
use crate::engine::edit::{Edit, EditError, History};
use crate::engine::import::{Progress, SourceSpec, resolve_path};
use crate::engine::workspace::{self, Workspace};

/// The open workspace and the customers built from it.
pub struct Document {
    /// Where it is saved; `None` until first saved.
    pub path: Option<PathBuf>,
    pub workspace: Workspace,
    pub data: Arc<CustomerData>,
    pub dirty: bool,
    /// Changes whenever `data` changes (unique across documents), so views and
    /// caches know to recompute.
    pub version: u64,
    /// Changes with every change to the workspace (edits, undo, redo; unique
    /// across documents), so the recovery file can follow each one.
    pub revision: u64,
    pub history: History,
    /// Where upload files written before the first save are recorded; the record
    /// moves beside the workspace when it is saved.
    pub unsaved_record: Option<ExportRecord>,
}

/// A new data version, never given out before.
pub fn next_version() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

impl Document {
    pub fn new(loaded: Loaded) -> Self {
        Self {
            path: loaded.path,
            workspace: loaded.workspace,
            data: Arc::new(loaded.data),
            dirty: loaded.dirty,
            version: next_version(),
            revision: next_version(),
            history: History::default(),
            unsaved_record: None,
        }
    }

    pub fn title(&self, lang: Lang) -> String {
        let name = if self.workspace.name.is_empty() { t(lang, "untitled") } else { &self.workspace.name };
        if self.dirty { format!("{name} •") } else { name.to_owned() }
    }

    /// Applies a user's edit (undoable).
    pub fn edit(&mut self, edit: Edit) -> Result<(), EditError> {
        let changes_data = edit.changes_data();
        self.history.apply(edit, &mut self.workspace)?;
        self.changed(changes_data);
        Ok(())
    }

    /// Undoes the latest edit; false when there was none.
    pub fn undo(&mut self) -> Result<bool, EditError> {
        let Some(done) = self.history.undo(&mut self.workspace) else { return Ok(false) };
        self.changed(done?.changes_data());
        Ok(true)
    }

    /// Redoes the latest undone edit; false when there was none.
    pub fn redo(&mut self) -> Result<bool, EditError> {
        let Some(done) = self.history.redo(&mut self.workspace) else { return Ok(false) };
        self.changed(done?.changes_data());
        Ok(true)
    }

    /// Marks the workspace changed and not yet saved.
    pub fn touch(&mut self) {
        self.dirty = true;
        self.revision = next_version();
    }

    fn changed(&mut self, changes_data: bool) {
        self.touch();
        if changes_data {
            let mut data = (*self.data).clone();
            self.workspace.apply_manual_spend(&mut data);
            self.data = Arc::new(data);
            self.version = next_version();
        }
    }

    /// A rule as the marketer reads it, in `lang` with this workspace's fields and
    /// currency (the text form stays in the builder's text box).
    pub fn sentence(&self, rule: &crate::engine::segment::Rule, lang: Lang) -> String {
        use crate::engine::segment::describe::{Reading, describe};
        describe(rule, Reading { data: Some(&self.data), currency: &self.workspace.settings.currency, lang })
    }

    /// A saved rule's text as a sentence; the text itself when it can't be read.
    pub fn sentence_of(&self, text: &str, lang: Lang) -> String {
        crate::engine::segment::parse(text).map_or_else(|_| text.to_owned(), |rule| self.sentence(&rule, lang))
    }

    /// The sources with absolute paths (workspaces store them relative).
    pub fn resolved_sources(&self) -> Vec<SourceSpec> {
        let base = self.path.as_deref().map_or_else(|| PathBuf::from("."), workspace::parent_dir);
        self.workspace
            .sources
            .iter()
            .map(|s| {
                let mut s = s.clone();
                s.path = resolve_path(&base, &s.path);
                s
            })
            .collect()
    }

    /// A store's local copy made before the workspace was first saved (in the app's
    /// own folder) moves beside the workspace, where it belongs.
    fn place_store_copy(&mut self, path: &Path, lang: Lang) -> Result<(), String> {
        let Some(store) = self.workspace.store.as_mut() else { return Ok(()) };
        if self.path.is_some() || !store.cache.is_absolute() {
            return Ok(());
        }
        let target = crate::engine::store::copy_dir_for(path);
        let target = std::path::absolute(&target).unwrap_or(target);
        crate::engine::store::move_copy(&store.cache, &target).map_err(|e| {
            crate::engine::message::Message::new("msg.err_ws_save", [target.display().to_string(), e.to_string()])
                .text(lang)
        })?;
        store.cache = target;
        Ok(())
    }

    /// Saves to `path` (adding the extension when missing); the document then
    /// lives there. Returns where it was saved.
    pub fn save_to(&mut self, path: &Path, lang: Lang) -> Result<PathBuf, String> {
        let mut path = path.to_path_buf();
        if path.extension().is_none() {
            path.set_extension(workspace::EXTENSION);
        }
        if self.workspace.name.is_empty() {
            self.workspace.name = path.file_stem().map_or_else(String::new, |s| s.to_string_lossy().into_owned());
        }
        self.place_store_copy(&path, lang)?;
        // Sources are stored relative to the workspace: resolve them against where it
        // was, so that saving somewhere else keeps them pointing at the same files.
        let mut to_save = self.workspace.clone();
        to_save.sources = self.resolved_sources();
        if let Some(store) = to_save.store.as_mut() {
            let base = self.path.as_deref().map_or_else(|| PathBuf::from("."), workspace::parent_dir);
            store.cache = resolve_path(&base, &store.cache);
        }
        to_save.save(&path).map_err(|e| e.text(lang))?;
        // Reload the stored (relative) form so later saves stay relative.
        if let Ok(saved) = Workspace::load(&path) {
            self.workspace = saved;
        }
        self.path = Some(path.clone());
        self.dirty = false;
        self.history.seal();
        Ok(path)
    }
}

/// A workspace loaded or imported in the background.
#[derive(Debug)]
pub struct Loaded {
    pub path: Option<PathBuf>,
    pub workspace: Workspace,
    pub data: CustomerData,
    pub dirty: bool,
    pub show_report: bool,
    /// The data came from a cache older than the sources: import again in the
    /// background and replace it.
    pub stale: bool,
    /// The data was just built: its cache is written in the background once shown.
    pub to_cache: Option<crate::engine::loading::CacheToWrite>,
}

/// Loads a workspace file (writing the demo first when `demo` and it is missing).
pub fn load(path: PathBuf, demo: bool, lang: Lang, progress: &Progress) -> Result<Loaded, String> {
    if demo && !path.exists() {
        let dir = workspace::parent_dir(&path);
        crate::engine::demo::write_demo_workspace(&dir, &crate::engine::demo::DemoConfig::default())
            .map_err(|e| e.text(lang))?;
    }
    let workspace = Workspace::load(&path).map_err(|e| e.text(lang))?;
    pull_missing_store_copy(&workspace, &path, progress);
    let (data, opened, to_cache) = workspace.open_data_cache_later(&path, progress, true).map_err(|e| e.text(lang))?;
    let stale = opened == crate::engine::loading::Opened::Stale;
    Ok(Loaded { path: Some(path), workspace, data, dirty: false, show_report: false, stale, to_cache })
}

/// A store's local copy that is gone (deleted, or a workspace from another
/// machine) is pulled again when credentials are at hand; without them the
/// load says the copy is missing and how to get it back.
fn pull_missing_store_copy(workspace: &Workspace, path: &Path, progress: &Progress) {
    use crate::connect::store::{SyncCounts, SyncOptions, find_credentials_or_keychain, refresh_copy};
    let Some(store) = &workspace.store else { return };
    let dir = resolve_path(&workspace::parent_dir(path), &store.cache);
    if crate::engine::store::copy_exists(&dir) {
        return;
    }
    if let Some((credentials, _)) = find_credentials_or_keychain(store, &[]) {
        let counts = Arc::new(SyncCounts::default());
        // A failure leaves the copy missing, and the load below says so (with its reason).
        let _pulled = refresh_copy(store, &dir, &credentials, &counts, progress, SyncOptions::default());
    }
}

/// Restores unsaved changes from a recovery file: the workspace as it was, still
/// unsaved, where it lived.
pub fn restore(file: &Path, lang: Lang, progress: &Progress) -> Result<Loaded, String> {
    let record = super::recovery::read(file)?;
    let base = record.original.clone().unwrap_or_else(|| file.to_path_buf());
    let data = record.workspace.load_data(&base, progress).map_err(|e| e.text(lang))?;
    Ok(Loaded {
        path: record.original,
        workspace: record.workspace,
        data,
        dirty: true,
        show_report: false,
        stale: false,
        to_cache: None,
    })
}

/// Imports `specs` into `base` (the open workspace and where it is saved), or into
/// a new workspace named after the first file, which starts with the starter
/// segments.
pub fn import(
    base: Option<(Option<PathBuf>, Workspace)>,
    specs: Vec<SourceSpec>,
    lang: Lang,
    progress: &Progress,
) -> Result<Loaded, String> {
    let text = |e: crate::engine::workspace::WorkspaceError| e.text(lang);
    let (path, workspace, data) = match base {
        Some((path, mut workspace)) => {
            // Sources are absolute here; a save makes them relative to the workspace.
            let anchor = path.clone().unwrap_or_else(|| PathBuf::from("untitled.kitle"));
            let data = workspace.replace_sources(specs, &anchor, progress).map_err(text)?;
            (path, workspace, data)
        }
        None => {
            let name = specs
                .first()
                .and_then(|s| s.path.file_stem())
                .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
            let anchor = PathBuf::from("untitled.kitle");
            let (workspace, data) =
                crate::engine::loading::new_workspace_from_files(&name, specs, None, &anchor, lang, progress)
                    .map_err(text)?;
            (None, workspace, data)
        }
    };
    Ok(Loaded { path, workspace, data, dirty: true, show_report: true, stale: false, to_cache: None })
}

pub fn is_workspace_file(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case(workspace::EXTENSION))
}

/// The demo beside the sources when run from a checkout, else in the user's data folder.
pub fn default_demo_path() -> PathBuf {
    let in_repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("workspaces").join("demo.kitle");
    if in_repo.exists() {
        return in_repo;
    }
    super::recovery::data_dir().join("demo").join("demo.kitle")
}
