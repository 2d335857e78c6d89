//! `kitle`: the desktop app, or a headless subcommand when the first argument names one.

fn main() -> std::process::ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    kitle::cli::main_with(args)
}
