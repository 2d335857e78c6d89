//! Pushes that survive anything, against the fake APIs' faults: a `kill -9` mid-push
//! (the next push resumes with what is left; the Meta audience made is reused), an
//! answer lost after the platform applied the batch (sent again, harmlessly), an
//! expired token (stops with a sentence; the next push sends only the rest), Meta's
//! rate limit (waited out) and Meta refusing removals that leave an audience too small.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use kitle::engine::audience::Platform;
use kitle::engine::audience::diff::{Membership, SentBy, membership_path};

use crate::fake_api::{Action, FakeApi, GOOGLE_ACCOUNT, GOOGLE_LIST, META_ACCOUNT, TOKEN};
use crate::helpers::TEST_KEYCHAIN;
use crate::push::{emails, push, set_rule, shop};

fn journal_of(ws: &str, platform: Platform) -> PathBuf {
    let mut path = membership_path(Path::new(ws), "VIP", platform, SentBy::Api).into_os_string();
    path.push(".journal");
    PathBuf::from(path)
}

fn recorded(ws: &str, platform: Platform) -> usize {
    Membership::load(&membership_path(Path::new(ws), "VIP", platform, SentBy::Api)).unwrap().members.len()
}

/// 10,001 members (two batches); the process is killed while the platform holds
/// its answer to the second batch, once the first is journalled.
fn killed_mid_push_then_resumed(platform: Platform) {
    let dir = tempfile::tempdir().unwrap();
    let ws = shop(dir.path(), 11_112, "ltv >= 10");
    let fake = FakeApi::start();
    let creation = usize::from(platform == Platform::Meta);
    let mut script = vec![Action::Normal; creation + 1];
    script.push(Action::Hold(Duration::from_secs(3)));
    fake.then(&script);
    let (account, list) =
        if platform == Platform::Meta { (META_ACCOUNT, None) } else { (GOOGLE_ACCOUNT, Some(GOOGLE_LIST)) };
    let mut args = vec!["audience", &ws, "--name", "VIP", "--push", "--platform", platform.id()];
    args.extend(["--endpoint", &fake.url, "--token", TOKEN, "--account", account]);
    args.extend(list.map(|l| ["--list", l]).into_iter().flatten());
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kitle"))
        .args(&args)
        .env("KITLE_KEYCHAIN_SERVICE", TEST_KEYCHAIN)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let journal = journal_of(&ws, platform);
    let start = Instant::now();
    while !std::fs::read_to_string(&journal).is_ok_and(|j| j.contains("\nend\n")) {
        assert!(start.elapsed() < Duration::from_secs(60), "the first batch is journalled");
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL: no clean-up of any kind
    child.wait().unwrap();
    assert!(!membership_path(Path::new(&ws), "VIP", platform, SentBy::Api).exists(), "killed before the end");
    assert_eq!(recorded(&ws, platform), 10_000, "the journal holds the accepted batch");

    let (ok, out, err) = push(&ws, &fake, platform, &[]);
    assert!(ok, "{err}");
    assert!(out.contains("1 adds sent, 0 removes sent in 1 requests"), "only what was left is sent: {out}");
    assert_eq!(fake.members().len(), 10_001, "everyone is in the audience, once");
    // The batch whose answer the kill cut off may have been applied: it went again.
    assert!(fake.adds_of_each().iter().rev().skip(1).all(|n| *n == 1), "{:?}", &fake.adds_of_each()[10_000..]);
    let created = fake.state.lock().unwrap().seen.iter().filter(|s| s.path.contains("customaudiences")).count();
    assert_eq!(created, creation, "the Meta audience made before the kill is carried on with");
    assert!(!journal.exists(), "a finished push leaves no journal");
    assert_eq!(recorded(&ws, platform), 10_001);
}

#[test]
fn google_push_killed_mid_way_resumes_with_what_is_left() {
    killed_mid_push_then_resumed(Platform::Google);
}

#[test]
fn meta_push_killed_mid_way_resumes_with_what_is_left() {
    killed_mid_push_then_resumed(Platform::Meta);
}

/// The platform applies a batch but its answer is lost: the batch is sent again
/// (the platforms de-duplicate adds) and recorded once.
fn answer_lost_after_apply(platform: Platform) {
    let dir = tempfile::tempdir().unwrap();
    let ws = shop(dir.path(), 150, "ltv >= 0");
    let fake = FakeApi::start();
    let mut script = vec![Action::Normal; usize::from(platform == Platform::Meta)];
    script.push(Action::LoseAnswer);
    fake.then(&script);
    let (ok, out, err) = push(&ws, &fake, platform, &[]);
    assert!(ok, "{err}");
    assert!(out.contains("135 adds sent"), "{out}");
    assert_eq!(fake.members(), emails(1..=150), "in the audience once each");
    assert!(fake.adds_of_each().iter().all(|n| *n == 2), "the lost answer's batch was sent twice, harmlessly");
    assert_eq!(recorded(&ws, platform), 135);
}

#[test]
fn google_answer_lost_after_apply_is_sent_again_harmlessly() {
    answer_lost_after_apply(Platform::Google);
}

#[test]
fn meta_answer_lost_after_apply_is_sent_again_harmlessly() {
    answer_lost_after_apply(Platform::Meta);
}

/// The token expires after the first batch: the push stops with a sentence asking
/// for a new one, the batch accepted is recorded, and the next push sends the rest.
fn token_expires_mid_push(platform: Platform, expired: Action) {
    let dir = tempfile::tempdir().unwrap();
    let ws = shop(dir.path(), 11_112, "ltv >= 10");
    let fake = FakeApi::start();
    let mut script = vec![Action::Normal; 1 + usize::from(platform == Platform::Meta)];
    script.push(expired);
    fake.then(&script);
    let (ok, out, err) = push(&ws, &fake, platform, &[]);
    assert!(!ok, "{out}");
    assert!(err.contains("token has expired or was revoked") && err.contains("Give a new token"), "{err}");
    assert_eq!(recorded(&ws, platform), 10_000, "progress is kept");
    let (ok, out, err) = push(&ws, &fake, platform, &[]);
    assert!(ok, "{err}");
    assert!(out.contains("1 adds sent"), "{out}");
    assert_eq!(fake.members().len(), 10_001);
    assert!(fake.adds_of_each().iter().all(|n| *n == 1), "nothing sent twice");
}

#[test]
fn google_token_expiry_stops_with_a_sentence_and_keeps_progress() {
    token_expires_mid_push(Platform::Google, Action::google_token_expired());
}

#[test]
fn meta_token_expiry_stops_with_a_sentence_and_keeps_progress() {
    token_expires_mid_push(Platform::Meta, Action::meta_token_expired());
}

/// Meta's rate limit (code 80003, HTTP 400) is waited out and the batch retried.
#[test]
fn metas_rate_limit_is_waited_out() {
    let dir = tempfile::tempdir().unwrap();
    let ws = shop(dir.path(), 150, "ltv >= 0");
    let fake = FakeApi::start();
    fake.then(&[Action::Normal, Action::meta_rate_limited()]);
    let (ok, out, err) = push(&ws, &fake, Platform::Meta, &[]);
    assert!(ok, "{err}");
    assert!(out.contains("135 adds sent"), "{out}");
    let statuses: Vec<u16> = fake.member_requests().iter().map(|s| s.status).collect();
    assert_eq!(statuses, [400, 200]);
    fake.assert_valid();
}

/// Meta refuses removals that would leave the audience too small: the push says
/// so in a sentence and the members stay recorded as in the audience.
#[test]
fn metas_too_small_refusal_is_said_and_the_members_stay_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let ws = shop(dir.path(), 150, "ltv >= 0");
    let fake = FakeApi::start();
    let (ok, _, err) = push(&ws, &fake, Platform::Meta, &[]);
    assert!(ok, "{err}");
    set_rule(&ws, "ltv >= 1400");
    fake.then(&[Action::meta_too_small()]);
    let (ok, _, err) = push(&ws, &fake, Platform::Meta, &[]);
    assert!(!ok);
    assert!(err.contains("Meta refused these removals: the audience would be left too small"), "{err}");
    assert_eq!(recorded(&ws, Platform::Meta), 135, "nobody was removed");
    assert_eq!(fake.members().len(), 135);
}
