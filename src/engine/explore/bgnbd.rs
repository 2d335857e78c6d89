//! Predicted value: the BG/NBD model (Fader, Hardie & Lee 2005) of how often a
//! customer buys and whether they are still "alive", and the Gamma-Gamma model
//! (Fader & Hardie 2013) of how much they spend per order, both fitted by maximum
//! likelihood (Nelder-Mead on the logarithms of the parameters). Customers with
//! the same (x, t_x, T) are grouped, so a fit costs the same at any store size.

use argmin::core::{CostFunction, Error, Executor, State};
use argmin::solver::neldermead::NelderMead;
use libm::lgamma;
use serde::Serialize;

/// A purchase history: repeat purchases `x`, the time of the last one `t_x` and
/// the age `t` (both from the first purchase), and how many customers share it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct History {
    pub x: f64,
    pub t_x: f64,
    pub t: f64,
    pub count: f64,
}

/// Fitted BG/NBD parameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BgNbd {
    pub r: f64,
    pub alpha: f64,
    pub a: f64,
    pub b: f64,
    pub log_likelihood: f64,
}

/// Fitted Gamma-Gamma parameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GammaGamma {
    pub p: f64,
    pub q: f64,
    pub v: f64,
    pub log_likelihood: f64,
}

/// Groups identical histories.
pub fn group(histories: &[(f64, f64, f64)]) -> Vec<History> {
    let mut sorted: Vec<(f64, f64, f64)> = histories.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.total_cmp(&b.2)));
    let mut out: Vec<History> = Vec::new();
    for (x, t_x, t) in sorted {
        match out.last_mut() {
            Some(h) if h.x == x && h.t_x == t_x && h.t == t => h.count += 1.0,
            _ => out.push(History { x, t_x, t, count: 1.0 }),
        }
    }
    out
}

/// The BG/NBD log-likelihood of one history.
fn bgnbd_ll(r: f64, alpha: f64, a: f64, b: f64, h: &History) -> f64 {
    let (x, t_x, t) = (h.x, h.t_x, h.t);
    let a1 = lgamma(r + x) - lgamma(r) + r * alpha.ln();
    let a2 = lgamma(a + b) + lgamma(b + x) - lgamma(b) - lgamma(a + b + x);
    let a3 = -(r + x) * (alpha + t).ln();
    let ll = if x > 0.0 {
        let a4 = a.ln() - (b + x - 1.0).ln() - (r + x) * (alpha + t_x).ln();
        let m = a3.max(a4);
        m + ((a3 - m).exp() + (a4 - m).exp()).ln()
    } else {
        a3
    };
    a1 + a2 + ll
}

/// The total BG/NBD log-likelihood.
pub fn bgnbd_log_likelihood(p: &BgNbd, data: &[History]) -> f64 {
    data.iter().map(|h| h.count * bgnbd_ll(p.r, p.alpha, p.a, p.b, h)).sum()
}

struct Negative<F: Fn(&[f64]) -> f64>(F);

impl<F: Fn(&[f64]) -> f64> CostFunction for Negative<F> {
    type Param = Vec<f64>;
    type Output = f64;
    fn cost(&self, p: &Self::Param) -> Result<f64, Error> {
        let v = -(self.0)(p);
        Ok(if v.is_finite() { v } else { f64::MAX })
    }
}

/// Minimises `cost` over the logarithms of `n` positive parameters, from all ones.
fn minimise(n: usize, cost: impl Fn(&[f64]) -> f64) -> Result<(Vec<f64>, f64), String> {
    let mut simplex = vec![vec![0.0; n]];
    for i in 0..n {
        let mut p = vec![0.0; n];
        p[i] = 0.5;
        simplex.push(p);
    }
    let solver = NelderMead::new(simplex).with_sd_tolerance(1e-9).map_err(|e| e.to_string())?;
    let result = Executor::new(Negative(|lp: &[f64]| cost(&lp.iter().map(|v| v.exp()).collect::<Vec<_>>())), solver)
        .configure(|s| s.max_iters(4_000))
        .run()
        .map_err(|e| e.to_string())?;
    let state = result.state();
    let best = state.get_best_param().ok_or("the fit found no parameters")?.iter().map(|v| v.exp()).collect();
    Ok((best, -state.get_best_cost()))
}

/// Fits BG/NBD to grouped histories. Fails without enough repeat buyers.
pub fn fit_bgnbd(data: &[History]) -> Result<BgNbd, String> {
    let repeat: f64 = data.iter().filter(|h| h.x > 0.0).map(|h| h.count).sum();
    if repeat < 20.0 {
        return Err(format!("only {repeat} customers bought more than once; the model needs at least 20"));
    }
    let (p, ll) = minimise(4, |p| data.iter().map(|h| h.count * bgnbd_ll(p[0], p[1], p[2], p[3], h)).sum())?;
    Ok(BgNbd { r: p[0], alpha: p[1], a: p[2], b: p[3], log_likelihood: ll })
}

/// Gauss's hypergeometric function 2F1(a, b; c; z) for |z| < 1, by its series.
fn hyp2f1(a: f64, b: f64, c: f64, z: f64) -> f64 {
    let (mut term, mut sum) = (1.0, 1.0);
    for k in 0..10_000 {
        let k = f64::from(k);
        term *= (a + k) * (b + k) / ((c + k) * (k + 1.0)) * z;
        sum += term;
        if term.abs() < 1e-15 * sum.abs() {
            break;
        }
    }
    sum
}

