//! The builder's rows. Each run of AND-ed rows sits in its own frame and OR sits
//! between frames, so `A AND B OR C` can't be misread (AND binds tighter). A row is
//! field ▼, operator ▼ and value(s), with NOT, move, wrap-in-group and remove.
//! Edits are collected while drawing and applied after.

use super::default_condition;
use crate::app::cache::SharedCache;
use crate::app::document::Document;
use crate::app::i18n::{Lang, field_label, t, type_label};
use crate::app::widgets::customer_table::display_order;
use crate::engine::data::FieldInfo;
use crate::engine::fields::FieldType;
use crate::engine::segment::history::{Measure, Window};
use crate::engine::segment::{self, Condition, DateUnit, Group, Item, Join, Node, Op, segment_reference};

mod values;

use values::{multi_value_ui, value_ui};

/// What the rows read while drawing.
pub struct RowCtx<'a> {
    pub doc: &'a Document,
    pub cache: &'a SharedCache,
    pub lang: Lang,
    /// Paths of rows the evaluation left out.
    pub invalid: &'a [Vec<usize>],
}

/// Edits to a group, collected while drawing and applied after.
enum RowAction {
    Remove(usize),
    Up(usize),
    Down(usize),
    Wrap(usize),
    ToggleJoin(usize),
    AddCondition,
    AddGroup,
    /// A row `in segment "…"` (the first saved segment, to change in its picker).
    AddSegment(String),
}

/// "1.2"-style label of a row path.
fn path_label(path: &[usize]) -> String {
    path.iter().map(|p| (p + 1).to_string()).collect::<Vec<_>>().join(".")
}

/// Draws a group's rows; returns whether anything changed.
pub fn group_ui(ui: &mut egui::Ui, group: &mut Group, ctx: &mut RowCtx<'_>, path: &mut Vec<usize>) -> bool {
    let lang = ctx.lang;
    let mut changed = false;
    let mut action = None;
    // Runs of AND-ed rows, each in its own frame; OR between frames.
    let starts: Vec<usize> =
        group.items.iter().enumerate().filter(|(i, item)| *i == 0 || item.join == Join::Or).map(|(i, _)| i).collect();
    for (c, &start) in starts.iter().enumerate() {
        let end = starts.get(c + 1).copied().unwrap_or(group.items.len());
        if c > 0 {
            let or = egui::Button::new(egui::RichText::new(t(lang, "segments.or")).strong()).selected(true);
            let name = format!("{} {}", t(lang, "segments.or"), start + 1);
            if ui.add(or).on_hover_text(t(lang, "segments.toggle_join")).accessible_name(name).clicked() {
                action = Some(RowAction::ToggleJoin(start));
            }
        }
        egui::Frame::group(ui.style()).show(ui, |ui| {
            for i in start..end {
                if i > start {
                    let and = egui::Button::new(t(lang, "segments.and")).small();
                    let name = format!("{} {}", t(lang, "segments.and"), i + 1);
                    if ui.add(and).on_hover_text(t(lang, "segments.toggle_join")).accessible_name(name).clicked() {
                        action = Some(RowAction::ToggleJoin(i));
                    }
                }
                path.push(i);
                let count = group.items.len();
                changed |= row_ui(ui, &mut group.items[i], i, count, ctx, path, &mut action);
                path.pop();
            }
        });
    }
    let first_saved = ctx.doc.workspace.segments.first().map(|s| s.name.clone());
    add_buttons_ui(ui, lang, path, first_saved, &mut action);
    if let Some(action) = action {
        apply(&mut group.items, action);
        changed = true;
    }
    changed
}

