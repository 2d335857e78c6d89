//! Connecting a store from the start screen and refreshing it, against the fake
//! Shopify server.

use std::time::Duration;

use egui_kittest::kittest::Queryable;
use kitle::app::FileCommand;
use kitle::app::Tab;
use kitle::format::Lang;

use super::*;
use crate::fake_store::{FakeStore, SHOPIFY_TOKEN, Store, utc};

#[test]
fn connect_a_shopify_store_from_the_start_screen_and_refresh_it() {
    let fake = FakeStore::start(Store::generate(150, 500, 21));
    // The app waits on the real clock: a bucket refilled as fast as the largest plan's, ×5.
    fake.real_time(10_000.0);
    // Slow answers, so the progress can be seen.
    fake.with(|s| s.delay = Duration::from_millis(15));
    let stores = tempfile::tempdir().unwrap();
    let mut harness = app_harness(Lang::En);
    harness.state_mut().stores_dir = stores.path().to_path_buf();
    harness.run_steps(2);
    harness.get_by_label("Connect a store (Shopify, WooCommerce)…").click();
    harness.run_steps(4);
    assert!(harness.state().connect.is_some(), "the dialog opened");
    type_into(&mut harness, "Store address", &fake.url);
    harness.get_by_label("Access token (apps made before 2026)").click();
    harness.run_steps(2);
    type_into(&mut harness, "Admin API access token", SHOPIFY_TOKEN);
    harness.get_by_label("Connect").click();
    run_until(&mut harness, "the pull's progress", |app| {
        app.connect.as_ref().and_then(|d| d.running.as_ref()).is_some_and(|c| c.pulled().0 > 0)
    });
    harness.get_by_label_contains("customers, ");
    assert!(harness.state().doc.is_none(), "the UI kept drawing while the pull ran");
    run_until(&mut harness, "the store's workspace", |app| app.doc.is_some());
    run_until(&mut harness, "the dashboard numbers", |app| dashboard(app).current().is_some());
    let app = harness.state();
    assert!(app.connect.is_none(), "the dialog closed");
    assert_eq!(app.prefs.tab, Tab::Dashboard);
    let doc = app.doc.as_ref().unwrap();
    assert_eq!(doc.workspace.name, "Kahve Dünyası");
    assert_eq!(doc.workspace.settings.currency, "TRY");
    let customers = doc.data.customers.height();
    let guests = fake.with(|s| {
        let mut emails: Vec<&str> =
            s.store.orders.iter().filter(|o| o.customer.is_none()).map(|o| o.email.as_str()).collect();
        emails.sort_unstable();
        emails.dedup();
        emails.len()
    });
    assert_eq!(customers, 150 + guests);
    harness.get_by_label(&kitle::format::count(customers, Lang::En));

    // Something changes in the store; Refresh brings it in.
    let email = fake.with(|s| {
        s.delay = Duration::ZERO;
        let c = &mut s.store.customers[7];
        c.city = "Eskişehir".into();
        c.updated = utc(1100 * 1440);
        c.email.clone()
    });
    harness.get_by_label("File").click();
    harness.run_steps(4);
    harness.get_by_label("Refresh from store F5").click();
    run_until(
        &mut harness,
        "the refresh",
        |app| matches!(&app.notice, Some(kitle::app::Notice::Info(t)) if t.starts_with("Refreshed")),
    );
    let notice = format!("{:?}", harness.state().notice);
    assert!(notice.contains("0 customers added, 1 updated; 0 orders added"), "{notice}");
    let data = data_of(&harness).clone();
    let row = row_where(&data, "email", &email);
    assert_eq!(text(&data, "city", row).as_deref(), Some("Eskişehir"));

    // Saving puts the local copy beside the workspace.
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("kahve.kitle");
    harness.state_mut().send(FileCommand::SaveTo(path.clone()));
    harness.run_steps(3);
    assert!(folder.path().join("kahve-store/store_customers.csv").exists());
    assert_eq!(std::fs::read_dir(stores.path()).unwrap().count(), 0, "nothing left in the app's folder");
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(saved.contains("cache: \"kahve-store\"") && !saved.contains(SHOPIFY_TOKEN), "{saved}");
}

#[test]
fn a_rejected_token_is_explained_in_the_dialog() {
    let fake = FakeStore::start(Store::generate(5, 5, 2));
    let stores = tempfile::tempdir().unwrap();
    let mut harness = app_harness(Lang::Tr);
    harness.state_mut().stores_dir = stores.path().to_path_buf();
    harness.run_steps(2);
    harness.get_by_label("Mağaza bağla (Shopify, WooCommerce)…").click();
    harness.run_steps(4);
    harness.get_by_label("Bağlan").click();
    harness.run_steps(2);
    harness.get_by_label("Mağazanın adresini girin.");
    type_into(&mut harness, "Mağaza adresi", &fake.url);
    harness.get_by_label("Erişim anahtarı (2026'dan önce yapılan uygulamalar)").click();
    harness.run_steps(2);
    type_into(&mut harness, "Admin API erişim anahtarı", "shpat_wrong");
    harness.get_by_label("Bağlan").click();
    run_until(&mut harness, "the error", |app| {
        app.connect.as_ref().and_then(|d| d.error.as_ref()).is_some_and(|e| e.contains("401"))
    });
    let error = harness.state().connect.as_ref().unwrap().error.clone().unwrap();
    assert!(error.starts_with("Mağaza okunamadı") && error.contains("401"), "{error}");
    assert!(harness.state().doc.is_none());
}

#[test]
fn a_dev_dashboard_app_connects_with_its_client_id_and_secret_in_turkish() {
    let fake = FakeStore::start(Store::generate(20, 40, 22));
    fake.real_time(10_000.0);
    let stores = tempfile::tempdir().unwrap();
    let mut harness = app_harness(Lang::Tr);
    harness.state_mut().stores_dir = stores.path().to_path_buf();
    harness.run_steps(2);
    harness.state_mut().connect = Some(kitle::app::dialogs::connect::ConnectDialog::new());
    harness.run_steps(3);
    // The way apps are made since 2026 is the first choice, with its steps.
    harness.get_by_label_contains("Shopify Dev Dashboard → Uygulamalar");
    type_into(&mut harness, "Mağaza adresi", &fake.url);
    type_into(&mut harness, "İstemci kimliği (Client ID)", crate::fake_store::SHOPIFY_CLIENT_ID);
    type_into(&mut harness, "Gizli anahtar (Client secret)", crate::fake_store::SHOPIFY_CLIENT_SECRET);
    harness.get_by_label("Bağlan").click();
    run_until(&mut harness, "the store's workspace", |app| app.doc.is_some());
    let store = harness.state().doc.as_ref().unwrap().workspace.store.clone().unwrap();
    assert_eq!(store.credential_env, ["KITLE_SHOPIFY_CLIENT_ID", "KITLE_SHOPIFY_CLIENT_SECRET"]);
    assert_eq!(fake.with(|s| s.app_sign_ins), 1);
}
