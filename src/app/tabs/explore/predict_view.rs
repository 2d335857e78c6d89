//! Predicted value on screen, in what a marketer acts on: expected purchases, the
//! chance a customer is still active, predicted 12-month value and, in words, how
//! well the model matched a holdout period; the fitted parameters stay in a
//! "model details" fold. Also a ready segment of VIPs slipping away. Too few
//! repeat buyers or a failed fit says so and shows no numbers.

use egui_plot::{Legend, Line, PlotPoints, Points};

use super::{ExploreTab, PredictAverages, status_ui};
use crate::app::i18n::{Lang, field_label, t};
use crate::app::tabs::TabContext;
use crate::app::widgets::plots::fixed_plot;
use crate::app::widgets::theme::series_colour;
use crate::engine::explore::predict::{Holdout, Prediction, TRUST_MIN_BUYERS, TRUST_MIN_DAYS, Verdict};
use crate::format;

pub(super) fn predict_ui(tab: &mut ExploreTab, ui: &mut egui::Ui, ctx: &TabContext<'_>) {
    let lang = ctx.lang;
    let fields = ["p_alive", "expected_orders_90d", "predicted_clv_12m"].map(|f| field_label(lang, f));
    ui.label(
        t(lang, "explore.predict_intro")
            .replace("{0}", &fields[0])
            .replace("{1}", &fields[1])
            .replace("{2}", &fields[2]),
    );
    status_ui(ui, &tab.predict, lang);
    let Some(view) = tab.prediction().cloned() else { return };
    let prediction = match &view.prediction {
        Ok(p) => p,
        Err(why) => {
            ui.add_space(8.0);
            ui.colored_label(ui.visuals().warn_fg_color, t(lang, "explore.no_prediction").replace("{0}", why));
            return;
        }
    };
    ui.add_space(8.0);
    summary_ui(ui, ctx, prediction, &view.averages, view.holdout.as_ref().and_then(|h| h.as_ref().ok()));
    egui::CollapsingHeader::new(t(lang, "explore.model_details"))
        .id_salt("predict-details")
        .show(ui, |ui| parameters_ui(ui, prediction, lang));
    if ctx.data.field("p_alive").is_some() && ctx.data.field("rfm_m").is_some() {
        ui.add_space(8.0);
        if ui.button(t(lang, "explore.slipping")).on_hover_text(t(lang, "explore.slipping_hint")).clicked() {
            ctx.draft(crate::engine::explore::predict::slipping_rule());
        }
    }
    if !view.win_back.is_empty() {
        ui.add_space(12.0);
        win_back_ui(ui, ctx, &view.win_back);
    }
    match &view.holdout {
        Some(Ok(holdout)) => {
            ui.add_space(12.0);
            holdout_ui(ui, holdout, lang);
            ui.add_space(12.0);
            trust_ui(ui, ctx, holdout);
        }
        Some(Err(why)) => {
            ui.add_space(12.0);
            ui.strong(t(lang, "explore.holdout"));
            ui.weak(t(lang, "explore.no_prediction").replace("{0}", why));
        }
        None => {}
    }
}

/// The holdout check's verdict in words (the rule is the engine's, see [`Verdict`]).
pub fn verdict_key(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Good => "explore.verdict_good",
        Verdict::Rough => "explore.verdict_rough",
        Verdict::Poor => "explore.verdict_poor",
        Verdict::TooLittleData => "explore.verdict_too_little",
    }
}

/// The numbers to act on: buyers, expected purchases, chance still active,
/// predicted value (averages over the customers with orders), and the verdict.
fn summary_ui(
    ui: &mut egui::Ui,
    ctx: &TabContext<'_>,
    p: &Prediction,
    averages: &PredictAverages,
    holdout: Option<&Holdout>,
) {
    let lang = ctx.lang;
    egui::Grid::new("predict-summary").striped(true).spacing([16.0, 4.0]).show(ui, |ui| {
        ui.label(t(lang, "explore.buyers"));
        ui.label(format::count(p.customers, lang));
        ui.end_row();
        ui.label(t(lang, "explore.repeat_buyers"));
        ui.label(format::count(p.repeat_customers, lang));
        ui.end_row();
        ui.label(t(lang, "explore.avg_expected"));
        ui.label(averages.expected_orders_90d.map_or_else(|| "—".to_owned(), |v| format::number(v, 2, lang)));
        ui.end_row();
        ui.label(t(lang, "explore.avg_alive"));
        ui.label(averages.p_alive.map_or_else(|| "—".to_owned(), |v| format::percent(v, lang)));
        ui.end_row();
        ui.label(t(lang, "explore.total_clv"));
        match averages.clv_12m_total.filter(|_| p.gamma_gamma.is_some()) {
            Some(v) => ui.label(format::money(v, ctx.currency(), lang)),
            None => ui.weak(t(lang, "explore.no_spend_model")),
        };
        ui.end_row();
        if let Some(holdout) = holdout {
            ui.label(t(lang, "explore.how_well"));
            let verdict = t(lang, verdict_key(holdout.verdict));
            let shown = if holdout.verdict == Verdict::Poor {
                ui.colored_label(ui.visuals().warn_fg_color, verdict)
            } else {
                ui.strong(verdict)
            };
            shown.on_hover_text(t(lang, "explore.verdict_rule"));
            ui.end_row();
        }
    });
}

