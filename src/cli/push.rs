//! `kitle audience WS --name AUDIENCE --push [--dry-run]`: a saved audience's
//! changes since its last push (who entered, who left) sent through the ad
//! platform's API. Endpoint and token come from flags or the environment; the
//! token is never saved. What the platform accepted is recorded even when a batch
//! fails, so the next push resumes.

use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow, bail};

use super::args::Args as CliArgs;

use crate::connect::credentials::{TokenSource, endpoint_text, find_token_or_keychain, keychain, token_variable};
use crate::connect::http::{Endpoint, Retry};
use crate::connect::push::{Destination, Plan, PushJob, PushReport, Pushed, requests_needed, run};
use crate::engine::audience::audience_rows;
use crate::engine::audience::diff::{SentBy, membership_path};
use crate::engine::audience::normalise::PhoneRegion;
use crate::engine::audience::record::ExportRecord;
use crate::engine::audience::{Audience, AudienceRequest, Consent, GoogleDestination, MetaDestination, Platform};
use crate::engine::import::Progress;
use crate::engine::workspace::Workspace;

/// What `kitle audience --push` was asked.
#[derive(Default)]
struct Args {
    path: PathBuf,
    name: String,
    platform: Option<Platform>,
    dry_run: bool,
    json: bool,
    token: Option<String>,
    /// Keep the given token in the OS keychain for later pushes.
    remember_token: bool,
    endpoint: Option<String>,
    account: Option<String>,
    login_account: Option<String>,
    list: Option<String>,
    region: PhoneRegion,
}

fn parse(a: &CliArgs) -> Result<Args> {
    let mut args = Args {
        name: a.text("name")?.unwrap_or_default(),
        dry_run: a.has("dry-run"),
        json: a.has("json"),
        token: a.text("token")?,
        remember_token: a.has("remember-token"),
        endpoint: a.text("endpoint")?,
        account: a.text("account")?,
        login_account: a.text("login-account")?,
        list: a.text("list")?,
        ..Args::default()
    };
    let path = a.path(0);
    if let Some(id) = a.text("platform")? {
        args.platform = Some(
            Platform::from_id(&id)
                .filter(|p| matches!(p, Platform::Google | Platform::Meta))
                .ok_or_else(|| anyhow!("Pushes go to google or meta, not \"{id}\"."))?,
        );
    }
    if let Some(code) = a.text("country")? {
        args.region =
            PhoneRegion::from_code(&code).ok_or_else(|| anyhow!("\"{code}\" is not a country code such as TR."))?;
    }
    args.path = path.ok_or_else(|| anyhow!("Give the workspace: kitle audience WS.kitle --name AUDIENCE --push"))?;
    if args.name.is_empty() {
        bail!("Give the saved audience: --name AUDIENCE.");
    }
    Ok(args)
}

/// One platform's push, as printed.
#[derive(serde::Serialize)]
struct Line {
    platform: &'static str,
    dry_run: bool,
    adds: usize,
    removes: usize,
    unchanged: usize,
    requests: usize,
    left_out: usize,
    /// Segment members left out for lacking consent (`{"no_consent": N}`).
    excluded: serde_json::Value,
    #[serde(skip)]
    consent_line: Option<String>,
    #[serde(flatten)]
    sent: Option<PushReport>,
}

