//! Parsing of single cell values as written by people and spreadsheet exports:
//! numbers with either decimal convention and currency marks, dates in the formats
//! Turkish and international exports use, and yes/no answers in English or Turkish.
//!
//! Conventions that cannot be read from one value (decimal comma or point, day or
//! month first) are decided per column by [`NumberStyle::detect`] and
//! [`DateStyle::detect`], then every value of the column is parsed the same way.

use chrono::{Duration, NaiveDate};

/// Which character separates the decimals in a column of numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum DecimalSeparator {
    /// `1,234.56`
    Point,
    /// `1.234,56`
    Comma,
}

/// How a column writes its numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberStyle {
    pub decimal: DecimalSeparator,
    /// Set when no value told the separator but some were written like `1.250`
    /// (one separator, three digits after it): the reading was a choice, and the
    /// import report says which. Holds that separator.
    pub ambiguous: Option<char>,
}

impl NumberStyle {
    /// Decides the decimal separator from the values themselves; `fallback` is used
    /// when no value tells (e.g. every value is `1,234`). Semicolon-delimited files
    /// come from European spreadsheets, so callers pass `Comma` for them.
    pub fn detect<'a>(values: impl Iterator<Item = &'a str>, fallback: DecimalSeparator) -> Self {
        let (mut point_votes, mut comma_votes) = (0usize, 0usize);
        let (mut point_groups, mut comma_groups) = (false, false);
        for value in values.take(5_000) {
            match vote_decimal(value) {
                Some(DecimalSeparator::Point) => point_votes += 1,
                Some(DecimalSeparator::Comma) => comma_votes += 1,
                None => {
                    point_groups |= value.contains('.');
                    comma_groups |= value.contains(',');
                }
            }
        }
        let decimal = match point_votes.cmp(&comma_votes) {
            std::cmp::Ordering::Greater => DecimalSeparator::Point,
            std::cmp::Ordering::Less => DecimalSeparator::Comma,
            std::cmp::Ordering::Equal => fallback,
        };
        let undecided = point_votes == 0 && comma_votes == 0;
        let ambiguous = match (undecided, point_groups, comma_groups) {
            (true, true, false) => Some('.'),
            (true, false, true) => Some(','),
            _ => None,
        };
        Self { decimal, ambiguous }
    }

    /// Parses one number, or `None` when the text is not a number.
    pub fn parse(self, raw: &str) -> Option<f64> {
        parse_number(raw, self.decimal)
    }
}

/// What one value says about the decimal separator, if anything.
fn vote_decimal(raw: &str) -> Option<DecimalSeparator> {
    let body = strip_number_decorations(raw)?;
    let last_point = body.rfind('.');
    let last_comma = body.rfind(',');
    match (last_point, last_comma) {
        (Some(p), Some(c)) => Some(if p > c { DecimalSeparator::Point } else { DecimalSeparator::Comma }),
        (Some(p), None) => {
            if body.matches('.').count() > 1 {
                Some(DecimalSeparator::Comma) // 1.234.567
            } else if body.len() - p - 1 != 3 {
                Some(DecimalSeparator::Point) // 12.5
            } else {
                None // 1.234: either
            }
        }
        (None, Some(c)) => {
            if body.matches(',').count() > 1 {
                Some(DecimalSeparator::Point) // 1,234,567
            } else if body.len() - c - 1 != 3 {
                Some(DecimalSeparator::Comma) // 12,5
            } else {
                None
            }
        }
        (None, None) => None,
    }
}

/// Removes currency marks, spaces and signs' decorations; returns the digits with
/// their separators, or `None` if anything else is left.
fn strip_number_decorations(raw: &str) -> Option<&str> {
    let s = strip_currency(raw.trim_matches(|c: char| c.is_whitespace() || c == '\u{a0}' || c == '\u{202f}'));
    let s = s.trim_start_matches(['-', '+', '(']).trim_end_matches([')', '-']);
    let s = s.trim();
    if s.is_empty() || !s.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    s.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b',' || b == b' ' || b == b'\'').then_some(s)
}

