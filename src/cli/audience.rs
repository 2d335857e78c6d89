//! `kitle audience`: a segment's members as an ad platform's upload file, or a
//! preview of exactly what would be sent (normalised values and their hashes).

use std::path::PathBuf;

use anyhow::{Result, anyhow, bail};

use super::args::Args as CliArgs;

use crate::engine::audience::diff::{Membership, SentBy, membership_path};
use crate::engine::audience::normalise::PhoneRegion;
use crate::engine::audience::record::{ExportAction, ExportEvent, ExportRecord, write_recorded_file};
use crate::engine::audience::{AudienceRequest, Consent, ConsentField, Identifier, Platform, audience_rows, preview};
use crate::engine::segment::evaluate::SegmentFrame;
use crate::engine::segment::members::{Target, members};

/// What `kitle audience` was asked.
struct Args {
    path: PathBuf,
    rule: String,
    /// The saved segment's name, or the saved audience's (records of what was sent go by it).
    name: String,
    /// `--name`: a saved audience (its segment, identifiers and consent filter).
    saved_audience: bool,
    /// `None`: the saved audience's first platform.
    platform: Option<Platform>,
    out: Option<PathBuf>,
    preview: bool,
    json: bool,
    all: bool,
    region: PhoneRegion,
    as_of: Option<chrono::NaiveDate>,
}

fn parse(a: &CliArgs) -> Result<Args> {
    let (path, rule, segment, saved_audience, out) =
        (a.path(0), a.text("rule")?, a.text("segment")?, a.text("name")?, a.file("out"));
    let (preview, json, all, as_of) = (a.has("preview"), a.has("json"), a.has("all"), a.date("as-of")?);
    let platform = match a.text("platform")? {
        None => None,
        Some(id) => Some(Platform::from_id(&id).ok_or_else(|| anyhow!("Unknown platform \"{id}\"; use {PLATFORMS}."))?),
    };
    let region = match a.text("country")? {
        None => PhoneRegion::default(),
        Some(code) => {
            PhoneRegion::from_code(&code).ok_or_else(|| anyhow!("\"{code}\" is not a country code such as TR."))?
        }
    };
    let path = path.ok_or_else(|| {
        anyhow!("Give the workspace: kitle audience WS.kitle --segment NAME --platform google -o FILE")
    })?;
    if platform.is_none() && saved_audience.is_none() {
        bail!("Give --platform {PLATFORMS}.");
    }
    if out.is_none() && !preview {
        bail!("Give -o FILE for the upload file, or --preview --json to see what would be sent.");
    }
    let (rule, name) = match (rule, segment, &saved_audience) {
        (Some(rule), None, None) => (rule, String::new()),
        (None, Some(name), None) => (String::new(), name),
        (None, None, Some(name)) => (String::new(), name.clone()),
        _ => bail!("Give one of --segment NAME, --rule \"TEXT\" or --name AUDIENCE (a saved audience)."),
    };
    let saved_audience = saved_audience.is_some();
    Ok(Args { path, rule, name, saved_audience, platform, out, preview, json, all, region, as_of })
}

pub fn audience(a: &CliArgs) -> Result<String> {
    let args = parse(a)?;
    let (ws, data) = super::open(&args.path, args.as_of)?;
    let saved = if args.saved_audience {
        let found = ws.audiences.iter().find(|a| a.name == args.name);
        Some(found.ok_or_else(|| {
            let names: Vec<&str> = ws.audiences.iter().map(|a| a.name.as_str()).collect();
            anyhow!("No saved audience is named \"{}\" (saved: {}).", args.name, names.join(", "))
        })?)
    } else {
        None
    };
    let target = match saved {
        Some(audience) => Target::Audience(audience),
        None if args.rule.is_empty() => Target::Segment(&args.name),
        None => Target::Text(&args.rule),
    };
    let frame = SegmentFrame::new(std::sync::Arc::new(data));
    let members = members(&frame, &ws.segments, target)?.rows;
    let platform = args.platform.or_else(|| saved.and_then(|a| a.platforms.first().copied()));
    let platform = platform.ok_or_else(|| anyhow!("Give --platform {PLATFORMS}."))?;
    let request = AudienceRequest {
        platform,
        identifiers: saved.map_or(&Identifier::ALL[..], |a| &a.identifiers),
        consent_only: !args.all && saved.is_none_or(|a| a.consent_only),
        region: args.region,
    };
    let rows = audience_rows(frame.data(), &members, &request)?;
    if rows.consent == Consent::NoField {
        bail!(
            "The customers have no {} field: map one when importing or import İYS consent records (--consent), or pass --all to send every member.",
            consent_words(ConsentField::primary(platform))
        );
    }
    if args.preview {
        return preview_output(&args, &rows);
    }
    let out = args.out.as_ref().ok_or_else(|| anyhow!("Give -o FILE."))?;
    let target = std::path::absolute(out).unwrap_or_else(|_| out.clone()).display().to_string();
    let event = |written| {
        ExportEvent::now(ExportAction::File, platform, written, &rows.identifiers)
            .for_audience(&args.name)
            .with_rule(&args.rule)
            .to(target)
    };
    let written = write_recorded_file(&rows, out, &ExportRecord::of_workspace(&args.path), event)?;
    // A saved segment's audience remembers what it sent, so the next file can say
    // who entered and who left.
    let change = if args.name.is_empty() {
        None
    } else {
        let path = membership_path(&args.path, &args.name, platform, SentBy::File);
        let sent = Membership::of(&rows);
        let diff = sent.diff_from(&Membership::load(&path)?);
        sent.save(&path)?;
        Some(diff)
    };
    let mut s = format!(
        "{} of {} segment members written to {} ({} file)\n",
        written,
        rows.segment_members,
        out.display(),
        rows.platform.id()
    );
    if args.all {
        s += &format!(
            "consent filter off (--all): customers without {} are included\n",
            consent_words(ConsentField::primary(platform))
        );
    } else {
        s += &consent_text(rows.no_consent, &rows.basis);
    }
    let missing = rows.rows.len() - written;
    if missing > 0 {
        s += &format!("{missing} members have no usable identifier and were left out\n");
    }
    if let Some(d) = change {
        s += &format!("since the last file: {} adds, {} removes, {} unchanged\n", d.adds, d.removes, d.unchanged);
    }
    Ok(s)
}

