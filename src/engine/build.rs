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

    // 1. Customers from the customers file, duplicates merged.
    let mut keys: Vec<Option<Cow<'_, str>>> = Vec::new();
    let mut key_index: HashMap<Cow<'_, str>, usize> = HashMap::new();
    let mut base_rows: Vec<Vec<IdxSize>> = Vec::new(); // per customer: rows of the customers file
    if let Some(c) = &customers {
        let own_key = join.or(if c.has("customer_id") {
            Some(JoinKey::CustomerId)
        } else if c.has("email") {
            Some(JoinKey::Email)
        } else {
            None
        });
        let mut source_keys = own_key.map(|k| key_values(c, k)).transpose()?;
        key_index.reserve(c.df.height());
        keys.reserve(c.df.height());
        base_rows.reserve(c.df.height());
        for row in 0..c.df.height() {
            let key = source_keys.as_mut().and_then(|k| k[row].take());
            let row_idx = IdxSize::try_from(row).unwrap_or(IdxSize::MAX);
            if let Some(k) = &key {
                if let Some(&existing) = key_index.get(k) {
                    base_rows[existing].push(row_idx);
                    report.duplicate_customers_merged += 1;
                    continue;
                }
                key_index.insert(k.clone(), keys.len());
            }
            keys.push(key);
            base_rows.push(vec![row_idx]);
        }
        if report.duplicate_customers_merged > 0 {
            report.notes.push(Message::new("msg.duplicates_merged", [report.duplicate_customers_merged]));
        }
        if orders.is_some() {
            let unkeyed = keys.iter().filter(|k| k.is_none()).count();
            if unkeyed > 0 {
                let id = if join == Some(JoinKey::Email) { "msg.unkeyed_email" } else { "msg.unkeyed_id" };
                report.notes.push(Message::new(id, [unkeyed]));
            }
        }
    }
    let from_file = keys.len();

    // 2. Orders folded per order, then per customer (adding customers only orders know).
    let mut per_customer: Vec<CustomerOrders> = vec![CustomerOrders::default(); keys.len()];
    let mut order_rows: Vec<OrderRow> = Vec::new();
    let mut first_order_row: Vec<Option<IdxSize>> = vec![None; keys.len()];
    let mut orders_skipped = 0usize;
    if let (Some(o), Some(join)) = (&orders, join) {
        let (folded, skipped) = fold_orders(o, join, &mut report)?;
        orders_skipped = skipped;
        for order in folded {
            let idx = match key_index.get(&order.customer) {
                Some(&i) => i,
                None => {
                    key_index.insert(order.customer.clone(), keys.len());
                    keys.push(Some(order.customer));
                    per_customer.push(CustomerOrders::default());
                    first_order_row.push(None);
                    keys.len() - 1
                }
            };
            if first_order_row[idx].is_none() {
                first_order_row[idx] = Some(order.first_row);
            }
            per_customer[idx].add(order.cancelled, order.net, order.date, order.channel);
            if !order.cancelled && order.net > 0.0 {
                order_rows.push(OrderRow { customer: idx, order_id: order.order_id, date: order.date, net: order.net });
            }
        }
        report.orders_counted = order_rows.len();
        let added = keys.len() - from_file;
        if customers.is_some() && added > 0 {
            report.notes.push(Message::new("msg.added_from_orders", [added]));
        }
    }
    let n = keys.len();
    report.customers = n;

    // 3. Columns.
    let mut columns: Vec<Column> = Vec::new();
    let mut fields: Vec<FieldInfo> = Vec::new();
    let has_orders = orders.is_some();
    let first_base: Vec<Option<IdxSize>> = (0..n).map(|i| base_rows.get(i).and_then(|r| r.first().copied())).collect();

    let customers_col = |name: &str| -> Option<Series> {
        let c = customers.as_ref()?;
        if !c.has(name) {
            return None;
        }
        let s = c.df.column(name).ok()?.as_materialized_series().clone();
        merged_take(&s, &base_rows, n).ok()
    };
    let orders_col = |name: &str| -> Option<Series> {
        let o = orders.as_ref()?;
        if !o.has(name) {
            return None;
        }
        let s = o.df.column(name).ok()?.as_materialized_series().clone();
        let idx: IdxCa = first_order_row.iter().copied().collect();
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
                        kept_file_values =
                            per_customer.iter().zip(&first_base).filter(|(p, b)| p.orders == 0 && b.is_some()).count();
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
        let s: StringChunked = keys.iter().map(|k| k.as_deref()).collect();
        columns.insert(0, s.with_name("customer_id".into()).into_column());
        fields.insert(0, FieldInfo { name: "customer_id".into(), ty: FieldType::Text, origin: FieldOrigin::Canonical });
    }
    let mut df = DataFrame::new(n, columns)?;
    add_derived(&mut df, &mut fields, as_of)?;

    // Custom fields of the customers file.
    if let Some(c) = &customers {
        for info in c.custom_columns() {
            let s = c.df.column(&info.name)?.as_materialized_series().clone();
            df.with_column(merged_take(&s, &base_rows, n)?.into_column())?;
            fields.push(FieldInfo { name: info.name.clone(), ty: info.ty, origin: FieldOrigin::Custom });
        }
    }

    let orders_df = has_orders.then(|| orders_frame(&order_rows)).transpose()?;
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

