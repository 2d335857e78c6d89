//! Workspace files (`.kitle`): a versioned RON document naming the data sources
//! (paths relative to the workspace file, so a moved folder still opens), the
//! settings, and the user's segments and personas. The customer table itself is
//! not stored: it is rebuilt from the sources on open ([`super::loading`]). This
//! module is the file model only: what a workspace holds, and reading and writing it.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use chrono::Datelike;

use super::dashboard::band_limits;
use super::data::{CustomerData, SpendEntry};
use super::import::{ImportError, SourceSpec};
use super::store::StoreSource;
/// File helpers every writer shares (they lived here first).
pub use crate::engine::files::{parent_dir, relative_path, write_atomically, write_private};
/// A saved segment (the segment module's type; workspaces hold them).
pub use crate::engine::segment::{Segment, now_text};

/// The format this version writes; files with a higher number are refused.
pub const FORMAT_VERSION: u32 = 1;
pub const EXTENSION: &str = "kitle";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Workspace {
    pub format_version: u32,
    pub name: String,
    #[serde(default)]
    pub sources: Vec<SourceSpec>,
    #[serde(default)]
    pub settings: Settings,
    #[serde(default)]
    pub segments: Vec<Segment>,
    #[serde(default)]
    pub personas: Vec<Persona>,
    /// Spend typed in by hand (channel, month, amount), added to any spend file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub manual_spend: Vec<ManualSpend>,
    /// Remarketing audiences built from segments.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audiences: Vec<super::audience::Audience>,
    /// A store connected through its API: its customers and orders come from the
    /// local copy of what was pulled (see [`super::store`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store: Option<StoreSource>,
}

/// Marketing spend for one channel in one month, typed in the dashboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManualSpend {
    pub channel: String,
    /// `YYYY-MM`
    pub month: String,
    pub amount: f64,
}

impl ManualSpend {
    /// As a spend entry covering the whole month; `None` when the month is not `YYYY-MM`.
    pub fn entry(&self) -> Option<SpendEntry> {
        let (start, end) = super::build::parse_period(&self.month)?;
        (start.day() == 1 && !self.channel.trim().is_empty() && self.amount.is_finite()).then(|| SpendEntry {
            channel: self.channel.trim().to_owned(),
            start,
            end,
            amount: self.amount,
            manual: true,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// ISO 4217 code of the workspace's money (`TRY`, `EUR` …).
    pub currency: String,
    /// UI language for this workspace (`tr`, `en`); `None` follows the app.
    pub locale: Option<String>,
    /// The day "days since", "tenure" and "age" are counted to; `None` is today.
    pub as_of: Option<NaiveDate>,
    /// Upper bounds of the LTV bands (the last band is open-ended).
    pub ltv_bands: Vec<f64>,
    /// Keep a local cache of the built customer table beside the workspace (see
    /// [`super::cache`]), so it opens without importing again.
    #[serde(skip_serializing_if = "is_true")]
    pub cache: bool,
    /// The price index for real lira (see [`super::cohorts::index`]): data the user
    /// loaded or typed, no secret.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price_index: Option<super::cohorts::index::PriceIndex>,
    /// The month whose lira real amounts are in (`YYYY-MM`); `None` is the as-of month.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub real_base: Option<String>,
    /// Gross margin (0.35 is 35%) for payback on margin rather than revenue.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gross_margin: Option<f64>,
}

fn is_true(value: &bool) -> bool {
    *value
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            currency: "TRY".to_owned(),
            locale: None,
            as_of: None,
            ltv_bands: vec![1_000.0, 5_000.0, 10_000.0],
            cache: true,
            price_index: None,
            real_base: None,
            gross_margin: None,
        }
    }
}

/// An ideal customer profile (see [`crate::engine::persona`]).
pub use crate::engine::persona::Persona;

/// Why a workspace could not be opened or saved.
#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error("{path} could not be read: {message}")]
    Read { path: PathBuf, message: String },
    #[error("{path} is not a Kitle workspace or is damaged ({message}).")]
    Broken { path: PathBuf, message: String },
    #[error(
        "{path} was saved by a newer Kitle (workspace format {found}); this version opens formats up to {FORMAT_VERSION}. Update Kitle to open it."
    )]
    TooNew { path: PathBuf, found: u32 },
    #[error("The workspace could not be saved to {path}: {message}")]
    Save { path: PathBuf, message: String },
    // Transparent: the command line prints an error with its causes, and this one
    // would otherwise say the import error twice.
    #[error(transparent)]
    Data(#[from] ImportError),
}

impl WorkspaceError {
    /// The error in the user's language.
    pub fn text(&self, lang: crate::format::Lang) -> String {
        use crate::engine::message::Message;
        match self {
            WorkspaceError::Read { path, message } => {
                let reason = crate::engine::message::os_error_text(lang, message);
                Message::new("msg.err_ws_read", [path.display().to_string(), reason]).text(lang)
            }
            WorkspaceError::Broken { path, message } => {
                Message::new("msg.err_ws_broken", [path.display().to_string(), message.clone()]).text(lang)
            }
            WorkspaceError::TooNew { path, found } => Message::new(
                "msg.err_ws_too_new",
                [path.display().to_string(), found.to_string(), FORMAT_VERSION.to_string()],
            )
            .text(lang),
            WorkspaceError::Save { path, message } => {
                let reason = crate::engine::message::os_error_text(lang, message);
                Message::new("msg.err_ws_save", [path.display().to_string(), reason]).text(lang)
            }
            WorkspaceError::Data(e) => e.text(lang),
        }
    }
}

