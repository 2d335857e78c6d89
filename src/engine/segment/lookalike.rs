//! Lookalikes: the customers most like a seed segment's members, scored by a naive
//! Bayes model over the store's own fields, so every weight can be read.
//!
//! - **Features.** Every number, money, whole-number, date, category and yes/no
//!   field, except contact and identity fields (customer id, e-mail, phone, names,
//!   postcode) and free text, which would only memorise who the members are.
//!   Numbers and dates are cut into ten bins at their deciles; a category keeps its
//!   [`TOP_LEVELS`] most common values and puts the rest in "other"; an empty value
//!   is a bin of its own, so "has no birth date" can be a trait too.
//! - **Model.** For each bin, the weight of evidence: ln(share of members in the
//!   bin ÷ share of non-members in it), with half a customer added to every count
//!   so an unseen bin is not infinitely telling. A customer's score is the sum of
//!   their bins' weights plus the prior log-odds (naive Bayes). Fields are treated
//!   as independent, so correlated ones such as LTV and orders both count and the
//!   sum is over-confident, though the order of customers, which is what a
//!   lookalike audience uses, is right. The score shown is that sum calibrated on
//!   the held-out customers (Platt scaling: a logistic fit of membership on the sum),
//!   so 0.7 means about 70% of held-out customers scoring so were members.
//! - **Field weights.** Each field's information value, Σ (member share − others'
//!   share) × weight of evidence over its bins: 0 when the field tells members
//!   apart not at all, above 0.3 when it tells them apart strongly. Each field also
//!   names the bin most over-represented among members and by how much.
//! - **Honesty.** The model is first built on four fifths of the customers (chosen
//!   by a hash of the row, so the same data splits the same way) and its AUC measured
//!   on the fifth it has not seen: 0.5 is a coin toss, 1.0 a perfect ranking. The
//!   scores used are then built on everyone. Only non-members are scored.
//!
//! Logistic regression would weigh correlated fields better, but needs an iterative
//! fit and its weights are harder to say in words; with binned fields and a seed of a
//! few hundred members, naive Bayes ranks about as well (Hand & Yu, "Idiot's Bayes —
//! not so stupid after all?", 2001) and runs in two passes over the table.

use polars::prelude::*;
use rayon::prelude::*;
use serde::Serialize;

use crate::engine::data::CustomerData;
use crate::engine::fields::FieldType;

/// Fields never used: they name a person rather than describe a customer.
pub const CONTACT_FIELDS: [&str; 7] = ["customer_id", "email", "phone", "first_name", "last_name", "name", "zip"];
/// Category values kept as their own bins; the rest are "other".
pub const TOP_LEVELS: usize = 30;
/// Members and non-members a seed needs at least.
pub const MIN_MEMBERS: usize = 20;
/// Bins of a number or date field (deciles).
const NUMBER_BINS: usize = 10;
/// Half a customer added to every count (Laplace smoothing).
const SMOOTHING: f64 = 0.5;
/// Values sorted to find a field's deciles, at most.
const QUANTILE_SAMPLE: usize = 200_000;
/// One customer in this many is held out to measure the AUC.
const HOLDOUT_ONE_IN: u64 = 5;

/// What a bin holds, for saying a trait in words.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Bin {
    /// Numbers (or dates as days since 1970-01-01) from `from` (inclusive) up to
    /// `to` (exclusive); `None` is open-ended.
    Range { from: Option<f64>, to: Option<f64> },
    /// One category value, or yes/no.
    Value { value: String },
    /// Any category value beyond the most common ones.
    Other,
    /// No value.
    Empty,
}

/// How strongly one field tells members apart, and its most telling bin.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldWeight {
    pub field: String,
    /// Information value (see the module doc).
    pub weight: f64,
    /// The bin most over-represented among the members…
    pub bin: Bin,
    /// …its share of the members and of everyone else.
    pub member_share: f64,
    pub other_share: f64,
}

impl FieldWeight {
    /// How many times as common the bin is among members as among the rest.
    pub fn lift(&self) -> f64 {
        if self.other_share > 0.0 { self.member_share / self.other_share } else { f64::INFINITY }
    }
}

/// A seed's model and every non-member's score.
#[derive(Debug, Clone, PartialEq)]
pub struct Lookalike {
    pub seed_members: usize,
    /// AUC on the held-out fifth; `None` when it holds too few members to say.
    pub auc: Option<f64>,
    /// Strongest first.
    pub weights: Vec<FieldWeight>,
    /// Per customer row: a non-member's score (0–1, calibrated on the held-out
    /// customers), `NaN` for members.
    pub scores: Vec<f64>,
}

