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
    // Frequency by fixed breaks: 1, 2, 3, 4–5, 6+ orders.
    let f: Vec<Option<u8>> = keep(orders.clone())
        .iter()
        .map(|o| {
            o.map(|o| match o as u32 {
                1 => 1,
                2 => 2,
                3 => 3,
                4 | 5 => 4,
                _ => 5,
            })
        })
        .collect();
    for score in 1..=5 {
        assert!(f.contains(&Some(score)), "F{score} has customers on the demo");
    }
    let m = scores(&keep(ltv.clone()));
    let got = |name: &str| floats(name).into_iter().map(|v| v.map(|v| v as u8)).collect::<Vec<_>>();
    assert_eq!(got("rfm_r"), r);
    assert_eq!(got("rfm_f"), f);
    assert_eq!(got("rfm_m"), m);
    let groups = df.column("rfm_group").unwrap().cast(&polars::prelude::DataType::String).unwrap();
    let groups: Vec<&str> = groups.str().unwrap().iter().map(Option::unwrap).collect();
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
    let (ok, out, err) = kitle(&[
        "segment",
        path.to_str().unwrap(),
        "--rule",
        &kitle::engine::segment::to_text(&kitle::engine::explore::rfm::cell_rule(5, 5)),
        "--json",
    ]);
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

/// The CDNOW sample: BG/NBD and Gamma-Gamma against Fader, Hardie & Lee's values.
#[test]
fn bgnbd_and_gamma_gamma_match_the_published_cdnow_results() {
    use kitle::engine::explore::bgnbd::{fit_bgnbd, group};
    use kitle::engine::explore::gamma_gamma::fit_gamma_gamma;
    let text = std::fs::read_to_string(crate::helpers::fixture("fixtures/cdnow/cdnow_summary.csv")).unwrap();
    let rows: Vec<[f64; 4]> = text
        .lines()
        .skip(1)
        .map(|l| {
            let v: Vec<f64> = l.split(',').skip(1).map(|c| c.parse().unwrap()).collect();
            [v[0], v[1], v[2], v[3]]
        })
        .collect();
    assert_eq!(rows.len(), 2357);
    let histories: Vec<(f64, f64, f64)> = rows.iter().map(|r| (r[0], r[1], r[2])).collect();
    let grouped = group(&histories);
    assert!(grouped.len() < rows.len(), "identical histories are grouped");
    let fit = fit_bgnbd(&grouped).unwrap();
    let near = |got: f64, want: f64, tol: f64, what: &str| {
        assert!(((got - want) / want).abs() < tol, "{what}: {got} vs {want}")
    };
    near(fit.r, 0.243, 0.01, "r");
    near(fit.alpha, 4.414, 0.01, "alpha");
    near(fit.a, 0.793, 0.01, "a");
    near(fit.b, 2.426, 0.01, "b");
    assert!((fit.log_likelihood - -9582.4).abs() < 0.5, "{}", fit.log_likelihood);
    let e = fit.expected_purchases(39.0, 2.0, 30.43, 38.86);
    assert!((e - 1.226).abs() < 0.005, "E[X(39) | 2, 30.43, 38.86] = {e}");

    let buyers: Vec<(f64, f64)> = rows.iter().filter(|r| r[0] > 0.0).map(|r| (r[0], r[3])).collect();
    assert_eq!(buyers.len(), 946);
    // RFM on CDNOW (orders = repeat purchases + 1): every R and F column has
    // customers. (M can't be judged: the summary has no first-order amounts, so
    // every one-order customer's money here is 0.)
    let orders: Vec<f64> = rows.iter().map(|r| r[0] + 1.0).collect();
    let df = polars::prelude::df!(
        "days_since_last_order" => rows.iter().map(|r| ((r[2] - r[1]) * 7.0).round()).collect::<Vec<f64>>(),
        "orders" => orders.clone(),
        "ltv" => rows.iter().zip(&orders).map(|(r, o)| r[3] * o).collect::<Vec<f64>>(),
    )
    .unwrap();
    let scores = kitle::engine::explore::rfm::score(&df).unwrap();
    for (name, column) in [("R", &scores.r), ("F", &scores.f)] {
        for score in 1..=5 {
            assert!(column.contains(&Some(score)), "{name}{score} has customers on CDNOW");
        }
    }
    let gg = fit_gamma_gamma(&buyers).unwrap();
    near(gg.p, 6.25, 0.01, "p");
    near(gg.q, 3.74, 0.01, "q");
    near(gg.v, 15.44, 0.01, "v");
}

