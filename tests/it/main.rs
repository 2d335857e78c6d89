//! Kitle's integration tests: one test binary (linking is the slow part of a build),
//! one module per area.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod audience;
mod cache;
mod cli;
mod cohorts;
mod consent;
mod dashboard;
mod explore;
mod fake_api;
mod fake_store;
mod fidelity;
mod folding;
mod helpers;
mod history;
mod import;
mod malformed;
mod marketplaces;
mod persona;
mod push;
mod push_faults;
mod segments;
mod store;
mod ui;
mod warehouse;
mod workspace;
