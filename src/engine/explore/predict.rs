//! Predicted value from the workspace's orders: purchase histories (orders on the
//! same day are one purchase), the BG/NBD and Gamma-Gamma fits over them, the
//! derived fields `p_alive`, `expected_orders_90d` and `predicted_clv_12m`, and a
//! holdout check that fits on the earlier orders and compares the predicted repeat
//! purchases of the later period with what customers really bought.

use chrono::NaiveDate;
use polars::prelude::*;
use serde::Serialize;

use super::bgnbd::{BgNbd, fit_bgnbd, group};
use super::gamma_gamma::{GammaGamma, fit_gamma_gamma};
use crate::engine::data::{CustomerData, FieldInfo, FieldOrigin};
use crate::engine::fields::FieldType;
use crate::engine::import::columns::{date_to_days, days_to_date};
use crate::engine::message::Message;

/// The models fit in weeks (as in the literature); horizons are given in days.
pub const UNIT_DAYS: f64 = 7.0;
/// The horizon of `expected_orders_90d`, in days.
pub const ORDERS_HORIZON_DAYS: f64 = 90.0;
/// The horizon of `predicted_clv_12m`, in days.
pub const CLV_HORIZON_DAYS: f64 = 365.0;
/// The derived fields, in the order they are added.
pub const FIELDS: [&str; 4] = ["p_alive", "expected_orders_90d", "predicted_clv_12m", WIN_BACK];
/// What a customer would spend in the next 12 months if still active, times the
/// chance they are gone: the value lost if they have churned. A dead customer buys
/// nothing, so the expected spend is P(alive) × the spend if active, and this is
/// `predicted_clv_12m × (1 − p_alive) ÷ p_alive`.
pub const WIN_BACK: &str = "win_back_value";
/// The day the customer's next order is expected: when their expected purchases
/// from the as-of date reach one. Empty ("not expected") when P(alive) is under
/// [`NEXT_ORDER_MIN_ALIVE`] or one purchase is not expected within two years.
pub const NEXT_ORDER: &str = "next_order_date";
/// P(alive) below which no next order is expected.
pub const NEXT_ORDER_MIN_ALIVE: f64 = 0.3;
/// How far ahead a next order is looked for, in days.
const NEXT_ORDER_MAX_DAYS: f64 = 730.0;
/// Repeat buyers the model needs.
pub const MIN_REPEAT: usize = 20;
/// Customers the models are fitted on at most. A larger store is fitted on an even
/// sample of its buyers (every k-th, in customer order): 100,000 histories pin the
/// models' few parameters to well within the spread of their estimates, and the fit
/// of a million histories would take seconds (each step evaluates every one).
/// Every customer is still predicted.
pub const FIT_SAMPLE: usize = 100_000;

/// One customer's purchase history for the models.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Purchases {
    /// The customer's row in the customer table.
    pub row: usize,
    /// Repeat purchases: distinct purchase days minus one.
    pub x: f64,
    /// From the first purchase to the last, and to the as-of date, in units.
    pub t_x: f64,
    pub t: f64,
    /// Average spend of the repeat purchase days (`None` without repeats).
    pub spend: Option<f64>,
    /// Purchase days after the cut-off (the holdout period), when one is given.
    pub later: usize,
    /// What those purchases came to.
    pub later_spend: f64,
}

/// Every buyer's history from the orders, with times in units of `unit_days` (1 for
/// days, 7 for weeks), measured to the as-of date. Purchases after `cutoff` (a
/// day) are left out of the history and counted in `later`; customers whose first
/// purchase is after it are left out.
pub fn histories(data: &CustomerData, unit_days: f64, cutoff: Option<i32>) -> Result<Vec<Purchases>, String> {
    let orders = data.orders.as_ref().ok_or("the model needs the orders (import an orders file)")?;
    histories_of(orders, data.as_of, unit_days, cutoff)
}

