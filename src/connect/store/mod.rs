//! Pulling a store's customers and orders through its API into the local copy
//! ([`crate::engine::store`]). [`shopify`] and [`woocommerce`] page through their
//! platform's API and hand each customer and order over as rows of the copy's
//! tables; [`sync`] merges them into the previous copy and counts what changed.
//! Nothing is kept until the whole pull succeeded, so a failed refresh leaves the
//! last good copy as it was. Credentials come from the caller, an environment
//! variable or the OS keychain, never from a file.

pub mod shopify;
mod shopify_bulk;
pub mod shopify_cost;
pub mod woocommerce;

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use super::credentials::{TokenSource, keychain};
use super::http::{ApiError, Retry, Token};
use crate::engine::import::Progress;
use crate::engine::store::{StoreCopy, StorePlatform, StoreSource, SyncChanges};

/// A store's credentials: Shopify's access token (older custom apps) or a Dev
/// Dashboard app's client id and secret (exchanged for a token that expires), or
/// WooCommerce's key and secret.
#[derive(Debug, Clone)]
pub enum StoreCredentials {
    Token(Token),
    ClientCredentials { client_id: Token, client_secret: Token },
    Keys { key: Token, secret: Token },
}

/// The variables a Shopify app's client id and secret are read from by default.
pub const SHOPIFY_CLIENT_ENV: [&str; 2] = ["KITLE_SHOPIFY_CLIENT_ID", "KITLE_SHOPIFY_CLIENT_SECRET"];

/// The environment variables credentials are read from by default.
pub fn default_env(platform: StorePlatform) -> Vec<String> {
    match platform {
        StorePlatform::Shopify => vec!["KITLE_SHOPIFY_TOKEN".to_owned()],
        StorePlatform::WooCommerce => vec!["KITLE_WOO_KEY".to_owned(), "KITLE_WOO_SECRET".to_owned()],
    }
}

/// The keychain accounts of a store's secrets.
fn accounts(source: &StoreSource) -> Vec<String> {
    let store = source.store.trim().to_ascii_lowercase();
    match source.platform {
        StorePlatform::Shopify => vec![format!("shopify:{store}")],
        StorePlatform::WooCommerce => vec![format!("woocommerce-key:{store}"), format!("woocommerce-secret:{store}")],
    }
}

/// The keychain accounts of a Shopify app's client id and secret.
fn client_accounts(source: &StoreSource) -> Vec<String> {
    let store = source.store.trim().to_ascii_lowercase();
    vec![format!("shopify-client-id:{store}"), format!("shopify-client-secret:{store}")]
}

fn from_texts(platform: StorePlatform, texts: &[Option<Token>]) -> Option<StoreCredentials> {
    match (platform, texts) {
        // One text is a token; two are an app's client id and secret (both needed).
        (StorePlatform::Shopify, [Some(token)]) => Some(StoreCredentials::Token(token.clone())),
        (StorePlatform::Shopify, [Some(client_id), Some(client_secret)]) => Some(StoreCredentials::ClientCredentials {
            client_id: client_id.clone(),
            client_secret: client_secret.clone(),
        }),
        (StorePlatform::WooCommerce, [Some(key), Some(secret), ..]) => {
            Some(StoreCredentials::Keys { key: key.clone(), secret: secret.clone() })
        }
        _ => None,
    }
}

/// A store's credentials: those given (a flag, the app's fields), else the
/// environment's (the source's variables, or the defaults). No keychain: asking it
/// can wait on the user, so [`find_credentials_or_keychain`] does that off the UI thread.
pub fn find_credentials(source: &StoreSource, given: &[&str]) -> Option<(StoreCredentials, TokenSource)> {
    let given: Vec<Option<Token>> = given.iter().map(|t| Token::new(t)).collect();
    if let Some(found) = from_texts(source.platform, &given) {
        return Some((found, TokenSource::Given));
    }
    let names =
        if source.credential_env.is_empty() { default_env(source.platform) } else { source.credential_env.clone() };
    let texts: Vec<Option<Token>> =
        names.iter().map(|n| std::env::var(n).ok().as_deref().and_then(Token::new)).collect();
    let first: &'static str = if names == default_env(source.platform) {
        match source.platform {
            StorePlatform::Shopify => "KITLE_SHOPIFY_TOKEN",
            StorePlatform::WooCommerce => "KITLE_WOO_KEY",
        }
    } else {
        "the workspace's variable"
    };
    if let Some(found) = from_texts(source.platform, &texts) {
        return Some((found, TokenSource::Environment(first)));
    }
    // A Shopify store made without naming variables: a Dev Dashboard app's id and
    // secret in the default variables serve as well as a token.
    if source.platform == StorePlatform::Shopify && names == default_env(source.platform) {
        let texts: Vec<Option<Token>> =
            SHOPIFY_CLIENT_ENV.iter().map(|n| std::env::var(n).ok().as_deref().and_then(Token::new)).collect();
        if let Some(found) = from_texts(source.platform, &texts) {
            return Some((found, TokenSource::Environment(SHOPIFY_CLIENT_ENV[0])));
        }
    }
    None
}

