//! Ready-made segments: the three every new workspace starts with (from the
//! mission: VIP, at-risk, loyal) and a gallery of more. Names are written in the
//! language the workspace was made in; they are the user's to rename.

use super::{DateUnit, Rule};
use crate::engine::data::CustomerData;
use crate::engine::segment::Segment;
use crate::format::Lang;

/// A template: a name, a description and a rule, in one language.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    pub id: &'static str,
    pub name: String,
    pub description: String,
    pub rule: Rule,
}

impl Template {
    pub fn segment(&self) -> Segment {
        Segment::of_rule(self.name.clone(), self.description.clone(), &self.rule)
    }
}

/// Whether any customer has an LTV (the VIP templates rank customers by it).
fn has_ltv_values(data: &CustomerData) -> bool {
    data.customers.column("ltv").is_ok_and(|c| c.null_count() < c.len())
}

fn t(lang: Lang, en: &str, tr: &str) -> String {
    if lang == Lang::Tr { tr.to_owned() } else { en.to_owned() }
}

/// Templates that need only the fields they name: (id, fields, [name en, tr],
/// [description en, tr], rule).
type Fixed = (&'static str, &'static str, [&'static str; 2], [&'static str; 2], fn() -> Rule);
const FIXED: [Fixed; 4] = [
    (
        "at_risk",
        "last_order_date",
        ["At-risk customers", "Riskli Müşteriler"],
        ["No purchase in the last 90 days.", "Son 90 günde alışveriş yapmayanlar."],
        || Rule::field("last_order_date").more_than_ago(90, DateUnit::Days),
    ),
    (
        "loyal",
        "orders",
        ["Loyal customers", "Sadık Müşteriler"],
        ["More than 5 orders.", "5'ten fazla sipariş verenler."],
        || Rule::field("orders").gt(5),
    ),
    (
        "one_time",
        "orders",
        ["One-time buyers", "Tek seferlik alıcılar"],
        ["Exactly one order: the next purchase is the hardest.", "Tam bir sipariş: en zor olan ikinci alışveriş."],
        || Rule::field("orders").eq(1),
    ),
    (
        "never_bought",
        "orders",
        ["Never purchased", "Hiç alışveriş yapmayanlar"],
        ["Signed up but no order yet.", "Kayıt olmuş ama henüz sipariş vermemiş."],
        || Rule::field("orders").eq(0),
    ),
];

/// Every template that fits the data (a template needs its fields).
pub fn gallery(data: &CustomerData, lang: Lang) -> Vec<Template> {
    let has = |f: &str| data.field(f).is_some();
    let pick = |[en, tr]: [&str; 2]| t(lang, en, tr);
    let top = has_ltv_values(data);
    let mut out = Vec::new();
    if top {
        // Measured on the data each time it is evaluated, so it stays the top 10%
        // after a re-import (a fixed amount would drift).
        out.push(Template {
            id: "vip",
            name: t(lang, "High-LTV customers (VIP)", "Yüksek LTV'li Müşteriler (VIP)"),
            description: t(
                lang,
                "The top 10% of customers by LTV, measured on the data as it is today.",
                "LTV'ye göre en üstteki %10; her seferinde bugünkü verilerle ölçülür.",
            ),
            rule: Rule::field("ltv").in_top_percent(10),
        });
    }
    for (id, field, name, description, rule) in FIXED {
        if has(field) {
            out.push(Template { id, name: pick(name), description: pick(description), rule: rule() });
        }
    }
    if has("signup_date") || has("first_order_date") {
        let field = if has("signup_date") { "signup_date" } else { "first_order_date" };
        out.push(Template {
            id: "new",
            name: t(lang, "New customers", "Yeni müşteriler"),
            description: t(lang, "Acquired in the last 30 days.", "Son 30 günde kazanılanlar."),
            rule: Rule::field(field).within_last(30, DateUnit::Days),
        });
    }
    if has("accepts_marketing") {
        let accepts = Rule::field("accepts_marketing").is_yes();
        let rule = if has("email") { accepts.and(Rule::field("email").is_not_empty()) } else { accepts };
        out.push(Template {
            id: "reachable",
            name: t(lang, "Reachable by email", "E-postayla ulaşılabilir"),
            description: pick([
                "Accept marketing and have an email address.",
                "Pazarlama izni var ve e-posta adresi var.",
            ]),
            rule,
        });
    }
    if has("last_order_date") && top {
        out.push(Template {
            id: "lapsed_vip",
            name: t(lang, "Lapsed VIPs", "Kaybedilmek üzere olan VIP'ler"),
            description: pick([
                "Top-LTV customers with no purchase in 60 days.",
                "60 gündür alışveriş yapmayan en değerli müşteriler.",
            ]),
            rule: Rule::field("ltv")
                .in_top_percent(10)
                .and(Rule::field("last_order_date").more_than_ago(60, DateUnit::Days)),
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
