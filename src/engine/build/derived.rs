//! Fields Kitle computes from the imported ones: LTV, order count and first/last
//! order dates from the orders, then aov, days since last order, tenure and age.

use chrono::{Datelike, NaiveDate};
use polars::prelude::*;

use std::collections::HashMap;

use super::orders::CustomerOrders;
use crate::engine::countries::country_code;
use crate::engine::data::{FieldInfo, FieldOrigin};
use crate::engine::fields::FieldType;
use crate::engine::import::columns::{date_to_days, days_to_date};

pub(super) fn derived_series(id: &str, per_customer: &[CustomerOrders]) -> Series {
    match id {
        "ltv" => Series::new("ltv".into(), per_customer.iter().map(|p| p.revenue).collect::<Vec<f64>>()),
        "orders" => Series::new("orders".into(), per_customer.iter().map(|p| p.orders).collect::<Vec<i64>>()),
        "first_order_date" | "last_order_date" => {
            let first = id == "first_order_date";
            let ca: Int32Chunked = per_customer.iter().map(|p| if first { p.first } else { p.last }).collect();
            ca.with_name(id.into()).into_date().into_series()
        }
        _ => Series::new_null(id.into(), per_customer.len()),
    }
}

fn dates_of(df: &DataFrame, name: &str) -> PolarsResult<Option<Vec<Option<i32>>>> {
    match df.column(name) {
        Ok(c) => Ok(Some(c.cast(&DataType::Int32)?.i32()?.iter().collect())),
        Err(_) => Ok(None),
    }
}

/// What the report should say about values that can't be right: dates after the
/// as-of date (a typo such as 2062 for 2026, or 9999-12-31 as "never") give negative
/// "days since", and negative order counts.
pub(super) fn implausible_values(
    df: &DataFrame,
    as_of: NaiveDate,
) -> PolarsResult<Vec<crate::engine::message::Message>> {
    use crate::engine::message::Message;
    let as_of_days = date_to_days(as_of);
    let mut notes = Vec::new();
    for field in ["last_order_date", "first_order_date", "signup_date"] {
        let Some(days) = dates_of(df, field)? else { continue };
        let later: Vec<i32> = days.iter().flatten().copied().filter(|d| *d > as_of_days).collect();
        if let Some(example) = later.iter().max().and_then(|d| days_to_date(*d)) {
            notes.push(Message::new(
                "msg.after_as_of",
                [later.len().to_string(), field.to_owned(), example.to_string(), as_of.to_string()],
            ));
        }
    }
    if let Ok(orders) = df.column("orders") {
        let negative = orders.cast(&DataType::Float64)?.f64()?.iter().flatten().filter(|o| *o < 0.0).count();
        if negative > 0 {
            notes.push(Message::new("msg.negative_orders", [negative]));
        }
    }
    Ok(notes)
}

/// aov, days_since_last_order, tenure_days and age, wherever their inputs exist.
pub(super) fn add_derived(df: &mut DataFrame, fields: &mut Vec<FieldInfo>, as_of: NaiveDate) -> PolarsResult<()> {
    let as_of_days = date_to_days(as_of);
    let n = df.height();
    let mut push = |df: &mut DataFrame, s: Series, ty: FieldType| -> PolarsResult<()> {
        fields.push(FieldInfo { name: s.name().to_string(), ty, origin: FieldOrigin::Derived });
        df.with_column(s.into_column())?;
        Ok(())
    };
    if let (Ok(ltv), Ok(orders)) = (df.column("ltv"), df.column("orders")) {
        let ltv = ltv.cast(&DataType::Float64)?;
        let orders = orders.cast(&DataType::Float64)?;
        let aov: Float64Chunked = ltv
            .f64()?
            .iter()
            .zip(orders.f64()?.iter())
            .map(|(l, o)| match (l, o) {
                (Some(l), Some(o)) if o > 0.0 => Some(l / o),
                _ => None,
            })
            .collect();
        push(df, aov.with_name("aov".into()).into_series(), FieldType::Money)?;
    }
    if let Some(last) = dates_of(df, "last_order_date")? {
        let s: Int64Chunked = last.iter().map(|d| d.map(|d| i64::from(as_of_days - d))).collect();
        push(df, s.with_name("days_since_last_order".into()).into_series(), FieldType::Integer)?;
    }
    let signup = dates_of(df, "signup_date")?;
    let first = dates_of(df, "first_order_date")?;
    if signup.is_some() || first.is_some() {
        let s: Int64Chunked = (0..n)
            .map(|i| {
                let start = signup.as_ref().and_then(|s| s[i]).or_else(|| first.as_ref().and_then(|f| f[i]))?;
                Some(i64::from(as_of_days - start))
            })
            .collect();
        push(df, s.with_name("tenure_days".into()).into_series(), FieldType::Integer)?;
    }
    if let Some(birth) = dates_of(df, "birth_date")? {
        let s: Int64Chunked = birth.iter().map(|d| d.and_then(days_to_date).map(|b| full_years(b, as_of))).collect();
        push(df, s.with_name("age".into()).into_series(), FieldType::Integer)?;
    }
    Ok(())
}

