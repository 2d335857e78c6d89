//! SQL for the warehouse: a rule written as a query over a `customers` table with
//! Kitle's canonical columns, for stores whose customers outgrow a laptop. The
//! query keeps Kitle's semantics exactly:
//! - a condition on an empty value (NULL, or '' in a text column) is false, and
//!   `NOT` turns it true (each condition is wrapped in `COALESCE(…, FALSE)`);
//!   `!=`, `not in` and `does not contain` let empty values in only "or empty";
//! - text compares case-insensitively with Turkish i's folded (`İ`, `I`, `ı` → `i`,
//!   then `LOWER`), as the builder does;
//! - list fields (tags) are text with items joined by ", ", as Kitle exports them;
//! - relative dates ("within last 30 days", order-history periods) are fixed
//!   against Kitle's as-of date, written as ISO date literals;
//! - `in segment "X"` inlines X's rule; a split (`in split`) has no portable hash
//!   and is refused;
//! - relative conditions (`ltv in top 10%`, `above median`) count over the table,
//!   as [`super::relative`] defines them, with correlated subqueries.
//!
//! Order-history conditions read two more tables: `orders` (`order_id`, the
//! customers' key column, `order_date`, `total`: one row per counted order, net)
//! and `order_lines` (`order_id`, `product`, `sku`, `category`).

use chrono::NaiveDate;

use super::evaluate::shift_back;
use super::history::{Measure, Window};
use super::{Condition, Group, Node, Op};
use crate::engine::data::CustomerData;
use crate::engine::fields::FieldType;
use crate::engine::text::fold_case;

/// The SQL flavours Kitle writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    DuckDb,
    Postgres,
    BigQuery,
    Snowflake,
}

impl Dialect {
    pub const ALL: [Dialect; 4] = [Dialect::DuckDb, Dialect::Postgres, Dialect::BigQuery, Dialect::Snowflake];

    pub fn parse(name: &str) -> Option<Self> {
        Some(match name.trim().to_ascii_lowercase().as_str() {
            "duckdb" => Dialect::DuckDb,
            "postgres" | "postgresql" => Dialect::Postgres,
            "bigquery" => Dialect::BigQuery,
            "snowflake" => Dialect::Snowflake,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Dialect::DuckDb => "duckdb",
            Dialect::Postgres => "postgres",
            Dialect::BigQuery => "bigquery",
            Dialect::Snowflake => "snowflake",
        }
    }

    /// Whether a backslash in a string literal escapes the next character.
    fn backslash_escapes(self) -> bool {
        matches!(self, Dialect::BigQuery | Dialect::Snowflake)
    }

    /// A string literal.
    pub fn string(self, value: &str) -> String {
        if self.backslash_escapes() {
            format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'"))
        } else {
            format!("'{}'", value.replace('\'', "''"))
        }
    }

    /// A column or table name: bare when it is a plain lowercase name, else quoted.
    pub fn ident(self, name: &str) -> String {
        let plain = name.chars().next().is_some_and(|c| c.is_ascii_lowercase() || c == '_')
            && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            && !RESERVED.contains(&name);
        match (plain, self) {
            (true, _) => name.to_owned(),
            (false, Dialect::BigQuery) => format!("`{}`", name.replace('`', "\\`")),
            (false, _) => format!("\"{}\"", name.replace('"', "\"\"")),
        }
    }

    /// `LIKE` matching `text` literally, with `%` before and/or after it.
    fn like(self, subject: &str, prefix_any: bool, text: &str, suffix_any: bool) -> String {
        // BigQuery's LIKE escapes with a backslash and takes no ESCAPE clause; the
        // others are given `!`, which no string literal treats specially.
        let mark = if self == Dialect::BigQuery { '\\' } else { '!' };
        let escaped: String = text
            .chars()
            .flat_map(|c| if matches!(c, '%' | '_') || c == mark { vec![mark, c] } else { vec![c] })
            .collect();
        let pattern = format!("{}{escaped}{}", if prefix_any { "%" } else { "" }, if suffix_any { "%" } else { "" });
        let escape = if self == Dialect::BigQuery { String::new() } else { " ESCAPE '!'".to_owned() };
        format!("{subject} LIKE {}{escape}", self.string(&pattern))
    }
}

/// Names that must be quoted as columns.
const RESERVED: &[&str] = &["order", "group", "select", "from", "where", "user", "date", "end", "limit", "table"];

/// Why a rule can't be written as SQL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SqlError(pub String);

/// The rule as `SELECT * FROM customers AS c WHERE …`, with a header saying what
/// it assumes. `saved` are the saved segments (name, rule) it may refer to.
pub fn segment_sql(
    data: &CustomerData,
    saved: &[(String, String)],
    group: &Group,
    dialect: Dialect,
) -> Result<String, SqlError> {
    let mut writer = Writer { data, saved, dialect, stack: Vec::new(), key: data.key_field().unwrap_or("email") };
    let condition = writer.group(group)?;
    Ok(format!(
        "-- Kitle segment: {}\n-- {} SQL over a customers table with Kitle's canonical columns; relative dates are as of {}.\nSELECT *\nFROM customers AS c\nWHERE {condition};",
        super::to_text(group).replace('\n', " "),
        dialect.name(),
        data.as_of
    ))
}

struct Writer<'a> {
    data: &'a CustomerData,
    saved: &'a [(String, String)],
    dialect: Dialect,
    /// Saved segments being inlined (to stop at a cycle).
    stack: Vec<String>,
    key: &'static str,
}

