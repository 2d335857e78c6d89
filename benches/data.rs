//! Large generated files for the benchmarks, made once and cached under
//! `target/bench-data` (the demo generator is deterministic, so the cache is safe).

use std::path::{Path, PathBuf};

use kitle::engine::demo::{DemoConfig, generate};

fn data_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("target"), PathBuf::from);
    target.join("bench-data")
}

/// Customer and order CSVs of the demo store with `customers` customers.
pub fn store_files(customers: usize) -> (PathBuf, PathBuf) {
    let dir = data_dir().join(format!("store-{customers}"));
    let (c, o) = (dir.join("customers.csv"), dir.join("orders.csv"));
    if !(c.exists() && o.exists()) {
        std::fs::create_dir_all(&dir).expect("bench data folder");
        let (customers_csv, orders_csv) = generate(&DemoConfig { customers, ..DemoConfig::default() });
        std::fs::write(&c, customers_csv).expect("write customers");
        std::fs::write(&o, orders_csv).expect("write orders");
    }
    (c, o)
}

/// Rows in a CSV file (minus the header).
pub fn rows(path: &Path) -> usize {
    let bytes = std::fs::read(path).expect("read");
    bytes.iter().filter(|&&b| b == b'\n').count().saturating_sub(1)
}

const FIRST: [&str; 8] = ["Ayşe", "Mehmet", "İsmail", "Zeynep", "Can", "Elif", "Çağrı", "Gülşen"];
const LAST: [&str; 8] = ["Yılmaz", "Kaya", "Şahin", "Demir", "Öztürk", "Çelik", "Aydın", "Doğan"];
const DOMAINS: [&str; 4] = ["gmail.com", "hotmail.com", "example.com.tr", "yahoo.com"];

/// A seeded xorshift generator: the same numbers on every run, for generated data.
pub fn xorshift(seed: u64) -> impl FnMut() -> u64 {
    let mut state = seed;
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}

/// Audience members (email, phone, first and last name), the same for Kitle's bench
/// and the Python script it is compared with (deterministic).
pub fn audience_members(n: usize) -> Vec<[String; 4]> {
    let mut next = xorshift(0x9E37_79B9_7F4A_7C15u64);
    (0..n)
        .map(|i| {
            let r = next();
            let first = FIRST[(r % 8) as usize];
            let last = LAST[((r >> 8) % 8) as usize];
            let email = format!(" {}.{}{}+shop@{} ", first, last, i, DOMAINS[((r >> 16) % 4) as usize]);
            // Turkish mobiles (530–549) in four spellings.
            let digits = 5_300_000_000 + (r >> 20) % 200_000_000;
            let phone = match (r >> 50) % 4 {
                0 => format!(
                    "0{} {:03} {:02} {:02}",
                    digits / 10_000_000,
                    digits / 10_000 % 1000,
                    digits / 100 % 100,
                    digits % 100
                ),
                1 => format!("{digits}"),
                2 => format!("+90 {digits}"),
                _ => format!("0090{digits}"),
            };
            [email, phone, first.to_owned(), last.to_owned()]
        })
        .collect()
}

const CITIES: [&str; 8] = ["İstanbul", "Ankara", "İzmir", "Bursa", "Antalya", "Konya", "Adana", "Gaziantep"];
const CHANNELS: [&str; 6] = ["Google Ads", "Meta", "Organik", "E-posta", "Referans", "TikTok"];

/// A wide store's customers file: `customers` rows of six columns (id, email,
/// city, channel, sign-up date, LTV), about 42 bytes a row, as a large Shopify or
/// ERP export looks. Made once per size and kept.
pub fn customers_csv(customers: usize) -> PathBuf {
    made_once(&format!("customers-{customers}.csv"), || {
        let mut next = xorshift(0xD1B5_4A32_D192_ED03u64);
        let mut out = String::with_capacity(customers * 48 + 64);
        out.push_str("customer_id,email,city,channel,signup_date,ltv\n");
        for i in 0..customers {
            let r = next();
            let day = 1 + (r % 28);
            let month = 1 + ((r >> 5) % 12);
            let year = 2020 + ((r >> 9) % 6);
            let ltv = (r >> 20) % 2_000_000;
            out.push_str(&format!(
                "{},u{}@{},{},{},{year}-{month:02}-{day:02},{}.{:02}\n",
                100_000 + i,
                i,
                DOMAINS[((r >> 12) % 4) as usize],
                CITIES[((r >> 14) % 8) as usize],
                CHANNELS[((r >> 17) % 6) as usize],
                ltv / 100,
                ltv % 100
            ));
        }
        out
    })
}

