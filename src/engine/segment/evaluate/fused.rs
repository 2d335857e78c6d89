//! One pass over the rows for the commonest rules: number, date and category
//! columns compared with one value, joined by and, or and not. Each block of 4,096
//! rows is tested condition by condition into words of 64 bits, the words are
//! combined, and the block's LTV and order sums are taken while its values are
//! still in the processor's cache. So each column is read once, not once per
//! condition and again for the sums; at 10M customers the segment engine is bound
//! by memory, not by arithmetic.
//!
//! A rule with anything else in it (text, lists, order history, …) goes through
//! polars, as does a column of another type. A property test holds this pass equal
//! to the polars expression (`tests::the_fused_pass_agrees_with_polars`).

use std::cell::RefCell;
use std::rc::Rc;

use polars::prelude::*;
use polars_arrow::bitmap::{Bitmap, MutableBitmap};

use super::Tally;
use super::kernels::{Cmp, word_of};

/// A condition the pass can test: a column against one value.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Leaf {
    /// As [`super::kernels::compare`].
    Compare { column: PlSmallStr, cmp: Cmp, value: f64 },
    /// As [`super::kernels::category_equals`].
    CategoryEquals { column: PlSmallStr, text: String, equal: bool },
}

/// A rule as the pass runs it. An empty value tests false; with only and / or above
/// it that gives what the expression gives (null counts as false at the end), and
/// the expression's `not` sees an empty value as false first too.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Fused {
    Leaf(Leaf),
    And(Vec<Fused>),
    Or(Vec<Fused>),
    Not(Box<Fused>),
}

impl Fused {
    pub(super) fn and(self, other: Self) -> Self {
        match self {
            Self::And(mut all) => {
                all.push(other);
                Self::And(all)
            }
            one => Self::And(vec![one, other]),
        }
    }

    pub(super) fn or(self, other: Self) -> Self {
        match self {
            Self::Or(mut all) => {
                all.push(other);
                Self::Or(all)
            }
            one => Self::Or(vec![one, other]),
        }
    }
}

/// The leaves a compilation made (and conditions made of two, as `between`), each
/// beside its expression, so a condition that compiled to exactly one of them is
/// known to be that rule.
pub(super) type Leaves = Rc<RefCell<Vec<(Expr, Fused)>>>;

/// `expr` (made from `leaf`) noted in `leaves` when its field is a plain column.
pub(super) fn noted(leaves: &Leaves, field: &Expr, expr: Expr, leaf: impl FnOnce(PlSmallStr) -> Leaf) -> Expr {
    if let Expr::Column(column) = field {
        leaves.borrow_mut().push((expr.clone(), Fused::Leaf(leaf(column.clone()))));
    }
    expr
}

/// `a and b`, noted when both are.
pub(super) fn both(leaves: &Leaves, a: Expr, b: Expr) -> Expr {
    let fused = leaf_of(leaves, &a).zip(leaf_of(leaves, &b)).map(|(a, b)| a.and(b));
    let expr = a.and(b);
    if let Some(fused) = fused {
        leaves.borrow_mut().push((expr.clone(), fused));
    }
    expr
}

/// The rule that `expr` is, if it was noted.
pub(super) fn leaf_of(leaves: &Leaves, expr: &Expr) -> Option<Fused> {
    leaves.borrow().iter().find(|(made, _)| made == expr).map(|(_, rule)| rule.clone())
}

/// Rows tested at a time: 64 words of 64.
const BLOCK: usize = 4096;
const WORDS: usize = BLOCK / 64;

