//! Shopify's Admin GraphQL API: customers and orders page by page (cursor
//! pagination), paced by the query cost the store reports, with throttled
//! answers waited out rather than failed. Only what changed since the last sync
//! is asked for (`updated_at:>=…`). Times are written in the shop's own time zone,
//! as Shopify's CSV exports do.

use serde_json::{Value, json};

use super::{Merge, StoreCredentials, SyncError, SyncOptions, text};
use crate::connect::http::{ApiError, Auth, Client, Endpoint, Method, Token, retry_on_busy};
use crate::engine::store::StoreSource;

/// The API version used unless the workspace names another.
pub const DEFAULT_API_VERSION: &str = "2026-04";
/// The first version with `defaultEmailAddress`/`defaultPhoneNumber` (older ones have `email`/`phone`).
const DEFAULT_CONTACTS_SINCE: &str = "2025-04";
// Page sizes that keep every query under Shopify's 1,000-point cap (priced in
// `shopify_cost`; the tests below fail if a query grows past it).
const CUSTOMERS_PER_PAGE: usize = 100;
const ORDERS_PER_PAGE: usize = 50;
/// Lines asked for with each order; an order with more has the rest read apart.
const LINES_PER_ORDER: usize = 8;
const LINES_PER_PAGE: usize = 100;

/// The store's address typed as `acme`, `acme.myshopify.com` or a URL.
fn store_endpoint(store: &str) -> Result<Endpoint, ApiError> {
    let store = store.trim().trim_end_matches('/');
    let base = if store.contains("://") {
        store.to_owned()
    } else if store.contains('.') {
        format!("https://{store}")
    } else {
        format!("https://{store}.myshopify.com")
    };
    Endpoint::parse(&base)
}

/// The GraphQL endpoint of a store typed as `acme`, `acme.myshopify.com` or a URL.
pub fn graphql_url(store: &str, version: &str) -> Result<String, ApiError> {
    Ok(store_endpoint(store)?.url(&format!("/admin/api/{version}/graphql.json")))
}

/// A Dev Dashboard app's sign-in: its client id and secret exchanged for an access
/// token (the client-credentials grant), again whenever the token has expired
/// (Shopify's last about a day).
struct TokenExchange {
    url: String,
    body: Value,
    retry: crate::connect::http::Retry,
}

impl TokenExchange {
    fn new(
        store: &str,
        client_id: &Token,
        client_secret: &Token,
        retry: crate::connect::http::Retry,
    ) -> Result<Self, ApiError> {
        let url = store_endpoint(store)?.url("/admin/oauth/access_token");
        let body = json!({
            "client_id": client_id.secret(),
            "client_secret": client_secret.secret(),
            "grant_type": "client_credentials",
        });
        Ok(Self { url, body, retry })
    }

    /// A fresh access token.
    fn token(&self) -> Result<Token, ApiError> {
        let client = Client::with_auth(Auth::None, self.retry, retry_on_busy);
        let answer = client.send_json(Method::Post, &self.url, &self.body).map_err(|e| match e.status {
            Some(400 | 401 | 403) => ApiError::new(
                e.status,
                format!(
                    "Shopify refused the app's client ID and secret ({}). Check them in the Dev Dashboard (your app → \
                     Settings → Credentials), and that the app is installed on this store.",
                    e.message
                ),
            ),
            Some(404) => ApiError::new(
                e.status,
                format!("No Shopify store answered there ({}). Check the store address.", e.message),
            ),
            _ => e,
        })?;
        answer
            .get("access_token")
            .and_then(Value::as_str)
            .and_then(Token::new)
            .ok_or_else(|| ApiError::new(Some(200), "Shopify's sign-in answer has no access token."))
    }
}

fn contact_fields(version: &str) -> &'static str {
    if version >= DEFAULT_CONTACTS_SINCE {
        "defaultEmailAddress { emailAddress marketingState } defaultPhoneNumber { phoneNumber marketingState } \
         statistics { rfmGroup }"
    } else {
        "email phone emailMarketingConsent { marketingState } smsMarketingConsent { marketingState }"
    }
}

/// A customer's fields (the same in pages and bulk exports).
pub(super) fn customer_fields(version: &str) -> String {
    format!(
        "id firstName lastName createdAt updatedAt tags numberOfOrders amountSpent {{ amount currencyCode }} {} \
         defaultAddress {{ city provinceCode countryCodeV2 zip }}",
        contact_fields(version)
    )
}

