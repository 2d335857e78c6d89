//! Join keys: which customer each row of the customers and orders files belongs
//! to, by customer id or normalised email, with guest checkouts keyed by their
//! billing email.

use std::borrow::Cow;

use foldhash::HashMap;

use super::JoinKey;
use polars::prelude::*;

use crate::engine::data::ImportReport;
use crate::engine::import::{ImportError, LoadedSource};
use crate::engine::keys;
use crate::engine::message::Message;
use crate::engine::text::normalise_email;

/// A row's join key: the trimmed id, or the normalised email (copied only when it
/// needs lowercasing).
fn key_of(v: Option<&str>, key: JoinKey) -> Option<Cow<'_, str>> {
    let v = v?.trim();
    if v.is_empty() {
        return None;
    }
    Some(match key {
        JoinKey::CustomerId => Cow::Borrowed(v),
        JoinKey::Email if v.bytes().any(|b| b.is_ascii_uppercase()) || !v.is_ascii() => Cow::Owned(normalise_email(v)),
        JoinKey::Email => Cow::Borrowed(v),
    })
}

/// An id or email column as read: text, or ids read as numbers (an orders file's
/// ids, see `import::columns::read_keys`).
#[derive(Clone, Copy)]
pub(super) enum IdColumn<'a> {
    Text(&'a StringChunked),
    Numbers(&'a UInt64Chunked),
}

impl<'a> IdColumn<'a> {
    pub(super) fn of(source: &'a LoadedSource, name: &str) -> PolarsResult<Self> {
        let column = source.df.column(name)?;
        Ok(match column.dtype() {
            DataType::UInt64 => Self::Numbers(column.u64()?),
            _ => Self::Text(column.str()?),
        })
    }

    pub(super) fn len(&self) -> usize {
        match self {
            Self::Text(ca) => ca.len(),
            Self::Numbers(ca) => ca.len(),
        }
    }

    /// Every row's value, trimmed (`None` when empty); numbers written out.
    pub(super) fn each_text(&self, mut f: impl FnMut(Option<Cow<'a, str>>)) {
        match self {
            Self::Text(ca) => ca.iter().for_each(|v| f(v.map(str::trim).filter(|v| !v.is_empty()).map(Cow::Borrowed))),
            Self::Numbers(ca) => ca.iter().for_each(|v| f(v.map(|v| Cow::Owned(v.to_string())))),
        }
    }

    /// Every row's number, when the ids were read as numbers (see
    /// [`keys::KeyColumn::each_number`]).
    pub(super) fn each_number(&self, mut f: impl FnMut(Option<u64>)) -> bool {
        let Self::Numbers(ca) = self else { return false };
        for array in ca.downcast_iter() {
            match array.validity().filter(|v| v.unset_bits() > 0) {
                None => array.values().iter().for_each(|&v| f(Some(v))),
                Some(_) => array.iter().for_each(|v| f(v.copied())),
            }
        }
        true
    }
}

fn key_column(source: &LoadedSource, key: JoinKey) -> PolarsResult<IdColumn<'_>> {
    IdColumn::of(source, key.field())
}

/// The join key of every row (see [`key_of`]), borrowed from the column (ids read
/// as numbers are written out).
pub(super) fn key_values(source: &LoadedSource, key: JoinKey) -> Result<Vec<Option<Cow<'_, str>>>, ImportError> {
    let column = key_column(source, key)?;
    let mut values = Vec::with_capacity(column.len());
    match column {
        IdColumn::Text(ca) => values.extend(ca.iter().map(|v| key_of(v, key))),
        numbers => numbers.each_text(|v| values.push(v)),
    }
    Ok(values)
}

