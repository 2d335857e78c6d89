//! Compiling a rule into one polars expression: each condition checked against
//! its field (an unknown field, an operator that does not fit, a value of the
//! wrong kind becomes an [`InvalidRow`] and is left out), text compared without
//! case or accents, dates made relative to the as-of date, saved segments read in
//! their place, and the columns a rule needs (lowered text, split buckets, order
//! history) named so the frame makes them once.

use std::rc::Rc;
use std::sync::Arc;

use chrono::{Duration, Months, NaiveDate};
use polars::prelude::*;

use super::super::history::{HistorySpec, Measure, WindowError};
use super::super::relative::{self, Bound};
use super::super::{Condition, DateUnit, Group, Node, Op};
use super::fused::{Fused, Leaf, Leaves, both, leaf_of, noted};
use super::kernels::{Cmp, category_equals, compare};
use super::{
    InvalidKind, InvalidRow, LOWER_CATEGORIES_PREFIX, LookalikeSummary, SPLIT_PREFIX, SegmentFrame,
    lookalike_column_name, lookalike_key, lower_categories_name, lower_name,
};
use crate::engine::fields::FieldType;
use crate::engine::import::columns::date_to_days;
use crate::engine::import::parse::{DecimalSeparator, parse_number};
use crate::engine::text::fold_case;

/// `compare(field, cmp, value)`, noted as a leaf of the one-pass evaluation.
fn compare_noted(leaves: &Leaves, field: Expr, cmp: Cmp, value: f64) -> Expr {
    let expr = compare(field.clone(), cmp, value);
    noted(leaves, &field, expr, |column| Leaf::Compare { column, cmp, value })
}

/// Up to this many values, `in` is a chain of equalities (no hash set per row).
const FEW_VALUES: usize = 8;

/// A compiled rule.
#[derive(Clone)]
pub struct Compiled {
    /// `None`: no valid condition, so every customer matches.
    pub expr: Option<Expr>,
    pub invalid: Vec<InvalidRow>,
    pub(super) lowered: Vec<String>,
    pub(super) history: Vec<HistorySpec>,
    /// The rule for the one-pass evaluation, when every condition suits it.
    pub(super) fused: Option<Fused>,
    /// The lookalike models its conditions use.
    pub lookalikes: Vec<LookalikeSummary>,
}

/// Compiles a rule on the frame's customers.
pub(super) fn compile(frame: &SegmentFrame, group: &Group) -> Compiled {
    compile_within(frame, group, Vec::new())
}

/// [`compile`] for the rule of a segment being expanded inside others (`stack`,
/// outermost first), so a circle of references is found.
pub(super) fn compile_within(frame: &SegmentFrame, group: &Group, stack: Vec<String>) -> Compiled {
    let mut c = Compiler {
        frame,
        invalid: Vec::new(),
        lowered: Vec::new(),
        history: Vec::new(),
        saved: frame.saved_segments(),
        stack,
        leaves: Leaves::default(),
        lookalikes: Vec::new(),
    };
    let (expr, fused) = c.group_fused(group, &mut Vec::new()).unzip();
    Compiled {
        expr,
        invalid: c.invalid,
        lowered: c.lowered,
        history: c.history,
        fused: fused.flatten(),
        lookalikes: c.lookalikes,
    }
}

/// What a condition naming segment `name` says when a row of that segment's rule
/// can't be used: a circle stays a circle, anything else makes the segment unusable.
pub(super) fn within_segment(name: &str, first: &InvalidRow) -> (InvalidKind, String) {
    let kind =
        if first.kind == InvalidKind::SegmentCycle { InvalidKind::SegmentCycle } else { InvalidKind::UnknownSegment };
    (kind, format!("segment \"{name}\": {}", first.reason))
}

struct Compiler<'a> {
    frame: &'a SegmentFrame,
    invalid: Vec<InvalidRow>,
    lowered: Vec<String>,
    history: Vec<HistorySpec>,
    saved: Arc<Vec<(String, String)>>,
    /// The segments being expanded, outermost first (to find cycles).
    stack: Vec<String>,
    /// The comparisons made, for the one-pass evaluation.
    leaves: Leaves,
    lookalikes: Vec<LookalikeSummary>,
}

