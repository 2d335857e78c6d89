//! Builds the customer table — one row per customer — from the loaded sources.
//!
//! Orders are first folded into orders ([`orders`]), then into customers.
//! Customers and orders are joined by customer id, else by email; customers listed
//! twice are merged (same key: the first row's values, gaps filled from the later
//! rows). Derived fields ([`derived`]) and spend ([`spend`]) come last.

pub mod consent;
mod derived;
mod join;
mod orders;
mod rows;
mod spend;

pub use derived::full_years;
pub use spend::parse_period;

use std::collections::HashMap;

use chrono::NaiveDate;
use polars::prelude::*;

use super::data::{CustomerData, FieldInfo, FieldOrigin, ImportReport};
use super::explore::predict::{PredictedFields, predict_fields};
use super::fields::{FieldType, SourceKind, customer_columns};
use super::import::{ImportError, LoadedSource};
use super::keys;
use super::message::Message;
use join::{GUEST_ID, KeyRows, order_keys};
use orders::{CountedOrders, CustomerOrders, fold_orders, orders_frame};
pub(crate) use rows::NO_ROW;
use rows::{CustomerRows, customer_rows, duplicate_disagreements, merged_take};

/// Which column joins customers and orders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum JoinKey {
    CustomerId,
    Email,
}

impl JoinKey {
    /// The field holding the key in both files.
    fn field(self) -> &'static str {
        match self {
            JoinKey::CustomerId => "customer_id",
            JoinKey::Email => "email",
        }
    }
}

/// The join key of each file's rows as dictionary codes (one dictionary for both).
struct Keys {
    customer_codes: Vec<u32>,
    order_codes: Vec<u32>,
    distinct: usize,
}

/// What folding the orders into customers gave.
struct Folded {
    per_customer: Vec<CustomerOrders>,
    /// Per customer: the orders-file line that first names them; their values from
    /// the orders file come from it.
    order_key_row: Vec<u32>,
    counted: CountedOrders,
    rows_skipped: usize,
    /// Each orders-file line's order code (see [`fold_orders`]).
    order_slots: Vec<u32>,
}

/// Where the customer table's columns are read from.
struct ColumnSources<'a> {
    customers: Option<&'a LoadedSource>,
    /// The orders file's columns the table takes (see [`FromOrders`]).
    orders: Option<FromOrders>,
    rows: &'a CustomerRows,
    /// Customer i is row i of the customers file: its columns are taken as they are.
    file_order: bool,
}

