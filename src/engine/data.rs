//! The customer table: one row per customer, the fields that describe its
//! columns, the counted orders and spend behind it, and the import's report.
//! Every view, command and export reads customers through [`CustomerData`].

use chrono::NaiveDate;
use polars::prelude::*;
use serde::{Deserialize, Serialize};

use super::fields::FieldType;
use super::import::SourceReport;
use super::message::Message;

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
    /// `order_date`, `total` (net). Present when orders were imported.
    pub orders: Option<DataFrame>,
    pub spend: Vec<SpendEntry>,
    pub as_of: NaiveDate,
    pub report: ImportReport,
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
}
