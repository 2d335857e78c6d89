//! Join keys: which customer each row of the customers and orders files belongs
//! to, by customer id or normalised email, with guest checkouts keyed by their
//! billing email.

use std::borrow::Cow;

use foldhash::HashMap;

use super::JoinKey;
use crate::engine::data::ImportReport;
use crate::engine::import::{ImportError, LoadedSource};
use crate::engine::message::Message;
use crate::engine::text::normalise_email;

/// The join key of every row: trimmed id, or normalised email. Borrowed from the
/// column; an email is copied only when it needs lowercasing.
pub(super) fn key_values(source: &LoadedSource, key: JoinKey) -> Result<Vec<Option<Cow<'_, str>>>, ImportError> {
    let name = match key {
        JoinKey::CustomerId => "customer_id",
        JoinKey::Email => "email",
    };
    let ca = source.df.column(name)?.str()?;
    Ok(ca
        .iter()
        .map(|v| {
            let v = v?.trim();
            if v.is_empty() {
                return None;
            }
            Some(match key {
                JoinKey::CustomerId => Cow::Borrowed(v),
                JoinKey::Email if v.bytes().any(|b| b.is_ascii_uppercase()) || !v.is_ascii() => {
                    Cow::Owned(normalise_email(v))
                }
                JoinKey::Email => Cow::Borrowed(v),
            })
        })
        .collect())
}

/// Starts an order key made from a guest's billing email (never a real id).
pub(super) const GUEST: &str = "\u{1}guest:";
/// The customer id WooCommerce writes for guest checkouts.
pub(super) const GUEST_ID: &str = "0";

/// The orders' join keys. With customer ids, a line without one (empty, `NA`, or
/// WooCommerce's `0` for guests) is a guest checkout: with a billing email it is
/// keyed by the registered customer with that email, else by the email itself
/// (one customer per guest email); without an email it has no key and is left out.
pub(super) fn order_key_values<'a>(
    o: &'a LoadedSource,
    join: JoinKey,
    customers: Option<&'a LoadedSource>,
    report: &mut ImportReport,
) -> Result<Vec<Option<Cow<'a, str>>>, ImportError> {
    let mut keys = key_values(o, join)?;
    if join != JoinKey::CustomerId {
        return Ok(keys);
    }
    let is_guest = |k: &Option<Cow<'_, str>>| k.as_deref().is_none_or(|k| k == GUEST_ID);
    if !o.has("email") || !keys.iter().any(is_guest) {
        keys.iter_mut().filter(|k| is_guest(k)).for_each(|k| *k = None);
        return Ok(keys);
    }
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
    Ok(keys)
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
