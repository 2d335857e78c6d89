//! `kitle audience --push` against fake Google and Meta APIs: the first push, a
//! second push after the segment changed (only who entered and who left), a 429
//! then success, a 500 mid-way (the next push resumes, nothing is sent twice or
//! recorded that failed), and 10,001 members in two batches.

use std::path::Path;

use kitle::engine::audience::diff::{Membership, SentBy, membership_path};
use kitle::engine::audience::{Audience, Identifier, Platform};
use kitle::engine::workspace::{Segment, Workspace};

use crate::fake_api::{FakeApi, GOOGLE_ACCOUNT, GOOGLE_LIST, META_ACCOUNT, META_AUDIENCE, TOKEN};
use crate::helpers::kitle;

/// A shop of `n` customers (customer `i` spent `i * 10`), all but every tenth
/// accepting marketing, with the audience "VIP" on the saved segment "Big".
pub(crate) fn shop(dir: &Path, n: usize, rule: &str) -> String {
    shop_with(dir, n, rule, None)
}

/// One more yes/no column: its header and which customers say yes.
type YesColumn<'a> = (&'a str, fn(usize) -> bool);

/// [`shop`], with one more yes/no column.
fn shop_with(dir: &Path, n: usize, rule: &str, extra: Option<YesColumn<'_>>) -> String {
    let csv = dir.join("customers.csv");
    let mut text = String::from("Customer ID,First Name,Last Name,Email,Phone,Accepts Marketing,Total Spent");
    text += &extra.map(|(header, _)| format!(",{header}\n")).unwrap_or_else(|| "\n".into());
    for i in 1..=n {
        let consent = if i % 10 == 0 { "no" } else { "yes" };
        text += &format!("{i},Ayşe{i},Yılmaz,musteri{i}@example.com,0532 {:07},{consent},{}", 1_000_000 + i, i * 10);
        text += &extra
            .map(|(_, yes)| if yes(i) { ",evet\n" } else { ",hayır\n" }.to_owned())
            .unwrap_or_else(|| "\n".into());
    }
    std::fs::write(&csv, text).unwrap();
    let ws = dir.join("shop.kitle");
    let ws_text = ws.to_str().unwrap().to_owned();
    let (ok, _, err) =
        kitle(&["import", "--customers", csv.to_str().unwrap(), "--as-of", "2026-06-01", "-o", &ws_text]);
    assert!(ok, "{err}");
    let mut workspace = Workspace::load(&ws).unwrap();
    workspace.segments.push(Segment::new("Big", "", rule));
    workspace.audiences.push(Audience {
        name: "VIP".into(),
        segment: "Big".into(),
        rule: None,
        platforms: vec![Platform::Google, Platform::Meta],
        identifiers: vec![Identifier::Email, Identifier::Phone, Identifier::FirstName, Identifier::LastName],
        consent_only: true,
        last_sent: None,
        destinations: Default::default(),
    });
    workspace.save(&ws).unwrap();
    ws_text
}

pub(crate) fn set_rule(ws: &str, rule: &str) {
    let mut workspace = Workspace::load(Path::new(ws)).unwrap();
    workspace.segments.iter_mut().find(|s| s.name == "Big").unwrap().rule = rule.into();
    workspace.save(Path::new(ws)).unwrap();
}

pub(crate) fn push(ws: &str, fake: &FakeApi, platform: Platform, extra: &[&str]) -> (bool, String, String) {
    let (account, list) = match platform {
        Platform::Google => (GOOGLE_ACCOUNT, Some(GOOGLE_LIST)),
        _ => (META_ACCOUNT, None),
    };
    let mut args = vec!["audience", ws, "--name", "VIP", "--push", "--platform", platform.id()];
    args.extend(["--endpoint", &fake.url, "--token", TOKEN, "--account", account]);
    if let Some(list) = list {
        args.extend(["--list", list]);
    }
    args.extend(extra);
    kitle(&args)
}

/// The fake's members: email hashes, as the fake keys them.
pub(crate) fn emails(range: impl Iterator<Item = usize>) -> Vec<String> {
    let mut v: Vec<String> = range
        .filter(|i| i % 10 != 0)
        .map(|i| format!("\"{}\"", kitle::engine::audience::normalise::sha256_hex(&format!("musteri{i}@example.com"))))
        .collect();
    v.sort();
    v
}

