//! A fake Shopify (Admin GraphQL) and WooCommerce (REST v3) store on a loopback
//! port, serving one generated store: cursor and page pagination, query costs and
//! throttling, scripted failures (a status, or Shopify's 200 THROTTLED answer),
//! token and key checks, a server that drops the Authorization header, guest
//! orders and refunds, and "changed since" filters. It can also write the store
//! as Shopify's CSV exports, so a pull can be compared with an import of them.
//! Self-contained (serde_json only), so the benchmarks can use it too.

#![allow(dead_code)]

use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};

use kitle::connect::clock::Clock;
use serde_json::{Value, json};

pub const SHOPIFY_TOKEN: &str = "shpat_test_123";
/// A Dev Dashboard app's credentials, exchanged for tokens that expire.
pub const SHOPIFY_CLIENT_ID: &str = "kitle-test-client";
pub const SHOPIFY_CLIENT_SECRET: &str = "shpss_test_secret";
pub const WOO_KEY: &str = "ck_test_key";
pub const WOO_SECRET: &str = "cs_test_secret";
/// The shop's time zone: Istanbul, UTC+3.
pub const OFFSET_MINUTES: i64 = 180;

#[derive(Debug, Clone)]
pub struct Customer {
    pub id: u64,
    pub first: String,
    pub last: String,
    pub email: String,
    pub phone: String,
    /// UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    pub created: String,
    pub updated: String,
    pub tags: Vec<String>,
    pub city: String,
    pub province_code: String,
    pub country: String,
    pub zip: String,
    pub subscribed: bool,
    /// SMS marketing consent (only where there is a phone).
    pub sms_subscribed: bool,
    pub rfm: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Line {
    pub id: u64,
    pub title: String,
    pub sku: String,
    pub quantity: u32,
    pub price: f64,
}

#[derive(Debug, Clone)]
pub struct Order {
    pub id: u64,
    pub number: u64,
    /// `None` for a guest checkout.
    pub customer: Option<u64>,
    pub email: String,
    pub created: String,
    pub updated: String,
    pub total: f64,
    pub refunds: Vec<f64>,
    pub cancelled: Option<String>,
    /// Shopify's financial status (`PAID`, `REFUNDED`, `PARTIALLY_REFUNDED`, `VOIDED`).
    pub status: String,
    pub source: String,
    pub lines: Vec<Line>,
}

#[derive(Debug, Clone, Default)]
pub struct Store {
    pub customers: Vec<Customer>,
    pub orders: Vec<Order>,
}

const FIRST: &[&str] = &["Ayşe", "Mehmet", "Elif", "Can", "Zeynep", "Burak", "Deniz", "Ece", "Hans", "Selin"];
const LAST: &[&str] = &["Yılmaz", "Kaya", "Şahin", "Çelik", "Demir", "Öztürk", "Aydın", "Müller", "Arslan", "Koç"];
const CITIES: &[(&str, &str, &str, &str)] = &[
    ("İstanbul", "34", "TR", "34740"),
    ("Ankara", "06", "TR", "06100"),
    ("İzmir", "35", "TR", "35210"),
    ("Antalya", "07", "TR", "07100"),
    ("Berlin", "BE", "DE", "10115"),
];
const PRODUCTS: &[(&str, &str, f64)] = &[
    ("Kahve Makinesi", "KM-1", 2450.0),
    ("Türk Kahvesi 250 g", "TK-250", 120.0),
    ("Fincan Takımı", "FT-6", 480.0),
    ("Demlik", "DM-1", 650.0),
];
const RFM: &[&str] = &["CHAMPIONS", "LOYAL", "AT_RISK", "NEW", "DORMANT"];

/// A small deterministic generator (no dependencies).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ` for a number of minutes after 2024-01-01T00:00Z.
pub fn utc(minutes: u64) -> String {
    let days = minutes / 1440;
    let (y, m, d) = civil(days + 19_723); // 2024-01-01 is day 19,723 of the epoch
    let rest = minutes % 1440;
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:00Z", rest / 60, rest % 60)
}

/// Days since 1970-01-01 as a calendar date (Howard Hinnant's algorithm).
fn civil(days: u64) -> (i64, u64, u64) {
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u64;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u64;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// A UTC time stamp in the shop's zone: `YYYY-MM-DD HH:MM:SS +0300` (Shopify's export)
/// or `YYYY-MM-DDTHH:MM:SS` (WooCommerce's `date_created`).
pub fn local(utc_text: &str, export: bool) -> String {
    let minutes = minutes_of(utc_text) + OFFSET_MINUTES as u64;
    let t = utc(minutes);
    if export { format!("{} {} +0300", &t[..10], &t[11..19]) } else { t[..19].to_owned() }
}

fn minutes_of(utc_text: &str) -> u64 {
    let y: i64 = utc_text[..4].parse().unwrap();
    let m: i64 = utc_text[5..7].parse().unwrap();
    let d: i64 = utc_text[8..10].parse().unwrap();
    let (hh, mm): (u64, u64) = (utc_text[11..13].parse().unwrap(), utc_text[14..16].parse().unwrap());
    // Days since 1970-01-01 (Howard Hinnant's days_from_civil), then since 2024-01-01.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = (era * 146_097 + doe - 719_468 - 19_723) as u64;
    days * 1440 + hh * 60 + mm
}

impl Store {
    /// A store of `customers` customers and about `orders` orders, with guests,
    /// refunds and cancellations, dated over 2024–2026.
    pub fn generate(customers: usize, orders: usize, seed: u64) -> Self {
        let mut r = Lcg(seed);
        let mut store = Store::default();
        for i in 0..customers {
            let (city, code, country, zip) = CITIES[r.below(CITIES.len() as u64) as usize];
            let created = r.below(600 * 1440);
            let first = FIRST[r.below(FIRST.len() as u64) as usize];
            let last = LAST[r.below(LAST.len() as u64) as usize];
            store.customers.push(Customer {
                id: 7_000_000_000 + i as u64,
                first: first.to_owned(),
                last: last.to_owned(),
                email: format!("musteri{i}@example.com"),
                phone: if i % 3 == 0 { String::new() } else { format!("+90532{:07}", i) },
                created: utc(created),
                updated: utc(created + r.below(1440)),
                tags: match i % 4 {
                    0 => vec!["VIP".to_owned(), "newsletter".to_owned()],
                    1 => vec!["wholesale".to_owned()],
                    _ => vec![],
                },
                city: city.to_owned(),
                province_code: code.to_owned(),
                country: country.to_owned(),
                zip: zip.to_owned(),
                subscribed: i % 2 == 0,
                sms_subscribed: i % 3 == 1,
                rfm: (i % 5 != 4).then(|| RFM[i % RFM.len()].to_owned()),
            });
        }
        for n in 0..orders {
            let guest = n % 17 == 5 || customers == 0;
            let customer = (!guest).then(|| r.below(customers.max(1) as u64) as usize);
            let created = 620 * 1440 + r.below(300 * 1440);
            let mut lines: Vec<Line> = (0..=r.below(2))
                .map(|k| {
                    let (title, sku, price) = PRODUCTS[r.below(PRODUCTS.len() as u64) as usize];
                    Line {
                        id: 90_000_000 + (n as u64) * 256 + k,
                        title: title.to_owned(),
                        sku: sku.to_owned(),
                        quantity: 1 + r.below(2) as u32,
                        price,
                    }
                })
                .collect();
            // Now and then a wholesale order of many lines (more than one page of them).
            if n % 97 == 13 {
                let extra = if n % 2 == 0 { 22 } else { 127 };
                lines.extend((3..3 + extra).map(|k| {
                    let (title, sku, price) = PRODUCTS[k as usize % PRODUCTS.len()];
                    let (title, sku) = (title.to_owned(), sku.to_owned());
                    Line { id: 90_000_000 + (n as u64) * 256 + k, title, sku, quantity: 1, price }
                }));
            }
            let total: f64 = lines.iter().map(|l| l.price * f64::from(l.quantity)).sum();
            let (status, refunds, cancelled) = match n % 23 {
                3 => ("PARTIALLY_REFUNDED", vec![(total / 4.0).round()], None),
                7 => ("REFUNDED", vec![total], None),
                11 => ("VOIDED", vec![], Some(utc(created + 60))),
                _ => ("PAID", vec![], None),
            };
            store.orders.push(Order {
                id: 5_000_000_000 + n as u64,
                number: 1001 + n as u64,
                customer: customer.map(|c| store.customers[c].id),
                email: customer.map_or_else(|| format!("misafir{n}@example.com"), |c| store.customers[c].email.clone()),
                created: utc(created),
                updated: utc(created + 30),
                total,
                refunds,
                cancelled,
                status: status.to_owned(),
                source: if n % 4 == 0 { "pos" } else { "web" }.to_owned(),
                lines,
            });
        }
        store
    }

    /// Shopify's `numberOfOrders` and `amountSpent` of every customer with orders
    /// (cancelled orders left out, refunds taken off).
    pub fn totals(&self) -> HashMap<u64, (usize, f64)> {
        let mut totals: HashMap<u64, (usize, f64)> = HashMap::new();
        for o in self.orders.iter().filter(|o| o.cancelled.is_none()) {
            if let Some(c) = o.customer {
                let t = totals.entry(c).or_default();
                t.0 += 1;
                t.1 += o.total - o.refunds.iter().sum::<f64>();
            }
        }
        totals
    }

    /// The store as Shopify's customer and order CSV exports.
    pub fn write_shopify_exports(&self, dir: &Path) {
        let mut c = String::from(
            "Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Default Address City,Default Address Province Code,Default Address Country Code,Default Address Zip,Phone,Accepts SMS Marketing,Total Spent,Total Orders,Tags\n",
        );
        let totals = self.totals();
        for x in &self.customers {
            let (n, spent) = totals.get(&x.id).copied().unwrap_or_default();
            c += &format!(
                "'{},{},{},{},{},{},{},{},{},{},{},{spent:.2},{n},\"{}\"\n",
                x.id,
                x.first,
                x.last,
                x.email,
                if x.subscribed { "yes" } else { "no" },
                x.city,
                x.province_code,
                x.country,
                x.zip,
                x.phone,
                if x.sms_subscribed { "yes" } else { "no" },
                x.tags.join(", ")
            );
        }
        std::fs::write(dir.join("customers_export.csv"), c).unwrap();
        let mut o = String::from(
            "Name,Email,Financial Status,Created at,Total,Refunded Amount,Cancelled at,Source,Lineitem quantity,Lineitem name,Lineitem sku,Id\n",
        );
        for x in &self.orders {
            for (k, l) in x.lines.iter().enumerate() {
                if k == 0 {
                    o += &format!(
                        "#{},{},{},{},{:.2},{},{},{},{},{},{},{}\n",
                        x.number,
                        x.email,
                        x.status.to_lowercase(),
                        local(&x.created, true),
                        x.total,
                        if x.refunds.is_empty() {
                            String::new()
                        } else {
                            format!("{:.2}", x.refunds.iter().sum::<f64>())
                        },
                        x.cancelled.as_deref().map(|c| local(c, true)).unwrap_or_default(),
                        x.source,
                        l.quantity,
                        l.title,
                        l.sku,
                        x.id
                    );
                } else {
                    o += &format!(
                        "#{},{},,{},,,,,{},{},{},\n",
                        x.number,
                        x.email,
                        local(&x.created, true),
                        l.quantity,
                        l.title,
                        l.sku
                    );
                }
            }
        }
        std::fs::write(dir.join("orders_export.csv"), o).unwrap();
    }
}

/// A failure to answer a request with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    Status(u16),
    /// Shopify's throttled answer: HTTP 200 with a THROTTLED error.
    Throttled,
}

pub struct State {
    pub store: Store,
    pub script: VecDeque<Fault>,
    /// Requests as received: method and path (with query).
    pub seen: Vec<(String, String)>,
    /// Shopify access scopes granted to the token.
    pub scopes: Vec<String>,
    /// Tokens given for the app's client id and secret, each with when it expires
    /// (on the store's clock), how long they last, and how many were given.
    pub app_tokens: Vec<(String, std::time::Duration)>,
    pub app_token_life: std::time::Duration,
    pub app_sign_ins: u32,
    /// The WooCommerce server drops the Authorization header.
    pub strips_authorization: bool,
    /// WooCommerce orders in every core status (and a plugin's), some in euros.
    pub woo_every_status: bool,
    /// Shopify's leaky bucket (Standard plan: 2,000 points, refilled at 100 a
    /// second): each query needs its requested cost available, or is THROTTLED.
    pub available: f64,
    pub maximum: f64,
    pub restore_rate: f64,
    /// The time the bucket is measured on: a manual clock the tests share with the
    /// pull ([`clock_of`]), or the real one for an app or CLI in another process.
    pub clock: Clock,
    pub last_refill: std::time::Duration,
    /// Queries refused: THROTTLED (bucket empty), MAX_COST_EXCEEDED (over 1,000 points).
    pub throttled: u32,
    pub too_costly: u32,
    /// The highest requested cost seen, and the points spent in all.
    pub highest_cost: u32,
    pub points_spent: f64,
    /// Time each answer takes (to watch progress).
    pub delay: std::time::Duration,
    /// Customers and orders in update order (indices) and each customer's totals,
    /// made on first use and dropped whenever the store is changed through [`FakeStore::with`].
    #[allow(clippy::type_complexity)]
    pub sorted: Option<(Vec<usize>, Vec<usize>, HashMap<u64, (usize, f64)>)>,
    /// The server's own address (for bulk export URLs).
    pub base_url: String,
    /// The bulk export last started: its number, its query, and how often it was polled.
    pub bulk: Option<(u32, String, u32)>,
    pub bulk_runs: u32,
    /// How bulk exports end when not COMPLETED: a status and Shopify's error code.
    pub bulk_failure: Option<(&'static str, &'static str)>,
    /// The export file's signed link has expired (storage answers 400 ExpiredToken).
    pub bulk_link_expired: bool,
}

/// Each fake store's clock, by its URL, for the pulls that talk to it.
static CLOCKS: Mutex<Option<HashMap<String, Clock>>> = Mutex::new(None);

/// The clock of the fake store at `url` (the real one for any other address).
pub fn clock_of(url: &str) -> Clock {
    CLOCKS.lock().unwrap().as_ref().and_then(|m| m.get(url).cloned()).unwrap_or_default()
}

pub struct FakeStore {
    pub url: String,
    pub state: Arc<Mutex<State>>,
}

impl FakeStore {
    pub fn start(store: Store) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State {
            store,
            script: VecDeque::new(),
            seen: Vec::new(),
            scopes: vec!["read_customers".into(), "read_orders".into(), "read_all_orders".into()],
            app_tokens: Vec::new(),
            app_token_life: std::time::Duration::from_secs(86_399),
            app_sign_ins: 0,
            strips_authorization: false,
            woo_every_status: false,
            available: 2000.0,
            maximum: 2000.0,
            restore_rate: 100.0,
            clock: Clock::manual(),
            last_refill: std::time::Duration::ZERO,
            throttled: 0,
            too_costly: 0,
            highest_cost: 0,
            points_spent: 0.0,
            delay: std::time::Duration::ZERO,
            sorted: None,
            base_url: url.clone(),
            bulk: None,
            bulk_runs: 0,
            bulk_failure: None,
            bulk_link_expired: false,
        }));
        CLOCKS
            .lock()
            .unwrap()
            .get_or_insert_with(HashMap::new)
            .insert(url.clone(), state.lock().unwrap().clock.clone());
        let shared = Arc::clone(&state);
        #[allow(clippy::disallowed_methods)] // a test's server thread, not the app's work
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let shared = Arc::clone(&shared);
                #[allow(clippy::disallowed_methods)]
                std::thread::spawn(move || serve(stream, &shared));
            }
        });
        Self { url, state }
    }

    /// For an app or CLI that waits on the real clock: the bucket refills in real
    /// time, at `restore_rate` points a second.
    pub fn real_time(&self, restore_rate: f64) {
        let mut s = self.state.lock().unwrap();
        s.clock = Clock::default();
        s.last_refill = s.clock.now();
        s.restore_rate = restore_rate;
        CLOCKS.lock().unwrap().get_or_insert_with(HashMap::new).insert(self.url.clone(), s.clock.clone());
    }

    pub fn fail_next(&self, faults: &[Fault]) {
        self.state.lock().unwrap().script.extend(faults.iter().copied());
    }

    pub fn seen(&self) -> Vec<(String, String)> {
        self.state.lock().unwrap().seen.clone()
    }

    pub fn with<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        let mut state = self.state.lock().unwrap();
        state.sorted = None;
        f(&mut state)
    }
}