/// One row: NOT, the condition (or a group's rows below), move, wrap, remove.
fn row_ui(
    ui: &mut egui::Ui,
    item: &mut Item,
    i: usize,
    count: usize,
    ctx: &mut RowCtx<'_>,
    path: &mut Vec<usize>,
    action: &mut Option<RowAction>,
) -> bool {
    let lang = ctx.lang;
    let label = path_label(path);
    let is_invalid = ctx.invalid.iter().any(|p| p == path);
    let mut changed = false;
    // Wrapped: an order-history row (values, period) can be wider than the window.
    ui.horizontal_wrapped(|ui| {
        ui.weak(format!("{label}."));
        let not = egui::Button::new(t(lang, "segments.not")).small().selected(item.negate);
        if ui.add(not).accessible_name(format!("{} {label}", t(lang, "segments.not"))).clicked() {
            item.negate = !item.negate;
            changed = true;
        }
        if let Node::Condition(cond) = &mut item.node {
            changed |= condition_ui(ui, cond, ctx, &label);
            if is_invalid {
                ui.colored_label(ui.visuals().error_fg_color, "⚠").on_hover_text(t(lang, "segments.invalid_row"));
            }
        } else {
            ui.label(t(lang, "segments.group"));
        }
        let button = |ui: &mut egui::Ui, text: &str, key: &'static str| {
            ui.small_button(text)
                .on_hover_text(t(lang, key))
                .accessible_name(format!("{} {label}", t(lang, key)))
                .clicked()
        };
        if i > 0 && button(ui, "▲", "segments.up") {
            *action = Some(RowAction::Up(i));
        }
        if i + 1 < count && button(ui, "▼", "segments.down") {
            *action = Some(RowAction::Down(i));
        }
        if button(ui, "( )", "segments.wrap") {
            *action = Some(RowAction::Wrap(i));
        }
        if button(ui, "✕", "segments.remove") {
            *action = Some(RowAction::Remove(i));
        }
    });
    if let Node::Group(inner) = &mut item.node {
        ui.indent(("group", path.clone()), |ui| {
            changed |= group_ui(ui, inner, ctx, path);
        });
    }
    changed
}

fn add_buttons_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    path: &[usize],
    first_saved: Option<String>,
    action: &mut Option<RowAction>,
) {
    ui.horizontal(|ui| {
        let suffix = if path.is_empty() { String::new() } else { format!(" {}", path_label(path)) };
        let mut buttons =
            vec![("segments.add_condition", RowAction::AddCondition), ("segments.add_group", RowAction::AddGroup)];
        if let Some(name) = first_saved {
            buttons.push(("segments.add_segment", RowAction::AddSegment(name)));
        }
        for (key, chosen) in buttons {
            if ui.button(t(lang, key)).accessible_name(format!("{}{suffix}", t(lang, key))).clicked() {
                *action = Some(chosen);
            }
        }
    });
}

fn new_condition_item() -> Item {
    Item { join: Join::And, negate: false, node: Node::Condition(default_condition()) }
}

fn apply(items: &mut Vec<Item>, action: RowAction) {
    match action {
        RowAction::Remove(i) => {
            items.remove(i);
            if let Some(first) = items.first_mut() {
                first.join = Join::And;
            }
        }
        RowAction::Up(i) => swap_rows(items, i - 1),
        RowAction::Down(i) => swap_rows(items, i),
        RowAction::Wrap(i) => {
            let join = items[i].join;
            let mut inner = items.remove(i);
            inner.join = Join::And;
            items.insert(i, Item { join, negate: false, node: Node::Group(Group { items: vec![inner] }) });
        }
        RowAction::ToggleJoin(i) => {
            items[i].join = if items[i].join == Join::And { Join::Or } else { Join::And };
        }
        RowAction::AddCondition => items.push(new_condition_item()),
        RowAction::AddSegment(name) => {
            items.push(Item { join: Join::And, negate: false, node: Node::Condition(segment_reference(&name)) });
        }
        RowAction::AddGroup => {
            items.push(Item {
                join: Join::And,
                negate: false,
                node: Node::Group(Group { items: vec![new_condition_item()] }),
            });
        }
    }
}

/// Swaps rows `i` and `i + 1`, keeping the joins where they stand between rows.
fn swap_rows(items: &mut [Item], i: usize) {
    if i + 1 >= items.len() {
        return;
    }
    let (a, b) = (items[i].join, items[i + 1].join);
    items.swap(i, i + 1);
    items[i].join = a;
    items[i + 1].join = b;
}