fn first_push_then_only_the_changes(platform: Platform) {
    let dir = tempfile::tempdir().unwrap();
    let ws = shop(dir.path(), 300, "ltv >= 1000");
    let fake = FakeApi::start();

    let (ok, out, err) = push(&ws, &fake, platform, &["--dry-run"]);
    assert!(ok, "{err}");
    assert!(out.contains("would send 180 adds and 0 removes in 1 requests"), "{out}");
    assert!(fake.member_requests().is_empty(), "a dry run sends nothing");

    let (ok, out, err) = push(&ws, &fake, platform, &[]);
    assert!(ok, "{err}");
    assert!(out.contains("180 adds sent, 0 removes sent in 1 requests"), "{out}");
    assert_eq!(fake.members(), emails(100..=300));

    // The segment changes: 50–249 now. 100–249 stay, 50–99 enter, 250–300 leave.
    set_rule(&ws, "ltv >= 500 and ltv < 2500");
    let (ok, out, err) = push(&ws, &fake, platform, &["--json"]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let line = &v["pushes"][0];
    assert_eq!((line["adds_sent"].as_u64(), line["removes_sent"].as_u64()), (Some(45), Some(45)), "{line}");
    assert_eq!(line["unchanged"], 135);
    assert_eq!(line["requests"], 2);
    assert_eq!(fake.members(), emails(50..=249));
    let routes: Vec<String> = fake.member_requests().iter().map(|s| format!("{} {}", s.method, s.path)).collect();
    let expected = match platform {
        Platform::Google => {
            ["POST /v1/audienceMembers:ingest", "POST /v1/audienceMembers:remove", "POST /v1/audienceMembers:ingest"]
        }
        _ => ["POST /6000/users", "DELETE /6000/users", "POST /6000/users"],
    };
    assert_eq!(routes, expected, "removes go first, then adds");

    // Nothing changed: nothing is sent.
    let before = fake.member_requests().len();
    let (ok, out, _) = push(&ws, &fake, platform, &[]);
    assert!(ok && out.contains("0 adds sent, 0 removes sent in 0 requests"), "{out}");
    assert_eq!(fake.member_requests().len(), before);
    fake.assert_valid();

    // Another list starts from nobody: what was sent to this one says nothing of it.
    let other = match platform {
        Platform::Google => ["--list", "556"],
        _ => ["--list", "6001"],
    };
    let (ok, out, err) = push(&ws, &fake, platform, &[&other[..], &["--dry-run"]].concat());
    assert!(ok && out.contains("would send 180 adds and 0 removes"), "{out}{err}");

    // Where it went is saved; the token is not.
    let text = std::fs::read_to_string(&ws).unwrap();
    assert!(!text.contains(TOKEN), "the token never reaches the workspace");
    let saved = Workspace::load(Path::new(&ws)).unwrap();
    let vip = &saved.audiences[0];
    assert_eq!(vip.last_sent.as_ref().map(|s| (s.platform, s.members, s.how.as_str())), Some((platform, 180, "api")));
    match platform {
        Platform::Google => assert_eq!(vip.destinations.google.as_ref().unwrap().user_list_id, GOOGLE_LIST),
        _ => assert_eq!(vip.destinations.meta.as_ref().unwrap().audience_id.as_deref(), Some(META_AUDIENCE)),
    }
}

#[test]
fn google_first_push_then_only_the_changes() {
    first_push_then_only_the_changes(Platform::Google);
}

#[test]
fn meta_first_push_then_only_the_changes() {
    first_push_then_only_the_changes(Platform::Meta);
}

fn busy_then_accepted(platform: Platform) {
    let dir = tempfile::tempdir().unwrap();
    let ws = shop(dir.path(), 150, "ltv >= 0");
    let fake = FakeApi::start();
    // Meta's first call creates the audience; let it through.
    let skip = usize::from(platform == Platform::Meta);
    fake.fail_next(&[[None].repeat(skip), vec![Some(429), Some(503)]].concat());
    let (ok, out, err) = push(&ws, &fake, platform, &[]);
    assert!(ok, "{err}");
    assert!(out.contains("135 adds sent"), "{out}");
    let statuses: Vec<u16> = fake.member_requests().iter().map(|s| s.status).collect();
    assert_eq!(statuses, [429, 503, 200], "retried after 429 and 503");
    assert_eq!(fake.members(), emails(1..=150));
    fake.assert_valid();
}

#[test]
fn google_retries_after_429() {
    busy_then_accepted(Platform::Google);
}

#[test]
fn meta_retries_after_429() {
    busy_then_accepted(Platform::Meta);
}

/// 10,001 members: two batches. The second fails five times (every retry), so the
/// push stops with 10,000 recorded; the next push sends the one left.
fn split_and_resumed(platform: Platform) {
    let dir = tempfile::tempdir().unwrap();
    let ws = shop(dir.path(), 11_112, "ltv >= 10");
    let fake = FakeApi::start();
    let skip = 1 + usize::from(platform == Platform::Meta);
    fake.fail_next(&[[None].repeat(skip), [Some(500)].repeat(5)].concat());
    let (ok, _, err) = push(&ws, &fake, platform, &[]);
    assert!(!ok, "a failed batch fails the push");
    assert!(err.contains("10000 adds sent") && err.contains("HTTP 500") && err.contains("resumes"), "{err}");
    let path = membership_path(Path::new(&ws), "VIP", platform, SentBy::Api);
    assert_eq!(Membership::load(&path).unwrap().members.len(), 10_000, "only what was accepted is recorded");
    let stopped = || Workspace::load(Path::new(&ws)).unwrap().audiences[0].last_sent.clone().unwrap();
    assert_eq!(stopped().members, 10_000);
    assert!(stopped().stopped.is_some_and(|why| why.contains("500")), "the audience says the push stopped");

    let (ok, out, err) = push(&ws, &fake, platform, &[]);
    assert!(ok, "{err}");
    assert!(out.contains("1 adds sent, 0 removes sent in 1 requests"), "{out}");
    assert_eq!(fake.members().len(), 10_001);
    assert_eq!((stopped().members, stopped().stopped), (10_001, None), "resumed and finished");
    let sizes: Vec<usize> = fake
        .member_requests()
        .iter()
        .filter(|s| s.status == 200)
        .map(|s| s.body["audienceMembers"].as_array().or(s.body["payload"]["data"].as_array()).unwrap().len())
        .collect();
    assert_eq!(sizes, [10_000, 1]);
    fake.assert_valid_but_unfinished(usize::from(platform == Platform::Meta));
}

#[test]
fn google_splits_10001_members_and_resumes_after_a_500() {
    split_and_resumed(Platform::Google);
}

#[test]
fn meta_splits_10001_members_and_resumes_after_a_500() {
    split_and_resumed(Platform::Meta);
}

#[test]
fn a_push_needs_a_token_and_refuses_plain_http_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let ws = shop(dir.path(), 20, "ltv >= 0");
    let base = ["audience", &ws, "--name", "VIP", "--push", "--platform", "google", "--account", "1", "--list", "2"];
    let (ok, _, err) = kitle(&[&base[..], &["--endpoint", "http://127.0.0.1:9"]].concat());
    assert!(!ok && err.contains("KITLE_GOOGLE_TOKEN"), "{err}");
    let (ok, _, err) = kitle(&[&base[..], &["--endpoint", "http://example.com", "--token", "t"]].concat());
    assert!(!ok && err.contains("plain HTTP"), "{err}");
    let (ok, _, err) = kitle(&["audience", &ws, "--name", "Nobody", "--push"]);
    assert!(!ok && err.contains("VIP"), "the saved audiences are named: {err}");
}

