//! Tab 1, the dashboard: the whole customer universe at a glance. Metric cards with
//! the change against the previous period, a date-range picker every card and chart
//! follows, customers by LTV band (a pie drawn from polygons: egui_plot has none),
//! acquisition channels (bars, customers or revenue), customer growth (lines), and
//! a small editor for spend typed by hand. Numbers come from
//! [`crate::engine::dashboard`], computed off the UI thread and cached per data
//! version, period and bands.

use std::sync::Arc;

use egui::Color32;
use egui_plot::{Bar, BarChart, Legend, Line, Plot, PlotPoints, Polygon};

use crate::app::i18n::{Lang, t};
use crate::app::jobs::{Job, Poll};
use crate::app::{Command, Document};
use crate::engine::dashboard::{ChannelStats, Dashboard, Headline, LtvBand, RangePreset, UNKNOWN_CHANNEL, dashboard};
use crate::engine::workspace::ManualSpend;
use crate::format;

/// What decides the numbers: data version, period preset, LTV bands.
type DashKey = (u64, RangePreset, Vec<u64>);

#[derive(Default)]
pub struct DashboardView {
    /// The chosen period; `None` until the user picks one: then the spend period
    /// when there is spend data, else all time.
    pub preset: Option<RangePreset>,
    /// The LTV bands as the user is typing them.
    bands_text: Option<String>,
    /// Bars show revenue instead of customers.
    pub show_revenue: bool,
    pub spend_editor_open: bool,
    cache: Option<(DashKey, Arc<Dashboard>)>,
    job: Option<(DashKey, Job<Result<Dashboard, String>>)>,
    error: Option<String>,
}

/// Slice and bar colours, readable on light and dark backgrounds.
const PALETTE: [Color32; 8] = [
    Color32::from_rgb(31, 119, 180),
    Color32::from_rgb(255, 127, 14),
    Color32::from_rgb(44, 160, 44),
    Color32::from_rgb(214, 39, 40),
    Color32::from_rgb(148, 103, 189),
    Color32::from_rgb(140, 86, 75),
    Color32::from_rgb(227, 119, 194),
    Color32::from_rgb(23, 190, 207),
];

impl DashboardView {
    /// The numbers on screen, if computed.
    pub fn current(&self) -> Option<&Arc<Dashboard>> {
        self.cache.as_ref().map(|(_, d)| d)
    }

    pub fn busy(&self) -> bool {
        self.job.is_some()
    }

    /// Starts or collects the background computation.
    /// The period in effect.
    pub fn effective_preset(&self, data: &crate::engine::build::CustomerData) -> RangePreset {
        self.preset.unwrap_or(if data.spend.is_empty() { RangePreset::AllTime } else { RangePreset::SpendPeriod })
    }

