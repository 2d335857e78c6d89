//! Evaluating segments: a rule compiles to one polars expression, run on the
//! customer table. Text comparisons use Turkish-lowercased copies of the text
//! columns, made once per field and kept while the data stays the same.
//!
//! Semantics: a condition on an empty value is false (only `is empty` matches);
//! `not` flips true and false; `!=`, `not in` and `does not contain` match empty
//! values only when the condition's "include empty" box is ticked. Conditions that
//! don't fit their field (unknown field, wrong operator, a value that isn't a
//! number…) are reported and left out, never guessed at.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use polars::prelude::*;
use polars_arrow::bitmap::Bitmap;
use rayon::prelude::*;
use serde::Serialize;

use super::history::{Measure, OrderIndex};
use super::lookalike::{Lookalike, lookalike};
use super::relative::{self, Bound};
use super::{Condition, Group, Node, Op};
use crate::engine::data::CustomerData;
use crate::engine::fields::FieldType;
use crate::engine::text::fold_case;

mod compile;
mod fused;
mod kernels;

pub use compile::{Compiled, shift_back};

/// Why a condition was left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum InvalidKind {
    UnknownField,
    OperatorDoesNotFit,
    WrongValueCount,
    MissingValue,
    NotANumber,
    NotADate,
    NotAWholeNumber,
    /// A top or bottom share that is not above 0 and at most 100.
    NotAPercentage,
    /// `in segment "X"` where no saved segment is called X, or X's rule can't be evaluated.
    UnknownSegment,
    /// Segments that refer to each other in a circle.
    SegmentCycle,
    /// `lookalike of "X"` where X's members can't make a model (too few of them,
    /// or no field to learn from).
    NoLookalike,
}

/// A condition that was left out, and why. `path` indexes items through groups.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InvalidRow {
    pub path: Vec<usize>,
    pub kind: InvalidKind,
    /// The same in an English sentence (for the CLI and logs).
    pub reason: String,
}

/// The numbers of a segment.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct SegmentStats {
    pub count: usize,
    /// Share of all customers, 0–1.
    pub share: f64,
    pub avg_ltv: Option<f64>,
    pub total_revenue: Option<f64>,
    pub avg_orders: Option<f64>,
    /// What the members are predicted to spend in the next 12 months (the sum of
    /// `predicted_clv_12m`), where the orders allowed a prediction.
    pub predicted_revenue_12m: Option<f64>,
}

/// Count and average LTV after each top-level row is applied.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FunnelStep {
    pub count: usize,
    pub avg_ltv: Option<f64>,
}

/// Everything the builder shows under the rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    pub stats: SegmentStats,
    pub funnel: Vec<FunnelStep>,
    pub invalid: Vec<InvalidRow>,
    /// The lookalike models the rule uses (`lookalike of "X" …`), to say how good they are.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lookalikes: Vec<LookalikeSummary>,
}

/// What a lookalike condition rests on: its seed, the model's AUC on held-out
/// customers and the fields that weigh most.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LookalikeSummary {
    pub seed: String,
    pub seed_members: usize,
    pub auc: Option<f64>,
    /// The strongest three.
    pub weights: Vec<super::lookalike::FieldWeight>,
}

/// What the builder shows for a rule: its numbers and its members (rows of the
/// customer table, in table order), which exports and audiences also use.
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentResult {
    pub evaluation: Evaluation,
    pub members: Vec<IdxSize>,
}

/// The customer table ready for segment queries, with lowercased text columns
/// made on demand.
pub struct SegmentFrame {
    data: Arc<CustomerData>,
    lowered: Mutex<HashMap<String, Column>>,
    /// The saved segments (name, rule) that `in segment "…"` conditions refer to.
    saved: Mutex<Arc<Vec<(String, String)>>>,
    /// The orders as plain arrays, made on the first order-history condition.
    orders: std::sync::OnceLock<Option<OrderIndex>>,
    /// The customers relative conditions are measured over: the frame's own,
    /// unless it holds one customer explained against the whole store.
    population: Mutex<Option<Arc<CustomerData>>>,
    /// Relative conditions resolved (field, operator, percentage's bits).
    bounds: Mutex<HashMap<(String, Op, u64), Option<Bound>>>,
    /// The population's row of a frame of one customer (lookalike scores are read there).
    population_row: Mutex<Option<usize>>,
    /// Lookalike models by [`lookalike_key`] (the seed's name and rule).
    lookalikes: Mutex<HashMap<String, Arc<Lookalike>>>,
}

