//! How well a persona fits a segment's real customers, trait by trait, from
//! counts only (no model): for segment S and all customers U,
//! - support: the share of S's members with a value for the trait's fields who
//!   satisfy it, with a 95% Wilson interval; base: the same share in U; lift =
//!   support / base; known: the share of S with a value;
//! - verdict: *unknown* under [`MIN_KNOWN`] members with a value; *confirmed* when
//!   support ≥ 50% and the interval's low end is above the base rate;
//!   *contradicted* when the interval's high end is under 50% (most members are
//!   elsewhere, and [`Where`] says where); *weak* otherwise;
//! - joint share: members matching every trait at once (an unknown value does not
//!   match); coverage: |S| / |U|;
//! - the fit score, 0–100 = 100 × (0.5 × agreement + 0.3 × joint share + 0.2 ×
//!   distinctiveness), where agreement is the mean support of the traits that are
//!   not unknown and distinctiveness the share of them whose lift is ≥ 1.1 with the
//!   interval above the base rate. No such trait: no score.

use polars::prelude::*;
use polars_arrow::bitmap::{Bitmap, MutableBitmap};
use serde::Serialize;

use super::missed::{Missed, distinguishing, field_summary};
use super::stats::{share, wilson};
use super::suggest::{Suggestion, suggestions};
use super::{Persona, fields_of};
use crate::engine::segment::evaluate::SegmentFrame;
use crate::engine::segment::{Group, parse};

/// Members with a value a trait needs before it gets a verdict.
pub const MIN_KNOWN: usize = 20;

/// What the figures say of one trait.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Confirmed,
    Weak,
    Contradicted,
    Unknown,
}

/// Where most of the segment's members are for a trait's field.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Where {
    /// The most common value and its share of members with a value.
    Value { value: String, share: f64 },
    /// The middle half of members' values (first to third quartile).
    Range { low: String, high: String },
}

/// One trait against the segment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TraitFit {
    #[serde(rename = "trait")]
    pub trait_text: String,
    pub support: Option<f64>,
    pub support_low: Option<f64>,
    pub support_high: Option<f64>,
    pub base: Option<f64>,
    pub lift: Option<f64>,
    /// Share of the segment's members with a value for the trait's fields.
    pub known: f64,
    pub verdict: Verdict,
    /// Members with a value, and those of them who match.
    pub members_known: usize,
    pub members_matching: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub where_most: Option<Where>,
    /// Why the trait can't be checked (unreadable, unknown field…).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invalid: Option<String>,
}

/// The score and its parts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ScoreParts {
    pub agreement: f64,
    pub joint: f64,
    pub distinctiveness: f64,
}

/// A persona against a segment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fit {
    pub score: Option<u32>,
    pub score_parts: Option<ScoreParts>,
    pub members: usize,
    pub customers: usize,
    pub coverage: f64,
    pub joint_share: f64,
    pub traits: Vec<TraitFit>,
    pub missed: Vec<Missed>,
    pub suggestions: Vec<Suggestion>,
    /// Per trait, the segment's spread beside all customers' (not in the JSON).
    #[serde(skip)]
    pub charts: Vec<Option<Vec<super::chart::Bin>>>,
}

/// The segment's members as bits over the customer table.
pub fn member_bits(members: &[IdxSize], height: usize) -> Bitmap {
    let mut bits = MutableBitmap::from_len_zeroed(height);
    for &m in members {
        if (m as usize) < height {
            bits.set(m as usize, true);
        }
    }
    bits.into()
}

/// Which customers have a value for every one of `fields` (none, for a missing field).
pub fn known_bits(frame: &SegmentFrame, fields: &[String]) -> Bitmap {
    let height = frame.data().customers.height();
    let mut known = Bitmap::new_with_value(true, height);
    for field in fields {
        let Ok(column) = frame.data().customers.column(field) else {
            return Bitmap::new_zeroed(height);
        };
        if column.null_count() == 0 {
            continue;
        }
        let series = column.as_materialized_series().rechunk();
        let valid: Bitmap = match series.chunks().first().and_then(|a| a.validity()) {
            Some(v) => v.clone(),
            None => series.is_not_null().iter().map(|v| v.unwrap_or(false)).collect(),
        };
        known = &known & &valid;
    }
    known
}

