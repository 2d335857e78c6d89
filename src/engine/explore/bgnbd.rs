//! The BG/NBD model (Fader, Hardie & Lee 2005) of how often a customer buys and
//! whether they are still "alive", fitted by maximum likelihood. Customers with the
//! same (x, t_x, T) are grouped, and the Γ terms are summed per distinct x, so a
//! fit costs little at any store size.

use libm::lgamma;
use serde::Serialize;

use super::optimise::{LogLikelihood, digamma, maximise};

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

/// The BG/NBD log-likelihood of one history (the reference form; the fit uses
/// [`Likelihood`], which shares the terms that depend only on `x`).
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

/// The BG/NBD log-likelihood and its gradient in (r, α, a, b). The Γ terms depend
/// only on `x`, so they are summed once per distinct `x`; each history then costs a
/// few logarithms.
struct Likelihood<'a> {
    histories: &'a [History],
    /// Distinct repeat counts and how many customers have each.
    by_x: Vec<(f64, f64)>,
    customers: f64,
}

impl<'a> Likelihood<'a> {
    fn new(histories: &'a [History]) -> Self {
        let mut by_x: Vec<(f64, f64)> = Vec::new();
        for h in histories {
            match by_x.iter_mut().find(|(x, _)| *x == h.x) {
                Some((_, n)) => *n += h.count,
                None => by_x.push((h.x, h.count)),
            }
        }
        Self { histories, by_x, customers: histories.iter().map(|h| h.count).sum() }
    }

    /// One chunk of histories' terms: [value, d/dr, d/dα, d/da, d/db].
    fn histories_part(r: f64, alpha: f64, a: f64, b: f64, histories: &[History]) -> [f64; 5] {
        let ln_a = a.ln();
        let mut s = [0.0; 5];
        for h in histories {
            let (c, rx) = (h.count, r + h.x);
            let l3 = (alpha + h.t).ln();
            let a3 = -rx * l3;
            if h.x == 0.0 {
                s[0] += c * a3;
                s[1] -= c * l3;
                s[2] -= c * rx / (alpha + h.t);
                continue;
            }
            let l4 = (alpha + h.t_x).ln();
            let a4 = ln_a - (b + h.x - 1.0).ln() - rx * l4;
            let m = a3.max(a4);
            let (e3, e4) = ((a3 - m).exp(), (a4 - m).exp());
            let sum = e3 + e4;
            let (w3, w4) = (e3 / sum, e4 / sum);
            s[0] += c * (m + sum.ln());
            s[1] -= c * (w3 * l3 + w4 * l4);
            s[2] -= c * rx * (w3 / (alpha + h.t) + w4 / (alpha + h.t_x));
            s[3] += c * w4 / a;
            s[4] -= c * w4 / (b + h.x - 1.0);
        }
        s
    }
}

impl LogLikelihood for Likelihood<'_> {
    fn value_and_gradient(&self, p: &[f64]) -> (f64, Vec<f64>) {
        use rayon::prelude::*;
        let (r, alpha, a, b) = (p[0], p[1], p[2], p[3]);
        let n = self.customers;
        let mut s = [
            n * (-lgamma(r) + r * alpha.ln() + lgamma(a + b) - lgamma(b)),
            n * (-digamma(r) + alpha.ln()),
            n * r / alpha,
            n * digamma(a + b),
            n * (digamma(a + b) - digamma(b)),
        ];
        for &(x, k) in &self.by_x {
            s[0] += k * (lgamma(r + x) + lgamma(b + x) - lgamma(a + b + x));
            s[1] += k * digamma(r + x);
            s[3] -= k * digamma(a + b + x);
            s[4] += k * (digamma(b + x) - digamma(a + b + x));
        }
        // Large stores: the histories in parallel chunks, summed in order (the same
        // answer every time, so the fit takes the same path).
        let parts = if self.histories.len() > 50_000 {
            self.histories
                .par_chunks(16_384)
                .map(|c| Self::histories_part(r, alpha, a, b, c))
                .collect::<Vec<_>>()
                .iter()
                .fold([0.0; 5], |acc, part| std::array::from_fn(|i| acc[i] + part[i]))
        } else {
            Self::histories_part(r, alpha, a, b, self.histories)
        };
        (s[0] + parts[0], (1..5).map(|i| s[i] + parts[i]).collect())
    }
}

/// Fits BG/NBD to grouped histories. Fails without enough repeat buyers.
pub fn fit_bgnbd(data: &[History]) -> Result<BgNbd, String> {
    let repeat: f64 = data.iter().filter(|h| h.x > 0.0).map(|h| h.count).sum();
    if repeat < super::predict::MIN_REPEAT as f64 {
        return Err(format!("only {repeat} customers bought more than once; the model needs at least 20"));
    }
    let (p, ll) = maximise(4, &Likelihood::new(data))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<History> {
        let raw = [
            (0.0, 0.0, 38.0),
            (2.0, 30.4, 38.9),
            (1.0, 2.0, 30.0),
            (5.0, 20.0, 36.0),
            (0.0, 0.0, 33.0),
            (3.0, 11.0, 35.0),
        ];
        raw.iter().map(|&(x, t_x, t)| History { x, t_x, t, count: 1.0 + x }).collect()
    }

    #[test]
    fn grouped_likelihood_and_gradient_match_the_formula() {
        let data = sample();
        let ll = Likelihood::new(&data);
        let at = [0.4, 3.0, 0.8, 2.5];
        let reference = |p: &[f64; 4]| {
            bgnbd_log_likelihood(&BgNbd { r: p[0], alpha: p[1], a: p[2], b: p[3], log_likelihood: 0.0 }, &data)
        };
        let (value, gradient) = ll.value_and_gradient(&at);
        assert!((value - reference(&at)).abs() < 1e-9, "{value} vs {}", reference(&at));
        for i in 0..4 {
            let mut up = at;
            up[i] += 1e-6;
            let numeric = (reference(&up) - reference(&at)) / 1e-6;
            assert!((numeric - gradient[i]).abs() < 1e-4 * numeric.abs().max(1.0), "{i}: {numeric} vs {}", gradient[i]);
        }
    }
}
