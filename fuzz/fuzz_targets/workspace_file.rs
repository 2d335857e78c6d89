//! Any text as a workspace file: read it or say why not; a workspace that reads
//! writes out to text that reads back the same.
#![no_main]

use std::path::Path;

use kitle::engine::workspace::Workspace;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let path = Path::new("fuzz.kitle");
    if let Ok(ws) = Workspace::from_ron(text, path) {
        let written = ws.to_ron().expect("a workspace that was read can be written");
        let again = Workspace::from_ron(&written, path).expect("what Kitle writes it reads");
        assert_eq!(again, ws);
    }
});
