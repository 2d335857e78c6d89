//! A rule as a sentence a marketer reads, in Turkish or English: fields by their
//! display names, operators in words ("30 günden eski", "5.000 ₺ üzerinde"),
//! numbers, money and dates in the language's format, RFM groups by name, and
//! AND/OR grouping made plain with parentheses around each AND-chain that sits
//! beside an OR. The text form ([`super::text`]) stays what people type; this is
//! what they read.

use chrono::NaiveDate;

use super::history::{LineAttr, Measure, Window};
use super::{Condition, DateUnit, Group, Node, Op};
use crate::engine::data::CustomerData;
use crate::engine::fields::FieldType;
use crate::format::{self, Lang};
use crate::i18n::{field_label, rfm_group_label};

/// How values are written: the field types the data has, and its currency.
#[derive(Clone, Copy)]
pub struct Reading<'a> {
    pub data: Option<&'a CustomerData>,
    pub currency: &'a str,
    pub lang: Lang,
}

/// The rule as one sentence; "every customer" for the empty rule.
pub fn describe(rule: &Group, reading: Reading<'_>) -> String {
    if rule.items.is_empty() {
        return words(reading.lang, "every customer", "tüm müşteriler").to_owned();
    }
    group_text(rule, reading)
}

/// One condition as a phrase (the why panel marks each one).
pub fn describe_condition(condition: &Condition, reading: Reading<'_>) -> String {
    condition_text(condition, reading)
}

fn words(lang: Lang, en: &'static str, tr: &'static str) -> &'static str {
    if lang == Lang::Tr { tr } else { en }
}

fn group_text(group: &Group, reading: Reading<'_>) -> String {
    let chains = group.or_of_ands();
    let several = chains.len() > 1;
    let and = words(reading.lang, " and ", " ve ");
    let or = words(reading.lang, " or ", " veya ");
    chains
        .iter()
        .map(|chain| {
            let parts: Vec<String> = chain
                .iter()
                .map(|item| match (&item.node, item.negate) {
                    (Node::Condition(c), false) => condition_text(c, reading),
                    (Node::Condition(c), true) => negated_condition(c, reading),
                    (Node::Group(g), negate) => {
                        let inner = format!("({})", group_text(g, reading));
                        match (negate, reading.lang) {
                            (false, _) => inner,
                            (true, Lang::En) => format!("not {inner}"),
                            (true, Lang::Tr) => format!("{inner} değil"),
                        }
                    }
                })
                .collect();
            let joined = parts.join(and);
            if several && parts.len() > 1 { format!("({joined})") } else { joined }
        })
        .collect::<Vec<_>>()
        .join(or)
}

/// A condition that must not hold: "“VIP” segmentinde değil", "not in the segment “VIP”".
fn negated_condition(c: &Condition, reading: Reading<'_>) -> String {
    let phrase = condition_text(c, reading);
    match reading.lang {
        Lang::Tr => format!("{phrase} değil"),
        Lang::En if matches!(c.op, Op::InSegment | Op::InSplit | Op::LookalikeOf) => format!("not {phrase}"),
        Lang::En => format!("not ({phrase})"),
    }
}

fn field_type(field: &str, reading: Reading<'_>) -> Option<FieldType> {
    match Measure::of_field(field) {
        Some(m) => Some(m.ty()),
        None => reading.data.and_then(|d| d.field(field)).map(|f| f.ty),
    }
}

/// A value as the language writes it: money with its symbol, numbers grouped,
/// dates as dates, RFM groups by name, text in quotes.
fn value_text(field: &str, value: &str, reading: Reading<'_>) -> String {
    let lang = reading.lang;
    let ty = field_type(field, reading);
    if field == "rfm_group" {
        return quote(&rfm_group_label(lang, value), lang);
    }
    if let Ok(date) = NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d") {
        return format::date(date, lang);
    }
    match (ty, value.trim().parse::<f64>()) {
        (Some(FieldType::Money), Ok(n)) => format::money_with(n, decimals_of(value), reading.currency, lang),
        (Some(FieldType::Text | FieldType::Category | FieldType::List), _) | (_, Err(_)) => quote(value, lang),
        (_, Ok(n)) => format::number(n, decimals_of(value), lang),
    }
}

