//! What sets a segment apart from all customers, field by field, and what a
//! persona does not mention of it. The effect size is Cohen's h between the
//! segment's share and everyone's:
//! - a value of a category, text, yes/no or list field: the share having it;
//! - a number, amount or date: the share above all customers' median.
//!
//! A difference is reported when h ≥ [`MIN_EFFECT`] (a small effect or more) and
//! at least [`MIN_SUPPORT`] of the segment's members with a value (and
//! [`MIN_MEMBERS`] members) have it; the list is ranked by h. Fields with more than
//! [`MAX_VALUES`] distinct values (ids, emails, names) are skipped, and so are the
//! customer's contact details.

use std::collections::HashMap;

use polars::prelude::*;
use polars_arrow::bitmap::Bitmap;
use serde::Serialize;

use super::Persona;
use super::fit::{Where, known_bits};
use super::stats::{cohen_h, quantile, share};
use crate::engine::fields::FieldType;
use crate::engine::segment::evaluate::SegmentFrame;
use crate::engine::segment::{Rule, to_text};

/// Smallest effect reported (Cohen's "small").
pub const MIN_EFFECT: f64 = 0.2;
/// Smallest share of the segment's members (with a value) a reported value needs.
pub const MIN_SUPPORT: f64 = 0.10;
/// Smallest number of members a reported value needs.
pub const MIN_MEMBERS: usize = 20;
/// Fields with more distinct values are identifiers, not traits.
pub const MAX_VALUES: usize = 100;
/// Contact details and identifiers: never traits.
const NOT_TRAITS: &[&str] =
    &["customer_id", "email", "phone", "name", "first_name", "last_name", "zip", "address", "note", "birth_date"];

/// One way the segment differs from all customers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Missed {
    pub field: String,
    /// The value (`Instagram`), or the range most members are in (`2,171–9,800`).
    pub value: String,
    /// Share of the segment's members with a value who have it (for ranges: who
    /// are above all customers' median).
    pub support: f64,
    /// The same share among all customers.
    pub base: f64,
    pub lift: f64,
    /// Cohen's h.
    pub effect: f64,
    /// The trait that would say it, in the segment text form.
    #[serde(rename = "trait")]
    pub trait_text: String,
    /// A value of the field, or a range of its numbers.
    pub kind: MissedKind,
}

/// Whether a difference is a value or a range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MissedKind {
    Value,
    Range,
}

/// Every difference between the segment (`s`) and all customers in fields not in
/// `exclude`, strongest first (at most one per field value).
pub fn distinguishing(frame: &SegmentFrame, s: &Bitmap, exclude: &[String]) -> PolarsResult<Vec<Missed>> {
    let data = frame.data();
    let mut found = Vec::new();
    for info in &data.fields {
        if exclude.contains(&info.name) || NOT_TRAITS.contains(&info.name.as_str()) {
            continue;
        }
        match info.ty {
            FieldType::Number | FieldType::Money | FieldType::Integer | FieldType::Date => {
                found.extend(numeric_difference(frame, &info.name, info.ty, s)?);
            }
            FieldType::Category | FieldType::Text | FieldType::Bool | FieldType::List => {
                found.extend(value_differences(frame, &info.name, info.ty, s)?);
            }
        }
    }
    found.sort_by(|a, b| b.effect.total_cmp(&a.effect).then_with(|| a.field.cmp(&b.field)));
    Ok(found)
}

/// A field's values as numbers (dates as days), with their validity.
pub(super) fn numbers(frame: &SegmentFrame, field: &str, ty: FieldType) -> PolarsResult<Float64Chunked> {
    let column = frame.data().customers.column(field)?;
    let column = if ty == FieldType::Date { column.cast(&DataType::Int32)? } else { column.clone() };
    Ok(column.cast(&DataType::Float64)?.f64()?.rechunk().into_owned())
}

/// A number (or date) as a trait writes it.
pub(super) fn number_text(v: f64, ty: FieldType) -> String {
    match ty {
        FieldType::Date => crate::engine::import::columns::days_to_date(v.round() as i32)
            .map_or_else(String::new, |d| d.format("%Y-%m-%d").to_string()),
        FieldType::Integer => format!("{}", v.round()),
        _ if v.abs() >= 100.0 => format!("{}", v.round()),
        _ => format!("{}", (v * 100.0).round() / 100.0),
    }
}

/// The segment's and everyone's known values of a numeric field.
fn split_values(ca: &Float64Chunked, s: &Bitmap) -> (Vec<f64>, Vec<f64>) {
    let mut all = Vec::with_capacity(ca.len());
    let mut members = Vec::new();
    if let Some(arr) = ca.downcast_iter().next() {
        let values = arr.values().as_slice();
        let valid = arr.validity();
        for (i, &v) in values.iter().enumerate() {
            if valid.is_none_or(|b| b.get_bit(i)) && v.is_finite() {
                all.push(v);
                if s.get_bit(i) {
                    members.push(v);
                }
            }
        }
    }
    (all, members)
}

