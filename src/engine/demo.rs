//! A deterministic generator of a realistic Turkish online store: customers, two
//! years of orders and monthly ad spend per channel. It makes the demo workspace
//! (`kitle demo DIR`) and the large files that tests and benchmarks need.
//! Same seed, same files, on every machine.

use std::io::Write;
use std::path::Path;

use chrono::{Datelike, Duration, NaiveDate};

use super::files::write_atomically;
use super::workspace::{Workspace, WorkspaceError};
use crate::engine::fields::SourceKind;
use crate::engine::import::SourceSpec;

/// SplitMix64: small, fast and the same everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn below(&mut self, n: usize) -> usize {
        let i = (self.unit() * n as f64) as usize;
        i.min(n.saturating_sub(1))
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Picks by weight.
    pub fn weighted<'a, T>(&mut self, items: &'a [(T, f64)]) -> &'a T {
        let total: f64 = items.iter().map(|(_, w)| w).sum();
        let mut x = self.unit() * total;
        for (item, w) in items {
            if x < *w {
                return item;
            }
            x -= w;
        }
        &items[items.len() - 1].0
    }

    /// Standard normal (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u1 = self.unit().max(1e-12);
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
}

const FEMALE: &[&str] = &[
    "Ayşe", "Fatma", "Zeynep", "Elif", "Emine", "Merve", "Büşra", "Esra", "Selin", "Deniz", "Ebru", "Gizem", "Ceren",
    "İrem", "Özge", "Yasemin", "Derya", "Şule", "Gül", "Nur",
];
const MALE: &[&str] = &[
    "Mehmet", "Mustafa", "Ahmet", "Ali", "Hüseyin", "Hasan", "İbrahim", "Murat", "Emre", "Burak", "Gökhan", "Onur",
    "Serkan", "Kerem", "Can", "Oğuz", "Cem", "Barış", "Uğur", "Tolga",
];
const LAST: &[&str] = &[
    "Yılmaz",
    "Kaya",
    "Demir",
    "Şahin",
    "Çelik",
    "Yıldız",
    "Yıldırım",
    "Öztürk",
    "Aydın",
    "Özdemir",
    "Arslan",
    "Doğan",
    "Kılıç",
    "Aslan",
    "Çetin",
    "Kara",
    "Koç",
    "Kurt",
    "Özkan",
    "Şimşek",
    "Polat",
    "Erdoğan",
    "Güneş",
    "Aksoy",
];
const CITIES: &[(&str, f64)] = &[
    ("İstanbul", 30.0),
    ("Ankara", 12.0),
    ("İzmir", 9.0),
    ("Bursa", 5.0),
    ("Antalya", 5.0),
    ("Konya", 3.0),
    ("Adana", 3.0),
    ("Gaziantep", 2.5),
    ("Kocaeli", 3.0),
    ("Mersin", 2.0),
    ("Eskişehir", 2.0),
    ("Kayseri", 2.0),
    ("Samsun", 1.5),
    ("Trabzon", 1.5),
    ("Denizli", 1.5),
    ("Muğla", 1.5),
];
/// Channel, share of customers, order-value factor, loyalty factor, monthly spend (TL).
const CHANNELS: &[(&str, f64, f64, f64, f64)] = &[
    ("Google Ads", 24.0, 1.10, 1.0, 42_000.0),
    ("Instagram", 22.0, 0.95, 0.9, 31_000.0),
    ("Facebook", 12.0, 0.90, 0.8, 14_000.0),
    ("TikTok", 10.0, 0.75, 0.6, 12_500.0),
    ("E-posta", 8.0, 1.05, 1.4, 2_500.0),
    ("Organik", 24.0, 1.00, 1.2, 0.0),
];
const TAGS: &[&str] = &["bülten", "indirim-sever", "kampanya", "mobil", "hediye", "kurumsal"];
/// Product, category, SKU and how often it is bought.
const PRODUCTS: &[((&str, &str, &str), f64)] = &[
    (("Filtre Kahve 250 g", "Kahve", "KH-250"), 20.0),
    (("Türk Kahvesi 100 g", "Kahve", "TK-100"), 18.0),
    (("Espresso Çekirdek 1 kg", "Kahve", "ES-1000"), 10.0),
    (("Kahve Makinesi", "Kahve Ekipmanı", "KM-01"), 4.0),
    (("French Press", "Kahve Ekipmanı", "FP-350"), 6.0),
    (("Kahve Değirmeni", "Kahve Ekipmanı", "KD-02"), 4.0),
    (("Porselen Fincan Seti", "Sofra", "PF-6"), 8.0),
    (("Çay Bardağı Seti", "Sofra", "CB-6"), 9.0),
    (("Demlik", "Sofra", "DM-01"), 6.0),
    (("Termos", "Aksesuar", "TR-500"), 7.0),
    (("Kupa", "Aksesuar", "KP-01"), 8.0),
];