/// One HTTP request as a fake server reads it: method, path, lowercased headers and
/// the body as JSON (`Null` when it is not JSON); `None` for a closed connection.
pub fn read_request(stream: &TcpStream) -> Option<(String, String, HashMap<String, String>, Value)> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let (method, path) = (parts.next().unwrap_or("").to_owned(), parts.next().unwrap_or("").to_owned());
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_owned());
        }
    }
    let length: usize = headers.get("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some((method, path, headers, serde_json::from_slice(&body).unwrap_or(Value::Null)))
}

fn serve(stream: TcpStream, state: &Arc<Mutex<State>>) {
    let Some((method, path, headers, body)) = read_request(&stream) else { return };
    let delay = state.lock().unwrap().delay;
    std::thread::sleep(delay);
    let (status, extra, text) = if path.starts_with("/bulk/") {
        let mut s = state.lock().unwrap();
        s.seen.push((method.clone(), path.clone()));
        if s.bulk_link_expired {
            let expired = "<?xml version='1.0' encoding='UTF-8'?><Error><Code>ExpiredToken</Code><Message>The provided token has expired.</Message></Error>";
            (400, String::new(), expired.to_owned())
        } else {
            (200, String::new(), bulk_file(&mut s))
        }
    } else {
        let (status, extra, reply) = answer(state, &method, &path, &headers, &body);
        (status, extra, reply.to_string())
    };
    let mut stream = stream;
    let _ = write!(
        stream,
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{extra}Retry-After: 0\r\nConnection: close\r\n\r\n{text}",
        text.len()
    );
}

