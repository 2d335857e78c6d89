//! Tab 4, Explore: new audiences found in the raw data. RFM groups and the R × F
//! grid ([`rfm_view`]), any two fields against each other ([`crosstab_view`]) and
//! predicted value with its holdout check ([`predict_view`]), clusters turned into
//! rules and suggested audiences ([`found_view`]). Every figure is
//! computed in the background per data version; every cell or group opens a
//! segment draft with the rule that finds exactly its customers.

pub mod cohort_view;
mod crosstab_view;
mod found_view;
pub mod predict_view;
mod rfm_view;

use std::sync::Arc;

use super::{Tab, TabContext, TabView};
use crate::app::i18n::t;
use crate::app::keyed::Keyed;
use crate::engine::cohorts::{Cohorts, cohorts};
use crate::engine::explore::audiences::{Suggestion, suggested};
use crate::engine::explore::clusters::{Clusters, clusters};
use crate::engine::explore::crosstab::{Crosstab, Measure, crosstab};
use crate::engine::explore::predict::{Holdout, Prediction};
use crate::engine::explore::rfm::{Rfm, rfm};

/// The part of Explore on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ExploreView {
    #[default]
    Rfm,
    Crosstab,
    Predict,
    Clusters,
    Suggested,
    Cohorts,
}

/// What colours the R × F grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GridColour {
    #[default]
    Count,
    AvgLtv,
}

/// What decides a cross-tab: data version, rows, columns, measure.
type CrosstabKey = (u64, String, String, Measure);

/// Both fits on all orders, and the holdout check.
pub struct PredictView {
    pub prediction: Result<Prediction, String>,
    pub holdout: Option<Result<Holdout, String>>,
    /// Over the customer table's prediction fields, read with the fit (not per frame).
    pub averages: PredictAverages,
    /// The customers most worth winning back, most first.
    pub win_back: Vec<WinBack>,
}

/// One customer of the win-back list, as shown.
#[derive(Debug, Clone, PartialEq)]
pub struct WinBack {
    /// Their name, or else their e-mail or id.
    pub who: String,
    pub ltv: Option<f64>,
    pub p_alive: Option<f64>,
    /// Value lost if they have churned (`win_back_value`).
    pub value: f64,
}

/// Customers in the win-back list on screen.
const WIN_BACK_SHOWN: usize = 10;

fn win_back(data: &crate::engine::data::CustomerData) -> Vec<WinBack> {
    use crate::engine::values::plain_text;
    let text = |field: &str, row: usize| {
        data.customers
            .column(field)
            .ok()
            .and_then(|c| c.get(row).ok())
            .map(|v| plain_text(&v))
            .filter(|t| !t.is_empty())
    };
    let number = |field: &str, row: usize| data.customers.column(field).ok()?.get(row).ok()?.extract::<f64>();
    crate::engine::explore::predict::win_back_list(data, WIN_BACK_SHOWN)
        .into_iter()
        .map(|(row, value)| WinBack {
            who: text("name", row)
                .or_else(|| {
                    let parts: Vec<String> = ["first_name", "last_name"].iter().filter_map(|f| text(f, row)).collect();
                    (!parts.is_empty()).then(|| parts.join(" "))
                })
                .or_else(|| text("email", row))
                .or_else(|| text("customer_id", row))
                .unwrap_or_else(|| format!("#{}", row + 1)),
            ltv: number("ltv", row),
            p_alive: number("p_alive", row),
            value,
        })
        .collect()
}

/// The numbers the Predict view leads with; `None` where a field is missing.
#[derive(Debug, Clone, Copy, Default)]
pub struct PredictAverages {
    pub expected_orders_90d: Option<f64>,
    pub p_alive: Option<f64>,
    pub clv_12m_total: Option<f64>,
}

impl PredictAverages {
    fn of(data: &crate::engine::data::CustomerData) -> Self {
        use polars::prelude::DataType;
        let series =
            |field: &str| data.customers.column(field).ok()?.as_materialized_series().cast(&DataType::Float64).ok();
        Self {
            expected_orders_90d: series("expected_orders_90d").and_then(|s| s.mean()),
            p_alive: series("p_alive").and_then(|s| s.mean()),
            clv_12m_total: series("predicted_clv_12m").and_then(|s| s.sum().ok()),
        }
    }
}

