//! What the user (or a finished background job) asks the app to do. Widgets never
//! change app state directly: they send a [`Command`] through a [`CommandSender`]
//! (cheap to clone, usable from any thread), and the shell applies every command
//! once per frame ([`super::command_handling`]).

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};

use polars::prelude::IdxSize;

use super::document::Loaded;
use super::state::{Tab, ThemeChoice};
use super::tasks::TaskKind;
use crate::engine::audience::AudienceRows;
use crate::engine::edit::Edit;
use crate::engine::import::SourceSpec;
use crate::format::Lang;

/// Something the user asked for.
#[derive(Debug)]
pub enum Command {
    NewWorkspace,
    /// Ask for a workspace file with the native dialog.
    OpenDialog,
    Open(PathBuf),
    OpenDemo,
    Save,
    SaveAsDialog,
    SaveTo(PathBuf),
    /// Open the import dialog, optionally with a file already chosen.
    ImportDialog(Option<PathBuf>),
    /// Import these sources (into the open workspace when there is one).
    RunImport(Vec<SourceSpec>),
    /// A load or import finished (sent by its background job).
    Loaded {
        result: Result<Box<Loaded>, String>,
        cancelled: bool,
    },
    /// Fresh data for the workspace at this path, imported again because its
    /// sources changed since the cache shown was made (sent by its background job).
    Reimported {
        path: PathBuf,
        result:
            Result<(Box<crate::engine::data::CustomerData>, Option<crate::engine::workspace::CacheToWrite>), String>,
    },
    /// The local cache was written, or why not (sent by its background job).
    CacheWritten(Result<(), String>),
    /// Restore the unsaved changes in a recovery file, or throw them away.
    Restore(PathBuf),
    DiscardRecovery(PathBuf),
    /// Stop a long job.
    CancelTask(TaskKind),
    ShowReport,
    Quit,
    SetLang(Lang),
    SetTheme(ThemeChoice),
    SetTab(Tab),
    /// Open the Segments tab with a new segment holding this rule (from a chart).
    SegmentDraft(String),
    /// Change the workspace (undoable).
    Edit(Edit),
    Undo,
    Redo,
    /// Write a segment's members to a file (asks where when `path` is `None`).
    ExportMembers {
        rows: Arc<Vec<IdxSize>>,
        extension: &'static str,
        name: String,
    },
    ExportMembersTo {
        rows: Arc<Vec<IdxSize>>,
        path: PathBuf,
    },
    /// A member export finished (sent by its background job).
    Exported(Result<PathBuf, String>),
    /// Open the audience dialog for a segment (its saved name, if any, and its rule).
    AudienceDialog {
        segment: String,
        rule: String,
    },
    /// Open the audience dialog on a saved audience.
    OpenAudience(usize),
    /// Write an audience's upload file (in the background).
    WriteAudience {
        name: String,
        rows: Arc<AudienceRows>,
        path: PathBuf,
    },
    /// An audience file was written: audience name, path, members (sent by its job).
    AudienceWritten(Result<(String, PathBuf, usize), String>),
    /// Push an audience's changes through a platform's API (in the background).
    PushAudience(Box<crate::app::dialogs::push::PushOrder>),
    /// A push ended: the audience's name, and what was sent or why nothing was.
    AudiencePushed(Box<Result<(String, crate::connect::push::Pushed), String>>),
    /// The AI narrative's endpoint and model (remembered with the preferences).
    SetAi {
        endpoint: String,
        model: String,
    },
    /// Open the "Connect a store" dialog.
    ConnectDialog,
    /// Pull a store (a new connection, or a refresh of the open workspace's store).
    SyncStore(Box<crate::app::dialogs::connect::StoreOrder>),
    /// Refresh the open workspace's store (credentials from this session, the
    /// environment or the keychain; the dialog asks when there are none).
    RefreshStore,
    /// A store pull ended (sent by its background job).
    StoreSynced(Box<Result<crate::app::store_commands::StoreSyncDone, crate::app::store_commands::SyncFailure>>),
    /// Tell the user something.
    Notify(String),
}

impl Command {
    /// Commands that would drop the open workspace, and so ask about unsaved changes.
    pub fn replaces_document(&self) -> bool {
        matches!(self, Command::NewWorkspace | Command::Open(_) | Command::OpenDemo | Command::Quit)
    }
}

/// Sends commands to the shell; clone it freely.
#[derive(Clone)]
pub struct CommandSender(Sender<Command>);

impl CommandSender {
    /// A sender and the receiver the shell drains each frame.
    pub fn new() -> (Self, Receiver<Command>) {
        let (sender, receiver) = channel();
        (Self(sender), receiver)
    }

    /// Queues a command for the shell. The shell owns the receiver for the app's
    /// whole life, so a send can only fail while the app is shutting down.
    pub fn send(&self, command: Command) {
        let _ = self.0.send(command);
    }
}
