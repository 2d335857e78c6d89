//! `kitle personas`, `kitle fit`, `kitle persona add` and `kitle persona draft`:
//! personas and how well each fits its segment's real customers, headless.

use anyhow::{Result, anyhow, bail};

use super::args::Args;

use crate::engine::persona::Persona;
use crate::engine::persona::fit::{Fit, fit};
use crate::engine::persona::missed::draft;
use crate::engine::segment::Group;
use crate::engine::segment::evaluate::SegmentFrame;
use crate::engine::workspace::Workspace;

/// The members of a saved segment (by name) or a rule, and the rule.
fn members(
    frame: &SegmentFrame,
    ws: &Workspace,
    segment: Option<&str>,
    rule: Option<&str>,
) -> Result<(Vec<polars::prelude::IdxSize>, Group)> {
    use crate::engine::segment::members::Target;
    let target = match (segment, rule) {
        (_, Some(rule)) => Target::Text(rule),
        (Some(name), None) => Target::Segment(name),
        (None, None) => bail!("Give --segment NAME or --rule \"TEXT\"."),
    };
    let found = crate::engine::segment::members::members(frame, &ws.segments, target)?;
    Ok((found.rows, found.rule))
}

fn persona_file(path: &std::path::Path) -> Result<Persona> {
    let text = std::fs::read_to_string(path).map_err(|e| anyhow!("{} could not be read: {e}", path.display()))?;
    Persona::from_json(&text).map_err(|e| anyhow!("{}: {e}", path.display()))
}

/// `kitle fit WS (--persona NAME | --persona-file P.json) (--segment NAME | --rule TEXT) [--as-of D] --json`
pub fn fit_command(a: Args) -> Result<String> {
    let (path, persona, file, segment, rule) =
        (a.path(0), a.text("persona")?, a.file("persona-file"), a.text("segment")?, a.text("rule")?);
    let (as_of, json) = (a.date("as-of")?, a.has("json"));
    let path =
        path.ok_or_else(|| anyhow!("Give the workspace: kitle fit WS.kitle --persona NAME --segment NAME --json"))?;
    let (ws, data) = super::open(&path, as_of)?;
    let persona = match (persona, file) {
        (_, Some(file)) => persona_file(&file)?,
        (Some(name), None) => ws
            .personas
            .iter()
            .find(|p| p.name == name)
            .cloned()
            .ok_or_else(|| anyhow!("No persona is named \"{name}\"; `kitle personas` lists them."))?,
        (None, None) => bail!("Give --persona NAME or --persona-file P.json."),
    };
    let segment = segment.or_else(|| if rule.is_none() { persona.segments.first().cloned() } else { None });
    let frame = SegmentFrame::new(std::sync::Arc::new(data)).with_saved_segments(&ws.segments);
    let (members, group) = members(&frame, &ws, segment.as_deref(), rule.as_deref())?;
    let result = fit(&frame, &persona, &members, Some(&group))?;
    if json {
        return Ok(serde_json::to_string_pretty(&result)? + "\n");
    }
    Ok(fit_text(&persona, &result))
}

fn fit_text(persona: &Persona, f: &Fit) -> String {
    let lang = crate::format::Lang::En;
    let mut s = format!(
        "{}: fit {} ({} members, {:.1}% of customers; {:.1}% match every trait)\n",
        persona.name,
        f.score.map_or_else(|| "—".to_owned(), |s| s.to_string()),
        f.members,
        f.coverage * 100.0,
        f.joint_share * 100.0
    );
    for t in &f.traits {
        s += &format!(
            "  [{}] {}: {}\n",
            crate::engine::persona::fit::verdict_word(t.verdict),
            t.trait_text,
            crate::engine::persona::fit::evidence(t, lang)
        );
    }
    for m in f.missed.iter().take(5) {
        s += &format!("  missed: {}\n", crate::engine::persona::fit::missed_sentence(m, lang));
    }
    s
}

/// `kitle personas WS [--json]`: personas, their segments and fit scores.
pub fn personas(a: Args) -> Result<String> {
    let (path, json, as_of) = (a.path(0), a.has("json"), a.date("as-of")?);
    let path = path.ok_or_else(|| anyhow!("Give the workspace: kitle personas WS.kitle"))?;
    let (ws, data) = super::open(&path, as_of)?;
    let frame = SegmentFrame::new(std::sync::Arc::new(data)).with_saved_segments(&ws.segments);
    let mut rows = Vec::new();
    for persona in &ws.personas {
        let mut fits = Vec::new();
        for segment in &persona.segments {
            let score = members(&frame, &ws, Some(segment), None)
                .ok()
                .and_then(|(m, g)| fit(&frame, persona, &m, Some(&g)).ok())
                .and_then(|f| f.score);
            fits.push(serde_json::json!({"segment": segment, "score": score}));
        }
        rows.push(serde_json::json!({"name": persona.name, "traits": persona.traits, "segments": fits}));
    }
    if json {
        return Ok(serde_json::to_string_pretty(&serde_json::json!({ "personas": rows }))? + "\n");
    }
    let mut s = String::new();
    for r in &rows {
        s += &format!("{}\n", r["name"].as_str().unwrap_or(""));
        for f in r["segments"].as_array().into_iter().flatten() {
            s += &format!("  {}: fit {}\n", f["segment"].as_str().unwrap_or(""), f["score"]);
        }
    }
    Ok(s)
}

/// `kitle persona add WS --file P.json` and `kitle persona draft WS --segment NAME --json`.
pub fn persona(a: Args) -> Result<String> {
    let Some(action) = a.positional(0).map(|v| v.to_string_lossy().into_owned()) else {
        bail!("Use `kitle persona add WS --file P.json` or `kitle persona draft WS --segment NAME --json`.")
    };
    let (path, file, segment, json) = (a.path(1), a.file("file"), a.text("segment")?, a.has("json"));
    let path = path.ok_or_else(|| anyhow!("Give the workspace after `{action}`."))?;
    match action.as_str() {
        "add" => {
            let persona = persona_file(&file.ok_or_else(|| anyhow!("Give --file P.json."))?)?;
            let mut ws = Workspace::load(&path)?;
            let name = persona.name.clone();
            match ws.personas.iter_mut().find(|p| p.name == name) {
                Some(existing) => *existing = persona,
                None => ws.personas.push(persona),
            }
            ws.save(&path)?;
            Ok(format!("Persona \"{name}\" saved in {}\n", path.display()))
        }
        "draft" => {
            let segment = segment.ok_or_else(|| anyhow!("Give --segment NAME."))?;
            let (ws, data) = super::open(&path, None)?;
            let frame = SegmentFrame::new(std::sync::Arc::new(data)).with_saved_segments(&ws.segments);
            let (members, _) = members(&frame, &ws, Some(&segment), None)?;
            let persona = draft(&frame, &members, &segment)?;
            let text = serde_json::to_string_pretty(&persona)? + "\n";
            Ok(if json { text } else { format!("{}\n{}", persona.name, persona.traits.join("\n")) + "\n" })
        }
        other => bail!("Unknown persona action \"{other}\"; use add or draft."),
    }
}
