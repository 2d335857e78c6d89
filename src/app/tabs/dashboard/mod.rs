//! Tab 1, the dashboard: the whole customer universe at a glance. Metric cards with
//! the change against the previous period ([`cards`]), a date-range picker every
//! card and chart follows, customers by LTV band, acquisition channels and customer
//! growth ([`charts`]), and a small editor for spend typed by hand ([`spend`]).
//! Numbers come from [`crate::engine::dashboard`], computed in the background per
//! data version, period and bands.

mod cards;
mod charts;
mod spend;

use std::sync::Arc;

use super::{Tab, TabContext, TabView};
use crate::app::command::Command;
use crate::app::i18n::{Lang, t};
use crate::app::keyed::Keyed;
use crate::engine::dashboard::{Dashboard, RangePreset, dashboard};
use crate::engine::data::CustomerData;
use crate::engine::edit::Edit;
use crate::engine::import::ImportError;
use crate::engine::typed::{plain_number, read_number};
use crate::format;

/// What decides the numbers: data version, period preset, LTV bands.
type DashKey = (u64, RangePreset, Vec<u64>);

pub struct DashboardTab {
    /// The chosen period; `None` until the user picks one: then the spend period
    /// when there is spend data, else all time.
    pub preset: Option<RangePreset>,
    /// The LTV bands as the user is typing them.
    bands_text: Option<String>,
    /// Bars show revenue instead of customers.
    pub show_revenue: bool,
    pub spend_editor_open: bool,
    /// CAC over the new customers of paid channels only.
    pub paid_only: bool,
    numbers: Keyed<DashKey, Dashboard>,
    /// The payback card's cohorts: data version and margin.
    payback: Keyed<(u64, Option<u64>), cards::Payback>,
}

impl Default for DashboardTab {
    fn default() -> Self {
        Self {
            preset: None,
            bands_text: None,
            show_revenue: false,
            spend_editor_open: false,
            paid_only: false,
            numbers: Keyed::new("dashboard"),
            payback: Keyed::new("dashboard-payback"),
        }
    }
}

impl DashboardTab {
    /// The numbers on screen, if computed.
    pub fn current(&self) -> Option<&Arc<Dashboard>> {
        self.numbers.latest()
    }

    pub fn busy(&self) -> bool {
        self.numbers.busy()
    }

    /// The period in effect.
    pub fn effective_preset(&self, data: &CustomerData) -> RangePreset {
        self.preset.unwrap_or(if data.spend.is_empty() { RangePreset::AllTime } else { RangePreset::SpendPeriod })
    }
}

/// The median payback over the last 12 monthly cohorts (see [`crate::engine::cohorts::median_payback`]).
fn payback_of(data: &CustomerData, margin: Option<f64>) -> cards::Payback {
    use crate::engine::cohorts::{CohortOptions, cohorts, median_payback};
    let options = CohortOptions { margin, ..Default::default() };
    match cohorts(data, &[], &options) {
        Err(_) => cards::Payback::NoOrders,
        Ok(table) => match median_payback(&table, 12) {
            None => cards::Payback::NoSpend,
            Some(None) => cards::Payback::NotYet,
            Some(Some(months)) => cards::Payback::Months(months),
        },
    }
}

impl TabView for DashboardTab {
    fn id(&self) -> Tab {
        Tab::Dashboard
    }

    fn title_key(&self) -> &'static str {
        "tab.dashboard"
    }

    fn logic(&mut self, ctx: &TabContext<'_>) {
        self.numbers.collect(ctx.lang);
        let bands = ctx.doc.workspace.settings.ltv_bands.clone();
        let preset = self.effective_preset(&ctx.data);
        let key: DashKey = (ctx.version, preset, bands.iter().map(|b| b.to_bits()).collect());
        let data = Arc::clone(&ctx.data);
        let lang = ctx.lang;
        self.numbers.ensure(ctx.egui, key, |_| {
            move |_| dashboard(&data, preset.period(&data), &bands).map_err(|e| ImportError::from(e).text(lang))
        });
        self.payback.collect(lang);
        let margin = ctx.doc.workspace.settings.gross_margin;
        let data = Arc::clone(&ctx.data);
        self.payback
            .ensure(ctx.egui, (ctx.version, margin.map(f64::to_bits)), |_| move |_| Ok(payback_of(&data, margin)));
    }

    fn ui(&mut self, ui: &mut egui::Ui, ctx: &TabContext<'_>) {
        let lang = ctx.lang;
        self.header_ui(ui, ctx);
        crate::app::widgets::money::money_switch_ui(ui, ctx);
        if let Some(e) = self.numbers.error() {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        if self.spend_editor_open {
            self.spend_editor_open = spend::spend_editor_ui(ui.ctx(), ctx);
        }
        let Some(d) = self.current().cloned() else {
            ui.spinner();
            return;
        };
        ui.add_space(6.0);
        let payback = self.payback.latest().map_or(cards::Payback::Computing, |p| **p);
        match cards::cards_ui(ui, &d, &mut self.paid_only, payback, ctx.currency(), lang) {
            Some(cards::CardAction::EditSpend) => self.spend_editor_open = true,
            Some(cards::CardAction::OpenCohorts) => ctx.send(crate::app::command::ViewCommand::OpenCohorts),
            None => {}
        }
        ui.add_space(8.0);
        egui::ScrollArea::vertical().id_salt("dashboard-scroll").show(ui, |ui| {
            if d.period.is_some() {
                // The pie and the bars count the same customers as the first card.
                ui.weak(t(lang, "dash.charts_scope"));
            }
            ui.columns(2, |cols| {
                self.bands_ui(&mut cols[0], ctx);
                charts::ltv_pie_ui(&mut cols[0], &d.ltv_bands, ctx);
                charts::channels_ui(&mut cols[1], &d, &mut self.show_revenue, ctx);
            });
            ui.add_space(8.0);
            charts::growth_ui(ui, &d, lang);
            ui.add_space(8.0);
            charts::channel_table_ui(ui, &d.channels, ctx);
        });
    }
}

