//! Tab 4, Explore: new audiences found in the raw data. Not built yet; the tab
//! says what it will hold.

use super::{Tab, TabContext, TabView, not_built_ui};

pub struct ExploreTab;

impl TabView for ExploreTab {
    fn id(&self) -> Tab {
        Tab::Explore
    }

    fn title_key(&self) -> &'static str {
        "tab.explore"
    }

    fn ui(&mut self, ui: &mut egui::Ui, ctx: &TabContext<'_>) {
        not_built_ui(ui, ctx.lang, "tab.explore", "soon.explore");
    }
}
