//! Workspace files (`.kitle`): a versioned RON document naming the data sources
//! (paths relative to the workspace file, so a moved folder still opens), the
//! settings, and the user's segments and personas. The customer table itself is
//! not stored: it is rebuilt from the sources on open.

use std::path::{Component, Path, PathBuf};

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use chrono::Datelike;

use super::build::{build, split_sources};
use super::cache::{self, CacheKey, Cached, cache_dir_for};
use super::data::{CustomerData, SpendEntry};
use super::import::{ImportError, Progress, SourceSpec, load_source, resolve_path};
use super::store::{StoreSource, add_order_lines, add_sync_notes, copy_exists, copy_sources};

/// Where an opened customer table came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opened {
    /// The cache, built from these very sources.
    FromCache,
    /// The cache, built before the sources changed (import again and replace it).
    Stale,
    /// Built from the sources now.
    Built,
}

/// The cache of data just built from its sources, to write when convenient (under the
/// key taken before the sources were read, so a change meanwhile makes it stale).
#[derive(Debug)]
pub struct CacheToWrite {
    dir: PathBuf,
    key: CacheKey,
}

impl CacheToWrite {
    pub fn write(&self, data: &CustomerData) -> std::io::Result<()> {
        cache::write(&self.dir, &self.key, data)
    }
}

/// The format this version writes; files with a higher number are refused.
pub const FORMAT_VERSION: u32 = 1;
pub const EXTENSION: &str = "kitle";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Workspace {
    pub format_version: u32,
    pub name: String,
    #[serde(default)]
    pub sources: Vec<SourceSpec>,
    #[serde(default)]
    pub settings: Settings,
    #[serde(default)]
    pub segments: Vec<Segment>,
    #[serde(default)]
    pub personas: Vec<Persona>,
    /// Spend typed in by hand (channel, month, amount), added to any spend file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub manual_spend: Vec<ManualSpend>,
    /// Remarketing audiences built from segments.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audiences: Vec<super::audience::Audience>,
    /// A store connected through its API: its customers and orders come from the
    /// local copy of what was pulled (see [`super::store`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store: Option<StoreSource>,
}

/// Marketing spend for one channel in one month, typed in the dashboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManualSpend {
    pub channel: String,
    /// `YYYY-MM`
    pub month: String,
    pub amount: f64,
}

impl ManualSpend {
    /// As a spend entry covering the whole month; `None` when the month is not `YYYY-MM`.
    pub fn entry(&self) -> Option<SpendEntry> {
        let (start, end) = super::build::parse_period(&self.month)?;
        (start.day() == 1 && !self.channel.trim().is_empty() && self.amount.is_finite()).then(|| SpendEntry {
            channel: self.channel.trim().to_owned(),
            start,
            end,
            amount: self.amount,
            manual: true,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// ISO 4217 code of the workspace's money (`TRY`, `EUR` …).
    pub currency: String,
    /// UI language for this workspace (`tr`, `en`); `None` follows the app.
    pub locale: Option<String>,
    /// The day "days since", "tenure" and "age" are counted to; `None` is today.
    pub as_of: Option<NaiveDate>,
    /// Upper bounds of the LTV bands (the last band is open-ended).
    pub ltv_bands: Vec<f64>,
    /// Keep a local cache of the built customer table beside the workspace (see
    /// [`super::cache`]), so it opens without importing again.
    #[serde(skip_serializing_if = "is_true")]
    pub cache: bool,
}

fn is_true(value: &bool) -> bool {
    *value
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            currency: "TRY".to_owned(),
            locale: None,
            as_of: None,
            ltv_bands: vec![1_000.0, 5_000.0, 10_000.0],
            cache: true,
        }
    }
}

/// A saved segment: its rule in text form (the segment builder's language).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub rule: String,
    /// When it was last saved (local time, `YYYY-MM-DD HH:MM`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited: Option<String>,
}

impl Segment {
    pub fn new(name: impl Into<String>, description: impl Into<String>, rule: impl Into<String>) -> Self {
        Self { name: name.into(), description: description.into(), rule: rule.into(), edited: Some(now_text()) }
    }
}

