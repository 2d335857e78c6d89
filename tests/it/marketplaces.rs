//! Turkish marketplace and payment exports (Trendyol, Hepsiburada, n11, iyzico)
//! import with no mapping: the customer key (the buyer id where there is one, else
//! the e-mail, else name and city with a note), the billed amount, Turkish status
//! words; marketplace relay e-mails never reach an ad platform. The files follow
//! the headers public parsers read (`../shared/REFERENCE.md` §6c); the formats are
//! not officially documented, so a column Kitle does not know stays a custom field.

use kitle::engine::audience::{AudienceRequest, Identifier, Platform, audience_rows, preview};
use polars::prelude::IdxSize;

use crate::helpers::*;

fn orders(rel: &str) -> kitle::engine::data::CustomerData {
    import(None, Some(&format!("fixtures/marketplaces/{rel}")), None, date(2026, 6, 1)).unwrap()
}

fn ltv(data: &kitle::engine::data::CustomerData, key: &str, value: &str) -> f64 {
    num(data, "ltv", row_where(data, key, value)).unwrap()
}

#[test]
fn trendyol_exports_bill_the_invoiced_amount_and_read_turkish_statuses() {
    let data = orders("trendyol_siparisler.csv");
    assert_eq!(data.len(), 3);
    // Two lines of one order (2.205 + 240, after Trendyol's discount) and a later order.
    approx(Some(ltv(&data, "name", "Ayşe Yılmaz")), 2205.0 + 240.0 + 650.0);
    // "İptal Edildi" is not counted; "Kargoda" (shipped) is.
    approx(Some(ltv(&data, "name", "Mehmet Kaya")), 360.0);
    // "İade Edildi": refunded in full.
    approx(Some(ltv(&data, "name", "Elif Şahin")), 0.0);
    assert!(has_note(&data.report.notes, "cancelled, failed or unpaid"));

    // The narrow export has no e-mail: buyers are told apart by name and city, said in the report.
    let narrow = orders("trendyol_dar.csv");
    assert_eq!(narrow.len(), 3);
    approx(Some(ltv(&narrow, "customer_id", "Ayşe Yılmaz · İstanbul")), 3095.0);
    let notes: Vec<String> =
        narrow.report.sources.iter().flat_map(|s| s.notes.iter().map(|m| m.text(kitle::format::Lang::En))).collect();
    assert!(notes.iter().any(|n| n.contains("told apart by name and city")), "{notes:?}");
}

#[test]
fn hepsiburada_n11_and_iyzico_import_with_no_mapping() {
    let hb = orders("hepsiburada_siparisler.csv");
    approx(Some(ltv(&hb, "email", "zeynep.demir@gmail.com")), 2450.0 + 480.0 + 480.0);
    approx(Some(ltv(&hb, "email", "can.ozturk@hotmail.com")), 0.0);
    let n11 = orders("n11_siparisler.csv");
    approx(Some(ltv(&n11, "email", "burak.arslan@yandex.com")), 2690.0);
    approx(Some(ltv(&n11, "email", "selin.koc@gmail.com")), 0.0);
    // iyzico: the buyer id is the key; the basket `price`, not `paidPrice` (which
    // adds the instalment charge); a FAILURE payment is not an order.
    let iyzico = orders("iyzico_islemler.csv");
    approx(Some(ltv(&iyzico, "customer_id", "U-501")), 1000.0 + 750.0);
    approx(Some(ltv(&iyzico, "customer_id", "U-502")), 250.0);
    approx(num(&iyzico, "orders", row_where(&iyzico, "customer_id", "U-502")), 1.0);
}

#[test]
fn relay_emails_are_counted_apart_and_never_sent() {
    let data = orders("trendyol_siparisler.csv");
    let members: Vec<IdxSize> = (0..data.len() as IdxSize).collect();
    for platform in [Platform::Google, Platform::Meta] {
        let request = AudienceRequest {
            platform,
            identifiers: &[Identifier::Email, Identifier::FirstName, Identifier::LastName],
            consent_only: false,
            region: Default::default(),
        };
        let rows = audience_rows(&data, &members, &request).unwrap();
        assert_eq!(rows.relay_emails, 3, "{platform:?}");
        let email = rows.identifiers.iter().position(|i| *i == Identifier::Email).unwrap();
        assert!(rows.rows.iter().all(|m| m.values[email].is_none()), "{platform:?}: no relay address is sent");
        let p = preview("Trendyol", &rows);
        assert!(p.warnings.contains(&kitle::engine::audience::Warning::MarketplaceEmail { members: 3 }));
    }
    // An upload file holds no relay address.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("google.csv");
    let request = AudienceRequest {
        platform: Platform::Google,
        identifiers: &[Identifier::Email],
        consent_only: false,
        region: Default::default(),
    };
    let rows = audience_rows(&data, &members, &request).unwrap();
    let written = kitle::engine::audience::files::write_upload_file(&rows, &out).unwrap();
    assert_eq!(written, 0);
    let text = std::fs::read_to_string(&out).unwrap_or_default();
    assert!(!text.contains("trendyolmail"));
    let hash = kitle::engine::audience::normalise::sha256_hex("pf+ab12cd@trendyolmail.com");
    assert!(!text.contains(&hash));
}