/// An order's own fields (its lines are asked for apart).
pub(super) const ORDER_FIELDS: &str = "id name createdAt updatedAt cancelledAt email displayFinancialStatus \
     sourceName customer { id } totalPriceSet { shopMoney { amount currencyCode } } totalRefundedSet { shopMoney { \
     amount } }";

/// A line's fields.
pub(super) const LINE_FIELDS: &str = "id title sku quantity";

fn customers_query(version: &str) -> String {
    format!(
        "query Customers($first: Int!, $after: String, $query: String) {{ customers(first: $first, after: $after, \
         query: $query, sortKey: UPDATED_AT) {{ pageInfo {{ hasNextPage endCursor }} nodes {{ {} }} }} }}",
        customer_fields(version)
    )
}

fn orders_query() -> String {
    format!(
        "query Orders($first: Int!, $after: String, $query: String) {{ orders(first: $first, after: $after, \
         query: $query, sortKey: UPDATED_AT) {{ pageInfo {{ hasNextPage endCursor }} nodes {{ {ORDER_FIELDS} \
         lineItems(first: {LINES_PER_ORDER}) {{ pageInfo {{ hasNextPage endCursor }} nodes {{ {LINE_FIELDS} }} }} }} }} }}"
    )
}

/// The rest of one order's lines, after the first page that came with the order.
fn lines_query() -> String {
    format!(
        "query Lines($id: ID!, $after: String) {{ order(id: $id) {{ lineItems(first: {LINES_PER_PAGE}, after: $after) \
         {{ pageInfo {{ hasNextPage endCursor }} nodes {{ {LINE_FIELDS} }} }} }} }}"
    )
}

const SHOP_QUERY: &str = "query Shop($customers: String, $orders: String) { shop { name currencyCode \
     timezoneOffsetMinutes } currentAppInstallation { accessScopes { handle } } customersCount(query: $customers, \
     limit: null) { count } ordersCount(query: $orders, limit: null) { count } allCustomers: customersCount(limit: \
     null) { count } }";

const IDS_PER_PAGE: usize = 250;
/// Every customer's id and nothing else: what a refresh compares with the copy to
/// find customers the store deleted.
const IDS_QUERY: &str = "query Ids($first: Int!, $after: String, $query: String) { customers(first: $first, after: \
     $after, query: $query) { pageInfo { hasNextPage endCursor } nodes { id } } }";

/// One connection to a store's GraphQL endpoint.
pub(super) struct Graphql {
    client: std::cell::RefCell<Client>,
    /// How to sign in again when the token expires mid-pull (client credentials).
    renew: Option<TokenExchange>,
    url: String,
    pub(super) options: SyncOptions,
    /// The store's leaky bucket as last reported, to pace the next query.
    bucket: std::cell::Cell<Option<Bucket>>,
}

/// Shopify's `throttleStatus`: points available when it answered, and the refill rate.
#[derive(Debug, Clone, Copy)]
struct Bucket {
    available: f64,
    restore_rate: f64,
    at: std::time::Duration,
}

impl Bucket {
    fn read(cost: Option<&Value>, at: std::time::Duration) -> Option<Self> {
        let number = |path: &str| cost.and_then(|c| c.pointer(path)).and_then(Value::as_f64);
        let available = number("/throttleStatus/currentlyAvailable")?;
        let restore_rate = number("/throttleStatus/restoreRate").filter(|r| *r > 0.0)?;
        Some(Self { available, restore_rate, at })
    }

    /// How long until the bucket holds `cost` points again.
    fn wait_for(self, cost: f64, now: std::time::Duration) -> std::time::Duration {
        let available = self.available + now.saturating_sub(self.at).as_secs_f64() * self.restore_rate;
        if available >= cost {
            return std::time::Duration::ZERO;
        }
        // A point to spare: the store's clock and ours are not the same clock.
        std::time::Duration::from_secs_f64(((cost + 1.0 - available) / self.restore_rate).clamp(0.0, 60.0))
    }
}

impl Graphql {
    fn new(client: Client, renew: Option<TokenExchange>, url: String, options: SyncOptions) -> Self {
        Self { client: std::cell::RefCell::new(client), renew, url, options, bucket: std::cell::Cell::new(None) }
    }