#[test]
fn predict_fits_the_demo_orders_and_answers_for_one_customer() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, _, err) = kitle(&["demo", dir.path().to_str().unwrap()]);
    assert!(ok, "{err}");
    let ws = dir.path().join("demo.kitle");
    let (ok, out, err) = kitle(&["predict", ws.to_str().unwrap(), "--customer", "10012", "--horizon", "13", "--json"]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    for key in ["customers", "repeat_customers", "unit", "bgnbd", "gamma_gamma"] {
        assert!(v.get(key).is_some(), "{key}");
    }
    for key in ["r", "alpha", "a", "b", "log_likelihood"] {
        assert!(v["bgnbd"][key].as_f64().is_some_and(f64::is_finite), "{key}");
    }
    assert!(v["repeat_customers"].as_u64().unwrap() < v["customers"].as_u64().unwrap());
    let p_alive = v["customer"]["p_alive"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&p_alive), "{p_alive}");
    assert!(v["customer"]["expected_purchases"].as_f64().unwrap() >= 0.0);
    // Too few orders: a clear message, no numbers.
    let csv = dir.path().join("few.csv");
    std::fs::write(&csv, "Order ID,Customer ID,Date,Total\n1,a,2026-01-01,10\n2,a,2026-02-01,20\n3,b,2026-01-05,15\n")
        .unwrap();
    let few = dir.path().join("few.kitle");
    let (ok, _, err) =
        kitle(&["import", "--orders", csv.to_str().unwrap(), "--as-of", "2026-06-01", "-o", few.to_str().unwrap()]);
    assert!(ok, "{err}");
    let (ok, _, err) = kitle(&["predict", few.to_str().unwrap(), "--json"]);
    assert!(!ok && err.contains("needs at least 20"), "{err}");
}

#[test]
fn predicted_fields_follow_the_model_and_work_in_segments() {
    use kitle::engine::explore::predict::{CLV_HORIZON_DAYS, ORDERS_HORIZON_DAYS, UNIT_DAYS, fit, histories};
    let dir = tempfile::tempdir().unwrap();
    let (ok, _, err) = kitle(&["demo", dir.path().to_str().unwrap()]);
    assert!(ok, "{err}");
    let ws = dir.path().join("demo.kitle");
    let workspace = kitle::engine::workspace::Workspace::load(&ws).unwrap();
    let data = workspace.load_data(&ws, &Default::default()).unwrap();
    // Each customer's fields are the model's answers for their history.
    let h = histories(&data, UNIT_DAYS, None).unwrap();
    let model = fit(&h, UNIT_DAYS).unwrap();
    let column = |name: &str| data.customers.column(name).unwrap().f64().unwrap().clone();
    let (p_alive, orders, clv) = (column("p_alive"), column("expected_orders_90d"), column("predicted_clv_12m"));
    for one in h.iter().step_by(97) {
        assert!((p_alive.get(one.row).unwrap() - model.bgnbd.p_alive(one.x, one.t_x, one.t)).abs() < 1e-9);
        assert!((orders.get(one.row).unwrap() - model.expected_purchases(ORDERS_HORIZON_DAYS, one)).abs() < 1e-9);
        assert!((clv.get(one.row).unwrap() - model.predicted_value(CLV_HORIZON_DAYS, one).unwrap()).abs() < 1e-6);
    }
    let buyers: std::collections::HashSet<usize> = h.iter().map(|h| h.row).collect();
    let prospect = (0..data.customers.height()).find(|r| !buyers.contains(r)).unwrap();
    assert_eq!(p_alive.get(prospect), None, "no orders, no prediction");
    // The expected next order: the day one purchase is expected by, none when P(alive) is low.
    use kitle::engine::explore::predict::{NEXT_ORDER, NEXT_ORDER_MIN_ALIVE};
    let next = data.customers.column(NEXT_ORDER).unwrap().date().unwrap().physical().clone();
    let as_of = kitle::engine::import::columns::date_to_days(data.as_of);
    let (mut dated, mut undated) = (0, 0);
    for one in &h {
        let alive = model.bgnbd.p_alive(one.x, one.t_x, one.t);
        match next.get(one.row) {
            Some(day) => {
                dated += 1;
                let days = f64::from(day - as_of);
                assert!(alive >= NEXT_ORDER_MIN_ALIVE && days >= 1.0, "row {}: {days} days, P(alive) {alive}", one.row);
                // One purchase is expected by that day and not a day before it.
                assert!(model.expected_purchases(days, one) >= 1.0 - 1e-6, "row {}", one.row);
                assert!(model.expected_purchases(days - 1.0, one) < 1.0, "row {}", one.row);
            }
            None => {
                undated += 1;
                assert!(alive < NEXT_ORDER_MIN_ALIVE || model.expected_purchases(730.0, one) < 1.0, "row {}", one.row);
            }
        }
    }
    assert!(dated > 100 && undated > 100, "{dated} dated, {undated} not expected");
    let field = data.field(NEXT_ORDER).unwrap();
    assert_eq!(field.ty, kitle::engine::fields::FieldType::Date);
    // "VIPs slipping away" as a segment: the same customers as counted by hand.
    let ltv = column("ltv");
    let by_hand = (0..data.customers.height())
        .filter(|&r| p_alive.get(r).is_some_and(|p| p < 0.3) && ltv.get(r).is_some_and(|l| l > 2000.0))
        .count();
    let (ok, out, err) = kitle(&["segment", ws.to_str().unwrap(), "--rule", "p_alive < 0.3 and ltv > 2000", "--json"]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["count"].as_u64().unwrap() as usize, by_hand);
    assert!(by_hand > 0, "the demo has some");

    // The holdout check: the fit on earlier orders against the later ones.
    let (ok, out, err) = kitle(&["predict", ws.to_str().unwrap(), "--holdout", "--json"]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let holdout = &v["holdout"];
    for key in ["calibration_end", "holdout_days", "customers", "rows", "actual_total", "predicted_total"] {
        assert!(holdout.get(key).is_some(), "{key}");
    }
    let (actual, predicted) = (holdout["actual_total"].as_f64().unwrap(), holdout["predicted_total"].as_f64().unwrap());
    assert!(actual > 0.0 && (predicted / actual - 1.0).abs() < 0.5, "predicted {predicted} vs actual {actual}");
}

/// A seeded generator for test stores.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn import_customers(dir: &std::path::Path, csv: &str) -> std::path::PathBuf {
    let file = dir.join("customers.csv");
    std::fs::write(&file, csv).unwrap();
    let ws = dir.join("store.kitle");
    let (ok, _, err) =
        kitle(&["import", "--customers", file.to_str().unwrap(), "--as-of", "2026-11-01", "-o", ws.to_str().unwrap()]);
    assert!(ok, "{err}");
    ws
}

