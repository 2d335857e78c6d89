//! The hub's tabs. Each tab is one file (or folder) implementing [`TabView`]; the
//! [`registry`] lists them in the order the tab bar shows them, so adding a tab is
//! one file, one [`Tab`] id and one line here. A tab gets one read-only
//! [`TabContext`] and changes things only by sending commands.

pub mod customers;
pub mod dashboard;
pub mod explore;
pub mod personas;
pub mod segments;

use std::any::Any;

use super::cache::SharedCache;
use super::command::{Command, CommandSender};
use super::document::Document;
use super::i18n::Lang;
use super::state::Tab;

/// What a tab may read, and how it asks for changes.
pub struct TabContext<'a> {
    pub doc: &'a Document,
    pub cache: &'a SharedCache,
    /// The user's preferences (read-only; changed by commands).
    pub prefs: &'a super::state::Prefs,
    pub lang: Lang,
    pub commands: &'a CommandSender,
    pub egui: &'a egui::Context,
}

impl TabContext<'_> {
    pub fn send(&self, command: impl Into<Command>) {
        self.commands.send(command);
    }

    /// The workspace's currency code.
    pub fn currency(&self) -> &str {
        &self.doc.workspace.settings.currency
    }
}

/// One tab of the hub.
pub trait TabView: Any {
    fn id(&self) -> Tab;

    /// The translation key of the tab's title.
    fn title_key(&self) -> &'static str;

    /// Work that is not drawing, once per frame while the tab is shown: start or
    /// collect background computations.
    fn logic(&mut self, _ctx: &TabContext<'_>) {}

    /// Draws the tab.
    fn ui(&mut self, ui: &mut egui::Ui, ctx: &TabContext<'_>);
}

/// Every tab, in tab-bar order, each in its starting state.
pub fn registry() -> Vec<Box<dyn TabView>> {
    vec![
        Box::new(dashboard::DashboardTab::default()),
        Box::new(segments::SegmentsTab::default()),
        Box::new(personas::PersonasTab::default()),
        Box::new(explore::ExploreTab::default()),
        Box::new(customers::CustomersTab::default()),
    ]
}
