//! Order-history conditions: how often a customer ordered and how much they spent
//! within a window of dates, and whether they bought a product, SKU or category.
//! They read the counted orders and their lines ([`CustomerData::orders`],
//! [`CustomerData::order_lines`]), not the per-customer totals, so "ordered at
//! least twice in the last 90 days" means exactly that.
//!
//! In a rule they are conditions on reserved fields (`@order_count`, `@spent`,
//! `@product`, `@sku`, `@category`) with an optional [`Window`]; each is computed
//! into one value per customer (a count, an amount, bought or not) that the
//! segment engine compares like any column. A count or an amount is never empty
//! (no orders is 0).

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use polars::prelude::*;
use serde::{Deserialize, Serialize};

use super::evaluate::shift_back;
use super::{DateUnit, Op};
use crate::engine::data::CustomerData;
use crate::engine::fields::FieldType;
use crate::engine::import::columns::date_to_days;
use crate::engine::text::fold_case;

pub const ORDER_COUNT: &str = "@order_count";
pub const SPENT: &str = "@spent";
pub const PRODUCT: &str = "@product";
pub const SKU: &str = "@sku";
pub const CATEGORY: &str = "@category";

/// Every order-history field, in the order the builder offers them.
pub const FIELDS: [&str; 5] = [ORDER_COUNT, SPENT, PRODUCT, SKU, CATEGORY];

/// What a line names: the column of [`CustomerData::order_lines`] it reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LineAttr {
    Product,
    Sku,
    Category,
}

impl LineAttr {
    pub const ALL: [LineAttr; 3] = [LineAttr::Product, LineAttr::Sku, LineAttr::Category];

    /// The column of the order lines, and the word in the text form (`bought product "…"`).
    pub fn column(self) -> &'static str {
        match self {
            LineAttr::Product => "product",
            LineAttr::Sku => "sku",
            LineAttr::Category => "category",
        }
    }

    fn index(self) -> usize {
        match self {
            LineAttr::Product => 0,
            LineAttr::Sku => 1,
            LineAttr::Category => 2,
        }
    }
}

/// What an order-history field measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Measure {
    OrderCount,
    Spent,
    Bought(LineAttr),
}

impl Measure {
    /// The measure a rule's field names, if it is an order-history field.
    pub fn of_field(field: &str) -> Option<Measure> {
        Some(match field {
            ORDER_COUNT => Measure::OrderCount,
            SPENT => Measure::Spent,
            PRODUCT => Measure::Bought(LineAttr::Product),
            SKU => Measure::Bought(LineAttr::Sku),
            CATEGORY => Measure::Bought(LineAttr::Category),
            _ => return None,
        })
    }

    pub fn field(self) -> &'static str {
        match self {
            Measure::OrderCount => ORDER_COUNT,
            Measure::Spent => SPENT,
            Measure::Bought(LineAttr::Product) => PRODUCT,
            Measure::Bought(LineAttr::Sku) => SKU,
            Measure::Bought(LineAttr::Category) => CATEGORY,
        }
    }

    /// The type of the value it gives per customer.
    pub fn ty(self) -> FieldType {
        match self {
            Measure::OrderCount => FieldType::Integer,
            Measure::Spent => FieldType::Money,
            Measure::Bought(_) => FieldType::Text,
        }
    }

    /// The operators it takes, in the order the builder offers them.
    pub fn ops(self) -> Vec<Op> {
        match self {
            Measure::OrderCount | Measure::Spent => {
                vec![Op::Ge, Op::Gt, Op::Le, Op::Lt, Op::Eq, Op::Ne, Op::Between]
            }
            Measure::Bought(_) => vec![Op::Bought, Op::NotBought],
        }
    }

    /// Whether the data has what it reads.
    pub fn available(self, data: &CustomerData) -> bool {
        match self {
            Measure::OrderCount | Measure::Spent => data.orders.is_some(),
            Measure::Bought(attr) => data.order_lines.as_ref().is_some_and(|l| l.column(attr.column()).is_ok()),
        }
    }
}

/// The order-history fields this data can answer, in the builder's order.
pub fn available_fields(data: &CustomerData) -> Vec<&'static str> {
    FIELDS.into_iter().filter(|f| Measure::of_field(f).is_some_and(|m| m.available(data))).collect()
}

/// The dates an order-history condition looks at. Values are kept as typed (see
/// [`Condition`](super::Condition)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Window {
    /// The last N days, weeks or months up to the as-of date (both ends included).
    Last(String, DateUnit),
    /// From one date to another, both included.
    Dates(String, String),
}