/// The local time as segments record it.
pub fn now_text() -> String {
    chrono::Local::now().format("%Y-%m-%d %H:%M").to_string()
}

/// An ideal customer profile (see [`crate::engine::persona`]).
pub use crate::engine::persona::Persona;

/// Why a workspace could not be opened or saved.
#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error("{path} could not be read: {message}")]
    Read { path: PathBuf, message: String },
    #[error("{path} is not a Kitle workspace or is damaged ({message}).")]
    Broken { path: PathBuf, message: String },
    #[error(
        "{path} was saved by a newer Kitle (workspace format {found}); this version opens formats up to {FORMAT_VERSION}. Update Kitle to open it."
    )]
    TooNew { path: PathBuf, found: u32 },
    #[error("The workspace could not be saved to {path}: {message}")]
    Save { path: PathBuf, message: String },
    // Transparent: the command line prints an error with its causes, and this one
    // would otherwise say the import error twice.
    #[error(transparent)]
    Data(#[from] ImportError),
}

impl WorkspaceError {
    /// The error in the user's language.
    pub fn text(&self, lang: crate::format::Lang) -> String {
        use crate::engine::message::Message;
        match self {
            WorkspaceError::Read { path, message } => {
                Message::new("msg.err_ws_read", [path.display().to_string(), message.clone()]).text(lang)
            }
            WorkspaceError::Broken { path, message } => {
                Message::new("msg.err_ws_broken", [path.display().to_string(), message.clone()]).text(lang)
            }
            WorkspaceError::TooNew { path, found } => Message::new(
                "msg.err_ws_too_new",
                [path.display().to_string(), found.to_string(), FORMAT_VERSION.to_string()],
            )
            .text(lang),
            WorkspaceError::Save { path, message } => {
                Message::new("msg.err_ws_save", [path.display().to_string(), message.clone()]).text(lang)
            }
            WorkspaceError::Data(e) => e.text(lang),
        }
    }
}

#[derive(Deserialize)]
struct VersionProbe {
    format_version: u32,
}