pub fn push_audience(a: &CliArgs) -> Result<String> {
    let args = parse(a)?;
    let (ws, data) = super::open(&args.path, None)?;
    let audience = ws.audiences.iter().find(|a| a.name == args.name).cloned().ok_or_else(|| {
        let names: Vec<&str> = ws.audiences.iter().map(|a| a.name.as_str()).collect();
        anyhow!("No saved audience is named \"{}\" (saved: {}).", args.name, names.join(", "))
    })?;
    let platforms: Vec<Platform> = match args.platform {
        Some(p) => vec![p],
        None => audience.platforms.iter().copied().filter(|p| matches!(p, Platform::Google | Platform::Meta)).collect(),
    };
    if platforms.is_empty() {
        bail!("\"{}\" is a file audience; pushes go to google or meta (pass --platform).", audience.name);
    }
    let frame = crate::engine::segment::evaluate::SegmentFrame::new(std::sync::Arc::new(data));
    let members = crate::engine::segment::members::members(
        &frame,
        &ws.segments,
        crate::engine::segment::members::Target::Audience(&audience),
    )?
    .rows;
    let (mut lines, mut failure) = (Vec::new(), None);
    for platform in platforms {
        let request = AudienceRequest {
            platform,
            identifiers: &audience.identifiers,
            consent_only: audience.consent_only,
            region: args.region,
        };
        let rows = audience_rows(frame.data(), &members, &request)?;
        if rows.consent == Consent::NoField {
            bail!("The customers have no marketing-consent field (accepts_marketing); the audience sends nobody.");
        }
        let membership_path = membership_path(&args.path, &audience.name, platform, SentBy::Api);
        let job = job(&args, &audience, platform, membership_path.clone());
        let destination =
            job.as_ref().map_or_else(|_| destination(&args, &audience, platform), |j| j.destination.clone());
        let plan = Plan::new(&rows, &membership_path, &destination)?;
        let diff = plan.diff();
        let mut line = Line {
            platform: platform.id(),
            dry_run: args.dry_run,
            adds: diff.adds,
            removes: diff.removes,
            unchanged: diff.unchanged,
            requests: requests_needed(platform, &plan.changes),
            left_out: plan.left_out,
            excluded: serde_json::json!({ "no_consent": rows.no_consent }),
            consent_line: (rows.consent == crate::engine::audience::Consent::Applied && rows.no_consent > 0)
                .then(|| super::audience::consent_text(rows.no_consent, &rows.basis)),
            sent: None,
        };
        if !args.dry_run {
            let job = job?;
            let pushed = run(job, plan, &Progress::default()).map_err(|e| anyhow!("{}: {e}", platform.id()))?;
            record_in_workspace(&args.path, &audience.name, &pushed)?;
            if let Some(e) = &pushed.report.error {
                failure = Some(format!("{}: stopped: {e}", platform.id()));
            }
            line.sent = Some(pushed.report);
        }
        lines.push(line);
    }
    let text = if args.json {
        serde_json::to_string_pretty(&serde_json::json!({ "pushes": lines }))? + "\n"
    } else {
        lines.iter().map(line_text).collect()
    };
    match failure {
        Some(e) => bail!("{text}{e}\nWhat was accepted is recorded; the next push resumes from there."),
        None => Ok(text),
    }
}

fn line_text(line: &Line) -> String {
    let consent = line.consent_line.as_deref().map(|l| format!("{}: {l}", line.platform)).unwrap_or_default();
    consent + &sent_text(line)
}

fn sent_text(line: &Line) -> String {
    match &line.sent {
        None => format!(
            "{} (dry run): would send {} adds and {} removes in {} requests; {} unchanged; {} members have no identifier it takes\n",
            line.platform, line.adds, line.removes, line.requests, line.unchanged, line.left_out
        ),
        Some(r) => {
            let invalid =
                if r.invalid > 0 { format!("; the platform called {} rows invalid", r.invalid) } else { String::new() };
            format!(
                "{}: {} adds sent, {} removes sent in {} requests; {} unchanged{invalid}\n",
                line.platform, r.adds_sent, r.removes_sent, r.requests, line.unchanged
            )
        }
    }
}

/// The push for one platform: token and endpoint from flags or the environment,
/// account and list from flags or what the workspace saved.
fn job(args: &Args, audience: &Audience, platform: Platform, membership_path: PathBuf) -> Result<PushJob> {
    let (token, source) = find_token_or_keychain(platform, args.token.as_deref()).ok_or_else(|| {
        anyhow!(
            "No {} token: pass --token, set {}, or keep one in the system keychain with --token T --remember-token.",
            platform.id(),
            token_variable(platform)
        )
    })?;
    if args.remember_token && source == TokenSource::Given {
        keychain::save(platform, &token).map_err(|e| anyhow!("The token could not be kept in the keychain: {e}"))?;
    }
    let endpoint = Endpoint::parse(&endpoint_text(platform, args.endpoint.as_deref()))?;
    let destination = destination(args, audience, platform);
    if let Some(missing) = destination.missing() {
        bail!("{missing} Pass --account ID and --list ID (they are saved for next time).");
    }
    let record = ExportRecord::of_workspace(&args.path);
    Ok(PushJob {
        name: audience.name.clone(),
        destination,
        endpoint,
        token,
        retry: Retry::default(),
        membership_path,
        record,
    })
}

/// Where to push: flags first, then what the workspace saved.
fn destination(args: &Args, audience: &Audience, platform: Platform) -> Destination {
    if platform == Platform::Google {
        let saved = audience.destinations.google.clone().unwrap_or_default();
        Destination::Google(GoogleDestination {
            account_id: args.account.clone().unwrap_or(saved.account_id),
            login_account_id: args.login_account.clone().or(saved.login_account_id),
            user_list_id: args.list.clone().unwrap_or(saved.user_list_id),
        })
    } else {
        let saved = audience.destinations.meta.clone().unwrap_or_default();
        Destination::Meta(MetaDestination {
            ad_account_id: args.account.clone().unwrap_or(saved.ad_account_id),
            audience_id: args.list.clone().or(saved.audience_id),
        })
    }
}

/// Saves where the audience went and when, in the workspace as it is on disk now.
fn record_in_workspace(path: &Path, name: &str, pushed: &Pushed) -> Result<()> {
    let mut ws = Workspace::load(path)?;
    let Some(audience) = ws.audiences.iter_mut().find(|a| a.name == name) else { return Ok(()) };
    pushed.record(audience);
    ws.save(path)?;
    Ok(())
}