/// Starts the keys of lookalike score columns among the columns a rule needs made.
const LOOKALIKE_PREFIX: &str = "\u{1}lookalike:";

/// The key of the lookalike model of seed `name` with rule `rule`.
fn lookalike_key(name: &str, rule: &str) -> String {
    format!("{LOOKALIKE_PREFIX}{name}\u{1}{rule}")
}

/// Whether `key` belongs to a lookalike of seed `name` under another rule than
/// `current` (the seed was edited since): kept no longer.
fn stale_lookalike(key: &str, name: &str, current: &str) -> bool {
    key != current
        && key.strip_prefix(LOOKALIKE_PREFIX).is_some_and(|k| k.split_once('\u{1}').is_some_and(|(n, _)| n == name))
}

/// The column of a lookalike model's scores.
fn lookalike_column_name(key: &str) -> String {
    format!("__lookalike__{:016x}", xxhash_rust::xxh3::xxh3_64(key.as_bytes()))
}

/// The predicted 12-month value of each customer (see `explore::predict`).
const PREDICTED_12M: &str = "predicted_clv_12m";

/// Marks a split's bucket column among the columns a rule needs made.
const SPLIT_PREFIX: &str = "\u{1}split:";
/// Starts the names of order-history columns (see [`HistorySpec::column_name`]).
const HISTORY_PREFIX: &str = "\u{1}history:";
/// Order-history columns kept beyond those the current rule needs.
const MAX_HISTORY_COLUMNS: usize = 16;

fn lower_name(field: &str) -> String {
    format!("__lower__{field}")
}

/// Starts the keys of lowercased category columns (see [`lower_categories_name`]).
const LOWER_CATEGORIES_PREFIX: &str = "\u{1}lower-categories:";

/// A category field lowercased, kept as categories.
fn lower_categories_name(field: &str) -> String {
    format!("__lower_categories__{field}")
}

impl SegmentFrame {
    pub fn new(data: Arc<CustomerData>) -> Self {
        Self {
            data,
            lowered: Mutex::new(HashMap::new()),
            saved: Mutex::default(),
            orders: std::sync::OnceLock::new(),
            population: Mutex::default(),
            bounds: Mutex::default(),
            population_row: Mutex::default(),
            lookalikes: Mutex::default(),
        }
    }

    /// [`Self::measure_over`] for a frame holding the customer in `row` of
    /// `population`, so a lookalike condition reads that customer's score.
    pub fn explain_row_of(&self, population: Arc<CustomerData>, row: usize) {
        self.measure_over(population);
        if let Ok(mut r) = self.population_row.lock() {
            *r = Some(row);
        }
    }