impl Workspace {
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            format_version: FORMAT_VERSION,
            name: name.into(),
            sources: Vec::new(),
            settings: Settings::default(),
            segments: Vec::new(),
            personas: Vec::new(),
            manual_spend: Vec::new(),
            audiences: Vec::new(),
            store: None,
        }
    }

    /// Reads a workspace file; source paths stay as written (relative to its folder).
    pub fn load(path: &Path) -> Result<Self, WorkspaceError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| WorkspaceError::Read { path: path.to_path_buf(), message: e.to_string() })?;
        Self::from_ron(&text, path)
    }

    pub fn from_ron(text: &str, path: &Path) -> Result<Self, WorkspaceError> {
        let broken =
            |e: ron::error::SpannedError| WorkspaceError::Broken { path: path.to_path_buf(), message: e.to_string() };
        let probe: VersionProbe = ron::from_str(text).map_err(broken)?;
        if probe.format_version > FORMAT_VERSION {
            return Err(WorkspaceError::TooNew { path: path.to_path_buf(), found: probe.format_version });
        }
        let mut workspace: Self = ron::from_str(text).map_err(broken)?;
        // A hand-edited or damaged file may hold band limits that can't be (NaN,
        // infinite, zero or below, out of order): kept as the dashboard reads them.
        workspace.settings.ltv_bands = band_limits(&workspace.settings.ltv_bands);
        Ok(workspace)
    }

    pub fn to_ron(&self) -> Result<String, ron::Error> {
        ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::default())
    }

    /// Saves atomically (a temporary file in the same folder, then renamed over the
    /// old one), with source paths made relative to the workspace's folder.
    pub fn save(&self, path: &Path) -> Result<(), WorkspaceError> {
        let save_err = |message: String| WorkspaceError::Save { path: path.to_path_buf(), message };
        let dir = parent_dir(path);
        let mut copy = self.clone();
        copy.format_version = FORMAT_VERSION;
        let abs_dir = std::path::absolute(&dir).unwrap_or_else(|_| dir.clone());
        for source in &mut copy.sources {
            if source.path.is_absolute() {
                source.path = relative_path(&source.path, &abs_dir);
            }
        }
        if let Some(store) = copy.store.as_mut().filter(|s| s.cache.is_absolute()) {
            store.cache = relative_path(&store.cache, &abs_dir);
        }
        let text = copy.to_ron().map_err(|e| save_err(e.to_string()))?;
        write_atomically(path, text.as_bytes()).map_err(|e| save_err(e.to_string()))
    }

    /// Loads every source and builds the customer table (from the cache when
    /// nothing changed).
    pub fn load_data(&self, workspace_path: &Path, progress: &Progress) -> Result<CustomerData, WorkspaceError> {
        self.open_data(workspace_path, progress, false).map(|(data, _)| data)
    }

    /// Every source with its path resolved (the store's local copy included),
    /// checked to exist, beside the path as the workspace writes it (for messages).
    fn resolved_sources(&self, workspace_path: &Path) -> Result<Vec<(SourceSpec, PathBuf)>, WorkspaceError> {
        let base = parent_dir(workspace_path);
        let mut sources: Vec<(SourceSpec, PathBuf)> = self
            .sources
            .iter()
            .map(|s| (SourceSpec { path: resolve_path(&base, &s.path), ..s.clone() }, s.path.clone()))
            .collect();
        if let Some(store) = &self.store {
            let dir = resolve_path(&base, &store.cache);
            if !copy_exists(&dir) {
                return Err(ImportError::MissingColumn(crate::engine::message::Message::new(
                    "msg.err_store_copy_missing",
                    [store.platform.name().to_owned(), dir.display().to_string()],
                ))
                .into());
            }
            sources.extend(copy_sources(&dir).into_iter().map(|spec| {
                let written = spec.path.clone();
                (spec, written)
            }));
        }
        if let Some((source, written)) = sources.iter().find(|(s, _)| !s.path.exists()) {
            return Err(ImportError::MissingColumn(crate::engine::message::Message::new(
                "msg.err_source_missing",
                [source.kind.id().to_owned(), written.display().to_string(), source.path.display().to_string()],
            ))
            .into());
        }
        Ok(sources)
    }

    /// The key of this workspace's data as it stands (its sources' stamps), for the
    /// cache and the membership records; `None` for an unsaved workspace.
    fn data_key(&self, workspace_path: &Path, sources: &[(SourceSpec, PathBuf)]) -> Option<CacheKey> {
        workspace_path.is_file().then(|| CacheKey::of(sources.iter().map(|(s, _)| s), self.as_of()).ok()).flatten()
    }

    /// The cache folder, when this workspace keeps one (saved, and not turned off).
    pub fn cache_dir(&self, workspace_path: &Path) -> Option<PathBuf> {
        (self.settings.cache && workspace_path.is_file()).then(|| cache_dir_for(workspace_path))
    }

    /// Loads the customer table: from the cache when its key matches (or, with
    /// `accept_stale`, when only the sources changed: the caller shows it while
    /// importing again), else built from the sources and cached.
    pub fn open_data(
        &self,
        workspace_path: &Path,
        progress: &Progress,
        accept_stale: bool,
    ) -> Result<(CustomerData, Opened), WorkspaceError> {
        let (mut data, opened, to_cache) = self.open_data_cache_later(workspace_path, progress, accept_stale)?;
        if let Some(to_cache) = to_cache
            && let Err(e) = to_cache.write(&data)
        {
            data.report.notes.push(crate::engine::message::Message::new("msg.cache_not_written", [e]));
        }
        Ok((data, opened))
    }

    /// [`Self::open_data`], leaving the cache of freshly built data to the caller
    /// (the app shows the data first: at 10M customers the write takes seconds).
    pub fn open_data_cache_later(
        &self,
        workspace_path: &Path,
        progress: &Progress,
        accept_stale: bool,
    ) -> Result<(CustomerData, Opened, Option<CacheToWrite>), WorkspaceError> {
        let sources = self.resolved_sources(workspace_path)?;
        let key = self.data_key(workspace_path, &sources);
        let cache_dir = self.cache_dir(workspace_path);
        let mut ignored = None;
        if let (Some(dir), Some(key)) = (&cache_dir, &key) {
            match cache::read(dir, key) {
                Cached::Fresh(mut data) => {
                    self.apply_manual_spend(&mut data);
                    return Ok((*data, Opened::FromCache, None));
                }
                Cached::Stale(mut data) if accept_stale => {
                    self.apply_manual_spend(&mut data);
                    return Ok((*data, Opened::Stale, None));
                }
                Cached::Stale(_) | Cached::Missing => {}
                Cached::Ignored(why) => ignored = Some(why),
            }
        }
        let mut data = self.build_data(workspace_path, &sources, progress)?;
        if let Some(why) = ignored {
            data.report.notes.push(crate::engine::message::Message::new("msg.cache_ignored", [why]));
        }
        // Freshly imported data: the saved segments' members are recorded (once per data).
        if let Some(key) = &key {
            let _ = self.record_members_under(workspace_path, &data, key);
        }
        let to_cache = cache_dir.zip(key).map(|(dir, key)| CacheToWrite { dir, key });
        Ok((data, Opened::Built, to_cache))
    }

    /// Records the saved segments' members for this data (see
    /// [`crate::engine::segment::membership`]); nothing for an unsaved workspace.
    pub fn record_members(&self, workspace_path: &Path, data: &CustomerData) -> std::io::Result<()> {
        let sources = self.resolved_sources(workspace_path).map_err(|e| std::io::Error::other(e.to_string()))?;
        match self.data_key(workspace_path, &sources) {
            Some(key) => self.record_members_under(workspace_path, data, &key),
            None => Ok(()),
        }
    }

    fn record_members_under(&self, workspace_path: &Path, data: &CustomerData, key: &CacheKey) -> std::io::Result<()> {
        if self.segments.is_empty() {
            return Ok(());
        }
        // One record per data: the sources' stamps say which data this is.
        let stamp = crate::engine::segment::split::fnv1a(ron::to_string(&key.sources).unwrap_or_default().into_bytes());
        let dir = crate::engine::segment::membership::members_dir_for(workspace_path);
        let data = std::sync::Arc::new(data.clone());
        crate::engine::segment::membership::record(&dir, &self.segments, data, &format!("{stamp:016x}")).map(drop)
    }

    /// Writes the cache of freshly built data (after an import saved the workspace).
    pub fn write_cache(&self, workspace_path: &Path, data: &CustomerData) -> std::io::Result<()> {
        let Some(dir) = self.cache_dir(workspace_path) else { return Ok(()) };
        let sources = self.resolved_sources(workspace_path).map_err(|e| std::io::Error::other(e.to_string()))?;
        cache::write(&dir, &CacheKey::of(sources.iter().map(|(s, _)| s), self.as_of())?, data)
    }

    fn build_data(
        &self,
        workspace_path: &Path,
        sources: &[(SourceSpec, PathBuf)],
        progress: &Progress,
    ) -> Result<CustomerData, WorkspaceError> {
        let loaded: Result<Vec<_>, ImportError> = sources
            .par_iter()
            .map(|(spec, written)| {
                let mut loaded = load_source(spec, progress)?;
                loaded.report.path = written.display().to_string();
                Ok(loaded)
            })
            .collect();
        let (c, o, s) = split_sources(loaded?)?;
        let mut data = build(c, o, s, self.as_of())?;
        self.apply_manual_spend(&mut data);
        if let Some(store) = &self.store {
            let copy = resolve_path(&parent_dir(workspace_path), &store.cache);
            add_sync_notes(&copy, store, &mut data);
            add_order_lines(&copy, &mut data).map_err(ImportError::from)?;
        }
        Ok(data)
    }

    /// Replaces the hand-typed spend in `data` with this workspace's.
    pub fn apply_manual_spend(&self, data: &mut CustomerData) {
        data.spend.retain(|s| !s.manual);
        data.spend.extend(self.manual_spend.iter().filter_map(ManualSpend::entry));
    }

    pub fn as_of(&self) -> NaiveDate {
        self.settings.as_of.unwrap_or_else(|| chrono::Local::now().date_naive())
    }
}

