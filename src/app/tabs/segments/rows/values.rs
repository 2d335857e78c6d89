//! A row's value boxes: numbers read the way the user's language writes them
//! (`5.000` is five thousand in Turkish), dates, and lists of values picked from
//! what the field holds.

use super::RowCtx;
use crate::app::i18n::{Lang, t};
use crate::app::widgets::number_entry::{DATE, typed_entry};
use crate::engine::fields::FieldType;
use crate::engine::import::table::format_plain_number;
use crate::engine::segment::{Condition, Op};
use crate::engine::typed::read_number;
use crate::format;

/// A rule's number as the user's language writes it (`5000` → `5.000` in Turkish).
fn typed_form(value: &str, lang: Lang) -> String {
    match value.parse::<f64>() {
        Ok(v) => {
            let decimals = value.split_once('.').map_or(0, |(_, d)| d.len());
            crate::format::number(v, decimals, lang)
        }
        Err(_) => value.to_owned(),
    }
}

pub(super) fn value_ui(
    ui: &mut egui::Ui,
    cond: &mut Condition,
    i: usize,
    ty: FieldType,
    ctx: &RowCtx<'_>,
    label: &str,
) -> bool {
    let lang = ctx.lang;
    let relative = matches!(cond.op, Op::MoreThanAgo(_) | Op::WithinLast(_));
    let numeric = matches!(ty, FieldType::Money | FieldType::Number | FieldType::Integer) && !relative;
    let percent = matches!(cond.op, Op::TopPercent | Op::BottomPercent | Op::LookalikeOf);
    let hint = match ty {
        _ if relative => "30",
        _ if percent => "10",
        _ if numeric => "5000",
        _ => "",
    };
    let name = format!("{} {label}{}", t(lang, "segments.value"), if i > 0 { " (2)" } else { "" });
    let mut changed = if percent {
        // A share of the customers, not an amount: a plain number and "%".
        let changed = number_value_ui(ui, cond, i, hint, &name, lang);
        ui.label("%");
        changed
    } else if numeric {
        number_value_ui(ui, cond, i, hint, &name, lang)
    } else if ty == FieldType::Date && !relative {
        let Some(value) = cond.values.get_mut(i) else { return false };
        typed_entry(ui, value, &DATE, lang, 120.0, &name)
    } else {
        let Some(value) = cond.values.get_mut(i) else { return false };
        ui.add(egui::TextEdit::singleline(value).hint_text(hint).desired_width(120.0)).accessible_name(name).changed()
    };
    if matches!(ty, FieldType::Text | FieldType::Category) {
        let choices = ctx.cache.values(ctx.doc, &cond.field);
        if !choices.is_empty() {
            egui::ComboBox::from_id_salt(("pick", label.to_owned(), i))
                .selected_text("▾")
                .width(24.0)
                .show_ui(ui, |ui| {
                    for (v, n) in choices.iter().take(60) {
                        if ui.selectable_label(false, format!("{v} ({})", format::count(*n, lang))).clicked() {
                            cond.values[i].clone_from(v);
                            changed = true;
                        }
                    }
                })
                .response
                .accessible_name(format!("{} {label}", t(lang, "segments.pick_value")));
        }
    }
    changed
}

/// A number field that reads what is typed the user's way and keeps the rule's
/// value with a decimal point; beside it, the number it understood.
fn number_value_ui(ui: &mut egui::Ui, cond: &mut Condition, i: usize, hint: &str, name: &str, lang: Lang) -> bool {
    let Some(value) = cond.values.get_mut(i) else { return false };
    let id = ui.scope_id().with(("typed-number", name));
    // What the user typed, while it still means the rule's value (the text form or
    // a chart may have changed the value since).
    let typed: Option<String> = ui.data(|d| d.get_temp(id));
    let mut text = typed
        .filter(|t| {
            read_number(t, lang).map(|n| n.value).map(format_plain_number).as_deref() == Some(value.as_str())
                || t == value
        })
        .unwrap_or_else(|| typed_form(value, lang));
    let response =
        ui.add(egui::TextEdit::singleline(&mut text).hint_text(hint).desired_width(120.0)).accessible_name(name);
    let changed = response.changed();
    if changed {
        *value = read_number(&text, lang).map(|n| n.value).map_or_else(|| text.trim().to_owned(), format_plain_number);
    }
    crate::app::widgets::number_entry::reading_note(ui, &text, lang);
    ui.data_mut(|d| d.insert_temp(id, text));
    changed
}

pub(super) fn multi_value_ui(ui: &mut egui::Ui, cond: &mut Condition, ctx: &RowCtx<'_>, label: &str) -> bool {
    let lang = ctx.lang;
    let mut changed = false;
    let mut remove = None;
    for (i, v) in cond.values.iter().enumerate() {
        if !v.is_empty()
            && ui
                .small_button(format!("{v} ✕"))
                .accessible_name(format!("{} {v}", t(lang, "segments.remove")))
                .clicked()
        {
            remove = Some(i);
        }
    }
    if let Some(i) = remove {
        cond.values.remove(i);
        changed = true;
    }
    // A value can be typed (Enter adds it); the list below offers those that match.
    let typed_id = ui.make_persistent_id(("typed-value", label));
    let mut typed: String = ui.data(|d| d.get_temp(typed_id)).unwrap_or_default();
    let response = ui
        .add(egui::TextEdit::singleline(&mut typed).hint_text(t(lang, "segments.type_value")).desired_width(110.0))
        .accessible_name(format!("{} {label}", t(lang, "segments.type_value")));
    if response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) && !typed.trim().is_empty() {
        let value = typed.trim().to_owned();
        if !cond.values.contains(&value) {
            cond.values.retain(|x| !x.is_empty());
            cond.values.push(value);
            changed = true;
        }
        typed.clear();
    }
    ui.data_mut(|d| d.insert_temp(typed_id, typed.clone()));
    let wanted = crate::engine::text::fold_case(typed.trim());
    let choices = ctx.cache.values(ctx.doc, &cond.field);
    egui::ComboBox::from_id_salt(("add-value", label.to_owned()))
        .selected_text(t(lang, "segments.add_value"))
        .width(140.0)
        .show_ui(ui, |ui| {
            let matching = choices
                .iter()
                .filter(|(v, _)| wanted.is_empty() || crate::engine::text::fold_case(v).contains(&wanted));
            for (v, n) in matching.take(100) {
                if ui.selectable_label(cond.values.contains(v), format!("{v} ({})", format::count(*n, lang))).clicked()
                    && !cond.values.contains(v)
                {
                    cond.values.retain(|x| !x.is_empty());
                    cond.values.push(v.clone());
                    changed = true;
                }
            }
        })
        .response
        .accessible_name(format!("{} {label}", t(lang, "segments.add_value")));
    changed
}