    /// The lookalike model of saved segment `name` (rule `rule`), over the
    /// population; built once per frame. `stack`: the segments being expanded.
    fn lookalike_of(&self, name: &str, rule: &str, stack: &[String]) -> Result<Arc<Lookalike>, (InvalidKind, String)> {
        let key = lookalike_key(name, rule);
        if let Some(found) = self.lookalikes.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return Ok(found);
        }
        let unknown = |why: String| (InvalidKind::UnknownSegment, format!("segment \"{name}\": {why}"));
        let group = super::parse(rule).map_err(|e| unknown(e.to_string()))?;
        let population = self.population();
        let seeded = |frame: &SegmentFrame| -> Result<Bitmap, (InvalidKind, String)> {
            let compiled = compile::compile_within(frame, &group, stack.to_vec());
            if let Some(first) = compiled.invalid.first() {
                return Err(compile::within_segment(name, first));
            }
            frame.mask(&compiled).map_err(|e| unknown(e.to_string()))
        };
        let mask = if Arc::ptr_eq(&population, &self.data) {
            seeded(self)?
        } else {
            let frame = SegmentFrame::new(Arc::clone(&population));
            frame.set_saved_segments(self.saved_segments().to_vec());
            seeded(&frame)?
        };
        let flags: Vec<bool> = (0..mask.len()).map(|i| mask.get_bit(i)).collect();
        let model = Arc::new(
            lookalike(&population, &flags)
                .map_err(|e| (InvalidKind::NoLookalike, format!("lookalike of \"{name}\": {e}")))?,
        );
        if let Ok(mut m) = self.lookalikes.lock() {
            m.retain(|k, _| !stale_lookalike(k, name, &key));
            m.insert(key, Arc::clone(&model));
        }
        Ok(model)
    }

    /// The scores of a lookalike column (key from [`lookalike_key`]): every
    /// customer's, or the explained customer's.
    fn lookalike_scores(&self, key: &str) -> PolarsResult<Column> {
        let (name, rule) = key.strip_prefix(LOOKALIKE_PREFIX).and_then(|k| k.split_once('\u{1}')).unwrap_or_default();
        let model = self
            .lookalike_of(name, rule, &[name.to_owned()])
            .map_err(|(_, why)| PolarsError::ComputeError(why.into()))?;
        let score = |s: f64| (!s.is_nan()).then_some(s);
        let scores: Float64Chunked = match self.population_row.lock().ok().and_then(|r| *r) {
            Some(row) => std::iter::once(model.scores.get(row).copied().and_then(score)).collect(),
            None => model.scores.iter().map(|s| score(*s)).collect(),
        };
        Ok(scores.with_name(lookalike_column_name(key).into()).into_column())
    }

    /// The model of a lookalike condition's seed; `None` for another condition or
    /// one that can't be evaluated.
    fn seed_model(&self, c: &Condition) -> Option<Arc<Lookalike>> {
        if c.op != Op::LookalikeOf {
            return None;
        }
        let name = c.values.first()?.trim();
        let (name, rule) = self.saved_segments().iter().find(|(n, _)| n.trim().eq_ignore_ascii_case(name)).cloned()?;
        self.lookalike_of(&name, &rule, std::slice::from_ref(&name)).ok()
    }

    /// The lowest score a lookalike condition keeps today.
    pub fn lookalike_bound(&self, c: &Condition) -> Option<f64> {
        self.seed_model(c)?.bound(relative::percent(c.values.get(1)?)?)
    }

    /// A lookalike condition's score for the customer in `row` (the explained
    /// customer in a frame of one); `None` for a member of the seed or another condition.
    pub fn lookalike_score(&self, c: &Condition, row: usize) -> Option<f64> {
        let model = self.seed_model(c)?;
        let row = self.population_row.lock().ok().and_then(|r| *r).unwrap_or(row);
        model.scores.get(row).copied().filter(|s| !s.is_nan())
    }

    /// Measures relative conditions (`ltv in top 10%`) over `population` rather
    /// than the frame's own customers (a frame of one customer, explained).
    pub fn measure_over(&self, population: Arc<CustomerData>) {
        if let Ok(mut p) = self.population.lock() {
            *p = Some(population);
        }
        if let Ok(mut b) = self.bounds.lock() {
            b.clear();
        }
    }

    /// The customers relative conditions are measured over.
    pub fn population(&self) -> Arc<CustomerData> {
        self.population.lock().ok().and_then(|p| p.clone()).unwrap_or_else(|| Arc::clone(&self.data))
    }

    /// What relative operator `op` keeps in `field` today (see [`relative`]);
    /// `None` when no customer has a value there.
    pub fn relative_bound(&self, field: &str, op: Op, percent: f64) -> PolarsResult<Option<Bound>> {
        let key = (field.to_owned(), op, percent.to_bits());
        if let Some(found) = self.bounds.lock().ok().and_then(|b| b.get(&key).copied()) {
            return Ok(found);
        }
        let population = self.population();
        let column = population.customers.column(field)?.cast(&DataType::Float64)?;
        let mut values: Vec<f64> = column.f64()?.iter().flatten().filter(|v| !v.is_nan()).collect();
        let found = relative::bound(&mut values, op, percent);
        if let Ok(mut b) = self.bounds.lock() {
            b.insert(key, found);
        }
        Ok(found)
    }

    /// The saved segments (name, rule) that `in segment "…"` conditions refer to.
    pub fn set_saved_segments(&self, segments: Vec<(String, String)>) {
        if let Ok(mut saved) = self.saved.lock()
            && **saved != segments
        {
            *saved = Arc::new(segments);
        }
    }

    /// The frame, with the saved segments its rules may refer to.
    pub fn with_saved_segments(self, segments: &[crate::engine::segment::Segment]) -> Self {
        self.set_saved(segments);
        self
    }

    /// The saved segments its rules may refer to, as the workspace holds them.
    pub fn set_saved(&self, segments: &[crate::engine::segment::Segment]) {
        self.set_saved_segments(segments.iter().map(|s| (s.name.clone(), s.rule.clone())).collect());
    }

    /// The saved segments (name, rule) its rules may refer to.
    pub fn saved_segments(&self) -> Arc<Vec<(String, String)>> {
        self.saved.lock().map(|s| Arc::clone(&s)).unwrap_or_default()
    }

    pub fn data(&self) -> &CustomerData {
        &self.data
    }

    fn field_type(&self, field: &str) -> Option<FieldType> {
        self.data.field(field).map(|f| f.ty)
    }

    fn order_index(&self) -> Option<&OrderIndex> {
        self.orders.get_or_init(|| OrderIndex::new(&self.data).ok()).as_ref()
    }

    /// The customer table plus the columns a compiled rule needs made: lowercased
    /// text, split buckets and order-history values.
    fn frame(&self, compiled: &Compiled) -> PolarsResult<DataFrame> {
        let fields = &compiled.lowered;
        let poisoned = || PolarsError::ComputeError("segment cache poisoned".into());
        // Lookalike scores are made before the cache is held: a model evaluates its
        // seed, which needs this frame. Then they are kept with the other columns.
        for key in fields.iter().filter(|f| f.starts_with(LOOKALIKE_PREFIX)) {
            if !self.lowered.lock().map_err(|_| poisoned())?.contains_key(key) {
                let scores = self.lookalike_scores(key)?;
                let name =
                    key.strip_prefix(LOOKALIKE_PREFIX).and_then(|k| k.split_once('\u{1}')).map_or("", |(n, _)| n);
                let mut cache = self.lowered.lock().map_err(|_| poisoned())?;
                cache.retain(|k, _| !stale_lookalike(k, name, key));
                cache.insert(key.clone(), scores);
            }
        }
        let mut df = self.data.customers.clone();
        let mut cache = self.lowered.lock().map_err(|_| poisoned())?;
        // Order-history values depend on the values typed: keep a few, not every one.
        let made: Vec<String> = cache.keys().filter(|k| k.starts_with(HISTORY_PREFIX)).cloned().collect();
        if made.len() > MAX_HISTORY_COLUMNS {
            for key in made {
                if !compiled.history.iter().any(|h| h.column_name() == key) {
                    cache.remove(&key);
                }
            }
        }
        for spec in &compiled.history {
            let name = spec.column_name();
            if !cache.contains_key(&name) {
                let Some(index) = self.order_index() else {
                    return Err(PolarsError::ComputeError("the orders can't be read".into()));
                };
                cache.insert(name.clone(), spec.column(&self.data, index)?);
            }
            if let Some(c) = cache.get(&name) {
                df.with_column(c.clone())?;
            }
        }
        for field in fields {
            if !cache.contains_key(field) {
                let categories = field.strip_prefix(LOWER_CATEGORIES_PREFIX);
                let made = match (field.strip_prefix(SPLIT_PREFIX), categories) {
                    // A split's buckets, made like the lowered copies: once, on demand.
                    (Some(seed), _) => super::split::split_buckets(&self.data, seed)?
                        .with_name(super::split::bucket_column(seed).into()),
                    (None, Some(field)) => {
                        let column = self.data.customers.column(field)?.as_materialized_series().clone();
                        lower_categories(&column)?.with_name(lower_categories_name(field).into())
                    }
                    (None, None) => {
                        let column = self.data.customers.column(field)?.as_materialized_series().clone();
                        lower_column(&column)?.with_name(lower_name(field).into())
                    }
                };
                cache.insert(field.clone(), made.into_column());
            }
            if let Some(c) = cache.get(field) {
                df.with_column(c.clone())?;
            }
        }
        Ok(df)
    }

    /// Compiles a rule; `None` expression means "all customers".
    pub fn compile(&self, group: &Group) -> Compiled {
        compile::compile(self, group)
    }

    /// Count, share, LTV and order numbers of the compiled rule.
    ///
    /// The rule's mask comes from polars; the sums are taken straight off the mask
    /// bits (no filtered copies of the columns), and big tables are cut into one
    /// slice of rows per core.
    pub fn stats(&self, compiled: &Compiled) -> PolarsResult<SegmentStats> {
        let total = self.data.customers.height();
        let df = self.frame(compiled)?;
        let has_ltv = self.data.field("ltv").is_some();
        let has_orders = self.data.field("orders").is_some();
        let has_prediction = self.data.field(PREDICTED_12M).is_some();
        let predicted = has_prediction.then_some(PREDICTED_12M);
        let tally = |slice: &DataFrame| -> PolarsResult<Tally> {
            if let Some(t) =
                compiled.fused.as_ref().and_then(|f| fused::tally(f, slice, has_ltv, has_orders, predicted))
            {
                return Ok(t);
            }
            let keep = keep_bits(slice, compiled)?;
            let mut t = Tally { count: keep.set_bits(), ..Tally::default() };
            if has_ltv {
                (t.ltv_sum, t.ltv_n) = masked_sum(slice.column("ltv")?, &keep)?;
            }
            if has_orders {
                (t.orders_sum, t.orders_n) = masked_sum(slice.column("orders")?, &keep)?;
            }
            if has_prediction {
                (t.predicted_sum, _) = masked_sum(slice.column(PREDICTED_12M)?, &keep)?;
            }
            Ok(t)
        };
        let t = row_slices(total)
            .into_par_iter()
            .map(|(offset, len)| tally(&df.slice(offset, len)))
            .try_reduce(Tally::default, |a, b| Ok(a.merge(b)))?;
        let mean = |sum: f64, n: usize| (n > 0).then(|| sum / n as f64);
        Ok(SegmentStats {
            count: t.count,
            share: if total > 0 { t.count as f64 / total as f64 } else { 0.0 },
            avg_ltv: if has_ltv { mean(t.ltv_sum, t.ltv_n) } else { None },
            total_revenue: has_ltv.then_some(t.ltv_sum),
            avg_orders: if has_orders { mean(t.orders_sum, t.orders_n) } else { None },
            predicted_revenue_12m: has_prediction.then_some(t.predicted_sum),
        })
    }

    /// Which customers (rows of the customer table) the rule keeps.
    pub fn members(&self, compiled: &Compiled) -> PolarsResult<Vec<IdxSize>> {
        let df = self.frame(compiled)?;
        let parts: Vec<Vec<IdxSize>> = row_slices(df.height())
            .into_par_iter()
            .map(|(offset, len)| -> PolarsResult<Vec<IdxSize>> {
                let keep = keep_bits(&df.slice(offset, len), compiled)?;
                let first = IdxSize::try_from(offset).unwrap_or(IdxSize::MAX);
                Ok(keep.true_idx_iter().map(|i| first + i as IdxSize).collect())
            })
            .collect::<PolarsResult<_>>()?;
        Ok(parts.concat())
    }

    /// The rule as one bit per customer (set: kept). An empty value is "not kept".
    pub fn mask(&self, compiled: &Compiled) -> PolarsResult<Bitmap> {
        let df = self.frame(compiled)?;
        let parts: Vec<Bitmap> = row_slices(df.height())
            .into_par_iter()
            .map(|(offset, len)| keep_bits(&df.slice(offset, len), compiled))
            .collect::<PolarsResult<_>>()?;
        let mut all = polars_arrow::bitmap::MutableBitmap::with_capacity(df.height());
        for part in &parts {
            let (bytes, offset, len) = part.as_slice();
            all.extend_from_slice(bytes, offset, len);
        }
        Ok(all.into())
    }

    /// The evaluation and the members of a rule.
    pub fn result(&self, group: &Group) -> PolarsResult<SegmentResult> {
        let evaluation = self.evaluate(group)?;
        let members = self.members(&self.compile(group))?;
        Ok(SegmentResult { evaluation, members })
    }

    /// What an order-history condition reads for the customer in `row`, as text:
    /// their count or amount in the window, or what they bought there (for
    /// `bought …`, the values their lines name, newest first). `None` for other
    /// conditions and invalid ones.
    pub fn history_value(&self, c: &Condition, row: usize) -> Option<String> {
        let measure = Measure::of_field(&c.field)?;
        let item = super::Item { join: super::Join::And, negate: false, node: Node::Condition(c.clone()) };
        let compiled = self.compile(&Group { items: vec![item] });
        let spec = compiled.history.first()?;
        if let Measure::Bought(attr) = measure {
            let customer = u32::try_from(row).ok()?;
            let found = super::history::bought_values(&self.data, attr, spec.window, customer);
            return Some(found.into_iter().take(5).collect::<Vec<_>>().join(", "));
        }
        let df = self.frame(&compiled).ok()?;
        let value = df.column(&spec.column_name()).ok()?.get(row).ok()?;
        Some(crate::engine::values::plain_text(&value))
    }

    /// Stats, the per-row funnel and invalid rows for a rule.
    pub fn evaluate(&self, group: &Group) -> PolarsResult<Evaluation> {
        let compiled = self.compile(group);
        let stats = self.stats(&compiled)?;
        let mut funnel = Vec::new();
        for n in 1..=group.items.len() {
            let prefix = Group { items: group.items[..n].to_vec() };
            let c = self.compile(&prefix);
            let s = if n == group.items.len() { stats.clone() } else { self.stats(&c)? };
            funnel.push(FunnelStep { count: s.count, avg_ltv: s.avg_ltv });
        }
        Ok(Evaluation { stats, funnel, invalid: compiled.invalid, lookalikes: compiled.lookalikes })
    }
}