/// The file `name` under the wide store's folder, made by `make` the first time
/// (written beside and renamed, so a cut-short run leaves no half file).
fn made_once(name: &str, make: impl FnOnce() -> String) -> PathBuf {
    let dir = data_dir().join("wide");
    let path = dir.join(name);
    if !path.exists() {
        std::fs::create_dir_all(&dir).expect("bench data folder");
        let tmp = path.with_extension("part");
        std::fs::write(&tmp, make()).expect("write bench data");
        std::fs::rename(&tmp, &path).expect("finish bench data");
    }
    path
}

const LINE_PRODUCTS: [(&str, &str, &str); 10] = [
    ("Filtre Kahve 250 g", "Kahve", "FK-250"),
    ("Türk Kahvesi 100 g", "Kahve", "TK-100"),
    ("Espresso Çekirdek 1 kg", "Kahve", "EC-1000"),
    ("Kahve Makinesi", "Makine", "KM-1"),
    ("French Press", "Ekipman", "FP-3"),
    ("Kahve Değirmeni", "Ekipman", "KD-2"),
    ("Porselen Fincan Seti", "Sofra", "PF-6"),
    ("Çay Bardağı Seti", "Sofra", "CB-6"),
    ("Demlik", "Çay", "DM-2"),
    ("Kupa", "Sofra", "KP-1"),
];
const STATUSES: [&str; 8] = ["paid", "paid", "paid", "paid", "paid", "refunded", "pending", "partially_refunded"];

/// An order-heavy store's order lines, as a WooCommerce or Shopify line export looks:
/// one row per line, orders in date order, order-level values (customer, date,
/// total, status) repeated on each line. `customers` customers of
/// [`customers_csv`] (ids from 100,000) place two orders each on average over three
/// years, 2.5 lines an order: 5,000,000 lines for 1,000,000 customers. Made once
/// per size and kept.
pub fn order_lines_csv(customers: usize) -> PathBuf {
    use std::fmt::Write as _;
    made_once(&format!("order-lines-{customers}.csv"), || {
        let mut next = xorshift(0x94D0_49BB_1331_11EBu64);
        let orders = customers * 2;
        let mut out = String::with_capacity(orders * 5 / 2 * 64 + 128);
        out.push_str("order_id,customer_id,order_date,total,status,product,category,sku,quantity\n");
        let start = chrono::NaiveDate::from_ymd_opt(2023, 11, 1).expect("date");
        for o in 0..orders {
            let r = next();
            let customer = 100_000 + (r % customers as u64);
            // Dates rise with the order number, as an export sorted by date.
            let date = start + chrono::Days::new((o as u64 * 1096) / orders as u64);
            let status = STATUSES[((r >> 24) % 8) as usize];
            let lines = 1 + ((r >> 28) % 4) as usize; // 1–4, 2.5 on average
            let mut items = [(0usize, 0u64); 4];
            let mut total = 0;
            for (l, item) in items.iter_mut().enumerate().take(lines) {
                let product = ((r >> (32 + 5 * l)) % 10) as usize;
                let quantity = 1 + (r >> (52 + l)) % 2;
                total += quantity * (4_990 + 7_000 * product as u64);
                *item = (product, quantity);
            }
            for &(product, quantity) in &items[..lines] {
                let (name, category, sku) = LINE_PRODUCTS[product];
                let _ = writeln!(
                    out,
                    "{},{customer},{date},{}.{:02},{status},{name},{category},{sku},{quantity}",
                    1_000_000 + o,
                    total / 100,
                    total % 100
                );
            }
        }
        out
    })
}
