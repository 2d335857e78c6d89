//! Numbers and dates as a person types them in their language, for every input of
//! the app: Turkish writes `2.500` and `2.500,75`, English `2,500.75`. One reader,
//! so the LTV bands, the spend table, the builder and the persona editor agree. A
//! value that another convention would read differently (`2,500` in Turkish) is read
//! the language's way and reported as ambiguous, so the screen can say so; nothing
//! is reinterpreted silently.

use chrono::NaiveDate;

use super::import::parse::{DecimalSeparator, parse_number};
use super::import::table::format_plain_number;
use crate::format::Lang;

/// A number read from what was typed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TypedNumber {
    pub value: f64,
    /// What the other language's convention would make of the same text, when it
    /// differs (`2,500` in Turkish is 2,5; in English it is 2500).
    pub other_reading: Option<f64>,
}

impl TypedNumber {
    pub fn is_ambiguous(&self) -> bool {
        self.other_reading.is_some()
    }
}

fn separator(lang: Lang) -> DecimalSeparator {
    match lang {
        Lang::Tr => DecimalSeparator::Comma,
        Lang::En => DecimalSeparator::Point,
    }
}

/// Reads `text` the way `lang` writes numbers; `None` when it is not a number in
/// that language (`2.5` in Turkish: a thousands point needs three digits after it).
pub fn read_number(text: &str, lang: Lang) -> Option<TypedNumber> {
    let text = text.trim();
    let value = parse_number(text, separator(lang))?;
    let other_lang = match lang {
        Lang::Tr => Lang::En,
        Lang::En => Lang::Tr,
    };
    // A lone decimal separator followed by exactly three digits ("2,500" in
    // Turkish, "2.500" in English) is most likely a thousands separator from the
    // other convention: say so. Thousands written the language's way ("2.500" in
    // Turkish) and numbers with both separators read one way only.
    let decimal = match lang {
        Lang::Tr => ',',
        Lang::En => '.',
    };
    let separators: Vec<(usize, char)> = text.char_indices().filter(|(_, c)| matches!(c, '.' | ',')).collect();
    let other_reading = match separators.as_slice() {
        [(at, c)] if *c == decimal && text[at + 1..].chars().take_while(char::is_ascii_digit).count() == 3 => {
            parse_number(text, separator(other_lang)).filter(|other| (other - value).abs() > f64::EPSILON)
        }
        _ => None,
    };
    Some(TypedNumber { value, other_reading })
}

/// A number written back for typing in `lang` with no thousands separators, so it
/// reads one way only: `2500`, `7,5` (Turkish), `7.5` (English).
pub fn plain_number(value: f64, lang: Lang) -> String {
    let plain = format_plain_number(value);
    match lang {
        Lang::Tr => plain.replace('.', ","),
        Lang::En => plain,
    }
}

/// A date typed the way the language shows it (`05.04.2026` in Turkish, `5 Apr
/// 2026` in English) or as ISO `2026-04-05`, which both accept. English slashes
/// are refused: `04/05/2026` means different days on either side of the Atlantic.
pub fn read_date(text: &str, lang: Lang) -> Option<NaiveDate> {
    let text = text.trim();
    if let Ok(d) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Some(d);
    }
    match lang {
        Lang::Tr => NaiveDate::parse_from_str(text, "%d.%m.%Y").ok(),
        Lang::En => NaiveDate::parse_from_str(text, "%d %b %Y").ok(),
    }
}

const MONTHS_EN: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];
/// Turkish month names folded to ASCII (`şubat` → `subat`), as [`super::text::fold`] writes them.
const MONTHS_TR: [&str; 12] =
    ["ocak", "subat", "mart", "nisan", "mayis", "haziran", "temmuz", "agustos", "eylul", "ekim", "kasim", "aralik"];

