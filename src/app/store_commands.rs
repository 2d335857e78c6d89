//! The shell's side of store connectors: the "Connect a store" dialog, pulling a
//! new store into an unsaved workspace, and refreshing the open workspace's store,
//! all in the background. A refresh that fails keeps the data shown and says why.

use std::path::{Path, PathBuf};

use super::KitleApp;
use super::command::StoreCommand;
use super::dialogs::connect::{ConnectDialog, StoreOrder};
use super::document::{Loaded, next_version};
use super::i18n::{Lang, t};
use super::state::Notice;
use super::tasks::TaskKind;
use crate::connect::store::{SyncOptions, find_credentials_or_keychain, refresh_copy, remember_credentials};
use crate::engine::data::CustomerData;
use crate::engine::import::{Progress, resolve_path};
use crate::engine::store::SyncChanges;
use crate::engine::workspace::{Workspace, parent_dir};

/// What a finished pull brought.
#[derive(Debug)]
pub enum StoreSyncDone {
    /// A new store: an unsaved workspace over its copy.
    Connected { loaded: Box<Loaded>, keychain_error: Option<String> },
    /// The open workspace's store, refreshed.
    Refreshed { data: Box<CustomerData>, changes: SyncChanges, keys_in_query: bool, keychain_error: Option<String> },
}

/// Why a pull brought nothing.
#[derive(Debug)]
pub enum SyncFailure {
    /// A refresh found no credentials: ask for them.
    NeedsCredentials,
    Failed(String),
}

impl KitleApp {
    pub(super) fn apply_store(&mut self, ctx: &egui::Context, command: StoreCommand) {
        match command {
            StoreCommand::ConnectDialog => self.connect = Some(ConnectDialog::new()),
            StoreCommand::Sync(order) => self.start_sync(ctx, *order),
            StoreCommand::Refresh => {
                let Some(source) = self.doc.as_ref().and_then(|d| d.workspace.store.clone()) else { return };
                let credentials =
                    self.store_credentials.as_ref().filter(|(s, _)| *s == source.store).map(|(_, c)| c.clone());
                let order = StoreOrder {
                    source,
                    credentials,
                    remember: false,
                    refresh: true,
                    counts: std::sync::Arc::default(),
                };
                self.start_sync(ctx, order);
            }
            StoreCommand::Synced(result) => self.synced(ctx, *result),
        }
    }

    fn start_sync(&mut self, ctx: &egui::Context, order: StoreOrder) {
        let lang = self.lang();
        let base = if order.refresh {
            let Some(doc) = &self.doc else { return };
            Some((doc.path.clone(), doc.workspace.clone()))
        } else {
            None
        };
        if let Some(credentials) = &order.credentials {
            self.store_credentials = Some((order.source.store.clone(), credentials.clone()));
        }
        let stores_dir = self.stores_dir.clone();
        let started = self.tasks.spawn(TaskKind::Sync, ctx, move |progress| {
            StoreCommand::Synced(Box::new(pull(order, base, &stores_dir, lang, progress)))
        });
        if let Err(e) = started {
            self.notice = Some(Notice::Error(e));
        }
    }

