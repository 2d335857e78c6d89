//! WooCommerce's REST API v3: customers and orders, 100 a page, the page count
//! from `X-WP-TotalPages`. The consumer key and secret go as HTTP Basic; a
//! server that drops the `Authorization` header gets them in the query string
//! instead (WooCommerce's documented fallback; such URLs are never shown).
//! Orders changed since the last sync are asked for with `modified_after`;
//! customers have no such filter and are read again in full (they are few next
//! to orders), and only the changed ones count as updated.

use serde_json::Value;

use super::{Merge, StoreCredentials, SyncError, SyncOptions, text};
use crate::connect::http::{ApiError, Auth, Client, Endpoint, retry_on_busy};
use crate::engine::store::StoreSource;

const PER_PAGE: usize = 100;

/// How the keys travel.
struct Api {
    client: Client,
    base: String,
    /// `consumer_key=…&consumer_secret=…` when the keys go in the query string.
    query_keys: Option<String>,
}

impl Api {
    fn get(&self, path: &str, merge: &Merge<'_>) -> Result<crate::connect::http::Answer, SyncError> {
        merge.check()?;
        let mut url = format!("{}{path}", self.base);
        if let Some(keys) = &self.query_keys {
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str(keys);
        }
        Ok(self.client.get_json(&url).map_err(explain)?)
    }
}

fn explain(error: ApiError) -> ApiError {
    match error.status {
        Some(401 | 403) => ApiError::new(
            error.status,
            format!(
                "WooCommerce refused the keys ({}). Check the consumer key and secret (WooCommerce → Settings → \
                 Advanced → REST API) and that they may read.",
                error.message
            ),
        ),
        Some(404) => ApiError::new(
            error.status,
            format!(
                "No WooCommerce REST API answered there ({}). Check the store address and that pretty permalinks \
                 are on.",
                error.message
            ),
        ),
        _ => error,
    }
}

/// A customer as a row of the copy's customers table.
fn customer_row(node: &Value) -> Vec<String> {
    vec![
        text(node, "/id"),
        text(node, "/email"),
        text(node, "/billing/phone"),
        text(node, "/first_name"),
        text(node, "/last_name"),
        text(node, "/date_created"),
        String::new(),
        String::new(),
        String::new(),
        text(node, "/billing/city"),
        text(node, "/billing/state"),
        text(node, "/billing/country"),
        text(node, "/billing/postcode"),
        // WooCommerce's core keeps no marketing or SMS consent (plugins keep their
        // own): left empty, so audiences ask for a consent column or İYS records.
        String::new(),
        String::new(),
        String::new(),
    ]
}

/// WooCommerce's core order statuses.
const CORE_STATUSES: &[&str] =
    &["pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed", "checkout-draft", "trash"];

/// An order's status as the copy keeps it: WooCommerce's `pending` is written as
/// its label, "pending payment" (Shopify's bare `pending` is a payment on its way,
/// and counts); a status a plugin added is `unpaid: …` unless the user counts it as
/// paid (`paid`, from the workspace). Counted as WooCommerce Analytics counts:
/// processing, on-hold and completed.
fn status_of(node: &Value, paid: &[String]) -> String {
    let status = text(node, "/status");
    match status.as_str() {
        "pending" => "pending payment".to_owned(),
        s if CORE_STATUSES.contains(&s) || s.is_empty() => status,
        s if paid.iter().any(|p| p.trim().eq_ignore_ascii_case(s)) => status,
        _ => format!("unpaid: {status}"),
    }
}