fn preview_output(args: &Args, rows: &crate::engine::audience::AudienceRows) -> Result<String> {
    let summary = preview(&args.name, rows);
    if !args.json {
        let mut s = format!("{} members ({} with an identifier)\n", summary.members, summary.with_identifier);
        if rows.consent == crate::engine::audience::Consent::Applied {
            s += &consent_text(rows.no_consent, &rows.basis);
        }
        for (id, n) in &summary.usable {
            s += &format!("  {}: {n}\n", id.id());
        }
        return Ok(s);
    }
    let members: Vec<serde_json::Value> = rows
        .rows
        .iter()
        .map(|m| {
            let mut obj = serde_json::Map::new();
            obj.insert("customer_id".into(), m.customer_id.clone().into());
            for (id, value) in rows.identifiers.iter().zip(&m.values) {
                if let Some(v) = value {
                    // A list sends the text itself; its hash is only kept for the membership.
                    let sha256 = v.sha256.filter(|_| !rows.platform.in_clear());
                    obj.insert(id.id().into(), serde_json::json!({"normalized": v.normalized, "sha256": sha256}));
                }
            }
            serde_json::Value::Object(obj)
        })
        .collect();
    let diff = (!args.name.is_empty())
        .then(|| Membership::load(&membership_path(&args.path, &args.name, rows.platform, SentBy::File)))
        .transpose()?
        .map(|before| Membership::of(rows).diff_from(&before));
    let v = serde_json::json!({
        "diff": diff,
        "platform": rows.platform.id(),
        "segment_members": summary.segment_members,
        "excluded": {"no_consent": summary.no_consent},
        "consent_basis": summary.basis,
        "members": summary.members,
        "predicted_revenue_12m": summary.predicted_revenue_12m,
        "with_identifier": summary.with_identifier,
        "match_ready_share": summary.match_ready_share,
        "usable": summary.usable.iter().map(|(id, n)| (id.id().to_owned(), serde_json::json!(n))).collect::<serde_json::Map<_, _>>(),
        "warnings": summary.warnings,
        "rows": members,
    });
    Ok(serde_json::to_string_pretty(&v)? + "\n")
}

/// Who the consent filter left out, and for lacking what, as a line.
pub(super) fn consent_text(left_out: usize, basis: &[ConsentField]) -> String {
    let words: Vec<&str> = basis.iter().map(|c| consent_words(*c)).collect();
    format!("{left_out} members left out: no {} on record\n", words.join(" or no "))
}

/// A consent field in words, with its field id.
fn consent_words(field: ConsentField) -> &'static str {
    match field {
        ConsentField::AcceptsMarketing => "marketing consent (accepts_marketing)",
        ConsentField::AdConsent => "consent to share their data with ad platforms (ad_consent)",
        ConsentField::SmsConsent => "SMS consent (sms_consent)",
    }
}

/// The destinations `--platform` takes.
const PLATFORMS: &str = "google, meta, tiktok, hashed, email_list or sms_list";

/// `kitle log WS [--json]`: the workspace's export record.
pub fn log(a: CliArgs) -> Result<String> {
    let path = a.required_path(0, "Give the workspace: kitle log WS.kitle [--json]")?;
    if !path.is_file() {
        bail!("There is no workspace at {}.", path.display());
    }
    let read = ExportRecord::of_workspace(&path).read()?;
    if a.has("json") {
        let v = serde_json::json!({ "entries": read.entries, "unreadable_lines": read.unreadable });
        return Ok(serde_json::to_string_pretty(&v)? + "\n");
    }
    if read.entries.is_empty() {
        return Ok("Nothing was exported from this workspace yet.\n".to_owned());
    }
    let mut s = String::new();
    for e in &read.entries {
        let action = match e.action {
            ExportAction::File => "file written",
            ExportAction::Push => "sent (add)",
            ExportAction::Remove => "sent (remove)",
        };
        let what = match (&e.audience, &e.rule) {
            (Some(name), _) => format!("\"{name}\""),
            (None, Some(rule)) => format!("rule {rule}"),
            (None, None) => "—".to_owned(),
        };
        s += &format!(
            "{}  {action:<13}  {:<7} {what}: {} members ({}) → {}\n",
            e.time,
            e.destination,
            e.members,
            e.fields.join(", "),
            e.target
        );
    }
    if read.unreadable > 0 {
        s += &format!("{} lines could not be read (cut short by a crash) and are left out.\n", read.unreadable);
    }
    Ok(s)
}