/// With a system keychain (CI runs this under a private D-Bus session with
/// gnome-keyring), a token kept there serves the next push; without one, asking to
/// keep it fails clearly and nothing is sent. Either way the user's own entry (the
/// service `kitle`) is left as it was: in CI's scratch keyring one is planted first.
#[test]
fn keychain_a_token_kept_there_serves_the_next_push() {
    use kitle::connect::credentials::keychain;
    let expected = std::env::var_os("KITLE_EXPECT_KEYCHAIN").is_some();
    let users = keychain::platform_account(Platform::Google);
    if expected {
        let planted = kitle::connect::http::Token::new("the-users-own-token").unwrap();
        keychain::save_in(keychain::SERVICE, users, &planted).unwrap();
    }
    let before = keychain::load_in(keychain::SERVICE, users);
    assert!(!expected || before.is_some(), "planted");
    keychain_push_round(expected);
    let after = keychain::load_in(keychain::SERVICE, users);
    assert_eq!(before, after, "the user's own keychain entry is untouched");
    if expected {
        keychain::forget_in(keychain::SERVICE, users).unwrap();
    }
}

/// Keeps a token with one push, uses it in the next, forgets it.
fn keychain_push_round(expected: bool) {
    let dir = tempfile::tempdir().unwrap();
    let ws = shop(dir.path(), 20, "ltv >= 0");
    let fake = FakeApi::start();
    let (ok, out, err) = push(&ws, &fake, Platform::Google, &["--remember-token"]);
    let available = kitle::connect::credentials::keychain::available();
    assert!(available || !expected, "CI's keychain check runs with a Secret Service");
    if !available {
        assert!(!ok && err.contains("could not be kept in the keychain"), "{out}{err}");
        assert!(fake.member_requests().is_empty(), "nothing is sent");
        return;
    }
    assert!(ok, "{err}");
    set_rule(&ws, "ltv >= 100");
    let (ok, out, err) =
        kitle(&["audience", &ws, "--name", "VIP", "--push", "--platform", "google", "--endpoint", &fake.url]);
    assert!(ok, "the kept token is used: {err}");
    assert!(out.contains("0 adds sent, 9 removes sent"), "{out}");
    let secret = |a: &str| kitle::connect::credentials::keychain::load_in(crate::helpers::TEST_KEYCHAIN, a);
    assert!(secret(keychain_account()).is_some(), "kept under the tests' own service");
    kitle::connect::credentials::keychain::forget_in(crate::helpers::TEST_KEYCHAIN, keychain_account()).unwrap();
    let (ok, _, err) =
        kitle(&["audience", &ws, "--name", "VIP", "--push", "--platform", "google", "--endpoint", &fake.url]);
    assert!(!ok && err.contains("KITLE_GOOGLE_TOKEN"), "forgotten: {err}");
}

