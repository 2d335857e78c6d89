//! Reading a cache column in place: its file memory-mapped and its Arrow buffers
//! used where they lie, so a reopen neither copies the table nor makes the kernel
//! zero fresh pages for it (at 10M customers that was most of a reopen).
//!
//! This is the one module of Kitle that uses `unsafe`, for two reasons, each sound
//! under the conditions below:
//! - **Mapping a file** is only sound while nobody changes it. Kitle never writes a
//!   cache file after creating it. The files are made new in a private staging
//!   folder, and a cache is replaced by renaming a whole new folder into place. A
//!   file removed or replaced while mapped stays intact for as long as it is mapped.
//!   The one way left is another program truncating or rewriting a file of the
//!   user's private cache in place while Kitle has it open. That would stop Kitle
//!   (SIGBUS) or show wrong numbers until the next import; it can't reach a workspace.
//! - **Arrow buffers used unchecked** (string offsets, views, UTF-8) are only sound
//!   when they are what polars' writer made from valid arrays. So every byte of the
//!   file is hashed (XXH3) and compared with the hash taken as Kitle wrote it
//!   before any of it is read as Arrow. A damaged, cut or foreign file is refused.

use std::path::Path;
use std::sync::Arc;

use polars::prelude::*;
use polars_arrow::io::ipc::read::read_file_metadata;
use polars_arrow::mmap::{mmap_dictionaries_unchecked, mmap_unchecked};

/// The one column of the cache file `path`, mapped, after checking that the file
/// is `length` bytes whose XXH3 hash is `hash`. Errors say what is wrong, for the
/// note that the cache was ignored.
#[allow(unsafe_code)]
pub(super) fn read_column(path: &Path, length: u64, hash: u64) -> Result<Column, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let found = file.metadata().map_err(|e| e.to_string())?.len();
    if found != length {
        return Err(format!("is damaged ({found} bytes, {length} written)"));
    }
    // SAFETY: the file is never written again once made (see the module's doc), so
    // the mapping holds what is checked below for as long as it lives.
    let map = unsafe { memmap2::MmapOptions::new().populate().map(&file) }.map_err(|e| e.to_string())?;
    if xxhash_rust::xxh3::xxh3_64(&map) != hash {
        return Err("is damaged or was changed".to_owned());
    }
    let map = Arc::new(map);
    let metadata = read_file_metadata(&mut std::io::Cursor::new(&map[..])).map_err(|e| format!("is damaged ({e})"))?;
    // SAFETY: every byte is the one polars' IPC writer wrote from valid arrays (the
    // hash above), so offsets, views and text are as valid as they were.
    let dictionaries =
        unsafe { mmap_dictionaries_unchecked(&metadata, Arc::clone(&map)) }.map_err(|e| format!("is damaged ({e})"))?;
    let mut column: Option<Column> = None;
    for block in 0..metadata.blocks.len() {
        // SAFETY: as for the dictionaries.
        let batch = unsafe { mmap_unchecked(&metadata, &dictionaries, Arc::clone(&map), block) }
            .map_err(|e| format!("is damaged ({e})"))?;
        let part = match <[Column; 1]>::try_from(DataFrame::from(batch).into_columns()) {
            Ok([part]) => part,
            Err(_) => return Err("is damaged (not one column)".to_owned()),
        };
        column = Some(match column {
            None => part,
            Some(mut whole) => {
                whole.append_owned(part).map_err(|e| format!("is damaged ({e})"))?;
                whole
            }
        });
    }
    column.ok_or_else(|| "is damaged (no rows)".to_owned())
}