fn segment_count(ws: &std::path::Path, rule: &str) -> u64 {
    let (ok, out, err) = kitle(&["segment", ws.to_str().unwrap(), "--rule", rule, "--json"]);
    assert!(ok, "{rule}: {err}");
    serde_json::from_str::<serde_json::Value>(&out).unwrap()["count"].as_u64().unwrap()
}

#[test]
fn suggested_audiences_find_a_planted_high_value_group() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Lcg(7);
    let cities = ["İstanbul", "Ankara", "İzmir", "Bursa", "Antalya", "Bodrum"];
    let channels = ["Instagram", "Google Ads", "Organik", "TikTok", "E-posta"];
    let mut csv = String::from("Customer ID,City,Acquisition Channel,Age,Total Orders,Total Spent\n");
    for id in 0..6000 {
        let (city, channel) = (cities[rng.below(6) as usize], channels[rng.below(5) as usize]);
        let orders = 1 + rng.below(4);
        let mut ltv = orders as f64 * (200.0 + rng.below(600) as f64);
        // The planted group: Instagram customers in Bodrum spend six times as much.
        if city == "Bodrum" && channel == "Instagram" {
            ltv *= 6.0;
        }
        csv += &format!("{id},{city},{channel},{},{orders},{ltv:.2}\n", 18 + rng.below(50));
    }
    let ws = import_customers(dir.path(), &csv);
    let (ok, out, err) = kitle(&["suggest", ws.to_str().unwrap(), "--min-share", "0.01", "--json"]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let first = &v["suggestions"][0];
    let rule = first["rule"].as_str().unwrap();
    assert!(rule.contains("city = \"Bodrum\"") && rule.contains("channel = \"Instagram\""), "{v}");
    assert!(first["lift"].as_f64().unwrap() > 3.0, "{first}");
    for key in ["count", "share", "avg_ltv", "revenue_share"] {
        assert!(first.get(key).is_some(), "{key}");
    }
    // Saved as a segment, it finds exactly the customers it counted.
    assert_eq!(segment_count(&ws, rule), first["count"].as_u64().unwrap());
}

