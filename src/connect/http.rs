//! JSON over HTTPS with the rules every platform call shares: an endpoint is
//! HTTPS, or plain HTTP to this machine only (the tests' fake servers); the token
//! goes in a header (or, for WooCommerce servers that drop headers, the query
//! string, which no message ever shows), and never in a message; 429 and 5xx
//! answers (and dropped connections) are retried with backoff, honouring
//! `Retry-After`.

use std::time::Duration;

use serde_json::Value;

/// A platform API's base URL, checked: `https://…`, or `http://` to a loopback address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint(String);

impl Endpoint {
    pub fn parse(text: &str) -> Result<Self, ApiError> {
        let text = text.trim().trim_end_matches('/');
        let bad = |why: &str| ApiError::new(None, format!("The endpoint \"{text}\" can't be used: {why}."));
        let (scheme, rest) = text.split_once("://").ok_or_else(|| bad("it is not a URL"))?;
        let host = rest.split('/').next().unwrap_or("");
        let host = if host.starts_with('[') {
            host.split(']').next().map_or("", |h| h.trim_start_matches('['))
        } else {
            host.split(':').next().unwrap_or("")
        };
        if host.is_empty() {
            return Err(bad("it names no host"));
        }
        match scheme.to_ascii_lowercase().as_str() {
            "https" => Ok(Self(text.to_owned())),
            "http" if is_loopback(host) => Ok(Self(text.to_owned())),
            "http" => Err(bad("plain HTTP is only allowed to this machine (127.0.0.1, localhost); use https")),
            _ => Err(bad("use https")),
        }
    }

    /// The URL of a path under the endpoint (`path` starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.0)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// An access token. It prints as `Token(…)`, so it can't leak into a log or message.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    pub fn new(text: &str) -> Option<Self> {
        let text = text.trim();
        (!text.is_empty()).then(|| Self(text.to_owned()))
    }

    /// The secret itself, for the keychain (the only place it is written).
    pub(super) fn secret(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(…)")
    }
}

/// A call that did not succeed: the HTTP status (none when no answer came) and
/// what the platform said.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ApiError {
    pub status: Option<u16>,
    pub message: String,
    /// The platform's own error code (`error.code` in Google's and Meta's answers).
    pub code: Option<i64>,
}

impl ApiError {
    pub fn new(status: Option<u16>, message: impl Into<String>) -> Self {
        Self { status, message: message.into(), code: None }
    }

    /// The error for the reader: in English what the platform or the network said;
    /// in Turkish what happened in words (from the status), with the platform's own
    /// text kept as a detail.
    pub fn text(&self, lang: crate::format::Lang) -> String {
        use crate::i18n::t;
        if lang == crate::format::Lang::En {
            return self.message.clone();
        }
        let key = match self.status {
            None => "net.no_answer",
            Some(401 | 403) => "net.denied",
            Some(404) => "net.not_found",
            Some(429) => "net.too_many",
            Some(400..=499) => "net.refused",
            Some(_) => "net.platform_error",
        };
        t(lang, "net.with_detail").replace("{0}", t(lang, key)).replace("{1}", &self.message)
    }
}

/// How often and how long to retry.
#[derive(Debug, Clone, Copy)]
pub struct Retry {
    /// Tries in all, the first included.
    pub attempts: u32,
    /// The first wait when the platform gives no `Retry-After`; doubled each time.
    pub base: Duration,
    /// No wait is longer than this.
    pub longest: Duration,
}

impl Default for Retry {
    fn default() -> Self {
        Self { attempts: 5, base: Duration::from_millis(500), longest: Duration::from_secs(60) }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Delete,
}

/// How a call proves who it is.
#[derive(Debug, Clone)]
pub enum Auth {
    /// `Authorization: Bearer …` (Google, Meta, AI endpoints).
    Bearer(Token),
    /// The token in a header of its own (Shopify's `X-Shopify-Access-Token`).
    Header(&'static str, Token),
    /// HTTP Basic (WooCommerce's consumer key and secret).
    Basic(Token, Token),
    /// Nothing in the headers (the URL carries the keys).
    None,
}

/// A successful answer: the JSON body and the headers worth reading.
#[derive(Debug, Clone)]
pub struct Answer {
    pub body: Value,
    /// Lowercased header names with their values.
    pub headers: Vec<(String, String)>,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// A URL as messages may show it: without its query string (which can hold keys).
pub fn shown_url(url: &str) -> &str {
    url.split('?').next().unwrap_or(url)
}

/// One platform's connection: an agent, the credentials, and the retry policy.
pub struct Client {
    agent: ureq::Agent,
    auth: Auth,
    retry: Retry,
    /// Whether an error answer (status and body) is worth retrying.
    retry_on: fn(u16, &str) -> bool,
}

/// 429 (too many requests) and 5xx (the platform's trouble).
pub fn retry_on_busy(status: u16, _body: &str) -> bool {
    status == 429 || status >= 500
}

impl Client {
    pub fn new(token: Token, retry: Retry, retry_on: fn(u16, &str) -> bool) -> Self {
        Self::with_auth(Auth::Bearer(token), retry, retry_on)
    }