pub struct ExploreTab {
    pub view: ExploreView,
    pub grid_colour: GridColour,
    rfm: Keyed<u64, Rfm>,
    /// The cross-tab's fields and measure, as chosen.
    pub rows: String,
    pub cols: String,
    pub measure: Measure,
    crosstab: Keyed<CrosstabKey, Crosstab>,
    predict: Keyed<u64, PredictView>,
    /// Clusters wanted (`None`: chosen by silhouette).
    pub k: Option<usize>,
    /// Number fields clustered on besides recency, frequency and LTV.
    pub cluster_fields: Vec<String>,
    clusters: Keyed<(u64, Option<usize>, Vec<String>), Clusters>,
    suggestions: Keyed<u64, Vec<Suggestion>>,
    /// The cohort view's choices.
    pub cohort: cohort_view::CohortChoices,
    cohorts: Keyed<cohort_view::CohortKey, Cohorts>,
    /// A cell whose customers are being listed (the table, cohort, offset).
    cell_request: Option<(Arc<Cohorts>, usize, u32)>,
    cell_rows: Keyed<(u64, crate::engine::cohorts::CohortOptions, usize, u32), Vec<u32>>,
}

impl Default for ExploreTab {
    fn default() -> Self {
        Self {
            view: ExploreView::Rfm,
            grid_colour: GridColour::Count,
            rfm: Keyed::new("explore-rfm"),
            rows: String::new(),
            cols: String::new(),
            measure: Measure::Count,
            crosstab: Keyed::new("explore-crosstab"),
            predict: Keyed::new("explore-predict"),
            k: None,
            cluster_fields: Vec::new(),
            clusters: Keyed::new("explore-clusters"),
            suggestions: Keyed::new("explore-suggest"),
            cohort: cohort_view::CohortChoices::default(),
            cohorts: Keyed::new("explore-cohorts"),
            cell_request: None,
            cell_rows: Keyed::new("explore-cohort-cell"),
        }
    }
}

impl ExploreTab {
    /// The RFM figures on screen, once computed.
    pub fn rfm(&self) -> Option<&Arc<Rfm>> {
        self.rfm.latest()
    }

    /// The cross-tab on screen, once computed.
    pub fn crosstab(&self) -> Option<&Arc<Crosstab>> {
        self.crosstab.latest()
    }

    /// The predicted-value fits, once computed.
    pub fn prediction(&self) -> Option<&Arc<PredictView>> {
        self.predict.latest()
    }

    /// The cohort table on screen, once computed.
    pub fn cohorts(&self) -> Option<&Arc<Cohorts>> {
        self.cohorts.latest()
    }

    fn cohort_logic(&mut self, ctx: &TabContext<'_>) {
        use crate::app::keyed::Polled;
        let lang = ctx.lang;
        self.cohorts.collect(lang);
        let key = cohort_view::key_of(self.cohort.options(ctx), ctx);
        self.cohorts.ensure(ctx.egui, key.clone(), |(_, options, _)| {
            let (data, segments, options) =
                (Arc::clone(&ctx.data), ctx.doc.workspace.segments.clone(), options.clone());
            move |_| cohorts(&data, &segments, &options).map_err(|e| cohort_view::error_text(&e, lang))
        });
        // A cell whose group no rule can say: its customers as a fixed list.
        if let Some((table, cohort, offset)) = self.cell_request.clone() {
            let (version, options, _) = key;
            self.cell_rows.ensure(ctx.egui, (version, options, cohort, offset), |(_, options, _, _)| {
                let (data, segments, options) =
                    (Arc::clone(&ctx.data), ctx.doc.workspace.segments.clone(), options.clone());
                move |_| {
                    crate::engine::cohorts::cell_rows(&data, &segments, &options, &table.cohorts[cohort], offset)
                        .map_err(|e| cohort_view::error_text(&e, lang))
                }
            });
        }
        if let Polled::Value(rows) = self.cell_rows.poll(lang)
            && self.cell_request.take().is_some()
        {
            match found_view::fixed_list_rule(ctx, rows) {
                Some(rule) => ctx.draft(rule),
                None => {
                    ctx.send(crate::app::command::ViewCommand::Notify(t(lang, "explore.save_exact_no_key").to_owned()))
                }
            }
        }
    }

    /// The clusters on screen, once computed.
    pub fn clusters(&self) -> Option<&Arc<Clusters>> {
        self.clusters.latest()
    }

    /// The suggested audiences, once computed.
    pub fn suggestions(&self) -> Option<&Arc<Vec<Suggestion>>> {
        self.suggestions.latest()
    }

    fn found_logic(&mut self, ctx: &TabContext<'_>) {
        let data = Arc::clone(&ctx.data);
        if self.view == ExploreView::Clusters {
            self.clusters.collect(ctx.lang);
            self.cluster_fields.retain(|f| data.field(f).is_some());
            self.clusters.ensure(ctx.egui, (ctx.version, self.k, self.cluster_fields.clone()), |(_, k, fields)| {
                let (k, fields) = (*k, fields.clone());
                move |_| clusters(&data, k, &fields)
            });
        } else {
            self.suggestions.collect(ctx.lang);
            self.suggestions.ensure(ctx.egui, ctx.version, |_| move |_| suggested(&data, 0.01, 10));
        }
    }

