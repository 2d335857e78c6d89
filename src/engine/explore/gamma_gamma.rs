//! The Gamma-Gamma model (Fader & Hardie 2013) of how much a repeat buyer spends
//! per purchase, fitted by maximum likelihood on the repeat buyers' purchase counts
//! and average spend. The Γ terms depend only on the count, so they are summed once
//! per distinct count; each buyer then costs one logarithm per evaluation.

use libm::lgamma;
use serde::Serialize;

use super::optimise::{LogLikelihood, digamma, maximise};

/// Fitted Gamma-Gamma parameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GammaGamma {
    pub p: f64,
    pub q: f64,
    pub v: f64,
    pub log_likelihood: f64,
}

impl GammaGamma {
    /// Expected average spend per purchase of a customer with `x` repeat purchases
    /// averaging `m` (with `x` = 0, the population mean).
    pub fn expected_spend(&self, x: f64, m: f64) -> f64 {
        (self.p * (self.v + x * m)) / (self.p * x + self.q - 1.0)
    }
}

/// The log-likelihood and its gradient in (p, q, v).
struct Likelihood {
    /// Repeat buyers as (x, x·m).
    buyers: Vec<(f64, f64)>,
    /// Distinct x: (x, buyers, Σ ln m).
    by_x: Vec<(f64, f64, f64)>,
}

impl Likelihood {
    fn new(buyers: &[(f64, f64)]) -> Self {
        let mut by_x: Vec<(f64, f64, f64)> = Vec::new();
        for &(x, m) in buyers {
            match by_x.iter_mut().find(|(bx, ..)| *bx == x) {
                Some((_, n, s)) => {
                    *n += 1.0;
                    *s += m.ln();
                }
                None => by_x.push((x, 1.0, m.ln())),
            }
        }
        Self { buyers: buyers.iter().map(|&(x, m)| (x, x * m)).collect(), by_x }
    }

    /// One chunk of buyers' terms: [value, d/dp, d/dq, d/dv].
    fn buyers_part(p: f64, q: f64, v: f64, buyers: &[(f64, f64)]) -> [f64; 4] {
        let mut s = [0.0; 4];
        for &(x, xm) in buyers {
            let (l, shape) = ((xm + v).ln(), p * x + q);
            s[0] -= shape * l;
            s[1] -= x * l;
            s[2] -= l;
            s[3] -= shape / (xm + v);
        }
        s
    }
}

impl LogLikelihood for Likelihood {
    fn value_and_gradient(&self, params: &[f64]) -> (f64, Vec<f64>) {
        use rayon::prelude::*;
        let (p, q, v) = (params[0], params[1], params[2]);
        let n = self.buyers.len() as f64;
        let mut s = [n * (-lgamma(q) + q * v.ln()), 0.0, n * (-digamma(q) + v.ln()), n * q / v];
        for &(x, k, sum_ln_m) in &self.by_x {
            let px = p * x;
            s[0] += k * (lgamma(px + q) - lgamma(px) + px * x.ln()) + (px - 1.0) * sum_ln_m;
            s[1] += k * x * (digamma(px + q) - digamma(px) + x.ln()) + x * sum_ln_m;
            s[2] += k * digamma(px + q);
        }
        let parts = if self.buyers.len() > 50_000 {
            self.buyers
                .par_chunks(16_384)
                .map(|c| Self::buyers_part(p, q, v, c))
                .collect::<Vec<_>>()
                .iter()
                .fold([0.0; 4], |acc, part| std::array::from_fn(|i| acc[i] + part[i]))
        } else {
            Self::buyers_part(p, q, v, &self.buyers)
        };
        (s[0] + parts[0], (1..4).map(|i| s[i] + parts[i]).collect())
    }
}

/// Fits Gamma-Gamma to repeat buyers: (repeat purchases x, their average spend).
pub fn fit_gamma_gamma(buyers: &[(f64, f64)]) -> Result<GammaGamma, String> {
    let buyers: Vec<(f64, f64)> = buyers.iter().copied().filter(|(x, m)| *x > 0.0 && *m > 0.0).collect();
    if buyers.len() < 20 {
        return Err(format!("only {} repeat buyers with spend; the model needs at least 20", buyers.len()));
    }
    let (p, value) = maximise(3, &Likelihood::new(&buyers))?;
    Ok(GammaGamma { p: p[0], q: p[1], v: p[2], log_likelihood: value })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The per-buyer formula, term by term, for checking the grouped one.
    fn reference(p: f64, q: f64, v: f64, buyers: &[(f64, f64)]) -> f64 {
        buyers
            .iter()
            .map(|&(x, m)| {
                lgamma(p * x + q) - lgamma(p * x) - lgamma(q) + q * v.ln() + (p * x - 1.0) * m.ln() + (p * x) * x.ln()
                    - (p * x + q) * (x * m + v).ln()
            })
            .sum()
    }

    #[test]
    fn grouped_likelihood_and_gradient_match_the_formula() {
        let buyers = [(1.0, 20.0), (2.0, 35.5), (1.0, 12.0), (4.0, 80.0), (2.0, 9.0)];
        let ll = Likelihood::new(&buyers);
        let at = [2.1, 3.4, 11.0];
        let (value, gradient) = ll.value_and_gradient(&at);
        assert!((value - reference(at[0], at[1], at[2], &buyers)).abs() < 1e-9);
        for i in 0..3 {
            let mut up = at;
            up[i] += 1e-6;
            let numeric = (reference(up[0], up[1], up[2], &buyers) - reference(at[0], at[1], at[2], &buyers)) / 1e-6;
            assert!((numeric - gradient[i]).abs() < 1e-4 * numeric.abs().max(1.0), "{i}: {numeric} vs {}", gradient[i]);
        }
    }
}
