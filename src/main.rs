//! `kitle`: the desktop app, or a headless subcommand when the first argument names one.

use std::ffi::OsString;
use std::process::ExitCode;

// Imports build and drop buffers of hundreds of megabytes; mimalloc keeps memory
// it has mapped instead of returning it, which made imports ~25% faster here.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    use kitle::cli::launch::{Launch, launch};
    use kitle::version;
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    let path = match launch(&args) {
        Launch::Command => return kitle::cli::main_with(args),
        Launch::Version => {
            println!("{}", version());
            return ExitCode::SUCCESS;
        }
        Launch::Unknown(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
        Launch::Window(path) => path,
    };
    match kitle::app::run(path) {
        Ok(()) => ExitCode::from(kitle::app::SMOKE_EXIT_CODE.load(std::sync::atomic::Ordering::Relaxed)),
        Err(e) => {
            eprintln!("kitle: the window could not be opened: {e}");
            ExitCode::from(1)
        }
    }
}