    /// Runs a query: priced first (never over Shopify's cap), sent once the
    /// store's bucket holds its cost, throttled answers waited out, and errors made
    /// one message.
    pub(super) fn run(&self, merge: &Merge<'_>, query: &str, variables: &Value) -> Result<Value, SyncError> {
        // Never send what Shopify would refuse unrun.
        let cost = super::shopify_cost::requested_cost(query, variables)
            .map_err(|e| ApiError::new(None, format!("Kitle could not price its own query ({e}).")))?;
        if cost > super::shopify_cost::MAX_QUERY_COST {
            return Err(ApiError::new(
                None,
                format!("Kitle's query would cost {cost} points, over Shopify's limit of 1,000; it was not sent."),
            )
            .into());
        }
        let body = json!({ "query": query, "variables": variables });
        let (mut throttled, mut signed_in_again) = (0, false);
        loop {
            merge.check()?;
            if let Some(bucket) = self.bucket.get() {
                merge.wait(bucket.wait_for(f64::from(cost), self.options.clock.now()))?;
            }
            let sent = self.client.borrow().send_json(Method::Post, &self.url, &body);
            let answer = match (sent, &self.renew) {
                // The app's token expired mid-pull: sign in again, once, and resend.
                (Err(e), Some(renew)) if e.status == Some(401) && !signed_in_again => {
                    signed_in_again = true;
                    let token = renew.token()?;
                    *self.client.borrow_mut() = shopify_client(token, self.options.retry);
                    continue;
                }
                (sent, _) => sent.map_err(|e| explain(e, self.renew.is_some()))?,
            };
            let cost = answer.pointer("/extensions/cost");
            if let Some(bucket) = Bucket::read(cost, self.options.clock.now()) {
                self.bucket.set(Some(bucket));
            }
            let errors = answer.get("errors").and_then(Value::as_array).filter(|e| !e.is_empty());
            let is_throttled = errors.is_some_and(|e| {
                e.iter().any(|e| e.pointer("/extensions/code").and_then(Value::as_str) == Some("THROTTLED"))
            });
            if is_throttled {
                throttled += 1;
                if throttled > self.options.throttle_tries {
                    return Err(
                        ApiError::new(Some(200), "Shopify kept throttling the requests; try again later.").into()
                    );
                }
                if self.bucket.get().is_none() {
                    merge.wait(std::time::Duration::from_secs(1))?;
                }
                continue;
            }
            if let Some(errors) = errors {
                return Err(graphql_error(errors).into());
            }
            return Ok(answer.get("data").cloned().unwrap_or(Value::Null));
        }
    }

