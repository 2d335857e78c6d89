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

use super::data::{CustomerData, SpendEntry};
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

/// The customer columns the dashboard needs, read once.
struct Columns {
    acquired: Vec<Option<i32>>,
    ltv: Option<Vec<Option<f64>>>,
    orders: Option<Vec<Option<i64>>>,
    /// Each customer's channel as an index into `channel_names` (unknown: the last).
    channel: Vec<u32>,
    channel_names: Vec<String>,
}

fn read_columns(data: &CustomerData) -> PolarsResult<Columns> {
    // Channel ids need hashing every row; the number columns don't: do both at once.
    let (numbers, channels) = rayon::join(|| read_number_columns(data), || read_channel_ids(data));
    let (acquired, ltv, orders) = numbers?;
    let (channel, channel_names) = channels?;
    Ok(Columns { acquired, ltv, orders, channel, channel_names })
}

type NumberColumns = (Vec<Option<i32>>, Option<Vec<Option<f64>>>, Option<Vec<Option<i64>>>);

fn read_number_columns(data: &CustomerData) -> PolarsResult<NumberColumns> {
    let df = &data.customers;
    let dates = |name: &str| -> PolarsResult<Option<Vec<Option<i32>>>> {
        match df.column(name) {
            Ok(c) => Ok(Some(c.cast(&DataType::Int32)?.i32()?.iter().collect())),
            Err(_) => Ok(None),
        }
    };
    let signup = dates("signup_date")?;
    let first = dates("first_order_date")?;
    let acquired = (0..df.height())
        .map(|i| signup.as_ref().and_then(|s| s[i]).or_else(|| first.as_ref().and_then(|f| f[i])))
        .collect();
    let ltv = match df.column("ltv") {
        Ok(c) => Some(c.cast(&DataType::Float64)?.f64()?.iter().collect()),
        Err(_) => None,
    };
    let orders = match df.column("orders") {
        Ok(c) => Some(c.cast(&DataType::Int64)?.i64()?.iter().collect()),
        Err(_) => None,
    };
    Ok((acquired, ltv, orders))
}

/// Each customer's channel as an index into the returned names.
fn read_channel_ids(data: &CustomerData) -> PolarsResult<(Vec<u32>, Vec<String>)> {
    let df = &data.customers;
    let mut channel_names: Vec<String> = Vec::new();
    let channel: Vec<u32> = match df.column("channel") {
        Ok(c) if matches!(c.dtype(), DataType::Categorical(..)) => category_ids(c.cat32()?, &mut channel_names),
        Ok(c) => {
            let text = c.cast(&DataType::String)?;
            let mut ids: HashMap<&str, u32> = HashMap::default();
            text.str()?
                .iter()
                .map(|v| {
                    let name = v.unwrap_or(UNKNOWN_CHANNEL);
                    *ids.entry(name).or_insert_with(|| {
                        channel_names.push(name.to_owned());
                        u32::try_from(channel_names.len() - 1).unwrap_or(u32::MAX)
                    })
                })
                .collect()
        }
        Err(_) => {
            channel_names.push(UNKNOWN_CHANNEL.to_owned());
            vec![0; df.height()]
        }
    };
    Ok((channel, channel_names))
}

/// Each row's category as an index into `names` (which this fills), from the codes:
/// each distinct code's text is looked at once, not each row's.
fn category_ids(column: &Categorical32Chunked, names: &mut Vec<String>) -> Vec<u32> {
    let mapping = column.get_mapping();
    let mut ids: HashMap<Option<u32>, u32> = HashMap::default();
    let mut id_of = |code: Option<u32>| {
        let name = code.and_then(|c| mapping.cat_to_str(c)).unwrap_or(UNKNOWN_CHANNEL);
        let index = names.iter().position(|n| n == name).unwrap_or_else(|| {
            names.push(name.to_owned());
            names.len() - 1
        });
        u32::try_from(index).unwrap_or(u32::MAX)
    };
    column.physical().iter().map(|code| *ids.entry(code).or_insert_with(|| id_of(code))).collect()
}

