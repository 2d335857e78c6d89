//! `kitle audience`: a segment's members as an ad platform's upload file, or a
//! preview of exactly what would be sent (normalised values and their hashes).

use std::path::PathBuf;

use anyhow::{Result, anyhow, bail};
use lexopt::prelude::*;

use crate::engine::audience::diff::{Membership, SentBy, membership_path};
use crate::engine::audience::normalise::PhoneRegion;
use crate::engine::audience::{AudienceRequest, Consent, Identifier, Platform, audience_rows, files, preview};
use crate::engine::data::CustomerData;
use crate::engine::segment::evaluate::SegmentFrame;
use polars::prelude::IdxSize;

/// What `kitle audience` was asked.
struct Args {
    path: PathBuf,
    rule: String,
    name: String,
    platform: Platform,
    out: Option<PathBuf>,
    preview: bool,
    json: bool,
    all: bool,
    region: PhoneRegion,
    as_of: Option<chrono::NaiveDate>,
}

fn parse(mut p: lexopt::Parser) -> Result<Args> {
    let (mut path, mut rule, mut segment, mut platform, mut out) = (None, None, None, None, None);
    let (mut preview, mut json, mut all, mut region, mut as_of) = (false, false, false, PhoneRegion::default(), None);
    while let Some(arg) = p.next()? {
        match arg {
            Value(v) if path.is_none() => path = Some(PathBuf::from(v)),
            Long("segment") => segment = Some(p.value()?.string()?),
            Long("rule") => rule = Some(p.value()?.string()?),
            Long("platform") => {
                let id = p.value()?.string()?;
                platform = Some(
                    Platform::from_id(&id)
                        .ok_or_else(|| anyhow!("Unknown platform \"{id}\"; use google, meta, tiktok or hashed."))?,
                );
            }
            Short('o') | Long("out") => out = Some(PathBuf::from(p.value()?)),
            Long("preview") => preview = true,
            Long("json") => json = true,
            Long("all") => all = true,
            Long("country") => {
                let code = p.value()?.string()?;
                region = PhoneRegion::from_code(&code)
                    .ok_or_else(|| anyhow!("\"{code}\" is not a country code such as TR."))?;
            }
            Long("as-of") => as_of = Some(super::parse_date(p.value()?)?),
            other => return Err(other.unexpected().into()),
        }
    }
    let path = path.ok_or_else(|| {
        anyhow!("Give the workspace: kitle audience WS.kitle --segment NAME --platform google -o FILE")
    })?;
    let platform = platform.ok_or_else(|| anyhow!("Give --platform google, meta, tiktok or hashed."))?;
    if out.is_none() && !preview {
        bail!("Give -o FILE for the upload file, or --preview --json to see what would be sent.");
    }
    let (rule, name) = match (rule, segment) {
        (Some(rule), None) => (rule, String::new()),
        (None, Some(name)) => (String::new(), name),
        _ => bail!("Give either --segment NAME or --rule \"TEXT\"."),
    };
    Ok(Args { path, rule, name, platform, out, preview, json, all, region, as_of })
}

pub fn audience(p: lexopt::Parser) -> Result<String> {
    let mut args = parse(p)?;
    let (ws, data) = super::open(&args.path, args.as_of)?;
    if args.rule.is_empty() {
        args.rule = ws
            .segments
            .iter()
            .find(|s| s.name == args.name)
            .map(|s| s.rule.clone())
            .ok_or_else(|| anyhow!("No saved segment is named \"{}\"; `kitle segments` lists them.", args.name))?;
    }
    let (frame, members) = segment_members(data, &args.rule, &ws.segments)?;
    let request = AudienceRequest {
        platform: args.platform,
        identifiers: &Identifier::ALL,
        consent_only: !args.all,
        region: args.region,
    };
    let rows = audience_rows(frame.data(), &members, &request)?;
    if rows.consent == Consent::NoField {
        bail!(
            "The customers have no marketing-consent field (accepts_marketing): map one when importing, or pass --all to send every member."
        );
    }
    if args.preview {
        return preview_output(&args, &rows);
    }
    let out = args.out.as_ref().ok_or_else(|| anyhow!("Give -o FILE."))?;
    let written = files::write_upload_file(&rows, out)?;
    // A saved segment's audience remembers what it sent, so the next file can say
    // who entered and who left.
    let change = if args.name.is_empty() {
        None
    } else {
        let path = membership_path(&args.path, &args.name, args.platform, SentBy::File);
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
        args.platform.id()
    );
    if args.all {
        s += "consent filter off (--all): customers who did not accept marketing are included\n";
    } else {
        s += &format!("{} members left out without marketing consent\n", rows.segment_members - rows.rows.len());
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

/// The customer table as a segment frame, and the members of a rule.
pub(super) fn segment_members(
    data: CustomerData,
    rule: &str,
    saved: &[crate::engine::workspace::Segment],
) -> Result<(SegmentFrame, Vec<IdxSize>)> {
    let group = crate::engine::segment::parse(rule).map_err(|e| anyhow!("The rule could not be read: {e}"))?;
    let frame = SegmentFrame::new(std::sync::Arc::new(data)).with_saved_segments(saved);
    let compiled = frame.compile(&group);
    if let Some(bad) = compiled.invalid.first() {
        bail!("A condition can't be used: {}.", bad.reason);
    }
    let members = frame.members(&compiled)?;
    Ok((frame, members))
}

fn preview_output(args: &Args, rows: &crate::engine::audience::AudienceRows) -> Result<String> {
    let summary = preview(&args.name, rows);
    if !args.json {
        let mut s = format!("{} members ({} with an identifier)\n", summary.members, summary.with_identifier);
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
                    obj.insert(id.id().into(), serde_json::json!({"normalized": v.normalized, "sha256": v.sha256}));
                }
            }
            serde_json::Value::Object(obj)
        })
        .collect();
    let diff = (!args.name.is_empty())
        .then(|| Membership::load(&membership_path(&args.path, &args.name, args.platform, SentBy::File)))
        .transpose()?
        .map(|before| Membership::of(rows).diff_from(&before));
    let v = serde_json::json!({
        "diff": diff,
        "platform": args.platform.id(),
        "segment_members": summary.segment_members,
        "members": summary.members,
        "with_identifier": summary.with_identifier,
        "match_ready_share": summary.match_ready_share,
        "usable": summary.usable.iter().map(|(id, n)| (id.id().to_owned(), serde_json::json!(n))).collect::<serde_json::Map<_, _>>(),
        "warnings": summary.warnings,
        "rows": members,
    });
    Ok(serde_json::to_string_pretty(&v)? + "\n")
}
