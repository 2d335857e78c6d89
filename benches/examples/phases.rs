//! Where an import's time goes: loading the file (read and typed: a big orders
//! file is typed block by block as it streams), building the customer table. Run twice (the second run has warm file caches):
//! `cargo run --release -p kitle-benches --example phases -- orders|customers FILE`

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The app's allocator (src/main.rs), counting live bytes and their peak: RSS also
/// holds what the allocator keeps after a free.
struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        unsafe { mimalloc::MiMalloc.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { mimalloc::MiMalloc.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // A moving realloc holds both blocks for a moment.
        let live = LIVE.fetch_add(new_size, Ordering::Relaxed) + new_size;
        PEAK.fetch_max(live, Ordering::Relaxed);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { mimalloc::MiMalloc.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Live heap bytes now and at their peak since the last call, in MB.
fn heap_mb() -> (usize, usize) {
    let live = LIVE.load(Ordering::Relaxed);
    (live >> 20, PEAK.swap(live, Ordering::Relaxed) >> 20)
}

use kitle::engine::build::build;
use kitle::engine::fields::SourceKind;
use kitle::engine::import::{Progress, SourceSpec, load_source};
use std::time::Instant;

/// This process's memory now and at its peak, in MB (`VmRSS`, `VmHWM`).
fn memory_mb() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .unwrap_or(0.0)
            / 1024.0
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn main() {
    kitle::allocator::return_freed_memory_at_once(); // as the kitle binary does
    let args: Vec<String> = std::env::args().collect();
    let [_, kind, path] = args.as_slice() else {
        eprintln!("usage: phases orders|customers FILE");
        std::process::exit(2);
    };
    let kind = if kind == "orders" { SourceKind::Orders } else { SourceKind::Customers };
    let path = std::path::PathBuf::from(path);
    for _ in 0..2 {
        let spec = SourceSpec::new(kind, &path);
        let t = Instant::now();
        let loaded = load_source(&spec, &Progress::default()).unwrap();
        let t2 = t.elapsed();
        println!("  after loading: {:?} MB (now, peak); heap {:?} MB (now, peak)", memory_mb(), heap_mb());
        let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        let data = if kind == SourceKind::Orders {
            build(None, Some(loaded), None, as_of)
        } else {
            build(Some(loaded), None, None, as_of)
        }
        .unwrap();
        let t3 = t.elapsed();
        println!(
            "  after building: {:?} MB; heap {:?}; table {:.0} MB of Arrow buffers",
            memory_mb(),
            heap_mb(),
            kitle::engine::data::table_bytes(&data.customers) as f64 / 1e6
        );
        if std::env::var_os("PHASES_COLUMNS").is_some() {
            for c in data.customers.columns() {
                println!(
                    "    {} {:?} {:.0} MB",
                    c.name(),
                    c.dtype(),
                    c.as_materialized_series().estimated_size() as f64 / 1e6
                );
            }
        }
        println!("load {:?} build {:?} total {:?} ({} customers)", t2, t3 - t2, t3, data.customers.height());
    }
}