impl Writer<'_> {
    fn group(&mut self, group: &Group) -> Result<String, SqlError> {
        if group.items.is_empty() {
            return Ok("TRUE".to_owned());
        }
        let mut ors = Vec::new();
        for chain in group.or_of_ands() {
            let mut ands = Vec::new();
            for item in chain {
                let sql = match &item.node {
                    Node::Condition(c) => self.condition(c)?,
                    Node::Group(g) => format!("({})", self.group(g)?),
                };
                ands.push(if item.negate { format!("NOT {sql}") } else { sql });
            }
            ors.push(ands.join(" AND "));
        }
        Ok(if ors.len() == 1 {
            ors.remove(0)
        } else {
            ors.iter().map(|a| format!("({a})")).collect::<Vec<_>>().join(" OR ")
        })
    }

    fn column(&self, field: &str) -> String {
        format!("c.{}", self.dialect.ident(field))
    }

    /// Text folded as Kitle folds it: the three Turkish-English i's to `i`, then lowercase.
    fn folded(&self, expr: &str) -> String {
        let s = |v: &str| self.dialect.string(v);
        format!(
            "LOWER(REPLACE(REPLACE(REPLACE({expr}, {}, {}), {}, {}), {}, {}))",
            s("İ"),
            s("i"),
            s("I"),
            s("i"),
            s("ı"),
            s("i")
        )
    }

    fn condition(&mut self, c: &Condition) -> Result<String, SqlError> {
        match c.op {
            Op::InSegment => return self.in_segment(c),
            Op::InSplit => {
                return Err(SqlError("a split group (`in split`) has no portable SQL form".to_owned()));
            }
            Op::LookalikeOf => {
                return Err(SqlError(
                    "a lookalike (`lookalike of`) is a model Kitle fits on today's data; it has no SQL form (export its members instead)".to_owned(),
                ));
            }
            _ => {}
        }
        if let Some(measure) = Measure::of_field(&c.field) {
            return self.history(c, measure);
        }
        let ty = self
            .data
            .field(&c.field)
            .map(|f| f.ty)
            .ok_or_else(|| SqlError(format!("there is no field \"{}\"", c.field)))?;
        let column = self.column(&c.field);
        let texty = matches!(ty, FieldType::Text | FieldType::Category | FieldType::List);
        let value = if texty { format!("NULLIF({column}, '')") } else { column };
        let empty = format!("{value} IS NULL");
        let core = match c.op {
            Op::IsEmpty => return Ok(format!("({empty})")),
            Op::IsNotEmpty => return Ok(format!("({value} IS NOT NULL)")),
            op if op.is_relative() && matches!(ty, FieldType::Number | FieldType::Money | FieldType::Integer) => {
                return self.relative(c, &value);
            }
            _ => match ty {
                FieldType::Number | FieldType::Money | FieldType::Integer => self.numeric(c, &value)?,
                FieldType::Date => self.date(c, &value)?,
                FieldType::Text | FieldType::Category => self.text(c, &value),
                FieldType::List => self.list(c, &value),
                FieldType::Bool => format!("{value} = {}", if c.op == Op::IsYes { "TRUE" } else { "FALSE" }),
            },
        };
        Ok(if c.op.is_negative() && c.include_empty {
            format!("(COALESCE({core}, FALSE) OR {empty})")
        } else {
            format!("COALESCE({core}, FALSE)")
        })
    }

    fn in_segment(&mut self, c: &Condition) -> Result<String, SqlError> {
        let name = c.values.first().map_or("", |v| v.trim());
        let Some((name, rule)) = self.saved.iter().find(|(n, _)| n.trim().eq_ignore_ascii_case(name)).cloned() else {
            return Err(SqlError(format!("there is no saved segment \"{name}\"")));
        };
        if self.stack.iter().any(|n| n.eq_ignore_ascii_case(&name)) {
            return Err(SqlError(format!("segments refer to each other: {} → {name}", self.stack.join(" → "))));
        }
        let group = super::parse(&rule).map_err(|e| SqlError(format!("segment \"{name}\": {e}")))?;
        self.stack.push(name);
        let inner = self.group(&group);
        self.stack.pop();
        Ok(format!("({})", inner?))
    }

    fn number(v: &str) -> Result<String, SqlError> {
        let n: f64 = v.trim().parse().map_err(|_| SqlError(format!("\"{v}\" is not a number")))?;
        Ok(crate::engine::import::table::format_plain_number(n))
    }

    fn numeric(&self, c: &Condition, value: &str) -> Result<String, SqlError> {
        let v = |i: usize| Self::number(c.values.get(i).map_or("", String::as_str));
        Ok(match c.op {
            Op::Between => format!("{value} BETWEEN {} AND {}", v(0)?, v(1)?),
            op => format!("{value} {} {}", comparison(op)?, v(0)?),
        })
    }

    /// `in top N%`, `above median` …, by counting over the whole table as
    /// [`super::relative`] defines them: in the top N% when fewer than N% × n
    /// customers have a higher value (n: customers with a value); above the median
    /// when at least n / 2 have a lower one, below it when fewer than n / 2 have a
    /// value as low or lower.
    fn relative(&self, c: &Condition, value: &str) -> Result<String, SqlError> {
        let other = format!("p.{}", self.dialect.ident(&c.field));
        let count = format!("(SELECT COUNT({other}) FROM customers AS p)");
        let beyond = |cmp: &str| format!("(SELECT COUNT(*) FROM customers AS p WHERE {other} {cmp} {value})");
        let average = format!("(SELECT AVG({other}) FROM customers AS p)");
        let core = match c.op {
            Op::TopPercent | Op::BottomPercent => {
                let percent = c
                    .values
                    .first()
                    .and_then(|v| super::relative::percent(v))
                    .ok_or_else(|| SqlError("give a percentage above 0 and at most 100".to_owned()))?;
                let n = crate::engine::import::table::format_plain_number(percent);
                let cmp = if c.op == Op::TopPercent { ">" } else { "<" };
                format!("{} < {n} * {count} / 100.0", beyond(cmp))
            }
            Op::AboveMedian => format!("{} >= {count} / 2.0", beyond("<")),
            Op::BelowMedian => format!("{} < {count} / 2.0", beyond("<=")),
            Op::AboveAverage => format!("{value} > {average}"),
            Op::BelowAverage => format!("{value} < {average}"),
            op => return Err(SqlError(format!("\"{}\" has no SQL form", op.text()))),
        };
        Ok(format!("COALESCE({value} IS NOT NULL AND {core}, FALSE)"))
    }

    fn day(&self, v: &str) -> Result<String, SqlError> {
        let d = NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d")
            .map_err(|_| SqlError(format!("\"{v}\" is not a date (YYYY-MM-DD)")))?;
        Ok(self.dialect.string(&d.to_string()))
    }

    fn date(&self, c: &Condition, value: &str) -> Result<String, SqlError> {
        let first = c.values.first().map_or("", String::as_str);
        Ok(match c.op {
            Op::MoreThanAgo(unit) | Op::WithinLast(unit) => {
                let n: u32 = first.trim().parse().map_err(|_| SqlError("give a whole number".to_owned()))?;
                let edge = shift_back(self.data.as_of, n, unit).ok_or_else(|| SqlError("too far back".to_owned()))?;
                let (edge, today) =
                    (self.dialect.string(&edge.to_string()), self.dialect.string(&self.data.as_of.to_string()));
                if matches!(c.op, Op::MoreThanAgo(_)) {
                    format!("{value} < {edge}")
                } else {
                    format!("({value} >= {edge} AND {value} <= {today})")
                }
            }
            Op::Before => format!("{value} < {}", self.day(first)?),
            Op::After => format!("{value} > {}", self.day(first)?),
            Op::On => format!("{value} = {}", self.day(first)?),
            Op::Between => {
                format!(
                    "{value} BETWEEN {} AND {}",
                    self.day(first)?,
                    self.day(c.values.get(1).map_or("", String::as_str))?
                )
            }
            op => return Err(SqlError(format!("\"{}\" does not apply to dates", op.text()))),
        })
    }

    fn text(&self, c: &Condition, value: &str) -> String {
        let folded = self.folded(value);
        let values: Vec<String> = c.values.iter().map(|v| fold_case(v)).collect();
        let list = || values.iter().map(|v| self.dialect.string(v)).collect::<Vec<_>>().join(", ");
        let first = values.first().map_or("", String::as_str);
        match c.op {
            Op::Eq => format!("{folded} = {}", self.dialect.string(first)),
            Op::Ne => format!("{folded} <> {}", self.dialect.string(first)),
            Op::In => format!("{folded} IN ({})", list()),
            Op::NotIn => format!("{folded} NOT IN ({})", list()),
            Op::Contains => self.dialect.like(&folded, true, first, true),
            Op::StartsWith => self.dialect.like(&folded, false, first, true),
            _ => self.dialect.like(&folded, true, first, false),
        }
    }

    /// List items are joined by ", ": an item is found between ", " marks.
    fn list(&self, c: &Condition, value: &str) -> String {
        let sep = self.dialect.string(", ");
        let hay = format!("({sep} || {} || {sep})", self.folded(value));
        let has = |v: &str| self.dialect.like(&hay, true, &format!(", {}, ", fold_case(v)), true);
        match c.op {
            Op::Contains => has(&c.values[0]),
            Op::NotContains => format!("NOT ({})", has(&c.values[0])),
            _ => format!("({})", c.values.iter().map(|v| has(v)).collect::<Vec<_>>().join(" OR ")),
        }
    }

    /// Order history through the `orders` and `order_lines` tables.
    fn history(&self, c: &Condition, measure: Measure) -> Result<String, SqlError> {
        let key = self.dialect.ident(self.key);
        let window = match &c.window {
            None => String::new(),
            Some(w) => {
                let (from, to) = match w {
                    Window::Last(n, unit) => {
                        let n: u32 = n.trim().parse().map_err(|_| SqlError("give a whole number".to_owned()))?;
                        let from =
                            shift_back(self.data.as_of, n, *unit).ok_or_else(|| SqlError("too far back".to_owned()))?;
                        (self.dialect.string(&from.to_string()), self.dialect.string(&self.data.as_of.to_string()))
                    }
                    Window::Dates(from, to) => (self.day(from)?, self.day(to)?),
                };
                format!(" AND o.order_date >= {from} AND o.order_date <= {to}")
            }
        };
        let customer = format!("c.{key}");
        let orders = format!("SELECT o.{key} FROM orders AS o");
        let known = format!("o.{key} IS NOT NULL{window}");
        if let Measure::Bought(attr) = measure {
            let values: Vec<String> = c.values.iter().map(|v| self.dialect.string(&fold_case(v.trim()))).collect();
            let line = self.folded(&format!("l.{}", attr.column()));
            let buyers = format!(
                "{orders} JOIN order_lines AS l ON l.order_id = o.order_id WHERE {known} AND {line} IN ({})",
                values.join(", ")
            );
            return Ok(match c.op {
                Op::Bought => format!("COALESCE({customer} IN ({buyers}), FALSE)"),
                _ => format!("({customer} IS NULL OR {customer} NOT IN ({buyers}))"),
            });
        }
        let aggregate = if measure == Measure::OrderCount { "COUNT(*)" } else { "COALESCE(SUM(o.total), 0)" };
        let v = |i: usize| Self::number(c.values.get(i).map_or("", String::as_str));
        let test = match c.op {
            Op::Between => format!("{aggregate} BETWEEN {} AND {}", v(0)?, v(1)?),
            op => format!("{aggregate} {} {}", comparison(op)?, v(0)?),
        };
        let grouped = format!("{orders} WHERE {known} GROUP BY o.{key}");
        // Customers without orders in the window have 0: when 0 passes, keep everyone
        // but those whose orders fail; otherwise only those whose orders pass.
        let zero_passes = zero_passes(c)?;
        Ok(if zero_passes {
            format!("({customer} IS NULL OR {customer} NOT IN ({grouped} HAVING NOT ({test})))")
        } else {
            format!("COALESCE({customer} IN ({grouped} HAVING {test}), FALSE)")
        })
    }
}

