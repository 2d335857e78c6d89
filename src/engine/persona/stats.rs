//! The small statistics a persona's fit is built from: shares with Wilson
//! intervals, Cohen's h between two shares, and quantiles.

/// z for a two-sided 95% interval.
const Z95: f64 = 1.959_963_984_540_054;

/// The 95% Wilson score interval of `k` successes in `n` tries; `None` for `n = 0`.
pub fn wilson(k: usize, n: usize) -> Option<(f64, f64)> {
    if n == 0 {
        return None;
    }
    let (k, n) = (k as f64, n as f64);
    let p = k / n;
    let z2 = Z95 * Z95;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z95 / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Some(((centre - half).max(0.0), (centre + half).min(1.0)))
}

/// Cohen's h, the effect size between two proportions: `2·asin(√p) − 2·asin(√q)`.
/// 0.2 is a small effect, 0.5 medium, 0.8 large.
pub fn cohen_h(p: f64, q: f64) -> f64 {
    2.0 * p.clamp(0.0, 1.0).sqrt().asin() - 2.0 * q.clamp(0.0, 1.0).sqrt().asin()
}

/// The `q`-quantile (0–1) of `values` by the nearest-rank method, reordering them.
pub fn quantile(values: &mut [f64], q: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let rank = ((q.clamp(0.0, 1.0) * values.len() as f64).ceil() as usize).clamp(1, values.len()) - 1;
    let (_, v, _) = values.select_nth_unstable_by(rank, f64::total_cmp);
    Some(*v)
}

/// The values at ascending 0-based `ranks` of `values` (reordering them), each
/// selected right of the previous one, so several cost little more than one.
pub fn select_ranks(values: &mut [f64], ranks: &[usize]) -> Vec<f64> {
    let mut out = Vec::with_capacity(ranks.len());
    let mut start = 0;
    for &rank in ranks {
        if rank >= values.len() || rank < start {
            break;
        }
        let (_, v, _) = values[start..].select_nth_unstable_by(rank - start, f64::total_cmp);
        out.push(*v);
        start = rank;
    }
    out
}

/// Share `k / n`, `None` for `n = 0`.
pub fn share(k: usize, n: usize) -> Option<f64> {
    (n > 0).then(|| k as f64 / n as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_matches_published_values() {
        // 81 of 263: 0.2553–0.3662 (Wilson 1927 as tabulated by Newcombe 1998, method 3).
        let (lo, hi) = wilson(81, 263).unwrap();
        assert!((lo - 0.2553).abs() < 1e-4 && (hi - 0.3662).abs() < 1e-4, "{lo} {hi}");
        let (lo, hi) = wilson(0, 10).unwrap();
        assert!(lo == 0.0 && (hi - 0.2775).abs() < 1e-4, "{hi}");
        assert!(wilson(0, 0).is_none());
    }

    #[test]
    fn effect_sizes_and_quantiles() {
        assert!((cohen_h(0.5, 0.5)).abs() < 1e-12);
        assert!((cohen_h(0.44, 0.14) - 0.683_512_4).abs() < 1e-6);
        let mut v = vec![5.0, 1.0, 4.0, 2.0, 3.0];
        assert_eq!(quantile(&mut v, 0.5), Some(3.0));
        assert_eq!(quantile(&mut v, 0.0), Some(1.0));
        assert_eq!(quantile(&mut v, 1.0), Some(5.0));
        assert_eq!(quantile(&mut [], 0.5), None);
    }
}
