//! Acquisition cohorts: customers grouped by the month (quarter, week) of their
//! first counted order, and what each cohort did in every period since: active
//! customers, retention, orders, revenue and cumulative revenue per customer
//! (cumulative LTV). Where spend data covers a cohort's period, its CAC and the
//! period its cumulative LTV (or gross-margin LTV) first pays that back.
//!
//! Cohorts can be split by channel, city, first product or category bought, or a
//! saved segment, and limited to customers who bought something in their first
//! order or any order (as Lifetimely's filters do). With a price index every amount
//! is in lira of one month ([`real`]).
//!
//! CAC of a cohort = spend in its acquisition period ÷ its customers. Split by
//! channel, each channel's own spend; split otherwise, each group carries the
//! spend of the channels its customers came from in proportion to how many came
//! from each (and the spend of channels nobody came from in proportion to size),
//! so the groups' costs add up to the cohort's.

pub mod index;
pub mod real;

use chrono::{Datelike, NaiveDate};
use foldhash::{HashMap, HashMapExt};
use polars::prelude::*;
use serde::{Deserialize, Serialize};

use self::index::{MonthKey, PriceIndex, month_label};
use super::dashboard::UNKNOWN_CHANNEL;
use super::data::{CustomerData, InPlace};
use super::import::columns::{date_to_days, days_to_date};
use super::segment::Rule;
use super::segment::Segment;
use super::segment::history::{LineAttr, Window};

/// The label of the customers of the smaller groups, folded together.
pub const OTHER_GROUP: &str = "(other)";

/// Groups shown one by one; the rest are [`OTHER_GROUP`].
pub const MAX_GROUPS: usize = 12;

/// How long a cohort's periods are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum CohortPeriod {
    #[default]
    Month,
    Quarter,
    Week,
}

impl CohortPeriod {
    pub const ALL: [CohortPeriod; 3] = [CohortPeriod::Month, CohortPeriod::Quarter, CohortPeriod::Week];

    pub fn id(self) -> &'static str {
        match self {
            CohortPeriod::Month => "month",
            CohortPeriod::Quarter => "quarter",
            CohortPeriod::Week => "week",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.id() == text)
    }

    /// The period a day (days since 1970-01-01) falls in, as a number that grows by
    /// one a period.
    pub fn key(self, day: i32) -> i32 {
        match self {
            CohortPeriod::Week => (day + 3).div_euclid(7),
            _ => {
                let date = days_to_date(day).unwrap_or_default();
                let month = index::month_key(date);
                if self == CohortPeriod::Quarter { month.div_euclid(3) } else { month }
            }
        }
    }

    /// The first and last day of a period.
    pub fn days(self, key: i32) -> (NaiveDate, NaiveDate) {
        let month_start = |m: MonthKey| NaiveDate::from_ymd_opt(m.div_euclid(12), m.rem_euclid(12) as u32 + 1, 1);
        let (first, next) = match self {
            CohortPeriod::Week => {
                let first = days_to_date(key * 7 - 3).unwrap_or_default();
                (Some(first), first.checked_add_days(chrono::Days::new(7)))
            }
            CohortPeriod::Month => (month_start(key), month_start(key + 1)),
            CohortPeriod::Quarter => (month_start(key * 3), month_start(key * 3 + 3)),
        };
        let first = first.unwrap_or_default();
        (first, next.and_then(|n| n.pred_opt()).unwrap_or(first))
    }

    /// `YYYY-MM`, `YYYY-Qn` or `YYYY-Www` (ISO week).
    pub fn label(self, key: i32) -> String {
        match self {
            CohortPeriod::Month => month_label(key),
            CohortPeriod::Quarter => format!("{:04}-Q{}", key.div_euclid(4), key.rem_euclid(4) + 1),
            CohortPeriod::Week => {
                let week = self.days(key).0.iso_week();
                format!("{:04}-W{:02}", week.year(), week.week())
            }
        }
    }
}

/// What splits each cohort into groups.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Split {
    Channel,
    City,
    FirstProduct,
    FirstCategory,
    /// Members of the saved segment of this name (the others are left out).
    Segment(String),
}

impl Split {
    /// `channel`, `city`, `first_product`, `first_category` or `segment:NAME`.
    pub fn id(&self) -> String {
        match self {
            Split::Channel => "channel".into(),
            Split::City => "city".into(),
            Split::FirstProduct => "first_product".into(),
            Split::FirstCategory => "first_category".into(),
            Split::Segment(name) => format!("segment:{name}"),
        }
    }

