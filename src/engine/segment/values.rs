//! The values a field holds, with how many customers have each: what the builder
//! offers in its value pickers (and later persona and Explore controls).

use foldhash::HashMap;
use polars::prelude::*;

use crate::engine::data::CustomerData;

/// Distinct values kept while counting a text column (ids and emails would
/// otherwise grow without bound).
const MAX_DISTINCT: usize = 5_000;
/// Values returned, most common first.
const MAX_RETURNED: usize = 200;

/// Distinct values of a text, category or list field with their counts, most
/// common first (ties alphabetically); for `bought product|sku|category`, the
/// values order lines name with the number of lines. Empty for unknown fields.
pub fn value_counts(data: &CustomerData, field: &str) -> Vec<(String, usize)> {
    if let Some(super::history::Measure::Bought(attr)) = super::history::Measure::of_field(field) {
        return super::history::line_value_counts(data, attr, MAX_RETURNED);
    }
    let mut counts: HashMap<String, usize> = HashMap::default();
    if let Ok(column) = data.customers.column(field) {
        if let Ok(list) = column.list() {
            for i in 0..list.len() {
                if let Some(s) = list.get_as_series(i)
                    && let Ok(items) = s.str()
                {
                    for v in items.iter().flatten() {
                        *counts.entry(v.to_owned()).or_default() += 1;
                    }
                }
            }
        } else if let Ok(text) = column.cast(&DataType::String)
            && let Ok(text) = text.str()
        {
            for v in text.iter().flatten() {
                if let Some(n) = counts.get_mut(v) {
                    *n += 1;
                } else if counts.len() < MAX_DISTINCT {
                    counts.insert(v.to_owned(), 1);
                }
            }
        }
    }
    let mut list: Vec<(String, usize)> = counts.into_iter().collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    list.truncate(MAX_RETURNED);
    list
}