fn op_label(lang: Lang, op: Op) -> &'static str {
    let key = match op {
        Op::Eq => "op.eq",
        Op::Ne => "op.ne",
        Op::Gt => "op.gt",
        Op::Ge => "op.ge",
        Op::Lt => "op.lt",
        Op::Le => "op.le",
        Op::Between => "op.between",
        Op::IsEmpty => "op.is_empty",
        Op::IsNotEmpty => "op.is_not_empty",
        Op::Before => "op.before",
        Op::After => "op.after",
        Op::On => "op.on",
        Op::MoreThanAgo(DateUnit::Days) => "op.more_days",
        Op::MoreThanAgo(DateUnit::Weeks) => "op.more_weeks",
        Op::MoreThanAgo(DateUnit::Months) => "op.more_months",
        Op::WithinLast(DateUnit::Days) => "op.within_days",
        Op::WithinLast(DateUnit::Weeks) => "op.within_weeks",
        Op::WithinLast(DateUnit::Months) => "op.within_months",
        Op::In => "op.in",
        Op::NotIn => "op.not_in",
        Op::Contains => "op.contains",
        Op::NotContains => "op.not_contains",
        Op::StartsWith => "op.starts_with",
        Op::EndsWith => "op.ends_with",
        Op::ContainsAny => "op.contains_any",
        Op::IsYes => "op.is_yes",
        Op::IsNo => "op.is_no",
        Op::InSegment => "op.in_segment",
        Op::InSplit => "op.in_split",
        Op::Bought => "op.bought",
        Op::NotBought => "op.not_bought",
        Op::TopPercent => "op.top_percent",
        Op::BottomPercent => "op.bottom_percent",
        Op::AboveMedian => "op.above_median",
        Op::BelowMedian => "op.below_median",
        Op::AboveAverage => "op.above_average",
        Op::BelowAverage => "op.below_average",
        Op::LookalikeOf => "op.lookalike_of",
    };
    t(lang, key)
}

/// One condition: field ▼, operator ▼, value(s).
fn condition_ui(ui: &mut egui::Ui, cond: &mut Condition, ctx: &mut RowCtx<'_>, label: &str) -> bool {
    let lang = ctx.lang;
    let data = &ctx.doc.data;
    if cond.op == Op::InSplit {
        // A split group's row is made by "Split…" and shown as it reads.
        ui.label(crate::engine::segment::text::condition_text(cond));
        return false;
    }
    let mut changed = field_combo_ui(ui, cond, ctx, label);
    if cond.op == Op::InSegment {
        return segment_combo_ui(ui, cond, ctx, label) || changed;
    }
    if cond.op == Op::LookalikeOf {
        // `lookalike of "X" in top N%`: the seed, then the share.
        changed |= segment_combo_ui(ui, cond, ctx, label);
        ui.label(t(lang, "segments.lookalike_top"));
        return value_ui(ui, cond, 1, FieldType::Number, ctx, label) || changed;
    }
    let Some(ty) = segment::field_type(data, &cond.field) else { return changed };
    let mut op = cond.op;
    egui::ComboBox::from_id_salt(("op", label.to_owned()))
        .selected_text(op_label(lang, op))
        .width(170.0)
        .show_ui(ui, |ui| {
            for candidate in segment::ops_for(data, &cond.field) {
                ui.selectable_value(&mut op, candidate, op_label(lang, candidate));
            }
        })
        .response
        .accessible_name(format!("{} {label}", t(lang, "segments.operator")));
    if op != cond.op {
        cond.op = op;
        let n = op.arity().unwrap_or(cond.values.len().max(1));
        cond.values.resize(n, String::new());
        if !op.is_negative() {
            cond.include_empty = false;
        }
        changed = true;
    }
    match cond.op.arity() {
        Some(0) => {}
        Some(n) => {
            for i in 0..n {
                if i > 0 {
                    ui.label(t(lang, "segments.and_between"));
                }
                changed |= value_ui(ui, cond, i, ty, ctx, label);
            }
        }
        None => changed |= multi_value_ui(ui, cond, ctx, label),
    }
    if Measure::of_field(&cond.field).is_some() {
        changed |= window_ui(ui, cond, lang, label);
    }
    if cond.op.is_negative() {
        let mut include = cond.include_empty;
        let hint = t(lang, "segments.include_empty_hint");
        if ui.checkbox(&mut include, t(lang, "segments.include_empty")).on_hover_text(hint).changed() {
            cond.include_empty = include;
            changed = true;
        }
    }
    changed
}

