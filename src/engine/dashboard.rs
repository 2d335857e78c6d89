//! The dashboard's numbers for a date range: the customer base, revenue, average LTV
//! and order value, repeat rate, CAC and LTV:CAC, per-channel figures, LTV bands and
//! monthly growth, each with the previous period of the same length for comparison.
//!
//! Definitions (shown to users in the UI's hints):
//! - A customer is *acquired* on their signup date, else their first order date.
//! - The *base* of a period is every customer acquired on or before its last day
//!   (customers with no known acquisition date always count).
//! - *New customers* were acquired inside the period.
//! - *Revenue* and *AOV* use the orders placed in the period when orders were
//!   imported; without orders they use lifetime LTV and order counts of the base.
//! - *CAC* = spend in the period ÷ new customers in the period. Monthly spend that
//!   only partly overlaps the period counts in proportion to the days it overlaps.

use foldhash::HashMap;

use chrono::{Datelike, Months, NaiveDate};
use polars::prelude::*;
use serde::{Deserialize, Serialize};

use super::data::{CustomerData, InPlace, SpendEntry};
use super::import::columns::{date_to_days, days_to_date};
use super::values::Sum;

/// Label for customers whose channel is unknown.
pub const UNKNOWN_CHANNEL: &str = "(unknown)";

/// An inclusive range of days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    /// The period of the same length just before this one.
    pub fn previous(&self) -> Period {
        let to = self.from.pred_opt().unwrap_or(self.from);
        let from = to - chrono::Duration::days(self.days() - 1);
        Period { from, to }
    }

    /// First and last day as days since 1970, for comparing raw date columns.
    fn day_bounds(&self) -> (i32, i32) {
        (date_to_days(self.from), date_to_days(self.to))
    }
}

/// The date-range picker's presets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum RangePreset {
    Last30,
    Last90,
    Last365,
    ThisYear,
    #[default]
    AllTime,
    /// The span the spend data covers.
    SpendPeriod,
}

impl RangePreset {
    pub const ALL: [RangePreset; 6] = [
        RangePreset::Last30,
        RangePreset::Last90,
        RangePreset::Last365,
        RangePreset::ThisYear,
        RangePreset::AllTime,
        RangePreset::SpendPeriod,
    ];

    /// The period this preset means for the data; `None` is all time.
    pub fn period(self, data: &CustomerData) -> Option<Period> {
        let as_of = data.as_of;
        let back = |days: i64| Some(Period { from: as_of - chrono::Duration::days(days - 1), to: as_of });
        match self {
            RangePreset::Last30 => back(30),
            RangePreset::Last90 => back(90),
            RangePreset::Last365 => back(365),
            RangePreset::ThisYear => NaiveDate::from_ymd_opt(as_of.year(), 1, 1).map(|from| Period { from, to: as_of }),
            RangePreset::AllTime => None,
            RangePreset::SpendPeriod => spend_span(&data.spend),
        }
    }
}

/// The first and last day any spend covers.
pub fn spend_span(spend: &[SpendEntry]) -> Option<Period> {
    let from = spend.iter().map(|s| s.start).min()?;
    let to = spend.iter().map(|s| s.end).max()?;
    Some(Period { from, to })
}

/// One acquisition channel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChannelStats {
    pub channel: String,
    /// Customers of the base from this channel.
    pub customers: usize,
    pub new_customers: usize,
    pub revenue: f64,
    /// `None` without spend data for this channel.
    pub spend: Option<f64>,
    pub cac: Option<f64>,
    pub avg_ltv: Option<f64>,
}

/// Customers whose LTV falls in `[from, to)` (`to = None`: no upper bound).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LtvBand {
    pub from: f64,
    pub to: Option<f64>,
    pub customers: usize,
    pub avg_ltv: Option<f64>,
}

/// New and cumulative customers in one month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthGrowth {
    /// `YYYY-MM`
    pub month: String,
    pub first_day: NaiveDate,
    pub new: usize,
    pub cumulative: usize,
    /// The period covers only part of this month (its first or last), so `new`
    /// counts only those days: drawn as partial, not read as a drop.
    pub partial: bool,
}

/// The headline numbers of one period.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Headline {
    pub customers: usize,
    pub new_customers: usize,
    pub total_revenue: Option<f64>,
    pub avg_ltv: Option<f64>,
    pub aov: Option<f64>,
    pub repeat_rate: Option<f64>,
    pub spend: Option<f64>,
    pub cac: Option<f64>,
    pub ltv_cac: Option<f64>,
}