fn answer(
    state: &Arc<Mutex<State>>,
    method: &str,
    path: &str,
    headers: &HashMap<String, String>,
    body: &Value,
) -> (u16, String, Value) {
    let mut s = state.lock().unwrap();
    s.seen.push((method.to_owned(), path.to_owned()));
    let fault = s.script.pop_front();
    if path.ends_with("/admin/oauth/access_token") {
        return app_sign_in(&mut s, method, body);
    }
    if path.contains("/graphql.json") {
        if let Some(Fault::Status(code)) = fault {
            return (code, String::new(), json!({"errors": "scripted failure"}));
        }
        let token = headers.get("x-shopify-access-token").map_or("", String::as_str);
        let now = s.clock.now();
        let app_token = s.app_tokens.iter().any(|(t, expires)| t == token && *expires > now);
        if token != SHOPIFY_TOKEN && !app_token {
            return (
                401,
                String::new(),
                json!({"errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"}),
            );
        }
        refill(&mut s);
        if fault == Some(Fault::Throttled) {
            return (
                200,
                String::new(),
                json!({"errors": [{"message": "Throttled", "extensions": {"code": "THROTTLED"}}],
                "extensions": {"cost": {"requestedQueryCost": 500, "actualQueryCost": null, "throttleStatus": throttle_status(&s)}}}),
            );
        }
        return (200, String::new(), shopify(&mut s, body));
    }
    if let Some(Fault::Status(code)) = fault {
        return (
            code,
            String::new(),
            json!({"code": "internal_server_error", "message": "scripted failure", "data": {"status": code}}),
        );
    }
    woo(&mut s, path, headers)
}

