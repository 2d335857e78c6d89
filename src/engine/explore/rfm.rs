//! RFM: recency (days since the last order), frequency (orders) and money (LTV),
//! each scored 1–5 over the store's own customers with orders.
//!
//! Recency and money are scored by quintile: a score is 1 plus how many of the four
//! quintile boundaries (the values at the 20th, 40th, 60th and 80th percentile,
//! nearest rank) the customer's value is above, so equal values always share a
//! score; for recency fewer days is better, so days are negated first.
//!
//! Frequency has too many ties for quintiles: in most stores well over 40% of
//! buyers have one order, so the 20th and 40th percentiles are both 1 and score 2
//! is always empty. It uses fixed breaks instead — 1 order, 2, 3, 4–5, 6 or more
//! ([`frequency_score`]) — so a score means the same in every store and the same
//! order count always shares a score.
//!
//! Customers without orders are "prospects". Groups come from one table,
//! first matching rule wins ([`GROUPS`]); a customer no rule matches is in
//! "others". `rfm_r`, `rfm_f`, `rfm_m` and `rfm_group` are derived fields, usable
//! in segments and personas.

use polars::prelude::*;
use serde::Serialize;

use crate::engine::data::{CustomerData, FieldInfo, FieldOrigin};
use crate::engine::fields::FieldType;
use crate::engine::segment::Rule;

/// A named RFM group: its id, and the inclusive score ranges of R, F and M.
pub struct GroupRule {
    pub id: &'static str,
    pub r: (u8, u8),
    pub f: (u8, u8),
    pub m: (u8, u8),
}

/// The groups, in the order they are tried (first match wins).
pub const GROUPS: &[GroupRule] = &[
    GroupRule { id: "champions", r: (4, 5), f: (4, 5), m: (4, 5) },
    GroupRule { id: "loyal", r: (3, 5), f: (3, 5), m: (3, 5) },
    GroupRule { id: "potential_loyalists", r: (4, 5), f: (2, 3), m: (2, 5) },
    GroupRule { id: "new", r: (5, 5), f: (1, 1), m: (1, 5) },
    GroupRule { id: "promising", r: (4, 4), f: (1, 1), m: (1, 5) },
    GroupRule { id: "needs_attention", r: (3, 3), f: (2, 3), m: (2, 3) },
    GroupRule { id: "about_to_sleep", r: (3, 3), f: (1, 2), m: (1, 5) },
    GroupRule { id: "cant_lose_them", r: (1, 2), f: (4, 5), m: (4, 5) },
    GroupRule { id: "at_risk", r: (1, 2), f: (3, 5), m: (3, 5) },
    GroupRule { id: "hibernating", r: (2, 2), f: (1, 2), m: (1, 5) },
    GroupRule { id: "lost", r: (1, 1), f: (1, 2), m: (1, 5) },
];

/// Customers no rule matches.
pub const OTHERS: &str = "others";
/// Customers without orders.
pub const PROSPECTS: &str = "prospects";

/// The group of a customer's scores.
pub fn group_of(r: u8, f: u8, m: u8) -> &'static str {
    group_index(r, f, m).map_or(OTHERS, |i| GROUPS[i].id)
}

/// The index in [`GROUPS`] of the first rule the scores match.
pub fn group_index(r: u8, f: u8, m: u8) -> Option<usize> {
    let within = |v: u8, (lo, hi): (u8, u8)| (lo..=hi).contains(&v);
    GROUPS.iter().position(|g| within(r, g.r) && within(f, g.f) && within(m, g.m))
}

/// [`group_index`] of every score triple, looked up instead of tried rule by rule.
fn group_table() -> [[[Option<usize>; 5]; 5]; 5] {
    let mut table = [[[None; 5]; 5]; 5];
    for r in 1..=5u8 {
        for f in 1..=5u8 {
            for m in 1..=5u8 {
                table[usize::from(r - 1)][usize::from(f - 1)][usize::from(m - 1)] = group_index(r, f, m);
            }
        }
    }
    table
}

/// 1–5 scores of `values` (`None` stays `None`), by the quintile rule above.
pub fn quintile_scores(values: &[Option<f64>]) -> Vec<Option<u8>> {
    let mut known: Vec<f64> = values.iter().flatten().copied().filter(|v| v.is_finite()).collect();
    let bounds = quintile_bounds(&mut known);
    values
        .iter()
        .map(|v| {
            let v = (*v)?;
            Some(1 + bounds.iter().filter(|b| v > **b).count() as u8)
        })
        .collect()
}

