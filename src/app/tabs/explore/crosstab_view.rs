//! Cross-tabs on screen: two fields and a measure picked, the table as a heat
//! map; each cell's figures on hover, and a click opens a draft of its rule.

use super::{ExploreTab, status_ui};
use crate::app::i18n::{Lang, field_label, rfm_group_label, t};
use crate::app::tabs::TabContext;
use crate::app::widgets::heat::{heat_cell, shading};
use crate::engine::data::CustomerData;
use crate::engine::explore::crosstab::{Cell, Crosstab, Measure};
use crate::engine::fields::FieldType;
use crate::format;

/// Fields a cross-tab can use: categories, numbers, dates and yes/no.
fn axis_fields(data: &CustomerData) -> Vec<&str> {
    data.fields
        .iter()
        .filter(|f| !matches!(f.ty, FieldType::Text | FieldType::List) || f.name == "channel" || f.name == "city")
        .map(|f| f.name.as_str())
        .collect()
}

fn measure_key(m: Measure) -> &'static str {
    match m {
        Measure::Count => "explore.by_count",
        Measure::AvgLtv => "explore.avg_ltv",
        Measure::Revenue => "explore.revenue_share",
        Measure::AvgPAlive => "explore.avg_p_alive",
    }
}

pub(super) fn crosstab_ui(tab: &mut ExploreTab, ui: &mut egui::Ui, ctx: &TabContext<'_>) {
    let lang = ctx.lang;
    ui.label(t(lang, "explore.crosstab_intro"));
    ui.add_space(6.0);
    let fields = axis_fields(&ctx.data);
    ui.horizontal(|ui| {
        field_picker(ui, "crosstab-rows", t(lang, "explore.rows"), &mut tab.rows, &fields, lang);
        ui.add_space(12.0);
        field_picker(ui, "crosstab-cols", t(lang, "explore.cols"), &mut tab.cols, &fields, lang);
        ui.add_space(12.0);
        ui.label(t(lang, "explore.measure"));
        let mut measures = vec![Measure::Count];
        if ctx.data.field("ltv").is_some() {
            measures.extend([Measure::AvgLtv, Measure::Revenue]);
        }
        if ctx.data.field("p_alive").is_some() {
            measures.push(Measure::AvgPAlive);
        }
        for m in measures {
            ui.selectable_value(&mut tab.measure, m, t(lang, measure_key(m)));
        }
    });
    if tab.rows.is_empty() || tab.cols.is_empty() {
        ui.weak(t(lang, "explore.pick_fields"));
        return;
    }
    status_ui(ui, &tab.crosstab, lang);
    let Some(table) = tab.crosstab().cloned() else { return };
    ui.add_space(6.0);
    heat_map_ui(ui, tab, &table, ctx);
}

fn field_picker(ui: &mut egui::Ui, id: &str, label: &str, chosen: &mut String, fields: &[&str], lang: Lang) {
    ui.label(label);
    egui::ComboBox::from_id_salt(id).selected_text(field_label(lang, chosen)).height(400.0).show_ui(ui, |ui| {
        for field in fields {
            ui.selectable_value(chosen, (*field).to_owned(), field_label(lang, field));
        }
    });
}

fn cell_text(cell: &Cell, measure: Measure, ctx: &TabContext<'_>) -> String {
    let lang = ctx.lang;
    match (measure, cell.value) {
        (_, None) => "—".to_owned(),
        (Measure::Count, _) => format::count(cell.count, lang),
        (Measure::AvgLtv, Some(v)) => format::money_with(v, 0, ctx.currency(), lang),
        (Measure::Revenue | Measure::AvgPAlive, Some(v)) => format::percent(v, lang),
    }
}

/// How a value of `field` reads on screen: RFM groups by their names, the bucket
/// of the less common values in the reader's language.
fn value_label(field: &str, value: &str, lang: Lang) -> String {
    match value {
        "(other)" => t(lang, "explore.other_values").to_owned(),
        _ if field == "rfm_group" => rfm_group_label(lang, value),
        _ => value.to_owned(),
    }
}

fn heat_map_ui(ui: &mut egui::Ui, tab: &ExploreTab, table: &Crosstab, ctx: &TabContext<'_>) {
    let lang = ctx.lang;
    let rows: Vec<String> = table.rows.iter().map(|v| value_label(&tab.rows, v, lang)).collect();
    let cols: Vec<String> = table.cols.iter().map(|v| value_label(&tab.cols, v, lang)).collect();
    let shade_of = shading(table.cells.iter().flatten().filter_map(|c| c.value));
    let size = egui::vec2(96.0, 34.0);
    egui::ScrollArea::horizontal().id_salt("crosstab-h").show(ui, |ui| {
        egui::Grid::new("crosstab-grid").spacing([2.0, 2.0]).show(ui, |ui| {
            ui.label("");
            for col in &cols {
                ui.add_sized([size.x, 18.0], egui::Label::new(egui::RichText::new(col).strong()).truncate());
            }
            ui.end_row();
            for (label, row) in rows.iter().zip(&table.cells) {
                ui.add_sized([170.0, size.y], egui::Label::new(egui::RichText::new(label).strong()).truncate());
                for (col, cell) in cols.iter().zip(row) {
                    let shade = cell.value.map_or(0.0, &shade_of);
                    let name = format!("{label} × {col}");
                    let text = cell_text(cell, table.measure, ctx);
                    let hover = format!(
                        "{name}\n{}: {}\n{}: {}\n{}",
                        t(lang, "explore.customers"),
                        format::count(cell.count, lang),
                        t(lang, measure_key(table.measure)),
                        text,
                        t(lang, "explore.click_segment")
                    );
                    let response = heat_cell(ui, size, &text, shade, &name);
                    if response.on_hover_text(hover).clicked() {
                        ctx.draft(cell.rule.clone());
                    }
                }
                ui.end_row();
            }
        });
    });
}
