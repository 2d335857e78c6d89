//! Help → Guide: a short built-in guide in the user's language: what each tab is
//! for, how rules are written (each example beside the sentence Kitle reads it as,
//! made by the same engine function the rest of the app uses), and what every
//! metric means.

use super::{Dialog, DialogContext};
use crate::app::i18n::t;
use crate::engine::segment::describe::{Reading, describe};

/// Rules a marketer writes often; each is shown with its sentence.
const EXAMPLES: [&str; 6] = [
    "ltv > 5000",
    "last_order_date more than 90 days ago",
    "orders >= 2 and channel in (\"Google Ads\", \"Instagram\")",
    "ltv > 5000 and last_order_date more than 30 days ago or channel = \"Google Ads\"",
    "city = \"İstanbul\" and not in segment \"VIP\"",
    "bought category \"Kahve\" in last 90 days",
];

/// Help → Guide.
#[derive(Debug, Default)]
pub struct GuideDialog;

impl Dialog for GuideDialog {
    fn show(&mut self, ctx: &DialogContext<'_>) -> bool {
        let (egui, lang) = (ctx.egui, ctx.lang);
        let mut open = true;
        let max_height = (egui.content_rect().height() - 120.0).max(240.0);
        egui::Window::new(t(lang, "guide.title"))
            .open(&mut open)
            .default_width(620.0)
            .max_height(max_height)
            .collapsible(false)
            .show(egui, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| {
                    ui.heading(t(lang, "guide.tabs"));
                    for (tab, text) in [
                        ("tab.dashboard", "guide.tab_dashboard"),
                        ("tab.segments", "guide.tab_segments"),
                        ("tab.personas", "guide.tab_personas"),
                        ("tab.explore", "guide.tab_explore"),
                        ("tab.customers", "guide.tab_customers"),
                    ] {
                        term_ui(ui, t(lang, tab), t(lang, text));
                    }
                    ui.add_space(8.0);
                    ui.heading(t(lang, "guide.rules"));
                    ui.label(t(lang, "guide.rules_intro"));
                    let currency = ctx.doc.map_or("TRY", |d| d.workspace.settings.currency.as_str());
                    let reading = Reading { data: ctx.doc.map(|d| &*d.data), currency, lang };
                    egui::Grid::new("guide-rules").striped(true).num_columns(2).show(ui, |ui| {
                        ui.strong(t(lang, "guide.rules_written"));
                        ui.strong(t(lang, "guide.rules_means"));
                        ui.end_row();
                        for example in EXAMPLES {
                            ui.monospace(example);
                            let sentence = crate::engine::segment::parse(example)
                                .map_or_else(|_| String::new(), |rule| describe(&rule, reading));
                            ui.add(egui::Label::new(sentence).wrap());
                            ui.end_row();
                        }
                    });
                    ui.weak(t(lang, "guide.rules_more"));
                    ui.add_space(8.0);
                    ui.heading(t(lang, "guide.metrics"));
                    for (name, text) in [
                        ("dash.avg_ltv", "guide.m_ltv"),
                        ("dash.aov", "guide.m_aov"),
                        ("dash.cac", "guide.m_cac"),
                        ("dash.repeat_rate", "guide.m_repeat"),
                        ("guide.rfm", "guide.m_rfm"),
                        ("guide.alive", "guide.m_alive"),
                        ("guide.clv", "guide.m_clv"),
                        ("guide.fit", "guide.m_fit"),
                    ] {
                        term_ui(ui, t(lang, name), t(lang, text));
                    }
                });
            });
        open
    }
}

/// A term in bold and what it means, wrapped as one paragraph.
fn term_ui(ui: &mut egui::Ui, term: &str, meaning: &str) {
    ui.horizontal_wrapped(|ui| {
        ui.strong(term);
        ui.label(meaning);
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::Lang;

    #[test]
    fn every_example_reads_as_a_sentence_without_ids() {
        for example in EXAMPLES {
            let rule = crate::engine::segment::parse(example).unwrap_or_else(|e| panic!("{example}: {e:?}"));
            let reading = Reading { data: None, currency: "TRY", lang: Lang::Tr };
            let sentence = describe(&rule, reading);
            assert!(!sentence.contains('_') && !sentence.contains(" > "), "{example} → {sentence}");
        }
    }
}
