//! The `kitle` binary end to end: import, summary, customers.

use crate::helpers::*;

#[test]
fn import_then_summary_and_customers() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, out) = import_shopify_workspace_saying(dir.path());
    let ws = ws.as_str();
    assert!(out.contains("with 4 customers and 4 orders"), "{out}");
    assert!(out.contains("Total Spent → ltv"), "{out}");

    let (ok, out, err) = kitle(&["summary", ws, "--json"]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["customers"], 4);
    assert!((v["total_revenue"].as_f64().unwrap() - (1850.0 + 420.5 + 0.0 + 75.0)).abs() < 1e-6);
    // 2345.5 / 4 = 586.375: money is written to the kuruş.
    assert_eq!(v["avg_ltv"].as_f64().unwrap(), 586.38);
    let channels = v["channels"].as_array().unwrap();
    assert_eq!(channels.iter().map(|c| c["customers"].as_u64().unwrap()).sum::<u64>(), 4);

    let (ok, out, _) = kitle(&["customers", ws, "--format", "json", "--limit", "1"]);
    assert!(ok);
    let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 1);
    assert_eq!(rows[0]["email"], "ayse.yilmaz@example.com");
    assert_eq!(rows[0]["tags"], serde_json::json!(["VIP", "newsletter"]));
    assert_eq!(rows[0]["last_order_date"], "2025-08-20");

    let (ok, out, _) = kitle(&["customers", ws]);
    assert!(ok);
    assert_eq!(out.lines().count(), 6, "header and 4 customers, one address spanning two lines:\n{out}");
}

#[test]
fn import_with_a_mapping_override_and_json_report() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("woo.kitle");
    let customers = fixture("fixtures/woocommerce/customers.csv");
    let (ok, out, err) = kitle(&[
        "import",
        "--customers",
        customers.to_str().unwrap(),
        "--map",
        "Username=customer_id",
        "--json",
        "-o",
        ws.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let columns = report["sources"][0]["columns"].as_array().unwrap();
    assert!(columns.iter().any(|c| c["header"] == "Username" && c["name"] == "customer_id"));
    let saved = std::fs::read_to_string(&ws).unwrap();
    assert!(saved.contains("Username"), "the override is saved with the source:\n{saved}");
}

#[test]
fn errors_go_to_stderr_with_a_failing_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("bad.kitle");
    let bad = fixture("malformed/04_png_named_csv.csv");
    let (ok, out, err) = kitle(&["import", "--customers", bad.to_str().unwrap(), "-o", ws.to_str().unwrap()]);
    assert!(!ok);
    assert!(out.is_empty());
    assert!(err.contains("PNG image"), "{err}");
    assert_eq!(err.matches("PNG image").count(), 1, "said once: {err}");
    assert!(!ws.exists(), "no workspace is written for a failed import");

    let (ok, _, err) = kitle(&["summary", "/nonexistent/x.kitle"]);
    assert!(!ok);
    assert!(err.contains("could not be read"), "{err}");
    let (ok, _, err) = kitle(&["import", "--customers", bad.to_str().unwrap(), "--map", "X=bogus", "-o", "y.kitle"]);
    assert!(!ok);
    assert!(err.contains("not a customers field"), "{err}");
}

