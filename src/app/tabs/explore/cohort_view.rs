//! Cohorts on screen: the triangle of acquisition cohorts (down) by periods since
//! (across) as a heat map of retention, active customers, revenue or cumulative
//! LTV; the cumulative LTV per customer of recent cohorts with the chosen cohort's
//! CAC and payback marked; the period, split and "bought" pickers; and the price
//! index, base month and gross margin behind real lira and payback. Clicking a
//! cell opens its customers as a segment draft.

use std::sync::Arc;

use chrono::Datelike as _;
use egui_plot::{HLine, Legend, Line, PlotPoints, Points};

use super::{ExploreTab, status_ui};
use crate::app::cache::Money;
use crate::app::command::{Command, FileCommand};
use crate::app::i18n::{Lang, t};
use crate::app::tabs::TabContext;
use crate::app::widgets::heat::{heat_cell, shading};
use crate::app::widgets::plots::fixed_plot;
use crate::app::widgets::theme::series_colour;
use crate::engine::cohorts::index::{AnnualRate, PriceIndex, month_label, parse_month};
use crate::engine::cohorts::{
    BoughtFilter, Cohort, CohortCell, CohortError, CohortOptions, CohortPeriod, Cohorts, OTHER_GROUP, Split, cell_rule,
};
use crate::engine::dashboard::UNKNOWN_CHANNEL;
use crate::engine::edit::{Edit, RealMoney};
use crate::engine::segment::history::LineAttr;
use crate::format;

/// What the triangle's cells show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CohortMetric {
    #[default]
    Retention,
    Active,
    Revenue,
    CumulativeLtv,
}

/// The cohort view's choices.
#[derive(Debug, Clone, Default)]
pub struct CohortChoices {
    pub period: CohortPeriod,
    pub split: Option<Split>,
    pub metric: CohortMetric,
    /// Keep customers who bought a product or category naming this (empty: all).
    pub bought: String,
    /// In any order rather than the first.
    pub bought_any: bool,
    /// The cohort drawn bold in the chart, with its CAC and payback (its index).
    pub selected: Option<usize>,
    /// The price-index file's path as typed.
    pub index_path: String,
    /// Annual rates being typed: year and percent.
    pub rates: Vec<(i32, f64)>,
}

impl CohortChoices {
    pub fn options(&self, ctx: &TabContext<'_>) -> CohortOptions {
        let bought = self.bought.trim();
        CohortOptions {
            period: self.period,
            split: self.split.clone(),
            bought: (!bought.is_empty()).then(|| BoughtFilter {
                attr: if ctx.data.order_lines.as_ref().is_some_and(|l| l.column("product").is_ok()) {
                    LineAttr::Product
                } else {
                    LineAttr::Category
                },
                text: bought.to_owned(),
                any_order: self.bought_any,
            }),
            // `ctx.data` is already in real lira when money is shown real.
            real: None,
            margin: ctx.doc.workspace.settings.gross_margin,
        }
    }
}

/// What decides the table: data version, options and the saved segments' rules.
pub type CohortKey = (u64, CohortOptions, Vec<(String, String)>);

pub fn key_of(options: CohortOptions, ctx: &TabContext<'_>) -> CohortKey {
    let segments = ctx.doc.workspace.segments.iter().map(|s| (s.name.clone(), s.rule.clone())).collect();
    (ctx.version, options, segments)
}

/// A cohort error in the user's language.
pub fn error_text(e: &CohortError, lang: Lang) -> String {
    match e {
        CohortError::NoOrders => t(lang, "cohort.err_no_orders").to_owned(),
        CohortError::Empty(_) => t(lang, "cohort.err_empty").to_owned(),
        CohortError::NoSegment(name) => t(lang, "cohort.err_no_segment").replace("{0}", name),
        CohortError::Segment(name, why) => t(lang, "cohort.err_segment").replace("{0}", name).replace("{1}", why),
        CohortError::NoIndex => t(lang, "cohort.err_no_index").to_owned(),
        CohortError::Data(why) => t(lang, "cohort.err_data").replace("{0}", why),
    }
}

/// Cohorts shown in the triangle at most (the most recent).
const SHOWN_COHORTS: usize = 36;
/// Cohorts drawn in the chart at most (the most recent).
const CHARTED_COHORTS: usize = 12;

