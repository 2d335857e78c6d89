//! Windows over the hub: About, connecting a store, restoring unsaved changes after a crash, the import dialog, the import report, the remarketing
//! audience dialog (with its API push section), "save changes first?", a typed path when the system has no file
//! dialog, and the native file dialog itself.

pub mod about;
pub mod audience;
pub mod confirm;
pub mod connect;
pub mod file;
pub mod import;
pub mod path_prompt;
pub mod push;
pub mod report;
pub mod restore;