/// An order as a row of the copy's orders table, and its lines. Refunds are
/// listed with negative totals; their sum is the refunded amount. Guests have
/// customer id 0 and are told apart by their billing email.
fn order_row(node: &Value, paid: &[String]) -> (Vec<String>, Vec<Vec<String>>) {
    let id = text(node, "/id");
    let refunded: f64 = node
        .get("refunds")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|r| text(r, "/total").parse::<f64>().ok())
        .map(f64::abs)
        .sum();
    let row = vec![
        id.clone(),
        text(node, "/customer_id"),
        text(node, "/billing/email"),
        text(node, "/date_created"),
        text(node, "/total"),
        format!("{refunded:.2}"),
        String::new(),
        status_of(node, paid),
        text(node, "/created_via"),
    ];
    let lines = node.get("line_items").and_then(Value::as_array).map_or_else(Vec::new, |lines| {
        lines
            .iter()
            .map(|l| vec![text(l, "/id"), id.clone(), text(l, "/name"), text(l, "/sku"), text(l, "/quantity")])
            .collect()
    });
    (row, lines)
}

/// The `modified_after` filter: a second before the last change seen, so an
/// order changed in that same second is not missed (merging makes repeats harmless).
fn modified_after(since: Option<&str>) -> String {
    let Some(since) = since else { return String::new() };
    let time = chrono::NaiveDateTime::parse_from_str(since, "%Y-%m-%dT%H:%M:%S")
        .map(|t| (t - chrono::Duration::seconds(1)).format("%Y-%m-%dT%H:%M:%S").to_string())
        .unwrap_or_else(|_| since.to_owned());
    format!("&modified_after={time}&dates_are_gmt=true")
}

/// Pulls a WooCommerce store's changes into `merge`; returns whether the keys had
/// to go in the query string.
pub fn pull(
    source: &StoreSource,
    credentials: &StoreCredentials,
    merge: &mut Merge<'_>,
    options: SyncOptions,
) -> Result<bool, SyncError> {
    let StoreCredentials::Keys { key, secret } = credentials else {
        return Err(ApiError::new(None, "WooCommerce needs a consumer key and secret.").into());
    };
    let base = Endpoint::parse(&source.store)?.url("/wp-json/wc/v3");
    let query_keys = format!("consumer_key={}&consumer_secret={}", encode(key.secret()), encode(secret.secret()));
    let header_api = || Api {
        client: Client::with_auth(Auth::Basic(key.clone(), secret.clone()), options.retry, retry_on_busy),
        base: base.clone(),
        query_keys: None,
    };
    let query_api = || Api {
        client: Client::with_auth(Auth::None, options.retry, retry_on_busy),
        base: base.clone(),
        query_keys: Some(query_keys.clone()),
    };
    let first_path = format!("/customers?per_page={PER_PAGE}&page=1");
    // The first page tells whether Basic works; a 401 there tries the query string.
    let (api, first) = if source.keys_in_query {
        let api = query_api();
        let first = api.get(&first_path, merge)?;
        (api, first)
    } else {
        let api = header_api();
        match api.get(&first_path, merge) {
            Ok(first) => (api, first),
            Err(SyncError::Api(e)) if e.status == Some(401) => {
                let api = query_api();
                let first = api.get(&first_path, merge).map_err(|_| SyncError::Api(e))?;
                (api, first)
            }
            Err(e) => return Err(e),
        }
    };
    let keys_in_query = api.query_keys.is_some();
    // Before anything is merged: a first pull has nothing the store could have deleted.
    let refresh = merge.is_refresh();

    let total = |a: &crate::connect::http::Answer, h: &str| a.header(h).and_then(|v| v.trim().parse::<usize>().ok());
    merge.expect(total(&first, "x-wp-total"), None);
    let orders_filter = modified_after(merge.orders_since());
    let orders_path =
        |page: usize| format!("/orders?per_page={PER_PAGE}&page={page}&orderby=modified&order=asc{orders_filter}");
    let first_orders = api.get(&orders_path(1), merge)?;
    merge.expect(None, total(&first_orders, "x-wp-total"));

    each_page(
        &api,
        merge,
        first,
        |p| format!("/customers?per_page={PER_PAGE}&page={p}"),
        |m, node| {
            m.customer(customer_row(node), &text(node, "/date_modified_gmt"));
        },
    )?;
    let (mut currencies, mut unknown) = (std::collections::BTreeMap::new(), std::collections::BTreeMap::new());
    each_page(&api, merge, first_orders, orders_path, |m, node| {
        let (row, lines) = order_row(node, &source.paid_statuses);
        *currencies.entry(text(node, "/currency")).or_insert(0) += 1;
        if row[7].starts_with("unpaid: ") {
            *unknown.entry(text(node, "/status")).or_insert(0) += 1;
        }
        m.order(row, lines, &text(node, "/date_modified_gmt"));
    })?;
    currencies.remove("");
    let state = merge.state();
    // This pull's counts (a refresh sees only what changed).
    state.order_currencies = currencies.into_iter().collect();
    state.unknown_statuses = unknown.into_iter().collect();
    if state.order_currencies.len() == 1 {
        state.currency = state.order_currencies.first().map(|(c, _)| c.clone());
    }
    // Customers the store deleted since: every id it still lists, ids only.
    if refresh {
        let ids_path = |p: usize| format!("/customers?per_page={PER_PAGE}&page={p}&_fields=id");
        let first_ids = api.get(&ids_path(1), merge)?;
        let mut listed = std::collections::HashSet::new();
        each_page(&api, merge, first_ids, ids_path, |_, node| {
            listed.insert(text(node, "/id"));
        })?;
        merge.keep_only_customers(&listed);
    }
    Ok(keys_in_query)
}

