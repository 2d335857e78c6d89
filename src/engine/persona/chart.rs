//! What a trait's chart shows: how the segment's members and all customers spread
//! over the trait's field, with the bins the trait covers marked (a bin is the
//! trait's when most customers in it match). Numbers and dates: eight equal bins
//! between all customers' 2nd and 98th percentiles (the ends hold the rest);
//! categories and yes/no: the eight most common values.

use polars::prelude::*;
use polars_arrow::bitmap::Bitmap;
use serde::Serialize;

use super::fields_of;
use super::fit::known_bits;
use super::missed::{counts, number_text, numbers};
use super::stats::{quantile, share};
use crate::engine::fields::FieldType;
use crate::engine::segment::evaluate::SegmentFrame;
use crate::engine::segment::parse;

/// Bins a chart has at most.
const BINS: usize = 8;

/// One bar pair.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bin {
    pub label: String,
    /// Share of the segment's members with a value that fall here.
    pub segment: f64,
    /// The same share of all customers.
    pub all: f64,
    /// Whether the trait covers this bin.
    pub in_trait: bool,
}

/// The chart of one trait against the segment `s`; `None` for traits over several
/// fields, lists, or unreadable traits.
pub fn trait_chart(frame: &SegmentFrame, text: &str, s: &Bitmap) -> PolarsResult<Option<Vec<Bin>>> {
    let Ok(group) = parse(text) else { return Ok(None) };
    let fields = fields_of(&group);
    let [field] = fields.as_slice() else { return Ok(None) };
    let Some(info) = frame.data().field(field) else { return Ok(None) };
    let compiled = frame.compile(&group);
    if !compiled.invalid.is_empty() {
        return Ok(None);
    }
    let known = known_bits(frame, &fields);
    let matched = &frame.mask(&compiled)? & &known;
    match info.ty {
        FieldType::Number | FieldType::Money | FieldType::Integer | FieldType::Date => {
            numeric_chart(frame, field, info.ty, s, &matched)
        }
        FieldType::Category | FieldType::Text | FieldType::Bool => {
            let (rows, u_known, s_known) = counts(frame, field, info.ty, s)?;
            let (in_trait, _, _) = counts(frame, field, info.ty, &matched)?;
            let mut rows = rows;
            rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            Ok(Some(
                rows.into_iter()
                    .take(BINS)
                    .map(|(value, u, m)| {
                        let covered = in_trait.iter().find(|r| r.0 == value).is_some_and(|r| r.2 * 2 >= r.1);
                        let label = match (info.ty, value.as_str()) {
                            (FieldType::Bool, "true") => "yes".to_owned(),
                            (FieldType::Bool, _) => "no".to_owned(),
                            _ => value,
                        };
                        Bin {
                            label,
                            segment: share(m, s_known).unwrap_or(0.0),
                            all: share(u, u_known).unwrap_or(0.0),
                            in_trait: covered,
                        }
                    })
                    .collect(),
            ))
        }
        FieldType::List => Ok(None),
    }
}

fn numeric_chart(
    frame: &SegmentFrame,
    field: &str,
    ty: FieldType,
    s: &Bitmap,
    matched: &Bitmap,
) -> PolarsResult<Option<Vec<Bin>>> {
    let ca = numbers(frame, field, ty)?;
    let Some(arr) = ca.downcast_iter().next() else { return Ok(None) };
    let values = arr.values().as_slice();
    let valid = arr.validity();
    let mut known: Vec<f64> = values
        .iter()
        .enumerate()
        .filter(|(i, v)| valid.is_none_or(|b| b.get_bit(*i)) && v.is_finite())
        .map(|(_, v)| *v)
        .collect();
    let (Some(lo), Some(hi)) = (quantile(&mut known, 0.02), quantile(&mut known, 0.98)) else { return Ok(None) };
    let width = ((hi - lo) / BINS as f64).max(f64::MIN_POSITIVE);
    let mut u = [0usize; BINS];
    let mut m = [0usize; BINS];
    let mut hit = [0usize; BINS];
    for (i, &v) in values.iter().enumerate() {
        if !valid.is_none_or(|b| b.get_bit(i)) || !v.is_finite() {
            continue;
        }
        let b = (((v - lo) / width).floor().max(0.0) as usize).min(BINS - 1);
        u[b] += 1;
        m[b] += usize::from(s.get_bit(i));
        hit[b] += usize::from(matched.get_bit(i));
    }
    let (u_known, s_known) = (u.iter().sum(), m.iter().sum());
    Ok(Some(
        (0..BINS)
            .map(|b| {
                let start = lo + width * b as f64;
                Bin {
                    label: format!("{}–{}", number_text(start, ty), number_text(start + width, ty)),
                    segment: share(m[b], s_known).unwrap_or(0.0),
                    all: share(u[b], u_known).unwrap_or(0.0),
                    in_trait: u[b] > 0 && hit[b] * 2 >= u[b],
                }
            })
            .collect(),
    ))
}
