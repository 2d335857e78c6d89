//! İYS consent records joined to the customers at import: the latest EPOSTA record
//! sets marketing (e-mail) consent, the latest MESAJ record SMS consent, matched by
//! e-mail and by phone however it is written; what the register lacks keeps the
//! customer file's value, and audiences follow.

use crate::helpers::kitle;
use kitle::engine::segment::Segment;
use kitle::engine::workspace::Workspace;

fn count(ws: &str, rule: &str) -> u64 {
    let (ok, out, err) = kitle(&["segment", ws, "--rule", rule, "--json"]);
    assert!(ok, "{err}");
    serde_json::from_str::<serde_json::Value>(&out).unwrap()["count"].as_u64().unwrap()
}

#[test]
fn iys_records_set_email_and_sms_consent_by_the_latest_record() {
    let dir = tempfile::tempdir().unwrap();
    let customers = dir.path().join("musteriler.csv");
    std::fs::write(
        &customers,
        "Müşteri No,E-posta,Telefon,Pazarlama İzni,Toplam Harcama\n\
         1,bir@example.com,0532 100 00 01,hayır,100\n\
         2,iki@example.com,0532 100 00 02,evet,200\n\
         3,uc@example.com,0532 100 00 03,evet,300\n\
         4,dort@example.com,0532 100 00 04,evet,400\n\
         5,bes@example.com,0532 100 00 05,hayır,500\n\
         6,alti@example.com,0532 100 00 06,evet,600\n",
    )
    .unwrap();
    let iys = dir.path().join("iys.csv");
    std::fs::write(
        &iys,
        "recipient,type,status,consentDate,source,recipientType\n\
         BIR@example.com,EPOSTA,ONAY,2026-01-05 10:00:00,HS_WEB,BIREYSEL\n\
         iki@example.com,EPOSTA,RET,2026-02-01 09:00:00,HS_WEB,BIREYSEL\n\
         uc@example.com,EPOSTA,RET,2026-03-01 09:00:00,HS_WEB,BIREYSEL\n\
         uc@example.com,EPOSTA,ONAY,2025-01-01 09:00:00,HS_WEB,BIREYSEL\n\
         +905321000004,MESAJ,ONAY,2026-04-01 12:00:00,HS_WEB,BIREYSEL\n\
         +905321000005,ARAMA,ONAY,2026-04-01 12:00:00,HS_WEB,BIREYSEL\n\
         kimse@example.com,EPOSTA,ONAY,2026-04-01 12:00:00,HS_WEB,BIREYSEL\n",
    )
    .unwrap();
    let ws = dir.path().join("magaza.kitle");
    let ws_text = ws.to_str().unwrap();
    let (ok, out, err) = kitle(&[
        "import",
        "--customers",
        customers.to_str().unwrap(),
        "--consent",
        iys.to_str().unwrap(),
        "--as-of",
        "2026-06-01",
        "--json",
        "-o",
        ws_text,
    ]);
    assert!(ok, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let notes = report["notes"].to_string();
    assert!(
        notes.contains("7 consent records read from İYS: e-mail consent taken for 3 customers and SMS consent for 1; 1 recipients match no customer; 1 call (ARAMA)"),
        "{notes}"
    );
    // E-mail consent: 1 given by İYS (the file said no), 2 and 3 refused (3's later
    // record wins), 4 and 6 keep the file's yes, 5 the file's no.
    assert_eq!(count(ws_text, "accepts_marketing is yes"), 3);
    assert_eq!(count(ws_text, "accepts_marketing is yes and customer_id in (\"1\", \"4\", \"6\")"), 3);
    assert_eq!(count(ws_text, "sms_consent is yes"), 1, "customer 4's MESAJ record, matched by phone");
    assert_eq!(count(ws_text, "sms_consent is yes and customer_id = \"4\""), 1);

    // An audience follows the register.
    let (ok, out, err) =
        kitle(&["audience", ws_text, "--rule", "ltv >= 0", "--platform", "hashed", "--preview", "--json"]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!((v["members"].as_u64(), v["excluded"]["no_consent"].as_u64()), (Some(3), Some(3)));

    // The workspace keeps the consent file as a source: opening it again applies it again.
    assert!(std::fs::read_to_string(&ws).unwrap().contains("kind: consent"));
    assert_eq!(count(ws_text, "accepts_marketing is yes"), 3);
}

#[test]
fn a_file_that_is_not_an_iys_export_is_refused_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let customers = dir.path().join("c.csv");
    std::fs::write(&customers, "Customer ID,Email\n1,a@example.com\n").unwrap();
    let other = dir.path().join("other.csv");
    std::fs::write(&other, "name,note\nx,y\n").unwrap();
    let ws = dir.path().join("w.kitle");
    let (ok, _, err) = kitle(&[
        "import",
        "--customers",
        customers.to_str().unwrap(),
        "--consent",
        other.to_str().unwrap(),
        "-o",
        ws.to_str().unwrap(),
    ]);
    assert!(!ok);
    assert!(err.contains("is not an İYS consent export"), "{err}");
}

/// A shop of five customers with a marketing-consent column, saved as `name`
/// with a segment "Herkes" of everyone; with İYS SMS records when `iys`.
fn list_shop(dir: &std::path::Path, name: &str, iys: bool) -> std::path::PathBuf {
    let customers = dir.join("musteriler.csv");
    std::fs::write(
        &customers,
        "Müşteri No,Ad Soyad,E-posta,Telefon,Pazarlama İzni,Toplam Harcama\n\
         1,Ayşe  Yılmaz,Ayse@Example.com,0532 100 00 01,evet,100\n\
         2,Mehmet Can Demir,iki@example.com,0532 100 00 02,hayır,200\n\
         3,Zeynep Kaya,,0532 100 00 03,evet,300\n\
         4,Ali Çelik,dort@example.com,0532 100 00 04,evet,400\n\
         5,Fatma Şahin,bes@example.com,,hayır,500\n",
    )
    .unwrap();
    let records = dir.join("iys.csv");
    std::fs::write(
        &records,
        "recipient,type,status,consentDate\n\
         +905321000002,MESAJ,ONAY,2026-04-01 12:00:00\n\
         905321000003,MESAJ,ONAY,2026-04-01 12:00:00\n\
         0532 100 00 04,MESAJ,RET,2026-04-01 12:00:00\n",
    )
    .unwrap();
    let ws = dir.join(name);
    let mut args = vec!["import", "--customers", customers.to_str().unwrap(), "-o", ws.to_str().unwrap()];
    if iys {
        args.extend(["--consent", records.to_str().unwrap()]);
    }
    let (ok, _, err) = kitle(&args);
    assert!(ok, "{err}");
    let mut workspace = Workspace::load(&ws).unwrap();
    workspace.segments.push(Segment::new("Herkes", "", "ltv >= 0"));
    workspace.save(&ws).unwrap();
    ws
}

#[test]
fn email_and_sms_lists_rest_on_their_own_consent_and_keep_only_hashes_beside_the_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let ws = list_shop(dir.path(), "magaza.kitle", true);
    let ws_text = ws.to_str().unwrap();
    let write = |platform: &str, file: &str| {
        let out_file = dir.path().join(file);
        let (ok, out, err) = kitle(&[
            "audience",
            ws_text,
            "--segment",
            "Herkes",
            "--platform",
            platform,
            "-o",
            out_file.to_str().unwrap(),
        ]);
        (ok, out + &err, std::fs::read_to_string(out_file).unwrap_or_default())
    };

    // E-mail list: marketing consent (1, 3, 4); 3 has no address, so 1 and 4, in clear.
    let (ok, out, file) = write("email_list", "eposta.csv");
    assert!(ok, "{out}");
    assert_eq!(file, "Email,First Name,Last Name\nayse@example.com,Ayşe,Yılmaz\ndort@example.com,Ali,Çelik\n");
    assert!(out.contains("2 members left out: no marketing consent (accepts_marketing) on record"), "{out}");
    assert!(out.contains("1 members have no usable identifier"), "{out}");

    // SMS list: SMS consent from İYS (2 and 3 said yes; 4 refused), whatever the
    // marketing column says; numbers in E.164.
    let (ok, out, file) = write("sms_list", "sms.csv");
    assert!(ok, "{out}");
    assert_eq!(file, "Phone,First Name,Last Name\n+905321000002,Mehmet Can,Demir\n+905321000003,Zeynep,Kaya\n");
    assert!(out.contains("3 members left out: no SMS consent (sms_consent) on record"), "{out}");
    let (ok, out, _) =
        kitle(&["audience", ws_text, "--segment", "Herkes", "--platform", "sms_list", "--preview", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(ok);
    assert_eq!(v["consent_basis"], serde_json::json!(["sms_consent"]));
    assert_eq!(v["excluded"], serde_json::json!({"no_consent": 3}));
    assert_eq!(v["rows"][0]["phone"], serde_json::json!({"normalized": "+905321000002", "sha256": null}));

    // What stays beside the workspace names no one: hashes in the memberships, kinds in the record.
    let (ok, out, _) = kitle(&["log", ws_text, "--json"]);
    assert!(ok);
    let log: serde_json::Value = serde_json::from_str(&out).unwrap();
    let destinations: Vec<&str> =
        log["entries"].as_array().unwrap().iter().map(|e| e["destination"].as_str().unwrap()).collect();
    assert_eq!(destinations, ["email_list", "sms_list"]);
    assert_eq!(log["entries"][1]["members"], 2);
    assert_eq!(log["entries"][1]["fields"], serde_json::json!(["phone", "first_name", "last_name"]));
    let beside = dir.path().join("magaza.audiences");
    for entry in std::fs::read_dir(&beside).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for clear in ["ayse@example.com", "dort@example.com", "905321000002", "Zeynep"] {
            assert!(!text.contains(clear), "{clear} kept beside the workspace: {text}");
        }
    }

    // Without an SMS-consent field nobody is written until the filter is turned off.
    let bare = list_shop(dir.path(), "yalin.kitle", false);
    let sms = dir.path().join("sms2.csv");
    let args = [
        "audience",
        bare.to_str().unwrap(),
        "--segment",
        "Herkes",
        "--platform",
        "sms_list",
        "-o",
        sms.to_str().unwrap(),
    ];
    let (ok, _, err) = kitle(&args);
    assert!(!ok && err.contains("no SMS consent (sms_consent) field"), "{err}");
    assert!(!sms.exists());
    let (ok, out, err) = kitle(&[&args[..], &["--all"]].concat());
    assert!(ok && out.contains("customers without SMS consent (sms_consent) are included"), "{out}{err}");
    assert_eq!(std::fs::read_to_string(&sms).unwrap().lines().count(), 5, "header and four numbers");
}
