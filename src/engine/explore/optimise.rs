//! Maximum likelihood over positive parameters, shared by the BG/NBD and
//! Gamma-Gamma fits: L-BFGS (argmin) on the parameters' logarithms with the
//! models' analytic gradients, which converges in a few dozen evaluations; when the
//! line search gives up, Nelder-Mead (no gradients) from where it stopped.

use std::sync::Mutex;

use argmin::core::{CostFunction, Error, Executor, Gradient, State};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::neldermead::NelderMead;
use argmin::solver::quasinewton::LBFGS;

/// A log-likelihood over positive parameters.
pub(crate) trait LogLikelihood {
    /// The log-likelihood at `p` and its gradient with respect to `p`.
    fn value_and_gradient(&self, p: &[f64]) -> (f64, Vec<f64>);
}

/// A point (logarithms), the cost there and its gradient.
type Evaluated = (Vec<f64>, f64, Vec<f64>);

/// The negative log-likelihood over the parameters' logarithms, remembering the
/// last point (the line search asks for the cost and the gradient separately).
struct OverLogs<'a, L> {
    ll: &'a L,
    /// Scales the cost to about 1 at the start, so the first steps stay modest.
    scale: f64,
    last: Mutex<Option<Evaluated>>,
}

impl<'a, L: LogLikelihood> OverLogs<'a, L> {
    fn new(ll: &'a L, scale: f64) -> Self {
        Self { ll, scale, last: Mutex::new(None) }
    }

    fn eval(&self, lp: &[f64]) -> (f64, Vec<f64>) {
        if let Ok(last) = self.last.lock()
            && let Some((at, cost, gradient)) = last.as_ref()
            && at == lp
        {
            return (*cost, gradient.clone());
        }
        let p: Vec<f64> = lp.iter().map(|v| v.exp()).collect();
        let (value, gradient) = self.ll.value_and_gradient(&p);
        // d(−LL)/d(ln p) = −p · dLL/dp
        let gradient: Vec<f64> = gradient.iter().zip(&p).map(|(g, p)| -g * p * self.scale).collect();
        let (cost, gradient) = if value.is_finite() && gradient.iter().all(|g| g.is_finite()) {
            (-value * self.scale, gradient)
        } else {
            (f64::MAX, vec![0.0; p.len()])
        };
        if let Ok(mut last) = self.last.lock() {
            *last = Some((lp.to_vec(), cost, gradient.clone()));
        }
        (cost, gradient)
    }
}

impl<L: LogLikelihood> CostFunction for OverLogs<'_, L> {
    type Param = Vec<f64>;
    type Output = f64;
    fn cost(&self, lp: &Self::Param) -> Result<f64, Error> {
        Ok(self.eval(lp).0)
    }
}

impl<L: LogLikelihood> Gradient for OverLogs<'_, L> {
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;
    fn gradient(&self, lp: &Self::Param) -> Result<Vec<f64>, Error> {
        Ok(self.eval(lp).1)
    }
}

/// Maximises `ll` over `n` positive parameters starting from all ones; returns the
/// parameters and the log-likelihood there.
pub(crate) fn maximise<L: LogLikelihood>(n: usize, ll: &L) -> Result<(Vec<f64>, f64), String> {
    let at_start = ll.value_and_gradient(&vec![1.0; n]).0;
    let scale = if at_start.is_finite() { 1.0 / at_start.abs().max(1.0) } else { 1.0 };
    let mut from = vec![0.0; n];
    // A line search can stop short (rounding near the top): start again from the best
    // point, a few times, before falling back to Nelder-Mead.
    for _ in 0..4 {
        let lbfgs = LBFGS::new(MoreThuenteLineSearch::new(), 7)
            .with_tolerance_grad(1e-7)
            .and_then(|s| s.with_tolerance_cost(1e-11))
            .map_err(|e| e.to_string())?;
        let run =
            Executor::new(OverLogs::new(ll, scale), lbfgs).configure(|s| s.param(from.clone()).max_iters(300)).run();
        let Ok(result) = run else { break };
        let best = result.state().get_best_param().cloned().unwrap_or_else(|| from.clone());
        // Converged where the gradient (of the cost scaled to about 1) vanishes.
        let (cost, gradient) = OverLogs::new(ll, scale).eval(&best);
        if cost < f64::MAX && gradient.iter().map(|g| g * g).sum::<f64>().sqrt() < 1e-4 {
            return Ok((best.iter().map(|v| v.exp()).collect(), -cost / scale));
        }
        if best == from {
            break;
        }
        from = best;
    }
    nelder_mead(from, OverLogs::new(ll, scale))
}

/// Nelder-Mead from `from` (the logarithms), for when L-BFGS can't go on.
fn nelder_mead<L: LogLikelihood>(from: Vec<f64>, problem: OverLogs<'_, L>) -> Result<(Vec<f64>, f64), String> {
    let problem_scale = problem.scale;
    let mut simplex = vec![from.clone()];
    for i in 0..from.len() {
        let mut p = from.clone();
        p[i] += 0.5;
        simplex.push(p);
    }
    let solver = NelderMead::new(simplex).with_sd_tolerance(1e-9).map_err(|e| e.to_string())?;
    let result = Executor::new(problem, solver).configure(|s| s.max_iters(2_000)).run().map_err(|e| e.to_string())?;
    let state = result.state();
    let best = state.get_best_param().ok_or("the fit found no parameters")?.iter().map(|v| v.exp()).collect();
    let cost = state.get_best_cost();
    if !(cost.is_finite() && cost < f64::MAX) {
        return Err("the fit did not converge".into());
    }
    Ok((best, -cost / problem_scale))
}

/// The digamma function ψ(x) = d ln Γ(x) / dx for x > 0 (recurrence up to 6, then
/// the asymptotic series).
pub(crate) fn digamma(mut x: f64) -> f64 {
    let mut shift = 0.0;
    while x < 6.0 {
        shift -= 1.0 / x;
        x += 1.0;
    }
    let f = 1.0 / (x * x);
    let series = f * (1.0 / 12.0 - f * (1.0 / 120.0 - f * (1.0 / 252.0 - f * (1.0 / 240.0 - f / 132.0))));
    shift + x.ln() - 0.5 / x - series
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digamma_matches_known_values() {
        let euler = 0.577_215_664_901_532_9;
        assert!((digamma(1.0) + euler).abs() < 1e-10);
        assert!((digamma(0.5) + euler + 2.0 * std::f64::consts::LN_2).abs() < 1e-10);
        assert!((digamma(10.0) - 2.251_752_589_066_721).abs() < 1e-10);
    }

    struct Quadratic;
    impl LogLikelihood for Quadratic {
        // Highest at p = (2, 0.5).
        fn value_and_gradient(&self, p: &[f64]) -> (f64, Vec<f64>) {
            let (u, v) = (p[0] - 2.0, p[1] - 0.5);
            (-(u * u) - 3.0 * v * v, vec![-2.0 * u, -6.0 * v])
        }
    }

    #[test]
    fn maximise_finds_the_top() {
        let (p, value) = maximise(2, &Quadratic).unwrap();
        assert!((p[0] - 2.0).abs() < 1e-5 && (p[1] - 0.5).abs() < 1e-5, "{p:?}");
        assert!(value.abs() < 1e-9);
    }
}