/// The saved segment an `in segment` condition names.
fn segment_combo_ui(ui: &mut egui::Ui, cond: &mut Condition, ctx: &RowCtx<'_>, label: &str) -> bool {
    let mut name = cond.values.first().cloned().unwrap_or_default();
    let before = name.clone();
    egui::ComboBox::from_id_salt(("segment", label.to_owned()))
        .selected_text(name.clone())
        .width(220.0)
        .show_ui(ui, |ui| {
            for seg in &ctx.doc.workspace.segments {
                ui.selectable_value(&mut name, seg.name.clone(), &seg.name);
            }
        })
        .response
        .accessible_name(format!("{} {label}", t(ctx.lang, "segments.segment")));
    if name == before {
        return false;
    }
    match cond.values.first_mut() {
        Some(first) => *first = name,
        None => cond.values.push(name),
    }
    true
}

/// Which dates an order-history condition looks at: any time, the last N
/// days/weeks/months, or between two dates.
fn window_ui(ui: &mut egui::Ui, cond: &mut Condition, lang: Lang, label: &str) -> bool {
    #[derive(PartialEq, Clone, Copy)]
    enum Kind {
        Ever,
        Last,
        Dates,
    }
    let kind = match &cond.window {
        None => Kind::Ever,
        Some(Window::Last(..)) => Kind::Last,
        Some(Window::Dates(..)) => Kind::Dates,
    };
    let text = |k: Kind| {
        t(
            lang,
            match k {
                Kind::Ever => "segments.window_ever",
                Kind::Last => "segments.window_last",
                Kind::Dates => "segments.window_dates",
            },
        )
    };
    let mut chosen = kind;
    egui::ComboBox::from_id_salt(("window", label.to_owned()))
        .selected_text(text(kind))
        .width(130.0)
        .show_ui(ui, |ui| {
            for k in [Kind::Ever, Kind::Last, Kind::Dates] {
                ui.selectable_value(&mut chosen, k, text(k));
            }
        })
        .response
        .accessible_name(format!("{} {label}", t(lang, "segments.window")));
    let mut changed = chosen != kind;
    if changed {
        cond.window = match chosen {
            Kind::Ever => None,
            Kind::Last => Some(Window::Last("90".to_owned(), DateUnit::Days)),
            Kind::Dates => Some(Window::Dates(String::new(), String::new())),
        };
    }
    let edit = |ui: &mut egui::Ui, value: &mut String, hint: &str, name: String| {
        ui.add(egui::TextEdit::singleline(value).hint_text(hint).desired_width(84.0)).accessible_name(name).changed()
    };
    match &mut cond.window {
        None => {}
        Some(Window::Last(n, unit)) => {
            changed |= edit(ui, n, "90", format!("{} {label}", t(lang, "segments.window_count")));
            let mut chosen_unit = *unit;
            egui::ComboBox::from_id_salt(("window-unit", label.to_owned()))
                .selected_text(t(lang, unit_key(*unit)))
                .width(70.0)
                .show_ui(ui, |ui| {
                    for u in DateUnit::ALL {
                        ui.selectable_value(&mut chosen_unit, u, t(lang, unit_key(u)));
                    }
                })
                .response
                .accessible_name(format!("{} {label}", t(lang, "segments.window_unit")));
            if chosen_unit != *unit {
                *unit = chosen_unit;
                changed = true;
            }
        }
        Some(Window::Dates(from, to)) => {
            changed |= edit(ui, from, "2026-01-01", format!("{} {label}", t(lang, "segments.window_from")));
            ui.label(t(lang, "segments.and_between"));
            changed |= edit(ui, to, "2026-03-31", format!("{} {label}", t(lang, "segments.window_to")));
        }
    }
    changed
}