/// [`histories`] from the orders' table alone (`as_of`: the workspace's date).
fn histories_of(
    orders: &DataFrame,
    as_of: NaiveDate,
    unit_days: f64,
    cutoff: Option<i32>,
) -> Result<Vec<Purchases>, String> {
    let err = |e: PolarsError| e.to_string();
    let column = |name: &str, ty: &DataType| orders.column(name).and_then(|c| c.cast(ty)).map_err(err);
    let (customer, day, total) = (
        column("customer", &DataType::UInt32)?,
        column("order_date", &DataType::Int32)?,
        column("total", &DataType::Float64)?,
    );
    let (customer, day, total) = (customer.u32().map_err(err)?, day.i32().map_err(err)?, total.f64().map_err(err)?);
    let end = cutoff.unwrap_or_else(|| date_to_days(as_of));
    let mut out = Vec::new();
    let mut days: Vec<(i32, f64)> = Vec::new();
    let mut current: Option<u32> = None;
    let (mut later, mut later_spend) = (0, 0.0);
    // Orders come sorted by customer, then date: one customer's days at a time.
    let rows = customer.iter().zip(day.iter()).zip(total.iter()).map(|((c, d), t)| (c, d, t));
    for (who, d, amount) in rows.chain(std::iter::once((None, None, None))) {
        if who != current || who.is_none() {
            if let Some(c) = current {
                out.extend(history(c as usize, &days, (later, later_spend), end, unit_days));
            }
            (current, later, later_spend) = (who, 0, 0.0);
            days.clear();
        }
        let Some(d) = d else { continue };
        if d > end {
            if days.last().is_none_or(|(last, _)| *last != d) {
                later += 1;
            }
            later_spend += amount.unwrap_or(0.0);
            days.push((d, 0.0)); // marks the day as counted; not part of the history
            continue;
        }
        match days.last_mut() {
            Some((last, sum)) if *last == d => *sum += amount.unwrap_or(0.0),
            _ => days.push((d, amount.unwrap_or(0.0))),
        }
    }
    Ok(out)
}

/// One customer's history from their purchase days (those after `end` carry no spend
/// and are not part of it); `later`: the days after `end` and what they came to.
fn history(row: usize, days: &[(i32, f64)], later: (usize, f64), end: i32, unit_days: f64) -> Option<Purchases> {
    // Days are in order: those up to `end` are a prefix.
    let before = &days[..days.partition_point(|(d, _)| *d <= end)];
    let (first, last) = (before.first()?, before.last()?);
    let x = before.len() - 1;
    let spend = (x > 0).then(|| before[1..].iter().map(|(_, s)| s).sum::<f64>() / x as f64);
    Some(Purchases {
        row,
        x: x as f64,
        t_x: f64::from(last.0 - first.0) / unit_days,
        t: f64::from(end - first.0) / unit_days,
        spend,
        later: later.0,
        later_spend: later.1,
    })
}

/// Both fits over a set of histories.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Prediction {
    pub customers: usize,
    pub repeat_customers: usize,
    /// The customers the models were fitted on (all of them up to [`FIT_SAMPLE`]).
    pub fitted_customers: usize,
    pub unit_days: f64,
    pub bgnbd: BgNbd,
    /// `None` when spend can't be modelled (too few repeat buyers with spend).
    pub gamma_gamma: Option<GammaGamma>,
}

/// Fits both models to `histories` (to an even sample of at most [`FIT_SAMPLE`]).
pub fn fit(histories: &[Purchases], unit_days: f64) -> Result<Prediction, String> {
    fit_on_sample(histories, unit_days, FIT_SAMPLE)
}

/// [`fit`] on every k-th history, so that at most `sample` are fitted.
fn fit_on_sample(histories: &[Purchases], unit_days: f64, sample: usize) -> Result<Prediction, String> {
    let step = histories.len().div_ceil(sample.max(1)).max(1);
    let fitted: Vec<&Purchases> = histories.iter().step_by(step).collect();
    let grouped = group(&fitted.iter().map(|h| (h.x, h.t_x, h.t)).collect::<Vec<_>>());
    let bgnbd = fit_bgnbd(&grouped)?;
    let buyers: Vec<(f64, f64)> = fitted.iter().filter_map(|h| h.spend.map(|m| (h.x, m))).collect();
    Ok(Prediction {
        customers: histories.len(),
        repeat_customers: histories.iter().filter(|h| h.x > 0.0).count(),
        fitted_customers: fitted.len(),
        unit_days,
        bgnbd,
        gamma_gamma: fit_gamma_gamma(&buyers).ok(),
    })
}

impl Prediction {
    /// Expected purchases in the next `days` for a history.
    pub fn expected_purchases(&self, days: f64, h: &Purchases) -> f64 {
        self.bgnbd.expected_purchases(days / self.unit_days, h.x, h.t_x, h.t)
    }

