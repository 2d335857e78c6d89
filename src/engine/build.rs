//! Builds the customer table — one row per customer — from the loaded sources.
//!
//! Orders are first folded into orders (a file may have one row per order line:
//! Shopify repeats the order on each line with the total on the first; retail
//! exports have quantity × unit price per line and no total), then into customers.
//! Cancelled, voided and failed orders don't count; refunds and negative lines
//! reduce revenue. Customers and orders are joined by customer id, else by email.

use std::borrow::Cow;

use foldhash::{HashMap, HashMapExt};

use chrono::{Datelike, NaiveDate};
use polars::prelude::*;
use serde::{Deserialize, Serialize};

use super::fields::{FieldType, SourceKind, customer_columns};
use super::import::columns::{date_to_days, days_to_date};
use super::import::{ImportError, LoadedSource, SourceReport};
use super::keys::{self, NO_KEY};
use super::message::Message;
use super::text::{fold, normalise_email};

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

/// Which column joins customers and orders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum JoinKey {
    CustomerId,
    Email,
}

/// Order statuses that mean the order did not happen (folded).
const CANCELLED: &[&str] = &[
    "cancelled",
    "canceled",
    "voided",
    "void",
    "failed",
    "iptal",
    "iptal edildi",
    "basarisiz",
    "reddedildi",
    "declined",
    "expired",
];
/// Statuses that mean the whole order was refunded.
const REFUNDED: &[&str] = &["refunded", "iade", "iade edildi", "returned"];