fn comparison(op: Op) -> Result<&'static str, SqlError> {
    Ok(match op {
        Op::Eq => "=",
        Op::Ne => "<>",
        Op::Gt => ">",
        Op::Ge => ">=",
        Op::Lt => "<",
        Op::Le => "<=",
        other => return Err(SqlError(format!("\"{}\" does not apply to numbers", other.text()))),
    })
}

/// Whether a count or amount of 0 satisfies the condition.
fn zero_passes(c: &Condition) -> Result<bool, SqlError> {
    let v = |i: usize| -> Result<f64, SqlError> {
        let text = c.values.get(i).map_or("", String::as_str);
        text.trim().parse().map_err(|_| SqlError(format!("\"{text}\" is not a number")))
    };
    Ok(match c.op {
        Op::Eq => v(0)? == 0.0,
        Op::Ne => v(0)? != 0.0,
        Op::Gt => 0.0 > v(0)?,
        Op::Ge => 0.0 >= v(0)?,
        Op::Lt => 0.0 < v(0)?,
        Op::Le => 0.0 <= v(0)?,
        Op::Between => v(0)? <= 0.0 && 0.0 <= v(1)?,
        other => return Err(SqlError(format!("\"{}\" does not apply to numbers", other.text()))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_and_names_follow_each_dialect() {
        assert_eq!(Dialect::Postgres.string("O'Neil \\ x"), "'O''Neil \\ x'");
        assert_eq!(Dialect::BigQuery.string("O'Neil \\ x"), "'O\\'Neil \\\\ x'");
        assert_eq!(Dialect::Snowflake.string("a\\b"), "'a\\\\b'");
        assert_eq!(Dialect::DuckDb.ident("ltv"), "ltv");
        assert_eq!(Dialect::DuckDb.ident("Sadakat Puanı"), "\"Sadakat Puanı\"");
        assert_eq!(Dialect::BigQuery.ident("Sadakat Puanı"), "`Sadakat Puanı`");
        assert_eq!(Dialect::Postgres.ident("order"), "\"order\"");
        assert_eq!(Dialect::Postgres.like("x", true, "50%_off!", false), "x LIKE '%50!%!_off!!' ESCAPE '!'");
        assert_eq!(Dialect::BigQuery.like("x", false, "a%", true), "x LIKE 'a\\\\%%'");
        assert_eq!(Dialect::parse("PostgreSQL"), Some(Dialect::Postgres));
        assert_eq!(Dialect::parse("mysql"), None);
    }
}