/// A column's values as the tests read them.
#[derive(Clone, Copy)]
enum Values<'a> {
    F64(&'a [f64]),
    I32(&'a [i32]),
    I64(&'a [i64]),
    U32(&'a [u32]),
}

/// A leaf on the columns of one slice of rows.
struct Test<'a> {
    values: Values<'a>,
    valid: Option<&'a Bitmap>,
    cmp: Cmp,
    value: f64,
}

enum Plan<'a> {
    Test(Test<'a>),
    And(Vec<Plan<'a>>),
    Or(Vec<Plan<'a>>),
    Not(Box<Plan<'a>>),
}

/// The one chunk of a numeric column's values and validity (`None`: several chunks).
fn one_chunk<T: PolarsNumericType>(ca: &ChunkedArray<T>) -> Option<(&[T::Native], Option<&Bitmap>)> {
    match ca.downcast_iter().collect::<Vec<_>>().as_slice() {
        [array] => Some((array.values().as_slice(), array.validity())),
        _ => None,
    }
}

fn prepare<'a>(rule: &Fused, df: &'a DataFrame) -> Option<Plan<'a>> {
    Some(match rule {
        Fused::Leaf(leaf) => Plan::Test(prepare_leaf(leaf, df)?),
        Fused::And(all) => Plan::And(all.iter().map(|r| prepare(r, df)).collect::<Option<_>>()?),
        Fused::Or(all) => Plan::Or(all.iter().map(|r| prepare(r, df)).collect::<Option<_>>()?),
        Fused::Not(one) => Plan::Not(Box::new(prepare(one, df)?)),
    })
}

fn prepare_leaf<'a>(leaf: &Leaf, df: &'a DataFrame) -> Option<Test<'a>> {
    match leaf {
        Leaf::Compare { column, cmp, value } => {
            let s = df.column(column).ok()?.as_materialized_series();
            let (values, valid) = match s.dtype() {
                DataType::Float64 => one_chunk(s.f64().ok()?).map(|(v, b)| (Values::F64(v), b))?,
                DataType::Int32 => one_chunk(s.i32().ok()?).map(|(v, b)| (Values::I32(v), b))?,
                DataType::Date => one_chunk(s.date().ok()?.physical()).map(|(v, b)| (Values::I32(v), b))?,
                DataType::UInt32 => one_chunk(s.u32().ok()?).map(|(v, b)| (Values::U32(v), b))?,
                DataType::Int64 => one_chunk(s.i64().ok()?).map(|(v, b)| (Values::I64(v), b))?,
                _ => return None,
            };
            Some(Test { values, valid, cmp: *cmp, value: *value })
        }
        Leaf::CategoryEquals { column, text, equal } => {
            let categories = df.column(column).ok()?.cat32().ok()?;
            let code = categories.get_mapping().get_cat(text).unwrap_or(u32::MAX);
            let (values, valid) = one_chunk(categories.physical())?;
            let cmp = if *equal { Cmp::Eq } else { Cmp::Ne };
            Some(Test { values: Values::U32(values), valid, cmp, value: f64::from(code) })
        }
    }
}

/// The words of `test(value)` over `values` (at most [`BLOCK`]), 64 rows a word.
fn fill<V: Copy>(values: &[V], words: &mut [u64; WORDS], test: impl Fn(V) -> bool) {
    for (word, part) in words.iter_mut().zip(values.chunks(64)) {
        *word = word_of(part, &test);
    }
}

/// `cmp` of each value with `value`, one loop per comparison.
fn compared<V: Copy, W: PartialOrd + Copy>(
    values: &[V],
    words: &mut [u64; WORDS],
    cmp: Cmp,
    value: W,
    to: impl Fn(V) -> W,
) {
    match cmp {
        Cmp::Eq => fill(values, words, |v| to(v) == value),
        Cmp::Ne => fill(values, words, |v| to(v) != value),
        Cmp::Gt => fill(values, words, |v| to(v) > value),
        Cmp::Ge => fill(values, words, |v| to(v) >= value),
        Cmp::Lt => fill(values, words, |v| to(v) < value),
        Cmp::Le => fill(values, words, |v| to(v) <= value),
    }
}

impl Test<'_> {
    /// The rows `start..start + len` that pass, empty values not passing.
    fn words(&self, start: usize, len: usize, words: &mut [u64; WORDS]) {
        let range = start..start + len;
        match self.values {
            Values::F64(v) => compared(&v[range], words, self.cmp, self.value, |x| x),
            // A whole value in the column's range compares as the column's own
            // numbers (same answers, twice the values per instruction).
            Values::I32(v) if self.value.fract() == 0.0 && i32::try_from(self.value as i64).is_ok() => {
                compared(&v[range], words, self.cmp, self.value as i32, |x| x);
            }
            Values::I32(v) => compared(&v[range], words, self.cmp, self.value, f64::from),
            Values::U32(v) if self.value.fract() == 0.0 && u32::try_from(self.value as i64).is_ok() => {
                compared(&v[range], words, self.cmp, self.value as u32, |x| x);
            }
            Values::U32(v) => compared(&v[range], words, self.cmp, self.value, f64::from),
            // Whole values compare exactly, as the kernels do.
            Values::I64(v) if self.value.fract() == 0.0 && self.value.abs() < 9e15 => {
                compared(&v[range], words, self.cmp, self.value as i64, |x| x);
            }
            Values::I64(v) => compared(&v[range], words, self.cmp, self.value, |x| x as f64),
        }
        if let Some(valid) = self.valid {
            and_bits(words, valid, start, len);
        }
    }
}