    pub fn with_auth(auth: Auth, retry: Retry, retry_on: fn(u16, &str) -> bool) -> Self {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(120)))
            .user_agent(concat!("kitle/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Self { agent, auth, retry, retry_on }
    }

    /// Sends a JSON body and returns the JSON answer, retrying what is worth it.
    /// The error of the last try is returned when every try failed.
    pub fn send_json(&self, method: Method, url: &str, body: &Value) -> Result<Value, ApiError> {
        self.request(method, url, Some(body)).map(|a| a.body)
    }

    /// A GET of a JSON resource, with its headers (pagination totals).
    pub fn get_json(&self, url: &str) -> Result<Answer, ApiError> {
        self.request(Method::Get, url, None)
    }

    /// A GET of a large text file (a bulk export's JSON lines), read as it arrives.
    /// Starting the download is retried like any call; the file itself is not.
    pub fn get_reader(&self, url: &str) -> Result<Box<dyn std::io::BufRead + Send>, ApiError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let failure = match self.agent.get(url).call() {
                Ok(response) if response.status().is_success() => {
                    let reader = response.into_body().into_with_config().limit(u64::MAX).reader();
                    return Ok(Box::new(std::io::BufReader::with_capacity(1 << 20, reader)));
                }
                Ok(response) => {
                    let status = response.status().as_u16();
                    let error = ApiError::new(Some(status), format!("HTTP {status} from {}", shown_url(url)));
                    (error, (self.retry_on)(status, ""))
                }
                Err(e) => (ApiError::new(None, format!("No answer from {}: {e}", shown_url(url))), true),
            };
            if !failure.1 || attempt >= self.retry.attempts {
                return Err(failure.0);
            }
            let backoff = self.retry.base.saturating_mul(1 << (attempt - 1).min(16));
            std::thread::sleep(backoff.min(self.retry.longest));
        }
    }

    /// Sends a request (with a JSON body, or none), retrying what is worth it.
    pub fn request(&self, method: Method, url: &str, body: Option<&Value>) -> Result<Answer, ApiError> {
        let text = body.map(Value::to_string);
        let mut attempt = 0;
        loop {
            attempt += 1;
            let (error, wait) = match self.send_once(method, url, text.as_deref()) {
                Ok(answer) => return Ok(answer),
                Err(failure) => failure,
            };
            let Some(wait) = wait.filter(|_| attempt < self.retry.attempts) else {
                return Err(error);
            };
            let backoff = self.retry.base.saturating_mul(1 << (attempt - 1).min(16));
            std::thread::sleep(wait.unwrap_or(backoff).min(self.retry.longest));
        }
    }