pub(super) fn cohorts_ui(tab: &mut ExploreTab, ui: &mut egui::Ui, ctx: &TabContext<'_>) {
    let lang = ctx.lang;
    ui.add(egui::Label::new(t(lang, "cohort.intro")).wrap());
    if ctx.data.orders.is_none() {
        ui.weak(t(lang, "cohort.err_no_orders"));
        return;
    }
    ui.add_space(4.0);
    pickers_ui(&mut tab.cohort, ui, ctx);
    settings_ui(&mut tab.cohort, ui, ctx);
    status_ui(ui, &tab.cohorts, lang);
    let Some(table) = tab.cohorts.latest().cloned() else { return };
    ui.add_space(6.0);
    money_note_ui(ui, &table, ctx);
    if table.cohorts.is_empty() {
        ui.weak(t(lang, "cohort.err_empty"));
        return;
    }
    let shown = table.cohorts.len().saturating_sub(SHOWN_COHORTS);
    if shown > 0 {
        ui.weak(
            t(lang, "cohort.shown_last")
                .replace("{0}", &SHOWN_COHORTS.to_string())
                .replace("{1}", &table.cohorts.len().to_string()),
        );
    }
    if let Some((cohort, offset)) = triangle_ui(ui, &table, shown, &mut tab.cohort, ctx) {
        open_cell(tab, &table, cohort, offset, ctx);
    }
    ui.add_space(10.0);
    chart_ui(ui, &table, &mut tab.cohort, ctx);
}

fn period_label(lang: Lang, p: CohortPeriod) -> &'static str {
    t(
        lang,
        match p {
            CohortPeriod::Month => "cohort.month",
            CohortPeriod::Quarter => "cohort.quarter",
            CohortPeriod::Week => "cohort.week",
        },
    )
}

fn split_label(lang: Lang, split: Option<&Split>) -> String {
    match split {
        None => t(lang, "cohort.by_none").to_owned(),
        Some(Split::Channel) => t(lang, "cohort.by_channel").to_owned(),
        Some(Split::City) => t(lang, "cohort.by_city").to_owned(),
        Some(Split::FirstProduct) => t(lang, "cohort.by_first_product").to_owned(),
        Some(Split::FirstCategory) => t(lang, "cohort.by_first_category").to_owned(),
        Some(Split::Segment(name)) => t(lang, "cohort.by_segment").replace("{0}", name),
    }
}

/// A group's name as shown: "(unknown)" and "(other)" in the user's language.
fn group_label(lang: Lang, group: &str) -> String {
    match group {
        UNKNOWN_CHANNEL => t(lang, "cohort.group_unknown").to_owned(),
        OTHER_GROUP => t(lang, "cohort.group_other").to_owned(),
        g => g.to_owned(),
    }
}

/// A cohort's name as shown: `Oca 2026`, `2026 Ç1`, `2026 H05` / `Jan 2026`, `2026 Q1`, `2026 W05`.
fn cohort_label(lang: Lang, table: &Cohorts, c: &Cohort) -> String {
    match table.period {
        CohortPeriod::Month => {
            let (first, _) = table.period.days(c.key);
            format::month(first, lang)
        }
        CohortPeriod::Quarter | CohortPeriod::Week => match lang {
            Lang::Tr => c.cohort.replace("-Q", " Ç").replace("-W", " H"),
            Lang::En => c.cohort.replace('-', " "),
        },
    }
}

/// A cohort row's name: its period, and its group when split.
fn row_name(lang: Lang, table: &Cohorts, c: &Cohort) -> String {
    match c.group.as_deref() {
        Some(g) => format!("{} · {}", cohort_label(lang, table, c), group_label(lang, g)),
        None => cohort_label(lang, table, c),
    }
}