    fn crosstab_logic(&mut self, ctx: &TabContext<'_>) {
        self.crosstab.collect(ctx.lang);
        let data = &ctx.data;
        if self.rows.is_empty() || data.field(&self.rows).is_none() {
            self.rows = ["rfm_group", "channel", "city"]
                .iter()
                .find(|f| data.field(f).is_some())
                .map_or_else(String::new, |f| (*f).to_owned());
        }
        if self.cols.is_empty() || data.field(&self.cols).is_none() {
            self.cols = ["days_since_last_order", "orders", "ltv"]
                .iter()
                .find(|f| data.field(f).is_some())
                .map_or_else(String::new, |f| (*f).to_owned());
        }
        if self.rows.is_empty() || self.cols.is_empty() {
            return;
        }
        let key = (ctx.version, self.rows.clone(), self.cols.clone(), self.measure);
        let data = Arc::clone(data);
        self.crosstab.ensure(ctx.egui, key, |(_, rows, cols, measure)| {
            let (rows, cols, measure) = (rows.clone(), cols.clone(), *measure);
            move |_| crosstab(&data, &rows, &cols, measure)
        });
    }

    fn predict_logic(&mut self, ctx: &TabContext<'_>) {
        use crate::engine::explore::predict::{UNIT_DAYS, fit, histories, holdout_check, holdout_days};
        self.predict.collect(ctx.lang);
        let data = Arc::clone(&ctx.data);
        self.predict.ensure(ctx.egui, ctx.version, |_| {
            move |_| {
                let prediction = histories(&data, UNIT_DAYS, None).and_then(|h| fit(&h, UNIT_DAYS));
                let holdout = match (&prediction, holdout_days(&data)) {
                    (Ok(_), Some(days)) => Some(holdout_check(&data, days)),
                    _ => None,
                };
                Ok(PredictView { prediction, holdout, averages: PredictAverages::of(&data), win_back: win_back(&data) })
            }
        });
    }
}

impl TabView for ExploreTab {
    fn id(&self) -> Tab {
        Tab::Explore
    }

    fn title_key(&self) -> &'static str {
        "tab.explore"
    }

    fn logic(&mut self, ctx: &TabContext<'_>) {
        match self.view {
            ExploreView::Rfm => {
                self.rfm.collect(ctx.lang);
                if ctx.data.field("rfm_group").is_some() {
                    let data = Arc::clone(&ctx.data);
                    self.rfm.ensure(ctx.egui, ctx.version, |_| move |_| rfm(&data).map_err(|e| e.to_string()));
                }
            }
            ExploreView::Crosstab => self.crosstab_logic(ctx),
            ExploreView::Predict => self.predict_logic(ctx),
            ExploreView::Clusters | ExploreView::Suggested => self.found_logic(ctx),
            ExploreView::Cohorts => self.cohort_logic(ctx),
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, ctx: &TabContext<'_>) {
        let lang = ctx.lang;
        ui.horizontal_wrapped(|ui| {
            ui.heading(t(lang, "tab.explore"));
            ui.add_space(12.0);
            for (view, key) in [
                (ExploreView::Rfm, "explore.rfm"),
                (ExploreView::Crosstab, "explore.crosstab"),
                (ExploreView::Predict, "explore.predict"),
                (ExploreView::Clusters, "explore.clusters"),
                (ExploreView::Suggested, "explore.suggested"),
                (ExploreView::Cohorts, "explore.cohorts"),
            ] {
                ui.selectable_value(&mut self.view, view, t(lang, key));
            }
        });
        crate::app::widgets::money::money_switch_ui(ui, ctx);
        ui.separator();
        egui::ScrollArea::vertical().id_salt("explore-scroll").auto_shrink([false, false]).show(ui, |ui| {
            match self.view {
                ExploreView::Rfm => rfm_view::rfm_ui(self, ui, ctx),
                ExploreView::Crosstab => crosstab_view::crosstab_ui(self, ui, ctx),
                ExploreView::Predict => predict_view::predict_ui(self, ui, ctx),
                ExploreView::Clusters => found_view::clusters_ui(self, ui, ctx),
                ExploreView::Suggested => found_view::suggested_ui(self, ui, ctx),
                ExploreView::Cohorts => cohort_view::cohorts_ui(self, ui, ctx),
            }
        });
    }
}

/// A keyed computation's state as a line: its error, or a spinner while it runs.
fn status_ui<K, V>(ui: &mut egui::Ui, keyed: &Keyed<K, V>, lang: crate::app::i18n::Lang)
where
    K: Clone + PartialEq + Send + 'static,
    V: Send + Sync + 'static,
{
    if let Some(e) = keyed.error() {
        ui.colored_label(ui.visuals().error_fg_color, e);
    } else if keyed.busy() {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.weak(t(lang, "explore.computing"));
        });
    }
}
