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

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::NaiveDate;
use polars::prelude::*;

use super::data::{CustomerData, FieldInfo, FieldOrigin, ImportReport};
use super::fields::{FieldType, SourceKind, customer_columns};
use super::import::{ImportError, LoadedSource};
use super::keys;
use super::message::Message;
use join::{GUEST, GUEST_ID, key_values, order_key_values};
use orders::{CountedOrders, CustomerOrders, fold_orders, orders_frame};
pub(crate) use rows::NO_ROW;
use rows::{CustomerRows, customer_rows, duplicate_disagreements, merged_take};

/// Which column joins customers and orders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum JoinKey {
    CustomerId,
    Email,
}

/// The join key of each file's rows as dictionary codes (one dictionary for both).
struct Keys<'a> {
    customer_keys: Vec<Option<Cow<'a, str>>>,
    order_keys: Vec<Option<Cow<'a, str>>>,
    customer_codes: Vec<u32>,
    order_codes: Vec<u32>,
    distinct: usize,
}

/// What folding the orders into customers gave.
struct Folded<'a> {
    per_customer: Vec<CustomerOrders<'a>>,
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
    orders: Option<&'a LoadedSource>,
    rows: &'a CustomerRows,
    /// Customer i is row i of the customers file: its columns are taken as they are.
    file_order: bool,
    order_key_row: &'a [u32],
}

pub fn build(
    customers: Option<LoadedSource>,
    orders: Option<LoadedSource>,
    spend: Option<LoadedSource>,
    as_of: NaiveDate,
) -> Result<CustomerData, ImportError> {
    check_inputs(customers.as_ref(), orders.as_ref())?;
    let mut report = ImportReport::default();
    let orders = orders.map(|o| key_by_name_and_city(o, customers.is_some())).transpose()?;
    let join = choose_join_key(customers.as_ref(), orders.as_ref())?;
    let mut keys = encode_keys(customers.as_ref(), orders.as_ref(), join, &mut report)?;
    // The keys' text only names customers when no file has a customer id column (see
    // `ids_from_both`); at 5M order lines it is 120 MB.
    if [&customers, &orders].into_iter().flatten().any(|s| s.has("customer_id")) {
        keys.customer_keys = Vec::new();
        keys.order_keys = Vec::new();
    }
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
    let folded = match (&orders, join) {
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
    let n = folded.per_customer.len().max(from_file);
    report.customers = n;
    let file_order = rows.duplicates.is_empty() && rows.first.iter().enumerate().all(|(i, &r)| r as usize == i);
    let sources = ColumnSources {
        customers: customers.as_ref(),
        orders: orders.as_ref(),
        rows: &rows,
        file_order,
        order_key_row: &folded.order_key_row,
    };
    let (mut df, fields, orders_df, order_lines) =
        customer_and_order_tables(&sources, &folded, &keys, join, (from_file, n), as_of, &mut report)?;
    let spend_entries = match &spend {
        Some(s) => spend::spend_entries(s, &mut report)?,
        None => Vec::new(),
    };
    // What the folded orders borrow from the orders file ends here.
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
    with_predictions(CustomerData {
        customers: df,
        fields,
        orders: orders_df,
        order_lines,
        spend: spend_entries,
        as_of,
        report,
    })
}

/// The customer table and the orders' own tables (orders, lines), built side by side.
#[allow(clippy::type_complexity)]
fn customer_and_order_tables(
    sources: &ColumnSources<'_>,
    folded: &Folded<'_>,
    keys: &Keys<'_>,
    join: Option<JoinKey>,
    (from_file, n): (usize, usize),
    as_of: NaiveDate,
    report: &mut ImportReport,
) -> Result<(DataFrame, Vec<FieldInfo>, Option<DataFrame>, Option<DataFrame>), ImportError> {
    let (table, order_tables) = rayon::join(
        || -> Result<(DataFrame, Vec<FieldInfo>), ImportError> {
            let (mut columns, mut fields) = canonical_columns(sources, &folded.per_customer, report)?;
            if !fields.iter().any(|f| f.name == "customer_id") && join == Some(JoinKey::CustomerId) {
                columns.insert(0, ids_from_both(keys, sources, from_file, n).into_column());
                let id = FieldInfo { name: "customer_id".into(), ty: FieldType::Text, origin: FieldOrigin::Canonical };
                fields.insert(0, id);
            }
            let mut df = DataFrame::new(n, columns)?;
            add_computed_columns(&mut df, &mut fields, as_of, report)?;
            add_custom_columns(sources, &mut df, &mut fields)?;
            Ok((df, fields))
        },
        || sources.orders.map(|o| orders_frame(o, &folded.counted, &folded.order_slots, n)).transpose(),
    );
    let ((mut df, mut fields), order_tables) = (table?, order_tables?);
    Ok(match order_tables {
        Some((frame, lines)) => {
            derived::add_last_order_channel(&mut df, &mut fields, &frame)?;
            (df, fields, Some(frame), lines)
        }
        None => (df, fields, None, None),
    })
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

/// Adds the predicted-value fields, or the report's note on why there are none.
fn with_predictions(mut data: CustomerData) -> Result<CustomerData, ImportError> {
    if let Some(note) = crate::engine::explore::predict::add_prediction_fields(&mut data)? {
        data.report.notes.push(note);
    }
    Ok(data)
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
fn encode_keys<'a>(
    customers: Option<&'a LoadedSource>,
    orders: Option<&'a LoadedSource>,
    join: Option<JoinKey>,
    report: &mut ImportReport,
) -> Result<Keys<'a>, ImportError> {
    let own_key = customers.and_then(|c| {
        join.or(if c.has("customer_id") {
            Some(JoinKey::CustomerId)
        } else if c.has("email") {
            Some(JoinKey::Email)
        } else {
            None
        })
    });
    // Both files' keys side by side.
    let mut order_report = ImportReport::default();
    let (customer_keys, order_keys) = rayon::join(
        || match (customers, own_key) {
            (Some(c), Some(k)) => key_values(c, k),
            _ => Ok(Vec::new()),
        },
        || match (orders, join) {
            (Some(o), Some(k)) => order_key_values(o, k, customers, &mut order_report),
            _ => Ok(Vec::new()),
        },
    );
    let (customer_keys, order_keys) = (customer_keys?, order_keys?);
    report.notes.append(&mut order_report.notes);
    let codes = keys::encode(&[&customer_keys, &order_keys], false);
    let mut code_columns = codes.columns.into_iter();
    let (customer_codes, order_codes) =
        (code_columns.next().unwrap_or_default(), code_columns.next().unwrap_or_default());
    Ok(Keys { customer_keys, order_keys, customer_codes, order_codes, distinct: codes.distinct as usize })
}

/// Step 3: orders folded per order, then per customer (adding customers only
/// orders know).
fn fold_into_customers<'a>(
    o: &'a LoadedSource,
    order_codes: &'a [u32],
    join: JoinKey,
    rows: &mut CustomerRows,
    customer_of_code: &mut [u32],
    report: &mut ImportReport,
) -> Result<Folded<'a>, ImportError> {
    let from_file = rows.first.len();
    let mut per_customer: Vec<CustomerOrders> = vec![CustomerOrders::default(); from_file];
    let mut order_key_row: Vec<u32> = vec![NO_ROW; from_file];
    let mut counted = CountedOrders::default();
    let (rows_skipped, order_slots) = fold_orders(o, order_codes, join, report, |order| {
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
        per_customer[i].add(&order);
        if order.counts() {
            counted.push(idx, order.first_row, order.date, order.net);
        }
    })?;
    report.orders_counted = counted.len();
    Ok(Folded { per_customer, order_key_row, counted, rows_skipped, order_slots })
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
        let o = self.orders?;
        if !o.has(name) {
            return None;
        }
        let mut s = o.df.column(name).ok()?.as_materialized_series().clone();
        if name == "customer_id" {
            // WooCommerce writes 0 for guests: no id.
            let ids: StringChunked = s.str().ok()?.iter().map(|v| v.filter(|v| v.trim() != GUEST_ID)).collect();
            s = ids.with_name(s.name().clone()).into_series();
        }
        let idx: IdxCa = self.order_key_row.iter().map(|&r| (r != NO_ROW).then_some(r as IdxSize)).collect();
        s.take(&idx).ok()
    }
}