fn pickers_ui(choices: &mut CohortChoices, ui: &mut egui::Ui, ctx: &TabContext<'_>) {
    let lang = ctx.lang;
    ui.horizontal_wrapped(|ui| {
        egui::ComboBox::new("cohort-period", t(lang, "cohort.period"))
            .selected_text(period_label(lang, choices.period))
            .show_ui(ui, |ui| {
                for p in CohortPeriod::ALL {
                    ui.selectable_value(&mut choices.period, p, period_label(lang, p));
                }
            });
        ui.add_space(8.0);
        let mut splits = vec![None, Some(Split::Channel), Some(Split::City)];
        if let Some(lines) = &ctx.data.order_lines {
            if lines.column("product").is_ok() {
                splits.push(Some(Split::FirstProduct));
            }
            if lines.column("category").is_ok() {
                splits.push(Some(Split::FirstCategory));
            }
        }
        splits.extend(ctx.doc.workspace.segments.iter().map(|s| Some(Split::Segment(s.name.clone()))));
        egui::ComboBox::new("cohort-split", t(lang, "cohort.split"))
            .selected_text(split_label(lang, choices.split.as_ref()))
            .show_ui(ui, |ui| {
                for split in splits {
                    let label = split_label(lang, split.as_ref());
                    ui.selectable_value(&mut choices.split, split, label);
                }
            });
    });
    ui.horizontal_wrapped(|ui| {
        ui.label(t(lang, "cohort.show"));
        for (metric, key) in [
            (CohortMetric::Retention, "cohort.retention"),
            (CohortMetric::Active, "cohort.active"),
            (CohortMetric::Revenue, "cohort.revenue"),
            (CohortMetric::CumulativeLtv, "cohort.cumulative_ltv"),
        ] {
            ui.selectable_value(&mut choices.metric, metric, t(lang, key));
        }
    });
    if ctx.data.order_lines.is_some() {
        ui.horizontal_wrapped(|ui| {
            ui.label(t(lang, "cohort.bought"));
            ui.add(egui::TextEdit::singleline(&mut choices.bought).desired_width(140.0))
                .accessible_name(t(lang, "cohort.bought_text"));
            ui.selectable_value(&mut choices.bought_any, false, t(lang, "cohort.in_first_order"));
            ui.selectable_value(&mut choices.bought_any, true, t(lang, "cohort.in_any_order"));
        });
    }
}

/// The price index, base month and gross margin (an undoable edit each).
fn settings_ui(choices: &mut CohortChoices, ui: &mut egui::Ui, ctx: &TabContext<'_>) {
    let lang = ctx.lang;
    let settings = &ctx.doc.workspace.settings;
    egui::CollapsingHeader::new(t(lang, "cohort.settings")).id_salt("cohort-settings").show(ui, |ui| {
        let money = RealMoney::of(&ctx.doc.workspace);
        match settings.price_index.as_ref().and_then(|i| Some((i, i.reach()?))) {
            Some((index, reach)) => {
                let source = if index.source.is_empty() { t(lang, "cohort.index_typed") } else { &index.source };
                let (first, last) = (month_text(reach.first, lang), month_text(reach.last, lang));
                ui.label(
                    t(lang, "cohort.index_loaded").replace("{0}", source).replace("{1}", &first).replace("{2}", &last),
                );
                if ui.button(t(lang, "cohort.index_remove")).clicked() {
                    let money = RealMoney { price_index: None, ..money.clone() };
                    ctx.send(Command::Edit(Edit::SetRealMoney(Box::new(money))));
                }
            }
            None => {
                ui.add(egui::Label::new(t(lang, "money.where_evds")).wrap());
            }
        }
        ui.horizontal_wrapped(|ui| {
            ui.label(t(lang, "cohort.index_file"));
            ui.add(egui::TextEdit::singleline(&mut choices.index_path).desired_width(220.0))
                .accessible_name(t(lang, "cohort.index_path"));
            if ui.button(t(lang, "cohort.index_browse")).clicked() {
                ctx.send(Command::File(FileCommand::LoadPriceIndex(None)));
            }
            let typed = choices.index_path.trim();
            if ui.add_enabled(!typed.is_empty(), egui::Button::new(t(lang, "cohort.index_load"))).clicked() {
                ctx.send(Command::File(FileCommand::LoadPriceIndex(Some(typed.into()))));
            }
        });
        rates_ui(choices, ui, ctx, &money);
        ui.horizontal_wrapped(|ui| {
            ui.label(t(lang, "cohort.base"));
            let mut base = settings.real_base.clone().unwrap_or_default();
            let form = &crate::app::widgets::number_entry::MONTH;
            if crate::app::widgets::number_entry::typed_entry(ui, &mut base, form, lang, 110.0, "cohort-base") {
                let base = parse_month(&base).map(month_label);
                if base.is_some() || money.real_base.is_some() {
                    ctx.send(Command::Edit(Edit::SetRealMoney(Box::new(RealMoney {
                        real_base: base,
                        ..money.clone()
                    }))));
                }
            }
            ui.weak(t(lang, "cohort.base_hint"));
        });
        ui.horizontal_wrapped(|ui| {
            ui.label(t(lang, "cohort.margin"));
            let mut percent = money.gross_margin.map_or(0.0, |m| m * 100.0);
            let drag =
                crate::app::widgets::number_entry::drag_number(&mut percent, lang).range(0.0..=100.0).suffix(" %");
            if ui.add(drag).accessible_name(t(lang, "cohort.margin_value")).changed() {
                let margin = (percent > 0.0).then_some(percent / 100.0);
                ctx.send(Command::Edit(Edit::SetRealMoney(Box::new(RealMoney {
                    gross_margin: margin,
                    ..money.clone()
                }))));
            }
            ui.weak(t(lang, "cohort.margin_hint"));
        });
    });
}