/// The frequency score of an order count: 1, 2, 3, 4–5, 6 or more orders score
/// 1 to 5 (`None` below one order).
pub fn frequency_score(orders: f64) -> Option<u8> {
    if orders.is_nan() || orders < 1.0 {
        return None;
    }
    match orders {
        o if o < 2.0 => Some(1),
        o if o < 3.0 => Some(2),
        o if o < 4.0 => Some(3),
        o if o < 6.0 => Some(4),
        _ => Some(5),
    }
}

/// The values at the 20th, 40th, 60th and 80th percentiles (nearest rank), each
/// selected within what is right of the previous one.
pub(crate) fn quintile_bounds(known: &mut [f64]) -> Vec<f64> {
    let n = known.len();
    let ranks: Vec<usize> =
        [0.2, 0.4, 0.6, 0.8].iter().map(|q| ((q * n as f64).ceil() as usize).clamp(1, n.max(1)) - 1).collect();
    crate::engine::persona::stats::select_ranks(known, &ranks)
}

/// Every customer's scores and group.
pub struct Scores {
    pub r: Vec<Option<u8>>,
    pub f: Vec<Option<u8>>,
    pub m: Vec<Option<u8>>,
    pub group: Vec<&'static str>,
}

fn column(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<f64>>> {
    match df.column(name) {
        Ok(c) => super::float_values(c),
        Err(_) => Ok(vec![None; df.height()]),
    }
}

/// Scores the customers of a customer table (needs `days_since_last_order`,
/// `orders` and `ltv`; customers with no order are prospects).
pub fn score(df: &DataFrame) -> PolarsResult<Scores> {
    let days = column(df, "days_since_last_order")?;
    let orders = column(df, "orders")?;
    let ltv = column(df, "ltv")?;
    let buyer: Vec<bool> = orders.iter().zip(&days).map(|(o, d)| o.is_some_and(|o| o >= 1.0) && d.is_some()).collect();
    let only_buyers = |v: &[Option<f64>]| -> Vec<Option<f64>> {
        v.iter().zip(&buyer).map(|(v, b)| if *b { *v } else { None }).collect()
    };
    let r = quintile_scores(&only_buyers(&days.iter().map(|d| d.map(|d| -d)).collect::<Vec<_>>()));
    let f: Vec<Option<u8>> = only_buyers(&orders).iter().map(|o| o.and_then(frequency_score)).collect();
    let m = quintile_scores(&only_buyers(&ltv));
    let table = group_table();
    let group = (0..df.height())
        .map(|i| match (buyer[i], r[i], f[i], m[i]) {
            (false, ..) => PROSPECTS,
            (true, Some(r), Some(f), Some(m)) => {
                let index = table[usize::from(r - 1)][usize::from(f - 1)][usize::from(m - 1)];
                index.map_or(OTHERS, |i| GROUPS[i].id)
            }
            _ => OTHERS,
        })
        .collect();
    Ok(Scores { r, f, m, group })
}

/// Adds `rfm_r`, `rfm_f`, `rfm_m` and `rfm_group` to a customer table that has orders.
pub fn add_rfm_fields(df: &mut DataFrame, fields: &mut Vec<FieldInfo>) -> PolarsResult<()> {
    if df.column("orders").is_err() || df.column("days_since_last_order").is_err() {
        return Ok(());
    }
    let s = score(df)?;
    for (name, values) in [("rfm_r", &s.r), ("rfm_f", &s.f), ("rfm_m", &s.m)] {
        let ca: Int64Chunked = values.iter().map(|v| v.map(i64::from)).collect();
        df.with_column(ca.with_name(name.into()).into_column())?;
        fields.push(FieldInfo { name: name.into(), ty: FieldType::Integer, origin: FieldOrigin::Derived });
    }
    let groups = Series::new("rfm_group".into(), s.group);
    df.with_column(groups.into_column())?;
    fields.push(FieldInfo { name: "rfm_group".into(), ty: FieldType::Category, origin: FieldOrigin::Derived });
    Ok(())
}

/// A group's or a grid cell's figures.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Figures {
    pub count: usize,
    pub share: f64,
    pub avg_ltv: Option<f64>,
    pub revenue_share: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupFigures {
    pub name: &'static str,
    #[serde(flatten)]
    pub figures: Figures,
}

/// The groups' figures and the 5×5 grid (`grid[r-1][f-1]`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rfm {
    pub groups: Vec<GroupFigures>,
    pub grid: Vec<Vec<Figures>>,
}

/// Count, LTV sum and LTV count of one group or cell.
#[derive(Clone, Copy, Default)]
struct Tally {
    count: usize,
    sum: f64,
    known: usize,
}