/// What the customer table takes from the orders file, one value per customer:
/// taken right after the fold, so the file's columns can go as the orders' own
/// tables use them.
struct FromOrders {
    /// Canonical fields of the orders file, from the line naming each customer.
    columns: Vec<(&'static str, Series)>,
    /// Each customer's first order's channel.
    first_channel: Option<Series>,
}

pub fn build(
    customers: Option<LoadedSource>,
    orders: Option<LoadedSource>,
    spend: Option<LoadedSource>,
    as_of: NaiveDate,
) -> Result<CustomerData, ImportError> {
    check_inputs(customers.as_ref(), orders.as_ref())?;
    let mut report = ImportReport::default();
    let mut orders = orders.map(|o| key_by_name_and_city(o, customers.is_some())).transpose()?;
    let join = choose_join_key(customers.as_ref(), orders.as_ref())?;
    let keys = encode_keys(customers.as_ref(), orders.as_ref(), join, &mut report)?;
    // Customer of each code; NO_ROW until the code is met.
    let mut customer_of_code = vec![NO_ROW; keys.distinct];
    let mut rows = CustomerRows::default();
    if let Some(c) = &customers {
        let unkeyed;
        (rows, unkeyed) = customer_rows(c, &keys.customer_codes, &mut customer_of_code, &mut report);
        if let Some(note) = duplicate_disagreements(c, &rows) {
            report.notes.push(note);
        }
        if orders.is_some() && unkeyed > 0 {
            let id = if join == Some(JoinKey::Email) { "msg.unkeyed_email" } else { "msg.unkeyed_id" };
            report.notes.push(Message::new(id, [unkeyed]));
        }
    }
    let from_file = rows.first.len();
    let mut folded = match (&orders, join) {
        (Some(o), Some(join)) => {
            let folded =
                fold_into_customers(o, &keys.order_codes, join, &mut rows, &mut customer_of_code, &mut report)?;
            let added = folded.per_customer.len() - from_file;
            if customers.is_some() && added > 0 {
                report.notes.push(Message::new("msg.added_from_orders", [added]));
            }
            folded
        }
        // Without orders nothing is folded: no per-customer slots (56 bytes a
        // customer, half a gigabyte at 10 million).
        _ => Folded {
            per_customer: Vec::new(),
            order_key_row: Vec::new(),
            counted: CountedOrders::default(),
            rows_skipped: 0,
            order_slots: Vec::new(),
        },
    };
    drop((keys, customer_of_code));
    let n = folded.per_customer.len().max(from_file);
    report.customers = n;
    let file_order = rows.duplicates.is_empty() && rows.first.iter().enumerate().all(|(i, &r)| r as usize == i);
    let key = join.filter(|_| customers.is_some()).map(JoinKey::field);
    let from_orders = orders.as_ref().map(|o| FromOrders::take(o, &folded, key, from_file)).transpose()?;
    folded.order_key_row = Vec::new();
    orders.iter_mut().for_each(orders::keep_frame_columns);
    // Those columns were typed on the pool's threads: their pages go back now, not
    // when each thread next allocates.
    crate::allocator::collect_freed_memory();
    let sources = ColumnSources { customers: customers.as_ref(), orders: from_orders, rows: &rows, file_order };
    let Tables { customers: mut df, fields, orders: orders_df, order_lines, predicted } =
        customer_and_order_tables(&sources, orders.as_mut(), &mut folded, (n, as_of), &mut report)?;
    drop(sources);
    let spend_entries = match &spend {
        Some(s) => spend::spend_entries(s, &mut report)?,
        None => Vec::new(),
    };
    let rows_skipped = folded.rows_skipped;
    drop(folded);
    for source in [customers, orders, spend].into_iter().flatten() {
        let mut source_report = source.report;
        if source.kind == SourceKind::Orders {
            source_report.rows_skipped += rows_skipped;
        }
        report.sources.push(source_report);
    }
    store_compactly(&mut df, &fields)?;
    let mut data =
        CustomerData { customers: df, fields, orders: orders_df, order_lines, spend: spend_entries, as_of, report };
    if let Some(note) = predicted.add_to(&mut data)? {
        data.report.notes.push(note);
    }
    Ok(data)
}

/// The tables a build makes: customers (with their fields), orders and order lines,
/// and the prediction fields worked out from the orders.
struct Tables {
    customers: DataFrame,
    fields: Vec<FieldInfo>,
    orders: Option<DataFrame>,
    order_lines: Option<DataFrame>,
    predicted: PredictedFields,
}

/// The orders' own tables (orders, lines), then the customer table. The former
/// take the orders file's columns out of it as they copy them, so the customer
/// table is built with that memory already given back (built side by side, the
/// peak was 20–40 MB higher at 5M order lines, for ~0.1 s). The prediction fields
/// need only the orders: they are worked out beside the customer table (its
/// steps are mostly one core's work).
fn customer_and_order_tables(
    sources: &ColumnSources<'_>,
    orders: Option<&mut LoadedSource>,
    folded: &mut Folded,
    (n, as_of): (usize, NaiveDate),
    report: &mut ImportReport,
) -> Result<Tables, ImportError> {
    let order_tables = orders.map(|o| orders_frame(o, &folded.counted, &folded.order_slots, n)).transpose()?;
    // The counted orders and each line's order are in the orders' tables now.
    (folded.counted, folded.order_slots) = Default::default();
    crate::allocator::collect_freed_memory();
    let customer_table = || -> Result<_, ImportError> {
        let (columns, mut fields) = canonical_columns(sources, &folded.per_customer, report)?;
        let mut df = DataFrame::new(n, columns)?;
        add_computed_columns(&mut df, &mut fields, as_of, report)?;
        add_custom_columns(sources, &mut df, &mut fields)?;
        if let Some((frame, _)) = &order_tables {
            derived::add_last_order_channel(&mut df, &mut fields, frame)?;
        }
        Ok((df, fields))
    };
    let predicted = || match &order_tables {
        Some((frame, _)) => predict_fields(frame, as_of, n),
        None => Ok(PredictedFields::Nothing),
    };
    let (table, predicted) = rayon::join(customer_table, predicted);
    let ((customers, fields), predicted) = (table?, predicted?);
    let (orders, order_lines) = order_tables.map_or((None, None), |(frame, lines)| (Some(frame), lines));
    Ok(Tables { customers, fields, orders, order_lines, predicted })
}

/// The customer table in compact types: category fields (city, channel, RFM group …)
/// as categories, 4 bytes a row instead of a 16-byte view (at 10M customers, 120 MB
/// less a field), and whole numbers (order counts, days, ages, scores) as 32-bit
/// integers when every value fits. Readers that need text or floats cast; the values
/// are the same.
fn store_compactly(df: &mut DataFrame, fields: &[FieldInfo]) -> PolarsResult<()> {
    use rayon::prelude::*;
    let types: HashMap<&str, FieldType> = fields.iter().map(|f| (f.name.as_str(), f.ty)).collect();
    let narrower = |c: &Column| -> Option<DataType> {
        match (*types.get(c.name().as_str())?, c.dtype()) {
            (FieldType::Category, DataType::String) => Some(crate::engine::data::line_text_type()),
            (FieldType::Integer, DataType::Int64) => {
                let ints = c.as_materialized_series().i64().ok()?;
                let fits = |v: Option<i64>| v.is_none_or(|v| i32::try_from(v).is_ok());
                (fits(ints.min()) && fits(ints.max())).then_some(DataType::Int32)
            }
            _ => None,
        }
    };
    let plan: Vec<(usize, DataType)> =
        df.columns().iter().enumerate().filter_map(|(i, c)| Some((i, narrower(c)?))).collect();
    let cast: Vec<(usize, Column)> =
        plan.into_par_iter().map(|(i, ty)| Ok((i, df.columns()[i].cast(&ty)?))).collect::<PolarsResult<_>>()?;
    for (i, column) in cast {
        df.replace_column(i, column)?;
    }
    Ok(())
}

/// The fields Kitle computes (aov, RFM, country codes …), with notes on implausible values.
fn add_computed_columns(
    df: &mut DataFrame,
    fields: &mut Vec<FieldInfo>,
    as_of: NaiveDate,
    report: &mut ImportReport,
) -> PolarsResult<()> {
    report.notes.extend(derived::implausible_values(df, as_of)?);
    derived::add_derived(df, fields, as_of)?;
    crate::engine::explore::rfm::add_rfm_fields(df, fields)?;
    let (unknown_countries, examples) = derived::add_country_codes(df, fields)?;
    if unknown_countries > 0 {
        report.notes.push(Message::new("msg.unknown_countries", [unknown_countries.to_string(), examples.join(", ")]));
    }
    Ok(())
}

/// The customers file must know at least one field; some file must be given.
fn check_inputs(customers: Option<&LoadedSource>, orders: Option<&LoadedSource>) -> Result<(), ImportError> {
    if customers.is_none() && orders.is_none() {
        return Err(ImportError::MissingColumn(Message::new("msg.err_need_file", Vec::<String>::new())));
    }
    if let Some(c) = customers
        && c.report.columns.iter().all(|col| !col.canonical)
    {
        let headers: Vec<&str> = c.report.columns.iter().map(|col| col.header.as_str()).collect();
        return Err(ImportError::MissingColumn(Message::new("msg.err_no_known_column", [headers.join(", ")])));
    }
    Ok(())
}

/// Step 1: join keys of both files as dictionary codes (one dictionary for both).
fn encode_keys(
    customers: Option<&LoadedSource>,
    orders: Option<&LoadedSource>,
    join: Option<JoinKey>,
    report: &mut ImportReport,
) -> Result<Keys, ImportError> {
    let own_key = customers.and_then(|c| {
        join.or(if c.has("customer_id") {
            Some(JoinKey::CustomerId)
        } else if c.has("email") {
            Some(JoinKey::Email)
        } else {
            None
        })
    });
    let customer_keys = match (customers, own_key) {
        (Some(c), Some(k)) => KeyRows::of(c, k)?,
        _ => KeyRows::Empty,
    };
    let order_keys = match (orders, join) {
        (Some(o), Some(k)) => order_keys(o, k, customers, report)?,
        _ => KeyRows::Empty,
    };
    let both = [customer_keys, order_keys];
    let codes = keys::encode(&both, false);
    let mut code_columns = codes.columns.into_iter();
    let (customer_codes, order_codes) =
        (code_columns.next().unwrap_or_default(), code_columns.next().unwrap_or_default());
    Ok(Keys { customer_codes, order_codes, distinct: codes.distinct as usize })
}

/// Step 3: orders folded per order, then per customer (adding customers only
/// orders know).
fn fold_into_customers(
    o: &LoadedSource,
    order_codes: &[u32],
    join: JoinKey,
    rows: &mut CustomerRows,
    customer_of_code: &mut [u32],
    report: &mut ImportReport,
) -> Result<Folded, ImportError> {
    use rayon::prelude::*;
    let from_file = rows.first.len();
    let mut per_customer: Vec<CustomerOrders> = vec![CustomerOrders::default(); from_file];
    let mut order_key_row: Vec<u32> = vec![NO_ROW; from_file];
    // At most an order a line; capacity never used is never touched.
    let mut counted = CountedOrders::with_capacity(o.df.height());
    let (rows_skipped, order_slots) = fold_orders(o, order_codes, join, report, |wave| {
        // Each order's customer row, on every core (customers of the customers file
        // have theirs); then those met for the first time, numbered in order.
        wave.par_iter_mut()
            .filter(|f| f.has_customer)
            .for_each(|f| f.order.row = customer_of_code[f.order.customer as usize]);
        for f in wave.iter_mut().filter(|f| f.has_customer && f.order.row == NO_ROW) {
            let code = f.order.customer as usize;
            if customer_of_code[code] == NO_ROW {
                customer_of_code[code] = u32::try_from(per_customer.len()).unwrap_or(NO_ROW);
                rows.first.push(NO_ROW);
                per_customer.push(CustomerOrders::default());
                order_key_row.push(NO_ROW);
            }
            f.order.row = customer_of_code[code];
        }
        // Then the counted orders (in order) beside each customer's sums (see
        // `add_to_customers`).
        let count = || {
            for order in wave.iter().filter(|f| f.has_customer && f.order.counts()).map(|f| &f.order) {
                counted.push(order.row, order.first_row, order.date, order.net);
            }
        };
        rayon::join(count, || add_to_customers(&mut per_customer, &mut order_key_row, wave));
    })?;
    report.orders_counted = counted.len();
    Ok(Folded { per_customer, order_key_row, counted, rows_skipped, order_slots })
}

/// Adds a wave of orders to their customers' sums and notes the line naming each
/// customer first, on both cores: each takes the customers of one half of the
/// table, in the orders' order. The sums are scattered over the table (56 MB at 1M
/// customers): one core spent most of a fold waiting on memory for them.
fn add_to_customers(per_customer: &mut [CustomerOrders], order_key_row: &mut [u32], wave: &[orders::OrderFold]) {
    let half = per_customer.len() / 2;
    let (low, high) = (per_customer.split_at_mut(half), order_key_row.split_at_mut(half));
    let add = |sums: &mut [CustomerOrders], key_rows: &mut [u32], from: usize| {
        for order in wave.iter().filter(|f| f.has_customer).map(|f| &f.order) {
            let Some(i) = (order.row as usize).checked_sub(from).filter(|&i| i < sums.len()) else { continue };
            if key_rows[i] == NO_ROW {
                // The line that names the customer (in a shuffled file an order's
                // first line may lack the key).
                key_rows[i] = order.customer_row;
            }
            sums[i].add(order);
        }
    };
    rayon::join(|| add(low.0, high.0, 0), || add(low.1, high.1, half));
}

impl ColumnSources<'_> {
    /// A column of the customers file, one value per customer.
    fn customers_column(&self, name: &str) -> Option<Series> {
        let c = self.customers?;
        if !c.has(name) {
            return None;
        }
        let s = c.df.column(name).ok()?.as_materialized_series().clone();
        merged_take(&s, self.rows, self.file_order).ok()
    }