/// Everything the dashboard shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dashboard {
    pub period: Option<Period>,
    pub as_of: NaiveDate,
    #[serde(flatten)]
    pub headline: Headline,
    /// The same numbers for the previous period of equal length (none for all time).
    pub previous: Option<Headline>,
    pub channels: Vec<ChannelStats>,
    pub ltv_bands: Vec<LtvBand>,
    pub growth: Vec<MonthGrowth>,
    /// Why a number is missing, for the cards' hints (e.g. "no spend data").
    pub has_spend: bool,
    /// New customers from the channels with spend in the period, and the period's
    /// spend divided by them: CAC without the organic customers that blended CAC
    /// counts. `None` without spend, or with no new customer from a paid channel.
    pub paid_new_customers: Option<usize>,
    pub paid_cac: Option<f64>,
    pub has_orders: bool,
    pub has_acquisition_dates: bool,
}

/// Each customer's numbers, read in place from the customer table.
struct Rows<'a> {
    signup: Option<InPlace<'a, i32>>,
    first: Option<InPlace<'a, i32>>,
    ltv: Option<InPlace<'a, f64>>,
    orders: Option<InPlace<'a, i64>>,
    /// Each customer's channel code (a category column's codes, or ids made from text).
    channel: Option<InPlace<'a, u32>>,
    /// Each code's index into `channel_names`.
    channel_of_code: Vec<u32>,
    /// The index of customers without a channel.
    unknown_channel: u32,
    channel_names: Vec<String>,
    len: usize,
}

fn read_rows(data: &CustomerData) -> PolarsResult<Rows<'_>> {
    let df = &data.customers;
    let days = |name: &str| df.column(name).ok().map(InPlace::days).transpose();
    let (channel, channel_of_code, unknown_channel, channel_names) = read_channels(df)?;
    Ok(Rows {
        signup: days("signup_date")?,
        first: days("first_order_date")?,
        ltv: df.column("ltv").ok().map(InPlace::of_column::<Float64Type>).transpose()?,
        orders: df.column("orders").ok().map(InPlace::of_column::<Int64Type>).transpose()?,
        channel,
        channel_of_code,
        unknown_channel,
        channel_names,
        len: df.height(),
    })
}

type Channels<'a> = (Option<InPlace<'a, u32>>, Vec<u32>, u32, Vec<String>);

/// The channel column as codes, each code's index into the names, the index of
/// "unknown" and the names. A category column's codes are used as they are; only
/// the codes in use are named.
fn read_channels(df: &DataFrame) -> PolarsResult<Channels<'_>> {
    let mut names: Vec<String> = Vec::new();
    let mut index_of = |name: &str| {
        let index = names.iter().position(|n| n == name).unwrap_or_else(|| {
            names.push(name.to_owned());
            names.len() - 1
        });
        u32::try_from(index).unwrap_or(u32::MAX)
    };
    let (codes, channel_of_code) = match df.column("channel") {
        Ok(c) if matches!(c.dtype(), DataType::Categorical(..)) => {
            let categories = c.cat32()?;
            let mapping = categories.get_mapping();
            let codes = categories.physical();
            let mut used = vec![false; codes.max().map_or(0, |m| m as usize + 1)];
            for code in codes.downcast_iter().flat_map(|a| a.values().iter()) {
                if let Some(u) = used.get_mut(*code as usize) {
                    *u = true;
                }
            }
            let of_code = (0..used.len())
                .map(|code| {
                    let name = u32::try_from(code).ok().filter(|_| used[code]).and_then(|c| mapping.cat_to_str(c));
                    name.map_or(u32::MAX, &mut index_of)
                })
                .collect();
            (Some(InPlace::of(codes)), of_code)
        }
        Ok(c) => {
            let text = c.cast(&DataType::String)?;
            let mut ids: HashMap<&str, u32> = HashMap::default();
            let codes: UInt32Chunked =
                text.str()?.iter().map(|v| v.map(|name| *ids.entry(name).or_insert_with(|| index_of(name)))).collect();
            let of_code = (0..u32::try_from(ids.len()).unwrap_or(u32::MAX)).collect();
            (Some(InPlace::of(&codes).owned()), of_code)
        }
        Err(_) => (None, Vec::new()),
    };
    let unknown = index_of(UNKNOWN_CHANNEL);
    Ok((codes, channel_of_code, unknown, names))
}