fn keychain_account() -> &'static str {
    kitle::connect::credentials::keychain::platform_account(Platform::Google)
}

/// Every file and push is in the export record, with counts and field names but
/// never an identifier; `kitle log --json` lists them in order.
#[test]
fn the_export_record_lists_every_file_and_push_without_identifiers() {
    let dir = tempfile::tempdir().unwrap();
    let ws = shop(dir.path(), 300, "ltv >= 1000");
    let (ok, _, err) = kitle(&["log", &ws, "--json"]);
    assert!(ok, "{err}");
    let file = dir.path().join("vip-meta.csv");
    let (ok, _, err) = kitle(&["audience", &ws, "--name", "VIP", "--platform", "meta", "-o", file.to_str().unwrap()]);
    assert!(ok, "{err}");
    let rule_file = dir.path().join("rule.csv");
    let (ok, _, err) =
        kitle(&["audience", &ws, "--rule", "ltv >= 2500", "--platform", "hashed", "-o", rule_file.to_str().unwrap()]);
    assert!(ok, "{err}");
    let fake = FakeApi::start();
    let (ok, _, err) = push(&ws, &fake, Platform::Google, &[]);
    assert!(ok, "{err}");
    set_rule(&ws, "ltv >= 2000");
    let (ok, _, err) = push(&ws, &fake, Platform::Google, &[]);
    assert!(ok, "{err}");

    let (ok, out, err) = kitle(&["log", &ws, "--json"]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let entries = v["entries"].as_array().unwrap();
    let summary: Vec<(String, String, Option<String>, u64)> = entries
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_owned(),
                e["destination"].as_str().unwrap().to_owned(),
                e["audience"].as_str().map(str::to_owned),
                e["members"].as_u64().unwrap(),
            )
        })
        .collect();
    let vip = Some("VIP".to_owned());
    // Customer i spent 10·i: ltv ≥ 1000 is 100..=300, less every tenth (no consent): 180.
    assert_eq!(
        summary,
        [
            ("file".into(), "meta".into(), vip.clone(), 180),
            ("file".into(), "hashed".into(), None, 45),
            ("push".into(), "google".into(), vip.clone(), 180),
            ("remove".into(), "google".into(), vip, 90),
        ]
    );
    assert_eq!(entries[0]["fields"], serde_json::json!(["email", "phone", "first_name", "last_name"]));
    assert_eq!(entries[0]["target"], serde_json::json!(std::path::absolute(&file).unwrap().display().to_string()));
    assert_eq!(entries[1]["rule"], "ltv >= 2500");
    assert!(entries[2]["target"].as_str().unwrap().starts_with("google:"), "{}", entries[2]);
    for e in entries {
        let time = e["time"].as_str().unwrap();
        assert!(chrono::DateTime::parse_from_rfc3339(time).is_ok(), "{time}");
        assert_eq!(e["version"], env!("CARGO_PKG_VERSION"));
    }
    let record = std::fs::read_to_string(dir.path().join("shop.audiences").join("exports.jsonl")).unwrap();
    let hash = kitle::engine::audience::normalise::sha256_hex("musteri150@example.com");
    assert!(!record.contains("musteri150") && !record.contains(&hash), "no identifier is recorded");
    let (ok, text, _) = kitle(&["log", &ws]);
    assert!(ok && text.lines().count() == 4 && text.contains("sent (remove)"), "{text}");
}