/// [`find_credentials`], then the keychain.
pub fn find_credentials_or_keychain(source: &StoreSource, given: &[&str]) -> Option<(StoreCredentials, TokenSource)> {
    find_credentials(source, given).or_else(|| {
        let load = |accounts: Vec<String>| -> Vec<Option<Token>> {
            accounts.iter().map(|a| keychain::load_account(a)).collect()
        };
        let found = from_texts(source.platform, &load(accounts(source)));
        let found = match (found, source.platform) {
            (None, StorePlatform::Shopify) => from_texts(source.platform, &load(client_accounts(source))),
            (found, _) => found,
        };
        found.map(|c| (c, TokenSource::Keychain))
    })
}

/// Keeps a store's credentials in the OS keychain.
pub fn remember_credentials(source: &StoreSource, credentials: &StoreCredentials) -> Result<(), String> {
    let (accounts, secrets) = match credentials {
        StoreCredentials::Token(t) => (accounts(source), vec![t]),
        StoreCredentials::ClientCredentials { client_id, client_secret } => {
            (client_accounts(source), vec![client_id, client_secret])
        }
        StoreCredentials::Keys { key, secret } => (accounts(source), vec![key, secret]),
    };
    for (account, secret) in accounts.iter().zip(secrets) {
        keychain::save_account(account, secret)?;
    }
    Ok(())
}

/// Removes a store's credentials from the OS keychain.
pub fn forget_credentials(source: &StoreSource) -> Result<(), String> {
    let mut all = accounts(source);
    if source.platform == StorePlatform::Shopify {
        all.extend(client_accounts(source));
    }
    all.iter().try_for_each(|a| keychain::forget_account(a))
}

/// How far a pull is, for the progress shown while it runs.
#[derive(Debug, Default)]
pub struct SyncCounts {
    pub customers: AtomicUsize,
    pub orders: AtomicUsize,
    /// What the store said it would send (0 when it did not say).
    pub customers_expected: AtomicUsize,
    pub orders_expected: AtomicUsize,
}

impl SyncCounts {
    /// (customers, orders) pulled so far.
    pub fn pulled(&self) -> (usize, usize) {
        (self.customers.load(Ordering::Relaxed), self.orders.load(Ordering::Relaxed))
    }

    fn fraction(&self) -> Option<f64> {
        let expected = self.customers_expected.load(Ordering::Relaxed) + self.orders_expected.load(Ordering::Relaxed);
        let (c, o) = self.pulled();
        (expected > 0).then(|| (c + o) as f64 / expected as f64)
    }
}

/// Why a sync stopped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyncError {
    #[error("{0}")]
    Api(#[from] ApiError),
    #[error("The sync was cancelled; the local copy was kept as it was.")]
    Cancelled,
    #[error("The store's data was pulled but could not be saved in {0}")]
    Save(String),
}

/// A sync's settings (tests shorten the waits).
#[derive(Debug, Clone)]
pub struct SyncOptions {
    pub retry: Retry,
    /// A throttled request is tried again at most this many times.
    pub throttle_tries: u32,
    /// Shopify pulls of at least this many customers (or orders) use a bulk export.
    pub bulk_from: usize,
    /// How often a running bulk export is asked how far it is.
    pub bulk_poll: Duration,
    /// What rate-limit waits wait on (tests: a manual clock shared with the fake store).
    pub clock: super::clock::Clock,
}

impl Default for SyncOptions {
    fn default() -> Self {
        Self {
            retry: Retry::default(),
            throttle_tries: 20,
            bulk_from: 5_000,
            bulk_poll: Duration::from_secs(2),
            clock: super::clock::Clock::default(),
        }
    }
}

