//! Numbers, money and dates written for the reader's language: Turkish writes
//! `7.250 ₺` and `05.04.2026`, English `₺7,250` and `5 Apr 2026`. No UI code, so the
//! CLI and exports can use it too.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// The languages Kitle speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Lang {
    Tr,
    #[default]
    En,
}

impl Lang {
    /// From a locale name such as `tr-TR` or `en_US.UTF-8`; anything not Turkish is English.
    pub fn from_locale(locale: &str) -> Self {
        if locale.to_lowercase().starts_with("tr") { Lang::Tr } else { Lang::En }
    }

    /// The system's language.
    pub fn from_system() -> Self {
        sys_locale::get_locale().map_or(Lang::En, |l| Self::from_locale(&l))
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Tr => "tr",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "tr" => Some(Lang::Tr),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// How a workspace's currency is written.
fn currency_symbol(code: &str) -> &str {
    match code {
        "TRY" => "₺",
        "USD" => "$",
        "EUR" => "€",
        "GBP" => "£",
        other => other,
    }
}

/// Groups digits: `1234567` → `1.234.567` (Turkish) or `1,234,567` (English).
fn group_digits(int_part: &str, sep: char) -> String {
    let mut out = String::with_capacity(int_part.len() + int_part.len() / 3);
    for (i, ch) in int_part.chars().enumerate() {
        if i > 0 && (int_part.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(ch);
    }
    out
}

/// A number with `decimals` decimals and thousands separators.
pub fn number(value: f64, decimals: usize, lang: Lang) -> String {
    if !value.is_finite() {
        return "—".to_owned();
    }
    let (thousands, decimal) = match lang {
        Lang::Tr => ('.', ','),
        Lang::En => (',', '.'),
    };
    let text = format!("{:.*}", decimals, value.abs());
    let (int_part, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::new();
    if value < 0.0 && text.bytes().any(|b| (b'1'..=b'9').contains(&b)) {
        out.push('-');
    }
    out.push_str(&group_digits(int_part, thousands));
    if !frac.is_empty() {
        out.push(decimal);
        out.push_str(frac);
    }
    out
}

/// A whole count: `3.000` / `3,000`.
pub fn count(value: usize, lang: Lang) -> String {
    number(value as f64, 0, lang)
}

/// Money in the workspace currency. Whole amounts from 1,000 up drop the cents, as
/// dashboards do: `7.250 ₺` / `₺7,250`; smaller ones keep them: `89,90 ₺` / `₺89.90`.
pub fn money(value: f64, currency: &str, lang: Lang) -> String {
    let decimals = if value.abs() >= 1_000.0 { 0 } else { 2 };
    money_with(value, decimals, currency, lang)
}

/// Money, or "—" when there is no figure.
pub fn money_or_dash(value: Option<f64>, currency: &str, lang: Lang) -> String {
    value.map_or_else(|| "—".to_owned(), |v| money(v, currency, lang))
}

/// Money short enough for a dashboard card: from a million up, millions or billions
/// with two decimals (`1,09 Mr ₺` / `₺1.09B`); smaller amounts as [`money`].
pub fn money_compact(value: f64, currency: &str, lang: Lang) -> String {
    let (scale, tr, en) = match value.abs() {
        v if v >= 1e9 => (1e9, "Mr", "B"),
        v if v >= 1e6 => (1e6, "Mn", "M"),
        _ => return money(value, currency, lang),
    };
    let amount = number(value.abs() / scale, 2, lang);
    let sign = if value < 0.0 { "-" } else { "" };
    let symbol = currency_symbol(currency);
    match lang {
        Lang::Tr => format!("{sign}{amount} {tr} {symbol}"),
        Lang::En if symbol.chars().count() == 1 => format!("{sign}{symbol}{amount}{en}"),
        Lang::En => format!("{sign}{amount}{en} {symbol}"),
    }
}

pub fn money_with(value: f64, decimals: usize, currency: &str, lang: Lang) -> String {
    let symbol = currency_symbol(currency);
    let amount = number(value.abs(), decimals, lang);
    let sign = if value < 0.0 && amount.bytes().any(|b| (b'1'..=b'9').contains(&b)) { "-" } else { "" };
    match lang {
        Lang::Tr => format!("{sign}{amount} {symbol}"),
        Lang::En if symbol.chars().count() == 1 => format!("{sign}{symbol}{amount}"),
        Lang::En => format!("{sign}{amount} {symbol}"),
    }
}

/// A share as a percentage: `%12,5` (Turkish puts the sign first) / `12.5%`.
pub fn percent(share: f64, lang: Lang) -> String {
    let n = number(share * 100.0, 1, lang);
    match lang {
        Lang::Tr => format!("%{n}"),
        Lang::En => format!("{n}%"),
    }
}

const MONTHS_EN: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const MONTHS_TR: [&str; 12] = ["Oca", "Şub", "Mar", "Nis", "May", "Haz", "Tem", "Ağu", "Eyl", "Eki", "Kas", "Ara"];

/// A date: `05.04.2026` / `5 Apr 2026`.
pub fn date(d: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Tr => d.format("%d.%m.%Y").to_string(),
        Lang::En => format!("{} {} {}", d.day(), MONTHS_EN[d.month0() as usize], d.year()),
    }
}

/// A month: `Nis 2026` / `Apr 2026`.
pub fn month(d: NaiveDate, lang: Lang) -> String {
    let names = match lang {
        Lang::Tr => &MONTHS_TR,
        Lang::En => &MONTHS_EN,
    };
    format!("{} {}", names[d.month0() as usize], d.year())
}

/// A time stamp Kitle stored as text (`2026-10-31 09:00`, with or without seconds,
/// or a bare ISO date) written the language's way: `31.10.2026 09:00` /
/// `31 Oct 2026 09:00`. Text that is not such a stamp is returned unchanged.
pub fn stamp(text: &str, lang: Lang) -> String {
    let text = text.trim();
    for pattern in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"] {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(text, pattern) {
            return format!("{} {}", date(t.date(), lang), t.format("%H:%M"));
        }
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_or_else(|_| text.to_owned(), |d| date(d, lang))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_money_is_compact_and_small_money_is_not() {
        assert_eq!(money_compact(1_090_000_000.0, "TRY", Lang::Tr), "1,09 Mr ₺");
        assert_eq!(money_compact(1_090_000_000.0, "TRY", Lang::En), "₺1.09B");
        assert_eq!(money_compact(3_328_038.0, "TRY", Lang::En), "₺3.33M");
        assert_eq!(money_compact(-2_500_000.0, "EUR", Lang::Tr), "-2,50 Mn €");
        assert_eq!(money_compact(999_999.0, "TRY", Lang::En), money(999_999.0, "TRY", Lang::En));
    }

    #[test]
    fn money_in_both_languages() {
        assert_eq!(money(7250.0, "TRY", Lang::Tr), "7.250 ₺");
        assert_eq!(money(7250.0, "TRY", Lang::En), "₺7,250");
        assert_eq!(money(89.9, "TRY", Lang::Tr), "89,90 ₺");
        assert_eq!(money(89.9, "USD", Lang::En), "$89.90");
        assert_eq!(money(-1234567.0, "EUR", Lang::Tr), "-1.234.567 €");
        assert_eq!(money(12.0, "CHF", Lang::En), "12.00 CHF");
        assert_eq!(money(-0.001, "TRY", Lang::En), "₺0.00");
    }

    #[test]
    fn numbers_dates_and_percentages() {
        assert_eq!(number(1234.5, 1, Lang::Tr), "1.234,5");
        assert_eq!(number(1234.5, 1, Lang::En), "1,234.5");
        assert_eq!(count(3000, Lang::Tr), "3.000");
        assert_eq!(count(999, Lang::En), "999");
        assert_eq!(percent(0.125, Lang::Tr), "%12,5");
        assert_eq!(percent(0.125, Lang::En), "12.5%");
        let d = NaiveDate::from_ymd_opt(2026, 4, 5).unwrap();
        assert_eq!(date(d, Lang::Tr), "05.04.2026");
        assert_eq!(date(d, Lang::En), "5 Apr 2026");
        assert_eq!(month(d, Lang::Tr), "Nis 2026");
        assert_eq!(Lang::from_locale("tr-TR"), Lang::Tr);
        assert_eq!(Lang::from_locale("en_US.UTF-8"), Lang::En);
        assert_eq!(number(f64::NAN, 0, Lang::En), "—");
        assert_eq!(stamp("2026-10-31 09:00", Lang::Tr), "31.10.2026 09:00");
        assert_eq!(stamp("2026-10-31 09:00:12", Lang::En), "31 Oct 2026 09:00");
        assert_eq!(stamp("2026-10-31", Lang::Tr), "31.10.2026");
        assert_eq!(stamp("yesterday", Lang::Tr), "yesterday");
    }
}