impl Tally {
    fn add(&mut self, ltv: Option<f64>) {
        self.count += 1;
        if let Some(v) = ltv {
            self.sum += v;
            self.known += 1;
        }
    }

    fn figures(self, n: usize, revenue: f64) -> Figures {
        Figures {
            count: self.count,
            share: if n > 0 { self.count as f64 / n as f64 } else { 0.0 },
            avg_ltv: (self.known > 0).then(|| self.sum / self.known as f64),
            revenue_share: if revenue > 0.0 { self.sum / revenue } else { 0.0 },
        }
    }
}

/// The RFM groups and grid of the customers (needs the derived RFM fields), in
/// one pass over the customers.
pub fn rfm(data: &CustomerData) -> PolarsResult<Rfm> {
    let df = &data.customers;
    let n = df.height();
    let ltv = column(df, "ltv")?;
    let score = |name: &str| -> PolarsResult<Vec<Option<u8>>> {
        Ok(column(df, name)?.iter().map(|v| v.map(|v| v as u8)).collect())
    };
    let (r, f, m) = (score("rfm_r")?, score("rfm_f")?, score("rfm_m")?);
    let names: Vec<&'static str> = GROUPS.iter().map(|g| g.id).chain([OTHERS, PROSPECTS]).collect();
    let (others, prospects) = (GROUPS.len(), GROUPS.len() + 1);
    let table = group_table();
    let mut groups = vec![Tally::default(); names.len()];
    let mut grid = [[Tally::default(); 5]; 5];
    let mut revenue = 0.0;
    for i in 0..n {
        revenue += ltv[i].unwrap_or(0.0);
        let g = match (r[i], f[i], m[i]) {
            (Some(rs), Some(fs), ms) => {
                grid[usize::from(rs.clamp(1, 5) - 1)][usize::from(fs.clamp(1, 5) - 1)].add(ltv[i]);
                let cell = &table[usize::from(rs.clamp(1, 5) - 1)][usize::from(fs.clamp(1, 5) - 1)];
                ms.and_then(|ms| cell[usize::from(ms.clamp(1, 5) - 1)]).unwrap_or(others)
            }
            (None, ..) if data.field("rfm_group").is_some() && r[i].is_none() && f[i].is_none() => prospects,
            _ => others,
        };
        groups[g].add(ltv[i]);
    }
    Ok(Rfm {
        groups: names
            .iter()
            .zip(&groups)
            .map(|(name, t)| GroupFigures { name, figures: t.figures(n, revenue) })
            .collect(),
        grid: grid.iter().map(|row| row.iter().map(|t| t.figures(n, revenue)).collect()).collect(),
    })
}

/// The segment rule of a grid cell.
pub fn cell_rule(r: u8, f: u8) -> Rule {
    Rule::field("rfm_r").eq(u32::from(r)).and(Rule::field("rfm_f").eq(u32::from(f)))
}

/// The segment rule of a group.
pub fn group_rule(id: &str) -> Rule {
    Rule::field("rfm_group").eq(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_values_share_a_score_and_scores_follow_quintiles() {
        let v: Vec<Option<f64>> = (1..=10).map(|i| Some(f64::from(i))).chain([None, Some(10.0)]).collect();
        let s = quintile_scores(&v);
        // Boundaries 3, 5, 7, 9 (of 11 values: 1..10 and a second 10).
        assert_eq!(s[..10], [1, 1, 1, 2, 2, 3, 3, 4, 4, 5].map(Some));
        assert_eq!((s[10], s[11]), (None, Some(5)), "an empty value has no score; a tie shares one");
        assert_eq!(quintile_scores(&[Some(3.0); 4]), [Some(1); 4], "all equal: above no boundary");
    }

    #[test]
    fn frequency_has_fixed_breaks() {
        let scores: Vec<Option<u8>> = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 40.0, f64::NAN].map(frequency_score).to_vec();
        assert_eq!(scores, [None, Some(1), Some(2), Some(3), Some(4), Some(4), Some(5), Some(5), None]);
    }

    #[test]
    fn first_matching_group_wins() {
        assert_eq!(group_of(5, 5, 5), "champions");
        assert_eq!(group_of(1, 5, 5), "cant_lose_them");
        assert_eq!(group_of(1, 3, 3), "at_risk");
        assert_eq!(group_of(1, 1, 1), "lost");
        assert_eq!(group_of(5, 1, 1), "new");
        assert_eq!(group_of(2, 3, 1), "others");
    }
}