/// Spend per channel (case-insensitive names) within a period, prorated by overlap.
fn spend_in(spend: &[SpendEntry], period: Option<Period>) -> HashMap<String, f64> {
    let mut out: HashMap<String, f64> = HashMap::default();
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
    let cols = read_columns(data)?;
    // The period and the one before it are independent: compute them side by side.
    let (headline, previous) = rayon::join(
        || headline(data, &cols, period),
        || period.map(|p| headline_for(data, &cols, p.previous())).transpose(),
    );
    let (headline, previous) = (headline?, previous?);
    let base = Base { to_day: period.map(|p| date_to_days(p.to)), bounds: period.map(|p| p.day_bounds()) };
    let known: Vec<i32> = cols.acquired.iter().flatten().copied().collect();
    let channels = channel_stats(data, &cols, period, &base);
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
        ltv_bands: ltv_bands(&cols, band_bounds, &base),
        growth: growth(&known, period, data.as_of),
        has_spend: !data.spend.is_empty(),
        has_orders: data.orders.is_some(),
        has_acquisition_dates: !known.is_empty(),
    })
}

/// Which customers the period's charts count: those acquired by its end (all
/// time: everyone), and which of them are new in it.
struct Base {
    to_day: Option<i32>,
    bounds: Option<(i32, i32)>,
}

impl Base {
    fn includes(&self, cols: &Columns, i: usize) -> bool {
        match (self.to_day, cols.acquired[i]) {
            (Some(to), Some(a)) => a <= to,
            _ => true,
        }
    }

    fn is_new(&self, cols: &Columns, i: usize) -> bool {
        match (self.bounds, cols.acquired[i]) {
            (Some((from, to)), Some(a)) => (from..=to).contains(&a),
            (None, Some(_)) => true,
            _ => false,
        }
    }
}

/// Customers per block of plain adds (see [`Sum`]).
const BLOCK: usize = 256;

/// Adds each block's plain sum to its compensated total and empties the blocks.
fn flush_blocks<'a>(blocks: &mut [f64], totals: impl Iterator<Item = &'a mut Sum>) {
    for (block, total) in blocks.iter_mut().zip(totals) {
        if *block != 0.0 {
            total.add_compensated(std::mem::take(block));
        }
    }
}

