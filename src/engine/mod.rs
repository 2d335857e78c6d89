//! The engine: everything Kitle knows about customers, with no user interface.
//! The desktop app, the command line, the tests and the benchmarks all drive it.
//!
//! Start at [`data`] (the customer table), then [`import`] (files in) and [`build`]
//! (files to customers). Each feature has its module or folder: [`segment`],
//! [`dashboard`], [`browse`], [`export`]; workspace files and their undoable edits
//! are [`workspace`] and [`edit`]. The engine never draws, never opens a socket
//! and never calls the app or the command line (a test in [`architecture`] checks).

pub mod architecture;
pub mod audience;
pub mod browse;
pub mod build;
pub mod cache;
pub mod cohorts;
pub mod countries;
pub mod dashboard;
pub mod data;
pub mod demo;
pub mod edit;
pub mod explore;
pub mod export;
pub mod fields;
pub mod files;
pub mod import;
pub mod keys;
pub mod loading;
pub mod message;
pub mod persona;
pub mod progress;
pub mod segment;
pub mod store;
pub mod text;
pub mod typed;
pub mod values;
pub mod workspace;
