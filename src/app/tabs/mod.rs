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
    /// The customer data as money is shown: `doc.data`, or the same in real lira
    /// when the switch is on (Dashboard and Explore compute from this).
    pub data: std::sync::Arc<crate::engine::data::CustomerData>,
    /// The version of `data` (for keys of computations on it).
    pub version: u64,
    pub money: super::cache::Money,
    pub cache: &'a SharedCache,
    /// The user's preferences (read-only; changed by commands).
    pub prefs: &'a super::state::Prefs,
    pub lang: Lang,
    pub commands: &'a CommandSender,
    pub egui: &'a egui::Context,
}

impl<'a> TabContext<'a> {
    /// The context for the open document, its money shown as the preferences say.
    pub fn new(
        doc: &'a Document,
        cache: &'a SharedCache,
        prefs: &'a super::state::Prefs,
        lang: Lang,
        commands: &'a CommandSender,
        egui: &'a egui::Context,
    ) -> Self {
        let (data, version, money) = cache.money_view(doc, prefs.real_money);
        Self { doc, data, version, money, cache, prefs, lang, commands, egui }
    }

    pub fn send(&self, command: impl Into<Command>) {
        self.commands.send(command);
    }

    /// Opens a segment draft with `rule`. A rule on LTV built from real-lira figures
    /// reads `real_ltv`, so the segment finds what the figure showed.
    pub fn draft(&self, rule: crate::engine::segment::Rule) {
        self.send(super::command::SegmentCommand::Draft(self.money_rule(rule)));
    }

    /// `rule` as it must be saved: LTV conditions read `real_ltv` when money is real.
    pub fn money_rule(&self, rule: crate::engine::segment::Rule) -> crate::engine::segment::Rule {
        if self.money.is_real() {
            use crate::engine::cohorts::real::REAL_LTV;
            rule.with_fields_renamed(|f| (f == "ltv").then(|| REAL_LTV.to_owned()))
        } else {
            rule
        }
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