/// The join keys of a file, read row by row for [`keys::encode`].
pub(super) enum KeyRows<'a> {
    /// No file, or no key column.
    Empty,
    /// Straight from the column; with `true`, WooCommerce's guest id `0` is no key
    /// (orders keyed by customer id with no email to key the guest by).
    Column(IdColumn<'a>, JoinKey, bool),
    /// Worked out beforehand (orders with guest checkouts).
    Listed(Vec<Option<Cow<'a, str>>>),
}

impl<'a> KeyRows<'a> {
    /// The customers file's keys.
    pub(super) fn of(source: &'a LoadedSource, key: JoinKey) -> Result<Self, ImportError> {
        Ok(Self::Column(key_column(source, key)?, key, false))
    }
}

impl<'a> keys::KeyColumn<'a> for KeyRows<'a> {
    fn rows(&self) -> usize {
        match self {
            Self::Empty => 0,
            Self::Column(column, ..) => column.len(),
            Self::Listed(keys) => keys.len(),
        }
    }

    fn each(&self, mut f: impl FnMut(Option<Cow<'a, str>>)) {
        match self {
            Self::Empty => {}
            Self::Column(IdColumn::Text(ca), key, false) => ca.iter().for_each(|v| f(key_of(v, *key))),
            Self::Column(IdColumn::Text(ca), key, true) => {
                ca.iter().for_each(|v| f(key_of(v, *key).filter(|k| k != GUEST_ID)));
            }
            Self::Column(numbers, _, guest_zero) => {
                numbers.each_text(|v| f(v.filter(|k| !guest_zero || k != GUEST_ID)))
            }
            Self::Listed(keys) => keys.iter().for_each(|k| f(k.clone())),
        }
    }

    fn each_number(&self, mut f: impl FnMut(Option<u64>)) -> bool {
        match self {
            Self::Column(column, _, true) => column.each_number(|v| f(v.filter(|&v| v != 0))),
            Self::Column(column, _, false) => column.each_number(f),
            _ => false,
        }
    }
}

/// Starts an order key made from a guest's billing email (never a real id).
const GUEST: &str = "\u{1}guest:";
/// The customer id WooCommerce writes for guest checkouts.
pub(super) const GUEST_ID: &str = "0";

/// The orders' join keys. With customer ids, a line without one (empty, `NA`, or
/// WooCommerce's `0` for guests) is a guest checkout: with a billing email it is
/// keyed by the registered customer with that email, else by the email itself
/// (one customer per guest email); without an email it has no key and is left out.
pub(super) fn order_keys<'a>(
    o: &'a LoadedSource,
    join: JoinKey,
    customers: Option<&'a LoadedSource>,
    report: &mut ImportReport,
) -> Result<KeyRows<'a>, ImportError> {
    let ids = key_column(o, join)?;
    let is_guest = |k: &Option<Cow<'_, str>>| k.as_deref().is_none_or(|k| k == GUEST_ID);
    let any_guest = match ids {
        IdColumn::Text(ca) => ca.iter().any(|v| is_guest(&key_of(v, join))),
        IdColumn::Numbers(ca) => ca.null_count() > 0 || ca.iter().any(|v| v == Some(0)),
    };
    if join != JoinKey::CustomerId || !o.has("email") || !any_guest {
        return Ok(KeyRows::Column(ids, join, join == JoinKey::CustomerId));
    }
    let mut keys = key_values(o, join)?;
    let emails = key_values(o, JoinKey::Email)?;
    let registered = registered_by_email(customers)?;
    let (mut lines, mut guests) = (0usize, foldhash::HashSet::default());
    for (key, email) in keys.iter_mut().zip(emails) {
        if !is_guest(key) {
            continue;
        }
        *key = email.map(|email| {
            lines += 1;
            match registered.get(email.as_ref()) {
                Some(id) => Cow::Borrowed(*id),
                None => {
                    let key = format!("{GUEST}{email}");
                    guests.insert(key.clone());
                    Cow::Owned(key)
                }
            }
        });
    }
    if lines > 0 {
        report.notes.push(Message::new("msg.guests_grouped", [lines, guests.len()]));
    }
    Ok(KeyRows::Listed(keys))
}

/// The customers file's customer ids by normalised email (empty without both).
fn registered_by_email(customers: Option<&LoadedSource>) -> Result<HashMap<String, &str>, ImportError> {
    let mut by_email = HashMap::default();
    let Some(c) = customers.filter(|c| c.has("customer_id") && c.has("email")) else { return Ok(by_email) };
    let ids = c.df.column("customer_id")?.str()?;
    let emails = c.df.column("email")?.str()?;
    for (id, email) in ids.iter().zip(emails.iter()) {
        if let (Some(id), Some(email)) = (id.map(str::trim).filter(|i| !i.is_empty()), email) {
            by_email.entry(normalise_email(email)).or_insert(id);
        }
    }
    Ok(by_email)
}
