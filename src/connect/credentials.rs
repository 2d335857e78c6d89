//! Where a platform's access token comes from, in order: given this session (a
//! command-line flag, or typed into the app and held in memory only), an
//! environment variable, or the OS keychain (the Secret Service on Linux desktops)
//! when the user chose to keep it there. A token is never written to a workspace,
//! a membership file or a log, and it prints as `Token(…)`.

use super::http::Token;
use crate::engine::audience::Platform;

/// Where a token was found, to tell the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenSource {
    /// A flag or the app's prompt: kept for this session only.
    Given,
    /// An environment variable (its name).
    Environment(&'static str),
    /// The OS keychain.
    Keychain,
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

/// A platform's token: the one given, else the environment's (no keychain: asking
/// it can wait on the user unlocking it, so callers do that off the UI thread).
pub fn find_token(platform: Platform, given: Option<&str>) -> Option<(Token, TokenSource)> {
    if let Some(token) = given.and_then(Token::new) {
        return Some((token, TokenSource::Given));
    }
    let name = token_variable(platform);
    std::env::var(name).ok().as_deref().and_then(Token::new).map(|t| (t, TokenSource::Environment(name)))
}

/// [`find_token`], then the keychain.
pub fn find_token_or_keychain(platform: Platform, given: Option<&str>) -> Option<(Token, TokenSource)> {
    find_token(platform, given).or_else(|| keychain::load(platform).map(|t| (t, TokenSource::Keychain)))
}

/// The OS keychain, where one is running: tokens kept there survive the session.
/// Secrets are kept under the service [`keychain::SERVICE`]; `KITLE_KEYCHAIN_SERVICE`
/// or [`keychain::use_service`] name another, so tests never touch the user's own.
pub mod keychain {
    use super::{Platform, Token};
    use std::sync::Mutex;

    /// The service name Kitle's secrets are kept under.
    pub const SERVICE: &str = "kitle";

    /// The service chosen in this process, if not [`SERVICE`].
    static CHOSEN: Mutex<Option<String>> = Mutex::new(None);

    /// Keeps this process's secrets under another service name (tests, portable installs).
    pub fn use_service(name: &str) {
        if let Ok(mut chosen) = CHOSEN.lock() {
            *chosen = Some(name.to_owned());
        }
    }

    /// The service in use: [`use_service`]'s, else `KITLE_KEYCHAIN_SERVICE`, else [`SERVICE`].
    pub fn service() -> String {
        let chosen = CHOSEN.lock().ok().and_then(|c| c.clone());
        chosen
            .or_else(|| std::env::var("KITLE_KEYCHAIN_SERVICE").ok().filter(|s| !s.trim().is_empty()))
            .unwrap_or_else(|| SERVICE.to_owned())
    }

    /// The account name a platform's token is kept under.
    pub fn platform_account(platform: Platform) -> &'static str {
        match platform {
            Platform::Meta => "meta-access-token",
            _ => "google-access-token",
        }
    }

    #[cfg(target_os = "linux")]
    fn entry_for(service: &str, account: &str) -> Option<keyring_core::Entry> {
        use std::sync::OnceLock;
        static STORE: OnceLock<bool> = OnceLock::new();
        let ready = *STORE.get_or_init(|| match zbus_secret_service_keyring_store::Store::new() {
            Ok(store) => {
                keyring_core::set_default_store(store);
                true
            }
            Err(_) => false,
        });
        ready.then(|| keyring_core::Entry::new(service, account).ok()).flatten()
    }

    #[cfg(not(target_os = "linux"))]
    fn entry_for(_service: &str, _account: &str) -> Option<NoKeychain> {
        None
    }

    /// Stands in for an entry where Kitle has no keychain support.
    #[cfg(not(target_os = "linux"))]
    struct NoKeychain;

    #[cfg(not(target_os = "linux"))]
    impl NoKeychain {
        fn get_password(&self) -> Result<String, String> {
            Err(String::new())
        }
        fn set_password(&self, _: &str) -> Result<(), String> {
            Err(String::new())
        }
        fn delete_credential(&self) -> Result<(), String> {
            Err(String::new())
        }
    }

    /// Whether a keychain answers (asks it; call off the UI thread).
    pub fn available() -> bool {
        entry_for(&service(), platform_account(Platform::Google)).is_some()
    }

    /// The token kept for a platform, if any.
    pub fn load(platform: Platform) -> Option<Token> {
        load_in(&service(), platform_account(platform))
    }

    /// Keeps a platform's token in the keychain.
    pub fn save(platform: Platform, token: &Token) -> Result<(), String> {
        save_in(&service(), platform_account(platform), token)
    }

    /// Removes a platform's token from the keychain.
    pub fn forget(platform: Platform) -> Result<(), String> {
        forget_in(&service(), platform_account(platform))
    }

    /// The secret kept under an account name (a store's token or keys), if any.
    pub fn load_account(account: &str) -> Option<Token> {
        load_in(&service(), account)
    }

    /// Keeps a secret under an account name.
    pub fn save_account(account: &str, token: &Token) -> Result<(), String> {
        save_in(&service(), account, token)
    }

    /// Removes the secret kept under an account name.
    pub fn forget_account(account: &str) -> Result<(), String> {
        forget_in(&service(), account)
    }

    /// The secret kept under a service and account, if any.
    pub fn load_in(service: &str, account: &str) -> Option<Token> {
        entry_for(service, account)?.get_password().ok().as_deref().and_then(Token::new)
    }

    /// Keeps a secret under a service and account.
    pub fn save_in(service: &str, account: &str, token: &Token) -> Result<(), String> {
        let entry = entry_for(service, account).ok_or_else(|| "No system keychain is running.".to_owned())?;
        entry.set_password(token.secret()).map_err(|e| e.to_string())
    }

    /// Removes the secret kept under a service and account (nothing kept is already forgotten).
    pub fn forget_in(service: &str, account: &str) -> Result<(), String> {
        let entry = entry_for(service, account).ok_or_else(|| "No system keychain is running.".to_owned())?;
        deleted(entry.delete_credential())
    }

    /// A deletion's outcome: nothing kept under that name is already forgotten.
    #[cfg(target_os = "linux")]
    fn deleted(result: Result<(), keyring_core::Error>) -> Result<(), String> {
        match result {
            Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
            Err(e) => Err(e.to_string()),
        }
    }

    #[cfg(not(target_os = "linux"))]
    fn deleted(result: Result<(), String>) -> Result<(), String> {
        result
    }
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
