//! Cross-tabs: any two fields against each other, each cell a count, an average
//! LTV or a share of revenue, and the segment rule that finds its customers.
//! A category, text or yes/no field shows its twelve most common values, then
//! "(other)"; a number or date is cut into up to six bins at its sextile
//! boundaries (`field >= a and field < b`, the last bin closed; dates by whole
//! days); customers without a value are left out of the table.

use foldhash::HashMap;
use polars::prelude::*;
use serde::Serialize;

use crate::engine::data::CustomerData;
use crate::engine::fields::FieldType;
use crate::engine::segment::Rule;

/// Values shown per category axis, at most.
pub(crate) const TOP: usize = 12;
/// Bins per numeric axis, at most.
const BINS: usize = 6;

/// What a cell holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    Count,
    AvgLtv,
    Revenue,
    /// Average probability of being alive (the predicted-value field `p_alive`).
    AvgPAlive,
}

impl Measure {
    pub fn from_id(id: &str) -> Option<Self> {
        match id {
            "count" => Some(Measure::Count),
            "avg_ltv" => Some(Measure::AvgLtv),
            "revenue" => Some(Measure::Revenue),
            "avg_p_alive" => Some(Measure::AvgPAlive),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    pub count: usize,
    /// The measure (the count itself, average LTV, or share of all revenue).
    pub value: Option<f64>,
    /// The rule that finds the cell's customers (its text form in JSON).
    #[serde(serialize_with = "crate::engine::segment::text::serialize_rule")]
    pub rule: Rule,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Crosstab {
    pub measure: Measure,
    pub rows: Vec<String>,
    pub cols: Vec<String>,
    pub cells: Vec<Vec<Cell>>,
}

/// One axis: labels, rules, and each customer's position.
pub(crate) struct Axis {
    pub labels: Vec<String>,
    pub rules: Vec<Rule>,
    pub index: Vec<Option<usize>>,
}

fn axis(data: &CustomerData, field: &str) -> Result<Axis, String> {
    let info = data.field(field).ok_or_else(|| format!("there is no field \"{field}\""))?;
    let column = data.customers.column(field).map_err(|e| e.to_string())?;
    let axis = match info.ty {
        FieldType::Number | FieldType::Money | FieldType::Integer | FieldType::Date => {
            numeric_axis(column, field, info.ty)
        }
        FieldType::Category | FieldType::Text | FieldType::Bool => category_axis(column, field, info.ty),
        FieldType::List => return Err(format!("\"{field}\" is a list; pick a field with one value per customer")),
    };
    axis.map_err(|e| e.to_string())
}

/// The `TOP` most common values of a category, text or yes/no column (then
/// "(other)", at position `TOP`), with their rules and each customer's position.
pub(crate) fn category_axis(column: &Column, field: &str, ty: FieldType) -> PolarsResult<Axis> {
    use polars_arrow::array::Array;
    let text = column.cast(&DataType::String)?;
    let text = text.str()?.rechunk();
    let n = text.len();
    // One pass: each distinct value gets a code (short values keyed by their arrow
    // view, which holds them whole), counted as it goes.
    let mut short: HashMap<u128, u32> = HashMap::default();
    let mut long: HashMap<&str, u32> = HashMap::default();
    let mut names: Vec<&str> = Vec::new();
    let mut counts: Vec<usize> = Vec::new();
    let mut codes: Vec<Option<u32>> = Vec::with_capacity(n);
    if let Some(arr) = text.downcast_iter().next() {
        let views = arr.views();
        for i in 0..arr.len() {
            if !arr.is_valid(i) {
                codes.push(None);
                continue;
            }
            let view = views[i];
            let mut fresh = || {
                names.push(arr.value(i));
                counts.push(0);
                u32::try_from(names.len() - 1).unwrap_or(u32::MAX)
            };
            let code = if view.length <= 12 {
                *short.entry(view.as_u128()).or_insert_with(&mut fresh)
            } else {
                *long.entry(arr.value(i)).or_insert_with(fresh)
            };
            counts[code as usize] += 1;
            codes.push(Some(code));
        }
    }
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by(|a, b| counts[*b].cmp(&counts[*a]).then_with(|| names[*a].cmp(names[*b])));
    let other = order.len() > TOP;
    order.truncate(TOP);
    let mut position = vec![TOP; names.len()];
    for (p, code) in order.iter().enumerate() {
        position[*code] = p;
    }
    let label = |v: &str| match (ty, v) {
        (FieldType::Bool, "true") => "yes".to_owned(),
        (FieldType::Bool, _) => "no".to_owned(),
        _ => v.to_owned(),
    };
    let rule = |v: &str| match (ty, v) {
        (FieldType::Bool, "true") => Rule::field(field).is_yes(),
        (FieldType::Bool, _) => Rule::field(field).is_no(),
        _ => Rule::field(field).eq(v),
    };
    let mut labels: Vec<String> = order.iter().map(|c| label(names[*c])).collect();
    let mut rules: Vec<Rule> = order.iter().map(|c| rule(names[*c])).collect();
    if other {
        labels.push("(other)".to_owned());
        rules.push(Rule::field(field).not_in(order.iter().map(|c| names[*c])));
    }
    let index = codes.into_iter().map(|c| c.map(|c| position[c as usize])).collect();
    Ok(Axis { labels, rules, index })
}

/// A bin edge as its rule and label write it.
fn round_cents(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

fn numeric_axis(column: &Column, field: &str, ty: FieldType) -> PolarsResult<Axis> {
    let column = if ty == FieldType::Date { column.cast(&DataType::Int32)? } else { column.clone() };
    let values = super::float_values(&column)?;
    let mut known: Vec<f64> = values.iter().flatten().copied().filter(|v| v.is_finite()).collect();
    let (min, max) = known.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
    if known.is_empty() {
        return Ok(Axis { labels: Vec::new(), rules: Vec::new(), index: vec![None; values.len()] });
    }
    // The sextile values (no full sort).
    let ranks: Vec<usize> = (1..BINS).map(|k| (k * known.len() / BINS).min(known.len() - 1)).collect();
    let mut edges = vec![min];
    for v in crate::engine::persona::stats::select_ranks(&mut known, &ranks) {
        if v > *edges.last().unwrap_or(&min) && v < max {
            edges.push(v);
        }
    }
    edges.push(max);
    if ty != FieldType::Date {
        // Edges as the rules write them, so a rule finds exactly its bin's customers.
        for e in &mut edges {
            *e = round_cents(*e);
        }
        edges.dedup();
    }
    let text = |v: f64| match ty {
        FieldType::Date => crate::engine::import::columns::days_to_date(v.round() as i32)
            .map_or_else(String::new, |d| d.format("%Y-%m-%d").to_string()),
        _ => format!("{}", round_cents(v)),
    };
    let on_field = || Rule::field(field);
    let bins = edges.len().saturating_sub(1).max(1);
    let mut labels = Vec::new();
    let mut rules = Vec::new();
    for b in 0..bins {
        let (lo, hi) = (edges[b], edges[(b + 1).min(edges.len() - 1)]);
        let last = b + 1 == bins;
        labels.push(format!("{}–{}", text(lo), text(hi)));
        rules.push(match (ty, last) {
            // Dates are whole days: a bin ends the day before the next begins.
            (FieldType::Date, true) => on_field().between(text(lo), text(hi)),
            (FieldType::Date, false) => on_field().between(text(lo), text(hi - 1.0)),
            (_, true) => on_field().ge(round_cents(lo)).and(on_field().le(round_cents(hi))),
            (_, false) => on_field().ge(round_cents(lo)).and(on_field().lt(round_cents(hi))),
        });
    }
    let index = values
        .iter()
        .map(|v| {
            let v = (*v).filter(|v| v.is_finite())?;
            Some(edges[1..].iter().position(|e| v < *e).unwrap_or(bins - 1).min(bins - 1))
        })
        .collect();
    Ok(Axis { labels, rules, index })
}

/// The cross-tab of two fields.
pub fn crosstab(data: &CustomerData, rows: &str, cols: &str, measure: Measure) -> Result<Crosstab, String> {
    let (r, c) = (axis(data, rows)?, axis(data, cols)?);
    let measured = |field: &str| match data.customers.column(field) {
        Ok(l) => super::float_values(l).map_err(|e| e.to_string()),
        Err(_) => Ok(vec![None; data.customers.height()]),
    };
    let (ltv, p_alive) = (measured("ltv")?, measured("p_alive")?);
    if matches!(measure, Measure::AvgLtv | Measure::Revenue) && data.field("ltv").is_none() {
        return Err("this measure needs the customers' LTV".to_owned());
    }
    if measure == Measure::AvgPAlive && data.field("p_alive").is_none() {
        return Err("this measure needs predicted value (orders with at least 20 repeat buyers)".to_owned());
    }
    let summed = if measure == Measure::AvgPAlive { &p_alive } else { &ltv };
    let mut tally = vec![vec![(0usize, 0.0f64, 0usize); c.labels.len()]; r.labels.len()];
    for (i, value) in summed.iter().enumerate() {
        if let (Some(ri), Some(ci)) = (r.index[i], c.index[i]) {
            let t = &mut tally[ri][ci];
            t.0 += 1;
            if let Some(v) = value {
                t.1 += v;
                t.2 += 1;
            }
        }
    }
    let revenue: f64 = ltv.iter().flatten().sum();
    let cells = tally
        .iter()
        .enumerate()
        .map(|(ri, row)| {
            row.iter()
                .enumerate()
                .map(|(ci, &(count, sum, known))| Cell {
                    count,
                    value: match measure {
                        Measure::Count => Some(count as f64),
                        Measure::AvgLtv | Measure::AvgPAlive => (known > 0).then(|| sum / known as f64),
                        Measure::Revenue => (revenue > 0.0).then(|| sum / revenue),
                    },
                    rule: r.rules[ri].clone().and(c.rules[ci].clone()),
                })
                .collect()
        })
        .collect();
    Ok(Crosstab { measure, rows: r.labels, cols: c.labels, cells })
}
