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

/// What a typed-entry box reads and writes: the stored form (ISO for dates and
/// months, a plain number for numbers) is shown the language's way, and what is
/// typed is read back into it.
pub struct TypedForm {
    /// The stored value as the language shows it.
    pub show: fn(&str, Lang) -> String,
    /// What was typed, as the stored form; `None` when it is not one.
    pub read: fn(&str, Lang) -> Option<String>,
    /// Said under the box when the text can't be read.
    pub refusal_key: &'static str,
    /// An example, shown in the empty box.
    pub hint: fn(Lang) -> String,
}

/// A date (`05.04.2026` / `5 Apr 2026`, or ISO) stored as `2026-04-05`.
pub const DATE: TypedForm = TypedForm {
    show: |stored, lang| {
        chrono::NaiveDate::parse_from_str(stored, "%Y-%m-%d")
            .map_or_else(|_| stored.to_owned(), |d| format::date(d, lang))
    },
    read: |text, lang| crate::engine::typed::read_date(text, lang).map(|d| d.format("%Y-%m-%d").to_string()),
    refusal_key: "number.not_a_date",
    hint: |lang| format::date(example_day(), lang),
};

/// A month (`Mar 2026`, `03.2026` in Turkish, or ISO) stored as `2026-03`.
pub const MONTH: TypedForm = TypedForm {
    show: |stored, lang| {
        chrono::NaiveDate::parse_from_str(&format!("{stored}-01"), "%Y-%m-%d")
            .map_or_else(|_| stored.to_owned(), |d| format::month(d, lang))
    },
    read: |text, lang| crate::engine::typed::read_month(text, lang).map(|d| d.format("%Y-%m").to_string()),
    refusal_key: "number.not_a_month",
    hint: |lang| format::month(example_day(), lang),
};

fn example_day() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 4, 5).unwrap_or_default()
}

/// A text box for `stored` in `form`: shows it the language's way, keeps what the
/// user types while it still means the stored value, and stores what it reads (or
/// the raw text, refused in words beside the box, so nothing typed is lost).
/// Returns whether the stored value changed.
pub fn typed_entry(
    ui: &mut egui::Ui,
    stored: &mut String,
    form: &TypedForm,
    lang: Lang,
    width: f32,
    name: &str,
) -> bool {
    let id = ui.make_persistent_id(("typed-entry", name));
    let typed: Option<String> = ui.data(|d| d.get_temp(id));
    let mut text = typed
        .filter(|t| (form.read)(t, lang).as_deref() == Some(stored.as_str()) || t == stored)
        .unwrap_or_else(|| (form.show)(stored, lang));
    let response = ui
        .add(egui::TextEdit::singleline(&mut text).hint_text((form.hint)(lang)).desired_width(width))
        .accessible_name(name);
    let mut changed = false;
    if response.changed() {
        let new = (form.read)(&text, lang).unwrap_or_else(|| text.trim().to_owned());
        changed = new != *stored;
        *stored = new;
    }
    if !text.trim().is_empty() && (form.read)(&text, lang).is_none() {
        ui.colored_label(ui.visuals().warn_fg_color, t(lang, form.refusal_key)).on_hover_text((form.hint)(lang));
    }
    ui.data_mut(|d| d.insert_temp(id, text));
    changed
}