/// The client-credentials grant: a token for the app's id and secret, or OAuth's
/// `invalid_client` (RFC 6749 §5.2) for wrong ones.
fn app_sign_in(s: &mut State, method: &str, body: &Value) -> (u16, String, Value) {
    let asked = |k: &str| body.get(k).and_then(Value::as_str).unwrap_or("");
    if method != "POST" || asked("grant_type") != "client_credentials" {
        return (400, String::new(), json!({"error": "unsupported_grant_type"}));
    }
    if asked("client_id") != SHOPIFY_CLIENT_ID || asked("client_secret") != SHOPIFY_CLIENT_SECRET {
        return (
            401,
            String::new(),
            json!({"error": "invalid_client", "error_description": "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method."}),
        );
    }
    s.app_sign_ins += 1;
    let token = format!("shpat_app_{}", s.app_sign_ins);
    let expires = s.clock.now() + s.app_token_life;
    s.app_tokens.push((token.clone(), expires));
    (
        200,
        String::new(),
        json!({"access_token": token, "scope": "read_customers,read_orders,read_all_orders", "expires_in": s.app_token_life.as_secs()}),
    )
}

/// Shopify's `throttleStatus`: the bucket as it stands.
fn throttle_status(s: &State) -> Value {
    json!({"maximumAvailable": s.maximum, "currentlyAvailable": s.available, "restoreRate": s.restore_rate})
}