/// Row ranges `(offset, len)` to evaluate side by side: one per core for big
/// tables, one for small ones (where a thread costs more than it saves).
fn row_slices(height: usize) -> Vec<(i64, usize)> {
    const MIN_ROWS_PER_SLICE: usize = 250_000;
    if height == 0 {
        return vec![(0, 0)];
    }
    let parts = (height / MIN_ROWS_PER_SLICE).clamp(1, rayon::current_num_threads().max(1));
    let step = height.div_ceil(parts);
    (0..height)
        .step_by(step)
        .map(|start| (i64::try_from(start).unwrap_or(i64::MAX), step.min(height - start)))
        .collect()
}

/// The rows a rule keeps, as bits; an empty value (null) counts as "not kept".
fn keep_bits(df: &DataFrame, compiled: &Compiled) -> PolarsResult<Bitmap> {
    let Some(expr) = compiled.expr.as_ref() else {
        return Ok(Bitmap::new_with_value(true, df.height()));
    };
    if let Some(bits) = compiled.fused.as_ref().and_then(|f| fused::mask(f, df)) {
        return Ok(bits);
    }
    keep_bits_of(df, expr)
}

/// [`keep_bits`] by polars.
fn keep_bits_of(df: &DataFrame, expr: &Expr) -> PolarsResult<Bitmap> {
    let out = df.clone().lazy().select([expr.clone().alias("keep")]).collect()?;
    let mask = out.column("keep")?.as_materialized_series().bool()?.rechunk();
    let Some(arr) = mask.downcast_iter().next() else {
        return Ok(Bitmap::new_zeroed(df.height()));
    };
    // A literal rule (e.g. every condition dropped inside a NOT) gives one value.
    if arr.len() != df.height() {
        let value = mask.get(0).unwrap_or(false);
        return Ok(Bitmap::new_with_value(value, df.height()));
    }
    Ok(match arr.validity() {
        Some(valid) => arr.values() & valid,
        None => arr.values().clone(),
    })
}

