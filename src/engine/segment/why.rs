//! Why a customer is in a segment, or is not: the rule's tree with each condition
//! marked true, false, or empty (false because the customer has no value there),
//! the customer's value beside it, and each group's result. Every mark comes from
//! the segment engine itself, run on that one customer, so it can't disagree with
//! the segment's members.

use std::sync::Arc;

use polars::prelude::*;
use serde::Serialize;

use super::evaluate::SegmentFrame;
use super::relative::{self, Bound};
use super::text::condition_text;
use super::{Condition, Group, Item, Join, Node};
use crate::engine::values::plain_text;

/// A condition's or group's result for the customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    True,
    False,
    /// False because the customer has no value in the field.
    Empty,
    /// The condition can't be evaluated (unknown field, missing value …); it is left out.
    Invalid,
}

/// One row of the rule, for one customer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WhyItem {
    /// How the row joins the one before it (`None` for the first).
    pub join: Option<&'static str>,
    pub negate: bool,
    /// The condition in the text form, or the group's.
    pub text: String,
    /// The condition's (or group's) own result, before `not`.
    pub result: Outcome,
    /// The field a condition reads, and the customer's value there ("" when empty).
    pub field: Option<String>,
    pub value: Option<String>,
    /// For `ltv in top 10%` and the like: the number it stands for today.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bound: Option<Bound>,
    /// A group's rows.
    pub items: Vec<WhyItem>,
}

/// The whole answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Why {
    pub member: bool,
    pub items: Vec<WhyItem>,
}

/// Explains `group` for the customer in `row` of the frame's table.
pub fn why(frame: &SegmentFrame, group: &Group, row: usize) -> PolarsResult<Why> {
    let data = frame.data();
    if row >= data.customers.height() {
        return Err(PolarsError::OutOfBounds(format!("there is no customer row {row}").into()));
    }
    let one = SegmentFrame::new(Arc::new(data.one_customer(row)?));
    one.set_saved_segments(frame.saved_segments().to_vec());
    // `ltv in top 10%` is measured over the whole store, not the one customer, and
    // a lookalike score is the one this customer has there.
    one.explain_row_of(frame.population(), row);
    let member = holds(&one, group)? == Some(true);
    Ok(Why { member, items: items(&one, group)? })
}

/// Whether a rule keeps the one customer; `None` when nothing in it can be evaluated.
fn holds(one: &SegmentFrame, group: &Group) -> PolarsResult<Option<bool>> {
    let compiled = one.compile(group);
    if compiled.expr.is_none() && !group.items.is_empty() {
        return Ok(None);
    }
    Ok(Some(one.mask(&compiled)?.get_bit(0)))
}

fn items(one: &SegmentFrame, group: &Group) -> PolarsResult<Vec<WhyItem>> {
    group
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let join = (i > 0).then_some(if item.join == Join::And { "and" } else { "or" });
            let alone = Group { items: vec![Item { join: Join::And, negate: false, node: item.node.clone() }] };
            let result = holds(one, &alone)?;
            Ok(match &item.node {
                Node::Condition(c) => {
                    let score = one.lookalike_score(c, 0).map(|s| format!("{s:.4}"));
                    let value = score.or_else(|| one.history_value(c, 0)).or_else(|| {
                        one.data()
                            .customers
                            .column(&c.field)
                            .ok()
                            .and_then(|col| col.get(0).ok().map(|v| plain_text(&v)))
                    });
                    let result = match (result, value.as_deref()) {
                        (None, _) => Outcome::Invalid,
                        (Some(true), _) => Outcome::True,
                        // A segment or split reference reads no field: false is false.
                        (Some(false), _) if c.field.is_empty() => Outcome::False,
                        (Some(false), Some("") | None) => Outcome::Empty,
                        (Some(false), _) => Outcome::False,
                    };
                    WhyItem {
                        join,
                        negate: item.negate,
                        text: condition_text(c),
                        result,
                        field: (!c.field.is_empty()).then(|| c.field.clone()),
                        value,
                        bound: relative_bound(one, c),
                        items: Vec::new(),
                    }
                }
                Node::Group(g) => WhyItem {
                    join,
                    negate: item.negate,
                    text: super::to_text(g),
                    result: match result {
                        None => Outcome::Invalid,
                        Some(true) => Outcome::True,
                        Some(false) => Outcome::False,
                    },
                    field: None,
                    value: None,
                    bound: None,
                    items: items(one, g)?,
                },
            })
        })
        .collect()
}

/// What a relative condition stands for today, over the whole store (for a
/// lookalike: the lowest score in its top share).
fn relative_bound(one: &SegmentFrame, c: &Condition) -> Option<Bound> {
    if c.op == super::Op::LookalikeOf {
        return one.lookalike_bound(c).map(Bound::AtLeast);
    }
    if !c.op.is_relative() {
        return None;
    }
    let percent = c.values.first().and_then(|v| relative::percent(v)).unwrap_or(0.0);
    one.relative_bound(&c.field, c.op, percent).ok().flatten()
}