    /// Every node of a connection, page by page, each handed to `each` as it comes.
    fn pages(
        &self,
        merge: &mut Merge<'_>,
        query: &str,
        filter: &Value,
        connection: &str,
        per_page: usize,
        mut each: impl FnMut(&mut Merge<'_>, &Value) -> Result<(), SyncError>,
    ) -> Result<(), SyncError> {
        let mut after = Value::Null;
        loop {
            let mut page = self.run(merge, query, &json!({ "first": per_page, "after": after, "query": filter }))?;
            let Some(found) = page.get_mut(connection).map(Value::take) else {
                return Err(ApiError::new(Some(200), format!("Shopify's answer has no {connection}.")).into());
            };
            for node in found.get("nodes").and_then(Value::as_array).into_iter().flatten() {
                each(merge, node)?;
            }
            merge.check()?;
            let next = found.pointer("/pageInfo/hasNextPage").and_then(Value::as_bool).unwrap_or(false);
            let cursor = found.pointer("/pageInfo/endCursor").cloned().unwrap_or(Value::Null);
            if !next || cursor.is_null() {
                return Ok(());
            }
            after = cursor;
        }
    }
}

impl Graphql {
    /// The lines of order `id` after `cursor`, page by page, added to `lines`.
    fn rest_of_lines(
        &self,
        merge: &Merge<'_>,
        id: &str,
        mut cursor: Value,
        order_id: &str,
        lines: &mut Vec<Vec<String>>,
    ) -> Result<(), SyncError> {
        loop {
            let page = self.run(merge, &lines_query(), &json!({ "id": id, "after": cursor }))?;
            let Some(items) = page.pointer("/order/lineItems") else {
                return Err(
                    ApiError::new(Some(200), format!("Shopify's answer has no lines for order {order_id}.")).into()
                );
            };
            for line in items.get("nodes").and_then(Value::as_array).into_iter().flatten() {
                lines.push(line_row(line, order_id));
            }
            let next = items.pointer("/pageInfo/hasNextPage").and_then(Value::as_bool).unwrap_or(false);
            cursor = items.pointer("/pageInfo/endCursor").cloned().unwrap_or(Value::Null);
            if !next || cursor.is_null() {
                return Ok(());
            }
        }
    }
}

/// A line node as a row of the copy's lines table.
pub(super) fn line_row(line: &Value, order_id: &str) -> Vec<String> {
    vec![id_of(line.get("id")), order_id.to_owned(), text(line, "/title"), text(line, "/sku"), text(line, "/quantity")]
}

/// A client that sends the store's access token.
fn shopify_client(token: Token, retry: crate::connect::http::Retry) -> Client {
    Client::with_auth(Auth::Header("X-Shopify-Access-Token", token), retry, retry_on_busy)
}

/// A rejected token or a missing scope said plainly; the store's words otherwise.
fn explain(error: ApiError, app_sign_in: bool) -> ApiError {
    match error.status {
        Some(401) if app_sign_in => ApiError::new(
            error.status,
            format!(
                "Shopify refused the token it had just given for the app's client ID and secret ({}). Check that \
                 the app is still installed on this store (Dev Dashboard → your app → Installs).",
                error.message
            ),
        ),
        Some(401) => ApiError::new(
            error.status,
            format!(
                "Shopify refused the access token ({}). Check the Admin API access token of the store's custom \
                 app. Apps made since 2026 in Shopify's Dev Dashboard have no such token: connect them with the \
                 app's client ID and secret instead (Dev Dashboard → your app → Settings).",
                error.message
            ),
        ),
        Some(403) => ApiError::new(
            error.status,
            format!(
                "Shopify refused access ({}). The app needs the read_customers and read_orders scopes.",
                error.message
            ),
        ),
        Some(404) => ApiError::new(
            error.status,
            format!(
                "No Shopify store answered there ({}). Check the store address and the API version.",
                error.message
            ),
        ),
        _ => error,
    }
}

fn graphql_error(errors: &[Value]) -> ApiError {
    let messages: Vec<&str> = errors.iter().filter_map(|e| e.get("message").and_then(Value::as_str)).collect();
    let has_code =
        |code: &str| errors.iter().any(|e| e.pointer("/extensions/code").and_then(Value::as_str) == Some(code));
    let hint = if has_code("ACCESS_DENIED") {
        " The app needs the read_customers and read_orders scopes."
    } else if has_code("MAX_COST_EXCEEDED") {
        " The query asked for more than Shopify allows at once (1,000 points); this is a fault in Kitle, please report it."
    } else {
        ""
    };
    ApiError::new(Some(200), format!("Shopify answered with an error: {}.{hint}", messages.join("; ")))
}

/// The numeric id at the end of a global id (`gid://shopify/Customer/42` → `42`).
pub(super) fn id_of(value: Option<&Value>) -> String {
    let text = value.and_then(Value::as_str).unwrap_or("");
    text.rsplit('/').next().unwrap_or(text).to_owned()
}

/// A UTC time stamp in the shop's time zone, as the CSV exports write it.
fn local_time(utc: &str, offset_minutes: i32) -> String {
    let Ok(time) = chrono::DateTime::parse_from_rfc3339(utc) else { return utc.to_owned() };
    let zone = chrono::FixedOffset::east_opt(offset_minutes * 60)
        .unwrap_or_else(|| chrono::FixedOffset::east_opt(0).unwrap_or(*time.offset()));
    time.with_timezone(&zone).format("%Y-%m-%d %H:%M:%S %z").to_string()
}

/// Shopify's RFM group as words (`AT_RISK` → `At risk`).
fn group_words(code: &str) -> String {
    let lower = code.replace('_', " ").to_lowercase();
    let mut chars = lower.chars();
    chars.next().map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
}

/// A customer node as a row of the copy's customers table.
pub(super) fn customer_row(node: &Value, offset: i32) -> Vec<String> {
    let first_text = |paths: &[&str]| paths.iter().map(|p| text(node, p)).find(|t| !t.is_empty()).unwrap_or_default();
    let tags = node
        .get("tags")
        .and_then(Value::as_array)
        .map_or_else(String::new, |tags| tags.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", "));
    // Shopify's marketing states: only SUBSCRIBED is consent (not PENDING, a
    // confirmation not yet given; nor NOT_SUBSCRIBED, UNSUBSCRIBED, REDACTED, INVALID).
    let consent = |paths: &[&str]| match first_text(paths).as_str() {
        "" => "",
        "SUBSCRIBED" => "yes",
        _ => "no",
    };
    let accepts = consent(&["/defaultEmailAddress/marketingState", "/emailMarketingConsent/marketingState"]);
    // No phone, no SMS consent (Shopify's export says "no" then too).
    let sms = match consent(&["/defaultPhoneNumber/marketingState", "/smsMarketingConsent/marketingState"]) {
        "" => "no",
        state => state,
    };
    vec![
        id_of(node.get("id")),
        first_text(&["/defaultEmailAddress/emailAddress", "/email"]),
        first_text(&["/defaultPhoneNumber/phoneNumber", "/phone"]),
        text(node, "/firstName"),
        text(node, "/lastName"),
        local_time(&text(node, "/createdAt"), offset),
        tags,
        text(node, "/numberOfOrders"),
        text(node, "/amountSpent/amount"),
        text(node, "/defaultAddress/city"),
        text(node, "/defaultAddress/provinceCode"),
        text(node, "/defaultAddress/countryCodeV2"),
        text(node, "/defaultAddress/zip"),
        accepts.to_owned(),
        group_words(&text(node, "/statistics/rfmGroup")),
        sms.to_owned(),
    ]
}

