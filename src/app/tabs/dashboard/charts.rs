//! The dashboard's charts: customers by LTV band (a pie with a clickable legend),
//! acquisition channels (bars of customers or revenue), customer growth (lines)
//! and the channel table. Clicking a band or a channel opens a segment draft.

use egui_plot::{BarChart, Legend, Line, PlotPoints};

use crate::app::i18n::{Lang, t};
use crate::app::tabs::TabContext;
use crate::app::widgets::plots::{PieSlice, category_label, count_label, fixed_plot, legend_swatch, pie_ui};
use crate::app::widgets::theme::series_colour;
use crate::engine::dashboard::{ChannelStats, Dashboard, LtvBand, MonthGrowth, UNKNOWN_CHANNEL};
use crate::engine::segment::rules::{band_rule, channel_rule};
use crate::format;

fn channel_name(lang: Lang, channel: &str) -> String {
    if channel == UNKNOWN_CHANNEL { t(lang, "dash.unknown").to_owned() } else { channel.to_owned() }
}

fn band_label(band: &LtvBand, currency: &str, lang: Lang) -> String {
    let money = |v: f64| format::money_with(v, 0, currency, lang);
    match band.to {
        Some(to) => format!("{} – {}", money(band.from), money(to)),
        None => format!("{}+", money(band.from)),
    }
}

fn channel_hover(c: &ChannelStats, currency: &str, lang: Lang) -> String {
    format!(
        "{}\n{}: {}\n{}: {}\n{}: {}\n{}: {}",
        c.channel,
        t(lang, "dash.customers"),
        format::count(c.customers, lang),
        t(lang, "dash.revenue"),
        format::money(c.revenue, currency, lang),
        t(lang, "dash.avg_ltv"),
        format::money_or_dash(c.avg_ltv, currency, lang),
        t(lang, "dash.cac"),
        format::money_or_dash(c.cac, currency, lang)
    )
}

/// Customers by LTV band as a pie chart, with a clickable legend.
pub fn ltv_pie_ui(ui: &mut egui::Ui, bands: &[LtvBand], ctx: &TabContext<'_>) {
    let (lang, currency) = (ctx.lang, ctx.currency());
    ui.strong(t(lang, "dash.by_ltv"));
    let total: usize = bands.iter().map(|b| b.customers).sum();
    if total == 0 {
        ui.weak(t(lang, "dash.no_ltv"));
        return;
    }
    let share = |b: &LtvBand| format::percent(b.customers as f64 / total as f64, lang);
    ui.horizontal(|ui| {
        let slices: Vec<PieSlice> =
            bands.iter().map(|b| PieSlice { name: band_label(b, currency, lang), value: b.customers }).collect();
        let pie = pie_ui(ui, "ltv-pie", &slices, 240.0);
        if let Some(band) = pie.hovered.and_then(|i| bands.get(i)) {
            pie.response.clone().on_hover_text(format!(
                "{}\n{} · {}\n{}: {}",
                band_label(band, currency, lang),
                format::count(band.customers, lang),
                share(band),
                t(lang, "dash.avg_ltv"),
                format::money_or_dash(band.avg_ltv, currency, lang)
            ));
            if pie.response.clicked() {
                ctx.draft(band_rule(band));
            }
        }
        ui.vertical(|ui| {
            for (i, band) in bands.iter().enumerate() {
                ui.horizontal(|ui| {
                    legend_swatch(ui, i);
                    let text = format!(
                        "{}: {} ({})",
                        band_label(band, currency, lang),
                        format::count(band.customers, lang),
                        share(band)
                    );
                    if ui.link(text).on_hover_text(t(lang, "dash.click_to_segment")).clicked() {
                        ctx.draft(band_rule(band));
                    }
                });
            }
        });
    });
}

/// Channels as bars (customers or revenue); a click opens the channel's segment.
pub fn channels_ui(ui: &mut egui::Ui, d: &Dashboard, show_revenue: &mut bool, ctx: &TabContext<'_>) {
    let (lang, currency) = (ctx.lang, ctx.currency());
    ui.horizontal(|ui| {
        ui.strong(t(lang, "dash.channels"));
        ui.selectable_value(show_revenue, false, t(lang, "dash.show_customers"));
        ui.selectable_value(show_revenue, true, t(lang, "dash.show_revenue"));
    });
    let show_revenue = *show_revenue;
    let channels: Vec<&ChannelStats> = d.channels.iter().filter(|c| c.customers > 0).collect();
    let bars: Vec<egui_plot::Bar> = channels
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let value = if show_revenue { c.revenue } else { c.customers as f64 };
            egui_plot::Bar::new(i as f64, value).width(0.7).name(channel_name(lang, &c.channel)).fill(series_colour(i))
        })
        .collect();
    let labels: Vec<String> = channels.iter().map(|c| channel_name(lang, &c.channel)).collect();
    let shown = fixed_plot("channels-plot")
        .height(240.0)
        .show_grid([false, true])
        .x_axis_formatter(move |mark, _| category_label(&labels, mark.value))
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
    let hovered = shown.inner.map(|p| p.x.round()).filter(|x| *x >= 0.0).and_then(|x| channels.get(x as usize));
    if let Some(channel) = hovered {
        shown.response.clone().on_hover_text(channel_hover(channel, currency, lang));
        if shown.response.clicked() {
            ctx.draft(channel_rule(&channel.channel));
        }
    }
}

