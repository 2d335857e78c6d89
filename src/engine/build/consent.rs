//! Consent records from İYS (İleti Yönetim Sistemi), where commercial e-mail and
//! SMS consent must be registered under the ETK (Law 6563): one row per recipient
//! (an e-mail address or a phone number), consent type (`EPOSTA`, `MESAJ`, `ARAMA`),
//! status (`ONAY` given, `RET` refused) and date. Joined to the customers after the
//! build: a customer's latest `EPOSTA` record sets `accepts_marketing`, their latest
//! `MESAJ` record sets `sms_consent` (İYS is the register; the customer file's own
//! value stays only where İYS has nothing). E-mail addresses match trimmed and
//! lowercased, phone numbers by their last ten digits (`+90 532 …`, `0532 …`, `532 …`
//! are one number). `ARAMA` (calls) has no field and is counted only.

use std::collections::HashMap;

use chrono::NaiveDate;
use polars::prelude::*;

use crate::engine::data::{CustomerData, FieldInfo, FieldOrigin};
use crate::engine::fields::FieldType;
use crate::engine::import::{ImportError, LoadedSource};
use crate::engine::message::Message;

/// What İYS says about one recipient for one type: given or refused, and when.
#[derive(Debug, Clone, Copy)]
struct Latest {
    given: bool,
    date: Option<NaiveDate>,
    /// The row it came from: of two records on the same day the later row wins.
    row: usize,
}

impl Latest {
    fn newer_than(&self, other: &Latest) -> bool {
        (self.date, self.row) > (other.date, other.row)
    }
}

/// A recipient as the customers' e-mails and phones are matched: a lowercased
/// address, or a phone's last ten digits.
fn recipient_key(text: &str) -> Option<String> {
    let text = text.trim();
    if text.contains('@') {
        return Some(text.to_lowercase());
    }
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    (digits.len() >= 10).then(|| digits[digits.len() - 10..].to_owned())
}

/// `ONAY`/`RET` (and the API's English words), or nothing for anything else.
fn status_given(text: &str) -> Option<bool> {
    match crate::engine::text::fold_case(text.trim()).as_str() {
        "onay" | "onaylandi" | "approved" | "evet" | "yes" => Some(true),
        "ret" | "red" | "reddedildi" | "rejected" | "hayir" | "hayır" | "no" => Some(false),
        _ => None,
    }
}

/// The consent types Kitle keeps, and the customer field each sets.
const TYPES: [(&str, &str); 2] = [("eposta", "accepts_marketing"), ("mesaj", "sms_consent")];

/// Applies an İYS consent export to the built customers (see the module doc) and
/// adds what it did to the import report.
pub fn apply_consent(data: &mut CustomerData, source: LoadedSource) -> Result<(), ImportError> {
    let text = |name: &str| -> PolarsResult<Option<StringChunked>> {
        match source.df.column(name) {
            Ok(c) => Ok(Some(c.cast(&DataType::String)?.str()?.clone())),
            Err(_) => Ok(None),
        }
    };
    let (Some(recipients), Some(types), Some(statuses)) =
        (text("recipient")?, text("consent_type")?, text("consent_status")?)
    else {
        return Err(ImportError::Invalid(Message::new("msg.err_consent_columns", [source.report.path.clone()])));
    };
    let dates = match source.df.column("consent_date") {
        Ok(c) => Some(c.cast(&DataType::Int32)?.i32()?.clone()),
        Err(_) => None,
    };
    // (type, recipient) → the latest record.
    let mut latest: HashMap<(&str, String), Latest> = HashMap::new();
    let (mut read, mut calls) = (0usize, 0usize);
    for row in 0..source.df.height() {
        let (Some(recipient), Some(kind), Some(status)) =
            (recipients.get(row), types.get(row), statuses.get(row).and_then(status_given))
        else {
            continue;
        };
        let Some(key) = recipient_key(recipient) else { continue };
        read += 1;
        let kind = crate::engine::text::fold_case(kind.trim());
        let Some((kind, _)) = TYPES.iter().find(|(k, _)| *k == kind) else {
            calls += usize::from(kind == "arama");
            continue;
        };
        let date = dates.as_ref().and_then(|d| d.get(row)).and_then(crate::engine::import::columns::days_to_date);
        let record = Latest { given: status, date, row };
        latest.entry((kind, key)).and_modify(|l| *l = if record.newer_than(l) { record } else { *l }).or_insert(record);
    }
    let emails = customer_keys(data, "email")?;
    let phones = customer_keys(data, "phone")?;
    let mut matched = std::collections::HashSet::new();
    let mut set = [0usize; 2];
    for (i, (kind, field)) in TYPES.iter().enumerate() {
        let keys = if *kind == "eposta" { &emails } else { &phones };
        let mut values: Vec<Option<bool>> = current(data, field)?;
        for (row, key) in keys.iter().enumerate() {
            let Some(key) = key else { continue };
            if let Some(record) = latest.get(&(*kind, key.clone())) {
                values[row] = Some(record.given);
                set[i] += 1;
                matched.insert((*kind, key.clone()));
            }
        }
        if set[i] > 0 || data.field(field).is_some() {
            let column = BooleanChunked::from_iter_options((*field).into(), values.into_iter()).into_column();
            data.customers.with_column(column)?;
            if data.field(field).is_none() {
                data.fields.push(FieldInfo {
                    name: (*field).into(),
                    ty: FieldType::Bool,
                    origin: FieldOrigin::Canonical,
                });
            }
        }
    }
    let unmatched = latest.len() - matched.len();
    data.report.notes.push(Message::new("msg.consent_joined", [read, set[0], set[1], unmatched, calls]));
    data.report.sources.push(source.report);
    Ok(())
}

/// Each customer's e-mail or phone as a recipient key.
fn customer_keys(data: &CustomerData, field: &str) -> PolarsResult<Vec<Option<String>>> {
    let Ok(column) = data.customers.column(field) else { return Ok(vec![None; data.customers.height()]) };
    let text = column.cast(&DataType::String)?;
    Ok(text.str()?.iter().map(|v| v.and_then(recipient_key)).collect())
}

/// A yes/no field's values as they are (empty where the table lacks it).
fn current(data: &CustomerData, field: &str) -> PolarsResult<Vec<Option<bool>>> {
    match data.customers.column(field) {
        Ok(c) => Ok(c.bool()?.iter().collect()),
        Err(_) => Ok(vec![None; data.customers.height()]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipients_match_whatever_way_a_phone_is_written() {
        assert_eq!(recipient_key("+90 532 123 45 67"), recipient_key("0532 123 4567"));
        assert_eq!(recipient_key("5321234567").as_deref(), Some("5321234567"));
        assert_eq!(recipient_key(" Ayse@Example.COM ").as_deref(), Some("ayse@example.com"));
        assert_eq!(recipient_key("12345"), None);
        assert_eq!((status_given("ONAY"), status_given("RET"), status_given("?")), (Some(true), Some(false), None));
    }
}