/// The decimals a value was written with (`1250.5` → 1).
fn decimals_of(value: &str) -> usize {
    value.trim().split_once('.').map_or(0, |(_, d)| d.len())
}

fn quote(value: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("“{value}”"),
        Lang::Tr => format!("“{value}”"),
    }
}

fn unit_word(unit: DateUnit, lang: Lang) -> &'static str {
    match (unit, lang) {
        (DateUnit::Days, Lang::En) => "days",
        (DateUnit::Weeks, Lang::En) => "weeks",
        (DateUnit::Months, Lang::En) => "months",
        (DateUnit::Days, Lang::Tr) => "gün",
        (DateUnit::Weeks, Lang::Tr) => "hafta",
        (DateUnit::Months, Lang::Tr) => "ay",
    }
}

/// Turkish "from N days" and "in N days" (the suffix follows the vowel).
fn unit_tr(unit: DateUnit, ablative: bool) -> &'static str {
    match (unit, ablative) {
        (DateUnit::Days, true) => "günden",
        (DateUnit::Weeks, true) => "haftadan",
        (DateUnit::Months, true) => "aydan",
        (DateUnit::Days, false) => "günde",
        (DateUnit::Weeks, false) => "haftada",
        (DateUnit::Months, false) => "ayda",
    }
}

fn list_text(field: &str, values: &[String], reading: Reading<'_>) -> String {
    let or = words(reading.lang, " or ", " veya ");
    values.iter().map(|v| value_text(field, v, reading)).collect::<Vec<_>>().join(or)
}

fn condition_text(c: &Condition, reading: Reading<'_>) -> String {
    let lang = reading.lang;
    let v = |i: usize| c.values.get(i).map_or_else(String::new, |v| value_text(&c.field, v, reading));
    let raw = |i: usize| c.values.get(i).map_or("", |v| v.trim());
    if let Some(measure) = Measure::of_field(&c.field) {
        return history_text(c, measure, reading);
    }
    let name = field_label(lang, &c.field);
    let phrase = match (c.op, lang) {
        (Op::InSegment, Lang::En) => format!("in the segment {}", quote(raw(0), lang)),
        (Op::InSegment, Lang::Tr) => format!("{} segmentinde", quote(raw(0), lang)),
        (Op::InSplit, Lang::En) => {
            format!("in the {}–{}% group of the split {}", raw(1), raw(2), quote(raw(0), lang))
        }
        (Op::InSplit, Lang::Tr) => {
            format!("{} bölmesinin %{}–{} grubunda", quote(raw(0), lang), raw(1), raw(2))
        }
        (Op::LookalikeOf, Lang::En) => {
            format!("among the {}% most like the segment {}", percent_words(raw(1), lang), quote(raw(0), lang))
        }
        (Op::LookalikeOf, Lang::Tr) => {
            format!("{} segmentine en çok benzeyen %{} içinde", quote(raw(0), lang), percent_words(raw(1), lang))
        }
        (op, _) => comparison(&name, op, c, reading, &v),
    };
    if c.include_empty { format!("{phrase}{}", words(lang, " (or empty)", " (ya da boş)")) } else { phrase }
}

