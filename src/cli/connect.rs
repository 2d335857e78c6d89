//! `kitle connect shopify|woocommerce … -o WS.kitle` makes a workspace from a
//! store's API, and `kitle refresh WS.kitle` pulls what changed since. The local
//! copy goes in a private folder beside the workspace; credentials come from
//! environment variables (named by flags, saved by name only) or the system
//! keychain, never from the command line itself, so they stay out of shell history.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Result, anyhow, bail};
use serde_json::json;

use super::args::Args;
use crate::connect::store::{
    SHOPIFY_CLIENT_ENV, SyncCounts, SyncOptions, Synced, default_env, find_credentials_or_keychain, refresh_copy,
};
use crate::engine::data::CustomerData;
use crate::engine::import::{Progress, resolve_path};
use crate::engine::loading::workspace_from_store;
use crate::engine::message::Message;
use crate::engine::store::{StorePlatform, StoreSource, copy_dir_for};
use crate::engine::workspace::{Workspace, parent_dir};

/// `kitle connect PLATFORM --store S [--token-env V | --client-id-env V --client-secret-env V |
/// --key-env V --secret-env V] [--api-version V] -o WS`
pub fn connect(a: Args) -> Result<String> {
    let platform = match a.positional(0).map(|v| v.to_string_lossy().into_owned()) {
        None => None,
        Some(id) => Some(
            StorePlatform::from_id(&id)
                .ok_or_else(|| anyhow!("Kitle connects to shopify or woocommerce, not \"{id}\"."))?,
        ),
    };
    let (store, out, version, json, as_of) =
        (a.text("store")?, a.file("out"), a.text("api-version")?, a.has("json"), a.date("as-of")?);
    // The first credential variable (the token, or the key), then the secret.
    let mut env: Vec<(usize, String)> = Vec::new();
    for (slot, flag) in
        [(0, "token-env"), (0, "client-id-env"), (1, "client-secret-env"), (0, "key-env"), (1, "secret-env")]
    {
        env.extend(a.text(flag)?.map(|name| (slot, name)));
    }
    let app_sign_in = a.has("client-id-env") || a.has("client-secret-env");
    let platform = platform.ok_or_else(|| anyhow!("Say which store: kitle connect shopify|woocommerce …"))?;
    let store = store.ok_or_else(|| anyhow!("Give the store's address with --store."))?;
    let out = out.ok_or_else(|| anyhow!("Give the workspace to create with -o WS.kitle."))?;
    if app_sign_in && a.has("token-env") {
        bail!("Give either --token-env or --client-id-env with --client-secret-env, not both.");
    }
    let mut credential_env = if app_sign_in && platform == StorePlatform::Shopify {
        SHOPIFY_CLIENT_ENV.iter().map(|v| (*v).to_owned()).collect()
    } else {
        default_env(platform)
    };
    for (slot, name) in env {
        if let Some(s) = credential_env.get_mut(slot) {
            *s = name;
        }
    }
    let source = StoreSource {
        platform,
        store,
        api_version: version,
        credential_env,
        keys_in_query: false,
        paid_statuses: a.texts("paid-status")?,
        cache: PathBuf::from(copy_dir_for(&out).file_name().unwrap_or_default()),
    };
    let mut ws = Workspace::new(String::new());
    ws.settings.as_of = as_of;
    ws.store = Some(source);
    let (synced, data) = pull_and_save(&mut ws, &out)?;
    if json {
        return Ok(serde_json::to_string_pretty(&summary_json(&ws, &out, &synced, &data))? + "\n");
    }
    let store = ws.store.as_ref().map(StoreSource::display_name).unwrap_or_default();
    Ok(format!(
        "Connected to the {} store {store}: {} customers and {} orders pulled; {} has {} customers.\n",
        platform.name(),
        synced.copy.customers.len(),
        synced.copy.orders.len(),
        out.display(),
        data.report.customers,
    ))
}

/// `kitle refresh WS [--json]`: pulls what changed since the last sync.
pub fn refresh(a: Args) -> Result<String> {
    let (path, json) = (a.path(0), a.has("json"));
    let path = path.ok_or_else(|| anyhow!("Usage: kitle refresh WS.kitle [--json]"))?;
    let mut ws = Workspace::load(&path)?;
    if ws.store.is_none() {
        bail!("{} is not connected to a store; make one with kitle connect.", path.display());
    }
    let (synced, data) = pull_and_save(&mut ws, &path)?;
    if json {
        return Ok(serde_json::to_string_pretty(&summary_json(&ws, &path, &synced, &data))? + "\n");
    }
    let c = synced.changes;
    Ok(format!(
        "Refreshed {}: {} customers added, {} updated, {} deleted; {} orders added, {} updated. {} customers in all.\n",
        path.display(),
        c.customers_added,
        c.customers_updated,
        c.customers_deleted,
        c.orders_added,
        c.orders_updated,
        data.report.customers
    ))
}

/// Pulls the store into its local copy, then saves the workspace and builds it.
fn pull_and_save(ws: &mut Workspace, path: &Path) -> Result<(Synced, CustomerData)> {
    let source = ws.store.clone().ok_or_else(|| anyhow!("no store"))?;
    let dir = resolve_path(&parent_dir(path), &source.cache);
    let (credentials, _) = find_credentials_or_keychain(&source, &[]).ok_or_else(|| {
        let names =
            if source.credential_env.is_empty() { default_env(source.platform) } else { source.credential_env.clone() };
        anyhow!(
            "No {} credentials: set {} (or keep them in the system keychain from the app).",
            source.platform.name(),
            names.join(" and ")
        )
    })?;
    let counts = Arc::new(SyncCounts::default());
    let (synced, note) =
        refresh_copy(&source, &dir, &credentials, &counts, &Progress::default(), SyncOptions::default())?;
    if let Some(why) = note {
        eprintln!("{}", Message::new("msg.store_copy_reset", [why]));
    }
    let progress = Progress::default();
    let data = if ws.name.is_empty() {
        // A new connection: the workspace every front end makes over a store.
        let source = StoreSource { keys_in_query: synced.keys_in_query, ..source };
        let (shop, currency) = (synced.shop_name.clone(), synced.copy.state.currency.clone());
        let lang = crate::format::Lang::from_system();
        let (made, data) = workspace_from_store(source, shop, currency, ws.settings.as_of, path, lang, &progress)?;
        *ws = made;
        data
    } else {
        if let Some(store) = ws.store.as_mut() {
            store.keys_in_query = synced.keys_in_query;
        }
        ws.load_data(path, &progress)?
    };
    ws.save(path)?;
    Ok((synced, data))
}

fn summary_json(ws: &Workspace, path: &Path, synced: &Synced, data: &CustomerData) -> serde_json::Value {
    let c = synced.changes;
    json!({
        "workspace": path.display().to_string(),
        "platform": ws.store.as_ref().map(|s| s.platform.id()),
        "store": ws.store.as_ref().map(StoreSource::display_name),
        "customers_added": c.customers_added,
        "customers_updated": c.customers_updated,
        "orders_added": c.orders_added,
        "orders_updated": c.orders_updated,
        "deleted": c.customers_deleted,
        "customers_in_copy": synced.copy.customers.len(),
        "orders_in_copy": synced.copy.orders.len(),
        "customers": data.report.customers,
        "orders_counted": data.report.orders_counted,
        "synced_at": synced.copy.state.synced_at,
        "orders_limited_to_60_days": synced.copy.state.orders_limited_to_60_days,
    })
}
