//! Rules made by code. Everything that turns a click, a chart bar, an RFM cell, a
//! cluster, a suggestion, a template, a split or a persona trait into a segment
//! builds the rule tree through these constructors, never by writing text and
//! parsing it back: a value can't be mis-quoted, and a rule can't silently become
//! "every customer" because its text failed to parse.
//!
//! ```text
//! Rule::field("ltv").gt(5000).and(!Rule::field("channel").eq("Google Ads"))
//! ```
//! Text stays for people: what they type in the builder or the CLI's `--rule`,
//! what workspace files hold, and what the SQL writer prints ([`super::text`]).
//!
//! `and` and `or` keep the meaning of both sides whatever their shape: AND binds
//! tighter than OR in a [`Group`], so a side that has an OR at its top is wrapped
//! in parentheses before it is joined by AND.

use chrono::NaiveDate;

use super::history::{LineAttr, Measure, ORDER_COUNT, SPENT, Window};
use super::{Condition, DateUnit, Group, Item, Join, Node, Op};
use crate::engine::import::table::format_plain_number;

/// A rule: a tree of conditions joined by AND/OR (the builder's rows).
pub type Rule = Group;

/// A value in a condition, kept as the text form holds it: numbers plain with a
/// decimal point, dates as YYYY-MM-DD, text as is.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleValue(String);

impl From<f64> for RuleValue {
    fn from(n: f64) -> Self {
        Self(format_plain_number(n))
    }
}

/// Whole numbers as written.
macro_rules! whole_rule_values {
    ($($t:ty),*) => {$(
        impl From<$t> for RuleValue {
            fn from(n: $t) -> Self {
                Self(n.to_string())
            }
        }
    )*};
}
whole_rule_values!(i64, i32, u32, usize);

impl From<NaiveDate> for RuleValue {
    fn from(d: NaiveDate) -> Self {
        Self(d.format("%Y-%m-%d").to_string())
    }
}

impl From<&str> for RuleValue {
    fn from(s: &str) -> Self {
        Self(s.to_owned())
    }
}

impl From<String> for RuleValue {
    fn from(s: String) -> Self {
        Self(s)
    }
}

impl From<&String> for RuleValue {
    fn from(s: &String) -> Self {
        Self(s.clone())
    }
}

/// A field (or an order-history measure) waiting for its operator.
#[derive(Debug, Clone)]
pub struct FieldRule {
    field: String,
    window: Option<Window>,
}

impl FieldRule {
    fn with(self, op: Op, values: Vec<RuleValue>) -> Rule {
        let values = values.into_iter().map(|v| v.0).collect();
        Rule::condition(Condition { field: self.field, op, values, include_empty: false, window: self.window })
    }

    pub fn eq(self, v: impl Into<RuleValue>) -> Rule {
        self.with(Op::Eq, vec![v.into()])
    }
    pub fn ne(self, v: impl Into<RuleValue>) -> Rule {
        self.with(Op::Ne, vec![v.into()])
    }
    pub fn gt(self, v: impl Into<RuleValue>) -> Rule {
        self.with(Op::Gt, vec![v.into()])
    }
    pub fn ge(self, v: impl Into<RuleValue>) -> Rule {
        self.with(Op::Ge, vec![v.into()])
    }
    pub fn lt(self, v: impl Into<RuleValue>) -> Rule {
        self.with(Op::Lt, vec![v.into()])
    }
    pub fn le(self, v: impl Into<RuleValue>) -> Rule {
        self.with(Op::Le, vec![v.into()])
    }
    /// Both ends included.
    pub fn between(self, low: impl Into<RuleValue>, high: impl Into<RuleValue>) -> Rule {
        self.with(Op::Between, vec![low.into(), high.into()])
    }
    pub fn is_in<V: Into<RuleValue>>(self, values: impl IntoIterator<Item = V>) -> Rule {
        self.with(Op::In, values.into_iter().map(Into::into).collect())
    }
    /// Not any of the values (customers with no value are left out).
    pub fn not_in<V: Into<RuleValue>>(self, values: impl IntoIterator<Item = V>) -> Rule {
        self.with(Op::NotIn, values.into_iter().map(Into::into).collect())
    }
    /// For text: holds the value; for a list (tags): has it as an item.
    pub fn contains(self, v: impl Into<RuleValue>) -> Rule {
        self.with(Op::Contains, vec![v.into()])
    }
    pub fn is_empty(self) -> Rule {
        self.with(Op::IsEmpty, Vec::new())
    }
    pub fn is_not_empty(self) -> Rule {
        self.with(Op::IsNotEmpty, Vec::new())
    }
    pub fn is_yes(self) -> Rule {
        self.with(Op::IsYes, Vec::new())
    }
    pub fn is_no(self) -> Rule {
        self.with(Op::IsNo, Vec::new())
    }
    /// The date is before the as-of date minus `n` units.
    pub fn more_than_ago(self, n: u32, unit: DateUnit) -> Rule {
        self.with(Op::MoreThanAgo(unit), vec![n.into()])
    }
    /// The date is within the `n` units up to the as-of date.
    pub fn within_last(self, n: u32, unit: DateUnit) -> Rule {
        self.with(Op::WithinLast(unit), vec![n.into()])
    }
    /// Among the highest `percent`% of today's values (see [`super::relative`]).
    pub fn in_top_percent(self, percent: u32) -> Rule {
        self.with(Op::TopPercent, vec![percent.into()])
    }
}

