//! Slow work (loading a workspace, importing, sorting a million rows) runs on named
//! background threads. The UI holds a [`Job`], polls it once per frame and shows its
//! progress; the worker asks for a repaint when it is done so the result shows at once.

use std::sync::mpsc::{self, Receiver, TryRecvError};

use crate::engine::import::Progress;

/// A piece of work running on its own thread.
pub struct Job<T> {
    pub name: &'static str,
    pub progress: Progress,
    receiver: Receiver<T>,
}

/// What polling a job found.
pub enum Poll<T> {
    Running,
    Done(T),
    /// The worker died without an answer (it panicked); the text says so.
    Lost,
}

impl<T: Send + 'static> Job<T> {
    /// Starts `work` on a thread named `kitle-{name}`.
    pub fn spawn(
        name: &'static str,
        ctx: &egui::Context,
        work: impl FnOnce(&Progress) -> T + Send + 'static,
    ) -> Result<Self, String> {
        let (sender, receiver) = mpsc::channel();
        let progress = Progress::default();
        let worker_progress = progress.clone();
        let ctx = ctx.clone();
        std::thread::Builder::new()
            .name(format!("kitle-{name}"))
            .spawn(move || {
                let result = work(&worker_progress);
                // The UI may have dropped the job (superseded): then nobody listens,
                // and the result is rightly thrown away.
                sender.send(result).ok();
                ctx.request_repaint();
            })
            .map_err(|e| format!("could not start a background task: {e}"))?;
        Ok(Self { name, progress, receiver })
    }

    pub fn poll(&self) -> Poll<T> {
        match self.receiver.try_recv() {
            Ok(v) => Poll::Done(v),
            Err(TryRecvError::Empty) => Poll::Running,
            Err(TryRecvError::Disconnected) => Poll::Lost,
        }
    }

    pub fn cancel(&self) {
        self.progress.cancel();
    }
}

impl<T> Drop for Job<T> {
    /// A dropped job is no longer wanted: tell the worker to stop early.
    fn drop(&mut self) {
        self.progress.cancel();
    }
}
