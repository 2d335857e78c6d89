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

/// Something the user (or a finished background job) asked for, by area. Each
/// area's handler matches its enum exhaustively: a command nobody carries out
/// does not compile.
#[derive(Debug)]
pub enum Command {
    /// Workspaces and their data: new, open, save, import, restore.
    File(FileCommand),
    /// Change the workspace (undoable).
    Edit(Edit),
    /// Take back the last edit.
    Undo,
    /// Do again the edit last taken back.
    Redo,
    /// The window: language, theme, tab, notices, long jobs, quitting.
    View(ViewCommand),
    /// Segment drafts and member exports.
    Segments(SegmentCommand),
    /// Remarketing audiences: the dialog, upload files and pushes.
    Audiences(AudienceCommand),
    /// Store connectors: connecting and refreshing.
    Stores(StoreCommand),
}

/// Workspaces and their data.
#[derive(Debug)]
pub enum FileCommand {
    /// Close the open workspace (after asking about unsaved changes).
    NewWorkspace,
    /// Ask for a workspace file with the native dialog.
    OpenDialog,
    /// Open this workspace file.
    Open(PathBuf),
    /// Open the demo store.
    OpenDemo,
    /// Save where the workspace was opened from (or ask where).
    Save,
    /// Ask where to save, then save there.
    SaveAsDialog,
    /// Save (asking where if the workspace has no file yet), then carry out this
    /// command: the unsaved-changes prompt's "Save".
    SaveThen(Box<Command>),
    /// Save to this path.
    SaveTo(PathBuf),
    /// Load a price index for real lira from this file (`None`: ask with the
    /// native dialog).
    LoadPriceIndex(Option<PathBuf>),
    /// Open the import dialog, optionally with a file already chosen.
    ImportDialog(Option<PathBuf>),
    /// Import these sources (into the open workspace when there is one).
    RunImport(Vec<SourceSpec>),
    /// A load or import finished (sent by its background job).
    Loaded {
        /// The data and workspace, or what went wrong, in words.
        result: Result<Box<Loaded>, String>,
        /// The user stopped it.
        cancelled: bool,
    },
    /// Fresh data for the workspace at this path, imported again because its
    /// sources changed since the cache shown was made (sent by its background job).
    Reimported {
        /// The workspace the data is for (ignored when another is open now).
        path: PathBuf,
        /// The data and its cache to write, or what went wrong.
        result: Result<(Box<crate::engine::data::CustomerData>, Option<crate::engine::loading::CacheToWrite>), String>,
    },
    /// The local cache was written, or why not (sent by its background job).
    CacheWritten(Result<(), String>),
    /// Restore the unsaved changes in this recovery file.
    Restore(PathBuf),
    /// Throw away the unsaved changes in this recovery file.
    DiscardRecovery(PathBuf),
}

/// The window and the app's own state.
#[derive(Debug)]
pub enum ViewCommand {
    /// Stop a long job.
    CancelTask(TaskKind),
    /// Show the last import's report.
    ShowReport,
    /// Close the app (after asking about unsaved changes).
    Quit,
    /// Speak this language.
    SetLang(Lang),
    /// Use this theme.
    SetTheme(ThemeChoice),
    /// Show this tab.
    SetTab(Tab),
    /// Show Explore's cohorts (the Dashboard's payback card).
    OpenCohorts,
    /// Show money in real lira (true) or as paid (false).
    SetRealMoney(bool),
    /// The AI narrative's endpoint and model (remembered with the preferences).
    SetAi {
        /// The endpoint's address.
        endpoint: String,
        /// The model's name.
        model: String,
    },
    /// Tell the user something.
    Notify(String),
    /// Carry out a command that drops the open workspace, its unsaved changes
    /// thrown away (the user chose so).
    Discarding(Box<Command>),
}

/// Segment drafts and member exports.
#[derive(Debug)]
pub enum SegmentCommand {
    /// Open the Segments tab with a new segment holding this rule (from a chart,
    /// a cluster, a persona …).
    Draft(crate::engine::segment::Rule),
    /// Write a segment's members to a file (asks where).
    ExportMembers {
        /// Rows of the customer table.
        rows: Arc<Vec<IdxSize>>,
        /// `csv` or `xlsx`.
        extension: &'static str,
        /// The segment's name, for the file's.
        name: String,
    },
    /// Write these members to this file (in the background).
    ExportMembersTo {
        /// Rows of the customer table.
        rows: Arc<Vec<IdxSize>>,
        /// The file to write.
        path: PathBuf,
    },
    /// A member export finished: where it went, or why not (sent by its job).
    Exported(Result<PathBuf, String>),
}

/// Remarketing audiences.
#[derive(Debug)]
pub enum AudienceCommand {
    /// Open the audience dialog for a segment (its saved name, if any, and its rule).
    Dialog {
        /// The saved segment's name (empty for a rule not saved as it stands).
        segment: String,
        /// The rule in the text form.
        rule: String,
    },
    /// Open the audience dialog on the saved audience at this index.
    Open(usize),
    /// Write an audience's upload file (in the background).
    WriteFile {
        /// The audience's name.
        name: String,
        /// What goes in the file.
        rows: Arc<AudienceRows>,
        /// Where.
        path: PathBuf,
    },
    /// An audience file was written: audience name, path, members (sent by its job).
    FileWritten(Result<(String, PathBuf, usize), String>),
    /// Push an audience's changes through a platform's API (in the background).
    Push(Box<crate::app::dialogs::push::PushOrder>),
    /// A push ended: the audience's name, and what was sent or why nothing was.
    Pushed(Box<Result<(String, crate::connect::push::Pushed), String>>),
}

/// Store connectors.
#[derive(Debug)]
pub enum StoreCommand {
    /// Open the "Connect a store" dialog.
    ConnectDialog,
    /// Pull a store (a new connection, or a refresh of the open workspace's store).
    Sync(Box<crate::app::dialogs::connect::StoreOrder>),
    /// Refresh the open workspace's store (credentials from this session, the
    /// environment or the keychain; the dialog asks when there are none).
    Refresh,
    /// A store pull ended (sent by its background job).
    Synced(Box<Result<crate::app::store_commands::StoreSyncDone, crate::app::store_commands::SyncFailure>>),
}

macro_rules! into_command {
    ($($area:ident => $variant:ident),*) => {$(
        impl From<$area> for Command {
            fn from(command: $area) -> Self {
                Command::$variant(command)
            }
        }
    )*};
}
into_command!(FileCommand => File, ViewCommand => View, SegmentCommand => Segments, AudienceCommand => Audiences, StoreCommand => Stores);

impl From<Edit> for Command {
    fn from(edit: Edit) -> Self {
        Command::Edit(edit)
    }
}

impl Command {
    /// Commands that would drop the open workspace, and so ask about unsaved changes.
    pub fn replaces_document(&self) -> bool {
        matches!(
            self,
            Command::File(FileCommand::NewWorkspace | FileCommand::Open(_) | FileCommand::OpenDemo)
                | Command::View(ViewCommand::Quit)
        )
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
    pub fn send(&self, command: impl Into<Command>) {
        // Dropped only after the shell (the receiver) has gone: nobody is left to act.
        self.0.send(command.into()).ok();
    }
}