/// `name` compared by `op`, in words.
fn comparison(name: &str, op: Op, c: &Condition, reading: Reading<'_>, v: &dyn Fn(usize) -> String) -> String {
    let lang = reading.lang;
    let n = c.values.first().map_or("", |v| v.trim());
    match (op, lang) {
        (Op::Eq | Op::On, Lang::En) => format!("{name} is {}", v(0)),
        (Op::Eq | Op::On, Lang::Tr) => format!("{name} {}", v(0)),
        (Op::Ne, Lang::En) => format!("{name} is not {}", v(0)),
        (Op::Ne, Lang::Tr) => format!("{name} {} değil", v(0)),
        (Op::Gt, Lang::En) => format!("{name} is more than {}", v(0)),
        (Op::Gt, Lang::Tr) => format!("{name} {} üzerinde", v(0)),
        (Op::Ge, Lang::En) => format!("{name} is at least {}", v(0)),
        (Op::Ge, Lang::Tr) => format!("{name} en az {}", v(0)),
        (Op::Lt, Lang::En) => format!("{name} is less than {}", v(0)),
        (Op::Lt, Lang::Tr) => format!("{name} {} altında", v(0)),
        (Op::Le, Lang::En) => format!("{name} is at most {}", v(0)),
        (Op::Le, Lang::Tr) => format!("{name} en çok {}", v(0)),
        (Op::Between, Lang::En) => format!("{name} is between {} and {}", v(0), v(1)),
        (Op::Between, Lang::Tr) => format!("{name} {} ile {} arasında", v(0), v(1)),
        (Op::Before, Lang::En) => format!("{name} is before {}", v(0)),
        (Op::Before, Lang::Tr) => format!("{name} {} öncesinde", v(0)),
        (Op::After, Lang::En) => format!("{name} is after {}", v(0)),
        (Op::After, Lang::Tr) => format!("{name} {} sonrasında", v(0)),
        (Op::MoreThanAgo(u), Lang::En) => format!("{name} was more than {n} {} ago", unit_word(u, lang)),
        (Op::MoreThanAgo(u), Lang::Tr) => format!("{name} {n} {} eski", unit_tr(u, true)),
        (Op::WithinLast(u), Lang::En) => format!("{name} is within the last {n} {}", unit_word(u, lang)),
        (Op::WithinLast(u), Lang::Tr) => format!("{name} son {n} {} içinde", unit_word(u, lang)),
        (Op::In, Lang::En) => format!("{name} is {}", list_text(&c.field, &c.values, reading)),
        (Op::In, Lang::Tr) => format!("{name} {}", list_text(&c.field, &c.values, reading)),
        (Op::NotIn, Lang::En) => format!("{name} is none of {}", list_text(&c.field, &c.values, reading)),
        (Op::NotIn, Lang::Tr) => format!("{name} {} dışında", list_text(&c.field, &c.values, reading)),
        (Op::Contains, Lang::En) => format!("{name} contains {}", v(0)),
        (Op::Contains, Lang::Tr) => format!("{name} {} içeriyor", v(0)),
        (Op::NotContains, Lang::En) => format!("{name} does not contain {}", v(0)),
        (Op::NotContains, Lang::Tr) => format!("{name} {} içermiyor", v(0)),
        (Op::StartsWith, Lang::En) => format!("{name} starts with {}", v(0)),
        (Op::StartsWith, Lang::Tr) => format!("{name} {} ile başlıyor", v(0)),
        (Op::EndsWith, Lang::En) => format!("{name} ends with {}", v(0)),
        (Op::EndsWith, Lang::Tr) => format!("{name} {} ile bitiyor", v(0)),
        (Op::ContainsAny, Lang::En) => format!("{name} include {}", list_text(&c.field, &c.values, reading)),
        (Op::ContainsAny, Lang::Tr) => format!("{name} {} içeriyor", list_text(&c.field, &c.values, reading)),
        (Op::IsEmpty, Lang::En) => format!("{name} is empty"),
        (Op::IsEmpty, Lang::Tr) => format!("{name} boş"),
        (Op::IsNotEmpty, Lang::En) => format!("{name} is filled in"),
        (Op::IsNotEmpty, Lang::Tr) => format!("{name} dolu"),
        (Op::IsYes, Lang::En) => format!("{name}: yes"),
        (Op::IsYes, Lang::Tr) => format!("{name}: evet"),
        (Op::IsNo, Lang::En) => format!("{name}: no"),
        (Op::IsNo, Lang::Tr) => format!("{name}: hayır"),
        (Op::TopPercent, Lang::En) => format!("{name} is in the top {}%", percent_words(n, lang)),
        (Op::TopPercent, Lang::Tr) => format!("{name} en yüksek %{} içinde", percent_words(n, lang)),
        (Op::BottomPercent, Lang::En) => format!("{name} is in the bottom {}%", percent_words(n, lang)),
        (Op::BottomPercent, Lang::Tr) => format!("{name} en düşük %{} içinde", percent_words(n, lang)),
        (Op::AboveMedian, Lang::En) => format!("{name} is above the median"),
        (Op::AboveMedian, Lang::Tr) => format!("{name} medyanın üzerinde"),
        (Op::BelowMedian, Lang::En) => format!("{name} is below the median"),
        (Op::BelowMedian, Lang::Tr) => format!("{name} medyanın altında"),
        (Op::AboveAverage, Lang::En) => format!("{name} is above the average"),
        (Op::AboveAverage, Lang::Tr) => format!("{name} ortalamanın üzerinde"),
        (Op::BelowAverage, Lang::En) => format!("{name} is below the average"),
        (Op::BelowAverage, Lang::Tr) => format!("{name} ortalamanın altında"),
        // Segment, split and order-history operators are read above.
        (Op::InSegment | Op::InSplit | Op::LookalikeOf | Op::Bought | Op::NotBought, _) => name.to_owned(),
    }
}

