//! Personas against real-looking customers: every fit figure checked against a
//! plain count over the rows written (support, base, lift, Wilson bounds, joint
//! share, coverage), with empty values; a property test on random tables and
//! traits; the "missed traits" scan finds a planted difference and ignores noise;
//! and the command line's `fit`, `personas`, `persona add` and `persona draft`.

use kitle::engine::data::CustomerData;
use kitle::engine::fields::SourceKind;
use kitle::engine::persona::Persona;
use kitle::engine::persona::fit::{Fit, Verdict, fit};
use kitle::engine::segment::evaluate::SegmentFrame;
use proptest::prelude::*;

use crate::helpers::{date, kitle, load};

/// One customer as written to the file.
#[derive(Debug, Clone)]
struct Row {
    age: Option<u32>,
    gender: Option<&'static str>,
    city: Option<&'static str>,
    channel: &'static str,
    ltv: u32,
    color: &'static str,
    score: u32,
}

const CITIES: [&str; 5] = ["İstanbul", "Ankara", "İzmir", "Bursa", "Antalya"];
const CHANNELS: [&str; 4] = ["Google Ads", "Instagram", "Organik", "E-posta"];
const COLORS: [&str; 4] = ["kırmızı", "mavi", "yeşil", "sarı"];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// `n` customers; VIPs (ltv > 3000) come from Instagram three times as often as
/// others. Colour and score are noise. About one in eight has no age, gender or city.
fn rows(n: usize, seed: u64) -> Vec<Row> {
    let mut rng = Rng(seed);
    (0..n)
        .map(|_| {
            let ltv = 100 + u32::try_from(rng.below(6000)).unwrap();
            let vip = ltv > 3000;
            let instagram = rng.below(100) < if vip { 60 } else { 20 };
            let channel =
                if instagram { "Instagram" } else { CHANNELS[[0, 2, 3][usize::try_from(rng.below(3)).unwrap()]] };
            Row {
                age: (rng.below(8) != 0).then(|| 18 + u32::try_from(rng.below(50)).unwrap()),
                gender: (rng.below(8) != 0).then(|| if rng.below(2) == 0 { "Erkek" } else { "Kadın" }),
                city: (rng.below(8) != 0).then(|| CITIES[usize::try_from(rng.below(5)).unwrap()]),
                channel,
                ltv,
                color: COLORS[usize::try_from(rng.below(4)).unwrap()],
                score: u32::try_from(rng.below(1000)).unwrap(),
            }
        })
        .collect()
}

fn data(dir: &std::path::Path, rows: &[Row]) -> CustomerData {
    // Age is derived from the birth date (as of 2026-06-01, born on 1 January).
    let mut text = String::from("Customer ID,Birth Date,Gender,City,Acquisition Channel,Total Spent,Color,Score\n");
    for (i, r) in rows.iter().enumerate() {
        let opt = |v: Option<String>| v.unwrap_or_default();
        text += &format!(
            "{},{},{},{},{},{},{},{}\n",
            i + 1,
            opt(r.age.map(|a| format!("{}-01-01", 2026 - a))),
            opt(r.gender.map(str::to_owned)),
            opt(r.city.map(str::to_owned)),
            r.channel,
            r.ltv,
            r.color,
            r.score
        );
    }
    let path = dir.join("customers.csv");
    std::fs::write(&path, text).unwrap();
    let source = load(SourceKind::Customers, path.to_str().unwrap()).unwrap();
    kitle::engine::build::build(Some(source), None, None, date(2026, 6, 1)).unwrap()
}

fn fit_of(data: CustomerData, traits: &[&str], rule: &str) -> Fit {
    let frame = SegmentFrame::new(std::sync::Arc::new(data));
    let group = kitle::engine::segment::parse(rule).unwrap();
    let members = frame.members(&frame.compile(&group)).unwrap();
    let persona = Persona { traits: traits.iter().map(|t| (*t).to_owned()).collect(), ..Persona::new("Test") };
    fit(&frame, &persona, &members, Some(&group)).unwrap()
}

/// The 95% Wilson interval, written out independently of the engine.
fn wilson(k: f64, n: f64) -> (f64, f64) {
    let z: f64 = 1.96;
    let p = k / n;
    let d = 1.0 + z * z / n;
    let c = p + z * z / (2.0 * n);
    let r = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt();
    ((c - r) / d, (c + r) / d)
}

