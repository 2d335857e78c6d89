//! Any text as a segment rule: the parser must answer with a rule or an error
//! (never panic), and a rule it reads must print to text that reads back the same.
#![no_main]

use kitle::engine::segment::{parse, to_text};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(rule) = parse(text) {
        let printed = to_text(&rule);
        let again = parse(&printed).unwrap_or_else(|e| panic!("{printed:?} does not read back: {e}"));
        assert_eq!(again, rule, "{printed:?} reads back differently");
    }
});
