//! Predicted value on screen, in what a marketer acts on: expected purchases, the
//! chance a customer is still active, predicted 12-month value and, in words, how
//! well the model matched a holdout period; the fitted parameters stay in a
//! "model details" fold. Also a ready segment of VIPs slipping away. Too few
//! repeat buyers or a failed fit says so and shows no numbers.

use egui_plot::{Legend, Line, PlotPoints, Points};

use super::{ExploreTab, PredictAverages, status_ui};
use crate::app::command::SegmentCommand;
use crate::app::i18n::{Lang, field_label, t};
use crate::app::tabs::TabContext;
use crate::app::widgets::plots::fixed_plot;
use crate::app::widgets::theme::series_colour;
use crate::engine::explore::predict::{Holdout, Prediction};
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
    if ctx.doc.data.field("p_alive").is_some() && ctx.doc.data.field("rfm_m").is_some() {
        ui.add_space(8.0);
        if ui.button(t(lang, "explore.slipping")).on_hover_text(t(lang, "explore.slipping_hint")).clicked() {
            ctx.send(SegmentCommand::Draft(crate::engine::explore::predict::slipping_rule()));
        }
    }
    match &view.holdout {
        Some(Ok(holdout)) => {
            ui.add_space(12.0);
            holdout_ui(ui, holdout, lang);
        }
        Some(Err(why)) => {
            ui.add_space(12.0);
            ui.strong(t(lang, "explore.holdout"));
            ui.weak(t(lang, "explore.no_prediction").replace("{0}", why));
        }
        None => {}
    }
}

/// How close the model came to the holdout's real repeat purchases, in words: within
/// 10% is good, within 25% rough, beyond that not to be relied on.
pub fn holdout_verdict(h: &Holdout) -> Option<&'static str> {
    (h.actual_total > 0.0).then(|| match ((h.predicted_total - h.actual_total) / h.actual_total).abs() {
        e if e <= 0.10 => "explore.verdict_good",
        e if e <= 0.25 => "explore.verdict_rough",
        _ => "explore.verdict_poor",
    })
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
        if let Some(verdict) = holdout.and_then(holdout_verdict) {
            ui.label(t(lang, "explore.how_well"));
            ui.strong(t(lang, verdict)).on_hover_text(t(lang, "explore.verdict_rule"));
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