/// Fields the orders decide when there are orders.
const DERIVED_FROM_ORDERS: [&str; 4] = ["ltv", "orders", "first_order_date", "last_order_date"];

/// Step 4: the canonical columns, each from the orders, the customers file or both.
fn canonical_columns(
    sources: &ColumnSources<'_>,
    per_customer: &[CustomerOrders<'_>],
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
            first_channels(from_customers, per_customer)?
        } else if matches!(id, "aov" | "days_since_last_order" | "tenure_days" | "age") {
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
fn first_channels(from_customers: Option<Series>, per_customer: &[CustomerOrders<'_>]) -> PolarsResult<Option<Series>> {
    let first_channel: StringChunked =
        per_customer.iter().map(|p| p.first_channel).collect::<StringChunked>().with_name("channel".into());
    Ok(match from_customers {
        Some(file) => Some(coalesce_str(&file, &first_channel.into_series())?),
        None => (per_customer.iter().any(|p| p.first_channel.is_some())).then(|| first_channel.into_series()),
    })
}

/// Customer ids when the customers file has none: customers only orders know take
/// their ids from the orders file.
fn ids_from_both(keys: &Keys<'_>, sources: &ColumnSources<'_>, from_file: usize, n: usize) -> Series {
    let s: StringChunked = (0..n)
        .map(|i| match i.checked_sub(from_file) {
            None => keys.customer_keys.get(sources.rows.first[i] as usize).and_then(|k| k.as_deref()),
            Some(_) => keys
                .order_keys
                .get(sources.order_key_row[i] as usize)
                .and_then(|k| k.as_deref())
                .filter(|k| !k.starts_with(GUEST)),
        })
        .collect();
    s.with_name("customer_id".into()).into_series()
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