pub fn build(
    customers: Option<LoadedSource>,
    orders: Option<LoadedSource>,
    spend: Option<LoadedSource>,
    as_of: NaiveDate,
) -> Result<CustomerData, ImportError> {
    if customers.is_none() && orders.is_none() {
        return Err(ImportError::MissingColumn(Message::new("msg.err_need_file", Vec::<String>::new())));
    }
    if let Some(c) = &customers
        && c.report.columns.iter().all(|col| !col.canonical)
    {
        let headers: Vec<&str> = c.report.columns.iter().map(|col| col.header.as_str()).collect();
        return Err(ImportError::MissingColumn(Message::new("msg.err_no_known_column", [headers.join(", ")])));
    }
    let mut report = ImportReport::default();
    let join = choose_join_key(customers.as_ref(), orders.as_ref())?;

    // 1. Join keys of both files as dictionary codes (one dictionary for both).
    let own_key = customers.as_ref().and_then(|c| {
        join.or(if c.has("customer_id") {
            Some(JoinKey::CustomerId)
        } else if c.has("email") {
            Some(JoinKey::Email)
        } else {
            None
        })
    });
    let customer_keys = match (&customers, own_key) {
        (Some(c), Some(k)) => key_values(c, k)?,
        _ => Vec::new(),
    };
    let order_keys = match (&orders, join) {
        (Some(o), Some(k)) => key_values(o, k)?,
        _ => Vec::new(),
    };
    let codes = keys::encode(&[&customer_keys, &order_keys], false);
    let mut code_columns = codes.columns.into_iter();
    let (customer_codes, order_codes) =
        (code_columns.next().unwrap_or_default(), code_columns.next().unwrap_or_default());
    // Customer of each code; NO_ROW until the code is met.
    let mut customer_of_code = vec![NO_ROW; codes.distinct as usize];

    // 2. Customers from the customers file, duplicates merged.
    let mut rows = CustomerRows::default();
    if let Some(c) = &customers {
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
        if orders.is_some() && unkeyed > 0 {
            let id = if join == Some(JoinKey::Email) { "msg.unkeyed_email" } else { "msg.unkeyed_id" };
            report.notes.push(Message::new(id, [unkeyed]));
        }
    }
    let from_file = rows.first.len();

    // 3. Orders folded per order, then per customer (adding customers only orders know).
    let mut per_customer: Vec<CustomerOrders> = vec![CustomerOrders::default(); from_file];
    // Per customer: the orders-file line that first names them; their values from
    // the orders file come from it.
    let mut order_key_row: Vec<u32> = vec![NO_ROW; from_file];
    let mut counted = CountedOrders::default();
    let mut orders_skipped = 0usize;
    if let (Some(o), Some(join)) = (&orders, join) {
        orders_skipped = fold_orders(o, &order_codes, join, &mut report, |order| {
            let code = order.customer as usize;
            let idx = match customer_of_code[code] {
                NO_ROW => {
                    let idx = u32::try_from(per_customer.len()).unwrap_or(NO_ROW);
                    customer_of_code[code] = idx;
                    rows.first.push(NO_ROW);
                    per_customer.push(CustomerOrders::default());
                    order_key_row.push(NO_ROW);
                    idx
                }
                idx => idx,
            };
            let i = idx as usize;
            if order_key_row[i] == NO_ROW {
                // The line that names the customer (in a shuffled file an order's
                // first line may lack the key).
                order_key_row[i] = order.customer_row;
            }
            per_customer[i].add(order.cancelled, order.net, order.date, order.channel);
            if !order.cancelled && order.net > 0.0 {
                counted.push(idx, order.first_row, order.date, order.net);
            }
        })?;
        report.orders_counted = counted.len();
        let added = per_customer.len() - from_file;
        if customers.is_some() && added > 0 {
            report.notes.push(Message::new("msg.added_from_orders", [added]));
        }
    }
    let n = per_customer.len();
    // Customer i is row i of the customers file: its columns are taken as they are.
    let file_order = rows.duplicates.is_empty() && rows.first.iter().enumerate().all(|(i, &r)| r as usize == i);
    report.customers = n;

    // 3. Columns.
    let mut columns: Vec<Column> = Vec::new();
    let mut fields: Vec<FieldInfo> = Vec::new();
    let has_orders = orders.is_some();

    let customers_col = |name: &str| -> Option<Series> {
        let c = customers.as_ref()?;
        if !c.has(name) {
            return None;
        }
        let s = c.df.column(name).ok()?.as_materialized_series().clone();
        merged_take(&s, &rows, file_order).ok()
    };
    let orders_col = |name: &str| -> Option<Series> {
        let o = orders.as_ref()?;
        if !o.has(name) {
            return None;
        }
        let s = o.df.column(name).ok()?.as_materialized_series().clone();
        let idx: IdxCa = order_key_row.iter().map(|&r| (r != NO_ROW).then_some(r as IdxSize)).collect();
        s.take(&idx).ok()
    };

    let derived_from_orders = ["ltv", "orders", "first_order_date", "last_order_date"];
    let mut kept_file_values = 0usize;
    for (id, ty) in customer_columns() {
        let from_customers = customers_col(id);
        let series: Option<Series> = if has_orders && derived_from_orders.contains(&id) {
            // Orders win; customers without orders in the file keep the file's values.
            let derived = derived_series(id, &per_customer);
            match from_customers {
                Some(file) => {
                    if id == "ltv" {
                        kept_file_values = per_customer
                            .iter()
                            .zip(&rows.first)
                            .filter(|(p, b)| p.orders == 0 && **b != NO_ROW)
                            .count();
                    }
                    let has_orders: Vec<bool> = per_customer.iter().map(|p| p.orders > 0 || p.revenue != 0.0).collect();
                    Some(prefer_where(&has_orders, &derived, &file)?)
                }
                None => Some(derived),
            }
        } else if id == "channel" && has_orders {
            let first_channel: StringChunked =
                per_customer.iter().map(|p| p.first_channel).collect::<StringChunked>().with_name("channel".into());
            match from_customers {
                Some(file) => Some(coalesce_str(&file, &first_channel.into_series())?),
                None => (per_customer.iter().any(|p| p.first_channel.is_some())).then(|| first_channel.into_series()),
            }
        } else if matches!(id, "aov" | "days_since_last_order" | "tenure_days" | "age") {
            None // derived below, once their inputs exist
        } else {
            let from_orders = orders_col(id);
            match (from_customers, from_orders) {
                (Some(a), Some(b)) if matches!(ty, FieldType::Text | FieldType::Category) => {
                    Some(coalesce_str(&a, &b)?)
                }
                (Some(a), _) => Some(a),
                (None, Some(b)) => Some(b),
                (None, None) => None,
            }
        };
        if let Some(s) = series {
            columns.push(s.with_name(id.into()).into_column());
            fields.push(FieldInfo { name: id.to_owned(), ty, origin: FieldOrigin::Canonical });
        }
    }
    if kept_file_values > 0 {
        report.notes.push(Message::new("msg.kept_file_values", [kept_file_values]));
    }
    if !fields.iter().any(|f| f.name == "customer_id") && join == Some(JoinKey::CustomerId) {
        // Customers only orders know take their ids from the orders file.
        let s: StringChunked = (0..n)
            .map(|i| match i.checked_sub(from_file) {
                None => customer_keys.get(rows.first[i] as usize).and_then(|k| k.as_deref()),
                Some(_) => order_keys.get(order_key_row[i] as usize).and_then(|k| k.as_deref()),
            })
            .collect();
        columns.insert(0, s.with_name("customer_id".into()).into_column());
        fields.insert(0, FieldInfo { name: "customer_id".into(), ty: FieldType::Text, origin: FieldOrigin::Canonical });
    }
    let mut df = DataFrame::new(n, columns)?;
    add_derived(&mut df, &mut fields, as_of)?;

    // Custom fields of the customers file.
    if let Some(c) = &customers {
        for info in c.custom_columns() {
            let s = c.df.column(&info.name)?.as_materialized_series().clone();
            df.with_column(merged_take(&s, &rows, file_order)?.into_column())?;
            fields.push(FieldInfo { name: info.name.clone(), ty: info.ty, origin: FieldOrigin::Custom });
        }
    }

    let orders_df = match &orders {
        Some(o) => Some(orders_frame(o, &counted, n)?),
        None => None,
    };
    let spend_entries = match &spend {
        Some(s) => spend_entries(s, &mut report)?,
        None => Vec::new(),
    };
    for source in [customers, orders, spend].into_iter().flatten() {
        let mut source_report = source.report;
        if source.kind == SourceKind::Orders {
            source_report.rows_skipped += orders_skipped;
        }
        report.sources.push(source_report);
    }
    Ok(CustomerData { customers: df, fields, orders: orders_df, spend: spend_entries, as_of, report })
}