    /// A column of the orders file, from the line naming each customer.
    fn orders_column(&self, name: &str) -> Option<Series> {
        self.orders.as_ref()?.columns.iter().find(|(id, _)| *id == name).map(|(_, s)| s.clone())
    }
}

impl FromOrders {
    /// `key`: the join key's field when the customers file gives the first
    /// `from_file` customers theirs.
    fn take(o: &LoadedSource, folded: &Folded, key: Option<&str>, from_file: usize) -> PolarsResult<Self> {
        let idx: IdxCa = folded.order_key_row.iter().map(|&r| (r != NO_ROW).then_some(r as IdxSize)).collect();
        // The join key of a customer of the customers file is the file's own (the
        // orders' value would be the same): only customers added from the orders
        // take it from there. Gathered for every customer, the ids of 1M customers
        // from 5M lines took 0.1 s of waiting on memory.
        let added: IdxCa = folded
            .order_key_row
            .iter()
            .enumerate()
            .map(|(i, &r)| (i >= from_file && r != NO_ROW).then_some(r as IdxSize))
            .collect();
        let idx_of = |id: &str| if key == Some(id) { &added } else { &idx };
        let mut columns = Vec::new();
        for (id, _) in customer_columns() {
            if !o.has(id) || !taken_from_orders(id) {
                continue;
            }
            let taken = o.df.column(id)?.as_materialized_series().take(idx_of(id))?;
            let s = match (id, taken.u64()) {
                // Ids read as numbers are text in the customer table; WooCommerce
                // writes 0 for guests: no id.
                ("customer_id", Ok(ids)) => ids.set(&ids.equal(0), None)?.cast(&DataType::String)?,
                (_, Ok(ids)) => ids.cast(&DataType::String)?,
                ("customer_id", Err(_)) => {
                    let ids: StringChunked = taken.str()?.iter().map(|v| v.filter(|v| v.trim() != GUEST_ID)).collect();
                    ids.into_series()
                }
                _ => taken.clone(),
            };
            columns.push((id, s.with_name(taken.name().clone())));
        }
        let first_channel = match o.has("channel") {
            true => {
                let rows: IdxCa = folded.per_customer.iter().map(|p| p.first_channel.map(|r| r as IdxSize)).collect();
                let taken = o.df.column("channel")?.as_materialized_series().take(&rows)?;
                let trimmed: StringChunked = taken.str()?.iter().map(|v| v.map(str::trim)).collect();
                Some(trimmed.with_name("channel".into()).into_series())
            }
            false => None,
        };
        Ok(Self { columns, first_channel })
    }
}

