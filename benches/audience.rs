//! Normalising and hashing 1,000,000 audience members (email, phone, first and
//! last name) for Google and for Meta: consent filter, each platform's rules,
//! SHA-256. Goal: each ≤ 1 s on 2 cores and ≥ 5× faster than the same work in
//! Python (`hashlib` + `phonenumbers`), which `benches/python/audience_hash.py`
//! measures on the same generated members (run `bash benches/audience_vs_python.sh`).

// The app's allocator (src/main.rs): the audience is built inside the app.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{Criterion, criterion_group, criterion_main};
use kitle::engine::audience::normalise::PhoneRegion;
use kitle::engine::audience::{AudienceRequest, Identifier, Platform, audience_rows};
use kitle::engine::data::{CustomerData, FieldInfo, FieldOrigin};
use kitle::engine::fields::FieldType;
use kitle_benches::audience_members as members;
use polars::prelude::*;

fn table(rows: &[[String; 4]]) -> CustomerData {
    let column = |i: usize, name: &str| {
        Series::new(name.into(), rows.iter().map(|r| r[i].as_str()).collect::<Vec<_>>()).into_column()
    };
    let n = rows.len();
    let yes = Series::new("accepts_marketing".into(), vec![true; n]).into_column();
    let df = DataFrame::new(
        n,
        vec![column(0, "email"), column(1, "phone"), column(2, "first_name"), column(3, "last_name"), yes],
    )
    .expect("frame");
    let field = |name: &str, ty| FieldInfo { name: name.into(), ty, origin: FieldOrigin::Canonical };
    CustomerData {
        customers: df,
        fields: vec![
            field("email", FieldType::Text),
            field("phone", FieldType::Text),
            field("first_name", FieldType::Text),
            field("last_name", FieldType::Text),
            field("accepts_marketing", FieldType::Bool),
        ],
        orders: None,
        order_lines: None,
        spend: Vec::new(),
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 11, 1).expect("date"),
        report: Default::default(),
    }
}

fn hash_members(c: &mut Criterion) {
    let data = table(&members(1_000_000));
    let all: Vec<IdxSize> = (0..1_000_000).collect();
    let identifiers = [Identifier::Email, Identifier::Phone, Identifier::FirstName, Identifier::LastName];
    let mut group = c.benchmark_group("audience_1m");
    group.sample_size(10);
    for platform in [Platform::Google, Platform::Meta] {
        let request =
            AudienceRequest { platform, identifiers: &identifiers, consent_only: true, region: PhoneRegion::default() };
        let rows = audience_rows(&data, &all, &request).expect("rows");
        assert_eq!(rows.rows.len(), 1_000_000);
        assert!(rows.rows.iter().all(|r| r.values.iter().all(Option::is_some)), "every identifier usable");
        group.bench_function(platform.id(), |b| b.iter(|| audience_rows(&data, &all, &request).expect("rows")));
    }
    group.finish();
}

criterion_group!(benches, hash_members);
criterion_main!(benches);