impl BgNbd {
    /// Expected purchases in the next `horizon` for a customer with history
    /// (x, t_x, t) (Fader, Hardie & Lee 2005, eq. 10).
    pub fn expected_purchases(&self, horizon: f64, x: f64, t_x: f64, t: f64) -> f64 {
        let (r, alpha, a, b) = (self.r, self.alpha, self.a, self.b);
        let z = horizon / (alpha + t + horizon);
        let head = (a + b + x - 1.0) / (a - 1.0);
        let tail = 1.0 - ((alpha + t) / (alpha + t + horizon)).powf(r + x) * hyp2f1(r + x, b + x, a + b + x - 1.0, z);
        let alive = if x > 0.0 { 1.0 + a / (b + x - 1.0) * ((alpha + t) / (alpha + t_x)).powf(r + x) } else { 1.0 };
        head * tail / alive
    }

    /// The probability the customer has not dropped out.
    pub fn p_alive(&self, x: f64, t_x: f64, t: f64) -> f64 {
        if x == 0.0 {
            return 1.0;
        }
        let (r, alpha, a, b) = (self.r, self.alpha, self.a, self.b);
        1.0 / (1.0 + a / (b + x - 1.0) * ((alpha + t) / (alpha + t_x)).powf(r + x))
    }
}

/// Fits Gamma-Gamma to repeat buyers: (repeat purchases x, their average spend).
pub fn fit_gamma_gamma(buyers: &[(f64, f64)]) -> Result<GammaGamma, String> {
    let buyers: Vec<(f64, f64)> = buyers.iter().copied().filter(|(x, m)| *x > 0.0 && *m > 0.0).collect();
    if buyers.len() < 20 {
        return Err(format!("only {} repeat buyers with spend; the model needs at least 20", buyers.len()));
    }
    let ll = |p: f64, q: f64, v: f64| -> f64 {
        buyers
            .iter()
            .map(|&(x, m)| {
                lgamma(p * x + q) - lgamma(p * x) - lgamma(q) + q * v.ln() + (p * x - 1.0) * m.ln() + (p * x) * x.ln()
                    - (p * x + q) * (x * m + v).ln()
            })
            .sum()
    };
    let (p, value) = minimise(3, |p| ll(p[0], p[1], p[2]))?;
    Ok(GammaGamma { p: p[0], q: p[1], v: p[2], log_likelihood: value })
}

impl GammaGamma {
    /// Expected average spend per order of a customer with `x` repeat purchases
    /// averaging `m`.
    pub fn expected_spend(&self, x: f64, m: f64) -> f64 {
        (self.p * (self.v + x * m)) / (self.p * x + self.q - 1.0)
    }
}

/// One customer's purchase history for the models.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Purchases {
    /// The customer's row in the customer table.
    pub row: usize,
    /// Repeat purchases: distinct purchase days minus one.
    pub x: f64,
    /// From the first purchase to the last, and to the as-of date, in `unit` days.
    pub t_x: f64,
    pub t: f64,
    /// Average spend of the repeat purchase days (`None` without repeats).
    pub spend: Option<f64>,
}

/// Every buyer's history from the workspace's orders (orders on the same day are one
/// purchase), with times in units of `unit_days` (1 for days, 7 for weeks).
pub fn purchase_histories(data: &crate::engine::data::CustomerData, unit_days: f64) -> Result<Vec<Purchases>, String> {
    use polars::prelude::DataType;
    let orders = data.orders.as_ref().ok_or("the model needs the orders (import an orders file)")?;
    let err = |e: polars::prelude::PolarsError| e.to_string();
    let customer = orders.column("customer").map_err(err)?.cast(&DataType::UInt32).map_err(err)?;
    let customer = customer.u32().map_err(err)?;
    let day = orders.column("order_date").map_err(err)?.cast(&DataType::Int32).map_err(err)?;
    let day = day.i32().map_err(err)?;
    let total = orders.column("total").map_err(err)?.cast(&DataType::Float64).map_err(err)?;
    let total = total.f64().map_err(err)?;
    let as_of = f64::from(crate::engine::import::columns::date_to_days(data.as_of));
    let mut out = Vec::new();
    // Orders come sorted by customer, then date: one customer's days at a time.
    let mut i = 0;
    let n = orders.height();
    while i < n {
        let Some(who) = customer.get(i) else {
            i += 1;
            continue;
        };
        let mut days: Vec<(i32, f64)> = Vec::new();
        while i < n && customer.get(i) == Some(who) {
            if let Some(d) = day.get(i) {
                let amount = total.get(i).unwrap_or(0.0);
                match days.last_mut() {
                    Some((last, sum)) if *last == d => *sum += amount,
                    _ => days.push((d, amount)),
                }
            }
            i += 1;
        }
        let (Some(first), Some(last)) = (days.first(), days.last()) else { continue };
        let x = days.len() - 1;
        #[allow(clippy::cast_precision_loss)]
        let spend = (x > 0).then(|| days[1..].iter().map(|(_, s)| s).sum::<f64>() / x as f64);
        #[allow(clippy::cast_precision_loss)]
        out.push(Purchases {
            row: who as usize,
            x: x as f64,
            t_x: f64::from(last.0 - first.0) / unit_days,
            t: (as_of - f64::from(first.0)) / unit_days,
            spend,
        });
    }
    Ok(out)
}
