//! SQL for the warehouse: the generated queries run in an embedded SQL engine
//! (SQLite, with a Unicode `LOWER` as warehouses have) on the customer, order and
//! order-line tables exported from the data, and must count what Kitle counts:
//! random rule trees (empty values, order history, segment references) and the
//! demo store's rules in every dialect.

use std::sync::Arc;

use kitle::engine::data::CustomerData;
use kitle::engine::fields::FieldType;
use kitle::engine::segment::evaluate::SegmentFrame;
use kitle::engine::segment::sql::{Dialect, segment_sql};
use kitle::engine::segment::{Group, Item, Join, Node, parse, segment_reference, to_text};
use kitle::engine::values::plain_text;
use polars::prelude::*;
use proptest::prelude::*;
use rusqlite::types::Value;

use crate::segments::{group_strategy, normalise, row_strategy, table};

/// A cell as the warehouse holds it: numbers as numbers, yes/no as booleans,
/// dates as ISO text, lists joined by ", ", empty as NULL.
fn cell(column: &Column, row: usize, ty: FieldType) -> Value {
    let Ok(v) = column.get(row) else { return Value::Null };
    if v.is_null() {
        return Value::Null;
    }
    match (ty, &v) {
        (FieldType::Bool, AnyValue::Boolean(b)) => Value::Integer(i64::from(*b)),
        (FieldType::Integer, _) => v.extract::<i64>().map_or(Value::Null, Value::Integer),
        (FieldType::Number | FieldType::Money, _) => v.extract::<f64>().map_or(Value::Null, Value::Real),
        _ => Value::Text(plain_text(&v)),
    }
}

fn sql_type(ty: FieldType) -> &'static str {
    match ty {
        FieldType::Number | FieldType::Money => "REAL",
        FieldType::Integer => "INTEGER",
        FieldType::Bool => "BOOLEAN",
        _ => "TEXT",
    }
}

fn insert(db: &rusqlite::Connection, table: &str, columns: &[(String, &str)], rows: Vec<Vec<Value>>) {
    let names: Vec<String> = columns.iter().map(|(n, t)| format!("\"{}\" {t}", n.replace('"', "\"\""))).collect();
    db.execute(&format!("CREATE TABLE {table} ({})", names.join(", ")), []).unwrap();
    let marks = vec!["?"; columns.len()].join(", ");
    let mut statement = db.prepare(&format!("INSERT INTO {table} VALUES ({marks})")).unwrap();
    for row in rows {
        statement.execute(rusqlite::params_from_iter(row)).unwrap();
    }
}

/// The data's customers, orders and order lines as warehouse tables.
fn warehouse(data: &CustomerData) -> rusqlite::Connection {
    let db = rusqlite::Connection::open_in_memory().unwrap();
    // SQLite's own LOWER only knows ASCII; warehouses lowercase all of Unicode.
    db.create_scalar_function(
        "lower",
        1,
        rusqlite::functions::FunctionFlags::SQLITE_UTF8 | rusqlite::functions::FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| Ok(ctx.get::<Option<String>>(0)?.map(|s| s.to_lowercase())),
    )
    .unwrap();
    db.execute_batch("BEGIN").unwrap();
    let fields: Vec<_> = data.fields.iter().filter(|f| data.customers.column(&f.name).is_ok()).collect();
    let columns: Vec<(String, &str)> = fields.iter().map(|f| (f.name.clone(), sql_type(f.ty))).collect();
    let cells: Vec<&Column> = fields.iter().map(|f| data.customers.column(&f.name).unwrap()).collect();
    let rows = (0..data.customers.height())
        .map(|r| fields.iter().zip(&cells).map(|(f, c)| cell(c, r, f.ty)).collect())
        .collect();
    insert(&db, "customers", &columns, rows);
    let key = if data.field("customer_id").is_some() { "customer_id" } else { "email" };
    let keys = data.customers.column(key).unwrap();
    let orders = data.orders.as_ref().unwrap();
    let (customer, date, total) =
        (orders.column("customer").unwrap(), orders.column("order_date").unwrap(), orders.column("total").unwrap());
    let rows = (0..orders.height())
        .map(|i| {
            let c = customer.get(i).unwrap().extract::<u32>().unwrap() as usize;
            vec![
                Value::Integer(i as i64),
                cell(keys, c, FieldType::Text),
                cell(date, i, FieldType::Date),
                cell(total, i, FieldType::Money),
            ]
        })
        .collect();
    let columns = [("order_id", "INTEGER"), (key, "TEXT"), ("order_date", "TEXT"), ("total", "REAL")];
    insert(&db, "orders", &columns.map(|(n, t)| (n.to_owned(), t)), rows);
    let lines = data.order_lines.as_ref().unwrap();
    let attrs = ["product", "sku", "category"];
    let rows = (0..lines.height())
        .map(|i| {
            let order = lines.column("order").unwrap().get(i).unwrap().extract::<i64>().unwrap();
            let mut row = vec![Value::Integer(order)];
            row.extend(attrs.map(|a| {
                let text = lines.column(a).and_then(|c| c.cast(&DataType::String));
                text.map_or(Value::Null, |c| cell(&c, i, FieldType::Text))
            }));
            row
        })
        .collect();
    let columns = [("order_id", "INTEGER"), ("product", "TEXT"), ("sku", "TEXT"), ("category", "TEXT")];
    insert(&db, "order_lines", &columns.map(|(n, t)| (n.to_owned(), t)), rows);
    db.execute_batch("COMMIT").unwrap();
    db
}

