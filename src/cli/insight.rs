//! `kitle overlap` and `kitle why`: how saved segments overlap, and why one
//! customer is (or is not) in a segment, condition by condition.

use anyhow::{Result, anyhow, bail};
use polars::prelude::*;

use super::args::Args;
use super::{open, workspace_args};
use crate::engine::data::CustomerData;

/// `kitle why WS (--segment NAME | --rule TEXT) --customer ID [--json]`: the rule's
/// conditions marked for one customer (found by customer id, else by email).
pub(super) fn why(a: Args) -> Result<String> {
    let (path, segment, rule, customer) = (a.path(0), a.text("segment")?, a.text("rule")?, a.text("customer")?);
    let (json, as_of) = (a.has("json"), a.date("as-of")?);
    let usage = "kitle why WS.kitle (--segment NAME | --rule TEXT) --customer ID [--json]";
    let path = path.ok_or_else(|| anyhow!("Give the workspace: {usage}"))?;
    let customer = customer.ok_or_else(|| anyhow!("Say which customer with --customer ID (or email): {usage}"))?;
    let (ws, data) = open(&path, as_of)?;
    let (name, text) = match (segment, rule) {
        (Some(name), None) => {
            let seg = ws.segments.iter().find(|s| s.name.eq_ignore_ascii_case(name.trim()));
            let seg = seg.ok_or_else(|| anyhow!("There is no saved segment named \"{name}\"."))?;
            (seg.name.clone(), seg.rule.clone())
        }
        (None, Some(rule)) => (String::new(), rule),
        _ => bail!("Give --segment NAME or --rule TEXT: {usage}"),
    };
    let group = crate::engine::segment::parse(&text).map_err(|e| anyhow!("The rule can't be read: {e}"))?;
    let row = customer_row(&data, customer.trim())
        .ok_or_else(|| anyhow!("No customer has the id or email \"{customer}\"."))?;
    let frame = crate::engine::segment::evaluate::SegmentFrame::new(std::sync::Arc::new(data))
        .with_saved_segments(&ws.segments);
    let why = crate::engine::segment::why::why(&frame, &group, row)?;
    if json {
        let v = serde_json::json!({ "segment": name, "rule": text, "customer": customer, "member": why.member, "items": why.items });
        return Ok(serde_json::to_string_pretty(&v)? + "\n");
    }
    let mut s = format!("{} {} in the segment.\n", customer, if why.member { "is" } else { "is not" });
    why_lines(&why.items, 1, &mut s);
    Ok(s)
}

fn why_lines(items: &[crate::engine::segment::why::WhyItem], depth: usize, out: &mut String) {
    for item in items {
        let mark = match item.result {
            crate::engine::segment::why::Outcome::True => "true ",
            crate::engine::segment::why::Outcome::False => "false",
            crate::engine::segment::why::Outcome::Empty => "empty",
            crate::engine::segment::why::Outcome::Invalid => "n/a  ",
        };
        let join = item.join.map_or(String::new(), |j| format!("{j} "));
        let not = if item.negate { "not " } else { "" };
        let value = item.value.as_ref().map_or(String::new(), |v| format!("   (value: {v}"));
        let value = match (item.bound, value.is_empty()) {
            (_, true) => value,
            (None, false) => value + ")",
            (Some(b), false) => format!("{value}; today: {} {})", bound_sign(b), plain_number(b.value())),
        };
        let text = if item.items.is_empty() { item.text.clone() } else { "(…)".to_owned() };
        *out += &format!("{}[{mark}] {join}{not}{text}{value}\n", "  ".repeat(depth));
        why_lines(&item.items, depth + 1, out);
    }
}

/// How a relative condition's bound compares.
fn bound_sign(b: crate::engine::segment::relative::Bound) -> &'static str {
    use crate::engine::segment::relative::Bound;
    match b {
        Bound::AtLeast(_) => ">=",
        Bound::AtMost(_) => "<=",
        Bound::Above(_) => ">",
        Bound::Below(_) => "<",
    }
}

fn plain_number(v: f64) -> String {
    crate::engine::import::table::format_plain_number(crate::engine::values::round_money(v, 2))
}

/// The row of the customer with this id, else this email.
fn customer_row(data: &CustomerData, key: &str) -> Option<usize> {
    let find = |column: &str, wanted: &str| -> Option<usize> {
        let c = data.customers.column(column).ok()?.cast(&DataType::String).ok()?;
        let ca = c.str().ok()?.clone();
        ca.iter().position(|v| v.is_some_and(|v| v.trim().eq_ignore_ascii_case(wanted)))
    };
    find("customer_id", key).or_else(|| find("email", key))
}

/// `kitle overlap WS [--json]`: customers in both of every pair of saved segments.
pub(super) fn overlap(a: Args) -> Result<String> {
    let (path, as_of, json) = workspace_args(&a, "kitle overlap WS.kitle [--json]")?;
    let (ws, data) = open(&path, as_of)?;
    let frame = crate::engine::segment::evaluate::SegmentFrame::new(std::sync::Arc::new(data))
        .with_saved_segments(&ws.segments);
    let named: Vec<(String, String)> = ws.segments.iter().map(|s| (s.name.clone(), s.rule.clone())).collect();
    let o = crate::engine::segment::overlap::overlap(&frame, &named)?;
    if json {
        let n = o.names.len();
        let shares: Vec<Vec<Option<f64>>> = (0..n).map(|i| (0..n).map(|j| o.share(i, j)).collect()).collect();
        let v = serde_json::json!({ "names": o.names, "sizes": o.sizes, "counts": o.counts, "shares": shares });
        return Ok(serde_json::to_string_pretty(&v)? + "\n");
    }
    let lang = crate::format::Lang::En;
    let mut s = String::from("Customers in both (share of the row's segment):\n");
    for (i, name) in o.names.iter().enumerate() {
        let cells: Vec<String> = (0..o.names.len())
            .map(|j| match (o.counts[i][j], o.share(i, j)) {
                (Some(c), Some(sh)) => format!("{}: {} ({})", o.names[j], c, crate::format::percent(sh, lang)),
                (Some(c), None) => format!("{}: {c}", o.names[j]),
                _ => format!("{}: —", o.names[j]),
            })
            .collect();
        s += &format!("{name}\n  {}\n", cells.join("\n  "));
    }
    Ok(s)
}
