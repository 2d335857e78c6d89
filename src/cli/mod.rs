//! The headless command line: `kitle import`, `kitle summary`, `kitle customers`,
//! `kitle demo`. It drives the same engine as the desktop app and is how tests and
//! benchmarks exercise Kitle end to end. Output is built whole before it is written,
//! so a failure never leaves half an output behind.

mod args;
mod audience;
pub mod commands;
mod connect;
mod explore;
mod insight;
pub mod launch;
mod persona;
mod push;

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow, bail};
use chrono::NaiveDate;
use polars::prelude::*;

use self::args::Args;
use crate::engine::dashboard::{Period, dashboard};
use crate::engine::data::CustomerData;
use crate::engine::fields::SourceKind;
use crate::engine::import::mapping::MappingOverride;
use crate::engine::import::{Progress, ReadOptions, SourceSpec};
use crate::engine::values::{MoneyColumns, minor_units, plain_text, round_money_json};
use crate::engine::workspace::Workspace;

/// Runs a subcommand; returns what to print on stdout.
pub fn run(args: Vec<OsString>) -> Result<String> {
    let mut args = args.into_iter();
    let command = args.next().and_then(|a| a.into_string().ok()).unwrap_or_default();
    commands::dispatch(&command, args.collect())
}

/// `kitle audience`: an upload file or preview, or with `--push` a push through the platform's API.
fn audience_or_push(args: Args) -> Result<String> {
    if args.has("push") {
        args.refuse(&["segment", "rule", "out", "preview", "all", "as-of"], "is for upload files, not --push")?;
        push::push_audience(&args)
    } else {
        let push_only = ["dry-run", "token", "remember-token", "endpoint", "account", "login-account", "list"];
        args.refuse(&push_only, "goes with --push")?;
        audience::audience(&args)
    }
}

fn import(a: Args) -> Result<String> {
    let mut files: Vec<(SourceKind, PathBuf)> = Vec::new();
    for (flag, kind) in [
        ("customers", SourceKind::Customers),
        ("orders", SourceKind::Orders),
        ("spend", SourceKind::Spend),
        ("consent", SourceKind::Consent),
    ] {
        files.extend(a.texts(flag)?.into_iter().map(|f| (kind, PathBuf::from(f))));
    }
    let (sheet, as_of, json, maps) = (a.text("sheet")?, a.date("as-of")?, a.has("json"), a.texts("map")?);
    let out = a.file("out").ok_or_else(|| anyhow!("Give the workspace to create with -o WS.kitle."))?;
    if files.is_empty() {
        bail!("Give at least --customers FILE or --orders FILE.");
    }
    let name = out.file_stem().map_or_else(|| "Kitle".to_owned(), |s| s.to_string_lossy().into_owned());
    let mut specs = Vec::new();
    for (kind, path) in files {
        let mut spec = SourceSpec::new(kind, path);
        spec.options = ReadOptions { sheet: sheet.clone(), ..ReadOptions::default() };
        for m in &maps {
            let o = MappingOverride::parse(m, kind).map_err(|e| anyhow!(e))?;
            spec.mapping.push(o);
        }
        specs.push(spec);
    }
    // Build first (this validates the files); then save the workspace.
    let lang = crate::format::Lang::from_system();
    let (ws, data) =
        crate::engine::loading::new_workspace_from_files(&name, specs, as_of, &out, lang, &Progress::default())?;
    ws.save(&out)?;
    // The next opening reads the cache instead of importing again. (Recording the
    // segments' members beside the cache write saved 0.15 s at 1M customers but
    // raised a 10M import's peak from 1.19 to 1.55 GB.)
    if let Err(e) = ws.write_cache(&out, &data) {
        eprintln!("{}", crate::engine::message::Message::new("msg.cache_not_written", [e]));
    }
    if let Err(e) = ws.record_members(&out, &data) {
        eprintln!("{}", crate::engine::message::Message::new("msg.members_not_recorded", [e]));
    }
    if json { Ok(serde_json::to_string_pretty(&data.report)? + "\n") } else { Ok(report_text(&data, &out)) }
}