/// Fields the orders decide when there are orders.
const DERIVED_FROM_ORDERS: [&str; 4] = ["ltv", "orders", "first_order_date", "last_order_date"];

/// Fields computed once their inputs exist (see `add_computed_columns`).
const DERIVED_LATER: [&str; 4] = ["aov", "days_since_last_order", "tenure_days", "age"];

/// Whether the customer table takes this field's values from the orders file (at
/// the line naming each customer) when it has them.
fn taken_from_orders(id: &str) -> bool {
    !DERIVED_FROM_ORDERS.contains(&id) && id != "channel" && !DERIVED_LATER.contains(&id)
}

/// Step 4: the canonical columns, each from the orders, the customers file or both.
fn canonical_columns(
    sources: &ColumnSources<'_>,
    per_customer: &[CustomerOrders],
    report: &mut ImportReport,
) -> Result<(Vec<Column>, Vec<FieldInfo>), ImportError> {
    let mut columns: Vec<Column> = Vec::new();
    let mut fields: Vec<FieldInfo> = Vec::new();
    let has_orders = sources.orders.is_some();
    for (id, ty) in customer_columns() {
        let from_customers = sources.customers_column(id);
        let series: Option<Series> = if has_orders && DERIVED_FROM_ORDERS.contains(&id) {
            // Orders win; customers without orders in the file keep the file's values.
            let derived = derived::derived_series(id, per_customer);
            match from_customers {
                Some(file) => {
                    let has_orders: Vec<bool> = per_customer.iter().map(|p| p.orders > 0 || p.revenue != 0.0).collect();
                    Some(prefer_where(&has_orders, &derived, &file)?)
                }
                None => Some(derived),
            }
        } else if id == "channel" && has_orders {
            first_channels(from_customers, sources.orders.as_ref().and_then(|o| o.first_channel.clone()))?
        } else if DERIVED_LATER.contains(&id) {
            None // derived later, once their inputs exist
        } else {
            match (from_customers, sources.orders_column(id)) {
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
    if has_orders && sources.customers.is_some_and(|c| c.has("ltv")) {
        let kept = per_customer.iter().zip(&sources.rows.first).filter(|(p, b)| p.orders == 0 && **b != NO_ROW).count();
        if kept > 0 {
            report.notes.push(Message::new("msg.kept_file_values", [kept]));
        }
    }
    Ok((columns, fields))
}

/// The channel: the customers file's, else the channel of the first order.
fn first_channels(from_customers: Option<Series>, first_channel: Option<Series>) -> PolarsResult<Option<Series>> {
    Ok(match (from_customers, first_channel) {
        (Some(file), Some(first)) => Some(coalesce_str(&file, &first)?),
        (None, Some(first)) => (first.null_count() < first.len()).then_some(first),
        (file, None) => file.map(|f| f.cast(&DataType::String)).transpose()?,
    })
}

/// Custom fields of the customers file.
fn add_custom_columns(
    sources: &ColumnSources<'_>,
    df: &mut DataFrame,
    fields: &mut Vec<FieldInfo>,
) -> PolarsResult<()> {
    let Some(c) = sources.customers else { return Ok(()) };
    // Added in one stack (their names are unique, see make_custom_names_unique): a
    // column at a time rebuilds the frame's schema each time, quadratic in a sheet of
    // thousands of columns.
    let mut added = Vec::new();
    for info in c.custom_columns() {
        let s = c.df.column(&info.name)?.as_materialized_series();
        added.push(merged_take(s, sources.rows, sources.file_order)?.into_column());
        fields.push(FieldInfo { name: info.name.clone(), ty: info.ty, origin: FieldOrigin::Custom });
    }
    df.hstack_mut(&added)?;
    Ok(())
}

/// An orders file alone, with neither a customer id nor an email (a marketplace
/// export without its e-mail column) but with the buyer's name: the name and city become
/// the customer's key, `Ayşe Yılmaz · İstanbul`, and the report says that two
/// buyers of the same name in the same city are counted as one.
fn key_by_name_and_city(mut o: LoadedSource, with_customers: bool) -> Result<LoadedSource, ImportError> {
    if with_customers || o.has("customer_id") || o.has("email") || !o.has("name") {
        return Ok(o);
    }
    let names = o.df.column("name")?.cast(&DataType::String)?;
    let cities = match o.has("city") {
        true => Some(o.df.column("city")?.cast(&DataType::String)?),
        false => None,
    };
    let city_text = cities.as_ref().map(|c| c.str()).transpose()?;
    let keys: StringChunked = names
        .str()?
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let name = name.map(str::trim).filter(|n| !n.is_empty())?;
            let city = city_text.and_then(|c| c.get(i)).map(str::trim).filter(|c| !c.is_empty());
            Some(city.map_or_else(|| name.to_owned(), |city| format!("{name} · {city}")))
        })
        .collect();
    o.df.with_column(keys.with_name("customer_id".into()).into_series().into_column())?;
    let header = if cities.is_some() { "name + city" } else { "name" };
    o.report.columns.push(crate::engine::import::ColumnInfo {
        header: header.to_owned(),
        name: "customer_id".to_owned(),
        ty: FieldType::Text,
        canonical: true,
    });
    o.report.notes.push(Message::new("msg.orders_keyed_by_name", Vec::<String>::new()));
    Ok(o)
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

/// The customers, orders, spend and consent sources of a workspace, each optional.
pub type SourcesByKind = (Option<LoadedSource>, Option<LoadedSource>, Option<LoadedSource>, Option<LoadedSource>);

/// Sorts loaded sources by kind; a kind may appear once. Consent records are
/// applied after the build ([`consent::apply_consent`]).
pub fn split_sources(sources: Vec<LoadedSource>) -> Result<SourcesByKind, ImportError> {
    let (mut c, mut o, mut s, mut consent) = (None, None, None, None);
    for src in sources {
        let slot = match src.kind {
            SourceKind::Customers => &mut c,
            SourceKind::Orders => &mut o,
            SourceKind::Spend => &mut s,
            SourceKind::Consent => &mut consent,
        };
        if slot.is_some() {
            return Err(ImportError::Invalid(Message::new("msg.err_one_per_kind", [src.kind.id()])));
        }
        *slot = Some(src);
    }
    Ok((c, o, s, consent))
}
