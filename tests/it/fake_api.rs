//! A fake of Google's Data Manager API and Meta's Marketing API on a loopback
//! port. It checks every request the way the platforms document them (routes,
//! auth header, body shape, batch sizes, hashes, sessions), keeps the audience's
//! members as the platform would, and can be told what to do with the next
//! requests ([`Action`]): answer with an error status, apply a batch and lose the
//! answer, hold the answer back a while, or answer a platform's own error (an
//! expired token, Meta's rate limit, an audience left too small). Adds of a member
//! already there are de-duplicated and removes of a member not there are ignored,
//! as both platforms do.

use std::collections::{HashMap, VecDeque};
use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

pub const TOKEN: &str = "test-token-123";
pub const GOOGLE_ACCOUNT: &str = "1234567890";
pub const GOOGLE_LIST: &str = "555";
pub const META_ACCOUNT: &str = "777";
pub const META_AUDIENCE: &str = "6000";

/// One request as received, and the status it got.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub body: Value,
    pub status: u16,
}

/// What to do with a request (the script's next entry).
#[derive(Debug, Clone)]
pub enum Action {
    Normal,
    /// Answer this status (a scripted failure), changing nothing.
    Status(u16),
    /// Apply the request, then close the connection without an answer.
    LoseAnswer,
    /// Wait this long, then answer normally.
    Hold(std::time::Duration),
    /// Answer this status and body, changing nothing (a platform's own error).
    Error(u16, Value),
}

impl Action {
    /// Google's answer to an expired or revoked token.
    pub fn google_token_expired() -> Self {
        Action::Error(
            401,
            json!({"error": {"code": 401, "status": "UNAUTHENTICATED",
                "message": "Request had invalid authentication credentials. Expected OAuth 2 access token."}}),
        )
    }

    /// Meta's answer to an expired token (an OAuthException, code 190).
    pub fn meta_token_expired() -> Self {
        Action::Error(
            400,
            json!({"error": {"code": 190, "error_subcode": 463, "type": "OAuthException",
                "message": "Error validating access token: Session has expired."}}),
        )
    }

    /// Meta's rate limit on an ad account (code 80003, sent with HTTP 400).
    pub fn meta_rate_limited() -> Self {
        Action::Error(
            400,
            json!({"error": {"code": 80003, "type": "OAuthException",
                "message": "There have been too many calls to this ad-account. Wait a bit and try again."}}),
        )
    }

    /// Meta refusing removals that would leave the audience too small.
    pub fn meta_too_small() -> Self {
        Action::Error(
            400,
            json!({"error": {"code": 100, "type": "OAuthException",
                "message": "Invalid parameter: the audience would be too small after this removal."}}),
        )
    }
}

#[derive(Default)]
pub struct State {
    pub seen: Vec<Seen>,
    /// What to do with the next requests.
    pub script: VecDeque<Action>,
    /// The audience as the platform holds it: member (email hash) → times added.
    pub members: HashMap<String, usize>,
    /// Every accepted add, per member, over the fake's life.
    pub added: HashMap<String, usize>,
    /// Members removed at some point.
    pub removed: std::collections::HashSet<String>,
    /// Meta sessions: id → (batch numbers seen, whether the last was flagged).
    pub sessions: HashMap<i64, (Vec<u64>, bool)>,
    /// What went wrong in a request, if anything did.
    pub invalid: Vec<String>,
}

pub struct FakeApi {
    pub url: String,
    pub state: Arc<Mutex<State>>,
}