fn month_text(key: crate::engine::cohorts::index::MonthKey, lang: Lang) -> String {
    chrono::NaiveDate::from_ymd_opt(key.div_euclid(12), key.rem_euclid(12) as u32 + 1, 1)
        .map_or_else(|| month_label(key), |d| format::month(d, lang))
}

/// Annual rates typed per year, made into an index with "use".
fn rates_ui(choices: &mut CohortChoices, ui: &mut egui::Ui, ctx: &TabContext<'_>, money: &RealMoney) {
    let lang = ctx.lang;
    ui.label(t(lang, "cohort.rates"));
    if choices.rates.is_empty()
        && let Some(typed) = money.price_index.as_ref().filter(|i| !i.annual_rates.is_empty())
    {
        choices.rates = typed.annual_rates.iter().map(|r| (r.year, r.percent)).collect();
    }
    let mut remove = None;
    egui::Grid::new("cohort-rates").spacing([10.0, 4.0]).show(ui, |ui| {
        for (i, (year, percent)) in choices.rates.iter_mut().enumerate() {
            ui.add(egui::DragValue::new(year).range(1990..=2100)).accessible_name(t(lang, "cohort.rate_year"));
            let drag = crate::app::widgets::number_entry::drag_number(percent, lang).range(-50.0..=500.0).suffix(" %");
            ui.add(drag).accessible_name(t(lang, "cohort.rate_percent"));
            if ui.small_button("✖").on_hover_text(t(lang, "cohort.rate_remove")).clicked() {
                remove = Some(i);
            }
            ui.end_row();
        }
    });
    if let Some(i) = remove {
        choices.rates.remove(i);
    }
    ui.horizontal(|ui| {
        if ui.button(t(lang, "cohort.rate_add")).clicked() {
            let next = choices.rates.last().map_or(ctx.data.as_of.year_ce().1 as i32 - 2, |r| r.0 + 1);
            choices.rates.push((next, choices.rates.last().map_or(30.0, |r| r.1)));
        }
        if ui.add_enabled(!choices.rates.is_empty(), egui::Button::new(t(lang, "cohort.rate_use"))).clicked() {
            let rates: Vec<AnnualRate> =
                choices.rates.iter().map(|&(year, percent)| AnnualRate { year, percent }).collect();
            if let Ok(index) = PriceIndex::from_annual_rates(&rates) {
                let money = RealMoney { price_index: Some(index), ..money.clone() };
                ctx.send(Command::Edit(Edit::SetRealMoney(Box::new(money))));
            }
        }
    });
}

/// Says what money the figures are in, and how far the index reaches.
fn money_note_ui(ui: &mut egui::Ui, table: &Cohorts, ctx: &TabContext<'_>) {
    let lang = ctx.lang;
    if let Money::Real { base } = &ctx.money {
        let base = parse_month(base).map_or_else(|| base.clone(), |k| month_text(k, lang));
        ui.label(t(lang, "money.in_base").replace("{0}", &base));
        if let Some(reach) = ctx.doc.workspace.settings.price_index.as_ref().and_then(PriceIndex::reach) {
            let as_of = crate::engine::cohorts::index::month_key(ctx.data.as_of);
            let base_key = ctx.doc.workspace.real_base(ctx.data.as_of);
            if as_of.max(base_key) > reach.last {
                ui.weak(
                    t(lang, "money.index_carried")
                        .replace("{0}", &month_text(reach.last, lang))
                        .replace("{1}", &format::percent(reach.carried_after, lang)),
                );
            }
        }
    }
    if !table.has_spend {
        ui.weak(t(lang, "cohort.no_spend"));
    } else if table.margin.is_some() {
        ui.weak(t(lang, "cohort.payback_on_margin"));
    }
}

