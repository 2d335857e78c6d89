//! "Why is this customer here?": a saved segment's rule drawn as a tree for one
//! customer, each condition marked true, false or empty with the customer's value
//! beside it (the customer details panel and the builder's members table show it).

use crate::app::i18n::{Lang, field_label, t};
use crate::app::tabs::TabContext;
use crate::engine::segment::history::Measure;
use crate::engine::segment::parse;
use crate::engine::segment::relative::Bound;
use crate::engine::segment::why::{Outcome, Why, WhyItem, why};
use crate::engine::values::display_text;
use crate::format;

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

/// One customer's answer for one rule, kept while the data, the customer and the
/// rule stay the same (one customer's evaluation: instant, so made in the frame).
#[derive(Default)]
pub struct WhyPanel {
    answer: Option<(WhyKey, Result<Why, String>)>,
}

/// What an answer explains: data version, customer row, rule text.
type WhyKey = (u64, usize, String);

impl WhyPanel {
    /// Draws why the customer in `row` is (or is not) kept by `rule`.
    pub fn ui(&mut self, ui: &mut egui::Ui, ctx: &TabContext<'_>, row: usize, rule: &str) {
        let key = (ctx.doc.version, row, rule.to_owned());
        if self.answer.as_ref().is_none_or(|(k, _)| *k != key) {
            let answer = match (parse(rule), ctx.cache.frame()) {
                (Ok(group), Some(frame)) => why(&frame, &group, row).map_err(|e| e.to_string()),
                (Err(e), _) => Err(e.to_string()),
                (_, None) => return,
            };
            self.answer = Some((key, answer));
        }
        match self.answer.as_ref().map(|(_, a)| a) {
            Some(Ok(answer)) => {
                let data = &ctx.doc.data;
                let (currency, lang) = (ctx.currency(), ctx.lang);
                let shown = |field: &str, value: &str| {
                    if Measure::of_field(field) == Some(Measure::Spent) {
                        return value.parse::<f64>().ok().map(|v| format::money(v, currency, lang));
                    }
                    let ty = data.field(field)?.ty;
                    Some(display_text(data.customers.column(field).ok()?, row, ty, currency, lang))
                };
                // Each condition as the marketer reads it, not in the rule's code.
                let said = |text: &str| ctx.doc.sentence_of(text, lang);
                let number = |field: &str, v: f64| match data.field(field).map(|f| f.ty) {
                    Some(crate::engine::fields::FieldType::Money) => format::money(v, currency, lang),
                    Some(crate::engine::fields::FieldType::Integer) if v.fract() == 0.0 => format::number(v, 0, lang),
                    _ => format::number(v, 2, lang),
                };
                why_ui(ui, answer, lang, &Reader { shown: &shown, said: &said, number: &number });
            }
            Some(Err(e)) => {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            None => {}
        }
    }
}

/// How an answer is written for the reader.
pub struct Reader<'a> {
    /// A field's value (money, dates in the language's style).
    pub shown: &'a dyn Fn(&str, &str) -> Option<String>,
    /// A number in a field's style (a relative condition's line today).
    pub number: &'a dyn Fn(&str, f64) -> String,
    /// A condition's text form as a sentence.
    pub said: &'a dyn Fn(&str) -> String,
}

/// Draws the answer: in or out, then every row of the rule.
pub fn why_ui(ui: &mut egui::Ui, why: &Why, lang: Lang, reader: &Reader<'_>) {
    ui.strong(t(lang, if why.member { "why.member" } else { "why.not_member" }));
    items_ui(ui, &why.items, lang, 0, reader);
}

fn items_ui(ui: &mut egui::Ui, items: &[WhyItem], lang: Lang, depth: usize, reader: &Reader<'_>) {
    for item in items {
        ui.horizontal_wrapped(|ui| {
            ui.add_space(16.0 * depth as f32);
            // ✓ kept, ✕ not, – no value, · not counted; the words for screen readers and hover.
            let words = outcome_text(item.result, lang);
            let (symbol, color) = match item.result {
                Outcome::True => ("✓", ui.visuals().widgets.active.fg_stroke.color),
                Outcome::False => ("✕", ui.visuals().error_fg_color),
                Outcome::Empty => ("–", ui.visuals().weak_text_color()),
                Outcome::Invalid => ("·", ui.visuals().weak_text_color()),
            };
            let mark = ui.label(egui::RichText::new(symbol).color(color).strong()).on_hover_text(words);
            mark.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, words));
            let join = item
                .join
                .map_or(String::new(), |j| format!("{} ", t(lang, if j == "and" { "why.and" } else { "why.or" })));
            let not = if item.negate { format!("{} ", t(lang, "why.not")) } else { String::new() };
            let text = if item.items.is_empty() { (reader.said)(&item.text) } else { "( … )".to_owned() };
            ui.label(format!("{join}{not}{text}"));
            if let (Some(field), Some(value)) = (&item.field, &item.value) {
                let value = if value.is_empty() {
                    t(lang, "why.no_value").to_owned()
                } else {
                    (reader.shown)(field, value).unwrap_or_else(|| value.clone())
                };
                ui.weak(format!("{}: {value}", field_label(lang, field)));
                if let Some(bound) = item.bound {
                    let line = (reader.number)(field, bound.value());
                    let sign = match bound {
                        Bound::AtLeast(_) => "≥",
                        Bound::AtMost(_) => "≤",
                        Bound::Above(_) => ">",
                        Bound::Below(_) => "<",
                    };
                    ui.weak(t(lang, "why.bound").replace("{0}", &format!("{sign} {line}")));
                }
            }
        });
        items_ui(ui, &item.items, lang, depth + 1, reader);
    }
}