fn unit_key(unit: DateUnit) -> &'static str {
    match unit {
        DateUnit::Days => "segments.unit_days",
        DateUnit::Weeks => "segments.unit_weeks",
        DateUnit::Months => "segments.unit_months",
    }
}

/// The field picker; a new field resets the operator and values when they don't fit.
fn field_combo_ui(ui: &mut egui::Ui, cond: &mut Condition, ctx: &RowCtx<'_>, label: &str) -> bool {
    let lang = ctx.lang;
    let data = &ctx.doc.data;
    let fields: Vec<&FieldInfo> = display_order(&data.fields);
    let history = segment::history::available_fields(data);
    let field_text = match segment::field_type(data, &cond.field) {
        _ if cond.op == Op::InSegment => t(lang, "segments.in_segment").to_owned(),
        _ if cond.op == Op::LookalikeOf => t(lang, "segments.lookalike").to_owned(),
        _ if history.contains(&cond.field.as_str()) => field_label(lang, &cond.field),
        Some(ty) => field_label(lang, &cond.field) + " · " + type_label(lang, ty),
        None => format!("{} (?)", cond.field),
    };
    // A saved segment stands where a field would (`in segment "…"`).
    const SEGMENT: &str = "\u{1}segment";
    // So does a lookalike of one (`lookalike of "…" in top N%`).
    const LOOKALIKE: &str = "\u{1}lookalike";
    let saved = &ctx.doc.workspace.segments;
    let mut chosen_field = match cond.op {
        Op::InSegment => SEGMENT.to_owned(),
        Op::LookalikeOf => LOOKALIKE.to_owned(),
        _ => cond.field.clone(),
    };
    let before = chosen_field.clone();
    egui::ComboBox::from_id_salt(("field", label.to_owned()))
        .selected_text(field_text)
        .width(220.0)
        .show_ui(ui, |ui| {
            for f in &fields {
                let text = format!("{} · {}", field_label(lang, &f.name), type_label(lang, f.ty));
                ui.selectable_value(&mut chosen_field, f.name.clone(), text);
            }
            if !history.is_empty() {
                ui.separator();
                ui.weak(t(lang, "segments.order_history"));
                for f in &history {
                    ui.selectable_value(&mut chosen_field, (*f).to_owned(), field_label(lang, f));
                }
            }
            if !saved.is_empty() {
                ui.separator();
                ui.selectable_value(&mut chosen_field, SEGMENT.to_owned(), t(lang, "segments.in_segment"));
                ui.selectable_value(&mut chosen_field, LOOKALIKE.to_owned(), t(lang, "segments.lookalike"))
                    .on_hover_text(t(lang, "segments.lookalike_hint"));
            }
        })
        .response
        .accessible_name(format!("{} {label}", t(lang, "segments.field")));
    if chosen_field == before {
        return false;
    }
    if chosen_field == SEGMENT {
        *cond = segment_reference(saved.first().map_or("", |s| s.name.as_str()));
        return true;
    }
    if chosen_field == LOOKALIKE {
        *cond = segment::lookalike_reference(saved.first().map_or("", |s| s.name.as_str()), 5.0);
        return true;
    }
    let ops = segment::ops_for(data, &chosen_field);
    if !ops.contains(&cond.op) {
        cond.op = ops.first().copied().unwrap_or(Op::Eq);
    }
    // Order-history conditions look at the last 90 days unless told otherwise.
    cond.window = match Measure::of_field(&chosen_field) {
        Some(_) => cond.window.take().or_else(|| Some(Window::Last("90".to_owned(), DateUnit::Days))),
        None => None,
    };
    cond.values = vec![String::new(); cond.op.arity().unwrap_or(1)];
    if Measure::of_field(&chosen_field) == Some(Measure::OrderCount) {
        cond.values = vec!["1".to_owned(); cond.values.len()];
    }
    cond.field = chosen_field;
    true
}