/// The heat map; returns the cell clicked (cohort index, offset).
fn triangle_ui(
    ui: &mut egui::Ui,
    table: &Cohorts,
    skip: usize,
    choices: &mut CohortChoices,
    ctx: &TabContext<'_>,
) -> Option<(usize, u32)> {
    let lang = ctx.lang;
    let metric = choices.metric;
    let value = |cell: &CohortCell| match metric {
        CohortMetric::Retention => cell.retention,
        CohortMetric::Active => cell.active as f64,
        CohortMetric::Revenue => cell.revenue,
        CohortMetric::CumulativeLtv => cell.cumulative_ltv,
    };
    let shown = &table.cohorts[skip..];
    // Offset 0 of retention is always 100%: shade by the later offsets.
    let shade = shading(
        shown
            .iter()
            .flat_map(|c| c.cells.iter())
            .filter(|cell| metric != CohortMetric::Retention || cell.offset > 0)
            .map(value),
    );
    let text = |cell: &CohortCell| match metric {
        CohortMetric::Retention => format::percent(cell.retention, lang),
        CohortMetric::Active => format::count(cell.active, lang),
        CohortMetric::Revenue => format::money_compact(cell.revenue, ctx.currency(), lang),
        CohortMetric::CumulativeLtv => format::money_compact(cell.cumulative_ltv, ctx.currency(), lang),
    };
    let offsets = shown.iter().map(|c| c.cells.len()).max().unwrap_or(0);
    let split = table.by.is_some();
    let mut clicked = None;
    egui::ScrollArea::horizontal().id_salt("cohort-triangle").show(ui, |ui| {
        egui::Grid::new("cohort-grid").spacing([8.0, 2.0]).show(ui, |ui| {
            ui.strong(t(lang, "cohort.cohort"));
            if split {
                ui.strong(t(lang, "cohort.group"));
            }
            ui.strong(t(lang, "cohort.customers"));
            ui.strong(t(lang, "cohort.cac"));
            ui.strong(t(lang, "cohort.payback"));
            for offset in 0..offsets {
                ui.strong(offset.to_string()).on_hover_text(t(lang, "cohort.offset_hint"));
            }
            ui.end_row();
            for (i, c) in shown.iter().enumerate() {
                let index = skip + i;
                let name = cohort_label(lang, table, c);
                row_head_ui(ui, table, c, &name, index, choices, ctx);
                for cell in &c.cells {
                    let intensity =
                        if metric == CohortMetric::Retention && cell.offset == 0 { 1.0 } else { shade(value(cell)) };
                    let label = format!("{name} · {}", cell.offset);
                    let mut text = text(cell);
                    if cell.partial {
                        text.push('*');
                    }
                    let response = heat_cell(ui, egui::vec2(56.0, 24.0), &text, intensity, &label).on_hover_text(
                        t(lang, "cohort.cell_hover")
                            .replace("{0}", &format::count(cell.active, lang))
                            .replace("{1}", &format::percent(cell.retention, lang))
                            .replace("{2}", &format::count(cell.orders, lang))
                            .replace("{3}", &format::money(cell.revenue, ctx.currency(), lang))
                            .replace("{4}", &format::money(cell.cumulative_ltv, ctx.currency(), lang))
                            + if cell.partial { t(lang, "cohort.partial") } else { "" },
                    );
                    if response.clicked() {
                        clicked = Some((index, cell.offset));
                    }
                }
                ui.end_row();
            }
        });
    });
    clicked
}

/// A row's first columns: the cohort (click to chart it), its group, size, CAC
/// and payback.
fn row_head_ui(
    ui: &mut egui::Ui,
    table: &Cohorts,
    c: &Cohort,
    name: &str,
    index: usize,
    choices: &mut CohortChoices,
    ctx: &TabContext<'_>,
) {
    let (lang, split) = (ctx.lang, table.by.is_some());
    let selected = choices.selected == Some(index);
    if ui.selectable_label(selected, name).on_hover_text(t(lang, "cohort.select_hint")).clicked() {
        choices.selected = Some(index);
    }
    if split {
        ui.label(c.group.as_deref().map(|g| group_label(lang, g)).unwrap_or_default());
    }
    ui.label(format::count(c.customers, lang));
    ui.label(format::money_or_dash(c.cac, ctx.currency(), lang))
        .on_hover_text(t(lang, if c.cac.is_some() { "cohort.cac_hint" } else { "cohort.cac_none" }));
    let payback = match (c.cac, c.payback_offset) {
        (None, _) => "—".to_owned(),
        (Some(_), None) => t(lang, "cohort.not_yet").to_owned(),
        (Some(_), Some(o)) => payback_text(lang, table.period, o),
    };
    ui.label(payback).on_hover_text(t(lang, "cohort.payback_hint"));
}

