//! A readable rule for a group of customers: a decision tree of depth three,
//! one group against the rest, grown greedily by Gini impurity on a sample, with
//! thresholds at the values' quantiles (rounded to three significant digits so the
//! rule reads well). The leaf that best finds the group (highest F1) gives the
//! rule: the conditions on its path, those on the same field merged.

use crate::engine::data::CustomerData;
use crate::engine::fields::FieldType;

/// One condition of a rule: `field < value` or `field >= value`.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub field: String,
    pub at_least: bool,
    pub value: f64,
}

impl Condition {
    /// The condition as a segment rule.
    pub fn rule(&self) -> crate::engine::segment::Rule {
        let field = crate::engine::segment::Rule::field(&self.field);
        if self.at_least { field.ge(self.value) } else { field.lt(self.value) }
    }
}

/// `v` rounded to three significant digits.
fn three_digits(v: f64) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    let scale = 10f64.powi(2 - v.abs().log10().floor() as i32);
    (v * scale).round() / scale
}

/// Gini impurity of a node with `pos` of `n` in the group.
fn gini(pos: usize, n: usize) -> f64 {
    if n == 0 {
        return 0.0;
    }
    let p = pos as f64 / n as f64;
    2.0 * p * (1.0 - p)
}

struct Split {
    field: usize,
    value: f64,
    impurity: f64,
}

/// The best split of `idx` over the usable fields, if any lowers the impurity.
fn best_split(raw: &[Vec<f64>], usable: &[usize], idx: &[usize], target: &[bool]) -> Option<Split> {
    let pos = idx.iter().filter(|&&i| target[i]).count();
    let mut best: Option<Split> = None;
    let parent = gini(pos, idx.len());
    for &j in usable {
        let mut values: Vec<f64> = idx.iter().map(|&i| raw[j][i]).collect();
        values.sort_unstable_by(f64::total_cmp);
        let mut tried: Vec<f64> = Vec::new();
        for q in 1..16 {
            let t = three_digits(values[values.len() * q / 16]);
            if tried.contains(&t) {
                continue;
            }
            tried.push(t);
            let (mut n_left, mut pos_left) = (0, 0);
            for &i in idx {
                if raw[j][i] < t {
                    n_left += 1;
                    pos_left += usize::from(target[i]);
                }
            }
            let n_right = idx.len() - n_left;
            if n_left == 0 || n_right == 0 {
                continue;
            }
            let impurity = (n_left as f64 * gini(pos_left, n_left) + n_right as f64 * gini(pos - pos_left, n_right))
                / idx.len() as f64;
            if impurity < parent - 1e-12 && best.as_ref().is_none_or(|b| impurity < b.impurity) {
                best = Some(Split { field: j, value: t, impurity });
            }
        }
    }
    best
}

/// A path from the root: (field, at least, value) per split.
type Path = Vec<(usize, bool, f64)>;

/// Leaves of the tree under `idx`: their paths and (group members, size).
fn leaves(
    raw: &[Vec<f64>],
    usable: &[usize],
    idx: Vec<usize>,
    target: &[bool],
    path: Path,
    out: &mut Vec<(Path, usize, usize)>,
) {
    let pos = idx.iter().filter(|&&i| target[i]).count();
    let split = if path.len() < 3 && pos > 0 && pos < idx.len() { best_split(raw, usable, &idx, target) } else { None };
    let Some(s) = split else {
        out.push((path, pos, idx.len()));
        return;
    };
    let (left, right): (Vec<usize>, Vec<usize>) = idx.iter().partition(|&&i| raw[s.field][i] < s.value);
    for (side, at_least) in [(left, false), (right, true)] {
        let mut p = path.clone();
        p.push((s.field, at_least, s.value));
        leaves(raw, usable, side, target, p, out);
    }
}

/// The rule (at most three conditions) that best finds `target` among the points
/// `sample`, over `fields` (their values in `raw`, one vector per field). Dates
/// and fields the data lacks are left out of rules.
pub fn rule_for(
    raw: &[Vec<f64>],
    fields: &[String],
    data: &CustomerData,
    sample: &[usize],
    target: &[bool],
) -> Vec<Condition> {
    let usable: Vec<usize> = (0..fields.len())
        .filter(|&j| {
            data.field(&fields[j])
                .is_some_and(|f| matches!(f.ty, FieldType::Number | FieldType::Money | FieldType::Integer))
        })
        .collect();
    let total_pos = sample.iter().filter(|&&i| target[i]).count();
    let mut found = Vec::new();
    leaves(raw, &usable, sample.to_vec(), target, Vec::new(), &mut found);
    let f1 = |pos: usize, n: usize| 2.0 * pos as f64 / (n + total_pos).max(1) as f64;
    let Some((path, ..)) = found.into_iter().max_by(|a, b| f1(a.1, a.2).total_cmp(&f1(b.1, b.2))) else {
        return Vec::new();
    };
    merge(path.iter().map(|&(j, at_least, value)| Condition { field: fields[j].clone(), at_least, value }).collect())
}

/// Keeps the tightest bound of each kind per field.
fn merge(conditions: Vec<Condition>) -> Vec<Condition> {
    let mut out: Vec<Condition> = Vec::new();
    for c in conditions {
        match out.iter_mut().find(|o| o.field == c.field && o.at_least == c.at_least) {
            Some(o) if c.at_least => o.value = o.value.max(c.value),
            Some(o) => o.value = o.value.min(c.value),
            None => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_and_text_read_well() {
        assert_eq!(three_digits(1523.77), 1520.0);
        assert_eq!(three_digits(0.012345), 0.0123);
        let c = Condition { field: "ltv".into(), at_least: true, value: 1520.0 };
        let text = |c: &Condition| crate::engine::segment::to_text(&c.rule());
        assert_eq!(text(&c), "ltv >= 1520");
        let merged = merge(vec![
            Condition { field: "orders".into(), at_least: true, value: 2.0 },
            Condition { field: "orders".into(), at_least: true, value: 4.0 },
            Condition { field: "orders".into(), at_least: false, value: 9.0 },
        ]);
        assert_eq!(merged.iter().map(text).collect::<Vec<_>>(), ["orders >= 4", "orders < 9"]);
    }
}