    pub fn update(&mut self, ctx: &egui::Context, doc: &Document, lang: Lang) {
        let bands = doc.workspace.settings.ltv_bands.clone();
        let preset = self.effective_preset(&doc.data);
        let wanted: DashKey = (doc.version, preset, bands.iter().map(|b| b.to_bits()).collect());
        if let Some((key, job)) = &self.job {
            match job.poll() {
                Poll::Running => {}
                Poll::Done(result) => {
                    match result {
                        Ok(d) => {
                            self.cache = Some((key.clone(), Arc::new(d)));
                            self.error = None;
                        }
                        Err(e) => self.error = Some(e),
                    }
                    self.job = None;
                }
                Poll::Lost => self.job = None,
            }
        }
        if self.cache.as_ref().is_some_and(|(k, _)| *k == wanted)
            || self.job.as_ref().is_some_and(|(k, _)| *k == wanted)
        {
            return;
        }
        let data = Arc::clone(&doc.data);
        match Job::spawn("dashboard", ctx, move |_| {
            dashboard(&data, preset.period(&data), &bands)
                .map_err(|e| crate::engine::import::ImportError::from(e).text(lang))
        }) {
            Ok(job) => self.job = Some((wanted, job)),
            Err(e) => self.error = Some(e),
        }
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, doc: &Document, lang: Lang, out: &mut Vec<Command>) {
        let currency = doc.workspace.settings.currency.clone();
        ui.horizontal(|ui| {
            ui.heading(t(lang, "tab.dashboard"));
            ui.add_space(12.0);
            let mut preset = self.effective_preset(&doc.data);
            egui::ComboBox::new("dashboard-range", t(lang, "dash.range"))
                .selected_text(preset_label(lang, preset))
                .show_ui(ui, |ui| {
                    for option in RangePreset::ALL {
                        ui.selectable_value(&mut preset, option, preset_label(lang, option));
                    }
                });
            if preset != self.effective_preset(&doc.data) {
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
        if let Some(e) = &self.error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        let Some(d) = self.current().cloned() else {
            ui.spinner();
            return;
        };
        ui.add_space(6.0);
        cards_ui(ui, &d, &currency, lang, &mut self.spend_editor_open);
        ui.add_space(8.0);
        egui::ScrollArea::vertical().id_salt("dashboard-scroll").show(ui, |ui| {
            ui.columns(2, |cols| {
                self.bands_ui(&mut cols[0], &doc.workspace.settings.ltv_bands, lang, out);
                ltv_pie_ui(&mut cols[0], &d.ltv_bands, &currency, lang, out);
                self.channels_ui(&mut cols[1], &d, &currency, lang, out);
            });
            ui.add_space(8.0);
            growth_ui(ui, &d, lang);
            ui.add_space(8.0);
            channel_table_ui(ui, &d.channels, &currency, lang, out);
        });
    }

    /// The LTV band limits, editable as "1000, 5000, 10000" (saved in the workspace).
    fn bands_ui(&mut self, ui: &mut egui::Ui, bands: &[f64], lang: Lang, out: &mut Vec<Command>) {
        let current =
            bands.iter().map(|b| format::number(*b, 0, lang).replace(['.', ','], "")).collect::<Vec<_>>().join("; ");
        let mut text = self.bands_text.take().unwrap_or_else(|| current.clone());
        let mut keep_editing = true;
        ui.horizontal(|ui| {
            let label = ui.label(t(lang, "dash.bands"));
            let response = ui.add(egui::TextEdit::singleline(&mut text).desired_width(160.0)).labelled_by(label.id);
            let response = response.on_hover_text(t(lang, "dash.bands_hint"));
            if response.lost_focus() {
                let parsed: Option<Vec<f64>> = text
                    .split([';', ' '])
                    .filter(|p| !p.trim().is_empty())
                    .map(|p| {
                        crate::engine::import::parse::parse_number(
                            p,
                            crate::engine::import::parse::DecimalSeparator::Point,
                        )
                    })
                    .collect();
                if let Some(mut values) = parsed.filter(|v| !v.is_empty() && v.iter().all(|x| *x > 0.0)) {
                    values.sort_by(f64::total_cmp);
                    values.dedup();
                    if values != bands {
                        out.push(Command::SetLtvBands(values));
                    }
                }
                // Show the saved bands again (a bad entry is dropped).
                keep_editing = false;
            }
        });
        if keep_editing {
            self.bands_text = Some(text);
        }
    }

    fn channels_ui(&mut self, ui: &mut egui::Ui, d: &Dashboard, currency: &str, lang: Lang, out: &mut Vec<Command>) {
        ui.horizontal(|ui| {
            ui.strong(t(lang, "dash.channels"));
            ui.selectable_value(&mut self.show_revenue, false, t(lang, "dash.show_customers"));
            ui.selectable_value(&mut self.show_revenue, true, t(lang, "dash.show_revenue"));
        });
        let channels: Vec<&ChannelStats> = d.channels.iter().filter(|c| c.customers > 0).collect();
        let show_revenue = self.show_revenue;
        let bars: Vec<Bar> = channels
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let value = if show_revenue { c.revenue } else { c.customers as f64 };
                Bar::new(i as f64, value)
                    .width(0.7)
                    .name(channel_name(lang, &c.channel))
                    .fill(PALETTE[i % PALETTE.len()])
            })
            .collect();
        let labels: Vec<String> = channels.iter().map(|c| channel_name(lang, &c.channel)).collect();
        let hover: Vec<String> = channels.iter().map(|c| channel_hover(c, currency, lang)).collect();
        let labels_for_axis = labels.clone();
        let response = Plot::new("channels-plot")
            .height(240.0)
            .allow_zoom(false)
            .allow_drag(false)
            .allow_scroll(false)
            .allow_boxed_zoom(false)
            .show_grid([false, true])
            .x_axis_formatter(move |mark, _| {
                let i = mark.value.round();
                if (mark.value - i).abs() < 1e-6 && i >= 0.0 {
                    labels_for_axis.get(i as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .y_axis_formatter(move |mark, _| {
                if show_revenue {
                    format::money(mark.value, "", lang).trim().to_owned()
                } else {
                    count_label(mark.value, lang)
                }
            })
            .label_formatter(|_| None)
            .show(ui, |plot| {
                plot.bar_chart(BarChart::new(t(lang, "dash.channels"), bars));
                plot.pointer_coordinate()
            });
        let hovered = response
            .inner
            .map(|p| p.x.round())
            .filter(|x| *x >= 0.0)
            .map(|x| x as usize)
            .filter(|i| *i < channels.len());
        if let Some(i) = hovered {
            response.response.clone().on_hover_text(&hover[i]);
            if response.response.clicked() {
                out.push(Command::SegmentDraft(channel_rule(&channels[i].channel)));
            }
        }
    }

    /// The hand-typed spend editor; edits go straight into the workspace.
    pub fn spend_editor_ui(&mut self, ctx: &egui::Context, spend: &mut Vec<ManualSpend>, lang: Lang) -> bool {
        if !self.spend_editor_open {
            return false;
        }
        let mut changed = false;
        let mut open = true;
        egui::Window::new(t(lang, "dash.spend_title")).open(&mut open).default_width(460.0).show(ctx, |ui| {
            ui.label(t(lang, "dash.spend_intro"));
            let mut remove = None;
            egui::Grid::new("manual-spend").num_columns(4).striped(true).show(ui, |ui| {
                ui.strong(t(lang, "field.channel"));
                ui.strong(t(lang, "dash.month"));
                ui.strong(t(lang, "field.spend"));
                ui.label("");
                ui.end_row();
                for (i, row) in spend.iter_mut().enumerate() {
                    changed |= ui
                        .add(egui::TextEdit::singleline(&mut row.channel).desired_width(120.0))
                        .on_hover_text(t(lang, "field.channel"))
                        .changed();
                    let month =
                        ui.add(egui::TextEdit::singleline(&mut row.month).desired_width(80.0).hint_text("2026-03"));
                    changed |= month.on_hover_text(t(lang, "dash.month")).changed();
                    changed |=
                        ui.add(egui::DragValue::new(&mut row.amount).speed(100.0).range(0.0..=f64::MAX)).changed();
                    if ui.small_button(t(lang, "import.remove")).clicked() {
                        remove = Some(i);
                    }
                    ui.end_row();
                }
            });
            if let Some(i) = remove {
                spend.remove(i);
                changed = true;
            }
            if ui.button(t(lang, "dash.add_spend")).clicked() {
                let month = spend.last().map_or_else(String::new, |r| r.month.clone());
                spend.push(ManualSpend { channel: String::new(), month, amount: 0.0 });
                changed = true;
            }
            let invalid = spend.iter().filter(|s| s.entry().is_none()).count();
            if invalid > 0 {
                ui.colored_label(ui.visuals().warn_fg_color, t(lang, "dash.spend_invalid"));
            }
        });
        self.spend_editor_open = open;
        changed
    }
}

/// An axis label for a count: whole numbers only (no "1 1 1" for 0.8, 1.0, 1.2).
fn count_label(value: f64, lang: Lang) -> String {
    if (value - value.round()).abs() < 1e-9 { format::number(value, 0, lang) } else { String::new() }
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

fn channel_name(lang: Lang, channel: &str) -> String {
    if channel == UNKNOWN_CHANNEL { t(lang, "dash.unknown").to_owned() } else { channel.to_owned() }
}

/// The segment rule for "customers from this channel".
pub fn channel_rule(channel: &str) -> String {
    if channel == UNKNOWN_CHANNEL {
        "channel is empty".to_owned()
    } else {
        format!("channel = \"{}\"", channel.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// The segment rule for "customers in this LTV band".
pub fn band_rule(band: &LtvBand) -> String {
    let plain = |v: f64| crate::engine::import::table::format_plain_number(v);
    match band.to {
        Some(to) if band.from > 0.0 => format!("ltv >= {} and ltv < {}", plain(band.from), plain(to)),
        Some(to) => format!("ltv < {}", plain(to)),
        None => format!("ltv >= {}", plain(band.from)),
    }
}

fn band_label(band: &LtvBand, currency: &str, lang: Lang) -> String {
    let money = |v: f64| format::money_with(v, 0, currency, lang);
    match band.to {
        Some(to) => format!("{} – {}", money(band.from), money(to)),
        None => format!("{}+", money(band.from)),
    }
}

fn channel_hover(c: &ChannelStats, currency: &str, lang: Lang) -> String {
    let money = |v: Option<f64>| v.map_or_else(|| "—".to_owned(), |v| format::money(v, currency, lang));
    format!(
        "{}\n{}: {}\n{}: {}\n{}: {}\n{}: {}",
        c.channel,
        t(lang, "dash.customers"),
        format::count(c.customers, lang),
        t(lang, "dash.revenue"),
        format::money(c.revenue, currency, lang),
        t(lang, "dash.avg_ltv"),
        money(c.avg_ltv),
        t(lang, "dash.cac"),
        money(c.cac)
    )
}

/// One metric card: title, value, change against the previous period.
struct Card<'a> {
    title: &'static str,
    value: String,
    change: Option<String>,
    /// Up is good (false for CAC, where lower is better).
    up_is_good: bool,
    rising: Option<bool>,
    hint: &'a str,
}

fn relative_change(now: Option<f64>, before: Option<f64>, lang: Lang) -> (Option<String>, Option<bool>) {
    match (now, before) {
        (Some(n), Some(b)) if b.abs() > f64::EPSILON => {
            let change = (n - b) / b.abs();
            let arrow = if change >= 0.0 { "▲" } else { "▼" };
            (Some(format!("{arrow} {}", format::percent(change.abs(), lang))), Some(change >= 0.0))
        }
        _ => (None, None),
    }
}

fn cards_ui(ui: &mut egui::Ui, d: &Dashboard, currency: &str, lang: Lang, spend_editor_open: &mut bool) {
    let h = &d.headline;
    let p: Option<&Headline> = d.previous.as_ref();
    let money = |v: Option<f64>| v.map_or_else(|| "—".to_owned(), |v| format::money(v, currency, lang));
    let count_f = |v: usize| Some(v as f64);
    let mut cards = Vec::new();
    let (change, rising) = relative_change(count_f(h.customers), p.map(|p| p.customers as f64), lang);
    cards.push(Card {
        title: "dash.total_customers",
        value: format::count(h.customers, lang),
        change,
        up_is_good: true,
        rising,
        hint: t(lang, "dash.hint_customers"),
    });
    let (change, rising) = relative_change(h.avg_ltv, p.and_then(|p| p.avg_ltv), lang);
    cards.push(Card {
        title: "dash.avg_ltv",
        value: money(h.avg_ltv),
        change,
        up_is_good: true,
        rising,
        hint: t(lang, "dash.hint_ltv"),
    });
    let (change, rising) = relative_change(h.cac, p.and_then(|p| p.cac), lang);
    let cac_hint = if d.has_spend {
        if h.new_customers == 0 { t(lang, "dash.hint_cac_no_new") } else { t(lang, "dash.hint_cac") }
    } else {
        t(lang, "dash.hint_no_spend")
    };
    cards.push(Card { title: "dash.cac", value: money(h.cac), change, up_is_good: false, rising, hint: cac_hint });
    let (change, rising) = relative_change(h.total_revenue, p.and_then(|p| p.total_revenue), lang);
    cards.push(Card {
        title: "dash.revenue",
        value: money(h.total_revenue),
        change,
        up_is_good: true,
        rising,
        hint: t(lang, "dash.hint_revenue"),
    });
    let (change, rising) = relative_change(h.aov, p.and_then(|p| p.aov), lang);
    cards.push(Card {
        title: "dash.aov",
        value: money(h.aov),
        change,
        up_is_good: true,
        rising,
        hint: t(lang, "dash.hint_aov"),
    });
    let (change, rising) = match (h.repeat_rate, p.and_then(|p| p.repeat_rate)) {
        (Some(n), Some(b)) => {
            let pts = (n - b) * 100.0;
            let arrow = if pts >= 0.0 { "▲" } else { "▼" };
            (
                Some(format!("{arrow} {} {}", format::number(pts.abs(), 1, lang), t(lang, "dash.points"))),
                Some(pts >= 0.0),
            )
        }
        _ => (None, None),
    };
    cards.push(Card {
        title: "dash.repeat_rate",
        value: h.repeat_rate.map_or_else(|| "—".to_owned(), |r| format::percent(r, lang)),
        change,
        up_is_good: true,
        rising,
        hint: t(lang, "dash.hint_repeat"),
    });
    let (change, rising) = relative_change(h.ltv_cac, p.and_then(|p| p.ltv_cac), lang);
    cards.push(Card {
        title: "dash.ltv_cac",
        value: h.ltv_cac.map_or_else(|| "—".to_owned(), |r| format!("{}×", format::number(r, 2, lang))),
        change,
        up_is_good: true,
        rising,
        hint: if d.has_spend { t(lang, "dash.hint_ltv_cac") } else { t(lang, "dash.hint_no_spend") },
    });
    ui.horizontal_wrapped(|ui| {
        for card in cards {
            egui::Frame::group(ui.style()).inner_margin(10.0).show(ui, |ui| {
                ui.set_width(150.0);
                ui.vertical(|ui| {
                    ui.weak(t(lang, card.title));
                    ui.label(egui::RichText::new(&card.value).size(22.0).strong()).on_hover_text(card.hint);
                    match (&card.change, card.rising) {
                        (Some(text), Some(rising)) => {
                            let good = rising == card.up_is_good;
                            let color = if good { Color32::from_rgb(44, 160, 44) } else { ui.visuals().error_fg_color };
                            ui.colored_label(color, text).on_hover_text(t(lang, "dash.vs_previous"));
                        }
                        _ if card.value == "—" => {
                            ui.weak(card.hint);
                            if card.title == "dash.cac"
                                && !d.has_spend
                                && ui.small_button(t(lang, "dash.edit_spend")).clicked()
                            {
                                *spend_editor_open = true;
                            }
                        }
                        _ => {
                            ui.weak(" ");
                        }
                    }
                });
            });
        }
    });
}

/// Customers by LTV band as a pie chart, with a clickable legend.
fn ltv_pie_ui(ui: &mut egui::Ui, bands: &[LtvBand], currency: &str, lang: Lang, out: &mut Vec<Command>) {
    ui.strong(t(lang, "dash.by_ltv"));
    let total: usize = bands.iter().map(|b| b.customers).sum();
    if total == 0 {
        ui.weak(t(lang, "dash.no_ltv"));
        return;
    }
    ui.horizontal(|ui| {
        let mut start = 0.0f64;
        let slices: Vec<(f64, f64)> = bands
            .iter()
            .map(|b| {
                let share = b.customers as f64 / total as f64;
                let s = (start, start + share);
                start += share;
                s
            })
            .collect();
        let response = Plot::new("ltv-pie")
            .width(240.0)
            .height(240.0)
            .data_aspect(1.0)
            .show_axes(false)
            .show_grid(false)
            .allow_zoom(false)
            .allow_drag(false)
            .allow_scroll(false)
            .allow_boxed_zoom(false)
            .include_y(-1.05)
            .include_y(1.05)
            .label_formatter(|_| None)
            .show(ui, |plot| {
                for (i, (band, (a, b))) in bands.iter().zip(&slices).enumerate() {
                    if band.customers == 0 {
                        continue;
                    }
                    plot.polygon(
                        Polygon::new(band_label(band, currency, lang), PlotPoints::from(slice_points(*a, *b)))
                            .fill_color(PALETTE[i % PALETTE.len()])
                            .stroke(egui::Stroke::new(1.0, ui_background())),
                    );
                }
                plot.pointer_coordinate()
            });
        let hovered = response.inner.and_then(|p| {
            let r = p.x.hypot(p.y);
            if r > 1.0 {
                return None;
            }
            // Angle measured clockwise from 12 o'clock, as the slices are drawn.
            let turn = (p.x.atan2(p.y) / std::f64::consts::TAU).rem_euclid(1.0);
            slices.iter().position(|(a, b)| turn >= *a && turn < *b)
        });
        if let Some(i) = hovered {
            let band = &bands[i];
            response.response.clone().on_hover_text(format!(
                "{}\n{} · {}\n{}: {}",
                band_label(band, currency, lang),
                format::count(band.customers, lang),
                format::percent(band.customers as f64 / total as f64, lang),
                t(lang, "dash.avg_ltv"),
                band.avg_ltv.map_or_else(|| "—".to_owned(), |v| format::money(v, currency, lang))
            ));
            if response.response.clicked() {
                out.push(Command::SegmentDraft(band_rule(band)));
            }
        }
        ui.vertical(|ui| {
            for (i, band) in bands.iter().enumerate() {
                ui.horizontal(|ui| {
                    let (rect, _) = ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
                    ui.painter().rect_filled(rect, 2.0, PALETTE[i % PALETTE.len()]);
                    let text = format!(
                        "{}: {} ({})",
                        band_label(band, currency, lang),
                        format::count(band.customers, lang),
                        format::percent(band.customers as f64 / total as f64, lang)
                    );
                    if ui.link(text).on_hover_text(t(lang, "dash.click_to_segment")).clicked() {
                        out.push(Command::SegmentDraft(band_rule(band)));
                    }
                });
            }
        });
    });
}

fn ui_background() -> Color32 {
    Color32::from_gray(128)
}

/// Points of a pie slice from `a` to `b` (fractions of a turn, clockwise from 12 o'clock).
fn slice_points(a: f64, b: f64) -> Vec<[f64; 2]> {
    let steps = ((b - a) * 120.0).ceil().max(2.0) as usize;
    let mut points = vec![[0.0, 0.0]];
    for s in 0..=steps {
        let turn = a + (b - a) * s as f64 / steps as f64;
        let angle = turn * std::f64::consts::TAU;
        points.push([angle.sin(), angle.cos()]);
    }
    points
}

fn growth_ui(ui: &mut egui::Ui, d: &Dashboard, lang: Lang) {
    ui.strong(t(lang, "dash.growth"));
    if d.growth.is_empty() {
        ui.weak(t(lang, "dash.no_dates"));
        return;
    }
    let new: Vec<[f64; 2]> = d.growth.iter().enumerate().map(|(i, g)| [i as f64, g.new as f64]).collect();
    let cumulative: Vec<[f64; 2]> = d.growth.iter().enumerate().map(|(i, g)| [i as f64, g.cumulative as f64]).collect();
    let months: Vec<String> = d.growth.iter().map(|g| format::month(g.first_day, lang)).collect();
    let months_for_label = months.clone();
    Plot::new("growth-plot")
        .height(220.0)
        .legend(Legend::default().position(egui_plot::Corner::LeftTop))
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .x_axis_formatter(move |mark, _| {
            let i = mark.value.round();
            if (mark.value - i).abs() < 1e-6 && i >= 0.0 {
                months.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .y_axis_formatter(move |mark, _| count_label(mark.value, lang))
        .label_formatter(move |hover| {
            let egui_plot::HoverPosition::NearDataPoint { plot_name, position, .. } = hover else { return None };
            let i = position.x.round();
            let month =
                if i >= 0.0 { months_for_label.get(i as usize).cloned().unwrap_or_default() } else { String::new() };
            Some(format!("{plot_name}\n{month}: {}", format::number(position.y, 0, lang)))
        })
        .show(ui, |plot| {
            plot.line(Line::new(t(lang, "dash.cumulative"), PlotPoints::from(cumulative)).color(PALETTE[0]).width(2.0));
            plot.line(Line::new(t(lang, "dash.new_per_month"), PlotPoints::from(new)).color(PALETTE[1]).width(2.0));
        });
}

fn channel_table_ui(ui: &mut egui::Ui, channels: &[ChannelStats], currency: &str, lang: Lang, out: &mut Vec<Command>) {
    let money = |v: Option<f64>| v.map_or_else(|| "—".to_owned(), |v| format::money(v, currency, lang));
    egui::Grid::new("channel-table").striped(true).num_columns(6).show(ui, |ui| {
        for key in ["dash.channel", "dash.customers", "dash.new_customers", "dash.spend", "dash.cac", "dash.avg_ltv"] {
            ui.strong(t(lang, key));
        }
        ui.end_row();
        for c in channels {
            if ui.link(channel_name(lang, &c.channel)).on_hover_text(t(lang, "dash.click_to_segment")).clicked() {
                out.push(Command::SegmentDraft(channel_rule(&c.channel)));
            }
            ui.label(format::count(c.customers, lang));
            ui.label(format::count(c.new_customers, lang));
            ui.label(money(c.spend));
            ui.label(money(c.cac));
            ui.label(money(c.avg_ltv));
            ui.end_row();
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn count_axes_label_whole_numbers_only() {
        assert_eq!(count_label(2.0, Lang::Tr), "2");
        assert_eq!(count_label(1200.0, Lang::Tr), "1.200");
        assert_eq!(count_label(0.8, Lang::En), "");
        assert_eq!(
            band_rule(&LtvBand { from: 1000.0, to: Some(5000.0), customers: 0, avg_ltv: None }),
            "ltv >= 1000 and ltv < 5000"
        );
        assert_eq!(channel_rule("Mağaza \"A\""), "channel = \"Mağaza \\\"A\\\"\"");
    }
}
