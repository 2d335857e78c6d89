//! Browsing the customer table: which rows a quick search keeps and in what order.
//! Returns row numbers so the table view can show a million customers without
//! copying them; the app runs this on a background thread.

use polars::prelude::*;

use super::text::fold_case;
use crate::engine::data::CustomerData;

/// Columns the quick search looks in.
pub const SEARCH_COLUMNS: &[&str] = &["name", "first_name", "last_name", "email", "phone", "city", "customer_id"];

/// A sort by one column.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SortBy {
    pub column: String,
    pub descending: bool,
}

/// The rows to show: those matching every word of `query` (in any searched column,
/// case-insensitively, Turkish-aware), sorted by `sort` (empty values last).
/// `cancelled` is checked between steps so a superseded request stops early.
pub fn row_order(
    data: &CustomerData,
    query: &str,
    sort: Option<&SortBy>,
    cancelled: &dyn Fn() -> bool,
) -> PolarsResult<Vec<IdxSize>> {
    let df = &data.customers;
    let words: Vec<String> = fold_case(query).split_whitespace().map(str::to_owned).collect();
    let mut keep: Option<Vec<bool>> = None;
    if !words.is_empty() {
        let columns: Vec<StringChunked> = SEARCH_COLUMNS
            .iter()
            .filter_map(|c| df.column(c).ok())
            .filter_map(|c| c.cast(&DataType::String).ok())
            .filter_map(|c| c.str().ok().cloned())
            .collect();
        let mut mask = vec![true; df.height()];
        for word in &words {
            let mut found = vec![false; df.height()];
            for column in &columns {
                for (i, value) in column.iter().enumerate() {
                    if !found[i]
                        && mask[i]
                        && let Some(v) = value
                        && contains_folded(v, word)
                    {
                        found[i] = true;
                    }
                }
                if cancelled() {
                    return Err(PolarsError::ComputeError("cancelled".into()));
                }
            }
            for (m, f) in mask.iter_mut().zip(found) {
                *m &= f;
            }
        }
        keep = Some(mask);
    }
    let order: Vec<IdxSize> = match sort {
        Some(sort) => {
            let column = df.column(&sort.column)?.as_materialized_series();
            let column = if matches!(column.dtype(), DataType::List(_)) {
                column.list()?.lst_lengths().into_series()
            } else if matches!(column.dtype(), DataType::String | DataType::Categorical(..)) {
                // Sort text as people read it: case- and accent-insensitively.
                let text = column.cast(&DataType::String)?;
                let folded: StringChunked = text.str()?.iter().map(|v| v.map(crate::engine::text::fold)).collect();
                folded.into_series()
            } else {
                column.clone()
            };
            let options = SortOptions::default().with_order_descending(sort.descending).with_nulls_last(true);
            column.arg_sort(options).into_no_null_iter().collect()
        }
        None => (0..IdxSize::try_from(df.height()).unwrap_or(IdxSize::MAX)).collect(),
    };
    Ok(match keep {
        Some(mask) => order.into_iter().filter(|&i| mask[i as usize]).collect(),
        None => order,
    })
}

/// Does `text` contain `word` (already Turkish-lowercased)? Avoids allocating for
/// ASCII text that can be compared directly.
fn contains_folded(text: &str, word: &str) -> bool {
    if text.is_ascii() && word.is_ascii() {
        let (t, w) = (text.as_bytes(), word.as_bytes());
        if w.len() > t.len() {
            return false;
        }
        return t.windows(w.len()).any(|win| win.eq_ignore_ascii_case(w));
    }
    fold_case(text).contains(word)
}

/// One counted order of a customer.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerOrder {
    pub id: String,
    pub date: Option<chrono::NaiveDate>,
    /// Net of refunds.
    pub total: f64,
}

/// The counted orders of the customer in row `row`, oldest first (as the build
/// stores them). Empty without an orders file.
pub fn customer_orders(data: &CustomerData, row: usize) -> Vec<CustomerOrder> {
    let Some(orders) = &data.orders else { return Vec::new() };
    let (Ok(customer), Ok(ids), Ok(dates), Ok(totals)) =
        (orders.column("customer"), orders.column("order_id"), orders.column("order_date"), orders.column("total"))
    else {
        return Vec::new();
    };
    let (Ok(customer), Ok(ids), Ok(dates), Ok(totals)) =
        (customer.u32(), ids.str(), dates.cast(&DataType::Int32), totals.f64())
    else {
        return Vec::new();
    };
    let Ok(dates) = dates.i32().cloned() else { return Vec::new() };
    let target = u32::try_from(row).unwrap_or(u32::MAX);
    customer
        .iter()
        .enumerate()
        .filter(|(_, c)| *c == Some(target))
        .map(|(i, _)| CustomerOrder {
            id: ids.get(i).unwrap_or("").to_owned(),
            date: dates.get(i).and_then(super::import::columns::days_to_date),
            total: totals.get(i).unwrap_or(0.0),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_contains() {
        assert!(contains_folded("Ayşe YILMAZ", &fold_case("yılmaz")));
        assert!(contains_folded("VIP müşteri", "vip"));
        assert!(contains_folded("İZMİR", "izmir"));
        assert!(contains_folded("ali@Example.com", "example"));
        assert!(!contains_folded("Ankara", "izmir"));
    }
}
