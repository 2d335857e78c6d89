//! The Explore commands: `kitle rfm`, `kitle crosstab`, `kitle predict`,
//! `kitle clusters`, `kitle suggest`, `kitle lookalike`, `kitle cohorts`.

use anyhow::{Result, anyhow, bail};
use polars::prelude::*;

use super::args::Args;
use super::open;

/// `kitle rfm WS [--as-of D] [--json]`: the RFM groups and the R × F grid.
pub(super) fn rfm(a: Args) -> Result<String> {
    let (path, as_of, json) = super::workspace_args(&a, "kitle rfm WS.kitle --json")?;
    let (_, data) = open(&path, as_of)?;
    if data.field("rfm_group").is_none() {
        bail!("RFM needs orders (or an order count and a last order date) for the customers.");
    }
    let result = crate::engine::explore::rfm::rfm(&data)?;
    if json {
        return Ok(serde_json::to_string_pretty(&result)? + "\n");
    }
    let mut s = String::new();
    for g in &result.groups {
        s += &format!("{:<20} {:>8} {:>6.1}%\n", g.name, g.figures.count, g.figures.share * 100.0);
    }
    Ok(s)
}

/// `kitle crosstab WS --rows F --cols F [--measure count|avg_ltv|revenue|avg_p_alive] [--json]`.
pub(super) fn crosstab(a: Args) -> Result<String> {
    use crate::engine::explore::crosstab::{Measure, crosstab};
    let measure = match a.text("measure")? {
        None => Measure::Count,
        Some(id) => Measure::from_id(&id)
            .ok_or_else(|| anyhow!("Unknown measure \"{id}\"; use count, avg_ltv, revenue or avg_p_alive."))?,
    };
    let (path, rows, cols, as_of, json) =
        (a.path(0), a.text("rows")?, a.text("cols")?, a.date("as-of")?, a.has("json"));
    let path = path.ok_or_else(|| anyhow!("Give the workspace: kitle crosstab WS.kitle --rows F --cols F"))?;
    let (rows, cols) =
        (rows.ok_or_else(|| anyhow!("Give --rows FIELD."))?, cols.ok_or_else(|| anyhow!("Give --cols FIELD."))?);
    let (_, data) = open(&path, as_of)?;
    let table = crosstab(&data, &rows, &cols, measure).map_err(|e| anyhow!("The cross-tab can't be made: {e}."))?;
    if json {
        return Ok(serde_json::to_string_pretty(&table)? + "\n");
    }
    let mut s = format!("{rows} \\ {cols}\t{}\n", table.cols.join("\t"));
    for (label, row) in table.rows.iter().zip(&table.cells) {
        let cells: Vec<String> =
            row.iter().map(|c| c.value.map_or_else(|| "—".to_owned(), |v| format!("{v:.2}"))).collect();
        s += &format!("{label}\t{}\n", cells.join("\t"));
    }
    Ok(s)
}

