//! Large generated files for the benchmarks, made once and cached under
//! `target/bench-data` (the demo generator is deterministic, so the cache is safe).

use std::path::{Path, PathBuf};

use kitle::engine::demo::{DemoConfig, generate};

fn data_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("target"), PathBuf::from);
    target.join("bench-data")
}

/// Customer and order CSVs of the demo store with `customers` customers.
pub fn store_files(customers: usize) -> (PathBuf, PathBuf) {
    let dir = data_dir().join(format!("store-{customers}"));
    let (c, o) = (dir.join("customers.csv"), dir.join("orders.csv"));
    if !(c.exists() && o.exists()) {
        std::fs::create_dir_all(&dir).expect("bench data folder");
        let (customers_csv, orders_csv) = generate(&DemoConfig { customers, ..DemoConfig::default() });
        std::fs::write(&c, customers_csv).expect("write customers");
        std::fs::write(&o, orders_csv).expect("write orders");
    }
    (c, o)
}

/// Rows in a CSV file (minus the header).
pub fn rows(path: &Path) -> usize {
    let bytes = std::fs::read(path).expect("read");
    bytes.iter().filter(|&&b| b == b'\n').count().saturating_sub(1)
}
