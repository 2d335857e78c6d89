//! Clusters turned into rules. Customers with orders are grouped by k-means on
//! standardised log-RFM (log(1 + days since the last order), log(1 + orders),
//! log(1 + LTV)) plus any numeric fields the user picks; k is the one with the best
//! silhouette on a sample (2–8) unless given. Seeds are fixed, so the same data
//! always gives the same clusters. Each cluster is described by how its medians
//! differ from everyone's and by its most over-represented categories, and turned
//! into a readable rule of at most three conditions ([`super::tree`]) whose
//! precision and recall are measured by the segment engine itself, so a saved
//! segment finds exactly what the numbers say.
//!
//! k-means is a few dozen lines here rather than a dependency: the crates that
//! offer it bring a matrix stack (ndarray, sparse matrices, nearest-neighbour
//! indexes) that would cost more build time than the algorithm costs to read.

use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::float_values;
use super::tree::{Condition, rule_for};
use crate::engine::data::CustomerData;
use crate::engine::fields::FieldType;
use crate::engine::segment::Rule;
use crate::engine::segment::evaluate::SegmentFrame;

/// The RFM fields every clustering uses.
pub const RFM_FIELDS: [&str; 3] = ["days_since_last_order", "orders", "ltv"];
/// Points used to choose k and to learn the rules.
const SAMPLE: usize = 2_000;
const RULE_SAMPLE: usize = 20_000;
const SEED: u64 = 0x5EED_4B17_1E00_0001;

/// How a cluster's median of one field compares with everyone's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contrast {
    pub field: String,
    pub median: f64,
    pub all_median: f64,
}