/// `kitle predict WS [--unit days|weeks] [--customer ID --horizon N] [--holdout]
/// [--json]`: the BG/NBD and Gamma-Gamma fits on the workspace's orders.
pub(super) fn predict(a: Args) -> Result<String> {
    use crate::engine::explore::predict::{fit, histories, holdout_check, holdout_days};
    let (path, as_of, customer, json, holdout) =
        (a.path(0), a.date("as-of")?, a.text("customer")?, a.has("json"), a.has("holdout"));
    let unit = a.text("unit")?.unwrap_or_else(|| "weeks".to_owned());
    let horizon =
        a.text("horizon")?.map(|h| h.parse::<f64>().map_err(|_| anyhow!("--horizon takes a number"))).transpose()?;
    let unit_days = match unit.as_str() {
        "days" => 1.0,
        "weeks" => 7.0,
        _ => bail!("--unit is days or weeks"),
    };
    let path = path.ok_or_else(|| anyhow!("Give the workspace: kitle predict WS.kitle --json"))?;
    let (_, data) = open(&path, as_of)?;
    let histories = histories(&data, unit_days, None).map_err(|e| anyhow!("No prediction: {e}."))?;
    let prediction = fit(&histories, unit_days).map_err(|e| anyhow!("No prediction: {e}."))?;
    let bgnbd = prediction.bgnbd;
    let mut v = serde_json::json!({
        "customers": prediction.customers,
        "repeat_customers": prediction.repeat_customers,
        "fitted_customers": prediction.fitted_customers,
        "unit": unit,
        "bgnbd": bgnbd,
        "gamma_gamma": prediction.gamma_gamma,
    });
    if let Some(id) = customer {
        let ids = data.customers.column("customer_id")?.cast(&DataType::String)?;
        let row = ids
            .str()?
            .iter()
            .position(|v| v == Some(id.as_str()))
            .ok_or_else(|| anyhow!("No customer has the id \"{id}\"."))?;
        let h = histories.iter().find(|h| h.row == row).ok_or_else(|| anyhow!("Customer {id} has no orders."))?;
        let horizon = horizon.unwrap_or(if unit_days > 1.0 { 13.0 } else { 90.0 });
        v["customer"] = serde_json::json!({
            "id": id, "x": h.x, "t_x": h.t_x, "T": h.t, "horizon": horizon,
            "expected_purchases": bgnbd.expected_purchases(horizon, h.x, h.t_x, h.t),
            "p_alive": bgnbd.p_alive(h.x, h.t_x, h.t),
        });
    }
    if holdout {
        let days = holdout_days(&data).ok_or_else(|| anyhow!("No holdout check: the orders have no dates."))?;
        let check = holdout_check(&data, days).map_err(|e| anyhow!("No holdout check: {e}."))?;
        v["holdout"] = serde_json::to_value(check)?;
    }
    if json {
        return Ok(serde_json::to_string_pretty(&v)? + "\n");
    }
    let mut s = format!(
        "{} buyers, {} repeat; BG/NBD r={:.3} alpha={:.3} a={:.3} b={:.3} (log-likelihood {:.1})\n",
        prediction.customers, prediction.repeat_customers, bgnbd.r, bgnbd.alpha, bgnbd.a, bgnbd.b, bgnbd.log_likelihood
    );
    if let Some(check) = v.get("holdout") {
        s += &format!(
            "Holdout check ({} days after {}): verdict {}, error over the tenths {}\ntenth  customers  predicted  actual\n",
            check["holdout_days"],
            check["calibration_end"].as_str().unwrap_or(""),
            check["verdict"].as_str().unwrap_or(""),
            check["decile_error"].as_f64().map_or_else(|| "—".to_owned(), |e| format!("{:.1}%", e * 100.0)),
        );
        for d in check["deciles"].as_array().into_iter().flatten() {
            s += &format!(
                "{:>5}  {:>9}  {:>9.3}  {:>6.3}\n",
                d["decile"],
                d["customers"],
                d["predicted"].as_f64().unwrap_or(f64::NAN),
                d["actual"].as_f64().unwrap_or(f64::NAN)
            );
        }
    }
    Ok(s)
}

/// `kitle clusters WS [--k N] [--field F ...] [--json]`: k-means clusters of the
/// customers with orders, each with its rule.
pub(super) fn clusters(a: Args) -> Result<String> {
    let (as_of, extra, json) = (a.date("as-of")?, a.texts("field")?, a.has("json"));
    let k = a.text("k")?.map(|k| k.parse::<usize>().map_err(|_| anyhow!("--k takes a whole number"))).transpose()?;
    let path = a.required_path(0, "Give the workspace: kitle clusters WS.kitle --json")?;
    let (_, data) = open(&path, as_of)?;
    let result = crate::engine::explore::clusters::clusters(&std::sync::Arc::new(data), k, &extra)
        .map_err(|e| anyhow!("No clusters: {e}."))?;
    if json {
        return Ok(serde_json::to_string_pretty(&result)? + "\n");
    }
    let mut s = format!("k = {}\n", result.k);
    for (i, c) in result.clusters.iter().enumerate() {
        s += &format!(
            "{}. {} customers; rule: {} (precision {:.0}%, recall {:.0}%)\n",
            i + 1,
            c.count,
            crate::engine::segment::to_text(&c.rule),
            c.precision * 100.0,
            c.recall * 100.0
        );
    }
    Ok(s)
}