/// The import report as sentences for a terminal.
pub fn report_text(data: &CustomerData, workspace: &Path) -> String {
    let r = &data.report;
    let mut s = format!("Created {} with {} customers", workspace.display(), r.customers);
    if data.orders.is_some() {
        s += &format!(" and {} orders", r.orders_counted);
    }
    s += ".\n";
    for src in &r.sources {
        s += &format!(
            "\n{} ({}): {} rows read, {} skipped\n",
            src.path,
            src.kind.map_or("?", SourceKind::id),
            src.rows_read,
            src.rows_skipped
        );
        let mapped: Vec<String> = src
            .columns
            .iter()
            .map(|c| {
                if c.canonical {
                    format!("{} → {}", c.header, c.name)
                } else {
                    format!("{} → custom {}", c.header, c.ty.id())
                }
            })
            .collect();
        s += &format!("  columns: {}\n", mapped.join(", "));
        if !src.ignored_columns.is_empty() {
            s += &format!("  ignored: {}\n", src.ignored_columns.join(", "));
        }
        for note in &src.notes {
            s += &format!("  {note}\n");
        }
        for u in &src.unparsed {
            s += &format!(
                "  {} cells of \"{}\" are not a valid {} and were left empty (e.g. {})\n",
                u.count,
                u.column,
                u.expected.id(),
                u.examples.iter().map(|e| format!("\"{e}\"")).collect::<Vec<_>>().join(", ")
            );
        }
    }
    if !r.notes.is_empty() {
        s += "\n";
        for note in &r.notes {
            s += &format!("{note}\n");
        }
    }
    s
}

pub(crate) fn open(path: &Path, as_of: Option<NaiveDate>) -> Result<(Workspace, CustomerData)> {
    let mut ws = Workspace::load(path)?;
    if as_of.is_some() {
        ws.settings.as_of = as_of;
    }
    let data = ws.load_data(path, &Progress::default())?;
    Ok((ws, data))
}

fn summary(a: Args) -> Result<String> {
    let (as_of, json, from, to) = (a.date("as-of")?, a.has("json"), a.date("from")?, a.date("to")?);
    let path = a.required_path(0, "Give the workspace: kitle summary WS.kitle")?;
    let (ws, data) = open(&path, as_of)?;
    let period = match (from, to) {
        (None, None) => None,
        (Some(from), Some(to)) if from <= to => Some(Period { from, to }),
        (Some(_), Some(_)) => bail!("--from must not be after --to."),
        _ => bail!("Give both --from and --to, or neither (all time)."),
    };
    let d = dashboard(&data, period, &ws.settings.ltv_bands)?;
    if json {
        let mut v = serde_json::to_value(&d)?;
        round_money_json(&mut v, minor_units(&ws.settings.currency));
        return Ok(serde_json::to_string_pretty(&v)? + "\n");
    }
    let currency = &ws.settings.currency;
    let money = |v: Option<f64>| v.map_or("—".to_owned(), |v| format!("{v:.2} {currency}"));
    let h = &d.headline;
    let span = period.map_or_else(|| "all time".to_owned(), |p| format!("{} to {}", p.from, p.to));
    let mut s = format!("{}\n{span}, as of {}\n", ws.name, d.as_of);
    s += &format!("customers: {} ({} new)\n", h.customers, h.new_customers);
    s += &format!("total revenue: {}\n", money(h.total_revenue));
    s += &format!("average LTV: {}\n", money(h.avg_ltv));
    s += &format!("average order value: {}\n", money(h.aov));
    s += &format!("repeat-purchase rate: {}\n", h.repeat_rate.map_or("—".to_owned(), |r| format!("{:.1}%", r * 100.0)));
    let cac_hint = if d.has_spend { "" } else { " (no spend data: import a spend file)" };
    s += &format!("CAC: {}{cac_hint}\n", money(h.cac));
    s += &format!("LTV:CAC: {}\n", h.ltv_cac.map_or("—".to_owned(), |r| format!("{r:.2}")));
    if !d.channels.is_empty() {
        s += "channels:\n";
        for c in &d.channels {
            s +=
                &format!("  {}: {} customers, {} new, CAC {}\n", c.channel, c.customers, c.new_customers, money(c.cac));
        }
    }
    Ok(s)
}