/// Why a window can't be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WindowError {
    NotAWholeNumber,
    NotADate,
    /// The start is after the end, or too far back.
    Backwards,
}

impl Window {
    /// The first and last day (days since 1970-01-01) the window covers.
    pub fn days(&self, as_of: chrono::NaiveDate) -> Result<(i32, i32), WindowError> {
        match self {
            Window::Last(n, unit) => {
                let n = n.trim().parse::<u32>().map_err(|_| WindowError::NotAWholeNumber)?;
                let start = shift_back(as_of, n, *unit).ok_or(WindowError::Backwards)?;
                Ok((date_to_days(start), date_to_days(as_of)))
            }
            Window::Dates(from, to) => {
                let day = |v: &str| {
                    chrono::NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d")
                        .map(date_to_days)
                        .map_err(|_| WindowError::NotADate)
                };
                let (from, to) = (day(from)?, day(to)?);
                if from > to {
                    return Err(WindowError::Backwards);
                }
                Ok((from, to))
            }
        }
    }
}

/// One order-history value per customer, as the segment engine needs it made.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct HistorySpec {
    pub measure: Measure,
    /// First and last day; `None`: all orders (also those without a date).
    pub window: Option<(i32, i32)>,
    /// For `Bought`: the case-folded values, any of which counts.
    pub values: Vec<String>,
}

impl HistorySpec {
    /// The name of its column beside the customer table.
    pub fn column_name(&self) -> String {
        format!("\u{1}history:{:?}:{:?}:{:?}", self.measure, self.window, self.values)
    }

    /// The per-customer column: a count (Int64), an amount (Float64) or bought (Boolean).
    pub fn column(&self, data: &CustomerData, index: &OrderIndex) -> PolarsResult<Column> {
        let n = data.customers.height();
        let name = self.column_name();
        let inside = |d: i32| match self.window {
            Some((from, to)) => d != NO_DATE && d >= from && d <= to,
            None => true,
        };
        Ok(match self.measure {
            Measure::OrderCount => {
                let mut counts = vec![0i64; n];
                for (&c, &d) in index.customer.iter().zip(&index.date) {
                    if inside(d)
                        && let Some(slot) = counts.get_mut(c as usize)
                    {
                        *slot += 1;
                    }
                }
                Column::new(name.into(), counts)
            }
            Measure::Spent => {
                let mut sums = vec![0f64; n];
                for ((&c, &d), &t) in index.customer.iter().zip(&index.date).zip(&index.total) {
                    if inside(d)
                        && let Some(slot) = sums.get_mut(c as usize)
                    {
                        *slot += t;
                    }
                }
                Column::new(name.into(), sums)
            }
            Measure::Bought(attr) => {
                let mut bought = vec![false; n];
                if let Some(coded) = index.coded(data, attr)? {
                    let wanted = coded.matching(&self.values);
                    if wanted.iter().any(|w| *w) {
                        for (&code, &order) in coded.codes.iter().zip(&index.line_order) {
                            if wanted.get(code as usize).copied().unwrap_or(false) {
                                let o = order as usize;
                                if let (Some(&c), Some(&d)) = (index.customer.get(o), index.date.get(o))
                                    && inside(d)
                                    && let Some(slot) = bought.get_mut(c as usize)
                                {
                                    *slot = true;
                                }
                            }
                        }
                    }
                }
                Column::new(name.into(), bought)
            }
        })
    }
}

/// Stands for an order without a date.
const NO_DATE: i32 = i32::MIN;
/// Stands for a line without a value.
const NO_CODE: u32 = u32::MAX;

/// A line column as codes: each distinct case-folded value gets one.
pub(crate) struct CodedLines {
    codes: Vec<u32>,
    /// Case-folded value → code.
    dictionary: HashMap<String, u32>,
}

impl CodedLines {
    fn new(column: &StringChunked) -> Self {
        let mut raw: HashMap<&str, u32> = HashMap::new();
        let mut dictionary: HashMap<String, u32> = HashMap::new();
        let codes = column
            .iter()
            .map(|v| match v {
                None => NO_CODE,
                Some(v) => *raw.entry(v).or_insert_with(|| {
                    let next = u32::try_from(dictionary.len()).unwrap_or(NO_CODE);
                    *dictionary.entry(fold_case(v.trim())).or_insert(next)
                }),
            })
            .collect();
        Self { codes, dictionary }
    }

