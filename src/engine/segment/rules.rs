//! Ready-made rules that other views build: a click on a chart, a channel in a
//! table or an LTV band becomes a segment draft, built as a rule tree.

use super::Rule;
use crate::engine::dashboard::{LtvBand, UNKNOWN_CHANNEL};

/// The rule for "customers from this channel".
pub fn channel_rule(channel: &str) -> Rule {
    if channel == UNKNOWN_CHANNEL { Rule::field("channel").is_empty() } else { Rule::field("channel").eq(channel) }
}

/// The rule for "customers in this LTV band".
pub fn band_rule(band: &LtvBand) -> Rule {
    let ltv = || Rule::field("ltv");
    match band.to {
        Some(to) if band.from > 0.0 => ltv().ge(band.from).and(ltv().lt(to)),
        Some(to) => ltv().lt(to),
        None => ltv().ge(band.from),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::segment::{parse, to_text};

    #[test]
    fn chart_clicks_become_rules() {
        let text = |rule: Rule| to_text(&rule);
        assert_eq!(
            text(band_rule(&LtvBand { from: 1000.0, to: Some(5000.0), customers: 0, avg_ltv: None })),
            "ltv >= 1000 and ltv < 5000"
        );
        assert_eq!(
            text(band_rule(&LtvBand { from: 0.0, to: Some(1000.0), customers: 0, avg_ltv: None })),
            "ltv < 1000"
        );
        assert_eq!(text(band_rule(&LtvBand { from: 10000.0, to: None, customers: 0, avg_ltv: None })), "ltv >= 10000");
        assert_eq!(text(channel_rule("Mağaza \"A\"")), "channel = \"Mağaza \\\"A\\\"\"");
        assert_eq!(text(channel_rule(UNKNOWN_CHANNEL)), "channel is empty");
        for rule in [
            channel_rule("Mağaza \"A\\\""),
            band_rule(&LtvBand { from: 1.5, to: Some(2.0), customers: 0, avg_ltv: None }),
        ] {
            assert_eq!(parse(&to_text(&rule)).unwrap(), rule, "{rule:?} reads back");
        }
    }
}