fn numeric_difference(frame: &SegmentFrame, field: &str, ty: FieldType, s: &Bitmap) -> PolarsResult<Option<Missed>> {
    let ca = numbers(frame, field, ty)?;
    let (mut all, mut members) = split_values(&ca, s);
    if members.len() < MIN_MEMBERS {
        return Ok(None);
    }
    let Some(median) = quantile(&mut all, 0.5) else { return Ok(None) };
    let above = |v: &[f64]| share(v.iter().filter(|x| **x > median).count(), v.len()).unwrap_or(0.0);
    let (p, q) = (above(&members), above(&all));
    let effect = cohen_h(p, q).abs();
    if effect < MIN_EFFECT {
        return Ok(None);
    }
    let (low, high) = (quantile(&mut members, 0.1).unwrap_or(median), quantile(&mut members, 0.9).unwrap_or(median));
    let (low, high) = (number_text(low, ty), number_text(high, ty));
    Ok(Some(Missed {
        field: field.to_owned(),
        value: format!("{low}–{high}"),
        support: p,
        base: q,
        lift: if q > 0.0 { p / q } else { 0.0 },
        effect,
        trait_text: to_text(&Rule::field(field).between(low.as_str(), high.as_str())),
        kind: MissedKind::Range,
    }))
}

/// `field between P10 and P90` of the members' values (where 80% of them are).
pub fn range_trait(frame: &SegmentFrame, s: &Bitmap, field: &str) -> PolarsResult<Option<String>> {
    let Some(info) = frame.data().field(field) else { return Ok(None) };
    let ca = numbers(frame, field, info.ty)?;
    let mut members = values_of(&ca, s);
    if members.len() < MIN_MEMBERS {
        return Ok(None);
    }
    let (low, high) = (quantile(&mut members, 0.1), quantile(&mut members, 0.9));
    Ok(low
        .zip(high)
        .map(|(lo, hi)| to_text(&Rule::field(field).between(number_text(lo, info.ty), number_text(hi, info.ty)))))
}

/// Per value: (customers with it, members with it); and how many customers and
/// members have any value.
pub(super) type ValueCounts = (Vec<(String, usize, usize)>, usize, usize);

pub(super) fn counts(frame: &SegmentFrame, field: &str, ty: FieldType, s: &Bitmap) -> PolarsResult<ValueCounts> {
    let column = frame.data().customers.column(field)?;
    let known = known_bits(frame, &[field.to_owned()]);
    let mut tally: HashMap<String, (usize, usize)> = HashMap::new();
    let (mut u_known, mut s_known) = (0, 0);
    if ty == FieldType::List {
        let list = column.list()?.rechunk();
        let list = list.cast(&DataType::List(Box::new(DataType::String)))?;
        for (i, row) in list.list()?.iter().enumerate() {
            let Some(row) = row.filter(|r| !r.is_empty()) else { continue };
            let Some(row) = row.as_any().downcast_ref::<polars_arrow::array::Utf8ViewArray>() else { continue };
            let member = s.get_bit(i);
            u_known += 1;
            s_known += usize::from(member);
            for v in row.iter().flatten() {
                let e = tally.entry(v.to_owned()).or_default();
                e.0 += 1;
                e.1 += usize::from(member);
            }
            if tally.len() > MAX_VALUES {
                return Ok((Vec::new(), 0, 0));
            }
        }
    } else {
        let in_s = BooleanChunked::with_chunk(
            "in_s".into(),
            polars_arrow::array::BooleanArray::from_data_default(s.clone(), None),
        );
        let values = column.cast(&DataType::String)?.with_name("v".into());
        let df = DataFrame::new(column.len(), vec![values, in_s.into_column()])?;
        let out = df
            .lazy()
            .filter(col("v").is_not_null())
            .group_by([col("v")])
            .agg([len().alias("u"), col("in_s").sum().alias("s")])
            .collect()?;
        if out.height() > MAX_VALUES {
            return Ok((Vec::new(), 0, 0));
        }
        let (v, u, m) = (
            out.column("v")?.str()?.clone(),
            out.column("u")?.cast(&DataType::UInt64)?,
            out.column("s")?.cast(&DataType::UInt64)?,
        );
        let (u, m) = (u.u64()?.clone(), m.u64()?.clone());
        for i in 0..out.height() {
            let (Some(v), Some(u), Some(m)) = (v.get(i), u.get(i), m.get(i)) else { continue };
            tally.insert(v.to_owned(), (u as usize, m as usize));
        }
        u_known = known.set_bits();
        s_known = (&known & s).set_bits();
    }
    let mut rows: Vec<(String, usize, usize)> = tally.into_iter().map(|(v, (u, m))| (v, u, m)).collect();
    rows.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    Ok((rows, u_known, s_known))
}

