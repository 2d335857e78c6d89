//! Time for waiting out platforms' rate limits: the real clock, or a manual one
//! that a wait moves forward at once. Tests give the manual clock to a pull and to
//! the fake store, so a store refilling 100 points a second is paced exactly as
//! the real one would be, without the minutes of real waiting.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// The real clock (the default), or a manual one shared by clones.
#[derive(Debug, Clone, Default)]
pub struct Clock(Option<Arc<AtomicU64>>);

static START: OnceLock<Instant> = OnceLock::new();

impl Clock {
    /// A clock that only moves when someone waits on it.
    pub fn manual() -> Self {
        Self(Some(Arc::new(AtomicU64::new(0))))
    }

    pub fn is_manual(&self) -> bool {
        self.0.is_some()
    }

    /// Time since this clock's start.
    pub fn now(&self) -> Duration {
        match &self.0 {
            None => START.get_or_init(Instant::now).elapsed(),
            Some(nanos) => Duration::from_nanos(nanos.load(Ordering::SeqCst)),
        }
    }

    /// Waits `time` (a manual clock moves on at once).
    pub fn sleep(&self, time: Duration) {
        match &self.0 {
            None => std::thread::sleep(time),
            Some(nanos) => {
                nanos.fetch_add(u64::try_from(time.as_nanos()).unwrap_or(u64::MAX), Ordering::SeqCst);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_only_when_waited_on_and_clones_share_it() {
        let clock = Clock::manual();
        let other = clock.clone();
        assert_eq!(clock.now(), Duration::ZERO);
        other.sleep(Duration::from_secs(90));
        assert_eq!(clock.now(), Duration::from_secs(90));
        let real = Clock::default();
        let before = real.now();
        real.sleep(Duration::from_millis(2));
        assert!(real.now() >= before + Duration::from_millis(2));
    }
}