/// The fitted models' parameters, for those who want them.
fn parameters_ui(ui: &mut egui::Ui, p: &Prediction, lang: Lang) {
    let num = |v: f64| format::number(v, 3, lang);
    egui::Grid::new("predict-params").striped(true).spacing([16.0, 4.0]).show(ui, |ui| {
        let b = &p.bgnbd;
        ui.label(t(lang, "explore.bgnbd"));
        ui.label(format!(
            "r = {}, α = {}, a = {}, b = {}; {} {}",
            num(b.r),
            num(b.alpha),
            num(b.a),
            num(b.b),
            t(lang, "explore.log_likelihood"),
            format::number(b.log_likelihood, 1, lang)
        ));
        ui.end_row();
        ui.label(t(lang, "explore.gamma_gamma"));
        match &p.gamma_gamma {
            Some(g) => ui.label(format!(
                "p = {}, q = {}, v = {}; {} {}",
                num(g.p),
                num(g.q),
                num(g.v),
                t(lang, "explore.log_likelihood"),
                format::number(g.log_likelihood, 1, lang)
            )),
            None => ui.weak(t(lang, "explore.no_spend_model")),
        };
        ui.end_row();
    });
}

/// Average holdout purchases by calibration repeat purchases: actual against
/// predicted, and the totals in words.
fn holdout_ui(ui: &mut egui::Ui, h: &Holdout, lang: Lang) {
    ui.strong(t(lang, "explore.holdout"));
    let change = if h.actual_total > 0.0 {
        let diff = (h.predicted_total - h.actual_total) / h.actual_total;
        format!("{}{}", if diff >= 0.0 { "+" } else { "" }, format::percent(diff, lang))
    } else {
        "—".to_owned()
    };
    ui.label(
        t(lang, "explore.holdout_text")
            .replace("{0}", &format::date(h.calibration_end, lang))
            .replace("{1}", &h.holdout_days.to_string())
            .replace("{2}", &format::number(h.actual_total, 0, lang))
            .replace("{3}", &format::number(h.predicted_total, 0, lang))
            .replace("{4}", &change),
    );
    let at = |f: fn(&crate::engine::explore::predict::HoldoutRow) -> f64| -> Vec<[f64; 2]> {
        h.rows.iter().map(|r| [r.x as f64, f(r)]).collect()
    };
    let (actual, predicted) = (at(|r| r.actual), at(|r| r.predicted));
    let last = h.rows.last().map_or(0, |r| r.x);
    fixed_plot("holdout-plot")
        .height(220.0)
        .width(520.0)
        .legend(Legend::default().position(egui_plot::Corner::LeftTop))
        .x_axis_label(t(lang, "explore.holdout_x"))
        .y_axis_label(t(lang, "explore.holdout_y"))
        .x_axis_formatter(move |mark, _| {
            let x = mark.value.round();
            if (mark.value - x).abs() > 1e-6 || x < 0.0 {
                String::new()
            } else if x as usize == last && last >= 7 {
                format!("{x}+")
            } else {
                format!("{x}")
            }
        })
        .show(ui, |plot| {
            let (a, p) = (t(lang, "explore.actual"), t(lang, "explore.predicted"));
            plot.line(Line::new(a, PlotPoints::from(actual.clone())).color(series_colour(0)).width(2.0));
            plot.points(Points::new(a, PlotPoints::from(actual)).color(series_colour(0)).radius(3.0));
            plot.line(Line::new(p, PlotPoints::from(predicted.clone())).color(series_colour(1)).width(2.0));
            plot.points(Points::new(p, PlotPoints::from(predicted)).color(series_colour(1)).radius(3.0));
        });
}