/// Customers, new customers, revenue, spend and CAC per channel, most customers
/// first; spend on channels no customer came from still shows.
fn channel_stats(data: &CustomerData, cols: &Columns, period: Option<Period>, base: &Base) -> Vec<ChannelStats> {
    let spend = spend_in(&data.spend, period);
    let mut by_channel: Vec<(usize, usize, Sum, usize)> = vec![(0, 0, Sum::default(), 0); cols.channel_names.len()];
    // LTV per channel added plainly over 256 customers, then with compensation.
    let mut blocks = vec![0.0f64; by_channel.len()];
    for i in 0..cols.acquired.len() {
        if i % BLOCK == 0 {
            flush_blocks(&mut blocks, by_channel.iter_mut().map(|e| &mut e.2));
        }
        if !base.includes(cols, i) {
            continue;
        }
        let k = cols.channel[i] as usize;
        let Some(e) = by_channel.get_mut(k) else { continue };
        e.0 += 1;
        e.1 += usize::from(base.is_new(cols, i));
        if let Some(Some(l)) = cols.ltv.as_ref().map(|l| l[i]) {
            blocks[k] += l;
            e.3 += 1;
        }
    }
    flush_blocks(&mut blocks, by_channel.iter_mut().map(|e| &mut e.2));
    let mut channels: Vec<ChannelStats> = by_channel
        .into_iter()
        .zip(&cols.channel_names)
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
fn ltv_bands(cols: &Columns, band_bounds: &[f64], base: &Base) -> Vec<LtvBand> {
    let Some(ltv) = &cols.ltv else { return Vec::new() };
    let bounds = band_limits(band_bounds);
    let mut edges = vec![0.0];
    edges.extend(bounds);
    let mut counts = vec![(0usize, Sum::default()); edges.len()];
    let mut blocks = vec![0.0f64; edges.len()];
    for (i, v) in ltv.iter().enumerate() {
        if i % BLOCK == 0 {
            flush_blocks(&mut blocks, counts.iter_mut().map(|c| &mut c.1));
        }
        let Some(v) = v else { continue };
        if !base.includes(cols, i) {
            continue;
        }
        let band = edges.iter().rposition(|e| *v >= *e).unwrap_or(0);
        counts[band].0 += 1;
        blocks[band] += v;
    }
    flush_blocks(&mut blocks, counts.iter_mut().map(|c| &mut c.1));
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
/// first acquisition), from the acquisition days `known`.
fn growth(known: &[i32], period: Option<Period>, as_of: NaiveDate) -> Vec<MonthGrowth> {
    let mut growth = Vec::new();
    let (Some(&min), Some(&max)) = (known.iter().min(), known.iter().max()) else { return growth };
    let start = period.map_or_else(|| days_to_date(min), |p| Some(p.from));
    let end = period.map_or_else(|| days_to_date(max), |p| Some(p.to));
    let (Some(start), Some(end)) = (start, end) else { return growth };
    // Count per day first (an array indexed by day), then per month: only the
    // distinct days need converting to calendar dates.
    let start_day = date_to_days(start);
    let mut per_day = vec![0usize; usize::try_from(max - min + 1).unwrap_or(0)];
    let mut before = 0usize;
    for &d in known {
        if d < start_day {
            before += 1;
        } else if let Some(slot) = per_day.get_mut(usize::try_from(d - min).unwrap_or(usize::MAX)) {
            *slot += 1;
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

fn headline(data: &CustomerData, cols: &Columns, period: Option<Period>) -> PolarsResult<Headline> {
    match period {
        Some(p) => headline_for(data, cols, p),
        None => headline_all_time(data, cols),
    }
}

fn headline_all_time(data: &CustomerData, cols: &Columns) -> PolarsResult<Headline> {
    let mut h = headline_over(data, cols, None, |_| true, |a| a.is_some())?;
    h.spend = (!data.spend.is_empty()).then(|| spend_in(&data.spend, None).values().copied().collect::<Sum>().total());
    finish_cac(&mut h);
    Ok(h)
}

fn headline_for(data: &CustomerData, cols: &Columns, p: Period) -> PolarsResult<Headline> {
    let (from, to) = p.day_bounds();
    let mut h = headline_over(
        data,
        cols,
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

fn headline_over(
    data: &CustomerData,
    cols: &Columns,
    period: Option<Period>,
    in_base: impl Fn(Option<i32>) -> bool,
    is_new: impl Fn(Option<i32>) -> bool,
) -> PolarsResult<Headline> {
    let mut h = Headline::default();
    let (mut ltv_sum, mut ltv_n, mut orders_sum, mut repeaters, mut with_orders) =
        (Sum::default(), 0usize, 0i64, 0usize, 0usize);
    let mut ltv_block = 0.0;
    for (i, &acquired) in cols.acquired.iter().enumerate() {
        if i % BLOCK == 0 {
            ltv_sum.add_compensated(std::mem::take(&mut ltv_block));
        }
        if !in_base(acquired) {
            continue;
        }
        h.customers += 1;
        h.new_customers += usize::from(is_new(acquired));
        if let Some(Some(l)) = cols.ltv.as_ref().map(|l| l[i]) {
            ltv_block += l;
            ltv_n += 1;
        }
        if let Some(Some(o)) = cols.orders.as_ref().map(|o| o[i]) {
            orders_sum += o;
            with_orders += 1;
            repeaters += usize::from(o >= 2);
        }
    }
    ltv_sum.add_compensated(ltv_block);
    let ltv_sum = ltv_sum.total();
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
