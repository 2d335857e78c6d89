//! UI choices remembered between runs (through eframe's storage), and the small
//! value types the shell shows. The user's documents (workspaces) are saved apart.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::format::Lang;

/// The tabs of the hub, as remembered between runs. Each is drawn by a
/// [`super::tabs::TabView`] in the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Tab {
    #[default]
    Dashboard,
    Segments,
    Personas,
    Explore,
    Customers,
}

/// Light, dark, or whatever the system uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum ThemeChoice {
    #[default]
    System,
    Light,
    Dark,
}

/// UI choices remembered between runs (eframe storage).
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Prefs {
    /// `None`: follow the system locale.
    pub lang: Option<Lang>,
    pub theme: ThemeChoice,
    pub recent: Vec<PathBuf>,
    pub tab: Tab,
    /// The optional AI narrative: an OpenAI-compatible endpoint (empty: off) and
    /// model. Its key is never stored.
    pub ai_endpoint: String,
    pub ai_model: String,
}

const MAX_RECENT: usize = 8;

impl Prefs {
    /// The language in effect.
    pub fn lang(&self) -> Lang {
        self.lang.unwrap_or_else(Lang::from_system)
    }

    /// Puts `path` first in the recent list.
    pub fn remember_recent(&mut self, path: &std::path::Path) {
        let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        self.recent.retain(|p| p != &path);
        self.recent.insert(0, path);
        self.recent.truncate(MAX_RECENT);
    }
}

/// A message for the user at the top of the window.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    Info(String),
    Error(String),
}
