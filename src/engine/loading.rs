//! Opening a workspace's data: every source read (the store's local copy
//! included), the customer table built, or read back from the cache when nothing
//! changed; the saved segments' members recorded once per data. The app, the
//! command line and the store pulls all load through here.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::build::{build, split_sources};
use super::cache::{self, CacheKey, Cached, cache_dir_for};
use super::data::CustomerData;
use super::files::parent_dir;
use super::import::{ImportError, Progress, SourceSpec, load_source, resolve_path};
use super::store::{StoreSource, add_order_lines, add_sync_notes, copy_exists, copy_sources};
use super::workspace::{Workspace, WorkspaceError};
use crate::format::Lang;

/// A new workspace over these files, as the app's import and `kitle import` make
/// it: named `name`, the sources made absolute (a save makes them relative to the
/// workspace), its data built, and the starter segments every new workspace gets
/// (named in `lang`). `anchor` is where it will be saved, if known.
pub fn new_workspace_from_files(
    name: &str,
    sources: Vec<SourceSpec>,
    as_of: Option<chrono::NaiveDate>,
    anchor: &Path,
    lang: Lang,
    progress: &Progress,
) -> Result<(Workspace, CustomerData), WorkspaceError> {
    let mut workspace = Workspace::new(name);
    workspace.settings.as_of = as_of;
    let data = workspace.replace_sources(sources, anchor, progress)?;
    workspace.segments = crate::engine::segment::templates::starter_segments(&data, lang);
    Ok((workspace, data))
}

/// A new workspace over a store's local copy (just pulled by the connector), as the
/// app's "Connect a store" and `kitle connect` make it: named after the shop, in
/// its currency, with the starter segments.
pub fn workspace_from_store(
    source: StoreSource,
    shop_name: Option<String>,
    currency: Option<String>,
    as_of: Option<chrono::NaiveDate>,
    anchor: &Path,
    lang: Lang,
    progress: &Progress,
) -> Result<(Workspace, CustomerData), WorkspaceError> {
    let mut workspace = Workspace::new(shop_name.unwrap_or_else(|| source.display_name()));
    workspace.settings.as_of = as_of;
    if let Some(currency) = currency {
        workspace.settings.currency = currency;
    }
    workspace.store = Some(source);
    let data = workspace.load_data(anchor, progress)?;
    workspace.segments = crate::engine::segment::templates::starter_segments(&data, lang);
    Ok((workspace, data))
}

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

impl Workspace {
    /// Imports these files in place of the workspace's sources (absolute paths; a
    /// save makes them relative) and builds its data.
    pub fn replace_sources(
        &mut self,
        sources: Vec<SourceSpec>,
        anchor: &Path,
        progress: &Progress,
    ) -> Result<CustomerData, WorkspaceError> {
        self.sources = sources
            .into_iter()
            .map(|mut s| {
                s.path = std::path::absolute(&s.path).unwrap_or(s.path);
                s
            })
            .collect();
        self.load_data(anchor, progress)
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
        let cache_dir = self.cache_dir(workspace_path);
        let mut ignored = None;
        // The sources are hashed beforehand only to compare with a cache there is; an
        // import hashes them while reading them.
        let cached = cache_dir.as_ref().filter(|dir| cache::exists(dir));
        if let Some(dir) = cached
            && let Some(found) = cache::read_keyed(dir, || self.data_key(workspace_path, &sources))
        {
            match found {
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
        let key = self.key_of_data(workspace_path, &sources, &data);
        // Freshly imported data: the saved segments' members are recorded (once per data).
        if let Some(key) = &key
            && let Err(e) = self.record_members_under(workspace_path, &data, key)
        {
            data.report.notes.push(crate::engine::message::Message::new("msg.members_not_recorded", [e]));
        }
        let to_cache = cache_dir.zip(key).map(|(dir, key)| CacheToWrite { dir, key });
        Ok((data, Opened::Built, to_cache))
    }

    /// Records the saved segments' members for this data (see
    /// [`crate::engine::segment::membership`]); nothing for an unsaved workspace.
    pub fn record_members(&self, workspace_path: &Path, data: &CustomerData) -> std::io::Result<()> {
        let sources = self.resolved_sources(workspace_path).map_err(|e| std::io::Error::other(e.to_string()))?;
        match self.key_of_data(workspace_path, &sources, data) {
            Some(key) => self.record_members_under(workspace_path, data, &key),
            None => Ok(()),
        }
    }

    /// The key of `data` as its sources were read by the import that built it;
    /// `None` for data that did not come straight from them (the cache, a merge).
    fn key_as_read(&self, sources: &[(SourceSpec, PathBuf)], data: &CustomerData) -> Option<CacheKey> {
        CacheKey::as_read(sources.iter().map(|(s, _)| s), &data.report.sources, self.as_of())
    }

    /// The key of `data` (under the stamps taken while its sources were read, so a
    /// file changed since is stale; else the sources as they are); `None` for an
    /// unsaved workspace.
    fn key_of_data(
        &self,
        workspace_path: &Path,
        sources: &[(SourceSpec, PathBuf)],
        data: &CustomerData,
    ) -> Option<CacheKey> {
        if !workspace_path.is_file() {
            return None;
        }
        self.key_as_read(sources, data).or_else(|| self.data_key(workspace_path, sources))
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
        let key = match self.key_as_read(&sources, data) {
            Some(key) => key,
            None => CacheKey::of(sources.iter().map(|(s, _)| s), self.as_of())?,
        };
        cache::write(&dir, &key, data)
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
        let (c, o, s, consent) = split_sources(loaded?)?;
        let mut data = build(c, o, s, self.as_of())?;
        if let Some(consent) = consent {
            super::build::consent::apply_consent(&mut data, consent)?;
        }
        self.apply_manual_spend(&mut data);
        if let Some(store) = &self.store {
            let copy = resolve_path(&parent_dir(workspace_path), &store.cache);
            add_sync_notes(&copy, store, &mut data);
            add_order_lines(&copy, &mut data).map_err(ImportError::from)?;
        }
        Ok(data)
    }
}
