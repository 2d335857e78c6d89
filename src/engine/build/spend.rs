//! Marketing spend: long form (channel, period, spend) or wide form (a period
//! column and one amount column per channel), with periods as months or days.

use chrono::NaiveDate;

use super::orders::{f64_col, str_col};
use crate::engine::data::{ImportReport, SpendEntry};
use crate::engine::import::{ColumnInfo, ImportError, LoadedSource};
use crate::engine::message::Message;
use crate::engine::text::fold;
use polars::prelude::*;

/// Spend rows: long form (channel, period, spend) or wide form (a period column and
/// one amount column per channel).
pub(super) fn spend_entries(s: &LoadedSource, report: &mut ImportReport) -> Result<Vec<SpendEntry>, ImportError> {
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
        let wide: Vec<&ColumnInfo> = s.custom_columns().filter(|c| c.ty.is_numeric()).collect();
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
    let d = crate::engine::import::parse::parse_date(t, crate::engine::import::parse::DayMonthOrder::DayFirst)?;
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
    }
}