fn choose_join_key(
    customers: Option<&LoadedSource>,
    orders: Option<&LoadedSource>,
) -> Result<Option<JoinKey>, ImportError> {
    let Some(o) = orders else { return Ok(None) };
    let key = match customers {
        Some(c) if c.has("customer_id") && o.has("customer_id") => JoinKey::CustomerId,
        Some(c) if c.has("email") && o.has("email") => JoinKey::Email,
        Some(_) => {
            return Err(ImportError::MissingColumn(Message::new("msg.err_cant_link", Vec::<String>::new())));
        }
        None if o.has("customer_id") => JoinKey::CustomerId,
        None if o.has("email") => JoinKey::Email,
        None => {
            return Err(ImportError::MissingColumn(Message::new("msg.err_orders_no_key", Vec::<String>::new())));
        }
    };
    Ok(Some(key))
}

/// The join key of every row: trimmed id, or normalised email. Borrowed from the
/// column; an email is copied only when it needs lowercasing.
fn key_values(source: &LoadedSource, key: JoinKey) -> Result<Vec<Option<Cow<'_, str>>>, ImportError> {
    let name = match key {
        JoinKey::CustomerId => "customer_id",
        JoinKey::Email => "email",
    };
    let ca = source.df.column(name)?.str()?;
    Ok(ca
        .iter()
        .map(|v| {
            let v = v?.trim();
            if v.is_empty() {
                return None;
            }
            Some(match key {
                JoinKey::CustomerId => Cow::Borrowed(v),
                JoinKey::Email if v.bytes().any(|b| b.is_ascii_uppercase()) || !v.is_ascii() => {
                    Cow::Owned(normalise_email(v))
                }
                JoinKey::Email => Cow::Borrowed(v),
            })
        })
        .collect())
}

/// The rows of the customers file behind each customer.
#[derive(Default)]
struct CustomerRows {
    /// Per customer: its first row (NO_ROW: known from the orders file only).
    first: Vec<u32>,
    /// Further rows of customers listed more than once.
    duplicates: HashMap<u32, Vec<u32>>,
}

/// No row / no customer yet.
const NO_ROW: u32 = u32::MAX;

/// Takes, for each customer, its first row's value, or the first non-empty value
/// among its duplicate rows. Customers only orders know are empty. `file_order`:
/// customer i is row i, so the column is the customers' column as it is.
fn merged_take(series: &Series, rows: &CustomerRows, file_order: bool) -> PolarsResult<Series> {
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

/// `a` where `mask` is true, else `b`; both become `a`'s type (numbers and dates).
fn prefer_where(mask: &[bool], a: &Series, b: &Series) -> PolarsResult<Series> {
    let dtype = a.dtype().clone();
    let out = match dtype {
        DataType::Date | DataType::Int32 => {
            let (a, b) = (a.cast(&DataType::Int32)?, b.cast(&DataType::Int32)?);
            let ca: Int32Chunked =
                a.i32()?.iter().zip(b.i32()?.iter()).zip(mask).map(|((x, y), m)| if *m { x } else { y }).collect();
            ca.into_series()
        }
        DataType::Int64 => {
            let (a, b) = (a.cast(&DataType::Int64)?, b.cast(&DataType::Int64)?);
            let ca: Int64Chunked =
                a.i64()?.iter().zip(b.i64()?.iter()).zip(mask).map(|((x, y), m)| if *m { x } else { y }).collect();
            ca.into_series()
        }
        _ => {
            let (a, b) = (a.cast(&DataType::Float64)?, b.cast(&DataType::Float64)?);
            let ca: Float64Chunked =
                a.f64()?.iter().zip(b.f64()?.iter()).zip(mask).map(|((x, y), m)| if *m { x } else { y }).collect();
            ca.into_series()
        }
    };
    Ok(out.cast(&dtype)?.with_name(a.name().clone()))
}

/// `a` where it has a value, else `b` (text columns).
fn coalesce_str(a: &Series, b: &Series) -> PolarsResult<Series> {
    let a = a.cast(&DataType::String)?;
    let b = b.cast(&DataType::String)?;
    let ca: StringChunked = a.str()?.iter().zip(b.str()?.iter()).map(|(x, y)| x.or(y)).collect();
    Ok(ca.with_name(a.name().clone()).into_series())
}

/// One order after folding its lines; text is borrowed from the orders file.
struct FoldedOrder<'a> {
    /// Dictionary code of the customer's key.
    customer: u32,
    /// The row whose key names the customer.
    customer_row: u32,
    first_row: u32,
    /// Days since 1970-01-01.
    date: Option<i32>,
    net: f64,
    cancelled: bool,
    channel: Option<&'a str>,
}

