//! How far a long job (an import, a cache read, a store pull, a segment export)
//! has got, and whether the user asked it to stop: shared between the worker and
//! the window that shows it, with no locks.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

/// Progress of a running job, shared with the thread that shows it.
#[derive(Debug, Default, Clone)]
pub struct Progress {
    /// Fraction done in millionths.
    done_millionths: Arc<AtomicU32>,
    cancelled: Arc<AtomicBool>,
}

impl Progress {
    pub fn set_fraction(&self, fraction: f64) {
        let v = (fraction.clamp(0.0, 1.0) * 1e6) as u32;
        self.done_millionths.store(v, Ordering::Relaxed);
    }

    pub fn fraction(&self) -> f32 {
        self.done_millionths.load(Ordering::Relaxed) as f32 / 1e6
    }

    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }
}