/// `words &= bits[start..start + len]`.
fn and_bits(words: &mut [u64; WORDS], bits: &Bitmap, start: usize, len: usize) {
    let part = bits.clone().sliced(start, len);
    let chunks = part.chunks::<u64>();
    let rest = chunks.remainder();
    let mut n = 0;
    for (word, bits) in words.iter_mut().zip(chunks) {
        *word &= bits;
        n += 1;
    }
    if !len.is_multiple_of(64) {
        words[n] &= rest;
    }
}

impl Plan<'_> {
    fn words(&self, start: usize, len: usize, words: &mut [u64; WORDS]) {
        match self {
            Plan::Test(test) => test.words(start, len, words),
            Plan::Not(one) => {
                one.words(start, len, words);
                words.iter_mut().for_each(|w| *w = !*w);
            }
            Plan::And(all) | Plan::Or(all) => {
                let and = matches!(self, Plan::And(_));
                let mut other = [0u64; WORDS];
                for (i, plan) in all.iter().enumerate() {
                    if i == 0 {
                        plan.words(start, len, words);
                        continue;
                    }
                    plan.words(start, len, &mut other);
                    for (w, o) in words.iter_mut().zip(&other) {
                        *w = if and { *w & *o } else { *w | *o };
                    }
                }
            }
        }
    }

    /// The rows that pass among `start..start + len`, bits beyond `len` cleared.
    fn block(&self, start: usize, len: usize) -> [u64; WORDS] {
        let mut words = [0u64; WORDS];
        self.words(start, len, &mut words);
        let used = len.div_ceil(64);
        words[used..].fill(0);
        if !len.is_multiple_of(64) {
            words[used - 1] &= (1u64 << (len % 64)) - 1;
        }
        words
    }
}

/// The rule's rows in `df`, as bits; `None` when a column does not suit the pass.
pub(super) fn mask(rule: &Fused, df: &DataFrame) -> Option<Bitmap> {
    let plan = prepare(rule, df)?;
    let mut out = MutableBitmap::with_capacity(df.height());
    for start in (0..df.height()).step_by(BLOCK) {
        let len = BLOCK.min(df.height() - start);
        let words = plan.block(start, len);
        let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
        out.extend_from_slice(&bytes, 0, len);
    }
    Some(out.into())
}

/// A column summed over the kept rows.
struct Summed<'a> {
    values: Values<'a>,
    valid: Option<&'a Bitmap>,
}

fn summed<'a>(df: &'a DataFrame, name: &str) -> Option<Summed<'a>> {
    let s = df.column(name).ok()?.as_materialized_series();
    let (values, valid) = match s.dtype() {
        DataType::Float64 => one_chunk(s.f64().ok()?).map(|(v, b)| (Values::F64(v), b))?,
        DataType::Int64 => one_chunk(s.i64().ok()?).map(|(v, b)| (Values::I64(v), b))?,
        DataType::Int32 => one_chunk(s.i32().ok()?).map(|(v, b)| (Values::I32(v), b))?,
        _ => return None,
    };
    Some(Summed { values, valid })
}