impl Group {
    /// A rule of one condition.
    pub fn condition(condition: Condition) -> Rule {
        Group { items: vec![Item { join: Join::And, negate: false, node: Node::Condition(condition) }] }
    }

    /// A condition on a customer field, by its id (`ltv`, `channel`, a custom field's name).
    pub fn field(id: &str) -> FieldRule {
        FieldRule { field: id.to_owned(), window: None }
    }

    /// Counted orders, in the window or over all orders.
    pub fn order_count(window: Option<Window>) -> FieldRule {
        FieldRule { field: ORDER_COUNT.to_owned(), window }
    }

    /// Net amount spent, in the window or over all orders.
    pub fn amount_spent(window: Option<Window>) -> FieldRule {
        FieldRule { field: SPENT.to_owned(), window }
    }

    /// An order line (product, SKU or category) names any of the values.
    pub fn bought<V: Into<RuleValue>>(
        attr: LineAttr,
        values: impl IntoIterator<Item = V>,
        window: Option<Window>,
    ) -> Rule {
        let field = FieldRule { field: Measure::Bought(attr).field().to_owned(), window };
        field.with(Op::Bought, values.into_iter().map(Into::into).collect())
    }

    /// The customer is in the saved segment of this name.
    pub fn in_segment(name: &str) -> Rule {
        Rule::condition(super::segment_reference(name))
    }

    /// The customer's split bucket under `seed` is in `from..to` (of 100).
    pub fn in_split(seed: &str, from: u32, to: u32) -> Rule {
        let values = vec![seed.to_owned(), from.to_string(), to.to_string()];
        Rule::condition(Condition::new("", Op::InSplit, values))
    }

    /// An OR at the top level (outside parentheses).
    fn has_top_or(&self) -> bool {
        self.items.iter().skip(1).any(|i| i.join == Join::Or)
    }

    /// This rule as one item: itself when it is one, else in parentheses.
    fn into_item(self) -> Item {
        match <[Item; 1]>::try_from(self.items) {
            Ok([item]) => item,
            Err(items) => Item { join: Join::And, negate: false, node: Node::Group(Group { items }) },
        }
    }

    /// Both rules hold. An empty rule (every customer) leaves the other as it is.
    #[must_use]
    pub fn and(self, other: Rule) -> Rule {
        if self.items.is_empty() {
            return other;
        }
        if other.items.is_empty() {
            return self;
        }
        let mut left = if self.has_top_or() { Group { items: vec![self.into_item()] } } else { self };
        let mut right = if other.has_top_or() { vec![other.into_item()] } else { other.items };
        right[0].join = Join::And;
        left.items.append(&mut right);
        left
    }

    /// Either rule holds. An empty rule is every customer, so either side empty is too.
    #[must_use]
    pub fn or(mut self, other: Rule) -> Rule {
        if self.items.is_empty() || other.items.is_empty() {
            return Rule::default();
        }
        let mut right = other.items;
        right[0].join = Join::Or;
        self.items.append(&mut right);
        self
    }

    /// Every rule holds (the empty list: every customer).
    pub fn all(rules: impl IntoIterator<Item = Rule>) -> Rule {
        rules.into_iter().fold(Rule::default(), Rule::and)
    }

    /// Any of the rules holds; `None` for an empty list (no rule means nobody).
    pub fn any(rules: impl IntoIterator<Item = Rule>) -> Option<Rule> {
        rules.into_iter().reduce(Rule::or)
    }
}

/// `!rule`: the rule does not hold. (Not of the empty rule stays empty: there is
/// no "no customer" rule, and no producer asks for one.)
impl std::ops::Not for Group {
    type Output = Rule;