/// The bucket refilled for the time gone by on the store's clock.
fn refill(s: &mut State) {
    let now = s.clock.now();
    let gained = now.saturating_sub(s.last_refill).as_secs_f64() * s.restore_rate;
    s.available = (s.available + gained).min(s.maximum);
    s.last_refill = now;
}

/// `updated_at:>='T'` → T
fn since(filter: &Value) -> Option<String> {
    let f = filter.as_str()?;
    Some(f.split('\'').nth(1)?.to_owned())
}

/// The points a query asks for, priced before it runs as Shopify does: over the cap
/// it is refused outright (MAX_COST_EXCEEDED); without the points in the bucket it
/// is throttled. The refusal is the answer to send.
fn price(s: &mut State, query: &str, vars: &Value) -> Result<u32, Value> {
    let requested = match kitle::connect::store::shopify_cost::requested_cost(query, vars) {
        Ok(cost) => cost,
        Err(e) => return Err(json!({"errors": [{"message": format!("Parse error: {e}")}]})),
    };
    s.highest_cost = s.highest_cost.max(requested);
    if requested > 1000 {
        s.too_costly += 1;
        return Err(
            json!({"errors": [{"message": format!("Query cost is {requested}, which exceeds the single query max cost limit (1000). See https://shopify.dev/concepts/about-apis/rate-limits for more information on how the cost of a query is calculated. To query larger amounts of data with fewer limits, bulk operations should be used instead. See https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details."),
            "extensions": {"code": "MAX_COST_EXCEEDED", "cost": requested, "maxCost": 1000}}]}),
        );
    }
    if f64::from(requested) > s.available {
        s.throttled += 1;
        return Err(
            json!({"errors": [{"message": "Throttled", "extensions": {"code": "THROTTLED", "documentation": "https://shopify.dev/api/usage/rate-limits"}}],
            "extensions": {"cost": {"requestedQueryCost": requested, "actualQueryCost": null, "throttleStatus": throttle_status(s)}}}),
        );
    }
    Ok(requested)
}