    /// Per code: whether it is one of `values` (case-folded).
    fn matching(&self, values: &[String]) -> Vec<bool> {
        let mut wanted = vec![false; self.dictionary.len()];
        for v in values {
            if let Some(&code) = self.dictionary.get(v) {
                wanted[code as usize] = true;
            }
        }
        wanted
    }
}

/// The orders and lines as plain arrays, made once per data for order-history conditions.
pub struct OrderIndex {
    customer: Vec<u32>,
    date: Vec<i32>,
    total: Vec<f64>,
    line_order: Vec<u32>,
    coded: [std::sync::OnceLock<Option<CodedLines>>; 3],
}

impl OrderIndex {
    pub fn new(data: &CustomerData) -> PolarsResult<Self> {
        let (mut customer, mut date, mut total) = (Vec::new(), Vec::new(), Vec::new());
        if let Some(orders) = &data.orders {
            customer = orders.column("customer")?.u32()?.iter().map(|c| c.unwrap_or(u32::MAX)).collect();
            date = orders
                .column("order_date")?
                .cast(&DataType::Int32)?
                .i32()?
                .iter()
                .map(|d| d.unwrap_or(NO_DATE))
                .collect();
            total = orders.column("total")?.f64()?.iter().map(|t| t.unwrap_or(0.0)).collect();
        }
        let line_order = match &data.order_lines {
            Some(lines) => lines.column("order")?.u32()?.iter().map(|o| o.unwrap_or(u32::MAX)).collect(),
            None => Vec::new(),
        };
        Ok(Self { customer, date, total, line_order, coded: Default::default() })
    }

    fn coded(&self, data: &CustomerData, attr: LineAttr) -> PolarsResult<Option<&CodedLines>> {
        let slot = &self.coded[attr.index()];
        if let Some(done) = slot.get() {
            return Ok(done.as_ref());
        }
        let made = match data.order_lines.as_ref().map(|l| l.column(attr.column())) {
            Some(Ok(column)) => Some(CodedLines::new(column.cast(&DataType::String)?.str()?)),
            _ => None,
        };
        Ok(slot.get_or_init(|| made).as_ref())
    }
}

/// The values a customer's lines name within the window, most recent order first,
/// distinct and as written (for "why": what they bought).
pub fn bought_values(data: &CustomerData, attr: LineAttr, window: Option<(i32, i32)>, customer: u32) -> Vec<String> {
    let (Some(orders), Some(lines)) = (&data.orders, &data.order_lines) else { return Vec::new() };
    let (Ok(who), Ok(dates), Ok(order), Ok(values)) = (
        orders.column("customer").and_then(|c| c.u32().cloned()),
        orders.column("order_date").and_then(|c| c.cast(&DataType::Int32)).and_then(|c| c.i32().cloned()),
        lines.column("order").and_then(|c| c.u32().cloned()),
        lines.column(attr.column()).and_then(|c| c.cast(&DataType::String)).and_then(|c| c.str().cloned()),
    ) else {
        return Vec::new();
    };
    let mut found: Vec<(i32, String)> = Vec::new();
    let mut seen = HashSet::new();
    for (o, v) in order.iter().zip(values.iter()) {
        let (Some(o), Some(v)) = (o, v) else { continue };
        if who.get(o as usize) != Some(customer) {
            continue;
        }
        let d = dates.get(o as usize).unwrap_or(NO_DATE);
        if window.is_some_and(|(from, to)| d == NO_DATE || d < from || d > to) {
            continue;
        }
        if seen.insert(fold_case(v)) {
            found.push((d, v.to_owned()));
        }
    }
    found.sort_by_key(|f| std::cmp::Reverse(f.0));
    found.into_iter().map(|(_, v)| v).collect()
}

/// Values of a line column with the number of lines naming each, most common
/// first: what the builder offers for `bought product …`.
pub fn line_value_counts(data: &CustomerData, attr: LineAttr, max: usize) -> Vec<(String, usize)> {
    let Some(Ok(column)) = data.order_lines.as_ref().map(|l| l.column(attr.column())) else { return Vec::new() };
    let Ok(column) = column.cast(&DataType::String) else { return Vec::new() };
    let Ok(values) = column.str() else { return Vec::new() };
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for v in values.iter().flatten() {
        *counts.entry(v).or_default() += 1;
    }
    let mut list: Vec<(String, usize)> = counts.into_iter().map(|(v, n)| (v.to_owned(), n)).collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    list.truncate(max);
    list
}