impl Rows<'_> {
    /// The day a customer was won: signed up, else their first order.
    #[inline]
    fn acquired(&self, i: usize) -> Option<i32> {
        self.signup.as_ref().and_then(|s| s.get(i)).or_else(|| self.first.as_ref().and_then(|f| f.get(i)))
    }

    #[inline]
    fn ltv(&self, i: usize) -> Option<f64> {
        self.ltv.as_ref().and_then(|l| l.get(i))
    }

    #[inline]
    fn orders(&self, i: usize) -> Option<i64> {
        self.orders.as_ref().and_then(|o| o.get(i))
    }

    /// The customer's index into the channel names.
    #[inline]
    fn channel(&self, i: usize) -> usize {
        let code = self.channel.as_ref().and_then(|c| c.get(i));
        let index = code.and_then(|c| self.channel_of_code.get(c as usize)).copied().filter(|c| *c != u32::MAX);
        index.unwrap_or(self.unknown_channel) as usize
    }

    /// `tally` of each range of rows, side by side on all cores, in row order.
    fn in_ranges<T: Send>(&self, tally: impl Fn(std::ops::Range<usize>) -> T + Sync + Send) -> Vec<T> {
        use rayon::prelude::*;
        const RANGE: usize = 1 << 16;
        (0..self.len.div_ceil(RANGE).max(1))
            .into_par_iter()
            .map(|k| tally(k * RANGE..((k + 1) * RANGE).min(self.len)))
            .collect()
    }
}

/// Spend per channel (case-insensitive names) within a period, prorated by overlap.
pub(crate) fn spend_in(spend: &[SpendEntry], period: Option<Period>) -> std::collections::BTreeMap<String, f64> {
    // Ordered by channel, so sums over it come out the same to the last digit.
    let mut out = std::collections::BTreeMap::<String, f64>::new();
    for s in spend {
        let share = match period {
            None => 1.0,
            Some(p) => {
                let start = s.start.max(p.from);
                let end = s.end.min(p.to);
                if end < start {
                    continue;
                }
                let overlap = (end - start).num_days() + 1;
                let span = (s.end - s.start).num_days() + 1;
                overlap as f64 / span.max(1) as f64
            }
        };
        *out.entry(s.channel.to_lowercase()).or_default() += s.amount * share;
    }
    out
}

/// Computes the dashboard for a period (`None`: all time) and LTV band bounds.
pub fn dashboard(data: &CustomerData, period: Option<Period>, band_bounds: &[f64]) -> PolarsResult<Dashboard> {
    let rows = read_rows(data)?;
    let headline = headline(data, &rows, period)?;
    let previous = period.map(|p| headline_for(data, &rows, p.previous())).transpose()?;
    let base = Base { to_day: period.map(|p| date_to_days(p.to)), bounds: period.map(|p| p.day_bounds()) };
    let channels = channel_stats(data, &rows, period, &base);
    let paid_new_customers = (!data.spend.is_empty())
        .then(|| channels.iter().filter(|c| c.spend.is_some_and(|s| s > 0.0)).map(|c| c.new_customers).sum::<usize>());
    let paid_cac = match (headline.spend, paid_new_customers) {
        (Some(spend), Some(n)) if n > 0 => Some(spend / n as f64),
        _ => None,
    };
    Ok(Dashboard {
        period,
        as_of: data.as_of,
        headline,
        previous,
        paid_new_customers,
        paid_cac,
        channels,
        ltv_bands: ltv_bands(&rows, band_bounds, &base),
        growth: growth(&rows, period, data.as_of),
        has_spend: !data.spend.is_empty(),
        has_orders: data.orders.is_some(),
        has_acquisition_dates: (0..rows.len).any(|i| rows.acquired(i).is_some()),
    })
}

/// Which customers the period's charts count: those acquired by its end (all
/// time: everyone), and which of them are new in it.
struct Base {
    to_day: Option<i32>,
    bounds: Option<(i32, i32)>,
}

impl Base {
    fn includes(&self, acquired: Option<i32>) -> bool {
        match (self.to_day, acquired) {
            (Some(to), Some(a)) => a <= to,
            _ => true,
        }
    }

    fn is_new(&self, acquired: Option<i32>) -> bool {
        match (self.bounds, acquired) {
            (Some((from, to)), Some(a)) => (from..=to).contains(&a),
            (None, Some(_)) => true,
            _ => false,
        }
    }
}