/// Why no lookalike can be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LookalikeError {
    #[error("the seed has {0} members; a lookalike needs at least {MIN_MEMBERS}")]
    SeedTooSmall(usize),
    #[error("only {0} customers are outside the seed; a lookalike needs at least {MIN_MEMBERS}")]
    TooFewOthers(usize),
    #[error("the customers have no field a lookalike can learn from (numbers, dates, categories, yes/no)")]
    NoFields,
    #[error("{0}")]
    Data(String),
}

/// One field cut into bins: each customer's bin and what each bin holds.
struct Feature {
    field: String,
    bins: Vec<u8>,
    labels: Vec<Bin>,
}

/// Whether a field can describe customers in a lookalike model.
pub fn is_feature(name: &str, ty: FieldType) -> bool {
    !CONTACT_FIELDS.contains(&name)
        && !name.starts_with("__")
        && matches!(
            ty,
            FieldType::Number
                | FieldType::Money
                | FieldType::Integer
                | FieldType::Date
                | FieldType::Category
                | FieldType::Bool
        )
}

/// Scores every customer outside `seed` (one flag per customer row) by likeness to
/// those inside it.
pub fn lookalike(data: &CustomerData, seed: &[bool]) -> Result<Lookalike, LookalikeError> {
    let n = data.customers.height();
    if seed.len() != n {
        return Err(LookalikeError::Data(format!("{} flags for {n} customers", seed.len())));
    }
    let members = seed.iter().filter(|m| **m).count();
    if members < MIN_MEMBERS {
        return Err(LookalikeError::SeedTooSmall(members));
    }
    if n - members < MIN_MEMBERS {
        return Err(LookalikeError::TooFewOthers(n - members));
    }
    let wanted: Vec<(&str, FieldType)> =
        data.fields.iter().filter(|f| is_feature(&f.name, f.ty)).map(|f| (f.name.as_str(), f.ty)).collect();
    let features: Vec<Feature> = wanted
        .par_iter()
        .map(|(name, ty)| feature(data, name, *ty))
        .collect::<PolarsResult<Vec<_>>>()
        .map_err(|e| LookalikeError::Data(e.to_string()))?
        .into_iter()
        .flatten()
        .collect();
    if features.is_empty() {
        return Err(LookalikeError::NoFields);
    }
    let held_out: Vec<bool> = (0..n as u64).map(|row| mix(row).is_multiple_of(HOLDOUT_ONE_IN)).collect();
    // Built on four fifths, judged on the fifth it has not seen.
    let trial = Model::fit(&features, seed, |row| !held_out[row]);
    let rows: Vec<usize> = (0..n).filter(|&r| held_out[r]).collect();
    let scored: Vec<(f64, bool)> = rows.par_iter().map(|&r| (trial.log_odds(&features, r), seed[r])).collect();
    let auc = auc(&scored);
    let (slope, intercept) = if auc.is_some() { platt(&scored) } else { (1.0, 0.0) };
    let model = Model::fit(&features, seed, |_| true);
    let scores: Vec<f64> = (0..n)
        .into_par_iter()
        .with_min_len(4096)
        .map(|r| if seed[r] { f64::NAN } else { sigmoid(slope * model.log_odds(&features, r) + intercept) })
        .collect();
    let mut weights: Vec<FieldWeight> = features.iter().zip(&model.tables).map(|(f, t)| t.weight(f)).collect();
    weights.sort_by(|a, b| b.weight.total_cmp(&a.weight).then_with(|| a.field.cmp(&b.field)));
    Ok(Lookalike { seed_members: members, auc, weights, scores })
}

impl Lookalike {
    /// The `percent`% of scored customers most like the seed (ties with the last
    /// one all in), best first: (customer row, score).
    pub fn top(&self, percent: f64) -> Vec<(usize, f64)> {
        let Some(bound) = self.bound(percent) else { return Vec::new() };
        let mut top: Vec<(usize, f64)> =
            self.scores.iter().enumerate().filter(|(_, s)| **s >= bound).map(|(r, s)| (r, *s)).collect();
        top.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        top
    }