fn customers(a: Args) -> Result<String> {
    let (as_of, limit) = (a.date("as-of")?, a.number::<usize>("limit", "a whole number")?);
    let format = a.text("format")?.unwrap_or_else(|| "csv".to_owned());
    let path = a.required_path(0, "Give the workspace: kitle customers WS.kitle")?;
    let (ws, data) = open(&path, as_of)?;
    let df = match limit {
        Some(n) => data.customers.head(Some(n)),
        None => data.customers.clone(),
    };
    let money = MoneyColumns::new(&data.fields, &ws.settings.currency);
    match format.as_str() {
        "csv" => customers_csv(&df, &money),
        "json" => customers_json(&df, &money),
        other => bail!("Unknown format \"{other}\"; use csv or json."),
    }
}

fn customers_csv(df: &DataFrame, money: &MoneyColumns) -> Result<String> {
    let bytes = crate::engine::values::csv_bytes(df, money, crate::engine::values::CsvReader::Program)?;
    Ok(String::from_utf8(bytes)?)
}

fn customers_json(df: &DataFrame, money: &MoneyColumns) -> Result<String> {
    let columns = df.columns();
    let mut rows = Vec::with_capacity(df.height());
    for row in 0..df.height() {
        let mut obj = serde_json::Map::new();
        for c in columns {
            let v = money.written(c.name(), c.get(row)?);
            let json = match &v {
                AnyValue::Null => serde_json::Value::Null,
                AnyValue::Boolean(b) => serde_json::Value::Bool(*b),
                v if v.is_integer() => v.extract::<i64>().map_or(serde_json::Value::Null, serde_json::Value::from),
                AnyValue::Float64(f) => serde_json::Value::from(*f),
                AnyValue::List(s) => {
                    serde_json::Value::Array(s.iter().map(|v| serde_json::Value::String(plain_text(&v))).collect())
                }
                other => serde_json::Value::String(plain_text(other)),
            };
            obj.insert(c.name().to_string(), json);
        }
        rows.push(serde_json::Value::Object(obj));
    }
    Ok(serde_json::to_string_pretty(&rows)? + "\n")
}

fn segment(a: Args) -> Result<String> {
    let (as_of, json, rule, name, members) =
        (a.date("as-of")?, a.has("json"), a.text("rule")?, a.text("name")?, a.file("members"));
    let (repeat, changes) = (a.number::<usize>("repeat", "a whole number")?, a.has("changes"));
    let sql = match a.text("sql")? {
        None => None,
        Some(name) => Some(
            crate::engine::segment::sql::Dialect::parse(&name)
                .ok_or_else(|| anyhow!("--sql takes duckdb, postgres, bigquery or snowflake (not \"{name}\")."))?,
        ),
    };
    let path = a.required_path(0, "Give the workspace: kitle segment WS.kitle --rule \"...\"")?;
    if changes {
        let name = name.ok_or_else(|| anyhow!("--changes needs --name \"Saved name\"."))?;
        return segment_changes(&path, as_of, &name, json);
    }
    let (ws, data) = open(&path, as_of)?;
    use crate::engine::segment::members::{MembersError, Target, rule_of};
    let target = match (&rule, &name) {
        (Some(rule), None) => Target::Text(rule),
        (None, Some(name)) => Target::Segment(name),
        _ => bail!("Give either --rule \"TEXT\" or --name \"Saved name\"."),
    };
    let group = rule_of(target, &ws.segments)?;
    if a.has("describe") {
        return describe(&a, &group, &data, &ws.settings.currency, json);
    }
    let frame = crate::engine::segment::evaluate::SegmentFrame::new(std::sync::Arc::new(data))
        .with_saved_segments(&ws.segments);
    let compiled = frame.compile(&group);
    if let Some(first) = compiled.invalid.first() {
        return Err(MembersError::Invalid { first: first.clone(), all: compiled.invalid.clone() }.into());
    }
    if let Some(dialect) = sql {
        let saved: Vec<(String, String)> = ws.segments.iter().map(|s| (s.name.clone(), s.rule.clone())).collect();
        let query = crate::engine::segment::sql::segment_sql(frame.data(), &saved, &group, dialect)
            .map_err(|e| anyhow!("This rule can't be written as SQL: {e}."))?;
        return Ok(format!("{query}\n"));
    }
    let stats = frame.stats(&compiled)?;
    let eval_ms = repeat.filter(|n| *n > 0).map(|n| median_ms(n, || frame.stats(&compiled).map(|_| ())));
    if let Some(out) = &members {
        let rows = frame.members(&compiled)?;
        crate::engine::export::export_members(frame.data(), &rows, out, &ws.settings.currency)?;
    }
    if json {
        let mut v = serde_json::json!({
            "count": stats.count,
            "share": stats.share,
            "avg_ltv": stats.avg_ltv,
            "total_revenue": stats.total_revenue,
            "avg_orders": stats.avg_orders,
            "predicted_revenue_12m": stats.predicted_revenue_12m,
            "rule": crate::engine::segment::to_text(&group),
        });
        if let Some(ms) = eval_ms {
            v["eval_ms"] = serde_json::json!(ms);
        }
        if !compiled.lookalikes.is_empty() {
            v["lookalikes"] = serde_json::to_value(&compiled.lookalikes)?;
        }
        round_money_json(&mut v, minor_units(&ws.settings.currency));
        return Ok(serde_json::to_string_pretty(&v)? + "\n");
    }
    Ok(segment_text(&stats, &ws.settings.currency, eval_ms, members.as_deref()))
}