impl DashboardTab {
    /// The title, the period picker and the spend button.
    fn header_ui(&mut self, ui: &mut egui::Ui, ctx: &TabContext<'_>) {
        let lang = ctx.lang;
        ui.horizontal(|ui| {
            ui.heading(t(lang, "tab.dashboard"));
            ui.add_space(12.0);
            let mut preset = self.effective_preset(&ctx.data);
            egui::ComboBox::new("dashboard-range", t(lang, "dash.range"))
                .selected_text(preset_label(lang, preset))
                .show_ui(ui, |ui| {
                    for option in RangePreset::ALL {
                        ui.selectable_value(&mut preset, option, preset_label(lang, option));
                    }
                });
            if preset != self.effective_preset(&ctx.data) {
                self.preset = Some(preset);
            }
            if let Some(d) = self.current() {
                let span = match d.period {
                    Some(p) => format!("{} – {}", format::date(p.from, lang), format::date(p.to, lang)),
                    None => t(lang, "dash.all_time_span").to_owned(),
                };
                ui.weak(span);
            }
            if self.busy() {
                ui.spinner();
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button(t(lang, "dash.edit_spend")).clicked() {
                    self.spend_editor_open = true;
                }
            });
        });
    }

    /// The LTV band limits, editable as "1000; 5000; 10000" (saved in the workspace).
    fn bands_ui(&mut self, ui: &mut egui::Ui, ctx: &TabContext<'_>) {
        let lang = ctx.lang;
        let bands = &ctx.doc.workspace.settings.ltv_bands;
        let current = bands.iter().map(|b| plain_number(*b, lang)).collect::<Vec<_>>().join("; ");
        let mut text = self.bands_text.take().unwrap_or_else(|| current.clone());
        let mut keep_editing = true;
        ui.horizontal(|ui| {
            let label = ui.label(t(lang, "dash.bands"));
            let response = ui.add(egui::TextEdit::singleline(&mut text).desired_width(160.0)).labelled_by(label.id);
            let response = response.on_hover_text(t(lang, "dash.bands_hint"));
            for part in band_parts(&text) {
                crate::app::widgets::number_entry::reading_note(ui, part, lang);
            }
            if response.lost_focus() {
                if let Some(values) = parse_bands(&text, lang)
                    && values != *bands
                {
                    ctx.send(Command::Edit(Edit::SetLtvBands(values)));
                }
                // Show the saved bands again (a bad entry is dropped).
                keep_editing = false;
            }
        });
        if keep_editing {
            self.bands_text = Some(text);
        }
    }
}

/// The limits typed in the bands box, separated by `;` or spaces (a comma is a
/// decimal comma in Turkish and a thousands comma in English, so never a separator).
fn band_parts(text: &str) -> impl Iterator<Item = &str> {
    text.split([';', ' ']).map(str::trim).filter(|p| !p.is_empty())
}

/// Band limits typed as "1000; 5000 10000" in the language's way (`2.500` is two
/// thousand five hundred in Turkish): positive, sorted, without repeats.
fn parse_bands(text: &str, lang: Lang) -> Option<Vec<f64>> {
    let parsed: Option<Vec<f64>> = band_parts(text).map(|p| read_number(p, lang).map(|n| n.value)).collect();
    let mut values = parsed.filter(|v| !v.is_empty() && v.iter().all(|x| *x > 0.0))?;
    values.sort_by(f64::total_cmp);
    values.dedup();
    Some(values)
}

fn preset_label(lang: Lang, preset: RangePreset) -> &'static str {
    t(
        lang,
        match preset {
            RangePreset::Last30 => "dash.last30",
            RangePreset::Last90 => "dash.last90",
            RangePreset::Last365 => "dash.last365",
            RangePreset::ThisYear => "dash.this_year",
            RangePreset::AllTime => "dash.all_time",
            RangePreset::SpendPeriod => "dash.spend_period",
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_are_read_sorted_and_positive() {
        assert_eq!(parse_bands("5000; 1000 10000; 1000", Lang::En), Some(vec![1000.0, 5000.0, 10000.0]));
        assert_eq!(parse_bands("2.500; 10.000", Lang::Tr), Some(vec![2500.0, 10000.0]));
        assert_eq!(parse_bands("2,500; 10,000.5", Lang::En), Some(vec![2500.0, 10000.5]));
        assert_eq!(parse_bands("0; 100", Lang::En), None);
        assert_eq!(parse_bands("lots", Lang::Tr), None);
        assert_eq!(parse_bands("", Lang::En), None);
    }
}