/// A percentage as the language writes its number (`2.5` → `2,5` in Turkish).
fn percent_words(n: &str, lang: Lang) -> String {
    let n = n.trim().trim_end_matches('%');
    match lang {
        Lang::En => n.to_owned(),
        Lang::Tr => n.replace('.', ","),
    }
}

fn window_text(window: Option<&Window>, reading: Reading<'_>) -> String {
    let lang = reading.lang;
    match window {
        None => words(lang, "ever", "bugüne kadar").to_owned(),
        Some(Window::Last(n, unit)) => match lang {
            Lang::En => format!("in the last {} {}", n.trim(), unit_word(*unit, lang)),
            Lang::Tr => format!("son {} {}", n.trim(), unit_tr(*unit, false)),
        },
        Some(Window::Dates(from, to)) => {
            let date = |v: &str| {
                NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").map_or_else(|_| v.to_owned(), |d| format::date(d, lang))
            };
            match lang {
                Lang::En => format!("from {} to {}", date(from), date(to)),
                Lang::Tr => format!("{} ile {} arasında", date(from), date(to)),
            }
        }
    }
}

fn history_text(c: &Condition, measure: Measure, reading: Reading<'_>) -> String {
    let lang = reading.lang;
    let when = window_text(c.window.as_ref(), reading);
    match measure {
        Measure::Bought(attr) => {
            let what = match (attr, lang) {
                (LineAttr::Product, Lang::En) => "the product",
                (LineAttr::Sku, Lang::En) => "the SKU",
                (LineAttr::Category, Lang::En) => "from the category",
                (LineAttr::Product, Lang::Tr) => "ürününü",
                (LineAttr::Sku, Lang::Tr) => "stok kodunu",
                (LineAttr::Category, Lang::Tr) => "kategorisinden",
            };
            let values = list_text(&c.field, &c.values, reading);
            let bought = c.op != Op::NotBought;
            match lang {
                Lang::En => format!("{} {what} {values} {when}", if bought { "bought" } else { "has not bought" }),
                Lang::Tr => format!("{when} {values} {what} {}", if bought { "almış" } else { "almamış" }),
            }
        }
        Measure::OrderCount | Measure::Spent => {
            let what = match (measure, lang) {
                (Measure::OrderCount, Lang::En) => format!("orders {when}"),
                (Measure::OrderCount, Lang::Tr) => format!("{when} sipariş sayısı"),
                (_, Lang::En) => format!("amount spent {when}"),
                (_, Lang::Tr) => format!("{when} harcama"),
            };
            let v = |i: usize| c.values.get(i).map_or_else(String::new, |v| value_text(&c.field, v, reading));
            comparison(&what, c.op, c, reading, &v)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::segment::parse;

    fn said(text: &str, lang: Lang) -> String {
        // Without data: `ltv` is known as money by its canonical name only through the data,
        // so these read numbers plainly except where the data says money.
        describe(&parse(text).unwrap(), Reading { data: None, currency: "TRY", lang })
    }

    #[test]
    fn the_mockup_rule_reads_as_a_sentence_in_both_languages() {
        let rule = "ltv > 5000 and last_order_date more than 30 days ago or channel = \"Google Ads\"";
        assert_eq!(
            said(rule, Lang::Tr),
            "(LTV 5.000 üzerinde ve Son alışveriş tarihi 30 günden eski) veya Geldiği kanal “Google Ads”"
        );
        assert_eq!(
            said(rule, Lang::En),
            "(LTV is more than 5,000 and Last purchase date was more than 30 days ago) or Acquisition channel is “Google Ads”"
        );
        assert_eq!(said("aov >= 1250.5", Lang::Tr), "Ortalama sepet en az 1.250,5");
        assert_eq!(said("aov >= 1250.5", Lang::En), "Average order value is at least 1,250.5");
        assert_eq!(said("signup_date after 2026-04-05", Lang::Tr), "Kayıt tarihi 05.04.2026 sonrasında");
        assert_eq!(
            said("rfm_group = \"cant_lose_them\"", Lang::En),
            format!("RFM group is “{}”", rfm_group_label(Lang::En, "cant_lose_them"))
        );
        assert_eq!(
            said("not (orders <= 2 or aov >= 100)", Lang::En),
            "not (Orders is at most 2 or Average order value is at least 100)"
        );
        assert_eq!(said("in segment \"VIP\"", Lang::Tr), "“VIP” segmentinde");
        assert_eq!(said("not in segment \"VIP\"", Lang::Tr), "“VIP” segmentinde değil");
        assert_eq!(said("not in segment \"VIP\"", Lang::En), "not in the segment “VIP”");
        assert_eq!(said("order count in last 90 days >= 2", Lang::Tr), "son 90 günde sipariş sayısı en az 2");
        assert_eq!(said("last_order_date more than 3 months ago", Lang::Tr), "Son alışveriş tarihi 3 aydan eski");
        assert_eq!(said("bought product \"Kahve\" in last 2 weeks", Lang::Tr), "son 2 haftada “Kahve” ürününü almış");
        assert_eq!(said("", Lang::Tr), "tüm müşteriler");
    }

    #[test]
    fn no_sentence_shows_a_field_id_or_an_operator() {
        let rules = [
            "ltv > 5000 and last_order_date more than 30 days ago or channel = \"Google Ads\"",
            "city in (\"İzmir\", \"Ankara\") and not (orders <= 2 or aov >= 100)",
            "signup_date within last 3 months and accepts_marketing is yes",
            "channel != \"TikTok\" or empty",
            "bought product \"Kahve Makinesi\" in last 90 days and not in segment \"VIP\"",
            "amount spent from 2026-01-01 to 2026-03-31 > 1000",
            "has not bought category any of (\"Kahve\", \"Sofra\")",
            "days_since_last_order between 10 and 20 and rfm_r = 5",
        ];
        for rule in rules {
            for lang in [Lang::Tr, Lang::En] {
                let s = said(rule, lang);
                for code in [">", "<", "=", "!=", "last_order", "accepts_marketing", "days_since", "rfm_r", "@"] {
                    assert!(!s.contains(code), "{rule} → {s} shows {code}");
                }
            }
        }
    }
}
