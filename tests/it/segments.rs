//! Segments: random rule trees on random tables (with empty values) checked against a
//! simple row-by-row evaluator written here, independently of the engine; plus
//! every operator on the fixtures and the text form.

use std::sync::Arc;

use chrono::NaiveDate;
use kitle::engine::data::{CustomerData, FieldInfo, FieldOrigin};
use kitle::engine::fields::FieldType;
use kitle::engine::segment::evaluate::SegmentFrame;
use kitle::engine::segment::history::Window;
use kitle::engine::segment::{Condition, DateUnit, Group, Item, Join, Node, Op, parse, to_text};
use polars::prelude::*;
use proptest::prelude::*;

use crate::helpers::*;

// ---------------------------------------------------------------- the oracle

#[derive(Debug, Clone)]
pub(crate) struct Row {
    ltv: Option<f64>,
    orders: Option<i64>,
    city: Option<String>,
    signup: Option<NaiveDate>,
    marketing: Option<bool>,
    tags: Option<Vec<String>>,
    /// Counted orders, in no particular order.
    history: Vec<OrderRow>,
}

#[derive(Debug, Clone)]
struct OrderRow {
    date: Option<NaiveDate>,
    total: f64,
    products: Vec<String>,
}

const AS_OF: (i32, u32, u32) = (2026, 6, 15);

fn as_of() -> NaiveDate {
    date(AS_OF.0, AS_OF.1, AS_OF.2)
}

/// Case-insensitive with Turkish i's: I, İ, ı and i are one letter.
fn lower(s: &str) -> String {
    s.chars()
        .flat_map(|c| match c {
            'I' | 'İ' | 'ı' => vec!['i'],
            other => other.to_lowercase().collect(),
        })
        .collect()
}

fn months_back(d: NaiveDate, n: u32) -> NaiveDate {
    d.checked_sub_months(chrono::Months::new(n)).unwrap()
}

fn back(n: u32, unit: DateUnit) -> NaiveDate {
    let today = as_of();
    match unit {
        DateUnit::Days => today - chrono::Duration::days(i64::from(n)),
        DateUnit::Weeks => today - chrono::Duration::days(7 * i64::from(n)),
        DateUnit::Months => months_back(today, n),
    }
}

fn in_window(date: Option<NaiveDate>, window: Option<&Window>) -> bool {
    let day = |v: &str| NaiveDate::parse_from_str(v, "%Y-%m-%d").unwrap();
    match window {
        None => true,
        Some(Window::Last(n, unit)) => date.is_some_and(|d| d >= back(n.parse().unwrap(), *unit) && d <= as_of()),
        Some(Window::Dates(from, to)) => date.is_some_and(|d| d >= day(from) && d <= day(to)),
    }
}

/// Order-history conditions, straight from the customer's list of orders.
fn oracle_history(row: &Row, c: &Condition) -> bool {
    let orders: Vec<&OrderRow> = row.history.iter().filter(|o| in_window(o.date, c.window.as_ref())).collect();
    if matches!(c.op, Op::Bought | Op::NotBought) {
        let wanted: Vec<String> = c.values.iter().map(|v| lower(v)).collect();
        let bought = orders.iter().any(|o| o.products.iter().any(|p| wanted.contains(&lower(p))));
        return bought == (c.op == Op::Bought);
    }
    let v = if c.field == "@order_count" { orders.len() as f64 } else { orders.iter().map(|o| o.total).sum() };
    let num = |i: usize| c.values[i].parse::<f64>().unwrap();
    match c.op {
        Op::Eq => v == num(0),
        Op::Ne => v != num(0),
        Op::Gt => v > num(0),
        Op::Ge => v >= num(0),
        Op::Lt => v < num(0),
        Op::Le => v <= num(0),
        Op::Between => v >= num(0) && v <= num(1),
        _ => unreachable!(),
    }
}

fn oracle_condition(all: &[Row], row: &Row, c: &Condition) -> bool {
    if c.field.starts_with('@') {
        return oracle_history(row, c);
    }
    let num = |i: usize| c.values[i].parse::<f64>().unwrap();
    let day = |i: usize| NaiveDate::parse_from_str(&c.values[i], "%Y-%m-%d").unwrap();
    let is_empty = match c.field.as_str() {
        "ltv" => row.ltv.is_none(),
        "orders" => row.orders.is_none(),
        "city" => row.city.is_none(),
        "signup_date" => row.signup.is_none(),
        "accepts_marketing" => row.marketing.is_none(),
        "tags" => row.tags.as_ref().is_none_or(Vec::is_empty),
        _ => unreachable!(),
    };
    match c.op {
        Op::IsEmpty => return is_empty,
        Op::IsNotEmpty => return !is_empty,
        op if op.is_relative() => return oracle_relative(all, row, c),
        _ => {}
    }
    let result: Option<bool> = match c.field.as_str() {
        "ltv" | "orders" => {
            let v = if c.field == "ltv" { row.ltv } else { row.orders.map(|o| o as f64) };
            v.map(|v| match c.op {
                Op::Eq => v == num(0),
                Op::Ne => v != num(0),
                Op::Gt => v > num(0),
                Op::Ge => v >= num(0),
                Op::Lt => v < num(0),
                Op::Le => v <= num(0),
                Op::Between => v >= num(0) && v <= num(1),
                _ => unreachable!(),
            })
        }
        "city" => row.city.as_ref().map(|v| {
            let v = lower(v);
            let vals: Vec<String> = c.values.iter().map(|x| lower(x)).collect();
            match c.op {
                Op::Eq => v == vals[0],
                Op::Ne => v != vals[0],
                Op::In => vals.contains(&v),
                Op::NotIn => !vals.contains(&v),
                Op::Contains => v.contains(&vals[0]),
                Op::StartsWith => v.starts_with(&vals[0]),
                Op::EndsWith => v.ends_with(&vals[0]),
                _ => unreachable!(),
            }
        }),
        "signup_date" => row.signup.map(|d| {
            let today = as_of();
            match c.op {
                Op::Before => d < day(0),
                Op::After => d > day(0),
                Op::On => d == day(0),
                Op::Between => d >= day(0) && d <= day(1),
                Op::MoreThanAgo(u) => d < back(c.values[0].parse().unwrap(), u),
                Op::WithinLast(u) => d >= back(c.values[0].parse().unwrap(), u) && d <= today,
                _ => unreachable!(),
            }
        }),
        "accepts_marketing" => row.marketing.map(|b| if c.op == Op::IsYes { b } else { !b }),
        "tags" => row.tags.as_ref().filter(|t| !t.is_empty()).map(|tags| {
            let tags: Vec<String> = tags.iter().map(|t| lower(t)).collect();
            let has = |v: &str| tags.contains(&lower(v));
            match c.op {
                Op::Contains => has(&c.values[0]),
                Op::NotContains => !has(&c.values[0]),
                Op::ContainsAny => c.values.iter().any(|v| has(v)),
                _ => unreachable!(),
            }
        }),
        _ => unreachable!(),
    };
    match result {
        Some(r) => r,
        // Empty values: false, unless a negative operator includes them.
        None => c.include_empty && matches!(c.op, Op::Ne | Op::NotIn | Op::NotContains),
    }
}