    /// Whole days from the as-of date until the customer's expected purchases reach
    /// one (see [`NEXT_ORDER`]), given them at some horizons already known (every
    /// customer's 90 and 365 days are, as fields), shortest first: they bracket the day. Regula falsi (Illinois) then narrows the bracket
    /// until one whole day is left in it: the first day whose expected purchases
    /// reach one, exactly (the curve rises).
    fn next_order_given(&self, h: &Purchases, known: &[(f64, f64)]) -> Option<u32> {
        if self.bgnbd.p_alive(h.x, h.t_x, h.t) < NEXT_ORDER_MIN_ALIVE {
            return None;
        }
        let f = |days: f64| self.expected_purchases(days, h) - 1.0;
        let (mut lo, mut hi) = ((0.0, -1.0), None);
        for &(days, expected) in known {
            if expected >= 1.0 {
                hi = Some((days, expected - 1.0));
                break;
            }
            lo = (days, expected - 1.0);
        }
        let mut hi = match hi {
            Some(hi) => hi,
            None => {
                let at_max = (NEXT_ORDER_MAX_DAYS, f(NEXT_ORDER_MAX_DAYS));
                if at_max.1.is_nan() || at_max.1 < 0.0 {
                    return None;
                }
                at_max
            }
        };
        let mut side = 0;
        for _ in 0..60 {
            // lo < root ≤ hi: one whole day in between is the answer.
            if lo.0.floor() + 1.0 >= hi.0.ceil() {
                return Some(hi.0.ceil().max(1.0) as u32);
            }
            let t = (lo.0 * hi.1 - hi.0 * lo.1) / (hi.1 - lo.1);
            // Never on the bracket's ends (rounding), so it always narrows.
            let t = if t > lo.0 && t < hi.0 { t } else { (lo.0 + hi.0) / 2.0 };
            let v = f(t);
            if v < 0.0 {
                lo = (t, v);
                if side == -1 {
                    hi.1 /= 2.0;
                }
                side = -1;
            } else {
                hi = (t, v);
                if side == 1 {
                    lo.1 /= 2.0;
                }
                side = 1;
            }
        }
        Some(hi.0.ceil().max(1.0) as u32)
    }

    /// Predicted spend in the next `days` (expected purchases × expected spend per
    /// purchase, undiscounted); `None` without a spend model.
    pub fn predicted_value(&self, days: f64, h: &Purchases) -> Option<f64> {
        Some(self.expected_purchases(days, h) * self.spend_per_purchase(h)?)
    }

    /// Expected spend per purchase; `None` without a spend model.
    fn spend_per_purchase(&self, h: &Purchases) -> Option<f64> {
        Some(self.gamma_gamma?.expected_spend(h.x, h.spend.unwrap_or(0.0)))
    }
}

/// Adds the prediction fields to a customer table whose orders allow a fit, or
/// says why they are missing (nothing is said without orders).
pub fn add_prediction_fields(data: &mut CustomerData) -> PolarsResult<Option<Message>> {
    let Some(orders) = &data.orders else { return Ok(None) };
    predict_fields(orders, data.as_of, data.customers.height())?.add_to(data)
}

/// The prediction fields of a customer table, worked out from its orders alone (the
/// build does it beside the customer table), or why there are none.
pub enum PredictedFields {
    /// The fields' columns, one value per customer, in [`FIELDS`] order then [`NEXT_ORDER`].
    Columns(Vec<Column>),
    /// Why the orders allow no fit.
    Note(Message),
    /// The orders can't be read as histories: nothing is said.
    Nothing,
}

impl PredictedFields {
    /// Adds the fields to `data` (replacing earlier ones), or returns the note on why
    /// there are none.
    pub fn add_to(self, data: &mut CustomerData) -> PolarsResult<Option<Message>> {
        let columns = match self {
            Self::Columns(columns) => columns,
            Self::Note(note) => return Ok(Some(note)),
            Self::Nothing => return Ok(None),
        };
        let types = [FieldType::Number, FieldType::Number, FieldType::Money, FieldType::Money, FieldType::Date];
        for (column, ty) in columns.into_iter().zip(types) {
            let name = column.name().to_string();
            data.customers.with_column(column)?;
            data.fields.retain(|f| f.name != name);
            data.fields.push(FieldInfo { name, ty, origin: FieldOrigin::Derived });
        }
        Ok(None)
    }
}