/// A month typed the language's way: `Mar 2026`, `Mart 2026` or `03.2026` in
/// Turkish, `Mar 2026` or `March 2026` in English, and ISO `2026-03` in both. The
/// first day of that month.
pub fn read_month(text: &str, lang: Lang) -> Option<NaiveDate> {
    let text = text.trim();
    let first = |year: &str, month: u32| NaiveDate::from_ymd_opt(year.trim().parse().ok()?, month, 1);
    if let Some((year, month)) = text.split_once('-') {
        return first(year, month.trim().parse().ok()?).filter(|_| year.trim().len() == 4);
    }
    if lang == Lang::Tr
        && let Some((month, year)) = text.split_once('.')
    {
        return first(year, month.trim().parse().ok()?).filter(|_| year.trim().len() == 4);
    }
    let (name, year) = text.rsplit_once(char::is_whitespace)?;
    let name = super::text::fold(name.trim().trim_end_matches('.'));
    let names = if lang == Lang::Tr { &MONTHS_TR } else { &MONTHS_EN };
    // A name or its first three letters (or more): `Nis`, `Nisan`; `Sept`, `September`.
    let month = names.iter().position(|full| name.len() >= 3 && full.starts_with(name.as_str()))?;
    first(year, month as u32 + 1).filter(|_| year.trim().len() == 4)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str, lang: Lang) -> Option<f64> {
        read_number(text, lang).map(|n| n.value)
    }

    #[test]
    fn each_language_reads_its_own_way() {
        assert_eq!(value("2.500", Lang::Tr), Some(2500.0));
        assert_eq!(value("2.500,75", Lang::Tr), Some(2500.75));
        assert_eq!(value("7,5", Lang::Tr), Some(7.5));
        assert_eq!(value("2,500.75", Lang::En), Some(2500.75));
        assert_eq!(value("7.5", Lang::En), Some(7.5));
        assert_eq!(value("5000", Lang::Tr), Some(5000.0));
        assert_eq!(value(" 1.250,5 ₺ ", Lang::Tr), Some(1250.5));
    }

    #[test]
    fn what_reads_two_ways_says_so_and_what_reads_no_way_is_refused() {
        let tr = read_number("2,500", Lang::Tr).unwrap();
        assert_eq!((tr.value, tr.other_reading), (2.5, Some(2500.0)));
        let en = read_number("2.500", Lang::En).unwrap();
        assert_eq!((en.value, en.other_reading), (2.5, Some(2500.0)));
        assert!(!read_number("2.500", Lang::Tr).unwrap().is_ambiguous());
        assert!(!read_number("2.500,75", Lang::Tr).unwrap().is_ambiguous());
        assert!(!read_number("7,5", Lang::Tr).unwrap().is_ambiguous());
        assert_eq!(read_number("2.5", Lang::Tr), None);
        assert_eq!(read_number("lots", Lang::En), None);
        assert_eq!(read_number("", Lang::En), None);
    }

    #[test]
    fn plain_numbers_and_dates() {
        assert_eq!(plain_number(2500.0, Lang::Tr), "2500");
        assert_eq!(plain_number(7.5, Lang::Tr), "7,5");
        assert_eq!(plain_number(7.5, Lang::En), "7.5");
        let d = NaiveDate::from_ymd_opt(2026, 4, 5);
        assert_eq!(read_date("05.04.2026", Lang::Tr), d);
        assert_eq!(read_date("2026-04-05", Lang::Tr), d);
        assert_eq!(read_date("5 Apr 2026", Lang::En), d);
        assert_eq!(read_date("2026-04-05", Lang::En), d);
        assert_eq!(read_date("04/05/2026", Lang::En), None);
        let march = NaiveDate::from_ymd_opt(2026, 3, 1);
        for (text, lang) in [
            ("2026-03", Lang::Tr),
            ("03.2026", Lang::Tr),
            ("3.2026", Lang::Tr),
            ("Mar 2026", Lang::Tr),
            ("Mart 2026", Lang::Tr),
            ("2026-03", Lang::En),
            ("Mar 2026", Lang::En),
            ("march 2026", Lang::En),
        ] {
            assert_eq!(read_month(text, lang), march, "{text} in {lang:?}");
        }
        assert_eq!(read_month("Şub 2026", Lang::Tr), NaiveDate::from_ymd_opt(2026, 2, 1));
        assert_eq!(read_month("Ağu 2026", Lang::Tr), NaiveDate::from_ymd_opt(2026, 8, 1));
        for (text, lang) in [("13.2026", Lang::Tr), ("Ma 2026", Lang::En), ("Mar 26", Lang::En), ("03/2026", Lang::En)]
        {
            assert_eq!(read_month(text, lang), None, "{text} in {lang:?}");
        }
        // What the app writes reads back.
        for month in 1..=12 {
            let d = NaiveDate::from_ymd_opt(2026, month, 1).unwrap();
            for lang in [Lang::Tr, Lang::En] {
                assert_eq!(read_month(&crate::format::month(d, lang), lang), Some(d));
            }
        }
    }

    proptest::proptest! {
        /// Whatever the language writes, it reads back unchanged.
        #[test]
        fn written_numbers_read_back(cents in -1_000_000_000i64..1_000_000_000, tr in proptest::bool::ANY) {
            let lang = if tr { Lang::Tr } else { Lang::En };
            let v = cents as f64 / 100.0;
            let written = crate::format::number(v, 2, lang);
            proptest::prop_assert_eq!(value(&written, lang), Some(v));
            proptest::prop_assert_eq!(value(&plain_number(v, lang), lang), Some(v));
        }
    }
}
