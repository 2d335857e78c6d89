//! The text form of a rule, shared by the builder, the command line and persona
//! traits: printing ([`to_text`]) and parsing ([`parse`]), with errors by position.
//!
//! The text form (keywords case-insensitive; custom fields in backticks):
//! ```text
//! expr      := and_expr ("or" and_expr)*
//! and_expr  := unary ("and" unary)*
//! unary     := "not" unary | "(" expr ")" | condition
//! condition := "in" "segment" value              (a saved segment, by name)
//!            | "in" "split" string int "to" int   (a split group: buckets from–to of 100)
//!            | field op value | field "between" value "and" value
//!            | field ("in" | "not in" | "contains any of") "(" value ("," value)* ")"
//!            | field ("contains" | "does not contain" | "starts with" | "ends with") string
//!            | field "more than" int ("days"|"weeks"|"months") "ago"
//!            | field "within last" int ("days"|"weeks"|"months")
//!            | field ("before" | "after" | "on") date
//!            | field "is" ["not"] "empty" | field "is" ("yes" | "no")
//!            | field "in" ("top" | "bottom") number "%"
//!            | field ("above" | "below") ("median" | "average")
//!            | ("order count" | "amount spent") [window] (op value | "between" value "and" value)
//!            | ["has not"] "bought" ("product" | "sku" | "category")
//!                  (string | "any of" "(" string ("," string)* ")") [window]
//! window    := "in last" int ("days"|"weeks"|"months") | "from" date "to" date
//! ```
//! A negative condition (`!=`, `not in`, `does not contain`) whose "include empty"
//! box is ticked is written with `or empty` after it: `channel != "TikTok" or empty`.
//! (`empty` is a keyword, so this cannot be read as another condition.)

use super::history::{Measure, Window};
use super::{Condition, Group, Join, Node, Op};

fn is_plain_field(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some('a'..='z' | '_'))
        && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_'))
        && !KEYWORDS.contains(&name)
}

pub fn field_text(name: &str) -> String {
    if is_plain_field(name) { name.to_owned() } else { format!("`{}`", name.replace('\\', "\\\\").replace('`', "\\`")) }
}

fn is_number_text(v: &str) -> bool {
    let body = v.strip_prefix('-').unwrap_or(v);
    let (int, frac) = body.split_once('.').unwrap_or((body, "0"));
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && !frac.is_empty()
        && frac.bytes().all(|b| b.is_ascii_digit())
}

fn is_date_text(v: &str) -> bool {
    v.len() == 10 && v.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() })
}