#[test]
fn clusters_become_rules_that_find_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Lcg(11);
    let mut csv = String::from("Customer ID,Total Orders,Total Spent,Last Order Date\n");
    // Three kinds of customer: recent regulars, lapsed one-timers, occasional middles.
    for id in 0..3000 {
        let (orders, spend, days_ago) = match id % 3 {
            0 => (8 + rng.below(6), 4000 + rng.below(4000), 3 + rng.below(25)),
            1 => (1, 80 + rng.below(120), 300 + rng.below(300)),
            _ => (3 + rng.below(2), 700 + rng.below(500), 80 + rng.below(60)),
        };
        let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap() - chrono::Days::new(days_ago);
        csv += &format!("{id},{orders},{spend},{date}\n");
    }
    let ws = import_customers(dir.path(), &csv);
    let (ok, out, err) = kitle(&["clusters", ws.to_str().unwrap(), "--json"]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["k"], 3, "k chosen by silhouette: {}", v["silhouettes"]);
    let clusters = v["clusters"].as_array().unwrap();
    assert_eq!(clusters.iter().map(|c| c["count"].as_u64().unwrap()).sum::<u64>(), 3000);
    for c in clusters {
        assert_eq!(c["count"], 1000, "each kind is one cluster: {c}");
        let rule = c["rule"].as_str().unwrap();
        assert!(rule.matches(" and ").count() <= 2, "at most three conditions: {rule}");
        // The rule as a segment: the count the cluster reports, and it finds the cluster.
        assert_eq!(segment_count(&ws, rule), c["rule_count"].as_u64().unwrap(), "{rule}");
        assert!(c["precision"].as_f64().unwrap() > 0.95 && c["recall"].as_f64().unwrap() > 0.95, "{c}");
    }
    // The same data gives the same clusters.
    let (_, again, _) = kitle(&["clusters", ws.to_str().unwrap(), "--json"]);
    assert_eq!(out, again);
}