    pub fn parse(text: &str) -> Option<Split> {
        Some(match text {
            "channel" => Split::Channel,
            "city" => Split::City,
            "first_product" => Split::FirstProduct,
            "first_category" => Split::FirstCategory,
            _ => Split::Segment(text.strip_prefix("segment:").map(str::trim).filter(|n| !n.is_empty())?.to_owned()),
        })
    }
}

/// Keep only customers whose first order (or any order) has a line naming `text`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BoughtFilter {
    pub attr: LineAttr,
    pub text: String,
    pub any_order: bool,
}

/// Money in lira of `base`, by a price index.
#[derive(Debug, Clone, PartialEq)]
pub struct RealLira {
    pub index: PriceIndex,
    pub base: MonthKey,
}

/// What a cohort table is asked for.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CohortOptions {
    pub period: CohortPeriod,
    pub split: Option<Split>,
    pub bought: Option<BoughtFilter>,
    pub real: Option<RealLira>,
    /// Gross margin (0.4 is 40%): payback compares margin × LTV with CAC.
    pub margin: Option<f64>,
}

/// One period of a cohort.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CohortCell {
    /// Periods since the cohort's first.
    pub offset: u32,
    /// Customers of the cohort who ordered in the period.
    pub active: usize,
    /// `active` ÷ the cohort's customers.
    pub retention: f64,
    pub orders: usize,
    pub revenue: f64,
    /// Revenue from the first period to this one ÷ the cohort's customers.
    pub cumulative_ltv: f64,
    /// The period runs past the as-of date (still filling).
    pub partial: bool,
}

/// Customers acquired in one period (one group of them, when split).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cohort {
    /// `YYYY-MM`, `YYYY-Qn` or `YYYY-Www`.
    pub cohort: String,
    pub group: Option<String>,
    pub customers: usize,
    /// `None` without spend data covering the whole period (or, split by channel,
    /// for a channel with no spend at all).
    pub cac: Option<f64>,
    /// The first offset whose cumulative LTV (× margin) reaches the CAC.
    pub payback_offset: Option<u32>,
    pub cells: Vec<CohortCell>,
    #[serde(skip)]
    pub key: i32,
}

/// The cohort table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cohorts {
    pub period: CohortPeriod,
    pub by: Option<String>,
    pub real: bool,
    /// The month whose lira every amount is in (`YYYY-MM`), when real.
    pub base: Option<String>,
    pub margin: Option<f64>,
    /// Cohorts oldest first, groups by size within each.
    pub cohorts: Vec<Cohort>,
    /// Spend data exists (so a missing CAC means it doesn't cover the period).
    pub has_spend: bool,
    /// Customers with a counted order by the as-of date, in the cohorts.
    pub customers: usize,
    /// The price index's reach, when real: money beyond it is carried (shown).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<IndexUse>,
}

/// How the price index was used.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndexUse {
    pub first: String,
    pub last: String,
    /// The monthly rate carried past the last month (0.02 is 2%), when the orders
    /// or the base month go past it.
    pub carried_after: Option<f64>,
    pub carried_before: Option<f64>,
}

/// Why there are no cohorts.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CohortError {
    #[error("cohorts need orders with dates; import an orders file")]
    NoOrders,
    #[error("no customer of \"{0}\" has an order by the as-of date")]
    Empty(String),
    #[error("there is no saved segment named \"{0}\"")]
    NoSegment(String),
    #[error("the segment \"{0}\" can't be evaluated: {1}")]
    Segment(String, String),
    #[error("the price index has fewer than two months")]
    NoIndex,
    #[error("the data can't be read: {0}")]
    Data(String),
}

impl From<PolarsError> for CohortError {
    fn from(e: PolarsError) -> Self {
        CohortError::Data(e.to_string())
    }
}

/// A text or category column as codes (`None` where empty) and each code's name.
pub(crate) struct Codes<'a> {
    codes: InPlace<'a, u32>,
    names: Vec<Option<String>>,
}