/// Checks one trait's figures against a count over the rows.
fn check_trait(
    fit: &Fit,
    index: usize,
    rows: &[Row],
    in_s: impl Fn(&Row) -> bool,
    known: impl Fn(&Row) -> bool,
    holds: impl Fn(&Row) -> bool,
) {
    let t = &fit.traits[index];
    let count = |f: &dyn Fn(&Row) -> bool| rows.iter().filter(|r| f(r)).count() as f64;
    let (s_known, s_hold) = (count(&|r| in_s(r) && known(r)), count(&|r| in_s(r) && known(r) && holds(r)));
    let (u_known, u_hold) = (count(&|r| known(r)), count(&|r| known(r) && holds(r)));
    let close = |a: Option<f64>, b: f64, what: &str| {
        let a = a.unwrap_or(f64::NAN);
        // No customer holds the trait at all: the oracle's 0 ÷ 0 is "no figure" too.
        let both_missing = a.is_nan() && b.is_nan();
        assert!(both_missing || (a - b).abs() < 5e-4, "{}: {what} {a} vs {b}", t.trait_text);
    };
    assert_eq!(t.members_known as f64, s_known, "{}", t.trait_text);
    close(t.support, s_hold / s_known, "support");
    close(t.base, u_hold / u_known, "base");
    close(t.lift, (s_hold / s_known) / (u_hold / u_known), "lift");
    let (lo, hi) = wilson(s_hold, s_known);
    close(t.support_low, lo, "low");
    close(t.support_high, hi, "high");
    close(Some(t.known), s_known / count(&|r| in_s(r)), "known");
}

#[test]
fn every_figure_matches_a_plain_count_over_the_rows() {
    let dir = tempfile::tempdir().unwrap();
    let rows = rows(4000, 7);
    let traits = ["age between 30 and 45", "gender = \"Erkek\"", "city in (\"İstanbul\", \"Ankara\")", "ltv > 2000"];
    let f = fit_of(data(dir.path(), &rows), &traits, "ltv > 3000");
    let vip = |r: &Row| r.ltv > 3000;
    check_trait(&f, 0, &rows, vip, |r| r.age.is_some(), |r| r.age.is_some_and(|a| (30..=45).contains(&a)));
    check_trait(&f, 1, &rows, vip, |r| r.gender.is_some(), |r| r.gender == Some("Erkek"));
    check_trait(&f, 2, &rows, vip, |r| r.city.is_some(), |r| matches!(r.city, Some("İstanbul" | "Ankara")));
    check_trait(&f, 3, &rows, vip, |_| true, |r| r.ltv > 2000);
    let members = rows.iter().filter(|r| vip(r)).count();
    assert_eq!(f.members, members);
    assert!((f.coverage - members as f64 / rows.len() as f64).abs() < 1e-12);
    let joint = rows
        .iter()
        .filter(|r| {
            vip(r)
                && r.age.is_some_and(|a| (30..=45).contains(&a))
                && r.gender == Some("Erkek")
                && matches!(r.city, Some("İstanbul" | "Ankara"))
        })
        .count();
    assert!(
        (f.joint_share - joint as f64 / members as f64).abs() < 1e-12,
        "joint share counts unknowns as not matching"
    );
    assert!(f.joint_share < f.traits[0].support.unwrap() * 0.5, "the joint share falls as traits are added");
    // The verdicts follow the documented rule.
    assert_eq!(f.traits[3].verdict, Verdict::Confirmed, "every VIP spent over 2000");
    assert_eq!(f.traits[0].verdict, Verdict::Contradicted, "30–45 is about a third of members");
    let parts = f.score_parts.unwrap();
    let expected = (100.0 * (0.5 * parts.agreement + 0.3 * parts.joint + 0.2 * parts.distinctiveness)).round() as u32;
    assert_eq!(f.score, Some(expected));
}

#[test]
fn each_trait_has_a_chart_of_the_segment_beside_all_customers() {
    let dir = tempfile::tempdir().unwrap();
    let rows = rows(3000, 11);
    let f = fit_of(data(dir.path(), &rows), &["gender = \"Erkek\"", "age between 30 and 45"], "ltv > 3000");
    let gender = f.charts[0].as_ref().unwrap();
    let erkek = gender.iter().find(|b| b.label == "Erkek").unwrap();
    let kadin = gender.iter().find(|b| b.label == "Kadın").unwrap();
    assert!(erkek.in_trait && !kadin.in_trait, "the trait's value is marked");
    assert!((erkek.segment - f.traits[0].support.unwrap()).abs() < 1e-12, "the bar is the trait's support");
    assert!((erkek.all - f.traits[0].base.unwrap()).abs() < 1e-12, "and all customers' bar its base");
    let age = f.charts[1].as_ref().unwrap();
    assert_eq!(age.len(), 8);
    let total = |v: &dyn Fn(&kitle::engine::persona::chart::Bin) -> f64| age.iter().map(v).sum::<f64>();
    assert!((total(&|b| b.segment) - 1.0).abs() < 1e-9 && (total(&|b| b.all) - 1.0).abs() < 1e-9);
    for bin in age {
        let start: f64 = bin.label.split('–').next().unwrap().parse().unwrap();
        if start >= 46.0 || start + 6.0 <= 30.0 {
            assert!(!bin.in_trait, "{} is outside 30–45", bin.label);
        }
    }
    assert!(age.iter().any(|b| b.in_trait));
}