/// Parses a number written with the given decimal separator. Accepts currency
/// symbols and codes before or after, thousands separators (`.`/`,`/space/`'`),
/// a leading sign and accounting parentheses for negatives.
pub fn parse_number(raw: &str, decimal: DecimalSeparator) -> Option<f64> {
    let trimmed = raw.trim_matches(|c: char| c.is_whitespace() || c == '\u{a0}' || c == '\u{202f}');
    // Fast path: a plain number that reads the same in both conventions.
    let plain = decimal == DecimalSeparator::Point || !trimmed.contains('.');
    if plain
        && let Ok(v) = trimmed.parse::<f64>()
        && v.is_finite()
        && !trimmed.contains(['e', 'E', 'i', 'I', 'n', 'N'])
    {
        return Some(v);
    }
    let negative = {
        let t = strip_currency(trimmed);
        t.starts_with('-') || (t.starts_with('(') && t.ends_with(')')) || t.ends_with('-')
    };
    let body = strip_number_decorations(trimmed)?;
    let mut digits = String::with_capacity(body.len());
    let (thousands, dec) = match decimal {
        DecimalSeparator::Point => (',', '.'),
        DecimalSeparator::Comma => ('.', ','),
    };
    let mut seen_decimal = false;
    // Digits since the last thousands separator; `None` before the first one.
    let mut group: Option<usize> = None;
    let mut leading = 0usize;
    for ch in body.chars() {
        match ch {
            '0'..='9' => {
                digits.push(ch);
                match group.as_mut() {
                    Some(g) if !seen_decimal => *g += 1,
                    None if !seen_decimal => leading += 1,
                    _ => {}
                }
            }
            c if c == dec => {
                if seen_decimal || group.is_some_and(|g| g != 3) {
                    return None;
                }
                seen_decimal = true;
                digits.push('.');
            }
            c if c == thousands || c == ' ' || c == '\'' => {
                // Thousands separators group exactly three digits: 1.234.567
                let ok = match group {
                    None => (1..=3).contains(&leading),
                    Some(g) => g == 3,
                };
                if seen_decimal || !ok {
                    return None;
                }
                group = Some(0);
            }
            _ => return None,
        }
    }
    if !seen_decimal && group.is_some_and(|g| g != 3) {
        return None;
    }
    let value: f64 = digits.parse().ok()?;
    Some(if negative { -value } else { value })
}

fn strip_currency(s: &str) -> &str {
    let mut s = s;
    for mark in ["₺", "TL", "TRY", "$", "USD", "€", "EUR", "£", "GBP"] {
        if let Some(rest) = s.strip_prefix(mark) {
            s = rest.trim_start();
        }
        if let Some(rest) = s.strip_suffix(mark) {
            s = rest.trim_end();
        }
    }
    s
}

/// Order of day and month in slash- or dash-separated dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum DayMonthOrder {
    /// `05/04/2026` is 5 April.
    DayFirst,
    /// `05/04/2026` is 4 May.
    MonthFirst,
}

/// How a column writes dates, decided from all of its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateStyle {
    pub order: DayMonthOrder,
    /// No value told day and month apart; `order` is a default the user may change.
    pub ambiguous: bool,
}

impl DateStyle {
    /// Looks at every `a/b/yyyy` value: a first part over 12 means day first, a second
    /// part over 12 means month first. When nothing tells, day first (Turkish usage)
    /// and the column is reported as ambiguous.
    pub fn detect<'a>(values: impl Iterator<Item = &'a str>, fallback: DayMonthOrder) -> Self {
        let (mut day_first, mut month_first, mut slash_dates) = (false, false, false);
        for value in values {
            if let Some((a, b)) = slash_parts(value.trim()) {
                slash_dates = true;
                if a > 12 {
                    day_first = true;
                }
                if b > 12 {
                    month_first = true;
                }
            }
        }
        match (day_first, month_first) {
            (true, false) => Self { order: DayMonthOrder::DayFirst, ambiguous: false },
            (false, true) => Self { order: DayMonthOrder::MonthFirst, ambiguous: false },
            _ => Self { order: fallback, ambiguous: slash_dates && !(day_first && month_first) },
        }
    }

    pub fn parse(self, raw: &str) -> Option<NaiveDate> {
        parse_date(raw, self.order)
    }
}