impl<'a> Codes<'a> {
    pub(crate) fn of(column: &'a Column) -> PolarsResult<Codes<'a>> {
        if let DataType::Categorical(..) = column.dtype() {
            let categories = column.cat32()?;
            let mapping = categories.get_mapping();
            let codes = categories.physical();
            let len = codes.max().map_or(0, |m| m as usize + 1);
            let names = (0..len).map(|c| u32::try_from(c).ok().and_then(|c| mapping.cat_to_str(c)).map(str::to_owned));
            return Ok(Codes { codes: InPlace::of(codes), names: names.collect() });
        }
        let text = column.cast(&DataType::String)?;
        let mut ids: HashMap<&str, u32> = HashMap::new();
        let mut names = Vec::new();
        let codes: UInt32Chunked = text
            .str()?
            .iter()
            .map(|v| {
                let v = v.map(str::trim).filter(|v| !v.is_empty())?;
                Some(*ids.entry(v).or_insert_with(|| {
                    names.push(Some(v.to_owned()));
                    u32::try_from(names.len() - 1).unwrap_or(u32::MAX)
                }))
            })
            .collect();
        Ok(Codes { codes: InPlace::of(&codes).owned(), names })
    }

    pub(crate) fn get(&self, row: usize) -> Option<u32> {
        self.codes.get(row)
    }

    pub(crate) fn name(&self, code: u32) -> Option<&str> {
        self.names.get(code as usize)?.as_deref()
    }
}

/// No cohort (customer left out) or no row.
const NONE: u32 = u32::MAX;

/// A customer with no value for the split's field.
const UNKNOWN: u32 = NONE - 1;

/// Which cohort each customer is in.
struct Assignment {
    /// Per customer: index into `cohorts`, or [`NONE`].
    cohort_of: Vec<u32>,
    /// `(period key, group)` of each cohort, in output order.
    cohorts: Vec<(i32, u32)>,
    /// Each group's name (`None` unsplit).
    group_names: Vec<Option<String>>,
    as_of_key: i32,
}

/// The orders' columns, read in place.
struct OrderColumns<'a> {
    customer: InPlace<'a, u32>,
    day: InPlace<'a, i32>,
    total: InPlace<'a, f64>,
    len: usize,
}

fn order_columns(data: &CustomerData) -> Result<OrderColumns<'_>, CohortError> {
    let orders = data.orders.as_ref().ok_or(CohortError::NoOrders)?;
    Ok(OrderColumns {
        customer: InPlace::of_column::<UInt32Type>(orders.column("customer")?)?,
        day: InPlace::days(orders.column("order_date")?)?,
        total: InPlace::of_column::<Float64Type>(orders.column("total")?)?,
        len: orders.height(),
    })
}

/// Period keys of every day from `first` to `last` (one date conversion a day,
/// not one per order).
struct DayKeys {
    first: i32,
    keys: Vec<i32>,
}

impl DayKeys {
    fn new(first: i32, last: i32, key: impl Fn(i32) -> i32) -> Self {
        Self { first, keys: (first..=last.max(first)).map(key).collect() }
    }

    fn get(&self, day: i32) -> i32 {
        self.keys[(day - self.first).clamp(0, self.keys.len() as i32 - 1) as usize]
    }
}

/// What every cohort computation starts from: the orders, the days they span up
/// to the as-of date, each day's period, and each customer's cohort.
struct Setup<'a> {
    orders: OrderColumns<'a>,
    first_day: i32,
    as_of_day: i32,
    keys: DayKeys,
    assignment: Assignment,
}

impl<'a> Setup<'a> {
    fn new(data: &'a CustomerData, segments: &[Segment], options: &CohortOptions) -> Result<Self, CohortError> {
        let orders = order_columns(data)?;
        let as_of_day = date_to_days(data.as_of);
        let first_day = (0..orders.len).filter_map(|i| orders.day.get(i)).filter(|d| *d <= as_of_day).min();
        // At most 60 years back, so a stray date can't make the tables huge.
        let first_day = first_day.ok_or(CohortError::NoOrders)?.max(as_of_day - 60 * 366);
        let period = options.period;
        let keys = DayKeys::new(first_day, as_of_day, |d| period.key(d));
        let assignment = assign(data, segments, options, &orders, &keys, as_of_day)?;
        Ok(Self { orders, first_day, as_of_day, keys, assignment })
    }