/// The folder a file is in (`.` for a bare file name).
pub fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `target` relative to `base` (both absolute), e.g. `../data/orders.csv`.
pub fn relative_path(target: &Path, base: &Path) -> PathBuf {
    let t: Vec<Component<'_>> = target.components().collect();
    let b: Vec<Component<'_>> = base.components().collect();
    let common = t.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if common == 0 {
        return target.to_path_buf(); // another drive: keep absolute
    }
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &t[common..] {
        out.push(c.as_os_str());
    }
    out
}

/// Like [`write_atomically`], for files holding personal data (member lists,
/// audience files): readable and writable by the user only.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_whole(path, bytes, true)
}

/// Writes a whole file or nothing: a crash mid-write leaves the old file intact.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_whole(path, bytes, false)
}

/// A temporary file in the same folder, synced, then renamed over `path`. A
/// document gets the usual permissions (0666 less the umask, as any editor's
/// save); a private file 0600.
fn write_whole(path: &Path, bytes: &[u8], private: bool) -> std::io::Result<()> {
    use std::io::Write;
    let dir = parent_dir(path);
    let mut builder = tempfile::Builder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(if private { 0o600 } else { 0o666 }));
    }
    let mut tmp = builder.tempfile_in(&dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// LTV band limits as they can be used: finite, above 0, ascending, no repeats.
pub fn band_limits(limits: &[f64]) -> Vec<f64> {
    let mut kept: Vec<f64> = limits.iter().copied().filter(|b| b.is_finite() && *b > 0.0).collect();
    kept.sort_by(f64::total_cmp);
    kept.dedup();
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn documents_follow_the_umask_and_private_files_are_the_users_own() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let (doc, members) = (dir.path().join("shop.kitle"), dir.path().join("members.csv"));
        write_atomically(&doc, b"x").unwrap();
        write_private(&members, b"x").unwrap();
        assert_eq!(mode(&members), 0o600);
        // A plain file made the ordinary way shows the umask in force.
        let plain = dir.path().join("plain");
        std::fs::write(&plain, b"x").unwrap();
        assert_eq!(mode(&doc), mode(&plain), "a workspace is an ordinary document");
    }

    #[test]
    fn relative_paths() {
        assert_eq!(relative_path(Path::new("/a/b/c.csv"), Path::new("/a/b")), PathBuf::from("c.csv"));
        assert_eq!(relative_path(Path::new("/a/data/c.csv"), Path::new("/a/ws")), PathBuf::from("../data/c.csv"));
    }

    #[test]
    fn refuses_newer_and_broken_files() {
        let newer = "(format_version: 99, name: \"x\")";
        assert!(matches!(
            Workspace::from_ron(newer, Path::new("w.kitle")),
            Err(WorkspaceError::TooNew { found: 99, .. })
        ));
        let broken = "(format_version: 1, name: ";
        let err = Workspace::from_ron(broken, Path::new("w.kitle")).unwrap_err();
        assert!(err.to_string().contains("damaged"), "{err}");
        let ws = Workspace::new("Mağaza");
        let back = Workspace::from_ron(&ws.to_ron().unwrap(), Path::new("w.kitle")).unwrap();
        assert_eq!(back, ws);
        // Found by fuzzing: band limits that can't be (NaN, infinite, negative, out of
        // order, repeated) are cleaned on load, so the file writes back as it reads.
        let written = ws.to_ron().unwrap();
        let bands = written.find("ltv_bands: [").unwrap();
        let end = bands + written[bands..].find(']').unwrap() + 1;
        let odd =
            format!("{}ltv_bands: [10000.0, NaN, inf, -5.0, 1000.0, 1000.0]{}", &written[..bands], &written[end..]);
        let cleaned = Workspace::from_ron(&odd, Path::new("w.kitle")).unwrap();
        assert_eq!(cleaned.settings.ltv_bands, [1000.0, 10000.0]);
        assert_eq!(Workspace::from_ron(&cleaned.to_ron().unwrap(), Path::new("w.kitle")).unwrap(), cleaned);
    }
}
