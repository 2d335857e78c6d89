//! The dashboard's metric cards: value, change against the previous period, and
//! why a value is missing ("—" with the reason, e.g. CAC without spend data).

use crate::app::i18n::{Lang, t};
use crate::app::widgets::theme;
use crate::engine::dashboard::{Dashboard, Headline};
use crate::format;

/// What a card counts over: said on the card, because the period picker changes
/// some numbers and not others.
#[derive(Clone, Copy, PartialEq)]
enum Scope {
    /// Customers acquired up to the period's end, with their lifetime values.
    UpToEnd,
    /// Orders, spend and new customers inside the period.
    InPeriod,
}

/// One metric card: title, value, change against the previous period.
struct Card {
    title: &'static str,
    scope: Scope,
    value: String,
    change: Option<String>,
    /// Up is good (false for CAC, where lower is better).
    up_is_good: bool,
    rising: Option<bool>,
    hint: &'static str,
    /// The exact figure when `value` is shortened (shown on hover).
    exact: Option<String>,
}

impl Card {
    fn new(
        title: &'static str,
        value: String,
        (change, rising): (Option<String>, Option<bool>),
        hint: &'static str,
    ) -> Self {
        Self { title, scope: Scope::UpToEnd, value, change, up_is_good: true, rising, hint, exact: None }
    }

    /// A money card: compact on the card, exact on hover.
    fn money(
        title: &'static str,
        value: Option<f64>,
        change: (Option<String>, Option<bool>),
        hint: &'static str,
        (currency, lang): (&str, Lang),
    ) -> Self {
        let shown = value.map_or_else(|| "—".to_owned(), |v| format::money_compact(v, currency, lang));
        let exact = value.map(|v| format::money(v, currency, lang)).filter(|exact| *exact != shown);
        Self { exact, ..Self::new(title, shown, change, hint) }
    }

    fn in_period(self) -> Self {
        Self { scope: Scope::InPeriod, ..self }
    }
}

fn relative_change(now: Option<f64>, before: Option<f64>, lang: Lang) -> (Option<String>, Option<bool>) {
    match (now, before) {
        (Some(n), Some(b)) if b.abs() > f64::EPSILON => {
            let change = (n - b) / b.abs();
            let arrow = if change >= 0.0 { "▲" } else { "▼" };
            (Some(format!("{arrow} {}", format::percent(change.abs(), lang))), Some(change >= 0.0))
        }
        _ => (None, None),
    }
}

/// A change in percentage points (for rates).
fn points_change(now: Option<f64>, before: Option<f64>, lang: Lang) -> (Option<String>, Option<bool>) {
    match (now, before) {
        (Some(n), Some(b)) => {
            let pts = (n - b) * 100.0;
            let arrow = if pts >= 0.0 { "▲" } else { "▼" };
            (
                Some(format!("{arrow} {} {}", format::number(pts.abs(), 1, lang), t(lang, "dash.points"))),
                Some(pts >= 0.0),
            )
        }
        _ => (None, None),
    }
}

/// The payback card's figure: median payback over the last 12 monthly cohorts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Payback {
    /// Still computing.
    Computing,
    /// Cohorts need orders.
    NoOrders,
    /// No cohort has a CAC (no spend data covering one).
    NoSpend,
    /// Fewer than half of the cohorts have paid back yet.
    NotYet,
    Months(u32),
}

/// A click on a card that asks for something.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardAction {
    EditSpend,
    OpenCohorts,
}

fn payback_card(payback: Payback, lang: Lang) -> Card {
    let (value, hint) = match payback {
        Payback::Computing => ("…".to_owned(), "dash.hint_payback"),
        Payback::NoOrders => ("—".to_owned(), "dash.hint_payback_no_orders"),
        Payback::NoSpend => ("—".to_owned(), "dash.hint_no_spend"),
        Payback::NotYet => (t(lang, "dash.payback_not_yet").to_owned(), "dash.hint_payback"),
        // Offset 0 paid back within the first month: 1 month.
        Payback::Months(0) => (t(lang, "dash.payback_one").to_owned(), "dash.hint_payback"),
        Payback::Months(n) => {
            (t(lang, "dash.payback_months").replace("{0}", &(n + 1).to_string()), "dash.hint_payback")
        }
    };
    let mut card = Card::new("dash.payback", value, (None, None), hint);
    card.up_is_good = false;
    card
}