    /// Each counted order up to the as-of date of a customer in a cohort: its row,
    /// customer, cohort and offset.
    fn orders(&self) -> impl Iterator<Item = (usize, u32, u32, i32)> + '_ {
        (0..self.orders.len).filter_map(|i| {
            let (customer, day) = (self.orders.customer.get(i)?, self.orders.day.get(i)?);
            let cohort = *self.assignment.cohort_of.get(customer as usize)?;
            if cohort == NONE || day > self.as_of_day || day < self.first_day {
                return None;
            }
            Some((i, customer, cohort, self.keys.get(day) - self.assignment.cohorts[cohort as usize].0))
        })
    }
}

/// Per cell (a flat array, each cohort's cells from `start[cohort]`): active
/// customers, orders and revenue.
struct CellCounts {
    start: Vec<usize>,
    size: Vec<usize>,
    active: Vec<usize>,
    orders: Vec<usize>,
    revenue: Vec<f64>,
}

fn count_cells(setup: &Setup<'_>) -> CellCounts {
    let assignment = &setup.assignment;
    let mut start = Vec::with_capacity(assignment.cohorts.len());
    let mut cells = 0usize;
    for (key, _) in &assignment.cohorts {
        start.push(cells);
        cells += (assignment.as_of_key - key + 1).max(1) as usize;
    }
    let mut size = vec![0usize; assignment.cohorts.len()];
    for &c in assignment.cohort_of.iter().filter(|c| **c != NONE) {
        size[c as usize] += 1;
    }
    let (mut active, mut orders, mut revenue) = (vec![0usize; cells], vec![0usize; cells], vec![0f64; cells]);
    let mut last_customer = vec![NONE; cells];
    for (i, customer, cohort, offset) in setup.orders() {
        let cell = start[cohort as usize] + offset.max(0) as usize;
        orders[cell] += 1;
        revenue[cell] += setup.orders.total.get(i).unwrap_or(0.0);
        // A customer's orders are one run of rows: a new customer in a cell is a new active one.
        if last_customer[cell] != customer {
            last_customer[cell] = customer;
            active[cell] += 1;
        }
    }
    CellCounts { start, size, active, orders, revenue }
}

/// The cohort table for the data as of its as-of date. `segments` are the saved
/// ones (for a segment split). In real lira, the table of the data converted by
/// [`real::in_real_lira`], the one conversion every view uses.
pub fn cohorts(data: &CustomerData, segments: &[Segment], options: &CohortOptions) -> Result<Cohorts, CohortError> {
    let Some(real) = &options.real else { return nominal(data, segments, options) };
    let converted = real::in_real_lira(data, &real.index, real.base).map_err(|e| match e {
        real::RealError::NoOrders => CohortError::NoOrders,
        real::RealError::NoIndex => CohortError::NoIndex,
        real::RealError::Data(why) => CohortError::Data(why),
    })?;
    let mut table = nominal(&converted, segments, &CohortOptions { real: None, ..options.clone() })?;
    table.real = true;
    table.base = Some(month_label(real.base));
    table.index = index_use(data, real);
    Ok(table)
}

/// How far the index reaches against the orders' months and the base month.
fn index_use(data: &CustomerData, real: &RealLira) -> Option<IndexUse> {
    let reach = real.index.reach()?;
    let days = data.orders.as_ref()?.column("order_date").ok()?.cast(&DataType::Int32).ok()?;
    let first = days.i32().ok()?.min().and_then(days_to_date).map_or(real.base, index::month_key);
    let (low, high) = (first.min(real.base), index::month_key(data.as_of).max(real.base));
    Some(IndexUse {
        first: month_label(reach.first),
        last: month_label(reach.last),
        carried_after: (high > reach.last).then_some(reach.carried_after),
        carried_before: (low < reach.first).then_some(reach.carried_before),
    })
}

/// The table in the money the data holds.
fn nominal(data: &CustomerData, segments: &[Segment], options: &CohortOptions) -> Result<Cohorts, CohortError> {
    let setup = Setup::new(data, segments, options)?;
    let counts = count_cells(&setup);
    let costs = cohort_costs(data, options, &setup.assignment, &counts.size)?;
    let margin = options.margin.filter(|m| m.is_finite() && *m > 0.0).unwrap_or(1.0);
    let out = setup
        .assignment
        .cohorts
        .iter()
        .enumerate()
        .filter(|(c, _)| counts.size[*c] > 0)
        .map(|(c, &(key, group))| {
            let mut cohort = cohort_of(&counts, c, key, setup.assignment.as_of_key, options.period, data.as_of);
            cohort.group = setup.assignment.group_names[group as usize].clone();
            let cac = costs[c].map(|cost| cost / cohort.customers as f64);
            cohort.payback_offset = cac
                .and_then(|cac| cohort.cells.iter().find(|cell| cell.cumulative_ltv * margin >= cac - 1e-9))
                .map(|cell| cell.offset);
            cohort.cac = cac.map(cents);
            for cell in &mut cohort.cells {
                cell.cumulative_ltv = cents(cell.cumulative_ltv);
            }
            cohort
        })
        .collect();
    Ok(Cohorts {
        period: options.period,
        by: options.split.as_ref().map(Split::id),
        real: false,
        base: None,
        margin: options.margin,
        customers: counts.size.iter().sum(),
        cohorts: out,
        has_spend: !data.spend.is_empty(),
        index: None,
    })
}