    fn synced(&mut self, ctx: &egui::Context, result: Result<StoreSyncDone, SyncFailure>) {
        let lang = self.lang();
        match result {
            Ok(StoreSyncDone::Connected { loaded, keychain_error }) => {
                self.connect = None;
                self.loaded(ctx, Ok(loaded), false);
                if let Some(e) = keychain_error {
                    self.notice = Some(Notice::Error(t(lang, "store.keychain_failed").replace("{0}", &e)));
                }
            }
            Ok(StoreSyncDone::Refreshed { data, changes, keys_in_query, keychain_error }) => {
                self.connect = None;
                let Some(doc) = &mut self.doc else { return };
                doc.data = std::sync::Arc::new(*data);
                doc.version = next_version();
                if let Some(store) = doc.workspace.store.as_mut().filter(|s| s.keys_in_query != keys_in_query) {
                    store.keys_in_query = keys_in_query;
                    doc.touch();
                }
                let n = |v: usize| crate::format::count(v, lang);
                let text = t(lang, "store.refreshed")
                    .replace("{0}", &n(changes.customers_added))
                    .replace("{1}", &n(changes.customers_updated))
                    .replace("{2}", &n(changes.orders_added))
                    .replace("{3}", &n(changes.orders_updated));
                let text = if changes.customers_deleted > 0 {
                    format!("{text} {}", t(lang, "store.deleted").replace("{0}", &n(changes.customers_deleted)))
                } else {
                    text
                };
                self.notice = Some(match keychain_error {
                    Some(e) => Notice::Error(format!("{text} {}", t(lang, "store.keychain_failed").replace("{0}", &e))),
                    None => Notice::Info(text),
                });
            }
            Err(SyncFailure::NeedsCredentials) => {
                if let Some(source) = self.doc.as_ref().and_then(|d| d.workspace.store.clone()) {
                    self.connect = Some(ConnectDialog::for_refresh(source));
                }
            }
            Err(SyncFailure::Failed(message)) => match &mut self.connect {
                Some(dialog) => {
                    dialog.running = None;
                    dialog.error = Some(t(lang, "store.failed").replace("{0}", &message));
                }
                None => self.notice = Some(Notice::Error(t(lang, "store.refresh_failed").replace("{0}", &message))),
            },
        }
    }
}

/// A new store's copy folder among the app's own (until its workspace is saved).
fn new_copy_dir(stores_dir: &Path, order: &StoreOrder) -> PathBuf {
    let name: String = order
        .source
        .display_name()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' })
        .collect();
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    stores_dir.join(format!("{}-{name}-{stamp}", order.source.platform.id()))
}

/// Runs a pull (on a background thread): the copy refreshed, then the workspace
/// built over it.
fn pull(
    order: StoreOrder,
    base: Option<(Option<PathBuf>, Workspace)>,
    stores_dir: &Path,
    lang: Lang,
    progress: &Progress,
) -> Result<StoreSyncDone, SyncFailure> {
    let mut source = order.source.clone();
    let anchor = base.as_ref().and_then(|(p, _)| p.clone()).unwrap_or_else(|| PathBuf::from("untitled.kitle"));
    let dir = if base.is_some() {
        resolve_path(&parent_dir(&anchor), &source.cache)
    } else {
        let dir = new_copy_dir(stores_dir, &order);
        source.cache.clone_from(&dir);
        dir
    };
    let credentials = match order.credentials {
        Some(c) => c,
        None => find_credentials_or_keychain(&source, &[]).map(|(c, _)| c).ok_or(SyncFailure::NeedsCredentials)?,
    };
    let keychain_error = if order.remember { remember_credentials(&source, &credentials).err() } else { None };
    let (synced, note) = refresh_copy(&source, &dir, &credentials, &order.counts, progress, SyncOptions::default())
        .map_err(|e| SyncFailure::Failed(e.to_string()))?;
    let failed = |e: crate::engine::workspace::WorkspaceError| SyncFailure::Failed(e.text(lang));
    match base {
        Some((_, mut workspace)) => {
            if let Some(store) = workspace.store.as_mut() {
                store.keys_in_query = synced.keys_in_query;
            }
            let mut data = workspace.load_data(&anchor, progress).map_err(failed)?;
            if let Some(note) = note {
                data.report.notes.push(crate::engine::message::Message::new("msg.store_copy_reset", [note]));
            }
            Ok(StoreSyncDone::Refreshed {
                data: Box::new(data),
                changes: synced.changes,
                keys_in_query: synced.keys_in_query,
                keychain_error,
            })
        }
        None => {
            source.keys_in_query = synced.keys_in_query;
            let (shop, currency) = (synced.shop_name.clone(), synced.copy.state.currency.clone());
            let (workspace, data) =
                crate::engine::loading::workspace_from_store(source, shop, currency, None, &anchor, lang, progress)
                    .map_err(failed)?;
            let loaded =
                Loaded { path: None, workspace, data, dirty: true, show_report: false, stale: false, to_cache: None };
            Ok(StoreSyncDone::Connected { loaded: Box::new(loaded), keychain_error })
        }
    }
}
