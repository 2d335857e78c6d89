//! The engine: everything Kitle knows about customers, with no user interface.
//! The desktop app, the command line, the tests and the benchmarks all drive it.

pub mod browse;
pub mod build;
pub mod dashboard;
pub mod demo;
pub mod evaluate;
pub mod export;
pub mod fields;
pub mod import;
pub mod keys;
pub mod message;
pub mod segment;
pub mod templates;
pub mod text;
pub mod workspace;