/// Where the data records consent to share with ad platforms ("Açık Rıza"), a Meta
/// audience needs it as well as marketing consent: the preview, the file and the
/// push leave out whoever lacks either and say how many and why; a hashed file (no
/// ad platform) needs marketing consent only.
#[test]
fn members_without_consent_to_share_with_ad_platforms_are_left_out_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let ws = shop_with(dir.path(), 300, "ltv >= 1000", Some(("Açık Rıza", |i| !i.is_multiple_of(7))));
    // Members 100..=300; every tenth lacks marketing consent, every seventh the other.
    let both = |i: usize| !i.is_multiple_of(10) && !i.is_multiple_of(7);
    let kept = (100..=300).filter(|&i| both(i)).count();
    let (ok, out, err) = kitle(&["audience", &ws, "--name", "VIP", "--platform", "meta", "--preview", "--json"]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["excluded"], serde_json::json!({"no_consent": 201 - kept}));
    assert_eq!(v["consent_basis"], serde_json::json!(["accepts_marketing", "ad_consent"]));
    assert_eq!(v["members"], kept);
    let (ok, out, _) = kitle(&["audience", &ws, "--name", "VIP", "--platform", "meta", "--preview"]);
    assert!(ok && out.contains(&format!("{} members left out: no marketing consent (accepts_marketing) or no consent to share their data with ad platforms (ad_consent) on record", 201 - kept)), "{out}");

    let file = dir.path().join("vip.csv");
    let (ok, out, err) = kitle(&["audience", &ws, "--name", "VIP", "--platform", "meta", "-o", file.to_str().unwrap()]);
    assert!(ok && out.contains(&format!("{} members left out", 201 - kept)), "{out}{err}");
    assert_eq!(std::fs::read_to_string(&file).unwrap().lines().count() - 1, kept);

    let fake = FakeApi::start();
    let (ok, out, err) = push(&ws, &fake, Platform::Meta, &[]);
    assert!(ok && out.contains(&format!("{} members left out", 201 - kept)), "{out}{err}");
    assert_eq!(fake.members(), emails_where(100..=300, both), "only members with both consents are sent");

    let (ok, out, _) = kitle(&["audience", &ws, "--name", "VIP", "--platform", "hashed", "--preview", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(ok);
    assert_eq!(v["consent_basis"], serde_json::json!(["accepts_marketing"]), "no ad platform, no ad consent needed");
    assert_eq!(v["excluded"]["no_consent"], 21);
}

/// The fake's members (email hashes) for the customers `keep` says are sent.
fn emails_where(range: impl Iterator<Item = usize>, keep: fn(usize) -> bool) -> Vec<String> {
    let mut v: Vec<String> = range
        .filter(|&i| keep(i))
        .map(|i| format!("\"{}\"", kitle::engine::audience::normalise::sha256_hex(&format!("musteri{i}@example.com"))))
        .collect();
    v.sort();
    v
}