fn cents(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// One cohort's cells (cumulative LTV unrounded, for payback), without group or CAC.
fn cohort_of(
    counts: &CellCounts,
    c: usize,
    key: i32,
    as_of_key: i32,
    period: CohortPeriod,
    as_of: NaiveDate,
) -> Cohort {
    let n = counts.size[c];
    let periods = (as_of_key - key + 1).max(1) as usize;
    let mut cumulative = 0.0;
    let cells = (0..periods)
        .map(|offset| {
            let cell = counts.start[c] + offset;
            cumulative += counts.revenue[cell];
            CohortCell {
                offset: offset as u32,
                active: counts.active[cell],
                retention: counts.active[cell] as f64 / n as f64,
                orders: counts.orders[cell],
                revenue: cents(counts.revenue[cell]),
                cumulative_ltv: cumulative / n as f64,
                partial: offset + 1 == periods && period.days(key + offset as i32).1 > as_of,
            }
        })
        .collect();
    Cohort { cohort: period.label(key), group: None, customers: n, cac: None, payback_offset: None, cells, key }
}

/// Each customer's first counted order up to the as-of date: `(day, order row)`,
/// `(i32::MAX, NONE)` for none.
fn first_orders(n: usize, orders: &OrderColumns<'_>, as_of_day: i32) -> Vec<(i32, u32)> {
    let mut first = vec![(i32::MAX, NONE); n];
    for i in 0..orders.len {
        let (Some(c), Some(day)) = (orders.customer.get(i), orders.day.get(i)) else { continue };
        if let Some(slot) = first.get_mut(c as usize)
            && day <= as_of_day
            && day < slot.0
        {
            *slot = (day, i as u32);
        }
    }
    first
}

/// Each order line's order and the code of what it names (as `attr`), with the
/// codes' names; `None` without lines naming it.
fn line_codes<'a>(
    data: &'a CustomerData,
    attr: LineAttr,
) -> Result<Option<(InPlace<'a, u32>, Codes<'a>)>, CohortError> {
    let Some(lines) = &data.order_lines else { return Ok(None) };
    let Ok(column) = lines.column(attr.column()) else { return Ok(None) };
    Ok(Some((InPlace::of_column::<UInt32Type>(lines.column("order")?)?, Codes::of(column)?)))
}

/// Which customers bought what the filter names in their first (or any) order.
fn bought(
    data: &CustomerData,
    filter: &BoughtFilter,
    orders: &OrderColumns<'_>,
    first: &[(i32, u32)],
) -> Result<Vec<bool>, CohortError> {
    let mut bought = vec![false; first.len()];
    let Some((line_order, codes)) = line_codes(data, filter.attr)? else { return Ok(bought) };
    let fold = crate::engine::text::fold_case;
    let wanted = fold(filter.text.trim());
    let matches: Vec<bool> =
        (0..codes.names.len() as u32).map(|code| codes.name(code).is_some_and(|n| fold(n).contains(&wanted))).collect();
    for line in 0..line_order.len() {
        let (Some(order), Some(code)) = (line_order.get(line), codes.get(line)) else { continue };
        let Some(customer) = orders.customer.get(order as usize) else { continue };
        let Some((_, first_row)) = first.get(customer as usize) else { continue };
        if matches[code as usize] && (filter.any_order || *first_row == order) {
            bought[customer as usize] = true;
        }
    }
    Ok(bought)
}