/// `country_code` (ISO-3166 alpha-2, what ad platforms want): the code column's
/// codes, else the code of the country's name (English or Turkish). Values that are
/// neither are left empty and reported. Returns how many could not be read and up
/// to three examples.
pub(super) fn add_country_codes(df: &mut DataFrame, fields: &mut Vec<FieldInfo>) -> PolarsResult<(usize, Vec<String>)> {
    let text = |name: &str| -> PolarsResult<Option<StringChunked>> {
        match df.column(name) {
            Ok(c) => Ok(Some(c.cast(&DataType::String)?.str()?.clone())),
            Err(_) => Ok(None),
        }
    };
    let (codes, names) = (text("country_code")?, text("country")?);
    if codes.is_none() && names.is_none() {
        return Ok((0, Vec::new()));
    }
    let mut memo: HashMap<String, Option<&'static str>> = HashMap::new();
    let mut read = |v: Option<&str>| -> Option<&'static str> {
        let v = v?.trim();
        if v.is_empty() {
            return None;
        }
        *memo.entry(v.to_owned()).or_insert_with(|| country_code(v))
    };
    let (mut unknown, mut examples) = (0usize, Vec::new());
    let derived: StringChunked = (0..df.height())
        .map(|i| {
            let (code, name) = (codes.as_ref().and_then(|c| c.get(i)), names.as_ref().and_then(|n| n.get(i)));
            let found = read(code).or_else(|| read(name));
            if found.is_none()
                && let Some(given) = code.or(name).filter(|v| !v.trim().is_empty())
            {
                unknown += 1;
                if examples.len() < 3 && !examples.iter().any(|e| e == given) {
                    examples.push(given.to_owned());
                }
            }
            found
        })
        .collect();
    let origin = if codes.is_some() { FieldOrigin::Canonical } else { FieldOrigin::Derived };
    df.with_column(derived.with_name("country_code".into()).into_column())?;
    if !fields.iter().any(|f| f.name == "country_code") {
        fields.push(FieldInfo { name: "country_code".into(), ty: FieldType::Category, origin });
    }
    Ok((unknown, examples))
}

/// Whole years from `birth` to `on`.
pub fn full_years(birth: NaiveDate, on: NaiveDate) -> i64 {
    let mut years = i64::from(on.year() - birth.year());
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    years
}

/// `last_order_channel`: the channel of each customer's latest counted order that
/// names one (the `channel` field is their first order's), when orders carry channels.
pub(super) fn add_last_order_channel(
    df: &mut DataFrame,
    fields: &mut Vec<FieldInfo>,
    orders: &DataFrame,
) -> PolarsResult<()> {
    let Ok(channel) = orders.column("channel") else { return Ok(()) };
    let channel = channel.str()?;
    let customer = orders.column("customer")?.u32()?;
    // Orders are oldest first within a customer: the last one seen wins.
    let mut last: Vec<Option<&str>> = vec![None; df.height()];
    for (c, ch) in customer.iter().zip(channel.iter()) {
        if let (Some(c), Some(ch)) = (c, ch.map(str::trim).filter(|v| !v.is_empty()))
            && let Some(slot) = last.get_mut(c as usize)
        {
            *slot = Some(ch);
        }
    }
    let column: StringChunked = last.into_iter().collect();
    df.with_column(column.with_name("last_order_channel".into()).into_column())?;
    fields.push(FieldInfo { name: "last_order_channel".into(), ty: FieldType::Category, origin: FieldOrigin::Derived });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_years() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(full_years(d(1990, 6, 15), d(2026, 6, 14)), 35);
        assert_eq!(full_years(d(1990, 6, 15), d(2026, 6, 15)), 36);
    }
}