/// The trust panel: per tenth of customers (ranked by predicted purchases), what
/// the model predicted for the holdout period and what they really bought and
/// spent; the verdict with its rule, and the data the check needs.
fn trust_ui(ui: &mut egui::Ui, ctx: &TabContext<'_>, h: &Holdout) {
    let lang = ctx.lang;
    ui.strong(t(lang, "explore.trust"));
    ui.add(egui::Label::new(t(lang, "explore.trust_intro")).wrap());
    if !h.deciles.is_empty() {
        let number = |v: f64| format::number(v, 2, lang);
        let money = |v: Option<f64>| format::money_or_dash(v, ctx.currency(), lang);
        egui::Grid::new("trust-deciles").striped(true).spacing([14.0, 3.0]).show(ui, |ui| {
            for key in [
                "explore.decile",
                "explore.customers",
                "explore.predicted_purchases",
                "explore.actual_purchases",
                "explore.predicted_spend",
                "explore.actual_spend",
            ] {
                ui.strong(t(lang, key));
            }
            ui.end_row();
            for d in &h.deciles {
                ui.label(d.decile.to_string());
                ui.label(format::count(d.customers, lang));
                ui.label(number(d.predicted));
                ui.label(number(d.actual));
                ui.label(money(d.predicted_revenue));
                ui.label(money(Some(d.actual_revenue)));
                ui.end_row();
            }
        });
        let bars = |offset: f64,
                    colour: usize,
                    name: &str,
                    value: fn(&crate::engine::explore::predict::Decile) -> f64| {
            let bars: Vec<egui_plot::Bar> =
                h.deciles.iter().map(|d| egui_plot::Bar::new(d.decile as f64 + offset, value(d)).width(0.38)).collect();
            egui_plot::BarChart::new(name, bars).color(series_colour(colour))
        };
        ui.add_space(6.0);
        fixed_plot("trust-plot")
            .height(200.0)
            .width(520.0)
            .legend(Legend::default().position(egui_plot::Corner::RightTop))
            .include_x(0.4)
            .include_x(10.6)
            .x_axis_label(t(lang, "explore.decile"))
            .x_grid_spacer(|_| (1..=10).map(|d| egui_plot::GridMark { value: f64::from(d), step_size: 1.0 }).collect())
            .x_axis_formatter(|mark, _| format!("{}", mark.value.round()))
            .y_axis_label(t(lang, "explore.holdout_y"))
            .show(ui, |plot| {
                plot.bar_chart(bars(-0.2, 1, t(lang, "explore.predicted"), |d| d.predicted));
                plot.bar_chart(bars(0.2, 0, t(lang, "explore.actual"), |d| d.actual));
            });
    }
    egui::Grid::new("trust-verdict").spacing([16.0, 4.0]).show(ui, |ui| {
        ui.label(t(lang, "explore.decile_error"));
        ui.label(h.decile_error.map_or_else(|| "—".to_owned(), |e| format::percent(e, lang)));
        ui.end_row();
        ui.label(t(lang, "explore.how_well"));
        ui.strong(t(lang, verdict_key(h.verdict)));
        ui.end_row();
    });
    ui.add(egui::Label::new(egui::RichText::new(t(lang, "explore.verdict_rule")).weak()).wrap());
    ui.add(
        egui::Label::new(
            egui::RichText::new(
                t(lang, "explore.minimums")
                    .replace("{0}", &format::count(TRUST_MIN_BUYERS, lang))
                    .replace("{1}", &TRUST_MIN_DAYS.to_string())
                    .replace("{2}", &format::count(h.customers, lang))
                    .replace("{3}", &format::count(usize::try_from(h.calibration_days).unwrap_or(0), lang)),
            )
            .weak(),
        )
        .wrap(),
    );
}

/// The customers with the most value lost if they have churned, and one click to
/// all of them (the top 5%) as a segment.
fn win_back_ui(ui: &mut egui::Ui, ctx: &TabContext<'_>, list: &[super::WinBack]) {
    let lang = ctx.lang;
    ui.strong(t(lang, "explore.win_back"));
    ui.add(egui::Label::new(t(lang, "explore.win_back_intro")).wrap());
    egui::Grid::new("win-back").striped(true).spacing([14.0, 3.0]).show(ui, |ui| {
        ui.strong(t(lang, "explore.customer"));
        ui.strong(field_label(lang, "ltv"));
        ui.strong(field_label(lang, "p_alive"));
        ui.strong(field_label(lang, "win_back_value"));
        ui.end_row();
        for c in list {
            ui.label(&c.who);
            ui.label(format::money_or_dash(c.ltv, ctx.currency(), lang));
            ui.label(c.p_alive.map_or_else(|| "—".to_owned(), |p| format::percent(p, lang)));
            ui.label(format::money(c.value, ctx.currency(), lang));
            ui.end_row();
        }
    });
    if ui.button(t(lang, "explore.win_back_open")).clicked() {
        ctx.draft(crate::engine::explore::predict::win_back_rule());
    }
}