/// New and cumulative customers per month.
pub fn growth_ui(ui: &mut egui::Ui, d: &Dashboard, lang: Lang) {
    ui.strong(t(lang, "dash.growth"));
    if d.growth.is_empty() {
        ui.weak(t(lang, "dash.no_dates"));
        return;
    }
    // A month the period covers only in part is drawn dashed, so its smaller count
    // does not read as a drop.
    let points = |value: fn(&MonthGrowth) -> usize, partial: bool| -> Vec<[f64; 2]> {
        d.growth
            .iter()
            .enumerate()
            .filter(|(i, g)| {
                let next_partial = d.growth.get(i + 1).is_some_and(|n| n.partial);
                let previous_partial = i.checked_sub(1).and_then(|p| d.growth.get(p)).is_some_and(|p| p.partial);
                if partial { g.partial || next_partial || previous_partial } else { !g.partial }
            })
            .map(|(i, g)| [i as f64, value(g) as f64])
            .collect()
    };
    let new = points(|g| g.new, false);
    let new_partial = points(|g| g.new, true);
    let cumulative: Vec<[f64; 2]> = d.growth.iter().enumerate().map(|(i, g)| [i as f64, g.cumulative as f64]).collect();
    let months: Vec<String> = d
        .growth
        .iter()
        .map(|g| {
            let month = format::month(g.first_day, lang);
            if g.partial { format!("{month} ({})", t(lang, "dash.partial_month")) } else { month }
        })
        .collect();
    let months_for_label = months.clone();
    fixed_plot("growth-plot")
        .height(220.0)
        .legend(Legend::default().position(egui_plot::Corner::LeftTop))
        .x_axis_formatter(move |mark, _| category_label(&months, mark.value))
        .y_axis_formatter(move |mark, _| count_label(mark.value, lang))
        .label_formatter(move |hover| {
            let egui_plot::HoverPosition::NearDataPoint { plot_name, position, .. } = hover else { return None };
            let month = category_label(&months_for_label, position.x.round());
            Some(format!("{plot_name}\n{month}: {}", format::number(position.y, 0, lang)))
        })
        .show(ui, |plot| {
            plot.line(
                Line::new(t(lang, "dash.cumulative"), PlotPoints::from(cumulative)).color(series_colour(0)).width(2.0),
            );
            plot.line(
                Line::new(t(lang, "dash.new_per_month"), PlotPoints::from(new)).color(series_colour(1)).width(2.0),
            );
            if d.growth.iter().any(|g| g.partial) {
                let style = egui_plot::LineStyle::dashed_loose();
                let name = format!("{} ({})", t(lang, "dash.new_per_month"), t(lang, "dash.partial_month"));
                plot.line(Line::new(name, PlotPoints::from(new_partial)).color(series_colour(1)).style(style));
            }
        });
}

/// Every channel's numbers; a channel's name opens its segment.
pub fn channel_table_ui(ui: &mut egui::Ui, channels: &[ChannelStats], ctx: &TabContext<'_>) {
    let (lang, currency) = (ctx.lang, ctx.currency());
    egui::Grid::new("channel-table").striped(true).num_columns(6).show(ui, |ui| {
        for key in ["dash.channel", "dash.customers", "dash.new_customers", "dash.spend", "dash.cac", "dash.avg_ltv"] {
            ui.strong(t(lang, key));
        }
        ui.end_row();
        for c in channels {
            if ui.link(channel_name(lang, &c.channel)).on_hover_text(t(lang, "dash.click_to_segment")).clicked() {
                ctx.draft(channel_rule(&c.channel));
            }
            ui.label(format::count(c.customers, lang));
            ui.label(format::count(c.new_customers, lang));
            ui.label(format::money_or_dash(c.spend, currency, lang));
            ui.label(format::money_or_dash(c.cac, currency, lang));
            ui.label(format::money_or_dash(c.avg_ltv, currency, lang));
            ui.end_row();
        }
    });
}
