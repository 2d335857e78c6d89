//! A price index the user supplies, to turn lira of one month into lira of another
//! ("real lira"). Kitle ships no index values: the user loads a CPI series (TCMB
//! EVDS publishes TÜFE as `TP.FG.J0`, 2003=100, monthly, and exports it as CSV or
//! Excel with a `Tarih` column of `2024-7` and a `TP_FG_J0` column) or types
//! annual rates per year.
//!
//! Before the first month and after the last the index is carried at the average
//! monthly rate of the twelve months at that end; [`PriceIndex::reach`] says how
//! far, and the screens say so.

use std::path::Path;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::engine::import::table::CellRef;

/// A month as a number: `year × 12 + month − 1`.
pub type MonthKey = i32;

pub fn month_key(date: NaiveDate) -> MonthKey {
    date.year() * 12 + date.month0() as i32
}

/// `YYYY-MM`.
pub fn month_label(key: MonthKey) -> String {
    format!("{:04}-{:02}", key.div_euclid(12), key.rem_euclid(12) + 1)
}

/// Reads `YYYY-MM` (or `YYYY-M`).
pub fn parse_month(text: &str) -> Option<MonthKey> {
    let (y, m) = text.trim().split_once('-')?;
    let (y, m) = (y.parse::<i32>().ok()?, m.parse::<i32>().ok()?);
    ((1..=12).contains(&m) && (1000..=9999).contains(&y)).then_some(y * 12 + m - 1)
}

/// One typed annual rate: prices rose `percent` % over `year`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AnnualRate {
    pub year: i32,
    pub percent: f64,
}

/// A monthly price index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct PriceIndex {
    /// Where it came from: the file's name, or empty when typed as annual rates.
    #[serde(default)]
    pub source: String,
    /// The typed rates it was made from (empty when read from a file).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub annual_rates: Vec<AnnualRate>,
    /// `(YYYY-MM, value)`, oldest first, one per month with no gaps.
    pub months: Vec<(String, f64)>,
}

/// Why an index file can't be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum IndexError {
    #[error("the file can't be read: {0}")]
    Unreadable(String),
    #[error("no column of months and index values was found (EVDS exports a Tarih column and a TP_FG_J0 column)")]
    NoColumns,
    #[error("fewer than two months have an index value")]
    TooShort,
    #[error("the index is not positive in {0}")]
    NotPositive(String),
}

/// What reading an index file found besides the index.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IndexRead {
    /// Rows with no month or no value (notes, blank rows, a source line).
    pub skipped_rows: usize,
    /// Months missing between the first and last, filled geometrically.
    pub filled_months: usize,
    /// The header of the value column used.
    pub value_column: String,
}

/// How far the index reaches and what is done beyond it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reach {
    pub first: MonthKey,
    pub last: MonthKey,
    /// The monthly rate carried after the last month (0.02 is 2%).
    pub carried_after: f64,
    /// The monthly rate carried back before the first month.
    pub carried_before: f64,
}