impl FakeApi {
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State::default()));
        let shared = Arc::clone(&state);
        #[allow(clippy::disallowed_methods)] // a test's server thread, not the app's work
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                serve(stream, &shared);
            }
        });
        Self { url, state }
    }

    pub fn fail_next(&self, statuses: &[Option<u16>]) {
        self.then(&statuses.iter().map(|s| s.map_or(Action::Normal, Action::Status)).collect::<Vec<_>>());
    }

    /// Scripts what to do with the next requests, in order.
    pub fn then(&self, actions: &[Action]) {
        self.state.lock().unwrap().script.extend(actions.iter().cloned());
    }

    /// Accepted adds of each member over the fake's life (more than one: sent again).
    pub fn adds_of_each(&self) -> Vec<usize> {
        let mut v: Vec<usize> = self.state.lock().unwrap().added.values().copied().collect();
        v.sort_unstable();
        v
    }

    pub fn members(&self) -> Vec<String> {
        let mut m: Vec<String> = self.state.lock().unwrap().members.keys().cloned().collect();
        m.sort();
        m
    }

    /// Requests that changed members (not the Meta audience creation).
    pub fn member_requests(&self) -> Vec<Seen> {
        self.state.lock().unwrap().seen.iter().filter(|s| !s.path.contains("customaudiences")).cloned().collect()
    }

    pub fn assert_valid(&self) {
        self.assert_valid_but_unfinished(0);
    }

    /// Valid, with `unfinished` Meta sessions cut short by a failed batch.
    pub fn assert_valid_but_unfinished(&self, unfinished: usize) {
        let state = self.state.lock().unwrap();
        assert!(state.invalid.is_empty(), "invalid requests: {:#?}", state.invalid);
        assert!(state.added.values().all(|n| *n == 1), "a member was added twice");
        for (id, (seqs, _)) in &state.sessions {
            let expected: Vec<u64> = (1..=seqs.len() as u64).collect();
            assert_eq!(seqs, &expected, "session {id} numbers its batches from 1");
        }
        let flagged = state.sessions.values().filter(|(_, last)| *last).count();
        assert_eq!(flagged + unfinished, state.sessions.len(), "every finished session flags its last batch");
    }
}

fn serve(stream: TcpStream, state: &Arc<Mutex<State>>) {
    let Some((method, path, headers, body)) = crate::fake_store::read_request(&stream) else { return };
    let action = state.lock().unwrap().script.pop_front().unwrap_or(Action::Normal);
    let lost = matches!(action, Action::LoseAnswer);
    let (status, reply) = match action {
        Action::Status(status) => (status, json!({"error": {"code": status, "message": "scripted failure"}})),
        Action::Error(status, error) => (status, error),
        Action::Hold(wait) => {
            std::thread::sleep(wait);
            answer(state, &method, &path, &headers, &body)
        }
        Action::Normal | Action::LoseAnswer => answer(state, &method, &path, &headers, &body),
    };
    state.lock().unwrap().seen.push(Seen { method, path, body, status });
    if lost {
        // Applied, but the answer never comes: the connection just closes.
        return;
    }
    let text = reply.to_string();
    let mut stream = stream;
    let _ = write!(
        stream,
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nRetry-After: 0\r\nConnection: close\r\n\r\n{text}",
        text.len()
    );
}

fn answer(
    state: &Arc<Mutex<State>>,
    method: &str,
    path: &str,
    headers: &HashMap<String, String>,
    body: &Value,
) -> (u16, Value) {
    let mut s = state.lock().unwrap();
    let mut problems = Vec::new();
    if headers.get("authorization").map(String::as_str) != Some(&format!("Bearer {TOKEN}")) {
        problems.push("no bearer token".to_owned());
    }
    if !headers.get("content-type").is_some_and(|c| c.starts_with("application/json")) {
        problems.push("not JSON".to_owned());
    }
    let result = match (method, path) {
        ("POST", "/v1/audienceMembers:ingest") => google(&mut s, body, true, &mut problems),
        ("POST", "/v1/audienceMembers:remove") => google(&mut s, body, false, &mut problems),
        ("POST", p) if p == format!("/act_{META_ACCOUNT}/customaudiences") => {
            if body["subtype"] != "CUSTOM" || body["customer_file_source"] != "USER_PROVIDED_ONLY" {
                problems.push(format!("bad audience: {body}"));
            }
            json!({"id": META_AUDIENCE})
        }
        ("POST" | "DELETE", p) if p == format!("/{META_AUDIENCE}/users") => {
            meta(&mut s, body, method == "POST", &mut problems)
        }
        _ => {
            problems.push(format!("unknown route {method} {path}"));
            Value::Null
        }
    };
    if problems.is_empty() {
        (200, result)
    } else {
        s.invalid.extend(problems.iter().map(|p| format!("{method} {path}: {p}")));
        (400, json!({"error": {"code": 400, "message": problems.join("; ")}}))
    }
}

fn is_hash(v: &Value) -> bool {
    v.as_str().is_some_and(|s| s.len() == 64 && s.chars().all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)))
}