fn value_text(v: &str) -> String {
    if is_number_text(v) || is_date_text(v) {
        v.to_owned()
    } else {
        format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

pub(crate) fn condition_text(c: &Condition) -> String {
    if c.op == Op::InSegment {
        let name = c.values.first().map_or("", String::as_str);
        return format!("in segment \"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""));
    }
    if c.op == Op::LookalikeOf {
        let at = |i: usize| c.values.get(i).map_or("", String::as_str);
        return format!(
            "lookalike of \"{}\" in top {}%",
            at(0).replace('\\', "\\\\").replace('"', "\\\""),
            at(1).trim()
        );
    }
    if c.op == Op::InSplit {
        let at = |i: usize| c.values.get(i).map_or("", String::as_str);
        return format!("in split {} {} to {}", value_text(at(0)), at(1), at(2));
    }
    if let Some(measure) = Measure::of_field(&c.field) {
        return history_text(c, measure);
    }
    let f = field_text(&c.field);
    let v = |i: usize| c.values.get(i).map_or_else(|| "\"\"".to_owned(), |s| value_text(s));
    let list = || format!("({})", c.values.iter().map(|s| value_text(s)).collect::<Vec<_>>().join(", "));
    let body = match c.op {
        Op::Between => format!("{f} between {} and {}", v(0), v(1)),
        Op::In | Op::NotIn | Op::ContainsAny => format!("{f} {} {}", c.op.text(), list()),
        Op::IsEmpty | Op::IsNotEmpty | Op::IsYes | Op::IsNo => format!("{f} {}", c.op.text()),
        Op::MoreThanAgo(u) => {
            format!("{f} more than {} {} ago", c.values.first().map_or("0", String::as_str), u.word())
        }
        Op::WithinLast(u) => format!("{f} within last {} {}", c.values.first().map_or("0", String::as_str), u.word()),
        Op::TopPercent => format!("{f} in top {}%", c.values.first().map_or("0", |v| v.trim())),
        Op::BottomPercent => format!("{f} in bottom {}%", c.values.first().map_or("0", |v| v.trim())),
        Op::AboveMedian | Op::BelowMedian | Op::AboveAverage | Op::BelowAverage => format!("{f} {}", c.op.text()),
        op => format!("{f} {} {}", op.text(), v(0)),
    };
    if c.include_empty { format!("{body} or empty") } else { body }
}

fn window_text(window: Option<&Window>) -> String {
    match window {
        None => String::new(),
        Some(Window::Last(n, unit)) => format!(" in last {n} {}", unit.word()),
        Some(Window::Dates(from, to)) => format!(" from {} to {}", value_text(from), value_text(to)),
    }
}

fn history_text(c: &Condition, measure: Measure) -> String {
    let window = window_text(c.window.as_ref());
    let v = |i: usize| c.values.get(i).map_or_else(|| "\"\"".to_owned(), |s| value_text(s));
    match measure {
        Measure::Bought(attr) => {
            let verb = if c.op == Op::NotBought { "has not bought" } else { "bought" };
            let values = if c.values.len() > 1 {
                format!("any of ({})", c.values.iter().map(|s| value_text(s)).collect::<Vec<_>>().join(", "))
            } else {
                v(0)
            };
            format!("{verb} {} {values}{window}", attr.column())
        }
        Measure::OrderCount | Measure::Spent => {
            let what = if measure == Measure::OrderCount { "order count" } else { "amount spent" };
            match c.op {
                Op::Between => format!("{what}{window} between {} and {}", v(0), v(1)),
                op => format!("{what}{window} {} {}", op.text(), v(0)),
            }
        }
    }
}

/// Writes a rule as its text form (for `#[serde(serialize_with)]`: JSON shows rules as text).
pub fn serialize_rule<S: serde::Serializer>(rule: &Group, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&to_text(rule))
}

/// The rule's text form.
pub fn to_text(group: &Group) -> String {
    let mut out = String::new();
    for (i, item) in group.items.iter().enumerate() {
        if i > 0 {
            out.push_str(if item.join == Join::And { " and " } else { " or " });
        }
        if item.negate {
            out.push_str("not ");
        }
        match &item.node {
            Node::Condition(c) => out.push_str(&condition_text(c)),
            Node::Group(g) => {
                out.push('(');
                out.push_str(&to_text(g));
                out.push(')');
            }
        }
    }
    out
}

// Parsing

const KEYWORDS: &[&str] = &[
    "and",
    "or",
    "not",
    "between",
    "in",
    "contains",
    "does",
    "starts",
    "ends",
    "with",
    "more",
    "than",
    "ago",
    "within",
    "last",
    "before",
    "after",
    "on",
    "is",
    "empty",
    "yes",
    "no",
    "any",
    "of",
    "lookalike",
];

mod parse;

pub use parse::{ParseError, parse};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mockup_rule_round_trips() {
        let text = "ltv > 5000 and last_order_date more than 30 days ago or channel = \"Google Ads\"";
        let g = parse(text).unwrap();
        assert_eq!(g.items.len(), 3);
        assert_eq!(g.items[1].join, Join::And);
        assert_eq!(g.items[2].join, Join::Or);
        assert_eq!(to_text(&g), text);
        let chains = g.or_of_ands();
        assert_eq!((chains.len(), chains[0].len(), chains[1].len()), (2, 2, 1));
    }

    #[test]
    fn every_form_round_trips() {
        for text in [
            "ltv between 1000 and 5000.5",
            "city in (\"İzmir\", \"Ankara\") and not (orders <= 2 or aov >= 100)",
            "`Sadakat Puanı` > 10 and tags contains any of (\"vip\", \"b2b\")",
            "tags does not contain \"spam\" or email ends with \"@gmail.com\"",
            "name starts with \"Ay\" and name contains \"\\\"q\\\"\"",
            "signup_date within last 3 months and birth_date before 1990-01-01",
            "last_order_date after 2026-01-01 or last_order_date on 2026-02-02",
            "accepts_marketing is yes and phone is not empty and zip is empty",
            "channel != \"Instagram\" or empty and ((a = 1 or b = 2) and c = 3)",
            "(channel != \"Instagram\" or channel is empty) or tags does not contain \"x\" or empty",
            "channel not in (\"TikTok\") and first_order_date more than 2 weeks ago",
            "order count in last 90 days >= 2 and amount spent from 2026-01-01 to 2026-03-31 > 1000",
            "bought product \"Kahve Makinesi\" in last 90 days and not in segment \"VIP\"",
            "has not bought sku any of (\"KM-1\", \"KM-2\") or bought category \"Kahve\" from 2026-01-01 to 2026-02-01",
            "order count between 1 and 3 and amount spent in last 2 months != 0",
            "ltv in top 10% and orders in bottom 2.5% or aov above median and `Sadakat Puanı` below average",
            "days_since_last_order above average and ltv below median",
            "lookalike of \"VIP\" in top 5% and not lookalike of \"Say \\\"hi\\\"\" in top 2.5%",
        ] {
            let g = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(to_text(&g), text);
            assert_eq!(parse(&to_text(&g)).unwrap(), g);
        }
        let include = parse("channel != \"Instagram\" or empty or city = \"Ankara\"").unwrap();
        assert_eq!(include.items.len(), 2);
        let Node::Condition(c) = &include.items[0].node else { panic!("a condition") };
        assert!(c.include_empty);
        let group = parse("(channel != \"Instagram\" or channel is empty)").unwrap();
        assert!(matches!(group.items[0].node, Node::Group(_)), "a group the user built stays a group");
    }

    #[test]
    fn keywords_are_case_insensitive_and_errors_point_at_the_problem() {
        let g = parse("LTV > 5 AND Orders Between 1 And 3 OR NOT city IS EMPTY").unwrap();
        assert_eq!(to_text(&g), "ltv > 5 and orders between 1 and 3 or not city is empty");
        let e = parse("ltv > ").unwrap_err();
        assert_eq!(e.position, 6);
        let e = parse("ltv >> 5").unwrap_err();
        assert_eq!(e.position, 5);
        let e = parse("city = \"Ankara").unwrap_err();
        assert_eq!((e.position, e.message.as_str()), (7, "unclosed quote"));
        let e = parse("(ltv > 5").unwrap_err();
        assert!(e.message.contains(")"));
        assert!(parse("ltv > 5 orders < 3").is_err());
        assert_eq!(parse("   ").unwrap(), Group::default());
    }
}
