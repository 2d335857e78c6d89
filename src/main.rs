//! `kitle`: the desktop app, or a headless subcommand when the first argument names one.

use std::ffi::OsString;
use std::process::ExitCode;

// Imports build and drop buffers of hundreds of megabytes; mimalloc reuses memory
// it has mapped, which made imports ~25% faster here. It returns what is freed at
// once (see `kitle::allocator`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    kitle::allocator::return_freed_memory_at_once();
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