/// A segment says what its members are predicted to spend in the next 12 months:
/// the sum of their `predicted_clv_12m`, counted here from the members file.
#[test]
fn a_segment_sums_its_members_predicted_revenue() {
    let dir = tempfile::tempdir().unwrap();
    let ws = crate::helpers::test_demo().join("demo.kitle");
    let ws = ws.to_str().unwrap();
    let members = dir.path().join("vip.csv");
    let (ok, out, err) =
        kitle(&["segment", ws, "--rule", "ltv in top 10%", "--members", members.to_str().unwrap(), "--json"]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mut reader = csv::Reader::from_path(&members).unwrap();
    let column = reader.headers().unwrap().iter().position(|h| h == "predicted_clv_12m").unwrap();
    let sum: f64 = reader.records().map(|r| r.unwrap()[column].replace(',', "").parse::<f64>().unwrap_or(0.0)).sum();
    let said = v["predicted_revenue_12m"].as_f64().unwrap();
    assert!(sum > 0.0 && (said - sum).abs() < 0.01 * sum, "{said} vs {sum}");
    let (ok, out, _) = kitle(&["segment", ws, "--rule", "ltv in top 10%"]);
    assert!(ok && out.contains("predicted revenue, next 12 months:"), "{out}");
}

#[test]
fn a_lookalike_finds_the_two_traits_its_seed_shares() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Lcg(11);
    let cities = ["İstanbul", "Ankara", "İzmir", "Bursa", "Antalya", "Bodrum"];
    let channels = ["Instagram", "Google Ads", "Organik", "TikTok", "E-posta"];
    let mut csv = String::from("Customer ID,Email,City,Acquisition Channel,Gender,Age,Total Orders,Total Spent\n");
    let (mut seed, mut planted_outside) = (Vec::new(), Vec::new());
    for id in 0..6000 {
        let (city, channel) = (cities[rng.below(6) as usize], channels[rng.below(5) as usize]);
        let planted = city == "İzmir" && channel == "TikTok";
        // Seven in ten of the planted group are in the seed, one in 200 of the rest.
        let member = if planted { rng.below(10) < 7 } else { rng.below(200) == 0 };
        if member {
            seed.push(format!("\"{id}\""));
        } else if planted {
            planted_outside.push(id.to_string());
        }
        // The members' e-mails would give them away: a lookalike must never read them.
        let email = if member { format!("m{id}@seed.example") } else { format!("c{id}@example.com") };
        let gender = if rng.below(2) == 0 { "Kadın" } else { "Erkek" };
        let orders = 1 + rng.below(6);
        let ltv = orders as f64 * (150.0 + rng.below(500) as f64);
        csv += &format!("{id},{email},{city},{channel},{gender},{},{orders},{ltv:.2}\n", 18 + rng.below(50));
    }
    let ws = import_customers(dir.path(), &csv);
    let mut workspace = kitle::engine::workspace::Workspace::load(&ws).unwrap();
    let seed_rule = format!("customer_id in ({})", seed.join(", "));
    workspace.segments = vec![kitle::engine::workspace::Segment::new("Tohum", "", seed_rule)];
    workspace.save(&ws).unwrap();
    let ws_text = ws.to_str().unwrap();

    let (ok, out, err) = kitle(&["lookalike", ws_text, "--seed", "Tohum", "--top", "5%", "--json"]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["seed"], "Tohum");
    assert_eq!(v["seed_members"].as_u64().unwrap() as usize, seed.len());
    let auc = v["auc"].as_f64().unwrap();
    assert!(auc >= 0.8, "AUC {auc}");
    let weights = v["weights"].as_array().unwrap();
    let fields: Vec<&str> = weights.iter().map(|w| w["field"].as_str().unwrap()).collect();
    let mut strongest = fields[..2].to_vec();
    strongest.sort_unstable();
    assert_eq!(strongest, ["channel", "city"], "{fields:?}");
    assert_eq!(weights[0]["bin"]["value"].as_str().map(|b| ["İzmir", "TikTok"].contains(&b)), Some(true), "{v}");
    for never in ["email", "customer_id"] {
        assert!(!fields.contains(&never), "{never} is a contact field: {fields:?}");
    }
    // The top 5% of the others: 5% of everyone outside the seed, the planted ones first.
    let top = v["top"].as_array().unwrap();
    let outside = 6000 - seed.len();
    assert_eq!(v["members"].as_u64().unwrap() as usize, top.len());
    assert!(top.len() >= outside * 5 / 100 && top.len() < outside * 6 / 100, "{}", top.len());
    let mut best: Vec<&str> = top[..planted_outside.len()].iter().map(|t| t["customer_id"].as_str().unwrap()).collect();
    best.sort_unstable();
    let mut planted: Vec<&str> = planted_outside.iter().map(String::as_str).collect();
    planted.sort_unstable();
    assert_eq!(best, planted, "the planted customers outside the seed rank first");
    let scores: Vec<f64> = top.iter().map(|t| t["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "best first");

    // As a segment rule: the same customers, explained, and no SQL form.
    let rule = "lookalike of \"Tohum\" in top 5%";
    assert_eq!(segment_count(&ws, rule) as usize, top.len());
    let (ok, out, err) = kitle(&["segment", ws_text, "--rule", rule, "--json"]);
    assert!(ok, "{err}");
    let model = &serde_json::from_str::<serde_json::Value>(&out).unwrap()["lookalikes"][0];
    assert_eq!(model["seed"], "Tohum");
    assert!((model["auc"].as_f64().unwrap() - auc).abs() < 1e-4, "{model}");
    assert!(segment_count(&ws, "lookalike of \"Tohum\" in top 5% and city = \"İzmir\"") as usize >= planted.len());
    let first = top[0]["customer_id"].as_str().unwrap();
    let (ok, out, err) = kitle(&["why", ws_text, "--rule", rule, "--customer", first, "--json"]);
    assert!(ok, "{err}");
    let why: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(why["member"], true, "{why}");
    assert_eq!(why["items"][0]["bound"]["keep"], "at_least");
    let member = seed[0].trim_matches('"');
    let (ok, out, err) = kitle(&["why", ws_text, "--rule", rule, "--customer", member, "--json"]);
    assert!(ok, "{err}");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&out).unwrap()["member"],
        false,
        "a seed member is never its own lookalike"
    );
    let (ok, _, err) = kitle(&["segment", ws_text, "--rule", rule, "--sql", "duckdb"]);
    assert!(!ok && err.contains("lookalike"), "{err}");
    // A share of 0% is refused.
    let (ok, _, err) = kitle(&["segment", ws_text, "--rule", "lookalike of \"Tohum\" in top 0%"]);
    assert!(!ok && err.contains("percentage"), "{err}");
}
