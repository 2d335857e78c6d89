//! Where an import's time goes: reading the file, typing the columns, building the
//! customer table. Run twice (the second run has warm file caches):
//! `cargo run --release -p kitle-benches --example phases -- orders|customers FILE`

// The app's allocator (src/main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use kitle::engine::build::build;
use kitle::engine::fields::SourceKind;
use kitle::engine::import::{Progress, SourceSpec, load_raw, reader::read_table};
use std::time::Instant;

fn main() {
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
        let raw = read_table(&spec.path, &spec.options, &Progress::default()).unwrap();
        let t1 = t.elapsed();
        let loaded = load_raw(&spec, raw, &Progress::default()).unwrap();
        let t2 = t.elapsed();
        let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        let data = if kind == SourceKind::Orders {
            build(None, Some(loaded), None, as_of)
        } else {
            build(Some(loaded), None, None, as_of)
        }
        .unwrap();
        let t3 = t.elapsed();
        println!(
            "read {:?} columns {:?} build {:?} total {:?} ({} customers)",
            t1,
            t2 - t1,
            t3 - t2,
            t3,
            data.customers.height()
        );
    }
}
