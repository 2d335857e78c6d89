//! Any bytes as a big text file is read: streamed in small blocks, which must give
//! exactly the table the whole-file reader gives (cells, notes, rows after empty
//! lines), or be handed to it. Loaded as an orders file, typed block by block after
//! its first rows, it must give exactly the loaded table and report of the whole file.
#![no_main]

use std::path::Path;

use kitle::engine::fields::SourceKind;
use kitle::engine::import::reader::{ReadOptions, read_table_bytes, stream_text_bytes};
use kitle::engine::import::{LoadedSource, Progress, SourceSpec, load_raw, stream_source_bytes};
use kitle::engine::import::table::{RawColumn, RawTable};

fn cells(table: &RawTable) -> Vec<Vec<String>> {
    let text = |c: &RawColumn, i| c.get(i).as_text().map(|t| t.into_owned()).unwrap_or_default();
    table.columns.iter().map(|c| (0..c.len()).map(|i| text(c, i)).collect()).collect()
}

/// Every cell of a loaded table as text (NaN reads as itself).
fn loaded_cells(loaded: &LoadedSource) -> Vec<(String, String, Vec<String>)> {
    let df = &loaded.df;
    df.columns()
        .iter()
        .map(|c| {
            let cells = (0..df.height()).map(|i| format!("{:?}", c.get(i).ok())).collect();
            (c.name().to_string(), format!("{:?}", c.dtype()), cells)
        })
        .collect()
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (options, progress) = (ReadOptions::default(), Progress::default());
    let Ok(whole) = read_table_bytes(data, Path::new("fuzz.csv"), &options, &progress) else { return };
    // Block sizes from the input's last byte: from a few bytes to bigger than it.
    let block = 1 + usize::from(data.last().copied().unwrap_or(0)) * 16;
    let Some(streamed) = stream_text_bytes(data, &options, &progress, block) else { return };
    let streamed = streamed.unwrap_or_else(|e| panic!("the whole file reads, the stream says {e}"));
    assert_eq!(whole.headers, streamed.headers);
    assert_eq!(cells(&whole), cells(&streamed));
    assert_eq!(whole.rows_after_blank, streamed.rows_after_blank);
    let notes = |t: &RawTable| t.notes.iter().map(ToString::to_string).collect::<Vec<_>>();
    assert_eq!(notes(&whole), notes(&streamed));
    assert_eq!(whole.delimiter, streamed.delimiter);

    let spec = SourceSpec::new(SourceKind::Orders, "fuzz.csv");
    let Ok(loaded) = load_raw(&spec, whole, &progress) else { return };
    let head_rows = 1 + usize::from(data.first().copied().unwrap_or(0) % 64);
    let Some(typed) = stream_source_bytes(data, &spec, &progress, block, head_rows) else { return };
    let typed = typed.unwrap_or_else(|e| panic!("the whole file loads, the typed stream says {e}"));
    assert_eq!(loaded_cells(&loaded), loaded_cells(&typed));
    assert_eq!(loaded.report, typed.report);
});