impl PriceIndex {
    /// Reads an index from a CSV or Excel file (an EVDS export, or any two
    /// columns of months and values).
    pub fn read(path: &Path) -> Result<(PriceIndex, IndexRead), IndexError> {
        use crate::engine::import::reader::{ReadOptions, read_table};
        let table = read_table(path, &ReadOptions::default(), &crate::engine::progress::Progress::default())
            .map_err(|e| IndexError::Unreadable(e.to_string()))?;
        let name = path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let rows = table.columns.first().map_or(0, |c| c.len());
        let column = |i: usize| -> Vec<CellRef<'_>> { (0..rows).map(|r| table.columns[i].get(r)).collect() };
        // The month column: the one most of whose cells read as months.
        let months_read = |cells: &[CellRef<'_>]| cells.iter().filter(|c| cell_month(c).is_some()).count();
        let values_read = |cells: &[CellRef<'_>]| cells.iter().filter(|c| cell_number(c).is_some()).count();
        let columns: Vec<Vec<CellRef<'_>>> = (0..table.columns.len()).map(column).collect();
        let month_col = (0..columns.len())
            .max_by_key(|&i| (months_read(&columns[i]), std::cmp::Reverse(i)))
            .filter(|&i| months_read(&columns[i]) >= 2)
            .ok_or(IndexError::NoColumns)?;
        let named = |h: &str| {
            let h = h.to_lowercase().replace(['.', ' ', '-'], "_");
            h.contains("tp_fg_j0")
                || h.contains("tufe")
                || h.contains("tüfe")
                || h.contains("index")
                || h.contains("endeks")
        };
        let value_col = (0..columns.len())
            .filter(|&i| i != month_col)
            .max_by_key(|&i| (named(&table.headers[i]), values_read(&columns[i]), std::cmp::Reverse(i)))
            .filter(|&i| values_read(&columns[i]) >= 2)
            .ok_or(IndexError::NoColumns)?;
        let mut points = Vec::new();
        let mut skipped = 0;
        for (m, v) in columns[month_col].iter().zip(&columns[value_col]) {
            match (cell_month(m), cell_number(v)) {
                (Some(m), Some(v)) => points.push((m, v)),
                _ => skipped += 1,
            }
        }
        let (index, filled) = Self::from_points(name, points)?;
        Ok((
            index,
            IndexRead { skipped_rows: skipped, filled_months: filled, value_column: table.headers[value_col].clone() },
        ))
    }

    /// An index from `(month, value)` points in any order; a month given twice keeps
    /// its last value, and months missing inside are filled geometrically. Also
    /// returns how many were filled.
    pub fn from_points(source: String, mut points: Vec<(MonthKey, f64)>) -> Result<(PriceIndex, usize), IndexError> {
        points.sort_by_key(|p| p.0);
        points.reverse();
        points.dedup_by_key(|p| p.0);
        points.reverse();
        if points.len() < 2 {
            return Err(IndexError::TooShort);
        }
        if let Some((m, _)) = points.iter().find(|(_, v)| !(v.is_finite() && *v > 0.0)) {
            return Err(IndexError::NotPositive(month_label(*m)));
        }
        let mut months = Vec::new();
        let mut filled = 0;
        for pair in points.windows(2) {
            let ((m0, v0), (m1, v1)) = (pair[0], pair[1]);
            let step = (v1 / v0).powf(1.0 / f64::from(m1 - m0));
            for k in 0..(m1 - m0) {
                months.push((month_label(m0 + k), v0 * step.powi(k)));
            }
            filled += (m1 - m0 - 1) as usize;
        }
        let (m, v) = points[points.len() - 1];
        months.push((month_label(m), v));
        Ok((PriceIndex { source, annual_rates: Vec::new(), months }, filled))
    }

    /// An index from annual rates typed per year (each year's prices rise evenly
    /// month by month): 100 at the start of the first year.
    pub fn from_annual_rates(rates: &[AnnualRate]) -> Result<PriceIndex, IndexError> {
        let mut rates: Vec<AnnualRate> = rates.to_vec();
        rates.sort_by_key(|r| r.year);
        rates.dedup_by_key(|r| r.year);
        let (Some(first), Some(last)) = (rates.first(), rates.last()) else { return Err(IndexError::TooShort) };
        if let Some(bad) = rates.iter().find(|r| !(r.percent.is_finite() && r.percent > -100.0)) {
            return Err(IndexError::NotPositive(bad.year.to_string()));
        }
        let mut months = Vec::new();
        let mut value = 100.0;
        for year in first.year..=last.year {
            // A year not typed carries the one before it.
            let rate = rates.iter().rev().find(|r| r.year <= year).map_or(0.0, |r| r.percent);
            let step = (1.0 + rate / 100.0).powf(1.0 / 12.0);
            for month in 0..12 {
                months.push((month_label(year * 12 + month), value));
                value *= step;
            }
        }
        months.push((month_label((last.year + 1) * 12), value));
        Ok(PriceIndex { source: String::new(), annual_rates: rates, months })
    }

    /// The months as keys and values.
    fn points(&self) -> impl Iterator<Item = (MonthKey, f64)> + '_ {
        self.months.iter().filter_map(|(m, v)| Some((parse_month(m)?, *v)))
    }

    /// The first and last month and the rates carried beyond them; `None` for an
    /// index with fewer than two months.
    pub fn reach(&self) -> Option<Reach> {
        let values: Vec<(MonthKey, f64)> = self.points().collect();
        if values.len() < 2 {
            return None;
        }
        let span = values.len().min(13) - 1;
        let rate = |a: f64, b: f64| (b / a).powf(1.0 / span as f64) - 1.0;
        let n = values.len();
        Some(Reach {
            first: values[0].0,
            last: values[n - 1].0,
            carried_before: rate(values[0].1, values[span].1),
            carried_after: rate(values[n - 1 - span].1, values[n - 1].1),
        })
    }

    /// A table of index values for every month in `from..=to` (carried beyond the
    /// index's reach); `None` without a usable index.
    pub fn table(&self, from: MonthKey, to: MonthKey) -> Option<IndexTable> {
        let reach = self.reach()?;
        let known: Vec<f64> = self.points().map(|(_, v)| v).collect();
        let (first_value, last_value) = (known[0], known[known.len() - 1]);
        let (from, to) = (from.min(reach.first), to.max(reach.last));
        let values = (from..=to)
            .map(|m| {
                if m < reach.first {
                    first_value / (1.0 + reach.carried_before).powi(reach.first - m)
                } else if m > reach.last {
                    last_value * (1.0 + reach.carried_after).powi(m - reach.last)
                } else {
                    known[(m - reach.first) as usize]
                }
            })
            .collect();
        Some(IndexTable { first: from, values })
    }
}

/// Index values for a run of months, read by key.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexTable {
    first: MonthKey,
    values: Vec<f64>,
}

impl IndexTable {
    /// The value of a month (the nearest end outside the table).
    pub fn value(&self, month: MonthKey) -> f64 {
        let i = (month - self.first).clamp(0, self.values.len() as i32 - 1);
        self.values[i as usize]
    }