/// Each customer's group as a raw code ([`UNKNOWN`] without a value, [`NONE`] left
/// out), and the codes' names.
fn raw_groups(
    data: &CustomerData,
    segments: &[Segment],
    split: Option<&Split>,
    orders: &OrderColumns<'_>,
    first: &[(i32, u32)],
) -> Result<(Vec<u32>, Vec<Option<String>>), CohortError> {
    let n = first.len();
    Ok(match split {
        None => (vec![0; n], vec![None]),
        Some(split @ (Split::Channel | Split::City)) => {
            let field = if *split == Split::Channel { "channel" } else { "city" };
            match data.customers.column(field) {
                Ok(column) => {
                    let codes = Codes::of(column)?;
                    let raw = (0..n).map(|r| codes.get(r).filter(|c| codes.name(*c).is_some()).unwrap_or(UNKNOWN));
                    (raw.collect(), codes.names)
                }
                Err(_) => (vec![UNKNOWN; n], Vec::new()),
            }
        }
        Some(split @ (Split::FirstProduct | Split::FirstCategory)) => {
            let attr = if *split == Split::FirstProduct { LineAttr::Product } else { LineAttr::Category };
            let mut raw = vec![UNKNOWN; n];
            let Some((line_order, codes)) = line_codes(data, attr)? else { return Ok((raw, Vec::new())) };
            for line in 0..line_order.len() {
                let (Some(order), Some(code)) = (line_order.get(line), codes.get(line)) else { continue };
                let Some(c) = orders.customer.get(order as usize).map(|c| c as usize) else { continue };
                // The first line of the first order names the group.
                if first.get(c).is_some_and(|f| f.1 == order) && raw[c] == UNKNOWN && codes.name(code).is_some() {
                    raw[c] = code;
                }
            }
            (raw, codes.names)
        }
        Some(Split::Segment(name)) => {
            use super::segment::members::{Target, members};
            if !segments.iter().any(|s| s.name == *name) {
                return Err(CohortError::NoSegment(name.clone()));
            }
            let frame = super::segment::evaluate::SegmentFrame::new(std::sync::Arc::new(data.clone()));
            let rows = members(&frame, segments, Target::Segment(name))
                .map_err(|e| CohortError::Segment(name.clone(), e.to_string()))?
                .rows;
            let mut raw = vec![NONE; n];
            for row in rows {
                if let Some(r) = raw.get_mut(row as usize) {
                    *r = 0;
                }
            }
            (raw, vec![Some(name.clone())])
        }
    })
}

/// The biggest groups among the kept customers get a group each, the rest one
/// "(other)": each customer's group ([`NONE`] left out) and the groups' names.
fn fold_groups(raw: &[u32], names: &[Option<String>], keep: &[bool], split: bool) -> (Vec<u32>, Vec<Option<String>>) {
    let mut counts: HashMap<u32, usize> = HashMap::new();
    for (r, k) in raw.iter().zip(keep) {
        if *k && *r != NONE {
            *counts.entry(*r).or_default() += 1;
        }
    }
    let mut by_size: Vec<(u32, usize)> = counts.into_iter().collect();
    by_size.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut group_names: Vec<Option<String>> = Vec::new();
    let mut group_of_raw: HashMap<u32, u32> = HashMap::new();
    let mut other = None;
    for (i, (code, _)) in by_size.iter().enumerate() {
        let name = match (split, *code) {
            (false, _) => None,
            (true, UNKNOWN) => Some(UNKNOWN_CHANNEL.to_owned()),
            (true, code) => names.get(code as usize).cloned().flatten(),
        };
        let group = if i < MAX_GROUPS || by_size.len() == MAX_GROUPS + 1 {
            group_names.push(name);
            group_names.len() - 1
        } else {
            *other.get_or_insert_with(|| {
                group_names.push(Some(OTHER_GROUP.to_owned()));
                group_names.len() - 1
            })
        };
        group_of_raw.insert(*code, group as u32);
    }
    let group_of =
        raw.iter().zip(keep).map(|(r, k)| if *k { group_of_raw.get(r).copied().unwrap_or(NONE) } else { NONE });
    (group_of.collect(), group_names)
}