/// Measures every trait of `persona` against the segment `members`, finds what the
/// persona misses, and suggests edits. Fields the segment's own `rule` reads are
/// not "missed": that VIPs spend a lot is what makes them VIPs.
pub fn fit(frame: &SegmentFrame, persona: &Persona, members: &[IdxSize], rule: Option<&Group>) -> PolarsResult<Fit> {
    let s = member_bits(members, frame.data().customers.height());
    let mut fit = fit_traits(frame, persona, &s)?;
    let mut mentioned: Vec<String> =
        persona.traits.iter().filter_map(|t| parse(t).ok()).flat_map(|g| fields_of(&g)).collect();
    mentioned.extend(rule.map(fields_of).unwrap_or_default());
    fit.missed = distinguishing(frame, &s, &mentioned)?;
    fit.suggestions = suggestions(frame, &s, persona, &fit)?;
    fit.charts = persona.traits.iter().map(|t| super::chart::trait_chart(frame, t, &s)).collect::<PolarsResult<_>>()?;
    Ok(fit)
}

/// The traits' figures, joint share, coverage and score of a persona against the
/// segment `s` (members as bits), without the "missed" scan and suggestions.
pub fn fit_traits(frame: &SegmentFrame, persona: &Persona, s: &Bitmap) -> PolarsResult<Fit> {
    let height = frame.data().customers.height();
    let mut joint = s.clone();
    let mut traits = Vec::new();
    for text in &persona.traits {
        let (fit, matched) = trait_fit(frame, text, s)?;
        if let Some(matched) = matched {
            joint = &joint & &matched;
        }
        traits.push(fit);
    }
    let size = s.set_bits();
    let checked = traits.iter().any(|t| t.invalid.is_none());
    let joint_share = if checked { share(joint.set_bits(), size).unwrap_or(0.0) } else { 0.0 };
    let (score, score_parts) = score(&traits, joint_share);
    Ok(Fit {
        score,
        score_parts,
        members: size,
        customers: height,
        coverage: share(size, height).unwrap_or(0.0),
        joint_share,
        traits,
        missed: Vec::new(),
        suggestions: Vec::new(),
        charts: Vec::new(),
    })
}

/// One trait's figures, and the members (bits) who match it, unless it can't be checked.
fn trait_fit(frame: &SegmentFrame, text: &str, s: &Bitmap) -> PolarsResult<(TraitFit, Option<Bitmap>)> {
    let mut out = TraitFit {
        trait_text: text.to_owned(),
        support: None,
        support_low: None,
        support_high: None,
        base: None,
        lift: None,
        known: 0.0,
        verdict: Verdict::Unknown,
        members_known: 0,
        members_matching: 0,
        where_most: None,
        invalid: None,
    };
    let group = match parse(text) {
        Ok(g) => g,
        Err(e) => {
            out.invalid = Some(e.to_string());
            return Ok((out, None));
        }
    };
    let compiled = frame.compile(&group);
    if let Some(bad) = compiled.invalid.first() {
        out.invalid = Some(bad.reason.clone());
        return Ok((out, None));
    }
    let fields = fields_of(&group);
    let known = known_bits(frame, &fields);
    let matched = &frame.mask(&compiled)? & &known;
    let s_known = &known & s;
    let (u_known, u_match) = (known.set_bits(), matched.set_bits());
    let (k_known, k_match) = (s_known.set_bits(), (&matched & s).set_bits());
    out.members_known = k_known;
    out.members_matching = k_match;
    out.known = share(k_known, s.set_bits()).unwrap_or(0.0);
    out.support = share(k_match, k_known);
    out.base = share(u_match, u_known);
    if let Some((low, high)) = wilson(k_match, k_known) {
        out.support_low = Some(low);
        out.support_high = Some(high);
    }
    out.lift = match (out.support, out.base) {
        (Some(p), Some(b)) if b > 0.0 => Some(p / b),
        _ => None,
    };
    out.verdict = verdict(&out);
    if matches!(out.verdict, Verdict::Contradicted | Verdict::Weak) && fields.len() == 1 {
        out.where_most = field_summary(frame, &fields[0], &s_known)?;
    }
    Ok((out, Some(matched)))
}

fn verdict(t: &TraitFit) -> Verdict {
    let (Some(p), Some(low), Some(high), Some(base)) = (t.support, t.support_low, t.support_high, t.base) else {
        return Verdict::Unknown;
    };
    if t.members_known < MIN_KNOWN {
        Verdict::Unknown
    } else if p >= 0.5 && low > base {
        Verdict::Confirmed
    } else if high < 0.5 {
        Verdict::Contradicted
    } else {
        Verdict::Weak
    }
}