#[derive(Deserialize)]
struct VersionProbe {
    format_version: u32,
}

impl Workspace {
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            format_version: FORMAT_VERSION,
            name: name.into(),
            sources: Vec::new(),
            settings: Settings::default(),
            segments: Vec::new(),
            personas: Vec::new(),
            manual_spend: Vec::new(),
            audiences: Vec::new(),
            store: None,
        }
    }

    /// Reads a workspace file; source paths stay as written (relative to its folder).
    pub fn load(path: &Path) -> Result<Self, WorkspaceError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| WorkspaceError::Read { path: path.to_path_buf(), message: e.to_string() })?;
        Self::from_ron(&text, path)
    }

    pub fn from_ron(text: &str, path: &Path) -> Result<Self, WorkspaceError> {
        let broken =
            |e: ron::error::SpannedError| WorkspaceError::Broken { path: path.to_path_buf(), message: e.to_string() };
        let probe: VersionProbe = ron::from_str(text).map_err(broken)?;
        if probe.format_version > FORMAT_VERSION {
            return Err(WorkspaceError::TooNew { path: path.to_path_buf(), found: probe.format_version });
        }
        let mut workspace: Self = ron::from_str(text).map_err(broken)?;
        // A hand-edited or damaged file may hold band limits that can't be (NaN,
        // infinite, zero or below, out of order): kept as the dashboard reads them.
        workspace.settings.ltv_bands = band_limits(&workspace.settings.ltv_bands);
        Ok(workspace)
    }

    pub fn to_ron(&self) -> Result<String, ron::Error> {
        ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::default())
    }

    /// Saves atomically (a temporary file in the same folder, then renamed over the
    /// old one), with source paths made relative to the workspace's folder.
    pub fn save(&self, path: &Path) -> Result<(), WorkspaceError> {
        let save_err = |message: String| WorkspaceError::Save { path: path.to_path_buf(), message };
        let dir = parent_dir(path);
        let mut copy = self.clone();
        copy.format_version = FORMAT_VERSION;
        let abs_dir = std::path::absolute(&dir).unwrap_or_else(|_| dir.clone());
        for source in &mut copy.sources {
            if source.path.is_absolute() {
                source.path = relative_path(&source.path, &abs_dir);
            }
        }
        if let Some(store) = copy.store.as_mut().filter(|s| s.cache.is_absolute()) {
            store.cache = relative_path(&store.cache, &abs_dir);
        }
        let text = copy.to_ron().map_err(|e| save_err(e.to_string()))?;
        write_atomically(path, text.as_bytes()).map_err(|e| save_err(e.to_string()))
    }

    /// Replaces the hand-typed spend in `data` with this workspace's, and adds
    /// `real_ltv` when a price index is set (removes it when not).
    pub fn apply_manual_spend(&self, data: &mut CustomerData) {
        data.spend.retain(|s| !s.manual);
        data.spend.extend(self.manual_spend.iter().filter_map(ManualSpend::entry));
        use super::cohorts::real;
        real::remove_real_ltv(data);
        if let Some(index) = &self.settings.price_index {
            // Without orders there is nothing to convert by: no field, said where real lira are asked for.
            let _ = real::add_real_ltv(data, index, self.real_base(data.as_of));
        }
    }

    /// The month real lira are in: the chosen one, else the as-of date's.
    pub fn real_base(&self, as_of: NaiveDate) -> super::cohorts::index::MonthKey {
        self.settings
            .real_base
            .as_deref()
            .and_then(super::cohorts::index::parse_month)
            .unwrap_or_else(|| super::cohorts::real::default_base(as_of))
    }

    pub fn as_of(&self) -> NaiveDate {
        self.settings.as_of.unwrap_or_else(|| chrono::Local::now().date_naive())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_newer_and_broken_files() {
        let newer = "(format_version: 99, name: \"x\")";
        assert!(matches!(
            Workspace::from_ron(newer, Path::new("w.kitle")),
            Err(WorkspaceError::TooNew { found: 99, .. })
        ));
        let broken = "(format_version: 1, name: ";
        let err = Workspace::from_ron(broken, Path::new("w.kitle")).unwrap_err();
        assert!(err.to_string().contains("damaged"), "{err}");
        let ws = Workspace::new("Mağaza");
        let back = Workspace::from_ron(&ws.to_ron().unwrap(), Path::new("w.kitle")).unwrap();
        assert_eq!(back, ws);
        // Found by fuzzing: band limits that can't be (NaN, infinite, negative, out of
        // order, repeated) are cleaned on load, so the file writes back as it reads.
        let written = ws.to_ron().unwrap();
        let bands = written.find("ltv_bands: [").unwrap();
        let end = bands + written[bands..].find(']').unwrap() + 1;
        let odd =
            format!("{}ltv_bands: [10000.0, NaN, inf, -5.0, 1000.0, 1000.0]{}", &written[..bands], &written[end..]);
        let cleaned = Workspace::from_ron(&odd, Path::new("w.kitle")).unwrap();
        assert_eq!(cleaned.settings.ltv_bands, [1000.0, 10000.0]);
        assert_eq!(Workspace::from_ron(&cleaned.to_ron().unwrap(), Path::new("w.kitle")).unwrap(), cleaned);
    }
}
