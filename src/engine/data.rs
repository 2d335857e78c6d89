//! The customer table: one row per customer, the fields that describe its
//! columns, the counted orders and spend behind it, and the import's report.
//! Every view, command and export reads customers through [`CustomerData`].

use std::borrow::Cow;

use chrono::NaiveDate;
use polars::prelude::*;
use polars_arrow::bitmap::Bitmap;
use serde::{Deserialize, Serialize};

use super::fields::FieldType;
use super::import::SourceReport;
use super::message::Message;

/// A numeric or date column read in place: its values and which rows have one (no
/// copy when the column is one chunk of its type, as imports and the cache make it;
/// a copy otherwise).
pub(crate) struct InPlace<'a, T: Clone> {
    values: Cow<'a, [T]>,
    valid: Option<Bitmap>,
}

impl<'a, T: NumericNative> InPlace<'a, T> {
    pub(crate) fn of<P: PolarsNumericType<Native = T>>(ca: &'a ChunkedArray<P>) -> Self {
        match ca.downcast_get(0) {
            Some(array) if ca.chunks().len() == 1 => {
                Self { values: Cow::Borrowed(array.values().as_slice()), valid: array.validity().cloned() }
            }
            _ => Self {
                values: Cow::Owned(ca.iter().map(Option::unwrap_or_default).collect()),
                valid: Some(ca.iter().map(|v| v.is_some()).collect()),
            },
        }
    }

    /// `column` as `P`'s numbers: in place when it holds them, else cast (a copy).
    pub(crate) fn of_column<P: PolarsNumericType<Native = T>>(column: &'a Column) -> PolarsResult<Self> {
        match column.as_materialized_series().unpack::<P>() {
            Ok(ca) => Ok(Self::of(ca)),
            Err(_) => {
                Ok(InPlace::of(column.cast(&P::get_static_dtype())?.as_materialized_series().unpack::<P>()?).owned())
            }
        }
    }

    /// The same values, owning them (a column cast for reading).
    pub(crate) fn owned(self) -> InPlace<'static, T> {
        InPlace { values: Cow::Owned(self.values.into_owned()), valid: self.valid }
    }

    /// How many rows.
    pub(crate) fn len(&self) -> usize {
        self.values.len()
    }

    /// The value of a row, `None` when empty.
    pub(crate) fn get(&self, row: usize) -> Option<T> {
        self.valid.as_ref().is_none_or(|b| b.get_bit(row)).then(|| self.values[row])
    }
}

impl<'a> InPlace<'a, i32> {
    /// A date column as days since 1970-01-01 (another column cast to them).
    pub(crate) fn days(column: &'a Column) -> PolarsResult<Self> {
        Ok(match column.date() {
            Ok(dates) => Self::of(dates.physical()),
            Err(_) => InPlace::of(column.cast(&DataType::Int32)?.i32()?).owned(),
        })
    }
}

/// How a column of the customer table came to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldOrigin {
    Canonical,
    /// Computed by Kitle (aov, days since last order …).
    Derived,
    /// A column of the customers file Kitle has no name for.
    Custom,
}

/// A column of the customer table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldInfo {
    pub name: String,
    pub ty: FieldType,
    pub origin: FieldOrigin,
}

/// Marketing spend for one channel over a span of days (a day or a month).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpendEntry {
    pub channel: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub amount: f64,
    /// Typed in the app rather than read from a spend file.
    #[serde(default)]
    pub manual: bool,
}

/// Everything the import learned, for the report.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct ImportReport {
    pub sources: Vec<SourceReport>,
    pub customers: usize,
    pub orders_counted: usize,
    pub duplicate_customers_merged: usize,
    /// Sentences about the whole import (skips, joins, fallbacks).
    pub notes: Vec<Message>,
}

/// The customer universe: the customer table, the orders behind it and spend.
#[derive(Debug, Clone)]
pub struct CustomerData {
    pub customers: DataFrame,
    pub fields: Vec<FieldInfo>,
    /// One row per counted order: `customer` (row of `customers`), `order_id`,
    /// `order_date`, `total` (net), and `channel` when orders carry one; grouped by
    /// customer, oldest first. Present when orders were imported.
    pub orders: Option<DataFrame>,
    /// One row per line of a counted order that names what was bought: `order`
    /// (row of `orders`) and those of `product`, `sku`, `category` (as
    /// [`line_text_type`]) and `quantity` the orders carry. Present when they
    /// carry any of the first three.
    pub order_lines: Option<DataFrame>,
    pub spend: Vec<SpendEntry>,
    pub as_of: NaiveDate,
    pub report: ImportReport,
}