/// The first two numeric parts of `a/b/yyyy` or `a-b-yyyy` (not ISO).
fn slash_parts(s: &str) -> Option<(u32, u32)> {
    let date = s.split([' ', 'T']).next()?;
    let sep = if date.contains('/') {
        '/'
    } else if date.contains('-') {
        '-'
    } else {
        return None;
    };
    let mut parts = date.split(sep);
    let a = parts.next()?;
    let b = parts.next()?;
    let c = parts.next()?;
    if a.len() > 2 || c.len() < 2 || parts.next().is_some() {
        return None; // ISO yyyy-mm-dd or not a date
    }
    Some((a.parse().ok()?, b.parse().ok()?))
}

/// Parses a date: ISO (with optional time and zone, kept as the local date written),
/// `dd.mm.yyyy`, `a/b/yyyy` and `a-b-yyyy` in the given order, two-digit years, and
/// `yyyymmdd`.
pub fn parse_date(raw: &str, order: DayMonthOrder) -> Option<NaiveDate> {
    let s = raw.trim().trim_start_matches('\'');
    match fixed_width_date(s.as_bytes(), order) {
        Some(date) => date,
        None => parse_date_any_width(s, order),
    }
}

/// The common shapes, `yyyy-mm-dd` and `dd.mm.yyyy` (or `/`, `-`), optionally
/// followed by a time, read straight from the bytes; `None` when the text has
/// another shape. Gives what [`parse_date_any_width`] gives for these shapes.
fn fixed_width_date(b: &[u8], order: DayMonthOrder) -> Option<Option<NaiveDate>> {
    if b.len() < 10 || !(b.len() == 10 || matches!(b[10], b' ' | b'T')) {
        return None;
    }
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        b[range].iter().try_fold(0u32, |n, &d| d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0')))
    };
    let (year, month, day) = if b[4] == b'-' && b[7] == b'-' {
        (digits(0..4)?, digits(5..7)?, digits(8..10)?)
    } else if b[2] == b[5] && matches!(b[2], b'.' | b'/' | b'-') {
        let (a, m, year) = (digits(0..2)?, digits(3..5)?, digits(6..10)?);
        match (b[2], order) {
            (b'.', _) | (_, DayMonthOrder::DayFirst) => (year, m, a),
            (_, DayMonthOrder::MonthFirst) => (year, a, m),
        }
    } else {
        return None;
    };
    Some(NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day))
}

fn parse_date_any_width(s: &str, order: DayMonthOrder) -> Option<NaiveDate> {
    if s.is_empty() {
        return None;
    }
    let date_part = s.split([' ', 'T']).next()?;
    if date_part.len() == 8 && date_part.bytes().all(|b| b.is_ascii_digit()) {
        return parse_compact_date(date_part);
    }
    let sep = date_part.bytes().find(|b| matches!(b, b'-' | b'.' | b'/'))?;
    let mut parts = date_part.split(sep as char);
    let (a, b, c) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let num = |p: &str| -> Option<i32> {
        if p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        p.parse().ok()
    };
    let (a_n, b_n, c_n) = (num(a)?, num(b)?, num(c)?);
    let (year, month, day) = if a.len() == 4 {
        (a_n, b_n, c_n) // ISO order
    } else {
        let year = match c.len() {
            4 => c_n,
            2 => {
                if c_n < 70 {
                    2000 + c_n
                } else {
                    1900 + c_n
                }
            }
            _ => return None,
        };
        match (sep, order) {
            (b'.', _) | (_, DayMonthOrder::DayFirst) => (year, b_n, a_n),
            (_, DayMonthOrder::MonthFirst) => (year, a_n, b_n),
        }
    };
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

/// `yyyymmdd` with a plausible year.
pub fn parse_compact_date(s: &str) -> Option<NaiveDate> {
    if s.len() != 8 {
        return None;
    }
    let year: i32 = s.get(0..4)?.parse().ok()?;
    let month: u32 = s.get(4..6)?.parse().ok()?;
    let day: u32 = s.get(6..8)?.parse().ok()?;
    if !(1900..=2100).contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day)
}