    /// The lowest score in the top `percent`% of scored customers (as
    /// [`super::relative`] reckons a top N%); `None` when nobody is scored.
    pub fn bound(&self, percent: f64) -> Option<f64> {
        let mut scored: Vec<f64> = self.scores.iter().copied().filter(|s| !s.is_nan()).collect();
        let kept = super::relative::bound(&mut scored, super::Op::TopPercent, percent)?;
        Some(kept.value())
    }
}

/// Per field, each bin's weight of evidence, and the counts behind it.
struct Table {
    woe: Vec<f64>,
    members: Vec<u32>,
    others: Vec<u32>,
    member_total: u32,
    other_total: u32,
}

impl Table {
    fn weight(&self, feature: &Feature) -> FieldWeight {
        let share = |count: u32, total: u32| if total > 0 { f64::from(count) / f64::from(total) } else { 0.0 };
        let mut iv = 0.0;
        let mut best = (f64::NEG_INFINITY, 0usize);
        for b in 0..self.woe.len() {
            let (m, o) = (share(self.members[b], self.member_total), share(self.others[b], self.other_total));
            iv += (m - o) * self.woe[b];
            // The most telling bin that holds a fair part of the members.
            if self.members[b] > 0 && m >= 0.05 && self.woe[b] > best.0 {
                best = (self.woe[b], b);
            }
        }
        let b = best.1;
        FieldWeight {
            field: feature.field.clone(),
            weight: iv,
            bin: feature.labels[b].clone(),
            member_share: share(self.members[b], self.member_total),
            other_share: share(self.others[b], self.other_total),
        }
    }
}

struct Model {
    prior: f64,
    tables: Vec<Table>,
}

impl Model {
    /// Counts members and others per bin over the rows `use_row` keeps.
    fn fit(features: &[Feature], seed: &[bool], use_row: impl Fn(usize) -> bool + Sync) -> Self {
        let tables: Vec<Table> = features
            .par_iter()
            .map(|f| {
                let bins = f.labels.len();
                let (mut members, mut others) = (vec![0u32; bins], vec![0u32; bins]);
                for (row, &bin) in f.bins.iter().enumerate() {
                    if use_row(row) {
                        let counts = if seed[row] { &mut members } else { &mut others };
                        counts[bin as usize] += 1;
                    }
                }
                let (member_total, other_total) = (members.iter().sum::<u32>(), others.iter().sum::<u32>());
                let smoothed = |count: u32, total: u32| {
                    (f64::from(count) + SMOOTHING) / (f64::from(total) + SMOOTHING * bins as f64)
                };
                let woe = (0..bins)
                    .map(|b| (smoothed(members[b], member_total) / smoothed(others[b], other_total)).ln())
                    .collect();
                Table { woe, members, others, member_total, other_total }
            })
            .collect();
        let (m, o) = tables.first().map_or((0, 0), |t| (t.member_total, t.other_total));
        Self { prior: (f64::from(m.max(1)) / f64::from(o.max(1))).ln(), tables }
    }