/// What to generate.
#[derive(Debug, Clone)]
pub struct DemoConfig {
    pub customers: usize,
    pub seed: u64,
    /// First day of the data.
    pub start: NaiveDate,
    /// Last day of the data (orders and spend stop here).
    pub end: NaiveDate,
}

impl Default for DemoConfig {
    fn default() -> Self {
        Self {
            customers: 3_000,
            seed: 2026,
            start: NaiveDate::from_ymd_opt(2024, 11, 1).unwrap_or_default(),
            end: NaiveDate::from_ymd_opt(2026, 10, 31).unwrap_or_default(),
        }
    }
}

/// File names of the demo data, beside the workspace.
pub const CUSTOMERS_FILE: &str = "demo-data/musteriler.csv";
pub const ORDERS_FILE: &str = "demo-data/siparisler.csv";
pub const SPEND_FILE: &str = "demo-data/reklam-harcamalari.csv";

/// Writes the demo data and `demo.kitle` into `dir`.
pub fn write_demo_workspace(dir: &Path, config: &DemoConfig) -> Result<std::path::PathBuf, WorkspaceError> {
    let io = |e: std::io::Error| WorkspaceError::Save { path: dir.to_path_buf(), message: e.to_string() };
    std::fs::create_dir_all(dir.join("demo-data")).map_err(io)?;
    let (customers, orders) = generate(config);
    write_atomically(&dir.join(CUSTOMERS_FILE), &customers).map_err(io)?;
    write_atomically(&dir.join(ORDERS_FILE), &orders).map_err(io)?;
    write_atomically(&dir.join(SPEND_FILE), &spend_csv(config)).map_err(io)?;
    let mut ws = Workspace::new("Demo Mağaza");
    ws.sources = vec![
        SourceSpec::new(SourceKind::Customers, CUSTOMERS_FILE),
        SourceSpec::new(SourceKind::Orders, ORDERS_FILE),
        SourceSpec::new(SourceKind::Spend, SPEND_FILE),
    ];
    ws.settings.as_of = config.end.succ_opt();
    let path = dir.join("demo.kitle");
    let data = ws.load_data(&path, &crate::engine::import::Progress::default())?;
    ws.segments = crate::engine::segment::templates::starter_segments(&data, crate::format::Lang::Tr);
    for seg in &mut ws.segments {
        seg.edited = Some(format!("{} 09:00", config.end)); // deterministic file
    }
    if let Some(vip) = ws.segments.first().map(|s| s.name.clone()) {
        ws.personas = demo_personas(&vip);
    }
    ws.save(&path)?;
    Ok(path)
}

