//! "Recompute this when its key changes, off the UI thread": the one type every
//! view uses for derived numbers (dashboard figures, a segment's members, the
//! customer list's order, file previews). It keeps the latest value and its key,
//! starts a worker when asked for a key it has no value for (a newer key drops,
//! and so cancels, an older worker), and turns a failed or lost worker into an
//! error shown to the user — never an endless spinner.

use std::sync::Arc;

use super::i18n::{Lang, t};
use super::jobs::{Job, Poll};
use crate::engine::import::Progress;

/// A value computed in the background for a key.
pub struct Keyed<K, V> {
    name: &'static str,
    latest: Option<(K, Arc<V>)>,
    running: Option<(K, Job<Result<V, String>>)>,
    /// The last failure and the key it was for (that key is not retried).
    error: Option<(K, String)>,
}

/// What polling found this frame.
pub enum Polled<'a, V> {
    /// Nothing new.
    Nothing,
    /// A worker finished with this value.
    Value(&'a Arc<V>),
    /// A worker failed or was lost.
    Failed(&'a str),
}

impl<K: Clone + PartialEq + Send + 'static, V: Send + Sync + 'static> Keyed<K, V> {
    /// `name` names the worker threads (`kitle-{name}`).
    pub fn new(name: &'static str) -> Self {
        Self { name, latest: None, running: None, error: None }
    }

    /// Collects a finished worker (call once per frame, before [`Keyed::ensure`]).
    /// A worker that died without an answer becomes an error in `lang`.
    pub fn poll(&mut self, lang: Lang) -> Polled<'_, V> {
        let Some((_, job)) = &self.running else { return Polled::Nothing };
        let outcome = match job.poll() {
            Poll::Running => return Polled::Nothing,
            Poll::Done(result) => result,
            Poll::Lost => Err(t(lang, "msg.err_background").to_owned()),
        };
        let Some((key, _)) = self.running.take() else { return Polled::Nothing };
        match outcome {
            Ok(value) => {
                self.error = None;
                let (_, value) = self.latest.insert((key, Arc::new(value)));
                Polled::Value(value)
            }
            Err(message) => {
                let (_, message) = self.error.insert((key, message));
                Polled::Failed(message)
            }
        }
    }

    /// [`Keyed::poll`] for views that read the value later (`get`, `latest`, `error`)
    /// rather than react to its arrival.
    pub fn collect(&mut self, lang: Lang) {
        match self.poll(lang) {
            Polled::Nothing | Polled::Value(_) | Polled::Failed(_) => {}
        }
    }

    /// Makes sure the value for `key` is there or being computed: when it is
    /// neither (and `key` did not just fail), `make` builds the work and a worker
    /// starts it. A worker for another key is dropped, which cancels it.
    pub fn ensure<W>(&mut self, egui: &egui::Context, key: K, make: impl FnOnce(&K) -> W)
    where
        W: FnOnce(&Progress) -> Result<V, String> + Send + 'static,
    {
        if self.is_current(&key)
            || self.running.as_ref().is_some_and(|(k, _)| *k == key)
            || self.error.as_ref().is_some_and(|(k, _)| *k == key)
        {
            return;
        }
        let work = make(&key);
        self.error = None;
        match Job::spawn(self.name, egui, work) {
            Ok(job) => self.running = Some((key, job)),
            Err(message) => {
                self.running = None;
                self.error = Some((key, message));
            }
        }
    }

    /// Sets the value for `key` directly (no work needed), dropping any worker.
    pub fn set(&mut self, key: K, value: V) {
        self.running = None;
        self.error = None;
        self.latest = Some((key, Arc::new(value)));
    }

    /// Starts `work` for `key` whatever is there (tests inject workers this way).
    pub fn start(
        &mut self,
        egui: &egui::Context,
        key: K,
        work: impl FnOnce(&Progress) -> Result<V, String> + Send + 'static,
    ) {
        self.error = None;
        match Job::spawn(self.name, egui, work) {
            Ok(job) => self.running = Some((key, job)),
            Err(message) => self.error = Some((key, message)),
        }
    }

    /// Forgets everything (the data it was computed from is gone).
    pub fn clear(&mut self) {
        self.latest = None;
        self.running = None;
        self.error = None;
    }

    /// The latest value, whatever key it is for (shown while a newer one computes).
    pub fn latest(&self) -> Option<&Arc<V>> {
        self.latest.as_ref().map(|(_, v)| v)
    }

    /// The key of the latest value.
    pub fn latest_key(&self) -> Option<&K> {
        self.latest.as_ref().map(|(k, _)| k)
    }

    /// The value for exactly this key.
    pub fn get(&self, key: &K) -> Option<&Arc<V>> {
        self.latest.as_ref().filter(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// True when the latest value is for `key`.
    pub fn is_current(&self, key: &K) -> bool {
        self.latest.as_ref().is_some_and(|(k, _)| k == key)
    }

    /// True while a worker is running.
    pub fn busy(&self) -> bool {
        self.running.is_some()
    }

    /// The last failure's message, until a later value arrives.
    pub fn error(&self) -> Option<&str> {
        self.error.as_ref().map(|(_, e)| e.as_str())
    }

    /// The failure for exactly this key.
    pub fn failed(&self, key: &K) -> Option<&str> {
        self.error.as_ref().filter(|(k, _)| k == key).map(|(_, e)| e.as_str())
    }

    /// The progress of the running worker.
    pub fn progress(&self) -> Option<&Progress> {
        self.running.as_ref().map(|(_, job)| &job.progress)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn settle<V: Send + Sync + 'static>(keyed: &mut Keyed<u32, V>) {
        let start = Instant::now();
        while keyed.busy() {
            assert!(start.elapsed() < Duration::from_secs(10), "the worker finishes");
            keyed.poll(Lang::En);
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    #[test]
    fn computes_once_per_key_and_keeps_the_latest() {
        let egui = egui::Context::default();
        let mut keyed: Keyed<u32, u32> = Keyed::new("test");
        keyed.ensure(&egui, 2, |k| {
            let k = *k;
            move |_| Ok(k * 10)
        });
        assert!(keyed.busy());
        settle(&mut keyed);
        assert_eq!(keyed.get(&2).map(|v| **v), Some(20));
        keyed.ensure(&egui, 2, |_| |_| -> Result<u32, String> { panic!("not recomputed") });
        assert!(!keyed.busy(), "a key with a value is not recomputed");
        keyed.ensure(&egui, 3, |_| |_| Err("no".to_owned()));
        settle(&mut keyed);
        assert_eq!(keyed.error(), Some("no"));
        assert_eq!(keyed.latest().map(|v| **v), Some(20), "the last good value stays");
        keyed.ensure(&egui, 3, |_| |_| -> Result<u32, String> { panic!("a failed key is not retried") });
        assert!(!keyed.busy());
    }

    #[test]
    fn a_lost_worker_is_an_error_not_a_spinner() {
        let egui = egui::Context::default();
        let mut keyed: Keyed<u32, u32> = Keyed::new("test-lost");
        keyed.start(&egui, 1, |_| -> Result<u32, String> { panic!("the worker dies") });
        settle(&mut keyed);
        assert!(!keyed.busy());
        assert_eq!(keyed.error(), Some(t(Lang::En, "msg.err_background")));
    }
}