fn shopify(s: &mut State, body: &Value) -> Value {
    let query = body["query"].as_str().unwrap_or("");
    let vars = &body["variables"];
    let requested = match price(s, query, vars) {
        Ok(requested) => requested,
        Err(refusal) => return refusal,
    };
    let first = vars["first"].as_u64().unwrap_or(10) as usize;
    let after: usize = vars["after"].as_str().and_then(|c| c.parse().ok()).unwrap_or(0);
    let filter = since(&vars["query"]);
    let data = if query.contains("bulkOperationRunQuery") {
        s.bulk_runs += 1;
        s.bulk = Some((s.bulk_runs, vars["query"].as_str().unwrap_or("").to_owned(), 0));
        let id = gid("BulkOperation", u64::from(s.bulk_runs));
        json!({"bulkOperationRunQuery": {"bulkOperation": {"id": id, "status": "CREATED"}, "userErrors": []}})
    } else if query.contains("currentBulkOperation") {
        let base = s.base_url.clone();
        let failure = s.bulk_failure;
        let Some((n, _, polls)) = s.bulk.as_mut() else {
            return json!({"data": {"currentBulkOperation": null}});
        };
        *polls += 1;
        let (status, url, code) = match failure {
            _ if *polls < 2 => ("RUNNING", Value::Null, Value::Null),
            Some((status, code)) => (status, Value::Null, json!(code)),
            None => ("COMPLETED", json!(format!("{base}/bulk/{n}.jsonl")), Value::Null),
        };
        let op = json!({"id": gid("BulkOperation", u64::from(*n)), "status": status, "errorCode": code, "objectCount": "0", "url": url});
        json!({"currentBulkOperation": op})
    } else if query.contains("shop {") {
        let customers = since(&vars["customers"]);
        let orders = since(&vars["orders"]);
        let nc = s.store.customers.iter().filter(|c| customers.as_ref().is_none_or(|t| &c.updated >= t)).count();
        let no = s.store.orders.iter().filter(|o| orders.as_ref().is_none_or(|t| &o.updated >= t)).count();
        let scopes: Vec<Value> = s.scopes.iter().map(|h| json!({"handle": h})).collect();
        json!({"shop": {"name": "Kahve Dünyası", "currencyCode": "TRY", "timezoneOffsetMinutes": OFFSET_MINUTES},
            "currentAppInstallation": {"accessScopes": scopes},
            "customersCount": {"count": nc}, "ordersCount": {"count": no},
            "allCustomers": {"count": s.store.customers.len()}})
    } else if query.contains("customers(") {
        sorted(s);
        let (order, _, totals) = s.sorted.as_ref().unwrap();
        let list: Vec<&Customer> = order
            .iter()
            .map(|&i| &s.store.customers[i])
            .filter(|c| filter.as_ref().is_none_or(|t| &c.updated >= t))
            .collect();
        let page: Vec<Value> = list
            .iter()
            .skip(after)
            .take(first)
            .map(|c| customer_node(c, totals.get(&c.id).copied().unwrap_or_default(), query))
            .collect();
        let next = after + page.len() < list.len();
        json!({"customers": {"pageInfo": {"hasNextPage": next, "endCursor": (after + page.len()).to_string()}, "nodes": page}})
    } else if query.contains("order(id:") {
        // The rest of one order's lines.
        let id = vars["id"].as_str().unwrap_or("").rsplit('/').next().unwrap_or("").parse::<u64>().unwrap_or(0);
        let Some(o) = s.store.orders.iter().find(|o| o.id == id) else {
            return json!({"data": {"order": null}});
        };
        let per_page = page_size_of(query, "lineItems");
        json!({"order": {"lineItems": lines_page(o, per_page, &vars["after"])}})
    } else if query.contains("orders(") {
        orders_page(s, query, first, after, filter.as_ref())
    } else {
        return json!({"errors": [{"message": "unknown query"}]});
    };
    // Charged what was asked for (Shopify refunds unused points; charging all is stricter).
    s.available = (s.available - f64::from(requested)).max(0.0);
    s.points_spent += f64::from(requested);
    json!({"data": data, "extensions": {"cost": {"requestedQueryCost": requested, "actualQueryCost": requested,
        "throttleStatus": throttle_status(s)}}})
}

/// A page of orders (changed since `filter`), each with its first page of lines.
fn orders_page(s: &mut State, query: &str, first: usize, after: usize, filter: Option<&String>) -> Value {
    sorted(s);
    let order = &s.sorted.as_ref().unwrap().1;
    // Without a filter the pages are slices of the sorted orders (no need to look at every order).
    let (list, skip, base): (Vec<&Order>, usize, usize) = match filter {
        None => (order.iter().skip(after).take(first + 1).map(|&i| &s.store.orders[i]).collect(), 0, after),
        Some(t) => (order.iter().map(|&i| &s.store.orders[i]).filter(|o| &o.updated >= t).collect(), after, 0),
    };
    let lines_per_order = page_size_of(query, "lineItems");
    let page: Vec<Value> = list
        .iter()
        .skip(skip)
        .take(first)
        .map(|o| {
            let mut node = order_node(o);
            node["lineItems"] = lines_page(o, lines_per_order, &Value::Null);
            node
        })
        .collect();
    let next = skip + page.len() < list.len();
    let end = base + skip + page.len();
    json!({"orders": {"pageInfo": {"hasNextPage": next, "endCursor": end.to_string()}, "nodes": page}})
}

/// The page size a query asks of a nested connection (`lineItems(first: 8`).
fn page_size_of(query: &str, connection: &str) -> usize {
    query
        .split(&format!("{connection}(first: "))
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(usize::MAX)
}

/// A page of an order's lines after the cursor (the index of the last one sent).
fn lines_page(o: &Order, per_page: usize, after: &Value) -> Value {
    let start: usize = after.as_str().and_then(|c| c.parse().ok()).unwrap_or(0);
    let nodes: Vec<Value> = o
        .lines
        .iter()
        .skip(start)
        .take(per_page)
        .map(|l| json!({"id": gid("LineItem", l.id), "title": l.title, "sku": l.sku, "quantity": l.quantity}))
        .collect();
    let end = start + nodes.len();
    json!({"pageInfo": {"hasNextPage": end < o.lines.len(), "endCursor": end.to_string()}, "nodes": nodes})
}

