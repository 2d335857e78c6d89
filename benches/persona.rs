//! A persona's fit on 1,000,000 customers: six traits against a 500,000-member
//! segment (support, Wilson interval, base, lift, verdicts, joint share, score),
//! and the full "what the persona misses" scan over every field (numbers, dates,
//! categories, yes/no and tags). Goal: ≤ 50 ms and ≤ 300 ms on 2 cores.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use kitle::engine::data::{CustomerData, FieldInfo, FieldOrigin};
use kitle::engine::fields::FieldType;
use kitle::engine::import::columns::date_to_days;
use kitle::engine::persona::Persona;
use kitle::engine::persona::fit::{fit_traits, member_bits};
use kitle::engine::persona::missed::distinguishing;
use kitle::engine::segment::evaluate::SegmentFrame;
use kitle::engine::segment::parse;
use polars::prelude::*;

const CITIES: [&str; 10] =
    ["İstanbul", "Ankara", "İzmir", "Bursa", "Antalya", "Konya", "Adana", "Gaziantep", "Kayseri", "Eskişehir"];
const CHANNELS: [&str; 6] = ["Google Ads", "Instagram", "Facebook", "TikTok", "E-posta", "Organik"];
const TAGS: [&str; 6] = ["kampanya", "sadık", "yeni", "toptan", "kurumsal", "öğrenci"];

fn as_of() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 1).expect("date")
}

/// `n` customers with the fields a persona speaks of (deterministic, some empty).
fn customers(n: usize) -> CustomerData {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let today = date_to_days(as_of());
    let (mut age, mut gender, mut city, mut channel, mut ltv, mut aov, mut orders, mut last, mut marketing, mut tags) =
        (vec![], vec![], vec![], vec![], vec![], vec![], vec![], vec![], vec![], vec![]);
    for _ in 0..n {
        let r = next();
        age.push((r % 11 != 0).then_some(18 + (r % 60) as i64));
        gender.push((r % 7 != 0).then_some(if (r >> 7) % 2 == 0 { "Erkek" } else { "Kadın" }));
        city.push((r % 9 != 0).then_some(CITIES[((r >> 9) % 10) as usize]));
        channel.push(CHANNELS[((r >> 20) % 6) as usize]);
        ltv.push((r % 17 != 0).then_some((r >> 24) as f64 % 20_000.0));
        aov.push((r >> 32) as f64 % 3_000.0);
        orders.push(((r >> 30) % 12) as i64);
        last.push((r % 13 != 0).then_some(today - ((r >> 8) % 700) as i32));
        marketing.push((r >> 40) % 3 != 0);
        let t: Vec<&str> = TAGS.iter().enumerate().filter(|(i, _)| (r >> (44 + i)) % 5 == 0).map(|(_, t)| *t).collect();
        tags.push(Series::new("".into(), t));
    }
    let last: Int32Chunked = last.into_iter().collect();
    let df = DataFrame::new(
        n,
        vec![
            Series::new("age".into(), age).into_column(),
            Series::new("gender".into(), gender).into_column(),
            Series::new("city".into(), city).into_column(),
            Series::new("channel".into(), channel).into_column(),
            Series::new("ltv".into(), ltv).into_column(),
            Series::new("aov".into(), aov).into_column(),
            Series::new("orders".into(), orders).into_column(),
            last.with_name("last_order_date".into()).into_date().into_series().into_column(),
            Series::new("accepts_marketing".into(), marketing).into_column(),
            Series::new("tags".into(), tags).into_column(),
        ],
    )
    .expect("frame");
    let field = |name: &str, ty| FieldInfo { name: name.into(), ty, origin: FieldOrigin::Canonical };
    CustomerData {
        customers: df,
        fields: vec![
            field("age", FieldType::Integer),
            field("gender", FieldType::Category),
            field("city", FieldType::Category),
            field("channel", FieldType::Category),
            field("ltv", FieldType::Money),
            field("aov", FieldType::Money),
            field("orders", FieldType::Integer),
            field("last_order_date", FieldType::Date),
            field("accepts_marketing", FieldType::Bool),
            field("tags", FieldType::List),
        ],
        orders: None,
        order_lines: None,
        spend: Vec::new(),
        as_of: as_of(),
        report: Default::default(),
    }
}

fn persona_fit(c: &mut Criterion) {
    let frame = SegmentFrame::new(Arc::new(customers(1_000_000)));
    let segment = frame.compile(&parse("ltv > 9400").expect("rule"));
    let members = frame.members(&segment).expect("members");
    assert!((450_000..550_000).contains(&members.len()), "{}", members.len());
    let s = member_bits(&members, 1_000_000);
    let persona = Persona {
        traits: [
            "age between 30 and 45",
            "gender = \"Kadın\"",
            "city in (\"İstanbul\", \"Ankara\", \"İzmir\")",
            "channel = \"Instagram\"",
            "last_order_date within last 90 days",
            "orders >= 3",
        ]
        .map(str::to_owned)
        .to_vec(),
        ..Persona::new("Bench")
    };
    let figures = fit_traits(&frame, &persona, &s).expect("fit");
    assert!(figures.traits.iter().all(|t| t.invalid.is_none()), "{:?}", figures.traits);
    let mut group = c.benchmark_group("persona_1m");
    group.sample_size(20);
    group.bench_function("fit_6_traits_500k_members", |b| b.iter(|| fit_traits(&frame, &persona, &s).expect("fit")));
    group.bench_function("missed_scan_every_field", |b| b.iter(|| distinguishing(&frame, &s, &[]).expect("scan")));
    group.finish();
}

criterion_group!(benches, persona_fit);
criterion_main!(benches);