/// A category value over-represented in a cluster.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryLift {
    pub field: String,
    pub value: String,
    /// Share of the cluster with the value, and how many times everyone's share.
    pub share: f64,
    pub lift: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cluster {
    pub count: usize,
    pub share: f64,
    pub avg_ltv: Option<f64>,
    pub revenue_share: f64,
    pub contrasts: Vec<Contrast>,
    pub categories: Vec<CategoryLift>,
    /// The rule (at most three conditions; its text form in JSON), and how well it finds the cluster.
    #[serde(serialize_with = "crate::engine::segment::text::serialize_rule")]
    pub rule: Rule,
    pub rule_count: usize,
    /// The cluster's customers the rule finds (`recall × count`).
    pub rule_hits: usize,
    pub precision: f64,
    pub recall: f64,
    /// The cluster's customers (rows of the customer table), to save them as a
    /// fixed list when the rule only approximates the cluster.
    #[serde(skip)]
    pub rows: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Clusters {
    pub k: usize,
    /// Silhouette of each k tried (empty when k was given).
    pub silhouettes: Vec<(usize, f64)>,
    pub fields: Vec<String>,
    /// Most valuable first (by average LTV).
    pub clusters: Vec<Cluster>,
}

/// A small, seeded random number generator (xorshift64*).
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Customers with orders, their raw values and standardised features (row-major).
struct Points {
    rows: Vec<usize>,
    raw: Vec<Vec<f64>>,
    features: Vec<f64>,
    dims: usize,
}

fn points(data: &CustomerData, fields: &[String]) -> Result<Points, String> {
    let df = &data.customers;
    let mut columns = Vec::new();
    for field in fields {
        let column = df.column(field).map_err(|_| format!("there is no field \"{field}\""))?;
        columns.push(float_values(column).map_err(|e| e.to_string())?);
    }
    let rows: Vec<usize> = (0..df.height())
        .filter(|&r| columns.iter().all(|c| c[r].is_some_and(f64::is_finite)))
        .filter(|&r| columns[1][r].is_some_and(|o| o >= 1.0))
        .collect();
    let raw: Vec<Vec<f64>> = columns.iter().map(|c| rows.iter().map(|&r| c[r].unwrap_or(0.0)).collect()).collect();
    let dims = fields.len();
    let mut features = vec![0.0; rows.len() * dims];
    for (j, values) in raw.iter().enumerate() {
        let logged = values.iter().all(|v| *v >= 0.0);
        let t: Vec<f64> = values.iter().map(|v| if logged { v.ln_1p() } else { *v }).collect();
        let n = t.len().max(1) as f64;
        let mean = t.iter().sum::<f64>() / n;
        let sd = (t.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt();
        for (i, v) in t.iter().enumerate() {
            features[i * dims + j] = if sd > 0.0 { (v - mean) / sd } else { 0.0 };
        }
    }
    Ok(Points { rows, raw, features, dims })
}

fn distance2(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
}

fn nearest(p: &[f64], centroids: &[f64], dims: usize) -> usize {
    let mut best = (f64::INFINITY, 0);
    for (c, centre) in centroids.chunks(dims).enumerate() {
        let d = distance2(p, centre);
        if d < best.0 {
            best = (d, c);
        }
    }
    best.1
}

/// k-means++ starting centres.
fn seed_centres(features: &[f64], dims: usize, k: usize, rng: &mut Rng) -> Vec<f64> {
    let n = features.len() / dims;
    let mut centres = features[rng.below(n) * dims..][..dims].to_vec();
    let mut d2: Vec<f64> = features.chunks(dims).map(|p| distance2(p, &centres[..dims])).collect();
    while centres.len() < k * dims {
        let total: f64 = d2.iter().sum();
        let mut pick = rng.unit() * total;
        let mut chosen = n - 1;
        for (i, d) in d2.iter().enumerate() {
            pick -= d;
            if pick <= 0.0 {
                chosen = i;
                break;
            }
        }
        let centre = features[chosen * dims..][..dims].to_vec();
        for (p, d) in features.chunks(dims).zip(d2.iter_mut()) {
            *d = d.min(distance2(p, &centre));
        }
        centres.extend(centre);
    }
    centres
}

/// Lloyd's iterations from `centres` until no point moves (or 50 rounds).
fn lloyd(features: &[f64], dims: usize, mut centres: Vec<f64>) -> (Vec<usize>, Vec<f64>) {
    let k = centres.len() / dims;
    let mut assign: Vec<usize> = vec![usize::MAX; features.len() / dims];
    for _ in 0..50 {
        let next: Vec<usize> = features.par_chunks(dims).map(|p| nearest(p, &centres, dims)).collect();
        if next == assign {
            break;
        }
        assign = next;
        let mut sums = vec![0.0; k * dims];
        let mut counts = vec![0usize; k];
        for (p, &c) in features.chunks(dims).zip(&assign) {
            counts[c] += 1;
            for (s, v) in sums[c * dims..][..dims].iter_mut().zip(p) {
                *s += v;
            }
        }
        for c in 0..k {
            if counts[c] > 0 {
                let n = counts[c] as f64;
                for j in 0..dims {
                    centres[c * dims + j] = sums[c * dims + j] / n;
                }
            }
        }
    }
    (assign, centres)
}

/// The mean silhouette of a clustering (O(n²): for samples).
fn silhouette(features: &[f64], dims: usize, assign: &[usize], k: usize) -> f64 {
    let n = assign.len();
    let scores: Vec<f64> = (0..n)
        .into_par_iter()
        .map(|i| {
            let p = &features[i * dims..][..dims];
            let (mut sum, mut count) = (vec![0.0; k], vec![0usize; k]);
            for (j, q) in features.chunks(dims).enumerate() {
                if j != i {
                    sum[assign[j]] += distance2(p, q).sqrt();
                    count[assign[j]] += 1;
                }
            }
            let mean = |c: usize| if count[c] > 0 { sum[c] / count[c] as f64 } else { f64::INFINITY };
            let a = mean(assign[i]);
            let b = (0..k).filter(|c| *c != assign[i]).map(mean).fold(f64::INFINITY, f64::min);
            if count[assign[i]] == 0 || !b.is_finite() { 0.0 } else { (b - a) / a.max(b) }
        })
        .collect();
    scores.iter().sum::<f64>() / n.max(1) as f64
}

/// An evenly spread sample of `n` indices below `len`.
pub(crate) fn spread_sample(len: usize, n: usize) -> Vec<usize> {
    if len <= n {
        return (0..len).collect();
    }
    let mut rng = Rng::new(SEED ^ len as u64);
    let mut picked: Vec<usize> = (0..n).map(|_| rng.below(len)).collect();
    picked.sort_unstable();
    picked.dedup();
    picked
}

/// Chooses k (2–8) by silhouette on a sample; returns k, the tries and the sample's centres.
fn choose_k(points: &Points) -> (usize, Vec<(usize, f64)>, Vec<f64>) {
    let dims = points.dims;
    let sample: Vec<f64> = spread_sample(points.rows.len(), SAMPLE)
        .iter()
        .flat_map(|&i| points.features[i * dims..][..dims].iter().copied())
        .collect();
    let mut tries = Vec::new();
    let mut best: Option<(f64, usize, Vec<f64>)> = None;
    for k in 2..=8usize.min(sample.len() / dims / 2).max(2) {
        let start = seed_centres(&sample, dims, k, &mut Rng::new(SEED + k as u64));
        let (assign, centres) = lloyd(&sample, dims, start);
        let s = silhouette(&sample, dims, &assign, k);
        tries.push((k, s));
        if best.as_ref().is_none_or(|(b, ..)| s > *b) {
            best = Some((s, k, centres));
        }
    }
    let (_, k, centres) = best.unwrap_or((0.0, 2, Vec::new()));
    (k, tries, centres)
}

/// Clusters the customers with orders on log-RFM plus `extra` numeric fields.
pub fn clusters(data: &Arc<CustomerData>, k: Option<usize>, extra: &[String]) -> Result<Clusters, String> {
    let mut fields: Vec<String> = RFM_FIELDS.iter().map(|f| (*f).to_owned()).collect();
    for f in extra {
        let numeric = data.field(f).is_some_and(|i| {
            matches!(i.ty, FieldType::Number | FieldType::Money | FieldType::Integer | FieldType::Date)
        });
        if !numeric {
            return Err(format!("\"{f}\" is not a numeric field"));
        }
        if !fields.contains(f) {
            fields.push(f.clone());
        }
    }
    let points = points(data, &fields)?;
    if points.rows.len() < 20 {
        return Err(format!(
            "only {} customers have orders and every field; clusters need at least 20",
            points.rows.len()
        ));
    }
    let dims = points.dims;
    let (k, silhouettes, centres) = match k {
        Some(k) if (2..=20).contains(&k) => {
            (k, Vec::new(), seed_centres(&points.features, dims, k, &mut Rng::new(SEED + k as u64)))
        }
        Some(k) => return Err(format!("k must be between 2 and 20, not {k}")),
        None => choose_k(&points),
    };
    let (assign, _) = lloyd(&points.features, dims, centres);
    describe(data, &points, &fields, &assign, k, silhouettes)
}

fn median(values: &mut [f64]) -> f64 {
    crate::engine::persona::stats::quantile(values, 0.5).unwrap_or(f64::NAN)
}

fn describe(
    data: &Arc<CustomerData>,
    points: &Points,
    fields: &[String],
    assign: &[usize],
    k: usize,
    silhouettes: Vec<(usize, f64)>,
) -> Result<Clusters, String> {
    let frame = SegmentFrame::new(Arc::clone(data));
    let n_all = data.customers.height();
    let ltv = float_values(data.customers.column("ltv").map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
    let revenue: f64 = ltv.iter().flatten().sum();
    let all_medians: Vec<f64> = points.raw.iter().map(|v| median(&mut v.clone())).collect();
    let sample = spread_sample(points.rows.len(), RULE_SAMPLE);
    let mut out = Vec::new();
    for c in 0..k {
        let members: Vec<usize> = (0..assign.len()).filter(|&i| assign[i] == c).collect();
        if members.is_empty() {
            continue;
        }
        let contrasts = fields
            .iter()
            .enumerate()
            .map(|(j, f)| Contrast {
                field: f.clone(),
                median: median(&mut members.iter().map(|&i| points.raw[j][i]).collect::<Vec<_>>()),
                all_median: all_medians[j],
            })
            .collect();
        let in_cluster: Vec<bool> = assign.iter().map(|a| *a == c).collect();
        let conditions: Vec<Condition> = rule_for(&points.raw, fields, data, &sample, &in_cluster);
        let rule = Rule::all(conditions.iter().map(Condition::rule));
        let found = frame.mask(&frame.compile(&rule)).map_err(|e| e.to_string())?;
        let rule_count = found.set_bits();
        let hits = members.iter().filter(|&&i| found.get_bit(points.rows[i])).count();
        let (sum, known) =
            members.iter().filter_map(|&i| ltv[points.rows[i]]).fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
        out.push(Cluster {
            count: members.len(),
            share: members.len() as f64 / n_all as f64,
            avg_ltv: (known > 0).then(|| sum / known as f64),
            revenue_share: if revenue > 0.0 { sum / revenue } else { 0.0 },
            contrasts,
            categories: category_lifts(data, &points.rows, &members),
            rule,
            rule_count,
            rule_hits: hits,
            rows: members.iter().map(|&i| points.rows[i] as u32).collect(),
            precision: if rule_count > 0 { hits as f64 / rule_count as f64 } else { 0.0 },
            recall: hits as f64 / members.len() as f64,
        });
    }
    out.sort_by(|a, b| b.avg_ltv.unwrap_or(0.0).total_cmp(&a.avg_ltv.unwrap_or(0.0)));
    Ok(Clusters { k, silhouettes, fields: fields.to_vec(), clusters: out })
}

/// A cluster's name from its two strongest traits, as a marketer would say them:
/// "Frequent, high-spending buyers" / "Sık alan, yüksek harcayan müşteriler". A
/// trait is a field whose median differs from all customers' by at least a
/// quarter; the name says so when none does.
pub fn cluster_name(c: &Cluster, lang: crate::format::Lang) -> String {
    use crate::i18n::{field_label, t};
    let mut strongest: Vec<(f64, &Contrast)> = c
        .contrasts
        .iter()
        .filter(|x| x.median.is_finite() && x.all_median.is_finite())
        .map(|x| ((x.median - x.all_median).abs() / x.all_median.abs().max(1.0), x))
        .filter(|(d, _)| *d >= 0.25)
        .collect();
    strongest.sort_by(|a, b| b.0.total_cmp(&a.0));
    let words: Vec<String> = strongest
        .iter()
        .take(2)
        .map(|(_, x)| {
            let high = x.median > x.all_median;
            let key = match (x.field.as_str(), high) {
                ("days_since_last_order", false) => "cluster.recent",
                ("days_since_last_order", true) => "cluster.lapsed",
                ("orders", true) => "cluster.frequent",
                ("orders", false) => "cluster.infrequent",
                ("ltv", true) => "cluster.high_spending",
                ("ltv", false) => "cluster.low_spending",
                (_, true) => "cluster.high_field",
                (_, false) => "cluster.low_field",
            };
            t(lang, key).replace("{0}", &field_label(lang, &x.field))
        })
        .collect();
    if words.is_empty() {
        return t(lang, "cluster.typical").to_owned();
    }
    let name = t(lang, "cluster.name").replace("{0}", &words.join(", "));
    let mut chars = name.chars();
    chars.next().map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
}

/// The two category values most over-represented in a cluster (share ≥ 20%).
fn category_lifts(data: &CustomerData, rows: &[usize], members: &[usize]) -> Vec<CategoryLift> {
    let mut lifts = Vec::new();
    for field in data.fields.iter().filter(|f| f.ty == FieldType::Category && !f.name.starts_with("rfm_")) {
        let Ok(column) = data.customers.column(&field.name).and_then(|c| c.cast(&polars::prelude::DataType::String))
        else {
            continue;
        };
        let Ok(values) = column.str() else { continue };
        let mut all: foldhash::HashMap<&str, usize> = foldhash::HashMap::default();
        let mut inside: foldhash::HashMap<&str, usize> = foldhash::HashMap::default();
        for &r in rows {
            if let Some(v) = values.get(r) {
                *all.entry(v).or_default() += 1;
            }
        }
        for &i in members {
            if let Some(v) = values.get(rows[i]) {
                *inside.entry(v).or_default() += 1;
            }
        }
        for (value, count) in inside {
            let share = count as f64 / members.len() as f64;
            let everyone = all.get(value).copied().unwrap_or(1) as f64 / rows.len() as f64;
            if share >= 0.2 {
                lifts.push(CategoryLift {
                    field: field.name.clone(),
                    value: value.to_owned(),
                    share,
                    lift: share / everyone,
                });
            }
        }
    }
    lifts.sort_by(|a, b| b.lift.total_cmp(&a.lift));
    lifts.truncate(2);
    lifts
}