/// Customers, new customers, revenue, spend and CAC per channel, most customers
/// first; spend on channels no customer came from still shows.
fn channel_stats(data: &CustomerData, rows: &Rows<'_>, period: Option<Period>, base: &Base) -> Vec<ChannelStats> {
    let spend = spend_in(&data.spend, period);
    let names = &rows.channel_names;
    // (customers, new customers, LTV, customers with an LTV) per channel.
    type PerChannel = Vec<(usize, usize, Sum, usize)>;
    let parts: Vec<PerChannel> = rows.in_ranges(|range| {
        let mut by_channel: PerChannel = vec![(0, 0, Sum::default(), 0); names.len()];
        for i in range {
            let acquired = rows.acquired(i);
            if !base.includes(acquired) {
                continue;
            }
            let Some(e) = by_channel.get_mut(rows.channel(i)) else { continue };
            e.0 += 1;
            e.1 += usize::from(base.is_new(acquired));
            if let Some(l) = rows.ltv(i) {
                e.2.add(l);
                e.3 += 1;
            }
        }
        by_channel
    });
    let mut by_channel: PerChannel = vec![(0, 0, Sum::default(), 0); names.len()];
    for part in parts {
        for (all, p) in by_channel.iter_mut().zip(part) {
            (all.0, all.1, all.3) = (all.0 + p.0, all.1 + p.1, all.3 + p.3);
            all.2.add_compensated(p.2.total());
        }
    }
    let mut channels: Vec<ChannelStats> = by_channel
        .into_iter()
        .zip(names)
        .filter(|((customers, ..), _)| *customers > 0)
        .map(|((customers, new_customers, ltv_sum, ltv_n), name)| {
            let ltv_sum = ltv_sum.total();
            let channel_spend = spend.get(&name.to_lowercase()).copied();
            ChannelStats {
                channel: name.to_owned(),
                customers,
                new_customers,
                revenue: ltv_sum,
                spend: channel_spend,
                cac: channel_spend.filter(|_| new_customers > 0).map(|s| s / new_customers as f64),
                avg_ltv: (ltv_n > 0).then(|| ltv_sum / ltv_n as f64),
            }
        })
        .collect();
    // Spend on channels no customer came from still shows (its CAC cannot be computed).
    for (name, amount) in &spend {
        if !channels.iter().any(|c| c.channel.to_lowercase() == *name) {
            let label = data
                .spend
                .iter()
                .find(|s| s.channel.to_lowercase() == *name)
                .map_or(name.clone(), |s| s.channel.clone());
            channels.push(ChannelStats {
                channel: label,
                customers: 0,
                new_customers: 0,
                revenue: 0.0,
                spend: Some(*amount),
                cac: None,
                avg_ltv: None,
            });
        }
    }
    channels.sort_by(|a, b| b.customers.cmp(&a.customers).then_with(|| a.channel.cmp(&b.channel)));
    channels
}

/// Customers per LTV band over the base; the first band starts at 0, the last is open.
fn ltv_bands(rows: &Rows<'_>, band_bounds: &[f64], base: &Base) -> Vec<LtvBand> {
    if rows.ltv.is_none() {
        return Vec::new();
    }
    let bounds = band_limits(band_bounds);
    let mut edges = vec![0.0];
    edges.extend(bounds);
    let parts = rows.in_ranges(|range| {
        let mut counts = vec![(0usize, Sum::default()); edges.len()];
        for i in range {
            let Some(v) = rows.ltv(i) else { continue };
            if !base.includes(rows.acquired(i)) {
                continue;
            }
            let band = edges.iter().rposition(|e| v >= *e).unwrap_or(0);
            counts[band].0 += 1;
            counts[band].1.add(v);
        }
        counts
    });
    let mut counts = vec![(0usize, Sum::default()); edges.len()];
    for part in parts {
        for (all, p) in counts.iter_mut().zip(part) {
            all.0 += p.0;
            all.1.add_compensated(p.1.total());
        }
    }
    edges
        .iter()
        .enumerate()
        .map(|(b, from)| LtvBand {
            from: *from,
            to: edges.get(b + 1).copied(),
            customers: counts[b].0,
            avg_ltv: (counts[b].0 > 0).then(|| counts[b].1.total() / counts[b].0 as f64),
        })
        .collect()
}

