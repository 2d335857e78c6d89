//! Any bytes as a CSV/TSV/text export: sniffing the encoding and delimiter,
//! decoding, typing columns and building customers (and orders) from them.
#![no_main]

#[path = "import_path.rs"]
mod import_path;

libfuzzer_sys::fuzz_target!(|data: &[u8]| import_path::import(data, "fuzz.csv"));