    fn not(self) -> Rule {
        if self.items.is_empty() {
            return self;
        }
        let mut item = self.into_item();
        item.negate = !item.negate;
        Group { items: vec![item] }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::engine::segment::{parse, to_text};

    #[test]
    fn constructors_write_the_text_form() {
        let rule = Rule::field("ltv")
            .gt(5000)
            .and(Rule::field("last_order_date").more_than_ago(30, DateUnit::Days))
            .or(Rule::field("channel").eq("Google Ads"));
        assert_eq!(to_text(&rule), "ltv > 5000 and last_order_date more than 30 days ago or channel = \"Google Ads\"");
        let either = Rule::field("city").eq("İzmir").or(Rule::field("city").eq("Ankara"));
        assert_eq!(
            to_text(&either.clone().and(Rule::field("orders").ge(2))),
            "(city = \"İzmir\" or city = \"Ankara\") and orders >= 2"
        );
        assert_eq!(
            to_text(&Rule::field("orders").ge(2).and(either.clone())),
            "orders >= 2 and (city = \"İzmir\" or city = \"Ankara\")"
        );
        assert_eq!(to_text(&!either), "not (city = \"İzmir\" or city = \"Ankara\")");
        assert_eq!(to_text(&!!Rule::field("x").is_yes()), "x is yes");
        assert_eq!(to_text(&Rule::field("note").eq("a \"b\" \\")), "note = \"a \\\"b\\\" \\\\\"");
        assert_eq!(to_text(&Rule::field("Sadakat Puanı").between(1.5, 2)), "`Sadakat Puanı` between 1.5 and 2");
        assert_eq!(
            to_text(&Rule::in_segment("VIP").and(Rule::in_split("7f3a", 0, 90))),
            "in segment \"VIP\" and in split \"7f3a\" 0 to 90"
        );
        assert_eq!(
            to_text(&!Rule::bought(LineAttr::Category, ["Kahve", "Sofra"], None)),
            "not bought category any of (\"Kahve\", \"Sofra\")"
        );
        assert_eq!(
            to_text(&Rule::order_count(Some(Window::Last("90".into(), DateUnit::Days))).ge(2)),
            "order count in last 90 days >= 2"
        );
        assert_eq!(Rule::all([]), Rule::default());
        assert_eq!(Rule::any([]), None);
    }

    /// A random rule from three conditions, and the same rule as a boolean function
    /// of their truth values: the oracle the built tree must agree with.
    #[derive(Debug, Clone)]
    enum Expr {
        Leaf(usize),
        And(Box<Expr>, Box<Expr>),
        Or(Box<Expr>, Box<Expr>),
        Not(Box<Expr>),
    }

    fn expr() -> impl Strategy<Value = Expr> {
        (0..3usize).prop_map(Expr::Leaf).prop_recursive(4, 24, 2, |inner| {
            prop_oneof![
                (inner.clone(), inner.clone()).prop_map(|(a, b)| Expr::And(Box::new(a), Box::new(b))),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| Expr::Or(Box::new(a), Box::new(b))),
                inner.prop_map(|a| Expr::Not(Box::new(a))),
            ]
        })
    }

    fn oracle(e: &Expr, truth: [bool; 3]) -> bool {
        match e {
            Expr::Leaf(i) => truth[*i],
            Expr::And(a, b) => oracle(a, truth) && oracle(b, truth),
            Expr::Or(a, b) => oracle(a, truth) || oracle(b, truth),
            Expr::Not(a) => !oracle(a, truth),
        }
    }

    fn built(e: &Expr) -> Rule {
        match e {
            Expr::Leaf(i) => Rule::field(["a", "b", "c"][*i]).is_yes(),
            Expr::And(a, b) => built(a).and(built(b)),
            Expr::Or(a, b) => built(a).or(built(b)),
            Expr::Not(a) => !built(a),
        }
    }

    /// Reads a group as evaluation does: AND-chains between ORs.
    fn truth_of(group: &Group, truth: [bool; 3]) -> bool {
        group.or_of_ands().iter().any(|chain| {
            chain.iter().all(|item| {
                let value = match &item.node {
                    Node::Condition(c) => truth[usize::from(c.field.as_bytes()[0] - b'a')],
                    Node::Group(g) => truth_of(g, truth),
                };
                value != item.negate
            })
        })
    }

    proptest! {
        #[test]
        fn built_rules_mean_what_was_asked_and_read_back(e in expr()) {
            let rule = built(&e);
            let text = to_text(&rule);
            let read = parse(&text).expect("built rules parse");
            prop_assert_eq!(to_text(&read), text.clone());
            for bits in 0..8u8 {
                let truth = [bits & 1 != 0, bits & 2 != 0, bits & 4 != 0];
                prop_assert_eq!(truth_of(&rule, truth), oracle(&e, truth), "{}", text);
                prop_assert_eq!(truth_of(&read, truth), oracle(&e, truth), "{}", text);
            }
        }
    }
}