/// Per-customer sums; dates in days since 1970-01-01.
#[derive(Default, Clone, Copy)]
struct CustomerOrders<'a> {
    revenue: f64,
    orders: i64,
    first: Option<i32>,
    last: Option<i32>,
    first_channel: Option<&'a str>,
    first_channel_date: Option<i32>,
}

impl<'a> CustomerOrders<'a> {
    fn add(&mut self, cancelled: bool, net: f64, date: Option<i32>, channel: Option<&'a str>) {
        if cancelled {
            return;
        }
        self.revenue += net;
        // A counted order: not cancelled and positive after refunds.
        if net <= 0.0 {
            return;
        }
        self.orders += 1;
        if let Some(d) = date {
            self.first = Some(self.first.map_or(d, |f| f.min(d)));
            self.last = Some(self.last.map_or(d, |l| l.max(d)));
        }
        let earlier = match (date, self.first_channel_date) {
            (Some(d), Some(f)) => d < f,
            (_, None) => true,
            (None, Some(_)) => false,
        };
        if channel.is_some() && (self.first_channel.is_none() || earlier) {
            self.first_channel = channel;
            self.first_channel_date = date;
        }
    }
}

/// The counted orders, column by column.
#[derive(Default)]
struct CountedOrders {
    customer: Vec<u32>,
    first_row: Vec<u32>,
    date: Vec<Option<i32>>,
    net: Vec<f64>,
}

impl CountedOrders {
    fn push(&mut self, customer: u32, first_row: u32, date: Option<i32>, net: f64) {
        self.customer.push(customer);
        self.first_row.push(first_row);
        self.date.push(date);
        self.net.push(net);
    }

    fn len(&self) -> usize {
        self.customer.len()
    }
}

fn str_col<'a>(o: &'a LoadedSource, name: &str) -> PolarsResult<Option<&'a StringChunked>> {
    if !o.has(name) {
        return Ok(None);
    }
    Ok(Some(o.df.column(name)?.str()?))
}

fn f64_col(o: &LoadedSource, name: &str) -> PolarsResult<Option<Vec<Option<f64>>>> {
    if !o.has(name) {
        return Ok(None);
    }
    Ok(Some(o.df.column(name)?.cast(&DataType::Float64)?.f64()?.iter().collect()))
}

/// A numeric column of the orders file, NaN where empty (8 bytes a row).
fn numbers_or_nan(o: &LoadedSource, name: &str) -> PolarsResult<Option<Vec<f64>>> {
    if !o.has(name) {
        return Ok(None);
    }
    let s = o.df.column(name)?.cast(&DataType::Float64)?;
    Ok(Some(s.f64()?.iter().map(|v| v.unwrap_or(f64::NAN)).collect()))
}

/// Stands for an empty date in [`OrderLines::dates`].
const NO_DATE: i32 = i32::MIN;

/// The columns of an orders file that folding reads, one value per line.
struct OrderLines<'a> {
    /// The customer key's dictionary code per line.
    customer: &'a [u32],
    ids: Vec<Option<&'a str>>,
    totals: Option<Vec<f64>>,
    qty: Option<Vec<f64>>,
    price: Option<Vec<f64>>,
    refunded: Option<Vec<f64>>,
    dates: Option<Vec<i32>>,
    cancelled_at: Option<Vec<bool>>,
    /// Per line: [`STATUS_CANCELLED`] and [`STATUS_REFUNDED`] bits.
    statuses: Option<Vec<u8>>,
    channels: Option<Vec<Option<&'a str>>>,
}

const STATUS_CANCELLED: u8 = 1;
const STATUS_REFUNDED: u8 = 2;