/// The prediction fields of `customers` customers from their orders (see
/// [`PredictedFields`]).
pub fn predict_fields(orders: &DataFrame, as_of: NaiveDate, customers: usize) -> PolarsResult<PredictedFields> {
    let Ok(histories) = histories_of(orders, as_of, UNIT_DAYS, None) else { return Ok(PredictedFields::Nothing) };
    let repeat = histories.iter().filter(|h| h.x > 0.0).count();
    let prediction = match fit(&histories, UNIT_DAYS) {
        Ok(p) => p,
        Err(_) if repeat < MIN_REPEAT => {
            return Ok(PredictedFields::Note(Message::new("msg.prediction_few_repeat", [repeat])));
        }
        Err(why) => return Ok(PredictedFields::Note(Message::new("msg.prediction_failed", [why]))),
    };
    let n = customers;
    let histories: Vec<Purchases> = histories.into_iter().filter(|h| h.row < n).collect();
    // Each customer's history, if any (a later one wins).
    let mut history_of = vec![u32::MAX; n];
    for (k, h) in histories.iter().enumerate() {
        history_of[h.row] = u32::try_from(k).unwrap_or(u32::MAX);
    }
    // Each buyer's numbers on every core (a few powers and a series each), in the
    // histories' order.
    let predicted: Vec<([Option<f64>; 4], Option<u32>)> = {
        use rayon::prelude::*;
        let one = |h: &Purchases| {
            let alive = prediction.bgnbd.p_alive(h.x, h.t_x, h.t);
            let known = [ORDERS_HORIZON_DAYS, CLV_HORIZON_DAYS].map(|d| (d, prediction.expected_purchases(d, h)));
            let value = prediction.spend_per_purchase(h).map(|spend| known[1].1 * spend);
            let values = [
                Some(alive),
                Some(known[0].1),
                value,
                value.filter(|_| alive > 1e-9).map(|v| v * (1.0 - alive) / alive),
            ];
            (values, prediction.next_order_given(h, &known))
        };
        histories.par_iter().map(one).collect()
    };
    drop(histories);
    // Each customer's numbers, if they have a history.
    let of_row = |row: usize| predicted.get(history_of[row] as usize);
    let mut columns: Vec<Column> = FIELDS
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let values: Float64Chunked = (0..n).map(|row| of_row(row).and_then(|p| p.0[i])).collect();
            values.with_name((*name).into()).into_column()
        })
        .collect();
    let as_of = date_to_days(as_of);
    let next_order: Int32Chunked =
        (0..n).map(|row| of_row(row).and_then(|p| p.1).map(|days| as_of + days as i32)).collect();
    columns.push(next_order.with_name(NEXT_ORDER.into()).into_date().into_column());
    Ok(PredictedFields::Columns(columns))
}

/// One row of the holdout check: customers with `x` repeat purchases in the
/// calibration period (the last row gathers `x` and more).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HoldoutRow {
    pub x: usize,
    pub customers: usize,
    /// Average repeat purchases in the holdout period, bought and predicted.
    pub actual: f64,
    pub predicted: f64,
}

/// The fit on the calibration period against the holdout period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Holdout {
    pub calibration_end: NaiveDate,
    pub holdout_days: i32,
    pub customers: usize,
    pub rows: Vec<HoldoutRow>,
    /// Total repeat purchases in the holdout period, bought and predicted.
    pub actual_total: f64,
    pub predicted_total: f64,
    /// Customers in tenths by predicted purchases, most first: predicted against actual.
    pub deciles: Vec<Decile>,
    /// How far the deciles' predictions are from what was bought (see [`Verdict`]).
    pub decile_error: Option<f64>,
    pub verdict: Verdict,
    /// Days of orders before the holdout period.
    pub calibration_days: i32,
}

/// A tenth of the customers, ranked by the purchases the model predicted for the
/// holdout period: averages per customer, predicted and actual.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decile {
    /// 1 for the tenth with the most predicted purchases.
    pub decile: usize,
    pub customers: usize,
    pub predicted: f64,
    pub actual: f64,
    /// Spend, where the spend model could be fitted.
    pub predicted_revenue: Option<f64>,
    pub actual_revenue: f64,
}

/// Buyers (before the holdout period) the trust check needs to judge a fit.
pub const TRUST_MIN_BUYERS: usize = 500;
/// Days of orders before the holdout period the trust check needs.
pub const TRUST_MIN_DAYS: i32 = 180;

