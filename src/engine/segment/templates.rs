//! Ready-made segments: the three every new workspace starts with (from the
//! mission: VIP, at-risk, loyal) and a gallery of more. Names are written in the
//! language the workspace was made in; they are the user's to rename.

use polars::prelude::*;

use crate::engine::data::CustomerData;
use crate::engine::workspace::Segment;
use crate::format::Lang;

/// A template: a name, a description and a rule, in one language.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    pub id: &'static str,
    pub name: String,
    pub description: String,
    pub rule: String,
}

impl Template {
    pub fn segment(&self) -> Segment {
        Segment::new(self.name.clone(), self.description.clone(), self.rule.clone())
    }
}

/// The LTV at or above which the top 10% of customers are (rounded down to a
/// whole amount so the segment keeps at least those customers).
pub fn top_decile_ltv(data: &CustomerData) -> Option<f64> {
    let ltv = data.customers.column("ltv").ok()?.cast(&DataType::Float64).ok()?;
    let mut values: Vec<f64> = ltv.f64().ok()?.iter().flatten().filter(|v| v.is_finite()).collect();
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let top = values.len().div_ceil(10).max(1);
    Some(values[values.len() - top].floor())
}

fn t(lang: Lang, en: &str, tr: &str) -> String {
    if lang == Lang::Tr { tr.to_owned() } else { en.to_owned() }
}

/// Templates that need only the fields they name: (id, fields, [name en, tr],
/// [description en, tr], rule).
type Fixed = (&'static str, &'static str, [&'static str; 2], [&'static str; 2], &'static str);
const FIXED: [Fixed; 4] = [
    (
        "at_risk",
        "last_order_date",
        ["At-risk customers", "Riskli Müşteriler"],
        ["No purchase in the last 90 days.", "Son 90 günde alışveriş yapmayanlar."],
        "last_order_date more than 90 days ago",
    ),
    (
        "loyal",
        "orders",
        ["Loyal customers", "Sadık Müşteriler"],
        ["More than 5 orders.", "5'ten fazla sipariş verenler."],
        "orders > 5",
    ),
    (
        "one_time",
        "orders",
        ["One-time buyers", "Tek seferlik alıcılar"],
        ["Exactly one order: the next purchase is the hardest.", "Tam bir sipariş: en zor olan ikinci alışveriş."],
        "orders = 1",
    ),
    (
        "never_bought",
        "orders",
        ["Never purchased", "Hiç alışveriş yapmayanlar"],
        ["Signed up but no order yet.", "Kayıt olmuş ama henüz sipariş vermemiş."],
        "orders = 0",
    ),
];

/// Every template that fits the data (a template needs its fields).
pub fn gallery(data: &CustomerData, lang: Lang) -> Vec<Template> {
    let has = |f: &str| data.field(f).is_some();
    let pick = |[en, tr]: [&str; 2]| t(lang, en, tr);
    let top = top_decile_ltv(data).map(crate::engine::import::table::format_plain_number);
    let mut out = Vec::new();
    if let Some(amount) = &top {
        out.push(Template {
            id: "vip",
            name: t(lang, "High-LTV customers (VIP)", "Yüksek LTV'li Müşteriler (VIP)"),
            description: t(
                lang,
                &format!("The top 10% of customers by LTV (LTV of {amount} or more)."),
                &format!("LTV'ye göre en üstteki %10 (LTV {amount} veya üzeri)."),
            ),
            rule: format!("ltv >= {amount}"),
        });
    }
    for (id, field, name, description, rule) in FIXED {
        if has(field) {
            out.push(Template { id, name: pick(name), description: pick(description), rule: rule.to_owned() });
        }
    }
    if has("signup_date") || has("first_order_date") {
        let field = if has("signup_date") { "signup_date" } else { "first_order_date" };
        out.push(Template {
            id: "new",
            name: t(lang, "New customers", "Yeni müşteriler"),
            description: t(lang, "Acquired in the last 30 days.", "Son 30 günde kazanılanlar."),
            rule: format!("{field} within last 30 days"),
        });
    }
    if has("accepts_marketing") {
        let rule =
            if has("email") { "accepts_marketing is yes and email is not empty" } else { "accepts_marketing is yes" };
        out.push(Template {
            id: "reachable",
            name: t(lang, "Reachable by email", "E-postayla ulaşılabilir"),
            description: pick([
                "Accept marketing and have an email address.",
                "Pazarlama izni var ve e-posta adresi var.",
            ]),
            rule: rule.to_owned(),
        });
    }
    if let (true, Some(amount)) = (has("last_order_date"), &top) {
        out.push(Template {
            id: "lapsed_vip",
            name: t(lang, "Lapsed VIPs", "Kaybedilmek üzere olan VIP'ler"),
            description: pick([
                "Top-LTV customers with no purchase in 60 days.",
                "60 gündür alışveriş yapmayan en değerli müşteriler.",
            ]),
            rule: format!("ltv >= {amount} and last_order_date more than 60 days ago"),
        });
    }
    out
}

/// The segments a new workspace starts with.
pub fn starter_segments(data: &CustomerData, lang: Lang) -> Vec<Segment> {
    gallery(data, lang)
        .into_iter()
        .filter(|t| matches!(t.id, "vip" | "at_risk" | "loyal"))
        .map(|t| t.segment())
        .collect()
}