/// `ltv in top 10%` …: sort the values the table has, count, compare.
fn oracle_relative(all: &[Row], row: &Row, c: &Condition) -> bool {
    let value = |r: &Row| if c.field == "ltv" { r.ltv } else { r.orders.map(|o| o as f64) };
    let Some(v) = value(row) else { return false };
    let mut values: Vec<f64> = all.iter().filter_map(value).collect();
    values.sort_by(f64::total_cmp);
    let n = values.len();
    let k = || {
        let p: f64 = c.values[0].parse().unwrap();
        ((p * n as f64 / 100.0).ceil() as usize).max(1)
    };
    let median = values[n.div_ceil(2) - 1];
    let mean = values.iter().sum::<f64>() / n as f64;
    match c.op {
        Op::TopPercent => v >= values[n - k()],
        Op::BottomPercent => v <= values[k() - 1],
        Op::AboveMedian => v > median,
        Op::BelowMedian => v < median,
        Op::AboveAverage => v > mean,
        Op::BelowAverage => v < mean,
        _ => unreachable!(),
    }
}

fn oracle_group(all: &[Row], row: &Row, g: &Group) -> bool {
    // OR of AND-chains, read left to right.
    let mut any = false;
    let mut chain: Option<bool> = None;
    for (i, item) in g.items.iter().enumerate() {
        if i > 0 && item.join == Join::Or {
            any |= chain.take().unwrap_or(false);
        }
        let mut v = match &item.node {
            Node::Condition(c) => oracle_condition(all, row, c),
            Node::Group(inner) => oracle_group(all, row, inner),
        };
        if item.negate {
            v = !v;
        }
        chain = Some(chain.unwrap_or(true) && v);
    }
    if g.items.is_empty() {
        return true;
    }
    any || chain.unwrap_or(false)
}

// ---------------------------------------------------------------- strategies

const CITIES: [&str; 6] = ["İzmir", "izmir", "ISPARTA", "Iğdır", "Ankara", "Kırıkkale"];
const TAGS: [&str; 4] = ["VIP", "vip", "bülten", "İndirim"];

/// Product names that differ only in case (Turkish i's included) are one product.
const PRODUCTS: [&str; 5] = ["Kahve Makinesi", "kahve makinesi", "Filtre Kahve", "İNCE BELLİ", "ince belli"];

fn day_strategy() -> impl Strategy<Value = NaiveDate> {
    (0i64..420).prop_map(|d| as_of() - chrono::Duration::days(d - 20))
}

fn order_strategy() -> impl Strategy<Value = OrderRow> {
    (
        proptest::option::weighted(0.9, day_strategy()),
        // Whole and half amounts: sums are exact whichever order they are added in.
        (0u32..4000).prop_map(|v| f64::from(v) / 2.0),
        proptest::collection::vec(proptest::sample::select(PRODUCTS.to_vec()).prop_map(str::to_owned), 0..3),
    )
        .prop_map(|(date, total, products)| OrderRow { date, total, products })
}

fn window_strategy() -> impl Strategy<Value = Option<Window>> {
    let units = proptest::sample::select(vec![DateUnit::Days, DateUnit::Weeks, DateUnit::Months]);
    prop_oneof![
        Just(None),
        (0u32..400, units).prop_map(|(n, u)| Some(Window::Last(n.to_string(), u))),
        (day_strategy(), day_strategy()).prop_map(|(a, b)| {
            let (from, to) = if a <= b { (a, b) } else { (b, a) };
            Some(Window::Dates(from.to_string(), to.to_string()))
        }),
    ]
}

pub(crate) fn row_strategy() -> impl Strategy<Value = Row> {
    (
        proptest::collection::vec(order_strategy(), 0..4),
        (
            proptest::option::of(prop_oneof![Just(0.0), Just(1000.0), Just(5000.0), -10.0..20000.0f64]),
            proptest::option::of(0i64..8),
            proptest::option::of(proptest::sample::select(CITIES.to_vec()).prop_map(str::to_owned)),
            proptest::option::of((0i64..900).prop_map(|d| as_of() - chrono::Duration::days(d - 30))),
            proptest::option::of(any::<bool>()),
            proptest::option::of(proptest::collection::vec(
                proptest::sample::select(TAGS.to_vec()).prop_map(str::to_owned),
                0..3,
            )),
        ),
    )
        .prop_map(|(history, (ltv, orders, city, signup, marketing, tags))| Row {
            ltv,
            orders,
            city,
            signup,
            marketing,
            tags,
            history,
        })
}

fn value_for(field: &str) -> BoxedStrategy<String> {
    match field {
        "ltv" => prop_oneof![
            Just("0".to_owned()),
            Just("1000".to_owned()),
            Just("5000".to_owned()),
            (0u32..20000).prop_map(|v| v.to_string())
        ]
        .boxed(),
        "orders" => (0u32..8).prop_map(|v| v.to_string()).boxed(),
        "city" => prop_oneof![
            proptest::sample::select(CITIES.to_vec()).prop_map(str::to_owned),
            Just("ir".to_owned()),
            Just("IZ".to_owned()),
            Just("ı".to_owned()),
        ]
        .boxed(),
        "signup_date" => (0i64..900).prop_map(|d| (as_of() - chrono::Duration::days(d - 30)).to_string()).boxed(),
        "@order_count" => (0u32..5).prop_map(|v| v.to_string()).boxed(),
        "@spent" => (0u32..6000).prop_map(|v| (f64::from(v) / 2.0).to_string()).boxed(),
        "@product" => {
            prop_oneof![proptest::sample::select(PRODUCTS.to_vec()).prop_map(str::to_owned), Just("Kahve".to_owned()),]
                .boxed()
        }
        _ => proptest::sample::select(TAGS.to_vec()).prop_map(str::to_owned).boxed(),
    }
}

/// The operators the oracle knows for each field type, written here rather than
/// taken from the engine (so a wrong list in the engine can't hide a bug).
fn operators(ty: FieldType) -> Vec<Op> {
    use Op::*;
    let units = [DateUnit::Days, DateUnit::Weeks, DateUnit::Months];
    match ty {
        FieldType::Money | FieldType::Integer | FieldType::Number => {
            vec![
                Eq,
                Ne,
                Gt,
                Ge,
                Lt,
                Le,
                Between,
                TopPercent,
                BottomPercent,
                AboveMedian,
                BelowMedian,
                AboveAverage,
                BelowAverage,
                IsEmpty,
                IsNotEmpty,
            ]
        }
        FieldType::Category | FieldType::Text => {
            vec![Eq, Ne, In, NotIn, Contains, StartsWith, EndsWith, IsEmpty, IsNotEmpty]
        }
        FieldType::Date => {
            let mut ops = vec![Before, After, On, Between, IsEmpty, IsNotEmpty];
            ops.extend(units.map(MoreThanAgo));
            ops.extend(units.map(WithinLast));
            ops
        }
        FieldType::Bool => vec![IsYes, IsNo, IsEmpty, IsNotEmpty],
        FieldType::List => vec![Contains, NotContains, ContainsAny, IsEmpty, IsNotEmpty],
    }
}

