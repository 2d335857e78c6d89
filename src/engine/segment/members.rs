//! "Who is in it?": the one way from a rule, a saved segment or a saved audience
//! to its members, used by the app and the command line alike (exports, audience
//! files and pushes, persona fit), so the two can never send different people.
//!
//! - A **rule** is taken as given.
//! - A **saved segment** (by name) is its rule as saved now.
//! - A **saved audience** follows its segment: while a saved segment of that name
//!   exists, the audience uses the segment's *current* rule, so editing the segment
//!   changes who the next file or push reaches. Only an audience made from an
//!   unsaved rule (no segment), or whose segment was deleted, uses the rule it was
//!   saved with.
//!
//! A rule that can't be read, or one with a condition that can't be used (an
//! unknown field, a value of the wrong kind, a segment that doesn't exist), is an
//! error: members are never computed from the conditions that happen to work,
//! which would send a broader audience than the one the user built.

use polars::prelude::{IdxSize, PolarsError};

use super::evaluate::{InvalidRow, SegmentFrame};
use super::{ParseError, Rule, parse};
use crate::engine::audience::Audience;
use crate::engine::segment::Segment;

/// What to find the members of.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    /// A rule as built or typed.
    Rule(&'a Rule),
    /// A rule in the text form (what a person typed: the CLI's `--rule`).
    Text(&'a str),
    /// A saved segment, by name.
    Segment(&'a str),
    /// A saved audience (see the module doc for which rule it follows).
    Audience(&'a Audience),
}

/// The members found, and the rule that found them.
#[derive(Debug, Clone, PartialEq)]
pub struct Members {
    pub rule: Rule,
    /// Rows of the customer table, in table order.
    pub rows: Vec<IdxSize>,
}

/// Why no members could be found.
#[derive(Debug, thiserror::Error)]
pub enum MembersError {
    #[error("No saved segment is named \"{0}\"; `kitle segments` lists them.")]
    NoSegment(String),
    /// An audience whose segment is gone and which kept no rule of its own.
    #[error("The audience's segment \"{0}\" is no longer saved.")]
    SegmentGone(String),
    #[error("The rule could not be read: {0}")]
    Unreadable(ParseError),
    /// The first condition that can't be used (every one is in `all`).
    #[error("Condition {} can't be used: {}.", path_text(&.first.path), .first.reason)]
    Invalid { first: InvalidRow, all: Vec<InvalidRow> },
    #[error(transparent)]
    Data(#[from] PolarsError),
}

/// A condition's place in the rule as people count it: `2`, or `3.1` inside a group.
fn path_text(path: &[usize]) -> String {
    path.iter().map(|i| (i + 1).to_string()).collect::<Vec<_>>().join(".")
}

/// The rule a target stands for (no evaluation).
pub fn rule_of(target: Target<'_>, segments: &[Segment]) -> Result<Rule, MembersError> {
    let saved = |name: &str| segments.iter().find(|s| s.name == name).map(|s| s.rule.as_str());
    let text = match target {
        Target::Rule(rule) => return Ok(rule.clone()),
        Target::Text(text) => text,
        Target::Segment(name) => saved(name).ok_or_else(|| MembersError::NoSegment(name.to_owned()))?,
        Target::Audience(audience) => (!audience.segment.is_empty())
            .then(|| saved(&audience.segment))
            .flatten()
            .or(audience.rule.as_deref())
            .ok_or_else(|| MembersError::SegmentGone(audience.segment.clone()))?,
    };
    parse(text).map_err(MembersError::Unreadable)
}

/// The members of a target on the frame's customers (as of the data's as-of
/// date), with `segments` the saved segments its rule may refer to.
pub fn members(frame: &SegmentFrame, segments: &[Segment], target: Target<'_>) -> Result<Members, MembersError> {
    let rule = rule_of(target, segments)?;
    frame.set_saved(segments);
    let compiled = frame.compile(&rule);
    if let Some(first) = compiled.invalid.first() {
        return Err(MembersError::Invalid { first: first.clone(), all: compiled.invalid.clone() });
    }
    let rows = frame.members(&compiled)?;
    Ok(Members { rule, rows })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::audience::{Identifier, Platform};
    use crate::engine::segment::to_text;

    /// 200 customers: LTV 0, 10, … 1990; orders 0–4.
    fn frame() -> SegmentFrame {
        use polars::prelude::*;

        use crate::engine::data::{CustomerData, FieldInfo, FieldOrigin};
        use crate::engine::fields::FieldType;
        let n = 200;
        let customers = DataFrame::new(
            n,
            vec![
                Column::new("customer_id".into(), (0..n).map(|i| format!("C{i}")).collect::<Vec<_>>()),
                Column::new("ltv".into(), (0..n).map(|i| i as f64 * 10.0).collect::<Vec<_>>()),
                Column::new("orders".into(), (0..n).map(|i| (i % 5) as i64).collect::<Vec<_>>()),
            ],
        )
        .unwrap();
        let field = |name: &str, ty| FieldInfo { name: name.into(), ty, origin: FieldOrigin::Canonical };
        SegmentFrame::new(Arc::new(CustomerData {
            customers,
            fields: vec![
                field("customer_id", FieldType::Text),
                field("ltv", FieldType::Money),
                field("orders", FieldType::Integer),
            ],
            orders: None,
            order_lines: None,
            spend: Vec::new(),
            as_of: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            report: Default::default(),
        }))
    }

    fn audience(segment: &str, rule: Option<&str>) -> Audience {
        Audience {
            name: "A".into(),
            segment: segment.into(),
            rule: rule.map(str::to_owned),
            platforms: vec![Platform::Google],
            identifiers: vec![Identifier::Email],
            consent_only: true,
            last_sent: None,
            destinations: Default::default(),
        }
    }

    #[test]
    fn an_audience_follows_its_segment_and_keeps_its_rule_when_the_segment_is_gone() {
        let frame = frame();
        let mut segments = vec![Segment::new("VIP", "", "ltv > 500")];
        let saved = audience("VIP", Some("ltv > 100"));
        let found = members(&frame, &segments, Target::Audience(&saved)).unwrap();
        assert_eq!(to_text(&found.rule), "ltv > 500", "the segment's current rule, not the one saved with it");
        segments[0].rule = "ltv > 1000".into();
        let edited = members(&frame, &segments, Target::Audience(&saved)).unwrap();
        assert_eq!(to_text(&edited.rule), "ltv > 1000");
        assert!(edited.rows.len() <= found.rows.len());
        let gone = members(&frame, &[], Target::Audience(&saved)).unwrap();
        assert_eq!(to_text(&gone.rule), "ltv > 100");
        assert!(matches!(
            members(&frame, &[], Target::Audience(&audience("VIP", None))),
            Err(MembersError::SegmentGone(_))
        ));
    }

    #[test]
    fn invalid_and_unreadable_rules_are_refused() {
        let frame = frame();
        let err = members(&frame, &[], Target::Text("ltv > 5 and no_such_field = 1")).unwrap_err();
        assert!(matches!(err, MembersError::Invalid { .. }), "{err}");
        assert!(err.to_string().starts_with("Condition 2 can't be used"), "{err}");
        assert!(matches!(members(&frame, &[], Target::Text("ltv >")), Err(MembersError::Unreadable(_))));
        assert!(matches!(members(&frame, &[], Target::Segment("Nope")), Err(MembersError::NoSegment(_))));
        let dangling = [Segment::new("S", "", "in segment \"Gone\"")];
        assert!(matches!(members(&frame, &dangling, Target::Segment("S")), Err(MembersError::Invalid { .. })));
    }

    #[test]
    fn a_rule_a_text_and_a_segment_agree() {
        let frame = frame();
        let segments = [Segment::new("Big", "", "ltv >= 300 and orders > 1")];
        let rule = Rule::field("ltv").ge(300).and(Rule::field("orders").gt(1));
        let by_rule = members(&frame, &segments, Target::Rule(&rule)).unwrap();
        let by_text = members(&frame, &segments, Target::Text("ltv >= 300 and orders > 1")).unwrap();
        let by_name = members(&frame, &segments, Target::Segment("Big")).unwrap();
        assert!(!by_rule.rows.is_empty());
        assert_eq!(by_rule, by_text);
        assert_eq!(by_rule, by_name);
    }
}
