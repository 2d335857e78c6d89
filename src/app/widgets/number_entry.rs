//! Every box that takes a number reads it the language's way (through
//! [`crate::engine::typed`]) and says what it understood: `= 2500` beside `2.500`,
//! a warning when the text reads differently in the other convention, and a
//! refusal in words when it is not a number at all.

use crate::app::i18n::{Lang, t};
use crate::engine::typed::{TypedNumber, plain_number, read_number};
use crate::format;

/// Beside a typed number: what it was read as, or why it was not. Nothing for a
/// plain number (`5000`) that can only mean one thing.
pub fn reading_note(ui: &mut egui::Ui, text: &str, lang: Lang) {
    let text = text.trim();
    if text.is_empty() {
        return;
    }
    match read_number(text, lang) {
        Some(TypedNumber { value, other_reading: Some(other) }) => {
            let warning = t(lang, "number.ambiguous")
                .replace("{0}", &plain_number(value, lang))
                .replace("{1}", &format::number(other, 0, lang));
            ui.colored_label(ui.visuals().warn_fg_color, warning);
        }
        Some(TypedNumber { value, other_reading: None }) => {
            if text.contains(['.', ',']) {
                ui.weak(format!("= {}", plain_number(value, lang))).on_hover_text(t(lang, "segments.understood"));
            }
        }
        None => {
            ui.colored_label(ui.visuals().warn_fg_color, t(lang, "number.not_a_number"));
        }
    }
}

/// A drag-or-type number box that shows and reads numbers the language's way
/// (`2.500,75` in Turkish); typing `2,500` in Turkish gives 2,5 as the note says.
pub fn drag_number(value: &mut f64, lang: Lang) -> egui::DragValue<'_> {
    egui::DragValue::new(value)
        .custom_formatter(move |v, decimals| format::number(v, *decimals.end(), lang))
        .custom_parser(move |text| read_number(text, lang).map(|n| n.value))
}