/// How many values an operator takes here: exactly n, or `None` for one or more.
fn value_count(op: Op) -> Option<usize> {
    match op {
        Op::IsEmpty | Op::IsNotEmpty | Op::IsYes | Op::IsNo => Some(0),
        Op::AboveMedian | Op::BelowMedian | Op::AboveAverage | Op::BelowAverage => Some(0),
        Op::Between => Some(2),
        Op::In | Op::NotIn | Op::ContainsAny | Op::Bought | Op::NotBought => None,
        _ => Some(1),
    }
}

pub(crate) fn condition_strategy() -> impl Strategy<Value = Condition> {
    use Op::*;
    let history_ops = vec![Eq, Ne, Gt, Ge, Lt, Le, Between];
    let fields = vec![
        ("ltv", operators(FieldType::Money)),
        ("orders", operators(FieldType::Integer)),
        ("city", operators(FieldType::Category)),
        ("signup_date", operators(FieldType::Date)),
        ("accepts_marketing", operators(FieldType::Bool)),
        ("tags", operators(FieldType::List)),
        ("@order_count", history_ops.clone()),
        ("@spent", history_ops),
        ("@product", vec![Bought, NotBought]),
    ];
    proptest::sample::select(fields)
        .prop_flat_map(|(field, ops)| (Just(field), proptest::sample::select(ops), any::<bool>()))
        .prop_flat_map(|(field, op, include_empty)| {
            let values = match (op, value_count(op)) {
                (Op::MoreThanAgo(_) | Op::WithinLast(_), _) => (0u32..40).prop_map(|n| vec![n.to_string()]).boxed(),
                (Op::TopPercent | Op::BottomPercent, _) => {
                    proptest::sample::select(vec!["1", "10", "25", "33.3", "50", "99.9", "100"])
                        .prop_map(|p| vec![p.to_owned()])
                        .boxed()
                }
                (_, Some(0)) => Just(Vec::new()).boxed(),
                (_, Some(k)) => proptest::collection::vec(value_for(field), k..=k).boxed(),
                (_, None) => proptest::collection::vec(value_for(field), 1..=3).boxed(),
            };
            let negative = matches!(op, Op::Ne | Op::NotIn | Op::NotContains) && !field.starts_with('@');
            let window = if field.starts_with('@') { window_strategy().boxed() } else { Just(None).boxed() };
            (Just(field), Just(op), values, Just(include_empty && negative), window)
        })
        .prop_map(|(field, op, mut values, include_empty, window)| {
            if let Op::Between = op {
                // Ordered bounds: numbers by value, ISO dates as text (which orders them).
                values.sort_by(|a, b| match (a.parse::<f64>(), b.parse::<f64>()) {
                    (Ok(x), Ok(y)) => x.total_cmp(&y),
                    _ => a.cmp(b),
                });
            }
            Condition { field: field.to_owned(), op, values, include_empty, window }
        })
}

pub(crate) fn group_strategy() -> impl Strategy<Value = Group> {
    let leaf = condition_strategy().prop_map(Node::Condition);
    let node = leaf.prop_recursive(3, 24, 4, |inner| {
        proptest::collection::vec((any::<bool>(), any::<bool>(), inner), 1..4).prop_map(|items| {
            Node::Group(Group {
                items: items
                    .into_iter()
                    .map(|(or, negate, node)| Item { join: if or { Join::Or } else { Join::And }, negate, node })
                    .collect(),
            })
        })
    });
    proptest::collection::vec((any::<bool>(), any::<bool>(), node), 0..5).prop_map(|items| Group {
        items: items
            .into_iter()
            .map(|(or, negate, node)| Item { join: if or { Join::Or } else { Join::And }, negate, node })
            .collect(),
    })
}

/// The first row of a group has no join to show: the builder keeps it as AND.
pub(crate) fn normalise(mut g: Group) -> Group {
    for (i, item) in g.items.iter_mut().enumerate() {
        if i == 0 {
            item.join = Join::And;
        }
        if let Node::Group(inner) = &mut item.node {
            *inner = normalise(std::mem::take(inner));
        }
    }
    g
}

/// The rows' orders as the import lays them out: grouped by customer, oldest
/// first, and one line per product.
fn order_tables(rows: &[Row]) -> (DataFrame, DataFrame) {
    let (mut customer, mut dates, mut totals) = (Vec::new(), Vec::new(), Vec::new());
    let (mut line_order, mut products) = (Vec::new(), Vec::new());
    for (i, row) in rows.iter().enumerate() {
        let mut mine = row.history.clone();
        mine.sort_by_key(|o| o.date);
        for o in mine {
            let order = customer.len() as u32;
            customer.push(i as u32);
            dates.push(o.date.map(kitle::engine::import::columns::date_to_days));
            totals.push(o.total);
            for p in o.products {
                line_order.push(order);
                products.push(p);
            }
        }
    }
    let n = customer.len();
    let dates: Int32Chunked = dates.into_iter().collect();
    let orders = DataFrame::new(
        n,
        vec![
            Series::new("customer".into(), customer).into_column(),
            Series::full_null("order_id".into(), n, &DataType::String).into_column(),
            dates.with_name("order_date".into()).into_date().into_series().into_column(),
            Series::new("total".into(), totals).into_column(),
        ],
    )
    .unwrap();
    let lines = DataFrame::new(
        line_order.len(),
        vec![
            Series::new("order".into(), line_order).into_column(),
            Series::new("product".into(), products).into_column(),
        ],
    )
    .unwrap();
    (orders, lines)
}