    fn log_odds(&self, features: &[Feature], row: usize) -> f64 {
        self.prior + features.iter().zip(&self.tables).map(|(f, t)| t.woe[f.bins[row] as usize]).sum::<f64>()
    }
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// Platt scaling: the slope and intercept of P(member) = σ(slope × log-odds +
/// intercept) that fit the held-out customers best (Newton's method on the log
/// loss, with Platt's targets (members + 1) / (members + 2) and 1 / (others + 2) so
/// a perfect separation does not run off to infinity).
fn platt(scored: &[(f64, bool)]) -> (f64, f64) {
    let members = scored.iter().filter(|(_, m)| *m).count() as f64;
    let others = scored.len() as f64 - members;
    let (hit, miss) = ((members + 1.0) / (members + 2.0), 1.0 / (others + 2.0));
    let target = |member: bool| if member { hit } else { miss };
    // ln(1 + e^z) without overflow.
    let softplus = |z: f64| if z > 30.0 { z } else { z.exp().ln_1p() };
    let loss = |a: f64, b: f64| -> f64 {
        scored
            .iter()
            .map(|&(s, m)| {
                let (z, y) = (a * s + b, target(m));
                y * softplus(-z) + (1.0 - y) * softplus(z)
            })
            .sum()
    };
    let (mut a, mut b) = (1.0, 0.0);
    let mut current = loss(a, b);
    for _ in 0..100 {
        let (mut ga, mut gb, mut haa, mut hab, mut hbb) = (0.0, 0.0, 1e-9, 0.0, 1e-9);
        for &(s, member) in scored {
            let p = sigmoid(a * s + b);
            let d = p - target(member);
            let w = p * (1.0 - p);
            (ga, gb) = (ga + d * s, gb + d);
            (haa, hab, hbb) = (haa + w * s * s, hab + w * s, hbb + w);
        }
        let det = haa * hbb - hab * hab;
        if det.is_nan() || det <= 0.0 {
            break;
        }
        let (da, db) = ((hbb * ga - hab * gb) / det, (haa * gb - hab * ga) / det);
        // Newton's step, halved until the loss goes down.
        let mut step = 1.0;
        let improved = loop {
            let (na, nb) = (a - step * da, b - step * db);
            let next = loss(na, nb);
            if next < current {
                break Some((na, nb, next));
            }
            step /= 2.0;
            if step < 1e-10 {
                break None;
            }
        };
        let Some((na, nb, next)) = improved else { break };
        let done = (current - next) < 1e-10 * current.max(1.0);
        (a, b, current) = (na, nb, next);
        if done {
            break;
        }
    }
    if a.is_finite() && b.is_finite() && a > 0.0 { (a, b) } else { (1.0, 0.0) }
}

/// A row's place in the holdout split (splitmix64's finaliser).
fn mix(row: u64) -> u64 {
    let mut z = row.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The area under the ROC curve of (score, is member) pairs: the chance that a
/// member drawn at random scores above a non-member (ties count half). `None`
/// with fewer than 5 of either.
pub fn auc(scored: &[(f64, bool)]) -> Option<f64> {
    let members = scored.iter().filter(|(_, m)| *m).count();
    let others = scored.len() - members;
    if members < 5 || others < 5 {
        return None;
    }
    let mut sorted = scored.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Mann–Whitney: the members' rank sum, ties given their average rank.
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < sorted.len() {
        let mut j = i;
        while j < sorted.len() && sorted[j].0.total_cmp(&sorted[i].0).is_eq() {
            j += 1;
        }
        let average_rank = (i + j + 1) as f64 / 2.0;
        rank_sum += average_rank * sorted[i..j].iter().filter(|(_, m)| *m).count() as f64;
        i = j;
    }
    let (m, o) = (members as f64, others as f64);
    Some((rank_sum - m * (m + 1.0) / 2.0) / (m * o))
}

/// A field cut into bins; `None` when it has no value or a single bin.
fn feature(data: &CustomerData, name: &str, ty: FieldType) -> PolarsResult<Option<Feature>> {
    let column = data.customers.column(name)?;
    let found = match ty {
        FieldType::Category => category_bins(column)?,
        FieldType::Bool => {
            let flags = column.cast(&DataType::Boolean)?;
            let bins = flags.bool()?.iter().map(|v| v.map_or(2, |yes| u8::from(!yes))).collect();
            let labels = vec![Bin::Value { value: "yes".into() }, Bin::Value { value: "no".into() }, Bin::Empty];
            (bins, labels)
        }
        FieldType::Date => number_bins(&numbers(&column.cast(&DataType::Int32)?)?),
        _ => number_bins(&numbers(column)?),
    };
    let (bins, labels) = found;
    let mut used = vec![false; labels.len()];
    for &b in &bins {
        used[b as usize] = true;
    }
    if used.iter().filter(|u| **u).count() < 2 {
        return Ok(None);
    }
    Ok(Some(Feature { field: name.to_owned(), bins, labels }))
}

/// A column's values as numbers (`None` where empty).
fn numbers(column: &Column) -> PolarsResult<Vec<Option<f64>>> {
    Ok(column.cast(&DataType::Float64)?.f64()?.iter().collect())
}

/// Deciles (fewer where values repeat) and an empty bin.
fn number_bins(values: &[Option<f64>]) -> (Vec<u8>, Vec<Bin>) {
    let known: Vec<f64> = values.iter().flatten().copied().filter(|v| v.is_finite()).collect();
    let step = known.len().div_ceil(QUANTILE_SAMPLE).max(1);
    let mut sample: Vec<f64> = known.iter().step_by(step).copied().collect();
    sample.sort_by(f64::total_cmp);
    let mut cuts: Vec<f64> = (1..NUMBER_BINS)
        .filter_map(|i| sample.get(i * sample.len() / NUMBER_BINS).copied())
        .filter(|c| sample.first().is_some_and(|lowest| c > lowest))
        .collect();
    cuts.dedup();
    let empty = cuts.len() + 1;
    let bins = values
        .iter()
        .map(|v| match v {
            Some(v) if v.is_finite() => cuts.partition_point(|c| c <= v) as u8,
            _ => empty as u8,
        })
        .collect();
    let mut labels: Vec<Bin> = (0..=cuts.len())
        .map(|b| Bin::Range { from: b.checked_sub(1).map(|i| cuts[i]), to: cuts.get(b).copied() })
        .collect();
    labels.push(Bin::Empty);
    (bins, labels)
}

/// The most common values, "other" and an empty bin.
fn category_bins(column: &Column) -> PolarsResult<(Vec<u8>, Vec<Bin>)> {
    let text = column.cast(&DataType::String)?;
    let text = text.str()?;
    let mut counts: foldhash::HashMap<&str, usize> = foldhash::HashMap::default();
    for v in text.iter().flatten() {
        *counts.entry(v).or_default() += 1;
    }
    let mut common: Vec<(&str, usize)> = counts.into_iter().collect();
    common.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    common.truncate(TOP_LEVELS);
    let (other, empty) = (common.len(), common.len() + 1);
    let index: foldhash::HashMap<&str, u8> = common.iter().enumerate().map(|(i, (v, _))| (*v, i as u8)).collect();
    let bins = text.iter().map(|v| v.map_or(empty as u8, |v| index.get(v).copied().unwrap_or(other as u8))).collect();
    let mut labels: Vec<Bin> = common.iter().map(|(v, _)| Bin::Value { value: (*v).to_owned() }).collect();
    labels.extend([Bin::Other, Bin::Empty]);
    Ok((bins, labels))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_is_the_chance_a_member_outscores_a_non_member() {
        let perfect: Vec<(f64, bool)> = (0..20).map(|i| (f64::from(i), i >= 10)).collect();
        assert_eq!(auc(&perfect), Some(1.0));
        let reversed: Vec<(f64, bool)> = (0..20).map(|i| (f64::from(i), i < 10)).collect();
        assert_eq!(auc(&reversed), Some(0.0));
        let tied: Vec<(f64, bool)> = (0..20).map(|i| (1.0, i % 2 == 0)).collect();
        assert_eq!(auc(&tied), Some(0.5));
        // By hand, members 3, 5, 6, 7, 8 against others 1, 4, 5, 2, 0: pairs won
        // 3 (1, 2, 0) + 4.5 (5 beats four, ties one) + 5 + 5 + 5 = 22.5 of 25.
        let mixed = [
            (3.0, true),
            (5.0, true),
            (6.0, true),
            (1.0, false),
            (4.0, false),
            (5.0, false),
            (2.0, false),
            (0.0, false),
            (7.0, true),
            (8.0, true),
        ];
        assert!((auc(&mixed).unwrap() - 22.5 / 25.0).abs() < 1e-12);
        assert_eq!(auc(&perfect[..6]), None, "too few members to say");
    }

    #[test]
    fn platt_scaling_turns_over_confident_sums_into_shares_that_hold() {
        // Log-odds twice as sure as the truth: members are 1 in 1 + e^(−s/2).
        let mut scored = Vec::new();
        for i in 0..4000 {
            let s = f64::from(i % 40) / 2.0 - 10.0;
            let truth = sigmoid(s / 2.0);
            // Deterministic: of each 20 customers at one score, round(20 × truth) are members.
            scored.push((s, f64::from(i / 40 % 20) < (20.0 * truth).round()));
        }
        let (a, b) = platt(&scored);
        assert!((a - 0.5).abs() < 0.05 && b.abs() < 0.1, "slope {a}, intercept {b}");
    }

    #[test]
    fn numbers_fall_into_deciles_with_an_empty_bin() {
        let values: Vec<Option<f64>> = (0..100).map(|i| (i % 10 != 9).then_some(f64::from(i))).collect();
        let (bins, labels) = number_bins(&values);
        assert_eq!(labels.len(), 11, "ten deciles and the empty bin");
        assert_eq!(bins[0], 0);
        assert_eq!(bins[98], 9);
        assert_eq!(bins[9], 10, "empty");
        assert_eq!(labels[0], Bin::Range { from: None, to: Some(10.0) });
        // A field of one repeated value has one bin.
        let (same, labels) = number_bins(&[Some(3.0); 50]);
        assert!(same.iter().all(|b| *b == 0));
        assert_eq!(labels, vec![Bin::Range { from: None, to: None }, Bin::Empty]);
    }
}