/// What each line's status says: cancelled (or voided, failed…) and refunded in
/// full. Status texts repeat, so each distinct one is decided once.
fn status_flags(statuses: &StringChunked) -> Vec<u8> {
    let mut known: HashMap<&str, u8> = HashMap::new();
    let mut last: Option<(&str, u8)> = None;
    statuses
        .iter()
        .map(|s| {
            let s = s?;
            if let Some((text, flags)) = last
                && text == s
            {
                return Some(flags);
            }
            let flags = *known.entry(s).or_insert_with(|| {
                let s = fold(s.trim()).replace('_', " ");
                u8::from(CANCELLED.contains(&s.as_str())) * STATUS_CANCELLED
                    + u8::from(REFUNDED.contains(&s.as_str())) * STATUS_REFUNDED
            });
            last = Some((s, flags));
            Some(flags)
        })
        .map(|f| f.unwrap_or(0))
        .collect()
}

/// What folding one order's lines gives.
struct OrderFold<'a> {
    order: FoldedOrder<'a>,
    has_customer: bool,
    lines: usize,
    first_line_has_amount: bool,
}

impl<'a> OrderLines<'a> {
    fn read(o: &'a LoadedSource, customer: &'a [u32]) -> PolarsResult<Self> {
        let trimmed = |c: &'a StringChunked| -> Vec<Option<&'a str>> {
            c.iter().map(|v| v.map(str::trim).filter(|s| !s.is_empty())).collect()
        };
        let dates = |name: &str| -> PolarsResult<Option<Vec<i32>>> {
            if !o.has(name) {
                return Ok(None);
            }
            let s = o.df.column(name)?.cast(&DataType::Int32)?;
            Ok(Some(s.i32()?.iter().map(|v| v.unwrap_or(NO_DATE)).collect()))
        };
        Ok(Self {
            customer,
            ids: match str_col(o, "order_id")? {
                Some(c) => trimmed(c),
                None => vec![None; o.df.height()],
            },
            totals: numbers_or_nan(o, "total")?,
            qty: numbers_or_nan(o, "quantity")?,
            price: numbers_or_nan(o, "unit_price")?,
            refunded: numbers_or_nan(o, "refunded")?,
            dates: dates("order_date")?,
            cancelled_at: dates("cancelled_at")?.map(|d| d.into_iter().map(|d| d != NO_DATE).collect()),
            statuses: str_col(o, "status")?.map(status_flags),
            channels: str_col(o, "channel")?.map(trimmed),
        })
    }

    /// Folds the lines of one order (given in file order).
    fn fold(&self, lines: impl Iterator<Item = usize>) -> OrderFold<'a> {
        let value = |col: &Option<Vec<f64>>, row: usize| col.as_ref().map(|c| c[row]).filter(|v| !v.is_nan());
        let mut first_row = None;
        let mut customer_row = None;
        let mut date: Option<i32> = None;
        let (mut total_first, mut totals_all_equal, mut total_sum, mut total_count) = (None::<f64>, true, 0.0, 0usize);
        let (mut lines_sum, mut lines_count) = (0.0, 0usize);
        let (mut refunded, mut cancelled, mut fully_refunded) = (0.0f64, false, false);
        let mut channel = None;
        let mut first_line_has_amount = false;
        for row in lines {
            if customer_row.is_none() && self.customer[row] != NO_KEY {
                customer_row = Some(row);
            }
            if let Some(d) = self.dates.as_ref().map(|d| d[row]).filter(|&d| d != NO_DATE) {
                date = Some(date.map_or(d, |x| x.min(d)));
            }
            let total = value(&self.totals, row);
            if let Some(t) = total {
                match total_first {
                    Some(first) => totals_all_equal &= (first - t).abs() < 1e-9,
                    None => total_first = Some(t),
                }
                total_sum += t;
                total_count += 1;
            }
            let unit = value(&self.price, row);
            if let Some(p) = unit {
                lines_sum += p * value(&self.qty, row).unwrap_or(1.0);
                lines_count += 1;
            }
            if first_row.is_none() {
                first_row = Some(row);
                first_line_has_amount = total.is_some() || unit.is_some();
            }
            if let Some(r) = value(&self.refunded, row) {
                refunded = refunded.max(r.abs());
            }
            if self.cancelled_at.as_ref().is_some_and(|c| c[row]) {
                cancelled = true;
            }
            if let Some(flags) = self.statuses.as_ref().map(|s| s[row]) {
                cancelled |= flags & STATUS_CANCELLED != 0;
                fully_refunded |= flags & STATUS_REFUNDED != 0;
            }
            if channel.is_none() {
                channel = self.channels.as_ref().and_then(|c| c[row]);
            }
        }
        let gross = if total_count == 1 || (total_count > 1 && totals_all_equal) {
            total_first.unwrap_or(0.0)
        } else if total_count > 1 {
            total_sum
        } else {
            lines_sum
        };
        // A refunded status without an amount refunds the whole (positive) order.
        let net = if fully_refunded && refunded == 0.0 && gross > 0.0 { 0.0 } else { gross - refunded };
        let first_row = first_row.unwrap_or(0);
        let customer_row = customer_row.unwrap_or(first_row);
        OrderFold {
            order: FoldedOrder {
                customer: self.customer[customer_row],
                customer_row: u32::try_from(customer_row).unwrap_or(NO_ROW),
                first_row: u32::try_from(first_row).unwrap_or(NO_ROW),
                date,
                net,
                cancelled,
                channel,
            },
            has_customer: self.customer[customer_row] != NO_KEY,
            lines: total_count.max(lines_count).max(1),
            first_line_has_amount,
        }
    }
}