/// Two personas for the VIP segment that tell a story: Selin fits (her traits are
/// what sets VIPs apart), Gökhan is off (VIPs are mostly women, mostly organic).
fn demo_personas(vip: &str) -> Vec<crate::engine::persona::Persona> {
    use crate::engine::persona::Persona;
    let text = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    vec![
        Persona {
            name: "Sadık Selin".to_owned(),
            description: "Mağazayı yıllardır tanıyan, sepeti dolu dönen müşteri.".to_owned(),
            quote: "Beğendiğim markadan şaşmam.".to_owned(),
            traits: text(&["orders >= 2", "aov >= 450", "ltv >= 2000"]),
            goals: text(&["Güvendiği ürünleri hızlıca yeniden almak"]),
            pain_points: text(&["Stokta olmayan favoriler"]),
            motivations: text(&["Sadakat ayrıcalıkları"]),
            objections: text(&["Kargo ücreti"]),
            segments: vec![vip.to_owned()],
        },
        Persona {
            name: "Girişimci Gökhan".to_owned(),
            description: "Büyük şehirde, Google'da arayıp bulan, zamanı kısıtlı girişimci.".to_owned(),
            quote: "Zamanım yok, en iyisini hemen isterim.".to_owned(),
            traits: text(&[
                "age between 30 and 45",
                "gender = \"Erkek\"",
                "city in (\"İstanbul\", \"Ankara\")",
                "channel = \"Google Ads\"",
            ]),
            goals: text(&["İşine yarayan ürünü tek seferde bulmak"]),
            pain_points: text(&["Uzun teslimat süreleri"]),
            motivations: text(&["Zaman kazanmak"]),
            objections: text(&["Belirsiz iade koşulları"]),
            segments: vec![vip.to_owned()],
        },
    ]
}

/// The customers CSV (semicolon, Turkish headers, dd.mm.yyyy dates) and the orders
/// CSV (comma, ISO date-times, amounts with a decimal point, one row per order
/// line), as bytes.
pub fn generate(config: &DemoConfig) -> (Vec<u8>, Vec<u8>) {
    let mut rng = Rng::new(config.seed);
    let mut customers = Vec::with_capacity(config.customers * 160);
    let mut orders = Vec::with_capacity(config.customers * 5 * 70);
    customers.extend_from_slice(
        "Müşteri No;Ad Soyad;E-posta;Telefon;Şehir;Cinsiyet;Doğum Tarihi;Kayıt Tarihi;Geldiği Kanal;Etiketler;Pazarlama İzni;Sadakat Puanı\n"
            .as_bytes(),
    );
    // One row per order line, the order's total repeated on each (as many exports do).
    orders.extend_from_slice(
        "Siparis No,Musteri No,Siparis Tarihi,Tutar,Durum,Ürün,Kategori,Stok Kodu,Adet\n".as_bytes(),
    );
    // Products come from their own stream, so customers and orders don't depend on them.
    let mut basket_rng = Rng::new(config.seed ^ 0xBA5_CE7);
    let span_days = (config.end - config.start).num_days().max(1);
    let channel_weights: Vec<(usize, f64)> = CHANNELS.iter().enumerate().map(|(i, c)| (i, c.1)).collect();
    let mut order_no = 100_000u64;
    for i in 0..config.customers {
        let id = 10_000 + i;
        let female = rng.unit() < 0.56;
        let first = if female { rng.pick(FEMALE) } else { rng.pick(MALE) };
        let last = rng.pick(LAST);
        let city = rng.weighted(CITIES);
        let channel_idx = *rng.weighted(&channel_weights);
        let (channel, _, value_factor, loyalty, _) = CHANNELS[channel_idx];
        // Growth: later months bring more customers (density rises linearly).
        let offset = (rng.unit().sqrt() * span_days as f64) as i64;
        let signup = config.start + Duration::days(offset);
        let birth =
            NaiveDate::from_ymd_opt(1960 + rng.below(45) as i32, 1 + rng.below(12) as u32, 1 + rng.below(28) as u32)
                .unwrap_or(config.start);
        let email = format!(
            "{}.{}{}@{}",
            ascii(first),
            ascii(last),
            id % 1000,
            rng.pick(&["gmail.com", "hotmail.com", "outlook.com", "yandex.com"])
        );
        let phone = format!(
            "+90 5{}{} {:03} {:02} {:02}",
            3 + rng.below(3),
            rng.below(10),
            rng.below(1000),
            rng.below(100),
            rng.below(100)
        );
        let tags: Vec<&str> = TAGS.iter().filter(|_| rng.unit() < 0.18).copied().collect();
        let marketing = if rng.unit() < 0.62 { "Evet" } else { "Hayır" };
        let points = rng.below(5000);
        // Writing to a String cannot fail.
        let _ = writeln!(
            customers,
            "{id};{first} {last};{email};{phone};{city};{};{};{};{channel};{};{marketing};{points}",
            if female { "Kadın" } else { "Erkek" },
            birth.format("%d.%m.%Y"),
            signup.format("%d.%m.%Y"),
            tags.join(", ")
        );

        let shopper = Shopper { id, value_factor, loyalty, signup };
        write_orders(&mut orders, &shopper, config.end, &mut order_no, &mut rng, &mut basket_rng);
    }
    (customers, orders)
}