/// What a sync brought: the new copy, what changed, and what it learnt of the store.
#[derive(Debug, Clone)]
pub struct Synced {
    pub copy: StoreCopy,
    pub changes: SyncChanges,
    /// The store's name, when it said.
    pub shop_name: Option<String>,
    /// WooCommerce only took the keys in the query string.
    pub keys_in_query: bool,
}

/// Where the rows a connector pulls go: merged into the copy as they come.
pub struct Merge<'a> {
    copy: StoreCopy,
    changes: SyncChanges,
    counts: &'a SyncCounts,
    progress: &'a Progress,
    /// Orders whose lines were pulled again (their old lines are replaced).
    lines_of: HashSet<String>,
    new_lines: Vec<Vec<String>>,
    customers_updated_at: Option<String>,
    orders_updated_at: Option<String>,
    clock: super::clock::Clock,
}

impl Merge<'_> {
    /// The cursor of the previous sync, for "changed since" queries.
    pub fn customers_since(&self) -> Option<&str> {
        self.copy.state.customers_updated_at.as_deref()
    }

    pub fn orders_since(&self) -> Option<&str> {
        self.copy.state.orders_updated_at.as_deref()
    }

    pub fn expect(&self, customers: Option<usize>, orders: Option<usize>) {
        if let Some(c) = customers {
            self.counts.customers_expected.store(c, Ordering::Relaxed);
        }
        if let Some(o) = orders {
            self.counts.orders_expected.store(o, Ordering::Relaxed);
        }
    }

    pub fn customer(&mut self, row: Vec<String>, updated_at: &str) {
        let merged = self.copy.customers.upsert(row);
        self.changes.count_customer(merged);
        latest(&mut self.customers_updated_at, updated_at);
        self.counts.customers.fetch_add(1, Ordering::Relaxed);
    }

    pub fn order(&mut self, row: Vec<String>, lines: Vec<Vec<String>>, updated_at: &str) {
        self.lines_of.insert(row[0].clone());
        self.new_lines.extend(lines);
        let merged = self.copy.orders.upsert(row);
        self.changes.count_order(merged);
        latest(&mut self.orders_updated_at, updated_at);
        self.counts.orders.fetch_add(1, Ordering::Relaxed);
    }

    /// Whether the copy had customers before this pull (a refresh): only then is
    /// there anything the store may have deleted since.
    pub fn is_refresh(&self) -> bool {
        !self.copy.customers.is_empty()
    }

    /// Keeps only the customers whose ids the store still lists: the others were
    /// deleted or erased there (a KVKK/GDPR request), so they leave the copy with
    /// their orders and those orders' lines, and never reach another push.
    pub fn keep_only_customers(&mut self, listed: &HashSet<String>) {
        let gone: HashSet<String> =
            self.copy.customers.keys().filter(|id| !listed.contains(*id)).map(str::to_owned).collect();
        if gone.is_empty() {
            return;
        }
        let orders: HashSet<String> =
            self.copy.orders.rows.iter().filter(|r| gone.contains(&r[1])).map(|r| r[0].clone()).collect();
        self.copy.customers.remove_where(0, &gone);
        self.copy.orders.remove_where(1, &gone);
        self.copy.lines.remove_where(1, &orders);
        self.new_lines.retain(|line| !orders.contains(&line[1]));
        self.changes.customers_deleted += gone.len();
    }

    pub fn state(&mut self) -> &mut crate::engine::store::SyncState {
        &mut self.copy.state
    }

    /// Reports progress; an error once the user cancelled.
    pub fn check(&self) -> Result<(), SyncError> {
        if let Some(f) = self.counts.fraction() {
            self.progress.set_fraction(f.min(0.99));
        }
        if self.progress.is_cancelled() { Err(SyncError::Cancelled) } else { Ok(()) }
    }

    /// Waits (for the platform's rate limit), in short steps so a cancel is heard.
    pub fn wait(&self, time: Duration) -> Result<(), SyncError> {
        let step = if self.clock.is_manual() { Duration::MAX } else { Duration::from_millis(50) };
        let mut left = time.min(Duration::from_secs(120));
        while !left.is_zero() {
            self.check()?;
            let now = left.min(step);
            self.clock.sleep(now);
            left -= now;
        }
        self.check()
    }

    fn finish(mut self) -> (StoreCopy, SyncChanges) {
        self.copy.lines.remove_where(1, &self.lines_of);
        for line in self.new_lines {
            self.copy.lines.upsert(line);
        }
        let state = &mut self.copy.state;
        state.customers_updated_at = self.customers_updated_at.or(state.customers_updated_at.take());
        state.orders_updated_at = self.orders_updated_at.or(state.orders_updated_at.take());
        state.synced_at = Some(chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
        (self.copy, self.changes)
    }
}