/// Takes, for each customer, its first row's value, or the first non-empty value
/// among its duplicate rows. Rows past the customers file's (customers only orders
/// know) are empty.
fn merged_take(series: &Series, base_rows: &[Vec<IdxSize>], n: usize) -> PolarsResult<Series> {
    let nulls = series.is_null();
    let idx: IdxCa = (0..n)
        .map(|i| {
            let rows = base_rows.get(i)?;
            if rows.len() > 1 {
                rows.iter().copied().find(|&r| !nulls.get(r as usize).unwrap_or(true)).or(rows.first().copied())
            } else {
                rows.first().copied()
            }
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
    customer: Cow<'a, str>,
    order_id: Option<&'a str>,
    first_row: IdxSize,
    date: Option<NaiveDate>,
    net: f64,
    cancelled: bool,
    channel: Option<&'a str>,
}

/// Running per-order totals while reading lines (rows, not copies of the text).
#[derive(Default)]
struct OrderAcc {
    /// Row of the first line that names the customer.
    customer_row: Option<u32>,
    first_row: u32,
    seen: bool,
    date: Option<NaiveDate>,
    total_first: Option<f64>,
    totals_all_equal: bool,
    total_sum: f64,
    total_count: usize,
    lines_sum: f64,
    lines_count: usize,
    refunded: f64,
    cancelled: bool,
    fully_refunded: bool,
    channel_row: Option<u32>,
}

/// Per-customer sums.
#[derive(Default, Clone)]
struct CustomerOrders<'a> {
    revenue: f64,
    orders: i64,
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
    first_channel: Option<&'a str>,
    first_channel_date: Option<NaiveDate>,
}

impl<'a> CustomerOrders<'a> {
    fn add(&mut self, cancelled: bool, net: f64, date: Option<NaiveDate>, channel: Option<&'a str>) {
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

struct OrderRow<'a> {
    customer: usize,
    order_id: Option<&'a str>,
    date: Option<NaiveDate>,
    net: f64,
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

fn date_col(o: &LoadedSource, name: &str) -> PolarsResult<Option<Vec<Option<i32>>>> {
    if !o.has(name) {
        return Ok(None);
    }
    Ok(Some(o.df.column(name)?.cast(&DataType::Int32)?.i32()?.iter().collect()))
}

/// Folds order lines into orders; returns them and the number of rows skipped.
fn fold_orders<'a>(
    o: &'a LoadedSource,
    join: JoinKey,
    report: &mut ImportReport,
) -> Result<(Vec<FoldedOrder<'a>>, usize), ImportError> {
    if !o.has("total") && !o.has("unit_price") {
        return Err(ImportError::MissingColumn(Message::new("msg.err_orders_no_amount", Vec::<String>::new())));
    }
    let mut keys = key_values(o, join)?;
    let order_ids = str_col(o, "order_id")?;
    let totals = f64_col(o, "total")?;
    let qty = f64_col(o, "quantity")?;
    let price = f64_col(o, "unit_price")?;
    let refunded = f64_col(o, "refunded")?;
    let dates = date_col(o, "order_date")?;
    let cancelled_at = date_col(o, "cancelled_at")?;
    let status = str_col(o, "status")?;
    let channel = str_col(o, "channel")?;
    // Status texts repeat: decide each distinct one once.
    let mut status_kind: HashMap<&str, (bool, bool)> = HashMap::new();

    let height = o.df.height();
    let ids: Vec<Option<&str>> = match order_ids {
        Some(c) => c.iter().map(|v| v.map(str::trim).filter(|s| !s.is_empty())).collect(),
        None => vec![None; height],
    };
    let channels: Vec<Option<&str>> = match channel {
        Some(c) => c.iter().map(|v| v.map(str::trim).filter(|s| !s.is_empty())).collect(),
        None => vec![None; height],
    };
    let statuses: Vec<Option<&str>> = match status {
        Some(c) => c.iter().collect(),
        None => vec![None; height],
    };
    let mut accs: Vec<OrderAcc> = Vec::with_capacity(height / 2 + 1);
    let mut by_id: HashMap<&str, usize> = HashMap::with_capacity(height / 2 + 1);
    let mut no_customer = 0usize;
    let mut skipped_rows = 0usize;
    let mut no_amount = 0usize;
    for row in 0..height {
        let row32 = u32::try_from(row).unwrap_or(u32::MAX);
        let slot = match ids[row] {
            Some(id) => *by_id.entry(id).or_insert_with(|| {
                accs.push(OrderAcc::default());
                accs.len() - 1
            }),
            None => {
                accs.push(OrderAcc::default());
                accs.len() - 1
            }
        };
        let acc = &mut accs[slot];
        let first_line = !acc.seen;
        if first_line {
            acc.seen = true;
            acc.first_row = row32;
            acc.totals_all_equal = true;
        }
        if acc.customer_row.is_none() && keys[row].is_some() {
            acc.customer_row = Some(row32);
        }
        if let Some(d) = dates.as_ref().and_then(|d| d[row]).and_then(days_to_date) {
            acc.date = Some(acc.date.map_or(d, |x| x.min(d)));
        }
        let total = totals.as_ref().and_then(|t| t[row]);
        if let Some(t) = total {
            if let Some(first) = acc.total_first {
                acc.totals_all_equal &= (first - t).abs() < 1e-9;
            } else {
                acc.total_first = Some(t);
            }
            acc.total_sum += t;
            acc.total_count += 1;
        }
        let unit = price.as_ref().and_then(|p| p[row]);
        if let Some(p) = unit {
            acc.lines_sum += p * qty.as_ref().and_then(|q| q[row]).unwrap_or(1.0);
            acc.lines_count += 1;
        }
        if total.is_none() && unit.is_none() && first_line {
            no_amount += 1;
        }
        if let Some(r) = refunded.as_ref().and_then(|r| r[row]) {
            acc.refunded = acc.refunded.max(r.abs());
        }
        if cancelled_at.as_ref().is_some_and(|c| c[row].is_some()) {
            acc.cancelled = true;
        }
        if let Some(s) = statuses[row] {
            let (cancelled, refunded_in_full) = *status_kind.entry(s).or_insert_with(|| {
                let s = fold(s.trim()).replace('_', " ");
                (CANCELLED.contains(&s.as_str()), REFUNDED.contains(&s.as_str()))
            });
            acc.cancelled |= cancelled;
            acc.fully_refunded |= refunded_in_full;
        }
        if acc.channel_row.is_none() && channels[row].is_some() {
            acc.channel_row = Some(row32);
        }
    }

    let mut cancelled = 0usize;
    let mut folded = Vec::with_capacity(accs.len());
    for acc in accs {
        let Some(customer) = acc.customer_row.and_then(|r| keys[r as usize].take()) else {
            no_customer += 1;
            skipped_rows += acc.total_count.max(acc.lines_count).max(1);
            continue;
        };
        let gross = if acc.total_count == 1 || (acc.total_count > 1 && acc.totals_all_equal) {
            acc.total_first.unwrap_or(0.0)
        } else if acc.total_count > 1 {
            acc.total_sum
        } else {
            acc.lines_sum
        };
        // A refunded status without an amount refunds the whole (positive) order.
        let net = if acc.fully_refunded && acc.refunded == 0.0 && gross > 0.0 { 0.0 } else { gross - acc.refunded };
        cancelled += usize::from(acc.cancelled);
        folded.push(FoldedOrder {
            customer,
            order_id: ids[acc.first_row as usize],
            first_row: acc.first_row as IdxSize,
            date: acc.date,
            net,
            cancelled: acc.cancelled,
            channel: acc.channel_row.and_then(|r| channels[r as usize]),
        });
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
    let returns = folded.iter().filter(|f| !f.cancelled && f.net < 0.0).count();
    if returns > 0 {
        report.notes.push(Message::new("msg.returns", [returns]));
    }
    Ok((folded, skipped_rows))
}

fn derived_series(id: &str, per_customer: &[CustomerOrders<'_>]) -> Series {
    match id {
        "ltv" => Series::new("ltv".into(), per_customer.iter().map(|p| p.revenue).collect::<Vec<f64>>()),
        "orders" => Series::new("orders".into(), per_customer.iter().map(|p| p.orders).collect::<Vec<i64>>()),
        "first_order_date" | "last_order_date" => {
            let first = id == "first_order_date";
            let ca: Int32Chunked =
                per_customer.iter().map(|p| if first { p.first } else { p.last }.map(date_to_days)).collect();
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

fn orders_frame(rows: &[OrderRow<'_>]) -> PolarsResult<DataFrame> {
    let customer: Vec<u32> = rows.iter().map(|r| u32::try_from(r.customer).unwrap_or(u32::MAX)).collect();
    let ids: StringChunked = rows.iter().map(|r| r.order_id).collect();
    let dates: Int32Chunked = rows.iter().map(|r| r.date.map(date_to_days)).collect();
    let totals: Vec<f64> = rows.iter().map(|r| r.net).collect();
    let df = DataFrame::new(
        rows.len(),
        vec![
            Series::new("customer".into(), customer).into_column(),
            ids.with_name("order_id".into()).into_series().into_column(),
            dates.with_name("order_date".into()).into_date().into_series().into_column(),
            Series::new("total".into(), totals).into_column(),
        ],
    )?;
    df.sort(["customer", "order_date"], SortMultipleOptions::default())
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
