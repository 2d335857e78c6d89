//! Segments: rules over customer fields, in the shape the Smart Segment Builder
//! shows them ([`Group`]), their text form ([`text`]), their evaluation on the
//! customer table ([`evaluate`]), conditions on order history ([`history`]), how saved segments overlap ([`overlap`]), why a customer is in one ([`why`]), the same rule as warehouse SQL ([`sql`]), ready-made rules that charts and the gallery
//! build ([`rules`], [`templates`]), the values a field holds ([`values`]) and the
//! customers most like a segment's members ([`lookalike`]).
//!
//! A rule is a [`Group`]: items (conditions or sub-groups, each optionally negated)
//! with AND or OR between neighbours, exactly as the builder's rows read. AND binds
//! tighter than OR; that precedence is applied when the rule is evaluated, never by
//! reshaping the tree, so builder → text → builder is lossless.

pub mod build;
pub mod describe;
pub mod evaluate;
pub mod history;
pub mod lookalike;
pub mod members;
pub mod membership;
pub mod overlap;
pub mod relative;
pub mod rules;
pub mod split;
pub mod sql;
pub mod templates;
pub mod text;
pub mod values;
pub mod why;

pub use build::Rule;
pub use text::{ParseError, parse, to_text};

use serde::{Deserialize, Serialize};

use crate::engine::fields::FieldType;

/// A saved segment: its rule in text form (the segment builder's language).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub rule: String,
    /// When it was last saved (local time, `YYYY-MM-DD HH:MM`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited: Option<String>,
}

impl Segment {
    pub fn new(name: impl Into<String>, description: impl Into<String>, rule: impl Into<String>) -> Self {
        Self { name: name.into(), description: description.into(), rule: rule.into(), edited: Some(now_text()) }
    }

    /// A segment saving a rule built by code (held in its text form).
    pub fn of_rule(
        name: impl Into<String>,
        description: impl Into<String>,
        rule: &crate::engine::segment::Rule,
    ) -> Self {
        Self::new(name, description, crate::engine::segment::to_text(rule))
    }
}

/// The local time as segments record it.
pub fn now_text() -> String {
    chrono::Local::now().format("%Y-%m-%d %H:%M").to_string()
}

/// How an item joins the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Join {
    #[default]
    And,
    Or,
}

/// Units of relative date conditions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DateUnit {
    Days,
    Weeks,
    Months,
}

impl DateUnit {
    pub const ALL: [DateUnit; 3] = [DateUnit::Days, DateUnit::Weeks, DateUnit::Months];

    pub(crate) fn word(self) -> &'static str {
        match self {
            DateUnit::Days => "days",
            DateUnit::Weeks => "weeks",
            DateUnit::Months => "months",
        }
    }
}

/// A condition's operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
    /// Inclusive on both ends.
    Between,
    IsEmpty,
    IsNotEmpty,
    Before,
    After,
    On,
    /// date < as-of − N units
    MoreThanAgo(DateUnit),
    /// as-of − N units ≤ date ≤ as-of
    WithinLast(DateUnit),
    In,
    NotIn,
    Contains,
    NotContains,
    StartsWith,
    EndsWith,
    ContainsAny,
    IsYes,
    IsNo,
    /// The customer is in the saved segment the value names (the condition has no field).
    InSegment,
    /// The customer's split bucket (0–99, from the customer key and a seed) is in
    /// `[from, to)`: values `[seed, from, to]` (see [`split`]).
    InSplit,
    /// An order line within the condition's window names any of the values (see [`history`]).
    Bought,
    /// No order line within the window names any of the values.
    NotBought,
    /// Among the highest N% of the values the field has today (see [`relative`]).
    TopPercent,
    /// Among the lowest N% of the values.
    BottomPercent,
    /// Above the median of the values (no value given).
    AboveMedian,
    BelowMedian,
    /// Above the average of the values (no value given).
    AboveAverage,
    BelowAverage,
    /// Among the N% of customers outside the saved segment the first value names
    /// who are most like its members (values `[segment, N]`; no field; see
    /// [`lookalike`]).
    LookalikeOf,
}

impl Op {
    /// Conditions relative to the store's values today (see [`relative`]).
    pub const RELATIVE: [Op; 6] =
        [Op::TopPercent, Op::BottomPercent, Op::AboveMedian, Op::BelowMedian, Op::AboveAverage, Op::BelowAverage];