/// Excel's serial day number (1900 date system, with its 1900-02-29 quirk) as a date.
/// Only serials between 1950 and 2100 are taken, so amounts are not mistaken for dates.
pub fn excel_serial_to_date(serial: f64) -> Option<NaiveDate> {
    if !(18_264.0..=73_051.0).contains(&serial) {
        return None;
    }
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    base.checked_add_signed(Duration::days(serial.floor() as i64))
}

/// Yes/no in English or Turkish (`yes`, `true`, `1`, `evet`, `var`, `x` …).
pub fn parse_bool(raw: &str) -> Option<bool> {
    let s = raw.trim();
    let lower = crate::engine::text::fold(s);
    match lower.as_str() {
        "yes" | "y" | "true" | "t" | "1" | "evet" | "e" | "var" | "x" | "subscribed" | "opted_in" | "abone" => {
            Some(true)
        }
        "no" | "n" | "false" | "f" | "0" | "hayir" | "h" | "yok" | "unsubscribed" | "not_subscribed" | "opted_out"
        | "-" => Some(false),
        _ => None,
    }
}

/// Splits a tags cell (`vip, newsletter; sale`) into trimmed, non-empty tags.
pub fn parse_tags(raw: &str) -> Vec<String> {
    raw.split([',', ';', '|']).map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned).collect()
}

