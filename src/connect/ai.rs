//! The optional AI narrative of a persona's fit: an OpenAI-compatible chat
//! endpoint (a local model server, say) the user configured, off by default. Only
//! the aggregate figures of the fit are sent — the persona's name and traits, and
//! per trait the shares, lift and verdict; what it misses as shares — never a
//! customer row or identifier. [`request_body`] builds exactly what is sent, so
//! the app can show it before the first call.

use serde_json::{Value, json};

use super::http::{ApiError, Client, Endpoint, Method, Retry, Token, retry_on_busy};
use crate::engine::persona::Persona;
use crate::engine::persona::fit::Fit;

/// The figures sent: aggregates only.
pub fn aggregates(persona: &Persona, fit: &Fit) -> Value {
    let traits: Vec<Value> = fit
        .traits
        .iter()
        .map(|t| {
            json!({
                "trait": t.trait_text, "support": t.support, "base": t.base, "lift": t.lift,
                "known": t.known, "verdict": t.verdict,
            })
        })
        .collect();
    let missed: Vec<Value> = fit
        .missed
        .iter()
        .take(8)
        .map(|m| json!({"field": m.field, "value": m.value, "support": m.support, "base": m.base, "lift": m.lift}))
        .collect();
    json!({
        "persona": persona.name,
        "segment_members": fit.members,
        "coverage": fit.coverage,
        "joint_share": fit.joint_share,
        "score": fit.score,
        "traits": traits,
        "missed": missed,
    })
}

/// The chat request: a system prompt, and the aggregates as the user message.
pub fn request_body(model: &str, persona: &Persona, fit: &Fit, language: &str) -> Value {
    let system = format!(
        "You are a marketing analyst. From the aggregate figures given (shares of a customer segment and of all \
         customers), write a short narrative in {language} on how well the persona describes the segment: what \
         holds, what does not, and what the persona misses. Use only the figures given; invent nothing."
    );
    json!({
        "model": model,
        "messages": [
            {"role": "system", "content": system},
            {"role": "user", "content": aggregates(persona, fit).to_string()},
        ],
        "temperature": 0.2,
    })
}

/// Sends the request to `{endpoint}/chat/completions`; returns the narrative.
pub fn ask(endpoint: &Endpoint, key: Option<Token>, body: &Value) -> Result<String, ApiError> {
    // Local servers often need no key; the header then carries a placeholder.
    let token = key.or_else(|| Token::new("none")).ok_or_else(|| ApiError::new(None, "no key"))?;
    let client = Client::new(token, Retry { attempts: 2, ..Retry::default() }, retry_on_busy);
    let answer = client.send_json(Method::Post, &endpoint.url("/chat/completions"), body)?;
    answer
        .pointer("/choices/0/message/content")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| ApiError::new(None, format!("The endpoint answered without a message: {answer}")))
}
