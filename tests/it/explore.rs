//! Explore's RFM: every customer's scores and group checked against a computation
//! written out here, and the command line's groups and grid.

use crate::helpers::kitle;

/// Nearest-rank quantile of sorted values.
fn nearest_rank(sorted: &[f64], q: f64) -> f64 {
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn scores(values: &[Option<f64>]) -> Vec<Option<u8>> {
    let mut sorted: Vec<f64> = values.iter().flatten().copied().collect();
    sorted.sort_by(f64::total_cmp);
    let bounds: Vec<f64> = [0.2, 0.4, 0.6, 0.8].iter().map(|q| nearest_rank(&sorted, *q)).collect();
    values.iter().map(|v| v.map(|v| 1 + bounds.iter().filter(|b| v > **b).count() as u8)).collect()
}

fn group(r: u8, f: u8, m: u8) -> &'static str {
    let table: [(&str, [u8; 6]); 11] = [
        ("champions", [4, 5, 4, 5, 4, 5]),
        ("loyal", [3, 5, 3, 5, 3, 5]),
        ("potential_loyalists", [4, 5, 2, 3, 2, 5]),
        ("new", [5, 5, 1, 1, 1, 5]),
        ("promising", [4, 4, 1, 1, 1, 5]),
        ("needs_attention", [3, 3, 2, 3, 2, 3]),
        ("about_to_sleep", [3, 3, 1, 2, 1, 5]),
        ("cant_lose_them", [1, 2, 4, 5, 4, 5]),
        ("at_risk", [1, 2, 3, 5, 3, 5]),
        ("hibernating", [2, 2, 1, 2, 1, 5]),
        ("lost", [1, 1, 1, 2, 1, 5]),
    ];
    for (name, b) in table {
        if (b[0]..=b[1]).contains(&r) && (b[2]..=b[3]).contains(&f) && (b[4]..=b[5]).contains(&m) {
            return name;
        }
    }
    "others"
}

#[test]
fn rfm_scores_and_groups_match_an_independent_computation() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, _, err) = kitle(&["demo", dir.path().to_str().unwrap()]);
    assert!(ok, "{err}");
    let path = dir.path().join("demo.kitle");
    let ws = kitle::engine::workspace::Workspace::load(&path).unwrap();
    let data = ws.load_data(&path, &kitle::engine::import::Progress::default()).unwrap();
    let df = &data.customers;
    let floats = |name: &str| -> Vec<Option<f64>> {
        df.column(name).unwrap().cast(&polars::prelude::DataType::Float64).unwrap().f64().unwrap().iter().collect()
    };
    let (days, orders, ltv) = (floats("days_since_last_order"), floats("orders"), floats("ltv"));
    let buyer: Vec<bool> = orders.iter().zip(&days).map(|(o, d)| o.is_some_and(|o| o >= 1.0) && d.is_some()).collect();
    let keep = |v: Vec<Option<f64>>| -> Vec<Option<f64>> {
        v.into_iter().zip(&buyer).map(|(v, b)| v.filter(|_| *b)).collect()
    };
    let r = scores(&keep(days.iter().map(|d| d.map(|d| -d)).collect()));
    let f = scores(&keep(orders.clone()));
    let m = scores(&keep(ltv.clone()));
    let got = |name: &str| floats(name).into_iter().map(|v| v.map(|v| v as u8)).collect::<Vec<_>>();
    assert_eq!(got("rfm_r"), r);
    assert_eq!(got("rfm_f"), f);
    assert_eq!(got("rfm_m"), m);
    let groups: Vec<&str> = df.column("rfm_group").unwrap().str().unwrap().iter().map(Option::unwrap).collect();
    for i in 0..df.height() {
        let expected = match (buyer[i], r[i], f[i], m[i]) {
            (false, ..) => "prospects",
            (true, Some(r), Some(f), Some(m)) => group(r, f, m),
            _ => "others",
        };
        assert_eq!(groups[i], expected, "customer row {i}");
    }

    // The command line: groups and the R × F grid add up to every customer.
    let (ok, out, err) = kitle(&["rfm", path.to_str().unwrap(), "--json"]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let total: u64 = v["groups"].as_array().unwrap().iter().map(|g| g["count"].as_u64().unwrap()).sum();
    assert_eq!(total as usize, df.height());
    let champions = v["groups"].as_array().unwrap().iter().find(|g| g["name"] == "champions").unwrap();
    assert_eq!(champions["count"].as_u64().unwrap() as usize, groups.iter().filter(|g| **g == "champions").count());
    for key in ["avg_ltv", "revenue_share"] {
        assert!(champions.get(key).is_some(), "{key}");
    }
    let grid: u64 = v["grid"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|row| row.as_array().unwrap())
        .map(|c| c["count"].as_u64().unwrap())
        .sum();
    assert_eq!(grid as usize, buyer.iter().filter(|b| **b).count(), "the grid holds every customer with orders");
    // A grid cell's rule finds exactly its customers.
    let cell = &v["grid"][4][4];
    let (ok, out, err) =
        kitle(&["segment", path.to_str().unwrap(), "--rule", &kitle::engine::explore::rfm::cell_rule(5, 5), "--json"]);
    assert!(ok, "{err}");
    let seg: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(seg["count"], cell["count"], "{seg}");
}

#[test]
fn a_crosstab_cell_is_a_segment_with_the_same_count() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, _, err) = kitle(&["demo", dir.path().to_str().unwrap()]);
    assert!(ok, "{err}");
    let ws = dir.path().join("demo.kitle");
    let ws = ws.to_str().unwrap();
    for (rows, cols) in [("channel", "gender"), ("age", "city"), ("ltv", "last_order_date")] {
        let (ok, out, err) = kitle(&["crosstab", ws, "--rows", rows, "--cols", cols, "--measure", "avg_ltv", "--json"]);
        assert!(ok, "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let cells: Vec<&serde_json::Value> =
            v["cells"].as_array().unwrap().iter().flat_map(|r| r.as_array().unwrap()).collect();
        assert_eq!(cells.len(), v["rows"].as_array().unwrap().len() * v["cols"].as_array().unwrap().len());
        // The fullest cell and the first one: their rules find exactly their customers.
        let fullest = cells.iter().max_by_key(|c| c["count"].as_u64().unwrap()).unwrap();
        for cell in [fullest, &cells[0]] {
            let (ok, out, err) = kitle(&["segment", ws, "--rule", cell["rule"].as_str().unwrap(), "--json"]);
            assert!(ok, "{err}");
            let seg: serde_json::Value = serde_json::from_str(&out).unwrap();
            assert_eq!(seg["count"], cell["count"], "{rows} × {cols}: {}", cell["rule"]);
        }
    }
    let (ok, _, err) = kitle(&["crosstab", ws, "--rows", "tags", "--cols", "gender"]);
    assert!(!ok && err.contains("list"), "{err}");
}
