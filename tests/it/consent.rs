//! İYS consent records joined to the customers at import: the latest EPOSTA record
//! sets marketing (e-mail) consent, the latest MESAJ record SMS consent, matched by
//! e-mail and by phone however it is written; what the register lacks keeps the
//! customer file's value, and audiences follow.

use crate::helpers::kitle;

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