/// The median time of `n` runs of `work`, in milliseconds.
/// `kitle segment WS --name N --changes [--json]`: who entered and left the saved
/// segment at the last import, and its size at each import.
/// `kitle segment … --describe [--lang tr|en]`: the rule as a sentence.
fn describe(
    a: &Args,
    group: &crate::engine::segment::Group,
    data: &CustomerData,
    currency: &str,
    json: bool,
) -> Result<String> {
    use crate::engine::segment::describe::{Reading, describe};
    let lang = match a.text("lang")? {
        None => crate::format::Lang::from_system(),
        Some(code) => {
            crate::format::Lang::from_code(&code).ok_or_else(|| anyhow!("--lang takes tr or en, not \"{code}\"."))?
        }
    };
    let sentence = describe(group, Reading { data: Some(data), currency, lang });
    if json {
        let v = serde_json::json!({ "rule": crate::engine::segment::to_text(group), "lang": lang.code(), "sentence": sentence });
        return Ok(serde_json::to_string_pretty(&v)? + "\n");
    }
    Ok(sentence + "\n")
}

fn segment_changes(path: &Path, as_of: Option<NaiveDate>, name: &str, json: bool) -> Result<String> {
    use crate::engine::segment::membership::{changes, members_dir_for};
    // Opening records the members when the data was imported again since.
    let (ws, _) = open(path, as_of)?;
    let segment = ws.segments.iter().find(|s| s.name == name);
    let segment =
        segment.ok_or_else(|| anyhow!("No saved segment is named \"{name}\"; `kitle segments` lists them."))?;
    let c = changes(&members_dir_for(path), &segment.name);
    if json {
        let v = serde_json::json!({ "name": segment.name, "history": c.history, "entered": c.entered, "left": c.left });
        return Ok(serde_json::to_string_pretty(&v)? + "\n");
    }
    let mut s =
        format!("{}: {} entered and {} left at the last import.\n", segment.name, c.entered.len(), c.left.len());
    for h in &c.history {
        s += &format!("  {}  {} members (+{} −{})\n", h.at, h.size, h.entered, h.left);
    }
    Ok(s)
}