/// The eight cards, in order.
fn cards(d: &Dashboard, paid_only: bool, payback: Payback, currency: &str, lang: Lang) -> Vec<Card> {
    let h = &d.headline;
    let p: Option<&Headline> = d.previous.as_ref();
    let money_in = (currency, lang);
    let before = |f: fn(&Headline) -> Option<f64>| p.and_then(f);
    let cac_hint = match (d.has_spend, h.new_customers, paid_only) {
        (false, ..) => "dash.hint_no_spend",
        (true, _, true) if d.paid_cac.is_none() => "dash.hint_cac_no_paid",
        (true, _, true) => "dash.hint_cac_paid",
        (true, 0, false) => "dash.hint_cac_no_new",
        (true, _, false) => "dash.hint_cac",
    };
    let mut cac = if paid_only {
        // The previous period's paid CAC is not computed: no change shown.
        Card::money("dash.cac", d.paid_cac, (None, None), cac_hint, money_in)
    } else {
        Card::money("dash.cac", h.cac, relative_change(h.cac, before(|p| p.cac), lang), cac_hint, money_in)
    }
    .in_period();
    cac.up_is_good = false;
    vec![
        Card::new(
            "dash.total_customers",
            format::count(h.customers, lang),
            relative_change(Some(h.customers as f64), p.map(|p| p.customers as f64), lang),
            "dash.hint_customers",
        ),
        Card::money(
            "dash.avg_ltv",
            h.avg_ltv,
            relative_change(h.avg_ltv, before(|p| p.avg_ltv), lang),
            "dash.hint_ltv",
            money_in,
        ),
        cac,
        Card::money(
            "dash.revenue",
            h.total_revenue,
            relative_change(h.total_revenue, before(|p| p.total_revenue), lang),
            "dash.hint_revenue",
            money_in,
        )
        .in_period(),
        Card::money("dash.aov", h.aov, relative_change(h.aov, before(|p| p.aov), lang), "dash.hint_aov", money_in)
            .in_period(),
        Card::new(
            "dash.repeat_rate",
            h.repeat_rate.map_or_else(|| "—".to_owned(), |r| format::percent(r, lang)),
            points_change(h.repeat_rate, before(|p| p.repeat_rate), lang),
            "dash.hint_repeat",
        ),
        Card::new(
            "dash.ltv_cac",
            h.ltv_cac.map_or_else(|| "—".to_owned(), |r| format!("{}×", format::number(r, 2, lang))),
            relative_change(h.ltv_cac, before(|p| p.ltv_cac), lang),
            if d.has_spend { "dash.hint_ltv_cac" } else { "dash.hint_no_spend" },
        )
        .in_period(),
        payback_card(payback, lang),
    ]
}

/// A card's inner margin and its smallest width (frame included).
const CARD_MARGIN: f32 = 10.0;
const MIN_CARD_WIDTH: f32 = 128.0;

/// Draws the cards; returns what a card's button asked for ("edit spend" on the
/// CAC card, "open cohorts" on the payback card).
/// `paid_only`: CAC over the new customers of paid channels (a box on the card).
pub fn cards_ui(
    ui: &mut egui::Ui,
    d: &Dashboard,
    paid_only: &mut bool,
    payback: Payback,
    currency: &str,
    lang: Lang,
) -> Option<CardAction> {
    let mut action = None;
    let cards = cards(d, *paid_only, payback, currency, lang);
    // As many cards a row as fit at their smallest, rows filled evenly, every card
    // as wide as the row allows (a frame cannot wrap by itself: it is measured after
    // it is drawn).
    let gap = ui.spacing().item_spacing.x;
    let margin = 2.0 * (CARD_MARGIN + 1.0);
    let available = ui.available_width();
    let fit = (((available + gap) / (MIN_CARD_WIDTH + gap)).floor() as usize).clamp(1, cards.len());
    let rows = cards.len().div_ceil(fit);
    let per_row = cards.len().div_ceil(rows);
    let width = (available - gap * (per_row - 1) as f32) / per_row as f32 - margin;
    for row in cards.chunks(per_row) {
        ui.horizontal(|ui| {
            for card in row {
                egui::Frame::group(ui.style()).inner_margin(CARD_MARGIN).show(ui, |ui| {
                    ui.set_width(width);
                    ui.vertical(|ui| {
                        action = card_ui(ui, card, d, lang).or(action);
                        if card.title == "dash.cac" && d.has_spend {
                            let paid = t(lang, "dash.paid_only");
                            ui.checkbox(paid_only, egui::RichText::new(paid).small())
                                .on_hover_text(t(lang, "dash.paid_only_hint"));
                        }
                    });
                });
            }
        });
    }
    action
}

fn card_ui(ui: &mut egui::Ui, card: &Card, d: &Dashboard, lang: Lang) -> Option<CardAction> {
    let has_spend = d.has_spend;
    let hint = t(lang, card.hint);
    let scope = match (d.period, card.scope) {
        _ if card.title == "dash.payback" => "dash.scope_last_12_cohorts",
        (None, _) => "dash.scope_all_time",
        (Some(_), Scope::UpToEnd) => "dash.scope_up_to_end",
        (Some(_), Scope::InPeriod) => "dash.scope_in_period",
    };
    ui.weak(t(lang, card.title));
    ui.label(egui::RichText::new(t(lang, scope)).small().weak());
    let hover = card.exact.as_ref().map_or_else(|| hint.to_owned(), |exact| format!("{exact}\n{hint}"));
    ui.label(egui::RichText::new(&card.value).size(22.0).strong()).on_hover_text(hover);
    match (&card.change, card.rising) {
        (Some(text), Some(rising)) => {
            let colour = if rising == card.up_is_good { theme::GOOD } else { theme::bad(ui.visuals()) };
            ui.colored_label(colour, text).on_hover_text(t(lang, "dash.vs_previous"));
        }
        _ if card.title == "dash.payback" => {
            if ui.small_button(t(lang, "dash.open_cohorts")).on_hover_text(hint).clicked() {
                return Some(CardAction::OpenCohorts);
            }
        }
        _ if card.value == "—" => {
            ui.weak(hint);
            if card.title == "dash.cac" && !has_spend && ui.small_button(t(lang, "dash.edit_spend")).clicked() {
                return Some(CardAction::EditSpend);
            }
        }
        _ => {
            ui.weak(" ");
        }
    }
    None
}
