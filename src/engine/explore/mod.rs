//! Explore: audiences found in the raw data. [`rfm`] scores every customer with
//! orders on recency, frequency and money and names the usual groups; [`crosstab`]
//! sets any two fields against each other, each cell a segment rule; [`predict`]
//! fits [`bgnbd`] and [`gamma_gamma`] to the orders for predicted value;
//! [`clusters`] groups customers and turns each group into a rule; [`audiences`]
//! suggests the most valuable small rules.

pub mod audiences;
pub mod bgnbd;
pub mod clusters;
pub mod crosstab;
pub mod gamma_gamma;
mod optimise;
pub mod predict;
pub mod rfm;
mod tree;

use polars::prelude::*;

/// A column's values as numbers (`None` where empty), read straight off its array.
pub(crate) fn float_values(column: &Column) -> PolarsResult<Vec<Option<f64>>> {
    let ca = column.cast(&DataType::Float64)?;
    let ca = ca.f64()?.rechunk();
    let Some(arr) = ca.downcast_iter().next() else { return Ok(Vec::new()) };
    let values = arr.values().as_slice();
    Ok(match arr.validity() {
        None => values.iter().map(|v| Some(*v)).collect(),
        Some(valid) => values.iter().enumerate().map(|(i, v)| valid.get_bit(i).then_some(*v)).collect(),
    })
}