    pub fn is_relative(self) -> bool {
        Op::RELATIVE.contains(&self)
    }

    /// The operators that fit a field type, in the order the builder offers them.
    pub fn for_type(ty: FieldType) -> Vec<Op> {
        use Op::*;
        match ty {
            FieldType::Number | FieldType::Money | FieldType::Integer => {
                let mut ops = vec![Eq, Ne, Gt, Ge, Lt, Le, Between];
                ops.extend(Op::RELATIVE);
                ops.extend([IsEmpty, IsNotEmpty]);
                ops
            }
            FieldType::Date => {
                let mut ops = vec![Before, After, On, Between];
                ops.extend(DateUnit::ALL.map(MoreThanAgo));
                ops.extend(DateUnit::ALL.map(WithinLast));
                ops.extend([IsEmpty, IsNotEmpty]);
                ops
            }
            FieldType::Text | FieldType::Category => {
                vec![Eq, Ne, In, NotIn, Contains, StartsWith, EndsWith, IsEmpty, IsNotEmpty]
            }
            FieldType::List => vec![Contains, NotContains, ContainsAny, IsEmpty, IsNotEmpty],
            FieldType::Bool => vec![IsYes, IsNo, IsEmpty, IsNotEmpty],
        }
    }

    /// How many values the operator takes: exact count, or `None` for one or more.
    pub fn arity(self) -> Option<usize> {
        match self {
            Op::IsEmpty | Op::IsNotEmpty | Op::IsYes | Op::IsNo => Some(0),
            Op::AboveMedian | Op::BelowMedian | Op::AboveAverage | Op::BelowAverage => Some(0),
            Op::Between | Op::LookalikeOf => Some(2),
            Op::InSplit => Some(3),
            Op::In | Op::NotIn | Op::ContainsAny | Op::Bought | Op::NotBought => None,
            _ => Some(1),
        }
    }

    /// Operators that leave out empty values unless "include empty" is ticked.
    pub fn is_negative(self) -> bool {
        matches!(self, Op::Ne | Op::NotIn | Op::NotContains)
    }

    /// The operator's words in the text form.
    pub fn text(self) -> String {
        match self {
            Op::Eq => "=".into(),
            Op::Ne => "!=".into(),
            Op::Gt => ">".into(),
            Op::Ge => ">=".into(),
            Op::Lt => "<".into(),
            Op::Le => "<=".into(),
            Op::Between => "between".into(),
            Op::IsEmpty => "is empty".into(),
            Op::IsNotEmpty => "is not empty".into(),
            Op::Before => "before".into(),
            Op::After => "after".into(),
            Op::On => "on".into(),
            Op::MoreThanAgo(u) => format!("more than N {} ago", u.word()),
            Op::WithinLast(u) => format!("within last N {}", u.word()),
            Op::In => "in".into(),
            Op::NotIn => "not in".into(),
            Op::Contains => "contains".into(),
            Op::NotContains => "does not contain".into(),
            Op::StartsWith => "starts with".into(),
            Op::EndsWith => "ends with".into(),
            Op::ContainsAny => "contains any of".into(),
            Op::IsYes => "is yes".into(),
            Op::IsNo => "is no".into(),
            Op::InSegment => "in segment".into(),
            Op::InSplit => "in split".into(),
            Op::Bought => "bought".into(),
            Op::NotBought => "has not bought".into(),
            Op::TopPercent => "in top N%".into(),
            Op::BottomPercent => "in bottom N%".into(),
            Op::AboveMedian => "above median".into(),
            Op::BelowMedian => "below median".into(),
            Op::AboveAverage => "above average".into(),
            Op::BelowAverage => "below average".into(),
            Op::LookalikeOf => "lookalike of".into(),
        }
    }
}

/// `field · operator · value(s)`. Values are kept as text (numbers with a decimal
/// point, dates as YYYY-MM-DD) so that what the user typed survives even when it
/// does not fit the field; such a condition is marked invalid, not lost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Condition {
    pub field: String,
    pub op: Op,
    #[serde(default)]
    pub values: Vec<String>,
    /// For `!=`, `not in`, `does not contain`: empty values match too.
    #[serde(default)]
    pub include_empty: bool,
    /// For order-history fields: the dates looked at (`None`: all orders).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<history::Window>,
}