/// The JSON Lines of the last bulk export: customers, or orders each followed by
/// its lines (with `__parentId`).
fn bulk_file(s: &mut State) -> String {
    let Some((_, query, _)) = s.bulk.clone() else { return String::new() };
    let filter = query.split("updated_at:>='").nth(1).and_then(|rest| rest.split('\'').next()).map(str::to_owned);
    sorted(s);
    let (corder, oorder, totals) = s.sorted.as_ref().unwrap();
    let mut out = String::new();
    if query.contains("customers") {
        for c in
            corder.iter().map(|&i| &s.store.customers[i]).filter(|c| filter.as_ref().is_none_or(|t| &c.updated >= t))
        {
            out += &customer_node(c, totals.get(&c.id).copied().unwrap_or_default(), &query).to_string();
            out.push('\n');
        }
    } else {
        for o in oorder.iter().map(|&i| &s.store.orders[i]).filter(|o| filter.as_ref().is_none_or(|t| &o.updated >= t))
        {
            let mut node = order_node(o);
            let lines = node.as_object_mut().unwrap().remove("lineItems");
            out += &node.to_string();
            out.push('\n');
            for mut line in
                lines.and_then(|l| l.get("nodes").cloned()).and_then(|n| n.as_array().cloned()).unwrap_or_default()
            {
                line["__parentId"] = json!(gid("Order", o.id));
                out += &line.to_string();
                out.push('\n');
            }
        }
    }
    out
}

/// Customers and orders in the order Shopify's `sortKey: UPDATED_AT` gives them,
/// and each customer's order count and amount spent.
fn sorted(s: &mut State) {
    if s.sorted.is_none() {
        let mut c: Vec<usize> = (0..s.store.customers.len()).collect();
        let cs = &s.store.customers;
        c.sort_by(|&a, &b| cs[a].updated.cmp(&cs[b].updated).then(cs[a].id.cmp(&cs[b].id)));
        let mut o: Vec<usize> = (0..s.store.orders.len()).collect();
        let os = &s.store.orders;
        o.sort_by(|&a, &b| os[a].updated.cmp(&os[b].updated).then(os[a].id.cmp(&os[b].id)));
        s.sorted = Some((c, o, s.store.totals()));
    }
}

fn gid(kind: &str, id: u64) -> String {
    format!("gid://shopify/{kind}/{id}")
}

/// A customer as Shopify answers `query`: the contact fields of its version, SMS
/// consent only when asked for (`null` without a phone, as Shopify does).
fn customer_node(c: &Customer, (n, spent): (usize, f64), query: &str) -> Value {
    let new_email = query.contains("defaultEmailAddress");
    let sms_asked = query.contains("phoneNumber marketingState") || query.contains("smsMarketingConsent");
    let state = if c.subscribed { "SUBSCRIBED" } else { "NOT_SUBSCRIBED" };
    let sms_state = if c.sms_subscribed { "SUBSCRIBED" } else { "UNSUBSCRIBED" };
    let mut node = json!({"id": gid("Customer", c.id), "firstName": c.first, "lastName": c.last,
        "createdAt": c.created, "updatedAt": c.updated, "tags": c.tags, "numberOfOrders": n.to_string(),
        "amountSpent": {"amount": format!("{spent:.2}"), "currencyCode": "TRY"},
        "defaultAddress": {"city": c.city, "provinceCode": c.province_code, "countryCodeV2": c.country, "zip": c.zip}});
    if new_email {
        node["defaultEmailAddress"] = json!({"emailAddress": c.email, "marketingState": state});
        node["defaultPhoneNumber"] = match (c.phone.is_empty(), sms_asked) {
            (true, _) => Value::Null,
            (false, true) => json!({"phoneNumber": c.phone, "marketingState": sms_state}),
            (false, false) => json!({"phoneNumber": c.phone}),
        };
        node["statistics"] = json!({"rfmGroup": c.rfm});
    } else {
        node["email"] = json!(c.email);
        node["phone"] = if c.phone.is_empty() { Value::Null } else { json!(c.phone) };
        node["emailMarketingConsent"] = json!({"marketingState": state});
        if sms_asked {
            node["smsMarketingConsent"] =
                if c.phone.is_empty() { Value::Null } else { json!({"marketingState": sms_state}) };
        }
    }
    node
}

fn order_node(o: &Order) -> Value {
    let lines: Vec<Value> = o
        .lines
        .iter()
        .map(|l| json!({"id": gid("LineItem", l.id), "title": l.title, "sku": l.sku, "quantity": l.quantity}))
        .collect();
    json!({"id": gid("Order", o.id), "name": format!("#{}", o.number), "createdAt": o.created, "updatedAt": o.updated,
        "cancelledAt": o.cancelled, "email": o.email, "displayFinancialStatus": o.status, "sourceName": o.source,
        "customer": o.customer.map(|c| json!({"id": gid("Customer", c)})),
        "totalPriceSet": {"shopMoney": {"amount": format!("{:.2}", o.total), "currencyCode": "TRY"}},
        "totalRefundedSet": {"shopMoney": {"amount": format!("{:.2}", o.refunds.iter().sum::<f64>())}},
        "lineItems": {"pageInfo": {"hasNextPage": false}, "nodes": lines}})
}

