//! Any bytes as a spreadsheet (xlsx, xls, ods): calamine's reading, Kitle's cell
//! handling (serial dates, error cells, second tables) and the build.
#![no_main]

#[path = "import_path.rs"]
mod import_path;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    import_path::import(data, "fuzz.xlsx");
    import_path::import(data, "fuzz.ods");
});