/// Text as an identifier: Excel's text marker (`'9013808660771`) removed, and a
/// float-formatted integer (`12345.0`) from a spreadsheet cell written as digits.
pub fn clean_identifier(raw: &str) -> &str {
    let s = raw.trim();
    let s = s.strip_prefix('\'').unwrap_or(s);
    s.strip_suffix(".0").filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())).unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The fast path for common date shapes agrees with the general reader.
        #[test]
        fn fixed_width_dates_read_like_any_width(
            text in "[0-9]{1,4}[-./][0-9]{1,2}[-./][0-9]{2,4}([ T][0-9:]{0,8})?",
            month_first: bool,
        ) {
            let order = if month_first { DayMonthOrder::MonthFirst } else { DayMonthOrder::DayFirst };
            proptest::prop_assert_eq!(parse_date(&text, order), parse_date_any_width(&text, order));
        }
    }

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn numbers_in_both_conventions() {
        use DecimalSeparator::{Comma, Point};
        assert_eq!(parse_number("1234.56", Point), Some(1234.56));
        assert_eq!(parse_number("1,234.56", Point), Some(1234.56));
        assert_eq!(parse_number("1.234,56", Comma), Some(1234.56));
        assert_eq!(parse_number("1234,56", Comma), Some(1234.56));
        assert_eq!(parse_number(" 7.250 ₺ ", Comma), Some(7250.0));
        assert_eq!(parse_number("₺7,250", Point), Some(7250.0));
        assert_eq!(parse_number("1.250,00 TL", Comma), Some(1250.0));
        assert_eq!(parse_number("$ 99.90", Point), Some(99.9));
        assert_eq!(parse_number("-45,5", Comma), Some(-45.5));
        assert_eq!(parse_number("(12.50)", Point), Some(-12.5));
        assert_eq!(parse_number("1 234 567", Point), Some(1_234_567.0));
        assert_eq!(parse_number("abc", Point), None);
        assert_eq!(parse_number("12a", Point), None);
        assert_eq!(parse_number("1.2.3,4,5", Comma), None);
        assert_eq!(parse_number("inf", Point), None);
        assert_eq!(parse_number("", Point), None);
        assert_eq!(parse_number("12.000", Comma), Some(12_000.0));
        assert_eq!(parse_number("12.5", Point), Some(12.5));
        assert_eq!(parse_number("12..5", Comma), None);
        assert_eq!(parse_number("1.23,5", Comma), None);
        assert_eq!(parse_number("12,34,567.5", Point), None);
    }

    #[test]
    fn decimal_separator_from_column() {
        let turkish = ["1.234,56", "12,5", "7.250"];
        assert_eq!(NumberStyle::detect(turkish.into_iter(), DecimalSeparator::Point).decimal, DecimalSeparator::Comma);
        let english = ["1,234.56", "12.5", "7,250"];
        assert_eq!(NumberStyle::detect(english.into_iter(), DecimalSeparator::Comma).decimal, DecimalSeparator::Point);
        let unclear = ["1,234", "7,250"];
        assert_eq!(NumberStyle::detect(unclear.into_iter(), DecimalSeparator::Comma).decimal, DecimalSeparator::Comma);
    }

    #[test]
    fn dates_in_every_supported_form() {
        use DayMonthOrder::{DayFirst, MonthFirst};
        assert_eq!(parse_date("2026-04-05", DayFirst), d(2026, 4, 5));
        assert_eq!(parse_date("2026-04-05 19:50:32 +0300", DayFirst), d(2026, 4, 5));
        assert_eq!(parse_date("2026-04-05T19:50:32Z", DayFirst), d(2026, 4, 5));
        assert_eq!(parse_date("05.04.2026", MonthFirst), d(2026, 4, 5));
        assert_eq!(parse_date("5.4.2026 14:02", DayFirst), d(2026, 4, 5));
        assert_eq!(parse_date("05/04/2026", DayFirst), d(2026, 4, 5));
        assert_eq!(parse_date("05/04/2026", MonthFirst), d(2026, 5, 4));
        assert_eq!(parse_date("05-04-26", DayFirst), d(2026, 4, 5));
        assert_eq!(parse_date("20260405", DayFirst), d(2026, 4, 5));
        assert_eq!(parse_date("2026/04/05", DayFirst), d(2026, 4, 5));
        assert_eq!(parse_date("31.02.2026", DayFirst), None);
        assert_eq!(parse_date("yesterday", DayFirst), None);
        assert_eq!(parse_date("12345678", DayFirst), None);
    }

    #[test]
    fn day_month_order_from_column() {
        let day_first = ["05/04/2026", "25/04/2026"];
        let s = DateStyle::detect(day_first.into_iter(), DayMonthOrder::MonthFirst);
        assert_eq!((s.order, s.ambiguous), (DayMonthOrder::DayFirst, false));
        let month_first = ["05/04/2026", "04/25/2026"];
        let s = DateStyle::detect(month_first.into_iter(), DayMonthOrder::DayFirst);
        assert_eq!((s.order, s.ambiguous), (DayMonthOrder::MonthFirst, false));
        let unclear = ["05/04/2026", "01/02/2026"];
        let s = DateStyle::detect(unclear.into_iter(), DayMonthOrder::DayFirst);
        assert_eq!((s.order, s.ambiguous), (DayMonthOrder::DayFirst, true));
        let iso = ["2026-04-05"];
        assert!(!DateStyle::detect(iso.into_iter(), DayMonthOrder::DayFirst).ambiguous);
    }

    #[test]
    fn excel_serials_and_booleans_and_ids() {
        assert_eq!(excel_serial_to_date(46117.0), d(2026, 4, 5));
        assert_eq!(excel_serial_to_date(125.0), None);
        assert_eq!(parse_bool("Evet"), Some(true));
        assert_eq!(parse_bool("HAYIR"), Some(false));
        assert_eq!(parse_bool("no"), Some(false));
        assert_eq!(parse_bool("maybe"), None);
        assert_eq!(parse_tags("vip, newsletter; ;sale"), vec!["vip", "newsletter", "sale"]);
        assert_eq!(clean_identifier("'9013808660771"), "9013808660771");
        assert_eq!(clean_identifier("12345.0"), "12345");
        assert_eq!(clean_identifier("A-12.0"), "A-12.0");
    }
}