/// The documented score (see the module docs) and its parts.
fn score(traits: &[TraitFit], joint: f64) -> (Option<u32>, Option<ScoreParts>) {
    let scorable: Vec<&TraitFit> =
        traits.iter().filter(|t| t.invalid.is_none() && t.verdict != Verdict::Unknown).collect();
    if scorable.is_empty() {
        return (None, None);
    }
    let n = scorable.len() as f64;
    let agreement = scorable.iter().filter_map(|t| t.support).sum::<f64>() / n;
    let distinct = scorable
        .iter()
        .filter(|t| {
            t.lift.is_some_and(|l| l >= 1.1) && matches!((t.support_low, t.base), (Some(lo), Some(b)) if lo > b)
        })
        .count();
    let distinctiveness = distinct as f64 / n;
    let parts = ScoreParts { agreement, joint, distinctiveness };
    let score = (100.0 * (0.5 * agreement + 0.3 * joint + 0.2 * distinctiveness)).round().clamp(0.0, 100.0) as u32;
    (Some(score), Some(parts))
}

/// A verdict's word in English (the command line's text output).
pub fn verdict_word(v: Verdict) -> &'static str {
    match v {
        Verdict::Confirmed => "confirmed",
        Verdict::Weak => "weak",
        Verdict::Contradicted => "contradicted",
        Verdict::Unknown => "unknown",
    }
}

/// The evidence for a trait, as a sentence built from its figures.
pub fn evidence(t: &TraitFit, lang: crate::format::Lang) -> String {
    use crate::engine::message::Message;
    use crate::format::{count, number, percent};
    if let Some(why) = &t.invalid {
        return Message::new("persona.ev_invalid", [why.clone()]).text(lang);
    }
    let (Some(p), Some(lo), Some(hi), Some(base)) = (t.support, t.support_low, t.support_high, t.base) else {
        return Message::new("persona.ev_no_data", [count(t.members_known, lang)]).text(lang);
    };
    let mut s = Message::new(
        "persona.ev_support",
        [
            percent(p, lang),
            percent(lo, lang),
            percent(hi, lang),
            percent(base, lang),
            t.lift.map_or_else(|| "—".to_owned(), |l| number(l, 1, lang)),
            percent(t.known, lang),
        ],
    )
    .text(lang);
    if t.members_known < MIN_KNOWN {
        s.push(' ');
        s += &Message::new("persona.ev_too_few", [count(t.members_known, lang)]).text(lang);
    }
    match &t.where_most {
        Some(Where::Value { value, share }) => {
            s.push(' ');
            s += &Message::new("persona.ev_where_value", [value.clone(), percent(*share, lang)]).text(lang);
        }
        Some(Where::Range { low, high }) => {
            s.push(' ');
            s += &Message::new("persona.ev_where_range", [low.clone(), high.clone()]).text(lang);
        }
        None => {}
    }
    s
}

/// A value as a person reads it, in quotes: RFM groups by their name.
fn value_name(field: &str, value: &str, lang: crate::format::Lang) -> String {
    let shown = if field == "rfm_group" { crate::i18n::rfm_group_label(lang, value) } else { value.to_owned() };
    format!("“{shown}”")
}

/// What the persona misses, as a sentence: "3.1× more likely to have channel =
/// Instagram (44% vs 14%)".
pub fn missed_sentence(m: &Missed, lang: crate::format::Lang) -> String {
    use crate::engine::message::Message;
    use crate::format::{number, percent};
    let field = crate::i18n::field_label(lang, &m.field);
    if m.kind == super::missed::MissedKind::Range {
        // Plain numbers ("2171–9800") written the reader's way; one number when
        // the range is a single value.
        let written = |x: &str| {
            x.parse::<f64>().map_or_else(|_| x.to_owned(), |v| number(v, if v.fract() == 0.0 { 0 } else { 2 }, lang))
        };
        let range = match m.value.split_once('–') {
            Some((low, high)) if low == high => written(low),
            Some((low, high)) => format!("{}–{}", written(low), written(high)),
            None => m.value.clone(),
        };
        return Message::new("persona.ev_missed_range", [field, range, percent(m.support, lang)]).text(lang);
    }
    Message::new(
        "persona.ev_missed",
        [
            number(m.lift, 1, lang),
            field,
            value_name(&m.field, &m.value, lang),
            percent(m.support, lang),
            percent(m.base, lang),
        ],
    )
    .text(lang)
}
