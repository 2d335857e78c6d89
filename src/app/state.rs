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
    /// Show money in real lira (by the workspace's price index) on the Dashboard and in Explore.
    pub real_money: bool,
}

const MAX_RECENT: usize = 8;

impl Prefs {
    /// The language in effect.
    pub fn lang(&self) -> Lang {
        self.lang.unwrap_or_else(Lang::from_system)
    }

    /// The recent workspaces that still exist, each with the name to show: the file's
    /// name, with its folder when another recent one has the same name.
    pub fn recent_names(&self) -> Vec<(PathBuf, String)> {
        let stem = |p: &std::path::Path| {
            p.file_stem().map_or_else(|| p.display().to_string(), |s| s.to_string_lossy().into_owned())
        };
        let alive: Vec<&PathBuf> = self.recent.iter().filter(|p| p.exists()).collect();
        alive
            .iter()
            .map(|p| {
                let name = stem(p);
                let shared = alive.iter().filter(|q| stem(q) == name).count() > 1;
                let folder = p.parent().map(|d| d.display().to_string()).unwrap_or_default();
                ((*p).clone(), if shared { format!("{name} — {folder}") } else { name })
            })
            .collect()
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

#[cfg(test)]
mod recent_tests {
    use super::*;

    #[test]
    fn recent_workspaces_that_share_a_name_show_their_folder_and_gone_ones_are_hidden() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let (first, second, other) =
            (a.path().join("demo.kitle"), b.path().join("demo.kitle"), a.path().join("shop.kitle"));
        for p in [&first, &second, &other] {
            std::fs::write(p, "").unwrap();
        }
        let prefs =
            Prefs { recent: vec![first.clone(), a.path().join("gone.kitle"), second, other], ..Prefs::default() };
        let names: Vec<String> = prefs.recent_names().into_iter().map(|(_, n)| n).collect();
        assert_eq!(names.len(), 3, "{names:?}");
        assert_eq!(names[0], format!("demo — {}", a.path().display()));
        assert!(names[1].starts_with("demo — "));
        assert_eq!(names[2], "shop");
    }
}
