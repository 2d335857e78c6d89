//! Suggested audiences: the rules of one or two conditions whose customers are
//! worth the most compared with everyone (lift of average LTV), at a minimum size.
//! Conditions come from every category field (its twelve most common values) and every
//! number field (above or below its quintile boundaries); fields that are money
//! or derived from it (LTV, orders, RFM, predictions) are left out, since "LTV above
//! X" finding valuable customers says nothing new. Candidates are counted on
//! bitsets, one rule is kept per set of fields; the figures shown come from the segment engine on the final rules, so
//! a saved suggestion finds exactly what it promised.

use std::sync::Arc;

use serde::Serialize;

use super::crosstab::TOP;
use super::float_values;
use crate::engine::data::CustomerData;
use crate::engine::fields::FieldType;
use crate::engine::segment::Rule;
use crate::engine::segment::evaluate::SegmentFrame;

/// Fields whose conditions would only restate value.
const RESTATES_VALUE: &[&str] = &[
    "ltv",
    "aov",
    "orders",
    "rfm_r",
    "rfm_f",
    "rfm_m",
    "rfm_group",
    "p_alive",
    "expected_orders_90d",
    "predicted_clv_12m",
];
/// Single conditions combined into pairs, at most.
const PAIR_FROM: usize = 40;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    /// One or two conditions (their text form in JSON).
    #[serde(serialize_with = "crate::engine::segment::text::serialize_rule")]
    pub rule: Rule,
    pub count: usize,
    pub share: f64,
    pub avg_ltv: f64,
    pub revenue_share: f64,
    /// Average LTV against everyone's.
    pub lift: f64,
}

/// A candidate condition: its rule, field and members.
struct Candidate {
    rule: Rule,
    field: String,
    bits: Vec<u64>,
}

fn bitset(n: usize, member: impl Fn(usize) -> bool) -> Vec<u64> {
    let mut bits = vec![0u64; n.div_ceil(64)];
    for i in (0..n).filter(|&i| member(i)) {
        bits[i / 64] |= 1 << (i % 64);
    }
    bits
}

/// Count and LTV sum (over customers with an LTV) of a bitset.
fn tally(bits: &[u64], ltv: &[Option<f64>]) -> (usize, f64, usize) {
    let (mut count, mut sum, mut known) = (0, 0.0, 0);
    for (w, &word) in bits.iter().enumerate() {
        let mut word = word;
        count += word.count_ones() as usize;
        while word != 0 {
            let i = w * 64 + word.trailing_zeros() as usize;
            if let Some(v) = ltv[i] {
                sum += v;
                known += 1;
            }
            word &= word - 1;
        }
    }
    (count, sum, known)
}

fn candidates(data: &CustomerData) -> Vec<Candidate> {
    let df = &data.customers;
    let n = df.height();
    let mut out = Vec::new();
    for field in data.fields.iter().filter(|f| !RESTATES_VALUE.contains(&f.name.as_str())) {
        let Ok(column) = df.column(&field.name) else { continue };
        match field.ty {
            FieldType::Category => {
                // The cross-tab's axis: the common values and who has each, in one pass.
                let Ok(axis) = super::crosstab::category_axis(column, &field.name, field.ty) else { continue };
                let mut bits = vec![vec![0u64; n.div_ceil(64)]; axis.rules.len().min(TOP)];
                for (i, position) in axis.index.iter().enumerate() {
                    if let Some(b) = position.and_then(|p| bits.get_mut(p)) {
                        b[i / 64] |= 1 << (i % 64);
                    }
                }
                out.extend(bits.into_iter().zip(axis.rules).map(|(bits, rule)| Candidate {
                    rule,
                    field: field.name.clone(),
                    bits,
                }));
            }
            FieldType::Number | FieldType::Integer => {
                let Ok(values) = float_values(column) else { continue };
                let mut known: Vec<f64> = values.iter().flatten().copied().filter(|v| v.is_finite()).collect();
                let mut bounds = super::rfm::quintile_bounds(&mut known);
                bounds.dedup();
                for b in bounds {
                    for at_least in [false, true] {
                        let on_field = Rule::field(&field.name);
                        out.push(Candidate {
                            rule: if at_least { on_field.ge(b) } else { on_field.lt(b) },
                            field: field.name.clone(),
                            bits: bitset(n, |i| values[i].is_some_and(|v| if at_least { v >= b } else { v < b })),
                        });
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Up to `limit` suggestions of at least `min_share` of the customers, best lift first.
pub fn suggested(data: &Arc<CustomerData>, min_share: f64, limit: usize) -> Result<Vec<Suggestion>, String> {
    let ltv_column = data.customers.column("ltv").map_err(|_| "suggestions need the customers' LTV".to_owned())?;
    let ltv = float_values(ltv_column).map_err(|e| e.to_string())?;
    let n = data.customers.height();
    let everyone = bitset(n, |_| true);
    let (_, total, known) = tally(&everyone, &ltv);
    if known == 0 || total <= 0.0 {
        return Err("no customer has an LTV".to_owned());
    }
    let (avg_all, min_count) = (total / known as f64, (min_share * n as f64).ceil() as usize);
    let lift = |(count, sum, known): (usize, f64, usize)| {
        (count >= min_count.max(1) && known > 0).then(|| sum / known as f64 / avg_all)
    };
    let singles = candidates(data);
    let mut scored: Vec<(f64, usize)> =
        singles.iter().enumerate().filter_map(|(i, c)| lift(tally(&c.bits, &ltv)).map(|l| (l, i))).collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    // (lift, rule, the fields it uses): one rule per set of fields, so the list is varied.
    let mut rules: Vec<(f64, Rule, String)> =
        scored.iter().map(|&(l, i)| (l, singles[i].rule.clone(), singles[i].field.clone())).collect();
    let best: Vec<(f64, usize)> = scored.iter().copied().take(PAIR_FROM).collect();
    for (x, &(lx, i)) in best.iter().enumerate() {
        for &(ly, j) in &best[x + 1..] {
            if singles[i].field == singles[j].field {
                continue;
            }
            let both: Vec<u64> = singles[i].bits.iter().zip(&singles[j].bits).map(|(a, b)| a & b).collect();
            if let Some(l) = lift(tally(&both, &ltv)).filter(|l| *l > lx.max(ly)) {
                let mut fields = [singles[i].field.as_str(), singles[j].field.as_str()];
                fields.sort_unstable();
                rules.push((l, singles[i].rule.clone().and(singles[j].rule.clone()), fields.join("+")));
            }
        }
    }
    rules.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut seen = std::collections::HashSet::new();
    rules.retain(|(_, _, fields)| seen.insert(fields.clone()));
    rules.truncate(limit);
    measure(data, rules.into_iter().map(|(_, r, _)| r).collect(), total, avg_all)
}

/// The suggestions' figures from the segment engine.
fn measure(data: &Arc<CustomerData>, rules: Vec<Rule>, revenue: f64, avg_all: f64) -> Result<Vec<Suggestion>, String> {
    let frame = SegmentFrame::new(Arc::clone(data));
    let n = data.customers.height();
    let mut out = Vec::new();
    for rule in rules {
        let stats = frame.stats(&frame.compile(&rule)).map_err(|e| e.to_string())?;
        let Some(avg_ltv) = stats.avg_ltv else { continue };
        out.push(Suggestion {
            share: stats.count as f64 / n as f64,
            revenue_share: stats.total_revenue.unwrap_or(0.0) / revenue,
            lift: avg_ltv / avg_all,
            count: stats.count,
            avg_ltv,
            rule,
        });
    }
    Ok(out)
}
