//! Audiences Kitle found on its own: k-means clusters, each described in words
//! and turned into a rule with its precision and recall, and suggested audiences
//! (the most valuable rules of one or two conditions). Each can open as a segment
//! draft or be saved as a segment in one click (an undoable edit).

use super::{ExploreTab, status_ui};
use crate::app::command::Command;
use crate::app::command::ViewCommand;
use crate::app::i18n::{field_label, t};
use crate::app::tabs::TabContext;
use crate::engine::edit::Edit;
use crate::engine::explore::clusters::{Cluster, cluster_name};
use crate::engine::segment::Rule;
use crate::engine::workspace::Segment;
use crate::format;

/// `base`, or `base (2)`, `base (3)` … whichever no saved segment has.
fn free_name(ctx: &TabContext<'_>, base: &str) -> String {
    let taken = |n: &str| ctx.doc.workspace.segments.iter().any(|s| s.name == n);
    (1..)
        .map(|i| if i == 1 { base.to_owned() } else { format!("{base} ({i})") })
        .find(|n| !taken(n))
        .unwrap_or_default()
}

/// "Open as draft" and "Save as segment" for a rule.
fn rule_buttons_ui(ui: &mut egui::Ui, ctx: &TabContext<'_>, rule: &Rule, name: &str, description: String) {
    let lang = ctx.lang;
    if ui.button(t(lang, "explore.open_draft")).clicked() {
        ctx.draft(rule.clone());
    }
    if ui.button(t(lang, "explore.save_segment")).on_hover_text(ctx.doc.sentence(rule, lang)).clicked() {
        save_segment(ctx, name, description, rule);
    }
}

/// Saves `rule` as a segment under a free name (an undoable edit) and says so.
fn save_segment(ctx: &TabContext<'_>, name: &str, description: String, rule: &Rule) {
    let name = free_name(ctx, name);
    let index = ctx.doc.workspace.segments.len();
    let rule = ctx.money_rule(rule.clone());
    ctx.send(Command::Edit(Edit::InsertSegment { index, segment: Segment::of_rule(name.clone(), description, &rule) }));
    ctx.send(ViewCommand::Notify(t(ctx.lang, "explore.saved").replace("{0}", &name)));
}

pub(super) fn clusters_ui(tab: &mut ExploreTab, ui: &mut egui::Ui, ctx: &TabContext<'_>) {
    let lang = ctx.lang;
    ui.label(t(lang, "explore.clusters_intro"));
    ui.horizontal(|ui| {
        ui.label(t(lang, "explore.k"));
        ui.selectable_value(&mut tab.k, None, t(lang, "explore.k_auto"));
        for k in 2..=8 {
            ui.selectable_value(&mut tab.k, Some(k), k.to_string());
        }
    });
    fields_picker_ui(tab, ui, ctx);
    status_ui(ui, &tab.clusters, lang);
    let Some(found) = tab.clusters().cloned() else { return };
    if !found.silhouettes.is_empty() {
        let tries: Vec<String> =
            found.silhouettes.iter().map(|(k, s)| format!("k={k}: {}", format::number(*s, 2, lang))).collect();
        ui.weak(t(lang, "explore.silhouettes").replace("{0}", &found.k.to_string()).replace("{1}", &tries.join(", ")));
    }
    ui.add_space(6.0);
    for cluster in &found.clusters {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            cluster_ui(ui, ctx, cluster);
        });
        ui.add_space(4.0);
    }
}

/// Number fields to cluster on besides recency, frequency and LTV.
fn fields_picker_ui(tab: &mut ExploreTab, ui: &mut egui::Ui, ctx: &TabContext<'_>) {
    use crate::engine::explore::clusters::RFM_FIELDS;
    use crate::engine::fields::FieldType;
    let lang = ctx.lang;
    let numeric: Vec<&str> = ctx
        .doc
        .data
        .fields
        .iter()
        .filter(|f| matches!(f.ty, FieldType::Number | FieldType::Integer | FieldType::Money))
        .map(|f| f.name.as_str())
        .filter(|f| !RFM_FIELDS.contains(f))
        .collect();
    if numeric.is_empty() {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.label(t(lang, "explore.also_use"));
        for field in numeric {
            let mut on = tab.cluster_fields.iter().any(|f| f == field);
            if ui.checkbox(&mut on, field_label(lang, field)).changed() {
                if on {
                    tab.cluster_fields.push(field.to_owned());
                } else {
                    tab.cluster_fields.retain(|f| f != field);
                }
            }
        }
    });
}