/// Counts and sums of the kept customers within one slice of rows.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    count: usize,
    ltv_sum: f64,
    ltv_n: usize,
    orders_sum: f64,
    orders_n: usize,
    predicted_sum: f64,
}

impl Tally {
    fn merge(self, other: Self) -> Self {
        Self {
            count: self.count + other.count,
            ltv_sum: self.ltv_sum + other.ltv_sum,
            ltv_n: self.ltv_n + other.ltv_n,
            orders_sum: self.orders_sum + other.orders_sum,
            orders_n: self.orders_n + other.orders_n,
            predicted_sum: self.predicted_sum + other.predicted_sum,
        }
    }
}

/// Sum and number of the non-empty values of a numeric column on the kept rows.
fn masked_sum(column: &Column, keep: &Bitmap) -> PolarsResult<(f64, usize)> {
    let series = column.as_materialized_series();
    // Whole numbers are summed as they are, without a converted copy of the column.
    if let Ok(ints) = series.i64() {
        return Ok(masked_sum_of(&ints.rechunk(), keep, |v| v as f64));
    }
    if let Ok(ints) = series.i32() {
        return Ok(masked_sum_of(&ints.rechunk(), keep, f64::from));
    }
    let floats = series.cast(&DataType::Float64)?; // no copy when already Float64
    Ok(masked_sum_of(&floats.f64()?.rechunk(), keep, |v| v))
}