/// New and cumulative customers per month over the period (all time: from the
/// first acquisition), from the customers' acquisition days.
fn growth(rows: &Rows<'_>, period: Option<Period>, as_of: NaiveDate) -> Vec<MonthGrowth> {
    let mut growth = Vec::new();
    let spans = rows.in_ranges(|range| {
        range
            .filter_map(|i| rows.acquired(i))
            .fold(None, |span: Option<(i32, i32)>, d| Some(span.map_or((d, d), |(lo, hi)| (lo.min(d), hi.max(d)))))
    });
    let Some((min, max)) = spans.into_iter().flatten().reduce(|a, b| (a.0.min(b.0), a.1.max(b.1))) else {
        return growth;
    };
    let start = period.map_or_else(|| days_to_date(min), |p| Some(p.from));
    let end = period.map_or_else(|| days_to_date(max), |p| Some(p.to));
    let (Some(start), Some(end)) = (start, end) else { return growth };
    // Count per day first (an array indexed by day), then per month: only the
    // distinct days need converting to calendar dates.
    let start_day = date_to_days(start);
    let days = usize::try_from(max - min + 1).unwrap_or(0);
    let parts = rows.in_ranges(|range| {
        let (mut per_day, mut before) = (vec![0usize; days], 0usize);
        for d in range.filter_map(|i| rows.acquired(i)) {
            if d < start_day {
                before += 1;
            } else if let Some(slot) = per_day.get_mut(usize::try_from(d - min).unwrap_or(usize::MAX)) {
                *slot += 1;
            }
        }
        (per_day, before)
    });
    let (mut per_day, mut before) = (vec![0usize; days], 0usize);
    for (part, part_before) in parts {
        before += part_before;
        for (all, n) in per_day.iter_mut().zip(part) {
            *all += n;
        }
    }
    let mut per_month: HashMap<(i32, u32), usize> = HashMap::default();
    for (offset, &n) in per_day.iter().enumerate() {
        if n > 0
            && let Some(date) = days_to_date(min + i32::try_from(offset).unwrap_or(0))
        {
            *per_month.entry((date.year(), date.month())).or_default() += n;
        }
    }
    let mut month = NaiveDate::from_ymd_opt(start.year(), start.month(), 1).unwrap_or(start);
    let mut cumulative = before;
    while month <= end {
        let new = per_month.get(&(month.year(), month.month())).copied().unwrap_or(0);
        cumulative += new;
        let next = month.checked_add_months(Months::new(1));
        let last_day = next.and_then(|n| n.pred_opt()).unwrap_or(month);
        // Cut by the period, or (all time) the month still running on the as-of day.
        let partial = match period {
            Some(_) => month < start || last_day > end,
            None => (month..last_day).contains(&as_of),
        };
        growth.push(MonthGrowth {
            month: month.format("%Y-%m").to_string(),
            first_day: month,
            new,
            cumulative,
            partial,
        });
        let Some(next) = next else { break };
        month = next;
    }
    growth
}

fn headline(data: &CustomerData, rows: &Rows<'_>, period: Option<Period>) -> PolarsResult<Headline> {
    match period {
        Some(p) => headline_for(data, rows, p),
        None => headline_all_time(data, rows),
    }
}

fn headline_all_time(data: &CustomerData, rows: &Rows<'_>) -> PolarsResult<Headline> {
    let mut h = headline_over(data, rows, None, |_| true, |a| a.is_some())?;
    h.spend = (!data.spend.is_empty()).then(|| spend_in(&data.spend, None).values().copied().collect::<Sum>().total());
    finish_cac(&mut h);
    Ok(h)
}

fn headline_for(data: &CustomerData, rows: &Rows<'_>, p: Period) -> PolarsResult<Headline> {
    let (from, to) = p.day_bounds();
    let mut h = headline_over(
        data,
        rows,
        Some(p),
        |a: Option<i32>| a.is_none_or(|a| a <= to),
        |a: Option<i32>| a.is_some_and(|a| (from..=to).contains(&a)),
    )?;
    h.spend =
        (!data.spend.is_empty()).then(|| spend_in(&data.spend, Some(p)).values().copied().collect::<Sum>().total());
    finish_cac(&mut h);
    Ok(h)
}

fn finish_cac(h: &mut Headline) {
    h.cac = match (h.spend, h.new_customers) {
        (Some(s), n) if n > 0 => Some(s / n as f64),
        _ => None,
    };
    h.ltv_cac = match (h.avg_ltv, h.cac) {
        (Some(l), Some(c)) if c > 0.0 => Some(l / c),
        _ => None,
    };
}

