//! Tab 3, Personas: ideal customer profiles checked against real customers. Not
//! built yet; the tab says what it will hold.

use super::{Tab, TabContext, TabView, not_built_ui};

pub struct PersonasTab;

impl TabView for PersonasTab {
    fn id(&self) -> Tab {
        Tab::Personas
    }

    fn title_key(&self) -> &'static str {
        "tab.personas"
    }

    fn ui(&mut self, ui: &mut egui::Ui, ctx: &TabContext<'_>) {
        not_built_ui(ui, ctx.lang, "tab.personas", "soon.personas");
    }
}