/// An order node as a row of the copy's orders table, its lines, and whether
/// some lines did not fit in the page.
pub(super) fn order_row(node: &Value, offset: i32) -> (Vec<String>, Vec<Vec<String>>, bool) {
    let id = id_of(node.get("id"));
    let cancelled = text(node, "/cancelledAt");
    let row = vec![
        id.clone(),
        id_of(node.pointer("/customer/id")),
        text(node, "/email"),
        local_time(&text(node, "/createdAt"), offset),
        text(node, "/totalPriceSet/shopMoney/amount"),
        text(node, "/totalRefundedSet/shopMoney/amount"),
        if cancelled.is_empty() { cancelled } else { local_time(&cancelled, offset) },
        text(node, "/displayFinancialStatus").to_lowercase(),
        text(node, "/sourceName"),
    ];
    let lines = node
        .pointer("/lineItems/nodes")
        .and_then(Value::as_array)
        .map_or_else(Vec::new, |lines| lines.iter().map(|l| line_row(l, &id)).collect());
    let cut = node.pointer("/lineItems/pageInfo/hasNextPage").and_then(Value::as_bool).unwrap_or(false);
    (row, lines, cut)
}

/// The search filter for what changed since a time stamp.
fn since_filter(since: Option<&str>) -> Value {
    since.map_or(Value::Null, |t| Value::String(format!("updated_at:>='{t}'")))
}

fn count(data: &Value, path: &str) -> Option<usize> {
    match data.pointer(path)? {
        Value::String(s) => s.parse().ok(),
        v => v.as_u64().and_then(|n| usize::try_from(n).ok()),
    }
}