#[test]
fn the_missed_scan_finds_the_planted_trait_and_not_the_noise() {
    let dir = tempfile::tempdir().unwrap();
    let rows = rows(6000, 42);
    let f = fit_of(data(dir.path(), &rows), &["ltv > 2000"], "ltv > 3000");
    let top = &f.missed[0];
    assert_eq!((top.field.as_str(), top.value.as_str()), ("channel", "Instagram"), "{:#?}", f.missed);
    assert!(top.lift > 1.4 && top.support > 0.55, "{top:?}");
    let fields: Vec<&str> = f.missed.iter().map(|m| m.field.as_str()).collect();
    assert!(!fields.iter().any(|f| *f == "Color" || *f == "Score"), "noise is not reported: {fields:?}");
    assert!(!fields.contains(&"ltv"), "fields the persona and the segment's rule read are not 'missed'");
    // The strongest suggestion adds it, and applying it adds the trait.
    let add = f.suggestions.iter().find(|s| s.trait_text.as_deref() == Some("channel = \"Instagram\"")).unwrap();
    let persona = Persona { traits: vec!["ltv > 2000".into()], ..Persona::new("T") };
    assert_eq!(add.apply(&persona).traits, ["ltv > 2000", "channel = \"Instagram\""]);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]
    #[test]
    fn figures_match_the_oracle_on_random_tables(seed in 1u64..u64::MAX, lo in 18u32..60, span in 0u32..30, city in 0usize..5, cut in 500u32..5000) {
        let dir = tempfile::tempdir().unwrap();
        let rows = rows(300, seed);
        let hi = lo + span;
        let city = CITIES[city];
        let traits = [format!("age between {lo} and {hi}"), format!("city = \"{city}\"")];
        let traits: Vec<&str> = traits.iter().map(String::as_str).collect();
        let f = fit_of(data(dir.path(), &rows), &traits, &format!("ltv > {cut}"));
        let in_s = |r: &Row| r.ltv > cut;
        prop_assume!(rows.iter().filter(|r| in_s(r) && r.age.is_some() && r.city.is_some()).count() > 0);
        check_trait(&f, 0, &rows, in_s, |r| r.age.is_some(), |r| r.age.is_some_and(|a| (lo..=hi).contains(&a)));
        check_trait(&f, 1, &rows, in_s, |r| r.city.is_some(), |r| r.city == Some(city));
        let members = rows.iter().filter(|r| in_s(r)).count();
        let joint = rows.iter().filter(|r| in_s(r) && r.age.is_some_and(|a| (lo..=hi).contains(&a)) && r.city == Some(city)).count();
        prop_assert_eq!(f.members, members);
        prop_assert!((f.joint_share - joint as f64 / members as f64).abs() < 1e-12);
    }
}