/// How many customers the query keeps.
fn sql_count(db: &rusqlite::Connection, query: &str) -> usize {
    let body = query.trim_end().trim_end_matches(';');
    db.query_row(&format!("SELECT COUNT(*) FROM ({body}\n)"), [], |r| r.get::<_, i64>(0))
        .unwrap_or_else(|e| panic!("{e}\n{query}")) as usize
}

fn kitle_count(frame: &SegmentFrame, rule: &Group) -> usize {
    let compiled = frame.compile(rule);
    assert!(compiled.invalid.is_empty(), "{}: {:?}", to_text(rule), compiled.invalid);
    frame.stats(&compiled).unwrap().count
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Random rule trees, with order history and a reference to a saved segment:
    /// the Postgres and DuckDB queries count what Kitle counts.
    #[test]
    fn generated_sql_counts_what_kitle_counts(
        rows in proptest::collection::vec(row_strategy(), 0..25),
        rule in group_strategy().prop_map(normalise),
        saved in group_strategy().prop_map(normalise),
        refer in any::<bool>(),
    ) {
        let data = table(&rows);
        let db = warehouse(&data);
        let named = vec![("Saved Ü".to_owned(), to_text(&saved))];
        let frame = SegmentFrame::new(Arc::new(data.clone()));
        frame.set_saved_segments(named.clone());
        let mut rule = rule;
        if refer {
            rule.items.push(Item { join: Join::Or, negate: true, node: Node::Condition(segment_reference("saved Ü")) });
        }
        let want = kitle_count(&frame, &rule);
        for dialect in [Dialect::Postgres, Dialect::DuckDb] {
            let query = segment_sql(&data, &named, &rule, dialect).unwrap();
            prop_assert_eq!(sql_count(&db, &query), want, "{}", query);
        }
    }
}

#[test]
fn the_demo_stores_rules_count_the_same_in_every_dialect() {
    let data = demo_data();
    let db = warehouse(&data);
    let frame = SegmentFrame::new(Arc::new(data.clone()));
    for rule in [
        "ltv > 5000 and last_order_date more than 30 days ago or channel = \"Google Ads\"",
        "city in (\"İSTANBUL\", \"izmir\") and not tags contains \"bülten\" and gender != \"Kadın\" or empty",
        "accepts_marketing is yes and birth_date before 1980-01-01 and `Sadakat Puanı` between 1000 and 3000",
        "email ends with \"@gmail.com\" and name starts with \"Ay\" and signup_date within last 6 months",
        "tags contains any of (\"kampanya\", \"HEDİYE\") or phone is empty or name contains \"ş\"",
        "bought product \"Kahve Makinesi\" in last 90 days and order count in last 12 months >= 2",
        "has not bought category \"Sofra\" and amount spent from 2026-01-01 to 2026-06-30 between 500 and 5000",
        "bought sku any of (\"km-01\", \"FP-350\") or order count in last 3 months = 0",
        "ltv in top 10% or orders in bottom 25% and days_since_last_order above median",
        "ltv below average and orders above average or ltv in bottom 2.5% or `Sadakat Puanı` below median",
    ] {
        let group = parse(rule).unwrap();
        let want = kitle_count(&frame, &group);
        assert!(want > 0, "{rule} keeps someone");
        for dialect in Dialect::ALL {
            let query = segment_sql(&data, &[], &group, dialect).unwrap();
            assert_eq!(sql_count(&db, &query), want, "{rule} in {dialect:?}:\n{query}");
        }
    }
}

pub fn demo_data() -> CustomerData {
    let path = crate::helpers::test_demo().join("demo.kitle");
    kitle::engine::workspace::Workspace::load(&path).unwrap().load_data(&path, &Default::default()).unwrap()
}

#[test]
fn the_command_line_prints_the_query_and_refuses_what_sql_cannot_say() {
    let dir = tempfile::tempdir().unwrap();
    let ws = crate::helpers::import_shopify_workspace(dir.path());
    let ws = ws.as_str();
    let rule = "bought product \"Eşarp\" in last 6 months and city = \"İstanbul\"";
    let (ok, out, err) =
        crate::helpers::kitle(&["segment", ws, "--rule", rule, "--sql", "bigquery", "--as-of", "2026-01-01"]);
    assert!(ok, "{err}");
    assert!(out.starts_with("-- Kitle segment: bought product \"Eşarp\""), "{out}");
    assert!(out.contains("FROM customers AS c") && out.contains("JOIN order_lines AS l"), "{out}");
    assert!(out.contains("o.order_date >= '2025-07-01' AND o.order_date <= '2026-01-01'"), "{out}");
    let (ok, _, err) = crate::helpers::kitle(&["segment", ws, "--rule", "in split \"x\" 0 to 10", "--sql", "duckdb"]);
    assert!(!ok && err.contains("split"), "{err}");
    let (ok, _, err) = crate::helpers::kitle(&["segment", ws, "--rule", "ltv > 1", "--sql", "mysql"]);
    assert!(!ok && err.contains("duckdb, postgres, bigquery or snowflake"), "{err}");
}