/// Whether the predictions can be relied on, judged on the holdout period:
/// - **good**: the deciles' predicted purchases are within 20% of the actual in
///   total (Σ |predicted − actual| ÷ Σ actual over the ten tenths) and all
///   purchases within 10%;
/// - **rough**: within 40% and 25%;
/// - **poor** ("do not rely on it"): beyond that;
/// - **too little data**: fewer than [`TRUST_MIN_BUYERS`] buyers or
///   [`TRUST_MIN_DAYS`] days of orders before the holdout, or no purchase in it.
///   (Klaviyo asks for 500 buyers and 180 days of orders; Kitle fits with 20 repeat
///   buyers, but can't tell a good fit from luck on fewer.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Good,
    Rough,
    Poor,
    TooLittleData,
}

/// The deciles of a holdout check (see [`Decile`]); empty with fewer than ten customers.
pub fn deciles(histories: &[Purchases], prediction: &Prediction, holdout_days: i32) -> Vec<Decile> {
    let days = f64::from(holdout_days);
    let mut scored: Vec<(f64, &Purchases)> =
        histories.iter().map(|h| (prediction.expected_purchases(days, h), h)).collect();
    let n = scored.len();
    if n < 10 {
        return Vec::new();
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.row.cmp(&b.1.row)));
    (0..10)
        .map(|d| {
            let part = &scored[d * n / 10..(d + 1) * n / 10];
            let count = part.len() as f64;
            let mean = |f: &dyn Fn(&(f64, &Purchases)) -> f64| part.iter().map(f).sum::<f64>() / count;
            let revenue: Option<f64> = part.iter().map(|(_, h)| prediction.predicted_value(days, h)).sum();
            Decile {
                decile: d + 1,
                customers: part.len(),
                predicted: mean(&|(p, _)| *p),
                actual: mean(&|(_, h)| h.later as f64),
                predicted_revenue: revenue.map(|r| r / count),
                actual_revenue: mean(&|(_, h)| h.later_spend),
            }
        })
        .collect()
}

/// Σ |predicted − actual| ÷ Σ actual over the deciles' purchases; `None` without purchases.
pub fn decile_error(deciles: &[Decile]) -> Option<f64> {
    let total = |f: fn(&Decile) -> f64| deciles.iter().map(|d| f(d) * d.customers as f64).sum::<f64>();
    let actual = total(|d| d.actual);
    let off = deciles.iter().map(|d| (d.predicted - d.actual).abs() * d.customers as f64).sum::<f64>();
    (actual > 0.0).then(|| off / actual)
}

/// The verdict on a check (see [`Verdict`]).
pub fn verdict(buyers: usize, calibration_days: i32, deciles: &[Decile]) -> Verdict {
    let Some(error) = decile_error(deciles) else { return Verdict::TooLittleData };
    if buyers < TRUST_MIN_BUYERS || calibration_days < TRUST_MIN_DAYS {
        return Verdict::TooLittleData;
    }
    let weighted = |f: fn(&Decile) -> f64| deciles.iter().map(|d| f(d) * d.customers as f64).sum::<f64>();
    let total = ((weighted(|d| d.predicted) - weighted(|d| d.actual)) / weighted(|d| d.actual)).abs();
    match (error, total) {
        (e, t) if e <= 0.20 && t <= 0.10 => Verdict::Good,
        (e, t) if e <= 0.40 && t <= 0.25 => Verdict::Rough,
        _ => Verdict::Poor,
    }
}

/// The day of the first order (days since 1970-01-01).
fn first_order_day(data: &CustomerData) -> Option<i32> {
    data.orders.as_ref()?.column("order_date").ok()?.cast(&DataType::Int32).ok()?.i32().ok()?.min()
}

/// The holdout period: a quarter of the time since the first order, whole weeks,
/// between 4 and 26 weeks.
pub fn holdout_days(data: &CustomerData) -> Option<i32> {
    let span = date_to_days(data.as_of) - first_order_day(data)?;
    Some((span / 4 / 7).clamp(4, 26) * 7)
}