/// A field of an API answer as text: strings as they are, numbers written out,
/// anything else empty (both stores write money as strings, ids as numbers).
pub(super) fn text(node: &serde_json::Value, path: &str) -> String {
    match node.pointer(path) {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// Keeps the latest of two time stamps of the same format.
fn latest(slot: &mut Option<String>, candidate: &str) {
    if !candidate.is_empty() && slot.as_deref().is_none_or(|s| candidate > s) {
        *slot = Some(candidate.to_owned());
    }
}

/// Pulls what changed in a store since `previous` (everything when there is no
/// previous copy) and merges it in. `counts` shows how far it is.
pub fn sync(
    source: &StoreSource,
    credentials: &StoreCredentials,
    previous: Option<StoreCopy>,
    counts: &Arc<SyncCounts>,
    progress: &Progress,
    options: SyncOptions,
) -> Result<Synced, SyncError> {
    let copy = previous.unwrap_or_else(|| StoreCopy::empty(source));
    let mut merge = Merge {
        copy,
        changes: SyncChanges::default(),
        counts,
        progress,
        lines_of: HashSet::new(),
        new_lines: Vec::new(),
        customers_updated_at: None,
        orders_updated_at: None,
        clock: options.clock.clone(),
    };
    let (shop_name, keys_in_query) = match source.platform {
        StorePlatform::Shopify => (shopify::pull(source, credentials, &mut merge, options)?, false),
        StorePlatform::WooCommerce => (None, woocommerce::pull(source, credentials, &mut merge, options)?),
    };
    let (copy, changes) = merge.finish();
    progress.set_fraction(1.0);
    Ok(Synced { copy, changes, shop_name, keys_in_query })
}

/// Refreshes the local copy in `dir`: reads it (a damaged or foreign copy is set
/// aside and everything is pulled again; the second value says why), pulls what
/// changed, and writes the new copy only when the pull succeeded.
pub fn refresh_copy(
    source: &StoreSource,
    dir: &std::path::Path,
    credentials: &StoreCredentials,
    counts: &Arc<SyncCounts>,
    progress: &Progress,
    options: SyncOptions,
) -> Result<(Synced, Option<String>), SyncError> {
    let (previous, note) = match StoreCopy::read(dir, source) {
        Ok(copy) => (copy, None),
        Err(why) => (None, Some(why)),
    };
    let synced = sync(source, credentials, previous, counts, progress, options)?;
    synced.copy.write(dir).map_err(|e| SyncError::Save(format!("{}: {e}", dir.display())))?;
    Ok((synced, note))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(platform: StorePlatform) -> StoreSource {
        StoreSource {
            platform,
            store: "shop.example".into(),
            api_version: None,
            credential_env: vec![],
            keys_in_query: false,
            paid_statuses: Vec::new(),
            cache: "x".into(),
        }
    }

    #[test]
    fn given_credentials_come_first_and_need_every_part() {
        let woo = source(StorePlatform::WooCommerce);
        let (found, from) = find_credentials(&woo, &["ck_1", "cs_2"]).unwrap();
        assert_eq!(from, TokenSource::Given);
        assert!(matches!(found, StoreCredentials::Keys { .. }));
        let with_env =
            StoreSource { credential_env: vec!["KITLE_TEST_UNSET_A".into(), "KITLE_TEST_UNSET_B".into()], ..woo };
        assert!(find_credentials(&with_env, &["ck_1", ""]).is_none(), "a key without its secret is not enough");
        let shop = source(StorePlatform::Shopify);
        assert!(matches!(
            find_credentials(&shop, &["shpat_1"]),
            Some((StoreCredentials::Token(_), TokenSource::Given))
        ));
    }

    #[test]
    fn the_latest_time_stamp_wins() {
        let mut slot = None;
        latest(&mut slot, "2026-01-02T00:00:00Z");
        latest(&mut slot, "2026-01-01T00:00:00Z");
        latest(&mut slot, "");
        assert_eq!(slot.as_deref(), Some("2026-01-02T00:00:00Z"));
    }
}