/// Folds order lines into orders and hands each order with a customer to `emit`,
/// in order of first appearance; returns the number of rows skipped.
fn fold_orders<'a>(
    o: &'a LoadedSource,
    customer_codes: &'a [u32],
    join: JoinKey,
    report: &mut ImportReport,
    mut emit: impl FnMut(FoldedOrder<'a>),
) -> Result<usize, ImportError> {
    if !o.has("total") && !o.has("unit_price") {
        return Err(ImportError::MissingColumn(Message::new("msg.err_orders_no_amount", Vec::<String>::new())));
    }
    let height = o.df.height();
    let lines = OrderLines::read(o, customer_codes)?;
    // Lines of one order share a code; a line without an order id is an order.
    let slots = keys::encode(&[&lines.ids], true);
    let slot = slots.columns.first().map_or(&[][..], Vec::as_slice);
    let (mut no_customer, mut skipped_rows, mut no_amount, mut cancelled, mut returns) = (0, 0, 0, 0, 0);
    let mut take = |fold: OrderFold<'a>| {
        no_amount += usize::from(!fold.first_line_has_amount);
        if !fold.has_customer {
            no_customer += 1;
            skipped_rows += fold.lines;
            return;
        }
        cancelled += usize::from(fold.order.cancelled);
        returns += usize::from(!fold.order.cancelled && fold.order.net < 0.0);
        emit(fold.order);
    };
    // Exports list an order's lines together: then each run of equal codes is an
    // order. Otherwise the lines are first grouped by code (a counting sort).
    let together = slot.windows(2).all(|w| w[1] >= w[0]);
    if together {
        let mut start = 0;
        for end in 1..=height {
            if end == height || slot[end] != slot[start] {
                take(lines.fold(start..end));
                start = end;
            }
        }
    } else {
        let (order, starts) = group_by_code(slot, slots.distinct as usize);
        for w in starts.windows(2) {
            let rows = &order[w[0] as usize..w[1] as usize];
            take(lines.fold(rows.iter().map(|&r| r as usize)));
        }
    }
    if no_customer > 0 {
        let id = if join == JoinKey::Email { "msg.orders_no_email" } else { "msg.orders_no_id" };
        report.notes.push(Message::new(id, [no_customer]));
    }
    if cancelled > 0 {
        report.notes.push(Message::new("msg.cancelled", [cancelled]));
    }
    if no_amount > 0 {
        report.notes.push(Message::new("msg.no_amount", [no_amount]));
    }
    if returns > 0 {
        report.notes.push(Message::new("msg.returns", [returns]));
    }
    Ok(skipped_rows)
}