#[test]
fn summary_prints_the_dashboard_numbers_for_a_period() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("store.kitle");
    let ws = ws.to_str().unwrap();
    let f = |p: &str| fixture(p).to_str().unwrap().to_owned();
    let (ok, _, err) = kitle(&[
        "import",
        "--customers",
        &f("fixtures/dashboard/customers.csv"),
        "--orders",
        &f("fixtures/dashboard/orders.csv"),
        "--spend",
        &f("fixtures/dashboard/spend.csv"),
        "--as-of",
        "2026-03-31",
        "-o",
        ws,
    ]);
    assert!(ok, "{err}");
    let (ok, out, err) = kitle(&["summary", ws, "--from", "2026-02-01", "--to", "2026-02-28", "--json"]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["customers"], 5);
    assert_eq!(v["total_revenue"], 6800.0);
    assert_eq!(v["cac"], 2250.0);
    assert!((v["ltv_cac"].as_f64().unwrap() - 4020.0 / 2250.0).abs() < 1e-9);
    assert_eq!(v["repeat_rate"], 0.4);
    let google = v["channels"].as_array().unwrap().iter().find(|c| c["channel"] == "Google Ads").unwrap();
    assert_eq!((google["customers"].as_u64(), google["new_customers"].as_u64()), (Some(2), Some(1)));
    assert_eq!(google["spend"], 3100.0);
    assert_eq!(v["ltv_bands"].as_array().unwrap().len(), 4);
    assert_eq!(v["growth"][0]["month"], "2026-02");
    assert_eq!(v["growth"][0]["cumulative"], 4);

    // Without spend, CAC is null (not zero), and the text output says why.
    let ws2 = dir.path().join("nospend.kitle");
    let ws2 = ws2.to_str().unwrap();
    let (ok, _, _) = kitle(&["import", "--customers", &f("fixtures/dashboard/customers.csv"), "-o", ws2]);
    assert!(ok);
    let (_, out, _) = kitle(&["summary", ws2, "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v["cac"].is_null() && v["ltv_cac"].is_null());
    let (_, out, _) = kitle(&["summary", ws2]);
    assert!(out.contains("CAC: — (no spend data"), "{out}");
    let (ok, _, err) = kitle(&["summary", ws2, "--from", "2026-02-01"]);
    assert!(!ok && err.contains("both --from and --to"), "{err}");
}

#[test]
fn segment_and_segments_commands_with_member_exports() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("seg.kitle");
    let ws = ws.to_str().unwrap();
    let customers = fixture("fixtures/segments/injection.csv");
    let (ok, _, err) = kitle(&["import", "--customers", customers.to_str().unwrap(), "-o", ws]);
    assert!(ok, "{err}");

    // New workspaces start with the three templates.
    let (ok, out, _) = kitle(&["segments", ws, "--json"]);
    assert!(ok);
    let list: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 2, "VIP and loyal; no last order date for at-risk: {out}");
    let loyal = list.as_array().unwrap().iter().find(|s| s["rule"] == "orders > 5").unwrap();
    assert_eq!(loyal["count"], 2);

    let csv_out = dir.path().join("members.csv");
    let (ok, out, err) = kitle(&[
        "segment",
        ws,
        "--rule",
        "ltv > 5000 or channel = \"instagram\"",
        "--json",
        "--repeat",
        "5",
        "--members",
        csv_out.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["count"], 3);
    assert_eq!(v["total_revenue"], 15120.0);
    assert!(v["eval_ms"].as_f64().unwrap() >= 0.0);
    let text = std::fs::read_to_string(&csv_out).unwrap();
    assert!(text.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{text}");
    assert!(text.contains("'@Ali") && text.contains("'+905321112233"), "{text}");
    assert!(text.contains(",6000,") || text.contains(",6000\n"), "numbers stay numbers: {text}");

    let xlsx_out = dir.path().join("members.xlsx");
    let (ok, _, err) =
        kitle(&["segment", ws, "--name", loyal["name"].as_str().unwrap(), "--members", xlsx_out.to_str().unwrap()]);
    assert!(ok, "{err}");
    use calamine::{Data, Reader};
    let mut book = calamine::open_workbook_auto(&xlsx_out).unwrap();
    let range = book.worksheet_range("Members").unwrap();
    let rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
    assert_eq!(rows.len(), 3, "header and two loyal customers");
    let name_col = rows[0].iter().position(|h| h == &Data::String("name".into())).unwrap();
    // A text cell, never run as a formula: no apostrophe needed in XLSX.
    assert_eq!(rows[1][name_col], Data::String("=HYPERLINK(\"http://x\")".into()));
    let ltv_col = rows[0].iter().position(|h| h == &Data::String("ltv".into())).unwrap();
    assert_eq!(rows[1][ltv_col], Data::Float(6000.0));

    let (ok, _, err) = kitle(&["segment", ws, "--rule", "ltv > 5000 and"]);
    assert!(!ok && err.contains("at character 14"), "{err}");
    let (ok, _, err) = kitle(&["segment", ws, "--name", "Nope"]);
    assert!(!ok && err.contains("No saved segment"), "{err}");
}

#[test]
fn a_mistyped_command_says_so_and_the_version_prints() {
    let (ok, out, err) = kitle(&["audiense", "x.kitle"]);
    assert!(!ok && out.is_empty(), "no window is tried: {err}");
    assert!(
        err.contains("\"audiense\" is neither a command nor a file") && err.contains("Did you mean \"audience\"?"),
        "{err}"
    );
    let (ok, out, _) = kitle(&["--version"]);
    assert!(ok && out.starts_with(&format!("kitle {}", env!("CARGO_PKG_VERSION"))), "{out}");
}

/// `kitle segment --describe`: the README's rules as sentences, in Turkish with
/// Turkish numbers and money, and in English; no field id or operator shows.
#[test]
fn segment_rules_are_described_in_the_marketers_language() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, _, err) = kitle(&["demo", dir.path().to_str().unwrap(), "--customers", "300"]);
    assert!(ok, "{err}");
    let ws = dir.path().join("demo.kitle");
    let ws = ws.to_str().unwrap();
    let describe = |rule: &str, lang: &str| {
        let (ok, out, err) = kitle(&["segment", ws, "--rule", rule, "--describe", "--lang", lang]);
        assert!(ok, "{err}");
        out.trim().to_owned()
    };
    let mockup = "ltv > 5000 and last_order_date more than 30 days ago or channel = \"Google Ads\"";
    assert_eq!(
        describe(mockup, "tr"),
        "(LTV 5.000 ₺ üzerinde ve Son alışveriş tarihi 30 günden eski) veya Geldiği kanal “Google Ads”"
    );
    assert_eq!(
        describe(mockup, "en"),
        "(LTV is more than ₺5,000 and Last purchase date was more than 30 days ago) or Acquisition channel is “Google Ads”"
    );
    assert_eq!(describe("aov >= 1250.5", "tr"), "Ortalama sepet en az 1.250,5 ₺");
    for rule in [
        "city in (\"İzmir\", \"Ankara\") and not (orders <= 2 or aov >= 100)",
        "signup_date within last 3 months and accepts_marketing is yes",
        "order count in last 90 days >= 2",
        "amount spent from 2026-01-01 to 2026-03-31 > 1000",
    ] {
        for lang in ["tr", "en"] {
            let said = describe(rule, lang);
            for code in ["<", ">", "=", "accepts_marketing", "signup_date", "@", "aov"] {
                assert!(!said.contains(code), "{rule} ({lang}) → {said}");
            }
        }
    }
    let (ok, _, err) = kitle(&["segment", ws, "--rule", "ltv > 1", "--describe", "--lang", "de"]);
    assert!(!ok && err.contains("--lang takes tr or en"), "{err}");
}