/// Each customer's cohort: the period of their first counted order, their group,
/// and whether the filter keeps them.
fn assign(
    data: &CustomerData,
    segments: &[Segment],
    options: &CohortOptions,
    orders: &OrderColumns<'_>,
    keys: &DayKeys,
    as_of_day: i32,
) -> Result<Assignment, CohortError> {
    let n = data.customers.height();
    let first = first_orders(n, orders, as_of_day);
    let mut keep: Vec<bool> = first.iter().map(|(_, row)| *row != NONE).collect();
    if let Some(filter) = &options.bought {
        for (k, b) in keep.iter_mut().zip(bought(data, filter, orders, &first)?) {
            *k &= b;
        }
    }
    let (raw, names) = raw_groups(data, segments, options.split.as_ref(), orders, &first)?;
    let (group_of, group_names) = fold_groups(&raw, &names, &keep, options.split.is_some());
    if group_names.is_empty() {
        let what = options.split.as_ref().map_or_else(|| "the data".to_owned(), Split::id);
        return Err(CohortError::Empty(what));
    }
    // Cohorts: oldest first, groups by size within each.
    // Numbered through a dense (period, group) table: no hashing per customer.
    let key_of = |c: usize| keys.get(first[c].0);
    let (first_key, as_of_key) = (keys.get(keys.first), keys.get(as_of_day));
    let groups = group_names.len();
    let slot = |c: usize| (key_of(c) - first_key) as usize * groups + group_of[c] as usize;
    let mut id_of = vec![NONE; (as_of_key - first_key + 1).max(1) as usize * groups];
    for c in (0..n).filter(|c| group_of[*c] != NONE) {
        id_of[slot(c)] = 0;
    }
    let mut pairs = Vec::new();
    for (i, id) in id_of.iter_mut().enumerate().filter(|(_, id)| **id == 0) {
        *id = pairs.len() as u32;
        pairs.push((first_key + (i / groups) as i32, (i % groups) as u32));
    }
    let cohort_of = (0..n).map(|c| if group_of[c] == NONE { NONE } else { id_of[slot(c)] }).collect();
    Ok(Assignment { cohort_of, cohorts: pairs, group_names, as_of_key })
}

/// Each cohort's acquisition cost: `None` where spend doesn't cover its period.
fn cohort_costs(
    data: &CustomerData,
    options: &CohortOptions,
    assignment: &Assignment,
    size: &[usize],
) -> Result<Vec<Option<f64>>, CohortError> {
    let mut costs = vec![None; assignment.cohorts.len()];
    let Some(span) = super::dashboard::spend_span(&data.spend) else { return Ok(costs) };
    let spend = &data.spend;
    // Customers per cohort and channel, and per period and channel, by the
    // channels' lower-case names (one id each; the last id is "no channel").
    let channels = match data.customers.column("channel") {
        Ok(column) => Some(Codes::of(column)?),
        Err(_) => None,
    };
    let mut name_ids: HashMap<String, usize> = HashMap::new();
    let code_name: Vec<usize> = channels.as_ref().map_or_else(Vec::new, |c| {
        c.names
            .iter()
            .map(|n| {
                let n = n.as_deref().unwrap_or_default().to_lowercase();
                let next = name_ids.len();
                *name_ids.entry(n).or_insert(next)
            })
            .collect()
    });
    let no_channel = name_ids.len();
    let k = no_channel + 1;
    let min_key = assignment.cohorts.iter().map(|c| c.0).min().unwrap_or(0);
    let periods = (assignment.as_of_key - min_key + 1).max(1) as usize;
    let mut per_cohort = vec![0usize; assignment.cohorts.len() * k];
    let (mut per_period, mut period_size) = (vec![0usize; periods * k], vec![0usize; periods]);
    for (row, &cohort) in assignment.cohort_of.iter().enumerate() {
        if cohort == NONE {
            continue;
        }
        let code = channels.as_ref().and_then(|c| c.get(row));
        let name = code.and_then(|c| code_name.get(c as usize)).copied().unwrap_or(no_channel);
        let p = (assignment.cohorts[cohort as usize].0 - min_key) as usize;
        per_cohort[cohort as usize * k + name] += 1;
        per_period[p * k + name] += 1;
        period_size[p] += 1;
    }
    let by_channel = options.split == Some(Split::Channel);
    let paid: foldhash::HashSet<String> = spend.iter().map(|s| s.channel.to_lowercase()).collect();
    for (c, &(key, group)) in assignment.cohorts.iter().enumerate() {
        // A period still running is paid for up to the as-of date.
        let (from, to) = options.period.days(key);
        let to = to.min(data.as_of);
        if from < span.from || to > span.to {
            continue;
        }
        // In channel order, so the same data gives the same cents.
        let spent: Vec<(String, f64)> =
            super::dashboard::spend_in(spend, Some(super::dashboard::Period { from, to })).into_iter().collect();
        if by_channel {
            let name = assignment.group_names[group as usize].as_deref().unwrap_or_default().to_lowercase();
            costs[c] = paid.contains(&name).then(|| spent.iter().find(|(n, _)| *n == name).map_or(0.0, |s| s.1));
            continue;
        }
        let p = (key - min_key) as usize;
        let n_period = period_size[p].max(1) as f64;
        let mut cost = 0.0;
        for (channel, amount) in &spent {
            let name = name_ids.get(channel).copied();
            let from_channel = name.map_or(0, |id| per_period[p * k + id]);
            cost += match name {
                Some(id) if from_channel > 0 => amount * per_cohort[c * k + id] as f64 / from_channel as f64,
                _ => amount * size[c] as f64 / n_period,
            };
        }
        costs[c] = Some(cost);
    }
    Ok(costs)
}

