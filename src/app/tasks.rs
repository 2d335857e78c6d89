//! The long jobs of the app (loading a workspace, importing, exporting members;
//! later pushes and syncs), by name, shown by one status-bar indicator with a
//! cancel button. A job's answer is a [`Command`] the shell applies like any
//! other; a job that dies without one is reported, never waited on forever.

use super::command::{Command, CommandSender};
use super::i18n::{Lang, t};
use super::jobs::{Job, Poll};
use crate::app::command::ViewCommand;
use crate::engine::import::Progress;

/// What each long job is called, and how the status bar says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskKind {
    Load,
    Import,
    Export,
    Push,
    Sync,
    Reimport,
    /// Writing the local cache of data just imported (after it is shown).
    Cache,
}

impl TaskKind {
    fn thread_name(self) -> &'static str {
        match self {
            TaskKind::Load => "load",
            TaskKind::Import => "import",
            TaskKind::Export => "export",
            TaskKind::Push => "push",
            TaskKind::Sync => "sync",
            TaskKind::Reimport => "reimport",
            TaskKind::Cache => "cache",
        }
    }

    fn label_key(self) -> &'static str {
        match self {
            TaskKind::Load => "status.loading",
            TaskKind::Import => "status.importing",
            TaskKind::Export => "status.exporting",
            TaskKind::Push => "status.pushing",
            TaskKind::Sync => "status.syncing",
            TaskKind::Reimport => "status.reimporting",
            TaskKind::Cache => "status.caching",
        }
    }
}

/// The running long jobs.
#[derive(Default)]
pub struct Tasks {
    running: Vec<(TaskKind, Job<Command>)>,
}

/// What polling the tasks found.
pub enum TaskEnd {
    Done(Box<Command>),
    /// The worker died without an answer.
    Lost(TaskKind),
}

impl Tasks {
    /// Starts a job; one already running of the same kind is dropped (cancelled).
    pub fn spawn<C: Into<Command>>(
        &mut self,
        kind: TaskKind,
        egui: &egui::Context,
        work: impl FnOnce(&Progress) -> C + Send + 'static,
    ) -> Result<(), String> {
        let job = Job::spawn(kind.thread_name(), egui, move |progress| work(progress).into())?;
        self.running.retain(|(k, _)| *k != kind);
        self.running.push((kind, job));
        egui.request_repaint_after(std::time::Duration::from_millis(50));
        Ok(())
    }

    /// Collects finished jobs.
    pub fn poll(&mut self) -> Vec<TaskEnd> {
        let mut ended = Vec::new();
        self.running.retain(|(kind, job)| match job.poll() {
            Poll::Running => true,
            Poll::Done(command) => {
                ended.push(TaskEnd::Done(Box::new(command)));
                false
            }
            Poll::Lost => {
                ended.push(TaskEnd::Lost(*kind));
                false
            }
        });
        ended
    }

    pub fn is_running(&self, kind: TaskKind) -> bool {
        self.running.iter().any(|(k, _)| *k == kind)
    }

    pub fn is_idle(&self) -> bool {
        self.running.is_empty()
    }

    pub fn cancel(&self, kind: TaskKind) {
        for (_, job) in self.running.iter().filter(|(k, _)| *k == kind) {
            job.cancel();
        }
    }

    /// The status bar's indicator: each running job with its progress and Cancel.
    pub fn status_ui(&self, ui: &mut egui::Ui, lang: Lang, commands: &CommandSender) {
        for (kind, job) in &self.running {
            ui.spinner();
            ui.label(t(lang, kind.label_key()));
            // The cache is written in one go (and stopping it would only cost time later).
            if *kind != TaskKind::Cache {
                ui.add(egui::ProgressBar::new(job.progress.fraction()).desired_width(160.0).show_percentage());
                if ui.button(t(lang, "status.cancel")).clicked() {
                    commands.send(ViewCommand::CancelTask(*kind));
                }
            }
            ui.separator();
        }
    }
}
