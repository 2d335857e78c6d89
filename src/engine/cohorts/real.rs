//! The same customer data in lira of one month ("real lira"): every order's total
//! times index(base) ÷ index(order month), each customer's money fields (LTV, AOV,
//! predicted value) by how much their own orders grew, and spend by its month.
//! Every view that computes from [`CustomerData`] then shows real figures with no
//! change of its own. Without orders there is no date to convert by.
//!
//! [`add_real_ltv`] adds `real_ltv` to the nominal data, for segment rules.

use chrono::NaiveDate;
use polars::prelude::*;

use super::index::{IndexTable, MonthKey, PriceIndex, month_key};
use crate::engine::data::{CustomerData, FieldInfo, FieldOrigin, InPlace, SpendEntry};
use crate::engine::fields::FieldType;
use crate::engine::import::columns::days_to_date;

/// The derived field of each customer's LTV in lira of the base month.
pub const REAL_LTV: &str = "real_ltv";

/// Customer money fields converted by the customer's own orders.
const PER_CUSTOMER_MONEY: [&str; 5] = ["ltv", "aov", "predicted_clv_12m", "win_back_value", REAL_LTV];

/// Why real lira can't be shown.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RealError {
    #[error("real lira need orders with dates (a customers file alone has no dates to convert by)")]
    NoOrders,
    #[error("the price index has fewer than two months")]
    NoIndex,
    #[error("the data can't be read: {0}")]
    Data(String),
}

impl From<PolarsError> for RealError {
    fn from(e: PolarsError) -> Self {
        RealError::Data(e.to_string())
    }
}

/// A spend entry in lira of `base` (converted by the month its middle day falls in).
pub fn real_spend(entry: &SpendEntry, table: &IndexTable, base: MonthKey) -> SpendEntry {
    let middle = entry.start + (entry.end - entry.start) / 2;
    SpendEntry { amount: entry.amount * table.factor(month_key(middle), base), ..entry.clone() }
}

/// Each order's total in lira of `base`, and each customer's real ÷ nominal total
/// (1 for customers without orders or with nothing spent).
fn real_orders(
    data: &CustomerData,
    table: &IndexTable,
    base: MonthKey,
) -> Result<(Vec<Option<f64>>, Vec<f64>), RealError> {
    let orders = data.orders.as_ref().ok_or(RealError::NoOrders)?;
    let customer = InPlace::of_column::<UInt32Type>(orders.column("customer")?)?;
    let day = InPlace::days(orders.column("order_date")?)?;
    let total = InPlace::of_column::<Float64Type>(orders.column("total")?)?;
    let n = data.customers.height();
    let (mut nominal, mut real) = (vec![0.0; n], vec![0.0; n]);
    // One month conversion per distinct day.
    let mut last: Option<(i32, f64)> = None;
    let totals: Vec<Option<f64>> = (0..orders.height())
        .map(|i| {
            let t = total.get(i)?;
            let factor = match (day.get(i), last) {
                (Some(d), Some((seen, f))) if seen == d => f,
                (Some(d), _) => {
                    let f = table.factor(month_key(days_to_date(d).unwrap_or_default()), base);
                    last = Some((d, f));
                    f
                }
                (None, _) => 1.0,
            };
            if let Some(c) = customer.get(i).map(|c| c as usize).filter(|c| *c < n) {
                nominal[c] += t;
                real[c] += t * factor;
            }
            Some(t * factor)
        })
        .collect();
    let ratio = nominal.iter().zip(&real).map(|(n, r)| if n.abs() > 1e-12 { r / n } else { 1.0 }).collect();
    Ok((totals, ratio))
}

/// The index table reaching from the first order to the base month.
fn table_for(data: &CustomerData, index: &PriceIndex, base: MonthKey) -> Result<IndexTable, RealError> {
    let orders = data.orders.as_ref().ok_or(RealError::NoOrders)?;
    let days = orders.column("order_date")?.cast(&DataType::Int32)?;
    let days = days.i32()?;
    let month = |d: Option<i32>| d.and_then(days_to_date).map(month_key);
    let from = month(days.min()).unwrap_or(base).min(base);
    let to = month(days.max()).unwrap_or(base).max(base).max(month_key(data.as_of));
    index.table(from, to).ok_or(RealError::NoIndex)
}

fn scaled(column: &Column, ratio: &[f64]) -> PolarsResult<Column> {
    let values = column.cast(&DataType::Float64)?;
    let out: Float64Chunked = values.f64()?.iter().zip(ratio).map(|(v, r)| v.map(|v| v * r)).collect();
    Ok(out.with_name(column.name().clone()).into_column())
}

/// The data in lira of `base`.
pub fn in_real_lira(data: &CustomerData, index: &PriceIndex, base: MonthKey) -> Result<CustomerData, RealError> {
    let table = table_for(data, index, base)?;
    let (totals, ratio) = real_orders(data, &table, base)?;
    let mut real = data.clone();
    if let Some(orders) = real.orders.as_mut() {
        let totals: Float64Chunked = totals.into_iter().collect();
        orders.with_column(totals.with_name("total".into()).into_column())?;
    }
    for name in PER_CUSTOMER_MONEY {
        if let Ok(column) = data.customers.column(name) {
            real.customers.with_column(scaled(column, &ratio)?)?;
        }
    }
    real.spend = data.spend.iter().map(|s| real_spend(s, &table, base)).collect();
    Ok(real)
}

/// Adds `real_ltv` (LTV in lira of `base`) to the customer table.
pub fn add_real_ltv(data: &mut CustomerData, index: &PriceIndex, base: MonthKey) -> Result<(), RealError> {
    let table = table_for(data, index, base)?;
    let (_, ratio) = real_orders(data, &table, base)?;
    let Ok(ltv) = data.customers.column("ltv") else { return Ok(()) };
    let column = scaled(ltv, &ratio)?.with_name(REAL_LTV.into());
    data.customers.with_column(column)?;
    data.fields.retain(|f| f.name != REAL_LTV);
    data.fields.push(FieldInfo { name: REAL_LTV.into(), ty: FieldType::Money, origin: FieldOrigin::Derived });
    Ok(())
}

/// Removes `real_ltv` (the index was taken away).
pub fn remove_real_ltv(data: &mut CustomerData) {
    if data.customers.column(REAL_LTV).is_ok() {
        let _ = data.customers.drop_in_place(REAL_LTV);
    }
    data.fields.retain(|f| f.name != REAL_LTV);
}

/// The base month when none is chosen: the as-of date's.
pub fn default_base(as_of: NaiveDate) -> MonthKey {
    month_key(as_of)
}