fn query_params(path: &str) -> HashMap<String, String> {
    path.split_once('?').map_or_else(HashMap::new, |(_, q)| {
        q.split('&').filter_map(|kv| kv.split_once('=')).map(|(k, v)| (k.to_owned(), v.to_owned())).collect()
    })
}

fn woo(s: &mut State, path: &str, headers: &HashMap<String, String>) -> (u16, String, Value) {
    let params = query_params(path);
    // "ck_test_key:cs_test_secret" in Base64.
    let basic = "Basic Y2tfdGVzdF9rZXk6Y3NfdGVzdF9zZWNyZXQ=";
    let by_header = !s.strips_authorization && headers.get("authorization").map(String::as_str) == Some(basic);
    let by_query = params.get("consumer_key").map(String::as_str) == Some(WOO_KEY)
        && params.get("consumer_secret").map(String::as_str) == Some(WOO_SECRET);
    if !by_header && !by_query {
        return (
            401,
            String::new(),
            json!({"code": "woocommerce_rest_cannot_view", "message": "Sorry, you cannot list resources.", "data": {"status": 401}}),
        );
    }
    let per_page: usize = params.get("per_page").and_then(|v| v.parse().ok()).unwrap_or(10);
    if !(1..=100).contains(&per_page) {
        return (
            400,
            String::new(),
            json!({"code": "rest_invalid_param", "message": "Invalid parameter(s): per_page",
                "data": {"status": 400, "params": {"per_page": "per_page must be between 1 (inclusive) and 100 (inclusive)"}}}),
        );
    }
    let page: usize = params.get("page").and_then(|v| v.parse().ok()).unwrap_or(1).max(1);
    let route = path.split('?').next().unwrap_or("");
    let skip = (page - 1) * per_page;
    let ids_only = params.get("_fields").map(String::as_str) == Some("id");
    let (total, page_items): (usize, Vec<Value>) = if route.ends_with("/wp-json/wc/v3/customers") {
        let all = &s.store.customers;
        let item = |c: &Customer| if ids_only { json!({"id": c.id}) } else { woo_customer(c) };
        (all.len(), all.iter().skip(skip).take(per_page).map(item).collect())
    } else if route.ends_with("/wp-json/wc/v3/orders") {
        let after = params.get("modified_after").cloned();
        sorted(s);
        let order = &s.sorted.as_ref().unwrap().1;
        let list: Vec<&Order> = order
            .iter()
            .map(|&i| &s.store.orders[i])
            .filter(|o| after.as_ref().is_none_or(|t| &o.updated[..19] > t.as_str()))
            .collect();
        let every = s.woo_every_status;
        (list.len(), list.into_iter().skip(skip).take(per_page).map(|o| woo_order(o, every)).collect())
    } else {
        return (
            404,
            String::new(),
            json!({"code": "rest_no_route", "message": "No route was found matching the URL and request method.", "data": {"status": 404}}),
        );
    };
    let pages = total.div_ceil(per_page);
    (200, format!("X-WP-Total: {total}\r\nX-WP-TotalPages: {pages}\r\n"), Value::Array(page_items))
}

fn woo_customer(c: &Customer) -> Value {
    json!({"id": c.id, "email": c.email, "first_name": c.first, "last_name": c.last, "role": "customer",
        "date_created": local(&c.created, false), "date_modified_gmt": &c.updated[..19],
        "billing": {"phone": c.phone, "city": c.city, "state": c.province_code, "country": c.country, "postcode": c.zip, "email": c.email}})
}

/// An order's WooCommerce status and currency; with `every`, the store uses every
/// core status (and a plugin's `awaiting-shipment`) and sells some orders in euros.
pub fn woo_status(o: &Order, every: bool) -> (&'static str, &'static str) {
    let status = match o.status.as_str() {
        "REFUNDED" => "refunded",
        "VOIDED" => "cancelled",
        _ if !every => "completed",
        _ => match o.number % 12 {
            1 => "pending",
            2 => "processing",
            3 => "on-hold",
            4 => "failed",
            5 => "checkout-draft",
            7 => "awaiting-shipment",
            _ => "completed",
        },
    };
    (status, if every && o.number % 40 == 9 { "EUR" } else { "TRY" })
}

fn woo_order(o: &Order, every: bool) -> Value {
    let (status, currency) = woo_status(o, every);
    let refunds: Vec<Value> =
        o.refunds.iter().enumerate().map(|(i, r)| json!({"id": i + 1, "total": format!("-{r:.2}")})).collect();
    let lines: Vec<Value> =
        o.lines.iter().map(|l| json!({"id": l.id, "name": l.title, "sku": l.sku, "quantity": l.quantity})).collect();
    json!({"id": o.id, "number": o.number.to_string(), "status": status, "currency": currency,
        "customer_id": o.customer.unwrap_or(0), "billing": {"email": o.email},
        "date_created": local(&o.created, false), "date_modified_gmt": &o.updated[..19],
        "total": format!("{:.2}", o.total), "created_via": if o.source == "pos" { "admin" } else { "checkout" },
        "refunds": refunds, "line_items": lines})
}