#[test]
fn the_command_line_fits_lists_adds_and_drafts_personas() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("demo.kitle");
    let (ok, _, err) = kitle(&["demo", dir.path().to_str().unwrap()]);
    assert!(ok, "{err}");
    let ws = ws.to_str().unwrap();
    let (ok, out, err) = kitle(&["personas", ws, "--json"]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let score = |name: &str| {
        v["personas"].as_array().unwrap().iter().find(|p| p["name"] == name).unwrap()["segments"][0]["score"]
            .as_u64()
            .unwrap()
    };
    assert!(score("Sadık Selin") >= 80, "the persona built from what sets VIPs apart fits");
    assert!(score("Girişimci Gökhan") <= 40, "the big-city Google Ads man does not");

    let (ok, out, err) = kitle(&["fit", ws, "--persona", "Girişimci Gökhan", "--json"]);
    assert!(ok, "{err}");
    let f: serde_json::Value = serde_json::from_str(&out).unwrap();
    for key in ["score", "members", "coverage", "joint_share", "traits", "missed", "suggestions"] {
        assert!(f.get(key).is_some(), "{key}");
    }
    let t = &f["traits"][1];
    assert_eq!(t["trait"], "gender = \"Erkek\"");
    for key in ["support", "support_low", "support_high", "base", "lift", "known", "verdict"] {
        assert!(t.get(key).is_some(), "{key}");
    }
    assert_eq!(t["verdict"], "contradicted");
    assert_eq!(t["where_most"]["value"]["value"], "Kadın", "the analysis says where the members are");

    let (ok, out, err) = kitle(&["persona", "draft", ws, "--segment", "Yüksek LTV'li Müşteriler (VIP)", "--json"]);
    assert!(ok, "{err}");
    let drafted = Persona::from_json(&out).unwrap();
    assert!(drafted.name.starts_with("Draft — ") && !drafted.traits.is_empty());
    let file = dir.path().join("draft.json");
    std::fs::write(&file, &out).unwrap();
    let (ok, _, err) = kitle(&["persona", "add", ws, "--file", file.to_str().unwrap()]);
    assert!(ok, "{err}");
    let (ok, out, err) = kitle(&["fit", ws, "--persona", &drafted.name, "--json"]);
    assert!(ok, "{err}");
    let f: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(f["score"].as_u64().unwrap() >= 70, "a draft fits the segment it was drafted from: {}", f["score"]);
    let (ok, _, err) = kitle(&["fit", ws, "--persona-file", "/nonexistent.json", "--rule", "ltv > 0"]);
    assert!(!ok && err.contains("could not be read"), "{err}");
}

/// A one-request OpenAI-compatible server on a loopback port: returns its URL and
/// what it received.
fn fake_chat() -> (String, std::sync::mpsc::Receiver<(String, String)>) {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/v1", listener.local_addr().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    #[allow(clippy::disallowed_methods)] // a test's server thread
    std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let mut length = 0;
        loop {
            let mut h = String::new();
            reader.read_line(&mut h).unwrap();
            if h.trim().is_empty() {
                break;
            }
            if let Some(v) = h.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        tx.send((line, String::from_utf8(body).unwrap())).unwrap();
        let reply = r#"{"choices":[{"message":{"role":"assistant","content":"VIPs are mostly women."}}]}"#;
        let mut stream = stream;
        write!(stream, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{reply}", reply.len()).unwrap();
    });
    (url, rx)
}

#[test]
fn the_ai_narrative_request_holds_aggregates_only() {
    use kitle::connect::ai::{ask, request_body};
    use kitle::connect::http::Endpoint;
    let dir = tempfile::tempdir().unwrap();
    let (ok, _, err) = kitle(&["demo", dir.path().to_str().unwrap()]);
    assert!(ok, "{err}");
    let path = dir.path().join("demo.kitle");
    let ws = kitle::engine::workspace::Workspace::load(&path).unwrap();
    let data = ws.load_data(&path, &kitle::engine::import::Progress::default()).unwrap();
    let emails: Vec<String> =
        data.customers.column("email").unwrap().str().unwrap().iter().flatten().map(str::to_owned).collect();
    let ids: Vec<String> = data
        .customers
        .column("customer_id")
        .unwrap()
        .cast(&polars::prelude::DataType::String)
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .flatten()
        .map(str::to_owned)
        .collect();
    let frame = SegmentFrame::new(std::sync::Arc::new(data));
    let persona = ws.personas.iter().find(|p| p.name == "Girişimci Gökhan").unwrap().clone();
    let group = kitle::engine::segment::parse(&ws.segments[0].rule).unwrap();
    let members = frame.members(&frame.compile(&group)).unwrap();
    let f = fit(&frame, &persona, &members, Some(&group)).unwrap();

    let (url, received) = fake_chat();
    let body = request_body("local-model", &persona, &f, "English");
    let answer = ask(&Endpoint::parse(&url).unwrap(), None, &body).unwrap();
    assert_eq!(answer, "VIPs are mostly women.");
    let (request_line, sent) = received.recv().unwrap();
    assert!(request_line.starts_with("POST /v1/chat/completions"), "{request_line}");
    let sent: serde_json::Value = serde_json::from_str(&sent).unwrap();
    assert_eq!(sent, body, "exactly what the app shows is sent");
    let user: serde_json::Value = serde_json::from_str(sent["messages"][1]["content"].as_str().unwrap()).unwrap();
    let mut keys: Vec<&str> = user.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["coverage", "joint_share", "missed", "persona", "score", "segment_members", "traits"]);
    let raw = sent.to_string();
    assert!(!emails.iter().any(|e| raw.contains(e.as_str())), "no customer's email is sent");
    assert!(
        !ids.iter().filter(|id| id.len() >= 5).any(|id| raw.contains(&format!("\"{id}\""))),
        "no customer id is sent"
    );
}