/// What a customer's orders depend on.
struct Shopper {
    id: usize,
    value_factor: f64,
    loyalty: f64,
    signup: NaiveDate,
}

/// A first order near signup, then repeat purchases until the customer lapses;
/// each order's lines (products) from `basket_rng`.
fn write_orders(
    orders: &mut Vec<u8>,
    shopper: &Shopper,
    end: NaiveDate,
    order_no: &mut u64,
    rng: &mut Rng,
    basket_rng: &mut Rng,
) {
    let id = shopper.id;
    let vip = rng.unit() < 0.08;
    let basket = 420.0 * shopper.value_factor * if vip { 3.2 } else { 1.0 };
    let mut day = shopper.signup + Duration::days(rng.below(10) as i64);
    let mut repeat_chance = (0.55 * shopper.loyalty + if vip { 0.3 } else { 0.0 }).min(0.93);
    while day <= end {
        *order_no += 1;
        let order_no = *order_no;
        let amount = (basket * (0.45 * rng.normal()).exp() * 100.0).round() / 100.0;
        let status = match rng.unit() {
            x if x < 0.04 => "İptal Edildi",
            x if x < 0.07 => "İade Edildi",
            _ => "Tamamlandı",
        };
        let when = format!("{} {:02}:{:02}:00", day.format("%Y-%m-%d"), 9 + rng.below(14), rng.below(60));
        let lines = 1 + [0.6, 0.3, 0.1].iter().filter(|p| basket_rng.unit() < **p).count();
        for _ in 0..lines {
            let (product, category, sku) = basket_rng.weighted(PRODUCTS);
            let quantity = 1 + usize::from(basket_rng.unit() < 0.2);
            // Writing to a String cannot fail.
            let _ =
                writeln!(orders, "{order_no},{id},{when},{amount:.2},{status},{product},{category},{sku},{quantity}");
        }
        if rng.unit() > repeat_chance {
            break;
        }
        repeat_chance *= 0.97;
        let gap = (rng.unit() * rng.unit() * 150.0) as i64;
        day += Duration::days(12 + gap);
    }
}

/// Monthly spend per paid channel, semicolon-separated with decimal commas.
fn spend_csv(config: &DemoConfig) -> Vec<u8> {
    let mut rng = Rng::new(config.seed ^ 0x5EED);
    let mut out = "Ay;Kanal;Harcama (TL)\n".as_bytes().to_vec();
    let mut month = NaiveDate::from_ymd_opt(config.start.year(), config.start.month(), 1).unwrap_or(config.start);
    while month <= config.end {
        for (channel, _, _, _, monthly) in CHANNELS {
            if *monthly > 0.0 {
                let amount = monthly * (0.8 + 0.4 * rng.unit());
                // Writing to a String cannot fail.
                let _ =
                    writeln!(out, "{};{channel};{}", month.format("%Y-%m"), format!("{amount:.2}").replace('.', ","));
            }
        }
        month = month.checked_add_months(chrono::Months::new(1)).unwrap_or(config.end.succ_opt().unwrap_or(config.end));
    }
    out
}

/// Turkish letters to ASCII for email addresses.
fn ascii(s: &str) -> String {
    crate::engine::text::fold(s).chars().filter(char::is_ascii_alphanumeric).collect()
}