/// Every item of a listing: the first page already fetched, then the rest up to
/// `X-WP-TotalPages` (or until a page comes back short when the header is missing).
fn each_page(
    api: &Api,
    merge: &mut Merge<'_>,
    first: crate::connect::http::Answer,
    path: impl Fn(usize) -> String,
    mut each: impl FnMut(&mut Merge<'_>, &Value),
) -> Result<(), SyncError> {
    let pages = first.header("x-wp-totalpages").and_then(|v| v.trim().parse::<usize>().ok());
    let mut answer = first;
    let mut page = 1;
    loop {
        let Some(items) = answer.body.as_array() else {
            return Err(ApiError::new(Some(200), "WooCommerce answered with something other than a list.").into());
        };
        for item in items {
            each(merge, item);
        }
        let more = match pages {
            Some(pages) => page < pages,
            None => items.len() == PER_PAGE,
        };
        if !more {
            return Ok(());
        }
        page += 1;
        answer = api.get(&path(page), merge)?;
    }
}

/// Percent-encodes a key for the query string.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn refunds_add_up_and_guests_keep_their_email() {
        let order = json!({"id": 5002, "customer_id": 0, "billing": {"email": "misafir@example.com"},
            "date_created": "2026-01-12T10:00:00", "total": "120.00", "status": "completed",
            "refunds": [{"id": 1, "total": "-20.00"}, {"id": 2, "total": "-5.50"}],
            "line_items": [{"id": 9, "name": "Kahve", "sku": "K1", "quantity": 2}]});
        let (row, lines) = order_row(&order, &[]);
        assert_eq!(row[1], "0");
        assert_eq!(row[2], "misafir@example.com");
        assert_eq!(row[5], "25.50");
        assert_eq!(lines, vec![vec!["9", "5002", "Kahve", "K1", "2"]]);
    }

    #[test]
    fn statuses_are_kept_as_woocommerce_analytics_counts_them() {
        let status = |s: &str, paid: &[String]| status_of(&json!({ "status": s }), paid);
        assert_eq!(status("pending", &[]), "pending payment");
        assert_eq!(status("checkout-draft", &[]), "checkout-draft");
        assert_eq!(status("processing", &[]), "processing");
        assert_eq!(status("shipped", &[]), "unpaid: shipped");
        assert_eq!(status("shipped", &["Shipped".to_owned()]), "shipped");
    }

    #[test]
    fn the_modified_filter_starts_a_second_early() {
        assert_eq!(
            modified_after(Some("2026-03-01T10:00:00")),
            "&modified_after=2026-03-01T09:59:59&dates_are_gmt=true"
        );
        assert_eq!(modified_after(None), "");
        assert_eq!(encode("cs_a+b/c"), "cs_a%2Bb%2Fc");
    }
}