/// `kitle suggest WS [--min-share S] [--json]`: the most valuable rules of one or
/// two conditions.
pub(super) fn suggest(a: Args) -> Result<String> {
    let (as_of, json) = (a.date("as-of")?, a.has("json"));
    let min_share = match a.text("min-share")? {
        None => 0.01,
        Some(text) => text.parse::<f64>().map_err(|_| anyhow!("--min-share takes a number such as 0.01"))?,
    };
    let path = a.required_path(0, "Give the workspace: kitle suggest WS.kitle --json")?;
    let (_, data) = open(&path, as_of)?;
    let found = crate::engine::explore::audiences::suggested(&std::sync::Arc::new(data), min_share, 10)
        .map_err(|e| anyhow!("No suggestions: {e}."))?;
    if json {
        return Ok(serde_json::to_string_pretty(&serde_json::json!({ "suggestions": found }))? + "\n");
    }
    Ok(found
        .iter()
        .map(|s| format!("{:.2}×  {:>7}  {}\n", s.lift, s.count, crate::engine::segment::to_text(&s.rule)))
        .collect())
}

/// `kitle lookalike WS --seed NAME [--top 5%] [--json]`: the customers outside a
/// saved segment most like its members, the model's AUC and the fields that weigh
/// most (see `engine::segment::lookalike`).
pub(super) fn lookalike(a: Args) -> Result<String> {
    use crate::engine::segment::lookalike::lookalike;
    use crate::engine::segment::members::{Target, members};
    let (path, as_of, json) = super::workspace_args(&a, "kitle lookalike WS.kitle --seed \"Saved name\" --json")?;
    let seed = a.text("seed")?.ok_or_else(|| anyhow!("Give the seed segment: --seed \"Saved name\"."))?;
    let percent = match a.text("top")? {
        None => 5.0,
        Some(top) => crate::engine::segment::relative::percent(&top)
            .ok_or_else(|| anyhow!("--top takes a share above 0 and at most 100, such as 5%."))?,
    };
    let (ws, data) = open(&path, as_of)?;
    let data = std::sync::Arc::new(data);
    let frame = crate::engine::segment::evaluate::SegmentFrame::new(std::sync::Arc::clone(&data));
    let seed_rows = members(&frame, &ws.segments, Target::Segment(&seed))?.rows;
    let mut flags = vec![false; data.customers.height()];
    for row in seed_rows {
        flags[row as usize] = true;
    }
    let model = lookalike(&data, &flags).map_err(|e| anyhow!("No lookalike of \"{seed}\": {e}."))?;
    let top = model.top(percent);
    let ids: Option<StringChunked> = match data.key_field() {
        Some(f) => Some(data.customers.column(f)?.cast(&DataType::String)?.str()?.clone()),
        None => None,
    };
    let id_of = |row: usize| -> String {
        ids.as_ref().and_then(|c| c.get(row)).map_or_else(|| format!("row {}", row + 1), str::to_owned)
    };
    let round = |v: f64, places: i32| (v * 10f64.powi(places)).round() / 10f64.powi(places);
    if json {
        let v = serde_json::json!({
            "seed": seed,
            "seed_members": model.seed_members,
            "top_percent": percent,
            "members": top.len(),
            "auc": model.auc.map(|a| round(a, 4)),
            "weights": model.weights.iter().map(|w| serde_json::json!({
                "field": w.field,
                "weight": round(w.weight, 4),
                "bin": w.bin,
                "member_share": round(w.member_share, 4),
                "other_share": round(w.other_share, 4),
            })).collect::<Vec<_>>(),
            "top": top.iter().map(|(row, score)| serde_json::json!({
                "customer_id": id_of(*row),
                "score": round(*score, 6),
            })).collect::<Vec<_>>(),
        });
        return Ok(serde_json::to_string_pretty(&v)? + "\n");
    }
    let auc = model.auc.map_or_else(|| "— (too few members held out to measure)".to_owned(), |a| format!("{a:.3}"));
    let mut s = format!(
        "Lookalike of \"{seed}\" ({} members): the top {percent}% of the others, {} customers. AUC on held-out customers: {auc}.\nFields that weigh most:\n",
        model.seed_members,
        top.len()
    );
    for w in model.weights.iter().take(8) {
        s += &format!("  {:<28} {:>7.3}\n", w.field, w.weight);
    }
    s += "Most alike:\n";
    for (row, score) in top.iter().take(20) {
        s += &format!("  {:<28} {score:.4}\n", id_of(*row));
    }
    Ok(s)
}

