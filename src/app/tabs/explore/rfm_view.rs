//! RFM on screen: the 5 × 5 recency × frequency grid (shaded by customers or
//! average LTV, figures on hover) and the named groups with the same figures.
//! Clicking a cell or a group opens a segment draft with its rule.

use super::{ExploreTab, GridColour, status_ui};
use crate::app::i18n::{rfm_group_label, t};
use crate::app::tabs::TabContext;
use crate::app::widgets::heat::{heat_cell, shading};
use crate::engine::explore::rfm::{Figures, Rfm, cell_rule, group_rule};
use crate::format;

pub(super) fn rfm_ui(tab: &mut ExploreTab, ui: &mut egui::Ui, ctx: &TabContext<'_>) {
    let lang = ctx.lang;
    if ctx.data.field("rfm_group").is_none() {
        ui.weak(t(lang, "explore.rfm_none"));
        return;
    }
    ui.label(t(lang, "explore.rfm_intro"));
    status_ui(ui, &tab.rfm, lang);
    let Some(rfm) = tab.rfm().cloned() else { return };
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        ui.label(t(lang, "explore.colour_by"));
        ui.selectable_value(&mut tab.grid_colour, GridColour::Count, t(lang, "explore.by_count"));
        ui.selectable_value(&mut tab.grid_colour, GridColour::AvgLtv, t(lang, "explore.by_avg_ltv"));
    });
    ui.add_space(6.0);
    ui.horizontal_top(|ui| {
        ui.vertical(|ui| grid_ui(ui, &rfm, tab.grid_colour, ctx));
        ui.add_space(24.0);
        ui.vertical(|ui| groups_ui(ui, &rfm, ctx));
    });
}

/// The figures on hover: count, share, average LTV, revenue share.
pub(super) fn figures_hover(title: &str, f: &Figures, ctx: &TabContext<'_>) -> String {
    let lang = ctx.lang;
    format!(
        "{title}\n{}: {} ({})\n{}: {}\n{}: {}\n{}",
        t(lang, "explore.customers"),
        format::count(f.count, lang),
        format::percent(f.share, lang),
        t(lang, "explore.avg_ltv"),
        format::money_or_dash(f.avg_ltv, ctx.currency(), lang),
        t(lang, "explore.revenue_share"),
        format::percent(f.revenue_share, lang),
        t(lang, "explore.click_segment"),
    )
}

/// The 5 × 5 grid: recency 5 (most recent) at the top, frequency 1 at the left.
fn grid_ui(ui: &mut egui::Ui, rfm: &Rfm, colour: GridColour, ctx: &TabContext<'_>) {
    let lang = ctx.lang;
    let value = |f: &Figures| match colour {
        GridColour::Count => Some(f.count as f64),
        GridColour::AvgLtv => f.avg_ltv,
    };
    let shade_of = shading(rfm.grid.iter().flatten().filter_map(value));
    let cell = egui::vec2(92.0, 46.0);
    ui.label(t(lang, "explore.frequency"));
    egui::Grid::new("rfm-grid").spacing([2.0, 2.0]).show(ui, |ui| {
        ui.label("");
        for f in 1..=5 {
            ui.centered_and_justified(|ui| ui.strong(format!("F {f}")));
        }
        ui.end_row();
        for r in (1..=5u8).rev() {
            ui.strong(format!("R {r}"));
            for f in 1..=5u8 {
                let figures = &rfm.grid[usize::from(r - 1)][usize::from(f - 1)];
                let text = match colour {
                    GridColour::Count => format::count(figures.count, lang),
                    GridColour::AvgLtv => figures
                        .avg_ltv
                        .map_or_else(|| "—".to_owned(), |v| format::money_with(v, 0, ctx.currency(), lang)),
                };
                let shade = value(figures).map_or(0.0, &shade_of);
                let name = format!("R {r} · F {f}");
                let response = heat_cell(ui, cell, &text, shade, &name);
                if response.on_hover_text(figures_hover(&name, figures, ctx)).clicked() {
                    ctx.draft(cell_rule(r, f));
                }
            }
            ui.end_row();
        }
    });
    ui.weak(t(lang, "explore.recency"));
}

/// The named groups with their figures; a click on a name opens its segment.
fn groups_ui(ui: &mut egui::Ui, rfm: &Rfm, ctx: &TabContext<'_>) {
    let lang = ctx.lang;
    egui::Grid::new("rfm-groups").striped(true).spacing([16.0, 4.0]).show(ui, |ui| {
        for key in ["explore.group", "explore.customers", "explore.share", "explore.avg_ltv", "explore.revenue_share"] {
            ui.strong(t(lang, key));
        }
        ui.end_row();
        for group in rfm.groups.iter().filter(|g| g.figures.count > 0) {
            let name = rfm_group_label(lang, group.name);
            let f = &group.figures;
            // The name, and under it what the group is and what to do with it.
            ui.vertical(|ui| {
                let advice = crate::i18n::rfm_group_advice(lang, group.name);
                let hover = match advice {
                    Some((meaning, action)) => format!("{}\n{meaning}\n{action}", figures_hover(&name, f, ctx)),
                    None => figures_hover(&name, f, ctx),
                };
                if ui.link(&name).on_hover_text(hover).clicked() {
                    ctx.draft(group_rule(group.name));
                }
                if let Some((_, action)) = advice {
                    ui.set_max_width(170.0);
                    ui.add(egui::Label::new(egui::RichText::new(action).small().weak()).wrap());
                }
            });
            right_label(ui, format::count(f.count, lang));
            right_label(ui, format::percent(f.share, lang));
            right_label(ui, format::money_or_dash(f.avg_ltv, ctx.currency(), lang));
            right_label(ui, format::percent(f.revenue_share, lang));
            ui.end_row();
        }
    });
}

fn right_label(ui: &mut egui::Ui, text: String) {
    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| ui.label(text));
}
