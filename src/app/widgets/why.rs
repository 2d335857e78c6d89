//! "Why is this customer here?": a saved segment's rule drawn as a tree for one
//! customer, each condition marked true, false or empty with the customer's value
//! beside it (the customer details panel shows it).

use crate::app::i18n::{Lang, field_label, t};
use crate::engine::segment::why::{Outcome, Why, WhyItem};

/// The mark of a result, in words (screen readers and tests read them too).
pub fn outcome_text(outcome: Outcome, lang: Lang) -> &'static str {
    t(
        lang,
        match outcome {
            Outcome::True => "why.true",
            Outcome::False => "why.false",
            Outcome::Empty => "why.empty",
            Outcome::Invalid => "why.invalid",
        },
    )
}

/// Draws the answer: in or out, then every row of the rule. `shown` writes a
/// field's value for the reader (money, dates in the language's style).
pub fn why_ui(ui: &mut egui::Ui, why: &Why, lang: Lang, shown: &dyn Fn(&str) -> Option<String>) {
    ui.strong(t(lang, if why.member { "why.member" } else { "why.not_member" }));
    items_ui(ui, &why.items, lang, 0, shown);
}

fn items_ui(ui: &mut egui::Ui, items: &[WhyItem], lang: Lang, depth: usize, shown: &dyn Fn(&str) -> Option<String>) {
    for item in items {
        ui.horizontal_wrapped(|ui| {
            ui.add_space(16.0 * depth as f32);
            let mark = outcome_text(item.result, lang);
            let mark = if item.result == Outcome::True {
                egui::RichText::new(mark).strong()
            } else {
                egui::RichText::new(mark).weak()
            };
            ui.label(mark);
            let join = item
                .join
                .map_or(String::new(), |j| format!("{} ", t(lang, if j == "and" { "why.and" } else { "why.or" })));
            let not = if item.negate { format!("{} ", t(lang, "why.not")) } else { String::new() };
            let text = if item.items.is_empty() { item.text.clone() } else { "( … )".to_owned() };
            ui.label(format!("{join}{not}{text}"));
            if let (Some(field), Some(value)) = (&item.field, &item.value) {
                let value = if value.is_empty() {
                    t(lang, "why.no_value").to_owned()
                } else {
                    shown(field).unwrap_or_else(|| value.clone())
                };
                ui.weak(format!("{}: {value}", field_label(lang, field)));
            }
        });
        items_ui(ui, &item.items, lang, depth + 1, shown);
    }
}
