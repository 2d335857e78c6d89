//! Shopify bulk exports, for large pulls: one `bulkOperationRunQuery` per
//! connection instead of thousands of pages (and their query costs), polled with
//! `currentBulkOperation` until it is done, then its JSON Lines file read as it
//! downloads. Nested rows (an order's lines) come as lines of their own with a
//! `__parentId`, after their parent. A shop runs one bulk query at a time, so
//! customers and orders go one after the other.

use std::io::BufRead;

use serde_json::{Value, json};

use super::shopify::{Graphql, LINE_FIELDS, ORDER_FIELDS, customer_row, line_row, order_row};
use super::{Merge, SyncError, text};
use crate::connect::http::{ApiError, Auth, Client, retry_on_busy};

pub(super) const RUN: &str = "mutation Run($query: String!) { bulkOperationRunQuery(query: $query) { bulkOperation { id \
     status } userErrors { field message } } }";
pub(super) const POLL: &str =
    "query Poll { currentBulkOperation(type: QUERY) { id status errorCode objectCount url } }";

/// The connection's argument list: the "changed since" filter, if any.
fn arguments(filter: &Value) -> String {
    filter.as_str().map_or_else(String::new, |f| format!("(query: {})", Value::String(f.to_owned())))
}

/// Runs a bulk query and returns its file's URL (`None`: nothing matched).
fn export(api: &Graphql, merge: &Merge<'_>, query: &str) -> Result<Option<String>, SyncError> {
    let started = api.run(merge, RUN, &json!({ "query": query }))?;
    let errors = started.pointer("/bulkOperationRunQuery/userErrors").and_then(Value::as_array);
    if let Some(errors) = errors.filter(|e| !e.is_empty()) {
        let messages: Vec<String> = errors.iter().map(|e| text(e, "/message")).collect();
        return Err(
            ApiError::new(Some(200), format!("Shopify refused the bulk export: {}", messages.join("; "))).into()
        );
    }
    let id = text(&started, "/bulkOperationRunQuery/bulkOperation/id");
    loop {
        merge.wait(api.options.bulk_poll)?;
        let polled = api.run(merge, POLL, &json!({}))?;
        let op = polled.get("currentBulkOperation").cloned().unwrap_or(Value::Null);
        if !id.is_empty() && text(&op, "/id") != id {
            return Err(
                ApiError::new(Some(200), "Another bulk export started on this store meanwhile; try again.").into()
            );
        }
        match text(&op, "/status").as_str() {
            "COMPLETED" => return Ok(Some(text(&op, "/url")).filter(|u| !u.is_empty())),
            "CREATED" | "RUNNING" => {}
            status => {
                let code = text(&op, "/errorCode");
                let why = match code.as_str() {
                    "ACCESS_DENIED" => {
                        "the app may not read everything the export asked for (it needs the \
                        read_customers and read_orders scopes)"
                    }
                    "TIMEOUT" => "it ran longer than Shopify allows; refreshing again usually finishes it",
                    _ => "Shopify stopped it; refresh again later",
                };
                return Err(ApiError::new(
                    Some(200),
                    format!("Shopify's bulk export did not finish ({status}, {code}): {why}."),
                )
                .into());
            }
        }
    }
}

/// Reads an export's lines, handing each parsed object to `each`.
fn read_lines(
    api: &Graphql,
    merge: &mut Merge<'_>,
    url: &str,
    mut each: impl FnMut(&mut Merge<'_>, Value),
) -> Result<(), SyncError> {
    // The file is on Shopify's storage: a signed URL, with no token to send.
    let storage = Client::with_auth(Auth::None, api.options.retry, retry_on_busy);
    let reader = storage.get_reader(url).map_err(|e| match e.status {
        Some(400 | 403) => ApiError::new(
            e.status,
            format!(
                "The bulk export's download link was refused or has expired ({}); refresh again to make a new export.",
                e.message
            ),
        ),
        _ => e,
    })?;
    for (n, line) in reader.lines().enumerate() {
        let line = line.map_err(|e| ApiError::new(None, format!("The bulk export broke off: {e}")))?;
        if line.trim().is_empty() {
            continue;
        }
        let value: Value = serde_json::from_str(&line)
            .map_err(|e| ApiError::new(None, format!("Line {} of the bulk export is not JSON: {e}", n + 1)))?;
        each(merge, value);
        if n % 1000 == 0 {
            merge.check()?;
        }
    }
    Ok(())
}

/// Every customer (changed since the filter) through one bulk export.
pub fn customers(
    api: &Graphql,
    merge: &mut Merge<'_>,
    fields: &str,
    filter: &Value,
    offset: i32,
) -> Result<(), SyncError> {
    let query = format!("{{ customers{} {{ edges {{ node {{ {fields} }} }} }} }}", arguments(filter));
    let Some(url) = export(api, merge, &query)? else { return Ok(()) };
    read_lines(api, merge, &url, |m, node| m.customer(customer_row(&node, offset), &text(&node, "/updatedAt")))
}

/// Every order (changed since the filter), with all its lines, through one bulk export.
pub fn orders(api: &Graphql, merge: &mut Merge<'_>, filter: &Value, offset: i32) -> Result<(), SyncError> {
    let query = format!(
        "{{ orders{} {{ edges {{ node {{ {ORDER_FIELDS} lineItems {{ edges {{ node {{ {LINE_FIELDS} }} }} }} }} }} }} }}",
        arguments(filter)
    );
    let Some(url) = export(api, merge, &query)? else { return Ok(()) };
    // Orders are held until the file ends: their lines come after them.
    let mut orders: Vec<(Vec<String>, Vec<Vec<String>>, String)> = Vec::new();
    let mut index = foldhash::HashMap::default();
    read_lines(api, merge, &url, |_, node| match node.get("__parentId").and_then(Value::as_str) {
        Some(parent) => {
            if let Some(&i) = index.get(parent) {
                let (row, lines, _): &mut (Vec<String>, Vec<Vec<String>>, String) = &mut orders[i];
                lines.push(line_row(&node, &row[0]));
            }
        }
        None => {
            let (row, _, _) = order_row(&node, offset);
            index.insert(text(&node, "/id"), orders.len());
            orders.push((row, Vec::new(), text(&node, "/updatedAt")));
        }
    })?;
    for (row, lines, updated) in orders {
        merge.order(row, lines, &updated);
    }
    Ok(())
}

/// Every customer's id through one bulk export (a refresh's check for deletions).
pub fn customer_ids(api: &Graphql, merge: &mut Merge<'_>) -> Result<std::collections::HashSet<String>, SyncError> {
    let mut ids = std::collections::HashSet::new();
    let Some(url) = export(api, merge, "{ customers { edges { node { id } } } }")? else { return Ok(ids) };
    read_lines(api, merge, &url, |_, node| {
        ids.insert(super::shopify::id_of(node.get("id")));
    })?;
    Ok(ids)
}