pub(crate) fn table(rows: &[Row]) -> CustomerData {
    let tags: ListChunked = rows.iter().map(|r| r.tags.as_ref().map(|t| Series::new("".into(), t.clone()))).collect();
    let signup: Int32Chunked =
        rows.iter().map(|r| r.signup.map(kitle::engine::import::columns::date_to_days)).collect();
    let customers = DataFrame::new(
        rows.len(),
        vec![
            Series::new("customer_id".into(), (0..rows.len()).map(|i| format!("C{i}")).collect::<Vec<_>>())
                .into_column(),
            Series::new("ltv".into(), rows.iter().map(|r| r.ltv).collect::<Vec<_>>()).into_column(),
            Series::new("orders".into(), rows.iter().map(|r| r.orders).collect::<Vec<_>>()).into_column(),
            Series::new("city".into(), rows.iter().map(|r| r.city.clone()).collect::<Vec<_>>()).into_column(),
            signup.with_name("signup_date".into()).into_date().into_series().into_column(),
            Series::new("accepts_marketing".into(), rows.iter().map(|r| r.marketing).collect::<Vec<_>>()).into_column(),
            tags.with_name("tags".into()).into_series().into_column(),
        ],
    )
    .unwrap();
    let (orders, order_lines) = order_tables(rows);
    let field = |name: &str, ty| FieldInfo { name: name.into(), ty, origin: FieldOrigin::Canonical };
    CustomerData {
        customers,
        fields: vec![
            field("customer_id", FieldType::Text),
            field("ltv", FieldType::Money),
            field("orders", FieldType::Integer),
            field("city", FieldType::Category),
            field("signup_date", FieldType::Date),
            field("accepts_marketing", FieldType::Bool),
            field("tags", FieldType::List),
        ],
        orders: Some(orders),
        order_lines: Some(order_lines),
        spend: Vec::new(),
        as_of: as_of(),
        report: Default::default(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn random_rules_match_the_row_by_row_evaluator(
        rows in proptest::collection::vec(row_strategy(), 0..30),
        rule in group_strategy().prop_map(normalise),
    ) {
        let frame = SegmentFrame::new(Arc::new(table(&rows)));
        let compiled = frame.compile(&rule);
        prop_assert!(compiled.invalid.is_empty(), "{:?}", compiled.invalid);
        let got: Vec<usize> = frame.members(&compiled).unwrap().into_iter().map(|i| i as usize).collect();
        let want: Vec<usize> = rows.iter().enumerate().filter(|(_, r)| oracle_group(&rows, r, &rule)).map(|(i, _)| i).collect();
        prop_assert_eq!(&got, &want, "rule: {}", to_text(&rule));
        let stats = frame.stats(&compiled).unwrap();
        prop_assert_eq!(stats.count, want.len());
        // LTV and order numbers over the kept rows, empty values left out.
        let kept = || want.iter().map(|&i| &rows[i]);
        let ltvs: Vec<f64> = kept().filter_map(|r| r.ltv).collect();
        let orders: Vec<f64> = kept().filter_map(|r| r.orders).map(|o| o as f64).collect();
        let mean = |v: &[f64]| (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64);
        let close = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) => (a - b).abs() < 1e-6 * b.abs().max(1.0),
            (a, b) => a == b,
        };
        prop_assert!(close(stats.total_revenue, Some(ltvs.iter().sum())), "{:?} vs {:?}", stats, ltvs);
        prop_assert!(close(stats.avg_ltv, mean(&ltvs)), "{:?} vs {:?}", stats, ltvs);
        prop_assert!(close(stats.avg_orders, mean(&orders)), "{:?} vs {:?}", stats, orders);
        // The text form reads back to the same rule.
        prop_assert_eq!(parse(&to_text(&rule)).unwrap(), rule);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// The overlap matrix against a plain count: for every pair of random rules,
    /// the rows both keep, row by row; and each cell's intersection rule finds them.
    #[test]
    fn overlap_counts_match_a_plain_count(
        rows in proptest::collection::vec(row_strategy(), 0..40),
        rules in proptest::collection::vec(group_strategy().prop_map(normalise), 1..4),
    ) {
        use kitle::engine::segment::overlap::{intersection_rule, overlap};
        let frame = SegmentFrame::new(Arc::new(table(&rows)));
        let named: Vec<(String, String)> =
            rules.iter().enumerate().map(|(i, r)| (format!("S{i}"), to_text(r))).collect();
        let o = overlap(&frame, &named).unwrap();
        for (i, a) in rules.iter().enumerate() {
            for (j, b) in rules.iter().enumerate() {
                let both = rows.iter().filter(|r| oracle_group(&rows, r, a) && oracle_group(&rows, r, b)).count();
                prop_assert_eq!(o.counts[i][j], Some(both), "{} ∩ {}", named[i].1, named[j].1);
                let rule = intersection_rule(&named[i].1, &named[j].1).unwrap();
                prop_assert_eq!(frame.stats(&frame.compile(&rule)).unwrap().count, both);
            }
            let size = rows.iter().filter(|r| oracle_group(&rows, r, a)).count();
            prop_assert_eq!(o.sizes[i], Some(size));
        }
        // Venn regions: customers in exactly the segments a region is inside; the
        // region's rule (by reference to the saved segments) finds them again.
        if rules.len() >= 2 {
            use kitle::engine::segment::overlap::region_rule;
            frame.set_saved_segments(named.clone());
            let picks: Vec<usize> = (0..rules.len().min(3)).collect();
            let venn = o.venn(&picks).unwrap();
            prop_assert_eq!(venn.regions.len(), (1 << picks.len()) - 1);
            let names: Vec<&str> = picks.iter().map(|&i| named[i].0.as_str()).collect();
            for &(inside, count) in &venn.regions {
                let want = rows
                    .iter()
                    .filter(|r| picks.iter().enumerate().all(|(k, &i)| oracle_group(&rows, r, &rules[i]) == (inside >> k & 1 == 1)))
                    .count();
                prop_assert_eq!(count, want, "region {:b}", inside);
                let rule = parse(&to_text(&region_rule(&names, inside))).unwrap();
                prop_assert_eq!(frame.stats(&frame.compile(&rule)).unwrap().count, want);
            }
            prop_assert!(o.venn(&[0, 0]).is_none());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// "Why" agrees with the segment for every customer, and marks a condition
    /// empty exactly when it fails on a customer without a value there.
    #[test]
    fn why_agrees_with_the_row_by_row_evaluator(
        rows in proptest::collection::vec(row_strategy(), 1..12),
        rule in group_strategy().prop_map(normalise),
    ) {
        use kitle::engine::segment::why::{Outcome, why};
        let frame = SegmentFrame::new(Arc::new(table(&rows)));
        for (i, row) in rows.iter().enumerate() {
            let answer = why(&frame, &rule, i).unwrap();
            prop_assert_eq!(answer.member, oracle_group(&rows, row, &rule), "row {}: {}", i, to_text(&rule));
            for (item, original) in answer.items.iter().zip(&rule.items) {
                if let Node::Condition(c) = &original.node {
                    let holds = oracle_condition(&rows, row, c);
                    prop_assert_eq!(item.result == Outcome::True, holds, "{}", item.text);
                    if item.result == Outcome::Empty {
                        prop_assert_eq!(item.value.as_deref(), Some(""));
                    }
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Rules that refer to saved segments against a row-by-row oracle that reads
    /// the saved rules in their place; the text form round-trips.
    #[test]
    fn segment_references_match_the_row_by_row_evaluator(
        rows in proptest::collection::vec(row_strategy(), 0..25),
        a in group_strategy().prop_map(normalise),
        b in group_strategy().prop_map(normalise),
        extra in condition_strategy(),
        shape in (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()),
    ) {
        use kitle::engine::segment::segment_reference;
        let (not_a, not_b, or_b, with_extra) = shape;
        let mut items = vec![
            Item { join: Join::And, negate: not_a, node: Node::Condition(segment_reference("Alpha")) },
            Item { join: if or_b { Join::Or } else { Join::And }, negate: not_b, node: Node::Condition(segment_reference("Beta İ")) },
        ];
        if with_extra {
            items.push(Item { join: Join::And, negate: false, node: Node::Condition(extra.clone()) });
        }
        let rule = Group { items };
        let frame = SegmentFrame::new(Arc::new(table(&rows)));
        frame.set_saved_segments(vec![("Alpha".into(), to_text(&a)), ("Beta İ".into(), to_text(&b))]);
        let compiled = frame.compile(&rule);
        prop_assert!(compiled.invalid.is_empty(), "{:?}", compiled.invalid);
        let got: Vec<usize> = frame.members(&compiled).unwrap().into_iter().map(|i| i as usize).collect();
        let expanded = Group {
            items: rule
                .items
                .iter()
                .map(|item| match &item.node {
                    Node::Condition(c) if c.op == Op::InSegment => Item {
                        node: Node::Group(if c.values[0] == "Alpha" { a.clone() } else { b.clone() }),
                        ..item.clone()
                    },
                    _ => item.clone(),
                })
                .collect(),
        };
        let want: Vec<usize> =
            rows.iter().enumerate().filter(|(_, r)| oracle_group(&rows, r, &expanded)).map(|(i, _)| i).collect();
        prop_assert_eq!(&got, &want, "rule: {}", to_text(&rule));
        prop_assert_eq!(parse(&to_text(&rule)).unwrap(), rule);
    }
}

#[test]
fn segment_reference_cycles_and_unknown_names_are_reported() {
    use kitle::engine::segment::evaluate::InvalidKind;
    use kitle::engine::segment::{referenced_segments, rename_references};
    let row = Row {
        ltv: Some(10.0),
        orders: Some(1),
        city: None,
        signup: None,
        marketing: None,
        tags: None,
        history: vec![],
    };
    let frame = SegmentFrame::new(Arc::new(table(&[row])));
    frame.set_saved_segments(vec![
        ("A".into(), "in segment \"B\" and ltv > 1".into()),
        ("B".into(), "orders > 0 or in segment \"a\"".into()),
        ("C".into(), "ltv > 5".into()),
    ]);
    let cycle = frame.compile(&parse("in segment \"A\"").unwrap());
    assert_eq!(cycle.invalid[0].kind, InvalidKind::SegmentCycle);
    assert!(cycle.invalid[0].reason.contains("A → B → A"), "{}", cycle.invalid[0].reason);
    let unknown = frame.compile(&parse("in segment \"Nope\"").unwrap());
    assert_eq!(unknown.invalid[0].kind, InvalidKind::UnknownSegment);
    let fine = frame.compile(&parse("in segment \"c\" and not in segment \"C\"").unwrap());
    assert!(fine.invalid.is_empty());
    assert_eq!(frame.stats(&fine).unwrap().count, 0);
    // Renaming follows references, and only them.
    let rule = "in segment \"C\" or city = \"C\"";
    assert_eq!(rename_references(rule, "C", "Çok Değerli").unwrap(), "in segment \"Çok Değerli\" or city = \"C\"");
    assert!(rename_references("ltv > 1", "C", "D").is_none());
    assert_eq!(referenced_segments(&parse("in segment \"X\" and (not in segment \"Y\")").unwrap()), ["X", "Y"]);
}

#[test]
fn why_marks_empty_values_and_shows_each_value() {
    use kitle::engine::segment::why::{Outcome, why};
    let row = Row {
        ltv: None,
        orders: Some(4),
        city: Some("İzmir".into()),
        signup: None,
        marketing: Some(true),
        tags: None,
        history: vec![],
    };
    let frame = SegmentFrame::new(Arc::new(table(&[row])));
    let rule = parse("ltv > 100 or (city = \"İzmir\" and not orders > 2) or signup_date is empty").unwrap();
    let answer = why(&frame, &rule, 0).unwrap();
    assert!(answer.member, "signup_date is empty holds");
    let results: Vec<Outcome> = answer.items.iter().map(|i| i.result).collect();
    assert_eq!(results, [Outcome::Empty, Outcome::False, Outcome::True]);
    assert_eq!(answer.items[0].value.as_deref(), Some(""));
    let inner: Vec<(Outcome, Option<&str>)> =
        answer.items[1].items.iter().map(|i| (i.result, i.value.as_deref())).collect();
    assert_eq!(inner, [(Outcome::True, Some("İzmir")), (Outcome::True, Some("4"))]);
    assert!(answer.items[1].items[1].negate, "the not is kept beside its condition");
    let unknown = parse("nothing_here > 1").unwrap();
    assert_eq!(why(&frame, &unknown, 0).unwrap().items[0].result, Outcome::Invalid);
    assert!(why(&frame, &rule, 5).is_err(), "a row that does not exist is an error, not a panic");
}

#[test]
fn why_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("demo.kitle");
    assert!(kitle(&["demo", dir.path().to_str().unwrap()]).0);
    let ws = ws.to_str().unwrap();
    let (ok, out, err) =
        kitle(&["why", ws, "--rule", "ltv > 5000 and city = \"Ankara\"", "--customer", "10000", "--json"]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["member"], false);
    assert_eq!(v["items"][0]["text"], "ltv > 5000");
    assert!(["true", "false", "empty"].contains(&v["items"][1]["result"].as_str().unwrap()));
    let (ok, _, err) = kitle(&["why", ws, "--segment", "No such segment", "--customer", "10000"]);
    assert!(!ok && err.contains("no saved segment"), "{err}");
    let (ok, _, err) = kitle(&["why", ws, "--rule", "ltv > 1", "--customer", "nobody@example.com"]);
    assert!(!ok && err.contains("No customer"), "{err}");
}

#[test]
fn overlap_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("demo.kitle");
    let (ok, _, err) = kitle(&["demo", dir.path().to_str().unwrap()]);
    assert!(ok, "{err}");
    let (ok, out, err) = kitle(&["overlap", ws.to_str().unwrap(), "--json"]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let names = v["names"].as_array().unwrap();
    assert!(names.len() >= 2);
    let n = names.len();
    for i in 0..n {
        assert_eq!(v["counts"][i][i], v["sizes"][i], "the diagonal is the size");
        for j in 0..n {
            assert_eq!(v["counts"][i][j], v["counts"][j][i], "symmetric");
            assert!(v["counts"][i][j].as_u64() <= v["sizes"][i].as_u64());
        }
    }
    let (ok, text, _) = kitle(&["overlap", ws.to_str().unwrap()]);
    assert!(ok && text.contains("Customers in both"));
}

/// Big tables are evaluated in slices of rows side by side; the sums and members
/// must not depend on where the cuts fall (odd sizes, cuts inside 64-bit words).
#[test]
fn big_tables_give_the_same_answer_as_a_row_by_row_count() {
    let n = 600_001;
    let rows: Vec<Row> = (0..n)
        .map(|i| Row {
            ltv: (i % 7 != 0).then_some((i % 10_000) as f64 + 0.25),
            orders: (i % 5 != 0).then_some((i % 13) as i64),
            city: Some(CITIES[i % CITIES.len()].to_owned()),
            signup: (i % 3 != 0).then(|| as_of() - chrono::Duration::days((i % 900) as i64)),
            marketing: Some(i % 2 == 0),
            tags: None,
            history: (0..i % 3)
                .map(|k| OrderRow {
                    date: Some(as_of() - chrono::Duration::days(((i + k) % 200) as i64)),
                    total: (i % 300) as f64,
                    products: vec![PRODUCTS[(i + k) % PRODUCTS.len()].to_owned()],
                })
                .collect(),
        })
        .collect();
    let frame = SegmentFrame::new(Arc::new(table(&rows)));
    let rule = parse(&format!(
        "ltv > 5000 and signup_date more than 30 days ago or city = \"{}\" \
         or bought product \"Filtre Kahve\" in last 30 days and order count in last 8 weeks >= 2",
        CITIES[1]
    ))
    .unwrap();
    let compiled = frame.compile(&rule);
    let want: Vec<usize> = (0..n).filter(|&i| oracle_group(&rows, &rows[i], &rule)).collect();
    let got: Vec<usize> = frame.members(&compiled).unwrap().into_iter().map(|i| i as usize).collect();
    assert_eq!(got.len(), want.len());
    assert!(got == want, "members differ");
    let stats = frame.stats(&compiled).unwrap();
    assert_eq!(stats.count, want.len());
    let ltvs: Vec<f64> = want.iter().filter_map(|&i| rows[i].ltv).collect();
    let total: f64 = ltvs.iter().sum();
    let close = |a: Option<f64>, b: f64| (a.unwrap() - b).abs() <= 1e-9 * b.abs();
    assert!(close(stats.total_revenue, total), "{stats:?} vs {total}");
    assert!(close(stats.avg_ltv, total / ltvs.len() as f64), "{stats:?}");
    let orders: Vec<i64> = want.iter().filter_map(|&i| rows[i].orders).collect();
    assert!(close(stats.avg_orders, orders.iter().sum::<i64>() as f64 / orders.len() as f64), "{stats:?}");
    // No rule: everyone.
    let all = frame.stats(&frame.compile(&Group::default())).unwrap();
    assert_eq!(all.count, n);
}

// ---------------------------------------------------------------- fixtures

fn turkish_store() -> SegmentFrame {
    SegmentFrame::new(Arc::new(
        import(Some("fixtures/turkish/musteriler_1254.csv"), None, None, date(2026, 11, 1)).unwrap(),
    ))
}

fn ids(frame: &SegmentFrame, rule: &str) -> Vec<String> {
    let compiled = frame.compile(&parse(rule).unwrap());
    assert!(compiled.invalid.is_empty(), "{rule}: {:?}", compiled.invalid);
    let ids = frame.data().customers.column("customer_id").unwrap().str().unwrap().clone();
    frame.members(&compiled).unwrap().into_iter().map(|i| ids.get(i as usize).unwrap().to_owned()).collect()
}

#[test]
fn every_operator_on_a_real_file() {
    // 1001 Gökhan İstanbul 12.450,75 14 orders, last 28.10.2026, VIP+girişimci, yes
    // 1002 Şule Iğdır 890,50 2, last 15.03.2026, no tags, no
    // 1003 İbrahim Çanakkale 0 0, no last order, yeni, yes; no birth date
    // 1004 Ümran Muğla 5.000 7, last 01.09.2026, sadık+bülten, yes
    let f = turkish_store();
    assert_eq!(ids(&f, "ltv > 5000"), ["1001"]);
    assert_eq!(ids(&f, "ltv >= 5000"), ["1001", "1004"]);
    assert_eq!(ids(&f, "ltv = 890.5"), ["1002"]);
    assert_eq!(ids(&f, "ltv != 0"), ["1001", "1002", "1004"]);
    assert_eq!(ids(&f, "ltv < 1000"), ["1002", "1003"]);
    assert_eq!(ids(&f, "ltv <= 890.5"), ["1002", "1003"]);
    assert_eq!(ids(&f, "orders between 2 and 7"), ["1002", "1004"]);
    assert_eq!(ids(&f, "last_order_date is empty"), ["1003"]);
    assert_eq!(ids(&f, "last_order_date is not empty"), ["1001", "1002", "1004"]);
    assert_eq!(ids(&f, "last_order_date more than 30 days ago"), ["1002", "1004"]);
    assert_eq!(ids(&f, "last_order_date within last 7 days"), ["1001"]);
    assert_eq!(ids(&f, "last_order_date within last 2 months"), ["1001", "1004"]);
    assert_eq!(ids(&f, "last_order_date more than 30 weeks ago"), ["1002"]);
    assert_eq!(ids(&f, "last_order_date before 2026-09-01"), ["1002"]);
    assert_eq!(ids(&f, "last_order_date after 2026-09-01"), ["1001"]);
    assert_eq!(ids(&f, "last_order_date on 2026-09-01"), ["1004"]);
    assert_eq!(ids(&f, "last_order_date between 2026-03-15 and 2026-09-01"), ["1002", "1004"]);
    assert_eq!(ids(&f, "city = \"istanbul\""), ["1001"]);
    assert_eq!(ids(&f, "city = \"IĞDIR\""), ["1002"]);
    assert_eq!(ids(&f, "city = \"iğdir\""), ["1002"], "dotted and dotless i match");
    assert_eq!(ids(&f, "city in (\"muğla\", \"Çanakkale\")"), ["1003", "1004"]);
    assert_eq!(ids(&f, "city not in (\"muğla\", \"Çanakkale\")"), ["1001", "1002"]);
    assert_eq!(ids(&f, "name contains \"öz\""), ["1001"]);
    assert_eq!(ids(&f, "name starts with \"şu\""), ["1002"]);
    assert_eq!(ids(&f, "email ends with \"@ornek.com.tr\"").len(), 4);
    assert_eq!(ids(&f, "tags contains \"vip\""), ["1001"]);
    assert_eq!(ids(&f, "tags does not contain \"vip\""), ["1003", "1004"], "empty tags are left out");
    assert_eq!(ids(&f, "tags does not contain \"vip\" or empty"), ["1002", "1003", "1004"]);
    assert_eq!(ids(&f, "(tags does not contain \"vip\" or tags is empty)"), ["1002", "1003", "1004"]);
    assert_eq!(ids(&f, "tags contains any of (\"yeni\", \"BÜLTEN\")"), ["1003", "1004"]);
    assert_eq!(ids(&f, "tags is empty"), ["1002"]);
    assert_eq!(ids(&f, "accepts_marketing is yes"), ["1001", "1003", "1004"]);
    assert_eq!(ids(&f, "accepts_marketing is no"), ["1002"]);
    assert_eq!(ids(&f, "birth_date is empty"), ["1003"]);
    assert_eq!(ids(&f, "age > 40"), ["1001"]);
    assert_eq!(ids(&f, "`Sadakat Puanı` >= 80"), ["1001", "1002"], "custom fields; 1004's cell was unreadable");
    assert_eq!(ids(&f, "not ltv > 1000"), ["1002", "1003"]);
    assert_eq!(ids(&f, "not birth_date before 1990-01-01"), ["1002", "1003"], "not flips an empty value's false");
    assert_eq!(ids(&f, "ltv > 5000 or city = \"Muğla\" and orders > 10"), ["1001"], "and binds tighter");
    assert_eq!(ids(&f, "(ltv > 5000 or city = \"Muğla\") and orders > 5"), ["1001", "1004"]);
    assert_eq!(ids(&f, ""), ["1001", "1002", "1003", "1004"]);
}

#[test]
fn invalid_rows_are_reported_and_ignored() {
    let f = turkish_store();
    let rule = parse("ltv > \"lots\" and city = \"Muğla\" and nosuchfield = 1 or orders contains \"x\"").unwrap();
    let compiled = f.compile(&rule);
    let reasons: Vec<(Vec<usize>, String)> =
        compiled.invalid.iter().map(|i| (i.path.clone(), i.reason.clone())).collect();
    assert_eq!(reasons.len(), 3, "{reasons:?}");
    assert_eq!(reasons[0], (vec![0], "\"lots\" is not a number".to_owned()));
    assert_eq!(reasons[1].0, vec![2]);
    assert!(reasons[2].1.contains("does not apply"));
    // Only the valid row counts.
    assert_eq!(f.members(&compiled).unwrap(), vec![3]);
    let e = f.evaluate(&rule).unwrap();
    assert_eq!(e.stats.count, 1);
    assert_eq!(e.invalid.len(), 3);
}

#[test]
fn results_and_funnel_for_the_mockup_rule() {
    let data = shopify_store();
    let frame = SegmentFrame::new(Arc::new(data));
    let rule = parse("ltv > 400 and last_order_date more than 30 days ago or channel = \"tiktok\"").unwrap();
    let e = frame.evaluate(&rule).unwrap();
    // Ayşe (1850, last 2025-08-20), Mehmet (420.5, last 2025-06-10), Can (TikTok, 75).
    assert_eq!(e.stats.count, 3);
    approx(Some(e.stats.share), 0.75);
    approx(e.stats.avg_ltv, (1850.0 + 420.5 + 75.0) / 3.0);
    approx(e.stats.total_revenue, 1850.0 + 420.5 + 75.0);
    approx(e.stats.avg_orders, (2.0 + 1.0 + 1.0) / 3.0);
    let funnel: Vec<usize> = e.funnel.iter().map(|s| s.count).collect();
    assert_eq!(funnel, vec![2, 2, 3]);
    approx(e.funnel[0].avg_ltv, (1850.0 + 420.5) / 2.0);
}

#[test]
fn a_customers_orders_and_a_fields_values_come_from_the_engine() {
    use kitle::engine::browse::customer_orders;
    use kitle::engine::segment::values::value_counts;
    let data = shopify_store();
    let ayse = row_where(&data, "email", "ayse.yilmaz@example.com");
    let orders: Vec<(String, Option<chrono::NaiveDate>, f64)> =
        customer_orders(&data, ayse).into_iter().map(|o| (o.id, o.date, o.total)).collect();
    // Oldest first; the partly refunded order counts net of its refund.
    assert_eq!(
        orders,
        vec![
            ("#1001".to_owned(), Some(date(2025, 3, 2)), 1200.0),
            ("#1003".to_owned(), Some(date(2025, 8, 20)), 650.0)
        ]
    );
    let zeynep = row_where(&data, "email", "zeynep@example.com");
    assert!(customer_orders(&data, zeynep).is_empty(), "a voided order is not listed");

    // Values offered in the builder: most common first, then alphabetically; list
    // fields count each item.
    let cities = value_counts(&data, "city");
    let expected = ["Ankara", "Bursa", "İstanbul", "İzmir"];
    let mut names: Vec<&str> = cities.iter().map(|(v, _)| v.as_str()).collect();
    names.sort_unstable();
    let mut want = expected.to_vec();
    want.sort_unstable();
    assert_eq!(names, want);
    assert!(cities.iter().all(|(_, n)| *n == 1));
    let tags = value_counts(&data, "tags");
    assert!(tags.contains(&("VIP".to_owned(), 1)) && tags.contains(&("wholesale".to_owned(), 1)), "{tags:?}");
    assert!(value_counts(&data, "no_such_field").is_empty());
}

/// A table of customers with ids and LTVs.
fn with_ids(ids: &[u32]) -> CustomerData {
    let customers = DataFrame::new(
        ids.len(),
        vec![
            Series::new("customer_id".into(), ids.iter().map(|i| format!("C{i}")).collect::<Vec<_>>()).into_column(),
            Series::new("ltv".into(), ids.iter().map(|i| f64::from(i % 1000)).collect::<Vec<_>>()).into_column(),
        ],
    )
    .unwrap();
    let field = |name: &str, ty| FieldInfo { name: name.into(), ty, origin: FieldOrigin::Canonical };
    CustomerData {
        customers,
        fields: vec![field("customer_id", FieldType::Text), field("ltv", FieldType::Money)],
        orders: None,
        order_lines: None,
        spend: Vec::new(),
        as_of: as_of(),
        report: Default::default(),
    }
}

#[test]
fn split_groups_keep_their_customers_across_a_refresh() {
    use kitle::engine::segment::split::split_segments;
    let groups = split_segments("VIP", &[90, 10], "c0ffee", kitle::format::Lang::En);
    let saved = vec![("VIP".to_owned(), "ltv >= 500".to_owned())];
    let members_by_id = |data: CustomerData| -> Vec<Vec<String>> {
        let ids = data.customers.column("customer_id").unwrap().str().unwrap().clone();
        let frame = SegmentFrame::new(Arc::new(data));
        frame.set_saved_segments(saved.clone());
        groups
            .iter()
            .map(|(_, rule)| {
                let compiled = frame.compile(rule);
                assert!(compiled.invalid.is_empty(), "{:?}", compiled.invalid);
                let mut found: Vec<String> = frame
                    .members(&compiled)
                    .unwrap()
                    .into_iter()
                    .map(|r| ids.get(r as usize).unwrap().to_owned())
                    .collect();
                found.sort();
                found
            })
            .collect()
    };
    let first: Vec<u32> = (1..=4000).collect();
    let before = members_by_id(with_ids(&first));
    let vip = first.iter().filter(|i| *i % 1000 >= 500).count();
    assert_eq!(before[0].len() + before[1].len(), vip, "the groups cover the segment");
    assert!(before[0].iter().all(|id| !before[1].contains(id)), "and do not overlap");
    let share = before[1].len() as f64 / vip as f64;
    assert!((0.07..0.13).contains(&share), "about 10% held out: {share}");
    // Refreshed: another row order and new customers; everyone stays in their group.
    let mut refreshed: Vec<u32> = first.iter().rev().copied().collect();
    refreshed.extend(4001..=4600);
    let after = members_by_id(with_ids(&refreshed));
    for (group_before, group_after) in before.iter().zip(&after) {
        for id in group_before {
            assert!(group_after.contains(id), "{id} moved group");
        }
    }
}

/// Every producer of rules (a chart's band or channel, an RFM cell or group, a
/// cross-tab cell, a cluster, a suggestion, a template, a split, a Venn region, a
/// persona trait, "slipping away") builds a rule tree that reads back from its
/// text unchanged, uses only conditions the engine can evaluate, and finds the
/// same customers after the round trip.
#[test]
fn every_rule_producer_builds_a_rule_that_round_trips_through_text() {
    use kitle::engine::explore::{audiences, clusters, crosstab, predict, rfm};
    use kitle::engine::segment::members::{Target, members};
    use kitle::engine::segment::{Rule, overlap, rules, split, templates};
    let dir = tempfile::tempdir().unwrap();
    let (ok, _, err) = kitle(&["demo", dir.path().to_str().unwrap(), "--customers", "1500"]);
    assert!(ok, "{err}");
    let path = dir.path().join("demo.kitle");
    let ws = kitle::engine::workspace::Workspace::load(&path).unwrap();
    let data = Arc::new(ws.load_data(&path, &kitle::engine::import::Progress::default()).unwrap());
    let mut produced: Vec<(String, Rule)> = Vec::new();
    let d = kitle::engine::dashboard::dashboard(&data, None, &ws.settings.ltv_bands).unwrap();
    produced.extend(d.ltv_bands.iter().map(|b| ("LTV band".to_owned(), rules::band_rule(b))));
    produced.extend(d.channels.iter().map(|c| ("channel".to_owned(), rules::channel_rule(&c.channel))));
    produced.extend((1..=5).flat_map(|r| (1..=5).map(move |f| ("RFM cell".to_owned(), rfm::cell_rule(r, f)))));
    produced.push(("RFM group".to_owned(), rfm::group_rule("champions")));
    let table = crosstab::crosstab(&data, "city", "ltv", crosstab::Measure::Count).unwrap();
    produced.extend(table.cells.iter().flatten().map(|c| ("cross-tab cell".to_owned(), c.rule.clone())));
    let found = clusters::clusters(&data, Some(3), &[]).unwrap();
    produced.extend(found.clusters.iter().map(|c| ("cluster".to_owned(), c.rule.clone())));
    let suggested = audiences::suggested(&data, 0.01, 10).unwrap();
    assert!(!suggested.is_empty());
    produced.extend(suggested.iter().map(|s| ("suggestion".to_owned(), s.rule.clone())));
    for lang in [kitle::format::Lang::En, kitle::format::Lang::Tr] {
        produced.extend(templates::gallery(&data, lang).into_iter().map(|t| (format!("template {}", t.id), t.rule)));
    }
    let saved = &ws.segments[0].name;
    produced.extend(
        split::split_segments(saved, &[90, 10], "c0ffee", kitle::format::Lang::En)
            .into_iter()
            .map(|(n, r)| (format!("split {n}"), r)),
    );
    let names: Vec<&str> = ws.segments.iter().take(3).map(|s| s.name.as_str()).collect();
    produced.extend((1..8u8).map(|inside| ("Venn region".to_owned(), overlap::region_rule(&names, inside))));
    produced.push(("slipping away".to_owned(), predict::slipping_rule()));
    let frame = SegmentFrame::new(Arc::clone(&data)).with_saved_segments(&ws.segments);
    let vip = members(&frame, &ws.segments, Target::Segment(saved)).unwrap();
    let persona = kitle::engine::persona::missed::draft(&frame, &vip.rows, saved).unwrap();
    assert!(!persona.traits.is_empty());
    produced.push(("persona".to_owned(), persona.rule().unwrap()));
    for t in &persona.traits {
        produced.push(("persona trait".to_owned(), parse(t).unwrap()));
    }
    let kinds: std::collections::BTreeSet<&str> =
        produced.iter().map(|(k, _)| k.split(' ').next().unwrap_or_default()).collect();
    assert_eq!(kinds.len(), 11, "every kind of producer: {kinds:?}");
    for (kind, rule) in &produced {
        let text = to_text(rule);
        let back = parse(&text).unwrap_or_else(|e| panic!("{kind}: {text}: {e}"));
        assert_eq!(&back, rule, "{kind}: {text} reads back as the same tree");
        let built = members(&frame, &ws.segments, Target::Rule(rule)).unwrap_or_else(|e| panic!("{kind}: {text}: {e}"));
        let read = members(&frame, &ws.segments, Target::Text(&text)).unwrap();
        assert_eq!(built.rows, read.rows, "{kind}: {text}");
    }
}

/// `ltv in top 10%` is measured on the data each time: after a re-import that
/// raises most LTVs it still keeps 10% of the customers (a fixed amount drifts),
/// in the segment count, `why` (with today's line) and the SQL, which SQLite counts the same.
#[test]
fn the_top_ten_percent_stays_ten_percent_across_a_re_import() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("musteriler.csv");
    let write = |scale: fn(u32) -> f64| {
        let mut text = String::from("Müşteri No,Toplam Harcama\n");
        for i in 1..=1000u32 {
            text += &format!("{i},{:.2}\n", scale(i));
        }
        text += "1001,\n";
        std::fs::write(&csv, text).unwrap();
    };
    write(|i| f64::from(i) * 10.0);
    let ws = dir.path().join("magaza.kitle");
    let ws_text = ws.to_str().unwrap();
    let (ok, _, err) = kitle(&["import", "--customers", csv.to_str().unwrap(), "-o", ws_text]);
    assert!(ok, "{err}");
    let count = |rule: &str| -> u64 {
        let (ok, out, err) = kitle(&["segment", ws_text, "--rule", rule, "--json"]);
        assert!(ok, "{rule}: {err}");
        serde_json::from_str::<serde_json::Value>(&out).unwrap()["count"].as_u64().unwrap()
    };
    // 1,000 customers with a value (the 1,001st has none and is never counted).
    assert_eq!(count("ltv in top 10%"), 100);
    assert_eq!(count("ltv >= 9010"), 100, "the same customers, frozen as an amount");
    assert_eq!(count("ltv in bottom 25%"), 250);
    assert_eq!(count("ltv above median"), 500);
    assert_eq!(count("ltv below average"), 500);

    // Most customers spend far more now: the amount keeps 60%, the top keeps 10%.
    write(|i| if i > 400 { f64::from(i) * 1000.0 } else { f64::from(i) * 10.0 });
    assert_eq!(count("ltv >= 9010"), 600);
    assert_eq!(count("ltv in top 10%"), 100);

    let (ok, out, err) = kitle(&["why", ws_text, "--rule", "ltv in top 10%", "--customer", "950"]);
    assert!(ok, "{err}");
    assert!(out.contains("(value: 950000; today: >= 901000)"), "{out}");
    let (ok, out, err) = kitle(&["why", ws_text, "--rule", "ltv in top 10%", "--customer", "1", "--json"]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["member"], false);
    assert_eq!(v["items"][0]["bound"], serde_json::json!({"keep": "at_least", "value": 901000.0}));

    let (ok, out, err) =
        kitle(&["segment", ws_text, "--rule", "ltv in top 10% and ltv above average", "--sql", "duckdb"]);
    assert!(ok, "{err}");
    assert!(out.contains("(SELECT COUNT(*) FROM customers AS p WHERE p.ltv > c.ltv) < 10 * (SELECT COUNT(p.ltv) FROM customers AS p) / 100.0"), "{out}");
}
