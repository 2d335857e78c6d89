//! The rows of the customers file behind each customer: rows repeating a customer
//! are merged (the first row's values, its gaps filled from the later rows), and the
//! fields on which they disagreed are reported.

use foldhash::HashMap;
use polars::prelude::*;

use crate::engine::data::ImportReport;
use crate::engine::import::LoadedSource;
use crate::engine::keys::NO_KEY;
use crate::engine::message::Message;

/// Step 2: customers from the customers file, duplicates merged. Returns the rows
/// and how many rows had no key.
pub(super) fn customer_rows(
    c: &LoadedSource,
    customer_codes: &[u32],
    customer_of_code: &mut [u32],
    report: &mut ImportReport,
) -> (CustomerRows, usize) {
    let mut rows = CustomerRows::default();
    let height = c.df.height();
    rows.first.reserve(height);
    let mut unkeyed = 0usize;
    for row in 0..height {
        let row32 = u32::try_from(row).unwrap_or(NO_ROW);
        let code = customer_codes.get(row).copied().unwrap_or(NO_KEY);
        if code == NO_KEY {
            unkeyed += 1;
        } else {
            let customer = &mut customer_of_code[code as usize];
            if *customer != NO_ROW {
                rows.duplicates.entry(*customer).or_default().push(row32);
                report.duplicate_customers_merged += 1;
                continue;
            }
            *customer = u32::try_from(rows.first.len()).unwrap_or(NO_ROW);
        }
        rows.first.push(row32);
    }
    if report.duplicate_customers_merged > 0 {
        report.notes.push(Message::new("msg.duplicates_merged", [report.duplicate_customers_merged]));
    }
    (rows, unkeyed)
}

/// The fields on which customers listed more than once disagree (both rows have a
/// value and they differ; text compared ignoring case and spaces around), as a
/// note: how many customers, and which fields how often. The first row's values are
/// kept; its empty cells are filled from the later rows ([`merged_take`]).
pub(super) fn duplicate_disagreements(c: &LoadedSource, rows: &CustomerRows) -> Option<Message> {
    if rows.duplicates.is_empty() {
        return None;
    }
    let same = |a: &AnyValue<'_>, b: &AnyValue<'_>| match (a.get_str(), b.get_str()) {
        (Some(x), Some(y)) => x.trim().to_lowercase() == y.trim().to_lowercase(),
        _ => a == b,
    };
    let mut fields: Vec<String> = Vec::new();
    let mut customers = foldhash::HashSet::default();
    for info in c.report.columns.iter().filter(|i| !matches!(i.name.as_str(), "customer_id" | "email")) {
        let Ok(column) = c.df.column(&info.name) else { continue };
        let mut differing = 0usize;
        for (&customer, later) in &rows.duplicates {
            let Some(&first) = rows.first.get(customer as usize) else { continue };
            let Ok(kept) = column.get(first as usize) else { continue };
            if kept.is_null() {
                continue;
            }
            let differs = later.iter().any(|&r| column.get(r as usize).is_ok_and(|v| !v.is_null() && !same(&v, &kept)));
            if differs {
                differing += 1;
                customers.insert(customer);
            }
        }
        if differing > 0 {
            fields.push(format!("{} ({differing})", info.header));
        }
    }
    (!fields.is_empty())
        .then(|| Message::new("msg.duplicates_disagree", [customers.len().to_string(), fields.join(", ")]))
}

/// The rows of the customers file behind each customer.
#[derive(Default)]
pub(super) struct CustomerRows {
    /// Per customer: its first row (NO_ROW: known from the orders file only).
    pub(super) first: Vec<u32>,
    /// Further rows of customers listed more than once.
    pub(super) duplicates: HashMap<u32, Vec<u32>>,
}

/// No row / no customer yet.
pub(crate) const NO_ROW: u32 = u32::MAX;

/// Takes, for each customer, its first row's value, or the first non-empty value
/// among its duplicate rows. Customers only orders know are empty. `file_order`:
/// customer i is row i, so the column is the customers' column as it is.
pub(super) fn merged_take(series: &Series, rows: &CustomerRows, file_order: bool) -> PolarsResult<Series> {
    if file_order {
        return Ok(series.clone());
    }
    let nulls = (!rows.duplicates.is_empty()).then(|| series.is_null());
    let is_null = |r: u32| nulls.as_ref().is_some_and(|n| n.get(r as usize).unwrap_or(true));
    let idx: IdxCa = (0..rows.first.len())
        .map(|i| {
            let first = *rows.first.get(i).filter(|&&r| r != NO_ROW)?;
            let extra = u32::try_from(i).ok().and_then(|c| rows.duplicates.get(&c));
            let row = match extra {
                Some(extra) if is_null(first) => extra.iter().copied().find(|&r| !is_null(r)).unwrap_or(first),
                _ => first,
            };
            Some(row as IdxSize)
        })
        .collect();
    series.take(&idx)
}