/// Pulls a Shopify store's changes into `merge`; returns the shop's name.
pub fn pull(
    source: &StoreSource,
    credentials: &StoreCredentials,
    merge: &mut Merge<'_>,
    options: SyncOptions,
) -> Result<Option<String>, SyncError> {
    let (token, renew) = match credentials {
        StoreCredentials::Token(token) => (token.clone(), None),
        StoreCredentials::ClientCredentials { client_id, client_secret } => {
            let exchange = TokenExchange::new(&source.store, client_id, client_secret, options.retry)?;
            (exchange.token()?, Some(exchange))
        }
        StoreCredentials::Keys { .. } => {
            return Err(ApiError::new(
                None,
                "Shopify needs an Admin API access token, or a Dev Dashboard app's client ID and secret.",
            )
            .into());
        }
    };
    let version = source.api_version.clone().unwrap_or_else(|| DEFAULT_API_VERSION.to_owned());
    let client = shopify_client(token, options.retry);
    let url = graphql_url(&source.store, &version)?;
    let customers_since = since_filter(merge.customers_since());
    let orders_since = since_filter(merge.orders_since());

    let api = Graphql::new(client, renew, url, options);
    let refresh = merge.is_refresh();
    let shop = api.run(merge, SHOP_QUERY, &json!({ "customers": customers_since, "orders": orders_since }))?;
    let offset = shop.pointer("/shop/timezoneOffsetMinutes").and_then(Value::as_i64).unwrap_or(0);
    let offset = i32::try_from(offset).unwrap_or(0);
    let scopes: Vec<&str> = shop
        .pointer("/currentAppInstallation/accessScopes")
        .and_then(Value::as_array)
        .map_or_else(Vec::new, |s| s.iter().filter_map(|s| s.get("handle").and_then(Value::as_str)).collect());
    merge.state().orders_limited_to_60_days = !scopes.is_empty() && !scopes.contains(&"read_all_orders");
    merge.state().currency = Some(text(&shop, "/shop/currencyCode")).filter(|c| !c.is_empty());
    let (customers, orders) = (count(&shop, "/customersCount/count"), count(&shop, "/ordersCount/count"));
    merge.expect(customers, orders);
    let name = Some(text(&shop, "/shop/name")).filter(|n| !n.is_empty());

    // Large pulls go through bulk exports: one query each, no page costs.
    if customers.unwrap_or(0) >= api.options.bulk_from {
        super::shopify_bulk::customers(&api, merge, &customer_fields(&version), &customers_since, offset)?;
    } else {
        api.pages(merge, &customers_query(&version), &customers_since, "customers", CUSTOMERS_PER_PAGE, |m, node| {
            m.customer(customer_row(node, offset), &text(node, "/updatedAt"));
            Ok(())
        })?;
    }
    if orders.unwrap_or(0) >= api.options.bulk_from {
        super::shopify_bulk::orders(&api, merge, &orders_since, offset)?;
    } else {
        api.pages(merge, &orders_query(), &orders_since, "orders", ORDERS_PER_PAGE, |m, node| {
            let (row, mut lines, lines_cut) = order_row(node, offset);
            // An order with more lines than came with it: the rest, page by page.
            if lines_cut {
                let cursor = node.pointer("/lineItems/pageInfo/endCursor").cloned().unwrap_or(Value::Null);
                api.rest_of_lines(m, &text(node, "/id"), cursor, &row[0], &mut lines)?;
            }
            m.order(row, lines, &text(node, "/updatedAt"));
            Ok(())
        })?;
    }
    if refresh {
        let listed = if count(&shop, "/allCustomers/count").unwrap_or(0) >= api.options.bulk_from {
            super::shopify_bulk::customer_ids(&api, merge)?
        } else {
            let mut listed = std::collections::HashSet::new();
            api.pages(merge, IDS_QUERY, &Value::Null, "customers", IDS_PER_PAGE, |_, node| {
                listed.insert(id_of(node.get("id")));
                Ok(())
            })?;
            listed
        };
        merge.keep_only_customers(&listed);
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::shopify_cost::{MAX_QUERY_COST, requested_cost};
    use super::*;

    /// Every query a pull sends, with the variables it sends it with.
    fn queries() -> Vec<(&'static str, String, Value)> {
        let page = |n: usize| json!({ "first": n, "after": null, "query": null });
        vec![
            ("shop", SHOP_QUERY.to_owned(), json!({})),
            ("customers", customers_query(DEFAULT_API_VERSION), page(CUSTOMERS_PER_PAGE)),
            ("customers (old API)", customers_query("2024-10"), page(CUSTOMERS_PER_PAGE)),
            ("orders", orders_query(), page(ORDERS_PER_PAGE)),
            ("lines", lines_query(), json!({ "id": "gid://shopify/Order/1", "after": "x" })),
            ("customer ids", IDS_QUERY.to_owned(), page(IDS_PER_PAGE)),
            (
                "bulk run",
                super::super::shopify_bulk::RUN.to_owned(),
                json!({ "query": "{ orders { edges { node { id } } } }" }),
            ),
            ("bulk poll", super::super::shopify_bulk::POLL.to_owned(), json!({})),
        ]
    }

    #[test]
    fn every_query_stays_under_shopifys_cost_cap() {
        for (name, query, variables) in queries() {
            let cost = requested_cost(&query, &variables).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(cost <= MAX_QUERY_COST, "{name} costs {cost}");
            assert!(cost > 0, "{name} is priced");
        }
        // The orders page, by the documented rules: 2 + 50 × (order 1 + customer 1 +
        // two money sets 2 × 2 + lines (2 + 8 × 1 + pageInfo 1)) + pageInfo 1.
        assert_eq!(requested_cost(&orders_query(), &json!({ "first": ORDERS_PER_PAGE })), Ok(2 + 50 * 17 + 1));
    }

    #[test]
    fn the_old_orders_query_would_have_been_refused() {
        let old = orders_query().replace(&format!("first: {LINES_PER_ORDER}"), "first: 20");
        assert!(requested_cost(&old, &json!({ "first": 50 })).unwrap() > MAX_QUERY_COST);
    }
}