/// A payback offset as the periods it took: offset 0 is "1 mo", paid back within
/// the first month.
pub fn payback_text(lang: Lang, period: CohortPeriod, offset: u32) -> String {
    let unit = match period {
        CohortPeriod::Month => "cohort.unit_month",
        CohortPeriod::Quarter => "cohort.unit_quarter",
        CohortPeriod::Week => "cohort.unit_week",
    };
    format!("{} {}", offset + 1, t(lang, unit))
}

/// Opens a cell's customers as a segment draft: a rule where the group can be said
/// as one, else a fixed list computed in the background.
fn open_cell(tab: &mut ExploreTab, table: &Arc<Cohorts>, cohort: usize, offset: u32, ctx: &TabContext<'_>) {
    let c = &table.cohorts[cohort];
    let filtered = !tab.cohort.bought.trim().is_empty();
    if !filtered && let Some(rule) = cell_rule(&ctx.data, table, c, offset) {
        ctx.draft(rule);
        return;
    }
    tab.cell_request = Some((Arc::clone(table), cohort, offset));
}

/// The cumulative LTV per customer of the recent cohorts, the chosen one bold with
/// its CAC and payback point.
fn chart_ui(ui: &mut egui::Ui, table: &Cohorts, choices: &mut CohortChoices, ctx: &TabContext<'_>) {
    let lang = ctx.lang;
    let first = table.cohorts.len().saturating_sub(CHARTED_COHORTS);
    let selected = choices
        .selected
        .filter(|s| *s < table.cohorts.len())
        // By default the latest cohort with a CAC and a few periods to show.
        .or_else(|| table.cohorts.iter().rposition(|c| c.cac.is_some() && c.cells.len() >= 4))
        .or_else(|| table.cohorts.iter().rposition(|c| c.cac.is_some()))
        .unwrap_or(table.cohorts.len() - 1);
    let chosen = &table.cohorts[selected];
    ui.strong(t(lang, "cohort.chart_title"));
    ui.weak(t(lang, "cohort.chart_hint").replace("{0}", &row_name(lang, table, chosen)));
    let currency = ctx.currency().to_owned();
    fixed_plot("cohort-ltv")
        .height(260.0)
        .legend(Legend::default().position(egui_plot::Corner::LeftTop))
        .x_axis_label(t(lang, "cohort.chart_x"))
        .y_axis_formatter(move |mark, _| format::money_compact(mark.value, &currency, lang))
        .show(ui, |plot| {
            for (i, c) in table.cohorts.iter().enumerate().skip(first) {
                if i == selected {
                    continue;
                }
                let points: Vec<[f64; 2]> =
                    c.cells.iter().map(|cell| [f64::from(cell.offset), cell.cumulative_ltv]).collect();
                // Unnamed: the legend names only the chosen cohort, its CAC and payback.
                let line = Line::new("", PlotPoints::from(points)).color(series_colour(i).gamma_multiply(0.45));
                plot.line(line.width(1.0));
            }
            let label = row_name(lang, table, chosen);
            let points: Vec<[f64; 2]> =
                chosen.cells.iter().map(|cell| [f64::from(cell.offset), cell.cumulative_ltv]).collect();
            plot.line(Line::new(label, PlotPoints::from(points)).color(series_colour(0)).width(3.0));
            if let Some(cac) = chosen.cac {
                let name = t(lang, "cohort.cac_line");
                plot.hline(HLine::new(name, cac).color(series_colour(1)).style(egui_plot::LineStyle::dashed_loose()));
                if let Some(o) = chosen.payback_offset {
                    let y = chosen.cells.get(o as usize).map_or(cac, |c| c.cumulative_ltv);
                    let name = t(lang, "cohort.payback_point");
                    plot.points(
                        Points::new(name, PlotPoints::from(vec![[f64::from(o), y]]))
                            .radius(6.0)
                            .color(series_colour(1)),
                    );
                }
            }
        });
}