fn cluster_ui(ui: &mut egui::Ui, ctx: &TabContext<'_>, c: &Cluster) {
    let lang = ctx.lang;
    let money = |v: Option<f64>| format::money_or_dash(v, ctx.currency(), lang);
    let name = cluster_name(c, lang);
    ui.horizontal_wrapped(|ui| {
        ui.strong(&name);
        ui.label(format!(
            "{} ({}) · {}: {} · {}: {}",
            format::count(c.count, lang),
            format::percent(c.share, lang),
            t(lang, "explore.avg_ltv"),
            money(c.avg_ltv),
            t(lang, "explore.revenue_share"),
            format::percent(c.revenue_share, lang)
        ));
    });
    let mut words: Vec<String> = c
        .contrasts
        .iter()
        .map(|x| {
            t(lang, "explore.median_vs")
                .replace("{0}", &field_label(lang, &x.field))
                .replace("{1}", &format::number(x.median, 0, lang))
                .replace("{2}", &format::number(x.all_median, 0, lang))
        })
        .collect();
    words.extend(c.categories.iter().map(|x| {
        t(lang, "explore.category_lift")
            .replace("{0}", &format::percent(x.share, lang))
            .replace("{1}", &x.value)
            .replace("{2}", &format::number(x.lift, 1, lang))
    }));
    ui.add(egui::Label::new(words.join(" · ")).wrap());
    ui.horizontal_wrapped(|ui| {
        ui.label(t(lang, "explore.rule"));
        ui.label(ctx.doc.sentence(&c.rule, lang));
    });
    // What saving the rule would keep, in words (instead of precision and recall).
    ui.weak(
        t(lang, "explore.rule_finds")
            .replace("{0}", &format::count(c.rule_hits, lang))
            .replace("{1}", &format::count(c.count, lang))
            .replace("{2}", &format::percent(c.precision, lang)),
    );
    ui.horizontal_wrapped(|ui| {
        if ui.button(t(lang, "explore.open_draft")).clicked() {
            ctx.draft(c.rule.clone());
        }
        let save_rule = t(lang, "explore.save_rule").replace("{0}", &format::count(c.rule_count, lang));
        if ui.button(save_rule).on_hover_text(t(lang, "explore.save_rule_hint")).clicked() {
            save_segment(ctx, &name, t(lang, "explore.cluster_description").to_owned(), &c.rule);
        }
        let save_exact = t(lang, "explore.save_exact").replace("{0}", &format::count(c.count, lang));
        let keyed = ctx.data.key_field().is_some();
        if ui
            .add_enabled(keyed, egui::Button::new(save_exact))
            .on_hover_text(t(lang, "explore.save_exact_hint"))
            .on_disabled_hover_text(t(lang, "explore.save_exact_no_key"))
            .clicked()
            && let Some(rule) = fixed_list_rule(ctx, &c.rows)
        {
            let description = t(lang, "explore.exact_description")
                .replace("{0}", &format::count(c.count, lang))
                .replace("{1}", &format::date(ctx.data.as_of, lang));
            save_segment(ctx, &name, description, &rule);
        }
    });
}

/// The customers at `rows` as a rule naming each by their key (customer id, or
/// e-mail in a store keyed by e-mail): a fixed list.
pub(super) fn fixed_list_rule(ctx: &TabContext<'_>, rows: &[u32]) -> Option<Rule> {
    let data = &ctx.data;
    let key = data.key_field()?;
    let ids = data.customers.column(key).ok()?.cast(&polars::prelude::DataType::String).ok()?;
    let ids = ids.str().ok()?;
    let values: Vec<String> = rows.iter().filter_map(|&r| ids.get(r as usize).map(str::to_owned)).collect();
    Some(Rule::field(key).is_in(values))
}

pub(super) fn suggested_ui(tab: &mut ExploreTab, ui: &mut egui::Ui, ctx: &TabContext<'_>) {
    let lang = ctx.lang;
    ui.label(t(lang, "explore.suggested_intro"));
    status_ui(ui, &tab.suggestions, lang);
    let Some(found) = tab.suggestions().cloned() else { return };
    if found.is_empty() {
        ui.weak(t(lang, "explore.none_found"));
        return;
    }
    ui.add_space(6.0);
    egui::Grid::new("suggested").striped(true).spacing([14.0, 6.0]).show(ui, |ui| {
        for key in ["explore.rule", "explore.customers", "explore.avg_ltv", "explore.lift", "explore.revenue_share"] {
            ui.strong(t(lang, key));
        }
        ui.end_row();
        for s in found.iter() {
            ui.label(ctx.doc.sentence(&s.rule, lang));
            ui.label(format!("{} ({})", format::count(s.count, lang), format::percent(s.share, lang)));
            ui.label(format::money(s.avg_ltv, ctx.currency(), lang));
            ui.label(format!("{}×", format::number(s.lift, 2, lang)));
            ui.label(format::percent(s.revenue_share, lang));
            ui.horizontal(|ui| {
                // Named by what it says, not by its place in the list.
                let name = ctx.doc.sentence(&s.rule, lang);
                let name = crate::engine::text::truncate_chars(&name, 60);
                rule_buttons_ui(ui, ctx, &s.rule, &name, t(lang, "explore.suggested_description").to_owned());
            });
            ui.end_row();
        }
    });
}