/// The customers of one cell as a segment rule: first ordered in the cohort's
/// period (no order before it), ordered in the cell's period, and in the group.
/// `None` where the group can't be said as a rule (first product or category,
/// "other", a bought filter): use [`cell_rows`] for a fixed list.
pub fn cell_rule(data: &CustomerData, table: &Cohorts, cohort: &Cohort, offset: u32) -> Option<Rule> {
    let period = table.period;
    let first_day = data.orders.as_ref()?.column("order_date").ok()?.cast(&DataType::Int32).ok()?.i32().ok()?.min()?;
    let (start, end) = period.days(cohort.key);
    let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let mut rules = Vec::new();
    let earliest = days_to_date(first_day)?;
    if earliest < start {
        let before = start.pred_opt()?;
        rules.push(Rule::order_count(Some(Window::Dates(day(earliest), day(before)))).eq(0));
    }
    rules.push(Rule::order_count(Some(Window::Dates(day(start), day(end.min(data.as_of))))).ge(1));
    if offset > 0 {
        let (from, to) = period.days(cohort.key + offset as i32);
        rules.push(Rule::order_count(Some(Window::Dates(day(from), day(to.min(data.as_of))))).ge(1));
    }
    let group = cohort.group.as_deref();
    match (table.by.as_deref(), group) {
        (None, _) => {}
        (_, Some(OTHER_GROUP)) => return None,
        (Some(field @ ("channel" | "city")), Some(UNKNOWN_CHANNEL)) => rules.push(Rule::field(field).is_empty()),
        (Some(field @ ("channel" | "city")), Some(value)) => rules.push(Rule::field(field).eq(value)),
        (Some(by), Some(name)) if by.starts_with("segment:") => rules.push(Rule::in_segment(name)),
        _ => return None,
    }
    Some(Rule::all(rules))
}

/// The rows of the customers of one cell (active in its period).
pub fn cell_rows(
    data: &CustomerData,
    segments: &[Segment],
    options: &CohortOptions,
    cohort: &Cohort,
    offset: u32,
) -> Result<Vec<u32>, CohortError> {
    let setup = Setup::new(data, segments, options)?;
    let assignment = &setup.assignment;
    let Some(id) = assignment
        .cohorts
        .iter()
        .position(|&(key, group)| key == cohort.key && assignment.group_names[group as usize] == cohort.group)
    else {
        return Ok(Vec::new());
    };
    let mut rows: Vec<u32> = setup
        .orders()
        .filter(|&(_, _, c, o)| c as usize == id && o == offset as i32)
        .map(|(_, customer, _, _)| customer)
        .collect();
    rows.dedup();
    Ok(rows)
}

/// Median payback, in periods, of the last `last` cohorts that have a CAC: the
/// fewest periods by which at least half of them paid back (a cohort not yet paid
/// back counts as longer than any). `Some(None)` when fewer than half have paid
/// back; `None` without any cohort with a CAC.
pub fn median_payback(table: &Cohorts, last: usize) -> Option<Option<u32>> {
    let mut paybacks: Vec<Option<u32>> =
        table.cohorts.iter().filter(|c| c.cac.is_some()).rev().take(last).map(|c| c.payback_offset).collect();
    if paybacks.is_empty() {
        return None;
    }
    paybacks.sort_by_key(|p| p.unwrap_or(u32::MAX));
    Some(paybacks[(paybacks.len() - 1) / 2])
}