    /// What one lira of `month` is in lira of `base`.
    pub fn factor(&self, month: MonthKey, base: MonthKey) -> f64 {
        self.value(base) / self.value(month)
    }
}

/// A cell as a month: `2024-7`, `2024-07`, `2024-07-01`, `07.2024`, `7/2024`,
/// `01.07.2024`, `01-07-2024` (EVDS's daily form) or a date cell.
fn cell_month(cell: &CellRef<'_>) -> Option<MonthKey> {
    match cell {
        CellRef::DateTime(dt) => Some(month_key(dt.date())),
        CellRef::Text(t) => text_month(t),
        _ => None,
    }
}

fn text_month(text: &str) -> Option<MonthKey> {
    let parts: Vec<&str> = text.trim().split(['-', '.', '/', ' ']).filter(|p| !p.is_empty()).collect();
    let number = |s: &str| s.parse::<i32>().ok();
    let key = |y: i32, m: i32| ((1..=12).contains(&m) && (1000..=9999).contains(&y)).then_some(y * 12 + m - 1);
    match parts.as_slice() {
        [a, b] if a.len() == 4 => key(number(a)?, number(b)?),
        [a, b] if b.len() == 4 => key(number(b)?, number(a)?),
        [a, b, _] if a.len() == 4 => key(number(a)?, number(b)?),
        [_, b, c] if c.len() == 4 => key(number(c)?, number(b)?),
        _ => None,
    }
}

/// A cell as a number: `2450.31`, `2.450,31`, `2450,31`, `2,450.31`.
fn cell_number(cell: &CellRef<'_>) -> Option<f64> {
    use crate::engine::import::parse::{DecimalSeparator, parse_number};
    match cell {
        CellRef::Number(n) => n.is_finite().then_some(*n),
        CellRef::Text(t) => {
            let t = t.trim();
            // Whichever separator comes last is the decimal one.
            let decimal = match (t.rfind(','), t.rfind('.')) {
                (Some(c), Some(p)) if c > p => DecimalSeparator::Comma,
                (Some(_), None) => DecimalSeparator::Comma,
                _ => DecimalSeparator::Point,
            };
            parse_number(t, decimal)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_read_in_the_forms_evds_and_spreadsheets_write() {
        let m = |t: &str| text_month(t).map(month_label);
        assert_eq!(m("2024-7").as_deref(), Some("2024-07"));
        assert_eq!(m("2024-07-01").as_deref(), Some("2024-07"));
        assert_eq!(m("07.2024").as_deref(), Some("2024-07"));
        assert_eq!(m("01-07-2024").as_deref(), Some("2024-07"));
        assert_eq!(m("1.7.2024").as_deref(), Some("2024-07"));
        assert_eq!(m("2024-13"), None);
        assert_eq!(m("Kaynak: TCMB"), None);
        let n = |t: &str| cell_number(&CellRef::Text(t));
        assert_eq!(n("2450.31"), Some(2450.31));
        assert_eq!(n("2.450,31"), Some(2450.31));
        assert_eq!(n("2450,31"), Some(2450.31));
        assert_eq!(n("2,450.31"), Some(2450.31));
    }

    #[test]
    fn gaps_are_filled_and_the_ends_carried_at_the_last_years_rate() {
        let points = vec![(2024 * 12, 100.0), (2024 * 12 + 2, 121.0), (2024 * 12 + 1, f64::NAN)];
        assert!(matches!(PriceIndex::from_points(String::new(), points), Err(IndexError::NotPositive(_))));
        let (index, filled) =
            PriceIndex::from_points("t.csv".into(), vec![(2024 * 12, 100.0), (2024 * 12 + 2, 121.0)]).unwrap();
        assert_eq!(filled, 1);
        assert_eq!(index.months.len(), 3);
        assert!((index.months[1].1 - 110.0).abs() < 1e-9);
        let reach = index.reach().unwrap();
        assert!((reach.carried_after - 0.1).abs() < 1e-9);
        let table = index.table(2023 * 12 + 11, 2024 * 12 + 4).unwrap();
        assert!((table.value(2024 * 12 + 4) - 121.0 * 1.21).abs() < 1e-9);
        assert!((table.value(2023 * 12 + 11) - 100.0 / 1.1).abs() < 1e-9);
        assert!((table.factor(2024 * 12, 2024 * 12 + 2) - 1.21).abs() < 1e-12);
    }

    #[test]
    fn annual_rates_compound_month_by_month() {
        let index = PriceIndex::from_annual_rates(&[
            AnnualRate { year: 2024, percent: 44.0 },
            AnnualRate { year: 2025, percent: 21.0 },
        ])
        .unwrap();
        let table = index.table(2024 * 12, 2026 * 12).unwrap();
        assert!((table.factor(2024 * 12, 2025 * 12) - 1.44).abs() < 1e-9);
        assert!((table.factor(2025 * 12, 2026 * 12) - 1.21).abs() < 1e-9);
        assert!((table.factor(2024 * 12, 2026 * 12) - 1.44 * 1.21).abs() < 1e-9);
    }
}
