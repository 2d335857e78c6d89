//! Where a platform's access token comes from, in order: given this session (a
//! command-line flag, or typed into the app and held in memory only), or an
//! environment variable. A token is never written to a workspace, a membership
//! file or a log, and it prints as `Token(…)`.

use super::http::Token;
use crate::engine::audience::Platform;

/// Where a token was found, to tell the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenSource {
    /// A flag or the app's prompt: kept for this session only.
    Given,
    /// An environment variable (its name).
    Environment(&'static str),
}

/// The environment variable a platform's token is read from.
pub fn token_variable(platform: Platform) -> &'static str {
    match platform {
        Platform::Meta => "KITLE_META_TOKEN",
        _ => "KITLE_GOOGLE_TOKEN",
    }
}

/// The environment variable that overrides a platform's API endpoint (for tests
/// and proxies).
pub fn endpoint_variable(platform: Platform) -> &'static str {
    match platform {
        Platform::Meta => "KITLE_META_ENDPOINT",
        _ => "KITLE_GOOGLE_ENDPOINT",
    }
}

/// A platform's token: the one given, else the environment's.
pub fn find_token(platform: Platform, given: Option<&str>) -> Option<(Token, TokenSource)> {
    if let Some(token) = given.and_then(Token::new) {
        return Some((token, TokenSource::Given));
    }
    let name = token_variable(platform);
    std::env::var(name).ok().as_deref().and_then(Token::new).map(|t| (t, TokenSource::Environment(name)))
}

/// A platform's endpoint: the one given, else the environment's, else the platform's own.
pub fn endpoint_text(platform: Platform, given: Option<&str>) -> String {
    given
        .map(str::to_owned)
        .or_else(|| std::env::var(endpoint_variable(platform)).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| {
            match platform {
                Platform::Meta => super::meta::DEFAULT_ENDPOINT,
                _ => super::google::DEFAULT_ENDPOINT,
            }
            .to_owned()
        })
}