impl Summed<'_> {
    /// Sum and count of the set values of `start..start + len` where `keep` is set.
    fn add(&self, keep: &[u64; WORDS], start: usize, len: usize) -> (f64, usize) {
        let mut keep = *keep;
        if let Some(valid) = self.valid {
            and_bits(&mut keep, valid, start, len);
        }
        let count = keep.iter().map(|w| w.count_ones() as usize).sum();
        let range = start..start + len;
        let sum = match self.values {
            Values::F64(v) => sum_words(&v[range], &keep, |x| x),
            Values::I64(v) => sum_words(&v[range], &keep, |x| x as f64),
            Values::I32(v) => sum_words(&v[range], &keep, f64::from),
            Values::U32(v) => sum_words(&v[range], &keep, f64::from),
        };
        (sum, count)
    }
}

fn sum_words<V: Copy>(values: &[V], keep: &[u64; WORDS], to_f64: impl Fn(V) -> f64) -> f64 {
    values.chunks(64).zip(keep).map(|(part, word)| super::sum_bits(part, *word, &to_f64)).sum()
}

/// The count and sums of the rule's rows in `df` (see [`super::SegmentFrame::stats`]),
/// in one pass; `None` when a column does not suit it.
pub(super) fn tally(rule: &Fused, df: &DataFrame, ltv: bool, orders: bool, predicted: Option<&str>) -> Option<Tally> {
    let plan = prepare(rule, df)?;
    let column = |wanted: bool, name: &str| if wanted { summed(df, name).map(Some) } else { Some(None) };
    let (ltv, orders) = (column(ltv, "ltv")?, column(orders, "orders")?);
    let predicted = match predicted {
        Some(name) => Some(summed(df, name)?),
        None => None,
    };
    let mut t = Tally::default();
    for start in (0..df.height()).step_by(BLOCK) {
        let len = BLOCK.min(df.height() - start);
        let keep = plan.block(start, len);
        t.count += keep.iter().map(|w| w.count_ones() as usize).sum::<usize>();
        if let Some(ltv) = &ltv {
            let (sum, n) = ltv.add(&keep, start, len);
            (t.ltv_sum, t.ltv_n) = (t.ltv_sum + sum, t.ltv_n + n);
        }
        if let Some(orders) = &orders {
            let (sum, n) = orders.add(&keep, start, len);
            (t.orders_sum, t.orders_n) = (t.orders_sum + sum, t.orders_n + n);
        }
        if let Some(predicted) = &predicted {
            t.predicted_sum += predicted.add(&keep, start, len).0;
        }
    }
    Some(t)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::super::kernels::{category_equals, compare};
    use super::*;

    const CHANNELS: [&str; 4] = ["meta", "google ads", "organik", "tiktok"];

    /// A row: LTV, orders, a day number (also the signup date and, unsigned, visits)
    /// and a channel.
    type Row = (Option<f64>, Option<i64>, Option<i32>, Option<usize>);

    /// A table with a column of each kind the pass reads, empty values in each.
    fn table(rows: &[Row]) -> DataFrame {
        let channel = Series::new(
            "channel".into(),
            rows.iter().map(|r| r.3.map(|c| CHANNELS[c % CHANNELS.len()])).collect::<Vec<_>>(),
        );
        let days: Int32Chunked = rows.iter().map(|r| r.2).collect();
        DataFrame::new(
            rows.len(),
            vec![
                Series::new("ltv".into(), rows.iter().map(|r| r.0).collect::<Vec<_>>()).into_column(),
                Series::new("orders".into(), rows.iter().map(|r| r.1).collect::<Vec<_>>()).into_column(),
                Series::new("days".into(), rows.iter().map(|r| r.2).collect::<Vec<_>>()).into_column(),
                Series::new("visits".into(), rows.iter().map(|r| r.2.map(i32::unsigned_abs)).collect::<Vec<_>>())
                    .into_column(),
                days.with_name("signup_date".into()).into_date().into_series().into_column(),
                channel.cast(&crate::engine::data::line_text_type()).expect("categories").into_column(),
            ],
        )
        .expect("table")
    }

    fn cmp_strategy() -> impl Strategy<Value = Cmp> {
        proptest::sample::select(vec![Cmp::Eq, Cmp::Ne, Cmp::Gt, Cmp::Ge, Cmp::Lt, Cmp::Le])
    }

    fn leaf_strategy() -> impl Strategy<Value = Leaf> {
        let column = proptest::sample::select(vec!["ltv", "orders", "days", "visits", "signup_date"]);
        let value = prop_oneof![(-5i32..25).prop_map(f64::from), (-50.0..250.0f64)];
        prop_oneof![
            (column, cmp_strategy(), value).prop_map(|(column, cmp, value)| Leaf::Compare {
                column: column.into(),
                cmp,
                value
            }),
            (0usize..5, any::<bool>()).prop_map(|(c, equal)| Leaf::CategoryEquals {
                column: "channel".into(),
                text: CHANNELS.get(c).unwrap_or(&"no such channel").to_string(),
                equal,
            }),
        ]
    }

    fn rule_strategy() -> impl Strategy<Value = Fused> {
        leaf_strategy().prop_map(Fused::Leaf).prop_recursive(3, 12, 3, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 2..4).prop_map(Fused::And),
                proptest::collection::vec(inner.clone(), 2..4).prop_map(Fused::Or),
                inner.prop_map(|r| Fused::Not(Box::new(r))),
            ]
        })
    }

    /// The rule as the compiler writes it for polars.
    fn expr_of(rule: &Fused) -> Expr {
        match rule {
            Fused::Leaf(Leaf::Compare { column, cmp, value }) => compare(col(column.clone()), *cmp, *value),
            Fused::Leaf(Leaf::CategoryEquals { column, text, equal }) => {
                category_equals(col(column.clone()), text.clone(), *equal)
            }
            Fused::And(all) => all.iter().map(expr_of).reduce(Expr::and).expect("two or more"),
            Fused::Or(all) => all.iter().map(expr_of).reduce(Expr::or).expect("two or more"),
            Fused::Not(one) => expr_of(one).fill_null(lit(false)).not(),
        }
    }

    fn row_strategy() -> impl Strategy<Value = Row> {
        (
            proptest::option::weighted(0.9, prop_oneof![(0i32..20).prop_map(f64::from), -10.0..200.0f64]),
            proptest::option::weighted(0.9, 0i64..20),
            proptest::option::weighted(0.9, -3i32..22),
            proptest::option::weighted(0.9, 0usize..4),
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]
        /// The pass keeps the rows the polars expression keeps, and sums them as
        /// the masked sums do, for any rule of its kind, empty values, and lengths
        /// across words and blocks (a row pattern repeated up to 9,000 rows).
        #[test]
        fn the_fused_pass_agrees_with_polars(
            pattern in proptest::collection::vec(row_strategy(), 1..80),
            rows in 0usize..9000,
            rule in rule_strategy(),
        ) {
            let all: Vec<_> = pattern.iter().cycle().take(rows).copied().collect();
            let df = table(&all);
            let expected = super::super::keep_bits_of(&df, &expr_of(&rule)).expect("polars");
            let found = mask(&rule, &df).expect("every column suits the pass");
            prop_assert_eq!(found.len(), expected.len());
            prop_assert!(found.iter().eq(expected.iter()), "{:?}", rule);
            let t = tally(&rule, &df, true, true, None).expect("a tally");
            prop_assert_eq!(t.count, expected.set_bits());
            let (ltv, ltv_n) = super::super::masked_sum(df.column("ltv").expect("ltv"), &expected).expect("sum");
            let (orders, orders_n) = super::super::masked_sum(df.column("orders").expect("orders"), &expected).expect("sum");
            prop_assert_eq!((t.ltv_n, t.orders_n), (ltv_n, orders_n));
            prop_assert!((t.ltv_sum - ltv).abs() <= 1e-9 * ltv.abs().max(1.0), "{} vs {}", t.ltv_sum, ltv);
            prop_assert_eq!(t.orders_sum, orders);
        }
    }

    #[test]
    fn a_column_of_another_kind_is_left_to_polars() {
        let df = df!("ltv" => ["1", "2"]).expect("frame");
        let rule = Fused::Leaf(Leaf::Compare { column: "ltv".into(), cmp: Cmp::Gt, value: 1.0 });
        assert!(mask(&rule, &df).is_none());
        assert!(tally(&rule, &table(&[(Some(1.0), None, None, None)]), true, false, Some("no such column")).is_none());
    }
}