fn masked_sum_of<T>(ca: &ChunkedArray<T>, keep: &Bitmap, to_f64: impl Fn(T::Native) -> f64) -> (f64, usize)
where
    T: PolarsNumericType,
{
    let Some(arr) = ca.downcast_iter().next() else { return (0.0, 0) };
    let keep = match arr.validity() {
        Some(valid) => keep & valid,
        None => keep.clone(),
    };
    let values = arr.values().as_slice();
    let mut sum = 0.0;
    let mut words = keep.chunks::<u64>();
    let mut base = 0;
    for word in words.by_ref() {
        sum += sum_bits(&values[base..base + 64], word, &to_f64);
        base += 64;
    }
    let rest = words.remainder();
    if base < values.len() {
        sum += sum_bits(&values[base..], rest, &to_f64);
    }
    (sum, keep.set_bits())
}

/// Sum of `values[i]` for every set bit `i` of `word`.
#[inline]
fn sum_bits<V: Copy>(values: &[V], word: u64, to_f64: &impl Fn(V) -> f64) -> f64 {
    if word == 0 {
        return 0.0;
    }
    let Ok(full) = <&[V; 64]>::try_from(values) else {
        return values.iter().enumerate().map(|(i, v)| if word >> i & 1 == 1 { to_f64(*v) } else { 0.0 }).sum();
    };
    if word == u64::MAX {
        return full.iter().map(|v| to_f64(*v)).sum();
    }
    // Eight running sums side by side: adds that don't wait on each other vectorise.
    // A value left out is masked to +0.0 bit by bit (no branch, and exact).
    let mut lanes = [0.0f64; 8];
    for (k, chunk) in full.chunks_exact(8).enumerate() {
        for (j, (lane, v)) in lanes.iter_mut().zip(chunk).enumerate() {
            let kept = 0u64.wrapping_sub(word >> (k * 8 + j) & 1);
            *lane += f64::from_bits(to_f64(*v).to_bits() & kept);
        }
    }
    lanes.iter().sum()
}

