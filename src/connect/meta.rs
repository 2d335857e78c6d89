//! Meta's Marketing API (Graph v25.0): a custom audience is created once under the
//! ad account (`POST /act_{id}/customaudiences`, subtype `CUSTOM`), then members
//! are added with `POST /{audience}/users` and taken out with `DELETE
//! /{audience}/users`, at most 10,000 rows a request, each send one `session`
//! whose batches are numbered from 1 and the last flagged.

use serde_json::{Value, json};

use super::http::{ApiError, Client, Endpoint, Method};
use crate::engine::audience::Identifier;
use crate::engine::audience::diff::Change;

/// Where the API lives, unless told otherwise.
pub const DEFAULT_ENDPOINT: &str = "https://graph.facebook.com/v25.0";

/// Rows in one request, at most.
pub const BATCH: usize = 10_000;

/// Meta's schema key for an identifier.
pub fn schema_key(id: Identifier) -> &'static str {
    match id {
        Identifier::Email => "EMAIL",
        Identifier::Phone => "PHONE",
        Identifier::FirstName => "FN",
        Identifier::LastName => "LN",
        Identifier::City => "CT",
        Identifier::State => "ST",
        Identifier::Zip => "ZIP",
        Identifier::Country => "COUNTRY",
        Identifier::Gender => "GEN",
        Identifier::BirthYear => "DOBY",
    }
}

/// Whether a member has anything Meta matches a person on (not only country,
/// postal code, gender or birth year, which match nobody alone).
pub fn matchable(identifiers: &[Identifier], values: &[String]) -> bool {
    identifiers.iter().zip(values).any(|(id, v)| {
        !v.is_empty()
            && matches!(id, Identifier::Email | Identifier::Phone | Identifier::FirstName | Identifier::LastName)
    })
}

/// One send's session: an id unique in the ad account, and the batch count.
#[derive(Debug, Clone, Copy)]
pub struct Session {
    pub id: i64,
    pub batches: usize,
    pub rows: usize,
}

impl Session {
    /// A fresh session id (the clock in nanoseconds: unique enough within one account).
    pub fn new(rows: usize, batches: usize) -> Self {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos());
        let id = (nanos as i64).wrapping_abs().max(1);
        Self { id, batches, rows }
    }
}

/// The body of one `users` request: batch `seq` (1-based) of a session.
pub fn users_body(identifiers: &[Identifier], batch: &[Change], session: Session, seq: usize) -> Value {
    let schema: Vec<&str> = identifiers.iter().map(|id| schema_key(*id)).collect();
    let data: Vec<&Vec<String>> = batch.iter().map(|c| &c.values).collect();
    json!({
        "payload": { "schema": schema, "data": data },
        "session": {
            "session_id": session.id,
            "batch_seq": seq,
            "last_batch_flag": seq == session.batches,
            "estimated_num_total": session.rows,
        },
    })
}

/// Meta's error codes that mean "too many calls, try later".
pub fn retry_on_busy(status: u16, body: &str) -> bool {
    if super::http::retry_on_busy(status, body) {
        return true;
    }
    let code = serde_json::from_str::<Value>(body).ok().and_then(|v| v.pointer("/error/code").and_then(Value::as_i64));
    matches!(code, Some(4 | 17 | 32 | 613 | 80003))
}

/// Creates a customer-file custom audience; returns its id.
pub fn create_audience(client: &Client, endpoint: &Endpoint, ad_account: &str, name: &str) -> Result<String, ApiError> {
    let body = json!({
        "name": name,
        "subtype": "CUSTOM",
        "description": "Kitle segment audience",
        "customer_file_source": "USER_PROVIDED_ONLY",
    });
    let url = endpoint.url(&format!("/act_{}/customaudiences", ad_account.trim().trim_start_matches("act_")));
    let answer = client.send_json(Method::Post, &url, &body)?;
    match &answer["id"] {
        Value::String(id) => Ok(id.clone()),
        Value::Number(id) => Ok(id.to_string()),
        _ => Err(ApiError::new(None, format!("Meta created no audience id: {answer}"))),
    }
}

/// Sends Meta the batches of one session; returns rows Meta called invalid.
pub struct MetaSender<'a> {
    pub client: &'a Client,
    pub endpoint: &'a Endpoint,
    pub audience_id: &'a str,
}

impl MetaSender<'_> {
    pub fn send(
        &self,
        method: Method,
        identifiers: &[Identifier],
        batch: &[Change],
        session: Session,
        seq: usize,
    ) -> Result<u64, ApiError> {
        let body = users_body(identifiers, batch, session, seq);
        let answer =
            self.client.send_json(method, &self.endpoint.url(&format!("/{}/users", self.audience_id)), &body)?;
        Ok(answer["num_invalid_entries"].as_u64().unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_users_body_has_the_schema_rows_and_session() {
        let ids = [Identifier::Email, Identifier::Phone, Identifier::Gender];
        let batch = [
            Change { key: "1".into(), values: vec!["e".into(), String::new(), "g".into()] },
            Change { key: "2".into(), values: vec![String::new(), "p".into(), String::new()] },
        ];
        let session = Session { id: 42, batches: 2, rows: 3 };
        let first = users_body(&ids, &batch, session, 1);
        assert_eq!(first["payload"]["schema"], json!(["EMAIL", "PHONE", "GEN"]));
        assert_eq!(first["payload"]["data"], json!([["e", "", "g"], ["", "p", ""]]));
        assert_eq!(
            first["session"],
            json!({"session_id": 42, "batch_seq": 1, "last_batch_flag": false, "estimated_num_total": 3})
        );
        assert_eq!(users_body(&ids, &batch, session, 2)["session"]["last_batch_flag"], true);
    }

    #[test]
    fn rate_limit_codes_are_retried() {
        assert!(retry_on_busy(400, r#"{"error":{"code":80003,"message":"too many"}}"#));
        assert!(retry_on_busy(503, ""));
        assert!(!retry_on_busy(400, r#"{"error":{"code":100,"message":"bad"}}"#));
        assert!(Session::new(1, 1).id > 0);
    }
}
