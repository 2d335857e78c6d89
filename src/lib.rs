//! Kitle: open customer spreadsheets, see the customer universe, build segments,
//! check personas and turn segments into ad audiences, on the desktop and offline.
//!
//! [`engine`] holds all the logic and has no user interface; [`cli`] and the
//! desktop [`app`] drive it; [`format`] writes numbers and dates for a language.

pub mod allocator;
pub mod app;
pub mod cli;
pub mod connect;
pub mod engine;
pub mod format;
pub mod i18n;

/// The version line: the package version and the build (set by packaging through
/// `KITLE_BUILD`, e.g. a commit and a date). `kitle --version` and Help → About show it.
pub fn version() -> String {
    format!("kitle {} ({})", env!("CARGO_PKG_VERSION"), option_env!("KITLE_BUILD").unwrap_or("development build"))
}
