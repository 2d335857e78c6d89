//! Ready-made rules that other views build: a click on a chart, a channel in a
//! table or an LTV band becomes a segment draft in the text form.

use crate::engine::dashboard::{LtvBand, UNKNOWN_CHANNEL};
use crate::engine::import::table::format_plain_number;

/// A text value in the rule language: quoted, with `\` and `"` escaped.
pub fn quoted(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The rule for "customers from this channel".
pub fn channel_rule(channel: &str) -> String {
    if channel == UNKNOWN_CHANNEL { "channel is empty".to_owned() } else { format!("channel = {}", quoted(channel)) }
}

/// The rule for "customers in this LTV band".
pub fn band_rule(band: &LtvBand) -> String {
    let plain = format_plain_number;
    match band.to {
        Some(to) if band.from > 0.0 => format!("ltv >= {} and ltv < {}", plain(band.from), plain(to)),
        Some(to) => format!("ltv < {}", plain(to)),
        None => format!("ltv >= {}", plain(band.from)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_clicks_become_rules() {
        assert_eq!(
            band_rule(&LtvBand { from: 1000.0, to: Some(5000.0), customers: 0, avg_ltv: None }),
            "ltv >= 1000 and ltv < 5000"
        );
        assert_eq!(band_rule(&LtvBand { from: 0.0, to: Some(1000.0), customers: 0, avg_ltv: None }), "ltv < 1000");
        assert_eq!(band_rule(&LtvBand { from: 10000.0, to: None, customers: 0, avg_ltv: None }), "ltv >= 10000");
        assert_eq!(channel_rule("Mağaza \"A\""), "channel = \"Mağaza \\\"A\\\"\"");
        assert_eq!(channel_rule(UNKNOWN_CHANNEL), "channel is empty");
        for rule in [
            channel_rule("Mağaza \"A\\\""),
            band_rule(&LtvBand { from: 1.5, to: Some(2.0), customers: 0, avg_ltv: None }),
        ] {
            assert_eq!(super::super::to_text(&super::super::parse(&rule).unwrap()), rule, "{rule} reads back");
        }
    }
}
