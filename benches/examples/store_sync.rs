//! A large store pulled through the app, as a marketer would: the fake Shopify
//! server (tests/it/fake_store.rs) serving N customers and M orders, the
//! "Connect a store" dialog filled in, and frames drawn while the pull runs on its
//! background thread. Prints the pull's time, its rate, and the slowest frame
//! (the UI must keep drawing: goal well under 100 ms).
//! `cargo run --release -p kitle-benches --example store_sync -- [CUSTOMERS ORDERS]`

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../../tests/it/fake_store.rs"]
mod fake_store;

use std::time::{Duration, Instant};

use egui_kittest::Harness;
use kitle::app::StoreCommand;
use kitle::app::dialogs::connect::ConnectDialog;
use kitle::app::{KitleApp, Prefs};
use kitle::format::Lang;

fn main() {
    kitle::allocator::return_freed_memory_at_once(); // as the kitle binary does
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let (customers, orders) = match args.as_slice() {
        [c, o] => (*c, *o),
        _ => (100_000, 500_000),
    };
    let t = Instant::now();
    let fake = fake_store::FakeStore::start(fake_store::Store::generate(customers, orders, 42));
    // The app waits on the real clock: a bucket refilled at the largest plan's rate.
    fake.real_time(2000.0);
    println!("fake store of {customers} customers and {orders} orders made in {:?}", t.elapsed());
    let stores = std::env::temp_dir().join(format!("kitle-store-sync-{}", std::process::id()));
    let prefs = Prefs { lang: Some(Lang::En), ..Prefs::default() };
    let mut app = KitleApp::with_prefs(prefs);
    app.stores_dir.clone_from(&stores);
    let mut harness = Harness::builder().with_size([1280.0, 800.0]).build_ui_state(
        |ui, app: &mut KitleApp| {
            app.logic(ui.ctx());
            app.ui(ui);
        },
        app,
    );
    harness.run_steps(2);
    let mut dialog = ConnectDialog::new();
    dialog.store.clone_from(&fake.url);
    dialog.sign_in = kitle::app::dialogs::connect::ShopifySignIn::Token;
    dialog.token = fake_store::SHOPIFY_TOKEN.to_owned();
    harness.state_mut().connect = Some(dialog);
    harness.run_steps(2);
    // Press Connect the way the dialog does.
    let order = {
        let app = harness.state_mut();
        let dialog = app.connect.as_mut().unwrap();
        let source = kitle::engine::store::StoreSource {
            platform: kitle::engine::store::StorePlatform::Shopify,
            store: dialog.store.clone(),
            api_version: None,
            credential_env: vec![],
            keys_in_query: false,
            paid_statuses: Vec::new(),
            cache: std::path::PathBuf::new(),
        };
        let token = kitle::connect::http::Token::new(&dialog.token).unwrap();
        let order = kitle::app::dialogs::connect::StoreOrder {
            source,
            credentials: Some(kitle::connect::store::StoreCredentials::Token(token)),
            remember: false,
            refresh: false,
            counts: std::sync::Arc::default(),
        };
        dialog.running = Some(std::sync::Arc::clone(&order.counts));
        order
    };
    let counts = std::sync::Arc::clone(&order.counts);
    harness.state_mut().send(StoreCommand::Sync(Box::new(order)));
    let start = Instant::now();
    let (mut slowest, mut frames) = (Duration::ZERO, 0u32);
    let mut next_report = Duration::from_secs(5);
    while harness.state().doc.is_none() {
        let frame = Instant::now();
        harness.step();
        slowest = slowest.max(frame.elapsed());
        frames += 1;
        if start.elapsed() > next_report {
            let (c, o) = counts.pulled();
            println!("  {:>5.1} s: {c} customers, {o} orders", start.elapsed().as_secs_f64());
            next_report += Duration::from_secs(5);
        }
        if let Some(kitle::app::Notice::Error(e)) = &harness.state().notice {
            panic!("{e}");
        }
        if let Some(e) = harness.state().connect.as_ref().and_then(|d| d.error.clone()) {
            panic!("{e}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let took = start.elapsed();
    let data = &harness.state().doc.as_ref().unwrap().data;
    println!(
        "pulled and built in {took:?} ({:.0} orders/s): {} customers, {} orders counted; {frames} frames drawn meanwhile, the slowest {slowest:?}",
        orders as f64 / took.as_secs_f64(),
        data.report.customers,
        data.report.orders_counted
    );
    let _ = std::fs::remove_dir_all(&stores);
}