impl Compiler<'_> {
    fn group(&mut self, group: &Group, path: &mut Vec<usize>) -> Option<Expr> {
        self.group_fused(group, path).map(|(expr, _)| expr)
    }

    /// The group's expression and, when every condition in it suits the one-pass
    /// evaluation, the same rule for it.
    fn group_fused(&mut self, group: &Group, path: &mut Vec<usize>) -> Option<(Expr, Option<Fused>)> {
        type Part = (Expr, Option<Fused>);
        let mut ors: Vec<Part> = Vec::new();
        let mut and: Option<Part> = None;
        for (i, item) in group.items.iter().enumerate() {
            if i > 0
                && item.join == super::super::Join::Or
                && let Some(a) = and.take()
            {
                ors.push(a);
            }
            path.push(i);
            let part = match &item.node {
                Node::Condition(c) => self.condition(c, path).map(|expr| {
                    let fused = leaf_of(&self.leaves, &expr);
                    (expr, fused)
                }),
                Node::Group(g) => self.group_fused(g, path),
            };
            path.pop();
            let Some((expr, fused)) = part else { continue };
            // Null (an empty value) acts as false in filters and in AND/OR; only a
            // negation must see it as false first.
            let (expr, fused) = if item.negate {
                (expr.fill_null(lit(false)).not(), fused.map(|f| Fused::Not(Box::new(f))))
            } else {
                (expr, fused)
            };
            and = Some(match and.take() {
                Some((a, fa)) => (a.and(expr), fa.zip(fused).map(|(fa, f)| fa.and(f))),
                None => (expr, fused),
            });
        }
        if let Some(a) = and {
            ors.push(a);
        }
        ors.into_iter().reduce(|(a, fa), (b, fb)| (a.or(b), fa.zip(fb).map(|(fa, fb)| fa.or(fb))))
    }

    fn fail(&mut self, path: &[usize], kind: InvalidKind, reason: String) -> Option<Expr> {
        self.invalid.push(InvalidRow { path: path.to_vec(), kind, reason });
        None
    }

    fn lowered(&mut self, field: &str) -> Expr {
        if !self.lowered.iter().any(|f| f == field) {
            self.lowered.push(field.to_owned());
        }
        col(lower_name(field))
    }

    /// The saved segment a condition names, (name, rule), unless it is missing or
    /// already being expanded (a circle); either is marked invalid.
    fn saved_segment(&mut self, name: &str, path: &[usize]) -> Option<(String, String)> {
        let name = name.trim();
        let found = self.saved.iter().find(|(n, _)| n.trim().eq_ignore_ascii_case(name)).cloned();
        let Some((name, rule)) = found else {
            self.fail(path, InvalidKind::UnknownSegment, format!("there is no saved segment \"{name}\""));
            return None;
        };
        if self.stack.iter().any(|n| n.eq_ignore_ascii_case(&name)) {
            let mut circle = self.stack.clone();
            circle.push(name);
            let reason = format!("segments refer to each other: {}", circle.join(" → "));
            self.fail(path, InvalidKind::SegmentCycle, reason);
            return None;
        }
        Some((name, rule))
    }

    /// `in segment "X"`: X's rule, compiled in place (empty values count as false).
    fn in_segment(&mut self, c: &Condition, path: &[usize]) -> Option<Expr> {
        let (name, rule) = self.saved_segment(c.values.first().map_or("", String::as_str), path)?;
        let Ok(group) = super::super::parse(&rule) else {
            return self.fail(
                path,
                InvalidKind::UnknownSegment,
                format!("the rule of segment \"{name}\" can't be read"),
            );
        };
        let mut inner = Compiler {
            frame: self.frame,
            invalid: Vec::new(),
            lowered: Vec::new(),
            history: Vec::new(),
            saved: Arc::clone(&self.saved),
            stack: self.stack.iter().cloned().chain([name.clone()]).collect(),
            leaves: Leaves::default(),
            lookalikes: Vec::new(),
        };
        let expr = inner.group(&group, &mut Vec::new());
        if let Some(first) = inner.invalid.first() {
            let (kind, reason) = within_segment(&name, first);
            return self.fail(path, kind, reason);
        }
        for field in inner.lowered {
            if !self.lowered.contains(&field) {
                self.lowered.push(field);
            }
        }
        for spec in inner.history {
            if !self.history.contains(&spec) {
                self.history.push(spec);
            }
        }
        for model in inner.lookalikes {
            if !self.lookalikes.iter().any(|l| l.seed == model.seed) {
                self.lookalikes.push(model);
            }
        }
        Some(expr.map_or_else(|| lit(true), |e| e.fill_null(lit(false))))
    }

    /// `lookalike of "X" in top N%`: the customers outside X scored by likeness to
    /// its members (see [`super::super::lookalike`]), the top N% of them.
    fn lookalike(&mut self, c: &Condition, path: &[usize]) -> Option<Expr> {
        let [name, percent] = c.values.as_slice() else {
            return self.fail(path, InvalidKind::WrongValueCount, "a lookalike needs a segment and a share".to_owned());
        };
        let Some(percent) = relative::percent(percent) else {
            return self.fail(
                path,
                InvalidKind::NotAPercentage,
                "give a percentage above 0 and at most 100".to_owned(),
            );
        };
        let (name, rule) = self.saved_segment(name, path)?;
        let stack: Vec<String> = self.stack.iter().cloned().chain([name.clone()]).collect();
        let model = match self.frame.lookalike_of(&name, &rule, &stack) {
            Ok(model) => model,
            Err((kind, reason)) => return self.fail(path, kind, reason),
        };
        if !self.lookalikes.iter().any(|l| l.seed == name) {
            self.lookalikes.push(LookalikeSummary {
                seed: name.clone(),
                seed_members: model.seed_members,
                auc: model.auc,
                weights: model.weights.iter().take(3).cloned().collect(),
            });
        }
        let key = lookalike_key(&name, &rule);
        let scores = col(lookalike_column_name(&key));
        if !self.lowered.contains(&key) {
            self.lowered.push(key);
        }
        Some(match model.bound(percent) {
            Some(bound) => scores.gt_eq(lit(bound)),
            None => scores.is_not_null().and(lit(false)),
        })
    }

    /// `in split "SEED" FROM to TO`: the customer's bucket under the seed is in `[from, to)`.
    fn in_split(&mut self, c: &Condition, path: &[usize]) -> Option<Expr> {
        let [seed, from, to] = c.values.as_slice() else {
            return self.fail(path, InvalidKind::WrongValueCount, "a split needs a seed and two bounds".to_owned());
        };
        let (Ok(from), Ok(to)) = (from.trim().parse::<u32>(), to.trim().parse::<u32>()) else {
            return self.fail(path, InvalidKind::NotAWholeNumber, "a split's bounds are whole numbers".to_owned());
        };
        if seed.trim().is_empty() || from >= to || to > 100 {
            return self.fail(
                path,
                InvalidKind::MissingValue,
                "a split needs a seed and 0 ≤ from < to ≤ 100".to_owned(),
            );
        }
        if self.frame.field_type("customer_id").is_none() && self.frame.field_type("email").is_none() {
            return self.fail(path, InvalidKind::UnknownField, "a split needs customer ids or emails".to_owned());
        }
        let needed = format!("{SPLIT_PREFIX}{seed}");
        if !self.lowered.contains(&needed) {
            self.lowered.push(needed);
        }
        let bucket = col(super::super::split::bucket_column(seed));
        Some(bucket.clone().gt_eq(lit(from)).and(bucket.lt(lit(to))))
    }

    fn condition(&mut self, c: &Condition, path: &[usize]) -> Option<Expr> {
        if c.op == Op::InSegment {
            return self.in_segment(c, path);
        }
        if c.op == Op::InSplit {
            return self.in_split(c, path);
        }
        if c.op == Op::LookalikeOf {
            return self.lookalike(c, path);
        }
        if let Some(measure) = Measure::of_field(&c.field) {
            return self.history(c, measure, path);
        }
        let Some(ty) = self.frame.field_type(&c.field) else {
            return self.fail(path, InvalidKind::UnknownField, format!("there is no field \"{}\"", c.field));
        };
        if !Op::for_type(ty).contains(&c.op) {
            return self.fail(
                path,
                InvalidKind::OperatorDoesNotFit,
                format!("\"{}\" does not apply to {} fields", c.op.text(), ty.id()),
            );
        }
        if self.values_missing(c, path) {
            return None;
        }
        let field = col(c.field.as_str());
        let empty = match ty {
            FieldType::List => field.clone().is_null().or(field.clone().list().len().eq(lit(0u32))),
            _ => field.clone().is_null(),
        };
        let core = match c.op {
            Op::IsEmpty => return Some(empty),
            Op::IsNotEmpty => return Some(empty.not()),
            op if op.is_relative() => return self.relative(c, field, path),
            _ => match ty {
                FieldType::Number | FieldType::Money | FieldType::Integer => self.numeric(c, field, path)?,
                FieldType::Date => self.date(c, field, path)?,
                FieldType::Text | FieldType::Category => self.text(c),
                // An empty list is an empty value, for every operator.
                FieldType::List => empty.clone().not().and(self.list(c)),
                FieldType::Bool => match c.op {
                    Op::IsYes => field.eq(lit(true)),
                    _ => field.eq(lit(false)),
                },
            },
        };
        // Empty values leave the condition null, which counts as false; "include
        // empty" lets them in.
        Some(if c.op.is_negative() && c.include_empty { core.or(empty) } else { core })
    }

    /// Reports a condition whose values don't fit its operator: too many or too
    /// few, or one left blank. True when it was reported (and is left out).
    fn values_missing(&mut self, c: &Condition, path: &[usize]) -> bool {
        let (kind, reason) = match c.op.arity() {
            Some(n) if c.values.len() != n => {
                (InvalidKind::WrongValueCount, format!("\"{}\" needs {n} value(s)", c.op.text()))
            }
            None if c.values.is_empty() => (InvalidKind::MissingValue, "add at least one value".to_owned()),
            _ if c.values.iter().any(|v| v.trim().is_empty()) => {
                (InvalidKind::MissingValue, "a value is missing".to_owned())
            }
            _ => return false,
        };
        self.fail(path, kind, reason);
        true
    }

    /// An order-history condition: its per-customer value, made beside the table, compared.
    fn history(&mut self, c: &Condition, measure: Measure, path: &[usize]) -> Option<Expr> {
        if !measure.available(&self.frame.data) {
            let reason = match measure {
                Measure::OrderCount | Measure::Spent => "there are no orders in this workspace".to_owned(),
                Measure::Bought(attr) => format!("the orders don't name a {}", attr.column()),
            };
            return self.fail(path, InvalidKind::UnknownField, reason);
        }
        if !measure.ops().contains(&c.op) {
            return self.fail(
                path,
                InvalidKind::OperatorDoesNotFit,
                format!("\"{}\" does not apply to order history", c.op.text()),
            );
        }
        if self.values_missing(c, path) {
            return None;
        }
        let window = match c.window.as_ref().map(|w| w.days(self.frame.data.as_of)) {
            None => None,
            Some(Ok(days)) => Some(days),
            Some(Err(e)) => {
                let (kind, reason) = match e {
                    WindowError::NotAWholeNumber => {
                        (InvalidKind::NotAWholeNumber, "give a whole number of days, weeks or months")
                    }
                    WindowError::NotADate => (InvalidKind::NotADate, "the period's dates are YYYY-MM-DD"),
                    WindowError::Backwards => (InvalidKind::NotADate, "the period ends before it starts"),
                };
                return self.fail(path, kind, reason.to_owned());
            }
        };
        let values = match measure {
            Measure::Bought(_) => c.values.iter().map(|v| fold_case(v.trim())).collect(),
            _ => Vec::new(),
        };
        let spec = HistorySpec { measure, window, values };
        let column = col(spec.column_name());
        if !self.history.contains(&spec) {
            self.history.push(spec);
        }
        match c.op {
            Op::Bought => Some(column),
            Op::NotBought => Some(column.not()),
            _ => self.numeric(c, column, path),
        }
    }

    /// `ltv in top 10%` and the like: resolved on today's values (over the frame's
    /// population) into a comparison with a number.
    fn relative(&mut self, c: &Condition, field: Expr, path: &[usize]) -> Option<Expr> {
        let percent = match c.op {
            Op::TopPercent | Op::BottomPercent => match c.values.first().and_then(|v| relative::percent(v)) {
                Some(p) => p,
                None => {
                    return self.fail(
                        path,
                        InvalidKind::NotAPercentage,
                        "give a percentage above 0 and at most 100".to_owned(),
                    );
                }
            },
            _ => 0.0,
        };
        let bound = match self.frame.relative_bound(&c.field, c.op, percent) {
            Ok(b) => b,
            Err(e) => return self.fail(path, InvalidKind::UnknownField, e.to_string()),
        };
        let leaves = Rc::clone(&self.leaves);
        Some(match bound {
            // Nobody has a value: nobody is in any part of them.
            None => field.is_not_null().and(lit(false)),
            Some(Bound::AtLeast(v)) => compare_noted(&leaves, field, Cmp::Ge, v),
            Some(Bound::AtMost(v)) => compare_noted(&leaves, field, Cmp::Le, v),
            Some(Bound::Above(v)) => compare_noted(&leaves, field, Cmp::Gt, v),
            Some(Bound::Below(v)) => compare_noted(&leaves, field, Cmp::Lt, v),
        })
    }

    fn numeric(&mut self, c: &Condition, field: Expr, path: &[usize]) -> Option<Expr> {
        let mut values = Vec::new();
        for v in &c.values {
            match parse_number(v, DecimalSeparator::Point) {
                Some(n) => values.push(n),
                None => return self.fail(path, InvalidKind::NotANumber, format!("\"{v}\" is not a number")),
            }
        }
        // Whole numbers compare exactly with whole-number fields (see `kernels`).
        let leaves = Rc::clone(&self.leaves);
        let cmp = |field: Expr, op: Cmp, i: usize| compare_noted(&leaves, field, op, values[i]);
        Some(match c.op {
            Op::Eq => cmp(field, Cmp::Eq, 0),
            Op::Ne => cmp(field, Cmp::Ne, 0),
            Op::Gt => cmp(field, Cmp::Gt, 0),
            Op::Ge => cmp(field, Cmp::Ge, 0),
            Op::Lt => cmp(field, Cmp::Lt, 0),
            Op::Le => cmp(field, Cmp::Le, 0),
            Op::Between => both(&leaves, cmp(field.clone(), Cmp::Ge, 0), cmp(field, Cmp::Le, 1)),
            _ => {
                return self.fail(
                    path,
                    InvalidKind::OperatorDoesNotFit,
                    format!("\"{}\" does not apply to numbers", c.op.text()),
                );
            }
        })
    }

    fn date(&mut self, c: &Condition, field: Expr, path: &[usize]) -> Option<Expr> {
        let as_of = self.frame.data.as_of;
        let leaves = Rc::clone(&self.leaves);
        let on_day = |field: Expr, op: Cmp, d: NaiveDate| compare_noted(&leaves, field, op, f64::from(date_to_days(d)));
        let parse = |v: &str| NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").ok();
        match c.op {
            Op::MoreThanAgo(unit) | Op::WithinLast(unit) => {
                let Some(n) = c.values.first().and_then(|v| v.trim().parse::<u32>().ok()) else {
                    return self.fail(
                        path,
                        InvalidKind::NotAWholeNumber,
                        "give a whole number of days, weeks or months".to_owned(),
                    );
                };
                let Some(edge) = shift_back(as_of, n, unit) else {
                    return self.fail(path, InvalidKind::NotAWholeNumber, "that is too far back".to_owned());
                };
                Some(match c.op {
                    Op::MoreThanAgo(_) => on_day(field, Cmp::Lt, edge),
                    _ => both(&leaves, on_day(field.clone(), Cmp::Ge, edge), on_day(field, Cmp::Le, as_of)),
                })
            }
            _ => {
                let mut dates = Vec::new();
                for v in &c.values {
                    match parse(v) {
                        Some(d) => dates.push(d),
                        None => {
                            return self.fail(
                                path,
                                InvalidKind::NotADate,
                                format!("\"{v}\" is not a date (YYYY-MM-DD)"),
                            );
                        }
                    }
                }
                Some(match c.op {
                    Op::Before => on_day(field, Cmp::Lt, dates[0]),
                    Op::After => on_day(field, Cmp::Gt, dates[0]),
                    Op::On => on_day(field, Cmp::Eq, dates[0]),
                    Op::Between => {
                        both(&leaves, on_day(field.clone(), Cmp::Ge, dates[0]), on_day(field, Cmp::Le, dates[1]))
                    }
                    _ => {
                        return self.fail(
                            path,
                            InvalidKind::OperatorDoesNotFit,
                            format!("\"{}\" does not apply to dates", c.op.text()),
                        );
                    }
                })
            }
        }
    }

    /// The field lowercased as categories, for a field kept as categories (city,
    /// channel …): equality then compares 4-byte codes, not text.
    fn lowered_categories(&mut self, field: &str) -> Option<Expr> {
        let column = self.frame.data().customers.column(field).ok()?;
        if !matches!(column.dtype(), DataType::Categorical(..)) {
            return None;
        }
        let needed = format!("{LOWER_CATEGORIES_PREFIX}{field}");
        if !self.lowered.contains(&needed) {
            self.lowered.push(needed);
        }
        Some(col(lower_categories_name(field)))
    }

    fn text(&mut self, c: &Condition) -> Expr {
        let values: Vec<String> = c.values.iter().map(|v| fold_case(v)).collect();
        let equality = matches!(c.op, Op::Eq | Op::Ne | Op::In | Op::NotIn);
        if let Some(categories) = self.lowered_categories(&c.field).filter(|_| equality && values.len() <= FEW_VALUES) {
            // Equality with a few values, by category code.
            let any_of = || {
                let each = values.iter().map(|v| category_equals(categories.clone(), v.clone(), true));
                each.reduce(Expr::or).unwrap_or_else(|| lit(false))
            };
            let equals = |equal: bool| {
                let expr = category_equals(categories.clone(), values[0].clone(), equal);
                noted(&self.leaves, &categories, expr, |column| Leaf::CategoryEquals {
                    column,
                    text: values[0].clone(),
                    equal,
                })
            };
            return match c.op {
                Op::Eq => equals(true),
                Op::Ne => equals(false),
                Op::In => any_of(),
                _ => any_of().not(),
            };
        }
        let lowered = self.lowered(&c.field);
        let one = || lit(values[0].clone());
        // A few values compare with SIMD equality (no hash set per row); many use a set.
        let any_of = || {
            if values.len() <= FEW_VALUES {
                values.iter().map(|v| lowered.clone().eq(lit(v.clone()))).reduce(Expr::or).unwrap_or_else(|| lit(false))
            } else {
                lowered.clone().is_in(lit(Series::new("values".into(), values.clone())).implode(false), false)
            }
        };
        match c.op {
            Op::Eq => lowered.eq(one()),
            Op::Ne => lowered.neq(one()),
            Op::In => any_of(),
            Op::NotIn => any_of().not(),
            Op::Contains => lowered.str().contains_literal(one()),
            Op::StartsWith => lowered.str().starts_with(one()),
            _ => lowered.str().ends_with(one()),
        }
    }

    fn list(&mut self, c: &Condition) -> Expr {
        let lowered = self.lowered(&c.field);
        let has = |v: &str| lowered.clone().list().contains(lit(fold_case(v)), false);
        match c.op {
            Op::Contains => has(&c.values[0]),
            Op::NotContains => has(&c.values[0]).not(),
            _ => c.values.iter().map(|v| has(v)).reduce(Expr::or).unwrap_or_else(|| lit(false)),
        }
    }
}

/// `as_of` minus `n` days, weeks or calendar months.
pub fn shift_back(as_of: NaiveDate, n: u32, unit: DateUnit) -> Option<NaiveDate> {
    match unit {
        DateUnit::Days => as_of.checked_sub_signed(Duration::days(i64::from(n))),
        DateUnit::Weeks => as_of.checked_sub_signed(Duration::weeks(i64::from(n))),
        DateUnit::Months => as_of.checked_sub_months(Months::new(n)),
    }
}