    /// One try. On failure: the error, and `Some(wait)` when it is worth retrying
    /// (`wait` is the platform's `Retry-After`, if it gave one).
    #[allow(clippy::type_complexity)]
    fn send_once(
        &self,
        method: Method,
        url: &str,
        body: Option<&str>,
    ) -> Result<Answer, (ApiError, Option<Option<Duration>>)> {
        let (name, value) = match &self.auth {
            Auth::Bearer(token) => ("Authorization", format!("Bearer {}", token.0)),
            Auth::Header(name, token) => (*name, token.0.clone()),
            Auth::Basic(user, password) => ("Authorization", format!("Basic {}", basic(&user.0, &password.0))),
            Auth::None => ("Accept", "application/json".to_owned()),
        };
        let sent = match (method, body) {
            (Method::Get, _) => self.agent.get(url).header(name, &value).call(),
            (Method::Post, body) => {
                self.agent.post(url).header(name, &value).content_type("application/json").send(body.unwrap_or("{}"))
            }
            (Method::Delete, body) => self
                .agent
                .delete(url)
                .force_send_body()
                .header(name, &value)
                .content_type("application/json")
                .send(body.unwrap_or("{}")),
        };
        let mut response = match sent {
            Ok(response) => response,
            // No answer (refused, reset, timed out): worth another try.
            Err(e) => {
                let error = ApiError::new(None, format!("No answer from {}: {e}", shown_url(url)));
                return Err((error, Some(None)));
            }
        };
        let status = response.status().as_u16();
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .filter_map(|(k, v)| Some((k.as_str().to_ascii_lowercase(), v.to_str().ok()?.to_owned())))
            .collect();
        let retry_after = headers
            .iter()
            .find(|(k, _)| k == "retry-after")
            .and_then(|(_, v)| v.trim().parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map(Duration::from_secs_f64);
        let text = response.body_mut().with_config().limit(1 << 30).read_to_string().unwrap_or_default();
        if (200..300).contains(&status) {
            return Ok(Answer { body: serde_json::from_str(&text).unwrap_or(Value::Null), headers });
        }
        let mut error = ApiError::new(Some(status), format!("HTTP {status}: {}", platform_message(&text)));
        error.code = serde_json::from_str::<Value>(&text).ok().and_then(|v| v.pointer("/error/code")?.as_i64());
        let again = (self.retry_on)(status, &text).then_some(retry_after);
        Err((error, again))
    }
}

/// Base64 of `user:password`, as HTTP Basic wants it.
fn basic(user: &str, password: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
}

/// The human part of an error answer: Google's and Meta's `error.message`, or the
/// start of the body.
fn platform_message(body: &str) -> String {
    let parsed: Option<Value> = serde_json::from_str(body).ok();
    // Google and Meta: `error.message`; WooCommerce: `message`; Shopify: `errors`.
    let message = parsed.as_ref().and_then(|v| {
        v.pointer("/error/message")
            .or_else(|| v.get("message"))
            .or_else(|| v.get("errors").filter(|e| e.is_string()))
            .and_then(Value::as_str)
    });
    match message {
        Some(m) => m.to_owned(),
        None => body.chars().take(300).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_are_https_or_loopback() {
        assert!(Endpoint::parse("https://datamanager.googleapis.com/").is_ok());
        assert_eq!(
            Endpoint::parse("https://graph.facebook.com/v25.0/").unwrap().url("/x"),
            "https://graph.facebook.com/v25.0/x"
        );
        for ok in ["http://127.0.0.1:8080", "http://localhost:9/v1", "http://[::1]:80"] {
            assert!(Endpoint::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["http://example.com", "http://10.0.0.1:80", "ftp://127.0.0.1", "example.com", "http://"] {
            assert!(Endpoint::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_token_never_prints() {
        let token = Token::new(" secret-123 ").unwrap();
        assert_eq!(format!("{token:?}"), "Token(…)");
        assert!(Token::new("  ").is_none());
    }

    #[test]
    fn basic_auth_is_base64() {
        // RFC 7617's example.
        assert_eq!(basic("Aladdin", "open sesame"), "QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        assert_eq!(basic("a", "b"), "YTpi");
        assert_eq!(basic("ab", "c"), "YWI6Yw==");
    }

    #[test]
    fn shown_urls_hide_the_query() {
        assert_eq!(shown_url("https://x/wp-json/wc/v3/orders?consumer_secret=cs_1"), "https://x/wp-json/wc/v3/orders");
    }

    #[test]
    fn errors_are_said_in_turkish_with_the_platforms_words_kept() {
        use crate::format::Lang;
        let e = ApiError::new(Some(401), "Invalid OAuth access token.");
        assert_eq!(e.text(Lang::En), "Invalid OAuth access token.");
        let tr = e.text(Lang::Tr);
        assert!(tr.starts_with("Platform erişimi reddetti") && tr.contains("Invalid OAuth access token."), "{tr}");
        assert!(ApiError::new(None, "No answer from x").text(Lang::Tr).starts_with("Sunucuya ulaşılamadı"));
        assert!(ApiError::new(Some(503), "busy").text(Lang::Tr).starts_with("Platformda bir hata"));
    }

    #[test]
    fn error_messages_come_from_the_platform() {
        assert_eq!(platform_message(r#"{"code":"woocommerce_rest_cannot_view","message":"Sorry"}"#), "Sorry");
        assert_eq!(
            platform_message(r#"{"errors":"[API] Invalid API key or access token"}"#),
            "[API] Invalid API key or access token"
        );
        assert_eq!(platform_message(r#"{"error":{"code":400,"message":"Bad list"}}"#), "Bad list");
        assert_eq!(platform_message("oops"), "oops");
    }
}