/// Turkish-lowercased copy of a category column, as categories: each distinct
/// value is lowercased once.
fn lower_categories(column: &Series) -> PolarsResult<Series> {
    let dtype = crate::engine::data::line_text_type();
    let DataType::Categorical(_, mapping) = &dtype else {
        return lower_column(column)?.cast(&dtype);
    };
    let categories = column.cat32()?;
    let source = categories.get_mapping();
    // Per code: its lowercased value's code, once looked up.
    let mut lowered_of: Vec<Option<Option<u32>>> =
        vec![None; categories.physical().max().map_or(0, |m| m as usize + 1)];
    let codes: UInt32Chunked = categories
        .physical()
        .iter()
        .map(|code| {
            let code = code?;
            *lowered_of[code as usize].get_or_insert_with(|| {
                source.cat_to_str(code).and_then(|text| mapping.insert_cat(&fold_case(text)).ok())
            })
        })
        .collect();
    Ok(Categorical32Chunked::from_cats_and_dtype(codes.with_name(column.name().clone()), dtype.clone()).into_series())
}

/// Turkish-lowercased copy of a text or list column.
fn lower_column(column: &Series) -> PolarsResult<Series> {
    match column.dtype() {
        DataType::List(_) => {
            let lists = column.list()?;
            let mut out = ListStringChunkedBuilder::new(column.name().clone(), lists.len(), lists.len() * 2);
            for list in lists.amortized_iter() {
                match list {
                    Some(values) => {
                        let values = values.as_ref().str()?;
                        let lowered: Vec<String> = values.iter().flatten().map(fold_case).collect();
                        out.append_values_iter(lowered.iter().map(String::as_str));
                    }
                    None => out.append_null(),
                }
            }
            Ok(out.finish().into_series())
        }
        _ => {
            let text = column.cast(&DataType::String)?;
            let out: StringChunked = text.str()?.iter().map(|v| v.map(fold_case)).collect();
            Ok(out.into_series())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The README's example rule runs in one pass; a rule with text in it does not.
    #[test]
    fn number_date_and_category_rules_run_in_one_pass() {
        use crate::engine::data::{FieldInfo, FieldOrigin};
        let channel = Series::new("channel".into(), ["Google Ads", "Meta", "Organik"]);
        let days: Int32Chunked = [Some(20_000), None, Some(20_300)].into_iter().collect();
        let customers = DataFrame::new(
            3,
            vec![
                Series::new("email".into(), ["a@x.tr", "b@x.tr", "c@x.tr"]).into_column(),
                Series::new("ltv".into(), [6000.0, 7000.0, 100.0]).into_column(),
                days.with_name("signup_date".into()).into_date().into_series().into_column(),
                channel.cast(&crate::engine::data::line_text_type()).expect("categories").into_column(),
            ],
        )
        .expect("table");
        let field = |name: &str, ty| FieldInfo { name: name.into(), ty, origin: FieldOrigin::Canonical };
        let data = CustomerData {
            customers,
            fields: vec![
                field("email", FieldType::Text),
                field("ltv", FieldType::Money),
                field("signup_date", FieldType::Date),
                field("channel", FieldType::Category),
            ],
            orders: None,
            order_lines: None,
            spend: Vec::new(),
            as_of: chrono::NaiveDate::from_ymd_opt(2026, 11, 1).expect("day"),
            report: Default::default(),
        };
        let frame = SegmentFrame::new(Arc::new(data));
        let rule = |text: &str| frame.compile(&crate::engine::segment::parse(text).expect("a rule"));
        let readme = rule(r#"ltv > 5000 and signup_date more than 30 days ago or channel = "Google Ads""#);
        assert!(readme.fused.is_some());
        // Row 0 by both sides, row 1 has no signup date (and is not from Google Ads).
        assert_eq!(frame.members(&readme).expect("members"), [0]);
        assert_eq!(frame.stats(&readme).expect("stats").avg_ltv, Some(6000.0));
        assert!(rule(r#"not (channel = "Meta") and ltv between 50 and 6500"#).fused.is_some());
        assert!(rule(r#"email contains "x" and ltv > 5000"#).fused.is_none());
    }

    proptest::proptest! {
        /// Masked sums over bitmap words (eight lanes, or a plain sum for words kept
        /// whole) agree with a plain loop over the kept rows, for any length, mask
        /// and empty values.
        #[test]
        fn masked_sums_match_a_plain_loop(
            cells in proptest::collection::vec(proptest::option::weighted(0.9, -1e6f64..1e6), 0..300),
            keep in proptest::collection::vec(proptest::bool::ANY, 300),
            full_words in 0usize..4,
            no_empty in proptest::bool::ANY,
        ) {
            // Whole words kept (summed without a mask) among words partly kept.
            let mut keep = keep;
            keep[..full_words * 64].fill(true);
            let cells: Vec<Option<f64>> =
                if no_empty { cells.iter().map(|c| Some(c.unwrap_or(1.5))).collect() } else { cells };
            let ca: Float64Chunked = cells.iter().copied().collect();
            let mask: Bitmap = keep[..cells.len()].iter().copied().collect();
            let (sum, count) = masked_sum_of(&ca, &mask, |v| v);
            let kept: Vec<f64> = cells.iter().zip(&keep).filter_map(|(c, &k)| c.filter(|_| k)).collect();
            proptest::prop_assert_eq!(count, kept.len());
            let expected: f64 = kept.iter().sum();
            let scale: f64 = kept.iter().map(|v| v.abs()).sum();
            proptest::prop_assert!((sum - expected).abs() <= 1e-9 * scale.max(1.0), "{} vs {}", sum, expected);
        }
    }
}
