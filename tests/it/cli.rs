//! The `kitle` binary end to end: import, summary, customers.

use std::process::Command;

use crate::helpers::*;

fn kitle(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kitle")).args(args).output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn import_then_summary_and_customers() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("shop.kitle");
    let ws = ws.to_str().unwrap();
    let customers = fixture("fixtures/shopify/customers_export.csv");
    let orders = fixture("fixtures/shopify/orders_export.csv");
    let (ok, out, err) = kitle(&[
        "import",
        "--customers",
        customers.to_str().unwrap(),
        "--orders",
        orders.to_str().unwrap(),
        "--as-of",
        "2026-01-01",
        "-o",
        ws,
    ]);
    assert!(ok, "{err}");
    assert!(out.contains("with 4 customers and 4 orders"), "{out}");
    assert!(out.contains("Total Spent → ltv"), "{out}");

    let (ok, out, err) = kitle(&["summary", ws, "--json"]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["customers"], 4);
    assert!((v["total_revenue"].as_f64().unwrap() - (1850.0 + 420.5 + 0.0 + 75.0)).abs() < 1e-6);
    assert!((v["avg_ltv"].as_f64().unwrap() - 2345.5 / 4.0).abs() < 1e-6);
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
    assert!(!ws.exists(), "no workspace is written for a failed import");

    let (ok, _, err) = kitle(&["summary", "/nonexistent/x.kitle"]);
    assert!(!ok);
    assert!(err.contains("could not be read"), "{err}");
    let (ok, _, err) = kitle(&["import", "--customers", bad.to_str().unwrap(), "--map", "X=bogus", "-o", "y.kitle"]);
    assert!(!ok);
    assert!(err.contains("not a customers field"), "{err}");
}