/// Fits on the orders up to `holdout_days` before the as-of date and compares the
/// predicted repeat purchases after it with the real ones, by calibration `x`.
pub fn holdout_check(data: &CustomerData, holdout_days: i32) -> Result<Holdout, String> {
    let cutoff = date_to_days(data.as_of) - holdout_days;
    let histories = histories(data, UNIT_DAYS, Some(cutoff))?;
    let prediction = fit(&histories, UNIT_DAYS)?;
    const LAST: usize = 7;
    let mut rows: Vec<HoldoutRow> =
        (0..=LAST).map(|x| HoldoutRow { x, customers: 0, actual: 0.0, predicted: 0.0 }).collect();
    for h in &histories {
        let row = &mut rows[(h.x as usize).min(LAST)];
        row.customers += 1;
        let actual = h.later as f64;
        row.actual += actual;
        row.predicted += prediction.expected_purchases(f64::from(holdout_days), h);
    }
    let (actual_total, predicted_total) = (rows.iter().map(|r| r.actual).sum(), rows.iter().map(|r| r.predicted).sum());
    for row in &mut rows {
        let n = row.customers.max(1) as f64;
        row.actual /= n;
        row.predicted /= n;
    }
    rows.retain(|r| r.customers > 0);
    let deciles = deciles(&histories, &prediction, holdout_days);
    let calibration_days = cutoff - first_order_day(data).unwrap_or(cutoff);
    Ok(Holdout {
        calibration_end: days_to_date(cutoff).ok_or("the calibration period has no valid end")?,
        holdout_days,
        customers: histories.len(),
        rows,
        actual_total,
        predicted_total,
        decile_error: decile_error(&deciles),
        verdict: verdict(histories.len(), calibration_days, &deciles),
        deciles,
        calibration_days,
    })
}

/// The rule of the win-back list: the 5% of customers with the most value lost
/// if they have churned (see [`WIN_BACK`]).
pub fn win_back_rule() -> crate::engine::segment::Rule {
    crate::engine::segment::Rule::field(WIN_BACK).in_top_percent(5)
}