impl Condition {
    /// `field op values`, without a window or "include empty".
    pub fn new(field: &str, op: Op, values: Vec<String>) -> Self {
        Self { field: field.to_owned(), op, values, include_empty: false, window: None }
    }
}

/// The type of a rule's field: a column of the customer table, or what an
/// order-history field gives per customer.
pub fn field_type(data: &crate::engine::data::CustomerData, field: &str) -> Option<FieldType> {
    match history::Measure::of_field(field) {
        Some(m) => m.available(data).then(|| m.ty()),
        None => data.field(field).map(|f| f.ty),
    }
}

/// The operators a rule's field takes, in the order the builder offers them.
pub fn ops_for(data: &crate::engine::data::CustomerData, field: &str) -> Vec<Op> {
    match history::Measure::of_field(field) {
        Some(m) => m.ops(),
        None => data.field(field).map_or_else(Vec::new, |f| Op::for_type(f.ty)),
    }
}

/// A condition or a parenthesised group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Node {
    Condition(Condition),
    Group(Group),
}

/// One row of a group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// How this row joins the previous one (ignored for the first row).
    pub join: Join,
    #[serde(default)]
    pub negate: bool,
    pub node: Node,
}

/// Rows joined by AND/OR; AND binds tighter than OR.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Group {
    pub items: Vec<Item>,
}

impl Group {
    /// The same rule with fields renamed where `rename` gives a new name (a
    /// nominal field to its real-lira twin).
    #[must_use]
    pub fn with_fields_renamed(mut self, rename: impl Fn(&str) -> Option<String> + Copy) -> Group {
        for item in &mut self.items {
            match &mut item.node {
                Node::Condition(c) => {
                    if let Some(name) = rename(&c.field) {
                        c.field = name;
                    }
                }
                Node::Group(g) => *g = std::mem::take(g).with_fields_renamed(rename),
            }
        }
        self
    }

    /// The AND-chains of this group: the items between ORs, as evaluation reads them.
    pub fn or_of_ands(&self) -> Vec<Vec<&Item>> {
        let mut chains: Vec<Vec<&Item>> = Vec::new();
        for (i, item) in self.items.iter().enumerate() {
            if i == 0 || item.join == Join::Or {
                chains.push(Vec::new());
            }
            if let Some(last) = chains.last_mut() {
                last.push(item);
            }
        }
        chains
    }
}

/// A segment reference: `in segment "NAME"`.
pub fn segment_reference(name: &str) -> Condition {
    Condition::new("", Op::InSegment, vec![name.to_owned()])
}

/// `lookalike of "NAME" in top PERCENT%`.
pub fn lookalike_reference(name: &str, percent: f64) -> Condition {
    Condition::new("", Op::LookalikeOf, vec![name.to_owned(), percent.to_string()])
}

impl Op {
    /// Conditions that name a saved segment in their first value.
    pub fn names_segment(self) -> bool {
        matches!(self, Op::InSegment | Op::LookalikeOf)
    }
}

/// The saved segments a rule refers to (`in segment "…"`, `lookalike of "…"`), in
/// order of appearance.
pub fn referenced_segments(group: &Group) -> Vec<String> {
    let mut found = Vec::new();
    for item in &group.items {
        match &item.node {
            Node::Condition(c) if c.op.names_segment() => found.extend(c.values.first().cloned()),
            Node::Condition(_) => {}
            Node::Group(g) => found.extend(referenced_segments(g)),
        }
    }
    found
}

/// A rule with its references to the segment `old` renamed to `new`; `None` when
/// it has none (or can't be read).
pub fn rename_references(rule: &str, old: &str, new: &str) -> Option<String> {
    fn walk(group: &mut Group, old: &str, new: &str) -> bool {
        let mut changed = false;
        for item in &mut group.items {
            match &mut item.node {
                Node::Condition(c) if c.op.names_segment() => {
                    if let Some(v) = c.values.first_mut().filter(|v| v.trim().eq_ignore_ascii_case(old.trim())) {
                        new.clone_into(v);
                        changed = true;
                    }
                }
                Node::Condition(_) => {}
                Node::Group(g) => changed |= walk(g, old, new),
            }
        }
        changed
    }
    let mut group = parse(rule).ok()?;
    walk(&mut group, old, new).then(|| to_text(&group))
}
