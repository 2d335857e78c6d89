//! `kitle`: the desktop app, or a headless subcommand when the first argument names one.

use std::ffi::OsString;
use std::process::ExitCode;

// Imports build and drop buffers of hundreds of megabytes; mimalloc keeps memory
// it has mapped instead of returning it, which made imports ~25% faster here.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    let first = args.first().and_then(|a| a.to_str()).unwrap_or_default();
    if kitle::cli::SUBCOMMANDS.contains(&first) {
        return kitle::cli::main_with(args);
    }
    let path = args.first().map(std::path::PathBuf::from);
    match kitle::app::run(path) {
        Ok(()) => ExitCode::from(kitle::app::SMOKE_EXIT_CODE.load(std::sync::atomic::Ordering::Relaxed)),
        Err(e) => {
            eprintln!("kitle: the window could not be opened: {e}");
            ExitCode::from(1)
        }
    }
}