fn median_ms(n: usize, work: impl Fn() -> PolarsResult<()>) -> f64 {
    let mut times: Vec<f64> = (0..n)
        .map(|_| {
            let start = std::time::Instant::now();
            // Timing only: the first evaluation already succeeded, and a repeat
            // fails the same way or not at all.
            work().ok();
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn segment_text(
    stats: &crate::engine::segment::evaluate::SegmentStats,
    currency: &str,
    eval_ms: Option<f64>,
    members: Option<&Path>,
) -> String {
    let mut s = format!("{} customers match ({:.1}% of all)\n", stats.count, stats.share * 100.0);
    s += &format!("average LTV: {}\n", stats.avg_ltv.map_or("—".to_owned(), |v| format!("{v:.2} {currency}")));
    s += &format!("total revenue: {}\n", stats.total_revenue.map_or("—".to_owned(), |v| format!("{v:.2} {currency}")));
    if let Some(v) = stats.predicted_revenue_12m {
        s += &format!("predicted revenue, next 12 months: {v:.2} {currency}\n");
    }
    if let Some(ms) = eval_ms {
        s += &format!("median evaluation time: {ms:.3} ms\n");
    }
    if let Some(out) = members {
        s += &format!("members written to {}\n", out.display());
    }
    s
}

/// The arguments most read-only commands take: the workspace, `--as-of`, `--json`.
/// `usage` is how to call the command, for the message when the workspace is missing.
pub(crate) fn workspace_args(a: &Args, usage: &str) -> Result<(PathBuf, Option<NaiveDate>, bool)> {
    let path = a.required_path(0, &format!("Give the workspace: {usage}"))?;
    Ok((path, a.date("as-of")?, a.has("json")))
}

fn segments(a: Args) -> Result<String> {
    let (path, as_of, json) = workspace_args(&a, "kitle segments WS.kitle")?;
    let (ws, data) = open(&path, as_of)?;
    let frame = crate::engine::segment::evaluate::SegmentFrame::new(std::sync::Arc::new(data))
        .with_saved_segments(&ws.segments);
    let mut rows = Vec::new();
    for seg in &ws.segments {
        let stats = match crate::engine::segment::parse(&seg.rule) {
            Ok(g) => Some(frame.stats(&frame.compile(&g))?),
            Err(_) => None,
        };
        rows.push((seg, stats));
    }
    if json {
        let list: Vec<serde_json::Value> = rows
            .iter()
            .map(|(seg, st)| {
                serde_json::json!({
                    "name": seg.name, "description": seg.description, "rule": seg.rule, "edited": seg.edited,
                    "count": st.as_ref().map(|s| s.count), "share": st.as_ref().map(|s| s.share),
                    "avg_ltv": st.as_ref().and_then(|s| s.avg_ltv),
                })
            })
            .collect();
        let mut v = serde_json::Value::Array(list);
        round_money_json(&mut v, minor_units(&ws.settings.currency));
        return Ok(serde_json::to_string_pretty(&v)? + "\n");
    }
    let mut s = String::new();
    for (seg, st) in rows {
        match st {
            Some(st) => {
                s += &format!("{}: {} customers ({:.1}%) — {}\n", seg.name, st.count, st.share * 100.0, seg.rule)
            }
            None => s += &format!("{}: the rule can't be read — {}\n", seg.name, seg.rule),
        }
    }
    if s.is_empty() {
        s = "No saved segments.\n".to_owned();
    }
    Ok(s)
}

fn demo(a: Args) -> Result<String> {
    let mut config = crate::engine::demo::DemoConfig::default();
    if let Some(n) = a.number("customers", "a whole number")? {
        config.customers = n;
    }
    if let Some(seed) = a.number("seed", "a whole number")? {
        config.seed = seed;
    }
    let dir = a.required_path(0, "Give the folder: kitle demo DIR")?;
    let path = crate::engine::demo::write_demo_workspace(&dir, &config)?;
    Ok(format!("Wrote {}\n", path.display()))
}

/// Entry point for `main`: prints the output or the error, returns the exit code.
pub fn main_with(args: Vec<OsString>) -> std::process::ExitCode {
    match run(args) {
        Ok(out) => {
            let mut stdout = std::io::stdout().lock();
            if stdout.write_all(out.as_bytes()).and_then(|()| stdout.flush()).is_err() {
                return std::process::ExitCode::from(1);
            }
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("kitle: {e:#}");
            std::process::ExitCode::from(1)
        }
    }
}