/// Counts and sums of the customers of a headline's base.
#[derive(Default)]
struct HeadlineTally {
    customers: usize,
    new_customers: usize,
    ltv_sum: Sum,
    ltv_n: usize,
    orders_sum: i64,
    repeaters: usize,
    with_orders: usize,
}

fn headline_over(
    data: &CustomerData,
    rows: &Rows<'_>,
    period: Option<Period>,
    in_base: impl Fn(Option<i32>) -> bool + Sync,
    is_new: impl Fn(Option<i32>) -> bool + Sync,
) -> PolarsResult<Headline> {
    let parts = rows.in_ranges(|range| {
        let mut t = HeadlineTally::default();
        for i in range {
            let acquired = rows.acquired(i);
            if !in_base(acquired) {
                continue;
            }
            t.customers += 1;
            t.new_customers += usize::from(is_new(acquired));
            if let Some(l) = rows.ltv(i) {
                t.ltv_sum.add(l);
                t.ltv_n += 1;
            }
            if let Some(o) = rows.orders(i) {
                t.orders_sum += o;
                t.with_orders += 1;
                t.repeaters += usize::from(o >= 2);
            }
        }
        t
    });
    let mut t = HeadlineTally::default();
    for p in parts {
        (t.customers, t.new_customers, t.ltv_n) =
            (t.customers + p.customers, t.new_customers + p.new_customers, t.ltv_n + p.ltv_n);
        (t.orders_sum, t.repeaters, t.with_orders) =
            (t.orders_sum + p.orders_sum, t.repeaters + p.repeaters, t.with_orders + p.with_orders);
        t.ltv_sum.add_compensated(p.ltv_sum.total());
    }
    let mut h = Headline { customers: t.customers, new_customers: t.new_customers, ..Headline::default() };
    let (ltv_sum, ltv_n, orders_sum) = (t.ltv_sum.total(), t.ltv_n, t.orders_sum);
    let (repeaters, with_orders) = (t.repeaters, t.with_orders);
    h.avg_ltv = (ltv_n > 0).then(|| ltv_sum / ltv_n as f64);
    h.repeat_rate = (with_orders > 0).then(|| repeaters as f64 / h.customers.max(1) as f64);
    match (&data.orders, period) {
        (Some(orders), Some(p)) => {
            let dates = orders.column("order_date")?.cast(&DataType::Int32)?;
            let totals = orders.column("total")?.cast(&DataType::Float64)?;
            let (mut revenue, mut count) = (Sum::default(), 0usize);
            let (from, to) = p.day_bounds();
            let (dates, totals) = (dates.i32()?, totals.f64()?);
            match (dates.cont_slice(), totals.cont_slice()) {
                // No gaps: plain slices in blocks, which the compiler can vectorise;
                // the blocks' sums are added with compensation.
                (Ok(days), Ok(amounts)) => {
                    for (days, amounts) in days.chunks(256).zip(amounts.chunks(256)) {
                        let mut block = 0.0;
                        for (&d, &t) in days.iter().zip(amounts) {
                            let inside = (from..=to).contains(&d);
                            block += if inside { t } else { 0.0 };
                            count += usize::from(inside);
                        }
                        revenue.add_compensated(block);
                    }
                }
                _ => {
                    for (d, t) in dates.iter().zip(totals.iter()) {
                        if let (Some(d), Some(t)) = (d, t)
                            && (from..=to).contains(&d)
                        {
                            revenue.add(t);
                            count += 1;
                        }
                    }
                }
            }
            let revenue = revenue.total();
            h.total_revenue = Some(revenue);
            h.aov = (count > 0).then(|| revenue / count as f64);
        }
        _ => {
            h.total_revenue = (ltv_n > 0).then_some(ltv_sum);
            h.aov = (orders_sum > 0).then(|| ltv_sum / orders_sum as f64);
        }
    }
    Ok(h)
}
/// LTV band limits as they can be used: finite, above 0, ascending, no repeats.
pub fn band_limits(limits: &[f64]) -> Vec<f64> {
    let mut kept: Vec<f64> = limits.iter().copied().filter(|b| b.is_finite() && *b > 0.0).collect();
    kept.sort_by(f64::total_cmp);
    kept.dedup();
    kept
}
