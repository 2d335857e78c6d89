//! Conditions relative to the store's own values today: `ltv in top 10%`,
//! `orders in bottom 25%`, `aov above median`, `days_since_last_order below
//! average`. They are measured over the customers who have a value in the field
//! (an empty value is never in the top, the bottom or above anything, and does not
//! count towards the percentages), each time the rule is evaluated, so a segment
//! made as "the top 10%" stays the top 10% after a re-import.
//!
//! - **top N%**: values at least the k-th highest, k = ⌈N% × customers with a
//!   value⌉ (at least one). Customers tied with the k-th are all in, so ties can
//!   make it a little more than N%.
//! - **bottom N%**: values at most the k-th lowest.
//! - **median**: the middle value (nearest rank: the ⌈n/2⌉-th lowest, the lower of
//!   the two middle ones for an even count); above and below are strict.
//! - **average**: the mean; above and below are strict.
//!
//! Each resolves to an ordinary comparison with a number ([`Bound`]), which the
//! engine evaluates with its usual kernels; `why` shows the number, and the SQL
//! writer says the same with counts over the table.

use serde::Serialize;

use super::Op;

/// A relative condition resolved on today's values.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "keep", content = "value")]
pub enum Bound {
    AtLeast(f64),
    AtMost(f64),
    Above(f64),
    Below(f64),
}

impl Bound {
    pub fn value(self) -> f64 {
        match self {
            Bound::AtLeast(v) | Bound::AtMost(v) | Bound::Above(v) | Bound::Below(v) => v,
        }
    }

    pub fn holds(self, v: f64) -> bool {
        match self {
            Bound::AtLeast(t) => v >= t,
            Bound::AtMost(t) => v <= t,
            Bound::Above(t) => v > t,
            Bound::Below(t) => v < t,
        }
    }
}

/// The percentage of a top/bottom condition, when it is one in (0, 100].
pub fn percent(text: &str) -> Option<f64> {
    let p: f64 = text.trim().trim_end_matches('%').trim().parse().ok()?;
    (p > 0.0 && p <= 100.0).then_some(p)
}

/// How many values the top or bottom `percent`% of `n` values are (at least one);
/// reckoned as `percent × n / 100`, in that order, as the SQL writer does.
pub fn top_count(percent: f64, n: usize) -> usize {
    ((percent * n as f64 / 100.0).ceil() as usize).clamp(1, n.max(1))
}

/// The bound of relative operator `op` over `values` (the field's values, empties
/// left out; reordered in place). `None` when there are no values (nobody matches)
/// or `op` is not relative.
pub fn bound(values: &mut [f64], op: Op, percent: f64) -> Option<Bound> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let nth = |values: &mut [f64], i: usize| *values.select_nth_unstable_by(i, f64::total_cmp).1;
    Some(match op {
        Op::TopPercent => Bound::AtLeast(nth(values, n - top_count(percent, n))),
        Op::BottomPercent => Bound::AtMost(nth(values, top_count(percent, n) - 1)),
        Op::AboveMedian | Op::BelowMedian => {
            let median = nth(values, n.div_ceil(2) - 1);
            if op == Op::AboveMedian { Bound::Above(median) } else { Bound::Below(median) }
        }
        Op::AboveAverage | Op::BelowAverage => {
            let mean = values.iter().sum::<f64>() / n as f64;
            if op == Op::AboveAverage { Bound::Above(mean) } else { Bound::Below(mean) }
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Straight from the definitions: sort, count, compare.
    fn kept(values: &[f64], op: Op, percent: f64) -> usize {
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let k = ((percent * n as f64 / 100.0).ceil() as usize).max(1);
        let keep = |v: f64| match op {
            Op::TopPercent => v >= sorted[n - k],
            Op::BottomPercent => v <= sorted[k - 1],
            Op::AboveMedian => v > sorted[n.div_ceil(2) - 1],
            Op::BelowMedian => v < sorted[n.div_ceil(2) - 1],
            _ => unreachable!(),
        };
        values.iter().filter(|v| keep(**v)).count()
    }

    #[test]
    fn bounds_keep_what_the_definitions_say() {
        let values: Vec<f64> = (1..=1000).map(|i| f64::from(i % 97) * 3.5 + f64::from(i / 10)).collect();
        for op in [Op::TopPercent, Op::BottomPercent, Op::AboveMedian, Op::BelowMedian] {
            for p in [0.5, 1.0, 10.0, 25.0, 33.3, 50.0, 99.9, 100.0] {
                let b = bound(&mut values.clone(), op, p).unwrap();
                assert_eq!(values.iter().filter(|v| b.holds(**v)).count(), kept(&values, op, p), "{op:?} {p}");
            }
        }
        let distinct: Vec<f64> = (0..1000).map(f64::from).collect();
        let top = bound(&mut distinct.clone(), Op::TopPercent, 10.0).unwrap();
        assert_eq!(top, Bound::AtLeast(900.0));
        assert_eq!(distinct.iter().filter(|v| top.holds(**v)).count(), 100, "exactly 10% without ties");
        assert_eq!(bound(&mut [1.0, 2.0, 6.0], Op::AboveAverage, 0.0), Some(Bound::Above(3.0)));
        assert_eq!(bound(&mut [], Op::TopPercent, 10.0), None);
        assert_eq!(bound(&mut [5.0], Op::TopPercent, 10.0), Some(Bound::AtLeast(5.0)), "one value is its own top");
    }

    #[test]
    fn percentages_are_between_0_and_100() {
        assert_eq!(percent("10"), Some(10.0));
        assert_eq!(percent("2.5%"), Some(2.5));
        for bad in ["0", "-5", "101", "x", ""] {
            assert_eq!(percent(bad), None, "{bad}");
        }
    }
}