/// Rows ordered by their code (file order within a code), and where each code's
/// rows start: a counting sort.
fn group_by_code(codes: &[u32], distinct: usize) -> (Vec<u32>, Vec<u32>) {
    let mut starts = vec![0u32; distinct + 1];
    for &c in codes {
        starts[c as usize + 1] += 1;
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut next = starts.clone();
    let mut order = vec![0u32; codes.len()];
    for (row, &c) in codes.iter().enumerate() {
        let at = &mut next[c as usize];
        order[*at as usize] = u32::try_from(row).unwrap_or(NO_ROW);
        *at += 1;
    }
    (order, starts)
}

fn derived_series(id: &str, per_customer: &[CustomerOrders<'_>]) -> Series {
    match id {
        "ltv" => Series::new("ltv".into(), per_customer.iter().map(|p| p.revenue).collect::<Vec<f64>>()),
        "orders" => Series::new("orders".into(), per_customer.iter().map(|p| p.orders).collect::<Vec<i64>>()),
        "first_order_date" | "last_order_date" => {
            let first = id == "first_order_date";
            let ca: Int32Chunked = per_customer.iter().map(|p| if first { p.first } else { p.last }).collect();
            ca.with_name(id.into()).into_date().into_series()
        }
        _ => Series::new_null(id.into(), per_customer.len()),
    }
}

fn dates_of(df: &DataFrame, name: &str) -> PolarsResult<Option<Vec<Option<i32>>>> {
    match df.column(name) {
        Ok(c) => Ok(Some(c.cast(&DataType::Int32)?.i32()?.iter().collect())),
        Err(_) => Ok(None),
    }
}

/// aov, days_since_last_order, tenure_days and age, wherever their inputs exist.
fn add_derived(df: &mut DataFrame, fields: &mut Vec<FieldInfo>, as_of: NaiveDate) -> PolarsResult<()> {
    let as_of_days = date_to_days(as_of);
    let n = df.height();
    let mut push = |df: &mut DataFrame, s: Series, ty: FieldType| -> PolarsResult<()> {
        fields.push(FieldInfo { name: s.name().to_string(), ty, origin: FieldOrigin::Derived });
        df.with_column(s.into_column())?;
        Ok(())
    };
    if let (Ok(ltv), Ok(orders)) = (df.column("ltv"), df.column("orders")) {
        let ltv = ltv.cast(&DataType::Float64)?;
        let orders = orders.cast(&DataType::Float64)?;
        let aov: Float64Chunked = ltv
            .f64()?
            .iter()
            .zip(orders.f64()?.iter())
            .map(|(l, o)| match (l, o) {
                (Some(l), Some(o)) if o > 0.0 => Some(l / o),
                _ => None,
            })
            .collect();
        push(df, aov.with_name("aov".into()).into_series(), FieldType::Money)?;
    }
    if let Some(last) = dates_of(df, "last_order_date")? {
        let s: Int64Chunked = last.iter().map(|d| d.map(|d| i64::from(as_of_days - d))).collect();
        push(df, s.with_name("days_since_last_order".into()).into_series(), FieldType::Integer)?;
    }
    let signup = dates_of(df, "signup_date")?;
    let first = dates_of(df, "first_order_date")?;
    if signup.is_some() || first.is_some() {
        let s: Int64Chunked = (0..n)
            .map(|i| {
                let start = signup.as_ref().and_then(|s| s[i]).or_else(|| first.as_ref().and_then(|f| f[i]))?;
                Some(i64::from(as_of_days - start))
            })
            .collect();
        push(df, s.with_name("tenure_days".into()).into_series(), FieldType::Integer)?;
    }
    if let Some(birth) = dates_of(df, "birth_date")? {
        let s: Int64Chunked = birth.iter().map(|d| d.and_then(days_to_date).map(|b| full_years(b, as_of))).collect();
        push(df, s.with_name("age".into()).into_series(), FieldType::Integer)?;
    }
    Ok(())
}

/// Whole years from `birth` to `on`.
pub fn full_years(birth: NaiveDate, on: NaiveDate) -> i64 {
    let mut years = i64::from(on.year() - birth.year());
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    years
}

/// The counted orders, grouped by customer and oldest first within a customer.
fn orders_frame(o: &LoadedSource, counted: &CountedOrders, customers: usize) -> PolarsResult<DataFrame> {
    let (mut order, starts) = group_by_code(&counted.customer, customers);
    for w in starts.windows(2) {
        order[w[0] as usize..w[1] as usize].sort_by_key(|&i| counted.date[i as usize]);
    }
    let pick = |i: &u32| *i as usize;
    let customer: Vec<u32> = order.iter().map(|i| counted.customer[pick(i)]).collect();
    let rows: IdxCa = order.iter().map(|i| counted.first_row[pick(i)] as IdxSize).collect_ca("rows".into());
    let ids = match str_col(o, "order_id")? {
        Some(ids) => ids.take(&rows)?.into_series(),
        None => Series::full_null("order_id".into(), order.len(), &DataType::String),
    };
    let dates: Int32Chunked = order.iter().map(|i| counted.date[pick(i)]).collect();
    let totals: Vec<f64> = order.iter().map(|i| counted.net[pick(i)]).collect();
    DataFrame::new(
        order.len(),
        vec![
            Series::new("customer".into(), customer).into_column(),
            ids.with_name("order_id".into()).into_column(),
            dates.with_name("order_date".into()).into_date().into_series().into_column(),
            Series::new("total".into(), totals).into_column(),
        ],
    )
}

/// Spend rows: long form (channel, period, spend) or wide form (a period column and
/// one amount column per channel).
fn spend_entries(s: &LoadedSource, report: &mut ImportReport) -> Result<Vec<SpendEntry>, ImportError> {
    let periods = str_col(s, "period")?
        .ok_or_else(|| ImportError::MissingColumn(Message::new("msg.err_spend_no_period", Vec::<String>::new())))?;
    let mut entries = Vec::new();
    let mut bad_periods = 0usize;
    let mut push = |channel: &str, row: usize, amount: Option<f64>| {
        let Some(amount) = amount else { return };
        match periods.get(row).and_then(parse_period) {
            Some((start, end)) => {
                entries.push(SpendEntry { channel: channel.trim().to_owned(), start, end, amount, manual: false });
            }
            None => bad_periods += 1,
        }
    };
    if s.has("spend") {
        let channels = str_col(s, "channel")?;
        let amounts = f64_col(s, "spend")?.unwrap_or_default();
        for (row, amount) in amounts.into_iter().enumerate() {
            let channel = channels.and_then(|c| c.get(row)).unwrap_or("(all channels)");
            push(channel, row, amount);
        }
    } else {
        let wide: Vec<&super::import::ColumnInfo> = s.custom_columns().filter(|c| c.ty.is_numeric()).collect();
        if wide.is_empty() {
            return Err(ImportError::MissingColumn(Message::new("msg.err_spend_no_amount", Vec::<String>::new())));
        }
        for info in wide {
            let amounts = f64_col_any(s, &info.name)?;
            for (row, amount) in amounts.into_iter().enumerate() {
                push(&info.header, row, amount);
            }
        }
    }
    if bad_periods > 0 {
        report.notes.push(Message::new("msg.bad_periods", [bad_periods]));
    }
    Ok(entries)
}

fn f64_col_any(s: &LoadedSource, name: &str) -> PolarsResult<Vec<Option<f64>>> {
    Ok(s.df.column(name)?.cast(&DataType::Float64)?.f64()?.iter().collect())
}

/// A spend period: a month (`2026-03`, `03.2026`, `03/2026`, `Mart 2026`) spans the
/// whole month; a date is one day.
pub fn parse_period(raw: &str) -> Option<(NaiveDate, NaiveDate)> {
    let t = raw.trim();
    let month_span = |y: i32, m: u32| -> Option<(NaiveDate, NaiveDate)> {
        let start = NaiveDate::from_ymd_opt(y, m, 1)?;
        let next = if m == 12 { NaiveDate::from_ymd_opt(y + 1, 1, 1)? } else { NaiveDate::from_ymd_opt(y, m + 1, 1)? };
        Some((start, next.pred_opt()?))
    };
    let parts: Vec<&str> = t.split(['-', '.', '/', ' ']).filter(|p| !p.is_empty()).collect();
    if parts.len() == 2 {
        let (a, b) = (parts[0], parts[1]);
        if a.len() == 4 && a.bytes().all(|c| c.is_ascii_digit()) {
            return month_span(a.parse().ok()?, b.parse().ok()?);
        }
        if b.len() == 4 {
            if let Ok(m) = a.parse() {
                return month_span(b.parse().ok()?, m);
            }
            let m = month_from_name(a)?;
            return month_span(b.parse().ok()?, m);
        }
        return None;
    }
    let d = super::import::parse::parse_date(t, super::import::parse::DayMonthOrder::DayFirst)?;
    Some((d, d))
}

fn month_from_name(name: &str) -> Option<u32> {
    let key = fold(name);
    const NAMES: [[&str; 2]; 12] = [
        ["ocak", "jan"],
        ["subat", "feb"],
        ["mart", "mar"],
        ["nisan", "apr"],
        ["mayis", "may"],
        ["haziran", "jun"],
        ["temmuz", "jul"],
        ["agustos", "aug"],
        ["eylul", "sep"],
        ["ekim", "oct"],
        ["kasim", "nov"],
        ["aralik", "dec"],
    ];
    NAMES.iter().position(|pair| pair.iter().any(|p| key.starts_with(p))).and_then(|i| u32::try_from(i + 1).ok())
}

/// The customers, orders and spend sources of a workspace, each optional.
pub type SourcesByKind = (Option<LoadedSource>, Option<LoadedSource>, Option<LoadedSource>);

/// Sorts loaded sources by kind; a kind may appear once.
pub fn split_sources(sources: Vec<LoadedSource>) -> Result<SourcesByKind, ImportError> {
    let (mut c, mut o, mut s) = (None, None, None);
    for src in sources {
        let slot = match src.kind {
            SourceKind::Customers => &mut c,
            SourceKind::Orders => &mut o,
            SourceKind::Spend => &mut s,
        };
        if slot.is_some() {
            return Err(ImportError::Invalid(Message::new("msg.err_one_per_kind", [src.kind.id()])));
        }
        *slot = Some(src);
    }
    Ok((c, o, s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(parse_period("2026-02"), Some((d(2026, 2, 1), d(2026, 2, 28))));
        assert_eq!(parse_period("12.2025"), Some((d(2025, 12, 1), d(2025, 12, 31))));
        assert_eq!(parse_period("Mart 2026"), Some((d(2026, 3, 1), d(2026, 3, 31))));
        assert_eq!(parse_period("05.04.2026"), Some((d(2026, 4, 5), d(2026, 4, 5))));
        assert_eq!(parse_period("soon"), None);
        assert_eq!(full_years(d(1990, 6, 15), d(2026, 6, 14)), 35);
        assert_eq!(full_years(d(1990, 6, 15), d(2026, 6, 15)), 36);
    }
}
