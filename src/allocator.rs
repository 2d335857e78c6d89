//! How the binary's allocator (mimalloc, see `main.rs`) gives memory back.
//!
//! An import builds and drops buffers of hundreds of megabytes on every core.
//! mimalloc keeps freed memory for a while (a second, by default) before returning it
//! to the system, and memory freed by a worker thread that then waits is kept until
//! that thread allocates again. At 10M customers that held 400 MB no longer in use
//! when the cache was written, and the import's peak was 1.50–1.63 GB; returned at
//! once, it was 1.24 GB, in the same time (measured alternating, `kitle import`).

/// mimalloc's `mi_option_purge_delay` (its C header's `mi_option_e`).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Makes mimalloc return freed memory to the system at once. Call it first thing in
/// `main` (or a bench's); it does nothing when mimalloc is not the allocator.
#[allow(unsafe_code)]
pub fn return_freed_memory_at_once() {
    // SAFETY: `mi_option_set` only stores an option's value (valid at any time, from
    // any thread); 0 is a documented value of this option ("purge at once").
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 0) };
}

/// Returns to the system what every thread of the pool has freed. Memory a worker
/// allocated and another thread freed waits on the worker's own free list until the
/// worker runs again; after a build lets go of columns typed on the workers, those
/// pages would otherwise stay resident.
#[allow(unsafe_code)]
pub fn collect_freed_memory() {
    // SAFETY: `mi_collect` frees nothing in use: it only processes the calling
    // thread's delayed frees and returns its empty pages (a no-op for another allocator's memory).
    let collect = || unsafe { libmimalloc_sys::mi_collect(true) };
    rayon::broadcast(|_| collect());
    collect();
}

#[cfg(test)]
mod tests {
    #[test]
    #[allow(unsafe_code)]
    fn the_option_set_is_the_purge_delay() {
        // SAFETY: reading an option's value.
        let get = || unsafe { libmimalloc_sys::mi_option_get(super::PURGE_DELAY) };
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(get(), 1000, "mimalloc 3's default purge delay: the index names that option");
        }
        super::return_freed_memory_at_once();
        assert_eq!(get(), 0);
    }
}
