//! Remarketing audiences end to end through the command line: the consent filter,
//! each platform's normalisation and hashing, the preview, and the upload files.

use crate::helpers::*;

fn sha(text: &str) -> String {
    kitle::engine::audience::normalise::sha256_hex(text)
}

fn workspace(dir: &tempfile::TempDir, file: &str) -> String {
    let ws = dir.path().join("shop.kitle").to_str().unwrap().to_owned();
    let customers = fixture(file);
    let (ok, _, err) =
        kitle(&["import", "--customers", customers.to_str().unwrap(), "--as-of", "2026-06-01", "-o", &ws]);
    assert!(ok, "{err}");
    ws
}

fn preview(ws: &str, platform: &str) -> serde_json::Value {
    let (ok, out, err) =
        kitle(&["audience", ws, "--rule", "ltv > 5000", "--platform", platform, "--preview", "--json"]);
    assert!(ok, "{err}");
    serde_json::from_str(&out).unwrap()
}

#[test]
fn the_google_preview_shows_what_would_be_sent_normalised_and_hashed() {
    let dir = tempfile::tempdir().unwrap();
    let ws = workspace(&dir, "fixtures/audience/customers.csv");
    let v = preview(&ws, "google");
    assert_eq!(v["segment_members"], 6);
    assert_eq!(v["members"], 5, "Can did not accept marketing");
    assert_eq!(v["with_identifier"], 5);
    let rows = v["rows"].as_array().unwrap();
    let ids: Vec<&str> = rows.iter().map(|r| r["customer_id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["1", "2", "3", "4", "6"], "customer-table order");
    let ismail = &rows[0];
    assert_eq!(ismail["email"]["normalized"], "ismailsahin@gmail.com", "gmail: dots and +tag removed");
    assert_eq!(ismail["email"]["sha256"], sha("ismailsahin@gmail.com"));
    assert_eq!(ismail["phone"]["normalized"], "+905321234567");
    assert_eq!(ismail["first_name"]["normalized"], "ismail");
    assert_eq!(ismail["last_name"]["normalized"], "şahin");
    assert_eq!(ismail["country"]["normalized"], "TR");
    assert!(ismail["country"]["sha256"].is_null(), "Google's country is sent in clear");
    assert_eq!(ismail["zip"]["normalized"], "34740");
    assert_eq!(rows[1]["email"]["normalized"], "ayse@googlemail.com");
    assert_eq!(rows[1]["phone"]["normalized"], "+905321234568");
    assert_eq!(rows[2]["first_name"]["normalized"], "josé", "decomposed accent composed first");
    assert_eq!(rows[2]["phone"]["normalized"], "+16502530000");
    assert_eq!(rows[2]["zip"]["normalized"], "10001");
    assert!(rows[3].get("email").is_none(), "an email without @ is left out, never sent raw");
    assert_eq!(rows[3]["phone"]["normalized"], "+905321234569");
    assert_eq!(v["usable"]["email"], 3);
    assert_eq!(v["usable"]["phone"], 4);
}

#[test]
fn the_meta_preview_follows_metas_rules() {
    let dir = tempfile::tempdir().unwrap();
    let ws = workspace(&dir, "fixtures/audience/customers.csv");
    let rows = preview(&ws, "meta")["rows"].as_array().unwrap().clone();
    let ismail = &rows[0];
    assert_eq!(ismail["email"]["normalized"], "ismail.sahin+promo@gmail.com", "no Gmail rule for Meta");
    assert_eq!(ismail["phone"]["normalized"], "905321234567", "digits with the country code, no +");
    assert_eq!(ismail["city"]["normalized"], "istanbul");
    assert_eq!(ismail["gender"]["normalized"], "m");
    assert_eq!(ismail["birth_year"]["normalized"], "1985");
    assert_eq!(ismail["country"]["normalized"], "tr");
    assert_eq!(ismail["country"]["sha256"], sha("tr"), "Meta hashes the country too");
    assert_eq!(rows[1]["gender"]["normalized"], "f");
    assert_eq!(rows[2]["zip"]["normalized"], "10001");
}

#[test]
fn upload_files_hold_hashes_only_and_are_private() {
    let dir = tempfile::tempdir().unwrap();
    let ws = workspace(&dir, "fixtures/audience/customers.csv");
    let out = dir.path().join("google.csv");
    let (ok, stdout, err) =
        kitle(&["audience", &ws, "--rule", "ltv > 5000", "--platform", "google", "-o", out.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(stdout.contains("5 of 6 segment members written"), "{stdout}");
    let text = std::fs::read_to_string(&out).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("Email,Phone,First Name,Last Name,Country,Zip"));
    let first: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(
        first,
        [sha("ismailsahin@gmail.com").as_str(), &sha("+905321234567"), &sha("ismail"), &sha("şahin"), "TR", "34740"]
    );
    assert!(!text.contains('@') && !text.contains("ismail"), "no identifier in clear: {text}");
    assert_eq!(text.lines().count(), 6);
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o600);

    for (platform, header) in [
        ("meta", "email,phone,fn,ln,ct,zip,country,gen,doby"),
        ("tiktok", "Email_SHA256,Phone_SHA256"),
        ("hashed", "email_sha256,phone_sha256"),
    ] {
        let out = dir.path().join(format!("{platform}.csv"));
        let (ok, _, err) =
            kitle(&["audience", &ws, "--rule", "ltv > 5000", "--platform", platform, "-o", out.to_str().unwrap()]);
        assert!(ok, "{err}");
        let text = std::fs::read_to_string(&out).unwrap();
        let head = text.lines().next().unwrap();
        assert_eq!(head, header, "{platform}: columns for what the data has (no state here)");
        assert!(!text.contains('@'), "{platform}: {text}");
    }
}

#[test]
fn without_a_consent_field_nothing_is_sent_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let ws = workspace(&dir, "fixtures/fidelity/inexact_amounts.csv");
    let out = dir.path().join("google.csv");
    let (ok, _, err) =
        kitle(&["audience", &ws, "--rule", "ltv > 0", "--platform", "google", "-o", out.to_str().unwrap()]);
    assert!(!ok && err.contains("no marketing consent (accepts_marketing) field") && err.contains("--all"), "{err}");
    assert!(!out.exists());
    let (ok, stdout, err) =
        kitle(&["audience", &ws, "--rule", "ltv > 0", "--platform", "google", "--all", "-o", out.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(stdout.contains("consent filter off"), "{stdout}");
}

#[test]
fn a_second_file_says_who_entered_and_who_left() {
    let dir = tempfile::tempdir().unwrap();
    let ws = workspace(&dir, "fixtures/audience/customers.csv");
    let mut workspace = kitle::engine::workspace::Workspace::load(std::path::Path::new(&ws)).unwrap();
    workspace.segments = vec![kitle::engine::workspace::Segment::new("Big spenders", "", "ltv > 6000")];
    workspace.save(std::path::Path::new(&ws)).unwrap();
    let out = dir.path().join("big.csv");
    let run = |rule: Option<&str>| {
        if let Some(rule) = rule {
            let mut w = kitle::engine::workspace::Workspace::load(std::path::Path::new(&ws)).unwrap();
            w.segments[0].rule = rule.to_owned();
            w.save(std::path::Path::new(&ws)).unwrap();
        }
        let (ok, stdout, err) =
            kitle(&["audience", &ws, "--segment", "Big spenders", "--platform", "google", "-o", out.to_str().unwrap()]);
        assert!(ok, "{err}");
        stdout
    };
    // Consenting members over 6000: İsmail (6200), Ayşe (7400) and Zeynep (8000).
    let first = run(None);
    assert!(first.contains("since the last file: 3 adds, 0 removes, 0 unchanged"), "{first}");
    // Over 5000 now: José (5100) and Elif (5600) enter; nobody leaves.
    let second = run(Some("ltv > 5000"));
    assert!(second.contains("2 adds, 0 removes, 3 unchanged"), "{second}");
    let (ok, out_json, _) =
        kitle(&["audience", &ws, "--segment", "Big spenders", "--platform", "google", "--preview", "--json"]);
    assert!(ok);
    let v: serde_json::Value = serde_json::from_str(&out_json).unwrap();
    assert_eq!(v["diff"]["unchanged"], 5, "the preview compares with the last file");
    // Over 7000: only Ayşe and Zeynep stay.
    let third = run(Some("ltv > 7000"));
    assert!(third.contains("0 adds, 3 removes, 2 unchanged"), "{third}");
    let sidecar = dir.path().join("shop.audiences").join("Big_spenders-google.tsv");
    assert!(sidecar.exists(), "the membership is kept beside the workspace, not in it");
}

#[test]
fn the_audience_command_explains_itself() {
    let (ok, out, _) = kitle(&["audience", "--help"]);
    assert!(ok && out.contains("kitle audience WS.kitle (--segment NAME | --rule"), "{out}");
}
