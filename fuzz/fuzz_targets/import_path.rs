// Shared by the two import targets: a file's bytes through the whole import, as
// the app runs it: read (sniffing, decoding), map and type, then build the
// customer table. Any outcome but a panic is fine: errors are messages.

use std::path::Path;

use kitle::engine::build::build;
use kitle::engine::fields::SourceKind;
use kitle::engine::import::reader::read_table_bytes;
use kitle::engine::import::{Progress, ReadOptions, SourceSpec, load_raw};

/// The import contains panics inside calamine (a damaged workbook is a message);
/// any other panic is a crash. libfuzzer-sys aborts on every panic, so its hook is
/// replaced by one that lets calamine's unwind to Kitle's guard.
fn contain_calamine_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let aborting = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !info.location().is_some_and(|l| l.file().contains("/calamine-")) {
                aborting(info);
            }
        }));
    });
}

pub fn import(bytes: &[u8], name: &str) {
    contain_calamine_panics();
    let progress = Progress::default();
    let path = Path::new(name);
    let Ok(raw) = read_table_bytes(bytes, path, &ReadOptions::default(), &progress) else { return };
    for kind in [SourceKind::Customers, SourceKind::Orders] {
        let spec = SourceSpec::new(kind, path);
        let Ok(loaded) = load_raw(&spec, raw.clone(), &progress) else { continue };
        let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        let _ = match kind {
            SourceKind::Orders => build(None, Some(loaded), None, as_of),
            _ => build(Some(loaded), None, None, as_of),
        };
    }
}