/// `kitle cohorts WS [--period month|quarter|week] [--by channel|first_product|
/// first_category|city|segment:NAME] [--real [--index FILE] [--base YYYY-MM]]
/// [--as-of D] [--json]`: acquisition cohorts, their retention, revenue,
/// cumulative LTV, CAC and payback.
pub(super) fn cohorts(a: Args) -> Result<String> {
    use crate::engine::cohorts::{CohortOptions, CohortPeriod, Split, cohorts};
    let (path, as_of, json) = super::workspace_args(&a, "kitle cohorts WS.kitle --json")?;
    let period = match a.text("period")? {
        None => CohortPeriod::Month,
        Some(p) => CohortPeriod::parse(&p).ok_or_else(|| anyhow!("--period is month, quarter or week."))?,
    };
    let split = a
        .text("by")?
        .map(|by| {
            Split::parse(&by).ok_or_else(|| {
                anyhow!("--by is channel, first_product, first_category, city or segment:NAME (a saved segment).")
            })
        })
        .transpose()?;
    let (real, index_file, base) = (a.has("real"), a.text("index")?.map(std::path::PathBuf::from), a.text("base")?);
    if !real && (index_file.is_some() || base.is_some()) {
        bail!("--index and --base convert to real lira: add --real.");
    }
    let (ws, data) = open(&path, as_of)?;
    let mut notes = Vec::new();
    let real =
        if real { Some(real_lira(&ws, &data, index_file.as_deref(), base.as_deref(), &mut notes)?) } else { None };
    let options = CohortOptions { period, split, bought: None, real, margin: ws.settings.gross_margin };
    let table = cohorts(&data, &ws.segments, &options).map_err(|e| anyhow!("No cohorts: {e}."))?;
    if json {
        return Ok(serde_json::to_string_pretty(&table)? + "\n");
    }
    Ok(cohorts_text(&table, &notes))
}

/// The index (from `file`, else the workspace's) and the base month for `--real`.
fn real_lira(
    ws: &crate::engine::workspace::Workspace,
    data: &crate::engine::data::CustomerData,
    file: Option<&std::path::Path>,
    base: Option<&str>,
    notes: &mut Vec<String>,
) -> Result<crate::engine::cohorts::RealLira> {
    use crate::engine::cohorts::index::{PriceIndex, parse_month};
    let index = match file {
        Some(file) => {
            let (index, read) =
                PriceIndex::read(file).map_err(|e| anyhow!("The price index {}: {e}.", file.display()))?;
            if read.skipped_rows > 0 {
                let rows = if read.skipped_rows == 1 { "row" } else { "rows" };
                notes.push(format!(
                    "{} {rows} of the index file had no month or no value and were skipped.",
                    read.skipped_rows
                ));
            }
            index
        }
        None => ws.settings.price_index.clone().ok_or_else(|| {
            anyhow!(
                "Real lira need a price index: give --index FILE, a CSV or Excel file of months and index values. \
                 TCMB publishes the consumer price index (TÜFE, 2003=100) as series TP.FG.J0 in EVDS \
                 (evds2.tcmb.gov.tr); export it monthly."
            )
        })?,
    };
    let base = match base {
        Some(b) => parse_month(b).ok_or_else(|| anyhow!("--base is a month, YYYY-MM."))?,
        None => ws.real_base(data.as_of),
    };
    Ok(crate::engine::cohorts::RealLira { index, base })
}

/// The cohort table as text: notes on the index, then one line per cohort.
fn cohorts_text(table: &crate::engine::cohorts::Cohorts, notes: &[String]) -> String {
    let mut s = String::new();
    if let Some(base) = &table.base {
        s += &format!("Money in lira of {base}.\n");
    }
    if let Some(index) = &table.index {
        if let Some(rate) = index.carried_after {
            s += &format!(
                "The index ends in {}; later months carry its last year's average monthly rate, {:.2}%.\n",
                index.last,
                rate * 100.0
            );
        }
        if let Some(rate) = index.carried_before {
            s += &format!(
                "The index starts in {}; earlier months carry {:.2}% a month back.\n",
                index.first,
                rate * 100.0
            );
        }
    }
    for note in notes {
        s += note;
        s.push('\n');
    }
    s += "cohort\tgroup\tcustomers\tCAC\tpayback\tretention by period\n";
    for c in &table.cohorts {
        let retention: Vec<String> = c.cells.iter().map(|cell| format!("{:.0}%", cell.retention * 100.0)).collect();
        s += &format!(
            "{}\t{}\t{}\t{}\t{}\t{}\n",
            c.cohort,
            c.group.as_deref().unwrap_or("-"),
            c.customers,
            c.cac.map_or_else(|| "—".to_owned(), |v| format!("{v:.2}")),
            c.payback_offset.map_or_else(|| "—".to_owned(), |v| v.to_string()),
            retention.join(" ")
        );
    }
    s
}