fn google(s: &mut State, body: &Value, ingest: bool, problems: &mut Vec<String>) -> Value {
    let dest = &body["destinations"][0];
    if dest["operatingAccount"] != json!({"accountType": "GOOGLE_ADS", "accountId": GOOGLE_ACCOUNT})
        || dest["productDestinationId"] != GOOGLE_LIST
    {
        problems.push(format!("bad destination {dest}"));
    }
    if body["encoding"] != "HEX" {
        problems.push("encoding is not HEX".to_owned());
    }
    let terms = body["termsOfService"]["customerMatchTermsOfServiceStatus"] == "ACCEPTED";
    let consent = body["consent"]["adUserData"] == "CONSENT_GRANTED";
    if ingest && !(terms && consent) {
        problems.push("ingest without terms or consent".to_owned());
    }
    if !ingest && (!body["consent"].is_null() || !body["termsOfService"].is_null()) {
        problems.push("remove carries consent or terms".to_owned());
    }
    let members = body["audienceMembers"].as_array().cloned().unwrap_or_default();
    if members.is_empty() || members.len() > 10_000 {
        problems.push(format!("{} members in one request", members.len()));
    }
    let mut keys = Vec::new();
    for m in &members {
        let data = if m["userData"].is_null() { &m["compositeData"]["userData"] } else { &m["userData"] };
        let ids = data["userIdentifiers"].as_array().cloned().unwrap_or_default();
        if ids.is_empty() || ids.len() > 10 {
            problems.push(format!("member with {} identifiers", ids.len()));
        }
        for id in &ids {
            let obj = id.as_object().unwrap();
            let ok = obj.len() == 1
                && match obj.keys().next().map(String::as_str) {
                    Some("emailAddress" | "phoneNumber") => is_hash(obj.values().next().unwrap()),
                    Some("address") => {
                        let a = &id["address"];
                        is_hash(&a["givenName"])
                            && is_hash(&a["familyName"])
                            && a["regionCode"].as_str().is_some_and(|r| r.len() == 2)
                    }
                    _ => false,
                };
            if !ok {
                problems.push(format!("bad identifier {id}"));
            }
        }
        keys.push(ids.first().map(|i| i.as_object().unwrap().values().next().unwrap().to_string()).unwrap_or_default());
    }
    if problems.is_empty() {
        apply(s, keys, ingest);
    }
    json!({"requestId": format!("req-{}", s.seen.len())})
}

fn meta(s: &mut State, body: &Value, add: bool, problems: &mut Vec<String>) -> Value {
    let schema_values = body["payload"]["schema"].as_array().cloned().unwrap_or_default();
    let schema: Vec<&str> = schema_values.iter().filter_map(Value::as_str).collect();
    let known = ["EMAIL", "PHONE", "FN", "LN", "CT", "ST", "ZIP", "COUNTRY", "GEN", "DOBY"];
    if schema.is_empty() || schema.iter().any(|k| !known.contains(k)) {
        problems.push(format!("bad schema {schema:?}"));
    }
    let rows = body["payload"]["data"].as_array().cloned().unwrap_or_default();
    if rows.is_empty() || rows.len() > 10_000 {
        problems.push(format!("{} rows in one request", rows.len()));
    }
    let email = schema.iter().position(|k| *k == "EMAIL");
    let mut keys = Vec::new();
    for row in &rows {
        let cells = row.as_array().cloned().unwrap_or_default();
        if cells.len() != schema.len() || cells.iter().any(|c| c != "" && !is_hash(c)) {
            problems.push(format!("bad row {row}"));
        }
        keys.push(email.and_then(|i| cells.get(i)).map(Value::to_string).unwrap_or_default());
    }
    let session = &body["session"];
    let (Some(id), Some(seq)) = (session["session_id"].as_i64(), session["batch_seq"].as_u64()) else {
        problems.push("no session".to_owned());
        return Value::Null;
    };
    if problems.is_empty() {
        let entry = s.sessions.entry(id).or_default();
        entry.0.push(seq);
        entry.1 = session["last_batch_flag"] == true;
        apply(s, keys, add);
    }
    json!({"audience_id": META_AUDIENCE, "session_id": id, "num_received": rows.len(), "num_invalid_entries": 0, "invalid_entry_samples": {}})
}

fn apply(s: &mut State, keys: Vec<String>, add: bool) {
    for key in keys {
        if add {
            *s.members.entry(key.clone()).or_default() += 1;
            *s.added.entry(key).or_default() += 1;
        } else if s.members.remove(&key).is_none() && !s.removed.contains(&key) {
            // Removing a member removed before is harmless (a retried batch);
            // removing someone never added is Kitle's mistake.
            s.invalid.push(format!("removed {key}, who was never a member"));
        } else {
            s.removed.insert(key);
        }
    }
}