fn value_differences(frame: &SegmentFrame, field: &str, ty: FieldType, s: &Bitmap) -> PolarsResult<Vec<Missed>> {
    let (rows, u_known, s_known) = counts(frame, field, ty, s)?;
    let mut out = Vec::new();
    for (value, u, m) in rows {
        let (Some(p), Some(q)) = (share(m, s_known), share(u, u_known)) else { continue };
        let effect = cohen_h(p, q);
        if m < MIN_MEMBERS || p < MIN_SUPPORT || effect < MIN_EFFECT {
            continue;
        }
        let trait_rule = match ty {
            FieldType::Bool if value == "true" => Rule::field(field).is_yes(),
            FieldType::Bool => Rule::field(field).is_no(),
            FieldType::List => Rule::field(field).contains(value.as_str()),
            _ => Rule::field(field).eq(value.as_str()),
        };
        let trait_text = to_text(&trait_rule);
        let value = match (ty, value.as_str()) {
            (FieldType::Bool, "true") => "yes".to_owned(),
            (FieldType::Bool, _) => "no".to_owned(),
            _ => value,
        };
        out.push(Missed {
            field: field.to_owned(),
            value,
            support: p,
            base: q,
            lift: if q > 0.0 { p / q } else { 0.0 },
            effect,
            trait_text,
            kind: MissedKind::Value,
        });
    }
    Ok(out)
}

/// The known values of a numeric field for the rows set in `rows` only.
fn values_of(ca: &Float64Chunked, rows: &Bitmap) -> Vec<f64> {
    let mut out = Vec::with_capacity(rows.set_bits());
    if let Some(arr) = ca.downcast_iter().next() {
        let values = arr.values().as_slice();
        let valid = arr.validity();
        for i in rows.true_idx_iter() {
            if valid.is_none_or(|b| b.get_bit(i)) && values[i].is_finite() {
                out.push(values[i]);
            }
        }
    }
    out
}

/// The most common text among the rows set in `rows`, and its share of them with a
/// value. Counted on the arrow views: a text of up to 12 bytes lives inside its
/// view, so equal short texts have equal views and are counted without hashing
/// the text (the fit's hot path: categories are short).
fn most_common(arr: &polars_arrow::array::Utf8ViewArray, rows: &Bitmap) -> Option<Where> {
    use polars_arrow::array::Array;
    let views = arr.views();
    let valid = arr.validity();
    // key → (count, a row holding it)
    let mut short: foldhash::HashMap<u128, (usize, usize)> = foldhash::HashMap::default();
    let mut long: foldhash::HashMap<&str, usize> = foldhash::HashMap::default();
    let mut known = 0;
    for i in rows.true_idx_iter() {
        if valid.is_some_and(|b| !b.get_bit(i)) {
            continue;
        }
        known += 1;
        let view = views[i];
        if view.length <= 12 {
            short.entry(view.as_u128()).or_insert((0, i)).0 += 1;
        } else {
            *long.entry(arr.value(i)).or_default() += 1;
        }
    }
    let all = short.into_values().map(|(n, i)| (arr.value(i), n)).chain(long);
    let (value, n) = all.max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)))?;
    share(n, known).map(|share| Where::Value { value: value.to_owned(), share })
}

/// Where most of the members (`members`: the segment's members with a value) are
/// for one field: its most common value, or the middle half of its numbers.
pub fn field_summary(frame: &SegmentFrame, field: &str, members: &Bitmap) -> PolarsResult<Option<Where>> {
    let Some(info) = frame.data().field(field) else { return Ok(None) };
    Ok(match info.ty {
        FieldType::Number | FieldType::Money | FieldType::Integer | FieldType::Date => {
            let mut values = values_of(&numbers(frame, field, info.ty)?, members);
            match (quantile(&mut values, 0.25), quantile(&mut values, 0.75)) {
                (Some(lo), Some(hi)) => {
                    Some(Where::Range { low: number_text(lo, info.ty), high: number_text(hi, info.ty) })
                }
                _ => None,
            }
        }
        FieldType::Category | FieldType::Text => {
            let text = frame.data().customers.column(field)?.cast(&DataType::String)?;
            let text = text.str()?.rechunk();
            text.downcast_iter().next().and_then(|arr| most_common(arr, members))
        }
        _ => {
            let (rows, _, s_known) = counts(frame, field, info.ty, members)?;
            rows.first()
                .and_then(|(value, _, m)| share(*m, s_known).map(|share| Where::Value { value: value.clone(), share }))
        }
    })
}

/// A persona drafted from what sets a segment apart: the strongest difference of
/// each field that most members share (a range covers 80% of them; a value must be
/// held by at least half), up to six traits, named "Draft — <segment>".
pub fn draft(frame: &SegmentFrame, members: &[IdxSize], segment: &str) -> PolarsResult<Persona> {
    let s = super::fit::member_bits(members, frame.data().customers.height());
    let mut traits: Vec<String> = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    for m in distinguishing(frame, &s, &[])? {
        // A persona's trait describes most of its people: a value held by a minority
        // of the members (however over-represented) is not one.
        if fields.contains(&m.field) || (m.kind == MissedKind::Value && m.support < 0.5) {
            continue;
        }
        fields.push(m.field.clone());
        traits.push(m.trait_text);
        if traits.len() == 6 {
            break;
        }
    }
    Ok(Persona {
        name: format!("Draft — {segment}"), traits, segments: vec![segment.to_owned()], ..Persona::default()
    })
}
