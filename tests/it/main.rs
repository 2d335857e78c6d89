//! Kitle's integration tests: one test binary (linking is the slow part of a build),
//! one module per area.

mod cli;
mod helpers;
mod import;
mod malformed;
mod workspace;