/// The order lines' text type (kept with the field types).
pub use super::fields::line_text_type;

/// Bytes held by a table's Arrow buffers. Polars' `estimated_size` counts a text
/// column's characters but not the 16-byte view each value has beside them (short
/// texts live inside their view), so it says ~60% of what a mostly-text table holds.
pub fn table_bytes(df: &DataFrame) -> usize {
    use polars_arrow::array::{Array, Utf8ViewArray};
    df.columns()
        .iter()
        .map(|c| {
            let s = c.as_materialized_series();
            if s.dtype() != &DataType::String {
                return s.estimated_size();
            }
            s.chunks()
                .iter()
                .map(|chunk| match chunk.as_any().downcast_ref::<Utf8ViewArray>() {
                    Some(a) => {
                        let validity = a.validity().map_or(0, |v| v.len().div_ceil(8));
                        a.views().len() * 16 + a.data_buffers().iter().map(|b| b.len()).sum::<usize>() + validity
                    }
                    None => 0,
                })
                .sum()
        })
        .sum()
}

impl CustomerData {
    pub fn len(&self) -> usize {
        self.customers.height()
    }

    pub fn is_empty(&self) -> bool {
        self.customers.height() == 0
    }

    pub fn field(&self, name: &str) -> Option<&FieldInfo> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The field that names each customer: the customer id, else the e-mail.
    pub fn key_field(&self) -> Option<&'static str> {
        ["customer_id", "email"].into_iter().find(|f| self.field(f).is_some())
    }

    /// The data of one customer (row `row`): their row of the table, their orders
    /// and order lines, renumbered to row 0.
    pub fn one_customer(&self, row: usize) -> PolarsResult<CustomerData> {
        let offset = i64::try_from(row).unwrap_or(i64::MAX);
        let (orders, order_lines) = match &self.orders {
            Some(orders) => {
                let customer = orders.column("customer")?.u32()?;
                let row = u32::try_from(row).unwrap_or(u32::MAX);
                let theirs: Vec<usize> =
                    customer.iter().enumerate().filter(|(_, c)| *c == Some(row)).map(|(i, _)| i).collect();
                let (start, len) = (theirs.first().copied().unwrap_or(0), theirs.len());
                // Orders are grouped by customer: one customer's are one run of rows.
                let mut mine = orders.slice(i64::try_from(start).unwrap_or(0), len);
                mine.with_column(Column::new("customer".into(), vec![0u32; len]))?;
                let lines = match &self.order_lines {
                    Some(lines) => {
                        let order = lines.column("order")?.u32()?;
                        let range = u32::try_from(start).unwrap_or(u32::MAX)..u32::try_from(start + len).unwrap_or(0);
                        let keep: BooleanChunked =
                            order.iter().map(|o| o.is_some_and(|o| range.contains(&o))).collect();
                        let mut kept = lines.filter(&keep)?;
                        let renumbered: Vec<u32> =
                            kept.column("order")?.u32()?.iter().map(|o| o.unwrap_or(0) - range.start).collect();
                        kept.with_column(Column::new("order".into(), renumbered))?;
                        Some(kept)
                    }
                    None => None,
                };
                (Some(mine), lines)
            }
            None => (None, None),
        };
        Ok(CustomerData {
            customers: self.customers.slice(offset, 1),
            fields: self.fields.clone(),
            orders,
            order_lines,
            spend: Vec::new(),
            as_of: self.as_of,
            report: ImportReport::default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_bytes_count_text_views_and_long_texts() {
        let short: Vec<String> = (0..1000).map(|i| format!("c{i}")).collect();
        let long: Vec<String> = (0..1000).map(|i| format!("müşteri-{i:04}@example.com.tr")).collect();
        let numbers: Vec<f64> = (0..1000).map(f64::from).collect();
        let df = df!("id" => short, "email" => &long, "ltv" => numbers).unwrap();
        let long_bytes: usize = long.iter().map(String::len).sum();
        // Views for both text columns, the long texts' characters, 8 bytes a number.
        assert_eq!(table_bytes(&df), 2 * 16_000 + long_bytes + 8_000);
        assert!(df.estimated_size() < table_bytes(&df));
    }
}