/// The customers most worth winning back, most first: (customer row, value lost
/// if churned), at most `n`.
pub fn win_back_list(data: &CustomerData, n: usize) -> Vec<(usize, f64)> {
    let Ok(values) = data.customers.column(WIN_BACK).and_then(super::float_values) else { return Vec::new() };
    let mut found: Vec<(usize, f64)> =
        values.iter().enumerate().filter_map(|(row, v)| v.filter(|v| *v > 0.0).map(|v| (row, v))).collect();
    let n = n.min(found.len());
    if n == 0 {
        return Vec::new();
    }
    found.select_nth_unstable_by(n - 1, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    found.truncate(n);
    found.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    found
}

/// The rule of "VIPs slipping away": probably gone, and in the top fifth by money.
pub fn slipping_rule() -> crate::engine::segment::Rule {
    use crate::engine::segment::Rule;
    Rule::field("p_alive").lt(0.3).and(Rule::field("rfm_m").eq(5))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` buyers with made-up but plausible histories (seeded): fewer repeat
    /// purchases the longer ago the last one was.
    fn buyers(n: usize) -> Vec<Purchases> {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move |below: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % below
        };
        (0..n)
            .map(|row| {
                let t = 20.0 + next(60) as f64;
                let x = if next(3) == 0 { 0.0 } else { next(7) as f64 };
                let t_x = if x == 0.0 { 0.0 } else { t * (0.2 + next(80) as f64 / 100.0) };
                let spend = (x > 0.0).then(|| 50.0 + next(400) as f64);
                Purchases { row, x, t_x, t, spend, later: 0, later_spend: 0.0 }
            })
            .collect()
    }

    #[test]
    fn a_fit_on_an_even_sample_predicts_what_the_whole_fit_does() {
        let histories = buyers(30_000);
        let whole = fit_on_sample(&histories, UNIT_DAYS, usize::MAX).expect("whole");
        let sample = fit_on_sample(&histories, UNIT_DAYS, 6_000).expect("sample");
        assert_eq!((whole.fitted_customers, sample.fitted_customers), (30_000, 6_000));
        assert_eq!((sample.customers, sample.repeat_customers), (whole.customers, whole.repeat_customers));
        let total = |p: &Prediction, f: &dyn Fn(&Prediction, &Purchases) -> f64| -> f64 {
            histories.iter().map(|h| f(p, h)).sum()
        };
        let orders = |p: &Prediction, h: &Purchases| p.expected_purchases(ORDERS_HORIZON_DAYS, h);
        let value = |p: &Prediction, h: &Purchases| p.predicted_value(CLV_HORIZON_DAYS, h).unwrap_or(0.0);
        let alive = |p: &Prediction, h: &Purchases| p.bgnbd.p_alive(h.x, h.t_x, h.t);
        for (what, f) in
            [("orders", &orders as &dyn Fn(&Prediction, &Purchases) -> f64), ("value", &value), ("alive", &alive)]
        {
            let (a, b) = (total(&whole, f), total(&sample, f));
            assert!((a - b).abs() <= 0.03 * a.abs(), "{what}: {a} from the whole fit, {b} from the sample");
        }
        // Not the same fit: the sample is really a sample.
        assert_ne!(whole.bgnbd, sample.bgnbd);
    }

    /// A Poisson draw with mean `mean` (Knuth's method; small means only).
    fn poisson(mean: f64, uniform: &mut impl FnMut() -> f64) -> usize {
        let (limit, mut k, mut p) = ((-mean).exp(), 0, 1.0);
        loop {
            p *= uniform();
            if p <= limit {
                return k;
            }
            k += 1;
        }
    }

    #[test]
    fn deciles_rank_by_prediction_and_average_what_was_bought() {
        let model = fit_on_sample(&buyers(5_000), UNIT_DAYS, usize::MAX).expect("fit");
        // Twenty buyers alike but for their repeat purchases (0 to 19, the last one
        // this week): more purchases, more predicted; two to a tenth.
        let histories: Vec<Purchases> = (0..20)
            .map(|row| Purchases {
                row,
                x: row as f64,
                t_x: 30.0,
                t: 30.0,
                spend: (row > 0).then_some(100.0),
                later: row % 3,
                later_spend: 80.0 * (row % 3) as f64,
            })
            .collect();
        let found = deciles(&histories, &model, 56);
        assert_eq!(found.len(), 10);
        // By hand: tenth k holds rows 21 − 2k and 20 − 2k, bought row % 3 times each.
        let actual = [0.5, 1.5, 1.0, 0.5, 1.5, 1.0, 0.5, 1.5, 1.0, 0.5];
        for (k, d) in found.iter().enumerate() {
            let rows = [19 - 2 * k, 18 - 2 * k];
            assert_eq!((d.decile, d.customers), (k + 1, 2));
            assert!((d.actual - actual[k]).abs() < 1e-12, "tenth {}: {}", k + 1, d.actual);
            assert!((d.actual_revenue - 80.0 * actual[k]).abs() < 1e-9);
            let predicted: f64 = rows.iter().map(|&r| model.expected_purchases(56.0, &histories[r])).sum::<f64>() / 2.0;
            assert!((d.predicted - predicted).abs() < 1e-12, "tenth {}", k + 1);
        }
        assert!(found.windows(2).all(|w| w[0].predicted >= w[1].predicted), "most predicted first");
        assert!(deciles(&histories[..9], &model, 56).is_empty(), "fewer than ten customers have no tenths");
    }

    #[test]
    fn a_fit_that_foresees_the_holdout_is_good_and_a_shuffled_one_is_poor() {
        let mut histories = buyers(20_000);
        let model = fit_on_sample(&histories, UNIT_DAYS, usize::MAX).expect("fit");
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut uniform = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        // What each customer buys in the holdout, drawn from the model itself.
        for h in &mut histories {
            h.later = poisson(model.expected_purchases(56.0, h), &mut uniform);
        }
        let good = deciles(&histories, &model, 56);
        assert_eq!(verdict(histories.len(), 365, &good), Verdict::Good, "{:?}", decile_error(&good));
        assert_eq!(verdict(400, 365, &good), Verdict::TooLittleData, "fewer than 500 buyers");
        assert_eq!(verdict(histories.len(), 90, &good), Verdict::TooLittleData, "under 180 days of orders");
        // The holdout purchases dealt out at random: the past no longer tells the future.
        let mut later: Vec<usize> = histories.iter().map(|h| h.later).collect();
        for i in (1..later.len()).rev() {
            later.swap(i, (uniform() * (i + 1) as f64) as usize);
        }
        for (h, l) in histories.iter_mut().zip(later) {
            h.later = l;
        }
        let shuffled = deciles(&histories, &model, 56);
        assert_eq!(verdict(histories.len(), 365, &shuffled), Verdict::Poor, "{:?}", decile_error(&shuffled));
    }
}
